package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// runFlags are the flags shared by run, explain and compare.
type runFlags struct {
	platform   string
	seed       seedFlag
	limits     limitFlags
	profile    string
	days       int
	format     string
	traceJSONL string
	chrome     string
	junit      string
	html       string
	timeline   bool
}

// registerCommon adds --platform, --seed, --profile, --days, --max-events
// and --wall-limit.
func (f *runFlags) registerCommon(fs *pflag.FlagSet) {
	fs.StringVar(&f.platform, "platform", "", "run on this platform only: android or ios (default: the scenario's)")
	f.seed.register(fs, "root seed `N` of every random stream (default: the scenario's)")
	fs.StringVar(&f.profile, "profile", "", "replace the scenario's device usage profile ("+strings.Join(device.ProfileNames(), ", ")+"); with --seed it replays a device of a fleet")
	fs.IntVar(&f.days, "days", 0, "replace the scenario's duration by this many days (1 to 366)")
	f.limits.register(fs)
}

// registerOutputs adds --format and the output files.
func (f *runFlags) registerOutputs(fs *pflag.FlagSet) {
	fs.StringVar(&f.format, "format", "text", "output format: text or json (one JSON document for every scenario and platform)")
	fs.StringVar(&f.traceJSONL, "trace-jsonl", "", "write every trace event as JSON Lines to `FILE` (- for standard output)")
	fs.StringVar(&f.chrome, "trace", "", "write a Chrome Trace Event file (Perfetto, chrome://tracing) to `FILE` (several runs: FILE.SCENARIO.PLATFORM.json each)")
	fs.StringVar(&f.junit, "junit", "", "write JUnit XML to `FILE` (- for standard output)")
	fs.StringVar(&f.html, "html", "", "write a self-contained HTML report to `FILE` (- for standard output)")
	fs.BoolVar(&f.timeline, "timeline", true, "print the timeline in text output")
}

func (f *runFlags) options(fs *pflag.FlagSet) (runner.RunOptions, error) {
	var o runner.RunOptions
	if f.platform != "" {
		if f.platform != "android" && f.platform != "ios" {
			return o, usageErrorf("--platform: %q is not a platform; valid: android, ios", f.platform)
		}
		o.Platforms = []string{f.platform}
	}
	o.Seed = f.seed.ptr()
	if f.profile != "" {
		if _, ok := device.BuiltinProfile(f.profile); !ok {
			return o, usageErrorf("--profile: %q is not a profile; valid: %s", f.profile, strings.Join(device.ProfileNames(), ", "))
		}
		o.Profile = f.profile
	}
	if err := positive(fs, "days", f.days); err != nil {
		return o, err
	}
	if f.days > 366 {
		return o, usageErrorf("--days: want 1 to 366, got %d", f.days)
	}
	o.Duration = time.Duration(f.days) * 24 * time.Hour
	o.Limits = f.limits.limits()
	return o, nil
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE|NAME|- ...",
		Short: "run scenarios and check their expectations",
		Long: "Run each scenario (a file, a built-in name, or - for standard input) on its platforms,\n" +
			"check its expectations and print the result. Exit 0: every expectation held; 1: one failed;\n" +
			"2: invalid input; 3: a safety limit stopped a run.",
		Example: "  wmsim run hourly-sync-survives-doze\n  wmsim run a.yaml b.yaml --format json --junit junit.xml\n  cat s.yaml | wmsim run - --html report.html",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, &f, args)
		},
	}
	f.registerCommon(cmd.Flags())
	f.registerOutputs(cmd.Flags())
	return cmd
}

// platformsOf is the platforms a run of sc covers.
func platformsOf(sc *scenarios.Scenario, o runner.RunOptions) []string {
	if len(o.Platforms) > 0 {
		return o.Platforms
	}
	var out []string
	for _, p := range sc.Platform {
		out = append(out, string(p))
	}
	if len(out) == 0 {
		out = []string{string(scenarios.PlatformAndroid)}
	}
	return out
}

