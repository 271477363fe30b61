// The options of New and Build: where the scenario comes from, the
// platform, the device, the app and its Go handlers.

package wmsimtest

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

func edit(fn func(sc *scenarios.Scenario)) Option {
	return func(b *build) { b.edits = append(b.edits, fn) }
}

// Configure edits the scenario directly: anything a scenario file can say
// that has no option of its own.
func Configure(fn func(sc *scenarios.Scenario)) Option { return edit(fn) }

// FromYAML loads a scenario document (format v1) as the base; the other
// options override it. Its first platform is simulated unless Android or
// IOS says otherwise.
func FromYAML(src []byte) Option {
	return func(b *build) {
		b.base = func() (*scenarios.Scenario, error) { return scenarios.Parse("scenario.yaml", src) }
	}
}

// FromFile loads a scenario file as the base.
func FromFile(path string) Option {
	return func(b *build) {
		b.base = func() (*scenarios.Scenario, error) {
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			return scenarios.Parse(path, src)
		}
	}
}

// FromLibrary loads one of the library's ready scenarios by name as the base.
func FromLibrary(name string) Option {
	return func(b *build) { b.base = func() (*scenarios.Scenario, error) { return scenarios.LoadLibrary(name) } }
}

// FromScenario uses a copy of an already loaded scenario as the base.
func FromScenario(sc *scenarios.Scenario) Option {
	return func(b *build) {
		b.base = func() (*scenarios.Scenario, error) {
			if sc == nil {
				return nil, fmt.Errorf("FromScenario: nil scenario")
			}
			c := *sc
			c.Timeline = slices.Clone(sc.Timeline)
			c.Expect = slices.Clone(sc.Expect)
			return &c, nil
		}
	}
}

// Name sets the scenario's name (default: the test's name).
func Name(name string) Option {
	return func(b *build) {
		b.name = true
		b.edits = append(b.edits, func(sc *scenarios.Scenario) { sc.Name = name })
	}
}

// Android simulates an Android device at the given API level (23..35).
func Android(api int) Option {
	return func(b *build) {
		if api < scenarios.MinAndroidAPI || api > scenarios.MaxAndroidAPI {
			b.err = fmt.Errorf("Android(%d): API level must be %d..%d", api, scenarios.MinAndroidAPI, scenarios.MaxAndroidAPI)
		}
		b.platform = scenarios.PlatformAndroid
		b.edits = append(b.edits, func(sc *scenarios.Scenario) { sc.Android.API = api })
	}
}

// IOS simulates an iPhone on the given iOS major version (13..18, 26, 27). Only the
// identifiers given to PermittedIdentifiers are in the Info.plist.
func IOS(version int) Option {
	return func(b *build) {
		if version < scenarios.MinIOSVersion || version > scenarios.MaxIOSVersion {
			b.err = fmt.Errorf("IOS(%d): version must be %d..%d", version, scenarios.MinIOSVersion, scenarios.MaxIOSVersion)
		}
		b.platform = scenarios.PlatformIOS
		b.edits = append(b.edits, func(sc *scenarios.Scenario) { sc.IOS.Version = version })
	}
}

// Platform picks which of a loaded scenario's platforms to simulate
// (android or ios) without changing its version.
func Platform(p scenarios.Platform) Option {
	return func(b *build) {
		if p != scenarios.PlatformAndroid && p != scenarios.PlatformIOS {
			b.err = fmt.Errorf("Platform(%q): valid: android, ios", p)
		}
		b.platform = p
	}
}

// PluginVersion selects the plugin release: a minor "0.2" … "0.10"
// (default "0.10", its latest release) or an exact release such as "0.9.0+3"
// (docs/plugin-releases.md lists them).
func PluginVersion(v string) Option {
	return func(b *build) {
		if _, err := plugin.ResolveRelease(v, "", ""); err != nil {
			b.err = fmt.Errorf("PluginVersion(%q): %v", v, err)
		}
		b.edits = append(b.edits, func(sc *scenarios.Scenario) { sc.Plugin.Version = scenarios.PluginVersion(v) })
	}
}

// Seed sets the root of every random stream.
func Seed(seed uint64) Option { return edit(func(sc *scenarios.Scenario) { sc.Seed = seed }) }

