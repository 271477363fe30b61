package wmsimtest_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
	"github.com/wmsim/wmsim/wmsimtest"
)

// buildInGo is testdata/equivalence.yaml written with the Go builder.
func buildInGo(t *testing.T) *wmsimtest.Sim {
	lo, one := 20, true
	gap, first := 2*time.Hour, 10*time.Minute
	state := scenarios.StateSucceeded
	s := wmsimtest.New(t,
		wmsimtest.Name("equivalence"),
		wmsimtest.Seed(7),
		wmsimtest.Duration(48*time.Hour),
		wmsimtest.Android(33),
		wmsimtest.Battery(60),
		wmsimtest.Profile("office-worker"),
		wmsimtest.Task("sync", 3*time.Second, wmsimtest.Retry, wmsimtest.Success),
		wmsimtest.Task("upload", 10*time.Second, wmsimtest.Success),
		wmsimtest.Expectations(
			scenarios.Expectation{Task: "sync", Runs: &scenarios.Range{Min: &lo}, Within: &scenarios.Window{To: 24 * time.Hour}},
			scenarios.Expectation{Task: "sync", MaxGap: &gap},
			scenarios.Expectation{Unique: "oneoff-1", State: &state},
			scenarios.Expectation{Unique: "oneoff-1", FirstRunWithin: &first},
			scenarios.Expectation{NoErrors: &one},
		),
	)
	s.At(0, func(s *wmsimtest.Sim) { s.Workmanager().Initialize() })
	s.At(time.Minute, func(s *wmsimtest.Sim) {
		s.Workmanager().RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{
			Frequency:   plugin.Ptr(time.Hour),
			Constraints: &plugin.Constraints{NetworkType: plugin.Ptr(plugin.NetworkConnected)},
		})
	})
	s.At(6*time.Hour, func(s *wmsimtest.Sim) { s.Device().Plug(wmsimtest.ChargerAC) })
	s.At(7*time.Hour, func(s *wmsimtest.Sim) { s.Device().SetNetwork(wmsimtest.Cellular) })
	s.At(8*time.Hour, func(s *wmsimtest.Sim) { s.App().SwipeAway() })
	s.At(10*time.Hour, func(s *wmsimtest.Sim) { s.Reboot(2 * time.Minute) })
	s.At(12*time.Hour, func(s *wmsimtest.Sim) {
		s.Workmanager().RegisterOneOffTask("oneoff-1", "upload", plugin.OneOffOptions{InitialDelay: plugin.Ptr(5 * time.Minute), Tag: plugin.Ptr("uploads")})
	})
	s.At(20*time.Hour, func(s *wmsimtest.Sim) { s.OS().SetStandbyBucket(wmsimtest.BucketRare) })
	s.At(30*time.Hour, func(s *wmsimtest.Sim) { s.Workmanager().CancelByTag("uploads") })
	return s
}

// TestGoAndYAMLGiveIdenticalResults: a scenario built in Go and the same
// scenario in YAML give byte-identical result documents, and both equal what
// the CLI's runner (scenarios.Run) prints for the file.
func TestGoAndYAMLGiveIdenticalResults(t *testing.T) {
	src, err := os.ReadFile("testdata/equivalence.yaml")
	require.NoError(t, err)
	sc, err := scenarios.Parse("testdata/equivalence.yaml", src)
	require.NoError(t, err)
	out, err := runner.Run(sc, runner.RunOptions{})
	require.NoError(t, err)
	cli, err := report.MarshalIndent(out.Document())
	require.NoError(t, err)

	g := buildInGo(t)
	require.NoError(t, g.Run())
	goDoc := g.JSON()

	y := wmsimtest.New(t, wmsimtest.FromFile("testdata/equivalence.yaml"))
	require.NoError(t, y.Run())

	require.Equal(t, string(cli), string(goDoc), "Go-built scenario vs the CLI's document")
	require.Equal(t, string(cli), string(y.JSON()), "YAML loaded into the builder vs the CLI's document")
	// The scenario exercises what it claims to: runs, a retry, the one-off.
	res := g.Result()
	require.Greater(t, len(res.Runs), 20)
	require.True(t, bytes.Contains(goDoc, []byte(`"outcome": "retry"`)))
	require.True(t, bytes.Contains(goDoc, []byte(`"unique": "oneoff-1"`)))
}

