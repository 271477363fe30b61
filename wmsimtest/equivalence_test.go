package wmsimtest_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/plugin"
	"github.com/wmsim/wmsim/report"
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
	out, err := scenarios.Run(sc, scenarios.RunOptions{})
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
