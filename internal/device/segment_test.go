package device

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// segmentOf (the guide table and a short walk) finds the segment a search
// of every segment finds, for every draw of waking periods of the built-in
// profiles' hourly weights and of weights made to stress the table: one
// heavy hour among light ones, a total weight below the table's size.
func TestSegmentOfIsTheSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var weights [][]int
	for _, name := range ProfileNames() {
		if p := mustProfile(t, name); len(p.HourlyWeights) == 24 {
			weights = append(weights, p.HourlyWeights)
		}
	}
	spike := make([]int, 24)
	for h := range spike {
		spike[h] = 1
	}
	spike[13] = 1_000_000
	weights = append(weights, spike)
	for range 50 {
		w := make([]int, 24)
		for h := range w {
			if r.IntN(3) > 0 {
				w[h] = r.IntN(1_000_001)
			}
		}
		w[r.IntN(24)] = 1 + r.IntN(10)
		weights = append(weights, w)
	}
	for wi, w := range weights {
		pr := &profileRun{p: Profile{HourlyWeights: w}}
		for day := range 20 {
			wake := int64(day)*day0 + r.Int64N(day0)
			span := 1 + r.Int64N(31*int64(time.Hour))
			if day == 0 {
				span = 2 * int64(time.Second) // a total weight below guideN
			}
			if !pr.hourSegments(wake, wake+span) {
				continue
			}
			xs := []int64{0, pr.segSum - 1}
			for _, s := range pr.segs {
				xs = append(xs, s.cum-1, min(s.cum, pr.segSum-1))
			}
			for range 500 {
				xs = append(xs, r.Int64N(pr.segSum))
			}
			for _, x := range xs {
				want := sort.Search(len(pr.segs), func(i int) bool { return pr.segs[i].cum > x })
				require.Equal(t, want, pr.segmentOf(x), "weights %d, day %d, x %d of %d", wi, day, x, pr.segSum)
			}
		}
	}
}

const day0 = int64(24 * time.Hour)
