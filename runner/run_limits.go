package runner

import (
	"io"
	"strconv"

	"github.com/wmsim/wmsim/internal/sim"
)

// MaxTraceRecords bounds the trace records one platform run keeps in memory
// (about 250 bytes each). A heavy user's year with two periodic tasks
// writes about 370,000 per platform; a runaway timeline (a call every second for a year) would write
// tens of millions and exhaust memory before the event limit. The run stops
// with a *sim.LimitError "max_trace_records" (exit code 3).
const MaxTraceRecords = 2_000_000

// MaxTraceBytes bounds the text one platform run's kept trace holds: the
// bytes of every record's subject, reason and string fields (as
// traceBytes counts them). Names are capped at MaxNameBytes and strings
// at MaxStringBytes when a scenario loads, but a record repeats them, so
// records alone do not bound memory. A heavy user's year holds about
// 40 MB; past this the run stops with a *sim.LimitError "max_trace_bytes"
// (exit code 3).
const MaxTraceBytes = 256 << 20

// maxTraceBytes is MaxTraceBytes; tests lower it.
var maxTraceBytes = MaxTraceBytes

// traceBytes is the text a kept record holds, as MaxTraceBytes counts it.
func traceBytes(r *sim.Record) int {
	n := len(r.Subject) + len(r.Reason)
	for i := range r.Fields {
		n += len(r.Fields[i].Str)
	}
	return n
}

// boundedRecorder is the runner's trace recorder with caps: past max
// records or maxBytes of text it stops the run.
type boundedRecorder struct {
	rec      *sim.Recorder
	eng      *sim.Engine
	max      int
	maxBytes int
	bytes    int
	stopped  bool
}

// Record implements sim.Sink.
func (b *boundedRecorder) Record(r *sim.Record) {
	if b.stopped {
		return
	}
	if len(b.rec.Records) >= b.max {
		b.stopped = true
		b.eng.Stop(&sim.LimitError{Limit: "max_trace_records", Value: strconv.Itoa(b.max), At: r.At, Events: b.eng.Fired()})
		return
	}
	n := traceBytes(r)
	if b.maxBytes > 0 && b.bytes+n > b.maxBytes {
		b.stopped = true
		b.eng.Stop(&sim.LimitError{Limit: "max_trace_bytes", Value: strconv.Itoa(b.maxBytes) + " bytes of trace text", At: r.At, Events: b.eng.Fired()})
		return
	}
	b.bytes += n
	b.rec.Record(r)
}

// WriteJSONL writes the run's kept trace (RunOptions.KeepTrace) as JSON
// Lines, each record labelled with the scenario's name and the platform
// (sim.NewJSONLSinkFor), so the lines of several runs written to one file
// stay apart. It returns the first write error.
func (pr *PlatformRun) WriteJSONL(w io.Writer) error {
	scenario := ""
	if pr.Result != nil {
		scenario = pr.Result.Scenario
	}
	sink := sim.NewJSONLSinkFor(w, scenario, pr.Platform)
	for i := range pr.Trace {
		sink.Record(&pr.Trace[i])
	}
	return sink.Err()
}
