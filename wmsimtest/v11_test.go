package wmsimtest_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/wmsimtest"
)

func TestOnLaunchRegistersAtEveryColdStart(t *testing.T) {
	g := NewWithT(t)
	starts := 0
	s := wmsimtest.New(t, wmsimtest.Android(34), wmsimtest.Duration(6*time.Hour),
		wmsimtest.Task("sync", time.Second, wmsimtest.Success),
		wmsimtest.OnLaunch(func(wm *wmsimtest.Workmanager) {
			starts++
			g.Expect(wm.Initialize()).To(Succeed())
			g.Expect(wm.RegisterPeriodicTask("sync", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour),
				ExistingWorkPolicy: plugin.Ptr(plugin.PeriodicKeep)})).To(Succeed())
		}))
	s.At(0, func(s *wmsimtest.Sim) { s.App().Launch() })
	s.At(time.Minute, func(s *wmsimtest.Sim) { s.App().Background() })
	s.At(10*time.Minute, func(s *wmsimtest.Sim) { s.App().Launch() }) // warm
	s.At(11*time.Minute, func(s *wmsimtest.Sim) { s.App().SwipeAway() })
	s.At(20*time.Minute, func(s *wmsimtest.Sim) { s.App().Launch() }) // cold again
	g.Expect(s.Run()).To(Succeed())
	assert.Equal(t, 2, starts)
	n := 0
	for _, c := range s.Calls() {
		if c.Call == "initialize" {
			assert.Equal(t, runner.SourceOnLaunch, c.Source)
			n++
		}
	}
	assert.Equal(t, 2, n)
	g.Expect(s).To(wmsimtest.HaveRun("sync").AtLeast(3))
}

func TestHandlerCallsThePluginBeforeReturning(t *testing.T) {
	g := NewWithT(t)
	s := wmsimtest.New(t, wmsimtest.Android(34), wmsimtest.Duration(5*time.Hour),
		wmsimtest.HandlerWithPlugin("chain", func(ctx *plugin.TaskContext, wm *wmsimtest.Workmanager) (bool, error) {
			next := "chain-" + ctx.Clock.Now().Format("150405")
			return true, wm.RegisterOneOffTask(next, "chain", plugin.OneOffOptions{InitialDelay: plugin.Ptr(time.Hour)})
		}))
	wm := s.Workmanager()
	g.Expect(wm.Initialize()).To(Succeed())
	g.Expect(wm.RegisterOneOffTask("chain-0", "chain", plugin.OneOffOptions{})).To(Succeed())
	g.Expect(s.Run()).To(Succeed())
	g.Expect(s).To(wmsimtest.HaveRun("chain").AtLeast(3))
	var fromTask int
	for _, c := range s.Calls() {
		if c.Source == runner.SourceTask {
			fromTask++
			assert.Equal(t, "registerOneOffTask", c.Call)
		}
	}
	assert.GreaterOrEqual(t, fromTask, 3)
}

func TestQueryResults(t *testing.T) {
	g := NewWithT(t)
	s := wmsimtest.New(t, wmsimtest.Android(34), wmsimtest.Duration(3*time.Hour), wmsimtest.Task("sync", time.Second, wmsimtest.Success))
	wm := s.Workmanager()
	g.Expect(wm.Initialize()).To(Succeed())
	g.Expect(wm.RegisterPeriodicTask("sync", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour)})).To(Succeed())
	s.At(time.Hour, func(s *wmsimtest.Sim) {
		ok, err := s.Workmanager().IsScheduledByUniqueName("sync")
		require.NoError(t, err)
		assert.True(t, ok)
	})
	s.At(2*time.Hour, func(s *wmsimtest.Sim) {
		require.NoError(t, s.Workmanager().CancelByUniqueName("sync"))
		ok, err := s.Workmanager().IsScheduledByUniqueName("sync")
		require.NoError(t, err)
		assert.False(t, ok)
	})
	g.Expect(s.Run()).To(Succeed())
	g.Expect(s).To(wmsimtest.HaveReturned("isScheduledByUniqueName", true).At(time.Hour))
	g.Expect(s).To(wmsimtest.HaveReturned("isScheduledByUniqueName", false).At(2 * time.Hour))
	g.Expect(s).NotTo(wmsimtest.HaveReturned("isScheduledByUniqueName", true))
}

func TestLaunchForAndProcessDeath(t *testing.T) {
	starts := 0
	s := wmsimtest.New(t, wmsimtest.Android(34), wmsimtest.Duration(2*time.Hour),
		wmsimtest.OnLaunch(func(*wmsimtest.Workmanager) { starts++ }))
	s.At(0, func(s *wmsimtest.Sim) { s.App().LaunchFor(5 * time.Minute) })
	s.At(4*time.Minute, func(s *wmsimtest.Sim) { assert.Equal(t, "foreground", string(s.App().State())) })
	s.At(6*time.Minute, func(s *wmsimtest.Sim) { assert.Equal(t, "background", string(s.App().State())) })
	s.At(7*time.Minute, func(s *wmsimtest.Sim) { s.App().ProcessDeath() })
	s.At(8*time.Minute, func(s *wmsimtest.Sim) { s.App().Launch() })
	require.NoError(t, s.Run())
	assert.Equal(t, 2, starts)
}
