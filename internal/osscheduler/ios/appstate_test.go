package ios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Apple, "Extending your app's background execution time": an app that
// leaves the foreground is suspended shortly after (five seconds for
// applicationDidEnterBackground); a beginBackgroundTask assertion extends
// that to about 30 s (DTS, forums thread 85066).
func TestSuspension(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	require.NoError(t, e.eng.RunFor(time.Minute))
	e.dev.BackgroundApp()
	require.NoError(t, e.eng.RunFor(SuspendGrace-time.Second))
	assert.Equal(t, device.ProcessBackground, e.dev.State().App)
	require.NoError(t, e.eng.RunFor(2*time.Second))
	assert.Equal(t, device.ProcessSuspended, e.dev.State().App, "suspended after the grace")

	e = newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	e.m.BeginBackgroundTask("work")
	require.NoError(t, e.eng.RunFor(time.Minute))
	e.dev.BackgroundApp()
	require.NoError(t, e.eng.RunFor(BackgroundTaskTime-time.Second))
	assert.Equal(t, device.ProcessBackground, e.dev.State().App, "the assertion holds it")
	require.NoError(t, e.eng.RunFor(2*time.Second))
	assert.Equal(t, device.ProcessSuspended, e.dev.State().App, "suspended when background time ends")
	assert.Len(t, e.records(SourceApp, "background_task.expired"), 1)

	// Ending the assertion early suspends at the grace.
	e = newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	e.m.BeginBackgroundTask("work")
	e.dev.BackgroundApp()
	require.NoError(t, e.eng.RunFor(10*time.Second))
	e.m.EndBackgroundTask("work")
	require.NoError(t, e.eng.RunFor(time.Second))
	assert.Equal(t, device.ProcessSuspended, e.dev.State().App)
}

// A system launch resumes a suspended app; after setTaskCompleted it is
// suspended again.
func TestBackgroundLaunchResumesSuspendedApp(t *testing.T) {
	e := newEnv(t, 3, testConfig(), nil)
	e.periodicApp()
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	e.dev.BackgroundApp()
	e.dev.SetScreen(false)
	e.drive(user{opens: typicalOpens, to: 3}, 3)
	require.NoError(t, e.eng.RunFor(3*day))
	runs := e.exec.startedOf(osscheduler.Periodic)
	require.NotEmpty(t, runs, "refresh runs although the app is suspended between them")
	assert.GreaterOrEqual(t, len(e.records("device", "app.suspended")), len(runs), "suspended again after each completed run")
	require.NoError(t, e.eng.RunFor(time.Minute))
	assert.NotEqual(t, device.ProcessBackground, e.dev.State().App, "never left running in the background")
}

// _simulateLaunchForTaskWithIdentifier: needs a pending request, cancels it
// and runs the handler at once, bypassing the gates; _simulateExpiration…
// expires only a simulated launch ("Starting and Terminating Tasks During
// Development"; BackgroundTasks.framework [R]).
func TestSimulateLaunchAndExpiration(t *testing.T) {
	e := newEnv(t, 1, testConfig(), func(s *device.State) { s.LowPower = true })
	e.exec.never = true
	e.dev.LaunchApp()
	assert.Equal(t, "not_scheduled", code(e.m.SimulateLaunch("refresh")))
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	require.NoError(t, e.m.SimulateLaunch("refresh"), "Low Power Mode does not stop the debugger")
	require.Len(t, e.exec.started, 1)
	assert.Empty(t, e.m.Pending(), "the pending request was consumed")
	assert.Equal(t, "already_running", code(e.m.SimulateLaunch("refresh")))
	require.NoError(t, e.eng.RunFor(time.Hour))
	assert.Empty(t, e.exec.stopped, "no budget: it runs until completed or expired by hand")
	require.NoError(t, e.m.SimulateExpiration("refresh"))
	assert.Equal(t, osscheduler.StopTimeout, e.exec.stopped[e.exec.started[0].ID])
	assert.Equal(t, "not_running", code(e.m.SimulateExpiration("refresh")))
	// No launch handler: the exception crashes the app.
	cfg := testConfig()
	e = newEnv(t, 1, cfg, nil)
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	e.m.clearRegistered() // as if no launch handler were registered
	assert.Equal(t, "crash", code(e.m.SimulateLaunch("refresh")))
}

