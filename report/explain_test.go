package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

func fixtureFor(platform string) (*Result, []sim.Record) {
	if platform == "ios" {
		return iosFixture()
	}
	return androidFixture()
}

func explain(t *testing.T, platform string, sel Selector) string {
	t.Helper()
	res, tr := fixtureFor(platform)
	var buf bytes.Buffer
	require.NoError(t, Explain(&buf, res, tr, fixtureStart, sel))
	return buf.String()
}

func at(d time.Duration) *time.Duration { return &d }

// The reasons an explanation names must be the ones the trace recorded for
// that task, in the right intervals: Doze for the night runs, the rare
// bucket's quota in the evening, iOS's usage score and the dispatcher name
// mismatch.
func TestExplainNamesTheRecordedReasons(t *testing.T) {
	tests := []struct {
		name, platform string
		sel            Selector
		golden         string
		want           []string
		not            []string
	}{
		{
			name: "android periodic: constraint, quota, Doze", platform: "android",
			sel: Selector{Task: "fetchLatestPosts"}, golden: "explain_android_periodic.txt",
			want: []string{
				"clamped: flexInterval 1m raised to the minimum 5m",
				"held back 34m3s by the network constraint, until +3:40:03 (Mon 11:40:03) when it became ready to start: constraint unmet: network  [android.jobscheduler]",
				"held back 1h20m by standby bucket quota, until +14:00:01 (Mon 22:00:01) when it became ready to start: standby bucket rare: quota used 10m0s of 10m0s, refills at 22:00  [android.standby]",
				"held back 30m1s by Doze, until +16:30:01 (Tue 00:30:01) when it became ready to start: Doze: idle until the maintenance window at 00:30  [android.doze]",
				"held back 2h25m by Doze, until +22:00:02 (Tue 06:00:02) when it became ready to start: Doze: idle until the maintenance window at 06:35  [android.doze]",
				"ran attempt 1 for 4s → retry: backoff 30s; 1h5m after it was due; why then: Doze maintenance window",
				// Held until JobScheduler's "ready", a second before each
				// start: Doze 30m1s+1h5m0s+2h25m2s = 4h0m3s of 5h54m7s
				// waiting = 68%; quota 1h20m1s = 23%; network 34m3s = 10%.
				"summary: ran 18 times in 24h (17 succeeded, 1 retried); 68% of its 5h54m waiting time was Doze, 23% standby bucket quota, 10% the network constraint",
			},
			not: []string{"warning clamped", "ready:", "task.delivered"}, // told once, on the run's line
		},
		{
			name: "android Doze at 04:00", platform: "android",
			sel: Selector{Unique: "periodic-sync", At: at(20 * hr)}, golden: "explain_android_at.txt",
			want: []string{
				"at +20:00:00 (Tue 04:00:00): held back by Doze since +19:35:00 (Tue 03:35:00): Doze: idle until the maintenance window at 06:35  [android.doze]",
				"device: battery 65%, charging none, network wifi, screen off, Doze IDLE, bucket rare",
				"next: attempt 1 started at +22:00:03 (Tue 06:00:03) (why then: Doze exited: screen on)",
			},
		},
		{
			name: "android quota at 21:00", platform: "android",
			sel:  Selector{Task: "fetchLatestPosts", At: at(13 * hr)},
			want: []string{"held back by standby bucket quota since +12:40:00 (Mon 20:40:00): standby bucket rare: quota used 10m0s of 10m0s, refills at 22:00  [android.standby]", "bucket rare"},
		},
		{
			name: "android running", platform: "android",
			sel:  Selector{Unique: "periodic-sync", At: at(6*mins + 4*sec)},
			want: []string{"running attempt 1 since +0:06:02.500 (Mon 08:06:02) (why then: constraints met)"},
		},
		{
			name: "android idle between runs", platform: "android",
			sel:  Selector{Unique: "periodic-sync", At: at(1 * hr)},
			want: []string{"idle: its last run (attempt 1) ended at +0:06:06.500 (Mon 08:06:06) → success", "next: due at +1:06:00 (Mon 09:06:00); attempt 1 started at +1:06:01"},
		},
		{
			name: "android not registered yet", platform: "android",
			sel:  Selector{Unique: "cleanup-1", At: at(2 * hr)},
			want: []string{"not registered yet (first seen at +10:00:00 (Mon 18:00:00))"},
		},
		{
			name: "android one-off held by charging, with backoff", platform: "android",
			sel: Selector{Unique: "cleanup-1"}, golden: "explain_android_cleanup.txt",
			want: []string{
				"held back 13h by the charging constraint, until +23:00:03 (Tue 07:00:03) when it became ready to start: constraint unmet: charging  [android.jobscheduler]",
				"due (attempt 2)", "why then: backoff 30s elapsed",
				"summary: ran 3 times in 24h (1 succeeded, 2 retried); 100% of its 13h waiting time was the charging constraint",
			},
		},
		{
			name: "android initial delay is not waiting", platform: "android",
			sel:  Selector{Unique: "nightly-report"},
			want: []string{"not due for 8h, until +8:20:02 (Mon 16:20:02): not due: initial delay until 16:20", "→ failure;", "it was never held back once due"},
		},
		{
			name: "ios refresh: usage score and the name mismatch", platform: "ios",
			sel: Selector{Task: "fetchLatestPosts"}, golden: "explain_ios_refresh.txt",
			want: []string{
				"frequency 1h is ignored on iOS",
				"held back 6h15m by a low usage score, until +7:16:00 (Mon 15:16:00) when it started: usage score 0.04 below threshold 0.30  [ios.dasd] (24 evaluations",
				`warning: dispatcher received "dev.example.sync", which the app has no case for; ran the default handler  [plugin]`,
				`dispatcher received "dev.example.sync"`,
				"held back 2h by Low Power Mode",
				"still held when the run ended",
				"91% of its 21h59m waiting time was a low usage score, 9% Low Power Mode",
			},
		},
		{
			name: "ios by identifier at 03:00", platform: "ios",
			sel: Selector{Task: "dev.example.sync", At: at(19 * hr)},
			// The reason in force is the last one given before 03:00: the
			// evaluations at :01, :16, :31, :46 cycle through four scores.
			want: []string{"at +19:00:00 (Tue 03:00:00): held back by a low usage score since +16:01:00 (Tue 00:01:00): usage score 0.0",
				"next: it did not run again before the end"},
			not: []string{"Doze"}, // no Doze on iOS
		},
		{
			name: "ios processing never ran", platform: "ios",
			sel:  Selector{Unique: "dev.example.cleanup"},
			want: []string{"summary: never ran in 24h; 93% of its 14h waiting time was waiting for external power, 7% waiting for an idle device; at the end still held by waiting for an idle device: device not idle (screen on or unlocked): processing tasks run only while idle"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explain(t, tt.platform, tt.sel)
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, got, n)
			}
			if tt.golden != "" {
				golden(t, tt.golden, []byte(got))
			}
		})
	}
}

