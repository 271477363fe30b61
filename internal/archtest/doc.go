// Package archtest is the module's dependency rules: which of wmsim's packages may
// import which, checked by its test so that no arrow ever points back up the layers.
//
// The layers, lowest first: sim (the kernel) ← device ← osscheduler and its
// platform models ← plugin ← scenarios ← the runners and renderers (fleet, chaos,
// wmsimtest) ← cmd/wmsim. report depends on the kernel's trace alone so that every
// layer above it can render. A package missing from the table fails the test:
// a new package states its place in the layers when it is added.
package archtest
