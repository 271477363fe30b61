package runner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/report"
)

// greedyScenario opens the app at 0 for 5 minutes; the foreground app
// registers a 20-minute one-off at 1m (GreedyScheduler runs it in-process);
// step happens at 10m, while the run is still going.
func greedyScenario(step string) string {
	return fmt.Sprintf(`version: 1
name: greedy
duration: 3h
platform: android
device: { screen: on, charger: ac }
app:
  tasks:
    long: { duration: 20m, result: success }
timeline:
  - at: 0s
    app: { launch: { for: 5m } }
  - at: 0s
    call: initialize
  - at: 1m
    call: registerOneOffTask
    args: { uniqueName: long, taskName: long }
  - at: 10m
    %s
`, step)
}

func androidRuns(t *testing.T, out *Outcome) []report.Run {
	t.Helper()
	require.Len(t, out.Runs, 1)
	return out.Runs[0].Result.Runs
}

func inProcess(r report.Run) bool { return strings.HasPrefix(r.WhyThen, "GreedyScheduler") }

// TestGreedyRunDiesWithTheProcess: whatever ends the app's process ends the
// run GreedyScheduler started in it, with the stop reason Android records,
// and leaves the work to JobScheduler.
func TestGreedyRunDiesWithTheProcess(t *testing.T) {
	for _, tc := range []struct {
		step, stop string
		rerun      bool // JobScheduler runs the work again before the end
	}{
		{"app: process_death", "UNKNOWN", true},
		{"app: swipe_away", "UNKNOWN", true},
		{"reboot: { downtime: 2m }", "REBOOT", true},
		{"app: force_stop", "USER", false},
	} {
		t.Run(tc.step, func(t *testing.T) {
			runs := androidRuns(t, runYAML(t, greedyScenario(tc.step)))
			require.NotEmpty(t, runs)
			first := runs[0]
			assert.True(t, inProcess(first), "the foreground app's work runs in-process: %q", first.WhyThen)
			assert.Equal(t, 60.0, float64(first.TStart))
			assert.Equal(t, "stopped", first.Outcome)
			assert.Equal(t, tc.stop, first.StopReason)
			assert.Equal(t, 600.0, float64(first.TEnd), "stopped when the process ended")
			if !tc.rerun {
				assert.Len(t, runs, 1, "a force-stopped app runs nothing until it is opened")
				return
			}
			require.Len(t, runs, 2)
			assert.False(t, inProcess(runs[1]), "the process is gone: JobScheduler runs it: %q", runs[1].WhyThen)
			assert.Equal(t, 2, runs[1].Attempt)
			assert.Equal(t, "success", runs[1].Outcome)
		})
	}
}

// TestGreedyForgetsWithTheProcess: delayed work GreedyScheduler tracks in
// the foreground runs in-process; once process_lifetime in the background
// has reclaimed the process, JobScheduler runs it instead.
func TestGreedyForgetsWithTheProcess(t *testing.T) {
	src := func(launchFor string) string {
		return fmt.Sprintf(`version: 1
name: greedy-lifetime
duration: 2h
platform: android
device: { screen: on, charger: ac }
app:
  process_lifetime: 10m
  tasks:
    later: { duration: 10s, result: success }
timeline:
  - at: 0s
    app: { launch: { for: %s } }
  - at: 0s
    call: initialize
  - at: 1m
    call: registerOneOffTask
    args: { uniqueName: later, taskName: later, initialDelay: 20m }
`, launchFor)
	}
	fg := androidRuns(t, runYAML(t, src("1h")))
	require.Len(t, fg, 1)
	assert.True(t, inProcess(fg[0]), fg[0].WhyThen)
	assert.Equal(t, 1260.0, float64(fg[0].TStart), "DelayedWorkTracker starts it when its delay is over")

	bg := androidRuns(t, runYAML(t, src("5m")))
	require.Len(t, bg, 1)
	assert.False(t, inProcess(bg[0]), "reclaimed at 15m, before the work was due: %q", bg[0].WhyThen)
	assert.GreaterOrEqual(t, float64(bg[0].TStart), 1260.0)
}
