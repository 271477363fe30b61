package wmsimtest_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/wmsimtest"
)

// What main() does at every cold start, in Go: the usage profile's launches
// run it, so the work is registered on a phone nobody drives from the test.
func ExampleOnLaunch() {
	s := wmsimtest.New(nil, wmsimtest.Android(34), wmsimtest.Profile("office-worker"), wmsimtest.Duration(24*time.Hour),
		wmsimtest.Task("sync", time.Second, wmsimtest.Success),
		wmsimtest.OnLaunch(func(wm *wmsimtest.Workmanager) {
			_ = wm.Initialize()
			_ = wm.RegisterPeriodicTask("sync", "sync", wmsimtest.PeriodicOptions{Frequency: wmsimtest.Ptr(time.Hour),
				ExistingWorkPolicy: wmsimtest.Ptr(wmsimtest.PeriodicKeep)})
		}))
	if err := s.Run(); err != nil {
		panic(err)
	}
	fmt.Println(s.RunCount("sync") > 10, s.Calls()[0].Call, s.Calls()[0].Source)
	// Output:
	// true initialize on_launch
}

// A handler that schedules its successor before returning: a chain.
func ExampleHandlerWithPlugin() {
	s := wmsimtest.New(nil, wmsimtest.Android(34), wmsimtest.Duration(4*time.Hour),
		wmsimtest.HandlerWithPlugin("chain", func(ctx *wmsimtest.TaskContext, wm *wmsimtest.Workmanager) (bool, error) {
			next := fmt.Sprintf("chain-%d", ctx.Clock.Now().Unix())
			return true, wm.RegisterOneOffTask(next, "chain", wmsimtest.OneOffOptions{InitialDelay: wmsimtest.Ptr(time.Hour)})
		}))
	wm := s.Workmanager()
	_ = wm.Initialize()
	_ = wm.RegisterOneOffTask("chain-0", "chain", wmsimtest.OneOffOptions{})
	if err := s.Run(); err != nil {
		panic(err)
	}
	// An hour apart at first; then the untouched phone is in Doze and the
	// next link waits for a maintenance window.
	fmt.Println(s.RunCount("chain"))
	// Output:
	// 2
}
