package report

import (
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wmsim/wmsim/sim"
)

// SVG geometry of the HTML timeline, in px.
const (
	svgWidth    = 1200
	svgGutter   = 190 // labels left of the plot
	svgRightPad = 16
	svgAxisH    = 30
	svgBandH    = 14
	svgBandGap  = 4
	svgBattH    = 40
	svgLaneH    = 18
	svgLaneGap  = 6
	svgMinRunW  = 1.5 // a 4 s run on a 3-day axis stays visible
)

const htmlCSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#212121;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.verdict-pass{color:#2e7d32}.verdict-fail,.verdict-limit{color:#c62828}
dl.summary{display:grid;grid-template-columns:max-content auto;gap:2px 14px;margin:0}dl.summary dt{color:#616161}dl.summary dd{margin:0}
table.tasks{border-collapse:collapse;margin:6px 0}table.tasks th,table.tasks td{border-bottom:1px solid #e0e0e0;padding:3px 10px;text-align:right}
table.tasks th:nth-child(-n+3),table.tasks td:nth-child(-n+3){text-align:left}table.tasks th{background:#fafafa}
ul.plain{list-style:none;padding-left:0;margin:4px 0}ul.plain li{margin:2px 0}
.expect.ok .mark{color:#2e7d32}.expect.fail .mark{color:#c62828}.detail{color:#616161}
.scroll{overflow-x:auto}
svg.timeline{font:11px system-ui,sans-serif;background:#fff}
svg .label{fill:#424242}svg .tick line{stroke:#e0e0e0}svg .tick text{fill:#757575}
.seg{fill:#cfd8dc}.v-none,.v-off{fill:#f1f1f1}
.signal-charger .v-ac,.signal-charger .v-usb,.signal-charger .v-wireless{fill:#43a047}
.signal-network .v-wifi{fill:#1e88e5}.signal-network .v-cellular{fill:#8e24aa}.signal-network .v-none{fill:#ffcdd2}
.signal-screen .v-on{fill:#fbc02d}.signal-screen .v-off{fill:#eceff1}
.signal-power .v-on{fill:#eceff1}.signal-power .v-off{fill:#212121}
.signal-doze .v-active{fill:#eceff1}.signal-doze .v-idle{fill:#1a237e}.signal-doze .v-idle-maintenance{fill:#66bb6a}
.signal-doze .v-idle-pending,.signal-doze .v-sensing,.signal-doze .v-locating,.signal-doze .v-inactive{fill:#9fa8da}
.signal-doze .v-light-idle{fill:#5c6bc0}.signal-doze .v-light-idle-maintenance{fill:#a5d6a7}
.signal-bucket .v-exempted,.signal-bucket .v-active{fill:#43a047}.signal-bucket .v-working-set{fill:#9ccc65}
.signal-bucket .v-frequent{fill:#fdd835}.signal-bucket .v-rare{fill:#fb8c00}.signal-bucket .v-restricted{fill:#e53935}.signal-bucket .v-never{fill:#212121}
.battery polyline{fill:none;stroke:#2e7d32;stroke-width:1.5}.battery rect.frame{fill:#fafafa;stroke:#e0e0e0}
.lane rect.bg{fill:#fafafa}
.hold{fill:#bdbdbd;opacity:.55}.gate-doze{fill:#3949ab}.gate-quota{fill:#fb8c00}.gate-constraint{fill:#78909c}
.gate-usage-score{fill:#8e24aa}.gate-external-power{fill:#43a047}.gate-device-idle{fill:#fbc02d}
.gate-background-app-refresh{fill:#6d4c41}.gate-network{fill:#1e88e5}.gate-battery{fill:#e53935}.gate-not-due{fill:#e0e0e0}.gate-force-quit{fill:#e53935}.gate-low-power-mode{fill:#fdd835}
.run{fill:#757575}.outcome-success{fill:#2e7d32}.outcome-retry{fill:#f9a825}.outcome-failure{fill:#c62828}
.outcome-stopped{fill:#d84315}.outcome-expired{fill:#ad1457}
.mark-event{stroke:#212121;stroke-width:1}.mark-warning{stroke:#f9a825;stroke-width:2}.mark-error{stroke:#c62828;stroke-width:2}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
`

// WriteHTML writes one self-contained HTML page (inline CSS and SVG, no
// scripts, fonts or network) for a scenario's results: per platform its
// summary, an SVG timeline with device bands (power, charging, network,
// screen, Doze state, bucket, battery curve) and one lane per task (runs
// coloured by outcome, deferral spans shaded by reason, <title> hover texts),
// the per-task table, and the expectations. traces[i] goes with results[i].
//
// Structure for tests and tooling: each platform is a
// <section class="result" data-platform=…>; each band is
// <g class="band device signal-KEY" data-signal=KEY>; each task lane is
// <g class="lane task" data-task=UNIQUE> holding rect.run (class
// outcome-…) and rect.hold (class gate-…) elements.
func WriteHTML(w io.Writer, results []*Result, traces [][]sim.Record, start time.Time) error {
	if len(results) == 0 {
		return errors.New("html: no results to write")
	}
	var b strings.Builder
	title := "wmsim"
	if results[0] != nil && results[0].Scenario != "" {
		title = "wmsim: " + results[0].Scenario
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>" + esc(title) + "</title>\n<style>" + htmlCSS + "</style>\n</head>\n<body>\n")
	b.WriteString("<h1>" + esc(title) + "</h1>\n")
	var verdicts []string
	for i, res := range results {
		if res == nil {
			return fmt.Errorf("html: result %d is missing", i)
		}
		verdicts = append(verdicts, orDash(res.Platform)+": "+verdictText(res))
	}
	b.WriteString("<p class=\"verdicts\">" + esc(strings.Join(verdicts, " · ")) + "</p>\n")
	for i, res := range results {
		var tr []sim.Record
		if i < len(traces) {
			tr = traces[i]
		}
		writeHTMLResult(&b, buildModel(res, tr, start))
	}
	b.WriteString("</body>\n</html>\n")
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
	b.WriteString("</dl>\n<h3>timeline</h3>\n<div class=\"scroll\">\n")
	writeSVG(b, m)
	b.WriteString("</div>\n")
	writeLegend(b, m)

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

func writeSVG(b *strings.Builder, m *model) {
	h := m.Horizon
	if h <= 0 {
		h = time.Second
	}
	plotW := float64(svgWidth - svgGutter - svgRightPad)
	x := func(d time.Duration) float64 {
		if d < 0 {
			d = 0
		}
		if d > h {
			d = h
		}
		return svgGutter + float64(d)/float64(h)*plotW
	}
	var bands []*signal
	for _, s := range m.Signals {
		if len(s.Segs) > 0 {
			bands = append(bands, s)
		}
	}
	height := svgAxisH + len(bands)*(svgBandH+svgBandGap) + len(m.Tasks)*(svgLaneH+svgLaneGap) + 10
	if len(m.Battery) > 0 {
		height += svgBattH + svgBandGap
	}
	fmt.Fprintf(b, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline of %s on %s\">\n",
		svgWidth, height, svgWidth, height, esc(m.Res.Scenario), esc(m.Res.Platform))

	// Axis: ticks aligned to the scenario's clock.
	step := tickStep(h)
	_, off := m.Start.Zone()
	tod := time.Duration((m.Start.Unix()+int64(off))%86400) * time.Second
	if tod < 0 {
		tod += 24 * time.Hour
	}
	align := step
	if align > 24*time.Hour {
		align = 24 * time.Hour
	}
	first := (align - tod%align) % align
	b.WriteString("<g class=\"axis\">\n")
	for i := time.Duration(0); i <= 14; i++ {
		t := first + i*step
		if t > h || t < first { // past the end, or overflowed
			break
		}
		xx := px(x(t))
		label := m.Start.Add(t).Format("15:04")
		if step >= 24*time.Hour || m.Start.Add(t).Format("15:04") == "00:00" {
			label = m.Start.Add(t).Format("Mon 02 Jan")
		}
		fmt.Fprintf(b, "<g class=\"tick\"><line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/><text x=\"%s\" y=\"14\" text-anchor=\"middle\">%s</text><title>%s</title></g>\n",
			xx, svgAxisH-8, xx, height, xx, esc(label), esc(fmtAt(m.Start, t)))
	}
	b.WriteString("</g>\n")

	y := svgAxisH
	for _, s := range bands {
		fmt.Fprintf(b, "<g class=\"band device signal-%s\" data-signal=\"%s\">\n<text class=\"label\" x=\"8\" y=\"%d\">%s</text>\n",
			cssName(s.Key), esc(s.Key), y+svgBandH-3, esc(s.Label))
		for _, g := range s.Segs {
			x0, x1 := x(g.From), x(g.To)
			tip := s.Label + ": " + g.Value + "\n" + fmtAt(m.Start, g.From) + " → " + fmtAt(m.Start, g.To) + " (" + fmtDur(g.To-g.From) + ")"
			if g.Reason != "" {
				tip += "\n" + g.Reason
			}
			fmt.Fprintf(b, "<rect class=\"seg v-%s\" data-value=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"><title>%s</title></rect>\n",
				cssName(g.Value), esc(g.Value), px(x0), y, px(x1-x0), svgBandH, esc(tip))
		}
		b.WriteString("</g>\n")
		y += svgBandH + svgBandGap
	}
	if len(m.Battery) > 0 {
		fmt.Fprintf(b, "<g class=\"band device battery\" data-signal=\"battery\">\n<text class=\"label\" x=\"8\" y=\"%d\">battery</text>\n", y+svgBattH/2+4)
		fmt.Fprintf(b, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n", svgGutter, y, px(plotW), svgBattH)
		ly := func(lv int64) float64 { return float64(y) + float64(100-min(max(lv, 0), 100))/100*svgBattH }
		var pts []string
		var tip strings.Builder
		for i, p := range m.Battery {
			if i > 0 {
				pts = append(pts, px(x(p.At))+","+px(ly(m.Battery[i-1].Level)))
			}
			pts = append(pts, px(x(p.At))+","+px(ly(p.Level)))
		}
		last := m.Battery[len(m.Battery)-1]
		pts = append(pts, px(x(h))+","+px(ly(last.Level)))
		fmt.Fprintf(&tip, "battery: %d%% at %s, %d%% at %s", m.Battery[0].Level, fmtAt(m.Start, m.Battery[0].At), last.Level, fmtAt(m.Start, last.At))
		lo := m.Battery[0]
		for _, p := range m.Battery {
			if p.Level < lo.Level {
				lo = p
			}
		}
		fmt.Fprintf(&tip, "; lowest %d%% at %s", lo.Level, fmtAt(m.Start, lo.At))
		fmt.Fprintf(b, "<polyline points=\"%s\"><title>%s</title></polyline>\n</g>\n", strings.Join(pts, " "), esc(tip.String()))
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
		fmt.Fprintf(b, "<g class=\"lane task\" data-task=\"%s\" data-taskname=\"%s\">\n<text class=\"label\" x=\"8\" y=\"%d\">%s<title>%s</title></text>\n",
			esc(st.Unique), esc(st.Task), y+svgLaneH-5, esc(shown), esc(label))
		fmt.Fprintf(b, "<rect class=\"bg\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n", svgGutter, y, px(plotW), svgLaneH)
		for _, hd := range st.Holds {
			x0, x1 := x(hd.From), x(hd.To)
			tip := "held back by " + classLabel(hd.Class) + ", " + fmtDur(hd.To-hd.From) + "\n" +
				fmtAt(m.Start, hd.From) + " → " + fmtAt(m.Start, hd.To) + "\n" + hd.Reason
			if hd.Last != "" {
				tip += "\nlast: " + hd.Last
			}
			if hd.Count > 1 {
				tip += fmt.Sprintf("\n(%d evaluations)", hd.Count)
			}
			fmt.Fprintf(b, "<rect class=\"hold gate-%s\" data-gate=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"><title>%s</title></rect>\n",
				cssName(hd.Class), esc(hd.Class), px(x0), y+4, px(x1-x0), svgLaneH-8, esc(tip))
		}
		for _, r := range st.Runs {
			s, e := secDur(r.TStart), secDur(r.TEnd)
			x0, x1 := x(s), x(e)
			wdt := x1 - x0
			if wdt < svgMinRunW {
				wdt = svgMinRunW
			}
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
			fmt.Fprintf(b, "<rect class=\"run outcome-%s\" data-outcome=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"><title>%s</title></rect>\n",
				cssName(r.Outcome), esc(r.Outcome), px(x0), y, px(wdt), svgLaneH, esc(tip))
		}
		for _, r := range st.Records {
			cls := ""
			switch r.Kind {
			case "registered", "enqueued", "cancelled":
				cls = "mark-event"
			case "warning", "clamped":
				cls = "mark-warning"
			case "rejected":
				cls = "mark-error"
			default:
				continue
			}
			xx := px(x(r.At))
			fmt.Fprintf(b, "<line class=\"mark %s\" data-kind=\"%s\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"><title>%s</title></line>\n",
				cls, esc(r.Kind), xx, y, xx, y+svgLaneH, esc(fmtAt(m.Start, r.At)+" "+recordLine(r)))
		}
		b.WriteString("</g>\n")
		y += svgLaneH + svgLaneGap
	}
	b.WriteString("</svg>\n")
}

// writeLegend explains the colours used by this result's lanes.
func writeLegend(b *strings.Builder, m *model) {
	var gates, outcomes []string
	seen := map[string]bool{}
	for _, st := range m.Tasks {
		for _, h := range st.Holds {
			if !seen["g"+h.Class] {
				seen["g"+h.Class] = true
				gates = append(gates, h.Class)
			}
		}
		for _, r := range st.Runs {
			if !seen["o"+r.Outcome] {
				seen["o"+r.Outcome] = true
				outcomes = append(outcomes, r.Outcome)
			}
		}
	}
	if len(gates)+len(outcomes) == 0 {
		return
	}
	b.WriteString("<p class=\"legend\">")
	for _, o := range outcomes {
		fmt.Fprintf(b, "<span><svg width=\"12\" height=\"10\"><rect class=\"run outcome-%s\" width=\"12\" height=\"10\"/></svg> run: %s</span>", cssName(o), esc(o))
	}
	for _, g := range gates {
		fmt.Fprintf(b, "<span><svg width=\"12\" height=\"10\"><rect class=\"hold gate-%s\" width=\"12\" height=\"10\"/></svg> held: %s</span>", cssName(g), esc(classLabel(g)))
	}
	b.WriteString("</p>\n")
}
