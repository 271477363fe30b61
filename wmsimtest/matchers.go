// The Gomega matchers (HaveRun, HaveMaxGap, HaveNoErrors, …) and the error
// codes they name.

package wmsimtest

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Final states, for HaveFinalState.
const (
	Enqueued  = scenarios.StateEnqueued
	Running   = scenarios.StateRunning
	Succeeded = scenarios.StateSucceeded
	Failed    = scenarios.StateFailed
	Cancelled = scenarios.StateCancelled
	Blocked   = scenarios.StateBlocked
)

// ErrorCode is a stable snake_case error code of the result document.
type ErrorCode = string

// Error codes, for HaveRecordedError.
const (
	NotInitialized   ErrorCode = plugin.CodeNotInitialized
	NotPermitted     ErrorCode = plugin.CodeNotPermitted
	Unavailable      ErrorCode = plugin.CodeUnavailable
	TooManyPending   ErrorCode = plugin.CodeTooManyPending
	Unsupported      ErrorCode = plugin.CodeUnsupported
	InvalidInputData ErrorCode = plugin.CodeInvalidInputData
	InvalidArgument  ErrorCode = plugin.CodeInvalidArgument
	IllegalState     ErrorCode = plugin.CodeIllegalState
	Crash            ErrorCode = plugin.CodeCrash
	OSTooOld         ErrorCode = plugin.CodeOSTooOld
	UnhandledMethod  ErrorCode = plugin.CodeUnhandledMethod
)

// subject is what a matcher judges: a Sim (full evidence, with the trace's
// reasons) or a finished result document.
type subject struct {
	sim *Sim
	res *report.Result
}

func subjectOf(actual any) (subject, error) {
	switch a := actual.(type) {
	case *Sim:
		if a == nil {
			return subject{}, fmt.Errorf("wmsimtest matcher: got a nil *wmsimtest.Sim")
		}
		return subject{sim: a}, nil
	case *report.Result:
		if a == nil {
			return subject{}, fmt.Errorf("wmsimtest matcher: got a nil *report.Result")
		}
		return subject{res: a}, nil
	case *runner.Outcome:
		if a == nil || len(a.Runs) != 1 {
			return subject{}, fmt.Errorf("wmsimtest matcher: a *scenarios.Outcome must have exactly one platform run; pass one PlatformRun's Result")
		}
		return subject{res: a.Runs[0].Result}, nil
	}
	return subject{}, fmt.Errorf("wmsimtest matcher expects a *wmsimtest.Sim or a *report.Result, got %T", actual)
}

func (su subject) result() *report.Result {
	if su.sim != nil {
		return su.sim.Result()
	}
	return su.res
}

func (su subject) evaluate(e *scenarios.Expectation) report.Expectation {
	if su.sim != nil {
		return su.sim.evaluate(e)
	}
	return runner.EvaluateResult(su.res, e)
}

// when says at which virtual instant the evidence was taken.
func (su subject) when() string {
	if su.sim != nil {
		return "at +" + sim.FormatOffset(su.sim.Elapsed()) + " of virtual time"
	}
	return "in the result document"
}

// selectBy fills e's selector for name: its uniqueName when some work was
// registered under it, else its taskName.
func (su subject) selectBy(name string, e *scenarios.Expectation) {
	if su.sim != nil && su.sim.knowsUnique(name) {
		e.Unique = name
		return
	}
	if su.sim == nil {
		for _, t := range su.res.Tasks {
			if t.Unique == name {
				e.Unique = name
				return
			}
		}
		for _, r := range su.res.Runs {
			if r.Unique == name {
				e.Unique = name
				return
			}
		}
	}
	e.Task = name
}

// inAsyncAssertion reports whether Gomega's Eventually or Consistently is
// polling the matcher: they wait in real time, and virtual time stands still.
func inAsyncAssertion() bool {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, "gomega/internal.(*AsyncAssertion)") {
			return true
		}
		if !more {
			return false
		}
	}
}

// misuse is the message for a matcher used under Eventually or Consistently.
const misuse = "wmsimtest matchers cannot be polled by Eventually or Consistently: they wait in real time while the " +
	"simulation's virtual clock stands still, so they would re-check a frozen run. Use the virtual-time equivalents: " +
	"s.RunUntilCondition(cond, limit) then Expect (for Eventually), s.Always(desc, cond) then s.RunFor(d) (for " +
	"Consistently), or s.RunFor(d) then Expect"

// expectMatcher judges one expect entry.
type expectMatcher struct {
	name    string // selector name; "" for no_errors/error
	build   func(e *scenarios.Expectation)
	verdict report.Expectation
	when    string
}

