package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/scan"
)

// newScanCmd is `wmsim scan DIR [--format text|json|sarif] [--run]`: it
// parses the flags and hands over to package scan, whose exit code (0 no
// error findings, 1 error findings, 2 not a Flutter project or unreadable)
// carries as a scanExit error (ExitCode) to the caller.
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
		Args:          cobra.ExactArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			code := scan.Main(cmd.Context(), args[0], opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
			if code != 0 {
				return scanExit(code)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json or sarif")
	cmd.Flags().BoolVar(&opts.Run, "run", false, "run the generated scenario over a device matrix and print a report card")
	return cmd
}

// scanExit carries scan's exit code to the command's caller.
type scanExit int

func (e scanExit) Error() string { return fmt.Sprintf("scan: exit status %d", int(e)) }

// ExitCode is the process exit code.
func (e scanExit) ExitCode() int { return int(e) }
