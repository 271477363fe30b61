package android

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/sim"
)

// blocked's not-due test compares virtual times (Elapsed against
// earliestAt); it gives now.Before(earliest) for every job at every minute
// of two works' three days on a heavy user's phone, and at the edges: the
// zero time, an instant before the start, now itself, a nanosecond later,
// and never.
func TestBlockedNotDueIsBefore(t *testing.T) {
	p, ok := device.BuiltinProfile("heavy-user")
	require.True(t, ok)
	eng := sim.New(t0, 1)
	m, _, _, until := newTwoWorksDevice(t, eng, p, device.DefaultState(), 3, 34, true)
	check := func(name string) {
		for _, w := range m.specs {
			now := eng.Now()
			require.Equal(t, now.Before(w.job.earliest), int64(eng.Elapsed()) < w.job.earliestAt, "%s: %s at %v, earliest %v", name, w.id, now, w.job.earliest)
		}
	}
	checked := 0
	for at := t0.Add(time.Minute); at.Before(until); at = at.Add(time.Minute) {
		require.NoError(t, eng.RunUntil(at))
		check("run")
		checked++
	}
	require.Positive(t, checked)
	w := m.specs[0]
	now := eng.Now()
	for _, e := range []time.Time{{}, t0.Add(-time.Hour), now, now.Add(time.Nanosecond), now.Add(-time.Nanosecond), never} {
		m.setEarliest(w, e)
		require.Equal(t, now.Before(e), int64(eng.Elapsed()) < w.job.earliestAt, "earliest %v", e)
		b, _ := m.blocked(w, now)
		require.Equal(t, now.Before(e), b == blockNotDue, "blocked with earliest %v", e)
	}
}
