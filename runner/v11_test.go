package runner

import (
	"encoding/json"
	"github.com/wmsim/wmsim/scenarios"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/report"
)

// runYAML loads a scenario and runs it on its platforms.
func runYAML(t *testing.T, src string) *Outcome {
	t.Helper()
	sc, err := scenarios.Parse("v11.yaml", []byte(src))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{})
	require.NoError(t, err)
	return out
}

func callsFrom(res *report.Result, call, source string) []report.Call {
	var out []report.Call
	for _, c := range res.Calls {
		if c.Call == call && (source == "" || c.Source == source) {
			out = append(out, c)
		}
	}
	return out
}

func warningsWith(res *report.Result, code string) []report.Warning {
	var out []report.Warning
	for _, w := range res.Warnings {
		if w.Code == code {
			out = append(out, w)
		}
	}
	return out
}

func TestClockTimeUntil(t *testing.T) {
	day := func(h, m, s int) time.Time { return time.Date(2026, 1, 5, h, m, s, 0, time.UTC) }
	for _, tc := range []struct {
		name  string
		clock scenarios.ClockTime
		now   time.Time
		want  time.Duration
	}{
		{"later today", scenarios.ClockTime{Hour: 10}, day(8, 0, 0), 2 * time.Hour},
		{"exactly then is 0", scenarios.ClockTime{Hour: 10}, day(10, 0, 0), 0},
		{"just after: plus a day", scenarios.ClockTime{Hour: 10}, day(10, 0, 1), 24*time.Hour - time.Second},
		{"before midnight", scenarios.ClockTime{Hour: 0, Minute: 30}, day(23, 0, 0), 90 * time.Minute},
		{"minutes and seconds", scenarios.ClockTime{Hour: 7, Minute: 30, Second: 15}, day(7, 0, 0), 30*time.Minute + 15*time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.clock.Until(tc.now)) })
	}
	// In the start's offset, not UTC: 10:00 at +02:00 is 08:00Z.
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.FixedZone("", 2*3600))
	assert.Equal(t, time.Hour, scenarios.ClockTime{Hour: 10}.Until(now))
}

func TestResolveArgs(t *testing.T) {
	un, tn := "next-${now_ms}", "sync"
	a := &scenarios.Args{UniqueName: &un, TaskName: &tn, Until: map[string]scenarios.ClockTime{"initialDelay": {Hour: 10}},
		InputData: scenarios.Map{{Key: "at", Value: "t=${now_ms}"}, {Key: "n", Value: int64(3)}}}
	now := time.Date(2026, 1, 5, 8, 0, 0, 500_000_000, time.UTC)
	r := resolveArgs(a, now)
	assert.Equal(t, "next-1767600000500", *r.UniqueName)
	assert.Equal(t, "sync", *r.TaskName)
	require.NotNil(t, r.InitialDelay)
	assert.Equal(t, 2*time.Hour-500*time.Millisecond, *r.InitialDelay)
	v, _ := r.InputData.Get("at")
	assert.Equal(t, "t=1767600000500", v)
	assert.Equal(t, "next-${now_ms}", *a.UniqueName, "the scenario's own args are left alone")
}

const onLaunchApp = `
app:
  on_launch:
    - call: initialize
    - call: registerPeriodicTask
      args: { uniqueName: sync, taskName: sync, frequency: 1h, existingWorkPolicy: keep }
    - platform: ios
      call: registerProcessingTask
      args: { uniqueName: dev.example.process, taskName: process }
  tasks:
    sync: { duration: 1s }
    process: { duration: 1s }
`

func TestColdAndWarmLaunch(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps string
		cold  int // on_launch runs
	}{
		{"first launch is cold", "- {at: 0s, app: launch}", 1},
		{"warm within the process lifetime", "- {at: 0s, app: launch}\n  - {at: 1m, app: background}\n  - {at: 20m, app: launch}", 1},
		{"cold after the process lifetime", "- {at: 0s, app: launch}\n  - {at: 1m, app: background}\n  - {at: 40m, app: launch}", 2},
		{"cold after process_death", "- {at: 0s, app: launch}\n  - {at: 1m, app: process_death}\n  - {at: 2m, app: launch}", 2},
		{"cold after force_stop", "- {at: 0s, app: launch}\n  - {at: 1m, app: force_stop}\n  - {at: 2m, app: launch}", 2},
		{"cold after swipe_away", "- {at: 0s, app: launch}\n  - {at: 1m, app: swipe_away}\n  - {at: 2m, app: launch}", 2},
		{"cold after reboot", "- {at: 0s, app: launch}\n  - {at: 1m, reboot: {downtime: 1m}}\n  - {at: 5m, app: launch}", 2},
		{"cold after update", "- {at: 0s, app: launch}\n  - {at: 1m, app: update}\n  - {at: 2m, app: launch}", 2},
		{"launch for 5m then warm", "- {at: 0s, app: {launch: {for: 5m}}}\n  - {at: 10m, app: launch}", 1},
		{"a launch while in front is warm", "- {at: 0s, app: launch}\n  - {at: 1m, app: launch}", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := runYAML(t, "version: 1\nname: cold\nduration: 2h\nplatform: android\n"+onLaunchApp+"timeline:\n  "+tc.steps+"\n")
			res := out.Runs[0].Result
			assert.Len(t, callsFrom(res, "initialize", SourceOnLaunch), tc.cold)
			assert.Len(t, callsFrom(res, "registerProcessingTask", ""), 0, "an ios-only call is not made on android")
		})
	}
}

