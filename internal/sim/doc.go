// Package sim is wmsim's discrete-event kernel.
//
// It has virtual time, one event queue ordered by (time, phase, insertion
// sequence), seeded random streams, safety limits, the structured trace, and
// a benbjohnson/clock view of virtual time for code under test.
//
// The kernel runs on a single goroutine. Nothing in it reads the wall clock
// (except the watchdog limit, which only ever stops a run), iterates a map into
// output, or selects over channels, so the same scenario and seed always give
// the same sequence of events.
//
// # Events
//
// Schedule and After queue a Handler at a time and Phase; Cancel and
// Reschedule act on the returned Timer in O(log n). Events at the same instant
// fire by phase (PhaseWorld < PhaseDevice < PhaseOS < PhasePlugin < PhaseApp <
// PhaseCheck), then in the order they were scheduled. Events are pooled; a
// Timer whose event fired or was cancelled is stale and acts on nothing.
// Step, RunUntil, RunFor, RunUntilIdle and RunUntilCondition drive the queue;
// Stop ends a run from inside a handler.
//
// # Limits
//
// Limits (MaxEvents, Horizon, WallClock; DefaultLimits unless WithLimits)
// stop a runaway run with a *LimitError naming the limit, the virtual time,
// the events fired and the next event's label (or the process that never
// yielded). WallClock bounds each Run call.
//
// # Processes and the clock view
//
// Clock returns a clock.Clock answered by the kernel. Go runs user code (a
// task handler) as a process: its own goroutine under a strict hand-off, so
// it may Sleep or wait on the view's channels and contexts in virtual time,
// while exactly one goroutine runs at a time. Kernel-side code that wakes a
// parked process (cancels its context, sends on its channel) should do so
// through Wake or as a handler's last action. See Go, Clock and Wake.
//
// # Randomness
//
// Rand(name) is a PCG stream seeded from hash(seed, name): adding a stream or
// drawing more from one never changes another's draws.
//
// # Trace
//
// Emit sends a Record (source, kind, subject, reason, typed fields) to every
// Sink; with none it returns at once and allocates nothing. Recorder keeps
// records in memory; JSONLSink writes JSON Lines with a fixed key order.
package sim
