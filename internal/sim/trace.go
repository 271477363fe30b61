package sim

import (
	"math"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/event"
)

// FieldKind says which member of a Field holds its value.
type FieldKind uint8

// The kinds of trace field values.
const (
	KindString FieldKind = iota
	KindInt
	KindDuration // Int holds nanoseconds; printed as seconds
	KindBool     // Int is 0 or 1
	KindFloat    // Int holds math.Float64bits
)

// Field is one typed key/value of a trace record. It is a plain value so that
// building records does not box.
type Field struct {
	Key  string
	Kind FieldKind
	Str  string
	Int  int64
}

// String is a string field.
func String(k, v string) Field { return Field{Key: k, Kind: KindString, Str: v} }

// Int is an integer field.
func Int(k string, v int64) Field { return Field{Key: k, Kind: KindInt, Int: v} }

// Dur is a duration field.
func Dur(k string, v time.Duration) Field { return Field{Key: k, Kind: KindDuration, Int: int64(v)} }

// Bool is a boolean field.
func Bool(k string, v bool) Field {
	var i int64
	if v {
		i = 1
	}
	return Field{Key: k, Kind: KindBool, Int: i}
}

// Float is a floating-point field (for scores and ratios, never for time).
func Float(k string, v float64) Field {
	return Field{Key: k, Kind: KindFloat, Int: int64(math.Float64bits(v))}
}

// Value returns the field's value as a Go value of its kind.
func (f Field) Value() any {
	switch f.Kind {
	case KindInt:
		return f.Int
	case KindDuration:
		return time.Duration(f.Int)
	case KindBool:
		return f.Int != 0
	case KindFloat:
		return math.Float64frombits(uint64(f.Int))
	default:
		return f.Str
	}
}

// Record is one trace event: what happened, to what, and why.
type Record struct {
	At      time.Duration // virtual offset from the start
	Seq     uint64        // position in the trace, from 1
	Source  event.Source  // the layer that decided (event.SourceDevice, event.SourceAndroidJobScheduler, …)
	Kind    event.Kind    // what happened (event.Deferred, event.Started, event.BatteryLow, …)
	Subject string        // what it happened to: a unique name, a signal, a request id
	Reason  string        // why, in words a user reads
	Fields  []Field
}

