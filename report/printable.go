// Printable and the checks that keep control characters of a scenario out
// of every rendering.

package report

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// Printable returns s made safe to show a person on a terminal, in an HTML
// page or in a CI system's JUnit view: every character that is not a
// visible one is written as an escape a reader can see. That covers the
// C0 and C1 control characters (so ANSI escape sequences, which start with
// ESC, carriage returns and line breaks cannot move the cursor, colour the
// terminal or fake a line), DEL, the Unicode format characters (category
// Cf: the bidirectional embeddings and overrides U+202A–U+202E, the
// isolates U+2066–U+2069, U+061C and the marks U+200E/U+200F, zero-width
// characters, U+FEFF), the line and paragraph separators U+2028/U+2029, and
// invalid UTF-8. A byte or rune below U+0100 becomes \xHH, any other \uHHHH.
// A string with none of them is returned as it is, without copying.
//
// Every output of this package for people (text, explain, HTML, JUnit,
// compare) passes each string that came from a scenario or a trace
// through Printable; the machine outputs (JSON, JSON Lines, the Chrome
// trace) keep strings exact, escaped by their JSON encoders.
func Printable(s string) string {
	i := firstUnprintable(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintable(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unprintable reports whether r must be escaped (see Printable).
func unprintable(r rune) bool {
	if r < 0x20 || r == 0x7f {
		return true
	}
	if r < 0x80 {
		return false
	}
	return (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff || unicode.Is(unicode.Cf, r)
}

// firstUnprintable is the byte index of the first character Printable
// escapes, or -1.
func firstUnprintable(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unprintable(r) {
			return i
		}
		i += size
	}
	return -1
}

// printableResult is a copy of res with every string passed through
// Printable (res itself is returned when nothing needs escaping).
func printableResult(res *Result) *Result {
	if res == nil || resultPrintable(res) {
		return res
	}
	c := *res
	p := Printable
	c.Format, c.Scenario, c.Platform, c.Start, c.End, c.Limit = p(c.Format), p(c.Scenario), p(c.Platform), p(c.Start), p(c.End), p(c.Limit)
	c.Runs = make([]Run, len(res.Runs))
	for i, r := range res.Runs {
		r.Task, r.Unique, r.Received, r.Outcome, r.StopReason, r.WhyThen = p(r.Task), p(r.Unique), p(r.Received), p(r.Outcome), p(r.StopReason), p(r.WhyThen)
		c.Runs[i] = r
	}
	c.Tasks = make([]Task, len(res.Tasks))
	for i, t := range res.Tasks {
		t.Unique, t.Task, t.State = p(t.Unique), p(t.Task), p(t.State)
		c.Tasks[i] = t
	}
	c.Errors = make([]Error, len(res.Errors))
	for i, e := range res.Errors {
		e.Call, e.Code, e.Message = p(e.Call), p(e.Code), p(e.Message)
		c.Errors[i] = e
	}
	c.Expectations = make([]Expectation, len(res.Expectations))
	for i, e := range res.Expectations {
		e.Expect, e.Detail = p(e.Expect), p(e.Detail)
		c.Expectations[i] = e
	}
	c.Invariants.Violations = make([]Violation, len(res.Invariants.Violations))
	for i, v := range res.Invariants.Violations {
		v.Invariant, v.Subject, v.Detail = p(v.Invariant), p(v.Subject), p(v.Detail)
		c.Invariants.Violations[i] = v
	}
	c.Warnings = make([]Warning, len(res.Warnings))
	for i, w := range res.Warnings {
		w.Code, w.Message = p(w.Code), p(w.Message)
		c.Warnings[i] = w
	}
	return &c
}

// resultPrintable reports whether no string of res needs escaping.
func resultPrintable(res *Result) bool {
	ok := func(ss ...string) bool {
		for _, s := range ss {
			if firstUnprintable(s) >= 0 {
				return false
			}
		}
		return true
	}
	if !ok(res.Format, res.Scenario, res.Platform, res.Start, res.End, res.Limit) {
		return false
	}
	for _, r := range res.Runs {
		if !ok(r.Task, r.Unique, r.Received, r.Outcome, r.StopReason, r.WhyThen) {
			return false
		}
	}
	for _, t := range res.Tasks {
		if !ok(t.Unique, t.Task, t.State) {
			return false
		}
	}
	for _, e := range res.Errors {
		if !ok(e.Call, e.Code, e.Message) {
			return false
		}
	}
	for _, e := range res.Expectations {
		if !ok(e.Expect, e.Detail) {
			return false
		}
	}
	for _, v := range res.Invariants.Violations {
		if !ok(v.Invariant, v.Subject, v.Detail) {
			return false
		}
	}
	for _, w := range res.Warnings {
		if !ok(w.Code, w.Message) {
			return false
		}
	}
	return true
}

// printableTrace is trace with every string passed through Printable; the
// trace itself when nothing needs escaping (the usual case: no copy).
func printableTrace(trace []sim.Record) []sim.Record {
	dirty := -1
	for i := range trace {
		if !recordPrintable(&trace[i]) {
			dirty = i
			break
		}
	}
	if dirty < 0 {
		return trace
	}
	out := make([]sim.Record, len(trace))
	copy(out, trace[:dirty])
	for i := dirty; i < len(trace); i++ {
		r := trace[i]
		if !recordPrintable(&r) {
			r.Source, r.Kind, r.Subject, r.Reason = event.Source(Printable(string(r.Source))), event.Kind(Printable(string(r.Kind))), Printable(r.Subject), Printable(r.Reason)
			fs := make([]sim.Field, len(r.Fields))
			for j, f := range r.Fields {
				f.Key, f.Str = Printable(f.Key), Printable(f.Str)
				fs[j] = f
			}
			r.Fields = fs
		}
		out[i] = r
	}
	return out
}

func recordPrintable(r *sim.Record) bool {
	if firstUnprintable(string(string(r.Source))) >= 0 || firstUnprintable(string(string(r.Kind))) >= 0 || firstUnprintable(r.Subject) >= 0 || firstUnprintable(r.Reason) >= 0 {
		return false
	}
	for _, f := range r.Fields {
		if firstUnprintable(f.Key) >= 0 || firstUnprintable(f.Str) >= 0 {
			return false
		}
	}
	return true
}

// buildPrintableModel is buildModel over Printable copies of res and
// trace: the model the outputs for people render.
func buildPrintableModel(res *Result, trace []sim.Record, start time.Time) *model {
	return buildModel(printableResult(res), printableTrace(trace), start)
}
