package main

// The CLI's promises to a careless or hostile user: nothing the user gave is
// lost, every command is bounded, exit codes say what happened. Each test
// reproduces a failure the CLI had before (see the comment on each).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/fleet"
)

// cli runs wmsim in-process with the given stdin and context.
func cli(t *testing.T, ctx context.Context, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, ctx: ctx}
	code = run(args, env)
	return code, out.String(), errb.String()
}

const oneHour = "version: 1\nname: small\nduration: 1h\nplatform: android\n" +
	"app: { tasks: { t: { duration: 1s } } }\n" +
	"timeline:\n  - at: 0s\n    call: initialize\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: t }\n" +
	"expect:\n  - task: t\n    runs: { min: 1 }\n"

// Before: `wmsim run s.yaml --html s.yaml` overwrote the scenario with the
// report and exited 0. Now every output that is an input or another output
// (the same path, a symbolic or a hard link) is refused with exit 2 before
// anything runs, and the file is untouched.
func TestOutputOverInputRefused(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(scen, []byte(oneHour), 0o644))
	sym := filepath.Join(dir, "sym.yaml")
	require.NoError(t, os.Symlink(scen, sym))
	hard := filepath.Join(dir, "hard.yaml")
	require.NoError(t, os.Link(scen, hard))
	other := filepath.Join(dir, "other.out")
	cases := [][]string{
		{"run", scen, "--html", scen},
		{"run", scen, "--junit", scen},
		{"run", scen, "--trace", scen},
		{"run", scen, "--trace-jsonl", scen},
		{"run", scen, "--html", sym},
		{"run", scen, "--junit", hard},
		{"run", scen, "--html", filepath.Join(dir, ".", "s.yaml")},
		{"run", scen, "--html", other, "--junit", other},
		{"run", scen, "--html", "-", "--junit", "-"},
		{"fleet", scen, "--devices", "1", "--out", scen},
		{"fleet", scen, "--devices", "1", "--html", hard},
		{"fleet", scen, "--devices", "1", "--cpuprofile", scen},
		{"fleet", scen, "--devices", "1", "--memprofile", sym},
		{"fleet", scen, "--devices", "1", "--out", other, "--cpuprofile", other},
		{"merge", scen, "--out", scen},
		{"chaos", "--runs", "1", "--out", scen},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, stderr := runCLI(t, args...)
			assert.Equal(t, exitInvalid, code, stderr)
			assert.Empty(t, out, "nothing ran")
			assert.Regexp(t, "same file|both write to standard output|is a file", stderr)
			b, err := os.ReadFile(scen)
			require.NoError(t, err)
			assert.Equal(t, oneHour, string(b), "the scenario is untouched")
			_, err = os.Stat(other)
			assert.True(t, errors.Is(err, os.ErrNotExist), "no output was written")
		})
	}
}

// Before: an unwritable --html was found only after simulating (and a
// --trace-jsonl one after opening the others). Now it is exit 2 at once.
func TestUnwritableOutputFoundFirst(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for _, args := range [][]string{
		{"run", "oneoff-task", "--html", filepath.Join(dir, "no", "such", "dir", "r.html")},
		{"run", "oneoff-task", "--junit", filepath.Join(file, "under-a-file.xml")},
		{"run", "oneoff-task", "--trace", dir},
		{"fleet", "oneoff-task", "--devices", "1", "--out", filepath.Join(file, "x.json")},
	} {
		code, out, stderr := runCLI(t, args...)
		assert.Equal(t, exitInvalid, code, "%v: %s", args, stderr)
		assert.Empty(t, out, "%v: nothing simulated", args)
		assert.NotContains(t, stderr, "PASS")
	}
}

