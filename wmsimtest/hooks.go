// Always and OnRecord: conditions checked, and code run, after every trace
// record.

package wmsimtest

import (
	"errors"
	"fmt"

	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

// hook is an invariant checked after every trace record.
type hook struct {
	desc     string
	cond     func(s *Sim) bool
	broken   string // the first violation
	reported bool
}

// Always is the virtual-time counterpart of Gomega's Consistently: cond is
// checked after every trace record (every decision the simulation makes)
// while time passes in RunFor/RunUntil/Run, and the first record after which
// it does not hold fails the test (through t, at the end of that Run call)
// and is kept in Violations. cond must only read state, never drive time.
//
//	s.Always("the sync never runs on cellular", func(s *wmsimtest.Sim) bool { … })
//	s.RunFor(24 * time.Hour)
func (s *Sim) Always(desc string, cond func(s *Sim) bool) {
	h := &hook{desc: desc, cond: cond}
	s.hooks = append(s.hooks, h)
	s.w.Engine.AddSink(sim.SinkFunc(func(r *sim.Record) {
		if h.broken != "" {
			return
		}
		var ok bool
		s.inEvent(func() { ok = cond(s) })
		if !ok {
			h.broken = fmt.Sprintf("%q broke at +%s, after %s %s %s: %s", desc, sim.FormatOffset(r.At), r.Source, r.Kind, r.Subject, r.Reason)
		}
	}))
}

// OnRecord calls fn with every trace record as it is made (the decision and
// its reason). fn must only read state, never drive time.
func (s *Sim) OnRecord(fn func(r *report.Record)) {
	s.w.Engine.AddSink(sim.SinkFunc(func(r *sim.Record) { s.inEvent(func() { fn(r) }) }))
}

// Violations are the invariants given to Always that broke, each with the
// first record after which it did not hold.
func (s *Sim) Violations() []string {
	var out []string
	for _, h := range s.hooks {
		if h.broken != "" {
			out = append(out, h.broken)
		}
	}
	return out
}

// hookErr reports each broken invariant once.
func (s *Sim) hookErr() error {
	var errs []error
	for _, h := range s.hooks {
		if h.broken != "" && !h.reported {
			h.reported = true
			errs = append(errs, fmt.Errorf("invariant %s", h.broken))
		}
	}
	return errors.Join(errs...)
}
