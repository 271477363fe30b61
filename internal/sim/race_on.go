//go:build race

package sim

import (
	"runtime"
	"unsafe"
)

// The race detector and channel waits.
//
// A process that parks on a channel gives the kernel no happens-before edge
// the detector can see: the kernel learns of the park from the goroutine
// table. So, in -race builds only, the engine's entry points that a process
// may call (Now, Elapsed, Schedule, After, Cancel, Emit, Rand, …) release a
// per-engine fence after their access, and the kernel acquires it each time
// it reads the goroutine table; the clock view reads timer state under the
// clock.Mock's own lock. Engine state a process touched before parking is
// then ordered before the kernel's next accesses.
//
// State of the user's own that a process and kernel-side code share across a
// channel wait is not covered: synchronize it (a mutex) or the detector may
// report it. Processes that wait with Sleep need nothing: Sleep is a real
// channel hand-off.
const raceEnabled = true

func (e *Engine) raceRelease() { runtime.RaceReleaseMerge(unsafe.Pointer(&e.raceFence)) }
func (e *Engine) raceAcquire() { runtime.RaceAcquire(unsafe.Pointer(&e.raceFence)) }
