// Package archtest is the module's architecture tests.
//
// Its tests check which of wmsim's packages may import which, so that no
// arrow ever points back up the layers; that the trace vocabulary is used
// through package event's constants; and that the code users copy (examples/,
// the public packages' Example functions, the documents' Go blocks) imports
// no package under internal/.
//
// The layers, lowest first: internal/sim (the kernel) ← internal/device ←
// internal/osscheduler and its platform models ← internal/plugin ← scenarios
// (the file format) ← runner ← the fleet, chaos and compare runners and the
// wmsimtest harness ← cmd/wmsim. report depends on the kernel's trace alone
// so that every layer above it can render. A package missing from the table
// fails the test: a new package states its place in the layers when it is
// added.
package archtest
