package wmsimtest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/scenarios"
	"github.com/wmsim/wmsim/wmsimtest"
)

func TestDefaults(t *testing.T) {
	s := wmsimtest.New(t)
	sc := s.Scenario()
	// The loader's defaults (scenarios.DefaultStart, DefaultAndroidAPI, seed 1).
	assert.Equal(t, "testdefaults", sc.Name)
	assert.Equal(t, scenarios.Platforms{scenarios.PlatformAndroid}, sc.Platform)
	assert.Equal(t, scenarios.DefaultAndroidAPI, sc.Android.API)
	assert.Equal(t, uint64(1), sc.Seed)
	assert.Equal(t, scenarios.DefaultStart, s.Now())
	assert.True(t, sc.Android.Doze)
	require.NoError(t, s.RunFor(90*time.Minute))
	res := s.Result()
	// Without a duration the document ends now.
	assert.Equal(t, "2026-01-05T09:30:00Z", res.End)
	assert.Equal(t, 90*time.Minute, s.Elapsed())
	assert.Equal(t, s.Now(), s.Clock().Now())
	// Run needs a duration.
	ft := &fakeT{}
	s2 := wmsimtest.New(ft)
	assert.Error(t, s2.Run())
	assert.Contains(t, ft.text(), "no duration was given")
}