// Field returns the named field and whether it is present.
func (r *Record) Field(key string) (Field, bool) {
	for _, f := range r.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Sink receives trace records. The record and its Fields are only valid during
// the call: a sink that keeps them must copy them.
type Sink interface {
	Record(r *Record)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(r *Record)

// Record calls f(r).
func (f SinkFunc) Record(r *Record) { f(r) }

type tracer struct {
	sinks   []Sink
	watches []watch // sinks for some kinds only; they do not turn Tracing on
	seq     uint64
	rec     Record
	fields  []Field // reused copy of the caller's fields, so they never escape
}

// AddSink makes s receive every trace record from now on, after the sinks
// added before it.
func (e *Engine) AddSink(s Sink) { e.trace.sinks = append(e.trace.sinks, s) }

type watch struct {
	kinds []event.Kind
	s     Sink
	bare  bool // WatchBare: the sink reads no Fields
}

// Watch makes s receive the records of the given kinds only. Unlike AddSink it
// does not turn Tracing on, so code that formats reasons for the trace keeps
// skipping that work: a watched record's Reason may be empty. It is for
// cheap observers (a fleet measuring deferrals) of records whose emitters
// guard with Watching.
func (e *Engine) Watch(s Sink, kinds ...event.Kind) {
	e.trace.watches = append(e.trace.watches, watch{kinds: kinds, s: s})
}

// Watching reports whether a record of this kind would reach a sink: Tracing,
// or a Watch of the kind.
func (e *Engine) Watching(kind event.Kind) bool {
	on := len(e.trace.sinks) > 0 || (len(e.trace.watches) > 0 && e.watched(kind))
	e.raceRelease()
	return on
}

// WatchBare is Watch for a sink that never reads a record's Fields (a
// fleet closing a deferral span needs only the instant and the subject of a
// start): emitters that check WatchingFields leave the fields out when only
// such sinks watch the kind.
func (e *Engine) WatchBare(s Sink, kinds ...event.Kind) {
	e.trace.watches = append(e.trace.watches, watch{kinds: kinds, s: s, bare: true})
}

// WatchingFields reports whether a record of this kind would reach a sink
// that reads its Fields: Tracing, or a Watch (not a WatchBare) of the kind.
// An emitter that finds Watching true and WatchingFields false may emit the
// record without fields: every sink it reaches reads none.
func (e *Engine) WatchingFields(kind event.Kind) bool {
	e.raceAcquire()
	on := len(e.trace.sinks) > 0
	if !on {
		for i := range e.trace.watches {
			if !e.trace.watches[i].bare && slices.Contains(e.trace.watches[i].kinds, kind) {
				on = true
				break
			}
		}
	}
	e.raceRelease()
	return on
}

func (e *Engine) watched(kind event.Kind) bool {
	for i := range e.trace.watches {
		for _, k := range e.trace.watches[i].kinds {
			if k == kind {
				return true
			}
		}
	}
	return false
}

// Tracing reports whether any sink listens. Callers building costly fields
// check it first, so a run nobody watches formats nothing.
func (e *Engine) Tracing() bool {
	e.raceAcquire()
	on := len(e.trace.sinks) > 0
	e.raceRelease()
	return on
}

// Emit sends a record to every sink. With no sink it returns at once and
// allocates nothing: the fields are copied into a buffer the engine reuses, so
// the caller's variadic slice does not escape and stays on its stack. Callers
// that format strings or compute fields only for the trace guard with Tracing.
func (e *Engine) Emit(source event.Source, kind event.Kind, subject, reason string, fields ...Field) {
	e.raceAcquire()
	if len(e.trace.sinks) == 0 {
		// Only watches, if any (a fleet's): one pass finds the ones of
		// this kind, and the record is built at the first of them.
		if len(e.trace.watches) != 0 {
			e.emitWatched(source, kind, subject, reason, fields)
		}
		e.raceRelease()
		return
	}
	r := e.record(source, kind, subject, reason, fields)
	for _, s := range e.trace.sinks {
		s.Record(r)
	}
	for i := range e.trace.watches {
		if slices.Contains(e.trace.watches[i].kinds, kind) {
			e.trace.watches[i].s.Record(r)
		}
	}
	if len(fields) != 0 {
		clear(e.trace.fields) // drop references to the caller's strings
	}
	e.raceRelease()
}

// emitWatched is Emit with no sink: the record goes to the watches of
// kind, in the order they were added, and is built only when there is one.
func (e *Engine) emitWatched(source event.Source, kind event.Kind, subject, reason string, fields []Field) {
	var r *Record
	for i := range e.trace.watches {
		w := &e.trace.watches[i]
		if !slices.Contains(w.kinds, kind) {
			continue
		}
		if r == nil {
			r = e.record(source, kind, subject, reason, fields)
		}
		w.s.Record(r)
	}
	// The fields are not cleared here: like the reused Record's subject
	// and reason, the strings they hold are kept only until the next
	// record overwrites them, and watched records are frequent.
}

// record numbers the next record and fills the engine's reusable Record
// with it, fields copied into the reused buffer (a record without fields
// has none: Fields is empty either way).
func (e *Engine) record(source event.Source, kind event.Kind, subject, reason string, fields []Field) *Record {
	e.trace.seq++
	if len(fields) != 0 {
		e.trace.fields = append(e.trace.fields[:0], fields...)
	} else {
		e.trace.fields = e.trace.fields[:0]
	}
	// Member by member: storing the whole struct builds it on the stack
	// first and copies it under the write barrier.
	r := &e.trace.rec
	r.At, r.Seq = time.Duration(e.now), e.trace.seq
	r.Source, r.Kind = source, kind
	r.Subject, r.Reason = subject, reason
	r.Fields = e.trace.fields
	return r
}

// Recorder is an in-memory sink, for tests and for building reports.
type Recorder struct {
	Records []Record
}

// Record keeps a copy of r.
func (m *Recorder) Record(r *Record) {
	c := *r
	c.Fields = append([]Field(nil), r.Fields...)
	m.Records = append(m.Records, c)
}

// Filter returns the records for which keep is true.
func (m *Recorder) Filter(keep func(*Record) bool) []Record {
	var out []Record
	for i := range m.Records {
		if keep(&m.Records[i]) {
			out = append(out, m.Records[i])
		}
	}
	return out
}
