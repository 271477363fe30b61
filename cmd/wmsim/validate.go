package main

import (
	"fmt"

	"github.com/wmsim/wmsim/scenarios"
)

func init() {
	register(command{
		name:  "validate",
		usage: "wmsim validate FILE|NAME...",
		short: "check scenario files without running them",
		run:   runValidate,
	})
	register(command{
		name:  "schema",
		usage: "wmsim schema",
		short: "print the JSON Schema of scenario files",
		run: func(env *cmdEnv, args []string) int {
			if len(args) > 0 {
				fmt.Fprintln(env.stderr, "wmsim schema: takes no arguments")
				return exitInvalid
			}
			env.stdout.Write(scenarios.Schema())
			return exitOK
		},
	})
	register(command{
		name:  "scenarios",
		usage: "wmsim scenarios [--source NAME]",
		short: "list the built-in scenario library, or print one",
		run:   runScenarios,
	})
}

func runValidate(env *cmdEnv, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.stderr, "wmsim validate: name at least one scenario file")
		return exitInvalid
	}
	code := exitOK
	for _, a := range args {
		sc, err := scenarios.Open(a)
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			code = exitInvalid
			continue
		}
		fmt.Fprintf(env.stdout, "%s: ok (%s, %s on %v, %d timeline steps, %d expectations)\n",
			a, sc.Name, scenarios.FormatDuration(sc.Duration), sc.Platform, len(sc.Timeline), len(sc.Expect))
	}
	return code
}

func runScenarios(env *cmdEnv, args []string) int {
	if len(args) == 2 && (args[0] == "--source" || args[0] == "-source") {
		src, ok := scenarios.LibrarySource(args[1])
		if !ok {
			fmt.Fprintf(env.stderr, "wmsim scenarios: no built-in scenario %q\n", args[1])
			return exitInvalid
		}
		env.stdout.Write(src)
		return exitOK
	}
	if len(args) > 0 {
		fmt.Fprintln(env.stderr, "usage: wmsim scenarios [--source NAME]")
		return exitInvalid
	}
	for _, e := range scenarios.Library() {
		fmt.Fprintf(env.stdout, "%-32s %-14s %s\n", e.Name, fmt.Sprint(e.Platforms), e.Description)
	}
	return exitOK
}
