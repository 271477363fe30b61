// ExplainJSON and the wmsim.explain/v1 document it writes
// (docs/explain-json.md).

package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// FormatExplain is the format name of ExplainJSON's document.
const FormatExplain = "wmsim.explain/v1"

// ExplainDoc is the wmsim.explain/v1 document: the stories Explain tells,
// for machines. docs/explain-json.md describes it field by field.
type ExplainDoc struct {
	Format   string         `json:"format"`
	Scenario string         `json:"scenario"`
	Platform string         `json:"platform"`
	Seed     uint64         `json:"seed"`
	Start    string         `json:"start"`
	End      string         `json:"end"`
	Tasks    []ExplainStory `json:"tasks"`
}

// ExplainStory is one unique name's story.
type ExplainStory struct {
	Unique  string         `json:"unique"`
	Task    string         `json:"task"`
	Events  []ExplainEvent `json:"events"`
	Summary string         `json:"summary"`
	// At answers "why is it (not) running at T" when Selector.At is set.
	At *ExplainAt `json:"at,omitempty"`
}

// ExplainEvent is one line of a story.
type ExplainEvent struct {
	T Seconds `json:"t"`
	// Kind is due (it became due), record (a trace record about it), hold
	// (an interval it was held back, or not yet due) or run (one run).
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// ExplainAt is the task's state at one instant.
type ExplainAt struct {
	T Seconds `json:"t"`
	// State is running, held (Causes says by what) or idle.
	State string `json:"state"`
	// Text is the state in words, as Explain prints it.
	Text string `json:"text"`
	// Causes are what held it back at T, from the deciding code's records;
	// empty when running or idle.
	Causes []Cause `json:"causes"`
	Device string  `json:"device"`
	// Next is what happened to it next after T, never a moment before T.
	Next string `json:"next"`
}

var explainKinds = [...]string{rankDue: "due", rankRecord: "record", rankHold: "hold", rankRun: "run"}

// ExplainJSON writes the wmsim.explain/v1 document for the tasks sel
// selects: the same stories, causes and words as Explain, as JSON
// (indented, trailing newline). Errors are Explain's.
func ExplainJSON(w io.Writer, res *Result, trace []Record, start time.Time, sel Selector) error {
	doc, err := explainDoc(res, trace, start, sel)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func explainDoc(res *Result, trace []sim.Record, start time.Time, sel Selector) (*ExplainDoc, error) {
	if res == nil {
		return nil, errors.New("explain: no result to explain")
	}
	if sel.Task == "" && sel.Unique == "" {
		return nil, errors.New("explain: name the task to explain: a taskName or a unique name")
	}
	m := buildPrintableModel(res, trace, start)
	sel.Task, sel.Unique = Printable(sel.Task), Printable(sel.Unique)
	stories := m.selectStories(sel)
	if len(stories) == 0 {
		return nil, m.unknownTask(sel)
	}
	if sel.At != nil && (*sel.At < 0 || *sel.At > m.Horizon) {
		return nil, fmt.Errorf("explain: %s is outside the run, which lasts %s (%s → %s)",
			fmtOffset(*sel.At), fmtDur(m.Horizon), fmtClock(m.Start, 0), fmtClock(m.Start, m.Horizon))
	}
	doc := &ExplainDoc{Format: FormatExplain, Scenario: m.Res.Scenario, Platform: m.Res.Platform, Seed: m.Res.Seed,
		Start: m.Res.Start, End: m.Res.End, Tasks: []ExplainStory{}}
	for _, st := range stories {
		es := ExplainStory{Unique: st.Unique, Task: st.Task, Events: []ExplainEvent{}, Summary: m.summary(st)}
		for _, e := range m.storyEntries(st) {
			es.Events = append(es.Events, ExplainEvent{T: Seconds(e.At.Seconds()), Kind: explainKinds[e.Rank], Text: e.Text})
		}
		if sel.At != nil {
			t := *sel.At
			at := &ExplainAt{T: Seconds(t.Seconds()), Text: m.stateAt(st, t), Causes: []Cause{}, Device: m.deviceAt(t), Next: m.nextAfter(st, t)}
			switch {
			case m.runningAt(st, t):
				at.State = "running"
			default:
				if cs := m.causesAt(st, t); len(cs) > 0 {
					at.State, at.Causes = "held", cs
				} else {
					at.State = "idle"
				}
			}
			es.At = at
		}
		doc.Tasks = append(doc.Tasks, es)
	}
	return doc, nil
}

// runningAt reports whether one of st's runs was in progress at t.
func (m *model) runningAt(st *story, t time.Duration) bool {
	for _, r := range st.Runs {
		if s, e := secDur(r.TStart), secDur(r.TEnd); s <= t && t < e && s < e {
			return true
		}
	}
	return false
}
