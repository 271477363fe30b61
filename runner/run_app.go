package runner

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
)

// appBehaviour is the scenario app's dispatcher: for each received task name
// it runs for the configured duration and completes with the configured
// result, as a Dart handler doing real work would.
type appBehaviour struct {
	w        *World
	handlers map[string]plugin.Handler
	names    map[string]*receivedName // by received name: one map lookup per run
	last     *receivedName            // names[lastName], the name received last
	lastName string
	warned   map[string]bool   // names already warned about
	free     []*taskCompletion // fired completions, reused
}

// receivedName is what the app keeps per task name it received.
type receivedName struct {
	runs int // runs so far: which result is next
	// task and found are App.Tasks.Lookup of the name, looked up at the
	// name's first run: the scenario does not change while it runs.
	task  scenarios.Task
	found bool
	// stream is Engine.Rand("app.task-duration."+streamFor), the same
	// generator Engine.Rand returns, without building its name per run;
	// streamFor is the app.tasks entry the name was last handled by.
	streamFor string
	stream    *rand.Rand
}

// taskCompletion is the "app task completes" event of one run: it answers
// the run with the configured result. Completions are reused once fired, so
// a run costs no closure.
type taskCompletion struct {
	a      *appBehaviour
	ctx    *plugin.TaskContext
	done   func(bool, error) // nil: answer through ctx.Done
	result scenarios.Result
	task   *scenarios.Task // its then calls are made before the answer
}

// Fire implements sim.Handler.
func (c *taskCompletion) Fire(*sim.Engine) {
	ctx, done, result, task := c.ctx, c.done, c.result, c.task
	*c = taskCompletion{a: c.a}
	c.a.free = append(c.a.free, c)
	if task != nil {
		// The handler's last Dart calls, in the background isolate, before
		// it returns; a run the OS already stopped makes none.
		c.a.w.runThen(task, ctx.Stopped())
	}
	var ok bool
	var err error
	switch result {
	case scenarios.ResultSuccess:
		ok = true
	case scenarios.ResultRetry:
	case scenarios.ResultFailure:
		err = errTaskFailed
	default:
		err = errTaskThrew
	}
	if done == nil {
		ctx.Done(ok, err)
		return
	}
	done(ok, err)
}

func newAppBehaviour(w *World, handlers map[string]plugin.Handler) *appBehaviour {
	return &appBehaviour{w: w, handlers: handlers, names: map[string]*receivedName{}, warned: map[string]bool{}}
}

// errTaskFailed and errTaskThrew are what Future.error(...) and a thrown
// exception look like to the plugin.
var (
	//lint:ignore ST1005 the text of the Dart error the plugin reports, byte for byte
	errTaskFailed = errors.New("Future.error: the task reported failure")
	//lint:ignore ST1005 the text of the Dart error the plugin reports, byte for byte
	errTaskThrew = errors.New("Exception: the task threw")
)

// ExecuteTask implements plugin.AsyncHandler.
func (a *appBehaviour) ExecuteTask(ctx *plugin.TaskContext, done func(bool, error)) {
	_ = a.execute(ctx, done)
}

// ExecuteTaskContext implements plugin.ContextHandler: the answer goes
// through ctx.Done, and only Go handlers need ctx.Input (the configured
// behaviour ignores it).
// It lets go of ctx when it answers, unless a Go handler (which may keep ctx)
// runs the task.
func (a *appBehaviour) ExecuteTaskContext(ctx *plugin.TaskContext) bool { return a.execute(ctx, nil) }

// execute runs the task received in ctx and answers through done, or through
// ctx.Done when done is nil. It reports whether nothing uses ctx after the
// answer.
func (a *appBehaviour) execute(ctx *plugin.TaskContext, done func(bool, error)) bool {
	w := a.w
	name := ctx.Received
	if h, ok := a.handlers[name]; ok {
		ctx.LoadInput() // a Go handler may read ctx.Input
		if done == nil {
			done = ctx.Done
		}
		a.runGo(ctx, h, done)
		return false
	}
	rn := a.last
	if rn == nil || name != a.lastName { // most runs receive the name the run before did
		rn = a.names[name]
		if rn == nil {
			rn = &receivedName{}
			rn.task, rn.found = w.Scenario.App.Tasks.Lookup(name)
			a.names[name] = rn
		}
		a.last, a.lastName = rn, name
	}
	task, found := &rn.task, rn.found
	if !found && !a.warned[name] {
		a.warned[name] = true
		what := "its default entry"
		if !w.Scenario.App.Tasks.HasDefault() {
			what = "no handler at all and returns success after 0s"
		}
		msg := fmt.Sprintf("the dispatcher received %q, which app.tasks has no case for, so it ran %s", name, what)
		if w.Platform == scenarios.PlatformIOS {
			msg += "; on iOS a BGTaskScheduler task delivers its uniqueName and background fetch delivers iOSPerformFetch, not the taskName"
		}
		w.warn("unhandled_task_name", msg)
	}
	n := rn.runs
	rn.runs++
	result := task.ResultFor(n)
	d := task.Duration.Min
	if !task.Duration.Fixed() {
		if rn.stream == nil || rn.streamFor != task.Name {
			rn.stream, rn.streamFor = w.Engine.Rand("app.task-duration."+task.Name), task.Name
		}
		d = sim.Between(rn.stream, task.Duration.Min, task.Duration.Max)
	}
	if task.RequiresNetwork && !ctx.Device().Network.Connected() {
		// The handler's first request fails at once with no connection.
		result, d = scenarios.ResultRetry, 0
	}
	var c *taskCompletion
	if n := len(a.free); n > 0 {
		c = a.free[n-1]
		a.free = a.free[:n-1]
	} else {
		c = &taskCompletion{a: a}
	}
	c.ctx, c.done, c.result = ctx, done, result
	if len(task.Then) > 0 {
		c.task = a.taskRef(task.Name)
	}
	w.Engine.After(d, sim.PhaseApp, "app task completes", c)
	return true
}

// taskRef returns the scenario's app.tasks entry named name (stable
// pointer for the completion event).
func (a *appBehaviour) taskRef(name string) *scenarios.Task {
	ts := a.w.Scenario.App.Tasks
	for i := range ts {
		if ts[i].Name == name {
			return &ts[i]
		}
	}
	return nil
}

// runGo runs a Go handler as a kernel process, so it can sleep on the
// virtual clock; a panic is a failed task.
func (a *appBehaviour) runGo(ctx *plugin.TaskContext, h plugin.Handler, done func(bool, error)) {
	var ok bool
	var err error
	a.w.Engine.Go("go handler "+ctx.Received, func() {
		ok, err = h(ctx)
	}, func(panicked any) {
		if panicked != nil {
			done(false, fmt.Errorf("handler panicked: %v", panicked))
			return
		}
		done(ok, err)
	})
}
