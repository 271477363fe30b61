// Decoding of format v1.1's additions: clock times, `until` and the
// ${now_ms} placeholder.

package scenarios

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// modeNames lists the accepted UIBackgroundModes values.
func modeNames() []string {
	out := make([]string, len(BackgroundModes))
	for i, m := range BackgroundModes {
		out[i] = string(m)
	}
	return out
}

const clockValid = `a 24-hour clock time HH:MM or HH:MM:SS, quoted, e.g. "10:00"`

// clockTime decodes a time of day, "10:00".
func (d *decoder) clockTime(n ast.Node, path string) (ClockTime, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return ClockTime{}, false
	}
	h, m, sec, isClock, err := parseClock(s)
	switch {
	case !isClock:
		d.errorf(n, path, clockValid, "%s is not a clock time", quoteShort(s))
		return ClockTime{}, false
	case err != nil:
		d.errorf(n, path, clockValid, "invalid clock time %s: %v", quoteShort(s), err)
		return ClockTime{}, false
	}
	return ClockTime{Hour: h, Minute: m, Second: sec}, true
}

// untilValid says what a computed duration argument looks like.
const untilValid = `a duration such as 1h, or {until: "10:00"}: the time from the call to the next 10:00`

// durationArg decodes a duration argument: a duration, or {until: "HH:MM"}
// (format v1.1), which is kept in a.Until and computed when the call is
// made. It reports whether a fixed duration was decoded into *dst.
func (d *decoder) durationArg(a *Args, name string, n ast.Node, p string) (*ClockTime, bool) {
	switch d.resolve(n, p).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		o := d.object(n, p, "until")
		if o == nil {
			return nil, false
		}
		v := o.require("until", untilValid)
		if v == nil {
			return nil, false
		}
		c, ok := d.clockTime(v, o.at("until"))
		if !ok {
			return nil, false
		}
		if a.Until == nil {
			a.Until = map[string]ClockTime{}
		}
		a.Until[name] = c
		return &c, false
	}
	return nil, true
}

// posOnly is a node that carries nothing but a position, for diagnostics
// about entries whose nodes were not kept.
func posOnly(p Pos) ast.Node {
	return ast.String(&token.Token{Type: token.StringType, Position: &token.Position{Line: p.Line, Column: p.Column}})
}

// HasNowMs reports whether s contains the ${now_ms} placeholder.
func HasNowMs(s string) bool { return strings.Contains(s, NowMsPlaceholder) }

// NowMsPlaceholder in a string argument becomes the milliseconds since the
// Unix epoch on the simulated clock when the call is made (format v1.1).
const NowMsPlaceholder = "${now_ms}"
