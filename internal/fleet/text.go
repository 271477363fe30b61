package fleet

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText prints the summary as tables: one per group (all devices, then
// each profile), a block of rows per task with p50, p90, p99 and max.
func WriteText(w io.Writer, s *Summary) error {
	var mix []string
	for _, m := range s.Mix {
		mix = append(mix, fmt.Sprintf("%s=%d", m.Profile, m.Weight))
	}
	fmt.Fprintf(w, "fleet %s on %s: %d devices × %s, seed %d, mix %s\n", s.Scenario, s.Platform, s.Devices, s.Duration, s.Seed, strings.Join(mix, ","))
	var ranges []string
	assigned := 0
	for _, r := range s.Ranges {
		ranges = append(ranges, fmt.Sprintf("[%d, %d)", r[0], r[1]))
		assigned += r[1] - r[0]
	}
	status := fmt.Sprintf("completed %d of %d devices", s.Completed, assigned)
	if assigned != s.Devices {
		status += " (devices " + strings.Join(ranges, " ") + ")"
	}
	if s.Interrupted {
		status += "; INTERRUPTED: the numbers cover the completed devices only"
	}
	if s.Limited > 0 {
		status += fmt.Sprintf("; %d stopped at a safety limit", s.Limited)
	}
	fmt.Fprintln(w, status)
	groups := []*Group{}
	if s.All != nil {
		groups = append(groups, s.All)
	}
	if len(s.Profiles) > 1 {
		groups = append(groups, s.Profiles...)
	}
	for _, g := range groups {
		title := "all devices"
		if g.Profile != "*" {
			title = "profile " + g.Profile
		}
		fmt.Fprintf(w, "\n%s (%d devices)\n", title, g.Devices)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "task\tmetric\tp50\tp90\tp99\tmax\t")
		row := func(task, metric string, d *Dist, f func(int64) string) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", task, metric, f(d.Quantile(0.5)), f(d.Quantile(0.9)), f(d.Quantile(0.99)), f(d.Max()))
		}
		for _, t := range g.Tasks {
			row(t.Task, "runs/day", &t.RunsPerDayMilli, milli)
			row("", "successes", &t.SuccessesPerDevice, count)
			row("", "gap between successes", &t.SuccessGapMs, dur)
			row("", "delay due→start", &t.DelayMs, dur)
			row("", "battery (mAh)", &t.BatteryUAh, mAh)
			for _, b := range t.Blocked {
				fmt.Fprintf(tw, "\tblocked: %s\t%s\t%s\t%s\t%s\t\n", b.Reason,
					dur(b.QuantileAll(t.Devices, 0.5)), dur(b.QuantileAll(t.Devices, 0.9)), dur(b.QuantileAll(t.Devices, 0.99)), dur(b.PerDeviceMs.Max()))
			}
		}
		row("(app)", "tasks' battery (mAh)", &g.AppBatteryUAh, mAh)
		row("(device)", "battery used (mAh)", &g.DeviceUsedUAh, mAh)
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, t := range g.Tasks {
			fmt.Fprintf(w, "  %s: %d runs, %d successes on %d devices\n", t.Task, t.Runs, t.Successes, t.Devices)
		}
	}
	fmt.Fprintln(w, "\nruns/day, successes and battery are per device; gaps and delays per run; blocked time per device (0 where never blocked).")
	writeExpectText(w, s)
	return nil
}

func milli(v int64) string { return fmt.Sprintf("%.2f", float64(v)/1000) }
func count(v int64) string { return fmt.Sprint(v) }
func mAh(v int64) string   { return fmt.Sprintf("%.1f", float64(v)/1000) }

// dur prints milliseconds compactly: 850ms, 42s, 12m30s, 5h02m, 3d04h.
func dur(ms int64) string {
	neg := ms < 0
	if neg {
		ms = -ms
	}
	s := ms / 1000
	var out string
	switch {
	case ms < 1000:
		out = fmt.Sprintf("%dms", ms)
	case s < 60:
		out = fmt.Sprintf("%.1fs", float64(ms)/1000)
	case s < 3600:
		out = fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 86400:
		out = fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	default:
		out = fmt.Sprintf("%dd%02dh", s/86400, s%86400/3600)
	}
	if neg {
		out = "-" + out
	}
	return out
}