// Start sets the virtual wall-clock start (default Monday 2026-01-05 08:00 UTC).
func Start(t time.Time) Option { return edit(func(sc *scenarios.Scenario) { sc.Start = t }) }

// Duration sets how long the scenario lasts: Run runs to its end, and the
// result document ends there. Without it a Sim may run up to 366 days and
// its result document ends at the current virtual time.
func Duration(d time.Duration) Option {
	return func(b *build) {
		b.duration = true
		b.edits = append(b.edits, func(sc *scenarios.Scenario) { sc.Duration = d })
	}
}

// Limits replaces the kernel's safety limits.
func Limits(l runner.Limits) Option { return func(b *build) { b.limits = &l } }

// Sink receives every trace record (e.g. a sim JSON Lines writer).
func Sink(sk runner.Sink) Option { return func(b *build) { b.sinks = append(b.sinks, sk) } }

// Profile applies a built-in daily usage profile (office-worker, …).
func Profile(name string) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Device.Profile = &name })
}

// Battery sets the initial battery level in percent.
func Battery(percent int) Option {
	return edit(func(sc *scenarios.Scenario) {
		var b scenarios.Battery
		if sc.Device.Battery != nil {
			b = *sc.Device.Battery
		}
		b.Level = &percent
		sc.Device.Battery = &b
	})
}

// Charger sets the initial power source (ChargerAC, ChargerUSB, …).
func Charger(c scenarios.Charger) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Device.Charger = &c })
}

// Network sets the initial network (NetworkWiFi, NetworkCellular,
// NetworkNone), with the usual metering.
func Network(kind scenarios.NetworkKind) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Device.Network = &scenarios.Network{Type: &kind} })
}

// Screen sets whether the screen is initially on.
func Screen(on bool) Option {
	v := scenarios.ScreenOff
	if on {
		v = scenarios.ScreenOn
	}
	return edit(func(sc *scenarios.Scenario) { sc.Device.Screen = &v })
}

// StandbyBucket fixes the Android App Standby bucket (default auto).
func StandbyBucket(bucket scenarios.StandbyBucket) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Android.StandbyBucket = bucket })
}

// Doze says whether Doze is modelled (default true).
func Doze(on bool) Option { return edit(func(sc *scenarios.Scenario) { sc.Android.Doze = on }) }

// BatterySaver sets Android's Battery Saver at the start.
func BatterySaver(on bool) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Android.BatterySaver = on })
}

// AggressiveOEM makes swiping the app away force-stop it, as some vendors do.
func AggressiveOEM() Option {
	return edit(func(sc *scenarios.Scenario) { sc.Android.OEM = scenarios.OEMAggressive })
}

// LowPowerMode sets iOS Low Power Mode at the start.
func LowPowerMode(on bool) Option {
	return edit(func(sc *scenarios.Scenario) { sc.IOS.LowPowerMode = on })
}

// BackgroundAppRefresh sets the iOS Settings switch (default on).
func BackgroundAppRefresh(on bool) Option {
	return edit(func(sc *scenarios.Scenario) { sc.IOS.BackgroundAppRefresh = on })
}

// PermittedIdentifiers sets BGTaskSchedulerPermittedIdentifiers, and the
// launch handlers the AppDelegate registers unless LaunchHandlers says
// otherwise. A Sim built in Go permits none by default.
func PermittedIdentifiers(ids ...string) Option {
	return edit(func(sc *scenarios.Scenario) {
		sc.IOS.PermittedIdentifiers = slices.Clone(ids)
		sc.IOS.LaunchHandlers = slices.Clone(ids)
	})
}

// LaunchHandlers sets the identifiers the AppDelegate registers at launch.
func LaunchHandlers(ids ...string) Option {
	return edit(func(sc *scenarios.Scenario) { sc.IOS.LaunchHandlers = slices.Clone(ids) })
}

// BackgroundModes sets UIBackgroundModes (default fetch, processing).
func BackgroundModes(modes ...scenarios.BackgroundMode) Option {
	return edit(func(sc *scenarios.Scenario) { sc.IOS.BackgroundModes = slices.Clone(modes) })
}

// FetchInterval sets setMinimumBackgroundFetchInterval: FetchNever,
// FetchMinimum or FetchEvery(d).
func FetchInterval(f scenarios.FetchInterval) Option {
	return edit(func(sc *scenarios.Scenario) { sc.IOS.FetchInterval = f })
}

