package report

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// bigFixture is three days of 20 tasks: each deferred every 15 minutes of
// the night (Doze) and running hourly by day, with a device record per
// battery percent: about the trace a busy scenario produces.
func bigFixture() (*Result, []sim.Record) {
	b := newBuilder("android")
	b.res.End = "2026-01-08T08:00:00+01:00"
	b.device(0, event.Screen, "screen on", nil)
	for m := time.Duration(0); m < 72*hr; m += 15 * mins {
		b.add(m, event.SourceDevice, event.BatteryLevel, "device", "battery level", sim.Int("battery", int64(100-int(m/(45*mins))%100)))
	}
	for d := 0; d < 3; d++ {
		base := time.Duration(d) * 24 * hr
		b.add(base+15*hr, event.SourceAndroidDoze, "state", "doze", "idle", sim.String("state", "IDLE"))
		b.add(base+22*hr, event.SourceAndroidDoze, "state", "doze", "screen on", sim.String("state", "ACTIVE"))
	}
	for k := 0; k < 20; k++ {
		u := fmt.Sprintf("task-%02d", k)
		b.add(time.Duration(k)*sec, event.SourcePlugin, event.Registered, u, "registerPeriodicTask "+u, sim.String("task", "t"+u))
		for h := time.Duration(0); h < 72*hr; h += hr {
			hod := (h / hr) % 24
			if hod >= 15 && hod < 22 {
				for q := time.Duration(0); q < hr; q += 15 * mins {
					b.deferred(h+q, "android.jobscheduler", u, "doze", "Doze: idle until the maintenance window")
				}
				continue
			}
			b.run("android.jobscheduler", u, "t"+u, "t"+u, 1, h, h+time.Duration(k)*sec, 4*sec, "success", "constraints met")
		}
		b.res.Tasks = append(b.res.Tasks, Task{Unique: u, Task: "t" + u, State: "enqueued"})
	}
	return b.done()
}

func benchRender(b *testing.B, f func(res *Result, tr []sim.Record) error) {
	res, tr := bigFixture()
	b.ReportMetric(float64(len(tr)), "records")
	b.ResetTimer()
	for b.Loop() {
		if err := f(res, tr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExplain(b *testing.B) {
	benchRender(b, func(res *Result, tr []sim.Record) error {
		return Explain(io.Discard, res, tr, fixtureStart, Selector{Unique: "task-07"})
	})
}

func BenchmarkWriteText(b *testing.B) {
	benchRender(b, func(res *Result, tr []sim.Record) error {
		return WriteText(io.Discard, res, tr, fixtureStart, TextOptions{Timeline: true})
	})
}

func BenchmarkWriteChromeTrace(b *testing.B) {
	benchRender(b, func(res *Result, tr []sim.Record) error {
		return WriteChromeTrace(io.Discard, res, tr, fixtureStart)
	})
}

func BenchmarkWriteHTML(b *testing.B) {
	benchRender(b, func(res *Result, tr []sim.Record) error {
		return WriteHTML(io.Discard, []*Result{res}, [][]sim.Record{tr}, fixtureStart)
	})
}

func BenchmarkWriteJUnit(b *testing.B) {
	benchRender(b, func(res *Result, _ []sim.Record) error {
		return WriteJUnit(io.Discard, []*Result{res})
	})
}
