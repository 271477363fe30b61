package runner

import (
	"bytes"
	goldenfile "github.com/wmsim/wmsim/internal/golden"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wmsim/wmsim/scenarios"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

func runDoc(t testing.TB, sc *scenarios.Scenario, opts RunOptions) []byte {
	t.Helper()
	out, err := Run(sc, opts)
	require.NoError(t, err)
	b, err := report.MarshalIndent(out.Document())
	require.NoError(t, err)
	return b
}

// TestLibrary runs every built-in scenario: each must load, pass its own
// expectations with no invariant broken, and match its golden result.
func TestLibrary(t *testing.T) {
	entries := scenarios.Library()
	names, err := filepath.Glob("../scenarios/library/*.yaml")
	require.NoError(t, err)
	require.Len(t, entries, len(names), "every library file must load")
	require.GreaterOrEqual(t, len(entries), 15)
	for _, e := range entries {
		t.Run(e.Name, func(t *testing.T) {
			sc, err := scenarios.LoadLibrary(e.Name)
			require.NoError(t, err)
			out, err := Run(sc, RunOptions{})
			require.NoError(t, err)
			for _, pr := range out.Runs {
				require.Nil(t, pr.LimitErr, "%s hit a limit", pr.Platform)
				for _, x := range pr.Result.Expectations {
					assert.True(t, x.OK, "%s: %s: %s", pr.Platform, x.Expect, x.Detail)
				}
				assert.Empty(t, pr.Result.Invariants.Violations, pr.Platform)
			}
			b, err := report.MarshalIndent(out.Document())
			require.NoError(t, err)
			golden := filepath.Join("testdata", "golden", e.Name+".json")
			if goldenfile.Updating() {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, b, 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create the golden file")
			if d := cmp.Diff(string(want), string(b)); d != "" {
				t.Errorf("%s differs from its golden file (-want +got); rerun with -update if the change is intended:\n%s", golden, d)
			}
		})
	}
}

// TestDeterminism: the same scenario and seed give byte-identical result
// documents and JSON Lines traces, run after run and whatever GOMAXPROCS is.
func TestDeterminism(t *testing.T) {
	for _, name := range []string{"periodic-task", "hourly-sync-survives-doze", "side-by-side", "ios-refresh-daily-user"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.LoadLibrary(name)
			require.NoError(t, err)
			first, firstTrace := docAndTrace(t, sc)
			for i, procs := range []int{1, 4, 2, 1, 3} {
				old := runtime.GOMAXPROCS(procs)
				doc, trace := docAndTrace(t, sc)
				runtime.GOMAXPROCS(old)
				require.Equal(t, string(first), string(doc), "run %d (GOMAXPROCS=%d)", i, procs)
				require.True(t, bytes.Equal(firstTrace, trace), "trace of run %d differs", i)
			}
		})
	}
}

func docAndTrace(t *testing.T, sc *scenarios.Scenario) ([]byte, []byte) {
	var buf bytes.Buffer
	sink := sim.NewJSONLSink(&buf)
	doc := runDoc(t, sc, RunOptions{Sinks: []sim.Sink{sink}})
	require.NoError(t, sink.Err())
	return doc, buf.Bytes()
}

// TestSeedChangesRandomness: a different seed changes what is drawn (task
// durations from a range), so the seed really is the root of randomness.
func TestSeedChangesRandomness(t *testing.T) {
	sc, err := scenarios.LoadLibrary("periodic-task")
	require.NoError(t, err)
	s1, s2 := uint64(1), uint64(2)
	a := runDoc(t, sc, RunOptions{Seed: &s1})
	b := runDoc(t, sc, RunOptions{Seed: &s2})
	assert.NotEqual(t, string(a), string(b))
}

// TestEvidenceQuotesRejection: a task whose registration the plugin rejected
// fails its expectation with the rejection as the reason, found through the
// task name even though the rejected work never reached the OS model.
func TestEvidenceQuotesRejection(t *testing.T) {
	sc, err := scenarios.Parse("rejected.yaml", []byte(`version: 1
name: rejected
duration: 1h
platform: [android, ios]
app:
  tasks:
    cleanupDatabase: { duration: 1s }
    nightly: { duration: 1s }
timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerProcessingTask
    args: { uniqueName: nightly, taskName: cleanupDatabase }
expect:
  - task: cleanupDatabase
    runs: { min: 1 }
`))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{Platforms: []string{"android"}})
	require.NoError(t, err)
	x := out.Runs[0].Result.Expectations[0]
	assert.False(t, x.OK)
	// flutter_workmanager workmanager_android.dart: registerProcessingTask throws
	// UnsupportedError("Processing tasks are not supported on Android").
	assert.Contains(t, x.Detail, "rejected at +00:01:00")
	assert.Contains(t, x.Detail, "Processing tasks are not supported on Android")
}

// TestIOSHeuristicsRange: ios.heuristics reaches the iOS model, and the three
// parameter sets order the daily user's refreshes as their names say
// (osscheduler/ios/MODEL.md: ~17, ~8 and ~2 runs a day).
func TestIOSHeuristicsRange(t *testing.T) {
	runs := map[scenarios.Heuristics]int{}
	for _, h := range []scenarios.Heuristics{scenarios.HeuristicsOptimistic, scenarios.HeuristicsTypical, scenarios.HeuristicsPessimistic} {
		sc, err := scenarios.LoadLibrary("ios-refresh-daily-user")
		require.NoError(t, err)
		sc.IOS.Heuristics = h
		out, err := Run(sc, RunOptions{})
		require.NoError(t, err)
		runs[h] = len(out.Runs[0].Result.Runs)
	}
	assert.Greater(t, runs[scenarios.HeuristicsOptimistic], runs[scenarios.HeuristicsTypical], runs)
	assert.Greater(t, runs[scenarios.HeuristicsTypical], runs[scenarios.HeuristicsPessimistic], runs)
	assert.Greater(t, runs[scenarios.HeuristicsPessimistic], 0, runs)
}

// minimal is the smallest valid scenario, to which tests append.
const minimal = "version: 1\nname: minimal\nduration: 1d\n"
