package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
)

func iosInit(t *testing.T, v Version, mod ...func(*Config)) *harness {
	t.Helper()
	h := newHarness(osscheduler.IOS, v, mod...)
	h.dev.LaunchApp()
	require.NoError(t, h.p.Initialize(777, false))
	return h
}

func (h *harness) iosRun(kind osscheduler.Kind, id, task string, input osscheduler.Data, n uint64) *runResult {
	return h.start(&osscheduler.Execution{Platform: osscheduler.IOS, Kind: kind, WorkID: id, UniqueName: id, TaskName: task, Input: input, Attempt: 1}, n)
}

// §4 Execution: BG tasks deliver the unique name (the BGTask identifier),
// fetch delivers iOSPerformFetch, one-off the taskName (#670).
func TestIOSNameDelivered(t *testing.T) {
	cases := []struct {
		kind osscheduler.Kind
		id   string
		task string
		want string
	}{
		{osscheduler.Periodic, "dev.example.refresh", "syncTask", "dev.example.refresh"},
		{osscheduler.Processing, "dev.example.processing", "cleanup", "dev.example.processing"},
		{osscheduler.HealthResearch, "dev.example.health", "study", "dev.example.health"},
		{osscheduler.Fetch, "", "iOSPerformFetch", "iOSPerformFetch"},
		{osscheduler.OneOff, "oneoff-1", "simpleTask", "simpleTask"},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			h := iosInit(t, V0_10)
			var got string
			h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx.Received; return true, nil })
			rr := h.iosRun(c.kind, c.id, c.task, nil, 1)
			require.NoError(t, h.eng.RunFor(time.Minute))
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.want, rr.x.Received)
		})
	}
}

// registerPeriodicTask: BGAppRefreshTaskRequest(unique), earliest begin now +
// initialDelay, frequency ignored, inputData stored, the id persisted and its
// launch handler registered once.
func TestIOSRegisterPeriodic(t *testing.T) {
	h := iosInit(t, V0_10)
	in := osscheduler.Data{"userId": "u42"}
	require.NoError(t, h.p.RegisterPeriodicTask("dev.example.sync", "fetchPosts", PeriodicOptions{Frequency: Ptr(time.Hour), InitialDelay: Ptr(5 * time.Minute), InputData: in}))
	require.Len(t, h.bg.submits, 1)
	s := h.bg.submits[0]
	assert.Equal(t, ios.TaskRequest{Identifier: "dev.example.sync", Kind: osscheduler.Periodic, EarliestBegin: t0.Add(5 * time.Minute),
		UniqueName: "dev.example.sync", TaskName: "fetchPosts", Input: osscheduler.Data{"userId": "u42"}}, s)
	assert.Equal(t, []string{"dev.example.sync"}, h.bg.registers)
	assert.Equal(t, scheduledTaskInfo{Kind: "refresh", EarliestBeginSeconds: Ptr(5 * time.Minute)}, h.p.scheduledTasks()["dev.example.sync"])
	assert.Contains(t, h.records("warning")[0].Reason, "ignore frequency")
	require.NoError(t, h.p.RegisterPeriodicTask("dev.example.sync", "fetchPosts", PeriodicOptions{}))
	assert.Len(t, h.bg.registers, 1, "a launch handler is registered at most once per process")
	assert.Nil(t, h.p.storedInput("dev.example.sync"), "nil inputData clears the stored data")
}