func TestOptions(t *testing.T) {
	start := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	lvl := 60
	cases := []struct {
		name  string
		opt   wmsimtest.Option
		check func(t *testing.T, s *wmsimtest.Sim)
	}{
		{"Android", wmsimtest.Android(29), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, 29, s.Scenario().Android.API)
			assert.NotNil(t, s.World().Plugin.Android())
		}},
		{"IOS", wmsimtest.IOS(16), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, 16, s.Scenario().IOS.Version)
			assert.Equal(t, scenarios.PlatformIOS, s.World().Platform)
			assert.NotNil(t, s.World().Plugin.IOS())
		}},
		{"Platform", wmsimtest.Platform(scenarios.PlatformIOS), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, scenarios.PlatformIOS, s.World().Platform)
			assert.Equal(t, scenarios.DefaultIOSVersion, s.Scenario().IOS.Version)
		}},
		{"PluginVersion", wmsimtest.PluginVersion("0.5"), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, plugin.Version("0.5"), s.World().Plugin.Version())
		}},
		{"Seed", wmsimtest.Seed(42), func(t *testing.T, s *wmsimtest.Sim) { assert.Equal(t, uint64(42), s.Engine().Seed()) }},
		{"Start", wmsimtest.Start(start), func(t *testing.T, s *wmsimtest.Sim) { assert.Equal(t, start, s.Now()) }},
		{"Duration", wmsimtest.Duration(3 * time.Hour), func(t *testing.T, s *wmsimtest.Sim) {
			require.NoError(t, s.Run())
			assert.Equal(t, 3*time.Hour, s.Elapsed())
			assert.Equal(t, "2026-01-05T11:00:00Z", s.Result().End)
		}},
		{"Name", wmsimtest.Name("my-app"), func(t *testing.T, s *wmsimtest.Sim) { assert.Equal(t, "my-app", s.Result().Scenario) }},
		{"Profile", wmsimtest.Profile("office-worker"), func(t *testing.T, s *wmsimtest.Sim) {
			require.NoError(t, s.RunFor(24*time.Hour))
			assert.NotEmpty(t, s.World().Device.Launches(), "an office worker opens the app during a day")
		}},
		{"Battery", wmsimtest.Battery(lvl), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, lvl, s.Device().State().Battery.Level())
		}},
		{"Charger", wmsimtest.Charger(wmsimtest.ChargerUSB), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, device.ChargerUSB, s.Device().State().Charger)
		}},
		{"Network", wmsimtest.Network(wmsimtest.Cellular), func(t *testing.T, s *wmsimtest.Sim) {
			n := s.Device().State().Network
			assert.Equal(t, device.NetworkCellular, n.Type)
			assert.True(t, n.Metered, "cellular is metered unless said otherwise")
		}},
		{"Screen", wmsimtest.Screen(true), func(t *testing.T, s *wmsimtest.Sim) { assert.True(t, s.Device().State().ScreenOn) }},
		{"StandbyBucket", wmsimtest.StandbyBucket(wmsimtest.BucketRare), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, scenarios.BucketRare, s.Scenario().Android.StandbyBucket)
		}},
		{"Doze", wmsimtest.Doze(false), func(t *testing.T, s *wmsimtest.Sim) { assert.False(t, s.Scenario().Android.Doze) }},
		{"BatterySaver", wmsimtest.BatterySaver(true), func(t *testing.T, s *wmsimtest.Sim) { assert.True(t, s.Device().State().LowPower) }},
		{"AggressiveOEM", wmsimtest.AggressiveOEM(), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, scenarios.OEMAggressive, s.Scenario().Android.OEM)
		}},
		{"LowPowerMode", wmsimtest.LowPowerMode(true), func(t *testing.T, s *wmsimtest.Sim) { assert.True(t, s.Scenario().IOS.LowPowerMode) }},
		{"BackgroundAppRefresh", wmsimtest.BackgroundAppRefresh(false), func(t *testing.T, s *wmsimtest.Sim) {
			assert.False(t, s.Scenario().IOS.BackgroundAppRefresh)
		}},
		{"PermittedIdentifiers", wmsimtest.PermittedIdentifiers("a", "b"), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, []string{"a", "b"}, s.Scenario().IOS.PermittedIdentifiers)
			assert.Equal(t, []string{"a", "b"}, s.Scenario().IOS.LaunchHandlers)
		}},
		{"LaunchHandlers", wmsimtest.LaunchHandlers("c"), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, []string{"c"}, s.Scenario().IOS.LaunchHandlers)
		}},
		{"BackgroundModes", wmsimtest.BackgroundModes(scenarios.ModeFetch), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, []scenarios.BackgroundMode{scenarios.ModeFetch}, s.Scenario().IOS.BackgroundModes)
		}},
		{"FetchInterval", wmsimtest.FetchInterval(wmsimtest.FetchEvery(time.Hour)), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, scenarios.FetchInterval{Kind: scenarios.FetchEvery, Interval: time.Hour}, s.Scenario().IOS.FetchInterval)
		}},
		{"Task", wmsimtest.Task("sync", 2*time.Second, wmsimtest.Failure), func(t *testing.T, s *wmsimtest.Sim) {
			task, ok := s.Scenario().App.Tasks.Lookup("sync")
			assert.True(t, ok)
			assert.Equal(t, scenarios.Results{scenarios.ResultFailure}, task.Result)
		}},
		{"Expect", wmsimtest.Expectations(scenarios.Expectation{NoErrors: plugin.Ptr(true)}), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, "no errors", s.Result().Expectations[0].Expect)
		}},
		{"Step", wmsimtest.Step(scenarios.Step{At: scenarios.At{Delay: time.Hour}, App: &scenarios.AppEvent{Kind: scenarios.AppLaunch}}), func(t *testing.T, s *wmsimtest.Sim) {
			require.NoError(t, s.RunFor(time.Hour))
			assert.Equal(t, device.ProcessForeground, s.App().State())
		}},
		{"Configure", wmsimtest.Configure(func(sc *scenarios.Scenario) { sc.Description = "d" }), func(t *testing.T, s *wmsimtest.Sim) {
			assert.Equal(t, "d", s.Scenario().Description)
		}},
		{"Limits", wmsimtest.Limits(sim.Limits{MaxEvents: 3}), func(t *testing.T, s *wmsimtest.Sim) {
			s.Workmanager().Initialize()
			s.Workmanager().RegisterPeriodicTask("p", "p", plugin.PeriodicOptions{})
			ft := &fakeT{}
			s2 := wmsimtest.New(ft, wmsimtest.Limits(sim.Limits{MaxEvents: 3}), wmsimtest.Profile("office-worker"))
			assert.Error(t, s2.RunFor(24*time.Hour))
			assert.Contains(t, ft.text(), "max_events")
			assert.NotEmpty(t, s2.Result().Limit)
			assert.Error(t, s2.RunFor(time.Hour), "a stopped run stays stopped")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.check(t, wmsimtest.New(t, c.opt))
		})
	}
}