// "Low Power Mode automatically turns off when your iPhone charges to 80%"
// (support.apple.com/en-us/101604).
func TestLowPowerModeOffAt80OnCharger(t *testing.T) {
	e := newEnv(t, 1, testConfig(), func(s *device.State) {
		s.LowPower = true
		s.Battery = device.Battery{ChargeUAh: 2000 * 1000, CapacityMAh: 4000, Health: 100}
	})
	require.NoError(t, e.eng.RunFor(time.Hour))
	assert.True(t, e.dev.State().LowPower, "unplugged: stays on")
	e.dev.SetCharger(device.ChargerAC)
	for e.dev.State().LowPower {
		require.Less(t, e.eng.Elapsed(), 10*time.Hour, "Low Power Mode never turned off")
		require.NoError(t, e.eng.RunFor(time.Minute))
	}
	lvl := e.dev.State().Battery.Level()
	assert.GreaterOrEqual(t, lvl, LowPowerAutoOffPercent)
	assert.LessOrEqual(t, lvl, LowPowerAutoOffPercent+1, "turned off as the battery reached 80 %")
	assert.Len(t, e.records(SourceDASD, "low_power.auto_off"), 1)
}

// The failure-feedback heuristic (an assumption from the plugin's docs): a
// refresh task that always ends with setTaskCompleted(success: false) runs
// less often than one that succeeds, on the same device and seed.
func TestFailureFeedbackRunsFailingTaskLessOften(t *testing.T) {
	count := func(res osscheduler.Result, par string) (int, int) {
		cfg := testConfig()
		cfg.Heuristics = par
		e := newEnv(t, 11, cfg, nil)
		e.exec.result, e.exec.dur = res, 2*time.Second // within every set's refresh budget
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 14, charge: true, inForeground: submit}, 14)
		require.NoError(t, e.eng.RunFor(14*day))
		return len(e.exec.startedOf(osscheduler.Periodic)), len(e.records(SourceDASD, "failure_feedback"))
	}
	for _, par := range []string{HeuristicsOptimistic, HeuristicsTypical, HeuristicsPessimistic} {
		ok, okFeedback := count(osscheduler.Success, par)
		bad, badFeedback := count(osscheduler.Retry, par)
		assert.Less(t, bad, ok, "%s: failing task runs less often (%d vs %d)", par, bad, ok)
		assert.Zero(t, okFeedback, par)
		assert.Equal(t, bad, badFeedback, "%s: every failed run is traced", par)
	}
	// The deferral doubles per consecutive failure up to the cap.
	e := newEnv(t, 1, testConfig(), nil)
	for i := 0; i < 6; i++ {
		e.m.recordResult("refresh", false)
	}
	f := e.m.failures["refresh"]
	assert.Equal(t, 6, f.n)
	assert.Equal(t, e.m.par.MaxFailureDeferral, f.until.Sub(e.eng.Now()), "1h·2^5 capped at 12h (typical)")
	g, ok := e.m.failureFeedback("refresh")
	assert.False(t, ok)
	assert.Contains(t, g.reason, "Apple does not document it")
	e.m.recordResult("refresh", true)
	_, ok = e.m.failureFeedback("refresh")
	assert.True(t, ok, "a success clears it")
}

// iOS 27's SDK marks submit(_:) as ending at 27.0; the plugin still calls it.
func TestIOS27SubmitDeprecated(t *testing.T) {
	cfg := testConfig()
	cfg.Version = 27
	require.NoError(t, cfg.Validate())
	e := newEnv(t, 1, cfg, nil)
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	assert.Len(t, e.records(SourceScheduler, "warning"), 1)
	assert.True(t, e.m.Profile().ContinuedProcessing)
}
