package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/internal/chaos"
	"github.com/wmsim/wmsim/scenarios"
)

func newChaosCmd() *cobra.Command {
	var (
		seed     seedFlag
		limits   limitFlags
		runs     int
		out      string
		maxDur   string
		noShrink bool
		verbose  bool
	)
	cmd := &cobra.Command{
		Use:   "chaos [--seed S] [--runs N] [--out DIR] [--max-duration D] [FILE|NAME...]",
		Short: "generate random worlds, check invariants, shrink and print any failure",
		Long: "Generate --runs scenarios from --seed (scenario i has seed S+i), run each twice (GOMAXPROCS 1\n" +
			"and 2), check the invariants, and shrink each failure to a minimal scenario file. With files or\n" +
			"names, hold those to the same checks. Exit 0: nothing broke; 1: some scenario broke a rule;\n" +
			"2: bad flags or files; 3: --wall-limit stopped the command or --max-events stopped a run.",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if !seed.set {
				seed.v = 1
			}
			opts := chaos.Options{NoShrink: noShrink}
			if l := limits.limits(); l != nil {
				opts.Check.Limits = l
			}
			ctx, cancel := limits.deadline(env.ctx)
			defer cancel()
			if len(args) > 0 {
				return checkFiles(env, ctx, opts.Check, args)
			}
			if runs < 1 {
				return usageErrorf("--runs: want at least 1, got %d", runs)
			}
			d, err := scenarios.ParseDuration(maxDur)
			if err != nil || d < time.Hour || d > scenarios.MaxDuration {
				return usageErrorf("--max-duration: want a duration from 1h to 366d, got %q", maxDur)
			}
			opts.Gen = chaos.GenConfig{MaxDuration: d}
			var fl files
			fl.dir("--out", out)
			if err := fl.check(); err != nil {
				return usageErrorf("%v", err)
			}
			if verbose {
				opts.Progress = func(i int, sd uint64, v *chaos.Verdict) {
					status := "ok"
					if v.Failed() {
						status = "FAIL " + v.Findings[0].Check
					}
					fmt.Fprintf(env.stdout, "seed %d: exit %d, %d checks, %s\n", sd, v.ExitCode, v.Checks, status)
				}
			}
			// One scenario at a time, so a signal or --wall-limit stops between two.
			s := &chaos.Summary{FirstSeed: seed.v, ExitCodes: map[int]int{}, ByCheck: map[string]int{}}
			done := 0
			for i := 0; i < runs && ctx.Err() == nil; i++ {
				one := chaos.Run(chaos.SeedFor(seed.v, i), 1, opts)
				s.Scenarios += one.Scenarios
				s.PlatformRuns += one.PlatformRuns
				s.Checks += one.Checks
				for k, n := range one.ByCheck {
					s.ByCheck[k] += n
				}
				for k, n := range one.ExitCodes {
					s.ExitCodes[k] += n
				}
				s.Failures = append(s.Failures, one.Failures...)
				done++
			}
			if err := stopped(ctx); err != nil {
				if ee, ok := err.(*exitError); ok && ee.code == exitLimit {
					fmt.Fprintf(env.stderr, "wmsim chaos: stopped after %d of %d scenarios\n", done, runs)
				} else {
					return err
				}
			}
			for _, f := range s.Failures {
				fmt.Fprintln(env.stdout, chaos.Describe(f))
				if out != "" {
					err := os.MkdirAll(out, 0o755)
					if err == nil {
						err = writeOutput(filepath.Join(out, chaos.FileName(f.Seed)), io.Discard, func(w io.Writer) error {
							_, err := w.Write(f.Minimal)
							return err
						})
					}
					if err != nil {
						return failf(exitInvalid, "--out: %v", err)
					}
				}
			}
			codes := make([]int, 0, len(s.ExitCodes))
			for c := range s.ExitCodes {
				codes = append(codes, c)
			}
			sort.Ints(codes)
			fmt.Fprintf(env.stdout, "wmsim chaos: seeds %d..%d: %d scenarios, %d platform runs, %d invariant checks, %d failing",
				seed.v, chaos.SeedFor(seed.v, max(done, 1)-1), s.Scenarios, s.PlatformRuns, s.Checks, len(s.Failures))
			fmt.Fprint(env.stdout, "; run exit codes:")
			for _, c := range codes {
				fmt.Fprintf(env.stdout, " %d×%d", c, s.ExitCodes[c])
			}
			fmt.Fprintln(env.stdout)
			if verbose {
				names := make([]string, 0, len(s.ByCheck))
				for k := range s.ByCheck {
					names = append(names, k)
				}
				sort.Strings(names)
				for _, k := range names {
					fmt.Fprintf(env.stdout, "  %-36s %d checks\n", k, s.ByCheck[k])
				}
			}
			// A limit outranks failures (a world cut short may break rules
			// only because it was cut short).
			switch {
			case ctx.Err() != nil:
				return stopped(ctx)
			case limits.maxEvents > 0 && s.ExitCodes[exitLimit] > 0:
				return failf(exitLimit, "%d scenario(s) stopped at the safety limit --max-events %d", s.ExitCodes[exitLimit], limits.maxEvents)
			case len(s.Failures) > 0:
				return exitCode(exitExpect)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	seed.register(fs, "seed `N` of the first scenario (default 1); scenario i uses seed+i")
	limits.register(fs)
	fs.IntVar(&runs, "runs", 100, "how many scenarios to generate")
	fs.StringVar(&out, "out", "", "write each failing scenario's minimal file to `DIR`")
	fs.StringVar(&maxDur, "max-duration", "3d", "longest generated scenario (a duration: 6h, 2d)")
	fs.BoolVar(&noShrink, "no-shrink", false, "report failures without shrinking them")
	fs.BoolVarP(&verbose, "verbose", "v", false, "print one line per scenario")
	return cmd
}

// checkFiles holds given scenario files (or library names) to every chaos
// check: both determinism runs and all invariants. Exit 0: none broke; 1:
// some did; 2: a file could not be read or loaded.
func checkFiles(env *cmdEnv, ctx context.Context, opts chaos.CheckOptions, args []string) error {
	code := exitOK
	for _, arg := range args {
		if err := stopped(ctx); err != nil {
			return err
		}
		src, ok := scenarios.LibrarySource(arg)
		name := arg
		switch {
		case arg == stdioPath:
			b, err := io.ReadAll(io.LimitReader(env.stdin, scenarios.MaxFileSize+1))
			if err != nil {
				return failf(exitInvalid, "<stdin>: %v", err)
			}
			src, name = b, "<stdin>"
		case !ok || fileExists(arg):
			b, err := os.ReadFile(arg)
			if err != nil {
				return failf(exitInvalid, "%v", err)
			}
			src = b
		default:
			name = arg + ".yaml"
		}
		v := chaos.Check(name, src, opts)
		if len(v.Findings) > 0 && v.Findings[0].Check == chaos.CheckLoad {
			fmt.Fprintln(env.stderr, v.Findings[0].Detail)
			return exitCode(exitInvalid)
		}
		if v.ExitCode == exitLimit && opts.Limits != nil {
			fmt.Fprintf(env.stderr, "wmsim chaos: %s: a run stopped at a safety limit\n", name)
			code = worse(code, exitLimit)
		}
		status := "ok"
		if v.Failed() {
			status = fmt.Sprintf("%d finding(s)", len(v.Findings))
			code = worse(code, exitExpect)
		}
		fmt.Fprintf(env.stdout, "%s: %d simulations, %d invariant checks, %s\n", name, v.PlatformRuns, v.Checks, status)
		for _, f := range v.Findings {
			fmt.Fprintf(env.stdout, "  %s\n", f)
		}
	}
	return exitCode(code)
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
