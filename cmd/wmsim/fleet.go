package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/schollz/progressbar/v3"

	"github.com/wmsim/wmsim/fleet"
	"github.com/wmsim/wmsim/scenarios"
)

// exitInterrupted is the exit code of a fleet stopped by Ctrl-C (128+SIGINT),
// after it printed what finished.
const exitInterrupted = 130

func init() {
	register(command{
		name:  "fleet",
		usage: "wmsim fleet FILE|NAME --devices N [--days D] [--mix p=w,...] [--shard i/n] [--jobs J] [--format text|json]",
		short: "run a scenario over a fleet of simulated devices and report distributions",
		run:   runFleet,
	})
}

// outputFlags are the output flags shared by fleet and merge.
type outputFlags struct {
	format string
	out    string
	html   string
}

func (o *outputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	fs.StringVar(&o.out, "out", "", "write the output to `FILE` instead of standard output")
	fs.StringVar(&o.html, "html", "", "also write a self-contained HTML report with histograms to `FILE`")
}

func (o *outputFlags) check() error {
	if o.format != "text" && o.format != "json" {
		return fmt.Errorf("--format: %q is not a format; valid: text, json", o.format)
	}
	return nil
}

// write prints the summary in the chosen format and writes the HTML report.
func (o *outputFlags) write(env *cmdEnv, s *fleet.Summary) error {
	w := env.stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	var err error
	if o.format == "json" {
		var b []byte
		if b, err = fleet.Marshal(s); err == nil {
			_, err = w.Write(b)
		}
	} else {
		err = fleet.WriteText(w, s)
	}
	if err != nil {
		return err
	}
	if o.html != "" {
		f, err := os.Create(o.html)
		if err != nil {
			return err
		}
		if err := fleet.WriteHTML(f, s); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil
}

func runFleet(env *cmdEnv, args []string) int {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var (
		rf                     runFlags
		of                     outputFlags
		devices, days, jobs    int
		mix, shard             string
		cpuprofile, memprofile string
		progress               bool
	)
	rf.register(fs, false)
	of.register(fs)
	fs.IntVar(&devices, "devices", 0, "number of devices in the fleet (required)")
	fs.IntVar(&days, "days", 0, "days each device lives (default: the scenario's duration)")
	fs.StringVar(&mix, "mix", "", "usage profiles and weights, e.g. office-worker=50,light-user=30 (default: the scenario's profile)")
	fs.IntVar(&jobs, "jobs", runtime.GOMAXPROCS(0), "devices simulated at once; results do not depend on it")
	fs.StringVar(&shard, "shard", "", "run only shard `i/n` (0 <= i < n) of the fleet; combine shards with 'wmsim merge'")
	fs.StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile to `FILE`")
	fs.StringVar(&memprofile, "memprofile", "", "write a heap profile to `FILE` at the end")
	fs.BoolVar(&progress, "progress", true, "show a progress bar when standard error is a terminal")
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return exitInvalid
	}
	fail := func(err error) int {
		fmt.Fprintln(env.stderr, "wmsim fleet:", err)
		return exitInvalid
	}
	if fs.NArg() != 1 {
		return fail(fmt.Errorf("name exactly one scenario file or library scenario (see 'wmsim scenarios')"))
	}
	if devices < 1 {
		return fail(fmt.Errorf("--devices: give the fleet size, a whole number >= 1"))
	}
	if err := of.check(); err != nil {
		return fail(err)
	}
	opts := fleet.Options{Devices: devices, Days: days, Platform: rf.platform, Jobs: jobs}
	if rf.seedSet {
		s := rf.seed
		opts.Seed = &s
	}
	if mix != "" {
		m, err := fleet.ParseMix(mix)
		if err != nil {
			return fail(fmt.Errorf("--mix: %v", err))
		}
		opts.Mix = m
	}
	if shard != "" {
		sh, err := fleet.ParseShard(shard)
		if err != nil {
			return fail(fmt.Errorf("--shard: %v", err))
		}
		opts.Shard = sh
	}
	sc, err := scenarios.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitInvalid
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	tuneGC(env)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
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
	sum, err := fleet.Run(sc, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return fail(err)
	}
	if memprofile != "" {
		if err := writeHeapProfile(memprofile); err != nil {
			return fail(err)
		}
	}
	if err := of.write(env, sum); err != nil {
		return fail(err)
	}
	if sum.Interrupted {
		fmt.Fprintf(env.stderr, "wmsim fleet: interrupted; the summary covers the %d devices that finished\n", sum.Completed)
		return exitInterrupted
	}
	if sum.Limited > 0 {
		fmt.Fprintf(env.stderr, "wmsim fleet: %d devices stopped at a safety limit\n", sum.Limited)
		return exitLimit
	}
	return exitOK
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
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
