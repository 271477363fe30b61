//go:build race

package sim

import (
	"runtime"
	"unsafe"
)

// Under the race detector, a process that parks on a channel gives the
// kernel no happens-before edge: the kernel learns of the park from the
// goroutine table, which the detector does not see. So the engine's entry
// points release a per-engine fence, and the kernel acquires it whenever it
// finds a process parked; the engine state a process touched before parking
// is then ordered before the kernel's next reads.
const raceEnabled = true

func (e *Engine) raceRelease() { runtime.RaceReleaseMerge(unsafe.Pointer(&e.raceFence)) }
func (e *Engine) raceAcquire() { runtime.RaceAcquire(unsafe.Pointer(&e.raceFence)) }