// Outputs are written through a temporary file and a rename: a write that
// fails leaves the old file whole and no temporary behind.
func TestAtomicWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	require.NoError(t, os.WriteFile(path, []byte("good"), 0o644))
	err := writeOutput(path, io.Discard, func(w io.Writer) error {
		_, _ = w.Write([]byte("half"))
		return errors.New("disk full")
	})
	require.Error(t, err)
	b, _ := os.ReadFile(path)
	assert.Equal(t, "good", string(b))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left")

	require.NoError(t, writeOutput(path, io.Discard, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }))
	b, _ = os.ReadFile(path)
	assert.Equal(t, "new", string(b))
	entries, _ = os.ReadDir(dir)
	assert.Len(t, entries, 1)
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())

	// A symbolic link is kept; its target gets the new contents.
	link := filepath.Join(dir, "link.html")
	require.NoError(t, os.Symlink(path, link))
	require.NoError(t, writeOutput(link, io.Discard, func(w io.Writer) error { _, err := w.Write([]byte("via link")); return err }))
	b, _ = os.ReadFile(path)
	assert.Equal(t, "via link", string(b))
	lst, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, lst.Mode()&os.ModeSymlink)

	// A device is written in place, never renamed over, and may be named twice.
	code, _, stderr := runCLI(t, "run", "oneoff-task", "--html", os.DevNull, "--junit", os.DevNull)
	require.Equal(t, exitOK, code, stderr)
	st, err = os.Stat(os.DevNull)
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&os.ModeDevice, "/dev/null is still a device")

	// "-" is standard output.
	var out bytes.Buffer
	require.NoError(t, writeOutput("-", &out, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }))
	assert.Equal(t, "x", out.String())
}

// A year of one-second steps: long enough to interrupt.
const longRun = "version: 1\nname: long\nduration: 366d\nplatform: android\n" +
	"timeline:\n  - at: 0s\n    every: 1s\n    device: { screen: on }\n  - at: 0s\n    every: 1s\n    device: { screen: off }\n"

// Before: SIGINT killed `wmsim run` wherever it was (a half-written file
// possible) and fleet printed a partial summary. Now the simulation polls
// the context: the command stops, writes nothing and exits 130 (SIGINT) or
// 143 (SIGTERM).
func TestInterruptedInProcess(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "long.yaml")
	require.NoError(t, os.WriteFile(scen, []byte(longRun), 0o644))
	html := filepath.Join(dir, "r.html")
	require.NoError(t, os.WriteFile(html, []byte("good"), 0o644))
	for _, tc := range []struct {
		sig  os.Signal
		code int
	}{{os.Interrupt, exitSIGINT}, {syscall.SIGTERM, exitSIGTERM}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		time.AfterFunc(300*time.Millisecond, func() { cancel(signalCause{tc.sig}) })
		start := time.Now()
		code, out, stderr := cli(t, ctx, "", "run", scen, "--html", html, "--format", "json", "--wall-limit", "60s")
		assert.Equal(t, tc.code, code, stderr)
		assert.Less(t, time.Since(start), 20*time.Second)
		assert.Empty(t, out, "nothing partial printed")
		assert.Contains(t, stderr, "nothing was written")
		b, _ := os.ReadFile(html)
		assert.Equal(t, "good", string(b))
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 2, "no temporary file left")
	}
}

// The real thing: signals sent to a wmsim process.
func TestInterruptedBySignal(t *testing.T) {
	skipSlow(t)
	dir := t.TempDir()
	scen := filepath.Join(dir, "long.yaml")
	require.NoError(t, os.WriteFile(scen, []byte(longRun), 0o644))
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		html := filepath.Join(dir, "r.html")
		require.NoError(t, os.WriteFile(html, []byte("good"), 0o644))
		cmd := exec.Command("wmsim", "run", scen, "--html", html, "--wall-limit", "60s")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		time.Sleep(time.Second)
		require.NoError(t, cmd.Process.Signal(tc.sig))
		err := cmd.Wait()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, stderr.String())
		assert.Equal(t, tc.code, ee.ExitCode(), stderr.String())
		b, _ := os.ReadFile(html)
		assert.Equal(t, "good", string(b))
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 2, "no temporary file left")
	}
}

