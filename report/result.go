// The result document, wmsim.result/v1 and wmsim.results/v1: the JSON
// types of a run and its summary.

package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Format identifiers of the result documents (SCENARIO-FORMAT.md).
const (
	FormatResult  = "wmsim.result/v1"
	FormatResults = "wmsim.results/v1"
)

// Seconds is a time as seconds since the scenario's start. It marshals as a
// JSON number with at most three decimals (millisecond resolution), so output
// is byte-identical across runs and machines.
type Seconds float64

// MarshalJSON prints s with up to three decimals and at least one (360.0).
func (s Seconds) MarshalJSON() ([]byte, error) {
	return []byte(FormatSeconds(float64(s))), nil
}

// FormatSeconds prints seconds as a JSON number: millisecond resolution, at
// least one decimal.
func FormatSeconds(v float64) string {
	ms := math.Round(v * 1000)
	out := strconv.FormatFloat(ms/1000, 'f', -1, 64)
	if !bytes.ContainsRune([]byte(out), '.') {
		out += ".0"
	}
	return out
}

// Result is one platform's result document, wmsim.result/v1.
type Result struct {
	Format       string        `json:"format"`
	Scenario     string        `json:"scenario"`
	Platform     string        `json:"platform"`
	Seed         uint64        `json:"seed"`
	Start        string        `json:"start"`
	End          string        `json:"end"`
	Runs         []Run         `json:"runs"`
	Tasks        []Task        `json:"tasks"`
	Errors       []Error       `json:"errors"`
	Expectations []Expectation `json:"expectations"`
	Invariants   Invariants    `json:"invariants"`
	// Warnings are things the user should know that are not errors (a name the
	// dispatcher has no case for, a clamped interval). Added field; v1 allows
	// additions.
	Warnings []Warning `json:"warnings"`
	// Calls lists every Dart call that took effect, in time order (format
	// v1.1).
	Calls []Call `json:"calls"`
	// Limit is set when the run stopped at a safety limit (exit code 3).
	Limit string `json:"limit,omitempty"`
}

// Timing is the wall-clock time of one platform run, the only figure about
// a run that varies between identical runs. It is kept apart from Result
// (whose JSON is byte-identical for the same scenario and seed); only JUnit
// shows it (JUnitOptions.Timing).
type Timing struct {
	// Run is the time the simulation took, invariant checks included.
	Run time.Duration
	// Expectations[i] is the time evaluating Expectations[i] took.
	Expectations []time.Duration
}

// Run is one execution of a task.
type Run struct {
	Task       string  `json:"task"`
	Unique     string  `json:"unique"`
	Received   string  `json:"received"`
	Attempt    int     `json:"attempt"`
	Eligible   Seconds `json:"eligible"`
	TStart     Seconds `json:"t_start"`
	TEnd       Seconds `json:"t_end"`
	Outcome    string  `json:"outcome"`
	StopReason string  `json:"stop_reason,omitempty"`
	WhyThen    string  `json:"why_then"`
}

// Task is the summary of one registered piece of work.
type Task struct {
	Unique    string `json:"unique"`
	Task      string `json:"task"`
	State     string `json:"state"`
	Runs      int    `json:"runs"`
	Successes int    `json:"successes"`
	Retries   int    `json:"retries"`
	Failures  int    `json:"failures"`
	Stops     int    `json:"stops"`
}

// Error is a call the plugin or the OS rejected, or that crashed the app.
type Error struct {
	T         Seconds `json:"t"`
	Call      string  `json:"call"`
	Code      string  `json:"code"`
	Message   string  `json:"message"`
	SeenByApp bool    `json:"seen_by_app"`
	// Source is on_launch or task for an error of a call app.on_launch or a
	// task's then made (format v1.1); empty for the timeline's.
	Source string `json:"source,omitempty"`
}

// Call is one Dart call that took effect (format v1.1): when, which method,
// where the call came from (timeline, on_launch or task), its arguments,
// and what Dart received: Returned (true/false for queries, the text of
// printScheduledTasks, null for void calls), or the error code it threw.
type Call struct {
	T      Seconds        `json:"t"`
	Call   string         `json:"call"`
	Source string         `json:"source"`
	Args   map[string]any `json:"args"`
	// Returned is written for a call that returned (null for a void call),
	// Error (the error code) for one that threw: exactly one of the two.
	Returned any    `json:"returned,omitempty"`
	Error    string `json:"error,omitempty"`
}

