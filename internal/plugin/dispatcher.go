package plugin

import (
	"errors"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Handler is the app's task handler written in Go: Workmanager().executeTask's
// callback. true is success, false asks for a retry, an error (or a panic) is
// a failure. It runs as a process of the kernel (sim.Engine.Go), so it may
// Sleep on ctx.Clock in virtual time.
type Handler func(ctx *TaskContext) (bool, error)

// AsyncHandler is a task handler that finishes later: it calls done exactly
// once, from a kernel event (the scenario runner schedules one after the
// task's duration).
type AsyncHandler interface {
	ExecuteTask(ctx *TaskContext, done func(ok bool, err error))
}

// ContextHandler is an AsyncHandler that answers through ctx.Done instead of
// a done callback, so the plugin need not build a callback for every run.
// The plugin calls ExecuteTaskContext in place of ExecuteTask, with
// ctx.Input not yet filled in: the handler calls ctx.LoadInput before it (or
// a handler it passes ctx to) reads Input, and a handler that never reads it
// saves decoding the payload.
type ContextHandler interface {
	AsyncHandler
	// ExecuteTaskContext starts the task. It returns true when nothing it
	// started uses ctx once ctx.Done has been called: the plugin may then
	// reuse ctx for a later run.
	ExecuteTaskContext(ctx *TaskContext) (releasedOnDone bool)
}

// AsyncHandlerFunc adapts a function to AsyncHandler.
type AsyncHandlerFunc func(ctx *TaskContext, done func(ok bool, err error))

// ExecuteTask calls f.
func (f AsyncHandlerFunc) ExecuteTask(ctx *TaskContext, done func(ok bool, err error)) { f(ctx, done) }

// TaskContext is what a handler gets besides the task name and input data.
type TaskContext struct {
	// Received is the task name delivered to the dispatcher.
	Received string
	// Input is inputData as Dart's handler sees it (nil when Dart gets null).
	Input osscheduler.Data
	// Attempt is 1 for the first run (Android: runAttemptCount + 1).
	Attempt int
	// Clock is the virtual clock.
	Clock clock.Clock
	// Platform is android or ios.
	Platform osscheduler.Platform
	// Store is the app's persistent key-value store (shared_preferences).
	Store *Store

	p       *Plugin
	dev     *device.Device
	x       *osscheduler.Execution
	r       *run
	lazy    bool // Input is still to be built from r (LoadInput)
	stopped bool
	reason  osscheduler.StopReason
}

// LoadInput fills in Input, which a ContextHandler receives unset, and
// returns it. For any other handler Input is already set and LoadInput only
// returns it.
func (c *TaskContext) LoadInput() osscheduler.Data {
	if c.lazy {
		c.lazy = false
		c.Input = c.r.sourceInput()
	}
	return c.Input
}

// Done is the dispatcher's answer, as the done callback of an AsyncHandler
// gives it: only the first call counts.
func (c *TaskContext) Done(ok bool, err error) {
	r := c.r
	if r == nil || r.answered {
		return
	}
	r.answered = true
	c.p.answer(r, ok, err)
}

// Device is the device state the handler may read (network, battery, …).
func (c *TaskContext) Device() device.State { return c.dev.State() }

// Stopped reports whether the OS stopped the run; a stopped run's result is
// ignored.
func (c *TaskContext) Stopped() bool { return c.stopped }

// StopReason is why the OS stopped the run (empty if it did not).
func (c *TaskContext) StopReason() osscheduler.StopReason { return c.reason }

// Execution is the OS model's record of this run.
func (c *TaskContext) Execution() *osscheduler.Execution { return c.x }

// ExecuteTask is Workmanager().executeTask(handler) called in the
// dispatcher: it installs a Go handler (replacing any other).
func (p *Plugin) ExecuteTask(h Handler) { p.handler, p.async = h, nil }

// ExecuteTaskAsync installs an asynchronous handler (replacing any other).
func (p *Plugin) ExecuteTaskAsync(h AsyncHandler) { p.async, p.handler = h, nil }

// OnTaskStopped is executeTask's onTaskStopped: fn receives the task name and
// the reason as Dart's StopReason names it (see DartStopReason).
func (p *Plugin) OnTaskStopped(fn func(taskName string, reason osscheduler.StopReason)) {
	p.stopped = fn
}

func (p *Plugin) hasDispatcher() bool { return p.handler != nil || p.async != nil }

// run is one background run in progress.
type run struct {
	p         *Plugin
	x         *osscheduler.Execution
	ctx       *TaskContext // &tc once delivered
	task      string       // DART_TASK / the identifier
	unique    string
	timer     sim.Timer
	engineUp  bool // the engine runs the dispatcher (flutterApi initialised)
	delivered bool // the Dart side has the task
	answered  bool // the dispatcher replied (done or ctx.Done called)
	reusable  bool // the handler lets go of ctx once it answers (ContextHandler)
	stopped   bool
	done      bool
	debug     bool // 0.5 debug notifications
	started   time.Time
	// finish says how the dispatcher's answer maps to the OS result (per
	// platform and kind); a dispatcher that never answers leaves the run to
	// the OS.
	finish finishKind
	// step is what the pending timer does when it fires (Fire); fn is the
	// work of a stepFunc timer.
	step runStep
	fn   func()
	// inputFrom says how the dispatcher's inputData is built when deliver
	// is not given it.
	inputFrom inputSource
	// iOS headless delivery: the name and input handed to the dispatcher,
	// the identifier traced as uniqueName, and the kind flags.
	name     string
	input    osscheduler.Data
	hUnique  string
	periodic bool
	bgKind   bool

	tc TaskContext
}

// finishKind selects the reply mapping of a run.
type finishKind uint8

const (
	finishNone        finishKind = iota
	finishAndroid                // androidFinish
	finishIOSMain                // iosFinishMainEngine
	finishIOSHeadless            // iosFinishHeadless
)

// inputSource is where a run's inputData comes from.
type inputSource uint8

const (
	inputGiven     inputSource = iota // deliver's input argument
	inputAndroid                      // deliverAndroidPayload(x.Input)
	inputAndroid05                    // deliver05(x.Input)
)

// sourceInput builds the inputData of a run whose inputFrom is not
// inputGiven; the payload is the Execution's, which does not change while
// the run lasts.
func (r *run) sourceInput() osscheduler.Data {
	switch r.inputFrom {
	case inputAndroid:
		return deliverAndroidPayload(r.x.Input)
	case inputAndroid05:
		return deliver05(r.x.Input)
	}
	return nil
}

// runStep is the work of a run's pending timer.
type runStep uint8

const (
	stepFunc          runStep = iota // call r.fn
	stepAndroidEngine                // androidEngineReady
	stepIOSEngine                    // iosEngineReady
	stepIOSMainEngine                // deliver on the main engine
)

// Fire runs the pending step unless the run was stopped or finished first
// (sim.Handler: a run is its own timer handler, so steps cost no closure).
func (r *run) Fire(*sim.Engine) {
	if r.stopped || r.done {
		return
	}
	p := r.p
	switch r.step {
	case stepAndroidEngine:
		p.androidEngineReady(r)
	case stepIOSEngine:
		p.iosEngineReady(r)
	case stepIOSMainEngine:
		p.deliver(r, r.task, deliverData(r.x.Input), "main")
	default:
		fn := r.fn
		r.fn = nil
		fn()
	}
	// A run that ended in this step before the dispatcher had it (a stale
	// handle, a failed foreground promotion) is referred to by nothing: the
	// kernel called Fire directly and no handler ever saw ctx.
	if (r.done || r.stopped) && !r.delivered && !r.timer.Pending() {
		*r = run{p: p}
		p.freeRuns = append(p.freeRuns, r)
	}
}

// subject names the run in the trace: its unique name, else the task name.
func (r *run) subject() string {
	switch {
	case r.unique != "":
		return r.unique
	case r.task != "":
		return r.task
	}
	return r.x.TaskName
}

// liveRuns are the runs started and not yet ended or stopped, by Execution
// ID: a short list rather than a map, as a device runs a handful of works
// at once at most (one run per work), and scanning that handful costs less
// than a map insert and delete per run.
type liveRuns []liveRun

type liveRun struct {
	id uint64
	r  *run
}

// put records r under id, replacing the run recorded under id, if any.
func (l *liveRuns) put(id uint64, r *run) {
	for i := range *l {
		if (*l)[i].id == id {
			(*l)[i].r = r
			return
		}
	}
	*l = append(*l, liveRun{id, r})
}

// take removes and returns the run recorded under id (nil: none).
func (l *liveRuns) take(id uint64) *run {
	s := *l
	for i := range s {
		if s[i].id == id {
			r := s[i].r
			last := len(s) - 1
			s[i] = s[last]
			s[last] = liveRun{}
			*l = s[:last]
			return r
		}
	}
	return nil
}

// Start runs x for the OS model (osscheduler.Executor). It never finishes x
// inside the call: every step is a kernel event.
func (p *Plugin) Start(x *osscheduler.Execution) {
	var r *run
	if n := len(p.freeRuns); n > 0 {
		r = p.freeRuns[n-1]
		p.freeRuns = p.freeRuns[:n-1]
	} else {
		r = &run{p: p}
	}
	r.x, r.unique, r.task, r.started = x, x.UniqueName, x.TaskName, p.eng.Now()
	p.runs.put(x.ID, r)
	p.native.start(r)
}

// Stop is the OS stopping x (osscheduler.Executor).
func (p *Plugin) Stop(x *osscheduler.Execution, reason osscheduler.StopReason) {
	r := p.runs.take(x.ID)
	if r == nil {
		return
	}
	r.stopped = true
	p.eng.Cancel(r.timer)
	if r.ctx != nil {
		r.ctx.stopped, r.ctx.reason = true, reason
	}
	p.native.stopped(r, reason)
}

// engineStartCost is the virtual time a headless Flutter engine takes to
// start and run the dispatcher up to executeTask (PLATFORM-FACTS.md:
// a seeded 300–1500 ms).
func (p *Plugin) engineStartCost() time.Duration {
	if p.engineStart == nil {
		// Engine.Rand returns the same generator for a name every time:
		// looked up once, not by name at every run.
		r := p.eng.Rand(p.engineStartStream)
		p.engineStart = func() time.Duration { return sim.Between(r, 300*time.Millisecond, 1500*time.Millisecond) }
	}
	return p.engineStart()
}

// after schedules fn for r unless r is stopped first.
func (p *Plugin) after(r *run, d time.Duration, label string, fn func()) {
	r.step, r.fn = stepFunc, fn
	r.timer = p.eng.After(d, sim.PhasePlugin, label, r)
}

// afterStep schedules a step of r unless r is stopped first.
func (p *Plugin) afterStep(r *run, d time.Duration, label string, step runStep) {
	r.step, r.fn = step, nil
	r.timer = p.eng.After(d, sim.PhasePlugin, label, r)
}

// deliver hands the task to the dispatcher: the handshake
// (backgroundChannelInitialized, answered once executeTask installed a
// handler), then executeTask(name, inputData).
func (p *Plugin) deliver(r *run, name string, input osscheduler.Data, engine string) {
	if !p.hasDispatcher() && engine == "main" {
		// On the main isolate the Flutter API was set up by initialize: with
		// no handler, executeTask answers `result ?? false`.
		r.delivered = true
		r.x.Received = name
		p.emit(event.TaskDelivered, r.subject(), "executeTask sent on the main engine, but executeTask(handler) was never called: the reply is false",
			sim.String("received", name), sim.String("engine", engine))
		p.answer(r, false, nil)
		return
	}
	if !p.hasDispatcher() {
		if wd := p.native.engineWatchdog(); wd > 0 {
			// workmanager_android 0.10.8 (workmanager 0.10.9 release notes):
			// a 30-second engine-init watchdog fails the worker instead of
			// leaving it RUNNING until WorkManager's ~10-minute limit.
			p.emit(event.TaskHung, r.subject(), "the dispatcher never called executeTask: the engine-init watchdog fails the worker after "+wd.String(),
				sim.String("engine", engine))
			p.after(r, max(0, r.started.Add(wd).Sub(p.eng.Now())), "plugin.engine-watchdog", func() {
				p.finishRun(r, osscheduler.Failure, "engine-init watchdog: no executeTask handshake within "+wd.String()+": Result.failure()")
			})
			return
		}
		p.emit(event.TaskHung, r.subject(), "the dispatcher never called executeTask: backgroundChannelInitialized is never answered and the run stays RUNNING until the OS stops it",
			sim.String("engine", engine))
		return
	}
	r.delivered = true
	r.x.Received = name
	r.tc = TaskContext{
		Received: name, Input: input, Attempt: r.x.Attempt, Clock: p.clock(), Platform: p.platform,
		Store: p.storeApp, p: p, dev: p.dev, x: r.x, r: r,
	}
	r.ctx = &r.tc
	r.input = nil
	if p.eng.Tracing() {
		p.emit(event.TaskDelivered, r.subject(), "executeTask sent to the dispatcher", sim.String("received", name),
			sim.String("task", r.task), sim.String("engine", engine), sim.Int("attempt", int64(r.x.Attempt)))
	}
	if p.async != nil {
		if ch, ok := p.async.(ContextHandler); ok {
			r.tc.lazy = r.inputFrom != inputGiven
			if ch.ExecuteTaskContext(r.ctx) && !r.answered {
				r.reusable = true
			}
			return
		}
		if r.inputFrom != inputGiven {
			r.tc.Input = r.sourceInput()
		}
		p.async.ExecuteTask(r.ctx, r.ctx.Done)
		return
	}
	if r.inputFrom != inputGiven {
		r.tc.Input = r.sourceInput()
	}
	answer := r.ctx.Done
	h := p.handler
	var ok bool
	var herr error
	fn := func() { ok, herr = h(r.ctx) }
	fin := func(panicked any) {
		if panicked != nil {
			answer(false, &DartError{Type: "panic", Message: fmt.Sprint(panicked)})
			return
		}
		answer(ok, herr)
	}
	if g, isGo := any(p.eng).(goRunner); isGo {
		g.Go("plugin.handler "+name, fn, fin)
		return
	}
	// No kernel processes: run the handler now, inside this kernel event.
	func() {
		defer func() {
			if v := recover(); v != nil {
				fin(v)
				return
			}
		}()
		fn()
		fin(nil)
	}()
}

// goRunner and clockSource are the kernel's process and clock APIs
// (sim.Engine.Go / Clock), used when the kernel provides them.
type goRunner interface {
	Go(label string, fn func(), done func(panicked any))
}

type clockSource interface {
	Clock() clock.Clock
}

func (p *Plugin) clock() clock.Clock {
	if p.clk == nil { // the engine's clock is one value for its life: asked for once
		if c, ok := any(p.eng).(clockSource); ok {
			p.clk = c.Clock()
		} else {
			p.clk = &kernelClock{eng: p.eng}
		}
	}
	return p.clk
}

// kernelClock answers Now/Since/Until from the kernel. Waiting needs kernel
// processes (sim.Engine.Go); without them it panics, which fails the task
// with a clear message.
type kernelClock struct {
	clock.Clock
	eng *sim.Engine
}

func (c *kernelClock) Now() time.Time                  { return c.eng.Now() }
func (c *kernelClock) Since(t time.Time) time.Duration { return c.eng.Now().Sub(t) }
func (c *kernelClock) Until(t time.Time) time.Duration { return t.Sub(c.eng.Now()) }
func (c *kernelClock) Sleep(time.Duration) {
	panic("clock.Sleep needs kernel processes (sim.Engine.Go), which this build lacks")
}

// answer is the dispatcher's reply arriving at the native side.
func (p *Plugin) answer(r *run, ok bool, err error) {
	if r.stopped {
		p.emit(event.TaskResultIgnored, r.subject(), "the dispatcher answered after the OS stopped the run", p.resultFields(ok, err)...)
		p.recycle(r)
		return
	}
	if r.done {
		return
	}
	r.done = true
	p.runs.take(r.x.ID)
	switch r.finish {
	case finishAndroid:
		p.androidFinish(r, ok, err)
	case finishIOSMain:
		p.iosFinishMainEngine(r, ok, err)
	case finishIOSHeadless:
		p.iosFinishHeadless(r, ok, err)
	}
	p.recycle(r)
}

// recycle keeps a run that has ended and been answered for a later Start,
// when its handler promised to let go of ctx on answering: then nothing
// refers to it any more (it is out of p.runs, and no timer of it is
// pending: Fire would otherwise reach the next run).
func (p *Plugin) recycle(r *run) {
	if !r.reusable || !r.answered || !(r.done || r.stopped) || r.timer.Pending() {
		return
	}
	*r = run{p: p}
	p.freeRuns = append(p.freeRuns, r)
}

// resultFields are the trace fields of the dispatcher's answer; nil when
// nothing traces (they cost an allocation and err.Error() on a failure).
func (p *Plugin) resultFields(ok bool, err error) []sim.Field {
	if !p.eng.Tracing() {
		return nil
	}
	return resultFields(ok, err)
}

func resultFields(ok bool, err error) []sim.Field {
	switch {
	case err != nil:
		return []sim.Field{sim.String("dart", "error"), sim.String("error", err.Error())}
	case ok:
		return dartTrueFields
	default:
		return dartFalseFields
	}
}

// Shared, never modified: callers only read or copy them.
var (
	dartTrueFields  = []sim.Field{sim.String("dart", "true")}
	dartFalseFields = []sim.Field{sim.String("dart", "false")}
)

// finishRun reports res to the OS model and traces it.
func (p *Plugin) finishRun(r *run, res osscheduler.Result, reason string, fields ...sim.Field) {
	r.done = true
	p.runs.take(r.x.ID)
	if p.eng.Tracing() { // the fields cost an allocation per run; fleets trace nothing
		p.emit(event.TaskFinished, r.subject(), reason, append([]sim.Field{sim.String("outcome", res.String()),
			sim.String("received", r.x.Received), sim.Dur("took", p.eng.Now().Sub(r.started))}, fields...)...)
	}
	r.x.Finish(res)
}

// dartResult maps the dispatcher's answer the way both BackgroundWorkers do:
// true → success, false (or null) → retry, error → failure.
func dartResult(ok bool, err error) osscheduler.Result {
	switch {
	case err != nil:
		return osscheduler.Failure
	case ok:
		return osscheduler.Success
	default:
		return osscheduler.Retry
	}
}

// errMessage is e.toString() as Dart's error reply carries it.
func errMessage(err error) string {
	var de *DartError
	if errors.As(err, &de) && de.Type == "panic" {
		return "panic: " + de.Message
	}
	return err.Error()
}
