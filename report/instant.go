// The instants a user types for `wmsim explain --at`: offsets, days and
// clock times.

package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseInstant reads the instant a user names for `wmsim explain --at`, as
// an offset from start. It accepts an offset in the scenario duration syntax
// ("19h", "2d3h30m", "90s", optionally with a leading "+"), the offset form
// the reports print ("+19:00:00", "+1d03:00:00"), or a clock time in the
// scenario's UTC offset ("03:00", "03:00:30"), meaning its first occurrence
// at or after start.
func parseInstant(s string, start time.Time) (time.Duration, error) {
	in := strings.TrimSpace(s)
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("instant %q: want an offset from the start (19h, 2d3h, +1d03:00:00) or a clock time (03:00)", s)
	}
	if in == "" {
		return bad()
	}
	if strings.HasPrefix(in, "+") {
		d, ok := parseOffsetForm(in[1:])
		if !ok {
			return bad()
		}
		return d, nil
	}
	if strings.Contains(in, ":") {
		parts := strings.Split(in, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return bad()
		}
		var v [3]int
		limits := [3]int{23, 59, 59}
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n > limits[i] || len(p) > 2 {
				return bad()
			}
			v[i] = n
		}
		want := time.Duration(v[0])*time.Hour + time.Duration(v[1])*time.Minute + time.Duration(v[2])*time.Second
		_, off := start.Zone()
		tod := time.Duration(((start.Unix()+int64(off))%86400+86400)%86400)*time.Second + time.Duration(start.Nanosecond())
		d := want - tod
		if d < 0 {
			d += 24 * time.Hour
		}
		return d, nil
	}
	d, ok := parseDays(in)
	if !ok {
		return bad()
	}
	return d, nil
}

// parseDays parses a Go duration with an optional leading day count: "3d",
// "2d12h", "90m".
func parseDays(s string) (time.Duration, bool) {
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 100000 {
			return 0, false
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, true
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, false
	}
	return days + d, true
}

// parseOffsetForm parses "19:00:00", "1d03:00:00", "0:00:02.500" or a
// duration ("19h").
func parseOffsetForm(s string) (time.Duration, bool) {
	if !strings.Contains(s, ":") {
		return parseDays(s)
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 100000 {
			return 0, false
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, false
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h < 0 || m < 0 || m > 59 || sec < 0 || sec >= 60 {
		return 0, false
	}
	return days + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*1000+0.5)*time.Millisecond, true
}