// Match implements types.GomegaMatcher.
func (m *expectMatcher) Match(actual any) (bool, error) {
	if inAsyncAssertion() {
		return false, gomega.StopTrying(misuse)
	}
	su, err := subjectOf(actual)
	if err != nil {
		return false, err
	}
	var e scenarios.Expectation
	if m.name != "" {
		su.selectBy(m.name, &e)
	}
	m.build(&e)
	m.verdict = su.evaluate(&e)
	m.when = su.when()
	return m.verdict.OK, nil
}

// FailureMessage implements types.GomegaMatcher: the verdict as the CLI
// prints it, with its evidence.
func (m *expectMatcher) FailureMessage(any) string {
	return fmt.Sprintf("wmsim expectation failed %s:\n  ✗ %s (%s)", m.when, m.verdict.Expect, m.verdict.Detail)
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *expectMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("wmsim expectation held %s, but was expected not to:\n  ✓ %s (%s)", m.when, m.verdict.Expect, m.verdict.Detail)
}

// MatchMayChangeInTheFuture tells Gomega that polling will not change the
// answer: virtual time does not pass while it waits.
func (m *expectMatcher) MatchMayChangeInTheFuture(any) bool { return false }

// Verdict is the last verdict, as the result document would hold it.
func (m *expectMatcher) Verdict() report.Expectation { return m.verdict }

// RunsMatcher is HaveRun: the number of runs started, optionally in a window.
type RunsMatcher struct {
	expectMatcher
	lo, hi   *int
	from, to *time.Duration
}

var _ types.GomegaMatcher = (*RunsMatcher)(nil)

// HaveRun succeeds when name (a uniqueName, else a taskName) has started at
// least once; refine it with AtLeast, AtMost, Times, Between and Within.
//
//	Expect(s).To(HaveRun("sync").AtLeast(20).Within(24 * time.Hour))
func HaveRun(name string) *RunsMatcher {
	m := &RunsMatcher{}
	one := 1
	m.lo = &one
	m.name = name
	m.build = func(e *scenarios.Expectation) {
		e.Runs = &scenarios.Range{Min: m.lo, Max: m.hi}
		if m.from != nil || m.to != nil {
			w := &scenarios.Window{}
			if m.from != nil {
				w.From = *m.from
			}
			if m.to != nil {
				w.To = *m.to
			}
			e.Within = w
		}
	}
	return m
}

// AtLeast requires at least n runs.
func (m *RunsMatcher) AtLeast(n int) *RunsMatcher { m.lo = &n; return m }

// AtMost requires at most n runs (and drops the default minimum of one).
func (m *RunsMatcher) AtMost(n int) *RunsMatcher {
	if m.lo != nil && *m.lo == 1 {
		m.lo = nil
	}
	m.hi = &n
	return m
}

// Times requires exactly n runs.
func (m *RunsMatcher) Times(n int) *RunsMatcher { m.lo, m.hi = &n, &n; return m }

// Between requires lo..hi runs, inclusive.
func (m *RunsMatcher) Between(lo, hi int) *RunsMatcher { m.lo, m.hi = &lo, &hi; return m }

// Within counts only runs started in the first d of the run.
func (m *RunsMatcher) Within(d time.Duration) *RunsMatcher {
	zero := time.Duration(0)
	m.from, m.to = &zero, &d
	return m
}

// During counts only runs started between offsets from and to.
func (m *RunsMatcher) During(from, to time.Duration) *RunsMatcher {
	m.from, m.to = &from, &to
	return m
}

// HaveMaxGap succeeds when the longest gap between consecutive successful
// runs of name (and from its first eligible moment to its first success) is
// at most limit. The evidence names the reason that held it back longest.
func HaveMaxGap(name string, limit time.Duration) types.GomegaMatcher {
	return &expectMatcher{name: name, build: func(e *scenarios.Expectation) { e.MaxGap = &limit }}
}

// HaveFirstRunWithin succeeds when name's first run starts at most limit
// after it was first registered (a Sim only: a result document does not
// record registration times).
func HaveFirstRunWithin(name string, limit time.Duration) types.GomegaMatcher {
	return &expectMatcher{name: name, build: func(e *scenarios.Expectation) { e.FirstRunWithin = &limit }}
}

// HaveFinalState succeeds when name's work is in state (Succeeded, …).
func HaveFinalState(name string, state scenarios.TaskState) types.GomegaMatcher {
	return &expectMatcher{name: name, build: func(e *scenarios.Expectation) { e.State = &state }}
}

