package fleet

import (
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// blockSink is a sim.Sink (added with Engine.Watch) that measures how long each subject (a unique
// name, a BGTask identifier) waits for each reason. A "deferred" record opens
// a span for its subject, named by the record's "gate" field (iOS), else its
// "blocked_by" field (Android's JobScheduler block), else its Source; the
// next "started", "deferred" or "cancelled" record for the subject closes it,
// as does the end of the run. Reasons and subjects are the models' own
// strings, so in steady state a record costs a string comparison (the
// subject of the record before, most devices having one or two) or a map
// lookup, and no allocation.
type blockSink struct {
	open  map[string]*subjectSpans
	order []*subjectSpans // in order of first deferral
	last  *subjectSpans   // the subject of the last record that had one
}

// spans is open[subject] (nil when the subject has none yet).
func (s *blockSink) spans(subject string) *subjectSpans {
	if s.last != nil && s.last.subject == subject {
		return s.last
	}
	sp := s.open[subject]
	if sp != nil {
		s.last = sp
	}
	return sp
}

type subjectSpans struct {
	subject string
	reason  string // of the open span; "" when none is open
	since   time.Duration
	totals  []reasonTotal
}

type reasonTotal struct {
	reason string
	total  time.Duration
}

func newBlockSink() *blockSink { return &blockSink{open: map[string]*subjectSpans{}} }

// Record implements sim.Sink, for the records of any of the kinds the sink
// reads (tests feed it everything).
func (s *blockSink) Record(r *sim.Record) {
	switch r.Kind {
	case event.Deferred:
		s.deferred(r)
	case event.Started, event.Cancelled:
		s.closeSpan(r)
	}
}

// deferred opens a span for r's subject (closing the one open before).
func (s *blockSink) deferred(r *sim.Record) {
	sp := s.spans(r.Subject)
	if sp == nil {
		sp = &subjectSpans{subject: r.Subject}
		s.open[r.Subject] = sp
		s.order = append(s.order, sp)
		s.last = sp
	}
	sp.close(r.At)
	sp.reason, sp.since = deferralReason(r), r.At
}

// closeSpan closes the span open for r's subject, if any.
func (s *blockSink) closeSpan(r *sim.Record) {
	if sp := s.spans(r.Subject); sp != nil {
		sp.close(r.At)
	}
}

// deferSink is the blockSink watching deferrals only: the engine hands it
// nothing else, so it need not ask a record's kind.
type deferSink struct{ s *blockSink }

// Record implements sim.Sink.
func (d deferSink) Record(r *sim.Record) { d.s.deferred(r) }

// closeSink is the blockSink watching starts and cancellations only.
type closeSink struct{ s *blockSink }

// Record implements sim.Sink.
func (c closeSink) Record(r *sim.Record) { c.s.closeSpan(r) }

func deferralReason(r *sim.Record) string {
	for _, f := range r.Fields {
		if (f.Key == "gate" || f.Key == "blocked_by") && f.Kind == sim.KindString && f.Str != "" {
			return f.Str
		}
	}
	return string(string(string(r.Source)))
}

func (sp *subjectSpans) close(at time.Duration) {
	if sp.reason == "" {
		return
	}
	d := at - sp.since
	sp.add(sp.reason, d)
	sp.reason = ""
}

func (sp *subjectSpans) add(reason string, d time.Duration) {
	for i := range sp.totals {
		if sp.totals[i].reason == reason {
			sp.totals[i].total += d
			return
		}
	}
	sp.totals = append(sp.totals, reasonTotal{reason, d})
}

// finish closes every open span at end.
func (s *blockSink) finish(end time.Duration) {
	for _, sp := range s.order {
		sp.close(end)
	}
}