// Processing: network only for connected/metered (unmetered → false),
// external power = requiresCharging, no inputData.
func TestIOSRegisterProcessing(t *testing.T) {
	cases := []struct {
		net     *NetworkType
		charge  *bool
		network bool
		power   bool
	}{
		{nil, nil, false, false},
		{Ptr(NetworkConnected), Ptr(true), true, true},
		{Ptr(NetworkMetered), Ptr(false), true, false},
		{Ptr(NetworkUnmetered), nil, false, false},
		{Ptr(NetworkNotRequired), nil, false, false},
	}
	for _, c := range cases {
		h := iosInit(t, V0_10)
		require.NoError(t, h.p.RegisterProcessingTask("dev.example.proc", "t", ProcessingOptions{
			InitialDelay: Ptr(2 * time.Minute), Constraints: &Constraints{NetworkType: c.net, RequiresCharging: c.charge}, InputData: osscheduler.Data{"x": 1},
		}))
		s := h.bg.submits[0]
		assert.Equal(t, osscheduler.Processing, s.Kind)
		assert.Equal(t, t0.Add(2*time.Minute), s.EarliestBegin)
		assert.Equal(t, c.network, s.RequiresNetwork)
		assert.Equal(t, c.power, s.RequiresExternalPower)
		assert.Nil(t, s.Input)
		assert.Nil(t, h.p.storedInput("dev.example.proc"))
	}
	// XCTest ScheduledTaskInfo round-trips: (processing, 120), (refresh, nil),
	// (continuedProcessing, nil).
	h := iosInit(t, V0_10, func(c *Config) { c.IOS.Version = 26 })
	require.NoError(t, h.p.RegisterProcessingTask("p", "t", ProcessingOptions{InitialDelay: Ptr(120 * time.Second)}))
	require.NoError(t, h.p.RegisterContinuedProcessingTask("c.*", "t", ContinuedProcessingOptions{}))
	h.p.cfg.IOS.LaunchHandlers = []string{"r"}
	h.p.resetLaunchHandlers()
	assert.Equal(t, map[string]scheduledTaskInfo{
		"p":   {Kind: "processing", EarliestBeginSeconds: Ptr(120 * time.Second)},
		"c.*": {Kind: "continuedProcessing"},
	}, h.p.scheduledTasks())
}

// Health research (iOS 17+) and continued processing (iOS 26+): code "99" on
// older systems.
func TestIOSVersionGates(t *testing.T) {
	h := iosInit(t, V0_10, func(c *Config) { c.IOS.Version = 16 })
	err := h.p.RegisterHealthResearchTask("h", "t", ProcessingOptions{})
	assert.Equal(t, &PlatformError{Code: "99", Message: "HealthResearchTask could not be registered", Details: "BGHealthResearchTaskRequest is only supported on iOS 17+"}, err)
	err = h.p.RegisterContinuedProcessingTask("c.*", "t", ContinuedProcessingOptions{})
	assert.Equal(t, &PlatformError{Code: "99", Message: "ContinuedProcessingTask could not be registered", Details: "BGContinuedProcessingTaskRequest is only supported on iOS 26+"}, err)
	assert.Equal(t, "os_too_old", h.j.Errors[0].Code)

	h17 := iosInit(t, V0_10)
	require.NoError(t, h17.p.RegisterHealthResearchTask("h", "study", ProcessingOptions{InputData: osscheduler.Data{"k": "v"}}))
	assert.Equal(t, osscheduler.HealthResearch, h17.bg.submits[0].Kind)
	var got osscheduler.Data
	h17.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx.Input; return true, nil })
	h17.iosRun(osscheduler.HealthResearch, "h", "study", nil, 1)
	require.NoError(t, h17.eng.RunFor(time.Minute))
	assert.Equal(t, osscheduler.Data{"k": "v"}, got, "health research tasks receive the stored inputData")

	h26 := iosInit(t, V0_10, func(c *Config) { c.IOS.Version = 26 })
	require.NoError(t, h26.p.RegisterContinuedProcessingTask("dev.example.export.*", "export", ContinuedProcessingOptions{Subtitle: ""}))
	s := h26.bg.submits[0]
	assert.Equal(t, "export", s.Title, "title ?? taskName")
	assert.Equal(t, "", s.Subtitle)
	assert.True(t, s.EarliestBegin.IsZero())
}

// Not initialised on iOS: code "1" with the example text.
func TestIOSNotInitialized(t *testing.T) {
	h := newHarness(osscheduler.IOS, V0_10)
	err := h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{})
	require.Equal(t, &PlatformError{Code: "1", Message: msgInitRequiredWithExample}, err)
	assert.True(t, strings.Contains(err.(*PlatformError).Message, "Example: \n\n`Workmanager().initialize(\n  callbackDispatcher,\n )`"))
	assert.Empty(t, h.bg.submits)
}

