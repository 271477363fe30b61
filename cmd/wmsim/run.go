package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/scenarios"
	"github.com/wmsim/wmsim/sim"
)

func init() {
	register(command{
		name:  "run",
		usage: "wmsim run FILE|NAME... [--platform p] [--seed n] [--format text|json]",
		short: "run scenarios and check their expectations",
		run:   runRun,
	})
}

// runFlags are the flags shared by run, explain and compare.
type runFlags struct {
	platform   string
	seed       uint64
	seedSet    bool
	format     string
	traceJSONL string
	chrome     string
	junit      string
	html       string
	timeline   bool
	maxEvents  uint64
	wallLimit  time.Duration
}

func (f *runFlags) register(fs *flag.FlagSet, outputs bool) {
	fs.StringVar(&f.platform, "platform", "", "run on this platform only: android or ios (default: the scenario's)")
	fs.Func("seed", "root seed of every random stream (default: the scenario's)", func(s string) error {
		var err error
		f.seed, err = parseUint(s)
		f.seedSet = err == nil
		return err
	})
	fs.Func("max-events", "stop with exit code 3 after this many simulation events (default 50000000)", func(s string) error {
		v, err := parseUint(s)
		if err == nil && v == 0 {
			err = fmt.Errorf("want a whole number ≥ 1, got %q", s)
		}
		f.maxEvents = v
		return err
	})
	fs.DurationVar(&f.wallLimit, "wall-limit", 0, "stop with exit code 3 after this much real time (default 5m)")
	if outputs {
		fs.StringVar(&f.format, "format", "text", "output format: text or json")
		fs.StringVar(&f.traceJSONL, "trace-jsonl", "", "write every trace event as JSON Lines to `FILE`")
		fs.StringVar(&f.chrome, "trace", "", "write a Chrome Trace Event file (Perfetto, chrome://tracing) to `FILE` (several runs: FILE.SCENARIO.PLATFORM.json each)")
		fs.StringVar(&f.junit, "junit", "", "write JUnit XML to `FILE`")
		fs.StringVar(&f.html, "html", "", "write a self-contained HTML report to `FILE`")
		fs.BoolVar(&f.timeline, "timeline", true, "print the timeline in text output")
	}
}

func parseUint(s string) (uint64, error) {
	var v uint64
	if _, err := fmt.Sscan(s, &v); err != nil || fmt.Sprint(v) != strings.TrimLeft(s, "+") {
		return 0, fmt.Errorf("want a whole number ≥ 0, got %q", s)
	}
	return v, nil
}

func (f *runFlags) options() (scenarios.RunOptions, error) {
	var o scenarios.RunOptions
	if f.platform != "" {
		if f.platform != "android" && f.platform != "ios" {
			return o, fmt.Errorf("--platform: %q is not a platform; valid: android, ios", f.platform)
		}
		o.Platforms = []string{f.platform}
	}
	if f.seedSet {
		s := f.seed
		o.Seed = &s
	}
	if f.maxEvents > 0 || f.wallLimit > 0 {
		l := sim.DefaultLimits
		if f.maxEvents > 0 {
			l.MaxEvents = f.maxEvents
		}
		if f.wallLimit > 0 {
			l.WallClock = f.wallLimit
		}
		o.Limits = &l
	}
	return o, nil
}

