package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// signalCause is the cause of a context cancelled by a signal.
type signalCause struct{ sig os.Signal }

func (s signalCause) Error() string { return s.sig.String() + " received" }

// exitCode is 128 + the signal number: 130 for SIGINT, 143 for SIGTERM.
func (s signalCause) exitCode() int {
	if s.sig == syscall.SIGTERM {
		return exitSIGTERM
	}
	return exitSIGINT
}

// notifySignals returns a context cancelled, with a signalCause, by the first
// SIGINT or SIGTERM. The command then stops its simulation, writes nothing
// and exits 130 or 143. A second signal has the default effect (the process
// ends at once), as users expect of a second Ctrl-C.
func notifySignals(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			cancel(signalCause{s})
			signal.Stop(ch)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// signalCode is the exit code of a context cancelled by a signal.
func signalCode(ctx context.Context) (int, bool) {
	var sc signalCause
	if ctx.Err() != nil && errors.As(context.Cause(ctx), &sc) {
		return sc.exitCode(), true
	}
	return 0, false
}
