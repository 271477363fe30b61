package main

// Hostile input: each case must end with a clear error (exit 2 for input
// refused before simulating, 3 for a run stopped by a safety limit), in
// bounded memory and without hanging. Loader-level limits (size, nesting,
// aliases) are covered in scenarios/parse_test.go and zz_hostile_test.go;
// here they are checked end to end through the CLI.

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(args, env)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// heapGrowth runs f and returns how much the live heap grew, in bytes.
func heapGrowth(f func()) int64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return int64(b.TotalAlloc - a.TotalAlloc)
}

const header = "version: 1\nname: hostile\nduration: 1d\nplatform: android\n"

func TestHostileInputRefused(t *testing.T) {
	billionLaughs := "version: 1\nname: lol\nduration: 1d\n" +
		"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" +
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n" +
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n" +
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
	garbage := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	cases := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"over 10 MiB", "big.yaml", append([]byte(header+"description: "), bytes.Repeat([]byte("a"), scenarios.MaxFileSize)...), "at most 10485760 bytes"},
		{"deep flow nesting", "deep.yaml", []byte(header + "description: " + strings.Repeat("[", 100000)), "nesting too deep"},
		{"deep block nesting", "deepblock.yaml", func() []byte {
			var b strings.Builder
			b.WriteString(header + "app:\n")
			for i := 1; i < 200; i++ {
				b.WriteString(strings.Repeat("  ", i) + "k:\n")
			}
			return []byte(b.String())
		}(), "nesting too deep"},
		{"billion laughs", "lol.yaml", []byte(billionLaughs), "alias bomb"},
		{"self-referencing alias", "self.yaml", []byte(header + "x: &x [*x]\n"), "refers to itself"},
		{"binary garbage", "garbage.yaml", garbage, "not valid UTF-8"},
		{"NUL bytes", "nul.yaml", append([]byte(header), 0, 0, 0, '\n'), "hostile.yaml"},
		{"empty", "empty.yaml", nil, "empty"},
		{"over 366 days", "long.yaml", []byte("version: 1\nname: long\nduration: 367d\n"), "366d"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.file, tc.data)
			var code int
			var stderr string
			done := make(chan struct{})
			grew := heapGrowth(func() {
				go func() {
					defer close(done)
					code, _, stderr = runCLI(t, "run", path)
				}()
				select {
				case <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("wmsim run hangs")
				}
			})
			assert.Equal(t, exitInvalid, code, stderr)
			if tc.name == "NUL bytes" {
				assert.Contains(t, stderr, tc.file)
			} else {
				assert.Contains(t, stderr, tc.want)
			}
			assert.Contains(t, stderr, tc.file, "the error names the file")
			// Bounded memory: a refused file costs a small multiple of its size.
			assert.Less(t, grew, int64(40*len(tc.data)+64<<20), "allocated %d bytes for a %d-byte file", grew, len(tc.data))
		})
	}
}

// withLimits replaces the default safety limits for one test (the CLI uses
// sim.DefaultLimits; the real defaults stop a runaway run within minutes).
func withLimits(t *testing.T, l sim.Limits) {
	old := sim.DefaultLimits
	sim.DefaultLimits = l
	t.Cleanup(func() { sim.DefaultLimits = old })
}

// skipSlow skips a test that takes more than a few seconds under -short
// (go test -short ./... for a quick local check); CI runs it.
func skipSlow(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: runs without -short (CI runs it)")
	}
}

func TestHostileRunawayScenarios(t *testing.T) {
	skipSlow(t)
	// The CLI's real defaults (50 million events, 5 minutes) stop the first
	// case after about 9 s; smaller limits keep the test short.
	withLimits(t, sim.Limits{MaxEvents: 300_000, WallClock: 3 * time.Second})
	cases := []struct{ name, yaml, want string }{
		{"366 days of 1-second device steps", "version: 1\nname: flicker\nduration: 366d\nplatform: android\n" +
			"timeline:\n  - at: 0s\n    every: 1s\n    device: { screen: on }\n  - at: 0s\n    every: 1s\n    device: { screen: off }\n", ""},
		{"366 days of 1-second calls", "version: 1\nname: chatty\nduration: 366d\nplatform: [android, ios]\n" +
			"app: { tasks: { t: { duration: 1s } } }\n" +
			"timeline:\n  - at: 0s\n    call: initialize\n  - at: 0s\n    every: 1s\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: t, existingWorkPolicy: append }\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "runaway.yaml", []byte(tc.yaml))
			start := time.Now()
			code, out, stderr := runCLI(t, "run", "--format", "json", path)
			assert.Less(t, time.Since(start), 30*time.Second)
			assert.Equal(t, exitLimit, code, stderr)
			assert.Contains(t, out, `"limit": "safety limit `+tc.want)
		})
	}
}

