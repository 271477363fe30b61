package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

func open(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Open(name)
	require.NoError(t, err)
	return sc
}

// #594: from 0.6 until workmanager_android 0.9.1+1 a periodic task without a
// flex gets a 5-minute one, so its first run moves from enqueue to
// enqueue + (interval − 5 min); the comparison shows the moved first run.
func TestPluginAxisShowsDefaultFlex(t *testing.T) {
	r, err := Profiles(open(t, "periodic-task"), Plugin, []string{"0.6", "0.10.10"}, runner.RunOptions{})
	require.NoError(t, err)
	require.Len(t, r.Tasks, 1)
	task := r.Tasks[0]
	assert.Equal(t, "periodic-sync", task.Unique)
	assert.True(t, task.Changed)
	old, now := task.Cells[0], task.Cells[1]
	require.NotNil(t, old.FirstRun)
	require.NotNil(t, now.FirstRun)
	assert.GreaterOrEqual(t, *old.FirstRun, 60.0+55*60, "0.6: first run ≥ enqueue (+1m) + 55m")
	assert.Less(t, *now.FirstRun, 60.0+5*60, "0.10.10: first run right after enqueue")
	var buf bytes.Buffer
	require.NoError(t, r.WriteText(&buf))
	assert.Contains(t, buf.String(), "* android periodic-sync (task fetchLatestPosts)")
	assert.Contains(t, buf.String(), "plugin 0.6 vs 0.10.10")
}

// The same profile twice changes nothing (determinism of the comparison).
func TestSameProfileUnchanged(t *testing.T) {
	r, err := Profiles(open(t, "periodic-task"), Plugin, []string{"0.10", "0.10.10"}, runner.RunOptions{})
	require.NoError(t, err)
	for _, task := range r.Tasks {
		assert.False(t, task.Changed, task.Unique)
	}
}

func TestAPIAndIOSAxes(t *testing.T) {
	r, err := Profiles(open(t, "side-by-side"), API, []string{"33", "35"}, runner.RunOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, r.Tasks)
	for _, task := range r.Tasks {
		assert.Equal(t, "android", task.Platform)
		assert.Len(t, task.Cells, 2)
	}
	r, err = Profiles(open(t, "ios-refresh-daily-user"), IOS, []string{"17", "26"}, runner.RunOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, r.Tasks)
	assert.Equal(t, "ios", r.Tasks[0].Platform)
	var buf bytes.Buffer
	require.NoError(t, r.WriteJSON(&buf))
	var back Report
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, Format, back.Format)
	assert.Equal(t, []string{"17", "26"}, back.Profiles)
	assert.Equal(t, r.Tasks, back.Tasks)
}

// Errors that differ by release are listed per profile: until
// workmanager_android 0.10.2 an outOfQuotaPolicy makes the one-off expedited,
// and an expedited request with an initial delay makes
// WorkRequest.Builder.build() throw, which Dart sees; from 0.10.2 the policy
// alone is ignored and the delayed task runs.
func TestErrorsPerProfile(t *testing.T) {
	r, err := Profiles(open(t, "testdata/ooq-delay.yaml"), Plugin, []string{"0.5", "0.9", "0.10"}, runner.RunOptions{})
	require.NoError(t, err)
	require.Len(t, r.Errors, 2)
	for i, want := range []struct{ profile, code string }{{"0.5", "error"}, {"0.9", "IllegalArgumentException"}} {
		e := r.Errors[i]
		assert.Equal(t, want.profile, e.Profile)
		assert.Equal(t, "invalid_argument", e.Code)
		assert.True(t, e.SeenByApp)
		assert.Contains(t, e.Message, "Expedited jobs cannot be delayed")
	}
	require.Len(t, r.Tasks, 1)
	cells := r.Tasks[0].Cells
	assert.Equal(t, [3]int{0, 0, 1}, [3]int{cells[0].Runs, cells[1].Runs, cells[2].Runs})
	var buf bytes.Buffer
	require.NoError(t, r.WriteText(&buf))
	assert.Contains(t, buf.String(), "plugin 0.5 +1m registerOneOffTask invalid_argument: Expedited jobs cannot be delayed (seen by the app)")
}

func TestBadValues(t *testing.T) {
	sc := open(t, "periodic-task")
	for _, c := range []struct {
		axis Axis
		v    string
		msg  string
	}{
		{Plugin, "0.11", `compare: --plugin 0.11: unknown plugin version "0.11"`},
		{API, "22", fmt.Sprintf("compare: --api 22: an Android API level %d..%d", scenarios.MinAndroidAPI, scenarios.MaxAndroidAPI)},
		{IOS, "20", "compare: --ios 20: an iOS version 13..18, 26 or 27"},
		{"windows", "1", `compare: unknown axis "windows"`},
	} {
		_, err := Profiles(sc, c.axis, []string{c.v}, runner.RunOptions{})
		assert.ErrorContains(t, err, c.msg)
	}
	_, err := Profiles(sc, Plugin, nil, runner.RunOptions{})
	assert.Error(t, err)
}
