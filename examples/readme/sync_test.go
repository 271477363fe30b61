package sync_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"

	"github.com/wmsim/wmsim/wmsimtest"
)

// syncHandler is the app's task handler: real Go code on the virtual clock.
func syncHandler(ctx *wmsimtest.TaskContext) (bool, error) {
	if !ctx.Device().Network.Connected() {
		return false, nil // ask WorkManager to retry
	}
	ctx.Clock.Sleep(3 * time.Second) // the request takes 3 s of virtual time
	ctx.Store.Set("last-sync", ctx.Clock.Now())
	return true, nil
}

func TestHourlySyncOnAnOfficeWorkersPhone(t *testing.T) {
	g := NewWithT(t)
	s := wmsimtest.New(t,
		wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Profile("office-worker"),
		wmsimtest.Handler("sync", syncHandler))

	// What the app's Dart code does at startup.
	wm := s.Workmanager()
	g.Expect(wm.Initialize()).To(Succeed())
	g.Expect(wm.RegisterPeriodicTask("sync-1", "sync", wmsimtest.PeriodicOptions{
		Frequency:   wmsimtest.Ptr(time.Hour),
		Constraints: &wmsimtest.Constraints{NetworkType: wmsimtest.Ptr(wmsimtest.NetworkConnected)},
	})).To(Succeed())

	// What the user does, at virtual times.
	s.At(10*time.Hour, func(s *wmsimtest.Sim) { s.App().SwipeAway() })
	s.At(14*time.Hour, func(s *wmsimtest.Sim) { s.Reboot(2 * time.Minute) })

	// A day passes in milliseconds.
	g.Expect(s.RunFor(24 * time.Hour)).To(Succeed())

	g.Expect(s).To(wmsimtest.HaveRun("sync").AtLeast(20).Within(24 * time.Hour))
	g.Expect(s).To(wmsimtest.HaveMaxGap("sync", 2*time.Hour))
	g.Expect(s).To(wmsimtest.HaveNoErrors())
	wmsimtest.AssertFinalState(t, s, "sync-1", wmsimtest.Enqueued) // testify style

	// Keep the same document as `wmsim run --format json` for a failed run.
	if t.Failed() {
		s.WriteJSON(t.TempDir() + "/result.json")
	}
}
