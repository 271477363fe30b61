// Package compare is wmsim's comparison of one scenario under several
// profiles: plugin releases, Android API levels or iOS versions.
//
// It shows, task by task, what changes: runs, the first run, the gaps between
// runs and the errors. It is the check a team makes before upgrading the
// plugin or targeting a new OS.
package compare

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Axis is what varies between the profiles.
type Axis string

// Axes.
const (
	Plugin Axis = "plugin" // plugin.version: "0.5", "0.9", "0.10.10" (the scenario's platforms)
	API    Axis = "api"    // android.api: 33, 35, 36 (Android)
	IOS    Axis = "ios"    // ios.version: 17, 26 (iOS)
)

// Cell is one task under one profile.
type Cell struct {
	Runs      int `json:"runs"`
	Successes int `json:"successes"`
	Retries   int `json:"retries"`
	Failures  int `json:"failures"`
	Stops     int `json:"stops"`
	// FirstRun is the start of the first run, seconds from the scenario's
	// start; nil when it never ran.
	FirstRun *float64 `json:"first_run"`
	// MedianGap and MaxGap are between consecutive run starts, in seconds
	// (0 with fewer than two runs).
	MedianGap float64 `json:"median_gap"`
	MaxGap    float64 `json:"max_gap"`
}

// Task is one task across the profiles, in profile order.
type Task struct {
	Platform string `json:"platform"`
	Unique   string `json:"unique"`
	Task     string `json:"task"`
	Cells    []Cell `json:"cells"`
	// Changed is set when any cell differs from the first.
	Changed bool `json:"changed"`
}

// Error is one rejected call under one profile (the journal does not tie a
// call's error to a task, so errors are listed by profile).
type Error struct {
	Profile  string `json:"profile"`
	Platform string `json:"platform"`
	report.Error
}

// Report is the comparison.
type Report struct {
	Format   string   `json:"format"`
	Scenario string   `json:"scenario"`
	Axis     Axis     `json:"axis"`
	Profiles []string `json:"profiles"`
	Tasks    []Task   `json:"tasks"`
	Errors   []Error  `json:"errors"`
	// Outcomes[i] is the run under Profiles[i], for callers that judge it
	// (expectations, safety limits); not part of the document.
	Outcomes []*runner.Outcome `json:"-"`
}

// Format is the JSON document's format tag.
const Format = "wmsim.compare/v1"

// Profiles runs sc once per value of axis and compares the task tables. The
// values are validated first (an unknown release or version is an error, and
// nothing runs). opts applies to every run; for the api and ios axes it
// picks the platform.
func Profiles(sc *scenarios.Scenario, axis Axis, values []string, opts runner.RunOptions) (*Report, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("compare: no %s values to compare", axis)
	}
	scs := make([]*scenarios.Scenario, len(values))
	for i, v := range values {
		c := *sc
		switch axis {
		case Plugin:
			if _, err := plugin.ResolveRelease(v, "", ""); err != nil {
				return nil, fmt.Errorf("compare: --plugin %s: %w", v, err)
			}
			c.Plugin.Version = scenarios.PluginVersion(v)
			c.Plugin.Android, c.Plugin.Apple = "", ""
		case API:
			n, err := strconv.Atoi(v)
			if err != nil || n < scenarios.MinAndroidAPI || n > scenarios.MaxAndroidAPI {
				return nil, fmt.Errorf("compare: --api %s: an Android API level %d..%d", v, scenarios.MinAndroidAPI, scenarios.MaxAndroidAPI)
			}
			c.Android.API = n
			c.Platform = scenarios.Platforms{scenarios.PlatformAndroid}
		case IOS:
			n, err := strconv.Atoi(v)
			if err != nil || n < scenarios.MinIOSVersion || n > scenarios.MaxIOSVersion || (n > 18 && n < 26) {
				return nil, fmt.Errorf("compare: --ios %s: an iOS version 13..18, 26 or 27", v)
			}
			c.IOS.Version = n
			c.Platform = scenarios.Platforms{scenarios.PlatformIOS}
		default:
			return nil, fmt.Errorf("compare: unknown axis %q (valid: plugin, api, ios)", axis)
		}
		scs[i] = &c
	}
	rep := &Report{Format: Format, Scenario: sc.Name, Axis: axis, Profiles: values, Tasks: []Task{}, Errors: []Error{}}
	index := map[string]int{} // platform/unique/task → row
	for i, c := range scs {
		o := opts
		if axis != Plugin {
			o.Platforms = nil
		}
		out, err := runner.Run(c, o)
		if err != nil {
			return nil, fmt.Errorf("compare: %s %s: %w", axis, values[i], err)
		}
		rep.Outcomes = append(rep.Outcomes, out)
		for _, pr := range out.Runs {
			res := pr.Result
			for _, e := range res.Errors {
				rep.Errors = append(rep.Errors, Error{Profile: values[i], Platform: res.Platform, Error: e})
			}
			for _, t := range res.Tasks {
				key := res.Platform + "\x00" + t.Unique + "\x00" + t.Task
				row, ok := index[key]
				if !ok {
					row = len(rep.Tasks)
					index[key] = row
					rep.Tasks = append(rep.Tasks, Task{Platform: res.Platform, Unique: t.Unique, Task: t.Task, Cells: make([]Cell, len(values))})
				}
				rep.Tasks[row].Cells[i] = cellOf(res, t)
			}
		}
	}
	for i := range rep.Tasks {
		t := &rep.Tasks[i]
		for _, c := range t.Cells[1:] {
			if !sameCell(c, t.Cells[0]) {
				t.Changed = true
			}
		}
	}
	slices.SortStableFunc(rep.Tasks, func(a, b Task) int {
		return strings.Compare(a.Platform+"\x00"+a.Unique+"\x00"+a.Task, b.Platform+"\x00"+b.Unique+"\x00"+b.Task)
	})
	return rep, nil
}

