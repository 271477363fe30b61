package fleet

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// subBits is the sketch's precision: every value below 2^(subBits+1) = 256
// has a bucket of its own, and above that each power of two is split into
// 2^subBits = 128 buckets, so a bucket's width is at most 1/128 of its lower
// bound. A quantile is reported as its bucket's midpoint (clamped to the
// exact min and max), so its relative error is at most 1/256 ≈ 0.4 %.
//
// This is the log-linear bucketing of HdrHistogram (Gil Tene,
// github.com/HdrHistogram/HdrHistogram, "significant digits" ≈ 2.4 here)
// with integer values and no upper bound. Buckets only ever add up, so
// merging is exact, commutative and associative: a distribution built from
// any split of the samples, in any order, is identical.
const subBits = 7

// exactBelow is the first value that does not have a bucket of its own.
const exactBelow = 1 << (subBits + 1)

// bucketOf is the bucket index of v ≥ 0.
func bucketOf(v int64) int32 {
	u := uint64(v)
	if u < exactBelow {
		return int32(u)
	}
	shift := uint(bits.Len64(u)) - (subBits + 1)
	return int32(uint64(shift)<<subBits + u>>shift)
}

// bucketRange is the smallest and largest value of bucket idx ≥ 0.
func bucketRange(idx int32) (lo, hi int64) {
	if idx < exactBelow {
		return int64(idx), int64(idx)
	}
	shift := uint(idx>>subBits) - 1
	m := int64(idx) - int64(shift)<<subBits
	lo = m << shift
	return lo, lo + (1 << shift) - 1
}

// Dist is a mergeable distribution of integer samples: an exact count, sum,
// min and max, and a log-linear bucket histogram for quantiles (see subBits).
// Negative samples are counted in mirrored buckets. The zero value is empty.
type Dist struct {
	count, sum, min, max int64
	pos, neg             map[int32]int64
}

// Add records one sample.
func (d *Dist) Add(v int64) {
	if d.count == 0 || v < d.min {
		d.min = v
	}
	if d.count == 0 || v > d.max {
		d.max = v
	}
	d.count++
	d.sum += v
	if v >= 0 {
		if d.pos == nil {
			d.pos = map[int32]int64{}
		}
		d.pos[bucketOf(v)]++
	} else {
		if d.neg == nil {
			d.neg = map[int32]int64{}
		}
		d.neg[bucketOf(-v)]++
	}
}

// Merge adds every sample of o to d.
func (d *Dist) Merge(o *Dist) {
	if o.count == 0 {
		return
	}
	if d.count == 0 || o.min < d.min {
		d.min = o.min
	}
	if d.count == 0 || o.max > d.max {
		d.max = o.max
	}
	d.count += o.count
	d.sum += o.sum
	for k, n := range o.pos {
		if d.pos == nil {
			d.pos = map[int32]int64{}
		}
		d.pos[k] += n
	}
	for k, n := range o.neg {
		if d.neg == nil {
			d.neg = map[int32]int64{}
		}
		d.neg[k] += n
	}
}

// Count is the number of samples; Sum their exact total; Min and Max the
// exact extremes (0 when empty).
func (d *Dist) Count() int64 { return d.count }

// Sum is the exact total of the samples.
func (d *Dist) Sum() int64 { return d.sum }

// Min is the smallest sample (0 when empty).
func (d *Dist) Min() int64 { return d.min }

// Max is the largest sample (0 when empty).
func (d *Dist) Max() int64 { return d.max }

// bucket is one histogram bucket in ascending value order.
type bucket struct {
	lo, hi int64
	n      int64
	idx    int32 // signed: negative for mirrored buckets
}

