package runner

import (
	"cmp"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/report"
)

// outcomeRunning marks a run still going when the scenario ended. It is not
// one of the format's end outcomes because the run had not ended.
const outcomeRunning = "running"

// Result builds the result document of the world as it stands: call it after
// the run.
func (w *World) Result() *report.Result {
	sc := w.Scenario
	end := sc.Start.Add(sc.Duration)
	res := &report.Result{
		Format:   report.FormatResult,
		Scenario: sc.Name,
		Platform: string(w.Platform),
		Seed:     w.Engine.Seed(),
		Start:    sc.Start.Format(time.RFC3339),
		End:      end.Format(time.RFC3339),
	}
	w.resultRecords(res)
	res.Tasks = w.tasks(res.Runs)
	res.Warnings = append(res.Warnings, w.warnings...)
	for i := range w.recorder.Records {
		if r := &w.recorder.Records[i]; r.Kind == event.Clamped {
			res.Warnings = append(res.Warnings, report.Warning{T: secs(r.At), Code: "clamped", Message: r.Subject + ": " + r.Reason})
		}
	}
	// The whole-run checks go on a copy of the checker, so Result can be
	// called at any moment of a run (wmsimtest does) and again later.
	if w.checker != nil { // nil with RunOptions.NoTrace
		c := *w.checker
		c.violations = slices.Clip(c.violations)
		c.checkRuns(w.Journal.Runs())
		res.Invariants = c.result()
	}
	res.Warnings = append(res.Warnings, w.emptyWarnings(res)...)
	slices.SortStableFunc(res.Warnings, func(a, b report.Warning) int { return cmp.Compare(a.T, b.T) })
	ev := &evidence{res: res, trace: w.recorder.Records, start: sc.Start, end: sc.Duration, registered: w.registered, uniquesOf: w.uniquesOf}
	w.expectWall = make([]time.Duration, len(sc.Expect))
	for i := range sc.Expect {
		if p := sc.Expect[i].Platform; p != "" && p != w.Platform {
			continue
		}
		t0 := time.Now()
		res.Expectations = append(res.Expectations, ev.evaluate(&sc.Expect[i]))
		w.expectWall[i] = time.Since(t0) // for JUnit only
	}
	res.Normalize()
	return res
}

// Verdicts is Result().Expectations, checked against the same evidence
// without assembling the rest of the document: the tasks table is built only
// if an expectation reads it, and no warnings, invariants or dates are
// gathered. A fleet checks every device's expectations this way.
func (w *World) Verdicts() []report.Expectation {
	sc := w.Scenario
	res := &report.Result{}
	w.resultRecords(res)
	ev := &evidence{res: res, trace: w.recorder.Records, start: sc.Start, end: sc.Duration, registered: w.registered, uniquesOf: w.uniquesOf,
		lazyTasks: func() []report.Task { return w.tasks(res.Runs) }}
	var out []report.Expectation
	for i := range sc.Expect {
		if p := sc.Expect[i].Platform; p != "" && p != w.Platform {
			continue
		}
		out = append(out, ev.evaluate(&sc.Expect[i]))
	}
	return out
}

// resultRecords fills the result's runs, errors and calls: what the
// expectations read, with the tasks table.
func (w *World) resultRecords(res *report.Result) {
	if n := w.Journal.NumRuns(); n > 0 {
		res.Runs = make([]report.Run, 0, n)
	}
	for _, r := range w.Journal.All() {
		run := report.Run{
			Task: r.Task, Unique: r.Unique, Received: r.Received, Attempt: r.Attempt,
			Eligible: secs(r.Eligible), TStart: secs(r.Start), TEnd: secs(r.End),
			Outcome: string(r.Outcome), StopReason: string(r.StopReason), WhyThen: r.WhyThen,
		}
		if r.End < 0 {
			run.TEnd, run.Outcome = secs(w.Engine.Elapsed()), outcomeRunning
		}
		res.Runs = append(res.Runs, run)
	}
	for i, e := range w.Journal.Errors {
		src := w.errSource[i]
		if src == SourceTimeline {
			src = ""
		}
		res.Errors = append(res.Errors, report.Error{T: secs(e.At), Call: e.Call, Code: e.Code, Message: e.Message, SeenByApp: e.SeenByApp, Source: src})
	}
	res.Calls = append(res.Calls, w.calls...)
}

