package ios

import (
	"fmt"
	"github.com/wmsim/wmsim/internal/event"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

func refreshReq(id string) TaskRequest {
	return TaskRequest{Identifier: id, Kind: osscheduler.Periodic, UniqueName: id, TaskName: "task-" + id}
}

func procReq(id string) TaskRequest {
	return TaskRequest{Identifier: id, Kind: osscheduler.Processing, UniqueName: id, TaskName: "task-" + id}
}

// TestSubmitErrors covers every submit error and crash of BGTaskScheduler.submit
// in the order of iOS 18.2 / 26.1 (no handler → crash or notPermitted; then
// dasd: unavailable, notPermitted for the mode, tooManyPendingTaskRequests)
// and the documented error codes
// (https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/error/code).
func TestSubmitErrors(t *testing.T) {
	cases := []struct {
		name    string
		cfg     func(*Config)
		before  func(*Model)
		req     TaskRequest
		want    string
		crashes bool
	}{
		{name: "refresh accepted", req: refreshReq("refresh")},
		{name: "processing accepted", req: procReq("proc")},
		{name: "identifier not permitted", req: refreshReq("unlisted"), want: "not_permitted"},
		{name: "empty identifier", req: refreshReq(""), want: "not_permitted"},
		{name: "permitted but no launch handler crashes", cfg: func(c *Config) { c.LaunchHandlers = nil }, req: refreshReq("refresh"), want: "crash", crashes: true},
		{name: "no handler beats BAR off (crash first)", cfg: func(c *Config) { c.LaunchHandlers = nil; c.BackgroundAppRefresh = false }, req: refreshReq("refresh"), want: "crash", crashes: true},
		{name: "unlisted beats BAR off (not_permitted first)", cfg: func(c *Config) { c.BackgroundAppRefresh = false }, req: refreshReq("unlisted"), want: "not_permitted"},
		{name: "Background App Refresh off", cfg: func(c *Config) { c.BackgroundAppRefresh = false }, req: refreshReq("refresh"), want: "unavailable"},
		{name: "BAR off for processing too", cfg: func(c *Config) { c.BackgroundAppRefresh = false }, req: procReq("proc"), want: "unavailable"},
		{name: "refresh without fetch mode", cfg: func(c *Config) { c.BackgroundModes = []string{ModeProcessing} }, req: refreshReq("refresh"), want: "not_permitted"},
		{name: "processing without processing mode", cfg: func(c *Config) { c.BackgroundModes = []string{ModeFetch} }, req: procReq("proc"), want: "not_permitted"},
		{name: "BAR off beats missing mode", cfg: func(c *Config) { c.BackgroundModes = nil; c.BackgroundAppRefresh = false }, req: refreshReq("refresh"), want: "unavailable"},
		{name: "second refresh identifier", before: func(m *Model) { m.Submit(refreshReq("refresh")) }, req: refreshReq("refresh2"), want: "too_many_pending_requests"},
		{name: "eleventh processing request", before: func(m *Model) {
			for i := 1; i <= 10; i++ {
				m.Submit(procReq(fmt.Sprintf("p%02d", i)))
			}
		}, req: procReq("proc"), want: "too_many_pending_requests"},
		{name: "resubmit replaces, not counted", before: func(m *Model) { m.Submit(refreshReq("refresh")) }, req: refreshReq("refresh")},
		{name: "tenth processing replaced at the limit", before: func(m *Model) {
			for i := 1; i <= 10; i++ {
				m.Submit(procReq(fmt.Sprintf("p%02d", i)))
			}
		}, req: procReq("p10")},
		{name: "refresh limit is separate from processing", before: func(m *Model) {
			for i := 1; i <= 10; i++ {
				m.Submit(procReq(fmt.Sprintf("p%02d", i)))
			}
		}, req: refreshReq("refresh")},
		{name: "health research before iOS 17", cfg: func(c *Config) { c.Version = 16 }, req: TaskRequest{Identifier: "proc", Kind: osscheduler.HealthResearch}, want: "unsupported"},
		{name: "health research on iOS 17", req: TaskRequest{Identifier: "proc", Kind: osscheduler.HealthResearch}},
		{name: "health research counts as processing", before: func(m *Model) {
			for i := 1; i <= 10; i++ {
				m.Submit(procReq(fmt.Sprintf("p%02d", i)))
			}
		}, req: TaskRequest{Identifier: "proc", Kind: osscheduler.HealthResearch}, want: "too_many_pending_requests"},
		{name: "continued processing before iOS 26", cfg: func(c *Config) { c.Version = 18 }, req: TaskRequest{Identifier: "app.export.1", Kind: osscheduler.ContinuedProcessing}, want: "unsupported"},
		{name: "continued processing on iOS 26 via wildcard", cfg: func(c *Config) {
			c.Version = 26
			c.PermittedIdentifiers = append(c.PermittedIdentifiers, "app.export.*")
			c.LaunchHandlers = append(c.LaunchHandlers, "app.export.*")
		}, req: TaskRequest{Identifier: "app.export.1", Kind: osscheduler.ContinuedProcessing, Title: "Export"}},
		{name: "wildcard needs a suffix", cfg: func(c *Config) {
			c.Version = 26
			c.PermittedIdentifiers = append(c.PermittedIdentifiers, "app.export.*")
			c.LaunchHandlers = append(c.LaunchHandlers, "app.export.*")
		}, req: TaskRequest{Identifier: "app.export.", Kind: osscheduler.ContinuedProcessing}, want: "not_permitted"},
		{name: "one-off is not a BGTaskRequest", req: TaskRequest{Identifier: "refresh", Kind: osscheduler.OneOff}, want: "unsupported"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			e := newEnv(t, 1, cfg, nil)
			e.dev.LaunchApp()
			if tc.before != nil {
				tc.before(e.m)
			}
			before := len(e.m.Pending())
			err := e.m.Submit(tc.req)
			assert.Equal(t, tc.want, code(err))
			if tc.want != "" {
				assert.Len(t, e.m.Pending(), before, "a rejected submit changes nothing")
				assert.NotEmpty(t, e.records(SourceScheduler, map[bool]event.Kind{true: event.Crashed, false: event.Rejected}[tc.crashes]))
			}
			require.NoError(t, e.eng.RunFor(time.Second))
			if tc.crashes {
				assert.Equal(t, device.ProcessNotRunning, e.dev.State().App, "the uncaught NSException kills the app")
			} else {
				assert.Equal(t, device.ProcessForeground, e.dev.State().App)
			}
		})
	}
}