// Submit failures: 0.10 only logs them (SeenByApp false, Dart sees success);
// 0.5 returned bgTaskSchedulingFailed to Dart.
func TestIOSSubmitFailure(t *testing.T) {
	h := iosInit(t, V0_10)
	h.bg.submitErr = osscheduler.Errorf("not_permitted", "Unrecognized Identifier u")
	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{}))
	require.Len(t, h.j.Errors, 1)
	assert.False(t, h.j.Errors[0].SeenByApp)
	assert.Equal(t, "not_permitted", h.j.Errors[0].Code)
	assert.Empty(t, h.bg.registers, "no launch handler registration after a failed submit")
	assert.Empty(t, h.p.scheduledTasks())
	wi, _ := h.p.GetWorkInfo("u")
	require.NotNil(t, wi, "the scheduled status is recorded even though the submit failed")

	h5 := iosInit(t, V0_5)
	h5.bg.submitErr = osscheduler.Errorf("unavailable", "Background App Refresh is off")
	err := h5.p.RegisterOneOffTask("u", "t", OneOffOptions{})
	var pe *PlatformError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, `bgTaskSchedulingFailed(Error Domain=BGTaskSchedulerErrorDomain Code=1 "(null)") error`, pe.Code)
	assert.True(t, strings.HasPrefix(pe.Message, "Scheduling the task using BGTaskScheduler has failed."))
	assert.True(t, h5.j.Errors[0].SeenByApp)
	assert.Equal(t, osscheduler.Processing, h5.bg.submits[0].Kind, "0.5 one-off is a BGProcessingTaskRequest")
	assert.Equal(t, "u", h5.bg.submits[0].Identifier)
}

// Submitting a permitted identifier with no launch handler crashes the app.
func TestIOSSubmitCrash(t *testing.T) {
	h := iosInit(t, V0_10)
	h.bg.submitErr = osscheduler.Errorf("crash", "No launch handler registered for task with identifier u")
	err := h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{})
	var ce *CrashError
	require.ErrorAs(t, err, &ce)
	require.Len(t, h.j.Errors, 1)
	assert.Equal(t, osscheduler.ErrorRecord{Call: "registerPeriodicTask", Code: "crash", Message: ce.Message, SeenByApp: false}, h.j.Errors[0])
	assert.Equal(t, "not_running", string(h.dev.State().App))
}

// Dart-side refusals on Apple; 0.5's missing methods.
func TestIOSUnsupported(t *testing.T) {
	h := iosInit(t, V0_10)
	assert.Equal(t, &UnsupportedError{Message: "cancelByTag is not supported on iOS"}, h.p.CancelByTag("x"))
	_, err := h.p.IsScheduledByUniqueName("x")
	assert.Equal(t, &UnsupportedError{Message: "isScheduledByUniqueName is not supported on iOS"}, err)

	h5 := iosInit(t, V0_5)
	assert.Equal(t, &PlatformError{Code: `unhandledMethod("cancelTaskByTag") error`, Message: "Unhandled method cancelTaskByTag"}, h5.p.CancelByTag("x"))
	assert.Equal(t, &PlatformError{Code: `unhandledMethod("registerPeriodicTask") error`, Message: "Unhandled method registerPeriodicTask"},
		h5.p.RegisterPeriodicTask("u", "t", PeriodicOptions{}))
	_, err = h5.p.PrintScheduledTasks()
	assert.Equal(t, &UnsupportedError{Message: "printScheduledTasks does not exist in workmanager 0.5.2"}, err)
}

func TestIOSPrintScheduledTasks(t *testing.T) {
	h := iosInit(t, V0_10)
	s, err := h.p.PrintScheduledTasks()
	require.NoError(t, err)
	assert.Equal(t, "[BGTaskScheduler] There are no scheduled tasks", s)
	require.NoError(t, h.p.RegisterPeriodicTask("b.refresh", "t", PeriodicOptions{InitialDelay: Ptr(90 * time.Minute)}))
	require.NoError(t, h.p.RegisterProcessingTask("a.proc", "t", ProcessingOptions{}))
	s, _ = h.p.PrintScheduledTasks()
	assert.Equal(t, "[BGTaskScheduler] Scheduled Tasks:"+
		"\n[BGTaskScheduler] Task Identifier: a.proc earliestBeginDate: 1/5/2026, 8:00\u202fAM"+
		"\n[BGTaskScheduler] Task Identifier: b.refresh earliestBeginDate: 1/5/2026, 9:30\u202fAM", s)
	h16 := iosInit(t, V0_10, func(c *Config) { c.IOS.Version = 16 })
	assert.Equal(t, "1/5/2026, 1:05 PM", h16.p.formatDate(t0.Add(5*time.Hour+5*time.Minute)))
}

