package device

import (
	"fmt"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

var t0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday

// rig is a device on a fresh engine with a recorder of its changes.
type rig struct {
	eng     *sim.Engine
	dev     *Device
	changes []Change
}

func newRig(mod func(*Config)) *rig {
	cfg := Config{Initial: DefaultState()}
	if mod != nil {
		mod(&cfg)
	}
	r := &rig{eng: sim.New(t0, 1)}
	r.dev = New(r.eng, cfg)
	r.dev.Subscribe(ListenerFunc(func(c *Change) { r.changes = append(r.changes, *c) }))
	return r
}

// first returns the first change of kind at or after from, and whether there was one.
func (r *rig) first(kind ChangeKind) (Change, bool) {
	for _, c := range r.changes {
		if c.Kind == kind {
			return c, true
		}
	}
	return Change{}, false
}

func (r *rig) kinds() []ChangeKind {
	var out []ChangeKind
	for _, c := range r.changes {
		out = append(out, c.Kind)
	}
	return out
}

func (r *rig) reset() { r.changes = nil }

// timeline renders changes one per line, for determinism checks.
func timeline(cs []Change) string {
	var b strings.Builder
	for _, c := range cs {
		s := c.State
		fmt.Fprintf(&b, "%s %s lvl=%d chg=%s net=%s scr=%t app=%s pow=%s mv=%t\n",
			sim.FormatOffset(c.At.Sub(t0)), c.Kind, s.Battery.Level(), s.Charger, s.Network.Type, s.ScreenOn, s.App, s.Power, s.Moving)
	}
	return b.String()
}
