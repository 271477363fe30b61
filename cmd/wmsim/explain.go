package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/scenarios"
)

func init() {
	register(command{
		name:  "explain",
		usage: "wmsim explain FILE|NAME --task NAME|--unique NAME [--platform p] [--at TIME]",
		short: "tell the story of one task: when it was due, what held it back, how it ran",
		run:   runExplain,
	})
	register(command{
		name:  "compare",
		usage: "wmsim compare FILE|NAME [--seed n]",
		short: "run a scenario on Android and iOS and compare the task tables",
		run:   runCompare,
	})
}

func runExplain(env *cmdEnv, args []string) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var f runFlags
	f.register(fs, false)
	task := fs.String("task", "", "explain the runs of this taskName")
	unique := fs.String("unique", "", "explain the work with this uniqueName")
	at := fs.String("at", "", "also say why it is or isn't running at this moment: an offset (6h30m, 1d2h) or a clock time (03:00)")
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return exitInvalid
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.stderr, "wmsim explain: name exactly one scenario file or library scenario")
		return exitInvalid
	}
	if (*task == "") == (*unique == "") {
		fmt.Fprintln(env.stderr, "wmsim explain: give exactly one of --task NAME or --unique NAME")
		return exitInvalid
	}
	opts, err := f.options()
	if err != nil {
		fmt.Fprintln(env.stderr, "wmsim explain:", err)
		return exitInvalid
	}
	sc, err := scenarios.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitInvalid
	}
	sel := report.Selector{Task: *task, Unique: *unique}
	if *at != "" {
		off, err := parseAt(*at, sc)
		if err != nil {
			fmt.Fprintln(env.stderr, "wmsim explain: --at:", err)
			return exitInvalid
		}
		sel.At = &off
	}
	opts.KeepTrace = true
	out, err := scenarios.Run(sc, opts)
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitInvalid
	}
	for i, pr := range out.Runs {
		if len(out.Runs) > 1 {
			if i > 0 {
				fmt.Fprintln(env.stdout)
			}
			fmt.Fprintf(env.stdout, "== %s\n", pr.Platform)
		}
		if err := report.Explain(env.stdout, pr.Result, pr.Trace, pr.Start, sel); err != nil {
			fmt.Fprintln(env.stderr, "wmsim explain:", err)
			return exitInvalid
		}
	}
	if out.ExitCode() == exitLimit {
		return exitLimit
	}
	return exitOK
}

// parseAt reads --at: a duration from the start, or a clock time in the
// scenario's UTC offset (its first occurrence at or after the start).
func parseAt(s string, sc *scenarios.Scenario) (time.Duration, error) {
	if d, err := scenarios.ParseDuration(s); err == nil {
		if d < 0 || d > sc.Duration {
			return 0, fmt.Errorf("%s is outside the scenario (0s..%s)", s, scenarios.FormatDuration(sc.Duration))
		}
		return d, nil
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a duration (6h30m, 1d2h) nor a clock time (03:00)", s)
	}
	at := scenarios.At{Clock: true, Hour: t.Hour(), Minute: t.Minute()}
	return at.Offset(sc.Start), nil
}

func runCompare(env *cmdEnv, args []string) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var f runFlags
	f.register(fs, false)
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return exitInvalid
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.stderr, "wmsim compare: name exactly one scenario file or library scenario")
		return exitInvalid
	}
	sc, err := scenarios.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitInvalid
	}
	opts, err := f.options()
	if err != nil {
		fmt.Fprintln(env.stderr, "wmsim compare:", err)
		return exitInvalid
	}
	opts.Platforms = []string{"android", "ios"}
	out, err := scenarios.Run(sc, opts)
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitInvalid
	}
	if err := report.Compare(env.stdout, out.Runs[0].Result, out.Runs[1].Result); err != nil {
		fmt.Fprintln(env.stderr, "wmsim compare:", err)
		return exitInvalid
	}
	if out.ExitCode() == exitLimit {
		return exitLimit
	}
	return exitOK
}
