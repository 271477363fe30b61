package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wmsim/wmsim/internal/fleet"
)

// maxJobs bounds --jobs: each job holds one device's world (a few MiB).
const maxJobs = 1024

// outputFlags are the output flags shared by fleet and merge.
type outputFlags struct {
	format string
	out    string
	html   string
}

func (o *outputFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	fs.StringVar(&o.out, "out", "", "write the output to `FILE` instead of standard output (- is standard output)")
	fs.StringVar(&o.html, "html", "", "also write a self-contained HTML report with histograms to `FILE` (- for standard output)")
}

// note adds the outputs to fl.
func (o *outputFlags) note(fl *files) {
	fl.output("--out", o.out)
	fl.output("--html", o.html)
}

// write prints the summary in the chosen format and writes the HTML report,
// each file atomically.
func (o *outputFlags) write(env *cmdEnv, s *fleet.Summary) error {
	path := o.out
	if path == "" {
		path = stdioPath
		if o.html == stdioPath {
			path = "" // the HTML report takes standard output
		}
	}
	if path != "" {
		err := writeOutput(path, env.stdout, func(w io.Writer) error {
			if o.format == "json" {
				b, err := fleet.Marshal(s)
				if err == nil {
					_, err = w.Write(b)
				}
				return err
			}
			return fleet.WriteText(w, s)
		})
		if err != nil {
			return err
		}
	}
	if o.html != "" {
		return writeOutput(o.html, env.stdout, func(w io.Writer) error { return fleet.WriteHTML(w, s) })
	}
	return nil
}

