package android_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/device"
	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/osscheduler/android"
	"github.com/wmsim/wmsim/sim"
)

// instantApp finishes every run successfully after 10 s.
type instantApp struct{ eng *sim.Engine }

func (a instantApp) Start(x *osscheduler.Execution) {
	a.eng.After(10*time.Second, sim.PhasePlugin, "app", sim.HandlerFunc(func(*sim.Engine) { x.Finish(osscheduler.Success) }))
}
func (instantApp) Stop(*osscheduler.Execution, osscheduler.StopReason) {}

func Example() {
	eng := sim.New(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 1)
	st := device.DefaultState()
	st.Charger = device.ChargerAC // on the charger: no Doze, no quota
	dev := device.New(eng, device.Config{Initial: st})
	var j osscheduler.Journal
	m := android.New(eng, dev, android.DefaultConfig(), instantApp{eng}, &j)

	// A 5-minute interval is clamped to WorkManager's 15-minute minimum.
	_, err := m.EnqueueUniquePeriodicWork("sync", android.PeriodicKeep, android.WorkRequest{
		TaskName: "sync", Periodic: true, Interval: 5 * time.Minute,
		Constraints: android.Constraints{RequiredNetwork: android.NetworkConnected},
	})
	if err != nil {
		panic(err)
	}
	_ = eng.RunFor(time.Hour)
	fmt.Println("runs in the first hour:", len(j.Runs))
	wi := m.WorkInfosForUniqueWork("sync")[0]
	fmt.Println(wi.State, wi.RunAttemptCount)
	// Output:
	// runs in the first hour: 4
	// enqueued 0
}
