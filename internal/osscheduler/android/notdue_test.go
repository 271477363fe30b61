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

// greedyDueAt's offset is vt of its time, kept and computed alike, so the
// pass's offset comparison is now.Before(due): every tracked work at every
// minute of three days on a heavy user's phone, API 28 and 34.
func TestGreedyDueAtIsTheTime(t *testing.T) {
	p, ok := device.BuiltinProfile("heavy-user")
	require.True(t, ok)
	checked := 0
	for _, api := range []int{28, 34} {
		eng := sim.New(t0, 1)
		m, _, _, until := newTwoWorksDevice(t, eng, p, device.DefaultState(), 3, api, true)
		for at := t0.Add(time.Minute); at.Before(until); at = at.Add(time.Minute) {
			require.NoError(t, eng.RunUntil(at))
			for _, w := range m.specs {
				if w.state != stEnqueued || w.deleted || !greedyTracks(w) || w.greedy.firstAt.IsZero() {
					continue
				}
				now := eng.Now()
				due, dueAt := m.greedyDueAt(w, now)
				require.Equal(t, m.vt(due), dueAt, "%s at %v", w.id, now)
				require.Equal(t, now.Before(due), int64(eng.Elapsed()) < dueAt, "%s at %v", w.id, now)
				checked++
			}
		}
	}
	require.Greater(t, checked, 1000, "tracked works checked")
}

// The process is awake at the instant WorkManager code ran (an enqueue
// with GreedyScheduler tracking), and not a nanosecond later.
func TestGreedyAwakeAtTheWakeInstantOnly(t *testing.T) {
	eng := sim.New(t0, 1)
	st := device.DefaultState()
	st.App = device.ProcessBackground
	dev := device.New(eng, device.Config{Initial: st})
	m := New(eng, dev, DefaultConfig(), &fakeExec{eng: eng, dur: 4 * time.Second}, nil)
	require.NoError(t, eng.RunUntil(t0.Add(time.Minute)))
	_, err := m.EnqueueUniquePeriodicWork("p", PeriodicKeep, WorkRequest{TaskName: "p", Periodic: true, Interval: time.Hour})
	require.NoError(t, err)
	require.True(t, m.gr.primed, "GreedyScheduler tracks the work")
	require.Zero(t, m.nRunning)
	require.True(t, m.greedyAwake(eng.Now()), "awake at the enqueue's instant")
	require.NoError(t, eng.RunUntil(eng.Now().Add(time.Nanosecond)))
	require.Zero(t, m.nRunning, "no JobScheduler job runs (it would keep the process awake)")
	require.False(t, m.greedyAwake(eng.Now()), "not awake a nanosecond later")
}
