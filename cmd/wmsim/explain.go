package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/internal/compare"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

func newExplainCmd() *cobra.Command {
	var (
		f            runFlags
		task, unique string
		at           string
		format       string
	)
	cmd := &cobra.Command{
		Use:   "explain FILE|NAME|- --task NAME|--unique NAME [--at TIME] [--format text|json]",
		Short: "tell the story of one task: when it was due, what held it back, how it ran",
		Long: "Tell the story of one task: when it was due, what held it back, how it ran.\n" +
			"--format json prints the wmsim.explain/v1 document (docs/explain-json.md; its schema:\n" +
			"wmsim schema --for explain) for one platform: name it with --platform when the\n" +
			"scenario has several.",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) != 1 {
				return usageErrorf("name exactly one scenario file or library scenario")
			}
			if (task == "") == (unique == "") {
				return usageErrorf("give exactly one of --task NAME or --unique NAME")
			}
			if format != "text" && format != "json" {
				return usageErrorf("--format %q: valid: text, json", format)
			}
			opts, scs, err := f.load(cmd, env, args)
			if err != nil {
				return err
			}
			sc := scs[0]
			if ps := platformsOf(sc, opts); format == "json" && len(ps) > 1 {
				return usageErrorf("--format json explains one platform and %s runs on %s: add --platform", sc.Name, strings.Join(ps, " and "))
			}
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
			out, err := runner.Run(sc, opts)
			if err != nil {
				return failf(exitInvalid, "%v", err)
			}
			if err := stopped(env.ctx); err != nil {
				return err
			}
			for i, pr := range out.Runs {
				if format == "json" {
					if err := report.ExplainJSON(env.stdout, pr.Result, pr.Trace, pr.Start, sel); err != nil {
						return failf(exitInvalid, "%v", err)
					}
					continue
				}
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
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json (the wmsim.explain/v1 document)")
	cmd.Flags().StringVar(&at, "at", "", "also say why it is or isn't running at this moment: an offset (6h30m, 1d2h) or a clock time (03:00)")
	return cmd
}

// limitExit reports the runs a safety limit stopped: exit 3 if any.
func limitExit(env *cmdEnv, name string, out *runner.Outcome) error {
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
	var (
		f                  runFlags
		pluginV, api, iosV string
	)
	cmd := &cobra.Command{
		Use:   "compare FILE|NAME|- [--plugin V,V,... | --api N,N,... | --ios N,N,...] [--format text|json]",
		Short: "compare a scenario across platforms, plugin releases, Android API levels or iOS versions",
		Long: "Without an axis flag, run the scenario on Android and iOS and print their task tables side\n" +
			"by side. With --plugin (plugin releases), --api (Android API levels, Android only) or --ios\n" +
			"(iOS versions, iOS only), run it once per value and show, task by task, what changes: runs,\n" +
			"first run, gaps, rejected calls (--format json: the wmsim.compare/v1 document). One axis at\n" +
			"a time. Exit 1 when an expectation fails on any platform or profile, 3 when a safety limit\n" +
			"stopped a run.",
		Example: "  wmsim compare side-by-side\n  wmsim compare app.yaml --plugin 0.5,0.9,0.10.10\n" +
			"  wmsim compare app.yaml --api 33,35,37 --format json\n  wmsim compare app.yaml --ios 17,26",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) != 1 {
				return usageErrorf("name exactly one scenario file or library scenario")
			}
			var axes []string
			var axis compare.Axis
			var values []string
			for _, a := range []struct {
				axis compare.Axis
				val  string
			}{{compare.Plugin, pluginV}, {compare.API, api}, {compare.IOS, iosV}} {
				if cmd.Flags().Changed(string(a.axis)) {
					axes = append(axes, "--"+string(a.axis))
					axis = a.axis
					vs, err := splitValues(a.val)
					if err != nil {
						return usageErrorf("--%s: %v", a.axis, err)
					}
					values = vs
				}
			}
			if len(axes) > 1 {
				return usageErrorf("%s: compare one axis at a time", strings.Join(axes, " and "))
			}
			if f.format != "text" && f.format != "json" {
				return usageErrorf("--format %q: valid: text, json", f.format)
			}
			if len(axes) == 0 && f.format != "text" {
				return usageErrorf("--format json needs an axis (--plugin, --api or --ios); the side-by-side table is text")
			}
			if f.platform != "" && axis != compare.Plugin {
				if len(axes) == 0 {
					return usageErrorf("--platform: compare always runs both android and ios")
				}
				return usageErrorf("--platform: --%s picks the platform itself", axis)
			}
			opts, scs, err := f.load(cmd, env, args)
			if err != nil {
				return err
			}
			opts.Context = env.ctx
			if len(axes) == 1 {
				return compareProfiles(env, scs[0], axis, values, opts, f.format)
			}
			opts.Platforms = []string{"android", "ios"}
			out, err := runner.Run(scs[0], opts)
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
			reportFailedExpectations(env, "", out)
			return exitCode(out.ExitCode())
		},
	}
	f.registerCommon(cmd.Flags())
	cmd.Flags().StringVar(&f.format, "format", "text", "output format with an axis: text or json (the wmsim.compare/v1 document)")
	cmd.Flags().StringVar(&pluginV, "plugin", "", "compare these plugin releases, comma-separated (e.g. 0.5,0.9,0.10.10)")
	cmd.Flags().StringVar(&api, "api", "", "compare these Android API levels, comma-separated (e.g. 33,35,36); runs on Android")
	cmd.Flags().StringVar(&iosV, "ios", "", "compare these iOS versions, comma-separated (e.g. 17,26); runs on iOS")
	return cmd
}

