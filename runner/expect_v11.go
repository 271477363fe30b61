package runner

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/report"
)

// expectOnTime checks that every run of sel starts within late after a
// day's clock time (in the start's UTC offset).
func (ev *evidence) expectOnTime(sel selector, c scenarios.ClockTime, late time.Duration) report.Expectation {
	desc := fmt.Sprintf("%s on time: within %s after %s", sel, formatDur(late), c)
	runs := ev.runs(sel)
	if len(runs) == 0 {
		return report.Expectation{Expect: desc, OK: false, Detail: "no runs to judge" + ev.reasonSuffix(sel)}
	}
	var bad []string
	worst := time.Duration(0)
	for _, r := range runs {
		t := ev.start.Add(dur(r.TStart))
		// The latest clock time at or before the start.
		due := time.Date(t.Year(), t.Month(), t.Day(), c.Hour, c.Minute, c.Second, 0, t.Location())
		if due.After(t) {
			due = due.AddDate(0, 0, -1)
		}
		if lateBy := t.Sub(due); lateBy > late {
			worst = max(worst, lateBy)
			bad = append(bad, fmt.Sprintf("%s (%s after %s)", ev.clock(dur(r.TStart)), formatDur(lateBy), c))
		}
	}
	if len(bad) == 0 {
		return report.Expectation{Expect: desc, OK: true, Detail: fmt.Sprintf("all %s on time", plural(len(runs), "run", "runs"))}
	}
	if len(bad) > 5 {
		bad = append(bad[:5], "…")
	}
	return report.Expectation{Expect: desc, OK: false, Detail: fmt.Sprintf("%d of %s late, up to %s: %s", len(bad), plural(len(runs), "run", "runs"), formatDur(worst), joinComma(bad))}
}

// reasonSuffix explains, from the trace, why sel never ran ("" without one).
func (ev *evidence) reasonSuffix(sel selector) string {
	if len(ev.trace) == 0 {
		return ""
	}
	if why := ev.dominantDeferral(sel, 0, ev.end); why != "" {
		return "; " + why
	}
	return ""
}

// expectReturned checks what the Dart call m made at `at` returned (every
// such call, when at is nil).
func (ev *evidence) expectReturned(m scenarios.Method, at *time.Duration, want any) report.Expectation {
	wantText := returnedText(want)
	desc := fmt.Sprintf("%s returned %s", m, wantText)
	if at != nil {
		desc = fmt.Sprintf("%s at %s returned %s", m, formatDur(*at), wantText)
	}
	var seen []string
	n := 0
	for _, c := range ev.res.Calls {
		if c.Call != string(m) || at != nil && !sameSecond(dur(c.T), *at) {
			continue
		}
		n++
		got := c.ReturnedText()
		if c.Error == "" {
			got = returnedText(c.Returned)
		}
		if c.Error != "" || got != wantText {
			seen = append(seen, fmt.Sprintf("%s returned %s (%s)", ev.clock(dur(c.T)), got, c.Source))
		}
	}
	switch {
	case n == 0:
		where := ""
		if at != nil {
			where = " at " + ev.clock(*at)
		}
		return report.Expectation{Expect: desc, OK: false, Detail: fmt.Sprintf("no %s call took effect%s", m, where)}
	case len(seen) > 0:
		return report.Expectation{Expect: desc, OK: false, Detail: joinComma(seen)}
	}
	return report.Expectation{Expect: desc, OK: true, Detail: fmt.Sprintf("%s returned %s", plural(n, "call", "calls"), wantText)}
}

// sameSecond compares a call time (millisecond resolution) with a step time.
func sameSecond(a, b time.Duration) bool { return (a - b).Abs() < time.Millisecond }

// returnedText prints a Dart value as JSON (true, "text", null); numbers
// compare by value whatever their Go type.
func returnedText(v any) string {
	switch x := v.(type) {
	case int64:
		return fmt.Sprint(x)
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x))
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
