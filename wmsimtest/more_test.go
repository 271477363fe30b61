package wmsimtest_test

import (
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
	"github.com/wmsim/wmsim/wmsimtest"
)

func TestSinkOption(t *testing.T) {
	rec := &sim.Recorder{}
	s := wmsimtest.New(t, wmsimtest.Sink(rec))
	require.NoError(t, s.Workmanager().Initialize())
	require.NotEmpty(t, rec.Records)
	assert.Equal(t, "initialize", rec.Records[len(rec.Records)-1].Subject)
}

func TestOverridesKeepTheFileIntact(t *testing.T) {
	// Battery and TaskBehaviour override a loaded file's entries without
	// touching the scenario value it came from.
	src := []byte("version: 1\nname: f\nduration: 1h\ndevice: { battery: { level: 90, capacity_mah: 3000 } }\n" +
		"app: { tasks: { sync: { duration: 1s, result: success } } }\n")
	sc, err := scenarios.Parse("f.yaml", src)
	require.NoError(t, err)
	s := wmsimtest.New(t, wmsimtest.FromScenario(sc), wmsimtest.Battery(40),
		wmsimtest.TaskBehaviour(scenarios.Task{Name: "sync", Result: scenarios.Results{scenarios.ResultRetry}}))
	assert.Equal(t, 40, s.Device().State().Battery.Level())
	assert.Equal(t, int64(3000), s.Device().State().Battery.CapacityMAh)
	assert.Equal(t, 90, *sc.Device.Battery.Level)
	task, _ := s.Scenario().App.Tasks.Lookup("sync")
	assert.Equal(t, scenarios.Results{scenarios.ResultRetry}, task.Result)
	assert.Len(t, s.Scenario().App.Tasks, 1)
}

func TestMatchersOnOutcomeAndLimits(t *testing.T) {
	RegisterTestingT(t)
	sc, err := scenarios.LoadLibrary("ios-missing-plist-identifier")
	require.NoError(t, err)
	out, err := runner.Run(sc, runner.RunOptions{})
	require.NoError(t, err)
	Expect(out).To(wmsimtest.HaveRecordedError(wmsimtest.NotPermitted).From("registerPeriodicTask"))
	Expect(out).To(wmsimtest.HaveRun("periodic-sync").AtMost(0))
	two := &runner.Outcome{Runs: append(out.Runs, out.Runs...)}
	mustContain(t, fails(func() { Expect(two).To(wmsimtest.HaveNoErrors()) }), "exactly one platform run")
	mustContain(t, fails(func() { Expect((*report.Result)(nil)).To(wmsimtest.HaveNoErrors()) }), "nil *report.Result")

	// A run stopped by a safety limit does not meet its expectations.
	s := wmsimtest.New(&fakeT{}, wmsimtest.Limits(sim.Limits{MaxEvents: 5}), wmsimtest.Charger(wmsimtest.ChargerAC))
	s.Workmanager().Initialize()
	s.Workmanager().RegisterPeriodicTask("p", "p", plugin.PeriodicOptions{})
	assert.Error(t, s.RunFor(24*time.Hour))
	mustContain(t, fails(func() { Expect(s).To(wmsimtest.HaveMetExpectations()) }), "✗ stopped at a safety limit: ")
}

func TestRunUntilBounds(t *testing.T) {
	ft := &fakeT{}
	s := wmsimtest.New(ft, wmsimtest.Duration(time.Hour))
	assert.Error(t, s.RunUntil(s.Now().Add(2*time.Hour)))
	assert.Contains(t, ft.text(), "past the scenario's end at +01:00:00")
	_, ok := s.RunUntilCondition(func() bool { return false }, 48*time.Hour)
	assert.False(t, ok)
	assert.Equal(t, time.Hour, s.Elapsed(), "the limit is clamped to the scenario's end")
}
