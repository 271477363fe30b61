// This file names the trace's types for users of the renderers: a run's
// trace is a []Record, which Explain, WriteText, WriteHTML and
// WriteChromeTrace read next to the result document.

package report

import (
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

type (
	// Record is one trace event: when, what happened (Kind), to what
	// (Subject), decided by which layer (Source), and why (Reason).
	Record = sim.Record
	// Field is one typed key/value of a Record. The zero Kind is a string
	// (Str); Value returns whichever member is set.
	Field = sim.Field
	// Source names the layer that wrote a record ("android.jobscheduler",
	// "device", "plugin", …). The names are the trace's wire format and do
	// not change between releases.
	Source = event.Source
	// Kind names what happened ("deferred", "started", "finished", …), as
	// stable as Source.
	Kind = event.Kind
)
