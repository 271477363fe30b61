package sim

import (
	"math/rand/v2"
	"testing"
)

// textbook is the binary heap's textbook sift (container/heap's up, down
// and Fix), over the same slots: the reference the queue's shortcuts
// (update sifting one way only, sifts that leave a slot in place without
// touching it) must reproduce slot for slot.
type textbook []slot

func (h textbook) up(j int) {
	for {
		i := (j - 1) / 2
		if i == j || !h[j].less(&h[i]) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func (h textbook) down(i0 int) bool {
	i, n := i0, len(h)
	for {
		j := 2*i + 1
		if j >= n {
			break
		}
		if r := j + 1; r < n && h[r].less(&h[j]) {
			j = r
		}
		if !h[j].less(&h[i]) {
			break
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
	return i > i0
}

func (h textbook) fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

// TestQueueSiftsMatchTextbookHeap runs random pushes, pops, removals and key
// changes (later, earlier, a new sequence only) on the queue and on the
// textbook heap: both must hold the same slots in the same places after every
// operation, and every event's index must name its slot.
func TestQueueSiftsMatchTextbookHeap(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		var q queue
		var ref textbook
		var seq uint64
		find := func(ev *queued) int {
			for i := range ref {
				if ref[i].ev == ev {
					return i
				}
			}
			t.Fatalf("seed %d: event missing from the reference", seed)
			return -1
		}
		for op := 0; op < 3000; op++ {
			switch k := r.IntN(10); {
			case k < 4 || len(q) == 0: // push
				seq++
				ev := &queued{at: int64(r.IntN(30)), phase: Phase(10 * (1 + r.IntN(5))), seq: seq}
				q.push(ev)
				ref = append(ref, slot{at: ev.at, key: slotKey(ev.phase, ev.seq), ev: ev})
				ref.up(len(ref) - 1)
			case k < 6: // pop
				ev := q.popMin()
				if ref[0].ev != ev {
					t.Fatalf("seed %d op %d: popped another event than the reference", seed, op)
				}
				n := len(ref) - 1
				ref[0], ref[n] = ref[n], ref[0]
				ref = ref[:n]
				ref.down(0)
			case k < 7: // remove
				ev := q[r.IntN(len(q))].ev
				i := find(ev)
				q.remove(ev.index)
				n := len(ref) - 1
				if i != n {
					ref[i], ref[n] = ref[n], ref[i]
					ref = ref[:n]
					ref.fix(i)
				} else {
					ref = ref[:n]
				}
			default: // new time and sequence (Reschedule), or sequence only (Requeue)
				ev := q[r.IntN(len(q))].ev
				seq++
				ev.seq = seq
				if k < 9 {
					ev.at = int64(r.IntN(30))
				}
				q.update(ev)
				i := find(ev)
				ref[i].at, ref[i].key = ev.at, slotKey(ev.phase, ev.seq)
				ref.fix(i)
			}
			if len(q) != len(ref) {
				t.Fatalf("seed %d op %d: %d slots, reference %d", seed, op, len(q), len(ref))
			}
			for i := range q {
				if q[i] != ref[i] {
					t.Fatalf("seed %d op %d: slot %d differs from the reference", seed, op, i)
				}
				if q[i].ev.index != i {
					t.Fatalf("seed %d op %d: slot %d's event has index %d", seed, op, i, q[i].ev.index)
				}
			}
		}
	}
}
