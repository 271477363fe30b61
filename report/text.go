// WriteText and WriteTextMulti: the text `wmsim run` prints, a timeline,
// the per-task table and the verdicts.

package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// TextOptions shape the text output of `wmsim run`. The CLI sets Color from
// isatty and NO_COLOR.
type TextOptions struct {
	Color    bool // ANSI colours for verdicts, deferrals and failures
	Timeline bool // include the event timeline before the tables
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

type painter bool

func (p painter) paint(code, s string) string {
	if !p || s == "" {
		return s
	}
	return code + s + ansiReset
}

// WriteText writes one platform's run for a person: a header, optionally a
// compact timeline (offset and clock time, device signals, task events), the
// per-task table, and the verdicts on expectations and invariants.
func WriteText(w io.Writer, res *Result, trace []Record, start time.Time, opts TextOptions) error {
	if res == nil {
		return errors.New("report: no result to write")
	}
	ew := &errWriter{w: w}
	writeText(ew, buildPrintableModel(res, trace, start), opts)
	return ew.err
}

// WriteTextMulti writes several platforms' runs of one scenario (traces[i]
// goes with results[i]; a missing trace is treated as empty), then one line
// with each platform's verdict.
func WriteTextMulti(w io.Writer, results []*Result, traces [][]Record, start time.Time, opts TextOptions) error {
	if len(results) == 0 {
		return errors.New("report: no results to write")
	}
	ew := &errWriter{w: w}
	p := painter(opts.Color)
	var verdicts []string
	for i, res := range results {
		if res == nil {
			return fmt.Errorf("report: result %d is missing", i)
		}
		if i > 0 {
			ew.write("\n")
		}
		var tr []sim.Record
		if i < len(traces) {
			tr = traces[i]
		}
		writeText(ew, buildPrintableModel(res, tr, start), opts)
		verdicts = append(verdicts, orDash(Printable(res.Platform))+" "+verdictWord(p, res))
	}
	ew.write("\n" + strings.Join(verdicts, ", ") + "\n")
	return ew.err
}

func verdictWord(p painter, res *Result) string {
	switch {
	case res.Limit != "":
		return p.paint(ansiRed+ansiBold, "LIMIT")
	case res.Passed():
		return p.paint(ansiGreen+ansiBold, "PASS")
	}
	return p.paint(ansiRed+ansiBold, "FAIL")
}

func writeText(ew *errWriter, m *model, opts TextOptions) {
	p := painter(opts.Color)
	res := m.Res
	ew.printf("%s on %s (seed %d)\n", p.paint(ansiBold, orDash(res.Scenario)), orDash(res.Platform), res.Seed)
	ew.printf("  %s → %s (%s)\n", orDash(res.Start), orDash(res.End), fmtDur(m.Horizon))
	if opts.Timeline {
		ew.write("\n" + p.paint(ansiBold, "timeline") + "\n")
		m.writeTimeline(ew, p)
	}
	ew.write("\n" + p.paint(ansiBold, "tasks") + "\n")
	writeTable(ew, taskTable(taskStats(res)))
	writeVerdicts(ew, m, p)
}

// writeTimeline prints one line per event worth a person's attention:
// device signal changes (not every battery percent), Doze and bucket
// changes, and task events, with a run's start and end on one line and
// repeated deferrals for the same reason folded into the first.
func (m *model) writeTimeline(ew *errWriter, p painter) {
	if len(m.Trace) == 0 {
		m.writeRunTimeline(ew, p)
		return
	}
	type line struct {
		at            time.Duration
		subject, text string
	}
	var lines []line
	width := 6
	lastDefer := map[string]string{} // subject → class of a deferral not yet followed by another event
	ran := map[string]bool{}         // subjects that have started once
	lastDoze := ""
	folded := map[string]int{}
	merged := map[*sim.Record]bool{} // finished records told on their run's line
	for i := range m.Trace {
		r := &m.Trace[i]
		if merged[r] || (r.Source == srcDevice && r.Kind == event.BatteryLevel) || r.Source == event.SourcePluginDebug {
			continue
		}
		if st, ok := m.byUnique[r.Subject]; ok && len(st.Runs) > 0 && runKinds[r.Kind] && r.Kind != event.Started &&
			isTaskRecord(r) {
			continue // told on the run's line
		}
		subject, text := r.Subject, ""
		switch {
		case r.Source == srcDevice:
			subject, text = "device", r.Reason
			if text == "" {
				text = string(string(r.Kind))
			} else if !strings.HasPrefix(text, string(string(string(r.Kind)))) && !strings.HasPrefix(string(r.Kind), "app.") {
				text = string(r.Kind) + ": " + text
			}
		case r.Source == srcDoze && isSignalRecord(r) && dozeState(r) != "":
			if dozeState(r) == lastDoze {
				continue // a step of the other (light or deep) machine that changes nothing shown
			}
			lastDoze = dozeState(r)
			subject, text = "doze", "Doze "+dozeState(r)+" "+parens(r.Reason)
		case r.Source == srcStandby && isSignalRecord(r) && bucketOf(r) != "":
			subject, text = "standby", "bucket "+bucketOf(r)+" "+parens(r.Reason)
		default:
			if isTaskRecord(r) {
				if r.Kind == event.Started {
					ran[r.Subject] = true
				}
				if r.Kind == event.Deferred {
					cls := holdClass(r)
					if cls == "not_due" && ran[r.Subject] {
						continue // the wait for the next period; the run's line says when
					}
					if lastDefer[r.Subject] == cls {
						folded[r.Subject]++
						continue
					}
					lastDefer[r.Subject] = cls
				} else {
					delete(lastDefer, r.Subject)
				}
			}
			text = m.taskEventText(r, p, merged)
		}
		width = max(width, utf8.RuneCountInString(subject))
		lines = append(lines, line{r.At, subject, strings.TrimSpace(text)})
	}
	for _, l := range lines {
		ew.printf("  %s  %s  %s %s\n", p.paint(ansiDim, pad(fmtOffset(l.at), 13)), fmtClock(m.Start, l.at), pad(l.subject, width), l.text)
	}
	var subjects []string
	for s, n := range folded {
		if n > 0 {
			subjects = append(subjects, s)
		}
	}
	slices.Sort(subjects)
	for _, s := range subjects {
		ew.printf("  (%s: %s repeated deferrals for the same reason folded into the first; `wmsim explain` lists them)\n",
			s, itoa(int64(folded[s])))
	}
}

// taskEventText tells one task record. A start whose run is in the result
// becomes one line with the run's length and outcome; its finished record
// is then marked merged.
func (m *model) taskEventText(r *sim.Record, p painter, merged map[*sim.Record]bool) string {
	src := "  [" + shortSource(string(string(r.Source))) + "]"
	if r.Source == "" {
		src = ""
	}
	if r.Kind == event.Started {
		if st, ok := m.byUnique[r.Subject]; ok {
			for _, run := range st.Runs {
				if !sameInstant(r.At, secDur(run.TStart)) {
					continue
				}
				end := secDur(run.TEnd)
				out := endText(st, run)
				if run.Outcome == "success" {
					out = p.paint(ansiGreen, out)
				} else {
					out = p.paint(ansiRed, out)
				}
				why := ""
				if run.WhyThen != "" {
					why = "; " + run.WhyThen
				}
				return fmt.Sprintf("ran attempt %d, %s → %s%s%s", run.Attempt, fmtDur(end-r.At), out, why, src)
			}
		}
	}
	kind := string(r.Kind)
	switch r.Kind {
	case event.Deferred, event.Warning, event.Clamped:
		kind = p.paint(ansiYellow, kind)
	case event.Stopped, event.Expired, event.Rejected, event.Cancelled:
		kind = p.paint(ansiRed, kind)
	case event.Finished:
		if o := outcomeOf(r); o != "" && o != "success" {
			kind = p.paint(ansiRed, kind)
		} else {
			kind = p.paint(ansiGreen, kind)
		}
	}
	text := r.Reason
	if o := outcomeOf(r); o != "" && !strings.Contains(text, o) {
		text = strings.TrimSpace(o + " " + text)
	}
	if text == "" {
		return kind + src
	}
	return kind + ": " + text + src
}

func parens(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// writeRunTimeline is the timeline when no trace was kept: the runs alone.
func (m *model) writeRunTimeline(ew *errWriter, p painter) {
	type ev struct {
		at   time.Duration
		line string
	}
	var evs []ev
	for _, r := range m.Res.Runs {
		evs = append(evs, ev{secDur(r.TStart), fmt.Sprintf("%-18s started attempt %d (%s)", r.Unique, r.Attempt, r.WhyThen)})
		out := r.Outcome
		if out != "success" {
			out = p.paint(ansiRed, out)
		}
		evs = append(evs, ev{secDur(r.TEnd), fmt.Sprintf("%-18s finished %s", r.Unique, out)})
	}
	slices.SortStableFunc(evs, func(a, b ev) int { return cmpDur(a.at, b.at) })
	if len(evs) == 0 {
		ew.write("  (no events)\n")
	}
	for _, e := range evs {
		ew.printf("  %s  %s  %s\n", p.paint(ansiDim, pad(fmtOffset(e.at), 13)), fmtClock(m.Start, e.at), e.line)
	}
}

// shortSource drops the platform prefix of a source: "jobscheduler", "dasd".
func shortSource(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s
}

func padLeft(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return strings.Repeat(" ", n-k) + s
	}
	return s
}

// table is a plain text table; numeric columns are right-aligned.
type table struct {
	Head  []string
	Right []bool
	Rows  [][]string
}

func writeTable(ew *errWriter, t table) {
	if len(t.Rows) == 0 {
		ew.write("  (no tasks)\n")
		return
	}
	width := make([]int, len(t.Head))
	for i, h := range t.Head {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		b.WriteString(" ")
		for i := range t.Head {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(" ")
			if t.Right[i] {
				b.WriteString(padLeft(c, width[i]))
			} else if i == len(t.Head)-1 {
				b.WriteString(c)
			} else {
				b.WriteString(pad(c, width[i]))
			}
		}
		ew.write(strings.TrimRight(b.String(), " ") + "\n")
	}
	line(t.Head)
	for _, r := range t.Rows {
		line(r)
	}
}

func delayCell(d time.Duration, ok bool) string {
	if !ok {
		return "-"
	}
	return fmtDur(d)
}

func taskTable(stats []runStats) table {
	t := table{
		Head:  []string{"UNIQUE", "TASK", "STATE", "RUNS", "OK", "RETRY", "FAIL", "STOP", "MEDIAN DELAY", "MAX DELAY"},
		Right: []bool{false, false, false, true, true, true, true, true, true, true},
	}
	for _, s := range stats {
		md, mok := s.median()
		xd, xok := s.maxDelay()
		t.Rows = append(t.Rows, []string{s.Unique, orDash(s.Task), orDash(s.State), itoa(int64(s.Runs)),
			itoa(int64(s.Successes)), itoa(int64(s.Retries)), itoa(int64(s.Failures)), itoa(int64(s.Stops)),
			delayCell(md, mok), delayCell(xd, xok)})
	}
	return t
}

func writeVerdicts(ew *errWriter, m *model, p painter) {
	res := m.Res
	ew.write("\n" + p.paint(ansiBold, "expectations") + "\n")
	if len(res.Expectations) == 0 {
		ew.write("  (none)\n")
	}
	for _, e := range res.Expectations {
		mark := p.paint(ansiGreen, "✓")
		if !e.OK {
			mark = p.paint(ansiRed, "✗")
		}
		ew.printf("  %s %s", mark, e.Expect)
		if e.Detail != "" {
			ew.printf(" (%s)", e.Detail)
		}
		ew.write("\n")
	}
	inv := res.Invariants
	mark := p.paint(ansiGreen, "✓")
	if len(inv.Violations) > 0 {
		mark = p.paint(ansiRed, "✗")
	}
	ew.printf("  %s invariants: %s checked, %s\n", mark, itoa(int64(inv.Checked)), plural(len(inv.Violations), "violation", "violations"))
	for _, v := range inv.Violations {
		ew.printf("      %s %s %s: %s\n", fmtAt(m.Start, secDur(v.T)), v.Invariant, v.Subject, v.Detail)
	}
	if len(res.Errors) > 0 {
		ew.write("\n" + p.paint(ansiBold, "errors") + "\n")
		for _, e := range res.Errors {
			seen := "not seen by the app"
			if e.SeenByApp {
				seen = "seen by the app"
			}
			if e.Source != "" {
				seen += ", from " + e.Source
			}
			ew.printf("  %s %s %s: %s (%s)\n", fmtAt(m.Start, secDur(e.T)), e.Call, p.paint(ansiRed, e.Code), e.Message, seen)
		}
	}
	if len(res.Calls) > 0 {
		ew.write("\n" + p.paint(ansiBold, "calls") + "\n")
		for i, c := range res.Calls {
			if i == maxCallLines {
				ew.printf("  … %d more (the JSON result lists them all)\n", len(res.Calls)-maxCallLines)
				break
			}
			ew.printf("  %s %s\n", fmtAt(m.Start, secDur(c.T)), callLine(c))
		}
	}
	if len(res.Warnings) > 0 {
		ew.write("\n" + p.paint(ansiBold, "warnings") + "\n")
		for _, wn := range res.Warnings {
			ew.printf("  %s %s: %s\n", fmtAt(m.Start, secDur(wn.T)), p.paint(ansiYellow, wn.Code), wn.Message)
		}
	}
	if res.Limit != "" {
		ew.printf("\n%s %s\n", p.paint(ansiRed+ansiBold, "stopped at a safety limit:"), res.Limit)
	}
	ok := 0
	for _, e := range res.Expectations {
		if e.OK {
			ok++
		}
	}
	ew.printf("\n%s: %d of %d expectations held, %s\n", verdictWord(p, res), ok, len(res.Expectations),
		plural(len(inv.Violations), "invariant violation", "invariant violations"))
}

// Compare writes the Android and iOS task tables of one scenario side by
// side, the tasks whose figures differ most first (by runs, then successes,
// then median delay), followed by both platforms' expectation verdicts.
// Tasks are matched by unique name, then by task name.
func Compare(w io.Writer, android, ios *Result) error {
	if android == nil || ios == nil {
		return errors.New("compare: need both an Android and an iOS result")
	}
	android, ios = printableResult(android), printableResult(ios)
	a, b := taskStats(android), taskStats(ios)
	type pair struct {
		key  string
		a, b *runStats
	}
	var pairs []*pair
	find := func(s *runStats) *pair {
		for _, p := range pairs {
			if p.a != nil && p.b == nil && (p.a.Unique == s.Unique) {
				return p
			}
		}
		for _, p := range pairs {
			if p.a != nil && p.b == nil && p.a.Task == s.Task && s.Task != "" {
				return p
			}
		}
		return nil
	}
	for i := range a {
		pairs = append(pairs, &pair{key: a[i].Unique, a: &a[i]})
	}
	for i := range b {
		if p := find(&b[i]); p != nil {
			p.b = &b[i]
		} else {
			pairs = append(pairs, &pair{key: b[i].Unique, b: &b[i]})
		}
	}
	val := func(s *runStats) (runs, ok int, med time.Duration) {
		if s == nil {
			return 0, 0, 0
		}
		md, _ := s.median()
		return s.Runs, s.Successes, md
	}
	absInt := func(x int) int {
		if x < 0 {
			return -x
		}
		return x
	}
	slices.SortStableFunc(pairs, func(x, y *pair) int {
		xr1, xo1, xm1 := val(x.a)
		xr2, xo2, xm2 := val(x.b)
		yr1, yo1, ym1 := val(y.a)
		yr2, yo2, ym2 := val(y.b)
		if d1, d2 := absInt(xr1-xr2), absInt(yr1-yr2); d1 != d2 {
			return d2 - d1
		}
		if d1, d2 := absInt(xo1-xo2), absInt(yo1-yo2); d1 != d2 {
			return d2 - d1
		}
		if d1, d2 := (xm1 - xm2).Abs(), (ym1 - ym2).Abs(); d1 != d2 {
			return cmpDur(d2, d1)
		}
		return strings.Compare(x.key, y.key)
	})
	t := table{
		Head:  []string{"TASK", "ANDROID RUNS", "OK", "FAIL", "MEDIAN DELAY", "│", "IOS RUNS", "OK", "FAIL", "MEDIAN DELAY", "│", "ΔRUNS"},
		Right: []bool{false, true, true, true, true, false, true, true, true, true, false, true},
	}
	cells := func(s *runStats) []string {
		if s == nil {
			return []string{"-", "-", "-", "-"}
		}
		md, ok := s.median()
		return []string{itoa(int64(s.Runs)), itoa(int64(s.Successes)), itoa(int64(s.Failures + s.Stops)), delayCell(md, ok)}
	}
	for _, p := range pairs {
		name := p.key
		if p.a != nil && p.b != nil && p.a.Unique != p.b.Unique {
			name = p.a.Unique + " / " + p.b.Unique
		}
		r1, _, _ := val(p.a)
		r2, _, _ := val(p.b)
		delta := r2 - r1
		ds := itoa(int64(delta))
		if delta > 0 {
			ds = "+" + ds
		}
		row := append([]string{name}, cells(p.a)...)
		row = append(row, "│")
		row = append(row, cells(p.b)...)
		row = append(row, "│", ds)
		t.Rows = append(t.Rows, row)
	}
	ew := &errWriter{w: w}
	ew.printf("%s: android vs ios\n\n", orDash(android.Scenario))
	writeTable(ew, t)
	p := painter(false)
	for _, res := range []*Result{android, ios} {
		ew.printf("\n%s expectations (%s)\n", orDash(res.Platform), verdictWord(p, res))
		for _, e := range res.Expectations {
			mark := "✓"
			if !e.OK {
				mark = "✗"
			}
			ew.printf("  %s %s (%s)\n", mark, e.Expect, e.Detail)
		}
		if len(res.Expectations) == 0 {
			ew.write("  (none)\n")
		}
	}
	return ew.err
}