func TestOnLaunchPerPlatformAndProfile(t *testing.T) {
	out := runYAML(t, "version: 1\nname: plat\nduration: 2d\nplatform: [android, ios]\ndevice: {profile: office-worker}\n"+onLaunchApp)
	for _, pr := range out.Runs {
		res := pr.Result
		n := len(callsFrom(res, "initialize", SourceOnLaunch))
		assert.Greater(t, n, 0, "%s: the usage profile's launches run on_launch", pr.Platform)
		wantProc := 0
		if pr.Platform == "ios" {
			wantProc = n
		}
		assert.Len(t, callsFrom(res, "registerProcessingTask", SourceOnLaunch), wantProc, pr.Platform)
	}
}

func TestScreenTimeout(t *testing.T) {
	base := "version: 1\nname: screen\nduration: 1h\nplatform: android\n"
	at := func(w *World, d time.Duration) device.State {
		require.NoError(t, w.Engine.RunUntil(w.Scenario.Start.Add(d)))
		return w.Device.State()
	}
	world := func(src string) *World {
		sc, err := scenarios.Parse("s.yaml", []byte(src))
		require.NoError(t, err)
		w, err := NewWorld(sc, scenarios.PlatformAndroid, RunOptions{})
		require.NoError(t, err)
		return w
	}
	w := world(base + "timeline:\n  - {at: 0s, app: launch}\n  - {at: 10m, app: background}\n")
	assert.True(t, at(w, 9*time.Minute).ScreenOn, "the screen stays on while the app is in front")
	assert.True(t, at(w, 10*time.Minute+29*time.Second).ScreenOn)
	assert.False(t, at(w, 10*time.Minute+31*time.Second).ScreenOn, "off 30s after the app went to the background")

	w = world(base + "device: {screen_timeout: 2m}\ntimeline:\n  - {at: 0s, app: launch}\n  - {at: 10m, app: background}\n")
	assert.True(t, at(w, 11*time.Minute).ScreenOn)
	assert.False(t, at(w, 12*time.Minute+time.Second).ScreenOn)

	w = world(base + "timeline:\n  - {at: 0s, app: launch}\n  - {at: 10m, app: background}\n  - {at: 10m10s, device: {screen: on}}\n")
	assert.True(t, at(w, 20*time.Minute).ScreenOn, "a step that turns the screen on keeps it on")
}

func TestLongForegroundWarning(t *testing.T) {
	out := runYAML(t, "version: 1\nname: fg\nduration: 1d\nplatform: android\ndevice: {charger: ac}\ntimeline:\n  - {at: 0s, app: launch}\n")
	ws := warningsWith(out.Runs[0].Result, WarnForegroundLong)
	require.Len(t, ws, 1)
	assert.Equal(t, report.Seconds(12*3600), ws[0].T)
	out = runYAML(t, "version: 1\nname: fg\nduration: 1d\nplatform: android\ntimeline:\n  - {at: 0s, app: launch}\n  - {at: 11h, app: background}\n")
	assert.Empty(t, warningsWith(out.Runs[0].Result, WarnForegroundLong))
}

