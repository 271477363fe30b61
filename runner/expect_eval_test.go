package runner

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

// evalFixture: an hourly task that ran at 1h, 2h, 3h (retry), 7h and 8h, with
// a Doze deferral from 3h to 7h, plus a one-off that failed twice and then
// succeeded, and one rejected call.
func evalFixture() *evidence {
	h := func(x float64) report.Seconds { return report.Seconds(x * 3600) }
	res := &report.Result{
		Runs: []report.Run{
			{Task: "sync", Unique: "periodic-sync", Attempt: 1, Eligible: h(1), TStart: h(1), TEnd: h(1) + 5, Outcome: "success"},
			{Task: "sync", Unique: "periodic-sync", Attempt: 1, Eligible: h(2), TStart: h(2), TEnd: h(2) + 5, Outcome: "success"},
			{Task: "sync", Unique: "periodic-sync", Attempt: 1, Eligible: h(3), TStart: h(3), TEnd: h(3) + 5, Outcome: "retry"},
			{Task: "sync", Unique: "periodic-sync", Attempt: 2, Eligible: h(3), TStart: h(7), TEnd: h(7) + 5, Outcome: "success"},
			{Task: "sync", Unique: "periodic-sync", Attempt: 1, Eligible: h(8), TStart: h(8), TEnd: h(8) + 5, Outcome: "success"},
			{Task: "upload", Unique: "up", Attempt: 1, Eligible: h(0.5), TStart: h(0.5), TEnd: h(0.5) + 1, Outcome: "failure"},
			{Task: "upload", Unique: "up", Attempt: 2, Eligible: h(0.6), TStart: h(0.6), TEnd: h(0.6) + 1, Outcome: "retry"},
			{Task: "upload", Unique: "up", Attempt: 3, Eligible: h(0.7), TStart: h(0.7), TEnd: h(0.7) + 1, Outcome: "success"},
		},
		Tasks: []report.Task{
			{Unique: "periodic-sync", Task: "sync", State: "enqueued"},
			{Unique: "up", Task: "upload", State: "succeeded"},
		},
		Errors: []report.Error{{T: 60, Call: "registerPeriodicTask", Code: "not_permitted", Message: "Info.plist lacks the identifier"}},
	}
	trace := []sim.Record{
		{At: 3*time.Hour + 10*time.Second, Seq: 1, Source: event.SourceAndroidDoze, Kind: event.Deferred, Subject: "periodic-sync", Reason: "Doze (IDLE): next maintenance window at +07:00:00"},
		{At: 7 * time.Hour, Seq: 2, Source: event.SourceAndroidJobScheduler, Kind: event.Started, Subject: "periodic-sync"},
	}
	return &evidence{res: res, trace: trace, start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), end: 10 * time.Hour,
		registered: map[string]time.Duration{"periodic-sync": 50 * time.Minute, "sync": 50 * time.Minute, "up": 20 * time.Minute}}
}

func ip(n int) *int                                   { return &n }
func dp(d time.Duration) *time.Duration               { return &d }
func window(f, t time.Duration) (a, b *time.Duration) { return &f, &t }

func TestExpectRuns(t *testing.T) {
	ev := evalFixture()
	from, to := window(90*time.Minute, 7*time.Hour)
	for _, tc := range []struct {
		name     string
		got      report.Expectation
		ok       bool
		contains string
	}{
		{"all runs of the task", ev.expectRuns(selector{task: "sync"}, ip(5), ip(5), nil, nil), true, "5 runs"},
		{"too few", ev.expectRuns(selector{task: "sync"}, ip(6), nil, nil, nil), false, "5 runs"},
		{"by unique name", ev.expectRuns(selector{unique: "up"}, nil, ip(2), nil, nil), false, "3 runs"},
		// 2h, 3h and 7h start inside [1h30m, 7h]; the window is inclusive.
		{"window", ev.expectRuns(selector{task: "sync"}, ip(3), ip(3), from, to), true, "3 runs: +02:00:00"},
		{"no run quotes the reason", ev.expectRuns(selector{task: "sync"}, ip(1), nil, dp(4*time.Hour), dp(6*time.Hour)), false, "; in the window it was held back 2h (from +04:00:00 (Mon 04:00) to +06:00:00 (Mon 06:00)) by: Doze (IDLE)"},
		// Runs outside the window are named before any other reason.
		{"ran outside the window", ev.expectRuns(selector{task: "upload"}, ip(1), nil, dp(time.Hour), dp(2*time.Hour)), false,
			"0 runs; 3 runs outside the window: +00:30:00 (Mon 00:30), +00:36:00 (Mon 00:36), +00:42:00 (Mon 00:42)"},
		{"outside the window, first three", ev.expectRuns(selector{task: "sync"}, ip(1), nil, dp(9*time.Hour), nil), false,
			"0 runs; 5 runs outside the window: +01:00:00 (Mon 01:00), +02:00:00 (Mon 02:00), +03:00:00 (Mon 03:00), …"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.ok, tc.got.OK, tc.got.Detail)
			assert.Contains(t, tc.got.Detail, tc.contains)
		})
	}
}

