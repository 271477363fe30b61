package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/wmsim/wmsim/fleet"
)

func init() {
	register(command{
		name:  "merge",
		usage: "wmsim merge SHARD.json... [--format text|json] [--out FILE] [--html FILE]",
		short: "combine fleet shard results into the result of the whole fleet",
		run:   runMerge,
	})
}

func runMerge(env *cmdEnv, args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var of outputFlags
	of.register(fs)
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return exitInvalid
	}
	fail := func(err error) int {
		fmt.Fprintln(env.stderr, "wmsim merge:", err)
		return exitInvalid
	}
	if fs.NArg() == 0 {
		return fail(fmt.Errorf("name the shard results to merge (wmsim fleet --format json --shard i/n ...)"))
	}
	if err := of.check(); err != nil {
		return fail(err)
	}
	var parts []*fleet.Summary
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			return fail(err)
		}
		s, err := fleet.Unmarshal(b)
		if err != nil {
			return fail(fmt.Errorf("%s: %v", path, err))
		}
		parts = append(parts, s)
	}
	sum, err := fleet.Merge(parts...)
	if err != nil {
		return fail(err)
	}
	if missing := sum.Missing(); len(missing) > 0 {
		fmt.Fprintf(env.stderr, "wmsim merge: warning: devices %v of %d are in no shard given; the result covers the others only\n", missing, sum.Devices)
	}
	if err := of.write(env, sum); err != nil {
		return fail(err)
	}
	return exitOK
}
