package ios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// fetchConfig is an app with the fetch mode and no BGTaskScheduler ids, so
// legacy fetch is not disabled (BGTaskScheduler overview).
func fetchConfig() Config {
	cfg := DefaultConfig()
	cfg.BackgroundModes = []string{ModeFetch}
	return cfg
}

func TestFetchDefaultIntervalIsNever(t *testing.T) {
	e := newEnv(t, 1, fetchConfig(), nil)
	e.drive(user{opens: typicalOpens, to: 5, charge: true}, 5)
	require.NoError(t, e.eng.RunFor(5*day))
	assert.Empty(t, e.exec.started, "backgroundFetchIntervalNever is the default")
}

func TestFetchRunsForAUsedApp(t *testing.T) {
	e := newEnv(t, 2, fetchConfig(), nil)
	e.m.SetMinimumBackgroundFetchInterval(time.Hour)
	e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 7, charge: true}, 7)
	require.NoError(t, e.eng.RunFor(7*day))
	runs := e.exec.startedOf(osscheduler.Fetch)
	require.NotEmpty(t, runs)
	for i, x := range runs {
		assert.Equal(t, FetchTaskName, x.TaskName)
		assert.Equal(t, FetchActivityID, x.WorkID)
		assert.Equal(t, FetchBudget, x.Budget)
		if i > 0 {
			// the interval is a floor between fetches (measured from the last one's end)
			assert.GreaterOrEqual(t, x.Started.Sub(runs[i-1].Started), time.Hour)
		}
	}
}

func TestFetchNeedsRecentUse(t *testing.T) {
	e := newEnv(t, 2, fetchConfig(), func(s *device.State) { s.Charger = device.ChargerAC })
	e.m.SetMinimumBackgroundFetchInterval(FetchMinimum)
	e.open()
	require.NoError(t, e.eng.RunFor(16*day))
	late := 0
	for _, x := range e.exec.startedOf(osscheduler.Fetch) {
		if x.Started.Sub(t0) > FetchTopAppsWindow+time.Hour {
			late++
		}
	}
	assert.Zero(t, late, "outside the top-50 / 14-day set nothing is fetched")
	assert.NotEmpty(t, gateDeferrals(e, "top_apps"))
}

func TestFetchFailureLowersWeight(t *testing.T) {
	e := newEnv(t, 2, fetchConfig(), nil)
	e.exec.result = osscheduler.Failure
	e.m.SetMinimumBackgroundFetchInterval(FetchMinimum)
	e.drive(user{opens: typicalOpens, to: 4, charge: true}, 4)
	require.NoError(t, e.eng.RunFor(4*day))
	require.NotEmpty(t, e.exec.startedOf(osscheduler.Fetch))
	assert.Less(t, e.m.fetchWeight, 1.0)
	assert.GreaterOrEqual(t, e.m.fetchWeight, ParamSets[HeuristicsTypical].FetchWeightFloor)
}

func TestInProcessWork(t *testing.T) {
	t.Run("no live process: lost", func(t *testing.T) {
		e := newEnv(t, 1, testConfig(), nil)
		e.m.RunInProcess("once", "sync", nil)
		require.NoError(t, e.eng.RunFor(time.Minute))
		assert.Empty(t, e.exec.started)
		assert.Equal(t, osscheduler.StateCancelled, e.m.Tasks()[0].State)
	})
	t.Run("foreground: no budget until backgrounded", func(t *testing.T) {
		e := newEnv(t, 1, testConfig(), nil)
		e.exec.dur = 2 * time.Minute
		e.dev.LaunchApp()
		e.m.RunInProcess("once", "sync", osscheduler.Data{"a": int64(1)})
		require.NoError(t, e.eng.RunFor(5*time.Minute))
		require.Len(t, e.j.Runs(), 1)
		r := e.j.Runs()[0]
		assert.Equal(t, osscheduler.OutcomeSuccess, r.Outcome)
		assert.Equal(t, osscheduler.OneOff, r.Kind)
		assert.Equal(t, "sync", e.exec.started[0].TaskName)
		assert.Equal(t, int64(1), e.exec.started[0].Input["a"])
	})
	t.Run("background: expires at ~30 s", func(t *testing.T) {
		e := newEnv(t, 1, testConfig(), nil)
		e.exec.dur = 40 * time.Second
		e.dev.LaunchApp()
		e.dev.BackgroundApp()
		e.m.RunInProcess("once", "sync", nil)
		require.NoError(t, e.eng.RunFor(time.Minute))
		require.Len(t, e.j.Runs(), 1)
		assert.Equal(t, osscheduler.OutcomeExpired, e.j.Runs()[0].Outcome)
		assert.Equal(t, InProcessBudget, e.j.Runs()[0].End-e.j.Runs()[0].Start)
	})
	t.Run("dies with the process", func(t *testing.T) {
		e := newEnv(t, 1, testConfig(), nil)
		e.exec.dur = time.Hour
		e.dev.LaunchApp()
		e.m.RunInProcess("once", "sync", nil)
		require.NoError(t, e.eng.RunFor(time.Minute))
		e.dev.SwipeAwayApp()
		require.Len(t, e.j.Runs(), 1)
		assert.Equal(t, osscheduler.OutcomeStopped, e.j.Runs()[0].Outcome)
		assert.Equal(t, osscheduler.StopProcessDied, e.j.Runs()[0].StopReason)
	})
}

func TestTasksTable(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	require.NoError(t, e.m.Submit(procReq("proc")))
	e.m.Cancel("proc")
	tasks := e.m.Tasks()
	require.Len(t, tasks, 2)
	assert.Equal(t, osscheduler.TaskInfo{Unique: "refresh", Task: "task-refresh", Kind: osscheduler.Periodic, State: osscheduler.StateEnqueued}, tasks[0])
	assert.Equal(t, osscheduler.StateCancelled, tasks[1].State)
}

func TestNoEvaluationsWithoutWork(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.dev.SetCharger(device.ChargerAC)
	require.NoError(t, e.eng.RunUntilIdle(), "an app with nothing pending leaves the queue empty")
}