func TestReplacementKeepsOneRequest(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	later := t0.Add(3 * time.Hour)
	r := refreshReq("refresh")
	r.EarliestBegin = later
	r.Input = osscheduler.Data{"k": int64(2)}
	require.NoError(t, e.m.Submit(r))
	p := e.m.Pending()
	require.Len(t, p, 1)
	assert.Equal(t, later, p[0].EarliestBegin)
	assert.Equal(t, osscheduler.Data{"k": int64(2)}, p[0].Input)
	p[0].Input["k"] = int64(9) // getPendingTaskRequests returns copies
	assert.Equal(t, int64(2), e.m.Pending()[0].Input["k"])
}

func TestCancelAndPendingOrder(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	for _, id := range []string{"p03", "p01", "refresh", "p02"} {
		if id == "refresh" {
			require.NoError(t, e.m.Submit(refreshReq(id)))
		} else {
			require.NoError(t, e.m.Submit(procReq(id)))
		}
	}
	ids := func() []string {
		var out []string
		for _, r := range e.m.Pending() {
			out = append(out, r.Identifier)
		}
		return out
	}
	assert.Equal(t, []string{"p01", "p02", "p03", "refresh"}, ids())
	e.m.Cancel("p02")
	e.m.Cancel("nothing") // never fails
	assert.Equal(t, []string{"p01", "p03", "refresh"}, ids())
	e.m.CancelAll()
	assert.Empty(t, ids())
	states := map[string]osscheduler.TaskState{}
	for _, ti := range e.m.Tasks() {
		states[ti.Unique] = ti.State
	}
	assert.Equal(t, osscheduler.StateCancelled, states["p02"])
	assert.Equal(t, osscheduler.StateCancelled, states["refresh"])
}

// TestRegister covers register(forTaskWithIdentifier:) after launch: iOS ≤ 18
// asserts (BGTaskScheduler.m, iOS 18.2), iOS 26 allows it; unlisted → false;
// twice in one process → NSInternalInconsistencyException.
func TestRegister(t *testing.T) {
	cases := []struct {
		name     string
		version  int
		handlers []string
		id       string
		ok       bool
		want     string
	}{
		{name: "iOS 17 late registration crashes", version: 17, id: "refresh", want: "crash"},
		{name: "iOS 13 late registration crashes", version: 13, id: "refresh", want: "crash"},
		{name: "iOS 18 late registration crashes", version: 18, id: "refresh", want: "crash"},
		{name: "iOS 26 late registration allowed", version: 26, id: "refresh", ok: true},
		{name: "iOS 26 unlisted returns false", version: 26, id: "unlisted", ok: false},
		{name: "iOS 26 duplicate crashes", version: 26, handlers: []string{"refresh"}, id: "refresh", want: "crash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Version = tc.version
			cfg.LaunchHandlers = tc.handlers
			e := newEnv(t, 1, cfg, nil)
			e.dev.LaunchApp()
			ok, err := e.m.Register(tc.id)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, code(err))
			require.NoError(t, e.eng.RunFor(time.Second))
			if tc.want == "crash" {
				assert.Equal(t, device.ProcessNotRunning, e.dev.State().App)
			} else {
				assert.Equal(t, tc.ok, e.m.Registered(tc.id))
			}
		})
	}
}

