package scenarios

import (
	"strconv"

	"github.com/wmsim/wmsim/sim"
)

// MaxTraceRecords bounds the trace records one platform run keeps in memory
// (about 250 bytes each). A heavy user's year with two periodic tasks
// writes about 370,000 per platform; a runaway timeline (a call every second for a year) would write
// tens of millions and exhaust memory before the event limit. The run stops
// with a *sim.LimitError "max_trace_records" (exit code 3).
const MaxTraceRecords = 2_000_000

// boundedRecorder is the runner's trace recorder with a cap: past max
// records it stops the run.
type boundedRecorder struct {
	rec     *sim.Recorder
	eng     *sim.Engine
	max     int
	stopped bool
}

// Record implements sim.Sink.
func (b *boundedRecorder) Record(r *sim.Record) {
	if len(b.rec.Records) >= b.max {
		if !b.stopped {
			b.stopped = true
			b.eng.Stop(&sim.LimitError{Limit: "max_trace_records", Value: strconv.Itoa(b.max), At: r.At, Events: b.eng.Fired()})
		}
		return
	}
	b.rec.Record(r)
}
