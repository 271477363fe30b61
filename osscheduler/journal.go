package osscheduler

import (
	"slices"
	"time"
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
	Runs   []RunRecord
	Errors []ErrorRecord
	open   map[uint64]int
}

// RunStarted records the start of x at offset now.
func (j *Journal) RunStarted(x *Execution, start time.Time, origin time.Time) {
	if j.open == nil {
		j.open = map[uint64]int{}
	}
	j.open[x.ID] = len(j.Runs)
	j.Runs = append(j.Runs, RunRecord{
		ID: x.ID, Task: x.TaskName, Unique: x.UniqueName, Received: x.Received, Kind: x.Kind,
		Attempt: x.Attempt, Eligible: x.Eligible.Sub(origin), Start: start.Sub(origin), End: -1,
		WhyThen: x.WhyThen,
	})
}

// RunEnded records how x ended.
func (j *Journal) RunEnded(x *Execution, end time.Time, origin time.Time, outcome Outcome, reason StopReason) {
	i, ok := j.open[x.ID]
	if !ok {
		return
	}
	delete(j.open, x.ID)
	r := &j.Runs[i]
	r.End, r.Outcome, r.StopReason = end.Sub(origin), outcome, reason
	if x.Received != "" {
		r.Received = x.Received
	}
}

// Error records a rejected call.
func (j *Journal) Error(e ErrorRecord) { j.Errors = append(j.Errors, e) }

// Running returns the records of runs that have not ended, in start order.
func (j *Journal) Running() []RunRecord {
	idx := make([]int, 0, len(j.open))
	for _, i := range j.open {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	out := make([]RunRecord, len(idx))
	for k, i := range idx {
		out[k] = j.Runs[i]
	}
	return out
}
