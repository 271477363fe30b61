package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wmsim/wmsim/internal/event"
)

// WatchingFields is true exactly when a sink that reads fields would get the
// record: a trace sink, or a Watch (not a WatchBare) of its kind. A bare
// watch still receives its kinds, fields or not.
func TestWatchBare(t *testing.T) {
	e := New(time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), 1)
	var bare, full []Record
	keep := func(to *[]Record) Sink {
		return SinkFunc(func(r *Record) {
			c := *r
			c.Fields = append([]Field(nil), r.Fields...)
			*to = append(*to, c)
		})
	}
	assert.False(t, e.Watching(event.Started))
	assert.False(t, e.WatchingFields(event.Started))

	e.WatchBare(keep(&bare), event.Started, event.Cancelled)
	assert.True(t, e.Watching(event.Started))
	assert.False(t, e.WatchingFields(event.Started), "a bare watch reads no fields")
	assert.False(t, e.WatchingFields(event.Cancelled))
	assert.False(t, e.Tracing())

	e.Watch(keep(&full), event.Deferred)
	assert.True(t, e.WatchingFields(event.Deferred))
	assert.False(t, e.WatchingFields(event.Started), "a full watch of another kind")

	e.Emit("os", event.Started, "w", "why")
	e.Emit("os", event.Deferred, "w", "", String("gate", "doze"))
	assert.Len(t, bare, 1)
	assert.Equal(t, event.Started, bare[0].Kind)
	assert.Equal(t, "w", bare[0].Subject)
	assert.Len(t, full, 1)
	assert.Equal(t, "doze", full[0].Fields[0].Str)

	e.Watch(keep(&full), event.Started)
	assert.True(t, e.WatchingFields(event.Started), "a full watch of the kind")

	e2 := New(time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), 1)
	e2.WatchBare(keep(&bare), event.Started)
	e2.AddSink(keep(&full))
	assert.True(t, e2.WatchingFields(event.Started), "tracing reads every field")
}

// With watches only, a record is built once and handed to every watch of
// its kind, in the order they were added; records of unwatched kinds are
// not numbered; a record without fields has none, whatever the record
// before it had.
func TestWatchesShareOneRecord(t *testing.T) {
	e := New(time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), 1)
	var got []string
	watch := func(name string) Sink {
		return SinkFunc(func(r *Record) {
			got = append(got, fmt.Sprintf("%s %d %s %s %d", name, r.Seq, r.Kind, r.Subject, len(r.Fields)))
		})
	}
	e.Watch(watch("a"), event.Deferred, event.Started)
	e.WatchBare(watch("b"), event.Started, event.Cancelled)
	e.Watch(watch("c"), event.Deferred)

	e.Emit("os", event.Deferred, "w", "", String("gate", "doze"), Int("n", 2))
	e.Emit("os", event.Skipped, "w", "") // watched by none: not numbered
	e.Emit("os", event.Started, "w", "")
	e.Emit("os", event.Cancelled, "v", "")
	assert.Equal(t, []string{
		"a 1 deferred w 2", "c 1 deferred w 2",
		"a 2 started w 0", "b 2 started w 0",
		"b 3 cancelled v 0",
	}, got)
}
