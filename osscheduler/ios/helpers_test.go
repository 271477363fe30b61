package ios

import (
	"fmt"
	"testing"
	"time"

	"github.com/wmsim/wmsim/device"
	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/sim"
)

// t0 is a Monday at midnight UTC; the model reads time of day in UTC.
var t0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// fakeExec is the app side in tests: every run finishes after dur with
// result, unless never is set (a task that never calls setTaskCompleted).
type fakeExec struct {
	eng     *sim.Engine
	dur     time.Duration
	result  osscheduler.Result
	never   bool
	onStart func(x *osscheduler.Execution)
	started []*osscheduler.Execution
	stopped map[uint64]osscheduler.StopReason
}

func (f *fakeExec) Start(x *osscheduler.Execution) {
	f.started = append(f.started, x)
	if f.onStart != nil {
		f.onStart(x)
	}
	if f.never {
		return
	}
	f.eng.After(f.dur, sim.PhaseApp, "fake.finish", sim.HandlerFunc(func(*sim.Engine) { x.Finish(f.result) }))
}

func (f *fakeExec) Stop(x *osscheduler.Execution, r osscheduler.StopReason) {
	if f.stopped == nil {
		f.stopped = map[uint64]osscheduler.StopReason{}
	}
	f.stopped[x.ID] = r
}

// startedOf counts runs of kind k started in [from, to).
func (f *fakeExec) startedOf(k osscheduler.Kind) []*osscheduler.Execution {
	var out []*osscheduler.Execution
	for _, x := range f.started {
		if x.Kind == k {
			out = append(out, x)
		}
	}
	return out
}

type env struct {
	eng  *sim.Engine
	dev  *device.Device
	m    *Model
	exec *fakeExec
	j    *osscheduler.Journal
	rec  *sim.Recorder
}

// testConfig permits "refresh", "proc" and "p1".."p10", has both background
// modes and registers every permitted identifier at launch.
func testConfig() Config {
	cfg := DefaultConfig()
	ids := []string{"refresh", "refresh2", "proc"}
	for i := 1; i <= 10; i++ {
		ids = append(ids, fmt.Sprintf("p%02d", i))
	}
	cfg.PermittedIdentifiers = ids
	cfg.BackgroundModes = []string{ModeFetch, ModeProcessing}
	cfg.LaunchHandlers = append([]string(nil), ids...)
	return cfg
}

func newEnv(tb testing.TB, seed uint64, cfg Config, st func(*device.State)) *env {
	tb.Helper()
	rec := &sim.Recorder{}
	eng := sim.New(t0, seed, sim.WithSink(rec))
	s := device.DefaultState()
	if st != nil {
		st(&s)
	}
	dev := device.New(eng, device.Config{Initial: s})
	ex := &fakeExec{eng: eng, dur: 5 * time.Second, result: osscheduler.Success}
	j := &osscheduler.Journal{}
	m := New(eng, dev, cfg, ex, j)
	return &env{eng: eng, dev: dev, m: m, exec: ex, j: j, rec: rec}
}

// open launches the app (foreground) and leaves it after a minute, screen off.
func (e *env) open() {
	e.dev.LaunchApp()
	e.eng.RunFor(time.Minute)
	e.dev.BackgroundApp()
	e.dev.SetScreen(false)
}

func code(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*osscheduler.Error); ok {
		return e.Code
	}
	return "not an *osscheduler.Error: " + err.Error()
}

func (e *env) records(source, kind string) []sim.Record {
	return e.rec.Filter(func(r *sim.Record) bool {
		return (source == "" || r.Source == source) && (kind == "" || r.Kind == kind)
	})
}