// splitValues reads an axis flag: comma-separated, non-empty, no repeats.
func splitValues(s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil, fmt.Errorf("want comma-separated values such as 33,35, got %q", s)
		}
		if slices.Contains(out, v) {
			return nil, fmt.Errorf("%s is given twice", v)
		}
		out = append(out, v)
	}
	return out, nil
}

// compareProfiles runs `compare --plugin|--api|--ios`: the scenario once per
// value, the comparison printed, exit 1 when an expectation failed under any
// profile, 3 when a safety limit stopped a run.
func compareProfiles(env *cmdEnv, sc *scenarios.Scenario, axis compare.Axis, values []string, opts runner.RunOptions, format string) error {
	rep, err := compare.Profiles(sc, axis, values, opts)
	if err != nil {
		if err := stopped(env.ctx); err != nil {
			return err
		}
		return failf(exitInvalid, "%s", strings.TrimPrefix(err.Error(), "compare: "))
	}
	if err := stopped(env.ctx); err != nil {
		return err
	}
	if format == "json" {
		err = rep.WriteJSON(env.stdout)
	} else {
		err = rep.WriteText(env.stdout)
	}
	if err != nil {
		return failf(exitInternal, "%v", err)
	}
	code := exitOK
	for i, out := range rep.Outcomes {
		profile := fmt.Sprintf("%s %s, ", axis, values[i])
		if limitExit(env, "compare", out) != nil {
			code = exitLimit
		}
		reportFailedExpectations(env, profile, out)
		code = worse(code, out.ExitCode())
	}
	return exitCode(code)
}

// reportFailedExpectations prints each failed expectation of out on stderr;
// profile ("plugin 0.9, ") names the run under compare's axes.
func reportFailedExpectations(env *cmdEnv, profile string, out *runner.Outcome) {
	for _, pr := range out.Runs {
		for _, e := range pr.Result.Expectations {
			if !e.OK {
				fmt.Fprintf(env.stderr, "wmsim compare: %son %s: expectation failed: %s (%s)\n", profile, pr.Platform, e.Expect, e.Detail)
			}
		}
	}
}
