package runner

import (
	"github.com/wmsim/wmsim/scenarios"
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

// deviceYear is the device-year benchmark of issue 9: the office-worker
// profile, three periodic tasks of 15 min, 1 h and 24 h, for 365 days.
const deviceYear = `version: 1
name: device-year
duration: 365d
platform: [android, ios]
ios:
  permitted_identifiers: [sync15, sync60, daily]
  background_modes: [fetch]
device:
  profile: office-worker
app:
  tasks:
    sync15: { duration: 2s..6s, result: success }
    sync60: { duration: 2s..6s, result: success }
    daily: { duration: 2s..6s, result: success }
timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: sync15, taskName: sync15, frequency: 15m }
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: sync60, taskName: sync60, frequency: 1h }
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: daily, taskName: daily, frequency: 24h }
`

func benchDeviceYear(b *testing.B, platform string) {
	sc, err := scenarios.Parse("device-year.yaml", []byte(deviceYear))
	if err != nil {
		b.Fatal(err)
	}
	var events uint64
	var runs int
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		w, err := NewWorld(sc, scenarios.Platform(platform), RunOptions{NoTrace: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Engine.RunUntil(sc.Start.Add(sc.Duration)); err != nil {
			b.Fatal(err)
		}
		events += w.Engine.Fired()
		runs = w.Journal.NumRuns()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/device-year")
	b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/device-year")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(runs), "runs/year")
	b.ReportMetric(float64(365*24*time.Hour)/float64(b.Elapsed())*float64(b.N), "virtual-s/wall-s")
}

// BenchmarkDeviceYearAndroid: one device-year on Android through the full
// runner (plugin, WorkManager, JobScheduler), no trace recorded.
func BenchmarkDeviceYearAndroid(b *testing.B) { benchDeviceYear(b, "android") }

// BenchmarkDeviceYearIOS: the same on iOS (BGAppRefresh per unique name).
func BenchmarkDeviceYearIOS(b *testing.B) { benchDeviceYear(b, "ios") }
