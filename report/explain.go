// Explain: the story of one task in words, or the reason in force at one
// instant (Selector.At), for `wmsim explain`.

package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// Selector picks the task Explain tells the story of: by the taskName the
// dispatcher receives (Task), or by unique name (Unique; on iOS the
// identifier). With At set, Explain answers what held the task at that
// offset from the start instead of telling the whole story.
type Selector struct {
	Task   string
	Unique string
	At     *time.Duration
}

// Explain writes the story of one task, in order: its registration (with
// clamps and warnings), each time it became due, every interval it was held
// back and by what, each run and its outcome, and a one-line summary. With
// sel.At it then answers "why isn't it running at T": the task's state and
// the reason in force at that instant, the device's state, and what
// happened next. Everything is read from the trace's reasons and the
// result's runs, not re-derived. A selector matching several unique names
// explains each.
func Explain(w io.Writer, res *Result, trace []Record, start time.Time, sel Selector) error {
	if res == nil {
		return errors.New("explain: no result to explain")
	}
	if sel.Task == "" && sel.Unique == "" {
		return errors.New("explain: name the task to explain: a taskName or a unique name")
	}
	m := buildPrintableModel(res, trace, start)
	// The model's names are Printable copies; match the selector the same way.
	sel.Task, sel.Unique = Printable(sel.Task), Printable(sel.Unique)
	stories := m.selectStories(sel)
	if len(stories) == 0 {
		return m.unknownTask(sel)
	}
	if sel.At != nil && (*sel.At < 0 || *sel.At > m.Horizon) {
		return fmt.Errorf("explain: %s is outside the run, which lasts %s (%s → %s)",
			fmtOffset(*sel.At), fmtDur(m.Horizon), fmtClock(m.Start, 0), fmtClock(m.Start, m.Horizon))
	}
	ew := &errWriter{w: w}
	for i, st := range stories {
		if i > 0 {
			ew.printf("\n")
		}
		m.explainStory(ew, st)
		if sel.At != nil {
			m.explainAt(ew, st, *sel.At)
		}
	}
	return ew.err
}

// errWriter keeps the first write error so rendering code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}

func (e *errWriter) write(s string) {
	if e.err != nil {
		return
	}
	_, e.err = io.WriteString(e.w, s)
}

func (m *model) selectStories(sel Selector) []*story {
	var out []*story
	for _, st := range m.Tasks {
		switch {
		case sel.Unique != "" && st.Unique == sel.Unique:
			if sel.Task == "" || st.Task == sel.Task {
				out = append(out, st)
			}
		case sel.Unique == "" && sel.Task != "" && st.Task == sel.Task:
			out = append(out, st)
		}
	}
	if len(out) == 0 && sel.Unique == "" {
		// An iOS identifier is the unique name; accept it as --task too.
		if st, ok := m.byUnique[sel.Task]; ok {
			out = append(out, st)
		}
	}
	if len(out) == 0 {
		// A name the OS never accepted (every request rejected: not
		// permitted, Background App Refresh off) has no lane, but its
		// records tell why.
		name := sel.Unique
		if name == "" {
			name = sel.Task
		}
		st := &story{Unique: name, Task: sel.Task}
		if _, known := m.byUnique[name]; known {
			return out
		}
		for i := range m.Trace {
			if r := &m.Trace[i]; r.Subject == name && r.Source != event.SourceDevice {
				st.Records = append(st.Records, r)
			}
		}
		if len(st.Records) > 0 {
			out = append(out, st)
		}
	}
	return out
}

