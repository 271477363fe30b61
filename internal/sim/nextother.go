package sim

import (
	"math"
	"math/bits"
	"time"
)

// QuietUntil is the earliest instant after which something other than the
// given timers' events may happen or be looked at: the next queued event
// that is none of them, or the instant just past the target of the RunUntil
// or RunFor call in progress (the caller may read any state once it
// returns), whichever comes first. Outside RunUntil and RunFor (Step,
// RunUntilIdle, RunUntilCondition look after every event) it is now.
// Nothing is scheduled but by a firing event, so a model may carry its own
// timer's event through the steps it would take before that instant at
// once, if nothing but those steps reads the state they change; a further
// timer may be left aside when its owner vouches that its event reads and
// disturbs none of it.
func (e *Engine) QuietUntil(ts ...Timer) time.Time {
	return e.timeAt(e.QuietUntilOffset(ts...))
}

// QuietUntilOffset is QuietUntil as an offset from Start (what Elapsed
// counts), for a model that works in offsets: it spares building the
// time.Time and converting it back.
func (e *Engine) QuietUntilOffset(ts ...Timer) int64 {
	if e.view != nil && e.view.mock != nil {
		e.view.arm()
	}
	e.raceAcquire()
	bound := e.now
	if e.runTarget > e.now {
		bound = e.runTarget
		if bound < math.MaxInt64 {
			bound++
		}
	}
	q := e.queue.s
	best := -1
	switch {
	case len(q) == 0:
	case e.queue.heap:
		best = 0
		if excluded(q[0].ev, ts) {
			best = nextExcluding(q, ts)
		}
	default:
		// A sorted queue has fewer than 64 slots: the ones left aside
		// are a bit set, a pending timer's event being in the slot its
		// index names. The smallest of the others is the last slot
		// whose bit is clear (-1: none).
		var aside uint64
		for _, t := range ts {
			if t.Pending() {
				aside |= 1 << uint(t.ev.index)
			}
		}
		best = bits.Len64(^aside&(1<<uint(len(q))-1)) - 1
	}
	if best >= 0 && q[best].at < bound {
		bound = q[best].at
	}
	e.raceRelease()
	return bound
}

// nextExcluding is the index of the smallest slot of q that is none of ts
// (-1: none), q's head being one of them: below a left-aside slot its
// children may be next; below any other, nothing is smaller.
func nextExcluding(q minHeap, ts []Timer) int {
	var stack [16]int
	stack[0], stack[1] = 1, 2
	n, best := 2, -1
	for n > 0 {
		n--
		i := stack[n]
		if i >= len(q) {
			continue
		}
		if excluded(q[i].ev, ts) && n+2 <= len(stack) {
			stack[n], stack[n+1] = 2*i+1, 2*i+2
			n += 2
			continue
		}
		if best < 0 || q[i].less(&q[best]) {
			best = i
		}
	}
	return best
}

func excluded(ev *queued, ts []Timer) bool {
	for _, t := range ts {
		if t.Pending() && t.ev == ev {
			return true
		}
	}
	return false
}
