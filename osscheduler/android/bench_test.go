package android

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/device"
	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/sim"
)

// dailyPattern drives a device with a simple day: on the charger 23:00–07:00,
// the screen on 07:00–07:30 (app opened), 12:30–12:45 and 19:00–22:00, and
// carried around 08:00–09:00. It is scheduled by the benchmark itself.
type dailyPattern struct {
	dev *device.Device
	h   sim.Handler
}

func (p *dailyPattern) plan(e *sim.Engine) {
	day := e.Now()
	step := func(off time.Duration, f func()) {
		e.Schedule(day.Add(off), sim.PhaseWorld, "bench.day", sim.HandlerFunc(func(*sim.Engine) { f() }))
	}
	d := p.dev
	step(7*time.Hour, func() { d.SetCharger(device.ChargerNone); d.LaunchApp() })
	step(7*time.Hour+30*time.Minute, func() { d.BackgroundApp(); d.SetScreen(false) })
	step(8*time.Hour, func() { d.SetMoving(true) })
	step(9*time.Hour, func() { d.SetMoving(false) })
	step(12*time.Hour+30*time.Minute, func() { d.SetScreen(true) })
	step(12*time.Hour+45*time.Minute, func() { d.SetScreen(false) })
	step(19*time.Hour, func() { d.SetScreen(true) })
	step(22*time.Hour, func() { d.SetScreen(false) })
	step(23*time.Hour, func() { d.SetCharger(device.ChargerAC) })
	e.Schedule(day.Add(24*time.Hour), sim.PhaseWorld, "bench.plan", p.h)
}

func (p *dailyPattern) Fire(e *sim.Engine) { p.plan(e) }

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
	p := &dailyPattern{dev: e.dev}
	p.h = p
	p.plan(e.eng)
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

// BenchmarkYear: one device, one year, three periodic works (15 min, 1 h,
// 24 h), a daily screen/charger pattern; no trace sink (as a fleet runs).
func BenchmarkYear(b *testing.B) {
	var events uint64
	var runs int
	b.ReportAllocs()
	for b.Loop() {
		e, n := runYear(b, false)
		events += n
		runs = len(e.j.Runs)
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
	for _, r := range e.j.Runs {
		perTask[r.Unique]++
	}
	// Daily work runs about once a day; the 15-minute work far less than
	// 96 times a day (Doze at night is spent on the charger here, so it is
	// the daytime deep/light Doze and the drift that thin it).
	if d := perTask["daily"]; d < 300 || d > 370 {
		t.Errorf("daily runs %d", d)
	}
	if s := perTask["sync"]; s < 365*20 || s > 365*96 {
		t.Errorf("sync runs %d", s)
	}
	t.Logf("runs per task over a year: %v", perTask)
}
