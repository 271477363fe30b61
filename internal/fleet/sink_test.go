package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// The deferral and start watches a fleet adds (deferSink, closeSink) total
// the same blocked time per subject and reason as one blockSink fed every
// record.
func TestSplitWatchesTotalLikeOneSink(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	eng := sim.New(start, 1)
	split, whole := newBlockSink(), newBlockSink()
	eng.Watch(deferSink{split}, event.Deferred)
	eng.WatchBare(closeSink{split}, event.Started, event.Cancelled)
	eng.Watch(whole, event.Deferred, event.Started, event.Cancelled)
	type rec struct {
		after  time.Duration
		kind   event.Kind
		sub    string
		fields []sim.Field
	}
	for _, r := range []rec{
		{0, event.Deferred, "a", []sim.Field{sim.String("blocked_by", "doze")}},
		{time.Minute, event.Deferred, "b", []sim.Field{sim.String("gate", "budget")}},
		{time.Minute, event.Deferred, "a", nil}, // closes doze, opens the source's
		{time.Hour, event.Started, "a", nil},
		{time.Second, event.Cancelled, "b", nil},
		{time.Second, event.Started, "c", nil}, // never deferred
		{time.Second, event.Deferred, "c", []sim.Field{sim.String("blocked_by", "quota")}},
	} {
		eng.RunFor(r.after)
		eng.Emit("os", r.kind, r.sub, "", r.fields...)
	}
	eng.RunFor(time.Minute)
	split.finish(eng.Elapsed())
	whole.finish(eng.Elapsed())
	totals := func(s *blockSink) map[string][]reasonTotal {
		m := map[string][]reasonTotal{}
		for _, sp := range s.order {
			m[sp.subject] = sp.totals
		}
		return m
	}
	assert.Equal(t, totals(whole), totals(split))
	assert.Equal(t, []reasonTotal{{"doze", 2 * time.Minute}, {"os", time.Hour}}, totals(split)["a"])
	assert.Equal(t, []reasonTotal{{"budget", time.Hour + time.Minute + time.Second}}, totals(split)["b"])
	assert.Equal(t, []reasonTotal{{"quota", time.Minute}}, totals(split)["c"])
}