func TestExpectMaxGap(t *testing.T) {
	ev := evalFixture()
	// Successes at 1h, 2h, 7h, 8h (the 3h run retried): the longest gap is
	// 2h → 7h, and the trace says Doze held it back from 3h00m10s to 7h.
	got := ev.expectMaxGap(selector{task: "sync"}, 4*time.Hour, nil, nil)
	assert.False(t, got.OK)
	assert.Contains(t, got.Detail, "max gap 5h between run at +02:00:00")
	assert.Contains(t, got.Detail, "held back 3h59m50s")
	assert.Contains(t, got.Detail, "Doze (IDLE)")
	assert.True(t, ev.expectMaxGap(selector{task: "sync"}, 5*time.Hour, nil, nil).OK)
	// From 6h only the 7h and 8h successes count; the first gap runs from 6h.
	from, to := window(6*time.Hour, 10*time.Hour)
	got = ev.expectMaxGap(selector{task: "sync"}, time.Hour, from, to)
	assert.True(t, got.OK, got.Detail)
	assert.Contains(t, got.Expect, "within 06:00:00..10:00:00")
	// A task that never succeeded fails with that evidence.
	assert.Contains(t, ev.expectMaxGap(selector{task: "nothing"}, time.Hour, nil, nil).Detail, "never ran")
}

func TestExpectOthers(t *testing.T) {
	ev := evalFixture()
	first := ev.expectFirstRunWithin(selector{unique: "periodic-sync"}, 10*time.Minute)
	assert.True(t, first.OK, first.Detail) // registered 50m, first run 1h
	assert.Contains(t, first.Detail, "(10m later)")
	assert.False(t, ev.expectFirstRunWithin(selector{unique: "periodic-sync"}, 9*time.Minute).OK)
	assert.Equal(t, "never registered", ev.expectFirstRunWithin(selector{unique: "other"}, time.Hour).Detail)

	assert.True(t, ev.expectState(selector{unique: "up"}, "succeeded").OK)
	st := ev.expectState(selector{task: "sync"}, "succeeded")
	assert.False(t, st.OK)
	assert.Equal(t, "state enqueued", st.Detail)

	assert.True(t, ev.expectAttempts(selector{task: "upload"}, 3, nil, nil).OK)
	assert.True(t, ev.expectAttempts(selector{task: "upload"}, 1, dp(0), dp(35*time.Minute)).OK, "only the first attempt starts by 35m")

	ne := ev.expectNoErrors()
	assert.False(t, ne.OK)
	assert.Contains(t, ne.Detail, "registerPeriodicTask rejected with not_permitted")
	assert.True(t, ev.expectError("registerPeriodicTask", "not_permitted").OK)
	miss := ev.expectError("registerOneOffTask", "not_permitted")
	assert.False(t, miss.OK)
	assert.Contains(t, miss.Detail, "errors seen: registerPeriodicTask not_permitted")
}

func TestFormatDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 30 * time.Second: "30s", 6*time.Hour + 12*time.Minute: "6h12m",
		26 * time.Hour: "1d2h", 1500 * time.Millisecond: "1s", 250 * time.Millisecond: "250ms",
	} {
		assert.Equal(t, want, formatDur(d), d.String())
	}
}
