package sim

import (
	"math"
	"math/bits"
	"slices"
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
// Cancel and Reschedule find it at once. A fleet device has a handful of
// events pending (3 to 9), so up to sortedMax events the slots are kept
// sorted, largest first: the smallest is the last slot, and a pop takes it
// without a scan of the others or a move of any. A new event slides in
// from the end past the events that come before it, a moved one slides to
// its new place, the events after a cancelled one slide up: measured on a
// 20-device, 30-day fleet, a new event comes before 0.8 of the 4.0 events
// pending on Android (0.5 of 2.6 on iOS), a moved one passes 0.4 (0.06)
// and a cancelled one has 0.6 (0.15) after it, so the slides are short.
// Past sortedMax the slots are made a binary min-heap (the container/heap
// priority-queue example, written out rather than built on container/heap
// to avoid the interface calls on the hot path), its smallest in the first
// slot, which stays until a pop or a removal leaves sortedMin or fewer
// events. Events have unique keys (every event has its own insertion
// sequence), so the order they pop in does not depend on the shape: it is
// the order of (time, phase, sequence).
type queue struct {
	s    []slot
	heap bool // s is a binary min-heap; otherwise s is sorted, largest first
}

// sortedMax is the most events the queue keeps sorted; sortedMin the most
// at which a heap goes back to being sorted (apart, so that a queue
// hovering at one size does not rebuild a heap at every other event).
const (
	sortedMax = 12
	sortedMin = 6
)

// A sorted queue (at most sortedMax events) fits a 64-bit set of slots
// (QuietUntilOffset): this fails to compile otherwise.
const _ = uint(63 - sortedMax)

func (q *queue) len() int { return len(q.s) }

// first is the smallest event, or nil.
func (q *queue) first() *queued {
	n := len(q.s)
	if n == 0 {
		return nil
	}
	if q.heap {
		return q.s[0].ev
	}
	return q.s[n-1].ev
}

func (q *queue) push(ev *queued) {
	i := len(q.s)
	x := slot{at: ev.at, key: slotKey(ev.phase, ev.seq), ev: ev}
	if i < cap(q.s) {
		q.s = q.s[:i+1] // reslicing to itself stores only the length
	} else {
		q.s = append(q.s, slot{})
	}
	s := q.s
	if q.heap {
		s[i] = x
		ev.index = i
		minHeap(s).up(i)
		return
	}
	// Slide the new event from the end past the ones that come before it.
	i = slideUp(s, i, &x)
	s[i] = x
	ev.index = i
	if len(s) > sortedMax {
		q.toHeap()
	}
}

// toHeap makes a sorted queue a heap: reversed, its slots are in
// increasing order, which is a min-heap.
func (q *queue) toHeap() {
	s := q.s
	slices.Reverse(s)
	for i := range s {
		s[i].ev.index = i
	}
	q.heap = true
}

// toSorted makes a heap of sortedMin or fewer events a sorted queue.
func (q *queue) toSorted() {
	s := q.s
	for i := 1; i < len(s); i++ {
		x := s[i]
		j := i
		for j > 0 && s[j-1].less(&x) {
			s[j] = s[j-1]
			j--
		}
		s[j] = x
	}
	for i := range s {
		s[i].ev.index = i
	}
	q.heap = false
}

// popMin takes the smallest event out of a queue that is not empty.
func (q *queue) popMin() *queued {
	s := q.s
	n := len(s) - 1
	if !q.heap {
		q.s = s[:n]
		return s[n].ev
	}
	// A heap has more than sortedMin events: the last one sifts down
	// from the root.
	ev := s[0].ev
	s[0] = s[n]
	s[0].ev.index = 0
	q.s = s[:n]
	minHeap(q.s).down(0)
	if n <= sortedMin {
		q.toSorted()
	}
	return ev
}

// remove takes the event in slot i out of the queue.
func (q *queue) remove(i int) *queued {
	if q.heap {
		return q.removeHeap(i)
	}
	// The smaller events after it move up one slot.
	s := q.s
	n := len(s) - 1
	ev := s[i].ev
	for ; i < n; i++ {
		s[i] = s[i+1]
		s[i].ev.index = i
	}
	q.s = s[:n]
	return ev
}

// removeHeap is remove for a heap.
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
	if n <= sortedMin {
		q.toSorted()
	}
	return ev
}

// update copies ev's time and sequence into its slot and restores the
// order. Keys are unique, so a key that shrank can only move towards the
// smallest (a heap's root, a sorted queue's end) and one that grew only
// away from it: the other direction's move would find the slot already in
// place.
func (q *queue) update(ev *queued) {
	i := ev.index
	s := q.s
	was := s[i]
	x := slot{at: ev.at, key: slotKey(ev.phase, ev.seq), ev: ev}
	if q.heap {
		s[i].at, s[i].key = x.at, x.key
		if x.less(&was) {
			minHeap(s).up(i)
		} else {
			minHeap(s).down(i)
		}
		return
	}
	if x.less(&was) {
		for i+1 < len(s) && x.less(&s[i+1]) {
			s[i] = s[i+1]
			s[i].ev.index = i
			i++
		}
	} else {
		i = slideUp(s, i, &x)
	}
	s[i] = x
	ev.index = i
}

// slideUp moves one place up the slots before i whose keys are smaller
// than x's (a sorted queue keeps the largest first) and returns the index
// where x belongs; writing x there is the caller's.
func slideUp(s []slot, i int, x *slot) int {
	for i > 0 && s[i-1].less(x) {
		s[i] = s[i-1]
		s[i].ev.index = i
		i--
	}
	return i
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

// Offset is Sub(t, e.Start()) (toOffset from the start), from the start's
// seconds and nanoseconds worked out once (New) instead of at every call:
// the same arithmetic on the same numbers. TestOffsetMatchesSub compares.
func (e *Engine) Offset(t time.Time) time.Duration {
	if ds := t.Unix() - e.startSec; ds < maxOffsetSec && ds > -maxOffsetSec {
		return time.Duration(ds*int64(time.Second) + int64(t.Nanosecond()) - e.startNsec)
	}
	return t.Sub(e.start)
}

// maxOffsetSec is a bound on whole seconds that keeps ds·1e9 ± 1e9 in an int64.
const maxOffsetSec = math.MaxInt64/int64(time.Second) - 1
