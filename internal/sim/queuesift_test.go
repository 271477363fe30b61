package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// refLess is the order events must fire in, field by field: time, then
// phase, then insertion sequence.
func refLess(a, b *queued) bool {
	return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.phase, b.phase), cmp.Compare(a.seq, b.seq)) < 0
}

// checkQueue verifies the queue's invariants: every event's index names its
// slot and the slot holds its key; a heap is a binary min-heap; a sorted
// queue is in decreasing order; the shape is the one its size asks for.
func checkQueue(t *testing.T, q *queue, where string) {
	t.Helper()
	s := q.s
	for i := range s {
		if s[i].ev.index != i {
			t.Fatalf("%s: slot %d's event has index %d", where, i, s[i].ev.index)
		}
		if s[i].at != s[i].ev.at || s[i].key != slotKey(s[i].ev.phase, s[i].ev.seq) {
			t.Fatalf("%s: slot %d's key is not its event's", where, i)
		}
		if q.heap && i > 0 && s[i].less(&s[(i-1)/2]) {
			t.Fatalf("%s: heap slot %d is smaller than its parent", where, i)
		}
		if !q.heap && i > 0 && s[i-1].less(&s[i]) {
			t.Fatalf("%s: sorted slot %d is larger than the one before it", where, i)
		}
	}
	if q.heap && len(s) <= sortedMin || !q.heap && len(s) > sortedMax {
		t.Fatalf("%s: %d events in a queue with heap=%v", where, len(s), q.heap)
	}
}

// TestQueuePopsInKeyOrder runs random pushes, pops, removals and key
// changes (a new time and sequence as Reschedule gives, a new sequence only
// as Requeue gives, an older sequence as ScheduleReserved gives) on the
// queue, its size swinging between empty and well past sortedMax so that it
// turns into a heap and back many times. After every operation the queue's
// smallest event must be the reference's (the live events ordered field by
// field), and every pop must return it.
func TestQueuePopsInKeyOrder(t *testing.T) {
	heaps := 0
	for seed := uint64(1); seed <= 60; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		var q queue
		var live []*queued
		var seq uint64
		var reserved []uint64 // sequences taken and not used yet (ReserveSeq)
		// Few distinct times and phases, so that ties on time and on
		// phase are common and the sequence decides.
		span := 1 + r.IntN(40)
		grow := true
		wasHeap := false
		for op := 0; op < 6000; op++ {
			if n := len(live); n == 0 || n > 3*sortedMax && r.IntN(4) == 0 {
				grow = n == 0
			} else if r.IntN(60) == 0 {
				grow = !grow
			}
			push := 4
			if !grow {
				push = 2
			}
			k := r.IntN(10)
			switch {
			case k < push || len(live) == 0:
				seq++
				ev := &queued{at: int64(r.IntN(span)), phase: Phase(10 * (1 + r.IntN(5))), seq: seq}
				q.push(ev)
				live = append(live, ev)
				if r.IntN(4) == 0 {
					seq++
					reserved = append(reserved, seq)
				}
			case k < 6: // pop
				want := slices.MinFunc(live, func(a, b *queued) int {
					if refLess(a, b) {
						return -1
					}
					return 1
				})
				if got := q.popMin(); got != want {
					t.Fatalf("seed %d op %d: popped (%d,%d,%d), the reference's next is (%d,%d,%d)",
						seed, op, got.at, got.phase, got.seq, want.at, want.phase, want.seq)
				}
				live = slices.DeleteFunc(live, func(ev *queued) bool { return ev == want })
			case k < 7: // remove (Cancel)
				ev := live[r.IntN(len(live))]
				if got := q.remove(ev.index); got != ev {
					t.Fatalf("seed %d op %d: remove returned another event", seed, op)
				}
				live = slices.DeleteFunc(live, func(x *queued) bool { return x == ev })
			default:
				ev := live[r.IntN(len(live))]
				switch k {
				case 7: // Reschedule: new time and sequence
					seq++
					ev.at, ev.seq = int64(r.IntN(span)), seq
				case 8: // Requeue: new sequence
					seq++
					ev.seq = seq
				default: // ScheduleReserved: a sequence taken earlier
					if len(reserved) == 0 {
						seq++
						reserved = append(reserved, seq)
					}
					j := r.IntN(len(reserved))
					ev.seq = reserved[j]
					reserved = slices.Delete(reserved, j, j+1)
				}
				q.update(ev)
			}
			where := fmt.Sprintf("seed %d op %d", seed, op)
			checkQueue(t, &q, where)
			if q.len() != len(live) {
				t.Fatalf("%s: %d events, reference %d", where, q.len(), len(live))
			}
			if len(live) > 0 {
				for _, ev := range live {
					if ev != q.first() && refLess(ev, q.first()) {
						t.Fatalf("%s: the first event is not the smallest", where)
					}
				}
			}
			if q.heap && !wasHeap {
				heaps++
			}
			wasHeap = q.heap
		}
	}
	if heaps < 100 {
		t.Fatalf("the queue became a heap only %d times: the sizes do not exercise both shapes", heaps)
	}
}