// Before: fleet ignored --max-events and --wall-limit (a 5,000-device-year
// fleet with --wall-limit 2s ran on past 40 s), and merge, chaos, compare,
// explain and device had no such flags. Now each honours them with exit 3.
func TestEveryCommandBounded(t *testing.T) {
	dir := t.TempDir()
	shard := filepath.Join(dir, "shard.json")
	code, _, stderr := runCLI(t, "fleet", "periodic-task", "--devices", "2", "--days", "1", "--format", "json", "--out", shard, "--min-pass", "0")
	require.Equal(t, exitOK, code, stderr)
	for _, tc := range []struct {
		args []string
		max  time.Duration
	}{
		{[]string{"fleet", "periodic-task", "--devices", "5000", "--days", "366", "--wall-limit", "1s"}, 20 * time.Second},
		{[]string{"fleet", "periodic-task", "--devices", "3", "--max-events", "50"}, 10 * time.Second},
		{[]string{"compare", "side-by-side", "--max-events", "50"}, 10 * time.Second},
		{[]string{"explain", "oneoff-task", "--task", "simpleTask", "--max-events", "5"}, 10 * time.Second},
		{[]string{"device", "--profile", "office-worker", "--days", "3", "--max-events", "50"}, 10 * time.Second},
		{[]string{"chaos", "--runs", "3", "--max-events", "20"}, 20 * time.Second},
		{[]string{"chaos", "--runs", "100000", "--wall-limit", "1s"}, 20 * time.Second},
		{[]string{"chaos", "periodic-task", "--max-events", "20"}, 20 * time.Second},
		{[]string{"merge", shard, "--wall-limit", "1ns"}, 5 * time.Second},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			start := time.Now()
			code, _, stderr := runCLI(t, tc.args...)
			assert.Equal(t, exitLimit, code, stderr)
			assert.Less(t, time.Since(start), tc.max)
			assert.Contains(t, stderr, "limit")
		})
	}
}

// Before: --jobs 0 was accepted (and --days 0, negative counts). Now every
// non-positive count is exit 2.
func TestNonPositiveCountsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"fleet", "periodic-task", "--devices", "3", "--jobs", "0"},
		{"fleet", "periodic-task", "--devices", "3", "--jobs", "-2"},
		{"fleet", "periodic-task", "--devices", "3", "--jobs", "100000000"},
		{"fleet", "periodic-task", "--devices", "0"},
		{"fleet", "periodic-task", "--devices", "-1"},
		{"fleet", "periodic-task", "--devices", "3", "--days", "0"},
		{"fleet", "periodic-task", "--devices", "3", "--days", "-1"},
		{"run", "oneoff-task", "--days", "0"},
		{"device", "--profile", "office-worker", "--days", "0"},
		{"run", "oneoff-task", "--max-events", "0"},
		{"run", "oneoff-task", "--wall-limit", "0s"},
		{"run", "oneoff-task", "--wall-limit", "-1s"},
		{"fleet", "periodic-task", "--devices", "3", "--min-pass", "1.5"},
	} {
		code, out, stderr := runCLI(t, args...)
		assert.Equal(t, exitInvalid, code, "%v: %s", args, stderr)
		assert.Empty(t, out, "%v", args)
	}
}

// Before: "-" was a file name. Now it is standard input for a scenario and
// standard output for an output flag.
func TestDashIsStdio(t *testing.T) {
	code, out, stderr := cli(t, nil, oneHour, "run", "-", "--format", "json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, `"scenario": "small"`)

	code, out, stderr = cli(t, nil, oneHour, "validate", "-")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "-: ok (small")

	code, _, stderr = cli(t, nil, "version: 1\nname: bad\nduration: -1h\n", "run", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "<stdin>:3:")

	// An output flag's "-" replaces the printout on standard output.
	code, out, stderr = cli(t, nil, "", "run", "oneoff-task", "--junit", "-")
	require.Equal(t, exitOK, code, stderr)
	assert.True(t, strings.HasPrefix(out, "<?xml"), out)
	assert.NotContains(t, out, "PASS:")

	code, out, stderr = cli(t, nil, "", "fleet", "periodic-task", "--devices", "2", "--days", "1", "--out", "-", "--format", "json", "--min-pass", "0")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, `"format": "wmsim.fleet/v1"`)

	code, out, stderr = cli(t, nil, oneHour, "chaos", "-")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "<stdin>: ")

	code, _, stderr = cli(t, nil, oneHour, "run", "-", "-")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "once")
}

