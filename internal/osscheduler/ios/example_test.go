package ios_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
)

// quickApp finishes every run one second after it starts.
type quickApp struct{ eng *sim.Engine }

func (a quickApp) Start(x *osscheduler.Execution) {
	a.eng.After(time.Second, sim.PhaseApp, "app.finish", sim.HandlerFunc(func(*sim.Engine) { x.Finish(osscheduler.Success) }))
}
func (quickApp) Stop(*osscheduler.Execution, osscheduler.StopReason) {}

// A processing request runs at night, once the phone is idle on its charger.
func Example() {
	start := time.Date(2026, 1, 5, 20, 0, 0, 0, time.UTC)
	eng := sim.New(start, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	cfg := ios.DefaultConfig()
	cfg.PermittedIdentifiers = []string{"com.example.cleanup"}
	cfg.BackgroundModes = []string{ios.ModeProcessing}
	cfg.LaunchHandlers = []string{"com.example.cleanup"}
	j := &osscheduler.Journal{}
	m := ios.New(eng, dev, cfg, quickApp{eng}, j)

	dev.LaunchApp()
	err := m.Submit(ios.TaskRequest{Identifier: "com.example.cleanup", Kind: osscheduler.Processing, RequiresExternalPower: true})
	fmt.Println("submit:", err)
	dev.BackgroundApp()
	dev.SetScreen(false)
	eng.Schedule(start.Add(3*time.Hour), sim.PhaseWorld, "plug", sim.HandlerFunc(func(*sim.Engine) { dev.SetCharger(device.ChargerAC) }))
	_ = eng.RunFor(12 * time.Hour)

	for _, r := range j.Runs() {
		fmt.Println(r.Kind, r.Outcome, "started after plug-in:", r.Start >= 3*time.Hour)
	}
	// Output:
	// submit: <nil>
	// processing success started after plug-in: true
}

// Submitting a refresh request whose identifier is permitted but has no launch
// handler registered crashes the app, as the workmanager plugin does when it
// submits before registering.
func ExampleModel_Submit() {
	eng := sim.New(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	cfg := ios.DefaultConfig()
	cfg.PermittedIdentifiers = []string{"sync"}
	cfg.BackgroundModes = []string{ios.ModeFetch}
	m := ios.New(eng, dev, cfg, quickApp{eng}, nil)
	dev.LaunchApp()

	fmt.Println(m.Submit(ios.TaskRequest{Identifier: "other", Kind: osscheduler.Periodic}))
	fmt.Println(m.Submit(ios.TaskRequest{Identifier: "sync", Kind: osscheduler.Periodic}))
	_ = eng.RunFor(time.Second)
	fmt.Println(dev.State().App)
	// Output:
	// not_permitted: Unrecognized Identifier other: not listed in BGTaskSchedulerPermittedIdentifiers
	// crash: NSInternalInconsistencyException: No launch handler registered for task with identifier sync
	// not_running
}