// FetchEvery is a fetch interval of d.
func FetchEvery(d time.Duration) scenarios.FetchInterval {
	return scenarios.FetchInterval{Kind: scenarios.FetchEvery, Interval: d}
}

// Fetch intervals without a duration.
var (
	FetchNever   = scenarios.FetchInterval{Kind: scenarios.FetchNever}
	FetchMinimum = scenarios.FetchInterval{Kind: scenarios.FetchMinimum}
)

// Task describes how the scenario app's handler behaves for a received name
// (app.tasks in a file): it runs for d and returns results in turn (the last
// repeats). Use Handler for real Go code instead.
func Task(received string, d time.Duration, results ...scenarios.Result) Option {
	return TaskBehaviour(scenarios.Task{Name: received, Duration: scenarios.DurationRange{Min: d, Max: d}, Result: results})
}

// TaskBehaviour adds (or replaces) an app.tasks entry.
func TaskBehaviour(task scenarios.Task) Option {
	return edit(func(sc *scenarios.Scenario) {
		for i := range sc.App.Tasks {
			if sc.App.Tasks[i].Name == task.Name {
				sc.App.Tasks[i] = task
				return
			}
		}
		sc.App.Tasks = append(sc.App.Tasks, task)
	})
}

// Handler installs a Go task handler for the name the dispatcher receives:
// real code receiving the virtual clock.Clock, the input data, the attempt
// and the app's persistent store. It takes precedence over Task.
func Handler(received string, h HandlerFunc) Option {
	return func(b *build) { b.handlers[received] = h }
}

// Expectations adds expect entries to the scenario; they are judged in the result
// document, as a file's are.
func Expectations(e ...scenarios.Expectation) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Expect = append(sc.Expect, e...) })
}

// Step adds timeline steps as a file writes them (at, every and one action).
func Step(steps ...scenarios.Step) Option {
	return edit(func(sc *scenarios.Scenario) { sc.Timeline = append(sc.Timeline, steps...) })
}

// Task results, for Task.
const (
	Success = scenarios.ResultSuccess
	Retry   = scenarios.ResultRetry
	Failure = scenarios.ResultFailure
	Throw   = scenarios.ResultError
)

// Chargers, networks and buckets, for the options and Device.
const (
	ChargerNone     = scenarios.ChargerNone
	ChargerAC       = scenarios.ChargerAC
	ChargerUSB      = scenarios.ChargerUSB
	ChargerWireless = scenarios.ChargerWireless

	WiFi     = scenarios.NetworkWiFi
	Cellular = scenarios.NetworkCellular
	Offline  = scenarios.NetworkNone

	BucketActive     = scenarios.BucketActive
	BucketWorkingSet = scenarios.BucketWorkingSet
	BucketFrequent   = scenarios.BucketFrequent
	BucketRare       = scenarios.BucketRare
	BucketRestricted = scenarios.BucketRestricted
)

// OnLaunch runs fn at every cold start of the app (format v1.1's
// app.on_launch, in Go): what main() does, with the plugin's Dart API as
// main() calls it (source on_launch in the result's calls). A warm launch
// runs nothing; a backgrounded process lives app.process_lifetime
// (scenarios.DefaultProcessLifetime unless the scenario says otherwise).
func OnLaunch(fn func(wm *Workmanager)) Option {
	return func(b *build) {
		b.onLaunch = append(b.onLaunch, fn)
		b.edits = append(b.edits, func(sc *scenarios.Scenario) {
			if sc.App.ProcessLifetime == nil {
				d := scenarios.DefaultProcessLifetime
				sc.App.ProcessLifetime = &d
			}
		})
	}
}

// TaskHandler is a Go task handler that calls the plugin before it returns,
// from the background isolate (source task in the result's calls): a
// self-rescheduling chain, a cancel after the last item.
type TaskHandler func(ctx *TaskContext, wm *Workmanager) (bool, error)

// HandlerWithPlugin installs a TaskHandler for the name the dispatcher
// receives, as Handler does.
func HandlerWithPlugin(received string, h TaskHandler) Option {
	return func(b *build) {
		cell := &b.sim
		b.handlers[received] = func(ctx *plugin.TaskContext) (bool, error) {
			return h(ctx, &Workmanager{s: *cell, source: runner.SourceTask})
		}
	}
}
