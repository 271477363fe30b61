package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/scenarios"
)

// limitFlags are --max-events and --wall-limit, the same in every command
// that simulates (and in merge, where --wall-limit bounds the whole merge).
type limitFlags struct {
	maxEvents uint64
	wallLimit time.Duration
}

func (l *limitFlags) register(fs *pflag.FlagSet) {
	fs.Func("max-events", "stop with exit code 3 after `N` simulation events in one run (default 50000000)", func(s string) error {
		v, err := parseUint(s)
		if err == nil && v == 0 {
			err = fmt.Errorf("want a whole number ≥ 1, got %q", s)
		}
		l.maxEvents = v
		return err
	})
	fs.Func("wall-limit", "stop with exit code 3 after `DURATION` of real time, e.g. 30s or 2m (default 5m per run)", func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 30s or 2m, got %q", s)
		}
		l.wallLimit = d
		return nil
	})
}

// limits is sim.DefaultLimits with the flags applied, or nil with neither.
func (l *limitFlags) limits() *sim.Limits {
	if l.maxEvents == 0 && l.wallLimit == 0 {
		return nil
	}
	out := sim.DefaultLimits
	if l.maxEvents > 0 {
		out.MaxEvents = l.maxEvents
	}
	if l.wallLimit > 0 {
		out.WallClock = l.wallLimit
	}
	return &out
}

// deadline bounds a whole command by --wall-limit (fleet, merge, chaos run
// many simulations; each also gets the limit on its own).
func (l *limitFlags) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if l.wallLimit <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, l.wallLimit, errWallLimit{l.wallLimit})
}

// errWallLimit is the cause of a command stopped by --wall-limit.
type errWallLimit struct{ d time.Duration }

func (e errWallLimit) Error() string {
	return fmt.Sprintf("safety limit wall_clock (%s) reached: the command ran longer than --wall-limit", e.d)
}

// limitHit reports whether ctx ended at --wall-limit.
func limitHit(ctx context.Context) (error, bool) {
	var wl errWallLimit
	if err := context.Cause(ctx); err != nil && errors.As(err, &wl) {
		return wl, true
	}
	return nil, false
}

// stopped is the error of a command whose context ended: a signal (the
// exit code is set by run) or --wall-limit (exit 3).
func stopped(ctx context.Context) error {
	if _, ok := signalCode(ctx); ok {
		return &exitError{code: exitSIGINT} // run replaces it with the signal's code
	}
	if err, ok := limitHit(ctx); ok {
		return &exitError{code: exitLimit, err: err}
	}
	return nil
}

// parseUint reads a whole number ≥ 0 (no sign, no spaces).
func parseUint(s string) (uint64, error) {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("want a whole number ≥ 0, got %q", s)
	}
	return v, nil
}

// seedFlag is --seed: a whole number, remembered as given or not.
type seedFlag struct {
	v   uint64
	set bool
}

func (s *seedFlag) register(fs *pflag.FlagSet, usage string) {
	fs.Func("seed", usage, func(v string) error {
		var err error
		s.v, err = parseUint(v)
		s.set = err == nil
		return err
	})
}

func (s *seedFlag) ptr() *uint64 {
	if !s.set {
		return nil
	}
	v := s.v
	return &v
}

// positive checks a count flag (--jobs, --devices, --days): given, it must be ≥ 1.
func positive(fs *pflag.FlagSet, name string, v int) error {
	if fs.Changed(name) && v < 1 {
		return usageErrorf("--%s: want a whole number ≥ 1, got %d", name, v)
	}
	return nil
}

// checkFormat checks --format.
func checkFormat(f string) error {
	if f != "text" && f != "json" {
		return usageErrorf("--format: %q is not a format; valid: text, json", f)
	}
	return nil
}

// openScenario loads a scenario file, a library scenario, or standard input ("-").
func openScenario(env *cmdEnv, arg string) (*scenarios.Scenario, error) {
	if arg != stdioPath {
		return scenarios.Open(arg)
	}
	// One byte more than the loader takes, so it reports the file as too large.
	b, err := io.ReadAll(io.LimitReader(env.stdin, scenarios.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("<stdin>: %v", err)
	}
	return scenarios.Parse("<stdin>", b)
}

// openScenarios loads every argument first: nothing is simulated when any
// input is invalid. Standard input may be named once.
func openScenarios(env *cmdEnv, args []string) ([]*scenarios.Scenario, error) {
	var scs []*scenarios.Scenario
	bad := false
	stdin := 0
	for _, a := range args {
		if a == stdioPath {
			if stdin++; stdin > 1 {
				return nil, usageErrorf("standard input (-) can be named once")
			}
		}
		sc, err := openScenario(env, a)
		if err != nil {
			// The loader's diagnostics name file:line:column; print them as they are.
			fmt.Fprintln(env.stderr, err)
			bad = true
			continue
		}
		scs = append(scs, sc)
	}
	if bad {
		return nil, exitCode(exitInvalid)
	}
	return scs, nil
}
