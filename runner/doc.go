// Package runner is wmsim's scenario runner: it builds a world from a
// scenario (the kernel, the device, the platform's OS model and the plugin),
// plays the timeline and the app's behaviour on the virtual clock, and
// returns the result document with its expectations evaluated and the
// invariants checked.
//
// The scenario file format itself (types, decoding, validation, schema and
// the built-in library) is package scenarios; runner imports it, never the
// other way round. Run runs every platform of a scenario; NewWorld builds one
// platform's world for callers that drive it step by step (the wmsimtest
// harness, fleets).
package runner
