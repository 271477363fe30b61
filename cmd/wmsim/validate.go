package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/scenarios"
)

func newValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE|NAME|- ...",
		Short: "check scenario files without running them",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if len(args) == 0 {
				return usageErrorf("name at least one scenario file")
			}
			code := exitOK
			for _, a := range args {
				sc, err := openScenario(env, a)
				if err != nil {
					fmt.Fprintln(env.stderr, err)
					code = exitInvalid
					continue
				}
				fmt.Fprintf(env.stdout, "%s: ok (%s, %s on %v, %d timeline steps, %d expectations)\n",
					a, sc.Name, scenarios.FormatDuration(sc.Duration), sc.Platform, len(sc.Timeline), len(sc.Expect))
			}
			return exitCode(code)
		},
	}
}

func newSchemaCmd() *cobra.Command {
	var of string
	cmd := &cobra.Command{
		Use:   "schema [--for " + schemaNames() + "]",
		Short: "print the JSON Schema of scenario files or of an output document",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := schemaFor(of)
			if err != nil {
				return err
			}
			envOf(cmd).stdout.Write(b)
			return nil
		},
	}
	cmd.Flags().StringVar(&of, "for", "scenario", "the document: "+schemaNames())
	return cmd
}

func newScenariosCmd() *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "scenarios [--source NAME]",
		Short: "list the built-in scenario library, or print one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			if source != "" {
				src, ok := scenarios.LibrarySource(source)
				if !ok {
					return failf(exitInvalid, "no built-in scenario %q", source)
				}
				env.stdout.Write(src)
				return nil
			}
			for _, e := range scenarios.Library() {
				fmt.Fprintf(env.stdout, "%-32s %-14s %s\n", e.Name, fmt.Sprint(e.Platforms), e.Description)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "print the YAML of this built-in scenario")
	return cmd
}

// readBuildInfo is debug.ReadBuildInfo; tests replace it.
var readBuildInfo = debug.ReadBuildInfo

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print wmsim's module version and source revision",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(envOf(cmd).stdout, versionString())
			return nil
		},
	}
}

// versionString is "wmsim VERSION (revision REV[, modified], TIME) GOVERSION"
// from the build information Go embeds in the binary.
func versionString() string {
	bi, ok := readBuildInfo()
	if !ok {
		return "wmsim (unknown version: built without module information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	out := "wmsim " + v
	if rev != "" {
		out += " (revision " + rev + modified
		if at != "" {
			out += ", " + at
		}
		out += ")"
	} else {
		out += " (revision unknown: built without version control information)"
	}
	return out + " " + bi.GoVersion
}