func TestExplainReasonInForceIsTheLatest(t *testing.T) {
	res, tr := iosFixture()
	// At +19:00 the last evaluation was at +18:46; find its reason in the
	// trace and expect exactly it.
	var want string
	for _, r := range tr {
		if r.Subject == "dev.example.sync" && r.Kind == event.Deferred && r.At <= 19*hr {
			want = r.Reason
		}
	}
	require.NotEmpty(t, want)
	var buf bytes.Buffer
	require.NoError(t, Explain(&buf, res, tr, fixtureStart, Selector{Unique: "dev.example.sync", At: at(19 * hr)}))
	assert.Contains(t, buf.String(), "): "+want+"  [ios.dasd]")
}

func TestExplainErrors(t *testing.T) {
	res, tr := androidFixture()
	tests := []struct {
		name string
		res  *Result
		sel  Selector
		want string
	}{
		{"nil result", nil, Selector{Task: "x"}, "no result"},
		{"empty selector", res, Selector{}, "name the task"},
		{"unknown task", res, Selector{Task: "nope"}, `no task "nope" in this run; known: periodic-sync (task fetchLatestPosts), cleanup-1 (task cleanupCache), nightly-report (task generateReport)`},
		{"unique with wrong task", res, Selector{Unique: "cleanup-1", Task: "fetchLatestPosts"}, `no unique name "cleanup-1" with task "fetchLatestPosts"`},
		{"at outside", res, Selector{Task: "fetchLatestPosts", At: at(25 * hr)}, "outside the run"},
		{"negative at", res, Selector{Task: "fetchLatestPosts", At: at(-hr)}, "outside the run"},
		{"empty run", &Result{}, Selector{Task: "x"}, "nothing was registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trace := tr
			if tt.res != nil && len(tt.res.Runs) == 0 {
				trace = nil
			}
			err := Explain(&bytes.Buffer{}, tt.res, trace, fixtureStart, tt.sel)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// Explain works from the result alone (no trace kept) and from the trace
// alone (no runs in the result), and tolerates records it does not know.
func TestExplainPartialInputs(t *testing.T) {
	res, tr := androidFixture()
	var buf bytes.Buffer
	require.NoError(t, Explain(&buf, res, nil, time.Time{}, Selector{Unique: "periodic-sync"}))
	assert.Contains(t, buf.String(), "ran attempt 2 for 4s → success")
	assert.Contains(t, buf.String(), "no deferral was recorded")

	bare := &Result{Start: res.Start, End: res.End}
	weird := append([]sim.Record{
		{At: -5 * sec, Seq: 0, Source: "ios.somethingnew", Kind: "teleported", Subject: "periodic-sync"},
		{At: 30 * hr, Source: event.SourcePlugin, Kind: event.Deferred, Subject: "periodic-sync", Fields: []sim.Field{sim.Int("gate", 3)}},
	}, tr...)
	buf.Reset()
	require.NoError(t, Explain(&buf, bare, weird, fixtureStart, Selector{Unique: "periodic-sync"}))
	out := buf.String()
	assert.Contains(t, out, "teleported")
	assert.Contains(t, out, "started: Doze exited: screen on")
	assert.True(t, strings.Contains(out, "summary: ran 18 times"), out)
}
