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

// The windows, walked forward pass after pass as time moves on and the
// history grows, agree with a binary search per day at every pass.
func TestLaunchWindowsMatchPerDaySearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for trial := range 300 {
		var ls []time.Time
		var offs []int64
		var lw launchWindows
		now := t0
		for pass := range 400 {
			// Time moves on (sometimes not at all); launches happen up to now.
			now = now.Add(time.Duration(r.Int64N(int64(3 * time.Hour))))
			for r.IntN(3) == 0 {
				at := now
				if len(ls) > 0 && r.IntN(2) == 0 {
					at = ls[len(ls)-1].Add(time.Duration(r.Int64N(int64(now.Sub(ls[len(ls)-1]) + 1))))
				}
				ls = append(ls, at)
				offs = append(offs, int64(at.Sub(t0)))
			}
			h := time.Duration(r.Int64N(int64(30 * time.Hour)))
			if pass%11 == 0 && len(ls) > 0 { // a launch exactly on a window edge
				now = latest(now, ls[r.IntN(len(ls))].Add(time.Duration(1+r.IntN(HistoryDays))*24*time.Hour))
			}
			got := lw.hits(offs, int64(now.Sub(t0)), h)
			for d := 1; d <= HistoryDays; d++ {
				from := now.Add(-time.Duration(d) * 24 * time.Hour)
				if want := launchedIn(ls, from, from.Add(h)); got[d-1] != want {
					t.Fatalf("trial %d pass %d day %d: got %v, want %v", trial, pass, d, got[d-1], want)
				}
			}
		}
	}
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