func cellOf(res *report.Result, t report.Task) Cell {
	c := Cell{Runs: t.Runs, Successes: t.Successes, Retries: t.Retries, Failures: t.Failures, Stops: t.Stops}
	var starts []float64
	for _, r := range res.Runs {
		if r.Unique == t.Unique && r.Task == t.Task {
			starts = append(starts, float64(r.TStart))
		}
	}
	slices.Sort(starts)
	if len(starts) > 0 {
		f := starts[0]
		c.FirstRun = &f
	}
	if len(starts) > 1 {
		gaps := make([]float64, len(starts)-1)
		for i := 1; i < len(starts); i++ {
			gaps[i-1] = starts[i] - starts[i-1]
		}
		slices.Sort(gaps)
		c.MaxGap = gaps[len(gaps)-1]
		c.MedianGap = gaps[(len(gaps)-1)/2]
	}
	return c
}

func sameCell(a, b Cell) bool {
	fa, fb := -1.0, -1.0
	if a.FirstRun != nil {
		fa = *a.FirstRun
	}
	if b.FirstRun != nil {
		fb = *b.FirstRun
	}
	return a.Runs == b.Runs && a.Successes == b.Successes && a.Retries == b.Retries && a.Failures == b.Failures &&
		a.Stops == b.Stops && fa == fb && a.MedianGap == b.MedianGap && a.MaxGap == b.MaxGap
}

// WriteJSON writes the wmsim.compare/v1 document.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteText writes one table per task, a column per profile; tasks whose
// figures differ between profiles are marked with "*".
func (r *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s: %s %s\n", r.Scenario, r.Axis, strings.Join(r.Profiles, " vs "))
	for _, t := range r.Tasks {
		mark := " "
		if t.Changed {
			mark = "*"
		}
		fmt.Fprintf(w, "\n%s %s %s (task %s)\n", mark, t.Platform, t.Unique, t.Task)
		tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
		fmt.Fprintf(tw, "  \t%s\n", strings.Join(r.Profiles, "\t"))
		rows := []struct {
			name string
			f    func(Cell) string
		}{
			{"runs", func(c Cell) string { return strconv.Itoa(c.Runs) }},
			{"ok/retry/fail/stop", func(c Cell) string {
				return fmt.Sprintf("%d/%d/%d/%d", c.Successes, c.Retries, c.Failures, c.Stops)
			}},
			{"first run", func(c Cell) string {
				if c.FirstRun == nil {
					return "never"
				}
				return "+" + dur(*c.FirstRun)
			}},
			{"median gap", func(c Cell) string { return dur(c.MedianGap) }},
			{"max gap", func(c Cell) string { return dur(c.MaxGap) }},
		}
		for _, row := range rows {
			cells := make([]string, len(t.Cells))
			for i, c := range t.Cells {
				cells[i] = row.f(c)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", row.name, strings.Join(cells, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.Errors) > 0 {
		fmt.Fprintln(w, "\nerrors (rejected calls, by profile)")
		for _, e := range r.Errors {
			seen := "not seen by the app"
			if e.SeenByApp {
				seen = "seen by the app"
			}
			fmt.Fprintf(w, "  %s %s +%s %s %s: %s (%s)\n", r.Axis, e.Profile, dur(float64(e.T)), e.Call, e.Code, e.Message, seen)
		}
	}
	return nil
}

// dur prints seconds as 1d2h3m4s, to the second.
func dur(s float64) string {
	n := int64(s + 0.5)
	if n == 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		d int64
		s string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if n >= u.d {
			fmt.Fprintf(&b, "%d%s", n/u.d, u.s)
			n %= u.d
		}
	}
	return b.String()
}
