package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/wmsim/wmsim/scenarios"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/report"
)

// explainAt runs sc (or the library scenario name) and returns explain's
// wmsim.explain/v1 answer for unique at each sampled instant.
func explainRun(t *testing.T, sc *scenarios.Scenario) *PlatformRun {
	t.Helper()
	out, err := Run(sc, RunOptions{KeepTrace: true})
	require.NoError(t, err)
	require.Len(t, out.Runs, 1)
	return out.Runs[0]
}

func explainAt(t *testing.T, pr *PlatformRun, unique string, at time.Duration) *report.ExplainAt {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, report.ExplainJSON(&b, pr.Result, pr.Trace, pr.Start, report.Selector{Unique: unique, At: &at}))
	var doc report.ExplainDoc
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.Equal(t, report.FormatExplain, doc.Format)
	require.Len(t, doc.Tasks, 1)
	require.NotNil(t, doc.Tasks[0].At)
	return doc.Tasks[0].At
}

var offsetRe = regexp.MustCompile(`\+(?:(\d+)d)?(\d+):(\d\d):(\d\d)(\.\d+)?`)

// assertNoPastAsNext: the next line never names a moment before t, and a
// cause's reason marks every moment before t as passed.
func assertNoPastAsNext(t *testing.T, at *report.ExplainAt, when time.Duration) {
	t.Helper()
	check := func(what, s string) {
		for _, idx := range offsetRe.FindAllStringSubmatchIndex(s, -1) {
			g := offsetRe.FindStringSubmatch(s[idx[0]:idx[1]])
			n := func(i int) time.Duration { v, _ := strconv.Atoi(g[i]); return time.Duration(v) }
			d := n(1)*24*time.Hour + n(2)*time.Hour + n(3)*time.Minute + n(4)*time.Second
			if g[5] != "" {
				f, _ := strconv.ParseFloat("0"+g[5], 64)
				d += time.Duration(f * float64(time.Second))
			}
			if d >= when || strings.HasPrefix(s[idx[1]:], " (passed)") {
				continue
			}
			if strings.Contains(s[max(0, idx[0]-7):idx[0]], "since ") || strings.Contains(s[max(0, idx[0]-30):idx[0]], "ended at") {
				continue // a moment named as past
			}
			t.Errorf("at +%s %s cites %s, already past, as if to come: %q", when, what, g[0], s)
		}
	}
	check("next", strings.SplitN(at.Next, " (why then", 2)[0])
	for _, c := range at.Causes {
		check("cause "+c.Cause, c.Reason)
	}
}

// causeAt finds the first sampled instant where a cause matching want
// holds the task back, and checks every sampled instant on the way.
func causeAt(t *testing.T, pr *PlatformRun, unique string, step time.Duration, end time.Duration, want func(report.Cause) bool) (time.Duration, *report.Cause) {
	t.Helper()
	for when := step; when <= end; when += step {
		at := explainAt(t, pr, unique, when)
		assertNoPastAsNext(t, at, when)
		for i, c := range at.Causes {
			if want(c) {
				assert.Equal(t, "held", at.State)
				assert.Contains(t, at.Text, c.Label, "the text names the cause")
				return when, &at.Causes[i]
			}
		}
	}
	return 0, nil
}

func byName(name string) func(report.Cause) bool {
	return func(c report.Cause) bool { return c.Cause == name }
}

func library(t *testing.T, name string) *scenarios.Scenario {
	sc, err := scenarios.LoadLibrary(name)
	require.NoError(t, err)
	return sc
}

func scenario(t *testing.T, src string) *scenarios.Scenario {
	sc, err := scenarios.Parse("causes.yaml", []byte(src))
	require.NoError(t, err)
	return sc
}

