package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
)

// A bare minor is its latest release; federated releases resolve their
// platform packages to the lower bounds of workmanager/pubspec.yaml at the tag.
func TestResolveRelease(t *testing.T) {
	for _, c := range []struct {
		in, version, android, apple string
	}{
		{"0.2", "0.2.4", "0.2.4", "0.2.4"},
		{"0.4", "0.4.1", "0.4.1", "0.4.1"},
		{"0.4.1", "0.4.1", "0.4.1", "0.4.1"},
		{"0.5", "0.5.2", "0.5.2", "0.5.2"},
		{"0.6", "0.6.0", "0.6.0", "0.6.0"},
		{"0.8", "0.8.0", "0.8.0", "0.8.0"},
		{"0.9", "0.9.3", "0.9.3", "0.9.6"},           // workmanager-v0.9.3 pubspec: ^0.9.3 / ^0.9.6
		{"0.9.0+3", "0.9.0+3", "0.9.0+2", "0.9.1+2"}, // workmanager-v0.9.0+3 pubspec
		{"0.10.7", "0.10.7", "0.10.6", "0.9.10"},
		{"0.10", "0.10.10", "0.10.8", "0.9.10"},
		{"", "0.10.10", "0.10.8", "0.9.10"},
	} {
		r, err := ResolveRelease(c.in, "", "")
		require.NoError(t, err, c.in)
		assert.Equal(t, [3]string{c.version, c.android, c.apple}, [3]string{r.Version, r.Android, r.Apple}, c.in)
	}
	r, err := ResolveRelease("0.9.0+3", "0.9.1+1", "")
	require.NoError(t, err)
	assert.Equal(t, "0.9.0+3 (android 0.9.1+1, apple 0.9.1+2)", r.String())
	assert.False(t, r.Caps.DefaultFlex, "android 0.9.1+1 dropped the hidden flex (PR #691)")
	for _, bad := range [][3]string{{"0.11", "", ""}, {"0.1", "", ""}, {"0.9.0+9", "", ""}, {"0.9.0+3", "0.10.2", ""},
		{"0.9.0+3", "0.9.0", ""}, {"0.5", "0.9.0", ""}, {"0.10", "", "0.8.0"}, {"0.10", "0.10.9", ""}} {
		_, err := ResolveRelease(bad[0], bad[1], bad[2])
		assert.Error(t, err, "%v", bad)
	}
}

