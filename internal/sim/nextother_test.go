package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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

// QuietUntilOffset leaves aside exactly the pending timers given, in a sorted
// queue and in a heap: random queues of 1 to 80 events (both shapes), random
// sets of timers left aside (some fired or cancelled), against the smallest
// time over the queued events that are none of them.
func TestQuietUntilMatchesBruteForce(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nop := HandlerFunc(func(*Engine) {})
	shapes := map[bool]int{}
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 3))
		e := New(start, seed)
		n := 1 + r.IntN(80)
		var tms []Timer
		var probeErr error
		probe := HandlerFunc(func(e *Engine) {
			for range 20 {
				var aside []Timer
				for range r.IntN(5) {
					aside = append(aside, tms[r.IntN(len(tms))])
				}
				want := int64(math.MaxInt64)
				for _, sl := range e.queue.s { // every queued event, as a set
					if !slices.ContainsFunc(aside, func(tm Timer) bool { return tm.Pending() && tm.ev == sl.ev }) {
						want = min(want, sl.at)
					}
				}
				want = max(e.now, min(want, e.runTarget+1))
				if got := e.QuietUntilOffset(aside...); got != want && probeErr == nil {
					probeErr = fmt.Errorf("seed %d: %d events (heap %v), QuietUntilOffset %d, want %d", seed, e.Len(), e.queue.heap, got, want)
				}
				shapes[e.queue.heap]++
			}
			if r.IntN(2) == 0 && len(tms) > 0 { // one more left fired or cancelled
				e.Cancel(tms[r.IntN(len(tms))])
			}
		})
		for i := 0; i < n; i++ {
			tms = append(tms, e.After(time.Duration(r.IntN(30))*time.Second, Phase(10*(1+r.IntN(5))), "ev", nop))
			if r.IntN(4) == 0 {
				e.After(time.Duration(r.IntN(30))*time.Second, PhaseOS, "probe", probe)
			}
		}
		e.After(0, PhaseWorld, "probe", probe)
		require.NoError(t, e.RunUntil(start.Add(time.Minute)))
		require.NoError(t, probeErr)
	}
	require.Greater(t, shapes[true], 1000, "probes of a heap")
	require.Greater(t, shapes[false], 1000, "probes of a sorted queue")
}
