package fleet

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuckets(t *testing.T) {
	// Every value lies in its bucket, buckets are contiguous and ordered,
	// and a bucket is at most 1/128 of its lower bound wide.
	prevHi := int64(-1)
	for idx := int32(0); idx < 5000; idx++ {
		lo, hi := bucketRange(idx)
		assert.Equal(t, prevHi+1, lo, "bucket %d", idx)
		assert.Equal(t, idx, bucketOf(lo))
		assert.Equal(t, idx, bucketOf(hi))
		if lo >= exactBelow {
			assert.LessOrEqual(t, (hi-lo+1)*128, lo)
		}
		prevHi = hi
	}
	assert.Equal(t, int64(1<<62), func() int64 { lo, _ := bucketRange(bucketOf(1 << 62)); return lo }())
}

// Quantiles against exact sorted samples: within 0.4 % (half a bucket).
func TestQuantileAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var d Dist
	var xs []int64
	for range 20000 {
		v := int64(r.ExpFloat64() * 3_600_000) // ms, mean 1 h
		d.Add(v)
		xs = append(xs, v)
	}
	slices.Sort(xs)
	for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999} {
		exact := xs[int(q*float64(len(xs))+0.999999)-1]
		got := d.Quantile(q)
		assert.InDelta(t, float64(exact), float64(got), float64(exact)/256+1, "q=%v", q)
	}
	assert.Equal(t, xs[len(xs)-1], d.Quantile(1))
	assert.Equal(t, xs[len(xs)-1], d.Max())
	assert.Equal(t, xs[0], d.Min())
}

func TestSmallValuesExact(t *testing.T) {
	var d Dist
	for _, v := range []int64{5, 1, 3, 2, 4} {
		d.Add(v)
	}
	assert.Equal(t, int64(3), d.Quantile(0.5))
	assert.Equal(t, int64(5), d.Quantile(0.9))
	assert.Equal(t, int64(1), d.Quantile(0))
	assert.Equal(t, int64(3), d.Mean())
	var empty Dist
	assert.Equal(t, int64(0), empty.Quantile(0.5))
}

// Merging is exact, and the same in any grouping and order; JSON round-trips.
func TestMergeAndJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var all, a, b, c Dist
	for i := range 3000 {
		v := r.Int64N(10_000_000) - 1000
		all.Add(v)
		[]*Dist{&a, &b, &c}[i%3].Add(v)
	}
	var x, y Dist
	x.Merge(&c)
	x.Merge(&a)
	x.Merge(&b)
	y.Merge(&b)
	y.Merge(&c)
	y.Merge(&a)
	ja, _ := json.Marshal(all)
	jx, _ := json.Marshal(x)
	jy, _ := json.Marshal(y)
	assert.Equal(t, string(ja), string(jx))
	assert.Equal(t, string(ja), string(jy))
	var back Dist
	require.NoError(t, json.Unmarshal(ja, &back))
	jb, _ := json.Marshal(back)
	assert.Equal(t, string(ja), string(jb))
	assert.Error(t, json.Unmarshal([]byte(`{"count":2,"buckets":"1:1"}`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{"count":1,"buckets":"1-1"}`), &back))
}

func TestQuantileAll(t *testing.T) {
	b := &BlockStats{}
	for _, v := range []int64{10, 20} {
		b.PerDeviceMs.Add(v)
	}
	// 10 devices, 8 never blocked: the median is 0, p90 the smaller one.
	assert.Equal(t, int64(0), b.QuantileAll(10, 0.5))
	assert.Equal(t, int64(10), b.QuantileAll(10, 0.9))
	assert.Equal(t, int64(20), b.QuantileAll(10, 0.99))
	assert.Equal(t, int64(20), b.QuantileAll(10, 1))
}

// The dense blocks list exactly the buckets a map of index → count would,
// in the same order, for samples over the whole int64 range (both extremes
// included); a document's buckets beyond any sample's read back and merge
// in their place.
func TestDenseBucketsAreTheMapsBuckets(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var d, half1, half2 Dist
	want := map[int32]int64{}
	add := func(i int, v int64) {
		d.Add(v)
		[]*Dist{&half1, &half2}[i%2].Add(v)
		if v >= 0 {
			want[bucketOf(v)]++
		} else {
			want[-bucketOf(-v)-1]++
		}
	}
	for i, v := range []int64{math.MinInt64, math.MaxInt64, math.MinInt64 + 1, -1, 0, 1, 255, 256, -256} {
		add(i, v)
	}
	for i := range 5000 {
		v := int64(r.Uint64())
		if i%2 == 0 {
			v >>= r.IntN(64)
		}
		add(i, v)
	}
	keys := slices.Sorted(maps.Keys(want))
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d:%d", k, want[k]))
	}
	var doc struct{ Buckets string }
	b, err := json.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &doc))
	assert.Equal(t, strings.Join(parts, " "), doc.Buckets)
	var m Dist
	m.Merge(&half2)
	m.Merge(&half1)
	bm, _ := json.Marshal(m)
	assert.Equal(t, string(b), string(bm))
	assert.Less(t, keys[len(keys)-1], int32(chunkCount<<subBits), "the last chunk holds the largest bucket")
	assert.GreaterOrEqual(t, -keys[0]-1, int32((chunkCount-1)<<subBits), "the last chunk holds the most negative bucket")

	// Out-of-range indexes (no sample makes them) round-trip in order.
	in := `{"count":4,"sum":0,"min":-5,"max":9,"buckets":"-9000:1 -3:1 2:1 8000:1"}`
	var odd Dist
	require.NoError(t, json.Unmarshal([]byte(in), &odd))
	require.NoError(t, json.Unmarshal(mustJSON(t, odd), &doc))
	assert.Equal(t, "-9000:1 -3:1 2:1 8000:1", doc.Buckets)
	odd.Merge(&odd)
	require.NoError(t, json.Unmarshal(mustJSON(t, odd), &doc))
	assert.Equal(t, "-9000:2 -3:2 2:2 8000:2", doc.Buckets)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
