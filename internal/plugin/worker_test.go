package plugin

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/sim"
)

// BackgroundWorker.kt: true → success, false → retry, error → failure; a Go
// panic is a failure too. The engine start costs 300–1500 ms.
func TestAndroidResultMapping(t *testing.T) {
	cases := []struct {
		name string
		h    Handler
		want osscheduler.Result
	}{
		{"true", func(*TaskContext) (bool, error) { return true, nil }, osscheduler.Success},
		{"false", func(*TaskContext) (bool, error) { return false, nil }, osscheduler.Retry},
		{"error", func(*TaskContext) (bool, error) { return false, errors.New("boom") }, osscheduler.Failure},
		{"error wins over true", func(*TaskContext) (bool, error) { return true, errors.New("boom") }, osscheduler.Failure},
		{"panic", func(*TaskContext) (bool, error) { panic("kaboom") }, osscheduler.Failure},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := androidInit(t, V0_10)
			h.p.ExecuteTask(c.h)
			require.NoError(t, h.p.RegisterOneOffTask("u", "myTask", OneOffOptions{}))
			rr := h.androidRun(1, 1)
			assert.False(t, rr.finished, "Start never finishes inside the call")
			require.NoError(t, h.eng.RunFor(time.Minute))
			require.True(t, rr.finished)
			assert.Equal(t, c.want, rr.res)
			took := rr.at.Sub(t0)
			assert.GreaterOrEqual(t, took, 300*time.Millisecond)
			assert.LessOrEqual(t, took, 1500*time.Millisecond)
			assert.Equal(t, "myTask", rr.x.Received)
		})
	}
}

// A panic's message reaches the trace.
func TestPanicMessageInTrace(t *testing.T) {
	h := androidInit(t, V0_10)
	h.p.ExecuteTask(func(*TaskContext) (bool, error) { panic("kaboom") })
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	fin := h.records("task.finished")
	require.Len(t, fin, 1)
	f, _ := fin[0].Field("error")
	assert.Contains(t, f.Str, "kaboom")
}

// Integration test: inputData {'s', 42, true, ['1','2','3'], 3.14} arrives
// typed; the callback receives the taskName.
func TestAndroidInputDelivered(t *testing.T) {
	h := androidInit(t, V0_10)
	var got *TaskContext
	h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx; return true, nil })
	in := osscheduler.Data{"string": "s", "int": 42, "bool": true, "list": []string{"1", "2", "3"}, "double": 3.14}
	require.NoError(t, h.p.RegisterOneOffTask("uniq", "dev.fluttercommunity.integrationTest", OneOffOptions{InputData: in}))
	h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.NotNil(t, got)
	assert.Equal(t, "dev.fluttercommunity.integrationTest", got.Received)
	assert.Equal(t, osscheduler.Data{"string": "s", "int": int64(42), "bool": true, "list": []string{"1", "2", "3"}, "double": 3.14}, got.Input)
	assert.Equal(t, osscheduler.Android, got.Platform)
	assert.Equal(t, 1, got.Attempt)
	assert.Equal(t, h.dev.State(), got.Device())
}

// With no executeTask handler the handshake never completes: before
// workmanager_android 0.10.8 the run hangs until the OS stops it (#732/#738);
// from 0.10.8 (workmanager 0.10.9) a 30-second engine-init watchdog fails it.
func TestNoDispatcherHangs(t *testing.T) {
	h := androidInit(t, "0.10.7")
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	rr := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	assert.False(t, rr.finished)
	require.Len(t, h.records("task.hung"), 1)
	h.p.Stop(rr.x, osscheduler.StopTimeout)
	st := h.records("task.stopped")
	require.Len(t, st, 1)
	assert.Contains(t, st[0].Reason, "never called executeTask")
}

func TestNoDispatcherEngineWatchdog(t *testing.T) {
	for _, v := range []Version{"0.10.9", "0.10.10", V0_10} {
		h := androidInit(t, v)
		require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
		start := h.eng.Now()
		rr := h.androidRun(1, 1)
		require.NoError(t, h.eng.RunFor(29*time.Second))
		assert.False(t, rr.finished, "%s: still starting before 30 s", v)
		require.NoError(t, h.eng.RunFor(2*time.Second))
		require.True(t, rr.finished, "%s", v)
		assert.Equal(t, osscheduler.Failure, rr.res)
		assert.Equal(t, 30*time.Second, rr.at.Sub(start), "%s: the watchdog fires 30 s after the worker started", v)
	}
}

