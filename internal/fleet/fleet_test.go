package fleet

import (
	"bytes"
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

func library(t testing.TB, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.LoadLibrary(name)
	require.NoError(t, err)
	return sc
}

func marshal(t testing.TB, s *Summary) []byte {
	t.Helper()
	b, err := Marshal(s)
	require.NoError(t, err)
	return b
}

var mix = []MixEntry{{"office-worker", 3}, {"light-user", 2}, {"heavy-user", 1}}

// The summary is the same whatever the job count (DESIGN.md principle 1).
func TestJobsDoNotChangeTheResult(t *testing.T) {
	for _, name := range []string{"periodic-task", "ios-refresh-daily-user"} {
		t.Run(name, func(t *testing.T) {
			sc := library(t, name)
			opts := Options{Devices: 24, Days: 3, Mix: mix}
			opts.Jobs = 1
			one, err := Run(sc, opts)
			require.NoError(t, err)
			opts.Jobs = 4
			four, err := Run(sc, opts)
			require.NoError(t, err)
			assert.Equal(t, string(marshal(t, one)), string(marshal(t, four)))
			assert.Equal(t, 24, one.Completed)
			assert.False(t, one.Interrupted)
		})
	}
}

// Merging the shards of a fleet gives byte for byte the unsharded summary,
// through JSON as `wmsim merge` reads them, in any order.
func TestShardsMergeToTheWhole(t *testing.T) {
	sc := library(t, "periodic-task")
	opts := Options{Devices: 20, Days: 2, Mix: mix, Jobs: 2}
	whole, err := Run(sc, opts)
	require.NoError(t, err)
	want := marshal(t, whole)
	var parts []*Summary
	for _, i := range []int{2, 0, 1} {
		o := opts
		o.Shard = Shard{Index: i, Count: 3}
		s, err := Run(sc, o)
		require.NoError(t, err)
		back, err := Unmarshal(marshal(t, s))
		require.NoError(t, err)
		parts = append(parts, back)
	}
	merged, err := Merge(parts...)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(marshal(t, merged)))
	assert.Empty(t, merged.Missing())

	_, err = Merge(parts[0], parts[0])
	assert.ErrorContains(t, err, "each shard may be given once")
	other := *parts[1]
	other.Seed++
	_, err = Merge(parts[0], &other)
	assert.ErrorContains(t, err, "seed")
	partial, err := Merge(parts[0], parts[1])
	require.NoError(t, err)
	assert.Equal(t, [][2]int{{6, 13}}, partial.Missing())
}

// A device is the same device in any shard: its seed and profile depend on
// the root seed and its index only.
func TestDeviceIdentity(t *testing.T) {
	p, err := newPlan(library(t, "periodic-task"), Options{Devices: 10, Mix: mix})
	require.NoError(t, err)
	counts := map[string]int{}
	for i := range 6000 {
		counts[p.profileOf(i)]++
	}
	// Weights 3:2:1 over 6000 draws: 3000, 2000, 1000 within a few percent.
	assert.InDelta(t, 3000, counts["office-worker"], 150)
	assert.InDelta(t, 2000, counts["light-user"], 150)
	assert.InDelta(t, 1000, counts["heavy-user"], 150)
	assert.NotEqual(t, DeviceSeed(1, 0), DeviceSeed(1, 1))
	assert.Equal(t, DeviceSeed(7, 3), DeviceSeed(7, 3))
}

func TestShardRanges(t *testing.T) {
	covered := 0
	for i := range 7 {
		lo, hi := Shard{i, 7}.Range(100)
		assert.Equal(t, covered, lo)
		covered = hi
	}
	assert.Equal(t, 100, covered)
	lo, hi := Shard{}.Range(5)
	assert.Equal(t, [2]int{0, 5}, [2]int{lo, hi})
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in  string
		err string
	}{
		{"office-worker=50,light-user=30", ""},
		{"office-worker", "want profile=weight"},
		{"office-worker=0", "want profile=weight"},
		{"nobody=3", "unknown profile"},
		{"light-user=1,light-user=2", "twice"},
	} {
		_, err := ParseMix(tc.in)
		if tc.err == "" {
			assert.NoError(t, err, tc.in)
		} else {
			assert.ErrorContains(t, err, tc.err, tc.in)
		}
	}
	for _, tc := range []struct {
		in string
		ok bool
	}{{"0/3", true}, {"2/3", true}, {"3/3", false}, {"-1/3", false}, {"1/0", false}, {"1", false}, {"a/b", false}} {
		_, err := ParseShard(tc.in)
		assert.Equal(t, tc.ok, err == nil, tc.in)
	}
}

