package runner

import (
	"github.com/wmsim/wmsim/scenarios"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIOSCalibrationScenarios measures the figures of osscheduler/ios
// MODEL.md "Calibration a user can reproduce" from the two library scenarios
// (the same as `wmsim run ios-calibration-register-once` with ios.heuristics
// set to each parameter set); -v prints the table.
func TestIOSCalibrationScenarios(t *testing.T) {
	for _, name := range []string{"ios-calibration-register-once", "ios-calibration-register-every-open"} {
		for _, h := range []scenarios.Heuristics{scenarios.HeuristicsOptimistic, scenarios.HeuristicsTypical, scenarios.HeuristicsPessimistic} {
			sc, err := scenarios.Open(name)
			require.NoError(t, err)
			sc.IOS.Heuristics = h
			out, err := Run(sc, RunOptions{NoTrace: true})
			require.NoError(t, err)
			res := out.Runs[0].Result
			var starts []float64
			for _, r := range res.Runs {
				starts = append(starts, float64(r.TStart))
			}
			slices.Sort(starts)
			require.NotEmpty(t, starts, "%s %s", name, h)
			var gaps []float64
			short, long := 0, 0
			for i := 1; i < len(starts); i++ {
				g := starts[i] - starts[i-1]
				gaps = append(gaps, g)
				if g <= 3600 {
					short++
				}
				if g >= 3*3600 {
					long++
				}
			}
			slices.Sort(gaps)
			med := 0.0
			if len(gaps) > 0 {
				med = gaps[(len(gaps)-1)/2]
			}
			first := (starts[0] - 60) / 3600 // registered at 08:01 (+1m)
			perDay := float64(len(starts)) / 14
			t.Logf("| %s | %s | %.1f h | %.1f | %.0f min | %d %% | %d %% |", name, h, first, perDay, med/60,
				pct(short, len(gaps)), pct(long, len(gaps)))
			assert.Empty(t, res.Errors, "%s %s", name, h)
		}
	}
}

func pct(n, of int) int {
	if of == 0 {
		return 0
	}
	return n * 100 / of
}
