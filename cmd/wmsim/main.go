// Command wmsim replays background-work scenarios on simulated Android and iOS
// devices and reports what ran, when, and why.
//
// Exit codes: 0 every expectation held; 1 an expectation failed; 2 the input
// was invalid (nothing simulated); 3 the run hit a safety limit.
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Exit codes (SCENARIO-FORMAT.md).
const (
	exitOK      = 0
	exitExpect  = 1
	exitInvalid = 2
	exitLimit   = 3
)

// command is one subcommand. Each lives in its own file and registers itself
// in init, so subcommands can be added without touching this file.
type command struct {
	name  string
	usage string // one line: "wmsim name [flags] args"
	short string
	run   func(env *cmdEnv, args []string) int
}

// cmdEnv is what a subcommand may touch: its streams and environment, so tests
// run the CLI in-process.
type cmdEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	os.Exit(run(os.Args[1:], &cmdEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

func run(args []string, env *cmdEnv) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.stderr)
		if len(args) == 0 {
			return exitInvalid
		}
		return exitOK
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(env.stderr, "wmsim: unknown command %q\n\n", args[0])
		usage(env.stderr)
		return exitInvalid
	}
	return commands[i].run(env, args[1:])
}

func usage(w io.Writer) {
	cs := slices.Clone(commands)
	slices.SortFunc(cs, func(a, b command) int { return strings.Compare(a.name, b.name) })
	fmt.Fprintln(w, "wmsim simulates how Android and iOS schedule an app's background work.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range cs {
		fmt.Fprintf(w, "  %-60s %s\n", c.usage, c.short)
	}
	fmt.Fprintln(w, "\nExit codes: 0 ok, 1 an expectation failed, 2 invalid input, 3 a safety limit was hit.")
}
