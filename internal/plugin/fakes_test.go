package plugin

import (
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
)

var t0 = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// enqueued is one recorded WorkManager enqueue.
type enqueued struct {
	name     string
	policy   android.ExistingWorkPolicy
	pPolicy  android.ExistingPeriodicWorkPolicy
	periodic bool
	req      android.WorkRequest
}

// fakeWM records WorkManager calls and keeps a tiny state per unique name.
type fakeWM struct {
	enq       []enqueued
	cancelled []string
	byTag     []string
	all       int
	state     map[string]osscheduler.TaskState
	tags      map[string][]string
	periodic  map[string]bool
	infos     map[string][]android.WorkInfo // overrides state when set
	err       error
}

func newFakeWM() *fakeWM {
	return &fakeWM{state: map[string]osscheduler.TaskState{}, tags: map[string][]string{}, periodic: map[string]bool{}, infos: map[string][]android.WorkInfo{}}
}

func (f *fakeWM) EnqueueUniqueWork(name string, policy android.ExistingWorkPolicy, req android.WorkRequest) (string, error) {
	f.enq = append(f.enq, enqueued{name: name, policy: policy, req: req})
	if f.err != nil {
		return "", f.err
	}
	f.state[name], f.tags[name], f.periodic[name] = osscheduler.StateEnqueued, req.Tags, false
	return "id-" + name, nil
}

func (f *fakeWM) EnqueueUniquePeriodicWork(name string, policy android.ExistingPeriodicWorkPolicy, req android.WorkRequest) (string, error) {
	f.enq = append(f.enq, enqueued{name: name, pPolicy: policy, periodic: true, req: req})
	if f.err != nil {
		return "", f.err
	}
	f.state[name], f.tags[name], f.periodic[name] = osscheduler.StateEnqueued, req.Tags, true
	return "id-" + name, nil
}

func (f *fakeWM) CancelUniqueWork(name string) {
	f.cancelled = append(f.cancelled, name)
	if _, ok := f.state[name]; ok {
		f.state[name] = osscheduler.StateCancelled
	}
}

func (f *fakeWM) CancelAllWorkByTag(tag string) { f.byTag = append(f.byTag, tag) }

func (f *fakeWM) CancelAllWork() {
	f.all++
	for k := range f.state {
		f.state[k] = osscheduler.StateCancelled
	}
}

func (f *fakeWM) WorkInfosForUniqueWork(name string) []android.WorkInfo {
	if wi, ok := f.infos[name]; ok {
		return wi
	}
	st, ok := f.state[name]
	if !ok {
		return nil
	}
	return []android.WorkInfo{{ID: "id-" + name, UniqueName: name, State: st, Periodic: f.periodic[name], Tags: f.tags[name]}}
}

func (f *fakeWM) last() enqueued { return f.enq[len(f.enq)-1] }

// fakeBG records BGTaskScheduler / UIApplication calls.
type fakeBG struct {
	assertions  []string
	submits     []ios.TaskRequest
	registers   []string
	cancels     []string
	cancelAll   int
	inProcess   []ios.TaskRequest
	pending     map[string]ios.TaskRequest
	submitErr   error
	registerErr error
	notOK       bool
}

func newFakeBG() *fakeBG { return &fakeBG{pending: map[string]ios.TaskRequest{}} }

func (f *fakeBG) Register(id string) (bool, error) {
	f.registers = append(f.registers, id)
	return !f.notOK, f.registerErr
}

func (f *fakeBG) Submit(req ios.TaskRequest) error {
	f.submits = append(f.submits, req)
	if f.submitErr != nil {
		return f.submitErr
	}
	f.pending[req.Identifier] = req
	return nil
}

func (f *fakeBG) Cancel(id string) { f.cancels = append(f.cancels, id); delete(f.pending, id) }

func (f *fakeBG) CancelAll() { f.cancelAll++; clear(f.pending) }

func (f *fakeBG) Pending() []ios.TaskRequest {
	var out []ios.TaskRequest
	for _, k := range sortedKeys(f.pending) {
		out = append(out, f.pending[k])
	}
	return out
}

func (f *fakeBG) BeginBackgroundTask(name string) { f.assertions = append(f.assertions, name) }

func (f *fakeBG) RunInProcess(unique, task string, input osscheduler.Data) {
	f.inProcess = append(f.inProcess, ios.TaskRequest{UniqueName: unique, TaskName: task, Input: input})
}

// harness is a plugin over fakes with a trace recorder.
type harness struct {
	p   *Plugin
	wm  *fakeWM
	bg  *fakeBG
	eng *sim.Engine
	dev *device.Device
	rec *sim.Recorder
	j   *osscheduler.Journal
}

func newHarness(platform osscheduler.Platform, v Version, mod ...func(*Config)) *harness {
	rec := &sim.Recorder{}
	eng := sim.New(t0, 7, sim.WithSink(rec))
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	j := &osscheduler.Journal{}
	cfg := Config{Platform: platform, Version: v, Engine: eng, Device: dev, Journal: j, IOS: ios.DefaultConfig()}
	for _, m := range mod {
		m(&cfg)
	}
	h := &harness{wm: newFakeWM(), bg: newFakeBG(), eng: eng, dev: dev, rec: rec, j: j}
	h.p = newWithBackend(cfg, h.wm, h.bg)
	return h
}

// result of a simulated run.
type runResult struct {
	x        *osscheduler.Execution
	res      osscheduler.Result
	finished bool
	at       time.Time
}

// start runs an execution the way an OS model would and returns its result
// holder; call h.eng.RunFor afterwards.
func (h *harness) start(x *osscheduler.Execution, id uint64) *runResult {
	rr := &runResult{}
	nx := osscheduler.NewExecution(func(r osscheduler.Result) { rr.res, rr.finished, rr.at = r, true, h.eng.Now() })
	*nx = withFinish(*x, nx)
	nx.ID = id
	rr.x = nx
	h.dev.StartProcess() // as the models do before starting work
	h.p.Start(nx)
	return rr
}

// withFinish copies the public fields of x into a value that keeps nx's
// finish callback.
func withFinish(x osscheduler.Execution, nx *osscheduler.Execution) osscheduler.Execution {
	c := *nx
	c.Platform, c.Kind, c.WorkID, c.UniqueName, c.TaskName = x.Platform, x.Kind, x.WorkID, x.UniqueName, x.TaskName
	c.Tags, c.Input, c.Attempt, c.Eligible, c.Started, c.Budget, c.WhyThen = x.Tags, x.Input, x.Attempt, x.Eligible, x.Started, x.Budget, x.WhyThen
	return c
}

// androidRun starts the last enqueued request as WorkManager would.
func (h *harness) androidRun(id uint64, attempt int) *runResult {
	e := h.wm.last()
	kind := osscheduler.OneOff
	if e.periodic {
		kind = osscheduler.Periodic
	}
	return h.start(&osscheduler.Execution{Platform: osscheduler.Android, Kind: kind, WorkID: "id-" + e.name,
		UniqueName: e.name, TaskName: e.req.TaskName, Input: e.req.Input, Attempt: attempt}, id)
}

func (h *harness) records(kind string) []sim.Record {
	return h.rec.Filter(func(r *sim.Record) bool { return string(r.Kind) == kind })
}
