package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

// RunOptions adjust a run without editing the scenario.
type RunOptions struct {
	// Platforms replaces the scenario's platform list.
	Platforms []string
	// Seed replaces the scenario's seed.
	Seed *uint64
	// Limits replaces DefaultLimits.
	Limits *Limits
	// KeepTrace keeps every trace record in PlatformRun.Trace. Expectations
	// read the trace for their evidence either way.
	KeepTrace bool
	// NoTrace records no trace and checks no invariants (fleet runs), so
	// with no Sinks nothing formats trace reasons: expectations then have
	// only the runs for evidence, and the result reports no "clamped"
	// warnings and no invariants.
	NoTrace bool
	// Sinks receive every trace record as it happens (e.g. a JSON Lines
	// writer), after the runner's own.
	Sinks []Sink
	// Handlers are Go task handlers by received name; they take precedence
	// over the scenario's app.tasks behaviours (wmsimtest uses them).
	Handlers map[string]Handler
	// Setup runs after the world is built and before the first event, for
	// callers that drive the plugin from Go.
	Setup func(w *World)
	// Profile replaces the scenario's device profile (fleet runs draw one
	// per device); Duration replaces its duration.
	Profile  string
	Duration time.Duration
	// Context stops the run early when it is cancelled (a CLI's SIGINT): the
	// platform run in progress ends with a *LimitError "interrupted" and
	// no further platform starts. It is polled as trace records are written,
	// like the trace-record cap, so it needs the trace (not NoTrace).
	Context context.Context
}

// PlatformRun is the outcome of a scenario on one platform.
type PlatformRun struct {
	Platform string
	Start    time.Time
	Result   *report.Result
	Trace    []report.Record // with RunOptions.KeepTrace
	// LimitErr is the safety limit that stopped the run, if one did.
	LimitErr *LimitError
	// Timing is the real time the run took, for JUnit's time attributes
	// (report.JUnitOptions.Timing); the only figure that varies between
	// identical runs, so it is not part of Result.
	Timing *report.Timing
}

// Outcome is the outcome of a scenario on each of its platforms.
type Outcome struct {
	Scenario *scenarios.Scenario
	Runs     []*PlatformRun
}

// Document is the result document: a *report.Result for one platform, a
// *report.Results for several.
func (o *Outcome) Document() any {
	if len(o.Runs) == 1 {
		return o.Runs[0].Result
	}
	d := &report.Results{Format: report.FormatResults}
	for _, r := range o.Runs {
		d.Results = append(d.Results, r.Result)
	}
	return d
}

// ExitCode is the CLI's exit code for the outcome: 3 if any platform hit a
// safety limit, 1 if an expectation failed or an invariant broke, else 0.
func (o *Outcome) ExitCode() int {
	code := 0
	for _, r := range o.Runs {
		switch {
		case r.LimitErr != nil:
			return 3
		case !r.Result.Passed():
			code = 1
		}
	}
	return code
}

// Run simulates the scenario on each of its platforms. An error means the
// run could not be set up (an unknown platform or profile); what happens
// inside the simulation — rejected calls, failed tasks, limits — is in the
// outcome.
func Run(sc *scenarios.Scenario, opts RunOptions) (*Outcome, error) {
	sc = opts.apply(sc)
	platforms := make([]scenarios.Platform, 0, len(sc.Platform))
	if len(opts.Platforms) > 0 {
		for _, p := range opts.Platforms {
			if p != string(scenarios.PlatformAndroid) && p != string(scenarios.PlatformIOS) {
				return nil, fmt.Errorf("unknown platform %q; valid: android, ios", p)
			}
			platforms = append(platforms, scenarios.Platform(p))
		}
	} else {
		platforms = append(platforms, sc.Platform...)
	}
	if len(platforms) == 0 {
		platforms = []scenarios.Platform{scenarios.PlatformAndroid}
	}
	out := &Outcome{Scenario: sc}
	for _, p := range platforms {
		if opts.Context != nil && opts.Context.Err() != nil {
			break
		}
		pr, err := runPlatform(sc, p, opts)
		if err != nil {
			return nil, err
		}
		out.Runs = append(out.Runs, pr)
	}
	return out, nil
}

