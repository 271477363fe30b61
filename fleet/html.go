package fleet

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// WriteHTML writes a self-contained HTML page: the text tables, and for each
// task a histogram (SVG, from the distribution's buckets) of runs per day,
// gaps between successes, delays and battery.
func WriteHTML(w io.Writer, s *Summary) error {
	var text strings.Builder
	if err := WriteText(&text, s); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><meta charset="utf-8"><title>wmsim fleet: ` + html.EscapeString(s.Scenario) + `</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}pre{font-size:12px;background:#f6f6f6;padding:1em;overflow:auto}
.h{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}.h h4{margin:.2em 0;font-weight:600}svg text{font-size:10px;fill:#555}</style></head><body>`)
	fmt.Fprintf(&b, "<h1>Fleet: %s on %s</h1>\n<pre>%s</pre>\n", html.EscapeString(s.Scenario), html.EscapeString(s.Platform), html.EscapeString(text.String()))
	if s.All != nil {
		for _, t := range s.All.Tasks {
			fmt.Fprintf(&b, "<h2>%s</h2>\n", html.EscapeString(t.Task))
			histogram(&b, "runs per day (per device)", &t.RunsPerDayMilli, milli)
			histogram(&b, "gap between successful runs", &t.SuccessGapMs, dur)
			histogram(&b, "delay from due to start", &t.DelayMs, dur)
			histogram(&b, "battery drawn by the task (mAh per device)", &t.BatteryUAh, mAh)
			for _, bl := range t.Blocked {
				histogram(&b, "blocked by "+bl.Reason+" (devices that were)", &bl.PerDeviceMs, dur)
			}
		}
	}
	b.WriteString("</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// histogram draws d as at most 40 bars of equal value width between its min
// and max, from its buckets (each bucket's count goes to the bar holding its
// midpoint).
func histogram(b *strings.Builder, title string, d *Dist, label func(int64) string) {
	const bars, wpx, hpx = 40, 400, 120
	if d.Count() == 0 {
		return
	}
	lo, hi := d.Min(), d.Max()
	counts := make([]int64, bars)
	for _, bk := range d.buckets() {
		mid := min(max(bk.lo+(bk.hi-bk.lo)/2, lo), hi)
		i := 0
		if hi > lo {
			i = int((mid - lo) * (bars - 1) / (hi - lo))
		}
		counts[i] += bk.n
	}
	var top int64 = 1
	for _, c := range counts {
		top = max(top, c)
	}
	fmt.Fprintf(b, `<div class="h"><h4>%s</h4><svg width="%d" height="%d" role="img">`, html.EscapeString(title), wpx, hpx+16)
	bw := wpx / bars
	for i, c := range counts {
		h := int(c * hpx / top)
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#4a7bd0"><title>%d</title></rect>`, i*bw, hpx-h, bw-1, h, c)
	}
	fmt.Fprintf(b, `<text x="0" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s</text></svg>`,
		hpx+12, html.EscapeString(label(lo)), wpx, hpx+12, html.EscapeString(label(hi)))
	fmt.Fprintf(b, "<div>n=%d · p50 %s · p90 %s · p99 %s</div></div>\n", d.Count(), html.EscapeString(label(d.Quantile(.5))), html.EscapeString(label(d.Quantile(.9))), html.EscapeString(label(d.Quantile(.99))))
}