// buckets lists the non-empty buckets in ascending value order.
func (d *Dist) buckets() []bucket {
	out := make([]bucket, 0, len(d.pos)+len(d.neg))
	for k, n := range d.neg {
		lo, hi := bucketRange(k)
		out = append(out, bucket{lo: -hi, hi: -lo, n: n, idx: -k - 1})
	}
	for k, n := range d.pos {
		lo, hi := bucketRange(k)
		out = append(out, bucket{lo: lo, hi: hi, n: n, idx: k})
	}
	slices.SortFunc(out, func(a, b bucket) int { return int(a.idx) - int(b.idx) })
	return out
}

// Quantile is the q-quantile (0 ≤ q ≤ 1) by nearest rank: the midpoint of
// the bucket holding the ⌈q·count⌉-th smallest sample, clamped to [Min, Max].
// Quantile(1) is Max exactly; an empty distribution gives 0.
func (d *Dist) Quantile(q float64) int64 {
	if d.count == 0 {
		return 0
	}
	if q >= 1 {
		return d.max
	}
	rank := int64(q * float64(d.count))
	if float64(rank) < q*float64(d.count) {
		rank++
	}
	rank = max(rank, 1)
	var seen int64
	for _, b := range d.buckets() {
		seen += b.n
		if seen >= rank {
			return min(max(b.lo+(b.hi-b.lo)/2, d.min), d.max)
		}
	}
	return d.max
}

// Mean is the exact mean rounded toward zero (0 when empty).
func (d *Dist) Mean() int64 {
	if d.count == 0 {
		return 0
	}
	return d.sum / d.count
}

// distJSON is a Dist on the wire. P50…P99 and Mean are derived (written for
// readers, ignored when read back); Buckets is "index:count" pairs separated
// by spaces in ascending order (negative indexes for negative samples), one
// string so that indented JSON stays short.
type distJSON struct {
	Count   int64  `json:"count"`
	Sum     int64  `json:"sum"`
	Min     int64  `json:"min"`
	Max     int64  `json:"max"`
	Mean    int64  `json:"mean"`
	P50     int64  `json:"p50"`
	P90     int64  `json:"p90"`
	P99     int64  `json:"p99"`
	Buckets string `json:"buckets"`
}

// MarshalJSON writes the distribution with its quantiles and buckets.
func (d Dist) MarshalJSON() ([]byte, error) {
	j := distJSON{Count: d.count, Sum: d.sum, Min: d.min, Max: d.max, Mean: d.Mean(),
		P50: d.Quantile(0.5), P90: d.Quantile(0.9), P99: d.Quantile(0.99)}
	var sb []byte
	for i, b := range d.buckets() {
		if i > 0 {
			sb = append(sb, ' ')
		}
		sb = strconv.AppendInt(sb, int64(b.idx), 10)
		sb = append(sb, ':')
		sb = strconv.AppendInt(sb, b.n, 10)
	}
	j.Buckets = string(sb)
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote, checking that the buckets add
// up to the count.
func (d *Dist) UnmarshalJSON(b []byte) error {
	var j distJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = Dist{count: j.Count, sum: j.Sum, min: j.Min, max: j.Max}
	var total int64
	for _, kv := range strings.Fields(j.Buckets) {
		a, c, ok := strings.Cut(kv, ":")
		idx, err1 := strconv.ParseInt(a, 10, 32)
		n, err2 := strconv.ParseInt(c, 10, 64)
		if !ok || err1 != nil || err2 != nil || n <= 0 || idx > 1<<30 || idx < -(1<<30) {
			return fmt.Errorf("distribution: bad bucket %q, want index:count", kv)
		}
		total += n
		if idx >= 0 {
			if d.pos == nil {
				d.pos = map[int32]int64{}
			}
			d.pos[int32(idx)] += n
		} else {
			if d.neg == nil {
				d.neg = map[int32]int64{}
			}
			d.neg[int32(-idx-1)] += n
		}
	}
	if total != j.Count || j.Count < 0 || (j.Count > 0 && j.Min > j.Max) {
		return fmt.Errorf("distribution: buckets hold %d samples but count is %d", total, j.Count)
	}
	return nil
}