// TestRegistrationsArePerProcess: every launch registers Config.LaunchHandlers
// again (DTS, forums thread 728585); a late registration is gone when the
// process dies.
func TestRegistrationsArePerProcess(t *testing.T) {
	cfg := testConfig()
	cfg.Version = 26
	cfg.LaunchHandlers = []string{"refresh", "unlisted"}
	e := newEnv(t, 1, cfg, nil)
	assert.False(t, e.m.Registered("refresh"), "no process, nothing registered")
	e.dev.LaunchApp()
	assert.True(t, e.m.Registered("refresh"))
	assert.False(t, e.m.Registered("unlisted"), "register returned false for an unlisted id")
	ok, err := e.m.Register("proc")
	require.NoError(t, err)
	require.True(t, ok)
	e.dev.KillProcess()
	assert.False(t, e.m.Registered("refresh"))
	e.dev.StartProcess()
	assert.True(t, e.m.Registered("refresh"))
	assert.False(t, e.m.Registered("proc"), "the late registration died with its process")
	assert.Equal(t, "crash", code(e.m.Submit(procReq("proc"))))
}

// TestDuplicateLaunchHandlerCrashesAtLaunch: two registrations of one id in
// the AppDelegate (two SDKs, transistorsoft/flutter_background_geolocation#1205).
func TestDuplicateLaunchHandlerCrashesAtLaunch(t *testing.T) {
	cfg := testConfig()
	cfg.LaunchHandlers = []string{"refresh", "refresh"}
	e := newEnv(t, 1, cfg, nil)
	e.dev.LaunchApp()
	require.NoError(t, e.eng.RunFor(time.Second))
	assert.Equal(t, device.ProcessNotRunning, e.dev.State().App)
	assert.NotEmpty(t, e.records(SourceScheduler, "crashed"))
	require.Len(t, e.j.Errors, 1)
	assert.Equal(t, "crash", e.j.Errors[0].Code)
}

func TestNilExecutorAndJournal(t *testing.T) {
	eng := sim.New(t0, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	m := New(eng, dev, testConfig(), nil, nil)
	dev.LaunchApp()
	require.NoError(t, m.Submit(procReq("proc")))
	dev.BackgroundApp()
	dev.SetScreen(false)
	dev.SetCharger(device.ChargerAC)
	require.NoError(t, eng.RunFor(day))
	require.Len(t, m.Journal().Runs(), 1)
	assert.Equal(t, osscheduler.OutcomeExpired, m.Journal().Runs()[0].Outcome)
}

// TestLaunchWithoutHandlerCrashes: a pending request delivered to a process
// that no longer registers its id crashes the app (wordpress-mobile/WordPress-iOS#18156).
func TestLaunchWithoutHandlerCrashes(t *testing.T) {
	cfg := testConfig()
	cfg.Version = 26
	cfg.LaunchHandlers = nil
	e := newEnv(t, 1, cfg, nil)
	e.dev.LaunchApp()
	ok, err := e.m.Register("proc")
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, e.m.Submit(procReq("proc")))
	e.dev.BackgroundApp()
	e.dev.KillProcess()
	e.dev.SetScreen(false)
	e.dev.SetCharger(device.ChargerAC)
	require.NoError(t, e.eng.RunFor(6*time.Hour))
	require.Len(t, e.j.Errors, 1)
	assert.Equal(t, "crash", e.j.Errors[0].Code)
	assert.Empty(t, e.exec.started)
	assert.Empty(t, e.m.Pending(), "the request was consumed by the delivery")
}

func TestConfigValidate(t *testing.T) {
	for v, ok := range map[int]bool{0: true, 12: false, 13: true, 17: true, 18: true, 19: false, 25: false, 26: true, 27: true, 28: false} {
		c := DefaultConfig()
		c.Version = v
		assert.Equal(t, ok, c.Validate() == nil, "version %d", v)
	}
	c := DefaultConfig()
	c.Heuristics = "reckless"
	assert.ErrorContains(t, c.Validate(), "reckless")
	c = DefaultConfig()
	c.RefreshBudget = -time.Second
	assert.Error(t, c.Validate())
}

// TestFetchIntervalHasNoEffectWithBGIdentifiers: adding
// BGTaskSchedulerPermittedIdentifiers disables legacy fetch (BGTaskScheduler overview).
func TestFetchIntervalHasNoEffectWithBGIdentifiers(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.open()
	e.m.SetMinimumBackgroundFetchInterval(FetchMinimum)
	assert.NotEmpty(t, e.records(SourceFetch, "rejected"))
	require.NoError(t, e.eng.RunFor(3*24*time.Hour))
	assert.Empty(t, e.exec.startedOf(osscheduler.Fetch))
}
