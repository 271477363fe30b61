package runner

import (
	"github.com/wmsim/wmsim/scenarios"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The plugin block, the app's build options and the os debugger steps reach
// the plugin and the iOS model.
func TestReleaseAndDebuggerFields(t *testing.T) {
	src := []byte(`version: 1
name: debugger
duration: 1h
platform: ios
plugin: { version: "0.10.9", debug: logging }
app:
  scene_app: true
  tasks:
    sync: { duration: 1s, result: success }
timeline:
  - at: 0s
    app: launch
  - at: 0s
    call: initialize
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: sync, taskName: fetch, initialDelay: 1d }
  - at: 2m
    os: { simulate_launch: sync }
  - at: 3m
    os: { simulate_launch: sync }
  - at: 4m
    os: { simulate_expiration: sync }
`)
	sc, err := scenarios.Parse("debugger.yaml", src)
	require.NoError(t, err)
	assert.Equal(t, scenarios.PluginVersion("0.10.9"), sc.Plugin.Version)
	assert.Equal(t, "logging", sc.Plugin.Debug)
	assert.True(t, sc.App.SceneApp)
	assert.Nil(t, sc.App.DispatcherEntryPoint)
	var rel string
	out, err := Run(sc, RunOptions{Setup: func(w *World) { rel = w.Plugin.Release().String() }})
	require.NoError(t, err)
	assert.Equal(t, "0.10.9 (android 0.10.8, apple 0.9.10)", rel)
	res := out.Runs[0].Result
	// Each launch consumes the pending request despite its 1-day
	// earliestBeginDate; the plugin's handler resubmits it at the start of
	// the run, so the second launch finds one again.
	require.Len(t, res.Runs, 2)
	assert.InDelta(t, 120, float64(res.Runs[0].TStart), 1)
	assert.InDelta(t, 180, float64(res.Runs[1].TStart), 1)
	var codes []string
	for _, w := range res.Warnings {
		codes = append(codes, w.Code)
	}
	assert.Equal(t, []string{"simulate_expiration"}, codes, "nothing started by simulate_launch is still running at 4m")
}

// dispatcher_entry_point: false makes every background run fail (#374).
func TestDispatcherNotEntryPoint(t *testing.T) {
	src := []byte(`version: 1
name: no-entry-point
duration: 2h
app:
  dispatcher_entry_point: false
  tasks:
    sync: { duration: 1s, result: success }
timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerOneOffTask
    args: { uniqueName: once, taskName: sync }
`)
	sc, err := scenarios.Parse("no-entry-point.yaml", src)
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{})
	require.NoError(t, err)
	res := out.Runs[0].Result
	require.NotEmpty(t, res.Runs)
	assert.Equal(t, "failure", res.Runs[0].Outcome)
}
