// Package report is wmsim's result document and its renderers.
//
// It defines the result document (wmsim.result/v1 and wmsim.results/v1) and
// the trace's Record, and renders runs for people and machines:
//
//   - Explain: the story of one task (registration, clamps and warnings, each
//     time it became due, every interval it was held back and by what, each
//     run and its outcome, a one-line summary), or, with Selector.At, the
//     reason in force at one instant, written as `wmsim explain --at`
//     takes it ("19h", "+1d03:00:00", "03:00").
//   - WriteText / WriteTextMulti: the text of `wmsim run`: a compact
//     timeline, the per-task table (runs, successes, retries, failures,
//     stops, median and max delay from eligible to start) and the verdicts.
//   - Compare: the Android and iOS task tables side by side.
//   - WriteChromeTrace: Chrome Trace Event JSON for Perfetto and
//     chrome://tracing, a track per task and per device signal.
//   - WriteJUnit: JUnit XML for CI, a testcase per expectation and per
//     invariant class.
//   - WriteHTML: one self-contained HTML page: a zoomable SVG timeline of
//     every platform on one axis with device lanes, a legend and details on
//     hover or keyboard selection.
//
// The JSON Lines trace is written by the sim package's sink, not here.
//
// Every renderer reads a *Result plus the run's trace ([]Record) and the
// scenario's start (whose location gives clock times; a zero start means the
// result's own Start). Reasons are read from the trace, never re-derived.
// The trace conventions relied on, and what happens to anything else:
//
//   - Source "device", Subject "device", Kind the change ("charger",
//     "network", "screen", "battery.level", "power.off", "boot.completed",
//     "app.…"), fields battery, charger, network, screen_on, app: the state
//     after the change. A value a record did not change, seen for the first
//     time, is taken to have held since the start.
//   - Source "android.doze", Kind "state", field "state"; Source
//     "android.standby", Kind "bucket", field "bucket".
//   - Any other source: Subject is the task's unique name (the identifier on
//     iOS); a subject becomes a task once it has a record of kind registered,
//     enqueued, clamped, deferred, started, finished, stopped, expired,
//     cancelled or rejected. A "deferred" record's Reason is shown verbatim;
//     its class is its "gate" field, or, without one, read from the reason's
//     words (Doze, standby bucket/quota, constraint, usage score, …). A hold
//     lasts from a deferred record to the next started, cancelled or rejected
//     record of the subject, or to a deferral of another class; consecutive
//     deferrals of one class are one hold. Time "not yet due" is not counted
//     as waiting.
//   - Unknown kinds and sources are listed in timelines and stories as they
//     are, and otherwise ignored.
//
// Output is deterministic: no map is iterated into output unsorted, no clock
// is read.
package report