// cancelByUniqueName: cancel, forget the id, mark the record cancelled, keep
// inputData. cancelAll clears every id and record.
func TestIOSCancel(t *testing.T) {
	h := iosInit(t, V0_10)
	require.NoError(t, h.p.RegisterPeriodicTask("a", "ta", PeriodicOptions{InputData: osscheduler.Data{"k": 1}}))
	require.NoError(t, h.p.RegisterPeriodicTask("b", "tb", PeriodicOptions{}))
	require.NoError(t, h.p.CancelByUniqueName("a"))
	assert.Equal(t, []string{"a"}, h.bg.cancels)
	assert.NotContains(t, h.p.scheduledTasks(), "a")
	assert.Equal(t, osscheduler.Data{"k": int64(1)}, h.p.storedInput("a"))
	wi, _ := h.p.GetWorkInfo("a")
	assert.Equal(t, WorkCancelled, wi.State)
	require.NotNil(t, wi.LastFinishedAt)
	require.NoError(t, h.p.CancelAll())
	assert.Equal(t, 1, h.bg.cancelAll)
	assert.Empty(t, h.p.scheduledTasks())
	wi, _ = h.p.GetWorkInfo("b")
	assert.Equal(t, WorkCancelled, wi.State)
}

// WorkmanagerTests.swift (WorkInfoStore) and workmanager_apple_test.dart.
func TestIOSWorkInfoStore(t *testing.T) {
	h := iosInit(t, V0_10)
	// periodic scheduled → started → completed: succeeded, same taskName,
	// lastFinishedAt set.
	h.p.workInfoRecord("fetchPosts", "dev.sync", false, "scheduled", true)
	h.eng.RunFor(time.Minute)
	h.p.iosStatus("dev.sync", "dev.sync", false, "started", true, "", 0)
	wi := h.p.iosWorkInfo("dev.sync")
	assert.Equal(t, WorkRunning, wi.State)
	assert.Nil(t, wi.LastFinishedAt)
	h.p.iosStatus("dev.sync", "dev.sync", false, "completed", true, "", 0)
	wi = h.p.iosWorkInfo("dev.sync")
	assert.Equal(t, &WorkInfo{UniqueName: "dev.sync", State: WorkSucceeded, IsPeriodic: true, TaskName: "fetchPosts", Tags: []string{}, LastFinishedAt: Ptr(t0.Add(time.Minute))}, wi)
	// a one-off started with a nil uniqueName resolves via taskName.
	h.p.workInfoRecord("simpleTask", "oneoff-1", false, "scheduled", false)
	h.p.iosStatus("simpleTask", "", false, "started", false, "", 0)
	assert.Equal(t, WorkRunning, h.p.iosWorkInfo("oneoff-1").State)
	// retrying → scheduled with lastFinishedAt.
	h.p.iosStatus("simpleTask", "", false, "retrying", false, "", 0)
	wi = h.p.iosWorkInfo("oneoff-1")
	assert.Equal(t, WorkScheduled, wi.State)
	assert.NotNil(t, wi.LastFinishedAt)
	// failed, markCancelled, unknown.
	h.p.iosStatus("simpleTask", "oneoff-1", false, "failed", false, "x", 0)
	assert.Equal(t, WorkFailed, h.p.iosWorkInfo("oneoff-1").State)
	assert.False(t, h.p.iosWorkInfo("oneoff-1").IsPeriodic)
	h.p.workInfoMarkCancelled("oneoff-1")
	assert.Equal(t, WorkCancelled, h.p.iosWorkInfo("oneoff-1").State)
	assert.Nil(t, h.p.iosWorkInfo("unknown"))
	// a nil unique name with no matching record is dropped.
	h.p.iosStatus("nobody", "", false, "started", false, "", 0)
	assert.Len(t, h.p.workInfos(), 2)
	// the newest record with the taskName wins.
	h.p.workInfoRecord("simpleTask", "oneoff-2", false, "scheduled", false)
	h.p.iosStatus("simpleTask", "", false, "started", false, "", 0)
	assert.Equal(t, WorkRunning, h.p.iosWorkInfo("oneoff-2").State)
	assert.Equal(t, WorkCancelled, h.p.iosWorkInfo("oneoff-1").State)
}

