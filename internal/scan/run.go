package scan

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Matrix is the device matrix of `wmsim scan --run`: data, so that a new
// OEM profile or OS version is one more entry.
type Matrix struct {
	// AndroidAPIs are android.api values.
	AndroidAPIs []int
	// OEMs are android.oem values (the scenario format's list).
	OEMs []string
	// IOSVersions are ios.version values.
	IOSVersions []int
	// Users are daily and/or weekly: how often the user opens the app.
	Users []string
	// Days is how long each cell runs (default 14).
	Days int
}

// DefaultMatrix spans the Android releases whose scheduling differs most
// (API 29; 31: expedited work and stop reasons; 34; 35), every built-in OEM
// profile of the simulator (android.OEMNames: a profile added there joins
// the matrix), and three iOS releases.
var DefaultMatrix = Matrix{
	AndroidAPIs: []int{29, 31, 34, 35},
	OEMs:        android.OEMNames(),
	IOSVersions: []int{15, 17, 18},
	Users:       []string{"daily", "weekly"},
	Days:        14,
}

// Cell is one device of the matrix.
type Cell struct {
	Platform string
	API      int
	OEM      string
	IOS      int
	User     string
}

func (c Cell) String() string {
	if c.Platform == "android" {
		return fmt.Sprintf("android %d %s %s", c.API, c.OEM, c.User)
	}
	return fmt.Sprintf("ios %d %s", c.IOS, c.User)
}

// TaskStat is one task's runs in one cell.
type TaskStat struct {
	Task          string
	Runs          int
	MedianPerDay  float64
	WorstGapHours float64
}

// CellResult is one cell's outcome.
type CellResult struct {
	Cell   Cell
	Tasks  []TaskStat
	Errors int
}

// Card is the report card of a matrix run.
type Card struct {
	Days  int
	Cells []CellResult
}

// cells expands the matrix over the platforms the app targets.
func (m Matrix) cells(platforms []string) []Cell {
	var out []Cell
	for _, p := range platforms {
		for _, u := range m.Users {
			if p == "android" {
				for _, api := range m.AndroidAPIs {
					for _, oem := range m.OEMs {
						out = append(out, Cell{Platform: p, API: api, OEM: oem, User: u})
					}
				}
			} else {
				for _, v := range m.IOSVersions {
					out = append(out, Cell{Platform: p, IOS: v, User: u})
				}
			}
		}
	}
	return out
}

// RunMatrix runs the scan's generated scenario (format v1, one platform
// per cell) on every cell of the matrix.
func RunMatrix(ctx context.Context, r *Report, m Matrix) (*Card, error) {
	if r.gen == nil {
		return nil, fmt.Errorf("the report has no generator")
	}
	days := m.Days
	if days <= 0 {
		days = 14
	}
	card := &Card{Days: days}
	for _, c := range m.cells(r.gen.platforms(genOptions{})) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src := r.gen.yaml(genOptions{v1: true, platform: c.Platform, api: c.API, oem: c.OEM, ios: c.IOS, user: c.User, duration: fmt.Sprintf("%dd", days)})
		sc, err := scenarios.Parse(c.String()+".yaml", []byte(src))
		if err != nil {
			return nil, fmt.Errorf("%s: the generated scenario does not load: %w", c, err)
		}
		out, err := runner.Run(sc, runner.RunOptions{NoTrace: true, Context: ctx})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		card.Cells = append(card.Cells, cellResult(c, out, days))
	}
	return card, nil
}

func cellResult(c Cell, out *runner.Outcome, days int) CellResult {
	cr := CellResult{Cell: c}
	if len(out.Runs) == 0 {
		return cr
	}
	res := out.Runs[0].Result
	cr.Errors = len(res.Errors)
	starts := map[string][]float64{}
	for _, t := range res.Tasks {
		if _, ok := starts[t.Task]; !ok {
			starts[t.Task] = nil
		}
	}
	for _, run := range res.Runs {
		starts[run.Task] = append(starts[run.Task], float64(run.TStart))
	}
	end := float64(days) * 86400
	names := make([]string, 0, len(starts))
	for n := range starts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ts := starts[n]
		sort.Float64s(ts)
		perDay := make([]float64, days)
		for _, t := range ts {
			if d := int(t / 86400); d >= 0 && d < days {
				perDay[d]++
			}
		}
		sort.Float64s(perDay)
		median := perDay[days/2]
		if days%2 == 0 {
			median = (perDay[days/2-1] + perDay[days/2]) / 2
		}
		// The worst gap: from the start to the first run, between runs, and
		// from the last run to the end.
		prev, gap := 0.0, 0.0
		for _, t := range ts {
			gap = max(gap, t-prev)
			prev = t
		}
		gap = max(gap, end-prev)
		cr.Tasks = append(cr.Tasks, TaskStat{Task: n, Runs: len(ts), MedianPerDay: median, WorstGapHours: gap / 3600})
	}
	return cr
}

// WriteText prints the card: per task and cell, median runs per day and
// the worst gap.
func (c *Card) WriteText(w io.Writer) {
	fmt.Fprintf(w, "\nreport card: %d simulated days per cell; median runs/day, worst gap\n", c.Days)
	tasks := map[string]bool{}
	for _, cell := range c.Cells {
		for _, t := range cell.Tasks {
			tasks[t.Task] = true
		}
	}
	names := make([]string, 0, len(tasks))
	for n := range tasks {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		fmt.Fprintln(w, "  no task was registered in any cell")
		return
	}
	fmt.Fprintf(w, "  %-30s", "device")
	for _, n := range names {
		fmt.Fprintf(w, " | %-22s", trunc(n, 22))
	}
	fmt.Fprintln(w, " | errors")
	for _, cell := range c.Cells {
		fmt.Fprintf(w, "  %-30s", cell.Cell.String())
		for _, n := range names {
			s := "—"
			for _, t := range cell.Tasks {
				if t.Task == n {
					s = fmt.Sprintf("%5.1f/day  gap %s", t.MedianPerDay, fmtHours(t.WorstGapHours))
				}
			}
			fmt.Fprintf(w, " | %-22s", s)
		}
		fmt.Fprintf(w, " | %d\n", cell.Errors)
	}
}

func fmtHours(h float64) string {
	d := time.Duration(h * float64(time.Hour)).Round(time.Minute)
	return strings.TrimSuffix(scenarios.FormatDuration(d), "0s")
}

func trunc(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