// apply returns sc with the options' overrides, leaving sc itself untouched.
func (o RunOptions) apply(sc *scenarios.Scenario) *scenarios.Scenario {
	if o.Profile == "" && o.Duration == 0 {
		return sc
	}
	c := *sc
	if o.Profile != "" {
		p := o.Profile
		c.Device.Profile, c.Device.ProfileDef = &p, nil
	}
	if o.Duration > 0 {
		c.Duration = o.Duration
	}
	return &c
}

// World is one platform's simulation, as built from a scenario: the kernel,
// the device, the plugin (with its OS model) and the run's records.
type World struct {
	Scenario *scenarios.Scenario
	Platform scenarios.Platform
	Engine   *sim.Engine
	Device   *device.Device
	Plugin   *plugin.Plugin
	Journal  *osscheduler.Journal

	app        *appBehaviour
	recorder   *sim.Recorder
	checker    *invariantChecker
	registered map[string]time.Duration
	uniquesOf  map[string][]string // unique names each task name was registered under, accepted or not
	uniqueSeen map[[2]string]bool  // the (task, unique) pairs in uniquesOf
	wall       time.Duration       // real time Engine.RunUntil took in runPlatform (JUnit only)
	expectWall []time.Duration     // real time each expectation took in Result (JUnit only)
	warnings   []report.Warning

	// OnLaunch, when set, runs at every cold start of the app after
	// app.on_launch's calls: what main() does, in Go (wmsimtest).
	OnLaunch func()

	proc       process        // the app process model (format v1.1)
	calls      []report.Call  // every Dart call that took effect
	errSource  map[int]string // Journal.Errors index → source, for calls not from the timeline
	lastReturn any            // what the last query returned to Dart
	hasReturn  bool
}

// callbackHandle is the raw handle of the scenario app's dispatcher. Its
// value is arbitrary; it only has to be stable.
const callbackHandle int64 = 0x5eed_cafe

func runPlatform(sc *scenarios.Scenario, p scenarios.Platform, opts RunOptions) (*PlatformRun, error) {
	w, err := NewWorld(sc, p, opts)
	if err != nil {
		return nil, err
	}
	if opts.Setup != nil {
		opts.Setup(w)
	}
	end := sc.Start.Add(sc.Duration)
	pr := &PlatformRun{Platform: string(p), Start: sc.Start}
	t0 := time.Now()
	err = w.Engine.RunUntil(end)
	w.wall = time.Since(t0) // for JUnit's time attributes only
	if err != nil {
		var le *sim.LimitError
		if !errors.As(err, &le) {
			return nil, err
		}
		pr.LimitErr = le
	}
	pr.Result = w.Result()
	pr.Timing = &report.Timing{Run: w.wall, Expectations: w.expectWall}
	if pr.LimitErr != nil {
		pr.Result.Limit = pr.LimitErr.Error()
	}
	if opts.KeepTrace {
		pr.Trace = w.recorder.Records
	}
	return pr, nil
}

