package runner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

// selector picks runs and tasks by taskName or by uniqueName.
type selector struct {
	task, unique string
}

func (s selector) String() string {
	if s.unique != "" {
		return s.unique
	}
	return s.task
}

func (s selector) matchRun(r *report.Run) bool {
	if s.unique != "" {
		return r.Unique == s.unique
	}
	return r.Task == s.task
}

func (s selector) matchTask(t *report.Task) bool {
	if s.unique != "" {
		return t.Unique == s.unique
	}
	return t.Task == s.task
}

// evidence gives expectations access to what they quote: the result, the
// trace (for reasons), the registration times, and the scenario's clock.
type evidence struct {
	res        *report.Result
	trace      []sim.Record
	start      time.Time
	end        time.Duration
	registered map[string]time.Duration // by unique name and by task name: first registration offset
	uniquesOf  map[string][]string      // unique names each task name was registered under
	// lazyTasks, when set, builds res.Tasks the first time an expectation
	// reads it (World.Verdicts).
	lazyTasks func() []report.Task
}

// tasks is the result's tasks table.
func (ev *evidence) tasks() []report.Task {
	if ev.lazyTasks != nil {
		ev.res.Tasks, ev.lazyTasks = ev.lazyTasks(), nil
	}
	return ev.res.Tasks
}

func (ev *evidence) runs(sel selector) []*report.Run {
	return ev.runsWithin(sel, nil, nil)
}

// firstRun is ev.runs(sel)[0] without selecting the others (nil: none).
func (ev *evidence) firstRun(sel selector) *report.Run {
	for i := range ev.res.Runs {
		if r := &ev.res.Runs[i]; sel.matchRun(r) {
			return r
		}
	}
	return nil
}

// runsWithin selects sel's runs that start in [from, to] (nil: open), as
// pointers into the result (read only: a fleet evaluates every device's
// expectations, and copying the runs was most of its memory traffic).
func (ev *evidence) runsWithin(sel selector, from, to *time.Duration) []*report.Run {
	var out []*report.Run
	for i := range ev.res.Runs {
		r := &ev.res.Runs[i]
		if !sel.matchRun(r) {
			continue
		}
		if t := dur(r.TStart); from != nil && t < *from || to != nil && t > *to {
			continue
		}
		out = append(out, r)
	}
	return out
}

// windowText describes an optional window for an expectation's title.
func (ev *evidence) windowText(from, to *time.Duration) string {
	if from == nil && to == nil {
		return ""
	}
	f, t := time.Duration(0), ev.end
	if from != nil {
		f = *from
	}
	if to != nil {
		t = *to
	}
	return fmt.Sprintf(" within %s..%s", sim.FormatOffset(f), sim.FormatOffset(t))
}

// clock formats an offset as "+1d02:03:04 (Tue 10:03)" for evidence texts.
func (ev *evidence) clock(off time.Duration) string {
	t := ev.start.Add(off)
	return fmt.Sprintf("+%s (%s)", sim.FormatOffset(off), t.Format("Mon 15:04"))
}

func secs(d time.Duration) report.Seconds { return report.Seconds(d.Seconds()) }

