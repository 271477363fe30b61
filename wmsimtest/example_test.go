package wmsimtest_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/onsi/gomega"

	"github.com/wmsim/wmsim/wmsimtest"
)

// A phone on a charger and Wi-Fi with an hourly sync: a day of virtual time
// takes milliseconds.
func ExampleNew() {
	s := wmsimtest.New(nil, wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Charger(wmsimtest.ChargerAC))
	s.Workmanager().Initialize()
	s.Workmanager().RegisterPeriodicTask("sync-1", "sync", wmsimtest.PeriodicOptions{Frequency: wmsimtest.Ptr(time.Hour)})
	s.RunFor(24 * time.Hour)
	fmt.Println(s.RunCount("sync"), "runs")
	// Output: 24 runs
}

// Go task handlers are real code: they get the virtual clock, the input
// data, the attempt and a persistent store.
func ExampleHandler() {
	s := wmsimtest.New(nil, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("upload", func(ctx *wmsimtest.TaskContext) (bool, error) {
			ctx.Clock.Sleep(30 * time.Second) // virtual
			ctx.Store.Set("last-upload", ctx.Clock.Now())
			return ctx.Attempt > 1, nil // the first attempt asks for a retry
		}))
	s.Workmanager().Initialize()
	s.Workmanager().RegisterOneOffTask("upload-1", "upload", wmsimtest.OneOffOptions{})
	s.RunFor(2 * time.Hour)
	for _, r := range s.Result().Runs {
		fmt.Println(r.Unique, "attempt", r.Attempt, r.Outcome)
	}
	// Output:
	// upload-1 attempt 1 retry
	// upload-1 attempt 2 success
}

// RunUntilCondition is the virtual-time Eventually.
func ExampleSim_RunUntilCondition() {
	s := wmsimtest.New(nil, wmsimtest.Charger(wmsimtest.ChargerAC))
	s.Workmanager().Initialize()
	s.Workmanager().RegisterPeriodicTask("sync-1", "sync", wmsimtest.PeriodicOptions{Frequency: wmsimtest.Ptr(time.Hour)})
	at, ok := s.RunUntilCondition(func() bool { return s.RunCount("sync-1") >= 3 }, 6*time.Hour)
	fmt.Println(ok, at.Round(time.Hour))
	// Output: true 2h0m0s
}

// Always is the virtual-time Consistently: the condition is checked after
// every decision the simulation makes.
func ExampleSim_Always() {
	s, _ := wmsimtest.Build()
	s.Always("the phone stays online", func(s *wmsimtest.Sim) bool { return s.Device().State().Network.Connected() })
	s.At(5*time.Hour, func(s *wmsimtest.Sim) { s.Device().GoOffline() })
	err := s.RunFor(8 * time.Hour)
	fmt.Println(err != nil, len(s.Violations()))
	// Output: true 1
}

// Device and app actions happen at the current virtual time; At schedules
// them later.
func ExampleSim_At() {
	s := wmsimtest.New(nil)
	s.At(2*time.Hour, func(s *wmsimtest.Sim) { s.Device().Plug(wmsimtest.ChargerAC) })
	s.At(3*time.Hour, func(s *wmsimtest.Sim) { s.App().SwipeAway() })
	s.At(4*time.Hour, func(s *wmsimtest.Sim) { s.Reboot(2 * time.Minute) })
	s.RunFor(3*time.Hour + time.Minute)
	fmt.Println(s.Device().State().Charger, s.App().State())
	// Output: ac swiped_away
}

// A scenario file can be loaded and overridden from Go.
func ExampleFromYAML() {
	src := []byte(`version: 1
name: nightly
duration: 1d
app:
  tasks:
    backup: { duration: 2m }
timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: backup, taskName: backup, frequency: 1d, constraints: { requiresCharging: true } }
`)
	s := wmsimtest.New(nil, wmsimtest.FromYAML(src), wmsimtest.Charger(wmsimtest.ChargerAC))
	s.Run()
	fmt.Println(s.Result().Scenario, s.RunCount("backup"))
	// Output: nightly 1
}

// The matchers judge with the scenario format's rules, and quote the
// evidence on failure as the CLI does.
func ExampleHaveRun() {
	s := wmsimtest.New(nil, wmsimtest.Charger(wmsimtest.ChargerAC))
	s.Workmanager().Initialize()
	s.Workmanager().RegisterPeriodicTask("sync-1", "sync", wmsimtest.PeriodicOptions{Frequency: wmsimtest.Ptr(6 * time.Hour)})
	s.RunFor(24 * time.Hour)

	g := gomega.NewGomega(func(message string, _ ...int) { fmt.Println(message) })
	g.Expect(s).To(wmsimtest.HaveRun("sync").AtLeast(4).Within(24 * time.Hour))
	g.Expect(s).To(wmsimtest.HaveFinalState("sync-1", wmsimtest.Succeeded))
	// Output:
	// wmsim expectation failed at +1d00:00:00 of virtual time:
	//   ✗ sync-1 state succeeded (state enqueued)
}

// printT is a testify TestingT that prints.
type printT struct{}

func (printT) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// The testify helpers report through assert (or require) with the same
// evidence.
func ExampleAssertRuns() {
	s := wmsimtest.New(nil, wmsimtest.IOS(17))
	s.Workmanager().Initialize()
	s.Workmanager().RegisterPeriodicTask("refresh", "refresh", wmsimtest.PeriodicOptions{})
	s.RunFor(24 * time.Hour)
	ok := wmsimtest.AssertRecordedError(printT{}, s, "registerPeriodicTask", wmsimtest.NotPermitted)
	fmt.Println(ok)
	// Output: true
}

// JSON is the CLI's result document.
func ExampleSim_JSON() {
	s := wmsimtest.New(nil, wmsimtest.Name("empty"), wmsimtest.Duration(time.Hour))
	s.Run()
	lines := strings.SplitN(string(s.JSON()), "\n", 7)
	fmt.Println(strings.Join(lines[:6], "\n"))
	// Output:
	// {
	//   "format": "wmsim.result/v1",
	//   "scenario": "empty",
	//   "platform": "android",
	//   "seed": 1,
	//   "start": "2026-01-05T08:00:00Z",
}