// MarshalJSON writes returned (null for a void call), or error for a call
// that threw, after the other fields.
func (c Call) MarshalJSON() ([]byte, error) {
	type plain struct {
		T      Seconds        `json:"t"`
		Call   string         `json:"call"`
		Source string         `json:"source"`
		Args   map[string]any `json:"args"`
	}
	args := c.Args
	if args == nil {
		args = map[string]any{}
	}
	head, err := marshalNoEscape(plain{c.T, c.Call, c.Source, args})
	if err != nil {
		return nil, err
	}
	var tail []byte
	if c.Error != "" {
		v, _ := marshalNoEscape(c.Error)
		tail = append([]byte(`,"error":`), v...)
	} else {
		v, err := marshalNoEscape(c.Returned)
		if err != nil {
			return nil, err
		}
		tail = append([]byte(`,"returned":`), v...)
	}
	out := append(head[:len(head)-1], tail...)
	return append(out, '}'), nil
}

// UnmarshalJSON reads returned or error back.
func (c *Call) UnmarshalJSON(b []byte) error {
	var raw struct {
		T        Seconds         `json:"t"`
		Call     string          `json:"call"`
		Source   string          `json:"source"`
		Args     map[string]any  `json:"args"`
		Returned json.RawMessage `json:"returned"`
		Error    string          `json:"error"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = Call{T: raw.T, Call: raw.Call, Source: raw.Source, Args: raw.Args, Error: raw.Error}
	if len(raw.Returned) > 0 {
		if err := json.Unmarshal(raw.Returned, &c.Returned); err != nil {
			return err
		}
	}
	return nil
}

// ReturnedText is the returned value as the text and HTML reports print it.
func (c Call) ReturnedText() string {
	if c.Error != "" {
		return "threw " + c.Error
	}
	switch v := c.Returned.(type) {
	case nil:
		return "null"
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	}
	b, _ := marshalNoEscape(c.Returned)
	return string(b)
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Expectation is the verdict on one expect entry.
type Expectation struct {
	Expect string `json:"expect"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Invariants reports the invariant checks made during the run.
type Invariants struct {
	Checked    int         `json:"checked"`
	Violations []Violation `json:"violations"`
}

// Violation is one broken invariant.
type Violation struct {
	T         Seconds `json:"t"`
	Invariant string  `json:"invariant"`
	Subject   string  `json:"subject"`
	Detail    string  `json:"detail"`
}

// Warning is a notice about the run.
type Warning struct {
	T       Seconds `json:"t"`
	Code    string  `json:"code"`
	Message string  `json:"message"`
}

// Results is the document for a scenario run on several platforms.
type Results struct {
	Format  string    `json:"format"`
	Results []*Result `json:"results"`
}

// Normalize replaces nil slices with empty ones so the JSON shows [] rather
// than null, as the format's example does.
func (r *Result) Normalize() {
	if r.Runs == nil {
		r.Runs = []Run{}
	}
	if r.Tasks == nil {
		r.Tasks = []Task{}
	}
	if r.Errors == nil {
		r.Errors = []Error{}
	}
	if r.Expectations == nil {
		r.Expectations = []Expectation{}
	}
	if r.Invariants.Violations == nil {
		r.Invariants.Violations = []Violation{}
	}
	if r.Warnings == nil {
		r.Warnings = []Warning{}
	}
	if r.Calls == nil {
		r.Calls = []Call{}
	}
}

// Passed reports whether every expectation held and no invariant broke.
func (r *Result) Passed() bool {
	for _, e := range r.Expectations {
		if !e.OK {
			return false
		}
	}
	return len(r.Invariants.Violations) == 0
}

// MarshalIndent renders a document (a *Result or *Results) as indented JSON
// with a trailing newline.
func MarshalIndent(doc any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// maxCallLines bounds the calls the text and HTML reports list.
const maxCallLines = 200

// callLine describes a call in one line: method, source, arguments, and
// what Dart received.
func callLine(c Call) string {
	args := "{}"
	if len(c.Args) > 0 {
		if b, err := marshalNoEscape(c.Args); err == nil {
			args = string(b)
		}
	}
	return c.Call + " (" + c.Source + ") " + args + " → " + c.ReturnedText()
}
