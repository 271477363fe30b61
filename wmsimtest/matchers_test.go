package wmsimtest_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/scenarios"
	"github.com/wmsim/wmsim/wmsimtest"
)

// fixture is a day on a charger on Wi-Fi: an hourly sync, a one-off upload
// that succeeds, a flaky one-off that retries twice, and one rejected call.
// On a charging, unmetered, non-Doze device nothing holds the work back, so
// hourly periodic work runs once per 1h interval: 24 runs in 24 hours
// (WorkSpec.calculateNextRunTime: next = last run end + interval).
func fixture(t *testing.T, opts ...wmsimtest.Option) *wmsimtest.Sim {
	t.Helper()
	base := []wmsimtest.Option{
		wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Task("sync", 2*time.Second, wmsimtest.Success),
		wmsimtest.Task("upload", 5*time.Second, wmsimtest.Success),
		wmsimtest.Task("flaky", time.Second, wmsimtest.Retry, wmsimtest.Retry, wmsimtest.Success),
	}
	s := wmsimtest.New(t, append(base, opts...)...)
	wm := s.Workmanager()
	require.NoError(t, wm.Initialize())
	require.NoError(t, wm.RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour)}))
	require.NoError(t, wm.RegisterOneOffTask("oneoff-1", "upload", plugin.OneOffOptions{}))
	require.NoError(t, wm.RegisterOneOffTask("flaky-1", "flaky", plugin.OneOffOptions{BackoffPolicyDelay: plugin.Ptr(10 * time.Second)}))
	// Processing tasks are iOS only: Dart throws UnsupportedError on Android.
	require.Error(t, wm.RegisterProcessingTask("p", "p", plugin.ProcessingOptions{}))
	require.NoError(t, s.RunFor(24*time.Hour))
	return s
}

// fails runs an assertion and returns Gomega's failure message ("" if none).
func fails(f func()) string {
	msgs := InterceptGomegaFailures(f)
	if len(msgs) == 0 {
		return ""
	}
	return msgs[0]
}

