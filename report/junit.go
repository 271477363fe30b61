// WriteJUnit and WriteJUnitWith: runs as JUnit XML for CI, with a test case
// per expectation and per invariant class.

package report

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// invariantClasses are the invariant classes the runner checks on every run
// (SCENARIO-FORMAT.md, "expect"). JUnit output has one testcase per class,
// plus one for any other class a violation names.
var invariantClasses = []string{
	InvConstraint, InvDoze, InvPeriod, InvAfterCancel, InvMonotonicTime, InvBudget,
}

// invariantApplies reports whether the runner checks class on platform.
// Unknown classes apply everywhere.
func invariantApplies(class, platform string) bool {
	switch class {
	case InvConstraint, InvDoze, InvPeriod, InvAfterCancel:
		return platform != "ios"
	case InvBudget:
		return platform == "ios"
	}
	return true
}

// The invariant classes, as violations name them.
const (
	InvConstraint    = "constraint_met_at_start"  // a task never starts while a constraint it declared is unmet
	InvDoze          = "no_start_in_doze_idle"    // never starts in Doze outside a maintenance window
	InvPeriod        = "periodic_once_per_period" // a periodic task never runs twice in one period
	InvAfterCancel   = "no_run_after_cancel"      // state transitions are legal: nothing runs once cancelled
	InvMonotonicTime = "trace_time_monotonic"     // the trace never goes back in time
	InvBudget        = "ios_budget_respected"     // iOS background runs stay within their time budget
)

// JUnit XML, in the shape CI systems read (the Ant/Surefire schema that
// Jenkins, GitLab, GitHub Actions reporters and Buildkite accept).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string         `xml:"name,attr"`
	Tests      int            `xml:"tests,attr"`
	Failures   int            `xml:"failures,attr"`
	Errors     int            `xml:"errors,attr"`
	Skipped    int            `xml:"skipped,attr"`
	Time       string         `xml:"time,attr"`
	Properties *junitProps    `xml:"properties,omitempty"`
	Cases      []junitCase    `xml:"testcase"`
	SystemOut  *junitCharData `xml:"system-out,omitempty"`
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitCharData struct {
	Text string `xml:",cdata"`
}

// WriteJUnit writes JUnit XML for CI: one testsuite per scenario and
// platform; in it one testcase per expectation, one per invariant class
// (failed with every violation as evidence), and, when the run stopped at a
// safety limit, one erroring testcase. time is "0" throughout, so the
// document is the same for the same scenario and seed; WriteJUnitWith
// with JUnitOptions.Timing writes real times. Rejected calls and warnings
// go to the suite's system-out.
func WriteJUnit(w io.Writer, results []*Result) error {
	return WriteJUnitWith(w, results, JUnitOptions{})
}

// JUnitOptions adjust WriteJUnitWith.
type JUnitOptions struct {
	// Timing[i] is the real time results[i]'s run took (scenarios'
	// PlatformRun.Timing). When given, the time attributes show it, in
	// seconds: a testsuite's is its run's, an expectation's the time
	// evaluating it took; invariant checks happen during the run and count
	// in the suite's time only (their cases show 0); testsuites' is the
	// sum. This is the one output of wmsim that varies between identical
	// runs: compare JUnit documents with their time attributes removed. A
	// missing or nil entry shows 0.
	Timing []*Timing
}

// WriteJUnitWith is WriteJUnit with options.
func WriteJUnitWith(w io.Writer, results []*Result, opts JUnitOptions) error {
	if len(results) == 0 {
		return errors.New("junit: no results to write")
	}
	doc := junitSuites{Name: "wmsim", Time: "0"}
	var total time.Duration
	for i, res := range results {
		if res == nil {
			return fmt.Errorf("junit: result %d is missing", i)
		}
		s := suiteOf(res)
		if i < len(opts.Timing) && opts.Timing[i] != nil {
			tm := opts.Timing[i]
			s.Time = junitSeconds(tm.Run)
			total += tm.Run
			for j, e := range tm.Expectations {
				if j < len(res.Expectations) && j < len(s.Cases) {
					s.Cases[j].Time = junitSeconds(e)
				}
			}
		}
		doc.Suites = append(doc.Suites, s)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	if len(opts.Timing) > 0 {
		doc.Time = junitSeconds(total)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

func suiteOf(res *Result) junitSuite {
	res = printableResult(res)
	start := startOf(res, time.Time{})
	class := "wmsim." + orDash(res.Scenario) + "." + orDash(res.Platform)
	s := junitSuite{Name: orDash(res.Scenario) + " (" + orDash(res.Platform) + ")", Time: "0"}
	s.Properties = &junitProps{Props: []junitProp{
		{"scenario", res.Scenario}, {"platform", res.Platform}, {"seed", fmt.Sprint(res.Seed)},
		{"start", res.Start}, {"end", res.End},
	}}
	for _, e := range res.Expectations {
		c := junitCase{Name: e.Expect, Classname: class + ".expect", Time: "0"}
		if !e.OK {
			c.Failure = &junitProblem{Message: e.Detail, Type: "expectation", Text: e.Expect + ": " + e.Detail}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	byClass := map[string][]Violation{}
	for _, v := range res.Invariants.Violations {
		byClass[v.Invariant] = append(byClass[v.Invariant], v)
	}
	classes := slices.Clone(invariantClasses)
	var extra []string
	for c := range byClass {
		if !slices.Contains(classes, c) {
			extra = append(extra, c)
		}
	}
	slices.Sort(extra)
	classes = append(classes, extra...)
	for _, cl := range classes {
		if !invariantApplies(cl, res.Platform) && len(byClass[cl]) == 0 {
			continue // e.g. iOS has no Doze
		}
		c := junitCase{Name: "invariant " + cl, Classname: class + ".invariant", Time: "0"}
		if vs := byClass[cl]; len(vs) > 0 {
			var b strings.Builder
			for _, v := range vs {
				fmt.Fprintf(&b, "%s %s: %s\n", fmtAt(start, secDur(v.T)), v.Subject, v.Detail)
			}
			c.Failure = &junitProblem{Message: plural(len(vs), "violation", "violations") + " of " + cl,
				Type: "invariant", Text: b.String()}
			s.Failures++
		}
		s.Cases = append(s.Cases, c)
	}
	if res.Limit != "" {
		s.Cases = append(s.Cases, junitCase{Name: "run within safety limits", Classname: class + ".limit", Time: "0",
			Error: &junitProblem{Message: res.Limit, Type: "limit", Text: "the run stopped at a safety limit: " + res.Limit}})
		s.Errors++
	}
	s.Tests = len(s.Cases)
	var b strings.Builder
	for _, e := range res.Errors {
		fmt.Fprintf(&b, "error %s %s %s: %s (seen by app: %v)\n", fmtAt(start, secDur(e.T)), e.Call, e.Code, e.Message, e.SeenByApp)
	}
	for _, c := range res.Calls {
		fmt.Fprintf(&b, "call %s %s\n", fmtAt(start, secDur(c.T)), callLine(c))
	}
	for _, wn := range res.Warnings {
		fmt.Fprintf(&b, "warning %s %s: %s\n", fmtAt(start, secDur(wn.T)), wn.Code, wn.Message)
	}
	fmt.Fprintf(&b, "invariants checked: %d\n", res.Invariants.Checked)
	s.SystemOut = &junitCharData{Text: b.String()}
	return s
}

// junitSeconds prints d as seconds with millisecond precision, as JUnit
// readers expect ("0.012").
func junitSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
