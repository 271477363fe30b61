// The formatting shared by the renderers: offsets, clock times, durations
// and plurals.

package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// fmtOffset prints an offset from the scenario's start: "+0:00:00",
// "+19:12:00", "+1d02:00:00", with milliseconds only when they are not zero.
func fmtOffset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign = "-"
		d = -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	d -= s * time.Second
	ms := d / time.Millisecond
	var b strings.Builder
	b.WriteString(sign)
	if days > 0 {
		fmt.Fprintf(&b, "%dd%02d:%02d:%02d", days, h, m, s)
	} else {
		fmt.Fprintf(&b, "%d:%02d:%02d", h, m, s)
	}
	if ms > 0 {
		fmt.Fprintf(&b, ".%03d", ms)
	}
	return b.String()
}

// fmtClock prints the wall-clock time at offset d in the scenario's own UTC
// offset (the location of start): "Tue 03:12:00".
func fmtClock(start time.Time, d time.Duration) string {
	return start.Add(d).Format("Mon 15:04:05")
}

// fmtAt prints an instant both ways: "+19:12:00 (Tue 03:12:00)".
func fmtAt(start time.Time, d time.Duration) string {
	return fmtOffset(d) + " (" + fmtClock(start, d) + ")"
}

// fmtDur prints a length of time compactly: "4s", "1m30s", "4h10m", "2d3h".
// Sub-second lengths keep milliseconds ("250ms", "1.5s").
func fmtDur(d time.Duration) string {
	if d < 0 {
		return "-" + fmtDur(-d)
	}
	if d == 0 {
		return "0s"
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	if d < time.Minute {
		d = d.Round(time.Millisecond)
		out := strconv.FormatInt(int64(d/time.Second), 10)
		if ms := int64(d%time.Second) / int64(time.Millisecond); ms > 0 {
			out += strings.TrimRight(fmt.Sprintf(".%03d", ms), "0")
		}
		return out + "s"
	}
	d = d.Round(time.Second)
	var days time.Duration
	if d >= 48*time.Hour {
		days = d / (24 * time.Hour)
		d -= days * 24 * time.Hour
	}
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	var b strings.Builder
	if days > 0 {
		fmt.Fprintf(&b, "%dd", days)
	}
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 && days == 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if s > 0 && days == 0 && h == 0 {
		fmt.Fprintf(&b, "%ds", s)
	}
	if b.Len() == 0 {
		return "0s"
	}
	return b.String()
}

// secDur converts result-document seconds to a duration, rounded to the
// millisecond (the document's resolution).
func secDur(s Seconds) time.Duration {
	f := float64(s)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	ms := math.Round(f * 1000)
	if ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		ms = float64(math.MaxInt64 / int64(time.Millisecond))
	}
	if ms < -float64(math.MaxInt64/int64(time.Millisecond)) {
		ms = -float64(math.MaxInt64 / int64(time.Millisecond))
	}
	return time.Duration(ms) * time.Millisecond
}

// startOf returns start if it is set, else the result's own start time.
func startOf(res *Result, start time.Time) time.Time {
	if !start.IsZero() {
		return start
	}
	if res != nil {
		if t, err := time.Parse(time.RFC3339Nano, res.Start); err == nil {
			return t
		}
	}
	return time.Time{}.UTC()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
