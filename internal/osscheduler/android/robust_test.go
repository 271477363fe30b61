package android

import (
	"fmt"
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Every profile, API level and bucket for 30 days with a real battery: no
// safety limit is hit (no livelock at one instant), every run ends or is
// still running, and attempts never go backwards within a period.
func TestRobustAcrossProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	for _, prof := range device.ProfileNames() {
		for _, api := range []int{23, 28, 31, 34, 36} {
			for _, bucket := range []string{"auto", "rare", "restricted"} {
				name := fmt.Sprintf("%s/api%d/%s", prof, api, bucket)
				eng := sim.New(t0, uint64(api), sim.WithLimits(sim.Limits{MaxEvents: 3_000_000, Horizon: 100 * 24 * time.Hour}))
				dev := device.New(eng, device.Config{Initial: device.DefaultState()})
				p, _ := device.BuiltinProfile(prof)
				if err := dev.ApplyProfile(p, eng.Now().Add(61*24*time.Hour)); err != nil {
					t.Fatal(err)
				}
				ex := &fakeExec{eng: eng, dur: 3 * time.Minute, queue: []osscheduler.Result{osscheduler.Retry, osscheduler.Failure, osscheduler.Retry}}
				j := &osscheduler.Journal{}
				cfg := DefaultConfig()
				cfg.API, cfg.StandbyBucket, cfg.BatterySaver = api, bucket, api == 30
				m := New(eng, dev, cfg, ex, j)
				for i, w := range []time.Duration{15 * time.Minute, time.Hour, 24 * time.Hour} {
					req := WorkRequest{Periodic: true, Interval: w, Constraints: Constraints{RequiredNetwork: NetworkType(i + 1), RequiresBatteryNotLow: i == 1}}
					if _, err := m.EnqueueUniquePeriodicWork(w.String(), PeriodicKeep, req); err != nil {
						t.Fatal(err)
					}
				}
				_, _ = m.EnqueueUniqueWork("idle", Keep, WorkRequest{Constraints: Constraints{RequiresDeviceIdle: true, RequiresCharging: true}})
				if err := eng.RunFor(30 * 24 * time.Hour); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(j.Running()) > 1+3 {
					t.Errorf("%s: %d runs still open", name, len(j.Running()))
				}
				if len(j.Runs()) == 0 && prof != "idle-shelf" {
					t.Errorf("%s: nothing ran in 30 days", name)
				}
			}
		}
	}
}
