package main

import (
	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/scan"
)

// newScanCmd is `wmsim scan DIR [--format text|json|sarif] [--run]`: it
// parses the flags and hands over to package scan, whose exit code (0 no
// error findings, 1 error findings, 2 not a Flutter project or unreadable)
// it returns.
func newScanCmd() *cobra.Command {
	var opts scan.Options
	cmd := &cobra.Command{
		Use:   "scan DIR",
		Short: "Read a Flutter project and report what will go wrong with its background work",
		Long: "scan reads a Flutter project's Dart code, pubspec, Info.plist, AppDelegate and\n" +
			"AndroidManifest.xml, reports the problems of its workmanager use (docs/scan.md lists\n" +
			"the rules) and generates a scenario of what its code registers. --run simulates that\n" +
			"scenario over a device matrix and prints a report card.\n\n" +
			"Exit codes: 0 no error findings, 1 error findings, 2 not a Flutter project or unreadable.",
		Example: "  wmsim scan ./my_app\n  wmsim scan ./my_app --format sarif > scan.sarif\n  wmsim scan ./my_app --run",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			return exitCode(scan.Main(env.ctx, args[0], opts, env.stdout, env.stderr))
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json or sarif")
	cmd.Flags().BoolVar(&opts.Run, "run", false, "run the generated scenario over a device matrix and print a report card")
	return cmd
}