// In-process flow (in_process_task_execution_test.dart; XCTest main
// messenger): after initialize nothing runs; a one-off runs on the main engine
// (no engine start) and replies true. Without initialize in this process it
// falls back to a headless engine.
func TestIOSOneOffInProcess(t *testing.T) {
	h := iosInit(t, V0_10)
	calls := 0
	var got *TaskContext
	h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { calls++; got = ctx; return true, nil })
	assert.Equal(t, 0, calls)
	require.NoError(t, h.p.RegisterOneOffTask("oneoff", "dev.fluttercommunity.test.oneOff", OneOffOptions{InputData: osscheduler.Data{"foo": "bar"}}))
	require.Len(t, h.bg.inProcess, 1)
	assert.Equal(t, ios.TaskRequest{UniqueName: "oneoff", TaskName: "dev.fluttercommunity.test.oneOff", Input: osscheduler.Data{"foo": "bar"}}, h.bg.inProcess[0])
	rr := h.iosRun(osscheduler.OneOff, "", "dev.fluttercommunity.test.oneOff", h.bg.inProcess[0].Input, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	assert.Equal(t, 1, calls)
	assert.Equal(t, "dev.fluttercommunity.test.oneOff", got.Received)
	assert.Equal(t, osscheduler.Data{"foo": "bar"}, got.Input)
	assert.Equal(t, osscheduler.Success, rr.res)
	assert.Equal(t, t0, rr.at, "the main engine needs no engine start")
	del := h.records("task.delivered")
	eng, _ := del[0].Field("engine")
	assert.Equal(t, "main", eng.Str)
	wi, _ := h.p.GetWorkInfo("oneoff")
	assert.Equal(t, WorkSucceeded, wi.State)

	// false also counts as completed on the main engine.
	h.p.ExecuteTask(func(*TaskContext) (bool, error) { return false, nil })
	h.iosRun(osscheduler.OneOff, "", "dev.fluttercommunity.test.oneOff", nil, 2)
	require.NoError(t, h.eng.RunFor(time.Minute))
	wi, _ = h.p.GetWorkInfo("oneoff")
	assert.Equal(t, WorkSucceeded, wi.State)

	// A new process that did not call initialize: headless fallback.
	h.dev.KillProcess()
	h.dev.LaunchApp()
	rr = h.iosRun(osscheduler.OneOff, "", "dev.fluttercommunity.test.oneOff", nil, 3)
	require.NoError(t, h.eng.RunFor(time.Minute))
	assert.Greater(t, rr.at.Sub(h.eng.Start()), time.Duration(0))
	del = h.records("task.delivered")
	eng, _ = del[len(del)-1].Field("engine")
	assert.Equal(t, "headless", eng.Str)
}

// A delayed one-off fires only while the process lives (DispatchQueue.asyncAfter).
func TestIOSOneOffDelay(t *testing.T) {
	h := iosInit(t, V0_10)
	require.NoError(t, h.p.RegisterOneOffTask("a", "t", OneOffOptions{InitialDelay: Ptr(10 * time.Second)}))
	assert.Empty(t, h.bg.inProcess)
	require.NoError(t, h.eng.RunFor(10*time.Second))
	assert.Len(t, h.bg.inProcess, 1)

	require.NoError(t, h.p.RegisterOneOffTask("b", "t", OneOffOptions{InitialDelay: Ptr(time.Minute)}))
	h.dev.KillProcess()
	require.NoError(t, h.eng.RunFor(2*time.Minute))
	assert.Len(t, h.bg.inProcess, 1)
	assert.Len(t, h.records("oneoff.lost"), 1)
}

