package plugin_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
)

var start = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// An hourly periodic task on Android: the app initializes the plugin,
// installs its dispatcher and registers the task; WorkManager runs it.
func ExampleNew() {
	eng := sim.New(start, 42)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	p := plugin.New(plugin.Config{Platform: osscheduler.Android, Engine: eng, Device: dev})
	dev.LaunchApp()

	_ = p.Initialize(1001, false)
	p.ExecuteTask(func(ctx *plugin.TaskContext) (bool, error) {
		ctx.Clock.Sleep(2 * time.Second) // the work, in virtual time
		return true, nil
	})
	_ = p.RegisterPeriodicTask("periodic-sync", "fetchLatestPosts", plugin.PeriodicOptions{
		Frequency: plugin.Ptr(time.Hour),
		InputData: osscheduler.Data{"userId": "user_42"},
	})
	_ = eng.RunFor(150 * time.Minute)
	for _, r := range p.Journal().Runs() {
		fmt.Printf("%s received %q: %s\n", r.Unique, r.Received, r.Outcome)
	}
	// Output:
	// periodic-sync received "fetchLatestPosts": success
	// periodic-sync received "fetchLatestPosts": success
	// periodic-sync received "fetchLatestPosts": success
}

// Dart-side refusals surface as typed errors, and every rejected call is in
// the journal with a stable code.
func ExamplePlugin_RegisterProcessingTask() {
	p := plugin.New(plugin.Config{Platform: osscheduler.Android})
	err := p.RegisterProcessingTask("cleanup", "cleanupCache", plugin.ProcessingOptions{})
	fmt.Println(err)
	e := p.Journal().Errors[0]
	fmt.Println(e.Call, e.Code, e.SeenByApp)
	// Output:
	// Unsupported operation: Processing tasks are not supported on Android
	// registerProcessingTask unsupported true
}

// On iOS a one-off task runs in the app's process and the dispatcher receives
// the taskName; getWorkInfo reads the plugin's own WorkInfo store.
func ExamplePlugin_GetWorkInfo() {
	eng := sim.New(start, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	cfg := ios.DefaultConfig()
	p := plugin.New(plugin.Config{Platform: osscheduler.IOS, Engine: eng, Device: dev, IOS: cfg})
	dev.LaunchApp()
	_ = p.Initialize(1001, false)
	p.ExecuteTask(func(ctx *plugin.TaskContext) (bool, error) {
		fmt.Println("dispatcher received", ctx.Received, ctx.Input)
		return true, nil
	})
	_ = p.RegisterOneOffTask("oneoff-1", "simpleTask", plugin.OneOffOptions{InputData: osscheduler.Data{"foo": "bar"}})
	_ = eng.RunFor(time.Minute)
	wi, _ := p.GetWorkInfo("oneoff-1")
	fmt.Println(wi.UniqueName, wi.TaskName, wi.State == plugin.WorkSucceeded)
	// Output:
	// dispatcher received simpleTask map[foo:bar]
	// oneoff-1 simpleTask true
}

// printScheduledTasks lists the pending BGTaskScheduler requests.
func ExamplePlugin_PrintScheduledTasks() {
	eng := sim.New(start, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	cfg := ios.DefaultConfig()
	cfg.Version = 16
	cfg.PermittedIdentifiers = []string{"dev.example.sync"}
	cfg.LaunchHandlers = cfg.PermittedIdentifiers
	cfg.BackgroundModes = []string{"fetch"}
	p := plugin.New(plugin.Config{Platform: osscheduler.IOS, Engine: eng, Device: dev, IOS: cfg})
	dev.LaunchApp()
	_ = p.Initialize(1001, false)
	_ = p.RegisterPeriodicTask("dev.example.sync", "fetchLatestPosts", plugin.PeriodicOptions{InitialDelay: plugin.Ptr(30 * time.Minute)})
	s, _ := p.PrintScheduledTasks()
	fmt.Println(s)
	// Output:
	// [BGTaskScheduler] Scheduled Tasks:
	// [BGTaskScheduler] Task Identifier: dev.example.sync earliestBeginDate: 1/5/2026, 8:30 AM
}

// Dart's StopReason numbering is not WorkManager's: a cancel (WorkManager
// raw 1) reaches onTaskStopped as timeout.
func ExampleDartStopReason() {
	raw := plugin.AndroidStopReasonRaw(osscheduler.StopCancelledByApp)
	fmt.Println(raw, plugin.DartStopReason(raw))
	// Output: 1 TIMEOUT
}

// syncHandler answers through ctx.Done, reads its input only when it needs
// it, and keeps nothing of ctx once it has answered: so it is a
// ContextHandler, and the plugin reuses the run's context.
type syncHandler struct{ eng *sim.Engine }

func (h syncHandler) ExecuteTask(*plugin.TaskContext, func(bool, error)) {} // not called: ExecuteTaskContext is

func (h syncHandler) ExecuteTaskContext(ctx *plugin.TaskContext) bool {
	user := ctx.LoadInput()["userId"]
	received := ctx.Received
	h.eng.After(2*time.Second, sim.PhaseApp, "sync done", sim.HandlerFunc(func(*sim.Engine) {
		fmt.Println(received, "for", user)
		ctx.Done(true, nil)
	}))
	return true
}

func ExampleContextHandler() {
	eng := sim.New(start, 42)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	p := plugin.New(plugin.Config{Platform: osscheduler.Android, Engine: eng, Device: dev})
	dev.LaunchApp()
	_ = p.Initialize(1001, false)
	p.ExecuteTaskAsync(syncHandler{eng})
	_ = p.RegisterOneOffTask("first-sync", "fetchLatestPosts", plugin.OneOffOptions{
		InputData: osscheduler.Data{"userId": "user_42"},
	})
	_ = eng.RunFor(time.Minute)
	fmt.Println(p.Journal().Runs()[0].Outcome)
	// Output:
	// fetchLatestPosts for user_42
	// success
}