func TestMatchers(t *testing.T) {
	RegisterTestingT(t)
	s := fixture(t)
	delayed := wmsimtest.New(t, wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Task("upload", 5*time.Second, wmsimtest.Success))
	require.NoError(t, delayed.Workmanager().Initialize())
	require.NoError(t, delayed.Workmanager().RegisterOneOffTask("oneoff-1", "upload", plugin.OneOffOptions{InitialDelay: plugin.Ptr(time.Minute)}))
	require.NoError(t, delayed.RunFor(time.Hour))
	type tc struct {
		name string
		f    func()
		want []string // parts of the failure message; nil: must pass
	}
	cases := []tc{
		{"runs pass", func() { Expect(s).To(wmsimtest.HaveRun("sync").AtLeast(20).Within(24 * time.Hour)) }, nil},
		{"runs fail", func() { Expect(s).To(wmsimtest.HaveRun("sync").AtLeast(40).Within(24 * time.Hour)) },
			[]string{"wmsim expectation failed at +1d00:00:00 of virtual time:\n  ✗ sync runs at least 40 within 00:00:00..1d00:00:00 (24 runs: +00:00:", "(Mon 08:00)", ", …)"}},
		{"runs by unique name", func() { Expect(s).To(wmsimtest.HaveRun("sync-1").Times(3)) },
			[]string{"✗ sync-1 runs 3..3 (24 runs:"}},
		{"runs exactly", func() { Expect(s).To(wmsimtest.HaveRun("sync").Times(24)) }, nil},
		{"runs at most", func() { Expect(s).To(wmsimtest.HaveRun("sync").AtMost(10)) }, []string{"✗ sync runs at most 10 (24 runs"}},
		{"runs between", func() { Expect(s).To(wmsimtest.HaveRun("sync").Between(20, 30)) }, nil},
		{"runs during", func() { Expect(s).To(wmsimtest.HaveRun("sync").During(2*time.Hour, 4*time.Hour).Times(2)) }, nil},
		{"never ran", func() { Expect(s).To(wmsimtest.HaveRun("nightly")) },
			// Nothing was ever registered as nightly, and the evidence says so.
			[]string{"✗ nightly runs at least 1 (0 runs; it was never registered)"}},
		{"max gap pass", func() { Expect(s).To(wmsimtest.HaveMaxGap("sync", 2*time.Hour)) }, nil},
		{"max gap fail", func() { Expect(s).To(wmsimtest.HaveMaxGap("sync", 30*time.Minute)) },
			[]string{"✗ sync max gap 30m (max gap 1h", "held back", "not yet due"}},
		{"first run pass", func() { Expect(s).To(wmsimtest.HaveFirstRunWithin("oneoff-1", time.Minute)) }, nil},
		// The fixture's app runs its work in-process at registration
		// (GreedyScheduler): a late first run needs an initial delay.
		{"first run fail", func() { Expect(delayed).To(wmsimtest.HaveFirstRunWithin("oneoff-1", time.Millisecond)) },
			[]string{"✗ oneoff-1 first run within 1ms of registration (registered at +00:00:00 (Mon 08:00), first run at +00:01:"}},
		{"state pass", func() { Expect(s).To(wmsimtest.HaveFinalState("oneoff-1", wmsimtest.Succeeded)) }, nil},
		{"state fail", func() { Expect(s).To(wmsimtest.HaveFinalState("oneoff-1", wmsimtest.Failed)) },
			[]string{"✗ oneoff-1 state failed (state succeeded)"}},
		{"state unknown", func() { Expect(s).To(wmsimtest.HaveFinalState("ghost", wmsimtest.Enqueued)) },
			[]string{"✗ ghost state enqueued (no such task was ever registered)"}},
		{"periodic stays enqueued", func() { Expect(s).To(wmsimtest.HaveFinalState("sync", wmsimtest.Enqueued)) }, nil},
		{"attempts pass", func() { Expect(s).To(wmsimtest.HaveAttempts("flaky", 3)) }, nil},
		{"attempts fail", func() { Expect(s).To(wmsimtest.HaveAttempts("flaky", 1)) },
			[]string{"✗ flaky attempts 1 (3 attempts: #1 retry at +00:00:", "#3 success at"}},
		{"no errors fail", func() { Expect(s).To(wmsimtest.HaveNoErrors()) },
			[]string{"✗ no errors (1 error: registerProcessingTask rejected with unsupported at +00:00:00 (Mon 08:00): "}},
		{"recorded error pass", func() { Expect(s).To(wmsimtest.HaveRecordedError(wmsimtest.Unsupported)) }, nil},
		{"recorded error from", func() {
			Expect(s).To(wmsimtest.HaveRecordedError(wmsimtest.Unsupported).From("registerProcessingTask"))
		}, nil},
		{"recorded error fail", func() { Expect(s).To(wmsimtest.HaveRecordedError(wmsimtest.NotPermitted)) },
			[]string{"✗ error not_permitted (no such error; errors seen: registerProcessingTask unsupported)"}},
		{"recorded error wrong call", func() {
			Expect(s).To(wmsimtest.HaveRecordedError(wmsimtest.Unsupported).From("registerPeriodicTask"))
		}, []string{"✗ error unsupported from registerPeriodicTask (no such error;"}},
		{"negated", func() { Expect(s).NotTo(wmsimtest.HaveRun("sync")) },
			[]string{"wmsim expectation held at +1d00:00:00 of virtual time, but was expected not to:\n  ✓ sync runs at least 1 (24 runs:"}},
		{"result document", func() { Expect(s.Result()).To(wmsimtest.HaveRun("sync").AtLeast(30)) },
			[]string{"wmsim expectation failed in the result document:\n  ✗ sync runs at least 30 (24 runs:"}},
		{"result document unique", func() { Expect(s.Result()).To(wmsimtest.HaveFinalState("oneoff-1", wmsimtest.Succeeded)) }, nil},
		{"result document first run", func() { Expect(s.Result()).To(wmsimtest.HaveFirstRunWithin("oneoff-1", time.Hour)) },
			[]string{"(never registered)"}},
		{"wrong actual", func() { Expect(42).To(wmsimtest.HaveRun("sync")) },
			[]string{"wmsimtest matcher expects a *wmsimtest.Sim or a *report.Result, got int"}},
		{"nil sim", func() { Expect((*wmsimtest.Sim)(nil)).To(wmsimtest.HaveNoErrors()) }, []string{"nil *wmsimtest.Sim"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fails(c.f)
			if c.want == nil {
				assert.Empty(t, got)
				return
			}
			mustContain(t, got, c.want...)
		})
	}
}

func TestMatchersAreTheScenarioExpectations(t *testing.T) {
	// A matcher's verdict is the verdict a file's expect entry gets, word for
	// word.
	lo := 20
	s := fixture(t, wmsimtest.Expectations(scenarios.Expectation{Task: "sync", Runs: &scenarios.Range{Min: &lo}, Within: &scenarios.Window{To: 24 * time.Hour}}))
	m := wmsimtest.HaveRun("sync").AtLeast(20).Within(24 * time.Hour)
	ok, err := m.Match(s)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, s.Result().Expectations[0], m.Verdict())
}

