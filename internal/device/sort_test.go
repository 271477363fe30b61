package device

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPlanSortIsStable checks the plan's natural merge sort against the
// standard library's stable sort on random plans made of sorted runs (as
// planDay makes them) and on plain random ones, with many equal times.
func TestPlanSortIsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		n := r.IntN(300)
		acts := make([]action, n)
		at := int64(0)
		for i := range acts {
			if trial%2 == 0 && r.IntN(20) == 0 {
				at = int64(r.IntN(50)) // start a new run
			} else if trial%2 == 1 {
				at = int64(r.IntN(50))
			} else {
				at += int64(r.IntN(3))
			}
			acts[i] = action{at: at, arg: int64(i)}
		}
		head := 0
		if n > 0 {
			head = r.IntN(n)
		}
		want := slices.Clone(acts)
		slices.SortStableFunc(want[head:], func(a, b action) int {
			switch {
			case a.at < b.at:
				return -1
			case a.at > b.at:
				return 1
			}
			return 0
		})
		pr := &profileRun{acts: acts, head: head}
		pr.sort()
		if !slices.Equal(pr.acts, want) {
			t.Fatalf("trial %d: plan sorted differently from a stable sort", trial)
		}
	}
}
