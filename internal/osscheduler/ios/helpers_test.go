package ios

import (
	"fmt"
	"github.com/wmsim/wmsim/internal/event"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
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
	// afterFinish runs right after a run finishes, in the same event.
	afterFinish func()
	started     []*osscheduler.Execution
	stopped     map[uint64]osscheduler.StopReason
}

func (f *fakeExec) Start(x *osscheduler.Execution) {
	f.started = append(f.started, x)
	if f.onStart != nil {
		f.onStart(x)
	}
	if f.never {
		return
	}
	f.eng.After(f.dur, sim.PhaseApp, "fake.finish", sim.HandlerFunc(func(*sim.Engine) {
		x.Finish(f.result)
		if f.afterFinish != nil {
			f.afterFinish()
		}
	}))
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

func newEnv(tb interface{ Helper() }, seed uint64, cfg Config, st func(*device.State)) *env {
	if tb != nil {
		tb.Helper()
	}
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

func (e *env) records(source event.Source, kind event.Kind) []sim.Record {
	return e.rec.Filter(func(r *sim.Record) bool {
		return (source == "" || r.Source == source) && (kind == "" || r.Kind == kind)
	})
}

// user drives the device like a person: opens the app at the given times of
// day (± jitter) on days [from, to), for a session, then locks the phone; and
// optionally charges it every night 23:00–07:00.
type user struct {
	opens   []time.Duration
	jitter  time.Duration
	session time.Duration
	from    int
	to      int
	charge  bool
	// inForeground is what the app does when opened (e.g. submit its request).
	inForeground func()
}

func (e *env) drive(u user, days int) {
	r := sim.NewStream(e.eng.Seed(), "test.user")
	if u.session == 0 {
		u.session = 3 * time.Minute
	}
	for d := 0; d < days; d++ {
		day := t0.Add(time.Duration(d) * 24 * time.Hour)
		if u.charge {
			e.eng.Schedule(day.Add(7*time.Hour), sim.PhaseWorld, "test.unplug", sim.HandlerFunc(func(*sim.Engine) { e.dev.SetCharger(device.ChargerNone) }))
			e.eng.Schedule(day.Add(23*time.Hour), sim.PhaseWorld, "test.plug", sim.HandlerFunc(func(*sim.Engine) { e.dev.SetCharger(device.ChargerAC) }))
		}
		if d < u.from || d >= u.to {
			continue
		}
		for _, o := range u.opens {
			at := day.Add(o)
			if u.jitter > 0 {
				at = at.Add(sim.Between(r, -u.jitter, u.jitter))
			}
			e.eng.Schedule(at, sim.PhaseWorld, "test.open", sim.HandlerFunc(func(*sim.Engine) {
				e.dev.LaunchApp()
				if u.inForeground != nil {
					u.inForeground()
				}
			}))
			e.eng.Schedule(at.Add(u.session), sim.PhaseWorld, "test.leave", sim.HandlerFunc(func(*sim.Engine) {
				e.dev.BackgroundApp()
				e.dev.SetScreen(false)
			}))
		}
	}
}

// periodicApp makes the env behave like the workmanager plugin with one
// periodic task: submit "refresh" in the foreground and resubmit at the start
// of every refresh run.
func (e *env) periodicApp() func() {
	submit := func() { _ = e.m.Submit(refreshReq("refresh")) }
	prev := e.exec.onStart
	e.exec.onStart = func(x *osscheduler.Execution) {
		if prev != nil {
			prev(x)
		}
		if x.Kind == osscheduler.Periodic {
			submit()
		}
	}
	return submit
}

// typicalOpens: breakfast, lunch and evening.
var typicalOpens = []time.Duration{8 * time.Hour, 12*time.Hour + 30*time.Minute, 19 * time.Hour}