func TestBadOptions(t *testing.T) {
	cases := map[string]wmsimtest.Option{
		"Android(99): API level must be 23..":          wmsimtest.Android(99),
		"IOS(5): version must be 13..27":               wmsimtest.IOS(5),
		`Platform("web"): valid: android, ios`:         wmsimtest.Platform("web"),
		`PluginVersion("1.0"): unknown plugin version`: wmsimtest.PluginVersion("1.0"),
		`unknown profile "couch-potato"`:               wmsimtest.Profile("couch-potato"),
		"duration -1h0m0s: must be > 0":                wmsimtest.Duration(-time.Hour),
		"scenario.yaml:1:1":                            wmsimtest.FromYAML([]byte("nope: 1\n")),
		"no-such-file.yaml":                            wmsimtest.FromFile("testdata/no-such-file.yaml"),
		"FromScenario: nil scenario":                   wmsimtest.FromScenario(nil),
		`no built-in scenario "definitely-not-there"`:  wmsimtest.FromLibrary("definitely-not-there"),
	}
	for want, opt := range cases {
		t.Run(want, func(t *testing.T) {
			_, err := wmsimtest.Build(opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
			ft := &fakeT{}
			assert.Nil(t, wmsimtest.New(ft, opt))
			assert.True(t, ft.fatal, "New fails the test")
		})
	}
	assert.Panics(t, func() { wmsimtest.New(nil, wmsimtest.Android(1)) }, "New(nil, …) panics like httptest")
}

func TestFromYAMLOverridden(t *testing.T) {
	src := []byte("version: 1\nname: from-yaml\nseed: 3\nduration: 6h\nplatform: android\n" +
		"app:\n  tasks:\n    heartbeat: { duration: 1s }\n" +
		"timeline:\n  - at: 0s\n    call: initialize\n" +
		"  - at: 1m\n    call: registerPeriodicTask\n    args: { uniqueName: hb, taskName: heartbeat, frequency: 15m }\n")
	// Options other than the loader override the file, whatever their order.
	s := wmsimtest.New(t, wmsimtest.Seed(9), wmsimtest.FromYAML(src), wmsimtest.Duration(2*time.Hour), wmsimtest.Charger(wmsimtest.ChargerAC))
	assert.Equal(t, "from-yaml", s.Scenario().Name)
	assert.Equal(t, uint64(9), s.Scenario().Seed)
	assert.Equal(t, 2*time.Hour, s.Scenario().Duration)
	assert.Equal(t, device.ChargerAC, s.Device().State().Charger)
	require.NoError(t, s.Run())
	// 15-minute periodic work, charging on Wi-Fi, for 2h: 7..9 runs.
	wmsimtest.AssertRuns(t, s, "heartbeat", 6, 9)

	lib := wmsimtest.New(t, wmsimtest.FromLibrary("reboot-and-force-stop"))
	require.NoError(t, lib.Run())
	assert.Equal(t, "reboot-and-force-stop", lib.Result().Scenario)

	sc, err := scenarios.LoadLibrary("periodic-task")
	require.NoError(t, err)
	fs := wmsimtest.New(t, wmsimtest.FromScenario(sc), wmsimtest.Seed(5))
	assert.Equal(t, uint64(5), fs.Scenario().Seed)
	assert.NotEqual(t, uint64(5), sc.Seed, "the given scenario is not modified")
}

func TestDeviceActions(t *testing.T) {
	s := wmsimtest.New(t)
	d := s.Device()
	d.Plug(wmsimtest.ChargerAC)
	assert.Equal(t, device.ChargerAC, d.State().Charger)
	d.Unplug()
	assert.Equal(t, device.ChargerNone, d.State().Charger)
	d.SetBattery(30)
	assert.Equal(t, 30, d.State().Battery.Level())
	d.SetNetwork(wmsimtest.Cellular)
	assert.Equal(t, device.Network{Type: device.NetworkCellular, Validated: true, Metered: true}, d.State().Network)
	d.SetNetworkDetail(wmsimtest.WiFi, true, false)
	assert.Equal(t, device.Network{Type: device.NetworkWiFi, Validated: true, Metered: true}, d.State().Network)
	d.GoOffline()
	assert.False(t, d.State().Network.Connected())
	d.ScreenOn()
	assert.True(t, d.State().ScreenOn)
	d.ScreenOff()
	assert.False(t, d.State().ScreenOn)
	d.SetStorage(1<<30, 32<<30)
	assert.Equal(t, device.Storage{Free: 1 << 30, Total: 32 << 30}, d.State().Storage)
	d.SetProfile("office-worker")
	assert.Same(t, s.World().Device, d.Model())

	s.Reboot(2 * time.Minute)
	assert.Equal(t, device.PowerOff, d.State().Power)
	require.NoError(t, s.RunFor(time.Minute))
	assert.Equal(t, device.PowerOff, d.State().Power, "still off after 1 of 2 minutes")
	require.NoError(t, s.RunFor(2*time.Minute))
	assert.Equal(t, device.PowerOn, d.State().Power)
}

func TestAppActions(t *testing.T) {
	s := wmsimtest.New(t)
	a := s.App()
	a.Launch()
	assert.Equal(t, device.ProcessForeground, a.State())
	a.Background()
	assert.Equal(t, device.ProcessBackground, a.State())
	a.SwipeAway()
	assert.Equal(t, device.ProcessSwipedAway, a.State())
	a.Launch()
	a.ForceStop()
	assert.Equal(t, device.ProcessForceStopped, a.State())
	a.Update(true)
	// A call from Go starts the app's process first, as a timeline call does.
	require.NoError(t, s.Workmanager().Initialize())
	assert.NotEqual(t, device.ProcessForceStopped, a.State())
}

func TestOSActions(t *testing.T) {
	s := wmsimtest.New(t, wmsimtest.Duration(time.Hour))
	var kinds []string
	s.OnRecord(func(r *sim.Record) { kinds = append(kinds, string(r.Source)+" "+string(r.Kind)+" "+r.Reason) })
	s.OS().SetStandbyBucket(wmsimtest.BucketRare)
	s.OS().SetBatterySaver(true)
	assert.True(t, s.Device().State().LowPower, "battery saver is the device's low-power switch")
	s.OS().ForceIdle()
	s.OS().StepDoze()
	s.OS().UnforceIdle()
	s.OS().SetLowPowerMode(true) // iOS only: ignored with a warning
	assert.NotEmpty(t, kinds)
	var codes []string
	for _, w := range s.Result().Warnings {
		codes = append(codes, w.Code+": "+w.Message)
	}
	assert.Contains(t, codes, "os_setting_ignored: os.low_power_mode has no meaning on android; ignored")

	i := wmsimtest.New(t, wmsimtest.IOS(17))
	i.OS().SetLowPowerMode(true)
	assert.True(t, i.Device().State().LowPower)
	i.OS().SetBackgroundAppRefresh(false)
	i.OS().SetFetchInterval(wmsimtest.FetchMinimum)
	i.OS().SetStandbyBucket(wmsimtest.BucketRare)
	assert.Equal(t, "os_setting_ignored", i.Result().Warnings[0].Code)
}

func TestWorkmanagerCalls(t *testing.T) {
	s := wmsimtest.New(t, wmsimtest.Charger(wmsimtest.ChargerAC))
	wm := s.Workmanager()
	// Before initialize the plugin rejects registrations (WorkmanagerPlugin.kt).
	err := wm.RegisterOneOffTask("early", "early", plugin.OneOffOptions{})
	require.Error(t, err)
	assert.Equal(t, "not_initialized", s.Result().Errors[0].Code)

	require.NoError(t, wm.Initialize())
	require.NoError(t, wm.InitializeDebug())
	require.NoError(t, wm.RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour), Tag: plugin.Ptr("t")}))
	ok, err := wm.IsScheduledByUniqueName("sync-1")
	require.NoError(t, err)
	assert.True(t, ok)
	info, err := wm.GetWorkInfo("sync-1")
	require.NoError(t, err)
	require.NotNil(t, info)
	assert.True(t, info.IsPeriodic)
	// printScheduledTasks is iOS only (workmanager_android.dart throws).
	_, err = wm.PrintScheduledTasks()
	require.Error(t, err)
	require.NoError(t, wm.CancelByTag("t"))
	ok, _ = wm.IsScheduledByUniqueName("sync-1")
	assert.False(t, ok)
	require.NoError(t, wm.RegisterOneOffTask("o", "o", plugin.OneOffOptions{}))
	require.NoError(t, wm.CancelByUniqueName("o"))
	require.NoError(t, wm.CancelAll())
	// Processing tasks are iOS only: Dart throws UnsupportedError on Android.
	require.Error(t, wm.RegisterProcessingTask("p", "p", plugin.ProcessingOptions{}))
	require.Error(t, wm.RegisterHealthResearchTask("h", "h", plugin.ProcessingOptions{}))
	require.Error(t, wm.RegisterContinuedProcessingTask("c", "c", plugin.ContinuedProcessingOptions{}))
	assert.Same(t, s.World().Plugin, wm.Plugin())
}

