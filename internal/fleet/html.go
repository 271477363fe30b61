package fleet

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// The charting library (uPlot, vendored under assets/ with its licence) and
// the page's own script and style, inlined into every report so that it
// needs no network.
var (
	//go:embed assets/uPlot.iife.min.js
	uplotJS string
	//go:embed assets/uPlot.min.css
	uplotCSS string
	//go:embed assets/fleet.js
	fleetJS string
	//go:embed assets/fleet.css
	fleetCSS string
)

// chart is one chart of the report as the page's script reads it: a
// histogram ("hist": bars at X with one series), cumulative distributions
// ("cdf": stepped lines sharing X, one per series) or grouped bars over
// categories ("bars": X is 0..n-1, Categories names them).
type chart struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	XLabel     string    `json:"x_label"`
	YLabel     string    `json:"y_label"`
	Unit       string    `json:"unit"` // of X (hist, cdf) or of the bars' values
	X          []float64 `json:"x"`
	Categories []string  `json:"categories,omitempty"`
	Series     []series  `json:"series"`
	// Summary is a sentence for screen readers and the figure's caption.
	Summary string `json:"summary"`
}

type series struct {
	Label string     `json:"label"`
	Y     []*float64 `json:"y"` // null where a series has no value
}

// WriteHTML writes a self-contained HTML page for a fleet summary: the
// fleet's facts, then per task charts drawn with uPlot — histograms with
// labelled axes of runs per day, gaps between successful runs, delays and
// battery; the cumulative distribution of the gaps per usage profile; runs
// per day and time held back by each reason, per profile — each chart with
// its numbers in a table beneath, and the text tables at the end. Hovering a
// chart shows the values under the pointer; a focused chart answers ← → with
// the same. Output is a function of the summary alone.
func WriteHTML(w io.Writer, s *Summary) error {
	var text strings.Builder
	if err := WriteText(&text, s); err != nil {
		return err
	}
	charts := fleetCharts(s)
	data, err := json.Marshal(charts)
	if err != nil {
		return err
	}
	// Inside <script>, "</" must not appear.
	data = bytes.ReplaceAll(data, []byte("</"), []byte(`<\/`))
	e := html.EscapeString
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	fmt.Fprintf(&b, "<title>wmsim fleet: %s</title>\n<style>%s\n%s</style>\n</head>\n<body>\n", e(s.Scenario), uplotCSS, fleetCSS)
	fmt.Fprintf(&b, "<h1>Fleet: %s on %s</h1>\n", e(s.Scenario), e(s.Platform))
	var mix []string
	for _, m := range s.Mix {
		mix = append(mix, fmt.Sprintf("%s=%d", m.Profile, m.Weight))
	}
	b.WriteString("<dl class=\"facts\">\n")
	for _, kv := range [][2]string{
		{"devices", fmt.Sprintf("%d (completed %d, stopped at a safety limit %d)", s.Devices, s.Completed, s.Limited)},
		{"each lives", s.Duration}, {"seed", fmt.Sprint(s.Seed)}, {"mix", strings.Join(mix, ", ")},
	} {
		fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>\n", e(kv[0]), e(kv[1]))
	}
	if s.Interrupted {
		b.WriteString("<dt>status</dt><dd class=\"warn\">interrupted: the numbers cover the completed devices only</dd>\n")
	}
	b.WriteString("</dl>\n<p class=\"hint\">Hover a chart for the values under the pointer; <kbd>Tab</kbd> to a chart and <kbd>←</kbd> <kbd>→</kbd> step through them. Drag across a chart to zoom, double-click to reset.</p>\n")
	task := ""
	for _, c := range charts {
		if t := strings.SplitN(c.ID, "/", 2)[0]; t != task {
			if task != "" {
				b.WriteString("</div>\n</section>\n")
			}
			task = t
			name := taskOfID(s, t)
			fmt.Fprintf(&b, "<section class=\"task\" data-task=\"%s\">\n<h2>%s</h2>\n<div class=\"charts\">\n", e(name), e(name))
		}
		writeFigure(&b, c)
	}
	if task != "" {
		b.WriteString("</div>\n</section>\n")
	}
	fmt.Fprintf(&b, "<details class=\"tables\"><summary>all numbers as tables</summary>\n<pre>%s</pre>\n</details>\n", e(text.String()))
	fmt.Fprintf(&b, "<script type=\"application/json\" id=\"fleet-data\">%s</script>\n", data)
	b.WriteString("<script>" + uplotJS + "</script>\n<script>" + fleetJS + "</script>\n</body>\n</html>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// taskOfID is the task name behind a chart id's first part ("t3" → the
// fourth task of All).
func taskOfID(s *Summary, id string) string {
	var i int
	if _, err := fmt.Sscanf(id, "t%d", &i); err == nil && s.All != nil && i < len(s.All.Tasks) {
		return s.All.Tasks[i].Task
	}
	return id
}

// writeFigure writes a chart's figure: caption, the plot's place, and its
// numbers as a table.
func writeFigure(b *strings.Builder, c chart) {
	e := html.EscapeString
	fmt.Fprintf(b, "<figure class=\"chart\" id=\"%s\" data-kind=\"%s\" tabindex=\"0\" aria-label=\"%s. %s\">\n<figcaption>%s</figcaption>\n<div class=\"plot\" aria-hidden=\"true\"></div>\n",
		e(c.ID), c.Kind, e(c.Title), e(c.Summary), e(c.Title))
	fmt.Fprintf(b, "<details><summary>numbers</summary><table><thead><tr><th>%s</th>", e(c.XLabel))
	for _, s := range c.Series {
		fmt.Fprintf(b, "<th>%s</th>", e(s.Label))
	}
	b.WriteString("</tr></thead><tbody>\n")
	for i, x := range c.X {
		label := num(x)
		if c.Categories != nil {
			label = c.Categories[i]
		}
		fmt.Fprintf(b, "<tr><td>%s</td>", e(label))
		for _, s := range c.Series {
			v := "–"
			if s.Y[i] != nil {
				v = num(*s.Y[i])
			}
			fmt.Fprintf(b, "<td>%s</td>", v)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table></details>\n</figure>\n")
}

// num prints a chart value compactly and deterministically.
func num(v float64) string {
	switch a := math.Abs(v); {
	case v == math.Trunc(v) && a < 1e15:
		return fmt.Sprintf("%d", int64(v))
	case a >= 100:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.3g", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// durUnit picks the unit to show milliseconds in, from the largest value.
func durUnit(maxMs int64) (string, float64) {
	switch {
	case maxMs >= 3*86_400_000:
		return "days", 86_400_000
	case maxMs >= 3*3_600_000:
		return "hours", 3_600_000
	case maxMs >= 3*60_000:
		return "minutes", 60_000
	}
	return "seconds", 1000
}

// histBars is the most bars a histogram has.
const histBars = 40

// histogram bins d into at most histBars bars of equal width between its
// min and max (each bucket's count goes to the bar holding its midpoint),
// in the unit scale (value/scale); x are the bars' centres.
func histogram(d *Dist, scale float64) (x []float64, y []*float64) {
	if d.Count() == 0 {
		return nil, nil
	}
	lo, hi := d.Min(), d.Max()
	// The span hi−lo and the bar index (mid−lo)·n/(span+1) in unsigned
	// 64/128-bit arithmetic: an edited shard can hold any int64 min and
	// max, and hi−lo+1 or (mid−lo)·n overflow int64 for extreme ones.
	span := uint64(hi) - uint64(lo) // exact: hi ≥ lo
	n := uint64(histBars)
	if span < n-1 { // integer samples: no more bars than values
		n = span + 1
	}
	counts := make([]int64, n)
	for _, bk := range d.buckets() {
		mid := min(max(bk.lo+(bk.hi-bk.lo)/2, lo), hi)
		var i uint64
		if hi > lo {
			ph, pl := bits.Mul64(uint64(mid)-uint64(lo), n)
			if values := span + 1; values == 0 { // 2^64 values
				i = ph
			} else {
				i, _ = bits.Div64(ph, pl, values) // ph < values: mid−lo < values
			}
		}
		counts[min(i, n-1)] += bk.n
	}
	width := (float64(span) + 1) / float64(n)
	for i, c := range counts {
		// Integer samples: value v spans [v-0.5, v+0.5), so a bar of
		// one value is centred on it.
		x = append(x, round((float64(lo)-0.5+width*(float64(i)+0.5))/scale))
		y = append(y, ptr(float64(c)))
	}
	return x, y
}

// cdf is, at each x (in the unit scale), the share of d's samples at or
// below it; exact at bucket bounds, as buckets count exactly.
func cdf(d *Dist, xs []float64, scale float64) []*float64 {
	out := make([]*float64, len(xs))
	if d.Count() == 0 {
		return out
	}
	bks := d.buckets()
	var seen int64
	j := 0
	for i, x := range xs {
		for j < len(bks) && float64(bks[j].hi)/scale <= x+1e-9 {
			seen += bks[j].n
			j++
		}
		out[i] = ptr(round(float64(seen) / float64(d.Count())))
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// round keeps 6 significant digits, so the page's numbers are short and the
// same on every platform.
func round(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// fleetCharts lays out the charts of every task, in task order.
func fleetCharts(s *Summary) []chart {
	if s.All == nil {
		return nil
	}
	groups := []*Group{s.All}
	if len(s.Profiles) > 1 {
		groups = append(groups, s.Profiles...)
	}
	groupLabel := func(g *Group) string {
		if g.Profile == "*" {
			return "all devices"
		}
		return g.Profile
	}
	taskIn := func(g *Group, name string) *TaskStats {
		i, ok := slices.BinarySearchFunc(g.Tasks, name, func(t *TaskStats, k string) int { return strings.Compare(t.Task, k) })
		if !ok {
			return nil
		}
		return g.Tasks[i]
	}
	var out []chart
	for ti, t := range s.All.Tasks {
		id := fmt.Sprintf("t%d/", ti)
		hist := func(key, title, xl, yl string, d *Dist, unit string, scale float64) {
			x, y := histogram(d, scale)
			if len(x) == 0 {
				return
			}
			out = append(out, chart{ID: id + key, Kind: "hist", Title: title, XLabel: xl + " (" + unit + ")", YLabel: yl, Unit: unit,
				X: x, Series: []series{{Label: yl, Y: y}},
				Summary: fmt.Sprintf("%d samples; median %s, 90th percentile %s, max %s %s", d.Count(),
					num(round(float64(d.Quantile(.5))/scale)), num(round(float64(d.Quantile(.9))/scale)), num(round(float64(d.Max())/scale)), unit)})
		}
		hist("runs-per-day", "Runs per day, per device", "runs per day", "devices", &t.RunsPerDayMilli, "runs/day", 1000)
		gu, gs := durUnit(t.SuccessGapMs.Max())
		hist("gaps", "Gap between successful runs", "gap", "gaps", &t.SuccessGapMs, gu, gs)

		// The gaps' cumulative distribution, per profile: where the
		// profiles' experiences differ.
		if t.SuccessGapMs.Count() > 0 {
			var xs []float64
			seen := map[float64]bool{}
			for _, g := range groups {
				if gt := taskIn(g, t.Task); gt != nil {
					for _, bk := range gt.SuccessGapMs.buckets() {
						if x := float64(bk.hi) / gs; !seen[x] {
							seen[x] = true
							xs = append(xs, x)
						}
					}
				}
			}
			slices.Sort(xs)
			c := chart{ID: id + "gaps-cdf", Kind: "cdf", Title: "Gaps between successful runs, cumulative, by profile",
				XLabel: "gap (" + gu + ")", YLabel: "share of gaps ≤ x", Unit: gu}
			for _, x := range xs {
				c.X = append(c.X, round(x))
			}
			var parts []string
			for _, g := range groups {
				gt := taskIn(g, t.Task)
				if gt == nil || gt.SuccessGapMs.Count() == 0 {
					continue
				}
				c.Series = append(c.Series, series{Label: groupLabel(g), Y: cdf(&gt.SuccessGapMs, xs, gs)})
				parts = append(parts, fmt.Sprintf("%s: median %s, 90th percentile %s", groupLabel(g),
					num(round(float64(gt.SuccessGapMs.Quantile(.5))/gs)), num(round(float64(gt.SuccessGapMs.Quantile(.9))/gs))))
			}
			c.Summary = strings.Join(parts, "; ") + " " + gu
			out = append(out, c)
		}
		du, ds := durUnit(t.DelayMs.Max())
		hist("delay", "Delay from due to start", "delay", "runs", &t.DelayMs, du, ds)
		hist("battery", "Battery drawn by the task, per device", "charge", "devices", &t.BatteryUAh, "mAh", 1000)

		// Per profile: runs per day (median and 90th percentile).
		if len(groups) > 1 {
			c := chart{ID: id + "profiles", Kind: "bars", Title: "Runs per day by profile", XLabel: "profile", YLabel: "runs per day", Unit: "runs/day"}
			med, p90 := series{Label: "median"}, series{Label: "90th percentile"}
			var parts []string
			for i, g := range groups {
				gt := taskIn(g, t.Task)
				c.X = append(c.X, float64(i))
				c.Categories = append(c.Categories, groupLabel(g))
				if gt == nil || gt.RunsPerDayMilli.Count() == 0 {
					med.Y, p90.Y = append(med.Y, nil), append(p90.Y, nil)
					continue
				}
				m, p := round(float64(gt.RunsPerDayMilli.Quantile(.5))/1000), round(float64(gt.RunsPerDayMilli.Quantile(.9))/1000)
				med.Y, p90.Y = append(med.Y, ptr(m)), append(p90.Y, ptr(p))
				parts = append(parts, fmt.Sprintf("%s %s (90th percentile %s)", groupLabel(g), num(m), num(p)))
			}
			c.Series = []series{med, p90}
			c.Summary = "median runs per day: " + strings.Join(parts, ", ")
			out = append(out, c)
		}

		// Time held back per device, by reason, over all devices; waiting
		// for the period (not_due) is not being held back.
		var blocked []*BlockStats
		for _, bl := range t.Blocked {
			if bl.Reason != "not_due" {
				blocked = append(blocked, bl)
			}
		}
		if len(blocked) > 0 {
			var mx int64
			for _, bl := range blocked {
				mx = max(mx, bl.QuantileAll(t.Devices, .9))
			}
			bu, bs := durUnit(mx)
			c := chart{ID: id + "blocked", Kind: "bars", Title: "Time held back per device, by reason", XLabel: "reason", YLabel: "held back (" + bu + ")", Unit: bu}
			med, p90 := series{Label: "median"}, series{Label: "90th percentile"}
			var parts []string
			for i, bl := range blocked {
				c.X = append(c.X, float64(i))
				c.Categories = append(c.Categories, bl.Reason)
				m, p := round(float64(bl.QuantileAll(t.Devices, .5))/bs), round(float64(bl.QuantileAll(t.Devices, .9))/bs)
				med.Y, p90.Y = append(med.Y, ptr(m)), append(p90.Y, ptr(p))
				parts = append(parts, fmt.Sprintf("%s %s", bl.Reason, num(p)))
			}
			c.Series = []series{med, p90}
			c.Summary = "90th percentile per reason, " + bu + ": " + strings.Join(parts, ", ")
			out = append(out, c)
		}
	}
	return out
}
