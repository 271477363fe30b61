package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/wmsim/wmsim/chaos"
	"github.com/wmsim/wmsim/scenarios"
)

func init() {
	register(command{
		name:  "chaos",
		usage: "wmsim chaos [--seed S] [--runs N] [--out DIR] [--max-duration D] [FILE|NAME...]",
		short: "generate random worlds, check invariants, shrink and print any failure",
		run:   runChaos,
	})
}

// runChaos generates --runs scenarios from --seed (scenario i has seed S+i),
// runs each through the loader and runner twice (GOMAXPROCS 1 and 2), checks
// the invariants, and shrinks each failure to a minimal scenario file. Exit
// code 0: nothing broke; 1: some scenario broke a rule; 2: bad flags.
func runChaos(env *cmdEnv, args []string) int {
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var seed uint64 = 1
	fs.Func("seed", "seed of the first scenario (default 1); scenario i uses seed+i", func(s string) error {
		var err error
		seed, err = parseUint(s)
		return err
	})
	runs := fs.Int("runs", 100, "how many scenarios to generate")
	out := fs.String("out", "", "write each failing scenario's minimal file to `DIR`")
	maxDur := fs.String("max-duration", "3d", "longest generated scenario (a duration: 6h, 2d)")
	noShrink := fs.Bool("no-shrink", false, "report failures without shrinking them")
	verbose := fs.Bool("v", false, "print one line per scenario")
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return exitInvalid
	}
	if fs.NArg() > 0 {
		return checkFiles(env, fs.Args())
	}
	if *runs < 1 {
		fmt.Fprintf(env.stderr, "wmsim chaos: --runs: want at least 1, got %d\n", *runs)
		return exitInvalid
	}
	d, err := scenarios.ParseDuration(*maxDur)
	if err != nil || d < time.Hour || d > scenarios.MaxDuration {
		fmt.Fprintf(env.stderr, "wmsim chaos: --max-duration: want a duration from 1h to 366d, got %q\n", *maxDur)
		return exitInvalid
	}
	opts := chaos.Options{Gen: chaos.GenConfig{MaxDuration: d}, NoShrink: *noShrink}
	if *verbose {
		opts.Progress = func(i int, sd uint64, v *chaos.Verdict) {
			status := "ok"
			if v.Failed() {
				status = "FAIL " + v.Findings[0].Check
			}
			fmt.Fprintf(env.stdout, "seed %d: exit %d, %d checks, %s\n", sd, v.ExitCode, v.Checks, status)
		}
	}
	s := chaos.Run(seed, *runs, opts)
	for _, f := range s.Failures {
		fmt.Fprintln(env.stdout, chaos.Describe(f))
		if *out != "" {
			err := os.MkdirAll(*out, 0o755)
			if err == nil {
				err = os.WriteFile(filepath.Join(*out, chaos.FileName(f.Seed)), f.Minimal, 0o644)
			}
			if err != nil {
				fmt.Fprintln(env.stderr, "wmsim chaos: --out:", err)
				return exitInvalid
			}
		}
	}
	codes := make([]int, 0, len(s.ExitCodes))
	for c := range s.ExitCodes {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	fmt.Fprintf(env.stdout, "wmsim chaos: seeds %d..%d: %d scenarios, %d platform runs, %d invariant checks, %d failing",
		seed, chaos.SeedFor(seed, *runs-1), s.Scenarios, s.PlatformRuns, s.Checks, len(s.Failures))
	fmt.Fprint(env.stdout, "; run exit codes:")
	for _, c := range codes {
		fmt.Fprintf(env.stdout, " %d×%d", c, s.ExitCodes[c])
	}
	fmt.Fprintln(env.stdout)
	if *verbose {
		names := make([]string, 0, len(s.ByCheck))
		for k := range s.ByCheck {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintf(env.stdout, "  %-36s %d checks\n", k, s.ByCheck[k])
		}
	}
	if len(s.Failures) > 0 {
		return exitExpect
	}
	return exitOK
}

// checkFiles holds given scenario files (or library names) to every chaos
// check: both determinism runs and all invariants. Exit 0: none broke; 1:
// some did; 2: a file could not be read or loaded.
func checkFiles(env *cmdEnv, args []string) int {
	code := exitOK
	for _, arg := range args {
		src, ok := scenarios.LibrarySource(arg)
		name := arg
		if !ok || fileExists(arg) {
			b, err := os.ReadFile(arg)
			if err != nil {
				fmt.Fprintln(env.stderr, "wmsim chaos:", err)
				return exitInvalid
			}
			src = b
		} else {
			name = arg + ".yaml"
		}
		v := chaos.Check(name, src, chaos.CheckOptions{})
		if len(v.Findings) > 0 && v.Findings[0].Check == chaos.CheckLoad {
			fmt.Fprintln(env.stderr, v.Findings[0].Detail)
			return exitInvalid
		}
		status := "ok"
		if v.Failed() {
			status = fmt.Sprintf("%d finding(s)", len(v.Findings))
			code = exitExpect
		}
		fmt.Fprintf(env.stdout, "%s: %d simulations, %d invariant checks, %s\n", name, v.PlatformRuns, v.Checks, status)
		for _, f := range v.Findings {
			fmt.Fprintf(env.stdout, "  %s\n", f)
		}
	}
	return code
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