func TestIOSPermittedIdentifiers(t *testing.T) {
	// Without the identifier in Info.plist, BGTaskScheduler refuses the
	// request (BGTaskSchedulerErrorCodeNotPermitted).
	s := wmsimtest.New(t, wmsimtest.IOS(17))
	require.NoError(t, s.Workmanager().Initialize())
	s.Workmanager().RegisterPeriodicTask("refresh", "refresh", plugin.PeriodicOptions{})
	wmsimtest.AssertRecordedError(t, s, "registerPeriodicTask", wmsimtest.NotPermitted)

	ok := wmsimtest.New(t, wmsimtest.IOS(17), wmsimtest.PermittedIdentifiers("refresh"))
	require.NoError(t, ok.Workmanager().Initialize())
	require.NoError(t, ok.Workmanager().RegisterPeriodicTask("refresh", "refresh", plugin.PeriodicOptions{}))
	wmsimtest.AssertNoErrors(t, ok)
	txt, err := ok.Workmanager().PrintScheduledTasks()
	require.NoError(t, err)
	assert.Contains(t, txt, "refresh")
}

func TestGoHandler(t *testing.T) {
	var inputs []any
	var attempts []int
	s := wmsimtest.New(t, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("sync", func(ctx *plugin.TaskContext) (bool, error) {
			start := ctx.Clock.Now()
			ctx.Clock.Sleep(5 * time.Second) // virtual: the run lasts 5s
			n, _ := ctx.Store.Get("count")
			c, _ := n.(int)
			ctx.Store.Set("count", c+1)
			inputs = append(inputs, ctx.Input["user"])
			attempts = append(attempts, ctx.Attempt)
			if ctx.Clock.Since(start) != 5*time.Second {
				return false, nil
			}
			return c+1 != 2, nil // the second run asks for a retry
		}))
	require.NoError(t, s.Workmanager().Initialize())
	require.NoError(t, s.Workmanager().RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{
		Frequency: plugin.Ptr(time.Hour), InputData: osscheduler.Data{"user": "ada"},
	}))
	require.NoError(t, s.RunFor(5*time.Hour))
	res := s.Result()
	require.GreaterOrEqual(t, len(res.Runs), 3)
	for _, r := range res.Runs {
		// The run includes the headless engine's start before the handler.
		assert.GreaterOrEqual(t, float64(r.TEnd-r.TStart), 5.0, "the handler slept 5s of virtual time")
	}
	assert.Equal(t, "success", res.Runs[0].Outcome)
	assert.Equal(t, "retry", res.Runs[1].Outcome)
	assert.Equal(t, 2, res.Runs[2].Attempt, "a retry is attempt 2 (runAttemptCount + 1)")
	assert.Equal(t, []int{1, 1, 2}, attempts[:3])
	assert.Equal(t, "ada", inputs[0])
	v, _ := s.World().Plugin.AppStore().Get("count")
	assert.Equal(t, len(res.Runs), v, "the store persists across runs")

	// A handler that panics is a failed task; one added later with Handle
	// replaces the earlier one.
	s.Handle("sync", func(*plugin.TaskContext) (bool, error) { panic("boom") })
	require.NoError(t, s.RunFor(3*time.Hour))
	last := s.Result().Runs[len(s.Result().Runs)-1]
	assert.Equal(t, "failure", last.Outcome)
}

