package android_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/sim"
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

// Content-URI work waits for a change to a watched URI, then runs after
// JobScheduler's 10-s update delay.
func ExampleModel_ContentChanged() {
	eng := sim.New(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), 1)
	st := device.DefaultState()
	st.Charger = device.ChargerAC
	dev := device.New(eng, device.Config{Initial: st})
	var j osscheduler.Journal
	cfg := android.DefaultConfig()
	cfg.StartLatency = time.Millisecond // JobScheduler starts ready jobs within a millisecond here
	m := android.New(eng, dev, cfg, instantApp{eng}, &j)
	_, _ = m.EnqueueUniqueWork("photos", android.Keep, android.WorkRequest{TaskName: "photos",
		Constraints: android.Constraints{ContentURITriggers: []android.ContentURITrigger{
			{URI: "content://media/external/images", TriggerForDescendants: true}}}})
	_ = eng.RunFor(time.Hour)
	fmt.Println("runs before a change:", len(j.Runs()))
	m.ContentChanged("content://media/external/images/media/7")
	_ = eng.RunFor(time.Minute)
	fmt.Println("started after the change:", (j.Runs()[0].Start - time.Hour).Round(time.Second))
	// Output:
	// runs before a change: 0
	// started after the change: 10s
}

// OEM profiles are data: a built-in one by name, or a user's own file.
func ExampleBuiltinOEM() {
	p, err := android.BuiltinOEM("xiaomi")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Rules.SwipeAway.Effect, p.Rules.SwipeAway.Confidence, p.Rules.Autostart.Enabled)
	_, err = android.ParseOEMProfile("my-oem.yaml", []byte("rules:\n  swipe_away: { effect: vanish, confidence: assumed }\n"))
	fmt.Println(err)
	// Output:
	// force_stop measured false
	// my-oem.yaml:2:25: rules.swipe_away.effect: "vanish" is not valid; want one of none, kill, force_stop
}
