package osscheduler

import (
	"iter"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// RunRecord is one run as the result document reports it.
type RunRecord struct {
	ID         uint64
	Task       string
	Unique     string
	Received   string
	Kind       Kind
	Attempt    int
	Eligible   time.Duration // offsets from the simulation's start
	Start      time.Duration
	End        time.Duration
	Outcome    Outcome
	StopReason StopReason
	WhyThen    string
}

// ErrorRecord is one rejected call or crash.
type ErrorRecord struct {
	At        time.Duration
	Call      string
	Code      string
	Message   string
	SeenByApp bool // whether the Dart side received the error
}

// TaskState is a final state as the result document names it.
type TaskState string

// Task states (SCENARIO-FORMAT.md, expect.state).
const (
	StateEnqueued  TaskState = "enqueued"
	StateRunning   TaskState = "running"
	StateSucceeded TaskState = "succeeded"
	StateFailed    TaskState = "failed"
	StateCancelled TaskState = "cancelled"
	StateBlocked   TaskState = "blocked"
)

// TaskInfo is a piece of work known to an OS model, for the tasks table.
type TaskInfo struct {
	Unique string
	Task   string
	Kind   Kind
	State  TaskState
	Tags   []string
}

// Journal collects what the result document reports. OS models record runs;
// the plugin records errors. It is a plain recorder, not safe for concurrent
// use, like everything driven by the kernel.
type Journal struct {
	Errors []ErrorRecord
	// Runs are kept in fixed-size chunks that never move: a device-year
	// records ~37,000 runs, and growing one slice to that size copied and
	// re-zeroed megabytes again and again (a quarter of the Android
	// device-year benchmark's time, see BENCHMARKS.md).
	chunks [][]RunRecord
	n      int
	flat   []RunRecord // Runs()'s answer, valid while !stale
	stale  bool
	// open holds the runs not yet ended, by Execution ID, as a short list
	// rather than a map: a device runs a handful of works at once at most
	// (one run per work), and a map insert and delete per run cost more
	// than scanning that handful (~700 instructions per run in a fleet).
	open []openRun
}

// openRun is the journal index of a run that has not ended.
type openRun struct {
	id uint64
	i  int
}

// findOpen is the position of id in j.open, or -1; newest first, as a run
// usually ends before those started after it.
func (j *Journal) findOpen(id uint64) int {
	for k := len(j.open) - 1; k >= 0; k-- {
		if j.open[k].id == id {
			return k
		}
	}
	return -1
}

// runChunk is how many run records one chunk holds (about 10 KB). Every
// chunk is allocated at its full size once: a fleet's device-month holds a
// few hundred runs, and a first chunk that started small and doubled
// allocated about 2.6 times what it finally held (a third of an iOS fleet's
// allocations); a device-year's ~37,000 runs take ~580 chunks.
const runChunk = 64

// Runs returns every run recorded, in start order. The slice is shared by
// every caller until the journal next changes: read it, do not modify it.
func (j *Journal) Runs() []RunRecord {
	if j.stale || len(j.flat) != j.n {
		flat := make([]RunRecord, 0, j.n)
		for _, c := range j.chunks {
			flat = append(flat, c...)
		}
		j.flat, j.stale = flat, false
	}
	return j.flat
}

// NumRuns is len(j.Runs()) without building the slice.
func (j *Journal) NumRuns() int { return j.n }

// Run returns the i-th run in start order, 0 ≤ i < NumRuns().
func (j *Journal) Run(i int) RunRecord { return *j.run(i) }

// All yields every run in start order without building Runs()'s slice:
// for consumers that look at a journal while it still grows.
func (j *Journal) All() iter.Seq2[int, RunRecord] {
	return func(yield func(int, RunRecord) bool) {
		for i := range j.n {
			if !yield(i, *j.run(i)) {
				return
			}
		}
	}
}

func (j *Journal) run(i int) *RunRecord { return &j.chunks[i/runChunk][i%runChunk] }

// RunStarted records the start of x at offset now. Times are virtual (no
// monotonic clock reading), as the kernel's are.
func (j *Journal) RunStarted(x *Execution, start time.Time, origin time.Time) {
	if j.n%runChunk == 0 {
		j.chunks = append(j.chunks, make([]RunRecord, 0, runChunk))
	}
	if k := j.findOpen(x.ID); k >= 0 {
		j.open[k].i = j.n // the ID's newer run is the open one, as a map keyed by ID kept it
	} else {
		j.open = append(j.open, openRun{x.ID, j.n})
	}
	last := &j.chunks[len(j.chunks)-1]
	*last = append(*last, RunRecord{
		ID: x.ID, Task: x.TaskName, Unique: x.UniqueName, Received: x.Received, Kind: x.Kind,
		Attempt: x.Attempt, Eligible: sim.Sub(x.Eligible, origin), Start: sim.Sub(start, origin), End: -1,
		WhyThen: x.WhyThen,
	})
	j.n++
	j.stale = true
}

// RunEnded records how x ended.
func (j *Journal) RunEnded(x *Execution, end time.Time, origin time.Time, outcome Outcome, reason StopReason) {
	k := j.findOpen(x.ID)
	if k < 0 {
		return
	}
	i := j.open[k].i
	if k == len(j.open)-1 {
		j.open = j.open[:k] // the usual case: the newest open run ends
	} else {
		j.open = slices.Delete(j.open, k, k+1)
	}
	r := j.run(i)
	r.End, r.Outcome, r.StopReason = sim.Sub(end, origin), outcome, reason
	if x.Received != "" {
		r.Received = x.Received
	}
	j.stale = true
}

// Error records a rejected call.
func (j *Journal) Error(e ErrorRecord) { j.Errors = append(j.Errors, e) }

// Running returns the records of runs that have not ended, in start order.
func (j *Journal) Running() []RunRecord {
	idx := make([]int, 0, len(j.open))
	for _, o := range j.open {
		idx = append(idx, o.i)
	}
	slices.Sort(idx)
	out := make([]RunRecord, len(idx))
	for k, i := range idx {
		out[k] = *j.run(i)
	}
	return out
}
