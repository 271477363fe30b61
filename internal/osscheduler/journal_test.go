package osscheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The journal keeps runs in chunks; across chunk boundaries every view of it
// (Runs, Run, All, Running) must agree with the plain slice it replaced.
func TestJournalAcrossChunks(t *testing.T) {
	origin := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, runChunk - 1, runChunk, runChunk + 1, 3*runChunk + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var j Journal
			var want []RunRecord
			execs := make([]*Execution, n)
			for i := range n {
				x := &Execution{ID: uint64(i + 1), TaskName: fmt.Sprint("t", i%3), UniqueName: "u", Attempt: 1,
					Eligible: origin.Add(time.Duration(i) * time.Minute)}
				execs[i] = x
				start := origin.Add(time.Duration(i)*time.Minute + time.Second)
				j.RunStarted(x, start, origin)
				want = append(want, RunRecord{ID: x.ID, Task: x.TaskName, Unique: "u", Attempt: 1,
					Eligible: time.Duration(i) * time.Minute, Start: time.Duration(i)*time.Minute + time.Second, End: -1})
				require.Equal(t, i+1, j.NumRuns())
			}
			// End every other run, newest first, so ends land in every chunk.
			for i := n - 1; i >= 0; i -= 2 {
				execs[i].Received = "r"
				end := origin.Add(time.Duration(i)*time.Minute + 5*time.Second)
				j.RunEnded(execs[i], end, origin, OutcomeSuccess, "")
				want[i].End, want[i].Outcome, want[i].Received = time.Duration(i)*time.Minute+5*time.Second, OutcomeSuccess, "r"
			}
			got := j.Runs()
			if n == 0 {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, want, got)
			}
			for i := range n {
				assert.Equal(t, want[i], j.Run(i))
			}
			k := 0
			for i, r := range j.All() {
				assert.Equal(t, k, i)
				assert.Equal(t, want[i], r)
				k++
			}
			assert.Equal(t, n, k)
			var open []RunRecord
			for i := range n {
				if want[i].End < 0 {
					open = append(open, want[i])
				}
			}
			assert.Equal(t, len(open), len(j.Running()))
			for i, r := range j.Running() {
				assert.Equal(t, open[i], r)
			}
		})
	}
}

// Runs' slice is rebuilt after a change, not served stale.
func TestJournalRunsFollowsChanges(t *testing.T) {
	origin := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	var j Journal
	x := &Execution{ID: 1, TaskName: "a"}
	j.RunStarted(x, origin, origin)
	require.Len(t, j.Runs(), 1)
	assert.Equal(t, time.Duration(-1), j.Runs()[0].End)
	j.RunEnded(x, origin.Add(time.Second), origin, OutcomeFailure, "")
	assert.Equal(t, time.Second, j.Runs()[0].End)
	assert.Equal(t, OutcomeFailure, j.Runs()[0].Outcome)
	j.RunStarted(&Execution{ID: 2, TaskName: "b"}, origin.Add(time.Minute), origin)
	require.Len(t, j.Runs(), 2)
	assert.Equal(t, "b", j.Runs()[1].Task)
}

// Every chunk is allocated once at its full size and never regrown: a
// journal of n runs holds ceil(n/runChunk) chunks of capacity runChunk, so
// its run storage is at most runChunk-1 records more than it holds.
func TestJournalChunksAreAllocatedOnce(t *testing.T) {
	origin := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	var j Journal
	for i := range 5*runChunk + 3 {
		x := &Execution{ID: uint64(i + 1), TaskName: "t"}
		j.RunStarted(x, origin.Add(time.Duration(i)*time.Second), origin)
		j.RunEnded(x, origin.Add(time.Duration(i)*time.Second+time.Millisecond), origin, OutcomeSuccess, "")
		require.Len(t, j.chunks, i/runChunk+1)
		for _, c := range j.chunks {
			require.Equal(t, runChunk, cap(c), "after %d runs", i+1)
		}
	}
}
