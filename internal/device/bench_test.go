package device

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// benchDays simulates one device under profile for days, b.N times, and
// reports device-days per second.
func benchDays(b *testing.B, profile string, days int, stats bool) {
	p, _ := BuiltinProfile(profile)
	b.ReportAllocs()
	var events uint64
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		eng := sim.New(t0, uint64(i))
		d := New(eng, Config{Initial: DefaultState()})
		if stats {
			NewStats(d)
		}
		end := t0.Add(time.Duration(days) * 24 * time.Hour)
		if err := d.ApplyProfile(p, end); err != nil {
			b.Fatal(err)
		}
		if err := eng.RunUntil(end); err != nil {
			b.Fatal(err)
		}
		events += eng.Fired()
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*days)/sec, "device-days/s")
	// The same per second of this process's CPU time: on a shared machine
	// (other processes competing for the cores) wall time overstates cost.
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(b.N*days)/cpu, "device-days/cpu-s")
	}
	b.ReportMetric(float64(events)/float64(b.N*days), "events/day")
}

// go test -run '^$' -bench 'DeviceDays' -cpu 1 ./device/
func BenchmarkDeviceDays(b *testing.B) {
	for _, name := range ProfileNames() {
		b.Run(name, func(b *testing.B) { benchDays(b, name, 30, false) })
	}
	b.Run("office-worker+stats", func(b *testing.B) { benchDays(b, "office-worker", 30, true) })
}
