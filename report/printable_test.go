package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"periodic-sync", "periodic-sync"},
		{"naïve 同步 😀", "naïve 同步 😀"},
		{"\x1b[2J\x1b[31mred", `\x1b[2J\x1b[31mred`},
		{"a\nb\rc\td", `a\x0ab\x0dc\x09d`},
		{"\x00\x7f\u0085\u009b", `\x00\x7f\x85\x9b`},
		{"user\u202Egnp.exe", `user\u202egnp.exe`},
		{"\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u061C\u200E\u200F", `\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u061c\u200e\u200f`},
		{"\u2028\u2029\uFEFF\u200B\uFFFF", `\u2028\u2029\ufeff\u200b\uffff`},
		{"bad\xffutf8", `bad\xffutf8`},
	} {
		assert.Equal(t, tc.want, Printable(tc.in), "%q", tc.in)
		assert.Equal(t, Printable(tc.in), Printable(Printable(tc.in)), "idempotent for %q", tc.in)
	}
}

// hostile is a unique name that tries everything: clear the screen, paint
// it red, rewrite the current line, add a fake PASS line, and reverse the
// rest of the line with a bidi override.
const hostile = "sync\x1b[2J\x1b[31m\rPASS\n\u202Egnp.\u2066x\u2069\x07"

// renamed replaces the fixture's unique name with hostile everywhere it
// appears in the result and the trace, as a scenario would bring it.
func renamed(res *Result, trace []sim.Record, from string) (*Result, []sim.Record) {
	c := *res
	sub := func(s string) string { return strings.ReplaceAll(s, from, hostile) }
	c.Scenario = sub(c.Scenario)
	c.Runs = append([]Run(nil), res.Runs...)
	for i := range c.Runs {
		c.Runs[i].Unique, c.Runs[i].Task, c.Runs[i].WhyThen = sub(c.Runs[i].Unique), sub(c.Runs[i].Task), sub(c.Runs[i].WhyThen)
	}
	c.Tasks = append([]Task(nil), res.Tasks...)
	for i := range c.Tasks {
		c.Tasks[i].Unique, c.Tasks[i].Task = sub(c.Tasks[i].Unique), sub(c.Tasks[i].Task)
	}
	c.Expectations = append([]Expectation{{Expect: "task " + hostile + " runs at least 1 time", Detail: hostile}}, res.Expectations...)
	c.Errors = append([]Error{{Call: "registerOneOffTask", Code: "invalid_argument", Message: hostile}}, res.Errors...)
	c.Warnings = append([]Warning{{Code: "unknown_task", Message: hostile}}, res.Warnings...)
	c.Invariants.Violations = append([]Violation{{Invariant: InvPeriod, Subject: hostile, Detail: hostile}}, res.Invariants.Violations...)
	tr := make([]sim.Record, len(trace))
	for i, r := range trace {
		r.Subject, r.Reason = sub(r.Subject), sub(r.Reason)
		fs := make([]sim.Field, len(r.Fields))
		for j, f := range r.Fields {
			f.Str = sub(f.Str)
			fs[j] = f
		}
		r.Fields = fs
		tr[i] = r
	}
	return &c, tr
}

// assertSafe checks that out has no raw control, format or bidi character
// (other than the line breaks and tabs the writer itself lays out with),
// and that the hostile name shows up escaped.
func assertSafe(t *testing.T, what, out string, allowANSI bool) {
	t.Helper()
	require.True(t, utf8.ValidString(out), what)
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if r == 0x1b && allowANSI {
			continue
		}
		if unprintable(r) {
			t.Fatalf("%s: raw %U at byte %d: %q", what, r, i, out[max(0, i-40):min(len(out), i+40)])
		}
	}
	assert.Contains(t, out, Printable(hostile)[:16], what)
	assert.NotContains(t, out, "PASS\n", what)
}

// TestOutputsForPeopleAreSafeToPrint: text (with and without colour),
// explain, compare, HTML and JUnit escape every control character, ANSI
// escape and bidi override a scenario string brings.
func TestOutputsForPeopleAreSafeToPrint(t *testing.T) {
	ares, atr := androidFixture()
	ires, itr := iosFixture()
	from := ares.Runs[0].Unique
	ares, atr = renamed(ares, atr, from)
	ires, itr = renamed(ires, itr, ires.Runs[0].Unique)
	require.Contains(t, ares.Runs[0].Unique, "\x1b")

	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		require.NoError(t, WriteTextMulti(&b, []*Result{ares, ires}, [][]sim.Record{atr, itr}, fixtureStart, TextOptions{Color: color, Timeline: true}))
		out := b.String()
		if color {
			// The writer's own colours are the only escapes: each is an SGR
			// sequence this package defines.
			for _, code := range []string{ansiReset, ansiBold, ansiDim, ansiRed, ansiGreen, ansiYellow} {
				out = strings.ReplaceAll(out, code, "")
			}
		}
		assertSafe(t, "text", out, false)
	}

	var b bytes.Buffer
	require.NoError(t, Explain(&b, ares, atr, fixtureStart, Selector{Unique: ares.Runs[0].Unique}))
	assertSafe(t, "explain", b.String(), false)

	b.Reset()
	require.NoError(t, Compare(&b, ares, ires))
	assertSafe(t, "compare", b.String(), false)

	b.Reset()
	require.NoError(t, WriteHTML(&b, []*Result{ares, ires}, [][]sim.Record{atr, itr}, fixtureStart))
	assertSafe(t, "html", b.String(), false)

	b.Reset()
	require.NoError(t, WriteJUnit(&b, []*Result{ares, ires}))
	assertSafe(t, "junit", b.String(), false)
	assert.NotContains(t, b.String(), "&#x1B;")

	// The inputs are untouched: escaping works on copies.
	assert.Contains(t, ares.Runs[0].Unique, "\x1b")
	assert.Contains(t, atr[len(atr)-1].Subject+ares.Tasks[0].Unique, "\u202E")
}