// The release table, row by row, at the boundaries the sources give.
func TestCapabilityBoundaries(t *testing.T) {
	caps := func(v string, pins ...string) Capabilities {
		a, b := "", ""
		if len(pins) > 0 {
			a = pins[0]
		}
		if len(pins) > 1 {
			b = pins[1]
		}
		r, err := ResolveRelease(v, a, b)
		require.NoError(t, err, v)
		return r.Caps
	}
	// 0.2.4 lib/src/workmanager.dart: static methods; 0.4.0: factory Workmanager().
	assert.True(t, caps("0.2").StaticAPI)
	assert.False(t, caps("0.4.0").StaticAPI)
	// Wire: Pigeon from workmanager 0.9.0.
	assert.Equal(t, WireMethodChannel, caps("0.8").Wire)
	assert.Equal(t, WirePigeon, caps("0.9.0").Wire)
	// Namespace: be.tramckrijte until 0.7 (0.6.0 SharedPreferenceHelper.kt key).
	assert.Equal(t, NamespaceTramckrijte, caps("0.7").Namespace)
	assert.Equal(t, NamespaceCommunity, caps("0.8").Namespace)
	// #594: default flex from 0.6.0 (Extractor.kt DEFAULT_FLEX_INTERVAL_SECONDS)
	// until workmanager_android 0.9.1+1.
	assert.False(t, caps("0.5").DefaultFlex)
	assert.True(t, caps("0.6").DefaultFlex)
	assert.True(t, caps("0.9.1").DefaultFlex, "workmanager 0.9.1 ships android 0.9.1")
	assert.False(t, caps("0.9.1+1").DefaultFlex)
	assert.True(t, caps("0.9.0+3", "0.9.1").DefaultFlex)
	// Expedited flag: android 0.10.2 WorkManagerUtils.kt; before, any
	// outOfQuotaPolicy → setExpedited.
	assert.False(t, caps("0.10.1+2").ExpeditedFlag)
	assert.True(t, caps("0.10.2").ExpeditedFlag)
	// Dart methods.
	assert.False(t, caps("0.5").IsScheduled)
	assert.True(t, caps("0.6").IsScheduled)
	assert.False(t, caps("0.9.1+2").HealthResearchTasks)
	assert.True(t, caps("0.9.2").HealthResearchTasks)
	assert.True(t, caps("0.9.3").ContinuedProcessing)
	assert.False(t, caps("0.10.0").OnTaskStopped)
	assert.True(t, caps("0.10.0+1").OnTaskStopped)
	assert.False(t, caps("0.10.2").GetWorkInfo)
	assert.True(t, caps("0.10.3").GetWorkInfo)
	assert.True(t, caps("0.10.4").Progress)
	assert.False(t, caps("0.10.9").ReadyHandshake)
	assert.True(t, caps("0.10.10").ReadyHandshake)
	// Android 16 fixes: android 0.10.8 (workmanager 0.10.9).
	assert.True(t, caps("0.10.7").OnStoppedOffMainThread)
	assert.Zero(t, caps("0.10.7").EngineInitWatchdog)
	assert.False(t, caps("0.10.9").OnStoppedOffMainThread)
	assert.Equal(t, 30*time.Second, caps("0.10.9").EngineInitWatchdog)
	// FOREGROUND_SERVICE_DATA_SYNC becomes opt-in in android 0.10.6.
	assert.True(t, caps("0.10.5").DataSyncDeclared, "workmanager 0.10.5 ships android 0.10.4")
	assert.False(t, caps("0.10.7").DataSyncDeclared)
	// iOS one-off: unhandled (0.2–0.4), BGProcessing (0.5), in process (0.6+);
	// delay and taskName from apple 0.9.2.
	assert.Equal(t, IOSOneOffUnhandled, caps("0.4").IOSOneOff)
	assert.Equal(t, IOSOneOffProcessing, caps("0.5").IOSOneOff)
	assert.Equal(t, IOSOneOffInProcess, caps("0.6").IOSOneOff)
	assert.False(t, caps("0.9.0+3").IOSOneOffDelay, "apple 0.9.1+2")
	assert.True(t, caps("0.9.0+4").IOSOneOffDelay, "apple 0.9.2")
	assert.True(t, caps("0.9.1+1").IOSLaunchHandlers, "apple 0.9.3+1 (#692)")
	assert.False(t, caps("0.9.1").IOSLaunchHandlers)
	assert.Len(t, CapabilityTable(), len(capabilityTable))
}

func TestEveryReleaseResolves(t *testing.T) {
	for _, v := range Releases() {
		r, err := ResolveRelease(v, "", "")
		require.NoError(t, err, v)
		assert.Equal(t, v, r.Version)
		assert.NotEmpty(t, r.Caps.Wire)
		assert.NoError(t, Config{Version: Version(v)}.Validate())
	}
}

// realAndroid is a plugin on the Android model (the builder's checks run in
// the model).
func realAndroid(t *testing.T, v Version) (*Plugin, *sim.Engine, *osscheduler.Journal) {
	t.Helper()
	eng := sim.New(t0, 7)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	j := &osscheduler.Journal{}
	p := New(Config{Platform: osscheduler.Android, Version: v, Engine: eng, Device: dev, Journal: j})
	require.NoError(t, p.Initialize(1, false))
	return p, eng, j
}