// TestEngineFiresInKeyOrder drives the engine itself: random Schedule,
// After, Cancel, Reschedule, RescheduleAfter, Requeue and ScheduleReserved
// calls from inside firing events, with the pending count swinging past
// the queue's shape threshold. A reference model numbers sequences as the
// engine documents (one per schedule, reschedule, requeue and reserve) and
// must predict the (time, phase, sequence) of every event that fires.
func TestEngineFiresInKeyOrder(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type refEv struct {
		at    int64
		phase Phase
		seq   uint64
		tm    Timer
	}
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		e := New(start, seed, WithLimits(Limits{}))
		var live []*refEv
		var seq uint64
		fired := 0
		var h Handler
		target := 3 * sortedMax
		add := func(ev *refEv, at time.Duration, phase Phase) {
			seq++
			ev.at, ev.phase, ev.seq = e.now+int64(at), phase, seq
			ev.tm = e.After(at, phase, "ev", h)
			live = append(live, ev)
		}
		h = HandlerFunc(func(e *Engine) {
			// The event that fires must be the reference's smallest.
			p, s, _ := e.Firing()
			best := 0
			for i, ev := range live {
				if cmp.Or(cmp.Compare(ev.at, live[best].at), cmp.Compare(ev.phase, live[best].phase), cmp.Compare(ev.seq, live[best].seq)) < 0 {
					best = i
				}
			}
			want := live[best]
			if want.at != e.now || want.phase != p || want.seq != s {
				t.Fatalf("seed %d event %d: fired (%d,%d,%d), the reference's next is (%d,%d,%d)",
					seed, fired, e.now, p, s, want.at, want.phase, want.seq)
			}
			live = append(live[:best], live[best+1:]...)
			fired++
			if fired%500 == 0 {
				target = 1 + r.IntN(4*sortedMax)
			}
			for range 1 + r.IntN(3) {
				if len(live) > 0 {
					ev := live[r.IntN(len(live))]
					switch r.IntN(6) {
					case 0:
						if !e.Cancel(ev.tm) {
							t.Fatal("Cancel of a pending event reported false")
						}
						live = slices.DeleteFunc(live, func(x *refEv) bool { return x == ev })
					case 1:
						d := time.Duration(r.IntN(20)) * time.Second
						seq++
						ev.at, ev.seq = e.now+int64(d), seq
						e.Reschedule(ev.tm, start.Add(time.Duration(ev.at)))
					case 2:
						d := time.Duration(r.IntN(20)) * time.Second
						seq++
						ev.at, ev.seq = e.now+int64(d), seq
						e.RescheduleAfter(ev.tm, d)
					case 3:
						seq++
						ev.seq = seq
						e.Requeue(ev.tm)
					}
				}
				if len(live) < target {
					add(&refEv{}, time.Duration(r.IntN(20))*time.Second, Phase(10*(1+r.IntN(5))))
				}
				if r.IntN(8) == 0 { // a reserved place, taken later
					seq++
					rs := seq
					add(&refEv{}, time.Duration(r.IntN(5))*time.Second, PhaseOS)
					ev := live[len(live)-1]
					e.Cancel(ev.tm)
					live = live[:len(live)-1]
					seq--
					d := time.Duration(r.IntN(20)) * time.Second
					nev := &refEv{at: e.now + int64(d), phase: PhaseOS, seq: rs}
					nev.tm = e.ScheduleReserved(start.Add(d+time.Duration(e.now)), PhaseOS, rs, "res", h)
					live = append(live, nev)
				}
			}
		})
		for range 10 {
			add(&refEv{}, time.Duration(r.IntN(20))*time.Second, PhaseOS)
		}
		if err := e.RunUntil(start.Add(6 * time.Hour)); err != nil {
			t.Fatal(err)
		}
		if fired < 5000 {
			t.Fatalf("seed %d: only %d events fired", seed, fired)
		}
	}
}

// Once its slots and event pool have grown, the kernel allocates nothing
// per event in either shape of the queue: a sorted one (8 events) and a heap
// (100), each event rescheduling itself, moving another and requeueing a
// third, with a cancel and a new event every other step.
func TestKernelStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, n := range []int{8, 100} {
		e := New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1, WithLimits(Limits{}))
		tms := make([]Timer, n)
		hs := make([]Handler, n)
		k := 0
		for i := range tms {
			hs[i] = HandlerFunc(func(e *Engine) { // timer i fired
				k++
				e.RescheduleAfter(tms[(i+1)%n], time.Duration(k%97)*time.Second)
				e.Requeue(tms[(i+2)%n])
				if j := (i + 3) % n; k%2 == 0 && e.Cancel(tms[j]) {
					tms[j] = e.After(time.Duration(k%89)*time.Second, PhaseOS, "ev", hs[j])
				}
				tms[i] = e.After(time.Duration(k%101)*time.Second, Phase(10*(1+k%5)), "ev", hs[i])
			})
			tms[i] = e.After(time.Duration(i)*time.Second, PhaseOS, "ev", hs[i])
		}
		for range 4 * n { // grow the slots and the pool
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
		}
		allocs := testing.AllocsPerRun(2000, func() {
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%d events: %.2f allocations per event", n, allocs)
		}
		if e.Len() != n || e.queue.heap != (n > sortedMax) {
			t.Errorf("%d events: %d queued, heap %v", n, e.Len(), e.queue.heap)
		}
	}
}
