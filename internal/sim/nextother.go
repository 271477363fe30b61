package sim

import (
	"math"
	"time"
)

// QuietUntil is the earliest instant after which something other than t's
// event may happen or be looked at: the next queued event other than t, or
// the instant just past the target of the RunUntil or RunFor call in
// progress (the caller may read any state once it returns), whichever comes
// first. Outside RunUntil and RunFor (Step, RunUntilIdle, RunUntilCondition
// look after every event) it is now. Nothing is scheduled but by a firing
// event, so a model may carry t's event through the steps it would take
// before that instant at once, if nothing but t's own steps reads the state
// they change.
func (e *Engine) QuietUntil(t Timer) time.Time {
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
	q := e.queue
	var best *slot
	switch {
	case len(q) == 0:
	case !t.Pending() || q[0].ev != t.ev:
		best = &q[0]
	default:
		// t is the head: the next event is the smaller of its children.
		if len(q) > 1 {
			best = &q[1]
		}
		if len(q) > 2 && (best == nil || q[2].less(best)) {
			best = &q[2]
		}
	}
	if best != nil && best.at < bound {
		bound = best.at
	}
	at := e.timeAt(bound)
	e.raceRelease()
	return at
}
