package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// ctxHandler is a ContextHandler that answers ok after a second through
// ctx.Done and reports that it lets go of ctx then (as the scenario runner's
// app does).
type ctxHandler struct {
	eng      *sim.Engine
	ok       bool
	loaded   []osscheduler.Data // LoadInput's result per run
	inputNil []bool             // ctx.Input before LoadInput
	seen     []ctxSeen
	live     *TaskContext // the ctx of the run in progress (nil once answered)
}

// ctxSeen is what a handler saw in ctx (a handler that lets go of ctx on
// answering must not look at it afterwards, so the test copies it).
type ctxSeen struct {
	received      string
	attempt       int
	x             *osscheduler.Execution
	stoppedAtDone bool
}

func (h *ctxHandler) ExecuteTask(*TaskContext, func(bool, error)) {
	panic("ExecuteTaskContext expected")
}

func (h *ctxHandler) ExecuteTaskContext(ctx *TaskContext) bool {
	h.inputNil = append(h.inputNil, ctx.Input == nil)
	h.loaded = append(h.loaded, ctx.LoadInput())
	h.seen = append(h.seen, ctxSeen{received: ctx.Received, attempt: ctx.Attempt, x: ctx.Execution()})
	h.live = ctx
	i := len(h.seen) - 1
	h.eng.After(time.Second, sim.PhaseApp, "answer", sim.HandlerFunc(func(*sim.Engine) {
		h.seen[i].stoppedAtDone = ctx.Stopped()
		h.live = nil
		ctx.Done(h.ok, nil)
	}))
	return true
}

// A ContextHandler gets ctx with Input unset; LoadInput builds what an
// AsyncHandler would have received. The answer maps as for any handler, and
// a second run starts from a clean context (not stopped, attempt and name of
// its own), even if the plugin reuses the first run's.
func TestContextHandler(t *testing.T) {
	h := androidInit(t, V0_10)
	ch := &ctxHandler{eng: h.eng, ok: true}
	h.p.ExecuteTaskAsync(ch)
	in := osscheduler.Data{"n": 42, "list": []string{"a", "b"}, "m": map[string]any{"k": 1.5}}
	require.NoError(t, h.p.RegisterOneOffTask("u1", "first", OneOffOptions{InputData: in}))
	rr1 := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.True(t, rr1.finished)
	assert.Equal(t, osscheduler.Success, rr1.res)
	assert.Len(t, h.p.freeRuns, 1, "the answered run is kept for reuse")

	require.NoError(t, h.p.RegisterOneOffTask("u2", "second", OneOffOptions{}))
	rr2 := h.androidRun(2, 3)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.True(t, rr2.finished)

	require.Len(t, ch.seen, 2)
	assert.Equal(t, []bool{true, true}, ch.inputNil)
	assert.Equal(t, osscheduler.Data{"n": int64(42), "list": []string{"a", "b"}, "m": map[string]any{"k": 1.5}}, ch.loaded[0])
	assert.Equal(t, osscheduler.Data{}, ch.loaded[1], "no inputData: an empty map, as decodePayload gives")
	c := ch.seen[1]
	assert.Equal(t, "second", c.received)
	assert.Equal(t, 3, c.attempt)
	assert.False(t, c.stoppedAtDone)
	assert.Same(t, rr2.x, c.x)
	assert.Equal(t, "second", rr2.x.Received)
}

// A ContextHandler's answer after the OS stopped the run is ignored, and
// does not disturb the run that follows.
func TestContextHandlerAnswerAfterStop(t *testing.T) {
	h := androidInit(t, V0_10)
	ch := &ctxHandler{eng: h.eng, ok: true}
	h.p.ExecuteTaskAsync(ch)
	require.NoError(t, h.p.RegisterOneOffTask("u1", "first", OneOffOptions{}))
	rr1 := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(1600*time.Millisecond)) // engine up (≤1.5 s), answer pending
	require.Len(t, ch.seen, 1)
	require.NotNil(t, ch.live)
	h.p.Stop(rr1.x, osscheduler.StopTimeout)
	assert.True(t, ch.live.Stopped())
	rr1.x.Abandon()
	require.NoError(t, h.eng.RunFor(time.Minute))
	assert.False(t, rr1.finished)
	assert.Len(t, h.records("task.result_ignored"), 1)

	require.NoError(t, h.p.RegisterOneOffTask("u2", "second", OneOffOptions{}))
	rr2 := h.androidRun(2, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.True(t, rr2.finished)
	assert.Equal(t, osscheduler.Success, rr2.res)
	assert.True(t, ch.seen[0].stoppedAtDone)
	assert.False(t, ch.seen[1].stoppedAtDone)
}

// A run that fails before the dispatcher has it (the stored handle no longer
// resolves after an update that renamed the dispatcher, #650) is reused, and
// the run after a new initialize is delivered normally.
func TestRunEndedBeforeDeliveryIsReused(t *testing.T) {
	h := androidInit(t, V0_10)
	ch := &ctxHandler{eng: h.eng, ok: true}
	h.p.ExecuteTaskAsync(ch)
	h.p.AppUpdated(true)
	require.NoError(t, h.p.RegisterOneOffTask("u1", "first", OneOffOptions{}))
	rr1 := h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.True(t, rr1.finished)
	assert.Equal(t, osscheduler.Failure, rr1.res)
	assert.Empty(t, ch.seen)
	assert.Len(t, h.p.freeRuns, 1)

	require.NoError(t, h.p.Initialize(12345, false))
	require.NoError(t, h.p.RegisterOneOffTask("u2", "second", OneOffOptions{}))
	rr2 := h.androidRun(2, 1)
	assert.Empty(t, h.p.freeRuns, "Start takes the kept run")
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.True(t, rr2.finished)
	assert.Equal(t, osscheduler.Success, rr2.res)
	require.Len(t, ch.seen, 1)
	assert.Equal(t, "second", ch.seen[0].received)
	assert.Same(t, rr2.x, ch.seen[0].x)
}