// chromePath is the Chrome trace file of one run: FILE itself for a single
// run, FILE.SCENARIO.PLATFORM.ext with several.
func chromePath(path string, several bool, scenario, platform string) string {
	if !several || path == stdioPath {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "." + scenario + "." + platform + ext
}

// load reads the run options from the command's flags and opens the
// scenarios args name: what run, explain and compare start with.
func (f *runFlags) load(cmd *cobra.Command, env *cmdEnv, args []string) (runner.RunOptions, []*scenarios.Scenario, error) {
	opts, err := f.options(cmd.Flags())
	if err != nil {
		return opts, nil, err
	}
	scs, err := openScenarios(env, args)
	return opts, scs, err
}

func runRun(cmd *cobra.Command, f *runFlags, args []string) error {
	env := envOf(cmd)
	if len(args) == 0 {
		return usageErrorf("name at least one scenario file or library scenario (see 'wmsim scenarios')")
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	opts, scs, err := f.load(cmd, env, args)
	if err != nil {
		return err
	}
	// Check every output against the inputs and each other before running.
	var fl files
	for _, a := range args {
		fl.input("scenario", a)
	}
	fl.output("--junit", f.junit)
	fl.output("--html", f.html)
	fl.output("--trace-jsonl", f.traceJSONL)
	nruns := 0
	for _, sc := range scs {
		nruns += len(platformsOf(sc, opts))
	}
	if f.chrome != "" {
		if f.chrome == stdioPath && nruns > 1 {
			return usageErrorf("--trace -: %d runs make %d Chrome traces; give a file name", nruns, nruns)
		}
		for _, sc := range scs {
			for _, p := range platformsOf(sc, opts) {
				fl.output("--trace", chromePath(f.chrome, nruns > 1, sc.Name, p))
			}
		}
	}
	if err := fl.check(); err != nil {
		return usageErrorf("%v", err)
	}
	stdout := env.stdout
	if fl.toStdout() {
		stdout = io.Discard // an output flag's "-" replaces the printout
	}

	opts.KeepTrace = f.chrome != "" || f.html != "" || f.format == "text" || f.traceJSONL != ""
	opts.Context = env.ctx
	code := exitOK
	var all []*runner.PlatformRun
	for _, sc := range scs {
		out, err := runner.Run(sc, opts)
		if err != nil {
			return failf(exitInvalid, "%v", err)
		}
		if err := stopped(env.ctx); err != nil {
			return err
		}
		all = append(all, out.Runs...)
		if f.format == "text" {
			writeText(env, stdout, out, f.timeline)
		}
		for _, pr := range out.Runs {
			if pr.LimitErr != nil {
				fmt.Fprintf(env.stderr, "wmsim run: %s on %s: %v\n", sc.Name, pr.Platform, pr.LimitErr)
			}
		}
		code = worse(code, out.ExitCode())
	}
	if f.format == "json" {
		b, err := report.MarshalIndent(resultsDocument(all))
		if err != nil {
			return failf(exitInternal, "%v", err)
		}
		stdout.Write(b)
	}
	if err := writeRunFiles(env, f, all, nruns > 1); err != nil {
		return failf(worse(code, exitInvalid), "%v", err)
	}
	return exitCode(code)
}

// resultsDocument is the one JSON document of a run: wmsim.result/v1 for one
// scenario on one platform, otherwise wmsim.results/v1 with every result
// (each names its scenario and platform).
func resultsDocument(runs []*runner.PlatformRun) any {
	if len(runs) == 1 {
		return runs[0].Result
	}
	d := &report.Results{Format: report.FormatResults, Results: []*report.Result{}}
	for _, r := range runs {
		d.Results = append(d.Results, r.Result)
	}
	return d
}

// worse keeps the more serious of two exit codes: internal > limit >
// invalid > expectation.
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitExpect: 1, exitInvalid: 2, exitLimit: 3, exitInternal: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// writeJSONL writes every run's trace as JSON Lines, each record naming
// its scenario and platform.
func writeJSONL(w io.Writer, runs []*runner.PlatformRun) error {
	for _, pr := range runs {
		if err := pr.WriteJSONL(w); err != nil {
			return err
		}
	}
	return nil
}

func writeText(env *cmdEnv, w io.Writer, out *runner.Outcome, timeline bool) {
	color := env.getenv("NO_COLOR") == "" && isTerminal(w)
	for _, pr := range out.Runs {
		report.WriteText(w, pr.Result, pr.Trace, pr.Start, report.TextOptions{Color: color, Timeline: timeline})
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeRunFiles writes the output files of a run, each atomically.
func writeRunFiles(env *cmdEnv, f *runFlags, runs []*runner.PlatformRun, several bool) error {
	if len(runs) == 0 {
		return nil
	}
	results := make([]*report.Result, len(runs))
	traces := make([][]sim.Record, len(runs))
	timing := make([]*report.Timing, len(runs))
	for i, pr := range runs {
		results[i], traces[i], timing[i] = pr.Result, pr.Trace, pr.Timing
	}
	type out struct {
		path  string
		write func(io.Writer) error
	}
	outs := []out{
		{f.junit, func(w io.Writer) error { return report.WriteJUnitWith(w, results, report.JUnitOptions{Timing: timing}) }},
		{f.traceJSONL, func(w io.Writer) error { return writeJSONL(w, runs) }},
		{f.html, func(w io.Writer) error { return report.WriteHTML(w, results, traces, runs[0].Start) }},
	}
	if f.chrome != "" {
		for _, pr := range runs {
			outs = append(outs, out{chromePath(f.chrome, several, pr.Result.Scenario, pr.Platform), func(w io.Writer) error {
				return report.WriteChromeTrace(w, pr.Result, pr.Trace, pr.Start)
			}})
		}
	}
	for _, o := range outs {
		if o.path == "" {
			continue
		}
		if err := writeOutput(o.path, env.stdout, o.write); err != nil {
			return err
		}
	}
	return nil
}