// WorkRequest.Builder.build() exceptions (androidx WorkRequest.kt build():
// require(...) → IllegalArgumentException) are thrown inside the plugin's
// call: 0.9+ catches them (WorkmanagerPlugin.kt `catch (e: Exception) {
// callback(Result.failure(e)) }`) and Pigeon's wrapError replies
// [simpleName, toString(), details]; on the MethodChannel (0.5) the exception
// escapes onMethodCall and Flutter replies ("error", message, stack trace).
func TestBuilderExceptionsReachDart(t *testing.T) {
	delay := Ptr(time.Minute)
	idle := &Constraints{RequiresDeviceIdle: Ptr(true)}
	charging := &Constraints{RequiresCharging: Ptr(true)}
	for _, c := range []struct {
		name string
		v    Version
		o    OneOffOptions
		want *PlatformError
	}{
		{"0.10 expedited with initial delay", V0_10, OneOffOptions{Expedited: true, InitialDelay: delay},
			kotlinError("IllegalArgumentException", "Expedited jobs cannot be delayed")},
		{"0.10 expedited with charging", V0_10, OneOffOptions{Expedited: true, Constraints: charging},
			kotlinError("IllegalArgumentException", "Expedited jobs only support network and storage constraints")},
		{"0.10 idle mode with backoff", V0_10, OneOffOptions{Constraints: idle, BackoffPolicy: Ptr(BackoffLinear), BackoffPolicyDelay: Ptr(time.Minute)},
			kotlinError("IllegalArgumentException", "Cannot set backoff criteria on an idle mode job")},
		// 0.5: outOfQuotaPolicy?.let(::setExpedited) — any policy makes it expedited.
		{"0.5 out-of-quota policy with initial delay", V0_5, OneOffOptions{OutOfQuotaPolicy: Ptr(RunAsNonExpeditedWorkRequest), InitialDelay: delay},
			&PlatformError{Code: "error", Message: "Expedited jobs cannot be delayed"}},
		{"0.5 idle mode with backoff", V0_5, OneOffOptions{Constraints: idle, BackoffPolicy: Ptr(BackoffExponential)},
			&PlatformError{Code: "error", Message: "Cannot set backoff criteria on an idle mode job"}},
		// android 0.9.0 … 0.10.1 (Pigeon, no expedited flag): a policy alone expedites.
		{"0.9 out-of-quota policy with initial delay", "0.9.3", OneOffOptions{OutOfQuotaPolicy: Ptr(DropWorkRequest), InitialDelay: delay},
			kotlinError("IllegalArgumentException", "Expedited jobs cannot be delayed")},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _, j := realAndroid(t, c.v)
			err := p.RegisterOneOffTask("u", "t", c.o)
			assert.Equal(t, c.want, err)
			require.NotEmpty(t, j.Errors)
			last := j.Errors[len(j.Errors)-1]
			assert.True(t, last.SeenByApp)
			assert.Equal(t, CodeInvalidArgument, last.Code)
			assert.Empty(t, p.Android().Tasks(), "nothing was enqueued")
		})
	}
	// 0.10.2+: an out-of-quota policy without expedited is ignored, so the
	// delayed request is valid.
	p, _, _ := realAndroid(t, V0_10)
	assert.NoError(t, p.RegisterOneOffTask("u", "t", OneOffOptions{OutOfQuotaPolicy: Ptr(DropWorkRequest), InitialDelay: delay}))
}

// #594: from 0.6 until workmanager_android 0.9.1+1 the plugin passes a 5-minute
// flex when Dart gives none, which puts the first periodic run at enqueue +
// initialDelay + (interval − flex).
func TestDefaultFlexPerRelease(t *testing.T) {
	for _, c := range []struct {
		v    Version
		pin  string
		flex time.Duration
	}{{"0.5", "", 0}, {"0.6", "", 5 * time.Minute}, {"0.8", "", 5 * time.Minute}, {"0.9.0+3", "", 5 * time.Minute},
		{"0.9.0+3", "0.9.1+1", 0}, {"0.10", "", 0}} {
		h := androidInit(t, c.v, func(cfg *Config) { cfg.AndroidPackage = c.pin })
		require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{Frequency: Ptr(time.Hour)}))
		assert.Equal(t, c.flex, h.wm.last().req.Flex, "%s android %s", c.v, c.pin)
	}
	// End to end on the model: a 1 h periodic task with a 5-minute flex is
	// first eligible 55 min after enqueue; without it, at once.
	for _, c := range []struct {
		v     Version
		first time.Duration
	}{{"0.6", 55 * time.Minute}, {"0.10", 0}} {
		p, eng, j := realAndroid(t, c.v)
		require.NoError(t, p.RegisterPeriodicTask("u", "t", PeriodicOptions{Frequency: Ptr(time.Hour)}))
		require.NoError(t, eng.RunFor(3*time.Hour))
		runs := j.Runs()
		require.NotEmpty(t, runs, c.v)
		assert.Equal(t, c.first, runs[0].Eligible, "%s: first run eligible at", c.v)
	}
}

