package runner

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/scenarios"
)

// A task whose then registers two new tasks each run, with the app in the
// foreground (GreedyScheduler runs every eligible work in-process, so no
// quota slows it; on iOS the 0.10 plugin runs one-off work in-process at
// once, beginBackgroundTask, outside BGTaskScheduler's pending limits): the
// work doubles without end. Each run stops at a safety limit
// (max_workspecs, max_unfinished_work) with a warning naming the task.
const exponentialThen = `version: 1
name: exponential-then
duration: 1d
platform: [android, ios]
app:
  tasks:
    sync:
      duration: 1s
      then:
        - call: registerOneOffTask
          args: { uniqueName: "a-${now_ms}", taskName: sync }
        - call: registerOneOffTask
          args: { uniqueName: "b-${now_ms}", taskName: sync }
timeline:
  - at: 0s
    call: initialize
  - at: 30s
    app: launch
  - at: 1m
    call: registerOneOffTask
    args: { uniqueName: first, taskName: sync }
`

func TestExponentialThenIsBounded(t *testing.T) {
	sc, err := scenarios.Parse("exponential-then.yaml", []byte(exponentialThen))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{KeepTrace: true})
	require.NoError(t, err)
	require.Len(t, out.Runs, 2)
	for _, pr := range out.Runs {
		want := map[string]string{
			"android": "safety limit max_workspecs (10000 WorkSpecs",
			"ios":     "safety limit max_unfinished_work (5000 in-process works (beginBackgroundTask) at once",
		}[pr.Platform]
		assert.Contains(t, pr.Result.Limit, want, pr.Platform)
		var warned bool
		for _, r := range pr.Trace {
			if r.Kind == event.Warning && strings.Contains(r.Reason, "faster than") && strings.Contains(r.Reason, `task "sync"`) {
				warned = true
			}
		}
		assert.True(t, warned, "%s: a warning names the task", pr.Platform)
	}
	assert.Equal(t, 10000, android.MaxWorkSpecs)
	assert.Equal(t, 5000, ios.MaxInProcessWork)
}
