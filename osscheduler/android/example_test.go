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
	fmt.Println("runs in the first hour:", len(j.Runs()))
	wi := m.WorkInfosForUniqueWork("sync")[0]
	fmt.Println(wi.State, wi.RunAttemptCount)
	// Output:
	// runs in the first hour: 4
	// enqueued 0
}

// The adb-like Doze controls: force_idle defers jobs to the next maintenance
// window, whatever the screen and charger say; unforce gives control back.
func ExampleModel_Doze() {
	eng := sim.New(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 1)
	st := device.DefaultState()
	st.ScreenOn = true
	dev := device.New(eng, device.Config{Initial: st})
	var j osscheduler.Journal
	m := android.New(eng, dev, android.DefaultConfig(), instantApp{eng}, &j)

	if err := m.Doze("force_idle"); err != nil {
		panic(err)
	}
	_, _ = m.EnqueueUniqueWork("upload", android.Keep, android.WorkRequest{TaskName: "upload"})
	_ = eng.RunFor(30 * time.Minute)
	fmt.Println("runs while forced idle:", len(j.Runs()))
	_ = m.Doze("unforce") // the screen is on: Doze ends, the job runs
	_ = eng.RunFor(time.Minute)
	fmt.Println("runs after unforce:", len(j.Runs()))
	fmt.Println(m.Doze("nap"))
	// Output:
	// runs while forced idle: 0
	// runs after unforce: 1
	// invalid_argument: unknown Doze command "nap" (want force_idle, step or unforce)
}