func newFleetCmd() *cobra.Command {
	var (
		rf                     runFlags
		of                     outputFlags
		devices, days, jobs    int
		mix, shard             string
		cpuprofile, memprofile string
		progress               bool
		minPass                float64
	)
	cmd := &cobra.Command{
		Use:   "fleet FILE|NAME|- --devices N [--days D] [--mix p=w,...] [--shard i/n] [--jobs J]",
		Short: "run a scenario over a fleet of simulated devices and report distributions",
		Long: "Run the scenario on --devices simulated phones, each with its own seed and usage profile,\n" +
			"and report distributions of runs, gaps, delays, blocked time and battery, and for each of the\n" +
			"scenario's expectations the share of devices where it held. Exit 1 when a share is below\n" +
			"--min-pass; 3 when --wall-limit or --max-events stopped it.",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			fs := cmd.Flags()
			if len(args) != 1 {
				return usageErrorf("name exactly one scenario file or library scenario (see 'wmsim scenarios')")
			}
			if !fs.Changed("devices") {
				return usageErrorf("--devices: give the fleet size, a whole number >= 1")
			}
			for _, c := range []struct {
				name string
				v    int
			}{{"devices", devices}, {"days", days}, {"jobs", jobs}} {
				if err := positive(fs, c.name, c.v); err != nil {
					return err
				}
			}
			if jobs > maxJobs {
				return usageErrorf("--jobs: at most %d (each job holds a device's world in memory), got %d", maxJobs, jobs)
			}
			if minPass < 0 || minPass > 1 {
				return usageErrorf("--min-pass: want a share from 0 to 1, got %g", minPass)
			}
			if err := checkFormat(of.format); err != nil {
				return err
			}
			if rf.platform != "" && rf.platform != "android" && rf.platform != "ios" {
				return usageErrorf("--platform: %q is not a platform; valid: android, ios", rf.platform)
			}
			opts := fleet.Options{Devices: devices, Days: days, Platform: rf.platform, Jobs: jobs, Seed: rf.seed.ptr(), Limits: rf.limits.limits()}
			if mix != "" {
				m, err := fleet.ParseMix(mix)
				if err != nil {
					return usageErrorf("--mix: %v", err)
				}
				opts.Mix = m
			}
			if shard != "" {
				sh, err := fleet.ParseShard(shard)
				if err != nil {
					return usageErrorf("--shard: %v", err)
				}
				opts.Shard = sh
			}
			scs, err := openScenarios(env, args)
			if err != nil {
				return err
			}
			var fl files
			fl.input("scenario", args[0])
			of.note(&fl)
			fl.output("--cpuprofile", cpuprofile)
			fl.output("--memprofile", memprofile)
			if err := fl.check(); err != nil {
				return usageErrorf("%v", err)
			}
			if cpuprofile == stdioPath || memprofile == stdioPath {
				return usageErrorf("profiles go to files, not standard output")
			}
			if cpuprofile != "" {
				f, err := createAtomic(cpuprofile)
				if err != nil {
					return failf(exitInvalid, "--cpuprofile: %v", err)
				}
				defer f.abort()
				if err := pprof.StartCPUProfile(f); err != nil {
					return failf(exitInvalid, "--cpuprofile: %v", err)
				}
				defer func() {
					pprof.StopCPUProfile()
					if env.ctx.Err() == nil {
						_ = f.commit()
					}
				}()
			}
			tuneGC(env)
			ctx, cancel := rf.limits.deadline(env.ctx)
			defer cancel()
			opts.Context = ctx
			var bar *progressbar.ProgressBar
			if progress && isTerminal(env.stderr) {
				lo, hi := opts.Shard.Range(devices)
				bar = progressbar.NewOptions(hi-lo,
					progressbar.OptionSetWriter(env.stderr),
					progressbar.OptionSetDescription("devices"),
					progressbar.OptionShowCount(),
					progressbar.OptionShowIts(),
					progressbar.OptionSetItsString("devices"),
					progressbar.OptionThrottle(100_000_000),
					progressbar.OptionClearOnFinish(),
				)
				opts.Progress = func(done int) { _ = bar.Set(done) }
			}
			sum, err := fleet.Run(scs[0], opts)
			if bar != nil {
				_ = bar.Finish()
			}
			var pe *fleet.PanicError
			if errors.As(err, &pe) {
				return &exitError{code: internalError(env.stderr, pe.Value, pe.Stack)}
			}
			if err != nil {
				return failf(exitInvalid, "%v", err)
			}
			if code, ok := signalCode(env.ctx); ok {
				fmt.Fprintf(env.stderr, "wmsim fleet: interrupted after %d devices\n", sum.Completed)
				return &exitError{code: code}
			}
			if memprofile != "" {
				if err := writeHeapProfile(memprofile); err != nil {
					return failf(exitInvalid, "--memprofile: %v", err)
				}
			}
			if err := of.write(env, sum); err != nil {
				return failf(exitInvalid, "%v", err)
			}
			if err, ok := limitHit(ctx); ok {
				return failf(exitLimit, "%v; the summary covers the %d devices that finished", err, sum.Completed)
			}
			if sum.Limited > 0 {
				return failf(exitLimit, "%d devices stopped at a safety limit", sum.Limited)
			}
			if below := sum.BelowShare(minPass); len(below) > 0 {
				for _, e := range below {
					fmt.Fprintf(env.stderr, "wmsim fleet: %q held on %d of %d devices (%.2f%%), below --min-pass %g\n",
						e.Expect, e.Held, e.Devices, 100*float64(e.Held)/float64(max(e.Devices, 1)), minPass)
				}
				return exitCode(exitExpect)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	rf.seed.register(fs, "root seed `N` of the fleet: device i runs with a seed derived from it and i (default: the scenario's)")
	fs.StringVar(&rf.platform, "platform", "", "android or ios (default: the scenario's first platform)")
	rf.limits.register(fs)
	of.register(fs)
	fs.IntVar(&devices, "devices", 0, "number of devices in the fleet (required, ≥ 1)")
	fs.IntVar(&days, "days", 0, "days each device lives, ≥ 1 (default: the scenario's duration)")
	fs.StringVar(&mix, "mix", "", "usage profiles and weights, e.g. office-worker=50,light-user=30 (default: the scenario's profile)")
	fs.IntVar(&jobs, "jobs", runtime.GOMAXPROCS(0), "devices simulated at once, 1 to 1024; results do not depend on it")
	fs.StringVar(&shard, "shard", "", "run only shard `i/n` (0 <= i < n) of the fleet; combine shards with 'wmsim merge'")
	fs.StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile to `FILE`")
	fs.StringVar(&memprofile, "memprofile", "", "write a heap profile to `FILE` at the end")
	fs.BoolVar(&progress, "progress", true, "show a progress bar when standard error is a terminal")
	fs.Float64Var(&minPass, "min-pass", 1, "exit 1 when an expectation holds on a smaller share of the devices (0 to 1)")
	return cmd
}

// tuneGC trades memory for speed: a fleet's live heap is a few MiB (one
// world per job and the summaries) but each device allocates about 1 MB as
// it runs, so the default GOGC=100 collects every few devices. GOGC=800 with
// a 256 MiB soft limit collects a tenth as often and keeps the heap well under
// the 300 MB the issue allows. GOGC and GOMEMLIMIT in the environment win.
func tuneGC(env *cmdEnv) {
	if env.getenv("GOGC") == "" {
		debug.SetGCPercent(800)
	}
	if env.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}

func writeHeapProfile(path string) error {
	runtime.GC()
	return writeOutput(path, io.Discard, pprof.WriteHeapProfile)
}
