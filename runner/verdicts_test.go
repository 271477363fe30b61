package runner

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/scenarios"
)

// Verdicts gives Result's expectations, verdict and text, on every library
// scenario and platform: as written (they hold), and as a fleet device runs
// them (no trace, a usage profile, a longer life: many fail, so the failure
// texts, which read the tasks table, are compared too).
func TestVerdictsAreResultsExpectations(t *testing.T) {
	failed := 0
	for _, e := range scenarios.Library() {
		sc, err := scenarios.LoadLibrary(e.Name)
		require.NoError(t, err)
		for _, p := range e.Platforms {
			for _, opts := range []RunOptions{{}, {NoTrace: true, Profile: "heavy-user", Duration: 3 * 24 * time.Hour}} {
				w, err := NewWorld(sc, p, opts)
				require.NoError(t, err)
				_ = w.Engine.RunUntil(w.Scenario.Start.Add(w.Scenario.Duration)) // a limit ends it early: the same for both
				got := w.Verdicts()
				want := w.Result().Expectations
				if len(want) == 0 {
					assert.Empty(t, got, "%s on %s", e.Name, p)
					continue
				}
				assert.Equal(t, want, got, "%s on %s (%+v)", e.Name, p, opts)
				for _, v := range got {
					if !v.OK {
						failed++
					}
				}
			}
		}
	}
	assert.Greater(t, failed, 10, "the failure texts are compared too")
}
