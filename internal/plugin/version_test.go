package plugin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Methods the 0.5 API did not have (0.5.1 lib/src/workmanager.dart).
func TestVersion05MissingMethods(t *testing.T) {
	for _, platform := range []osscheduler.Platform{osscheduler.Android, osscheduler.IOS} {
		h := newHarness(platform, V0_5)
		require.NoError(t, h.p.Initialize(1, false))
		_, err := h.p.IsScheduledByUniqueName("u")
		assert.Equal(t, &UnsupportedError{Message: "isScheduledByUniqueName does not exist in workmanager 0.5.2"}, err)
		_, err = h.p.GetWorkInfo("u")
		assert.Equal(t, &UnsupportedError{Message: "getWorkInfo does not exist in workmanager 0.5.2"}, err)
		assert.Equal(t, &UnsupportedError{Message: "registerProcessingTask does not exist in workmanager 0.5.2"}, h.p.RegisterProcessingTask("u", "t", ProcessingOptions{}))
		assert.Equal(t, &UnsupportedError{Message: "setProgressListener does not exist in workmanager 0.5.2"}, h.p.SetProgressListener(nil))
		for _, e := range h.j.Errors {
			assert.Equal(t, "unsupported", e.Code)
		}
	}
}

// 0.5 has no flexInterval and no foreground-service config: ignored with a
// warning.
func TestVersion05IgnoredParameters(t *testing.T) {
	h := androidInit(t, V0_5)
	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{FlexInterval: Ptr(5 * time.Minute), ForegroundServiceConfig: &ForegroundServiceConfig{}}))
	assert.Equal(t, time.Duration(0), h.wm.last().req.Flex)
	assert.NotContains(t, h.wm.last().req.Input, keyFGSConfig)
	assert.Len(t, h.records("warning"), 2)
}

// 0.5 on iOS: a one-off is a BGProcessingTask under the unique name; its run
// delivers the unique name, no input, and the result is ignored; debug
// notifications follow isInDebugMode.
func TestVersion05IOSRun(t *testing.T) {
	h := newHarness(osscheduler.IOS, V0_5)
	h.dev.LaunchApp()
	require.NoError(t, h.p.Initialize(1, true))
	var got *TaskContext
	h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx; return false, nil })
	require.NoError(t, h.p.RegisterOneOffTask("oneoff-1", "simpleTask", OneOffOptions{InputData: osscheduler.Data{"k": 1}}))
	assert.Empty(t, h.bg.registers, "0.5 never registers launch handlers itself")
	rr := h.iosRun(osscheduler.Processing, "oneoff-1", "simpleTask", nil, 1)
	require.NoError(t, h.eng.RunFor(time.Minute))
	require.NotNil(t, got)
	assert.Equal(t, "oneoff-1", got.Received)
	assert.Nil(t, got.Input)
	assert.Equal(t, osscheduler.Success, rr.res)
	assert.Len(t, h.rec.Filter(func(r *sim.Record) bool { return r.Source == event.SourcePluginDebug }), 2)
	assert.Empty(t, h.p.workInfos(), "0.5 has no WorkInfo store")
}

func TestConfigValidate(t *testing.T) {
	assert.NoError(t, Config{}.Validate())
	assert.NoError(t, Config{Platform: osscheduler.IOS, Version: V0_5, Debug: DebugLogging}.Validate())
	assert.EqualError(t, Config{Platform: "windows"}.Validate(), `plugin: unknown platform "windows" (valid: android, ios)`)
	assert.NoError(t, Config{Version: "0.7"}.Validate())
	assert.ErrorContains(t, Config{Version: "0.11"}.Validate(), `plugin: unknown plugin version "0.11" (valid: a minor 0.2 … 0.10, or a release: 0.2.0, `)
	assert.EqualError(t, Config{Version: "0.9.0+3", AndroidPackage: "0.10.2"}.Validate(), `plugin: workmanager_android 0.10.2 is outside workmanager 0.9.0+3's range ^0.9.0+2`)
	assert.EqualError(t, Config{Version: "0.5", AndroidPackage: "0.9.0"}.Validate(), `plugin: plugin 0.5.2 is one package: platform packages can be pinned from 0.8`)
	assert.Error(t, Config{Debug: "verbose"}.Validate())
	p := New(Config{Platform: osscheduler.IOS})
	assert.True(t, p.cfg.IOS.BackgroundAppRefresh, "a zero iOS config is ios.DefaultConfig()")
	assert.NotNil(t, p.IOS())
	assert.Nil(t, p.Android())
	assert.Equal(t, V0_10, p.Version())
}
