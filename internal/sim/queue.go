package sim

import (
	"math"
	"time"
)

// Phase orders events that fall on the same instant. Lower phases run first, so
// a device change at time T is applied before the OS schedulers evaluate at T,
// and both happen before the app's own steps at T.
type Phase uint8

// The phases used by wmsim's layers. Gaps leave room for new layers without
// renumbering.
const (
	PhaseWorld  Phase = 10 // scenario timeline steps that change the world (device, app lifecycle)
	PhaseDevice Phase = 20 // device physics: thresholds crossed, sessions ending
	PhaseOS     Phase = 30 // OS policy: Doze steps, scheduler evaluations, job starts
	PhasePlugin Phase = 40 // plugin work: engine start, dispatcher hand-off, results
	PhaseApp    Phase = 50 // app code resuming (handlers that slept), app calls
	PhaseCheck  Phase = 90 // invariant and expectation probes: see everything else first
)

// Handler is the work an event does when it fires. A handler may schedule and
// cancel other events; it must not block.
type Handler interface {
	Fire(e *Engine)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(e *Engine)

// Fire calls f(e).
func (f HandlerFunc) Fire(e *Engine) { f(e) }

// queued is one queue entry (an event). Entries are pooled: after an event fires or is
// cancelled its struct is reused, and gen tells a stale Timer from a live one.
type queued struct {
	at    int64 // nanoseconds since the engine's start
	phase Phase
	seq   uint64
	gen   uint64
	index int // position in the heap, -1 when not queued
	h     Handler
	label string
}

// Timer identifies a scheduled event so it can be cancelled or moved. The zero
// Timer refers to nothing.
type Timer struct {
	ev  *queued
	gen uint64
}

// Pending reports whether the event is still queued.
func (t Timer) Pending() bool { return t.ev != nil && t.ev.gen == t.gen && t.ev.index >= 0 }

// slot is one heap entry: the event's ordering key is kept inline, so the
// heap compares without following a pointer per comparison (sifting was a
// tenth of a fleet's instructions when the heap held bare pointers).
type slot struct {
	at  int64  // the event's time
	key uint64 // phase in the top byte, insertion sequence below it
	ev  *queued
}

// seqBits is how many low bits of a slot key hold the insertion sequence:
// 2^56 events is beyond any run (the default event limit is 10^8).
const seqBits = 56

func slotKey(phase Phase, seq uint64) uint64 { return uint64(phase)<<seqBits | seq&(1<<seqBits-1) }

// less orders by time, then phase, then insertion: the same order as
// comparing (at, phase, seq) field by field.
func (a *slot) less(b *slot) bool {
	return a.at < b.at || a.at == b.at && a.key < b.key
}

// queue is a binary min-heap of events that keeps each event's index current,
// as in the container/heap priority-queue example, so Cancel and Reschedule are
// O(log n). It is written out rather than built on container/heap to avoid the
// interface calls on the hot path.
type queue []slot

func (q *queue) push(ev *queued) {
	ev.index = len(*q)
	*q = append(*q, slot{at: ev.at, key: slotKey(ev.phase, ev.seq), ev: ev})
	q.up(ev.index)
}

func (q *queue) popMin() *queued {
	old := *q
	n := len(old) - 1
	ev := old[0].ev
	old[0] = old[n]
	old[0].ev.index = 0
	old[n] = slot{}
	*q = old[:n]
	if n > 0 {
		q.down(0)
	}
	ev.index = -1
	return ev
}

func (q *queue) remove(i int) *queued {
	old := *q
	n := len(old) - 1
	ev := old[i].ev
	if i != n {
		old[i] = old[n]
		old[i].ev.index = i
	}
	old[n] = slot{}
	*q = old[:n]
	if i != n {
		q.fix(i)
	}
	ev.index = -1
	return ev
}

// update copies ev's time and sequence into its slot and restores the heap.
// Keys are unique (every event has its own insertion sequence), so a key
// that grew can only move down and one that shrank only up: the other
// direction's sift would find the slot already in place.
func (q queue) update(ev *queued) {
	i := ev.index
	s := &q[i]
	was := *s
	s.at, s.key = ev.at, slotKey(ev.phase, ev.seq)
	if s.less(&was) {
		q.up(i)
	} else {
		q.down(i)
	}
}

func (q queue) fix(i int) {
	if !q.down(i) {
		q.up(i)
	}
}

// up sifts slot j towards the root. A slot that is not smaller than its
// parent is left where it is, untouched (its event's index is already j):
// the usual case for a new event, whose sequence is the largest.
func (q queue) up(j int) {
	if j <= 0 || j >= len(q) {
		return
	}
	i := int(uint(j-1) >> 1) // the parent
	if !q[j].less(&q[i]) {
		return
	}
	x := q[j]
	for {
		q[j] = q[i]
		q[j].ev.index = j
		j = i
		if j == 0 {
			break
		}
		i = int(uint(j-1) >> 1)
		if !x.less(&q[i]) {
			break
		}
	}
	q[j] = x
	x.ev.index = j
}

// down sifts slot i0 towards the leaves and reports whether it moved. A
// leaf, or a slot not larger than its smaller child, is left untouched.
func (q queue) down(i0 int) bool {
	n := len(q)
	if i0 < 0 || i0 >= n {
		return false
	}
	l := 2*i0 + 1
	if l >= n || l < 0 {
		return false
	}
	j := l
	if r := l + 1; r < n && q[r].less(&q[l]) {
		j = r
	}
	if !q[j].less(&q[i0]) {
		return false
	}
	i := i0
	x := q[i]
	for {
		q[i] = q[j]
		q[i].ev.index = i
		i = j
		l = 2*i + 1
		if l >= n || l < 0 {
			break
		}
		j = l
		if r := l + 1; r < n && q[r].less(&q[l]) {
			j = r
		}
		if !q[j].less(&x) {
			break
		}
	}
	q[i] = x
	x.ev.index = i
	return true
}

// toOffset converts an absolute time to the engine's nanosecond offset:
// t.Sub(start), saturating alike. Sub checks for overflow with an Add and an
// Equal, a third of a fleet's scheduling cost; whole seconds apart by less
// than maxOffsetSec cannot overflow, so those take the direct sum.
func toOffset(start, t time.Time) int64 {
	if ds := t.Unix() - start.Unix(); ds < maxOffsetSec && ds > -maxOffsetSec {
		return ds*int64(time.Second) + int64(t.Nanosecond()-start.Nanosecond())
	}
	return int64(t.Sub(start))
}

// Sub is t.Sub(u), saturation included, for virtual times (which carry no
// monotonic clock reading): several times cheaper than time.Time.Sub, which
// the OS models call at every event.
func Sub(t, u time.Time) time.Duration { return time.Duration(toOffset(u, t)) }

// maxOffsetSec is a bound on whole seconds that keeps ds·1e9 ± 1e9 in an int64.
const maxOffsetSec = math.MaxInt64/int64(time.Second) - 1
