// Sim, New and Build: the simulated phone a test drives, and virtual time
// (RunFor, RunUntil, At, Every).

package wmsimtest

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// T is the part of *testing.T (and of Ginkgo's GinkgoT()) a Sim reports
// through. A nil T is allowed: failures are then returned as errors only.
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Sim is one simulated device running the app, built from Go options (or a
// scenario file overridden by them) and driven from the test: calls made on
// it happen at the current virtual time, and time passes only in RunFor,
// RunUntil, RunUntilCondition and Run.
type Sim struct {
	t        T
	sc       *scenarios.Scenario
	w        *runner.World
	handlers map[string]plugin.Handler
	// open is true when no duration was given: the run may go on up to
	// scenarios.MaxDuration and the result document ends at the current time.
	open    bool
	running bool // inside an event: a step scheduled with At, a hook
	limit   *sim.LimitError
	hooks   []*hook
	// kernel is the goroutine driving a run in progress (0 between runs);
	// busy is set while a call from outside a run is applied. Together they
	// catch plugin calls from goroutines outside the simulation.
	kernel atomic.Int64
	busy   atomic.Bool
	// realSeen is how many of the engine's RealTimeWaits were reported.
	realSeen int
}

// enter checks that the calling goroutine may touch the simulation now:
// during a run only the goroutine driving it and the simulation's
// processes (Go task handlers) may; between runs one caller at a time.
// The returned function ends the call. A call from anywhere else fails the
// test (Errorf, which is safe from any goroutine) instead of corrupting
// the simulation's state.
func (s *Sim) enter(what string) (func(), error) {
	if k := s.kernel.Load(); k != 0 {
		if g := sim.GoroutineID(); g != k && !s.w.Engine.IsProcess() {
			return nil, s.fail(fmt.Errorf("%s called from goroutine %d, outside the simulation, at +%s: the simulation runs on one goroutine at a time (the test's, and each task handler's own); a goroutine a handler starts runs beside it. Make the call from the handler itself, or start the work with s.Engine().Go so it runs as a process on virtual time", what, g, sim.FormatOffset(s.Elapsed())))
		}
		return func() {}, nil
	}
	if !s.busy.CompareAndSwap(false, true) {
		return nil, s.fail(fmt.Errorf("%s called from goroutine %d while another call to the simulation is in progress: calls to a Sim must not overlap; make them from one goroutine", what, sim.GoroutineID()))
	}
	return func() { s.busy.Store(false) }, nil
}

// realTimeErr reports the handlers found waiting on real time since the
// last check.
func (s *Sim) realTimeErr() error {
	waits := s.w.Engine.RealTimeWaits()
	if len(waits) <= s.realSeen {
		return nil
	}
	var msgs []string
	for _, w := range waits[s.realSeen:] {
		msgs = append(msgs, fmt.Sprintf("%s was waiting on real time (%s) at +%s", w.Process, w.State, sim.FormatOffset(w.At)))
	}
	s.realSeen = len(waits)
	return fmt.Errorf("%s: a handler that sleeps with time.Sleep or does real I/O makes the run depend on the machine; wait with ctx.Clock (virtual time) and fake the I/O (see docs/testing-in-go.md, \"Keeping handlers deterministic\")", strings.Join(msgs, "; "))
}

// build holds what the options set before the world is made.
type build struct {
	base     func() (*scenarios.Scenario, error)
	edits    []func(*scenarios.Scenario)
	handlers map[string]plugin.Handler
	platform scenarios.Platform
	limits   *sim.Limits
	sinks    []sim.Sink
	duration bool
	name     bool
	err      error
	onLaunch []func(*Workmanager)
	sim      *Sim // the Sim being built, for handlers that call the plugin
}

// Option configures a Sim. Options apply in order, except that the ones
// loading a whole scenario (FromYAML, FromFile, FromLibrary, FromScenario)
// apply first, so any other option overrides the loaded file.
type Option func(*build)

// minimal is the smallest valid scenario; parsing it gives every default the
// loader fills, so the builder never re-states them.
const minimal = "version: 1\nname: x\nduration: 1d\n"

// New builds a Sim. Failures to build it (an unknown profile, a bad YAML
// document) fail the test through t; with a nil t, New panics with the error,
// as httptest.NewServer does (use Build to get the error instead).
func New(t T, opts ...Option) *Sim {
	if t != nil {
		t.Helper()
	}
	s, err := build0(t, opts)
	if err != nil {
		if t == nil {
			panic("wmsimtest.New: " + err.Error())
		}
		t.Fatalf("wmsimtest.New: %v", err)
		return nil
	}
	return s
}

// Build builds a Sim that reports through no testing.T: errors are returned.
func Build(opts ...Option) (*Sim, error) { return build0(nil, opts) }

func build0(t T, opts []Option) (*Sim, error) {
	b := &build{handlers: map[string]plugin.Handler{}}
	for _, o := range opts {
		o(b)
	}
	if b.err != nil {
		return nil, b.err
	}
	var sc *scenarios.Scenario
	var err error
	if b.base != nil {
		sc, err = b.base()
		if err != nil {
			return nil, err
		}
		b.duration = true
		b.name = true
	} else {
		sc, err = scenarios.Parse("wmsimtest", []byte(minimal))
		if err != nil {
			return nil, fmt.Errorf("default scenario: %v", err)
		}
		sc.File = "wmsimtest"
	}
	open := false
	if !b.name {
		sc.Name = defaultName(t)
	}
	for _, e := range b.edits {
		e(sc)
	}
	if !b.duration {
		open = true
		sc.Duration = scenarios.MaxDuration
	}
	if sc.Duration <= 0 || sc.Duration > scenarios.MaxDuration {
		return nil, fmt.Errorf("duration %s: must be > 0 and at most %s", sc.Duration, scenarios.FormatDuration(scenarios.MaxDuration))
	}
	p := b.platform
	if p == "" {
		p = scenarios.PlatformAndroid
		if len(sc.Platform) > 0 {
			p = sc.Platform[0]
		}
	}
	sc.Platform = scenarios.Platforms{p}
	w, err := runner.NewWorld(sc, p, runner.RunOptions{Handlers: b.handlers, Limits: b.limits, Sinks: b.sinks})
	if err != nil {
		return nil, err
	}
	s := &Sim{t: t, sc: sc, w: w, handlers: b.handlers, open: open}
	b.sim = s
	if len(b.onLaunch) > 0 {
		wm := &Workmanager{s: s, source: runner.SourceOnLaunch}
		w.OnLaunch = func() {
			for _, fn := range b.onLaunch {
				fn(wm)
			}
		}
	}
	return s, nil
}

// Calls are the Dart calls made so far, with what each returned, as the
// result document's calls list them.
func (s *Sim) Calls() []report.Call { return s.w.Calls() }

// defaultName is the scenario name: the test's name made valid (lower case,
// digits and dashes), or "wmsimtest".
func defaultName(t T) string {
	n, ok := t.(interface{ Name() string })
	if !ok {
		return "wmsimtest"
	}
	if name := scenarios.NameFrom(n.Name()); name != "" {
		return name
	}
	return "wmsimtest"
}

// fail reports err through the test (if any) and returns it.
func (s *Sim) fail(err error) error {
	if err != nil && s.t != nil {
		s.t.Helper()
		s.t.Errorf("wmsimtest: %v", err)
	}
	return err
}

// World is the underlying simulation (kernel, device, plugin, journal).
func (s *Sim) World() *runner.World { return s.w }

// Scenario is the scenario the Sim runs (with every default filled).
func (s *Sim) Scenario() *scenarios.Scenario { return s.sc }

// Engine is the simulation kernel.
func (s *Sim) Engine() *sim.Engine { return s.w.Engine }

// Now is the current virtual time.
func (s *Sim) Now() time.Time { return s.w.Engine.Now() }

// Elapsed is the virtual time since the start.
func (s *Sim) Elapsed() time.Duration { return s.w.Engine.Elapsed() }

// Clock is a clock.Clock view of virtual time (as Go task handlers get it).
func (s *Sim) Clock() clock.Clock { return s.w.Engine.Clock() }

// Handle installs a Go task handler for the name the dispatcher receives,
// replacing any earlier one and the scenario's app.tasks entry of that name.
// It may be called at any time; it applies to runs that start afterwards.
func (s *Sim) Handle(received string, h HandlerFunc) { s.handlers[received] = h }

// end is the scenario's end as an offset.
func (s *Sim) end() time.Duration { return s.sc.Duration }

// guard reports misuse: driving time from inside an event.
func (s *Sim) guard(what string) error {
	if s.running {
		return fmt.Errorf("%s called from inside a step or hook at +%s: virtual time is already passing; schedule later work with s.At instead", what, sim.FormatOffset(s.Elapsed()))
	}
	if s.limit != nil {
		return fmt.Errorf("%s: the run already stopped at a safety limit: %v", what, s.limit)
	}
	return nil
}

// run drives the engine and turns a safety limit into a recorded error.
func (s *Sim) run(what string, fn func() error) error {
	if err := s.guard(what); err != nil {
		return s.fail(err)
	}
	if !s.busy.CompareAndSwap(false, true) {
		return s.fail(fmt.Errorf("%s called from goroutine %d while another call to the simulation is in progress: calls to a Sim must not overlap; make them from one goroutine", what, sim.GoroutineID()))
	}
	s.kernel.Store(sim.GoroutineID())
	err := fn()
	s.kernel.Store(0)
	s.busy.Store(false)
	var le *sim.LimitError
	if errors.As(err, &le) {
		s.limit = le
	}
	if rerr := s.realTimeErr(); rerr != nil {
		s.fail(rerr)
	}
	if err != nil {
		return s.fail(fmt.Errorf("%s: %w", what, err))
	}
	return s.fail(s.hookErr())
}

// RunFor lets d of virtual time pass. Going past the scenario's duration
// (when one was given) is an error.
func (s *Sim) RunFor(d time.Duration) error {
	if d < 0 {
		return s.fail(fmt.Errorf("RunFor(%s): negative duration", d))
	}
	if to := s.Elapsed() + d; to > s.end() {
		return s.fail(fmt.Errorf("RunFor(%s): would run to +%s, past the scenario's end at +%s", d, sim.FormatOffset(to), sim.FormatOffset(s.end())))
	}
	return s.run("RunFor", func() error { return s.w.Engine.RunFor(d) })
}

// RunUntil lets virtual time pass up to the instant at (a time.Time).
func (s *Sim) RunUntil(at time.Time) error {
	off := at.Sub(s.sc.Start)
	if off < s.Elapsed() {
		return s.fail(fmt.Errorf("RunUntil(%s): that is before the current time +%s", at.Format(time.RFC3339), sim.FormatOffset(s.Elapsed())))
	}
	if off > s.end() {
		return s.fail(fmt.Errorf("RunUntil(%s): past the scenario's end at +%s", at.Format(time.RFC3339), sim.FormatOffset(s.end())))
	}
	return s.run("RunUntil", func() error { return s.w.Engine.RunUntil(at) })
}

// RunTo lets virtual time pass up to offset off from the start.
func (s *Sim) RunTo(off time.Duration) error { return s.RunUntil(s.sc.Start.Add(off)) }

// Run runs to the end of the scenario's duration, as the CLI does. A Sim
// built without a duration has no end: use RunFor.
func (s *Sim) Run() error {
	if s.open {
		return s.fail(errors.New("Run: no duration was given (wmsimtest.Duration or a scenario file); use RunFor"))
	}
	return s.RunUntil(s.sc.Start.Add(s.sc.Duration))
}

// RunUntilCondition is the virtual-time counterpart of Gomega's Eventually:
// it fires events until cond holds (checked before the first event and after
// each one) or until limit of virtual time has passed, and returns the offset
// from the start at which cond first held and whether it did.
//
// When cond holds, the effects of what made it hold are applied before it
// returns: every task run in progress then (its handler asleep on virtual
// time, say, or not yet started by the headless engine) is let end, and
// the events of the instant it ended at fire, within limit. The Sim's time may so be a little past
// the returned offset.
//
//	at, ok := s.RunUntilCondition(func() bool { return s.RunCount("sync") >= 3 }, 6*time.Hour)
//	Expect(ok).To(BeTrue(), "sync ran 3 times by %s", at)
func (s *Sim) RunUntilCondition(cond func() bool, limit time.Duration) (time.Duration, bool) {
	if s.Elapsed()+limit > s.end() {
		limit = s.end() - s.Elapsed()
	}
	var ok bool
	var at time.Duration
	_ = s.run("RunUntilCondition", func() error {
		e := s.w.Engine
		deadline := s.Elapsed() + limit
		var err error
		_, ok, err = e.RunUntilCondition(cond, limit)
		at = s.Elapsed()
		if err != nil || !ok {
			return err
		}
		if open := s.w.Journal.Running(); len(open) > 0 {
			ended := func() bool {
				for _, r := range s.w.Journal.Running() {
					for _, o := range open {
						if r.ID == o.ID {
							return false
						}
					}
				}
				return true
			}
			if _, _, err = e.RunUntilCondition(ended, deadline-s.Elapsed()); err != nil {
				return err
			}
		}
		// The events of this instant (a finished run's bookkeeping).
		_, _, err = e.RunUntilCondition(func() bool { return false }, 0)
		return err
	})
	if !ok {
		at = s.Elapsed()
	}
	return at, ok
}

// At schedules fn at offset d from the start, as a timeline step: a kernel
// event in the world phase, so at the same instant it happens before the
// device, OS and plugin react. fn must not drive time itself.
func (s *Sim) At(d time.Duration, fn func(s *Sim)) {
	if d < s.Elapsed() {
		s.fail(fmt.Errorf("At(%s): that is before the current time +%s", scenarios.FormatDuration(d), sim.FormatOffset(s.Elapsed())))
		return
	}
	s.w.Engine.Schedule(s.sc.Start.Add(d), sim.PhaseWorld, "timeline step", sim.HandlerFunc(func(*sim.Engine) {
		s.inEvent(func() { fn(s) })
	}))
}

// Every schedules fn at first and then every period until the scenario's end.
func (s *Sim) Every(first, period time.Duration, fn func(s *Sim)) {
	if period <= 0 {
		s.fail(fmt.Errorf("Every(%s, %s): the period must be > 0", first, period))
		return
	}
	var next func(at time.Duration)
	next = func(at time.Duration) {
		s.At(at, func(s *Sim) {
			fn(s)
			if at+period <= s.end() {
				next(at + period)
			}
		})
	}
	next(first)
}

func (s *Sim) inEvent(fn func()) {
	was := s.running
	s.running = true
	defer func() { s.running = was }()
	fn()
}

// RunCount is how many runs of name (a uniqueName, else a taskName) have
// started so far; cheap enough for RunUntilCondition.
func (s *Sim) RunCount(name string) int {
	n := 0
	byUnique := s.knowsUnique(name)
	for _, r := range s.w.Journal.All() {
		if byUnique && r.Unique == name || !byUnique && r.Task == name {
			n++
		}
	}
	return n
}

func (s *Sim) knowsUnique(name string) bool {
	for _, r := range s.w.Journal.All() {
		if r.Unique == name {
			return true
		}
	}
	var infos []osscheduler.TaskInfo
	if am := s.w.Plugin.Android(); am != nil {
		infos = am.Tasks()
	} else if im := s.w.Plugin.IOS(); im != nil {
		infos = im.Tasks()
	}
	for _, t := range infos {
		if t.Unique == name {
			return true
		}
	}
	return false
}

// Result is the result document of the run so far, the same wmsim.result/v1
// document `wmsim run --format json` prints. For a Sim without a duration the
// document ends at the current time.
func (s *Sim) Result() *report.Result {
	var res *report.Result
	s.atNow(func() { res = s.w.Result() })
	if s.limit != nil {
		res.Limit = s.limit.Error()
	}
	return res
}

// atNow runs fn with the scenario ending now when no duration was given.
func (s *Sim) atNow(fn func()) {
	if !s.open {
		fn()
		return
	}
	saved := s.w.Scenario
	c := *saved
	c.Duration = s.Elapsed()
	s.w.Scenario = &c
	defer func() { s.w.Scenario = saved }()
	fn()
}

// evaluate checks one expectation against the run so far.
func (s *Sim) evaluate(e *scenarios.Expectation) report.Expectation {
	var out report.Expectation
	s.atNow(func() { out = s.w.Evaluate(e) })
	return out
}

// JSON is the result document as the CLI prints it (indented, trailing
// newline).
func (s *Sim) JSON() []byte {
	b, err := report.MarshalIndent(s.Result())
	if err != nil { // a Result always marshals; keep the error visible anyway
		return []byte(fmt.Sprintf("{\"error\": %q}\n", err.Error()))
	}
	return b
}

// WriteJSON writes the result document to path (handy in a failing test's
// cleanup, to open it with `wmsim report`).
func (s *Sim) WriteJSON(path string) error {
	return s.fail(os.WriteFile(path, s.JSON(), 0o644))
}
