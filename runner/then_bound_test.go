package runner

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/scenarios"
)

// A task whose then registers two new tasks each run, with the app in the
// foreground (GreedyScheduler runs every eligible work in-process, so no
// quota slows it): the work doubles without end. The run stops at the
// max_unfinished_work safety limit (WorkManager's database has no limit of
// its own) with a warning naming the task.
const exponentialThen = `version: 1
name: exponential-then
duration: 1d
platform: android
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
	require.Len(t, out.Runs, 1)
	pr := out.Runs[0]
	assert.Contains(t, pr.Result.Limit, "safety limit max_unfinished_work (5000 unfinished WorkSpecs")
	var warned bool
	for _, r := range pr.Trace {
		if r.Kind == event.Warning && strings.Contains(r.Reason, "the app enqueues work faster than it runs") &&
			strings.Contains(r.Reason, `task "sync"`) {
			warned = true
		}
	}
	assert.True(t, warned, "a warning names the task")
	assert.Equal(t, 5000, android.MaxUnfinishedWork)
}