// Methods a release lacks fail as Dart would see them.
func TestMissingMethodsPerRelease(t *testing.T) {
	h := androidInit(t, "0.10.2")
	_, err := h.p.GetWorkInfo("u")
	assert.Equal(t, &UnsupportedError{Message: "getWorkInfo does not exist in workmanager 0.10.2"}, err)
	h = androidInit(t, "0.10.3")
	_, err = h.p.GetWorkInfo("u")
	assert.NoError(t, err)
	// 0.10.10's ready handshake: earlier hosts have no handler on the channel.
	assert.Equal(t, &PlatformError{Code: "channel-error",
		Message: `Unable to establish connection on channel: "dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi.notifyBackgroundChannelInitialized".`},
		androidInit(t, "0.10.9").p.NotifyBackgroundChannelInitialized())
	assert.NoError(t, androidInit(t, "0.10.10").p.NotifyBackgroundChannelInitialized())
	// iOS 0.2–0.4 only knew initialize (fetch); 0.5 had no periodic tasks.
	hi := newHarness(osscheduler.IOS, "0.4.1")
	require.NoError(t, hi.p.Initialize(1, false))
	assert.Equal(t, &PlatformError{Code: `unhandledMethod("registerOneOffTask") error`, Message: "Unhandled method registerOneOffTask"},
		hi.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	hi = newHarness(osscheduler.IOS, "0.5")
	require.NoError(t, hi.p.Initialize(1, false))
	assert.Equal(t, &PlatformError{Code: `unhandledMethod("registerPeriodicTask") error`, Message: "Unhandled method registerPeriodicTask"},
		hi.p.RegisterPeriodicTask("u", "t", PeriodicOptions{}))
	// 0.6/0.7 reach Swift with isScheduledByUniqueName; 0.8+ Dart throws first.
	hi = newHarness(osscheduler.IOS, "0.7")
	require.NoError(t, hi.p.Initialize(1, false))
	_, err = hi.p.IsScheduledByUniqueName("u")
	assert.Equal(t, &PlatformError{Code: `unhandledMethod("isScheduledByUniqueName") error`, Message: "Unhandled method isScheduledByUniqueName"}, err)
	hi = newHarness(osscheduler.IOS, "0.8")
	require.NoError(t, hi.p.Initialize(1, false))
	_, err = hi.p.IsScheduledByUniqueName("u")
	assert.Equal(t, &UnsupportedError{Message: "isScheduledByUniqueName is not supported on iOS"}, err)
}

// Before workmanager_apple 0.9.2 the iOS one-off ignored initialDelay and
// delivered the unique name (#661, #670).
func TestIOSOneOffPerRelease(t *testing.T) {
	for _, c := range []struct {
		v        Version
		name     string
		delayed  bool
		warnings int
	}{{"0.6", "u", false, 1}, {"0.9.0+3", "u", false, 1}, {"0.9.0+4", "t", true, 0}, {V0_10, "t", true, 0}} {
		h := newHarness(osscheduler.IOS, c.v)
		h.dev.LaunchApp()
		require.NoError(t, h.p.Initialize(1, false))
		require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{InitialDelay: Ptr(10 * time.Minute)}))
		if c.delayed {
			assert.Empty(t, h.bg.inProcess, "%s: waits for the delay", c.v)
			require.NoError(t, h.eng.RunFor(11*time.Minute))
		}
		require.Len(t, h.bg.inProcess, 1, c.v)
		assert.Equal(t, c.name, h.bg.inProcess[0].TaskName, "%s: the name Dart receives", c.v)
		assert.Equal(t, []string{"u"}, h.bg.assertions, "%s: beginBackgroundTask(withName: uniqueName)", c.v)
	}
}

