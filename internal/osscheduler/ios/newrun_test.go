package ios

import (
	"testing"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// newRun hands out distinct zero runs, never the same one twice, across
// blocks.
func TestNewRunIsFresh(t *testing.T) {
	m := &Model{}
	seen := map[*run]bool{}
	for i := range 3*osscheduler.BlockSize + 1 {
		rn := m.newRun()
		if seen[rn] {
			t.Fatalf("run %d handed out twice", i)
		}
		seen[rn] = true
		if rn.x != nil || rn.m != nil || rn.subject != "" || rn.rec != nil || rn.exec.ID != 0 || rn.bgLaunch {
			t.Fatalf("run %d is not a zero run: %+v", i, rn)
		}
		rn.m, rn.subject, rn.bgLaunch = m, "used", true
	}
}
