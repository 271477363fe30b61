// Package scheduling_test is an example testify suite for an app's
// background work, simulated with wmsimtest. Copy it and replace the
// registrations and handlers with your app's.
package scheduling_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"

	"github.com/wmsim/wmsim/wmsimtest"
)

// SyncSuite tests the app's hourly sync. SetupTest gives every test a fresh
// simulated phone, so tests do not share state.
type SyncSuite struct {
	suite.Suite
	sim      *wmsimtest.Sim
	failNext bool // the fake server fails the next request
}

func TestSyncSuite(t *testing.T) { suite.Run(t, new(SyncSuite)) }

// sync is the app's task handler, real Go code: it "calls the server"
// (sleeping 4 s of virtual time), keeps a cursor in the app's persistent
// store, and asks for a retry when the request fails.
func (s *SyncSuite) sync(ctx *wmsimtest.TaskContext) (bool, error) {
	if !ctx.Device().Network.Connected() {
		return false, nil // retry later
	}
	ctx.Clock.Sleep(4 * time.Second)
	if s.failNext {
		s.failNext = false
		return false, nil
	}
	n, _ := ctx.Store.Get("cursor")
	c, _ := n.(int)
	ctx.Store.Set("cursor", c+1)
	return true, nil
}

func (s *SyncSuite) SetupTest() {
	s.failNext = false
	s.sim = wmsimtest.New(s.T(),
		wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Profile("office-worker"),
		wmsimtest.Handler("sync", s.sync))
	wm := s.sim.Workmanager()
	s.Require().NoError(wm.Initialize())
	s.Require().NoError(wm.RegisterPeriodicTask("sync-1", "sync", wmsimtest.PeriodicOptions{
		Frequency:   wmsimtest.Ptr(time.Hour),
		Constraints: &wmsimtest.Constraints{NetworkType: wmsimtest.Ptr(wmsimtest.NetworkConnected)},
	}))
}

func (s *SyncSuite) TestRunsThroughoutAnOfficeDay() {
	s.Require().NoError(s.sim.RunFor(24 * time.Hour))
	// An office worker's phone spends the night in Doze: at least 12 runs a
	// day, never more than one per hourly period.
	wmsimtest.AssertRuns(s.T(), s.sim, "sync", 12, 25)
	wmsimtest.AssertNoErrors(s.T(), s.sim)
	wmsimtest.AssertFinalState(s.T(), s.sim, "sync-1", wmsimtest.Enqueued)
	cursor, _ := s.sim.World().Plugin.AppStore().Get("cursor")
	s.Equal(s.sim.RunCount("sync"), cursor, "every run advanced the cursor once")
}

func (s *SyncSuite) TestAFailedRequestIsRetried() {
	s.failNext = true
	s.Require().NoError(s.sim.RunFor(6 * time.Hour))
	res := s.sim.Result()
	s.Require().NotEmpty(res.Runs)
	s.Equal("retry", res.Runs[0].Outcome)
	wmsimtest.AssertAttempts(s.T(), s.sim, "sync", 2)
}

func (s *SyncSuite) TestSurvivesAReboot() {
	s.sim.At(3*time.Hour, func(sim *wmsimtest.Sim) { sim.Reboot(5 * time.Minute) })
	s.Require().NoError(s.sim.RunFor(8 * time.Hour))
	wmsimtest.AssertRunsWithin(s.T(), s.sim, "sync", 5, -1, 8*time.Hour)
}

func (s *SyncSuite) TestCancelStopsIt() {
	s.Require().NoError(s.sim.RunFor(2 * time.Hour))
	before := s.sim.RunCount("sync")
	s.Require().NoError(s.sim.Workmanager().CancelByUniqueName("sync-1"))
	s.Require().NoError(s.sim.RunFor(6 * time.Hour))
	s.Equal(before, s.sim.RunCount("sync"))
	wmsimtest.AssertFinalState(s.T(), s.sim, "sync-1", wmsimtest.Cancelled)
}

// A plain test next to the suite: a scenario file from the library,
// overridden from Go, judged by its own expectations.
func TestLibraryScenarioOnIOS17(t *testing.T) {
	s := wmsimtest.New(t, wmsimtest.FromLibrary("ios-missing-plist-identifier"), wmsimtest.Seed(3))
	require.NoError(t, s.Run())
	wmsimtest.RequireExpectations(t, s)
	wmsimtest.AssertRecordedError(t, s, "registerPeriodicTask", wmsimtest.NotPermitted)
}

// Handlers returning an error are failures, as a thrown Dart exception is.
func TestHandlerErrorIsAFailure(t *testing.T) {
	s := wmsimtest.New(t, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("upload", func(*wmsimtest.TaskContext) (bool, error) { return false, errors.New("HTTP 500") }))
	require.NoError(t, s.Workmanager().Initialize())
	require.NoError(t, s.Workmanager().RegisterOneOffTask("upload-1", "upload", wmsimtest.OneOffOptions{}))
	require.NoError(t, s.RunFor(time.Hour))
	wmsimtest.AssertFinalState(t, s, "upload-1", wmsimtest.Failed)
	wmsimtest.AssertRuns(t, s, "upload", 1, 1)
}
