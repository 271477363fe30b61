package osscheduler_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// An OS model records each run as it starts and ends; the result document
// is built from the journal.
func ExampleJournal() {
	origin := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	var j osscheduler.Journal
	x := osscheduler.NewExecution(func(osscheduler.Result) {})
	x.ID, x.TaskName, x.UniqueName, x.Attempt = 1, "sync", "hourly-sync", 1
	x.Eligible = origin.Add(time.Hour)
	j.RunStarted(x, origin.Add(time.Hour+2*time.Second), origin)
	j.RunEnded(x, origin.Add(time.Hour+7*time.Second), origin, osscheduler.OutcomeSuccess, osscheduler.StopNotStopped)
	fmt.Println(j.NumRuns())
	for _, r := range j.All() {
		fmt.Println(r.Unique, r.Start, r.End, r.Outcome)
	}
	// Output:
	// 1
	// hourly-sync 1h0m2s 1h0m7s success
}

// run is a model's own per-run record: the Execution lives inside it, so a
// run is one allocation and needs no closure.
type run struct {
	x      osscheduler.Execution
	result osscheduler.Result
}

func (r *run) Finished(_ *osscheduler.Execution, res osscheduler.Result) { r.result = res }

func ExampleExecution_Bind() {
	r := &run{}
	r.x.Bind(r)
	r.x.Finish(osscheduler.Retry)
	r.x.Finish(osscheduler.Success) // a second answer is ignored
	fmt.Println(r.result == osscheduler.Retry, r.x.Done())
	// Output:
	// true true
}
