package android

import (
	"slices"
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// runYear simulates a year of one device with three periodic works.
func runYear(tb testing.TB, tracing bool) (*env, uint64) {
	e := &env{rec: &sim.Recorder{}, j: &osscheduler.Journal{}}
	var opts []sim.Option
	if tracing {
		opts = append(opts, sim.WithSink(e.rec))
	}
	e.eng = sim.New(t0, 7, opts...)
	e.dev = device.New(e.eng, device.Config{Initial: device.DefaultState()})
	e.exec = &fakeExec{eng: e.eng, dur: 20 * time.Second}
	e.m = New(e.eng, e.dev, DefaultConfig(), e.exec, e.j)
	p, ok := device.BuiltinProfile("office-worker")
	if !ok {
		tb.Fatal("no office-worker profile")
	}
	if err := e.dev.ApplyProfile(p, e.eng.Now().Add(366*24*time.Hour)); err != nil {
		tb.Fatal(err)
	}
	for _, w := range []struct {
		name  string
		every time.Duration
	}{{"sync", 15 * time.Minute}, {"hourly", time.Hour}, {"daily", 24 * time.Hour}} {
		if _, err := e.m.EnqueueUniquePeriodicWork(w.name, PeriodicKeep, WorkRequest{TaskName: w.name, Periodic: true, Interval: w.every,
			Constraints: Constraints{RequiredNetwork: NetworkConnected}}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := e.eng.RunFor(365 * 24 * time.Hour); err != nil {
		tb.Fatal(err)
	}
	return e, e.eng.Fired()
}

// BenchmarkYear: one device driven by the office-worker profile for a year,
// three periodic works (15 min, 1 h, 24 h); no trace sink (as a fleet runs).
func BenchmarkYear(b *testing.B) {
	var events uint64
	var runs int
	b.ReportAllocs()
	for b.Loop() {
		e, n := runYear(b, false)
		events += n
		runs = len(e.j.Runs())
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/year")
	b.ReportMetric(float64(runs), "runs/year")
}

func TestYearSanity(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of simulation")
	}
	e, _ := runYear(t, false)
	perTask := map[string]int{}
	for _, r := range e.j.Runs() {
		if r.Outcome == osscheduler.OutcomeSuccess {
			perTask[r.Unique]++
		}
	}
	// Daily work succeeds about once a day (drift makes it a little less);
	// the 15-minute work far less than 96 times a day (Doze, quota and the
	// drift thin it).
	if d := perTask["daily"]; d < 330 || d > 366 {
		t.Errorf("daily runs %d", d)
	}
	if s := perTask["sync"]; s < 365*20 || s > 365*96 {
		t.Errorf("sync runs %d", s)
	}
	t.Logf("runs per task over a year: %v", perTask)
}

// Skipping evaluations after device changes that cannot change a decision is
// an optimisation only: a year of runs is identical with and without it.
func TestEvaluationSkippingChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("two years of simulation")
	}
	fast, _ := runYear(t, false)
	alwaysEvaluate = true
	defer func() { alwaysEvaluate = false }()
	slow, _ := runYear(t, false)
	if len(fast.j.Runs()) != len(slow.j.Runs()) {
		t.Fatalf("runs: %d with skipping, %d without", len(fast.j.Runs()), len(slow.j.Runs()))
	}
	for i := range fast.j.Runs() {
		if fast.j.Runs()[i] != slow.j.Runs()[i] {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, fast.j.Runs()[i], slow.j.Runs()[i])
		}
	}
}

// A job that falls due at the very instant a light-Doze maintenance window
// ends (its minimum length, since nothing was pending when it began): the
// skipped evaluation at the window's start must leave the same-instant order
// of the window's end and the job's evaluation as a full evaluation does.
// (Found on 8 of 10,000 fleet devices when it did not.)
func TestEvaluationSkippingKeepsSameInstantOrder(t *testing.T) {
	var windowEnd time.Duration
	run := func(always bool) []osscheduler.RunRecord {
		alwaysEvaluate = always
		defer func() { alwaysEvaluate = false }()
		e := &env{rec: &sim.Recorder{}, j: &osscheduler.Journal{}}
		e.eng = sim.New(t0, 7, sim.WithSink(e.rec))
		e.dev = device.New(e.eng, device.Config{Initial: device.DefaultState()}) // screen off, unplugged
		e.exec = &fakeExec{eng: e.eng, dur: 20 * time.Second}
		e.m = New(e.eng, e.dev, DefaultConfig(), e.exec, e.j)
		// Light Doze: INACTIVE now, IDLE after lightAfterInact, a maintenance
		// window lightIdleTimeout later, cut to lightMaintMin as nothing is due.
		windowEnd = e.m.prof.lightAfterInact + lightIdleTimeout + lightMaintMin
		if _, err := e.m.EnqueueUniqueWork("edge", Keep, WorkRequest{TaskName: "edge", InitialDelay: windowEnd}); err != nil {
			t.Fatal(err)
		}
		if err := e.eng.RunFor(2 * time.Hour); err != nil {
			t.Fatal(err)
		}
		return e.j.Runs()
	}
	skipping, full := run(false), run(true)
	if len(full) != 1 || len(skipping) != 1 {
		t.Fatalf("runs: %d skipping, %d full; want 1 each", len(skipping), len(full))
	}
	if skipping[0] != full[0] {
		t.Fatalf("the run differs:\nskipping %+v\nfull     %+v", skipping[0], full[0])
	}
	// The window had ended: the job waits for the next one.
	if full[0].Start <= windowEnd {
		t.Fatalf("ran at %v, inside the window that ended at %v", full[0].Start, windowEnd)
	}
}

// Doze stepped by adb while the device is off (a chaos world found it): the
// full pass returns at once without touching the maintenance window, so the
// skipping must not shorten it either.
func TestEvaluationSkippingWhilePoweredOff(t *testing.T) {
	run := func(always bool) []string {
		alwaysEvaluate = always
		defer func() { alwaysEvaluate = false }()
		e := &env{rec: &sim.Recorder{}, j: &osscheduler.Journal{}}
		e.eng = sim.New(t0, 7, sim.WithSink(e.rec))
		st := device.DefaultState()
		st.Power = device.PowerOff
		e.dev = device.New(e.eng, device.Config{Initial: st})
		e.exec = &fakeExec{eng: e.eng, dur: 20 * time.Second}
		e.m = New(e.eng, e.dev, DefaultConfig(), e.exec, e.j)
		if err := e.m.Doze("step"); err != nil {
			t.Fatal(err)
		}
		if err := e.eng.RunFor(time.Hour); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range e.rec.Records {
			if r.Source == srcDoze {
				out = append(out, sim.FormatOffset(r.At)+" "+string(r.Kind))
			}
		}
		return out
	}
	skipping, full := run(false), run(true)
	if len(full) < 3 {
		t.Fatalf("expected light Doze to cycle: %v", full)
	}
	if !slices.Equal(skipping, full) {
		t.Fatalf("Doze steps differ:\nskipping %v\nfull     %v", skipping, full)
	}
}