func (m *model) unknownTask(sel Selector) error {
	what := "task " + quote(sel.Task)
	if sel.Unique != "" {
		what = "unique name " + quote(sel.Unique)
		if sel.Task != "" {
			what += " with task " + quote(sel.Task)
		}
	}
	if len(m.Tasks) == 0 {
		return fmt.Errorf("explain: no %s in this run: nothing was registered", what)
	}
	var known []string
	for _, st := range m.Tasks {
		if st.Task != "" && st.Task != st.Unique {
			known = append(known, st.Unique+" (task "+st.Task+")")
		} else {
			known = append(known, st.Unique)
		}
	}
	return fmt.Errorf("explain: no %s in this run; known: %s", what, strings.Join(known, ", "))
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func (m *model) header(ew *errWriter, st *story) {
	name := st.Unique
	if st.Task != "" && st.Task != st.Unique {
		name += " (task " + st.Task + ")"
	}
	ew.printf("%s on %s, scenario %s, %s from %s\n", name, orDash(m.Res.Platform), orDash(m.Res.Scenario),
		fmtDur(m.Horizon), m.Start.Format("2006-01-02 15:04 MST"))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// entry is one line of a story, ordered by time, then rank, then trace order.
type entry struct {
	At   time.Duration
	Rank int
	Seq  uint64
	Text string
}

const (
	rankDue = iota
	rankRecord
	rankHold
	rankRun
)

func (m *model) explainStory(ew *errWriter, st *story) {
	m.header(ew, st)
	for _, e := range m.storyEntries(st) {
		ew.printf("  %-26s %s\n", fmtAt(m.Start, e.At), e.Text)
	}
	ew.printf("summary: %s\n", m.summary(st))
}

// storyEntries are the lines of a task's story in order.
func (m *model) storyEntries(st *story) []entry {
	var es []entry
	add := func(at time.Duration, rank int, seq uint64, text string) {
		es = append(es, entry{At: at, Rank: rank, Seq: seq, Text: text})
	}
	haveRuns := len(st.Runs) > 0
	for _, r := range st.Records {
		if r.Kind == event.Deferred {
			continue // told as holds
		}
		if haveRuns && runKinds[r.Kind] {
			continue // told from the result's runs
		}
		add(r.At, rankRecord, r.Seq, recordLine(r))
	}
	for _, wn := range m.Res.Warnings {
		if mentions(wn.Message, st) && !hasWarningAt(st, secDur(wn.T)) {
			add(secDur(wn.T), rankRecord, 0, "warning "+wn.Code+": "+wn.Message)
		}
	}
	for _, e := range m.Res.Errors {
		if mentions(e.Message, st) {
			add(secDur(e.T), rankRecord, 0, "error "+e.Code+" from "+e.Call+": "+e.Message)
		}
	}
	for _, h := range st.Holds {
		add(h.From, rankHold, 0, m.holdLine(h))
	}
	dues := map[time.Duration]bool{}
	for _, r := range st.Runs {
		el := secDur(r.Eligible)
		if !dues[el] {
			dues[el] = true
			add(el, rankDue, 0, fmt.Sprintf("due (attempt %d)", r.Attempt))
		}
		add(secDur(r.TStart), rankRun, 0, m.runLine(st, r))
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		if c := cmpDur(a.At, b.At); c != 0 {
			return c
		}
		if a.Rank != b.Rank {
			return a.Rank - b.Rank
		}
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	return es
}

// runKinds are the records a run in the result tells in one line: the OS
// picking it, starting and ending it, and the plugin's steps in between.
var runKinds = map[event.Kind]bool{
	event.Ready: true, event.Started: true, event.Finished: true, event.Completed: true, event.Stopped: true, event.Expired: true,
	event.WorkerStarted: true, event.EngineStarting: true, event.TaskDelivered: true, event.TaskFinished: true,
}

// endRecord finds the record that closed run r: a stop or expiry if there
// is one, else a finish, at or before the run's end.
func endRecord(st *story, r Run) *sim.Record {
	s, e := secDur(r.TStart), secDur(r.TEnd)
	var fin *sim.Record
	for _, rec := range st.Records {
		if rec.At < s-time.Millisecond || rec.At > e+time.Millisecond || !endKinds[rec.Kind] {
			continue
		}
		if rec.Kind == event.Stopped || rec.Kind == event.Expired {
			return rec
		}
		if fin == nil {
			fin = rec
		}
	}
	return fin
}

// endText is a run's outcome with its stop reason and the trace's reason
// for the end (a stop, an expiry, what comes next) when it says more:
// "retry: backoff 30s", "stopped (TIMEOUT): execution limit 10m reached".
func endText(st *story, r Run) string {
	out := orDash(r.Outcome)
	if r.StopReason != "" {
		out += " (" + r.StopReason + ")"
	}
	rec := endRecord(st, r)
	switch {
	case rec == nil || rec.Reason == "" || rec.Reason == r.Outcome:
	case r.StopReason == "" && strings.HasPrefix(rec.Reason, r.Outcome+":"):
		out = rec.Reason
	default:
		out += ": " + rec.Reason
	}
	return out
}

// recordLine tells one trace record: its kind, its reason (or its fields)
// and which layer decided.
func recordLine(r *sim.Record) string {
	var b strings.Builder
	b.WriteString(string(string(r.Kind)))
	if r.Reason != "" {
		b.WriteString(": ")
		b.WriteString(r.Reason)
	} else if len(r.Fields) > 0 {
		b.WriteString(":")
		for _, f := range r.Fields {
			b.WriteString(" ")
			b.WriteString(f.Key)
			b.WriteString("=")
			b.WriteString(fmtValue(f))
		}
	}
	if r.Source != "" {
		b.WriteString(string(string("  [" + r.Source + "]")))
	}
	return b.String()
}

func mentions(msg string, st *story) bool {
	if st.Unique != "" && strings.Contains(msg, st.Unique) {
		return true
	}
	return st.Task != "" && len(st.Task) >= 3 && strings.Contains(msg, st.Task)
}

// hasWarningAt reports whether the trace already tells a warning or clamp
// of this task at that instant (the result's warnings repeat them).
func hasWarningAt(st *story, at time.Duration) bool {
	for _, r := range st.Records {
		if (r.Kind == event.Warning || r.Kind == event.Clamped) && r.At == at {
			return true
		}
	}
	return false
}

func (m *model) holdLine(h hold) string {
	var b strings.Builder
	if isWaiting(h.Class) {
		fmt.Fprintf(&b, "held back %s by %s, until %s", fmtDur(h.To-h.From), classLabel(h.Class), fmtAt(m.Start, h.To))
	} else {
		fmt.Fprintf(&b, "not due for %s, until %s", fmtDur(h.To-h.From), fmtAt(m.Start, h.To))
	}
	switch {
	case !isWaiting(h.Class) && !h.Open:
	case h.Open:
		b.WriteString(" (still held when the run ended)")
	case h.EndedBy == "ready":
		b.WriteString(" when it became ready to start")
	case h.EndedBy == "cancelled" || h.EndedBy == "rejected":
		b.WriteString(" when it was " + h.EndedBy)
	case h.EndedBy != "" && h.EndedBy != "deferred":
		b.WriteString(" when it " + h.EndedBy)
	}
	b.WriteString(": " + orDash(h.Reason))
	if h.Source != "" {
		b.WriteString("  [" + h.Source + "]")
	}
	if h.Count > 1 {
		fmt.Fprintf(&b, " (%d evaluations", h.Count)
		if h.Last != "" {
			b.WriteString("; last: " + h.Last)
		}
		b.WriteString(")")
	}
	return b.String()
}

func (m *model) runLine(st *story, r Run) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ran attempt %d for %s → %s", r.Attempt, fmtDur(secDur(r.TEnd)-secDur(r.TStart)), endText(st, r))
	if r.Received != "" && r.Received != r.Task {
		b.WriteString("; dispatcher received " + quote(r.Received))
	}
	if d := secDur(r.TStart) - secDur(r.Eligible); d > 0 {
		b.WriteString("; " + fmtDur(d) + " after it was due")
	}
	if r.WhyThen != "" {
		b.WriteString("; why then: " + r.WhyThen)
	}
	return b.String()
}

// waiting sums a story's hold time by class, for the classes that count as
// waiting, largest first.
type classTime struct {
	Class string
	D     time.Duration
}

func waitingByClass(st *story) ([]classTime, time.Duration) {
	by := map[string]time.Duration{}
	var total time.Duration
	for _, h := range st.Holds {
		if !isWaiting(h.Class) {
			continue
		}
		by[h.Class] += h.To - h.From
		total += h.To - h.From
	}
	var out []classTime
	for c, d := range by {
		out = append(out, classTime{c, d})
	}
	slices.SortFunc(out, func(a, b classTime) int {
		if a.D != b.D {
			return cmpDur(b.D, a.D)
		}
		return strings.Compare(a.Class, b.Class)
	})
	return out, total
}

func pct(part, total time.Duration) int64 {
	if total <= 0 {
		return 0
	}
	return int64((part*100 + total/2) / total)
}

// summary is the story in one line: "ran 4 times in 24h (3 succeeded, 1
// retried); 71% of its waiting time was Doze, 29% unmet constraints".
func (m *model) summary(st *story) string {
	var b strings.Builder
	n := len(st.Runs)
	var ok, retry, fail, stop int
	if n > 0 {
		for _, r := range st.Runs {
			switch r.Outcome {
			case "success":
				ok++
			case "retry":
				retry++
			case "failure":
				fail++
			case "stopped", "expired":
				stop++
			}
		}
	} else {
		for _, r := range st.Records {
			if r.Kind == event.Started {
				n++
			}
		}
	}
	if n == 0 {
		b.WriteString("never ran in " + fmtDur(m.Horizon))
	} else {
		b.WriteString("ran " + plural(n, "time", "times") + " in " + fmtDur(m.Horizon))
		var parts []string
		for _, p := range []struct {
			n    int
			word string
		}{{ok, "succeeded"}, {retry, "retried"}, {fail, "failed"}, {stop, "stopped"}} {
			if p.n > 0 {
				parts = append(parts, itoa(int64(p.n))+" "+p.word)
			}
		}
		if len(parts) > 0 {
			b.WriteString(" (" + strings.Join(parts, ", ") + ")")
		}
	}
	classes, total := waitingByClass(st)
	switch {
	case len(st.Holds) == 0:
		b.WriteString("; no deferral was recorded")
	case total == 0:
		b.WriteString("; it was never held back once due")
	default:
		var parts []string
		for i, c := range classes {
			if i > 0 && (i >= 3 || pct(c.D, total) < 5) {
				break
			}
			parts = append(parts, itoa(pct(c.D, total))+"% "+classLabel(c.Class))
		}
		parts[0] = strings.Replace(parts[0], "% ", "% of its "+fmtDur(total)+" waiting time was ", 1)
		b.WriteString("; " + strings.Join(parts, ", "))
	}
	if g := m.globalHolds(); g != "" {
		if out := b.String(); strings.HasSuffix(out, "; it was never held back once due") {
			b.Reset()
			b.WriteString(strings.TrimSuffix(out, "it was never held back once due") + "no deferral of its own held it back once due")
		}
		b.WriteString("; " + g)
	}
	if len(st.Holds) > 0 {
		if last := st.Holds[len(st.Holds)-1]; last.Open && isWaiting(last.Class) {
			r := last.Reason
			if last.Last != "" {
				r = last.Last
			}
			b.WriteString("; at the end still held by " + classLabel(last.Class) + ": " + orDash(r))
		}
	}
	return b.String()
}

// explainAt answers "why isn't it running at T": the task's state and the
// reason in force at that instant, then the device's state.
func (m *model) explainAt(ew *errWriter, st *story, t time.Duration) {
	ew.printf("at %s: %s\n", fmtAt(m.Start, t), m.stateAt(st, t))
	ew.printf("device: %s\n", m.deviceAt(t))
	if next := m.nextAfter(st, t); next != "" {
		ew.printf("next: %s\n", next)
	}
}

func (m *model) stateAt(st *story, t time.Duration) string {
	for _, r := range st.Runs {
		if s, e := secDur(r.TStart), secDur(r.TEnd); s <= t && t < e && s < e {
			line := fmt.Sprintf("running attempt %d since %s", r.Attempt, fmtAt(m.Start, s))
			if r.WhyThen != "" {
				line += " (why then: " + r.WhyThen + ")"
			}
			return line
		}
	}
	if cs := m.causesAt(st, t); len(cs) > 0 {
		return "held back by " + m.causesText(cs)
	}
	var last *sim.Record
	for _, r := range st.Records {
		if r.At > t {
			break
		}
		if taskKinds[r.Kind] {
			last = r
		}
	}
	var lastRun *Run
	for i := range st.Runs {
		if secDur(st.Runs[i].TEnd) <= t {
			lastRun = &st.Runs[i]
		}
	}
	switch {
	case last == nil && lastRun == nil:
		if first := m.firstAt(st); first >= 0 {
			return "not registered yet (first seen at " + fmtAt(m.Start, first) + ")"
		}
		return "nothing was recorded for it"
	case last != nil && (last.Kind == event.Cancelled || last.Kind == event.Rejected):
		return string(last.Kind) + " at " + fmtAt(m.Start, last.At) + ": " + orDash(last.Reason)
	case lastRun != nil && (last == nil || secDur(lastRun.TEnd) >= last.At):
		return fmt.Sprintf("idle: its last run (attempt %d) ended at %s → %s, and no deferral is in force",
			lastRun.Attempt, fmtAt(m.Start, secDur(lastRun.TEnd)), orDash(lastRun.Outcome))
	default:
		return "idle: last event " + string(last.Kind) + " at " + fmtAt(m.Start, last.At) + ": " + orDash(last.Reason) +
			"; no deferral is in force"
	}
}

func (m *model) firstAt(st *story) time.Duration {
	first := time.Duration(-1)
	if len(st.Records) > 0 {
		first = st.Records[0].At
	}
	if len(st.Runs) > 0 {
		if s := secDur(st.Runs[0].Eligible); first < 0 || s < first {
			first = s
		}
	}
	return first
}

// nextAfter names what happened to the task next after t.
func (m *model) nextAfter(st *story, t time.Duration) string {
	for _, r := range st.Runs {
		el, s := secDur(r.Eligible), secDur(r.TStart)
		if s <= t {
			continue
		}
		out := fmt.Sprintf("attempt %d started at %s", r.Attempt, fmtAt(m.Start, s))
		if el > t {
			out = fmt.Sprintf("due at %s; ", fmtAt(m.Start, el)) + out
		}
		if r.WhyThen != "" {
			out += " (why then: " + r.WhyThen + ")"
		}
		return out
	}
	for _, r := range st.Records {
		if r.At > t && (r.Kind == event.Started || r.Kind == event.Cancelled) {
			return string(r.Kind) + " at " + fmtAt(m.Start, r.At)
		}
	}
	out := "it did not run again before the end (" + fmtAt(m.Start, m.Horizon) + ")"
	if cs := m.causesAt(st, m.Horizon); len(cs) > 0 {
		out += ": held back by " + m.causesText(cs)
	}
	return out
}
