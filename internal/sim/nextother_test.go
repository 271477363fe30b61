package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestQuietUntil(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e := New(start, 1)
	nop := HandlerFunc(func(*Engine) {})
	at := func(d time.Duration) time.Time { return start.Add(d) }
	// Outside a RunUntil: nothing may be carried past now.
	mine := e.After(time.Minute, PhaseOS, "mine", nop)
	require.Equal(t, at(0), e.QuietUntil(mine))

	var seen []time.Time
	probe := HandlerFunc(func(e *Engine) {
		q := e.QuietUntil(mine)
		// QuietUntilOffset is the same instant as an offset from Start.
		require.Equal(t, int64(Sub(q, start)), e.QuietUntilOffset(mine))
		seen = append(seen, q)
	})
	e.After(10*time.Second, PhaseOS, "probe", probe)
	other := e.After(30*time.Second, PhaseDevice, "other", nop)
	e.After(2*time.Minute, PhaseOS, "probe", probe)
	e.After(5*time.Minute, PhaseOS, "probe", probe)
	require.NoError(t, e.RunUntil(at(10*time.Minute)))
	require.Equal(t, []time.Time{
		at(30 * time.Second),                 // the next event that is not mine
		at(5 * time.Minute),                  // mine has fired: the next probe
		at(10*time.Minute + time.Nanosecond), // nothing queued: just past the target
	}, seen)
	require.False(t, other.Pending())

	// t at the head: the smaller of its children.
	seen = nil
	mine = e.After(time.Second, PhaseOS, "mine", nop)
	e.After(3*time.Second, PhaseOS, "a", nop)
	e.After(2*time.Second, PhaseOS, "b", nop)
	e.After(0, PhaseOS, "probe", probe)
	require.NoError(t, e.RunUntil(at(20*time.Minute)))
	require.Equal(t, []time.Time{at(10*time.Minute + 2*time.Second)}, seen)

	// Step and RunUntilIdle look after every event: now.
	seen = nil
	e.After(time.Second, PhaseOS, "probe", probe)
	e.After(time.Hour, PhaseOS, "later", nop)
	_, err := e.Step()
	require.NoError(t, err)
	require.Equal(t, []time.Time{e.Now()}, seen)
}

// Timers left aside are skipped wherever they sit in the heap.
func TestQuietUntilLeavesTimersAside(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e := New(start, 1)
	nop := HandlerFunc(func(*Engine) {})
	var got [][]time.Duration
	var a, b, c Timer
	probe := HandlerFunc(func(e *Engine) {
		got = append(got, []time.Duration{
			Sub(e.QuietUntil(a), start), Sub(e.QuietUntil(a, b), start), Sub(e.QuietUntil(a, b, c), start),
			Sub(e.QuietUntil(b), start), Sub(e.QuietUntil(), start),
		}, []time.Duration{
			time.Duration(e.QuietUntilOffset(a)), time.Duration(e.QuietUntilOffset(a, b)), time.Duration(e.QuietUntilOffset(a, b, c)),
			time.Duration(e.QuietUntilOffset(b)), time.Duration(e.QuietUntilOffset()),
		})
	})
	e.After(0, PhaseOS, "probe", probe)
	a = e.After(time.Second, PhaseOS, "a", nop)
	b = e.After(2*time.Second, PhaseOS, "b", nop)
	c = e.After(2*time.Second, PhaseApp, "c", nop)
	for i := 4; i <= 12; i++ {
		e.After(time.Duration(i)*time.Second, PhaseOS, "other", nop)
	}
	require.NoError(t, e.RunUntil(start.Add(time.Minute)))
	want := []time.Duration{2 * time.Second, 2 * time.Second, 4 * time.Second, time.Second, time.Second}
	require.Equal(t, [][]time.Duration{want, want}, got) // QuietUntil, then QuietUntilOffset
}