// NewWorld builds the simulation of sc on platform p and schedules its
// timeline, without running it.
func NewWorld(sc *scenarios.Scenario, p scenarios.Platform, opts RunOptions) (*World, error) {
	sc = opts.apply(sc)
	seed := sc.Seed
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	limits := sim.DefaultLimits
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	if limits.Horizon == 0 || limits.Horizon > sc.Duration+time.Second {
		// Nothing after the scenario's end matters; stop there.
		limits.Horizon = sc.Duration + time.Second
	}
	eng := sim.New(sc.Start, seed, sim.WithLimits(limits))
	w := &World{Scenario: sc, Platform: p, Engine: eng, Journal: &osscheduler.Journal{}, registered: map[string]time.Duration{}, uniquesOf: map[string][]string{}, uniqueSeen: map[[2]string]bool{}}
	w.recorder = &sim.Recorder{}
	if !opts.NoTrace {
		eng.AddSink(&boundedRecorder{rec: w.recorder, eng: eng, max: MaxTraceRecords, maxBytes: maxTraceBytes})
	}
	for _, s := range opts.Sinks {
		eng.AddSink(s)
	}
	if opts.Context != nil && !opts.NoTrace {
		eng.AddSink(&contextWatch{ctx: opts.Context, eng: eng})
	}

	st := initialState(sc, p)
	w.Device = device.New(eng, device.Config{Initial: st})

	cfg := plugin.Config{
		Platform: osscheduler.Platform(p),
		Version:  plugin.Version(sc.Plugin.Version),

		AndroidPackage:                  sc.Plugin.Android,
		ApplePackage:                    sc.Plugin.Apple,
		Debug:                           plugin.DebugHandler(sc.Plugin.Debug),
		EnableDataSyncForegroundService: sc.Plugin.DataSyncForegroundService,
		StripShortServicePermission:     sc.Plugin.StripShortServicePermission,
		OnStoppedBug732:                 sc.Plugin.OnStoppedBug732,
		SceneApp:                        sc.App.SceneApp,
		DispatcherNotEntryPoint:         sc.App.DispatcherEntryPoint != nil && !*sc.App.DispatcherEntryPoint,
		Engine:                          eng,
		Device:                          w.Device,
		Journal:                         w.Journal,
		Android:                         androidConfig(sc),
		IOS:                             iosConfig(sc),
	}
	w.Plugin = plugin.New(cfg)
	if !opts.NoTrace {
		w.checker = newInvariantChecker(w)
		eng.AddSink(w.checker)
	}
	w.app = newAppBehaviour(w, opts.Handlers)
	w.Plugin.ExecuteTaskAsync(w.app)
	w.initProcess()

	if prof, ok, err := profileOf(sc.Device); err != nil {
		return nil, fmt.Errorf("%s: device.profile: %v", sc.File, err)
	} else if ok {
		if err := w.Device.ApplyProfile(prof, sc.Start.Add(sc.Duration)); err != nil {
			return nil, fmt.Errorf("%s: device.profile: %v", sc.File, err)
		}
	}
	for i := range sc.Timeline {
		w.scheduleStep(&sc.Timeline[i])
	}
	return w, nil
}

// profileOf returns the usage profile a device block names or defines.
func profileOf(d scenarios.Device) (device.Profile, bool, error) {
	switch {
	case d.ProfileDef != nil:
		return *d.ProfileDef, true, nil
	case d.Profile != nil:
		p, ok := device.BuiltinProfile(*d.Profile)
		if !ok {
			return p, false, fmt.Errorf("unknown profile %q; valid: %v", *d.Profile, device.ProfileNames())
		}
		return p, true, nil
	}
	return device.Profile{}, false, nil
}

func initialState(sc *scenarios.Scenario, p scenarios.Platform) device.State {
	st := device.DefaultState()
	applyDevice(&st, sc.Device)
	if p == scenarios.PlatformIOS {
		st.LowPower = sc.IOS.LowPowerMode
	} else {
		st.LowPower = sc.Android.BatterySaver
	}
	return st
}

