// Package chaos is wmsim's deterministic-simulation tester, after
// FoundationDB's simulation testing and TigerBeetle's VOPR.
//
// It generates random worlds from a seed (device timelines, app lifecycle
// events, Doze steps, reboots, and plugin call sequences — valid and invalid —
// on both platforms and both plugin versions), runs them through the real
// loader and runner, and checks invariants beyond the runner's own:
// conservation, registration before run, no run after cancel, time
// monotonicity, the Android 15-minute floor and backoff bounds, iOS budgets
// and pending limits, persistence across reboots, and byte-identical
// determinism across GOMAXPROCS. A failing world is shrunk by dropping
// timeline steps and expectations while the same check still fails, and
// printed as a scenario file that `wmsim run` reproduces.
//
// Every generated scenario is YAML text: a failure is always a file.
package chaos
