package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/internal/fleet"
)

// maxShardSize bounds one shard document read by merge (a shard is tens of
// KiB; its distributions have at most a few thousand buckets).
const maxShardSize = 64 << 20

func newMergeCmd() *cobra.Command {
	var (
		of      outputFlags
		limits  limitFlags
		minPass float64
	)
	cmd := &cobra.Command{
		Use:   "merge SHARD.json|- ...",
		Short: "combine fleet shard results into the result of the whole fleet",
		Long: "Merge the JSON summaries of the shards of one fleet (wmsim fleet --shard i/n --format json).\n" +
			"The shards must be of one scenario, seed, fleet size and split, each given once, and unaltered\n" +
			"(each carries a digest of its contents); otherwise merge exits 2. Exit 1 when an expectation\n" +
			"held on a smaller share of the devices than --min-pass; 3 when --wall-limit stopped it. --max-events has nothing to\n" +
			"count here (merge simulates nothing) and is accepted for the same flags in every command.",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) == 0 {
				return usageErrorf("name the shard results to merge (wmsim fleet --format json --shard i/n ...)")
			}
			if err := checkFormat(of.format); err != nil {
				return err
			}
			if minPass < 0 || minPass > 1 {
				return usageErrorf("--min-pass: want a share from 0 to 1, got %g", minPass)
			}
			var fl files
			for _, a := range args {
				fl.input("shard", a)
			}
			of.note(&fl)
			if err := fl.check(); err != nil {
				return usageErrorf("%v", err)
			}
			ctx, cancel := limits.deadline(env.ctx)
			defer cancel()
			sum, err := mergeShards(env, ctx.Err, args)
			if err != nil {
				if err := stopped(ctx); err != nil {
					return err
				}
				return failf(exitInvalid, "%v", err)
			}
			if missing := sum.Missing(); len(missing) > 0 {
				fmt.Fprintf(env.stderr, "wmsim merge: warning: devices %v of %d are in no shard given; the result covers the others only\n", missing, sum.Devices)
			}
			if err := of.write(env, sum); err != nil {
				return failf(exitInvalid, "%v", err)
			}
			if below := sum.BelowShare(minPass); len(below) > 0 {
				for _, e := range below {
					fmt.Fprintf(env.stderr, "wmsim merge: %q held on %d of %d devices, below --min-pass %g\n", e.Expect, e.Held, e.Devices, minPass)
				}
				return exitCode(exitExpect)
			}
			return nil
		},
	}
	of.register(cmd.Flags())
	limits.register(cmd.Flags())
	cmd.Flags().Float64Var(&minPass, "min-pass", 1, "exit 1 when an expectation holds on a smaller share of the devices (0 to 1)")
	return cmd
}

// mergeShards reads and merges the shard documents, checking stop between
// shards.
func mergeShards(env *cmdEnv, stop func() error, paths []string) (*fleet.Summary, error) {
	var parts []*fleet.Summary
	for _, path := range paths {
		if err := stop(); err != nil {
			return nil, err
		}
		b, err := readShard(env, path)
		if err != nil {
			return nil, err
		}
		s, err := fleet.Unmarshal(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		parts = append(parts, s)
	}
	if err := stop(); err != nil {
		return nil, err
	}
	return fleet.Merge(parts...)
}

func readShard(env *cmdEnv, path string) ([]byte, error) {
	var r io.Reader = env.stdin
	if path != stdioPath {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxShardSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(b) > maxShardSize {
		return nil, fmt.Errorf("%s: more than %d bytes: not a shard summary", path, maxShardSize)
	}
	return b, nil
}