func runRun(env *cmdEnv, args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var f runFlags
	f.register(fs, true)
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return exitInvalid
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.stderr, "wmsim run: name at least one scenario file or library scenario (see 'wmsim scenarios')")
		return exitInvalid
	}
	if f.format != "text" && f.format != "json" {
		fmt.Fprintf(env.stderr, "wmsim run: --format: %q is not a format; valid: text, json\n", f.format)
		return exitInvalid
	}
	opts, err := f.options()
	if err != nil {
		fmt.Fprintln(env.stderr, "wmsim run:", err)
		return exitInvalid
	}
	// Load everything first: nothing is simulated when any input is invalid.
	var scs []*scenarios.Scenario
	bad := false
	for _, arg := range fs.Args() {
		sc, err := scenarios.Open(arg)
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			bad = true
			continue
		}
		scs = append(scs, sc)
	}
	if bad {
		return exitInvalid
	}
	var jsonl *os.File
	if f.traceJSONL != "" {
		if jsonl, err = os.Create(f.traceJSONL); err != nil {
			fmt.Fprintln(env.stderr, "wmsim run:", err)
			return exitInvalid
		}
		defer jsonl.Close()
	}
	keepTrace := f.chrome != "" || f.html != "" || f.format == "text" || jsonl != nil
	opts.KeepTrace = keepTrace
	code := exitOK
	var all []*scenarios.PlatformRun
	for _, sc := range scs {
		out, err := scenarios.Run(sc, opts)
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			return exitInvalid
		}
		all = append(all, out.Runs...)
		if jsonl != nil {
			for _, pr := range out.Runs {
				if err := writeJSONL(jsonl, pr); err != nil {
					fmt.Fprintln(env.stderr, "wmsim run: --trace-jsonl:", err)
					return exitInvalid
				}
			}
		}
		switch f.format {
		case "json":
			b, err := report.MarshalIndent(out.Document())
			if err != nil {
				fmt.Fprintln(env.stderr, "wmsim run:", err)
				return exitInvalid
			}
			env.stdout.Write(b)
		default:
			writeText(env, out, f.timeline)
		}
		for _, pr := range out.Runs {
			if pr.LimitErr != nil {
				fmt.Fprintf(env.stderr, "wmsim run: %s on %s: %v\n", sc.Name, pr.Platform, pr.LimitErr)
			}
		}
		code = worse(code, out.ExitCode())
	}
	if err := writeFiles(&f, all); err != nil {
		fmt.Fprintln(env.stderr, "wmsim run:", err)
		return worse(code, exitInvalid)
	}
	return code
}

// worse keeps the more serious of two exit codes: limit > invalid > expectation.
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitExpect: 1, exitInvalid: 2, exitLimit: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func writeJSONL(w io.Writer, pr *scenarios.PlatformRun) error {
	sink := sim.NewJSONLSink(w)
	for i := range pr.Trace {
		sink.Record(&pr.Trace[i])
	}
	return sink.Err()
}

func writeText(env *cmdEnv, out *scenarios.Outcome, timeline bool) {
	color := env.getenv("NO_COLOR") == "" && isTerminal(env.stdout)
	for _, pr := range out.Runs {
		report.WriteText(env.stdout, pr.Result, pr.Trace, pr.Start, report.TextOptions{Color: color, Timeline: timeline})
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

func writeFiles(f *runFlags, runs []*scenarios.PlatformRun) error {
	var errs []error
	results := make([]*report.Result, len(runs))
	traces := make([][]sim.Record, len(runs))
	for i, pr := range runs {
		results[i], traces[i] = pr.Result, pr.Trace
	}
	create := func(path string, write func(io.Writer) error) {
		if path == "" {
			return
		}
		file, err := os.Create(path)
		if err == nil {
			err = write(file)
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	create(f.junit, func(w io.Writer) error { return report.WriteJUnit(w, results) })
	if len(runs) > 0 {
		// A Chrome trace holds one timeline: with several runs, one file each,
		// named FILE with the scenario and platform before the extension.
		for _, pr := range runs {
			path := f.chrome
			if len(runs) > 1 && path != "" {
				ext := filepath.Ext(path)
				path = strings.TrimSuffix(path, ext) + "." + pr.Result.Scenario + "." + pr.Platform + ext
			}
			create(path, func(w io.Writer) error {
				return report.WriteChromeTrace(w, pr.Result, pr.Trace, pr.Start)
			})
		}
		create(f.html, func(w io.Writer) error { return report.WriteHTML(w, results, traces, runs[0].Start) })
	}
	return errors.Join(errs...)
}

// interleaved moves flags after positional arguments to the front, so
// "wmsim run x.yaml --format json" works as users expect.
func interleaved(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") {
				if fl := fs.Lookup(name); fl != nil {
					if bf, ok := fl.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
						if i+1 < len(args) {
							flags = append(flags, args[i+1])
							i++
						}
					}
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