func TestPhoneDiesAndBoots(t *testing.T) {
	out := runYAML(t, `version: 1
name: dies
duration: 1d
platform: android
device: { battery: { level: 1 } }
app: { tasks: { sync: { duration: 1s } } }
timeline:
  - { at: 0s, call: initialize }
  - { at: 0s, app: launch }
  - { at: 2h, call: registerOneOffTask, args: { uniqueName: late, taskName: sync } }
  - { at: 3h, app: launch }
  - { at: 4h, device: { charger: ac } }
  - { at: 5h, call: registerOneOffTask, args: { uniqueName: after, taskName: sync } }
`)
	res := out.Runs[0].Result
	skipped := warningsWith(res, WarnStepSkipped)
	require.Len(t, skipped, 2, "the call at 2h and the launch at 3h")
	assert.Contains(t, skipped[0].Message, "call registerOneOffTask")
	assert.Contains(t, skipped[1].Message, "app launch")
	assert.Len(t, warningsWith(res, WarnPhoneDead), 1)
	assert.Empty(t, callsFrom(res, "registerOneOffTask", "")[:0])
	regs := callsFrom(res, "registerOneOffTask", "")
	require.Len(t, regs, 1, "only the call after the phone booted took effect")
	assert.Equal(t, "after", regs[0].Args["uniqueName"])
	for _, r := range res.Runs {
		assert.NotEqual(t, "late", r.Unique)
		assert.GreaterOrEqual(t, float64(r.TStart), 4*3600.0, "no task runs while the phone is off")
	}
}

func TestThenCalls(t *testing.T) {
	out := runYAML(t, `version: 1
name: chain
duration: 6h
platform: [android, ios]
app:
  tasks:
    step:
      duration: 2s
      then:
        - call: registerOneOffTask
          args: { uniqueName: "step-${now_ms}", taskName: step, initialDelay: 1h }
        - platform: android
          call: cancelByTag
          args: { tag: none }
        - platform: ios
          call: cancelByTag
          args: { tag: none }
timeline:
  - { at: 0s, call: initialize }
  - { at: 0s, call: registerOneOffTask, args: { uniqueName: step-0, taskName: step } }
`)
	for _, pr := range out.Runs {
		res := pr.Result
		regs := callsFrom(res, "registerOneOffTask", SourceTask)
		if pr.Platform == "android" {
			require.GreaterOrEqual(t, len(regs), 3, "the chain reschedules itself")
			assert.NotEqual(t, regs[0].Args["uniqueName"], regs[1].Args["uniqueName"], "timestamped names differ")
			assert.True(t, strings.HasPrefix(regs[0].Args["uniqueName"].(string), "step-17676"))
		}
		// cancelByTag is Android only: on iOS the call throws and its
		// error is recorded with source task.
		cbt := callsFrom(res, "cancelByTag", SourceTask)
		if pr.Platform == "ios" && len(cbt) > 0 {
			assert.NotEmpty(t, cbt[0].Error)
			found := false
			for _, e := range res.Errors {
				found = found || e.Call == "cancelByTag" && e.Source == SourceTask
			}
			assert.True(t, found, "the error carries its source")
		}
		if pr.Platform == "android" {
			require.NotEmpty(t, cbt)
			assert.Empty(t, cbt[0].Error)
		}
	}
}

func TestExpectOnTimeAndReturned(t *testing.T) {
	out := runYAML(t, `version: 1
name: expect
duration: 3d
platform: android
app: { tasks: { quote: { duration: 1s } } }
timeline:
  - { at: 0s, call: initialize }
  - { at: 0s, call: registerPeriodicTask, args: { uniqueName: daily-quote, taskName: quote, frequency: 1d, initialDelay: { until: "10:00" } } }
  - { at: 1h, call: isScheduledByUniqueName, args: { uniqueName: daily-quote } }
  - { at: 2d2h, call: cancelByUniqueName, args: { uniqueName: daily-quote } }
  - { at: 2d3h, call: isScheduledByUniqueName, args: { uniqueName: daily-quote } }
  - { at: 2d3h, call: printScheduledTasks }
expect:
  - { unique: daily-quote, on_time: { clock: "10:00", late: 30m } }
  - { call: isScheduledByUniqueName, at: 1h, returned: true }
  - { call: isScheduledByUniqueName, at: 2d3h, returned: false }
  - { call: isScheduledByUniqueName, at: 2d3h, returned: true }
  - { call: cancelByUniqueName, at: 2d2h, returned: null }
  - { call: isScheduledByUniqueName, at: 5h, returned: true }
`)
	ex := out.Runs[0].Result.Expectations
	require.Len(t, ex, 6)
	assert.True(t, ex[0].OK, ex[0].Detail)
	assert.True(t, ex[1].OK, ex[1].Detail)
	assert.True(t, ex[2].OK, ex[2].Detail)
	assert.False(t, ex[3].OK, "the query after the cancel returned false")
	assert.True(t, ex[4].OK, ex[4].Detail)
	assert.False(t, ex[5].OK)
	assert.Contains(t, ex[5].Detail, "no isScheduledByUniqueName call took effect")
	p := callsFrom(out.Runs[0].Result, "printScheduledTasks", "")
	require.Len(t, p, 1)
	assert.Equal(t, "unsupported", p[0].Error, "printScheduledTasks throws on Android")

	// A daily run that drifts is late.
	late := EvaluateResult(&report.Result{Start: "2026-01-05T08:00:00Z", End: "2026-01-08T08:00:00Z",
		Runs: []report.Run{{Unique: "q", TStart: 2 * 3600}, {Unique: "q", TStart: 26*3600 + 45*60}}},
		&scenarios.Expectation{Unique: "q", OnTime: &scenarios.OnTime{Clock: scenarios.ClockTime{Hour: 10}, Late: 30 * time.Minute}})
	assert.False(t, late.OK)
	assert.Contains(t, late.Detail, "45m after 10:00")
}