// applyDevice applies the given fields of a device block to st.
func applyDevice(st *device.State, d scenarios.Device) {
	if b := d.Battery; b != nil {
		if b.CapacityMAh != nil {
			lvl := st.Battery.Level()
			st.Battery.CapacityMAh = int64(*b.CapacityMAh)
			st.Battery.ChargeUAh = device.LevelCharge(st.Battery.CapacityMAh, lvl)
		}
		if b.Level != nil {
			st.Battery.ChargeUAh = device.LevelCharge(st.Battery.CapacityMAh, *b.Level)
		}
	}
	if d.Charger != nil {
		st.Charger = device.Charger(*d.Charger)
	}
	if n := d.Network; n != nil {
		st.Network = networkOf(st.Network, n)
	}
	if d.Motion != nil {
		st.Moving = *d.Motion
	}
	if d.Screen != nil {
		st.ScreenOn = *d.Screen == scenarios.ScreenOn
		st.Locked = !st.ScreenOn
	}
	if s := d.Storage; s != nil {
		if s.Total != nil {
			st.Storage.Total = int64(*s.Total)
		}
		if s.Free != nil {
			st.Storage.Free = int64(*s.Free)
		}
	}
}

// networkOf applies a scenario network block: a type alone implies the usual
// metering (cellular metered, Wi-Fi not) and a validated connection.
func networkOf(cur device.Network, n *scenarios.Network) device.Network {
	out := cur
	if n.Type != nil {
		out = device.Network{Type: device.NetworkType(*n.Type), Validated: *n.Type != scenarios.NetworkNone, Metered: *n.Type == scenarios.NetworkCellular}
	}
	if n.Metered != nil {
		out.Metered = *n.Metered
	}
	if n.Roaming != nil {
		out.Roaming = *n.Roaming
	}
	if n.Validated != nil {
		out.Validated = *n.Validated && out.Type != device.NetworkNone
	}
	return out
}

func androidConfig(sc *scenarios.Scenario) android.Config {
	c := android.DefaultConfig()
	c.API = sc.Android.API
	c.StandbyBucket = string(sc.Android.StandbyBucket)
	c.Doze = sc.Android.Doze
	c.BatterySaver = sc.Android.BatterySaver
	c.OEM = string(sc.Android.OEM)
	androidConfig2(sc, &c)
	return c
}

func iosConfig(sc *scenarios.Scenario) ios.Config {
	c := ios.DefaultConfig()
	c.Version = sc.IOS.Version
	c.BackgroundAppRefresh = sc.IOS.BackgroundAppRefresh
	c.PermittedIdentifiers = slices.Clone(sc.IOS.PermittedIdentifiers)
	c.BackgroundModes = nil
	for _, m := range sc.IOS.BackgroundModes {
		c.BackgroundModes = append(c.BackgroundModes, string(m))
	}
	c.LaunchHandlers = slices.Clone(sc.IOS.LaunchHandlers)
	c.FetchInterval = fetchInterval(sc.IOS.FetchInterval)
	if sc.IOS.Heuristics != "" {
		c.Heuristics = string(sc.IOS.Heuristics)
	}
	return c
}

func fetchInterval(f scenarios.FetchInterval) time.Duration {
	switch f.Kind {
	case scenarios.FetchMinimum:
		return ios.FetchMinimum
	case scenarios.FetchEvery:
		return f.Interval
	default:
		return ios.FetchNever
	}
}

// scheduleStep queues the step's first occurrence; each occurrence queues
// the next, so a step repeated every second for a year costs one queued
// event at a time.
func (w *World) scheduleStep(s *scenarios.Step) {
	first := s.At.Offset(w.Scenario.Start)
	if first > w.Scenario.Duration {
		return
	}
	var fire func(at time.Duration)
	fire = func(at time.Duration) {
		w.Engine.Schedule(w.Scenario.Start.Add(at), sim.PhaseWorld, "timeline step", sim.HandlerFunc(func(*sim.Engine) {
			w.doStep(s)
			if s.Every > 0 && at+s.Every <= w.Scenario.Duration {
				fire(at + s.Every)
			}
		}))
	}
	fire(first)
}

func (w *World) warn(code, msg string) {
	w.warnings = append(w.warnings, report.Warning{T: secs(w.Engine.Elapsed()), Code: code, Message: msg})
	if w.Engine.Tracing() {
		w.Engine.Emit(event.SourceRunner, event.Warning, code, msg)
	}
}
