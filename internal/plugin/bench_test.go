package plugin

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// BenchmarkAndroidDay registers an hourly task and simulates a day on the real
// Android model, with a Go handler that sleeps 2 s per run.
func BenchmarkAndroidDay(b *testing.B) {
	for b.Loop() {
		eng := sim.New(t0, 3)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()})
		p := New(Config{Engine: eng, Device: dev})
		dev.LaunchApp()
		_ = p.Initialize(1, false)
		p.ExecuteTask(func(ctx *TaskContext) (bool, error) { ctx.Clock.Sleep(2 * time.Second); return true, nil })
		_ = p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(time.Hour)})
		_ = eng.RunFor(24 * time.Hour)
	}
}

// BenchmarkAndroidDayAsync is the same day with an asynchronous handler (the
// scenario runner's shape): no goroutine hand-off.
func BenchmarkAndroidDayAsync(b *testing.B) {
	for b.Loop() {
		eng := sim.New(t0, 3)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()})
		p := New(Config{Engine: eng, Device: dev})
		dev.LaunchApp()
		_ = p.Initialize(1, false)
		p.ExecuteTaskAsync(AsyncHandlerFunc(func(ctx *TaskContext, done func(bool, error)) {
			eng.After(2*time.Second, sim.PhaseApp, "task", sim.HandlerFunc(func(*sim.Engine) { done(true, nil) }))
		}))
		_ = p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(time.Hour)})
		_ = eng.RunFor(24 * time.Hour)
	}
}

// BenchmarkBuildInputData is request building with a 10-key payload.
func BenchmarkBuildInputData(b *testing.B) {
	p := newWithBackend(Config{}, newFakeWM(), newFakeBG())
	in, _ := normalizeInput(osscheduler.Data{
		"a": "hello", "b": 1, "c": 2.5, "d": true, "e": []string{"x", "y"}, "f": []int{1, 2, 3},
		"g": map[string]any{"k": "v"}, "h": []any{"m", 1}, "i": int64(1) << 40, "j": "world",
	})
	for b.Loop() {
		if _, err := p.buildTaskInputData("task", in, nil, "unique"); err != nil {
			b.Fatal(err)
		}
	}
}
