package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/scenarios"
)

func newExplainCmd() *cobra.Command {
	var (
		f            runFlags
		task, unique string
		at           string
	)
	cmd := &cobra.Command{
		Use:   "explain FILE|NAME|- --task NAME|--unique NAME [--at TIME]",
		Short: "tell the story of one task: when it was due, what held it back, how it ran",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) != 1 {
				return usageErrorf("name exactly one scenario file or library scenario")
			}
			if (task == "") == (unique == "") {
				return usageErrorf("give exactly one of --task NAME or --unique NAME")
			}
			opts, err := f.options(cmd.Flags())
			if err != nil {
				return err
			}
			scs, err := openScenarios(env, args)
			if err != nil {
				return err
			}
			sc := scs[0]
			sel := report.Selector{Task: task, Unique: unique}
			if at != "" {
				off, err := parseAt(at, sc)
				if err != nil {
					return usageErrorf("--at: %v", err)
				}
				sel.At = &off
			}
			opts.KeepTrace = true
			opts.Context = env.ctx
			out, err := scenarios.Run(sc, opts)
			if err != nil {
				return failf(exitInvalid, "%v", err)
			}
			if err := stopped(env.ctx); err != nil {
				return err
			}
			for i, pr := range out.Runs {
				if len(out.Runs) > 1 {
					if i > 0 {
						fmt.Fprintln(env.stdout)
					}
					fmt.Fprintf(env.stdout, "== %s\n", pr.Platform)
				}
				if err := report.Explain(env.stdout, pr.Result, pr.Trace, pr.Start, sel); err != nil {
					return failf(exitInvalid, "%v", err)
				}
			}
			return limitExit(env, "explain", out)
		},
	}
	f.registerCommon(cmd.Flags())
	cmd.Flags().StringVar(&task, "task", "", "explain the runs of this taskName")
	cmd.Flags().StringVar(&unique, "unique", "", "explain the work with this uniqueName")
	cmd.Flags().StringVar(&at, "at", "", "also say why it is or isn't running at this moment: an offset (6h30m, 1d2h) or a clock time (03:00)")
	return cmd
}

// limitExit reports the runs a safety limit stopped: exit 3 if any.
func limitExit(env *cmdEnv, name string, out *scenarios.Outcome) error {
	code := exitOK
	for _, pr := range out.Runs {
		if pr.LimitErr != nil {
			fmt.Fprintf(env.stderr, "wmsim %s: %s on %s: %v\n", name, out.Scenario.Name, pr.Platform, pr.LimitErr)
			code = exitLimit
		}
	}
	return exitCode(code)
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

func newCompareCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "compare FILE|NAME|-",
		Short: "run a scenario on Android and iOS and compare the task tables",
		Long: "Run the scenario on both platforms and print their task tables side by side.\n" +
			"Exit 1 when an expectation fails on either platform, 3 when a safety limit stopped a run.",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) != 1 {
				return usageErrorf("name exactly one scenario file or library scenario")
			}
			if f.platform != "" {
				return usageErrorf("--platform: compare always runs both android and ios")
			}
			opts, err := f.options(cmd.Flags())
			if err != nil {
				return err
			}
			scs, err := openScenarios(env, args)
			if err != nil {
				return err
			}
			opts.Platforms = []string{"android", "ios"}
			opts.Context = env.ctx
			out, err := scenarios.Run(scs[0], opts)
			if err != nil {
				return failf(exitInvalid, "%v", err)
			}
			if err := stopped(env.ctx); err != nil {
				return err
			}
			if err := report.Compare(env.stdout, out.Runs[0].Result, out.Runs[1].Result); err != nil {
				return failf(exitInternal, "%v", err)
			}
			if err := limitExit(env, "compare", out); err != nil {
				return err
			}
			for _, pr := range out.Runs {
				for _, e := range pr.Result.Expectations {
					if !e.OK {
						fmt.Fprintf(env.stderr, "wmsim compare: on %s: expectation failed: %s (%s)\n", pr.Platform, e.Expect, e.Detail)
					}
				}
			}
			return exitCode(out.ExitCode())
		},
	}
	f.registerCommon(cmd.Flags())
	return cmd
}
