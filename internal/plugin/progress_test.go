package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// progress_updates_test.dart and ProgressUpdateTest.kt: the map reaches the
// listener (0.5 as a double, 12 as an int, nested maps typed); updates after
// the listener is cleared are dropped; iOS ignores both calls.
func TestProgress(t *testing.T) {
	h := androidInit(t, V0_10)
	h.dev.LaunchApp()
	type upd struct {
		unique string
		p      osscheduler.Data
	}
	var got []upd
	require.NoError(t, h.p.SetProgressListener(func(u string, p osscheduler.Data) { got = append(got, upd{u, p}) }))
	var ctx *TaskContext
	h.p.ExecuteTaskAsync(AsyncHandlerFunc(func(c *TaskContext, done func(bool, error)) { ctx = c }))
	require.NoError(t, h.p.RegisterOneOffTask("dev.fluttercommunity.test.sync", "t", OneOffOptions{}))
	h.androidRun(1, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.NoError(t, ctx.ReportProgress(osscheduler.Data{"progress": 0.25, "processed": 12, "nested": map[string]any{"x": 1}}))
	require.Len(t, got, 1)
	assert.Equal(t, "dev.fluttercommunity.test.sync", got[0].unique)
	assert.Equal(t, osscheduler.Data{"progress": 0.25, "processed": int64(12), "nested": map[string]any{"x": int64(1)}}, got[0].p)

	require.NoError(t, h.p.SetProgressListener(nil))
	require.NoError(t, ctx.ReportProgress(osscheduler.Data{"progress": 0.5}))
	assert.Len(t, got, 1, "dropped after unregistering")
	assert.Len(t, h.records("progress"), 2)

	hi := iosInit(t, V0_10)
	require.NoError(t, hi.p.SetProgressListener(func(string, osscheduler.Data) { t.Fatal("no progress on iOS") }))
	hi.p.ExecuteTask(func(c *TaskContext) (bool, error) { return true, c.ReportProgress(osscheduler.Data{"p": 1}) })
	rr := hi.iosRun(osscheduler.Fetch, "", IOSBackgroundTask, nil, 1)
	require.NoError(t, hi.eng.RunFor(time.Minute))
	assert.Equal(t, osscheduler.Success, rr.res)
}
