package fleet

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
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