// Evaluate checks one expectation against the world as it stands, with the
// same evidence as the scenario's own expect entries.
func (w *World) Evaluate(e *scenarios.Expectation) report.Expectation {
	res := w.Result()
	ev := &evidence{res: res, trace: w.recorder.Records, start: w.Scenario.Start, end: w.Scenario.Duration, registered: w.registered, uniquesOf: w.uniquesOf}
	return ev.evaluate(e)
}

// EvaluateResult checks one expectation against a result document alone.
// Without the trace the evidence names no reasons, and first_run_within
// cannot be judged (no registration times).
func EvaluateResult(res *report.Result, e *scenarios.Expectation) report.Expectation {
	start, _ := time.Parse(time.RFC3339, res.Start)
	end, _ := time.Parse(time.RFC3339, res.End)
	ev := &evidence{res: res, start: start, end: end.Sub(start)}
	return ev.evaluate(e)
}

// tasks is the tasks table: every piece of work the OS model knows, in the
// order it was first registered, with its run counts.
func (w *World) tasks(runs []report.Run) []report.Task {
	var infos []osscheduler.TaskInfo
	if am := w.Plugin.Android(); am != nil {
		infos = am.Tasks()
	} else if im := w.Plugin.IOS(); im != nil {
		infos = im.Tasks()
	}
	// The runs of each (unique, task) counted in one pass: the tables can
	// hold thousands of works and runs. Runs of one work mostly follow one
	// another, so the work of the run before is tried before the map.
	type key struct{ unique, task string }
	byWork := map[key]*report.Task{}
	var last *report.Task
	var lastKey key
	for i := range runs {
		r := &runs[i]
		k := key{r.Unique, r.Task}
		if last == nil || k != lastKey {
			last = byWork[k]
			if last == nil {
				last = &report.Task{}
				byWork[k] = last
			}
			lastKey = k
		}
		last.Runs++
		switch osscheduler.Outcome(r.Outcome) {
		case osscheduler.OutcomeSuccess:
			last.Successes++
		case osscheduler.OutcomeRetry:
			last.Retries++
		case osscheduler.OutcomeFailure:
			last.Failures++
		case osscheduler.OutcomeStopped, osscheduler.OutcomeExpired:
			last.Stops++
		}
	}
	out := make([]report.Task, 0, len(infos))
	for _, ti := range infos {
		t := report.Task{Unique: ti.Unique, Task: ti.Task, State: string(ti.State)}
		if c := byWork[key{ti.Unique, ti.Task}]; c != nil {
			t.Runs, t.Successes, t.Retries, t.Failures, t.Stops = c.Runs, c.Successes, c.Retries, c.Failures, c.Stops
		}
		out = append(out, t)
	}
	return out
}

// evaluate checks one expect entry.
func (ev *evidence) evaluate(e *scenarios.Expectation) report.Expectation {
	sel := selector{task: e.Task, unique: e.Unique}
	var from, to *time.Duration
	if e.Within != nil {
		f, t := e.Within.From, e.Within.To
		if t == 0 {
			t = ev.end
		}
		from, to = &f, &t
	}
	switch e.Kind() {
	case "runs":
		return ev.expectRuns(sel, e.Runs.Min, e.Runs.Max, from, to)
	case "max_gap":
		return ev.expectMaxGap(sel, *e.MaxGap, from, to)
	case "first_run_within":
		return ev.expectFirstRunWithin(sel, *e.FirstRunWithin)
	case "state":
		return ev.expectState(sel, string(*e.State))
	case "attempts":
		return ev.expectAttempts(sel, *e.Attempts, from, to)
	case "no_errors":
		return ev.expectNoErrors()
	case "error":
		return ev.expectError(string(e.Error.Call), e.Error.Code)
	case "on_time":
		return ev.expectOnTime(sel, e.OnTime.Clock, e.OnTime.Late)
	case "returned":
		return ev.expectReturned(e.Call, e.At, e.Returned)
	}
	return report.Expectation{Expect: "unknown expectation", OK: false, Detail: "the loader let through an entry with no assertion"}
}