// A stale or missing callback handle fails the run (#650, #374).
func TestUnresolvableHandleFails(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Config)
		act  func(*Plugin)
	}{
		{"renamed dispatcher", nil, func(p *Plugin) { p.AppUpdated(true) }},
		{"no entry-point pragma", func(c *Config) { c.DispatcherNotEntryPoint = true }, func(*Plugin) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mods := []func(*Config){}
			if c.mod != nil {
				mods = append(mods, c.mod)
			}
			h := androidInit(t, V0_10, mods...)
			h.p.ExecuteTask(func(*TaskContext) (bool, error) { t.Fatal("must not run"); return true, nil })
			require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{}))
			c.act(h.p)
			rr := h.androidRun(1, 1)
			require.NoError(t, h.eng.RunFor(time.Minute))
			assert.Equal(t, osscheduler.Failure, rr.res)
			fin := h.records("task.finished")
			require.Len(t, fin, 1)
			assert.Contains(t, fin[0].Reason, "Failed to resolve Dart callback for handle 12345")
			assert.Empty(t, rr.x.Received)
		})
	}
}

// StopReasonUtilsTest.kt: raw 3 and 4 → CANCELLED; 0, 1, 2, 5, 99 → FAILED.
func TestStopTaskStatus(t *testing.T) {
	for raw, want := range map[int]string{3: "cancelled", 4: "cancelled", 0: "failed", 1: "failed", 2: "failed", 5: "failed", 99: "failed"} {
		assert.Equal(t, want, stopTaskStatus(raw), "raw %d", raw)
	}
}

// stop_reason_test.dart: raw 0–9 map to their values; -1 and 42 → unknown.
func TestDartStopReason(t *testing.T) {
	want := []osscheduler.StopReason{osscheduler.StopUnknown, osscheduler.StopTimeout, osscheduler.StopPreempt, osscheduler.StopCancelledByApp,
		StopSystemIgnoredCancelledByApp, osscheduler.StopBackgroundRestriction, StopEstimatedAppGPULimit, osscheduler.StopDeviceState,
		osscheduler.StopAppStandby, osscheduler.StopConstraintDeviceIdle}
	for raw, w := range want {
		assert.Equal(t, w, DartStopReason(raw), "raw %d", raw)
	}
	assert.Equal(t, osscheduler.StopUnknown, DartStopReason(-1))
	assert.Equal(t, osscheduler.StopUnknown, DartStopReason(42))
}

// onTaskStopped: BackgroundWorker forwards WorkManager's raw reason (0 below
// API 31), Dart maps it with fromRawValue; 0.5 has no onTaskStopped; #732
// loses it; a stop while the engine starts is not forwarded.
func TestOnTaskStopped(t *testing.T) {
	type call struct {
		task   string
		reason osscheduler.StopReason
	}
	cases := []struct {
		name    string
		v       Version
		api     int
		bug     bool
		reason  osscheduler.StopReason
		early   bool
		want    []call
		wantRaw int64
	}{
		{"timeout on 34 reads as cancelledByApp", V0_10, 34, false, osscheduler.StopTimeout, false, []call{{"t", osscheduler.StopCancelledByApp}}, 3},
		{"cancel on 34 reads as timeout", V0_10, 34, false, osscheduler.StopCancelledByApp, false, []call{{"t", osscheduler.StopTimeout}}, 1},
		{"below API 31: unknown", V0_10, 30, false, osscheduler.StopTimeout, false, []call{{"t", osscheduler.StopUnknown}}, 0},
		{"bug 732", V0_10, 34, true, osscheduler.StopTimeout, false, nil, 3},
		{"0.5", V0_5, 34, false, osscheduler.StopTimeout, false, nil, 3},
		{"during engine start", V0_10, 34, false, osscheduler.StopTimeout, true, nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := androidInit(t, c.v, func(cfg *Config) {
				cfg.Android = android.DefaultConfig()
				cfg.Android.API = c.api
				cfg.OnStoppedBug732 = c.bug
			})
			var got []call
			h.p.OnTaskStopped(func(task string, r osscheduler.StopReason) { got = append(got, call{task, r}) })
			var ctx *TaskContext
			h.p.ExecuteTaskAsync(AsyncHandlerFunc(func(c *TaskContext, done func(bool, error)) { ctx = c }))
			require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
			rr := h.androidRun(1, 1)
			if !c.early {
				require.NoError(t, h.eng.RunFor(time.Minute))
				require.NotNil(t, ctx)
			}
			rr.x.Abandon()
			h.p.Stop(rr.x, c.reason)
			require.NoError(t, h.eng.RunFor(time.Minute))
			assert.Equal(t, c.want, got)
			if ctx != nil {
				assert.True(t, ctx.Stopped())
				assert.Equal(t, c.reason, ctx.StopReason())
			}
			st := h.records("task.stopped")
			require.Len(t, st, 1)
			raw, _ := st[0].Field("raw")
			if c.api >= 31 {
				assert.Equal(t, c.wantRaw, raw.Int)
			} else {
				assert.Equal(t, int64(0), raw.Int)
			}
			assert.False(t, rr.finished)
		})
	}
}

