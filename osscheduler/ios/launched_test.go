package ios

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// launchedIn is the plain definition launchedInDays must agree with: a
// launch at or after from and before to.
func launchedIn(ls []time.Time, from, to time.Time) bool {
	i := sort.Search(len(ls), func(i int) bool { return !ls[i].Before(from) })
	return i < len(ls) && ls[i].Before(to)
}

func TestLaunchedInDaysMatchesPerDaySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for trial := range 2000 {
		var ls []time.Time
		at := t0
		for range r.IntN(200) {
			at = at.Add(time.Duration(r.Int64N(int64(30 * time.Hour))))
			ls = append(ls, at)
			if r.IntN(10) == 0 { // same-instant launches
				ls = append(ls, at)
			}
		}
		now := t0.Add(time.Duration(r.Int64N(int64(60 * 24 * time.Hour))))
		h := time.Duration(r.Int64N(int64(30 * time.Hour)))
		if trial%7 == 0 && len(ls) > 0 { // a launch exactly on a window edge
			now = ls[r.IntN(len(ls))].Add(time.Duration(1+r.IntN(HistoryDays)) * 24 * time.Hour)
		}
		offs := make([]int64, len(ls))
		for i, l := range ls {
			offs[i] = int64(l.Sub(t0))
		}
		got := launchedInDays(offs, int64(now.Sub(t0)), h)
		for d := 1; d <= HistoryDays; d++ {
			from := now.Add(-time.Duration(d) * 24 * time.Hour)
			if want := launchedIn(ls, from, from.Add(h)); got[d-1] != want {
				t.Fatalf("trial %d day %d: got %v, want %v", trial, d, got[d-1], want)
			}
		}
	}
}