// HaveAttempts succeeds when the highest attempt number name reached is n.
func HaveAttempts(name string, n int) types.GomegaMatcher {
	return &expectMatcher{name: name, build: func(e *scenarios.Expectation) { e.Attempts = &n }}
}

// HaveNoErrors succeeds when no call was rejected by the plugin or the OS.
func HaveNoErrors() types.GomegaMatcher {
	return &expectMatcher{build: func(e *scenarios.Expectation) { t := true; e.NoErrors = &t }}
}

// ErrorMatcher is HaveRecordedError.
type ErrorMatcher struct {
	expectMatcher
	call scenarios.Method
}

// HaveRecordedError succeeds when some call was rejected with code
// (NotPermitted, …); narrow it to one Dart method with From.
func HaveRecordedError(code ErrorCode) *ErrorMatcher {
	m := &ErrorMatcher{}
	m.build = func(e *scenarios.Expectation) { e.Error = &scenarios.ErrorExpect{Code: code, Call: m.call} }
	return m
}

// From requires the error to come from the Dart method call
// ("registerPeriodicTask", …).
func (m *ErrorMatcher) From(call string) *ErrorMatcher { m.call = scenarios.Method(call); return m }

// metMatcher is HaveMetExpectations.
type metMatcher struct {
	res  *report.Result
	when string
}

// HaveMetExpectations succeeds when every expect entry of the scenario held
// and no invariant broke, as the CLI's exit code 0; the failure message
// lists the verdicts as the CLI prints them.
func HaveMetExpectations() types.GomegaMatcher { return &metMatcher{} }

func (m *metMatcher) Match(actual any) (bool, error) {
	if inAsyncAssertion() {
		return false, gomega.StopTrying(misuse)
	}
	su, err := subjectOf(actual)
	if err != nil {
		return false, err
	}
	m.res, m.when = su.result(), su.when()
	return m.res.Passed() && m.res.Limit == "", nil
}

func (m *metMatcher) FailureMessage(any) string {
	return fmt.Sprintf("wmsim expectations did not all hold %s:\n%s", m.when, verdicts(m.res))
}

func (m *metMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("wmsim expectations all held %s, but were expected not to:\n%s", m.when, verdicts(m.res))
}

func (m *metMatcher) MatchMayChangeInTheFuture(any) bool { return false }

// verdicts prints a result's expectations and invariant violations as the
// CLI's text report does.
func verdicts(res *report.Result) string {
	var b strings.Builder
	if len(res.Expectations) == 0 {
		b.WriteString("  (no expectations)\n")
	}
	for _, e := range res.Expectations {
		mark := "✓"
		if !e.OK {
			mark = "✗"
		}
		fmt.Fprintf(&b, "  %s %s (%s)\n", mark, e.Expect, e.Detail)
	}
	for _, v := range res.Invariants.Violations {
		fmt.Fprintf(&b, "  ✗ invariant %s broken by %s at %ss: %s\n", v.Invariant, v.Subject, report.FormatSeconds(float64(v.T)), v.Detail)
	}
	if res.Limit != "" {
		fmt.Fprintf(&b, "  ✗ stopped at a safety limit: %s\n", res.Limit)
	}
	return strings.TrimRight(b.String(), "\n")
}

// ReturnedMatcher is HaveReturned.
type ReturnedMatcher struct {
	expectMatcher
	at *time.Duration
}

// HaveReturned succeeds when every call of the Dart method call returned
// value to Dart (true/false for isScheduledByUniqueName, the text of
// printScheduledTasks, nil for void calls); At narrows it to the call made
// at one offset. It is the expectation `call: …, at: …, returned: …`.
func HaveReturned(call string, value any) *ReturnedMatcher {
	m := &ReturnedMatcher{}
	m.build = func(e *scenarios.Expectation) {
		e.Call, e.At, e.Returned, e.HasReturned = scenarios.Method(call), m.at, value, true
	}
	return m
}

// At requires the call made at offset d from the start.
func (m *ReturnedMatcher) At(d time.Duration) *ReturnedMatcher { m.at = &d; return m }

// HaveRunOnTime succeeds when every run of name starts within late after a
// day's clock time hh:mm (the expectation on_time).
func HaveRunOnTime(name string, hh, mm int, late time.Duration) types.GomegaMatcher {
	return &expectMatcher{name: name, build: func(e *scenarios.Expectation) {
		e.OnTime = &scenarios.OnTime{Clock: scenarios.ClockTime{Hour: hh, Minute: mm}, Late: late}
	}}
}
