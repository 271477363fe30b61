// Command wmsim replays background-work scenarios on simulated Android and iOS
// devices and reports what ran, when, and why.
//
// Exit codes, the same in every command: 0 ok; 1 an expectation failed (run,
// compare, fleet, merge; chaos: a generated world broke a rule); 2 the input
// or the command line was invalid (nothing simulated); 3 a safety limit was
// hit (--max-events, --wall-limit, the byte and record caps); 4 an internal
// error (a bug: please report it with the scenario); 130/143 interrupted by
// SIGINT/SIGTERM (nothing written).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes (docs/errors.md).
const (
	exitOK       = 0
	exitExpect   = 1
	exitInvalid  = 2
	exitLimit    = 3
	exitInternal = 4
	exitSIGINT   = 130 // 128 + SIGINT
	exitSIGTERM  = 143 // 128 + SIGTERM
)

// commands are the constructors of wmsim's subcommands. Adding a command is
// one line here: a func() *cobra.Command whose RunE reads its streams with
// envOf(cmd) and returns nil, an *exitError, or a plain error (exit 2).
var commands = []func() *cobra.Command{
	newRunCmd,
	newValidateCmd,
	newExplainCmd,
	newCompareCmd,
	newFleetCmd,
	newMergeCmd,
	newChaosCmd,
	newDeviceCmd,
	newScanCmd,
	newScenariosCmd,
	newSchemaCmd,
	newVersionCmd,
}

// cmdEnv is what a subcommand may touch: its streams, environment and
// context (cancelled by SIGINT/SIGTERM), so tests run the CLI in-process.
type cmdEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	ctx            context.Context
}

type envKey struct{}

// envOf is the environment run gave the command.
func envOf(cmd *cobra.Command) *cmdEnv {
	if env, ok := cmd.Context().Value(envKey{}).(*cmdEnv); ok {
		return env
	}
	return &cmdEnv{stdin: cmd.InOrStdin(), stdout: cmd.OutOrStdout(), stderr: cmd.ErrOrStderr(), getenv: os.Getenv, ctx: cmd.Context()}
}

// exitError ends a command with an exit code. Its error, if any, is printed
// as "wmsim CMD: error"; a nil err means the command printed what it had to.
type exitError struct {
	code  int
	err   error
	usage bool // a command-line mistake: point at --help
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode ends a command with code, the message already printed.
func exitCode(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// failf ends a command with code and the message.
func failf(code int, format string, a ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, a...)}
}

// usageErrorf is a command-line mistake (exit 2).
func usageErrorf(format string, a ...any) error {
	return &exitError{code: exitInvalid, err: fmt.Errorf(format, a...), usage: true}
}

func main() {
	ctx, stop := notifySignals(context.Background())
	code := run(os.Args[1:], &cmdEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, ctx: ctx})
	stop()
	os.Exit(code)
}

// newRootCmd builds the wmsim command with every subcommand.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "wmsim",
		Short: "wmsim simulates how Android and iOS schedule an app's background work.",
		Long: "wmsim simulates how Android and iOS schedule an app's background work:\n" +
			"it replays a scenario (built-in or a YAML file) on a virtual clock and reports what ran, when, and why.",
		Example: "  wmsim run hourly-sync-survives-doze\n  wmsim run my-scenario.yaml --format json\n  wmsim help run",
		// No args: print the help and exit 2 (a usage mistake).
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(cmd.ErrOrStderr())
			_ = cmd.Help()
			return &exitError{code: exitInvalid}
		},
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitInvalid, err: err, usage: true}
	})
	for _, c := range commands {
		root.AddCommand(c())
	}
	// cobra's completion command prints its help and exits 0 for an unknown
	// shell; here that is a usage mistake like any other.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				return usageErrorf("name a shell: bash, zsh, fish or powershell")
			}
		}
	}
	// cobra's help command exits 0 for an unknown topic; here it is exit 2.
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, _, err := c.Root().Find(args)
			if err != nil || cmd == nil {
				return usageErrorf("unknown help topic %q", strings.Join(args, " "))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	})
	root.SetHelpTemplate(root.HelpTemplate() + exitCodesHelp)
	return root
}

const exitCodesHelp = `
Exit codes: 0 ok, 1 an expectation failed, 2 invalid input or usage,
3 a safety limit was hit, 4 internal error (a bug: please report it),
130/143 interrupted by SIGINT/SIGTERM.
`

// run executes the command line and returns the exit code. A panic anywhere
// on the command's goroutine is an internal error (exit 4).
func run(args []string, env *cmdEnv) (code int) {
	if env.stdin == nil {
		env.stdin = strings.NewReader("")
	}
	if env.getenv == nil {
		env.getenv = func(string) string { return "" }
	}
	if env.ctx == nil {
		env.ctx = context.Background()
	}
	defer func() {
		if r := recover(); r != nil {
			code = internalError(env.stderr, r, debug.Stack())
		}
	}()
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	cmd, err := root.ExecuteContextC(context.WithValue(env.ctx, envKey{}, env))
	if code, ok := signalCode(env.ctx); ok {
		fmt.Fprintf(env.stderr, "wmsim: %v: stopped; nothing was written\n", context.Cause(env.ctx))
		return code
	}
	if err == nil {
		return exitOK
	}
	name := "wmsim"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// cobra's own errors (unknown command, wrong number of arguments)
		// and plain errors from a command are command-line mistakes.
		ee = &exitError{code: exitInvalid, err: err, usage: true}
	}
	if ee.err != nil {
		fmt.Fprintf(env.stderr, "%s: %v\n", name, ee.err)
	}
	if ee.usage {
		fmt.Fprintf(env.stderr, "Run '%s --help' for usage.\n", name)
	}
	return ee.code
}

// internalError reports a recovered panic: a wmsim bug.
func internalError(w io.Writer, r any, stack []byte) int {
	fmt.Fprintf(w, "wmsim: internal error: %v\n\n%s\n", r, stack)
	fmt.Fprintln(w, "This is a bug in wmsim: please report it at https://github.com/wmsim/wmsim/issues")
	fmt.Fprintln(w, "with the command line and the scenario file (or its name) that caused it.")
	return exitInternal
}
