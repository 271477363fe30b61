package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/internal/scan"
)

// newScanCmd is `wmsim scan DIR [--format text|json|sarif] [--run]`: it
// parses the flags and hands over to package scan, whose exit code (0 no
// error findings, 1 error findings, 2 not a Flutter project or unreadable)
// it returns; 3 when --wall-limit stopped --run.
func newScanCmd() *cobra.Command {
	var (
		opts   scan.Options
		limits limitFlags
	)
	cmd := &cobra.Command{
		Use:   "scan DIR",
		Short: "Read a Flutter project and report what will go wrong with its background work",
		Long: "scan reads a Flutter project's Dart code, pubspec, Info.plist, AppDelegate and\n" +
			"AndroidManifest.xml, reports the problems of its workmanager use (docs/scan.md lists\n" +
			"the rules) and generates a scenario of what its code registers. --run simulates that\n" +
			"scenario over a device matrix and prints a report card (on standard error with\n" +
			"--format json or sarif, so standard output stays one document).\n\n" +
			"Exit codes: 0 no error findings, 1 error findings, 2 not a Flutter project or unreadable,\n" +
			"3 --wall-limit stopped --run.",
		Example: "  wmsim scan ./my_app\n  wmsim scan ./my_app --format sarif > scan.sarif\n  wmsim scan ./my_app --run",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) != 1 {
				return usageErrorf("name exactly one Flutter project directory")
			}
			switch opts.Format {
			case "text", "json", "sarif":
			default:
				return usageErrorf("--format %q: valid: text, json, sarif", opts.Format)
			}
			if limits.wallLimit > 0 && !opts.Run {
				return usageErrorf("--wall-limit bounds --run; without --run nothing is simulated")
			}
			ctx, cancel := limits.deadline(env.ctx)
			defer cancel()
			code := scan.Main(ctx, args[0], opts, env.stdout, env.stderr)
			if err := stopped(ctx); err != nil {
				return err
			}
			return exitCode(code)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json or sarif")
	cmd.Flags().BoolVar(&opts.Run, "run", false, "run the generated scenario over a device matrix and print a report card")
	cmd.Flags().Func("wall-limit", "with --run: stop with exit code 3 after `DURATION` of real time, e.g. 30s or 2m", func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 30s or 2m, got %q", s)
		}
		limits.wallLimit = d
		return nil
	})
	return cmd
}
