package osscheduler

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

type finishRec struct {
	x       Execution // the Execution lives inside the model's record
	results []Result
}

func (f *finishRec) Finished(x *Execution, r Result) {
	if x != &f.x {
		panic("Finished got another Execution")
	}
	f.results = append(f.results, r)
}

// Finish reports once, through a closure (NewExecution) or a bound Finisher;
// Abandon and later calls are ignored, as WorkManager ignores a result for
// work that is no longer RUNNING.
func TestExecutionFinishOnce(t *testing.T) {
	var got []Result
	x := NewExecution(func(r Result) { got = append(got, r) })
	x.Finish(Retry)
	x.Finish(Success)
	assert.Equal(t, []Result{Retry}, got)
	assert.True(t, x.Done())

	f := &finishRec{}
	f.x.Bind(f)
	assert.False(t, f.x.Done())
	f.x.Finish(Success)
	f.x.Finish(Failure)
	assert.Equal(t, []Result{Success}, f.results)

	g := &finishRec{}
	g.x.Bind(g)
	g.x.Abandon()
	g.x.Finish(Success)
	assert.Empty(t, g.results)

	var zero Execution
	zero.Finish(Success) // no callback: ignored
	assert.False(t, zero.Done())
}

// Executions.New is NewExecution: a fresh Execution whose Finish calls
// finish once; never one handed out before, across blocks.
func TestExecutionsAreFresh(t *testing.T) {
	var s Executions
	seen := map[*Execution]bool{}
	var got []int
	for i := range 3*BlockSize + 1 {
		x := s.New(func(Result) { got = append(got, i) })
		assert.False(t, seen[x], "Execution %d handed out twice", i)
		seen[x] = true
		c := *x
		c.finish = nil // funcs do not compare
		assert.Equal(t, Execution{}, c, "Execution %d is not fresh", i)
		assert.NotNil(t, x.finish)
		assert.False(t, x.Done())
		x.ID = uint64(i + 1) // the caller fills it in
		x.Finish(Success)
		x.Finish(Retry)
	}
	want := make([]int, 3*BlockSize+1)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, got)
}