func TestHaveMetExpectations(t *testing.T) {
	RegisterTestingT(t)
	lo, hi := 20, 5
	good := fixture(t, wmsimtest.Expectations(scenarios.Expectation{Task: "sync", Runs: &scenarios.Range{Min: &lo}}))
	Expect(good).To(wmsimtest.HaveMetExpectations())
	Expect(good.Result()).To(wmsimtest.HaveMetExpectations())
	msg := fails(func() { Expect(good).NotTo(wmsimtest.HaveMetExpectations()) })
	mustContain(t, msg, "wmsim expectations all held at +1d00:00:00 of virtual time, but were expected not to:\n  ✓ sync runs at least 20")

	bad := fixture(t, wmsimtest.Expectations(
		scenarios.Expectation{Task: "sync", Runs: &scenarios.Range{Min: &lo}},
		scenarios.Expectation{Task: "sync", Runs: &scenarios.Range{Max: &hi}},
	))
	msg = fails(func() { Expect(bad).To(wmsimtest.HaveMetExpectations()) })
	mustContain(t, msg, "wmsim expectations did not all hold at +1d00:00:00 of virtual time:\n  ✓ sync runs at least 20 (24 runs:", "\n  ✗ sync runs at most 5 (24 runs:")

	none := wmsimtest.New(t)
	mustContain(t, fails(func() { Expect(none).NotTo(wmsimtest.HaveMetExpectations()) }), "(no expectations)")
	mustContain(t, fails(func() { Expect("x").To(wmsimtest.HaveMetExpectations()) }), "got string")
}

func TestEventuallyMisuseIsObvious(t *testing.T) {
	RegisterTestingT(t)
	s := fixture(t)
	for name, f := range map[string]func(){
		"Eventually":   func() { Eventually(s).Should(wmsimtest.HaveRun("sync").AtLeast(100)) },
		"Consistently": func() { Consistently(s).Should(wmsimtest.HaveNoErrors()) },
		"passing":      func() { Eventually(s).Should(wmsimtest.HaveRun("sync")) },
		"met":          func() { Eventually(s).Should(wmsimtest.HaveMetExpectations()) },
		"func":         func() { Eventually(func() *wmsimtest.Sim { return s }).Should(wmsimtest.HaveRun("sync")) },
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			msg := fails(f)
			mustContain(t, msg, "wmsimtest matchers cannot be polled by Eventually or Consistently", "s.RunUntilCondition(cond, limit)", "s.Always(desc, cond)")
			// Fails at once rather than polling for Eventually's 1s default.
			assert.Less(t, time.Since(start), 500*time.Millisecond)
		})
	}
}