// On workmanager_android before 0.10.8 onTaskStopped never reaches Dart (#732).
func TestOnStoppedPerRelease(t *testing.T) {
	for _, c := range []struct {
		v    Version
		sent bool
	}{{"0.10.0", false}, {"0.10.7", false}, {"0.10.9", true}} {
		h := androidInit(t, c.v)
		var got []osscheduler.StopReason
		h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { ctx.Clock.Sleep(time.Hour); return true, nil })
		h.p.OnTaskStopped(func(task string, r osscheduler.StopReason) { got = append(got, r) })
		require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
		rr := h.androidRun(1, 1)
		require.NoError(t, h.eng.RunFor(time.Minute))
		h.p.Stop(rr.x, osscheduler.StopCancelledByApp)
		assert.Equal(t, c.sent, len(got) == 1, "%s", c.v)
	}
}

// iOS suspends a backgrounded app when its background time ends; a 0.10
// one-off's DispatchQueue.asyncAfter does not fire while it is suspended
// and fires when the app resumes; a terminated app loses it.
func TestIOSSuspensionHoldsInProcessDelay(t *testing.T) {
	setup := func(t *testing.T) (*Plugin, *sim.Engine, *device.Device, *[]time.Time) {
		eng := sim.New(t0, 7)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()})
		p := New(Config{Platform: osscheduler.IOS, Engine: eng, Device: dev, IOS: ios.DefaultConfig()})
		dev.LaunchApp()
		require.NoError(t, p.Initialize(1, false))
		var ran []time.Time
		p.ExecuteTask(func(ctx *TaskContext) (bool, error) { ran = append(ran, ctx.Clock.Now()); return true, nil })
		require.NoError(t, p.RegisterOneOffTask("u", "t", OneOffOptions{InitialDelay: Ptr(30 * time.Minute)}))
		eng.After(time.Minute, sim.PhaseDevice, "leave", sim.HandlerFunc(func(*sim.Engine) { dev.BackgroundApp() }))
		return p, eng, dev, &ran
	}
	t.Run("fires on resume", func(t *testing.T) {
		_, eng, dev, ran := setup(t)
		require.NoError(t, eng.RunFor(time.Minute+ios.BackgroundTaskTime-time.Second))
		assert.Equal(t, device.ProcessBackground, dev.State().App, "beginBackgroundTask keeps it running ~30 s")
		require.NoError(t, eng.RunFor(2*time.Second))
		assert.Equal(t, device.ProcessSuspended, dev.State().App, "suspended when the background time ends")
		require.NoError(t, eng.RunFor(2*time.Hour))
		assert.Empty(t, *ran, "the 30-minute timer does not fire while suspended")
		dev.LaunchApp()
		require.NoError(t, eng.RunFor(time.Minute))
		require.Len(t, *ran, 1)
		opened := t0.Add(2*time.Hour + time.Minute + ios.BackgroundTaskTime + time.Second)
		assert.False(t, (*ran)[0].Before(opened), "runs only once the user opens the app again")
		assert.Less(t, (*ran)[0].Sub(opened), 5*time.Second)
	})
	t.Run("lost when terminated", func(t *testing.T) {
		_, eng, dev, ran := setup(t)
		require.NoError(t, eng.RunFor(time.Hour))
		require.Equal(t, device.ProcessSuspended, dev.State().App)
		dev.KillProcess()
		dev.LaunchApp()
		require.NoError(t, eng.RunFor(time.Hour))
		assert.Empty(t, *ran, "the in-process work died with the process")
	})
}

// ResolveRelease answers from its cache what it computed the first time, and
// errors are not cached.
func TestResolveReleaseCachedAnswerIsTheComputedOne(t *testing.T) {
	for _, v := range []struct{ version, android, apple string }{
		{"0.5", "", ""}, {"0.9.0+3", "", ""}, {"0.10.10", "", ""}, {"", "", ""},
	} {
		fresh, err := resolveRelease(v.version, v.android, v.apple)
		if err != nil {
			t.Fatalf("%q: %v", v.version, err)
		}
		for range 2 {
			got, err := ResolveRelease(v.version, v.android, v.apple)
			if err != nil || got != fresh {
				t.Fatalf("%q: ResolveRelease = %+v, %v; want %+v", v.version, got, err, fresh)
			}
		}
	}
	for range 2 {
		if _, err := ResolveRelease("0.5", "0.9.0", ""); err == nil {
			t.Fatal("a pin before 0.8 must fail every time")
		}
	}
}
