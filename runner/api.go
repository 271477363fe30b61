// This file re-exports the kernel's and the plugin's types that RunOptions
// and Outcome name, so that a caller imports runner, never a package under
// internal/. A trace record is report.Record.

package runner

import (
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/sim"
)

type (
	// Limits stop a runaway simulation (RunOptions.Limits); a zero field
	// means "no limit".
	Limits = sim.Limits
	// LimitError says which limit stopped a run and where the simulation
	// was (Outcome.LimitErr, PlatformRun.LimitErr).
	LimitError = sim.LimitError
	// Sink receives trace records as a run writes them (RunOptions.Sinks).
	// The record is only valid during the call.
	Sink = sim.Sink
	// Handler is a task handler written in Go (RunOptions.Handlers); its
	// context is wmsimtest.TaskContext.
	Handler = plugin.Handler
)

// DefaultLimits are the limits a run has when RunOptions.Limits is nil: a
// year of a busy device, and five minutes of real time.
var DefaultLimits = sim.DefaultLimits
