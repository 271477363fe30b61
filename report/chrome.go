// WriteChromeTrace: a run as Chrome Trace Event JSON for Perfetto and
// chrome://tracing, a track per task and per device signal.

package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/event"
)

// Process ids of the Chrome trace: the device's signals, and the app's tasks.
const (
	chromePidDevice = 1
	chromePidTasks  = 2
	chromeTidApp    = 100 // app lifecycle instants on the device process
)

// chromeEvent is one Trace Event Format event. Args marshal with sorted keys.
type chromeEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   int64          `json:"ts"`
	Dur  *int64         `json:"dur,omitempty"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	S    string         `json:"s,omitempty"`
	Args map[string]any `json:"args,omitempty"`
	seq  int
}

// WriteChromeTrace writes the run in Chrome's Trace Event Format (a JSON
// object with "traceEvents" and "displayTimeUnit"), which opens in Perfetto
// and chrome://tracing. Process 1 is the device: a thread per signal
// (power, charging, network, screen, Doze, bucket) whose slices are the
// spans a value held, and a "battery" counter. Process 2 holds a thread per
// task: runs are complete ("X") slices named by the task with outcome,
// attempt and why_then; the intervals it was held back are slices named
// "held: <class>" with the reason. Timestamps are microseconds since the
// start; the output is deterministic.
func WriteChromeTrace(w io.Writer, res *Result, trace []Record, start time.Time) error {
	if res == nil {
		return errors.New("chrome trace: no result to write")
	}
	m := buildModel(res, trace, start)
	var meta, evs []chromeEvent
	seq := 0
	add := func(e chromeEvent) {
		seq++
		e.seq = seq
		evs = append(evs, e)
	}
	name := func(pid, tid int, kind, value string, sort int) {
		meta = append(meta, chromeEvent{Name: kind, Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"name": value}})
		sortKind := "thread_sort_index"
		if kind == "process_name" {
			sortKind = "process_sort_index"
		}
		meta = append(meta, chromeEvent{Name: sortKind, Ph: "M", Pid: pid, Tid: tid, Args: map[string]any{"sort_index": sort}})
	}
	platform := orDash(res.Platform)
	name(chromePidDevice, 0, "process_name", "device ("+platform+")", 1)
	name(chromePidTasks, 0, "process_name", "tasks ("+platform+")", 2)

	for i, sig := range m.Signals {
		tid := i + 1
		if len(sig.Segs) == 0 {
			continue
		}
		name(chromePidDevice, tid, "thread_name", sig.Label, tid)
		for _, g := range sig.Segs {
			args := map[string]any{"value": g.Value}
			if g.Reason != "" {
				args["reason"] = g.Reason
			}
			add(chromeEvent{Name: g.Value, Cat: "device", Ph: "X", Ts: g.From.Microseconds(),
				Dur: ptr((g.To - g.From).Microseconds()), Pid: chromePidDevice, Tid: tid, Args: args})
		}
	}
	for _, p := range m.Battery {
		add(chromeEvent{Name: "battery", Cat: "device", Ph: "C", Ts: p.At.Microseconds(), Pid: chromePidDevice,
			Args: map[string]any{"level": p.Level}})
	}
	appNamed := false
	for i := range m.Trace {
		r := &m.Trace[i]
		if r.Source != srcDevice || len(r.Kind) < 4 || r.Kind[:4] != "app." {
			continue
		}
		if !appNamed {
			name(chromePidDevice, chromeTidApp, "thread_name", "app", chromeTidApp)
			appNamed = true
		}
		add(chromeEvent{Name: string(string(r.Kind)), Cat: "app", Ph: "i", S: "t", Ts: r.At.Microseconds(), Pid: chromePidDevice,
			Tid: chromeTidApp, Args: map[string]any{"reason": r.Reason}})
	}

	for i, st := range m.Tasks {
		tid := i + 1
		label := st.Unique
		if st.Task != "" && st.Task != st.Unique {
			label += " (" + st.Task + ")"
		}
		name(chromePidTasks, tid, "thread_name", label, tid)
		var runs [][2]time.Duration
		for _, r := range st.Runs {
			s, e := secDur(r.TStart), secDur(r.TEnd)
			if e < s {
				e = s
			}
			runs = append(runs, [2]time.Duration{s, e})
			args := map[string]any{"outcome": r.Outcome, "attempt": r.Attempt, "why_then": r.WhyThen,
				"unique": r.Unique, "eligible_s": FormatSeconds(float64(r.Eligible))}
			if r.StopReason != "" {
				args["stop_reason"] = r.StopReason
			}
			if r.Received != "" && r.Received != r.Task {
				args["received"] = r.Received
			}
			n := r.Task
			if n == "" {
				n = r.Unique
			}
			add(chromeEvent{Name: n, Cat: "run," + r.Outcome, Ph: "X", Ts: s.Microseconds(),
				Dur: ptr((e - s).Microseconds()), Pid: chromePidTasks, Tid: tid, Args: args})
		}
		for _, h := range st.Holds {
			for _, iv := range subtract(h.From, h.To, runs) {
				args := map[string]any{"reason": h.Reason, "gate": h.Class, "source": h.Source, "evaluations": h.Count}
				if h.Last != "" {
					args["last_reason"] = h.Last
				}
				add(chromeEvent{Name: "held: " + classLabel(h.Class), Cat: "held," + h.Class, Ph: "X",
					Ts: iv[0].Microseconds(), Dur: ptr((iv[1] - iv[0]).Microseconds()), Pid: chromePidTasks, Tid: tid, Args: args})
			}
		}
		for _, r := range st.Records {
			switch r.Kind {
			case event.Deferred, event.Started, event.Finished:
				continue
			case event.Stopped, event.Expired:
				if len(st.Runs) > 0 {
					continue
				}
			}
			args := map[string]any{"source": r.Source}
			if r.Reason != "" {
				args["reason"] = r.Reason
			}
			for _, f := range r.Fields {
				if _, taken := args[f.Key]; !taken {
					args[f.Key] = fmtValue(f)
				}
			}
			add(chromeEvent{Name: string(string(r.Kind)), Cat: "task", Ph: "i", S: "t", Ts: r.At.Microseconds(),
				Pid: chromePidTasks, Tid: tid, Args: args})
		}
	}
	slices.SortStableFunc(evs, func(a, b chromeEvent) int {
		switch {
		case a.Ts != b.Ts:
			return cmpInt64(a.Ts, b.Ts)
		case a.Pid != b.Pid:
			return a.Pid - b.Pid
		case a.Tid != b.Tid:
			return a.Tid - b.Tid
		}
		return a.seq - b.seq
	})

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteString("{\"traceEvents\":[\n")
	all := append(meta, evs...)
	for i := range all {
		if err := enc.Encode(&all[i]); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		if i < len(all)-1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":")
	other := map[string]any{"scenario": res.Scenario, "platform": res.Platform, "seed": res.Seed,
		"start": res.Start, "end": res.End, "format": "wmsim chrome trace; ts in microseconds since start"}
	if err := enc.Encode(other); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func ptr[T any](v T) *T { return &v }

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// subtract returns the parts of [from, to) not covered by any of the
// intervals cut (which need not be sorted), dropping empty parts.
func subtract(from, to time.Duration, cut [][2]time.Duration) [][2]time.Duration {
	parts := [][2]time.Duration{{from, to}}
	for _, c := range cut {
		var next [][2]time.Duration
		for _, p := range parts {
			if c[1] <= p[0] || c[0] >= p[1] || c[1] <= c[0] {
				next = append(next, p)
				continue
			}
			if c[0] > p[0] {
				next = append(next, [2]time.Duration{p[0], c[0]})
			}
			if c[1] < p[1] {
				next = append(next, [2]time.Duration{c[1], p[1]})
			}
		}
		parts = next
	}
	var out [][2]time.Duration
	for _, p := range parts {
		if p[1] > p[0] {
			out = append(out, p)
		}
	}
	return out
}
