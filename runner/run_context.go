package runner

import (
	"context"

	"github.com/wmsim/wmsim/internal/sim"
)

// contextWatch stops the run when its context is cancelled (RunOptions.Context),
// checked every contextCheckEvery trace records: the run's heartbeat, polled
// the way boundedRecorder polls the record cap, so the check costs nothing
// measurable.
type contextWatch struct {
	ctx     context.Context
	eng     *sim.Engine
	n       int
	stopped bool
}

const contextCheckEvery = 256

// Record implements sim.Sink.
func (c *contextWatch) Record(r *sim.Record) {
	c.n++
	if c.stopped || c.n%contextCheckEvery != 0 || c.ctx.Err() == nil {
		return
	}
	c.stopped = true
	c.eng.Stop(&sim.LimitError{Limit: "interrupted", Value: context.Cause(c.ctx).Error(), At: r.At, Events: c.eng.Fired()})
}
