package report_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/wmsim/wmsim/report"
)

// A tiny Android night: the periodic sync is due at 01:00, Doze holds it
// until the maintenance window at 01:40, where it runs.
func example() (*report.Result, []report.Record, time.Time) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	res := &report.Result{
		Format: report.FormatResult, Scenario: "night", Platform: "android", Seed: 1,
		Start: "2026-01-05T00:00:00Z", End: "2026-01-05T03:00:00Z",
		Runs: []report.Run{{Task: "sync", Unique: "periodic-sync", Received: "sync", Attempt: 1,
			Eligible: 3600, TStart: 6002, TEnd: 6006, Outcome: "success", WhyThen: "Doze maintenance window"}},
		Tasks:        []report.Task{{Unique: "periodic-sync", Task: "sync", State: "enqueued", Runs: 1, Successes: 1}},
		Expectations: []report.Expectation{{Expect: "sync runs 1..", OK: true, Detail: "1 run"}},
		Invariants:   report.Invariants{Checked: 12},
	}
	trace := []report.Record{
		{At: 0, Seq: 1, Source: "android.doze", Kind: "state", Subject: "doze", Reason: "screen off, unplugged", Fields: []report.Field{{Key: "state", Str: "IDLE"}}},
		{At: 60 * time.Second, Seq: 2, Source: "plugin", Kind: "registered", Subject: "periodic-sync", Reason: "registerPeriodicTask periodic-sync (sync): every 1h"},
		{At: time.Hour, Seq: 3, Source: "android.jobscheduler", Kind: "deferred", Subject: "periodic-sync",
			Reason: "Doze: idle until the maintenance window at 01:40", Fields: []report.Field{{Key: "gate", Str: "doze"}}},
		{At: 100 * time.Minute, Seq: 4, Source: "android.doze", Kind: "state", Subject: "doze", Reason: "maintenance window", Fields: []report.Field{{Key: "state", Str: "IDLE_MAINTENANCE"}}},
		{At: 6002 * time.Second, Seq: 5, Source: "android.jobscheduler", Kind: "started", Subject: "periodic-sync", Reason: "Doze maintenance window"},
		{At: 6006 * time.Second, Seq: 6, Source: "android.jobscheduler", Kind: "finished", Subject: "periodic-sync", Fields: []report.Field{{Key: "outcome", Str: "success"}}},
	}
	return res, trace, start
}

