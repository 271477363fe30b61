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
//
// The buckets are counted in dense blocks of 2^subBits, one per power of two
// a sample falls in, allocated when the first sample of the block comes: a
// sample costs an index and an increment (no map), and the buckets come out
// in order with no sort. A bucket count of zero is a bucket that does not
// exist. Every bucket a sample can fall in has a block (at most chunkCount);
// indexes beyond them, which only a hand-made document can name, are kept in
// odd by their signed wire index.
type Dist struct {
	count, sum, min, max int64
	pos, neg             []*chunk
	odd                  map[int32]int64
}

// chunk is the counts of 2^subBits consecutive buckets.
type chunk [1 << subBits]int64

// chunkCount is how many chunks cover every bucket of a sample: the last
// bucket is bucketOf(math.MaxInt64) (a negative sample's mirror, at most
// 2^63, falls below it).
const chunkCount = (64 - (subBits + 1)) + 2

// inc adds n to bucket k of the side cs (pos or neg), growing it as needed.
func inc(cs *[]*chunk, k int32, n int64) {
	c := int(k >> subBits)
	for len(*cs) <= c {
		*cs = append(*cs, nil)
	}
	ch := (*cs)[c]
	if ch == nil {
		ch = new(chunk)
		(*cs)[c] = ch
	}
	ch[k&(1<<subBits-1)] += n
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
	side, u := &d.pos, v
	if v < 0 {
		side, u = &d.neg, -v
	}
	k := bucketOf(u)
	// The bucket's block mostly exists already: count in it directly.
	if c := int(k >> subBits); c < len(*side) {
		if ch := (*side)[c]; ch != nil {
			ch[k&(1<<subBits-1)]++
			return
		}
	}
	inc(side, k, 1)
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
	mergeSide(&d.pos, o.pos)
	mergeSide(&d.neg, o.neg)
	for k, n := range o.odd {
		if d.odd == nil {
			d.odd = map[int32]int64{}
		}
		d.odd[k] += n
	}
}

func mergeSide(dst *[]*chunk, src []*chunk) {
	for c, ch := range src {
		if ch == nil {
			continue
		}
		for len(*dst) <= c {
			*dst = append(*dst, nil)
		}
		to := (*dst)[c]
		if to == nil {
			cp := *ch
			(*dst)[c] = &cp
			continue
		}
		for i, n := range ch {
			to[i] += n
		}
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

// bucketAt is the bucket of signed index idx holding n samples.
func bucketAt(idx int32, n int64) bucket {
	if idx < 0 {
		lo, hi := bucketRange(-idx - 1)
		return bucket{lo: -hi, hi: -lo, n: n, idx: idx}
	}
	lo, hi := bucketRange(idx)
	return bucket{lo: lo, hi: hi, n: n, idx: idx}
}

// each calls yield with the non-empty buckets in ascending value order
// (ascending signed index), until it returns false.
func (d *Dist) each(yield func(bucket) bool) {
	if d.odd != nil { // a hand-made document's out-of-range buckets: sort
		for _, b := range d.buckets() {
			if !yield(b) {
				return
			}
		}
		return
	}
	for c := len(d.neg) - 1; c >= 0; c-- {
		ch := d.neg[c]
		if ch == nil {
			continue
		}
		for i := len(ch) - 1; i >= 0; i-- {
			if n := ch[i]; n != 0 && !yield(bucketAt(-int32(c<<subBits+i)-1, n)) {
				return
			}
		}
	}
	for c, ch := range d.pos {
		if ch == nil {
			continue
		}
		for i, n := range ch {
			if n != 0 && !yield(bucketAt(int32(c<<subBits+i), n)) {
				return
			}
		}
	}
}

// buckets lists the non-empty buckets in ascending value order.
func (d *Dist) buckets() []bucket {
	var out []bucket
	if d.odd == nil {
		d.each(func(b bucket) bool { out = append(out, b); return true })
		return out
	}
	for c, ch := range d.neg {
		if ch == nil {
			continue
		}
		for i, n := range ch {
			if n != 0 {
				out = append(out, bucketAt(-int32(c<<subBits+i)-1, n))
			}
		}
	}
	for c, ch := range d.pos {
		if ch == nil {
			continue
		}
		for i, n := range ch {
			if n != 0 {
				out = append(out, bucketAt(int32(c<<subBits+i), n))
			}
		}
	}
	for k, n := range d.odd {
		out = append(out, bucketAt(k, n))
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
	out := d.max
	d.each(func(b bucket) bool {
		seen += b.n
		if seen >= rank {
			out = min(max(b.lo+(b.hi-b.lo)/2, d.min), d.max)
			return false
		}
		return true
	})
	return out
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
	d.each(func(b bucket) bool {
		if len(sb) > 0 {
			sb = append(sb, ' ')
		}
		sb = strconv.AppendInt(sb, int64(b.idx), 10)
		sb = append(sb, ':')
		sb = strconv.AppendInt(sb, b.n, 10)
		return true
	})
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
		switch k := int32(idx); {
		case k >= 0 && k < chunkCount<<subBits:
			inc(&d.pos, k, n)
		case k < 0 && -k-1 < chunkCount<<subBits:
			inc(&d.neg, -k-1, n)
		default:
			if d.odd == nil {
				d.odd = map[int32]int64{}
			}
			d.odd[k] += n
		}
	}
	if total != j.Count || j.Count < 0 || (j.Count > 0 && j.Min > j.Max) {
		return fmt.Errorf("distribution: buckets hold %d samples but count is %d", total, j.Count)
	}
	return nil
}
