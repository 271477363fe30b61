// The testify helpers: AssertRuns, RequireRuns and friends, judged with the
// same rules as a scenario's expect entries.

package wmsimtest

import (
	"fmt"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/scenarios"
)

// The testify helpers judge a *Sim or a *report.Result with the same rules
// and evidence as the Gomega matchers. The Assert… forms report through
// assert (the test goes on) and return whether the expectation held; the
// Require… forms stop the test (require). msgAndArgs are testify's optional
// message and arguments.

// judge evaluates one expectation built by build for name on actual.
func judge(actual any, name string, build func(e *scenarios.Expectation)) (report.Expectation, string, error) {
	su, err := subjectOf(actual)
	if err != nil {
		return report.Expectation{}, "", err
	}
	var e scenarios.Expectation
	if name != "" {
		su.selectBy(name, &e)
	}
	build(&e)
	return su.evaluate(&e), su.when(), nil
}

func assertExpect(t assert.TestingT, actual any, name string, build func(e *scenarios.Expectation), msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	v, when, err := judge(actual, name, build)
	if err != nil {
		return assert.Fail(t, err.Error(), msgAndArgs...)
	}
	if v.OK {
		return true
	}
	return assert.Fail(t, fmt.Sprintf("wmsim expectation failed %s:\n  ✗ %s (%s)", when, v.Expect, v.Detail), msgAndArgs...)
}

func runs(lo, hi int) func(e *scenarios.Expectation) {
	return func(e *scenarios.Expectation) {
		r := &scenarios.Range{}
		if lo >= 0 {
			r.Min = &lo
		}
		if hi >= 0 {
			r.Max = &hi
		}
		e.Runs = r
	}
}

// AssertRuns asserts that name (a uniqueName, else a taskName) started
// between min and max runs, inclusive; a negative bound is open.
func AssertRuns(t assert.TestingT, actual any, name string, min, max int, msgAndArgs ...any) bool {
	return assertExpect(t, actual, name, runs(min, max), msgAndArgs...)
}

// AssertRunsWithin is AssertRuns counting only runs started in the first d.
func AssertRunsWithin(t assert.TestingT, actual any, name string, min, max int, d time.Duration, msgAndArgs ...any) bool {
	return assertExpect(t, actual, name, func(e *scenarios.Expectation) {
		runs(min, max)(e)
		e.Within = &scenarios.Window{To: d}
	}, msgAndArgs...)
}

// AssertMaxGap asserts the longest gap between name's successful runs (and
// from first eligible to first success) is at most limit.
func AssertMaxGap(t assert.TestingT, actual any, name string, limit time.Duration, msgAndArgs ...any) bool {
	return assertExpect(t, actual, name, func(e *scenarios.Expectation) { e.MaxGap = &limit }, msgAndArgs...)
}

// AssertFirstRunWithin asserts name first ran at most limit after it was
// registered.
func AssertFirstRunWithin(t assert.TestingT, actual any, name string, limit time.Duration, msgAndArgs ...any) bool {
	return assertExpect(t, actual, name, func(e *scenarios.Expectation) { e.FirstRunWithin = &limit }, msgAndArgs...)
}

// AssertFinalState asserts name's work is in state.
func AssertFinalState(t assert.TestingT, actual any, name string, state scenarios.TaskState, msgAndArgs ...any) bool {
	return assertExpect(t, actual, name, func(e *scenarios.Expectation) { e.State = &state }, msgAndArgs...)
}

// AssertAttempts asserts the highest attempt number name reached is n.
func AssertAttempts(t assert.TestingT, actual any, name string, n int, msgAndArgs ...any) bool {
	return assertExpect(t, actual, name, func(e *scenarios.Expectation) { e.Attempts = &n }, msgAndArgs...)
}

// AssertNoErrors asserts no call was rejected.
func AssertNoErrors(t assert.TestingT, actual any, msgAndArgs ...any) bool {
	return assertExpect(t, actual, "", func(e *scenarios.Expectation) { v := true; e.NoErrors = &v }, msgAndArgs...)
}

// AssertRecordedError asserts some call was rejected with code; call, if
// not empty, names the Dart method.
func AssertRecordedError(t assert.TestingT, actual any, call string, code ErrorCode, msgAndArgs ...any) bool {
	return assertExpect(t, actual, "", func(e *scenarios.Expectation) {
		e.Error = &scenarios.ErrorExpect{Call: scenarios.Method(call), Code: code}
	}, msgAndArgs...)
}

// AssertExpectations asserts every expect entry of the scenario held and no
// invariant broke, listing the verdicts as the CLI prints them.
func AssertExpectations(t assert.TestingT, actual any, msgAndArgs ...any) bool {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	su, err := subjectOf(actual)
	if err != nil {
		return assert.Fail(t, err.Error(), msgAndArgs...)
	}
	res := su.result()
	if res.Passed() && res.Limit == "" {
		return true
	}
	return assert.Fail(t, fmt.Sprintf("wmsim expectations did not all hold %s:\n%s", su.when(), verdicts(res)), msgAndArgs...)
}

func must(t require.TestingT, ok bool) {
	if !ok {
		t.FailNow()
	}
}

// RequireRuns is AssertRuns that stops the test.
func RequireRuns(t require.TestingT, actual any, name string, min, max int, msgAndArgs ...any) {
	must(t, AssertRuns(t, actual, name, min, max, msgAndArgs...))
}

// RequireMaxGap is AssertMaxGap that stops the test.
func RequireMaxGap(t require.TestingT, actual any, name string, limit time.Duration, msgAndArgs ...any) {
	must(t, AssertMaxGap(t, actual, name, limit, msgAndArgs...))
}

// RequireFinalState is AssertFinalState that stops the test.
func RequireFinalState(t require.TestingT, actual any, name string, state scenarios.TaskState, msgAndArgs ...any) {
	must(t, AssertFinalState(t, actual, name, state, msgAndArgs...))
}

// RequireNoErrors is AssertNoErrors that stops the test.
func RequireNoErrors(t require.TestingT, actual any, msgAndArgs ...any) {
	must(t, AssertNoErrors(t, actual, msgAndArgs...))
}

// RequireRecordedError is AssertRecordedError that stops the test.
func RequireRecordedError(t require.TestingT, actual any, call string, code ErrorCode, msgAndArgs ...any) {
	must(t, AssertRecordedError(t, actual, call, code, msgAndArgs...))
}

// RequireExpectations is AssertExpectations that stops the test.
func RequireExpectations(t require.TestingT, actual any, msgAndArgs ...any) {
	must(t, AssertExpectations(t, actual, msgAndArgs...))
}

// RequireRunsWithin is AssertRunsWithin that stops the test.
func RequireRunsWithin(t require.TestingT, actual any, name string, min, max int, d time.Duration, msgAndArgs ...any) {
	must(t, AssertRunsWithin(t, actual, name, min, max, d, msgAndArgs...))
}

// RequireFirstRunWithin is AssertFirstRunWithin that stops the test.
func RequireFirstRunWithin(t require.TestingT, actual any, name string, limit time.Duration, msgAndArgs ...any) {
	must(t, AssertFirstRunWithin(t, actual, name, limit, msgAndArgs...))
}

// RequireAttempts is AssertAttempts that stops the test.
func RequireAttempts(t require.TestingT, actual any, name string, n int, msgAndArgs ...any) {
	must(t, AssertAttempts(t, actual, name, n, msgAndArgs...))
}