// Before: `run A B --format json` printed two concatenated JSON documents.
// Now it is one document: wmsim.result/v1 for one run, wmsim.results/v1
// holding every result (each naming its scenario and platform) otherwise.
func TestRunJSONIsOneDocument(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		format  string
		results []string // scenario/platform of each result
	}{
		{[]string{"oneoff-task"}, "wmsim.result/v1", []string{"oneoff-task/android"}},
		{[]string{"oneoff-task", "periodic-task"}, "wmsim.results/v1", []string{"oneoff-task/android", "periodic-task/android"}},
		{[]string{"side-by-side"}, "wmsim.results/v1", []string{"side-by-side/android", "side-by-side/ios"}},
		{[]string{"side-by-side", "oneoff-task"}, "wmsim.results/v1", []string{"side-by-side/android", "side-by-side/ios", "oneoff-task/android"}},
	} {
		code, out, stderr := runCLI(t, append([]string{"run", "--format", "json"}, tc.args...)...)
		require.Equal(t, exitOK, code, stderr)
		dec := json.NewDecoder(strings.NewReader(out))
		var doc struct {
			Format   string `json:"format"`
			Scenario string `json:"scenario"`
			Platform string `json:"platform"`
			Results  []struct {
				Format   string `json:"format"`
				Scenario string `json:"scenario"`
				Platform string `json:"platform"`
			} `json:"results"`
		}
		require.NoError(t, dec.Decode(&doc))
		_, err := dec.Token()
		assert.ErrorIs(t, err, io.EOF, "%v: exactly one JSON document", tc.args)
		assert.Equal(t, tc.format, doc.Format)
		var got []string
		if doc.Format == "wmsim.result/v1" {
			got = append(got, doc.Scenario+"/"+doc.Platform)
		}
		for _, r := range doc.Results {
			assert.Equal(t, "wmsim.result/v1", r.Format)
			got = append(got, r.Scenario+"/"+r.Platform)
		}
		assert.Equal(t, tc.results, got)
	}
}

// Before: compare exited 0 when an expectation failed. Now 1.
func TestCompareFailedExpectation(t *testing.T) {
	scen := writeFile(t, "strict.yaml", []byte("version: 1\nname: strict\nduration: 1h\nplatform: [android, ios]\n"+
		"app: { tasks: { t: { duration: 1s } } }\n"+
		"timeline:\n  - at: 0s\n    call: initialize\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: t }\n"+
		"expect:\n  - task: t\n    runs: { min: 100 }\n"))
	code, out, stderr := runCLI(t, "compare", scen)
	assert.Equal(t, exitExpect, code, stderr)
	assert.Contains(t, out, "u")
	assert.Contains(t, stderr, "expectation failed")
	code, _, stderr = runCLI(t, "compare", "side-by-side")
	assert.Equal(t, exitOK, code, stderr)
}