func TestAssertHelpers(t *testing.T) {
	s := fixture(t)
	type tc struct {
		name string
		f    func(ft *fakeT) bool
		want string // "" must pass
	}
	cases := []tc{
		{"runs", func(ft *fakeT) bool { return wmsimtest.AssertRuns(ft, s, "sync", 20, 30) }, ""},
		{"runs open max", func(ft *fakeT) bool { return wmsimtest.AssertRuns(ft, s, "sync", 20, -1) }, ""},
		{"runs fail", func(ft *fakeT) bool { return wmsimtest.AssertRuns(ft, s, "sync", 30, 40, "after %d day", 1) },
			"✗ sync runs 30..40 (24 runs: +00:00:"},
		{"runs within", func(ft *fakeT) bool { return wmsimtest.AssertRunsWithin(ft, s, "sync", 0, 3, 2*time.Hour) }, ""},
		{"runs within fail", func(ft *fakeT) bool { return wmsimtest.AssertRunsWithin(ft, s, "sync", 5, -1, 2*time.Hour) },
			"✗ sync runs at least 5 within 00:00:00..02:00:00 (2 runs"},
		{"max gap", func(ft *fakeT) bool { return wmsimtest.AssertMaxGap(ft, s, "sync", 2*time.Hour) }, ""},
		{"max gap fail", func(ft *fakeT) bool { return wmsimtest.AssertMaxGap(ft, s, "sync", time.Minute) }, "✗ sync max gap 1m (max gap 1h"},
		{"first run", func(ft *fakeT) bool { return wmsimtest.AssertFirstRunWithin(ft, s, "oneoff-1", time.Minute) }, ""},
		{"first run fail", func(ft *fakeT) bool { return wmsimtest.AssertFirstRunWithin(ft, s, "ghost", time.Minute) }, "(never registered)"},
		{"state", func(ft *fakeT) bool { return wmsimtest.AssertFinalState(ft, s, "oneoff-1", wmsimtest.Succeeded) }, ""},
		{"state fail", func(ft *fakeT) bool { return wmsimtest.AssertFinalState(ft, s, "oneoff-1", wmsimtest.Cancelled) }, "(state succeeded)"},
		{"attempts", func(ft *fakeT) bool { return wmsimtest.AssertAttempts(ft, s, "flaky-1", 3) }, ""},
		{"attempts fail", func(ft *fakeT) bool { return wmsimtest.AssertAttempts(ft, s, "flaky-1", 2) }, "✗ flaky-1 attempts 2 (3 attempts"},
		{"no errors fail", func(ft *fakeT) bool { return wmsimtest.AssertNoErrors(ft, s) }, "✗ no errors (1 error: registerProcessingTask rejected with unsupported"},
		{"error", func(ft *fakeT) bool {
			return wmsimtest.AssertRecordedError(ft, s, "registerProcessingTask", wmsimtest.Unsupported)
		}, ""},
		{"error fail", func(ft *fakeT) bool { return wmsimtest.AssertRecordedError(ft, s, "", wmsimtest.TooManyPending) },
			"✗ error too_many_pending_requests (no such error; errors seen: registerProcessingTask unsupported)"},
		{"expectations", func(ft *fakeT) bool { return wmsimtest.AssertExpectations(ft, s) }, ""},
		{"result document", func(ft *fakeT) bool { return wmsimtest.AssertRuns(ft, s.Result(), "sync", 50, -1) },
			"wmsim expectation failed in the result document:"},
		{"wrong actual", func(ft *fakeT) bool { return wmsimtest.AssertNoErrors(ft, "nope") }, "got string"},
		{"wrong actual expectations", func(ft *fakeT) bool { return wmsimtest.AssertExpectations(ft, 1) }, "got int"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ft := &fakeT{}
			ok := c.f(ft)
			if c.want == "" {
				assert.True(t, ok)
				assert.Empty(t, ft.errors)
				return
			}
			assert.False(t, ok)
			mustContain(t, ft.text(), c.want)
		})
	}
	ft := &fakeT{}
	wmsimtest.AssertRuns(ft, s, "sync", 30, 40, "after %d day", 1)
	assert.Contains(t, ft.text(), "after 1 day", "testify's message and arguments are passed on")
}

func TestRequireHelpers(t *testing.T) {
	lo := 100
	s := fixture(t, wmsimtest.Expectations(scenarios.Expectation{Task: "sync", Runs: &scenarios.Range{Min: &lo}}))
	for name, f := range map[string]func(ft *fakeT){
		"runs":        func(ft *fakeT) { wmsimtest.RequireRuns(ft, s, "sync", 50, -1) },
		"gap":         func(ft *fakeT) { wmsimtest.RequireMaxGap(ft, s, "sync", time.Second) },
		"state":       func(ft *fakeT) { wmsimtest.RequireFinalState(ft, s, "oneoff-1", wmsimtest.Blocked) },
		"no errors":   func(ft *fakeT) { wmsimtest.RequireNoErrors(ft, s) },
		"error":       func(ft *fakeT) { wmsimtest.RequireRecordedError(ft, s, "", wmsimtest.Crash) },
		"expectation": func(ft *fakeT) { wmsimtest.RequireExpectations(ft, s) },
		"runs within": func(ft *fakeT) { wmsimtest.RequireRunsWithin(ft, s, "sync", 10, -1, time.Hour) },
		"first run":   func(ft *fakeT) { wmsimtest.RequireFirstRunWithin(ft, s, "ghost", time.Hour) },
		"attempts":    func(ft *fakeT) { wmsimtest.RequireAttempts(ft, s, "flaky", 7) },
	} {
		t.Run(name, func(t *testing.T) {
			ft := &fakeT{}
			f(ft)
			assert.True(t, ft.fatal, "require stops the test")
			assert.NotEmpty(t, ft.errors)
		})
	}
	ft := &fakeT{}
	wmsimtest.RequireRuns(ft, s, "sync", 1, -1)
	assert.False(t, ft.fatal)
	mustContain(t, func() string { f := &fakeT{}; wmsimtest.RequireExpectations(f, s); return f.text() }(),
		"wmsim expectations did not all hold at +1d00:00:00 of virtual time:", "✗ sync runs at least 100 (24 runs:")
}