// A periodic run resubmits the next request first, with the begin offset
// captured when the handler was registered; a missing handle returns without
// completing or resubmitting.
func TestIOSPeriodicRun(t *testing.T) {
	h := iosInit(t, V0_10)
	h.p.ExecuteTask(func(*TaskContext) (bool, error) { return false, nil })
	require.NoError(t, h.p.RegisterPeriodicTask("dev.sync", "fetch", PeriodicOptions{InitialDelay: Ptr(15 * time.Minute), InputData: osscheduler.Data{"a": 1}}))
	require.NoError(t, h.eng.RunFor(time.Hour))
	rr := h.iosRun(osscheduler.Periodic, "dev.sync", "fetch", nil, 1)
	require.Len(t, h.bg.submits, 2)
	assert.Equal(t, t0.Add(time.Hour+15*time.Minute), h.bg.submits[1].EarliestBegin)
	require.NoError(t, h.eng.RunFor(time.Minute))
	assert.Equal(t, osscheduler.Retry, rr.res, "false → .failed; iOS never retries")
	wi, _ := h.p.GetWorkInfo("dev.sync")
	assert.Equal(t, WorkScheduled, wi.State)
	assert.Equal(t, "fetch", wi.TaskName)

	h.p.AppUpdated(true)
	rr = h.iosRun(osscheduler.Periodic, "dev.sync", "fetch", nil, 2)
	require.NoError(t, h.eng.RunFor(time.Minute))
	assert.False(t, rr.finished)
	assert.Len(t, h.bg.submits, 2)
	assert.Len(t, h.records("task.hung"), 1)
}

// Processing tasks ignore the Dart result: setTaskCompleted(success: !cancelled).
// Fetch maps true → newData, false/error → failed.
func TestIOSResultMapping(t *testing.T) {
	cases := []struct {
		kind osscheduler.Kind
		ok   bool
		err  error
		want osscheduler.Result
	}{
		{osscheduler.Processing, false, nil, osscheduler.Success},
		{osscheduler.Processing, true, assert.AnError, osscheduler.Success},
		{osscheduler.Fetch, true, nil, osscheduler.Success},
		{osscheduler.Fetch, false, nil, osscheduler.Retry},
		{osscheduler.Fetch, false, assert.AnError, osscheduler.Failure},
		{osscheduler.Periodic, true, nil, osscheduler.Success},
		{osscheduler.Periodic, false, assert.AnError, osscheduler.Failure},
	}
	for _, c := range cases {
		h := iosInit(t, V0_10)
		h.p.ExecuteTask(func(*TaskContext) (bool, error) { return c.ok, c.err })
		rr := h.iosRun(c.kind, "id", "t", nil, 1)
		require.NoError(t, h.eng.RunFor(time.Minute))
		assert.Equal(t, c.want, rr.res, "%s %v %v", c.kind, c.ok, c.err)
	}
}

// didFinishLaunching re-registers persisted identifiers (not for UIScene apps
// that skip registerLaunchHandlers), so a later submit registers nothing new.
func TestIOSLaunchHandlersAtLaunch(t *testing.T) {
	for _, scene := range []bool{false, true} {
		h := iosInit(t, V0_10, func(c *Config) { c.SceneApp = scene })
		require.NoError(t, h.p.RegisterPeriodicTask("dev.sync", "t", PeriodicOptions{}))
		require.Len(t, h.bg.registers, 1)
		h.dev.KillProcess()
		h.dev.LaunchApp()
		require.NoError(t, h.p.RegisterPeriodicTask("dev.sync", "t", PeriodicOptions{}))
		if scene {
			assert.Len(t, h.bg.registers, 2, "UIScene app: the plugin registers after launch")
		} else {
			assert.Len(t, h.bg.registers, 1, "re-registered in didFinishLaunching")
		}
	}
	// Identifiers the AppDelegate registers are not registered again.
	h := iosInit(t, V0_10, func(c *Config) { c.IOS.LaunchHandlers = []string{"dev.sync"} })
	require.NoError(t, h.p.RegisterPeriodicTask("dev.sync", "t", PeriodicOptions{}))
	assert.Empty(t, h.bg.registers)
}
