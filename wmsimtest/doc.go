// Package wmsimtest is wmsim's harness for Go tests, in the style of
// net/http/httptest.
//
// Build a simulated phone with the app on it, call the workmanager plugin's
// API, move the phone around, let virtual time pass, and assert on what ran
// and why. A test imports wmsimtest (and runner or report for a run's limits
// and trace records), never a package under internal/: the types a test names
// (PeriodicOptions, Constraints, TaskContext, …) are re-exported here.
//
//	s := wmsimtest.New(t, wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Profile("office-worker"))
//	s.Workmanager().Initialize()
//	s.Workmanager().RegisterPeriodicTask("sync-1", "sync", wmsimtest.PeriodicOptions{Frequency: wmsimtest.Ptr(time.Hour)})
//	s.RunFor(24 * time.Hour)
//	Expect(s).To(wmsimtest.HaveRun("sync").AtLeast(10).Within(24 * time.Hour))
//
// A Sim is built on runner.NewWorld, so everything a scenario file can
// say has an option (or Configure), a file can be loaded and overridden
// (FromYAML, FromFile, FromLibrary), and Result/JSON give the same result
// document as `wmsim run --format json`.
//
// # Time
//
// Time is virtual and passes only in RunFor, RunUntil, RunTo,
// RunUntilCondition and Run; calls made between them happen at the current
// instant. At and Every schedule Go code at later instants (timeline steps).
// Go task handlers (Handler, Sim.Handle) get a clock.Clock backed by the
// kernel and may sleep on it.
//
// Gomega's Eventually and Consistently poll in real time, while the virtual
// clock stands still between polls: Eventually(s).Should(...) would only
// re-check a frozen simulation. Use instead:
//
//   - "eventually, within virtual D": RunUntilCondition(cond, D), then Expect;
//   - "consistently, for virtual D": Always(desc, cond) and then RunFor(D),
//     which checks cond after every decision the simulation makes;
//   - or simply RunFor(D) and then Expect.
//
// The matchers here notice when Gomega's Eventually or Consistently polls
// them and fail at once with a message naming these equivalents, instead of
// spinning for a second (or passing vacuously). Driving time from inside an
// At step or an Always condition is reported too.
//
// # Assertions
//
// Gomega matchers (HaveRun, HaveMaxGap, HaveFirstRunWithin, HaveFinalState,
// HaveAttempts, HaveNoErrors, HaveRecordedError, HaveMetExpectations) and
// testify helpers (AssertRuns, RequireRuns and friends) judge the run with
// the same rules and evidence texts as a scenario file's expect entries.
// A task name in them selects by uniqueName when a piece of work was
// registered under that uniqueName, and by taskName otherwise.
package wmsimtest
