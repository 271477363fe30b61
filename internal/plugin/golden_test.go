package plugin

import (
	"fmt"
	goldenfile "github.com/wmsim/wmsim/internal/golden"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// pluginTrace renders the plugin's own trace records.
func pluginTrace(rec *sim.Recorder) string {
	var b strings.Builder
	for _, r := range rec.Records {
		if !strings.HasPrefix(string(r.Source), "plugin") {
			continue
		}
		fmt.Fprintf(&b, "%s %-12s %-18s %-14s %s", sim.FormatOffset(r.At), r.Source, r.Kind, r.Subject, r.Reason)
		for _, f := range r.Fields {
			fmt.Fprintf(&b, " %s=%v", f.Key, f.Value())
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.CheckString(t, filepath.Join("testdata", name), got)
}

// The plugin's trace for a scripted Android session over the recording fake:
// registrations (accepted and rejected), runs with each result, a stop, a
// stale handle.
func TestGoldenAndroidTrace(t *testing.T) {
	h := newHarness(osscheduler.Android, V0_10, func(c *Config) { c.Debug = DebugNotification })
	h.dev.LaunchApp()
	_ = h.p.RegisterOneOffTask("early", "t", OneOffOptions{})
	require.NoError(t, h.p.Initialize(12345, false))
	results := []struct {
		ok  bool
		err error
	}{{true, nil}, {false, nil}, {false, assert.AnError}}
	i := 0
	h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) {
		r := results[i%len(results)]
		i++
		ctx.Clock.Sleep(time.Second)
		return r.ok, r.err
	})
	h.p.OnTaskStopped(func(string, osscheduler.StopReason) {})
	require.NoError(t, h.p.RegisterPeriodicTask("sync", "fetchLatestPosts", PeriodicOptions{Frequency: Ptr(10 * time.Minute), InputData: osscheduler.Data{"userId": "user_42", "ids": []int{1, 2}}}))
	for n := uint64(1); n <= 3; n++ {
		h.androidRun(n, int(n))
		require.NoError(t, h.eng.RunFor(time.Minute))
	}
	rr := h.androidRun(4, 1)
	require.NoError(t, h.eng.RunFor(1200*time.Millisecond))
	rr.x.Abandon()
	h.p.Stop(rr.x, osscheduler.StopConstraintConnectivity)
	_ = h.p.RegisterOneOffTask("big", "t", OneOffOptions{InputData: osscheduler.Data{"blob": strings.Repeat("x", 20000)}})
	h.p.AppUpdated(true)
	h.androidRun(5, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	golden(t, "android.trace", pluginTrace(h.rec))
}

// The same for iOS: BG requests, a submit failure, an in-process one-off,
// a periodic run that resubmits, a fetch.
func TestGoldenIOSTrace(t *testing.T) {
	h := newHarness(osscheduler.IOS, V0_10, func(c *Config) { c.Debug = DebugLogging })
	h.dev.LaunchApp()
	require.NoError(t, h.p.Initialize(777, false))
	h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { return ctx.Received != "iOSPerformFetch", nil })
	require.NoError(t, h.p.RegisterPeriodicTask("dev.example.sync", "fetchLatestPosts", PeriodicOptions{InitialDelay: Ptr(15 * time.Minute), Frequency: Ptr(time.Hour)}))
	require.NoError(t, h.p.RegisterProcessingTask("dev.example.cleanup", "cleanup", ProcessingOptions{Constraints: &Constraints{RequiresCharging: Ptr(true)}}))
	h.bg.submitErr = osscheduler.Errorf("not_permitted", "Unrecognized Identifier dev.example.other")
	require.NoError(t, h.p.RegisterPeriodicTask("dev.example.other", "t", PeriodicOptions{}))
	h.bg.submitErr = nil
	require.NoError(t, h.p.RegisterOneOffTask("oneoff-1", "simpleTask", OneOffOptions{InitialDelay: Ptr(5 * time.Second)}))
	require.NoError(t, h.eng.RunFor(time.Minute))
	h.iosRun(osscheduler.OneOff, "oneoff-1", "simpleTask", nil, 1)
	h.iosRun(osscheduler.Periodic, "dev.example.sync", "fetchLatestPosts", nil, 2)
	h.iosRun(osscheduler.Fetch, "", IOSBackgroundTask, nil, 3)
	require.NoError(t, h.eng.RunFor(time.Minute))
	s, _ := h.p.PrintScheduledTasks()
	golden(t, "ios.trace", pluginTrace(h.rec)+"\n"+s+"\n")
}

// Same seed, same trace: the plugin adds no nondeterminism over the models.
func TestDeterministicTrace(t *testing.T) {
	run := func() string {
		w := newWorld(osscheduler.Android, V0_10)
		_ = w.p.Initialize(1, false)
		w.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { ctx.Clock.Sleep(3 * time.Second); return ctx.Attempt > 1, nil })
		_ = w.p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(time.Hour), InputData: osscheduler.Data{"a": []any{1, "b"}, "m": map[string]any{"x": 1, "y": 2}}})
		_ = w.p.RegisterOneOffTask("one", "t", OneOffOptions{BackoffPolicy: Ptr(BackoffLinear), BackoffPolicyDelay: Ptr(10 * time.Second)})
		_ = w.eng.RunFor(6 * time.Hour)
		return pluginTrace(w.rec)
	}
	a := run()
	assert.NotEmpty(t, a)
	assert.Equal(t, a, run())
}
