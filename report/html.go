// WriteHTML: one self-contained HTML page of timelines and tables for one or
// more runs.

package report

import (
	_ "embed"
	"errors"
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// SVG geometry of the HTML timeline, in px.
const (
	svgWidth    = 1200
	svgGutter   = 190 // labels left of the plot
	svgRightPad = 16
	svgAxisH    = 30
	svgHeadH    = 24 // a platform's heading row
	svgBandH    = 14
	svgBandGap  = 4
	svgBattH    = 40
	svgLaneH    = 18
	svgLaneGap  = 6
	svgMinRunW  = 1.5 // a 4 s run on a 3-day axis stays visible
)

// The page's style sheet and the script that makes the timeline zoom, pan,
// show details and answer the keyboard. Both are inlined, so the page needs
// no network; without scripts it still shows the whole timeline.
var (
	//go:embed assets/report.css
	htmlCSS string
	//go:embed assets/timeline.js
	htmlJS string
)

// gateColours colours the spans a task was held back, by class (the keys of
// classLabels): Doze blues, bucket and quota oranges, constraints by what
// they wait for, power saving reds and yellows, iOS heuristics purples and
// browns. Every class has its own colour (TestGateColours).
var gateColours = map[string]string{
	"doze": "#3949ab", "light_doze": "#7986cb",
	"quota": "#fb8c00", "restricted_bucket": "#e65100", "scheduler_limit": "#ffb74d", "concurrency": "#ffcc80", "rate_limit": "#ffa726",
	"daily_budget": "#f57c00", "throttled": "#bf360c",
	"constraint": "#78909c", "network": "#1e88e5", "charging": "#43a047", "battery_not_low": "#c0ca33",
	"storage_not_low": "#8d6e63", "device_idle": "#fbc02d",
	"battery_saver": "#f4511e", "low_power_mode": "#fdd835", "battery": "#e53935", "thermal": "#d81b60",
	"force_stopped": "#b71c1c", "force_quit": "#880e4f", "foreground": "#00897b", "process": "#37474f",
	"usage_score": "#8e24aa", "seeded": "#ce93d8", "top_apps": "#5e35b1", "background_app_refresh": "#6d4c41",
	"fetch_disabled": "#a1887f", "mode": "#4e342e", "identifier": "#3e2723", "idle": "#ffd54f",
	"power": "#66bb6a", "queued": "#90a4ae", "not_due": "#e0e0e0", "other": "#bdbdbd",
}

// gateCSS is the style rules of gateColours, in sorted order.
func gateCSS() string {
	keys := make([]string, 0, len(gateColours))
	for k := range gateColours {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(".gate-" + cssName(k) + "{fill:" + gateColours[k] + "}")
	}
	return b.String() + "\n"
}

// WriteHTML writes one self-contained HTML page (inline CSS, SVG and script;
// no fonts, images or network) for a scenario's results: one timeline for
// all platforms on a shared time axis (a heading row per platform, its
// device lanes — power, charging, network, screen, Doze state, standby
// bucket, battery curve — and one lane per task with runs coloured by
// outcome and the spans it was held back shaded by reason), a legend of
// every colour used, then per platform its summary, task table and
// expectations. traces[i] goes with results[i].
//
// The timeline zooms (buttons, + and -, Ctrl or ⌘ with the wheel, a double
// click) and pans (drag, Shift with the arrows, a sideways wheel); hovering
// or selecting a run, a hold or a device span shows its details. Every lane
// is in the tab order; in a lane the arrow keys step through its runs and
// holds, Enter zooms to the selected one, Up and Down change lanes.
//
// Structure for tests and tooling: the timeline is <svg class="timeline">;
// each platform is a <g class="platform" data-platform=…> in it and a
// <section class="result" data-platform=…> after it; each device lane is
// <g class="row band device signal-KEY" data-signal=KEY>; each task lane is
// <g class="row lane task" data-task=UNIQUE> holding rect.run (class
// outcome-…) and rect.hold (class gate-…) elements. Every drawn item has
// data-a and data-b, its span in seconds from the start.
func WriteHTML(w io.Writer, results []*Result, traces [][]Record, start time.Time) error {
	if len(results) == 0 {
		return errors.New("html: no results to write")
	}
	var b strings.Builder
	title := "wmsim"
	if results[0] != nil && results[0].Scenario != "" {
		title = "wmsim: " + Printable(results[0].Scenario)
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + esc(title) + "</title>\n<style>" + htmlCSS + gateCSS() + "</style>\n</head>\n<body>\n")
	b.WriteString("<h1>" + esc(title) + "</h1>\n")
	models := make([]*model, len(results))
	b.WriteString("<p class=\"verdicts\">")
	for i, res := range results {
		if res == nil {
			return fmt.Errorf("html: result %d is missing", i)
		}
		var tr []sim.Record
		if i < len(traces) {
			tr = traces[i]
		}
		models[i] = buildPrintableModel(res, tr, start)
		v := verdictText(res)
		fmt.Fprintf(&b, "<span class=\"chip\">%s <b class=\"verdict-%s\">%s</b></span>", esc(orDash(Printable(res.Platform))), strings.ToLower(v), v)
	}
	b.WriteString("</p>\n")

	b.WriteString("<section class=\"timeline-view\" aria-labelledby=\"tl-heading\">\n<h2 id=\"tl-heading\">timeline</h2>\n")
	b.WriteString("<div class=\"toolbar\" role=\"toolbar\" aria-label=\"timeline view\" aria-controls=\"tl\">" +
		"<button type=\"button\" data-act=\"out\" aria-label=\"zoom out\" title=\"zoom out (-)\">&minus;</button>" +
		"<button type=\"button\" data-act=\"in\" aria-label=\"zoom in\" title=\"zoom in (+)\">+</button>" +
		"<button type=\"button\" data-act=\"left\" aria-label=\"pan left\" title=\"pan left (Shift+←)\">&larr;</button>" +
		"<button type=\"button\" data-act=\"right\" aria-label=\"pan right\" title=\"pan right (Shift+→)\">&rarr;</button>" +
		"<button type=\"button\" data-act=\"reset\" aria-label=\"show everything\" title=\"show everything (0)\">all</button>" +
		"<span class=\"range\" id=\"tl-range\"></span></div>\n")
	b.WriteString("<p class=\"hint\">Drag to pan, <kbd>Ctrl</kbd>/<kbd>⌘</kbd> + wheel or double-click to zoom. " +
		"<kbd>Tab</kbd> moves between lanes; in a lane <kbd>←</kbd> <kbd>→</kbd> step through runs and holds, " +
		"<kbd>Enter</kbd> zooms to one, <kbd>↑</kbd> <kbd>↓</kbd> change lanes, <kbd>+</kbd> <kbd>-</kbd> <kbd>0</kbd> zoom.</p>\n")
	b.WriteString("<div class=\"scroll\">\n")
	writeSVG(&b, models)
	b.WriteString("</div>\n<div class=\"tooltip\" id=\"tl-tip\" role=\"status\" aria-live=\"polite\" hidden></div>\n")
	writeLegend(&b, models)
	b.WriteString("</section>\n")
	for _, m := range models {
		writeHTMLResult(&b, m)
	}
	b.WriteString("<script>" + htmlJS + "</script>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func verdictText(res *Result) string {
	switch {
	case res.Limit != "":
		return "LIMIT"
	case res.Passed():
		return "PASS"
	}
	return "FAIL"
}

func esc(s string) string { return html.EscapeString(s) }

// cssName turns a value into a class-name fragment: "IDLE_MAINTENANCE" →
// "idle-maintenance".
func cssName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

func px(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func writeHTMLResult(b *strings.Builder, m *model) {
	res := m.Res
	v := verdictText(res)
	fmt.Fprintf(b, "<section class=\"result\" id=\"result-%s\" data-platform=\"%s\">\n", cssName(res.Platform), esc(res.Platform))
	fmt.Fprintf(b, "<h2>%s <span class=\"verdict-%s\">%s</span></h2>\n", esc(orDash(res.Platform)), strings.ToLower(v), v)
	ok := 0
	for _, e := range res.Expectations {
		if e.OK {
			ok++
		}
	}
	b.WriteString("<dl class=\"summary\">\n")
	for _, kv := range [][2]string{
		{"scenario", res.Scenario}, {"platform", res.Platform}, {"seed", strconv.FormatUint(res.Seed, 10)},
		{"start", res.Start}, {"end", res.End}, {"length", fmtDur(m.Horizon)},
		{"runs", strconv.Itoa(len(res.Runs))},
		{"expectations", fmt.Sprintf("%d of %d held", ok, len(res.Expectations))},
		{"invariants", fmt.Sprintf("%d checked, %s", res.Invariants.Checked, plural(len(res.Invariants.Violations), "violation", "violations"))},
		{"errors", strconv.Itoa(len(res.Errors))}, {"calls", strconv.Itoa(len(res.Calls))}, {"warnings", strconv.Itoa(len(res.Warnings))},
	} {
		fmt.Fprintf(b, "<dt>%s</dt><dd>%s</dd>\n", esc(kv[0]), esc(orDash(kv[1])))
	}
	if res.Limit != "" {
		fmt.Fprintf(b, "<dt>limit</dt><dd class=\"verdict-limit\">%s</dd>\n", esc(res.Limit))
	}
	b.WriteString("</dl>\n")

	b.WriteString("<h3>tasks</h3>\n<table class=\"tasks\">\n<thead><tr>")
	t := taskTable(taskStats(res))
	for _, h := range t.Head {
		b.WriteString("<th>" + esc(strings.ToLower(h)) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range t.Rows {
		fmt.Fprintf(b, "<tr data-task=\"%s\">", esc(r[0]))
		for _, c := range r {
			b.WriteString("<td>" + esc(c) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")

	b.WriteString("<h3>expectations</h3>\n<ul class=\"plain expectations\">\n")
	for _, e := range res.Expectations {
		cls, mark := "ok", "✓"
		if !e.OK {
			cls, mark = "fail", "✗"
		}
		fmt.Fprintf(b, "<li class=\"expect %s\"><span class=\"mark\">%s</span> %s <span class=\"detail\">%s</span></li>\n",
			cls, mark, esc(e.Expect), esc(parens(e.Detail)))
	}
	if len(res.Expectations) == 0 {
		b.WriteString("<li>(none)</li>\n")
	}
	cls, mark := "ok", "✓"
	if len(res.Invariants.Violations) > 0 {
		cls, mark = "fail", "✗"
	}
	fmt.Fprintf(b, "<li class=\"expect invariants %s\"><span class=\"mark\">%s</span> invariants: %d checked, %s</li>\n",
		cls, mark, res.Invariants.Checked, plural(len(res.Invariants.Violations), "violation", "violations"))
	b.WriteString("</ul>\n")
	if len(res.Invariants.Violations) > 0 {
		b.WriteString("<h3>invariant violations</h3>\n<ul class=\"plain violations\">\n")
		for _, x := range res.Invariants.Violations {
			fmt.Fprintf(b, "<li>%s <b>%s</b> %s: %s</li>\n", esc(fmtAt(m.Start, secDur(x.T))), esc(x.Invariant), esc(x.Subject), esc(x.Detail))
		}
		b.WriteString("</ul>\n")
	}
	if len(res.Errors) > 0 {
		b.WriteString("<h3>errors</h3>\n<ul class=\"plain errors\">\n")
		for _, e := range res.Errors {
			fmt.Fprintf(b, "<li>%s %s <b>%s</b>: %s (seen by app: %v)</li>\n", esc(fmtAt(m.Start, secDur(e.T))), esc(e.Call), esc(e.Code), esc(e.Message), e.SeenByApp)
		}
		b.WriteString("</ul>\n")
	}
	if len(res.Calls) > 0 {
		b.WriteString("<h3>calls</h3>\n<ul class=\"plain calls\">\n")
		for i, c := range res.Calls {
			if i == maxCallLines {
				fmt.Fprintf(b, "<li>… %d more (the JSON result lists them all)</li>\n", len(res.Calls)-maxCallLines)
				break
			}
			fmt.Fprintf(b, "<li>%s %s</li>\n", esc(fmtAt(m.Start, secDur(c.T))), esc(callLine(c)))
		}
		b.WriteString("</ul>\n")
	}
	if len(res.Warnings) > 0 {
		b.WriteString("<h3>warnings</h3>\n<ul class=\"plain warnings\">\n")
		for _, wn := range res.Warnings {
			fmt.Fprintf(b, "<li>%s <b>%s</b>: %s</li>\n", esc(fmtAt(m.Start, secDur(wn.T))), esc(wn.Code), esc(wn.Message))
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("</section>\n")
}

// tickStep picks an axis step that gives at most about 12 ticks.
func tickStep(h time.Duration) time.Duration {
	for _, s := range []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour,
		6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour} {
		if h/s <= 12 {
			return s
		}
	}
	return (h/12/(24*time.Hour) + 1) * 24 * time.Hour
}

// secs writes an offset as seconds with millisecond precision, the unit of
// the data-a and data-b attributes the script reads.
func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }

// timeAxis maps offsets from the start onto the plot's x.
type timeAxis struct {
	h     time.Duration
	plotW float64
}

func (a timeAxis) x(d time.Duration) float64 {
	d = min(max(d, 0), a.h)
	return svgGutter + float64(d)/float64(a.h)*a.plotW
}

// writeSVG draws one timeline for every model on a shared axis: the longest
// horizon, offsets from the common start.
func writeSVG(b *strings.Builder, models []*model) {
	var h time.Duration
	for _, m := range models {
		h = max(h, m.Horizon)
	}
	if h <= 0 {
		h = time.Second
	}
	ax := timeAxis{h: h, plotW: float64(svgWidth - svgGutter - svgRightPad)}
	height := svgAxisH + 4
	for _, m := range models {
		height += svgHeadH
		for _, s := range m.Signals {
			if len(s.Segs) > 0 {
				height += svgBandH + svgBandGap
			}
		}
		if len(m.Battery) > 0 {
			height += svgBattH + svgBandGap
		}
		height += len(m.Tasks) * (svgLaneH + svgLaneGap)
	}
	first := models[0]
	_, off := first.Start.Zone()
	var names []string
	for _, m := range models {
		names = append(names, orDash(m.Res.Platform))
	}
	fmt.Fprintf(b, "<svg class=\"timeline\" id=\"tl\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "+
		"role=\"group\" aria-label=\"timeline of %s on %s\" data-start=\"%d\" data-tz=\"%d\" data-horizon=\"%s\" data-x0=\"%d\" data-plotw=\"%s\">\n",
		svgWidth, height, svgWidth, height, esc(first.Res.Scenario), esc(strings.Join(names, " and ")),
		first.Start.Unix(), off, secs(h), svgGutter, px(ax.plotW))
	fmt.Fprintf(b, "<defs><clipPath id=\"tl-clip\"><rect x=\"%d\" y=\"0\" width=\"%s\" height=\"%d\"/></clipPath></defs>\n", svgGutter, px(ax.plotW), height)

	// Axis: ticks aligned to the scenario's clock (the script redraws them
	// for the part in view).
	step := tickStep(h)
	tod := time.Duration((first.Start.Unix()+int64(off))%86400) * time.Second
	if tod < 0 {
		tod += 24 * time.Hour
	}
	align := min(step, 24*time.Hour)
	t0 := (align - tod%align) % align
	b.WriteString("<g class=\"axis\" aria-hidden=\"true\">\n")
	for i := time.Duration(0); i <= 14; i++ {
		t := t0 + i*step
		if t > h || t < t0 { // past the end, or overflowed
			break
		}
		xx := px(ax.x(t))
		label := first.Start.Add(t).Format("15:04")
		if step >= 24*time.Hour || label == "00:00" {
			label = first.Start.Add(t).Format("Mon 02 Jan")
		}
		fmt.Fprintf(b, "<g class=\"tick\"><line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/><text x=\"%s\" y=\"14\" text-anchor=\"middle\">%s</text></g>\n",
			xx, svgAxisH-8, xx, height, xx, esc(label))
	}
	b.WriteString("</g>\n")

	y := svgAxisH + 4
	for _, m := range models {
		y = writePlatform(b, m, ax, y)
	}
	b.WriteString("</svg>\n")
}

// writePlatform draws one platform's heading, device lanes and task lanes
// from y down and returns the y below them.
func writePlatform(b *strings.Builder, m *model, ax timeAxis, y int) int {
	res := m.Res
	v := verdictText(res)
	fmt.Fprintf(b, "<g class=\"platform\" data-platform=\"%s\" role=\"group\" aria-label=\"%s, %s\">\n", esc(res.Platform), esc(orDash(res.Platform)), v)
	fmt.Fprintf(b, "<g class=\"platform-head\" aria-hidden=\"true\"><line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><text x=\"8\" y=\"%d\">%s · %s</text></g>\n",
		y+2, svgWidth-svgRightPad, y+2, y+17, esc(orDash(res.Platform)), v)
	y += svgHeadH
	plat := orDash(res.Platform)
	row := func(class, attrs string, top, hgt int, label, aria string) {
		fmt.Fprintf(b, "<g class=\"row %s\" %s tabindex=\"0\" role=\"group\" aria-label=\"%s\">\n", class, attrs, esc(aria))
		fmt.Fprintf(b, "<rect class=\"focus\" x=\"2\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\"/>\n", top-2, svgWidth-svgRightPad, hgt+4)
		fmt.Fprintf(b, "<text class=\"label\" x=\"8\" y=\"%d\">%s</text>\n", top+hgt/2+4, esc(label))
	}
	for _, s := range m.Signals {
		if len(s.Segs) == 0 {
			continue
		}
		row("band device signal-"+cssName(s.Key), fmt.Sprintf("data-signal=\"%s\"", esc(s.Key)), y, svgBandH, s.Label,
			fmt.Sprintf("%s %s: %s", plat, s.Label, plural(len(s.Segs), "span", "spans")))
		b.WriteString("<g clip-path=\"url(#tl-clip)\">\n")
		for _, g := range s.Segs {
			x0, x1 := ax.x(g.From), ax.x(g.To)
			tip := s.Label + ": " + g.Value + "\n" + fmtAt(m.Start, g.From) + " → " + fmtAt(m.Start, g.To) + " (" + fmtDur(g.To-g.From) + ")"
			if g.Reason != "" {
				tip += "\n" + g.Reason
			}
			fmt.Fprintf(b, "<rect class=\"seg v-%s\" data-value=\"%s\" data-a=\"%s\" data-b=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"><title>%s</title></rect>\n",
				cssName(g.Value), esc(g.Value), secs(g.From), secs(g.To), px(x0), y, px(x1-x0), svgBandH, esc(tip))
		}
		b.WriteString("</g>\n</g>\n")
		y += svgBandH + svgBandGap
	}
	if len(m.Battery) > 0 {
		last := m.Battery[len(m.Battery)-1]
		lo := m.Battery[0]
		for _, p := range m.Battery {
			if p.Level < lo.Level {
				lo = p
			}
		}
		tip := fmt.Sprintf("battery: %d%% at %s, %d%% at %s; lowest %d%% at %s", m.Battery[0].Level, fmtAt(m.Start, m.Battery[0].At),
			last.Level, fmtAt(m.Start, last.At), lo.Level, fmtAt(m.Start, lo.At))
		row("band device battery", "data-signal=\"battery\"", y, svgBattH, "battery", plat+" "+tip)
		fmt.Fprintf(b, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n<g clip-path=\"url(#tl-clip)\">\n", svgGutter, y, px(ax.plotW), svgBattH)
		ly := func(lv int64) float64 { return float64(y) + float64(100-min(max(lv, 0), 100))/100*svgBattH }
		var pts, data []string
		for i, p := range m.Battery {
			if i > 0 {
				pts = append(pts, px(ax.x(p.At))+","+px(ly(m.Battery[i-1].Level)))
			}
			pts = append(pts, px(ax.x(p.At))+","+px(ly(p.Level)))
			data = append(data, secs(p.At)+":"+strconv.FormatInt(min(max(p.Level, 0), 100), 10))
		}
		pts = append(pts, px(ax.x(ax.h))+","+px(ly(last.Level)))
		fmt.Fprintf(b, "<polyline points=\"%s\" data-levels=\"%s\" data-top=\"%d\" data-h=\"%d\"><title>%s</title></polyline>\n</g>\n</g>\n",
			strings.Join(pts, " "), strings.Join(data, " "), y, svgBattH, esc(tip))
		y += svgBattH + svgBandGap
	}

	for _, st := range m.Tasks {
		label := st.Unique
		if st.Task != "" && st.Task != st.Unique {
			label += " (" + st.Task + ")"
		}
		shown := label
		if r := []rune(shown); len(r) > 28 {
			shown = string(r[:27]) + "…"
		}
		row("lane task", fmt.Sprintf("data-task=\"%s\" data-taskname=\"%s\"", esc(st.Unique), esc(st.Task)), y, svgLaneH, shown,
			fmt.Sprintf("%s task %s: %s, %s", plat, label, plural(len(st.Runs), "run", "runs"), plural(len(st.Holds), "hold", "holds")))
		fmt.Fprintf(b, "<rect class=\"bg\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n<g clip-path=\"url(#tl-clip)\">\n", svgGutter, y, px(ax.plotW), svgLaneH)
		for _, hd := range st.Holds {
			x0, x1 := ax.x(hd.From), ax.x(hd.To)
			tip := "held back by " + classLabel(hd.Class) + ", " + fmtDur(hd.To-hd.From) + "\n" +
				fmtAt(m.Start, hd.From) + " → " + fmtAt(m.Start, hd.To) + "\n" + hd.Reason
			if hd.Last != "" {
				tip += "\nlast: " + hd.Last
			}
			if hd.Count > 1 {
				tip += fmt.Sprintf("\n(%d evaluations)", hd.Count)
			}
			fmt.Fprintf(b, "<rect class=\"hold gate-%s\" data-gate=\"%s\" data-a=\"%s\" data-b=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"><title>%s</title></rect>\n",
				cssName(hd.Class), esc(hd.Class), secs(hd.From), secs(hd.To), px(x0), y+4, px(x1-x0), svgLaneH-8, esc(tip))
		}
		for _, r := range st.Runs {
			s, e := secDur(r.TStart), secDur(r.TEnd)
			x0, x1 := ax.x(s), ax.x(e)
			wdt := max(x1-x0, svgMinRunW)
			tip := fmt.Sprintf("%s attempt %d → %s\n%s → %s (%s)", orDash(r.Task), r.Attempt, r.Outcome,
				fmtAt(m.Start, s), fmtAt(m.Start, e), fmtDur(e-s))
			if r.StopReason != "" {
				tip += "\nstop reason: " + r.StopReason
			}
			if d := s - secDur(r.Eligible); d > 0 {
				tip += "\n" + fmtDur(d) + " after it was due"
			}
			if r.WhyThen != "" {
				tip += "\nwhy then: " + r.WhyThen
			}
			if r.Received != "" && r.Received != r.Task {
				tip += "\ndispatcher received: " + r.Received
			}
			fmt.Fprintf(b, "<rect class=\"run outcome-%s\" data-outcome=\"%s\" data-a=\"%s\" data-b=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"><title>%s</title></rect>\n",
				cssName(r.Outcome), esc(r.Outcome), secs(s), secs(e), px(x0), y, px(wdt), svgLaneH, esc(tip))
		}
		for _, r := range st.Records {
			cls := markClass(string(string(r.Kind)))
			if cls == "" {
				continue
			}
			xx := px(ax.x(r.At))
			fmt.Fprintf(b, "<line class=\"mark %s\" data-kind=\"%s\" data-a=\"%s\" data-b=\"%s\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"><title>%s</title></line>\n",
				cls, esc(string(string(r.Kind))), secs(r.At), secs(r.At), xx, y, xx, y+svgLaneH, esc(fmtAt(m.Start, r.At)+" "+recordLine(r)))
		}
		b.WriteString("</g>\n</g>\n")
		y += svgLaneH + svgLaneGap
	}
	b.WriteString("</g>\n")
	return y
}

// markClass is the class of the tick drawn in a task lane for a record of
// kind k, or "" for kinds not drawn.
func markClass(k string) string {
	switch k {
	case "registered", "enqueued", "cancelled":
		return "mark-event"
	case "warning", "clamped":
		return "mark-warning"
	case "rejected":
		return "mark-error"
	}
	return ""
}

// markLabels names the mark classes in the legend.
var markLabels = map[string]string{"mark-event": "registered, enqueued or cancelled", "mark-warning": "clamped or warned", "mark-error": "rejected"}

// swatch is one legend entry: an SVG element of the classes the timeline
// uses, and its label.
type swatch struct{ svg, label string }

// writeLegend explains every colour the timeline uses, in the order the
// timeline shows them: device lanes by signal, then runs, holds and marks.
func writeLegend(b *strings.Builder, models []*model) {
	seen := map[string]bool{}
	add := func(list *[]swatch, key string, s swatch) {
		if !seen[key] {
			seen[key] = true
			*list = append(*list, s)
		}
	}
	device := map[string][]swatch{}
	var devKeys []string
	var runs, holds, marks []swatch
	battery := false
	for _, m := range models {
		for _, s := range m.Signals {
			for _, g := range s.Segs {
				if _, ok := device[s.Key]; !ok {
					devKeys = append(devKeys, s.Key)
					device[s.Key] = nil
				}
				l := device[s.Key]
				add(&l, "s"+s.Key+"="+g.Value, swatch{
					fmt.Sprintf("<svg width=\"14\" height=\"10\" aria-hidden=\"true\"><g class=\"signal-%s\"><rect class=\"seg v-%s\" width=\"14\" height=\"10\"/></g></svg>", cssName(s.Key), cssName(g.Value)),
					g.Value})
				device[s.Key] = l
			}
		}
		battery = battery || len(m.Battery) > 0
		for _, st := range m.Tasks {
			for _, r := range st.Runs {
				add(&runs, "o"+r.Outcome, swatch{fmt.Sprintf("<svg width=\"14\" height=\"10\" aria-hidden=\"true\"><rect class=\"run outcome-%s\" width=\"14\" height=\"10\"/></svg>", cssName(r.Outcome)), r.Outcome})
			}
			for _, h := range st.Holds {
				add(&holds, "g"+h.Class, swatch{fmt.Sprintf("<svg width=\"14\" height=\"10\" aria-hidden=\"true\"><rect class=\"hold gate-%s\" width=\"14\" height=\"10\"/></svg>", cssName(h.Class)), classLabel(h.Class)})
			}
			for _, r := range st.Records {
				if c := markClass(string(string(r.Kind))); c != "" {
					add(&marks, "m"+c, swatch{fmt.Sprintf("<svg width=\"14\" height=\"10\" aria-hidden=\"true\"><line class=\"mark %s\" x1=\"7\" y1=\"0\" x2=\"7\" y2=\"10\"/></svg>", c), markLabels[c]})
				}
			}
		}
	}
	// Signals in band order.
	slices.SortStableFunc(devKeys, func(a, c string) int { return signalIndex(a) - signalIndex(c) })
	if len(devKeys)+len(runs)+len(holds)+len(marks) == 0 && !battery {
		return
	}
	b.WriteString("<dl class=\"legend\" aria-label=\"legend\">\n")
	entry := func(title string, list []swatch) {
		if len(list) == 0 {
			return
		}
		b.WriteString("<dt>" + esc(title) + "</dt><dd>")
		for _, s := range list {
			b.WriteString("<span>" + s.svg + esc(s.label) + "</span>")
		}
		b.WriteString("</dd>\n")
	}
	for _, k := range devKeys {
		entry(signalLabel(k), device[k])
	}
	if battery {
		entry("battery", []swatch{{"<svg width=\"14\" height=\"10\" aria-hidden=\"true\"><g class=\"battery\"><polyline points=\"0,9 7,4 14,2\"/></g></svg>", "charge level, 0–100 %"}})
	}
	entry("runs", runs)
	entry("held back", holds)
	entry("marks", marks)
	b.WriteString("</dl>\n")
}

func signalIndex(key string) int {
	for i, s := range signalOrder {
		if s.Key == key {
			return i
		}
	}
	return len(signalOrder)
}

func signalLabel(key string) string {
	if i := signalIndex(key); i < len(signalOrder) {
		return signalOrder[i].Label
	}
	return key
}
