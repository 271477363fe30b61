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
