// Package sim is wmsim's discrete-event kernel: virtual time, one event queue
// ordered by (time, phase, insertion sequence), seeded random streams, safety
// limits, the structured trace, and a benbjohnson/clock view of virtual time for
// code under test.
//
// The kernel runs on a single goroutine. Nothing in it reads the wall clock
// (except the watchdog limit, which only ever stops a run), iterates a map into
// output, or selects over channels, so the same scenario and seed always give
// the same sequence of events.
package sim
