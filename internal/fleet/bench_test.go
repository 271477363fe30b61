package fleet

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time: on a machine shared with
// other work it is a steadier measure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchFleet(b *testing.B, scenario string, devices, days int) {
	sc := library(b, scenario)
	b.ReportAllocs()
	c0 := cpuTime()
	var peak uint64
	for b.Loop() {
		s, err := Run(sc, Options{Devices: devices, Days: days})
		if err != nil {
			b.Fatal(err)
		}
		if s.Completed != devices {
			b.Fatalf("completed %d", s.Completed)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapSys)
	}
	cpu := cpuTime() - c0
	dm := float64(devices*days) / 30 * float64(b.N)
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "wall-s/op")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(cpu.Microseconds())/1000/dm, "cpu-ms/device-month")
	b.ReportMetric(float64(peak)/(1<<20), "heap-sys-MiB")
}

// BenchmarkFleet: the periodic-task library scenario (an hourly periodic
// task, office-worker profile, Android) over 1,000 and 10,000 devices × 30
// days, on all cores.
func BenchmarkFleet(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("devices=%d/days=30", n), func(b *testing.B) { benchFleet(b, "periodic-task", n, 30) })
	}
}

// BenchmarkFleetIOS: the same with ios-refresh-daily-user (BGAppRefresh).
func BenchmarkFleetIOS(b *testing.B) {
	b.Run("devices=1000/days=30", func(b *testing.B) { benchFleet(b, "ios-refresh-daily-user", 1000, 30) })
}