func TestBackgroundModesAccepted(t *testing.T) {
	out := runYAML(t, `version: 1
name: modes
duration: 1h
platform: ios
ios: { background_modes: [fetch, location, audio, processing, push-to-talk] }
`)
	ws := warningsWith(out.Runs[0].Result, WarnModeNotModelled)
	require.Len(t, ws, 3)
	assert.Equal(t, "location: accepted, not modelled", ws[0].Message)
	for _, m := range scenarios.BackgroundModes {
		_, err := scenarios.Parse("m.yaml", []byte("version: 1\nname: m\nduration: 1h\nplatform: ios\nios: {background_modes: ["+string(m)+"]}\n"))
		assert.NoError(t, err, m)
	}
}

func TestEmptyResultWarnings(t *testing.T) {
	out := runYAML(t, `version: 1
name: never-opened
duration: 2d
platform: ios
app: { tasks: { sync: { duration: 1s } } }
timeline:
  - { at: 0s, call: initialize }
  - { at: 0s, call: registerPeriodicTask, args: { uniqueName: sync, taskName: sync, frequency: 1h } }
`)
	assert.Len(t, warningsWith(out.Runs[0].Result, WarnIOSNeverOpened), 1)

	out = runYAML(t, `version: 1
name: never-charged
duration: 2d
platform: android
app: { tasks: { sync: { duration: 1s } } }
timeline:
  - { at: 0s, call: initialize }
  - { at: 0s, call: registerOneOffTask, args: { uniqueName: sync, taskName: sync, constraints: { requiresCharging: true } } }
`)
	ws := warningsWith(out.Runs[0].Result, WarnConstraintNeverMet)
	require.Len(t, ws, 1, "%v", out.Runs[0].Result.Warnings)
	assert.Contains(t, ws[0].Message, "sync never ran")
}

func TestResultArraysAlwaysPresent(t *testing.T) {
	out := runYAML(t, "version: 1\nname: empty\nduration: 1h\n")
	b, err := report.MarshalIndent(out.Document())
	require.NoError(t, err)
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "[]", string(m["calls"]))
	assert.Equal(t, "[]", string(m["warnings"]))
}

func TestCallJSONShape(t *testing.T) {
	b, err := json.Marshal(report.Call{T: 120, Call: "isScheduledByUniqueName", Source: "timeline", Args: map[string]any{"uniqueName": "sync"}, Returned: true})
	require.NoError(t, err)
	assert.Equal(t, `{"t":120.0,"call":"isScheduledByUniqueName","source":"timeline","args":{"uniqueName":"sync"},"returned":true}`, string(b))
	b, err = json.Marshal(report.Call{T: 1, Call: "cancelAll", Source: "task"})
	require.NoError(t, err)
	assert.Equal(t, `{"t":1.0,"call":"cancelAll","source":"task","args":{},"returned":null}`, string(b))
	b, err = json.Marshal(report.Call{T: 1, Call: "cancelByTag", Source: "on_launch", Args: map[string]any{}, Error: "unsupported"})
	require.NoError(t, err)
	assert.Equal(t, `{"t":1.0,"call":"cancelByTag","source":"on_launch","args":{},"error":"unsupported"}`, string(b))
	var back report.Call
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "unsupported", back.Error)
}

func TestProcessLifetimeSparesRunningWork(t *testing.T) {
	out := runYAML(t, `version: 1
name: lifetime
duration: 2h
platform: android
device: { charger: ac }           # no Doze: only the process lifetime could stop the work
app:
  process_lifetime: 1m
  on_launch:
    - call: initialize
    - call: registerOneOffTask
      args: { uniqueName: long, taskName: long }
  tasks:
    long: { duration: 10m }
timeline:
  - { at: 0s, app: { launch: { for: 10s } } }
  - { at: 30m, app: launch }
`)
	res := out.Runs[0].Result
	require.NotEmpty(t, res.Runs)
	assert.Equal(t, "success", res.Runs[0].Outcome, "the process is not reclaimed while its work runs")
	assert.Len(t, callsFrom(res, "initialize", SourceOnLaunch), 2, "reclaimed after the work: the 30m launch is cold")
}