// A result after the OS stopped the run is ignored.
func TestLateResultIgnored(t *testing.T) {
	h := androidInit(t, V0_10)
	var done func(bool, error)
	h.p.ExecuteTaskAsync(AsyncHandlerFunc(func(c *TaskContext, d func(bool, error)) { done = d }))
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	rr := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	rr.x.Abandon()
	h.p.Stop(rr.x, osscheduler.StopTimeout)
	done(true, nil)
	assert.False(t, rr.finished)
	assert.Len(t, h.records("task.result_ignored"), 1)
}

// ForegroundServicePermissionTest.kt: on SDK 34 dataSync without the
// permission throws when the worker starts; shortService succeeds; below 34
// the type is not checked.
func TestForegroundServiceCheck(t *testing.T) {
	cases := []struct {
		name     string
		api      int
		typ      int
		flag     bool
		want     osscheduler.Result
		received bool
	}{
		{"34 dataSync no flag", 34, FGSDataSync, false, osscheduler.Failure, false},
		{"34 dataSync flag", 34, FGSDataSync, true, osscheduler.Success, true},
		{"34 shortService", 34, FGSShortService, false, osscheduler.Success, true},
		{"33 dataSync", 33, FGSDataSync, false, osscheduler.Success, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := androidInit(t, V0_10, func(cfg *Config) {
				cfg.Android = android.DefaultConfig()
				cfg.Android.API = c.api
				cfg.EnableDataSyncForegroundService = c.flag
			})
			h.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
			require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{ForegroundServiceConfig: &ForegroundServiceConfig{ForegroundServiceType: c.typ}}))
			rr := h.androidRun(1, 1)
			require.NoError(t, h.eng.RunFor(time.Minute))
			assert.Equal(t, c.want, rr.res)
			assert.Equal(t, c.received, rr.x.Received != "")
		})
	}
}

// workmanager_android_test.dart / ForegroundServiceConfigTest.kt: a config
// with only a title gets the defaults and type dataSync; shortService on a
// periodic task gets "Task in progress"; no config → no key.
func TestForegroundServiceConfigEncoding(t *testing.T) {
	h := androidInit(t, V0_10)
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{ForegroundServiceConfig: &ForegroundServiceConfig{NotificationTitle: "Syncing"}}))
	js := h.wm.last().req.Input["dev.fluttercommunity.workmanager.FOREGROUND_SERVICE_CONFIG"]
	assert.Equal(t, `{"notificationTitle":"Syncing","notificationText":"Your task is still running","notificationChannelId":"workmanager_foreground_tasks","notificationChannelName":"Long-running tasks","notificationId":0,"foregroundServiceType":"DATA_SYNC"}`, js)
	v, err := decodeJSON(js.(string))
	require.NoError(t, err)
	assert.Equal(t, "Syncing", v.(map[string]any)["notificationTitle"], "round-trips")

	require.NoError(t, h.p.RegisterPeriodicTask("p", "t", PeriodicOptions{ForegroundServiceConfig: &ForegroundServiceConfig{ForegroundServiceType: FGSShortService}}))
	js = h.wm.last().req.Input["dev.fluttercommunity.workmanager.FOREGROUND_SERVICE_CONFIG"]
	assert.Contains(t, js, `"notificationTitle":"Task in progress"`)
	assert.Equal(t, "SHORT_SERVICE", decodeFGSType(js.(string)))

	require.NoError(t, h.p.RegisterPeriodicTask("q", "t", PeriodicOptions{}))
	assert.NotContains(t, h.wm.last().req.Input, "dev.fluttercommunity.workmanager.FOREGROUND_SERVICE_CONFIG")
}