func TestTimeControl(t *testing.T) {
	ft := &fakeT{}
	s := wmsimtest.New(ft, wmsimtest.Duration(10*time.Hour), wmsimtest.Charger(wmsimtest.ChargerAC))
	var at []time.Duration
	s.At(2*time.Hour, func(s *wmsimtest.Sim) { at = append(at, s.Elapsed()) })
	s.Every(time.Hour, 3*time.Hour, func(s *wmsimtest.Sim) { at = append(at, s.Elapsed()) })
	s.At(30*time.Minute, func(s *wmsimtest.Sim) {
		s.Workmanager().Initialize()
		s.Workmanager().RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour)})
	})
	// RunUntilCondition: the first run comes right after registration (at
	// once when GreedyScheduler starts it in the app's process).
	when, ok := s.RunUntilCondition(func() bool { return s.RunCount("sync-1") >= 1 }, 2*time.Hour)
	require.True(t, ok)
	assert.GreaterOrEqual(t, when, 30*time.Minute)
	assert.Less(t, when, 31*time.Minute)
	_, ok = s.RunUntilCondition(func() bool { return s.RunCount("sync") >= 100 }, time.Hour)
	assert.False(t, ok, "100 hourly runs do not happen in an hour")
	require.NoError(t, s.RunTo(5*time.Hour))
	require.NoError(t, s.RunUntil(s.Scenario().Start.Add(6*time.Hour)))
	require.NoError(t, s.Run())
	assert.Equal(t, []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 7 * time.Hour, 10 * time.Hour}, at)
	assert.Empty(t, ft.errors)

	// Misuse is reported through t.
	assert.Error(t, s.RunFor(time.Hour))
	assert.Contains(t, ft.text(), "past the scenario's end")
	s.At(time.Hour, func(*wmsimtest.Sim) {})
	assert.Contains(t, ft.text(), "At(1h): that is before the current time +10:00:00")
	assert.Error(t, s.RunUntil(s.Scenario().Start))
	assert.Error(t, s.RunFor(-time.Second))
	s.Every(0, 0, func(*wmsimtest.Sim) {})
	assert.Contains(t, ft.text(), "the period must be > 0")

	ft2 := &fakeT{}
	s2 := wmsimtest.New(ft2)
	s2.At(time.Hour, func(s *wmsimtest.Sim) { s.RunFor(time.Hour) })
	require.NoError(t, s2.RunFor(2*time.Hour))
	assert.Contains(t, ft2.text(), "RunFor called from inside a step or hook at +01:00:00")
}

