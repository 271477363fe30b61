// The format's durations, clock times and byte sizes: parsing and
// formatting.

package scenarios

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// durationSyntax says what a duration looks like, for error messages.
const durationSyntax = "a number and a unit (ns, us, ms, s, m, h, d), e.g. 90s, 15m, 1h30m, 3d, 2d12h"

// ParseDuration parses a Go duration (time.ParseDuration) extended with the
// unit d (24h): "90s", "15m", "1h30m", "3d", "2d12h", "1.5d". A leading sign
// is allowed (callers reject negative values where they are invalid); "0"
// needs no unit.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("invalid duration %q; use %s", orig, durationSyntax)
	}
	if s == "" {
		return bad()
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return bad()
	}
	var days time.Duration // from d segments
	var rest strings.Builder
	for s != "" {
		// number: digits [. digits]
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if i == 0 {
			return bad()
		}
		num := s[:i]
		s = s[i:]
		j := 0
		for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		unit := s[:j]
		s = s[j:]
		if unit == "" {
			return bad()
		}
		if unit != "d" {
			rest.WriteString(num)
			rest.WriteString(unit)
			continue
		}
		v, ok := decimalTimes(num, Day)
		if !ok || days > math.MaxInt64-v {
			return 0, fmt.Errorf("duration %q is out of range", orig)
		}
		days += v
	}
	total := days
	if rest.Len() > 0 {
		r, err := time.ParseDuration(rest.String())
		if err != nil {
			if strings.Contains(err.Error(), "overflow") {
				return 0, fmt.Errorf("duration %q is out of range", orig)
			}
			return bad()
		}
		if r > math.MaxInt64-total {
			return 0, fmt.Errorf("duration %q is out of range", orig)
		}
		total += r
	}
	if neg {
		total = -total
	}
	return total, nil
}

// decimalTimes returns num (digits with an optional fraction) times unit,
// in integer arithmetic, and false on syntax error or overflow.
func decimalTimes(num string, unit time.Duration) (time.Duration, bool) {
	ip, fp, hasDot := strings.Cut(num, ".")
	_ = hasDot
	if ip == "" && fp == "" || strings.Contains(fp, ".") {
		return 0, false
	}
	var whole int64
	if ip != "" {
		n, err := strconv.ParseInt(ip, 10, 64)
		if err != nil || n > math.MaxInt64/int64(unit) {
			return 0, false
		}
		whole = n * int64(unit)
	}
	// fraction: unit * digits / 10^k, exact (128-bit), truncated to an
	// integer; digits past the 18th are ignored.
	var f, pow uint64 = 0, 1
	for i, c := range fp {
		if c < '0' || c > '9' {
			return 0, false
		}
		if i >= 18 {
			continue
		}
		f = f*10 + uint64(c-'0')
		pow *= 10
	}
	hi, lo := bits.Mul64(uint64(unit), f)
	q, _ := bits.Div64(hi, lo, pow)
	if q > math.MaxInt64 {
		return 0, false
	}
	frac := int64(q)
	if whole > math.MaxInt64-frac {
		return 0, false
	}
	return time.Duration(whole + frac), true
}

// FormatDuration formats d in the scenario syntax, with days: 3d, 2d12h,
// 1h30m, 90s → 1m30s, 200ms.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	sign := ""
	if d < 0 {
		if d == math.MinInt64 {
			return d.String()
		}
		sign = "-"
		d = -d
	}
	days := d / Day
	rest := d % Day
	out := sign
	if days > 0 {
		out += strconv.FormatInt(int64(days), 10) + "d"
	}
	if rest > 0 {
		s := rest.String() // e.g. 23h30m0s, 1h0m0s, 1m30s, 200ms
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		out += s
	}
	return out
}

// parseClock parses "HH:MM" or "HH:MM:SS" (24-hour clock).
func parseClock(s string) (h, m, sec int, ok bool, err error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false, nil
	}
	for _, p := range parts {
		if len(p) < 1 || len(p) > 2 {
			return 0, 0, 0, false, nil
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return 0, 0, 0, false, nil
			}
		}
	}
	h, _ = strconv.Atoi(parts[0])
	m, _ = strconv.Atoi(parts[1])
	if len(parts[1]) != 2 {
		return 0, 0, 0, true, errors.New("minutes need two digits")
	}
	if len(parts) == 3 {
		if len(parts[2]) != 2 {
			return 0, 0, 0, true, errors.New("seconds need two digits")
		}
		sec, _ = strconv.Atoi(parts[2])
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, 0, 0, true, errors.New("not a time of day")
	}
	return h, m, sec, true, nil
}

// byteUnits maps a size unit to its number of bytes.
var byteUnits = map[string]int64{
	"": 1, "B": 1,
	"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
}

const byteSizeSyntax = "a number of bytes or a number and a unit: B, KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024), e.g. 12GB, 512MiB"

// ParseByteSize parses a size such as "12GB", "1.5GiB" or "4096".
func ParseByteSize(s string) (ByteSize, error) {
	orig := s
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	mult, ok := byteUnits[unit]
	if num == "" || !ok {
		return 0, fmt.Errorf("invalid size %q; use %s", orig, byteSizeSyntax)
	}
	v, ok := decimalTimes(num, time.Duration(mult))
	if !ok {
		return 0, fmt.Errorf("invalid size %q; use %s", orig, byteSizeSyntax)
	}
	return ByteSize(v), nil
}

// String formats the size with the largest exact decimal unit.
func (b ByteSize) String() string {
	for _, u := range []string{"TB", "GB", "MB", "KB"} {
		if m := byteUnits[u]; b != 0 && int64(b)%m == 0 {
			return strconv.FormatInt(int64(b)/m, 10) + u
		}
	}
	return strconv.FormatInt(int64(b), 10) + "B"
}