// Before: fleet ignored the scenario's expectations. Now it reports, per
// expectation, the share of devices where it held and the first failing
// devices with the command that replays one; exit 1 below --min-pass.
func TestFleetExpectations(t *testing.T) {
	args := []string{"fleet", "periodic-task", "--devices", "8", "--days", "2", "--mix", "office-worker=1,light-user=1"}
	code, text, stderr := runCLI(t, args...)
	require.Equal(t, exitExpect, code, stderr)
	assert.Contains(t, stderr, "below --min-pass 1")
	assert.Contains(t, text, "expectations (share of devices where each held")
	code, js, stderr := runCLI(t, append(args, "--format", "json")...)
	require.Equal(t, exitExpect, code, stderr)
	s, err := fleet.Unmarshal([]byte(js))
	require.NoError(t, err)
	require.NotEmpty(t, s.Expectations)
	var failing *fleet.ExpectStats
	for _, e := range s.Expectations {
		assert.Equal(t, int64(8), e.Devices)
		assert.InDelta(t, float64(e.Held)/8, e.Share, 1e-9)
		assert.LessOrEqual(t, len(e.Failed), fleet.MaxFailedListed)
		if len(e.Failed) > 0 && failing == nil {
			failing = e
		}
	}
	require.NotNil(t, failing, "two days are too short for periodic-task's expectations")

	// The first failing device replays with `wmsim run --seed`: the same
	// expectation fails with the same evidence.
	f := failing.Failed[0]
	code, out, stderr := runCLI(t, "run", "periodic-task", "--platform", s.Platform, "--seed", jsonNum(f.Seed), "--profile", f.Profile, "--days", "2", "--format", "json")
	require.Equal(t, exitExpect, code, stderr)
	var res struct {
		Expectations []struct {
			Expect string `json:"expect"`
			OK     bool   `json:"ok"`
			Detail string `json:"detail"`
		} `json:"expectations"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	found := false
	for _, e := range res.Expectations {
		if e.Expect == failing.Expect {
			found = true
			assert.False(t, e.OK)
			assert.Equal(t, f.Detail, e.Detail)
		}
	}
	assert.True(t, found)
	assert.Contains(t, text, "wmsim run periodic-task --platform android --seed "+jsonNum(f.Seed))

	// --min-pass decides: the lowest share passes at itself, fails above it.
	low := 1.0
	for _, e := range s.Expectations {
		low = min(low, e.Share)
	}
	code, _, _ = runCLI(t, append(args, "--min-pass", jsonFloat(low))...)
	assert.Equal(t, exitOK, code)
	code, _, _ = runCLI(t, append(args, "--min-pass", jsonFloat(low+0.01))...)
	assert.Equal(t, exitExpect, code)
}

func jsonNum(v uint64) string    { b, _ := json.Marshal(v); return string(b) }
func jsonFloat(v float64) string { b, _ := json.Marshal(v); return string(b) }

// Before: merge took any set of summaries of one fleet: the same shard
// twice was an "overlap" only by luck of ranges, shards of different splits
// merged, and an edited number went through. Now each shard carries its
// index, count and a digest; merge refuses mismatches with exit 2.
func TestMergeRejectsMismatchedShards(t *testing.T) {
	dir := t.TempDir()
	shard := func(name string, extra ...string) string {
		p := filepath.Join(dir, name)
		args := append([]string{"fleet", "periodic-task", "--devices", "6", "--days", "1", "--format", "json", "--min-pass", "0", "--out", p}, extra...)
		code, _, stderr := runCLI(t, args...)
		require.Equal(t, exitOK, code, stderr)
		return p
	}
	s0, s1, s2 := shard("s0.json", "--shard", "0/3"), shard("s1.json", "--shard", "1/3"), shard("s2.json", "--shard", "2/3")
	of2 := shard("h1.json", "--shard", "1/2")
	seed := shard("seed.json", "--shard", "1/3", "--seed", "99")
	code, _, stderr := runCLI(t, "merge", s0, s1, s2, "--min-pass", "0")
	require.Equal(t, exitOK, code, stderr)

	b, err := os.ReadFile(s1)
	require.NoError(t, err)
	tamper := func(name, from, to string) string {
		require.Contains(t, string(b), from)
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), from, to, 1)), 0o644))
		return p
	}
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"same shard twice", []string{s0, s1, s1}, "given once"},
		{"different splits", []string{s0, of2}, "split into 3 shards"},
		{"different seed", []string{s0, seed}, "seed"},
		{"edited count", []string{s0, tamper("t1.json", `"completed": 2`, `"completed": 20`)}, "altered"},
		{"edited shard index", []string{s0, tamper("t2.json", `"index": 1`, `"index": 2`)}, "altered"},
		{"digest removed", []string{s0, tamper("t3.json", `"digest": "sha256:`, `"digest": "`)}, "digest"},
		{"not JSON", []string{s0, writeFile(t, "x.json", []byte("{{{"))}, "x.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"merge", "--min-pass", "0"}, tc.files...)...)
			assert.Equal(t, exitInvalid, code, stderr)
			assert.Empty(t, out)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

// Before: a panic inside a command crashed with Go's trace and exit 2.
// Now it is exit 4 with a request for a bug report.
func TestPanicIsInternalError(t *testing.T) {
	old := commands
	t.Cleanup(func() { commands = old })
	commands = append(append([]func() *cobra.Command{}, old...), func() *cobra.Command {
		return &cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error { panic("nil map write") }}
	})
	code, _, stderr := runCLI(t, "boom")
	assert.Equal(t, exitInternal, code)
	assert.Contains(t, stderr, "internal error: nil map write")
	assert.Contains(t, stderr, "please report it")
	assert.Contains(t, stderr, "scenario")
}