func TestStoppedRunMakesNoThenCalls(t *testing.T) {
	out := runYAML(t, `version: 1
name: stopped
duration: 2h
platform: android
device: { charger: ac }
app:
  tasks:
    upload:
      duration: 10m
      then:
        - call: registerOneOffTask
          args: { uniqueName: next, taskName: upload }
timeline:
  - { at: 0s, call: initialize }
  - { at: 0s, call: registerOneOffTask, args: { uniqueName: first, taskName: upload, constraints: { requiresCharging: true } } }
  - { at: 3m, device: { charger: none } }
`)
	res := out.Runs[0].Result
	require.NotEmpty(t, res.Runs)
	assert.Equal(t, "stopped", res.Runs[0].Outcome)
	assert.Empty(t, callsFrom(res, "registerOneOffTask", SourceTask), "the stopped run's isolate is gone: no then calls")
}

func TestLaunchForLongerThan12hWarns(t *testing.T) {
	out := runYAML(t, "version: 1\nname: fg\nduration: 1d\nplatform: android\ndevice: {charger: ac}\ntimeline:\n  - {at: 0s, app: {launch: {for: 13h}}}\n")
	assert.Len(t, warningsWith(out.Runs[0].Result, WarnForegroundLong), 1)
	out = runYAML(t, "version: 1\nname: fg\nduration: 1d\nplatform: android\ndevice: {charger: ac}\ntimeline:\n  - {at: 0s, app: {launch: {for: 11h}}}\n")
	assert.Empty(t, warningsWith(out.Runs[0].Result, WarnForegroundLong))
}

func TestStepPlatformInChecks(t *testing.T) {
	base := "version: 1\nname: p\nduration: 1d\nplatform: ios\ntimeline:\n"
	_, err := scenarios.Parse("p.yaml", []byte(base+"  - {at: 1h, platform: android, app: force_stop}\n"))
	assert.NoError(t, err, "a step for a platform the file does not run on never happens")
	_, err = scenarios.Parse("p.yaml", []byte(base+"  - {at: 1h, platform: ios, app: force_stop}\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "p.yaml:6:34: timeline[0].app: force_stop is an Android settings action")
}

func TestStepPlatformOSSettings(t *testing.T) {
	base := "version: 1\nname: p\nduration: 1d\nplatform: [android, ios]\ntimeline:\n"
	_, err := scenarios.Parse("p.yaml", []byte(base+"  - {at: 1h, platform: android, os: {doze: force_idle}}\n  - {at: 1h, platform: ios, os: {low_power_mode: true}}\n"))
	assert.NoError(t, err)
	_, err = scenarios.Parse("p.yaml", []byte(base+"  - {at: 1h, platform: ios, os: {doze: force_idle}}\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "timeline[0].os.doze: doze is an android setting; this step happens only on ios")
	_, err = scenarios.Parse("p.yaml", []byte("version: 1\nname: p\nduration: 1d\nplatform: ios\ntimeline:\n  - {at: 1h, platform: android, os: {doze: force_idle}}\n"))
	assert.NoError(t, err, "a step for a platform the file does not run on never happens")
}

func TestBackgroundLaunchRunsMainOnIOSOnly(t *testing.T) {
	src := "version: 1\nname: bg\nduration: 1h\nplatform: [android, ios]\n" + onLaunchApp
	sc, err := scenarios.Parse("bg.yaml", []byte(src))
	require.NoError(t, err)
	for _, p := range []scenarios.Platform{scenarios.PlatformAndroid, scenarios.PlatformIOS} {
		w, err := NewWorld(sc, p, RunOptions{})
		require.NoError(t, err)
		require.NoError(t, w.Engine.RunUntil(sc.Start.Add(time.Minute)))
		w.Device.StartProcess() // the OS starts the app to run work
		require.NoError(t, w.Engine.RunUntil(sc.Start.Add(2*time.Minute)))
		n := len(callsFrom(w.Result(), "initialize", SourceOnLaunch))
		if p == scenarios.PlatformIOS {
			assert.Equal(t, 1, n, "iOS launches the whole app into the background: main() runs")
		} else {
			assert.Equal(t, 0, n, "Android runs only callbackDispatcher in the background")
		}
	}
}