// TestResultIsRepeatable: Result can be taken at any moment, any number of
// times, without changing what a later one says.
func TestResultIsRepeatable(t *testing.T) {
	a := buildInGo(t)
	b := buildInGo(t)
	for i := 0; i < 4; i++ {
		require.NoError(t, a.RunFor(12*time.Hour))
		_ = a.JSON()
		_ = a.JSON()
	}
	require.NoError(t, b.Run())
	require.Equal(t, string(b.JSON()), string(a.JSON()))
}

// TestGoAndYAMLEquivalentForms: calls made from Go before the first RunFor
// equal `at: 0s` steps, and an iOS app whose Info.plist lists its
// identifier equals a file relying on the loader's default.
func TestGoAndYAMLEquivalentForms(t *testing.T) {
	cases := []struct {
		name  string
		yaml  string
		opts  []wmsimtest.Option
		drive func(s *wmsimtest.Sim)
	}{
		{"immediate calls", `version: 1
name: imm
seed: 7
duration: 1d
device: { profile: office-worker }
app: { tasks: { sync: { duration: 2s } } }
timeline:
  - at: 0s
    call: initialize
  - at: 0s
    call: registerPeriodicTask
    args: { uniqueName: sync-1, taskName: sync, frequency: 1h }
`, []wmsimtest.Option{wmsimtest.Name("imm"), wmsimtest.Seed(7), wmsimtest.Duration(24 * time.Hour),
			wmsimtest.Profile("office-worker"), wmsimtest.Task("sync", 2*time.Second)},
			func(s *wmsimtest.Sim) {
				s.Workmanager().Initialize()
				s.Workmanager().RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour)})
			}},
		{"ios refresh and processing", `version: 1
name: ios-eq
seed: 11
duration: 3d
platform: ios
ios: { version: 17 }
device: { profile: office-worker }
app:
  tasks:
    refresh-1: { duration: 5s }
    clean-1: { duration: 1m }
timeline:
  - at: 0s
    call: initialize
  - at: 0s
    call: registerPeriodicTask
    args: { uniqueName: refresh-1, taskName: refresh }
  - at: 1h
    call: registerProcessingTask
    args: { uniqueName: clean-1, taskName: clean, constraints: { requiresCharging: true } }
  - at: 1d
    app: swipe_away
`, []wmsimtest.Option{wmsimtest.Name("ios-eq"), wmsimtest.Seed(11), wmsimtest.Duration(72 * time.Hour), wmsimtest.IOS(17),
			wmsimtest.Profile("office-worker"), wmsimtest.PermittedIdentifiers("refresh-1", "clean-1"),
			wmsimtest.Task("refresh-1", 5*time.Second), wmsimtest.Task("clean-1", time.Minute)},
			func(s *wmsimtest.Sim) {
				s.Workmanager().Initialize()
				s.Workmanager().RegisterPeriodicTask("refresh-1", "refresh", plugin.PeriodicOptions{})
				s.At(time.Hour, func(s *wmsimtest.Sim) {
					s.Workmanager().RegisterProcessingTask("clean-1", "clean", plugin.ProcessingOptions{
						Constraints: &plugin.Constraints{RequiresCharging: plugin.Ptr(true)},
					})
				})
				s.At(24*time.Hour, func(s *wmsimtest.Sim) { s.App().SwipeAway() })
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			y := wmsimtest.New(t, wmsimtest.FromYAML([]byte(c.yaml)))
			require.NoError(t, y.Run())
			g := wmsimtest.New(t, c.opts...)
			c.drive(g)
			require.NoError(t, g.Run())
			require.NotEmpty(t, g.Result().Runs)
			require.Equal(t, string(y.JSON()), string(g.JSON()))
		})
	}
}