func ExampleExplain() {
	res, trace, start := example()
	if err := report.Explain(os.Stdout, res, trace, start, report.Selector{Task: "sync"}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// periodic-sync (task sync) on android, scenario night, 3h from 2026-01-05 00:00 UTC
	//   +0:01:00 (Mon 00:01:00)    registered: registerPeriodicTask periodic-sync (sync): every 1h  [plugin]
	//   +1:00:00 (Mon 01:00:00)    due (attempt 1)
	//   +1:00:00 (Mon 01:00:00)    held back 40m2s by Doze, until +1:40:02 (Mon 01:40:02) when it started: Doze: idle until the maintenance window at 01:40  [android.jobscheduler]
	//   +1:40:02 (Mon 01:40:02)    ran attempt 1 for 4s → success; 40m2s after it was due; why then: Doze maintenance window
	// summary: ran 1 time in 3h (1 succeeded); 100% of its 40m2s waiting time was Doze
}

func ExampleExplain_at() {
	res, trace, start := example()
	at := 90 * time.Minute
	if err := report.Explain(os.Stdout, res, trace, start, report.Selector{Unique: "periodic-sync", At: &at}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// periodic-sync (task sync) on android, scenario night, 3h from 2026-01-05 00:00 UTC
	//   +0:01:00 (Mon 00:01:00)    registered: registerPeriodicTask periodic-sync (sync): every 1h  [plugin]
	//   +1:00:00 (Mon 01:00:00)    due (attempt 1)
	//   +1:00:00 (Mon 01:00:00)    held back 40m2s by Doze, until +1:40:02 (Mon 01:40:02) when it started: Doze: idle until the maintenance window at 01:40  [android.jobscheduler]
	//   +1:40:02 (Mon 01:40:02)    ran attempt 1 for 4s → success; 40m2s after it was due; why then: Doze maintenance window
	// summary: ran 1 time in 3h (1 succeeded); 100% of its 40m2s waiting time was Doze
	// at +1:30:00 (Mon 01:30:00): held back by Doze since +1:00:00 (Mon 01:00:00): Doze: idle until the maintenance window at 01:40  [android.jobscheduler]
	// device: Doze IDLE
	// next: attempt 1 started at +1:40:02 (Mon 01:40:02) (why then: Doze maintenance window)
}

func ExampleWriteText() {
	res, trace, start := example()
	if err := report.WriteText(os.Stdout, res, trace, start, report.TextOptions{Timeline: true}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// night on android (seed 1)
	//   2026-01-05T00:00:00Z → 2026-01-05T03:00:00Z (3h)
	//
	// timeline
	//   +0:00:00       Mon 00:00:00  doze          Doze IDLE (screen off, unplugged)
	//   +0:01:00       Mon 00:01:00  periodic-sync registered: registerPeriodicTask periodic-sync (sync): every 1h  [plugin]
	//   +1:00:00       Mon 01:00:00  periodic-sync deferred: Doze: idle until the maintenance window at 01:40  [jobscheduler]
	//   +1:40:00       Mon 01:40:00  doze          Doze IDLE_MAINTENANCE (maintenance window)
	//   +1:40:02       Mon 01:40:02  periodic-sync ran attempt 1, 4s → success; Doze maintenance window  [jobscheduler]
	//
	// tasks
	//   UNIQUE        TASK STATE    RUNS OK RETRY FAIL STOP MEDIAN DELAY MAX DELAY
	//   periodic-sync sync enqueued    1  1     0    0    0        40m2s     40m2s
	//
	// expectations
	//   ✓ sync runs 1.. (1 run)
	//   ✓ invariants: 12 checked, 0 violations
	//
	// PASS: 1 of 1 expectations held, 0 invariant violations
}

func ExampleCompare() {
	android, _, _ := example()
	ios := &report.Result{Scenario: "night", Platform: "ios",
		Tasks: []report.Task{{Unique: "periodic-sync", Task: "sync", State: "enqueued"}}}
	if err := report.Compare(os.Stdout, android, ios); err != nil {
		fmt.Println(err)
	}
	// Output:
	// night: android vs ios
	//
	//   TASK          ANDROID RUNS OK FAIL MEDIAN DELAY │ IOS RUNS OK FAIL MEDIAN DELAY │ ΔRUNS
	//   periodic-sync            1  1    0        40m2s │        0  0    0            - │    -1
	//
	// android expectations (PASS)
	//   ✓ sync runs 1.. (1 run)
	//
	// ios expectations (PASS)
	//   (none)
}

// ExplainJSON writes the wmsim.explain/v1 document: each selected task's
// story, and with Selector.At the causes holding it back at that instant.
func ExampleExplainJSON() {
	res := &report.Result{Format: report.FormatResult, Scenario: "demo", Platform: "android",
		Start: "2026-01-05T08:00:00Z", End: "2026-01-05T09:00:00Z"}
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	trace := []report.Record{
		{At: time.Minute, Seq: 1, Source: "android.workmanager", Kind: "enqueued", Subject: "sync", Reason: "enqueued one_off"},
		{At: time.Minute, Seq: 2, Source: "android.jobscheduler", Kind: "deferred", Subject: "sync", Reason: "constraint unmet: network (connected)",
			Fields: []report.Field{{Key: "blocked_by", Str: "network"}}},
	}
	at := 30 * time.Minute
	var b strings.Builder
	if err := report.ExplainJSON(&b, res, trace, start, report.Selector{Unique: "sync", At: &at}); err != nil {
		fmt.Println(err)
	}
	var doc report.ExplainDoc
	_ = json.Unmarshal([]byte(b.String()), &doc)
	a := doc.Tasks[0].At
	fmt.Println(doc.Format, a.State, a.Causes[0].Cause, "-", a.Causes[0].Label)
	// Output:
	// wmsim.explain/v1 held network - the network constraint
}