func dur(s report.Seconds) time.Duration {
	return time.Duration(float64(s)*1000+0.5) * time.Millisecond
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// expectRuns: executions started for sel within [from, to], between lo and hi.
func (ev *evidence) expectRuns(sel selector, lo, hi *int, from, to *time.Duration) report.Expectation {
	// Counted in place: only the first five starts are quoted, so the runs
	// are not collected (a fleet checks this on every device, over hundreds
	// of runs each).
	n := 0
	var starts []string
	for i := range ev.res.Runs {
		r := &ev.res.Runs[i]
		if !sel.matchRun(r) {
			continue
		}
		if from != nil || to != nil {
			if t := dur(r.TStart); from != nil && t < *from || to != nil && t > *to {
				continue
			}
		}
		n++
		if len(starts) < 5 {
			starts = append(starts, ev.clock(dur(r.TStart)))
		}
	}
	desc := sel.String() + " runs "
	switch {
	case lo != nil && hi != nil:
		desc += fmt.Sprintf("%d..%d", *lo, *hi)
	case lo != nil:
		desc += fmt.Sprintf("at least %d", *lo)
	case hi != nil:
		desc += fmt.Sprintf("at most %d", *hi)
	}
	desc += ev.windowText(from, to)
	ok := (lo == nil || n >= *lo) && (hi == nil || n <= *hi)
	detail := plural(n, "run", "runs")
	if n > 0 {
		detail += ": " + strings.Join(starts, ", ")
		if n > len(starts) {
			detail += ", …"
		}
	}
	if !ok && n == 0 {
		detail += "; " + ev.whyNot(sel, from, to)
	}
	return report.Expectation{Expect: desc, OK: ok, Detail: detail}
}

// expectMaxGap: the longest gap between consecutive successful runs, and from
// the first eligible moment to the first success, is at most limit.
// Within a window, only runs starting in it count, and the first gap is
// measured from the first eligible moment, or the window's start if later.
func (ev *evidence) expectMaxGap(sel selector, limit time.Duration, from, to *time.Duration) report.Expectation {
	desc := fmt.Sprintf("%s max gap %s", sel, formatDur(limit)) + ev.windowText(from, to)
	runs := ev.runsWithin(sel, from, to)
	if len(runs) == 0 {
		return report.Expectation{Expect: desc, OK: false, Detail: "never ran; " + ev.whyNot(sel, from, to)}
	}
	prev := dur(runs[0].Eligible)
	if from != nil && prev < *from {
		prev = *from
	}
	prevLabel := "first eligible"
	var worst time.Duration
	var worstFrom, worstTo time.Duration
	var worstFromLabel string
	successes := 0
	for _, r := range runs {
		if r.Outcome != "success" {
			continue
		}
		successes++
		t := dur(r.TStart)
		if g := t - prev; g > worst {
			worst, worstFrom, worstTo, worstFromLabel = g, prev, t, prevLabel
		}
		prev, prevLabel = t, "run"
	}
	if successes == 0 {
		return report.Expectation{Expect: desc, OK: false, Detail: fmt.Sprintf("no successful run among %s", plural(len(runs), "run", "runs"))}
	}
	detail := fmt.Sprintf("max gap %s between %s at %s and run at %s", formatDur(worst), worstFromLabel, ev.clock(worstFrom), ev.clock(worstTo))
	if why := ev.dominantDeferral(sel, worstFrom, worstTo); why != "" {
		detail += "; " + why
	}
	return report.Expectation{Expect: desc, OK: worst <= limit, Detail: detail}
}

// expectFirstRunWithin: the first run starts at most limit after registration.
func (ev *evidence) expectFirstRunWithin(sel selector, limit time.Duration) report.Expectation {
	desc := fmt.Sprintf("%s first run within %s of registration", sel, formatDur(limit))
	reg, ok := ev.registered[sel.String()]
	if !ok {
		return report.Expectation{Expect: desc, OK: false, Detail: "never registered"}
	}
	first := ev.firstRun(sel)
	if first == nil {
		return report.Expectation{Expect: desc, OK: false, Detail: fmt.Sprintf("registered at %s, never ran; %s", ev.clock(reg), ev.whyNot(sel, nil, nil))}
	}
	d := dur(first.TStart) - reg
	return report.Expectation{Expect: desc, OK: d <= limit,
		Detail: fmt.Sprintf("registered at %s, first run at %s (%s later)", ev.clock(reg), ev.clock(dur(first.TStart)), formatDur(d))}
}

// expectState: the final state of the selected work.
func (ev *evidence) expectState(sel selector, want string) report.Expectation {
	desc := fmt.Sprintf("%s state %s", sel, want)
	var states []string
	tasks := ev.tasks()
	for i := range tasks {
		t := &tasks[i]
		if sel.matchTask(t) {
			states = append(states, t.State)
		}
	}
	if len(states) == 0 {
		return report.Expectation{Expect: desc, OK: false, Detail: "no such task was ever registered"}
	}
	// With several works under one selector (e.g. a task name used twice) the
	// newest one decides, as the user sees it.
	got := states[len(states)-1]
	return report.Expectation{Expect: desc, OK: got == want, Detail: "state " + got}
}

// expectAttempts: the highest attempt number reached.
func (ev *evidence) expectAttempts(sel selector, want int, from, to *time.Duration) report.Expectation {
	desc := fmt.Sprintf("%s attempts %d", sel, want) + ev.windowText(from, to)
	most := 0
	var outcomes []string
	for _, r := range ev.runsWithin(sel, from, to) {
		most = max(most, r.Attempt)
		outcomes = append(outcomes, fmt.Sprintf("#%d %s at %s", r.Attempt, r.Outcome, ev.clock(dur(r.TStart))))
	}
	detail := plural(most, "attempt", "attempts")
	if len(outcomes) > 0 {
		if len(outcomes) > 6 {
			outcomes = append(outcomes[:3], append([]string{"…"}, outcomes[len(outcomes)-2:]...)...)
		}
		detail += ": " + strings.Join(outcomes, ", ")
	}
	return report.Expectation{Expect: desc, OK: most == want, Detail: detail}
}

func (ev *evidence) expectNoErrors() report.Expectation {
	desc := "no errors"
	if len(ev.res.Errors) == 0 {
		return report.Expectation{Expect: desc, OK: true, Detail: "no call was rejected"}
	}
	e := ev.res.Errors[0]
	return report.Expectation{Expect: desc, OK: false,
		Detail: fmt.Sprintf("%s: %s rejected with %s at %s: %s", plural(len(ev.res.Errors), "error", "errors"), e.Call, e.Code, ev.clock(dur(e.T)), e.Message)}
}

func (ev *evidence) expectError(call, code string) report.Expectation {
	desc := "error " + code
	if call != "" {
		desc = fmt.Sprintf("error %s from %s", code, call)
	}
	var seen []string
	for _, e := range ev.res.Errors {
		if (call == "" || e.Call == call) && e.Code == code {
			return report.Expectation{Expect: desc, OK: true, Detail: fmt.Sprintf("%s at %s: %s", e.Call, ev.clock(dur(e.T)), e.Message)}
		}
		seen = append(seen, e.Call+" "+e.Code)
	}
	detail := "no such error"
	if len(seen) > 0 {
		detail += "; errors seen: " + strings.Join(seen, ", ")
	}
	return report.Expectation{Expect: desc, OK: false, Detail: detail}
}

// subjects are the trace subjects that belong to sel: the unique names of the
// runs and tasks it selects.
func (ev *evidence) subjects(sel selector) []string {
	if sel.unique != "" {
		return []string{sel.unique}
	}
	var out []string
	tasks := ev.tasks()
	for i := range tasks {
		if t := &tasks[i]; t.Task == sel.task && !slices.Contains(out, t.Unique) {
			out = append(out, t.Unique)
		}
	}
	for _, u := range ev.uniquesOf[sel.task] {
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// dominantDeferral names the reason that held sel back for longest in
// [from, to], from the trace's deferred records.
func (ev *evidence) dominantDeferral(sel selector, from, to time.Duration) string {
	subs := ev.subjects(sel)
	type span struct {
		reason   string
		from, to time.Duration
	}
	var best span
	var cur *span
	closeAt := func(t time.Duration) {
		if cur != nil {
			cur.to = t
			if cur.to-cur.from > best.to-best.from {
				best = *cur
			}
			cur = nil
		}
	}
	for i := range ev.trace {
		r := &ev.trace[i]
		if r.At > to {
			break
		}
		if !slices.Contains(subs, r.Subject) {
			continue
		}
		switch r.Kind {
		case event.Deferred:
			at := max(r.At, from)
			closeAt(at)
			if r.At <= to {
				cur = &span{reason: r.Reason, from: at}
			}
		case event.Started, event.Cancelled, event.Finished:
			closeAt(max(r.At, from))
		}
	}
	closeAt(to)
	if best.reason == "" || best.to <= best.from {
		return ""
	}
	return fmt.Sprintf("held back %s (from %s to %s) by: %s", formatDur(best.to-best.from), ev.clock(best.from), ev.clock(best.to), best.reason)
}

// whyNot explains, from the trace, why sel did not run in a window.
func (ev *evidence) whyNot(sel selector, from, to *time.Duration) string {
	f, t := time.Duration(0), ev.end
	if from != nil {
		f = *from
	}
	if to != nil {
		t = *to
	}
	why := ev.dominantDeferral(sel, f, t)
	// Work that ran, but not in the window, is the first thing to say: a
	// device whose conditions differ from the scenario's (a fleet's usage
	// profile) often runs it earlier or later.
	if from != nil || to != nil {
		if out := ev.runs(sel); len(out) > 0 {
			var at []string
			for _, r := range out {
				if len(at) == 3 {
					at = append(at, "…")
					break
				}
				at = append(at, ev.clock(dur(r.TStart)))
			}
			text := fmt.Sprintf("%s outside the window: %s", plural(len(out), "run", "runs"), strings.Join(at, ", "))
			if why != "" {
				text += "; in the window it was " + why
			}
			return text
		}
	}
	if why != "" {
		return why
	}
	// A rejected registration or a cancel explains it; the plugin traces
	// rejections under the unique name even when its message does not name it.
	names := append(ev.subjects(sel), sel.task, sel.unique)
	for i := len(ev.trace) - 1; i >= 0; i-- {
		r := &ev.trace[i]
		if r.Subject == "" || !slices.Contains(names, r.Subject) {
			continue
		}
		switch r.Kind {
		case event.Rejected, event.CallRejected, event.Cancelled:
			return fmt.Sprintf("%s at %s: %s", strings.TrimPrefix(string(string(string(r.Kind))), "call."), ev.clock(r.At), r.Reason)
		}
	}
	// Without a trace (a bare result document), an error explains sel only if
	// it names it: a rejected call for other work is no reason.
	for _, e := range ev.res.Errors {
		for _, n := range names {
			if n != "" && strings.Contains(e.Message, n) {
				return fmt.Sprintf("%s failed with %s: %s", e.Call, e.Code, e.Message)
			}
		}
	}
	if !ev.everRegistered(sel) && len(ev.registered)+len(ev.uniquesOf) > 0 {
		return "it was never registered"
	}
	return "the trace records no reason"
}

// everRegistered reports whether a registration call named sel, accepted or
// not.
func (ev *evidence) everRegistered(sel selector) bool {
	if _, ok := ev.registered[sel.String()]; ok {
		return true
	}
	if len(ev.uniquesOf[sel.task]) > 0 {
		return true
	}
	for _, us := range ev.uniquesOf {
		if slices.Contains(us, sel.unique) {
			return true
		}
	}
	return false
}

// formatDur prints a duration compactly: 6h12m, 30s, 1d2h.
func formatDur(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	var b strings.Builder
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * 24 * time.Hour
	}
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
		d -= m * time.Minute
	}
	if s := d / time.Second; s > 0 {
		fmt.Fprintf(&b, "%ds", s)
		d -= s * time.Second
	}
	if ms := d / time.Millisecond; ms > 0 && b.Len() == 0 {
		fmt.Fprintf(&b, "%dms", ms)
	}
	if b.Len() == 0 {
		return "0s"
	}
	return b.String()
}