// Debug handlers become trace events: STARTED, or RETRYING when
// runAttemptCount > 0, then COMPLETED / RESCHEDULED / FAILED.
func TestDebugHandlers(t *testing.T) {
	h := androidInit(t, V0_10, func(c *Config) { c.Debug = DebugNotification })
	h.p.ExecuteTask(func(*TaskContext) (bool, error) { return false, nil })
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	h.androidRun(1, 2)
	require.NoError(t, h.eng.RunFor(time.Minute))
	var titles []string
	for _, r := range h.rec.Filter(func(r *sim.Record) bool { return r.Source == event.SourcePluginDebug }) {
		f, _ := r.Field("title")
		titles = append(titles, f.Str)
	}
	assert.Equal(t, []string{"📅 Scheduled", "🔄 Retrying", "🔄 Rescheduled"}, titles)

	hl := androidInit(t, V0_10, func(c *Config) { c.Debug = DebugLogging })
	hl.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
	require.NoError(t, hl.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	hl.androidRun(1, 1)
	require.NoError(t, hl.eng.RunFor(time.Minute))
	var lines []string
	for _, r := range hl.rec.Filter(func(r *sim.Record) bool { return r.Source == event.SourcePluginDebug }) {
		lines = append(lines, r.Reason)
	}
	require.Len(t, lines, 3)
	assert.Equal(t, "Task scheduled: t", lines[0])
	assert.Equal(t, "Task started: t, callbackHandle: 12345", lines[1])
	assert.Contains(t, lines[2], "Task completed: t, success: true, duration: ")

	hn := androidInit(t, V0_10)
	hn.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
	require.NoError(t, hn.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	hn.androidRun(1, 1)
	require.NoError(t, hn.eng.RunFor(time.Minute))
	assert.Empty(t, hn.rec.Filter(func(r *sim.Record) bool { return r.Source == event.SourcePluginDebug }), "the default handler does nothing")
}

// 0.5: isInDebugMode at registration decides the task's notifications.
func TestDebug05(t *testing.T) {
	for _, debug := range []bool{true, false} {
		h := newHarness(osscheduler.Android, V0_5)
		require.NoError(t, h.p.Initialize(1, debug))
		h.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
		require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
		assert.Equal(t, debug, h.wm.last().req.Input["be.tramckrijte.workmanager.IS_IN_DEBUG_MODE_KEY"])
		h.androidRun(1, 1)
		require.NoError(t, h.eng.RunFor(time.Minute))
		n := h.rec.Filter(func(r *sim.Record) bool { return r.Source == event.SourcePluginDebug })
		if debug {
			require.Len(t, n, 2)
			assert.Contains(t, n[1].Reason, "🎉 Success")
		} else {
			assert.Empty(t, n)
		}
	}
}

// A Go handler may sleep in virtual time on ctx.Clock.
func TestHandlerSleeps(t *testing.T) {
	h := androidInit(t, V0_10)
	h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) {
		start := ctx.Clock.Now()
		ctx.Clock.Sleep(10 * time.Second)
		return ctx.Clock.Since(start) == 10*time.Second, nil
	})
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	rr := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.True(t, rr.finished)
	assert.Equal(t, osscheduler.Success, rr.res)
	took := rr.at.Sub(t0)
	assert.GreaterOrEqual(t, took, 10*time.Second+300*time.Millisecond)
	assert.LessOrEqual(t, took, 10*time.Second+1500*time.Millisecond)
}

// The app's store is shared_preferences with the "flutter." prefix, apart
// from the plugin's own file.
func TestAppStore(t *testing.T) {
	h := androidInit(t, V0_10)
	h.p.AppStore().Set("lastSync", int64(5))
	v, ok := h.dev.Store("app.shared_preferences").Get("flutter.lastSync")
	assert.True(t, ok)
	assert.Equal(t, int64(5), v)
	assert.Equal(t, []string{"lastSync"}, h.p.AppStore().Keys())
}

// A stop caused by the process dying (a reboot) cannot reach Dart.
func TestStopAfterProcessDeath(t *testing.T) {
	h := androidInit(t, V0_10)
	h.dev.LaunchApp()
	called := false
	h.p.OnTaskStopped(func(string, osscheduler.StopReason) { called = true })
	h.p.ExecuteTaskAsync(AsyncHandlerFunc(func(*TaskContext, func(bool, error)) {}))
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	rr := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	h.dev.Reboot(time.Minute)
	rr.x.Abandon()
	h.p.Stop(rr.x, osscheduler.StopReboot)
	assert.False(t, called)
	st := h.records("task.stopped")
	require.Len(t, st, 1)
	assert.Contains(t, st[0].Reason, "process is gone")
}
