package sim

import (
	"math/rand/v2"
	"testing"
	"time"
)

// toOffset is t.Sub(start) exactly, saturation included, on random and extreme times.
func TestToOffsetMatchesSub(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	start := time.Date(2026, 1, 5, 8, 0, 0, 123, time.UTC)
	ts := []time.Time{start, start.Add(1), start.Add(-1), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), {},
		start.Add(time.Duration(1<<63 - 1)), start.Add(time.Duration(-1 << 63)), time.Now(), start.In(time.FixedZone("x", 3600))}
	for range 100000 {
		ts = append(ts, start.Add(time.Duration(r.Int64())), time.Unix(r.Int64N(1<<40)-(1<<39), r.Int64N(1e9)))
	}
	for _, x := range ts {
		if got, want := toOffset(start, x), int64(x.Sub(start)); got != want {
			t.Fatalf("%v: %d != %d", x, got, want)
		}
		if got, want := Sub(start, x), start.Sub(x); got != want {
			t.Fatalf("Sub(start, %v): %d != %d", x, got, want)
		}
	}
}

// timeAt is start.Add(off) bit for bit (== on time.Time compares every
// field), whatever the start's location and monotonic reading.
func TestTimeAtMatchesAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	starts := []time.Time{
		time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 5, 8, 0, 0, 999_999_999, time.UTC),
		time.Date(2026, 1, 5, 8, 0, 0, 5, time.FixedZone("x", -7*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(), // monotonic reading: the slow path
		time.Now().Round(0).In(time.Local),
	}
	offs := []int64{0, 1, -1, 999_999_999, 1_000_000_000, -1_000_000_001, 1<<63 - 1, -1 << 63}
	for range 20000 {
		offs = append(offs, r.Int64(), r.Int64N(1e15)-5e14, -r.Int64())
	}
	for _, st := range starts {
		e := New(st, 1)
		for _, off := range offs {
			if got, want := e.timeAt(off), st.Add(time.Duration(off)); got != want {
				t.Fatalf("start %v, off %d: %#v != %#v", st, off, got, want)
			}
		}
	}
}

// Offset is Sub(t, Start()) exactly, saturation included, for starts with
// and without a monotonic reading, on random and extreme times.
func TestOffsetMatchesSub(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for _, start := range []time.Time{time.Date(2026, 1, 5, 8, 0, 0, 123, time.UTC), time.Date(2026, 1, 5, 8, 0, 0, 999_999_999, time.FixedZone("x", -7*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Now()} {
		e := New(start, 1)
		ts := []time.Time{start, start.Add(1), start.Add(-1), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), {},
			start.Add(time.Duration(1<<63 - 1)), start.Add(time.Duration(-1 << 63)), time.Now(), start.In(time.FixedZone("y", 3600)), start.Round(0)}
		for range 100000 {
			ts = append(ts, start.Add(time.Duration(r.Int64())), time.Unix(r.Int64N(1<<40)-(1<<39), r.Int64N(1e9)), start.Add(time.Duration(r.Int64N(1e15))))
		}
		for _, x := range ts {
			if got, want := e.Offset(x), Sub(x, start); got != want {
				t.Fatalf("start %v, %v: %d != %d", start, x, got, want)
			}
		}
	}
}
