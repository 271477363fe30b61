package chaos

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// The checks are not vacuous: each one fires on a hand-made broken run.

func rec(seq uint64, at time.Duration, source event.Source, kind event.Kind, subject string, fields ...sim.Field) sim.Record {
	return sim.Record{At: at, Seq: seq, Source: source, Kind: kind, Subject: subject, Fields: fields}
}

func newChecker(platform string, trace []sim.Record, res *report.Result) *checker {
	if res == nil {
		res = &report.Result{}
	}
	return &checker{v: &Verdict{}, sc: &scenarios.Scenario{Duration: 24 * time.Hour},
		pr: &runner.PlatformRun{Platform: platform, Trace: trace, Result: res}, world: &worldProbe{checks: map[string]int{}}}
}

func only(t *testing.T, c *checker, want string) {
	t.Helper()
	if len(c.v.Findings) == 0 {
		t.Fatalf("no finding; want %s", want)
	}
	for _, f := range c.v.Findings {
		if f.Check != want {
			t.Errorf("finding %s; want only %s", f, want)
		}
	}
}

func TestCheckMonotonicFires(t *testing.T) {
	c := newChecker("android", []sim.Record{rec(1, time.Minute, event.SourceDevice, "x", "d"), rec(2, time.Second, event.SourceDevice, "y", "d")}, nil)
	c.monotonic()
	only(t, c, CheckMonotonic)

	c = newChecker("android", nil, &report.Result{Runs: []report.Run{{Unique: "u", Eligible: 100, TStart: 50, TEnd: 60, Outcome: "success"}}})
	c.monotonic()
	only(t, c, CheckMonotonic)
}

func TestCheckRegistrationAndCancelFire(t *testing.T) {
	started := func(seq uint64, id string) sim.Record {
		return rec(seq, time.Duration(seq)*time.Minute, event.SourceAndroidJobScheduler, event.Started, "u", sim.String("id", id))
	}
	c := newChecker("android", []sim.Record{started(1, "wm-1")}, nil)
	c.traceRules()
	only(t, c, CheckRegistration)

	c = newChecker("android", []sim.Record{
		rec(1, time.Minute, event.SourceAndroidWorkManager, event.Enqueued, "u", sim.String("id", "wm-1")),
		rec(2, 2*time.Minute, event.SourceAndroidWorkManager, event.Cancelled, "u", sim.String("id", "wm-1")),
		started(3, "wm-1"),
	}, nil)
	c.traceRules()
	only(t, c, CheckAfterCancel)

	// Cancelling one WorkSpec of a shared unique name leaves the other free.
	c = newChecker("android", []sim.Record{
		rec(1, time.Minute, event.SourceAndroidWorkManager, event.Enqueued, "u", sim.String("id", "wm-1")),
		rec(2, time.Minute, event.SourceAndroidWorkManager, event.Enqueued, "u", sim.String("id", "wm-2")),
		rec(3, 2*time.Minute, event.SourceAndroidWorkManager, event.Cancelled, "u", sim.String("id", "wm-2")),
		started(4, "wm-1"),
	}, nil)
	c.traceRules()
	if len(c.v.Findings) != 0 {
		t.Errorf("findings for an uncancelled WorkSpec: %v", c.v.Findings)
	}
}

func TestCheckAndroidRunsFire(t *testing.T) {
	run := func(start, end time.Duration, outcome osscheduler.Outcome, attempt int, eligible time.Duration) osscheduler.RunRecord {
		return osscheduler.RunRecord{Unique: "u", Kind: osscheduler.Periodic, Start: start, End: end, Outcome: outcome, Attempt: attempt, Eligible: eligible}
	}
	c := newChecker("android", nil, nil)
	c.androidRuns([]osscheduler.RunRecord{run(0, time.Minute, osscheduler.OutcomeSuccess, 1, 0), run(10*time.Minute, 11*time.Minute, osscheduler.OutcomeSuccess, 1, 10*time.Minute)})
	only(t, c, CheckPeriodFloor)

	c = newChecker("android", nil, nil)
	c.androidRuns([]osscheduler.RunRecord{run(0, time.Minute, osscheduler.OutcomeRetry, 1, 0), run(time.Minute+5*time.Second, 2*time.Minute, osscheduler.OutcomeSuccess, 2, time.Minute+5*time.Second)})
	only(t, c, CheckBackoff)

	c = newChecker("android", nil, nil)
	c.androidRuns([]osscheduler.RunRecord{run(0, time.Minute, osscheduler.OutcomeRetry, 1, 0), run(7*time.Hour, 8*time.Hour, osscheduler.OutcomeSuccess, 2, 6*time.Hour)})
	only(t, c, CheckBackoff)
}

func TestCheckIOSBudgetAndStoppedAppFire(t *testing.T) {
	c := newChecker("ios", nil, nil)
	c.iosRuns([]osscheduler.RunRecord{{Unique: "u", Kind: osscheduler.Periodic, Start: 0, End: 31 * time.Second}})
	only(t, c, CheckIOSBudget)

	c = newChecker("ios", []sim.Record{
		rec(1, time.Minute, event.SourceDevice, event.AppSwipedAway, "device"),
		rec(2, 2*time.Minute, "ios.dasd", event.Started, "u"),
	}, nil)
	c.stoppedApp()
	only(t, c, CheckStoppedApp)
}

func TestCheckConservationAndShapeFire(t *testing.T) {
	c := newChecker("android", []sim.Record{rec(1, time.Minute, event.SourceAndroidWorkManager, event.Enqueued, "gone", sim.String("id", "wm-1"))},
		&report.Result{Tasks: []report.Task{{Unique: "u", State: "sleeping", Runs: 1, Successes: 2}},
			Runs: []report.Run{{Unique: "u", Outcome: "stopped"}}})
	c.conservation()
	only(t, c, CheckConservation)
	if len(c.v.Findings) != 4 {
		t.Errorf("want 4 findings (state, counts, missing row, stop reason), got %v", c.v.Findings)
	}

	c = newChecker("android", nil, &report.Result{Errors: []report.Error{{Call: "x", Code: "NotSnake", Message: "m"}}, Warnings: []report.Warning{{Code: "ok_code"}}})
	c.errorShape()
	only(t, c, CheckErrorShape)
	if len(c.v.Findings) != 2 {
		t.Errorf("want 2 findings, got %v", c.v.Findings)
	}
}