func TestAlways(t *testing.T) {
	ft := &fakeT{}
	s := wmsimtest.New(ft)
	s.Always("the screen stays off", func(s *wmsimtest.Sim) bool { return !s.Device().State().ScreenOn })
	s.Always("the battery is never empty", func(s *wmsimtest.Sim) bool { return s.Device().State().Battery.Level() > 0 })
	s.At(3*time.Hour, func(s *wmsimtest.Sim) { s.App().Launch() })
	require.NoError(t, s.RunFor(2*time.Hour))
	assert.Empty(t, ft.errors)
	require.Error(t, s.RunFor(2*time.Hour))
	assert.Len(t, s.Violations(), 1)
	mustContain(t, ft.text(), `invariant "the screen stays off" broke at +03:00:00, after device`)
	// Reported once.
	require.NoError(t, s.RunFor(time.Hour))
	assert.Len(t, ft.errors, 1)
}

func TestWriteJSON(t *testing.T) {
	s := wmsimtest.New(t, wmsimtest.Duration(time.Hour))
	require.NoError(t, s.Run())
	p := t.TempDir() + "/r.json"
	require.NoError(t, s.WriteJSON(p))
	ft := &fakeT{}
	s2 := wmsimtest.New(ft)
	assert.Error(t, s2.WriteJSON(t.TempDir()+"/no/such/dir/r.json"))
	assert.True(t, ft.failed)
}
