package sim

import (
	"math"
	"math/bits"
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
	gen   uint64 // counts the times the entry left the queue (Engine.release)
	index int    // its slot in the queue, while queued
	h     Handler
	label string
}

// Timer identifies a scheduled event so it can be cancelled or moved. The zero
// Timer refers to nothing.
type Timer struct {
	ev  *queued
	gen uint64
}

// Pending reports whether the event is still queued. An entry's gen moves
// on the moment it leaves the queue, fired or cancelled, so a Timer of the
// same gen names an event still queued.
func (t Timer) Pending() bool { return t.ev != nil && t.ev.gen == t.gen }

// slot is one queue entry: the event's ordering key is kept inline, so the
// queue compares without following a pointer per comparison (sifting was a
// tenth of a fleet's instructions when the heap held bare pointers).
type slot struct {
	at  int64  // the event's time, never negative (the clock starts at 0 and only moves on)
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

// lessBit is less as 1 or 0, without a branch: it compares (at, key) as one
// 128-bit unsigned number, the borrow of a subtraction (times are never
// negative, so comparing them unsigned is exact). It is for the comparisons
// whose outcome is a coin toss to the branch predictor, as which of two
// children is smaller.
func (a *slot) lessBit(b *slot) uint64 {
	_, c := bits.Sub64(a.key, b.key, 0)
	_, c = bits.Sub64(uint64(a.at), uint64(b.at), c)
	return c
}

// queue holds the pending events: every event's index names its slot, so
// Cancel and Reschedule find it at once. Its first slot always holds the
// smallest event. A fleet device has a handful of events pending (3 to 9),
// so up to flatMax events the other slots are in no order and each change
// is a few branch-free comparisons: a pop scans the rest for the next
// smallest, a push or a key that shrank swaps with the first slot if it is
// smaller, a key of the first slot that grew rescans. Past flatMax the
// slots are made a binary min-heap (the container/heap priority-queue
// example, written out rather than built on container/heap to avoid the
// interface calls on the hot path), which stays until a pop or a removal
// leaves flatMin or fewer events; a heap's first slot is its smallest, so
// it is a valid flat queue as it stands. Events have unique keys (every
// event has its own insertion sequence), so the order they pop in does not
// depend on the shape: it is the order of (time, phase, sequence).
type queue struct {
	s    []slot
	heap bool // s is a binary min-heap; otherwise s[0] is the smallest and s[1:] unordered
}

// flatMax is the most events the queue keeps unordered; flatMin the most at
// which a heap goes back to being flat (apart, so that a queue hovering at
// one size does not rebuild a heap at every other event). Measured with
// BenchmarkKernel under callgrind: at 8 events the flat queue takes as many
// instructions per event as the heap and no conditional mispredict against
// 2.7; at 16 and more the heap's log n wins.
const (
	flatMax = 12
	flatMin = 6
)

// A flat queue (at most flatMax+1 events) fits a 64-bit set of slots
// (QuietUntilOffset): this fails to compile otherwise.
const _ = uint(63 - flatMax - 1)

func (q *queue) len() int { return len(q.s) }

// first is the smallest event, or nil.
func (q *queue) first() *queued {
	if len(q.s) == 0 {
		return nil
	}
	return q.s[0].ev
}

func (q *queue) push(ev *queued) {
	i := len(q.s)
	ev.index = i
	q.s = append(q.s, slot{at: ev.at, key: slotKey(ev.phase, ev.seq), ev: ev})
	if q.heap {
		minHeap(q.s).up(i)
		return
	}
	if i > 0 {
		// Whether the new event comes first is a coin toss: the swap is
		// made either way, with itself (slot 0) when it does not.
		j := i & -int(q.s[i].lessBit(&q.s[0]))
		q.swapFirst(j)
	}
	if i >= flatMax {
		h := minHeap(q.s)
		for j := len(h)/2 - 1; j >= 0; j-- {
			h.down(j)
		}
		q.heap = true
	}
}

// swapFirst exchanges slot i with the first.
func (q *queue) swapFirst(i int) {
	s := q.s
	s[0], s[i] = s[i], s[0]
	s[0].ev.index = 0
	s[i].ev.index = i
}

// popMin takes the first (smallest) event out of a queue that is not empty.
func (q *queue) popMin() *queued {
	s := q.s
	n := len(s) - 1
	ev := s[0].ev
	if q.heap {
		// A heap has more than flatMin events: the last one sifts down
		// from the root.
		s[0] = s[n]
		s[0].ev.index = 0
		q.s = s[:n]
		minHeap(q.s).down(0)
		if n <= flatMin {
			q.heap = false
		}
		return ev
	}
	if n == 0 {
		q.s = s[:0]
		return ev
	}
	// The smallest of the others comes first, the last fills its place:
	// when the smallest is the last, its index is set twice, 0 last.
	m := minFrom(s[:n+1], 1)
	x := s[m]
	s[m] = s[n]
	s[m].ev.index = m
	s[0] = x
	x.ev.index = 0
	q.s = s[:n]
	return ev
}

// remove takes the event in slot i out of the queue.
func (q *queue) remove(i int) *queued {
	if q.heap {
		return q.removeHeap(i)
	}
	if i == 0 {
		return q.popMin()
	}
	// The last slot fills the hole (itself, if it is the hole).
	s := q.s
	n := len(s) - 1
	ev := s[i].ev
	s[i] = s[n]
	s[i].ev.index = i
	q.s = s[:n]
	return ev
}

// removeHeap is remove for a heap (or a queue of one event).
func (q *queue) removeHeap(i int) *queued {
	s := q.s
	n := len(s) - 1
	ev := s[i].ev
	if i != n {
		s[i] = s[n]
		s[i].ev.index = i
	}
	q.s = s[:n]
	if i != n {
		minHeap(q.s).fix(i)
	}
	if n <= flatMin {
		q.heap = false
	}
	return ev
}

// minFrom is the index of the smallest slot of s[i0:], i0 < len(s), found
// without a branch on a comparison.
func minFrom(s []slot, i0 int) int {
	m := i0
	mat, mkey := uint64(s[i0].at), s[i0].key
	for i := i0 + 1; i < len(s); i++ {
		at, key := uint64(s[i].at), s[i].key
		_, c := bits.Sub64(key, mkey, 0)
		_, c = bits.Sub64(at, mat, c)
		if c != 0 {
			m, mat, mkey = i, at, key
		}
	}
	return m
}

// update copies ev's time and sequence into its slot and restores the
// order. Keys are unique, so in a heap a key that grew can only move down
// and one that shrank only up: the other direction's sift would find the
// slot already in place.
func (q *queue) update(ev *queued) {
	i := ev.index
	s := q.s
	p := &s[i]
	was := *p
	p.at, p.key = ev.at, slotKey(ev.phase, ev.seq)
	switch {
	case q.heap:
		if p.less(&was) {
			minHeap(s).up(i)
		} else {
			minHeap(s).down(i)
		}
	case i != 0:
		if p.less(&s[0]) {
			q.swapFirst(i)
		}
	case len(s) > 1 && was.less(p): // the first slot's key grew
		if m := minFrom(s, 1); s[m].less(p) {
			q.swapFirst(m)
		}
	}
}

// minHeap is the queue's slots as a binary min-heap.
type minHeap []slot

func (q minHeap) fix(i int) {
	if !q.down(i) {
		q.up(i)
	}
}

// up sifts slot j towards the root. A slot that is not smaller than its
// parent is left where it is, untouched (its event's index is already j):
// the usual case for a new event, whose sequence is the largest.
func (q minHeap) up(j int) {
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
func (q minHeap) down(i0 int) bool {
	n := len(q)
	if i0 < 0 || i0 >= n {
		return false
	}
	l := 2*i0 + 1
	if l >= n || l < 0 {
		return false
	}
	j := l
	if r := l + 1; r < n {
		j += int(q[r].lessBit(&q[l])) // the smaller child, without a branch on it
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
		if r := l + 1; r < n {
			j += int(q[r].lessBit(&q[l]))
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