// TestExplainNamesEveryCause: explain --at names each blocking cause, read
// from the record the deciding code wrote: a test per cause.
func TestExplainNamesEveryCause(t *testing.T) {
	const periodic = "app: { tasks: { sync: { duration: 2s } } }\ntimeline:\n  - at: 0s\n    call: initialize\n  - at: 1m\n    call: registerPeriodicTask\n    args: { uniqueName: sync, taskName: sync, frequency: 15m%s }\n"
	cases := []struct {
		name, unique string
		sc           func(t *testing.T) *scenarios.Scenario
		step, end    time.Duration
		want         func(report.Cause) bool
		reason       string // in the cause's reason
		until        string
	}{
		// The reproduction: after a force-stop, name it, until the app is opened.
		{"force-stop", "heartbeat", func(t *testing.T) *scenarios.Scenario { return library(t, "reboot-and-force-stop") }, time.Hour, 8 * time.Hour,
			byName("force_stopped"), "force-stopped", "until the user opens the app"},
		{"phone off", "heartbeat", func(t *testing.T) *scenarios.Scenario { return library(t, "reboot-and-force-stop") }, time.Minute, 3 * time.Hour,
			byName("phone_off"), "reboot", "until the phone boots"},
		{"network constraint", "upload", func(t *testing.T) *scenarios.Scenario { return library(t, "constraints") }, 10 * time.Minute, 10 * time.Hour,
			byName("network"), "network", ""},
		{"doze", "periodic-sync", func(t *testing.T) *scenarios.Scenario { return library(t, "hourly-sync-survives-doze") }, 10 * time.Minute, 3 * 24 * time.Hour,
			func(c report.Cause) bool { return c.Cause == "doze" || c.Cause == "light_doze" }, "Doze", ""},
		{"quota (standby bucket)", "refresh", func(t *testing.T) *scenarios.Scenario { return library(t, "rare-bucket-app") }, 10 * time.Minute, 2 * 24 * time.Hour,
			byName("quota"), "standby bucket rare", ""},
		{"restricted bucket", "sync", func(t *testing.T) *scenarios.Scenario {
			return scenario(t, minimal+"platform: android\nandroid: { standby_bucket: restricted }\ndevice: { screen: off }\n"+fmt.Sprintf(periodic, ""))
		}, 10 * time.Minute, 20 * time.Hour, byName("restricted_bucket"), "", ""},
		{"battery saver", "sync", func(t *testing.T) *scenarios.Scenario {
			return scenario(t, minimal+"platform: android\nandroid: { battery_saver: true }\ndevice: { screen: off }\n"+fmt.Sprintf(periodic, ""))
		}, 10 * time.Minute, 20 * time.Hour, byName("battery_saver"), "", ""},
		{"background app refresh off", "periodic-sync", func(t *testing.T) *scenarios.Scenario { return library(t, "ios-background-app-refresh-off") }, 10 * time.Minute, 6 * time.Hour,
			func(c report.Cause) bool {
				return c.Cause == "background_app_refresh" || c.Cause == "rejected:unavailable"
			}, "Background App Refresh is off", ""},
		{"low power mode", "periodic-sync", func(t *testing.T) *scenarios.Scenario { return library(t, "ios-low-power-mode") }, 10 * time.Minute, 24 * time.Hour,
			byName("low_power_mode"), "Low Power Mode", ""},
		{"not permitted", "periodic-sync", func(t *testing.T) *scenarios.Scenario { return library(t, "ios-missing-plist-identifier") }, 10 * time.Minute, 6 * time.Hour,
			func(c report.Cause) bool { return c.Cause == "rejected:not_permitted" || c.Cause == "identifier" },
			"", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := tc.sc(t)
			pr := explainRun(t, sc)
			end := min(tc.end, sc.Duration)
			when, c := causeAt(t, pr, tc.unique, tc.step, end, tc.want)
			require.NotNil(t, c, "no instant up to %s is explained by %s", end, tc.name)
			assert.Contains(t, c.Reason, tc.reason)
			assert.NotEmpty(t, c.Source)
			if tc.until != "" {
				assert.Equal(t, tc.until, c.Until)
			}
			// The text answer says the same.
			var b bytes.Buffer
			require.NoError(t, report.Explain(&b, pr.Result, pr.Trace, pr.Start, report.Selector{Unique: tc.unique, At: &when}))
			assert.Contains(t, b.String(), "held back by "+c.Label)
		})
	}
}

// TestExplainSummaryNamesForceStop: the reproduction, in the
// story's summary too: the force-stop and the reboot are named with their
// spans, rather than "it was never held back".
func TestExplainSummaryNamesForceStop(t *testing.T) {
	pr := explainRun(t, library(t, "reboot-and-force-stop"))
	var b bytes.Buffer
	require.NoError(t, report.Explain(&b, pr.Result, pr.Trace, pr.Start, report.Selector{Unique: "heartbeat"}))
	out := b.String()
	assert.Contains(t, out, "the app was force-stopped for 4h (+5:00:00 → +9:00:00) (nothing runs until the user opens it)")
	assert.Contains(t, out, "the phone was off for 2m (+2:00:00 → +2:02:00)")
	assert.NotContains(t, out, "it was never held back once due")
}

// TestExplainNamesEveryUnmetConstraint: when network and charging block a
// run at once, explain names both (one cause each, with JobScheduler's
// pending reason, as getPendingJobReasons does on API 36), in JSON and in
// text; once the network is met, only charging is left.
func TestExplainNamesEveryUnmetConstraint(t *testing.T) {
	sc, err := scenarios.Parse("two-constraints.yaml", []byte(`version: 1
name: two-constraints
duration: 6h
platform: android
device:
  network: { type: none }
  charger: none
  screen: on
  battery: { level: 90 }
app:
  tasks:
    upload: { duration: 20s, result: success }
timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerOneOffTask
    args: { uniqueName: up, taskName: upload, constraints: { networkType: connected, requiresCharging: true } }
  - at: 2h
    device: { network: { type: wifi, metered: false } }
  - at: 4h
    device: { charger: ac }
`))
	require.NoError(t, err)
	pr := explainRun(t, sc)

	names := func(at *report.ExplainAt) (out []string) {
		for _, c := range at.Causes {
			out = append(out, c.Cause+"="+c.PendingReason)
		}
		return out
	}
	both := explainAt(t, pr, "up", time.Hour)
	assert.Equal(t, "held", both.State)
	assert.Equal(t, []string{"network=PENDING_JOB_REASON_CONSTRAINT_CONNECTIVITY", "charging=PENDING_JOB_REASON_CONSTRAINT_CHARGING"}, names(both))
	for _, c := range both.Causes {
		assert.Contains(t, c.Reason, "constraints unmet: network (connected), charging")
	}
	assert.Contains(t, both.Text, "the network constraint since")
	assert.Contains(t, both.Text, "the charging constraint since")

	one := explainAt(t, pr, "up", 3*time.Hour)
	assert.Equal(t, []string{"charging=PENDING_JOB_REASON_CONSTRAINT_CHARGING"}, names(one))
	assert.Equal(t, "constraint unmet: charging", one.Causes[0].Reason)

	var text bytes.Buffer
	at := time.Hour
	require.NoError(t, report.Explain(&text, pr.Result, pr.Trace, pr.Start, report.Selector{Unique: "up", At: &at}))
	assert.Contains(t, text.String(), "[PENDING_JOB_REASON_CONSTRAINT_CONNECTIVITY]")
	assert.Contains(t, text.String(), "[PENDING_JOB_REASON_CONSTRAINT_CHARGING]")
	assert.Len(t, pr.Result.Runs, 1)
}