func TestBadOptions(t *testing.T) {
	sc := library(t, "periodic-task")
	for _, o := range []Options{
		{Devices: 0},
		{Devices: 1, Days: -1},
		{Devices: 1, Platform: "windows"},
		{Devices: 1, Mix: []MixEntry{{"nobody", 1}}},
		{Devices: 1, Shard: Shard{Index: 3, Count: 2}},
	} {
		_, err := Run(sc, o)
		assert.Error(t, err, "%+v", o)
	}
}

// A cancelled context stops the run; the summary says so and counts only
// the devices that finished.
func TestInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := Run(library(t, "periodic-task"), Options{Devices: 50, Days: 1, Context: ctx})
	require.NoError(t, err)
	assert.True(t, s.Interrupted)
	assert.Less(t, s.Completed, 50)
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, s))
	assert.Contains(t, buf.String(), "INTERRUPTED")
}

// The metrics of one device agree with the runner's own result for the same
// seed and profile: runs, successes and the deferral reasons it traced.
func TestDeviceMetricsMatchTheRunner(t *testing.T) {
	sc := library(t, "periodic-task")
	s, err := Run(sc, Options{Devices: 1, Days: 2})
	require.NoError(t, err)
	seed := DeviceSeed(sc.Seed, 0)
	out, err := runner.Run(sc, runner.RunOptions{Seed: &seed, Duration: 48 * time.Hour, Profile: "office-worker", KeepTrace: true})
	require.NoError(t, err)
	res := out.Runs[0].Result
	require.Len(t, s.All.Tasks, 1)
	task := s.All.Tasks[0]
	assert.Equal(t, "periodic-sync", task.Task)
	assert.Equal(t, int64(res.Tasks[0].Runs), task.Runs)
	assert.Equal(t, int64(res.Tasks[0].Successes), task.Successes)
	assert.Equal(t, task.Runs, task.DelayMs.Count())
	assert.Equal(t, task.Successes-1, task.SuccessGapMs.Count())
	// Every blocked_by reason in the full trace shows up in the summary.
	reasons := map[string]bool{}
	for _, r := range out.Runs[0].Trace {
		if r.Kind == event.Deferred && r.Subject == "periodic-sync" {
			if f, ok := r.Field("blocked_by"); ok {
				reasons[f.Str] = true
			}
		}
	}
	got := map[string]bool{}
	for _, b := range task.Blocked {
		got[b.Reason] = true
	}
	assert.Equal(t, reasons, got)
	// 2 s to 6 s runs at 150 mA: between 0.083 and 0.25 mAh each.
	assert.GreaterOrEqual(t, task.BatteryUAh.Sum(), task.Runs*2*150_000/3600)
	assert.LessOrEqual(t, task.BatteryUAh.Sum(), task.Runs*6*150_000/3600+1)
}

// NoTrace changes no run: the fleet's lean runs simulate exactly what the
// traced runs do, for every library scenario and a month of each profile.
func TestNoTraceChangesNoRun(t *testing.T) {
	type variant struct {
		name    string
		profile string
		days    time.Duration
	}
	var vs []variant
	for _, e := range scenarios.Library() {
		vs = append(vs, variant{e.Name, "", 0})
	}
	for _, p := range []string{"office-worker", "light-user", "heavy-user"} {
		vs = append(vs, variant{"periodic-task", p, 30 * 24 * time.Hour}, variant{"ios-refresh-daily-user", p, 30 * 24 * time.Hour})
	}
	for _, v := range vs {
		sc := library(t, v.name)
		o := runner.RunOptions{Profile: v.profile, Duration: v.days}
		a, err := runner.Run(sc, o)
		require.NoError(t, err)
		o.NoTrace = true
		b, err := runner.Run(sc, o)
		require.NoError(t, err)
		for i := range a.Runs {
			if !reflect.DeepEqual(a.Runs[i].Result.Runs, b.Runs[i].Result.Runs) {
				t.Errorf("%s %s: runs differ with NoTrace", v.name, v.profile)
			}
		}
	}
}

// A panic inside a device's simulation is recovered on its worker and
// reported as a *PanicError (the CLI's exit 4), not a crash of the process.
func TestDevicePanicRecovered(t *testing.T) {
	var p plan // no scenario: the device's world cannot be built
	err := p.runDeviceSafe(7, p.newSummaryForTest())
	var pe *PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 7, pe.Device)
	assert.Contains(t, err.Error(), "internal error: device 7 panicked")
	assert.NotEmpty(t, pe.Stack)
}

func (p *plan) newSummaryForTest() *Summary {
	return &Summary{All: newGroup("*"), Profiles: []*Group{}}
}