// A timeline that writes trace records faster than events (a cancelAll
// every second) is stopped by the trace-record cap before memory runs out.
func TestHostileTraceRecordCap(t *testing.T) {
	skipSlow(t)
	withLimits(t, sim.Limits{MaxEvents: 50_000_000, WallClock: 60 * time.Second})
	path := writeFile(t, "records.yaml", []byte("version: 1\nname: records\nduration: 366d\nplatform: ios\n"+
		"timeline:\n  - at: 0s\n    every: 1s\n    call: cancelAll\n"))
	var code int
	var out, stderr string
	grew := heapGrowth(func() { code, out, stderr = runCLI(t, "run", "--format", "json", path) })
	assert.Equal(t, exitLimit, code, stderr)
	if !strings.Contains(out, "safety limit wall_clock") { // the race detector is slower
		assert.Contains(t, out, `"limit": "safety limit max_trace_records (2000000)`)
	}
	t.Logf("allocated %d MB in total", grew>>20)
}

// A Go handler (wmsimtest, RunOptions.Handlers) that misbehaves.
func hostileScenario(t *testing.T, duration string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("handler.yaml", []byte("version: 1\nname: handler\nduration: "+duration+"\nplatform: android\n"+
		"app: { tasks: { bad: { duration: 1s } } }\n"+
		"timeline:\n  - at: 0s\n    call: initialize\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: bad }\n"))
	require.NoError(t, err)
	return sc
}

func TestHostileHandlerPanics(t *testing.T) {
	sc := hostileScenario(t, "1h")
	out, err := runner.Run(sc, runner.RunOptions{KeepTrace: true, Handlers: map[string]plugin.Handler{
		"bad": func(*plugin.TaskContext) (bool, error) { panic("boom: nil map write in the handler") },
	}})
	require.NoError(t, err)
	pr := out.Runs[0]
	require.Nil(t, pr.LimitErr)
	require.NotEmpty(t, pr.Result.Runs)
	assert.Equal(t, "failure", pr.Result.Runs[0].Outcome, "a panic is a failed task")
	found := false
	for _, r := range pr.Trace {
		if strings.Contains(r.Reason, "boom: nil map write in the handler") {
			found = true
		}
		for _, f := range r.Fields {
			if strings.Contains(f.Str, "boom: nil map write in the handler") {
				found = true
			}
		}
	}
	assert.True(t, found, "the panic message is in the trace")
}

func TestHostileHandlerSleepsForever(t *testing.T) {
	sc := hostileScenario(t, "6h")
	out, err := runner.Run(sc, runner.RunOptions{Handlers: map[string]plugin.Handler{
		"bad": func(ctx *plugin.TaskContext) (bool, error) {
			ctx.Clock.Sleep(100 * 365 * 24 * time.Hour) // virtual time: ends with the scenario
			return true, nil
		},
	}})
	require.NoError(t, err)
	pr := out.Runs[0]
	assert.Nil(t, pr.LimitErr, "a virtual sleep is not runaway: the run ends at the scenario's horizon")
	require.NotEmpty(t, pr.Result.Runs)
	// WorkManager stops it at the 10-minute execution limit, or it is
	// still running when the scenario ends.
	assert.Contains(t, []string{"stopped", "running"}, pr.Result.Runs[0].Outcome)
}

func TestHostileHandlerSpins(t *testing.T) {
	var stop atomic.Bool
	t.Cleanup(func() { stop.Store(true) })
	sc := hostileScenario(t, "1d")
	limits := sim.Limits{WallClock: 300 * time.Millisecond}
	start := time.Now()
	out, err := runner.Run(sc, runner.RunOptions{Limits: &limits, Handlers: map[string]plugin.Handler{
		"bad": func(*plugin.TaskContext) (bool, error) {
			for !stop.Load() { // never yields to the kernel
			}
			return true, nil
		},
	}})
	require.NoError(t, err)
	pr := out.Runs[0]
	require.NotNil(t, pr.LimitErr, "the wall-clock watchdog stops the run")
	assert.Equal(t, "wall_clock", pr.LimitErr.Limit)
	assert.Contains(t, pr.LimitErr.Error(), "never yielded")
	assert.Equal(t, 3, out.ExitCode())
	assert.Contains(t, pr.Result.Limit, "wall_clock")
	assert.Less(t, time.Since(start), 20*time.Second)
}

// A handler blocked on a real channel is parked by the kernel like a Dart
// Future that never completes: the simulation goes on, the OS stops the
// work at its limit, and the run ends at the scenario's horizon.
func TestHostileHandlerBlocksOnChannel(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	sc := hostileScenario(t, "1h")
	limits := sim.Limits{WallClock: 10 * time.Second}
	start := time.Now()
	out, err := runner.Run(sc, runner.RunOptions{Limits: &limits, Handlers: map[string]plugin.Handler{
		"bad": func(*plugin.TaskContext) (bool, error) {
			<-release // nobody sends
			return true, nil
		},
	}})
	require.NoError(t, err)
	pr := out.Runs[0]
	assert.Nil(t, pr.LimitErr)
	require.NotEmpty(t, pr.Result.Runs)
	for _, r := range pr.Result.Runs {
		assert.Contains(t, []string{"stopped", "running"}, r.Outcome, "%+v", r)
	}
	assert.Less(t, time.Since(start), 20*time.Second)
}
