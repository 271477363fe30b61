package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// order records the labels of events as they fire.
type order struct{ got []string }

func (o *order) h(label string) Handler {
	return HandlerFunc(func(*Engine) { o.got = append(o.got, label) })
}

func TestSameInstantOrderedByPhaseThenInsertion(t *testing.T) {
	e := New(t0, 1)
	var o order
	at := t0.Add(time.Minute)
	// Scheduled deliberately out of phase order.
	e.Schedule(at, PhaseCheck, "check", o.h("check"))
	e.Schedule(at, PhaseApp, "app1", o.h("app1"))
	e.Schedule(at, PhaseWorld, "world1", o.h("world1"))
	e.Schedule(at, PhaseOS, "os", o.h("os"))
	e.Schedule(at, PhaseApp, "app2", o.h("app2"))
	e.Schedule(at, PhaseWorld, "world2", o.h("world2"))
	e.Schedule(at, PhaseDevice, "device", o.h("device"))
	e.Schedule(at, PhasePlugin, "plugin", o.h("plugin"))
	e.Schedule(at.Add(-time.Second), PhaseCheck, "earlier", o.h("earlier"))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	want := []string{"earlier", "world1", "world2", "device", "os", "plugin", "app1", "app2", "check"}
	if !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
}

func TestEventScheduledAtCurrentInstantByHandlerRunsAfterEarlierPhasesOnly(t *testing.T) {
	// A handler at PhaseOS that schedules a PhaseDevice event "now" cannot
	// go back in time: the new event runs after the ones already due at a
	// lower-or-equal key, but still in the same instant.
	e := New(t0, 1)
	var o order
	e.After(time.Second, PhaseOS, "os", HandlerFunc(func(e *Engine) {
		o.got = append(o.got, "os")
		e.After(0, PhaseDevice, "late-device", o.h("late-device"))
	}))
	e.After(time.Second, PhaseApp, "app", o.h("app"))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"os", "late-device", "app"}; !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
	if e.Elapsed() != time.Second {
		t.Fatalf("elapsed = %v", e.Elapsed())
	}
}

func TestPastTimeIsClampedToNow(t *testing.T) {
	e := New(t0, 1)
	if err := e.RunFor(time.Hour); err != nil {
		t.Fatal(err)
	}
	var firedAt time.Duration
	e.Schedule(t0, PhaseApp, "past", HandlerFunc(func(e *Engine) { firedAt = e.Elapsed() }))
	e.After(-time.Minute, PhaseApp, "negative", nil)
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if firedAt != time.Hour {
		t.Fatalf("past event fired at %v, want 1h (now)", firedAt)
	}
}

func TestCancelAndReschedule(t *testing.T) {
	e := New(t0, 1)
	var o order
	a := e.After(1*time.Second, PhaseApp, "a", o.h("a"))
	b := e.After(2*time.Second, PhaseApp, "b", o.h("b"))
	c := e.After(3*time.Second, PhaseApp, "c", o.h("c"))
	if !e.Cancel(b) {
		t.Fatal("Cancel(pending) = false")
	}
	if e.Cancel(b) {
		t.Fatal("second Cancel = true")
	}
	if b.Pending() {
		t.Fatal("cancelled timer still pending")
	}
	if !e.Reschedule(c, t0.Add(500*time.Millisecond)) {
		t.Fatal("Reschedule(pending) = false")
	}
	if when, ok := e.When(c); !ok || !when.Equal(t0.Add(500*time.Millisecond)) {
		t.Fatalf("When(c) = %v %v", when, ok)
	}
	if _, ok := e.When(b); ok {
		t.Fatal("When(cancelled) ok")
	}
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"c", "a"}; !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
	// After firing, every handle is stale.
	for _, tm := range []Timer{a, b, c} {
		if tm.Pending() || e.Cancel(tm) || e.Reschedule(tm, t0) {
			t.Fatal("stale timer acted on")
		}
	}
	if (Timer{}).Pending() || e.Cancel(Timer{}) {
		t.Fatal("zero Timer acted on")
	}
}

func TestRescheduleTakesNewInsertionSequence(t *testing.T) {
	e := New(t0, 1)
	var o order
	at := t0.Add(time.Second)
	a := e.Schedule(at, PhaseApp, "a", o.h("a"))
	e.Schedule(at, PhaseApp, "b", o.h("b"))
	e.Reschedule(a, at) // same time: now behind b
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"b", "a"}; !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
}

// RescheduleAfter(t, d) is Reschedule(t, Now()+d): the same instant, a new
// insertion sequence, now for a negative d, false for a timer not pending.
func TestRescheduleAfterIsRescheduleFromNow(t *testing.T) {
	e := New(t0, 1)
	var o order
	e.After(2*time.Second, PhaseApp, "tick", HandlerFunc(func(e *Engine) {
		o.got = append(o.got, "tick")
	}))
	a := e.After(time.Hour, PhaseApp, "a", o.h("a"))
	b := e.After(time.Hour, PhaseApp, "b", o.h("b"))
	c := e.After(time.Hour, PhaseApp, "c", o.h("c"))
	if err := e.RunUntil(t0.Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	e.After(3*time.Second, PhaseApp, "d", o.h("d"))
	if !e.RescheduleAfter(a, 3*time.Second) { // same instant as d, queued after it
		t.Fatal("RescheduleAfter(pending) = false")
	}
	if when, ok := e.When(a); !ok || !when.Equal(t0.Add(5*time.Second)) {
		t.Fatalf("When(a) = %v %v, want %v", when, ok, t0.Add(5*time.Second))
	}
	e.RescheduleAfter(b, -time.Minute) // not before now
	if when, _ := e.When(b); !when.Equal(t0.Add(2 * time.Second)) {
		t.Fatalf("When(b) = %v, want now %v", when, t0.Add(2*time.Second))
	}
	e.Cancel(c)
	if e.RescheduleAfter(c, time.Second) {
		t.Fatal("RescheduleAfter(cancelled) = true")
	}
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"tick", "b", "d", "a"}; !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
}

func TestStaleTimerDoesNotTouchReusedEvent(t *testing.T) {
	// Events are pooled: after a fires, its struct is reused by b. The old
	// handle must not cancel or move b.
	e := New(t0, 1)
	var o order
	a := e.After(time.Second, PhaseApp, "a", o.h("a"))
	if _, err := e.Step(); err != nil {
		t.Fatal(err)
	}
	b := e.After(time.Second, PhaseApp, "b", o.h("b"))
	if a.ev != b.ev {
		t.Fatal("expected the pooled event struct to be reused")
	}
	if e.Cancel(a) || e.Reschedule(a, t0) || a.Pending() {
		t.Fatal("stale handle acted on the reused event")
	}
	if !b.Pending() {
		t.Fatal("b not pending")
	}
	// The same after a cancel.
	e.Cancel(b)
	c := e.After(time.Second, PhaseApp, "c", o.h("c"))
	if e.Cancel(b) || !c.Pending() {
		t.Fatal("stale handle after cancel acted on the reused event")
	}
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", "c"}; !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
}

func TestHandlerCannotCancelItselfButCanRescheduleOthers(t *testing.T) {
	e := New(t0, 1)
	var self Timer
	var cancelled bool
	self = e.After(time.Second, PhaseApp, "self", HandlerFunc(func(e *Engine) { cancelled = e.Cancel(self) }))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if cancelled {
		t.Fatal("a firing event is still pending")
	}
}

func TestRunUntilSetsClockAndRunsInclusive(t *testing.T) {
	e := New(t0, 1)
	var o order
	e.After(time.Hour, PhaseApp, "at-1h", o.h("at-1h"))
	e.After(time.Hour+1, PhaseApp, "after", o.h("after"))
	if err := e.RunUntil(t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.got, []string{"at-1h"}) || !e.Now().Equal(t0.Add(time.Hour)) {
		t.Fatalf("got %v at %v", o.got, e.Now())
	}
	if err := e.RunFor(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if e.Elapsed() != 3*time.Hour || len(o.got) != 2 {
		t.Fatalf("elapsed %v, fired %v", e.Elapsed(), o.got)
	}
	// Never backwards.
	if err := e.RunUntil(t0); err != nil || e.Elapsed() != 3*time.Hour {
		t.Fatalf("RunUntil(past) moved the clock: %v %v", err, e.Elapsed())
	}
	// A huge RunFor saturates instead of overflowing.
	if err := e.RunFor(time.Duration(1<<63 - 1)); err != nil {
		t.Fatal(err)
	}
}

func TestRunUntilCondition(t *testing.T) {
	e := New(t0, 1)
	n := 0
	var tick HandlerFunc
	tick = func(e *Engine) { n++; e.After(10*time.Minute, PhaseApp, "tick", tick) }
	e.After(10*time.Minute, PhaseApp, "tick", tick)

	at, ok, err := e.RunUntilCondition(func() bool { return n == 3 }, time.Hour)
	if err != nil || !ok || !at.Equal(t0.Add(30*time.Minute)) {
		t.Fatalf("RunUntilCondition = %v %v %v", at, ok, err)
	}
	// Already true: no event fires.
	fired := e.Fired()
	if _, ok, _ := e.RunUntilCondition(func() bool { return true }, time.Hour); !ok || e.Fired() != fired {
		t.Fatal("pred true up front should fire nothing")
	}
	// Never true within the limit: the clock ends at the limit.
	at, ok, err = e.RunUntilCondition(func() bool { return n == 100 }, time.Hour)
	if err != nil || ok || !at.Equal(t0.Add(90*time.Minute)) {
		t.Fatalf("RunUntilCondition(never) = %v %v %v", at, ok, err)
	}
}

func TestStopEndsRunEarly(t *testing.T) {
	e := New(t0, 1)
	var tick HandlerFunc
	n := 0
	tick = func(e *Engine) {
		n++
		if n == 5 {
			e.Stop(nil)
		}
		e.After(time.Minute, PhaseApp, "tick", tick)
	}
	e.After(time.Minute, PhaseApp, "tick", tick)
	if err := e.RunFor(time.Hour); err != nil {
		t.Fatal(err)
	}
	if n != 5 || e.Elapsed() != 5*time.Minute {
		t.Fatalf("n=%d elapsed=%v", n, e.Elapsed())
	}
}

// refQueue is the reference model: a slice kept sorted by (at, phase, seq).
type refItem struct {
	at    int64
	phase Phase
	seq   uint64
	id    int
}

func TestQueueMatchesSortedSliceModel(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		r := rand.New(rand.NewPCG(seed, 99))
		e := New(t0, seed)
		var ref []refItem
		var seq uint64
		timers := map[int]Timer{}
		var got, want []int
		nextID := 0
		phases := []Phase{PhaseWorld, PhaseDevice, PhaseOS, PhasePlugin, PhaseApp, PhaseCheck}
		sortRef := func() {
			slices.SortFunc(ref, func(a, b refItem) int {
				switch {
				case a.at != b.at:
					return cmpInt(a.at, b.at)
				case a.phase != b.phase:
					return cmpInt(int64(a.phase), int64(b.phase))
				}
				return cmpInt(int64(a.seq), int64(b.seq))
			})
		}
		for op := 0; op < 2000; op++ {
			switch k := r.IntN(10); {
			case k < 5: // schedule
				id := nextID
				nextID++
				at := e.Elapsed() + time.Duration(r.IntN(20))*time.Second // many ties
				ph := phases[r.IntN(len(phases))]
				timers[id] = e.Schedule(t0.Add(at), ph, "x", HandlerFunc(func(*Engine) { got = append(got, id) }))
				seq++
				ref = append(ref, refItem{int64(at), ph, seq, id})
			case k < 6: // cancel a random live one
				if len(ref) == 0 {
					continue
				}
				i := r.IntN(len(ref))
				if !e.Cancel(timers[ref[i].id]) {
					t.Fatalf("seed %d: cancel of live event failed", seed)
				}
				ref = append(ref[:i], ref[i+1:]...)
			case k < 7: // reschedule a random live one
				if len(ref) == 0 {
					continue
				}
				i := r.IntN(len(ref))
				at := e.Elapsed() + time.Duration(r.IntN(20))*time.Second
				if !e.Reschedule(timers[ref[i].id], t0.Add(at)) {
					t.Fatalf("seed %d: reschedule of live event failed", seed)
				}
				seq++
				ref[i].at, ref[i].seq = int64(at), seq
			default: // step
				sortRef()
				ok, err := e.Step()
				if err != nil {
					t.Fatal(err)
				}
				if ok != (len(ref) > 0) {
					t.Fatalf("seed %d: Step=%v with %d in model", seed, ok, len(ref))
				}
				if ok {
					want = append(want, ref[0].id)
					if e.Elapsed() != time.Duration(ref[0].at) {
						t.Fatalf("seed %d: clock %v, model %v", seed, e.Elapsed(), time.Duration(ref[0].at))
					}
					ref = ref[1:]
				}
			}
			if e.Len() != len(ref) {
				t.Fatalf("seed %d op %d: Len=%d model=%d", seed, op, e.Len(), len(ref))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: fired %v\nmodel %v", seed, got, want)
		}
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestFormatOffset(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00"},
		{90*time.Minute + 5*time.Second, "01:30:05"},
		{1500 * time.Millisecond, "00:00:01.500"},
		{49 * time.Hour, "2d01:00:00"},
		{-time.Minute, "-00:01:00"},
	} {
		if got := FormatOffset(c.d); got != c.want {
			t.Errorf("FormatOffset(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// Requeue sends an event behind the others queued for its instant and
// phase, and leaves events of other instants and phases where they were.
func TestRequeue(t *testing.T) {
	e := New(t0, 1)
	var o order
	at := t0.Add(time.Minute)
	first := e.Schedule(at, PhaseOS, "first", o.h("first"))
	e.Schedule(at, PhaseOS, "second", o.h("second"))
	e.Schedule(at, PhaseApp, "app", o.h("app"))
	e.Schedule(at.Add(-time.Second), PhaseCheck, "earlier", o.h("earlier"))
	if !e.Requeue(first) {
		t.Fatal("Requeue of a pending event reported false")
	}
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"earlier", "second", "first", "app"}; !slices.Equal(o.got, want) {
		t.Fatalf("order = %v, want %v", o.got, want)
	}
	if e.Requeue(first) || e.Requeue(Timer{}) {
		t.Fatal("Requeue of a fired or zero timer reported true")
	}
}

// TestAfterIsScheduleAtFromNow: After writes out scheduleAt rather than
// calling it. Two engines run the same random script, one queueing with
// After(d), the other with scheduleAt(addSat(now, d)), d clamped to 0 as
// After documents: the events must fire at the same instants, in the same
// phases, with the same insertion sequences, and When must agree, for
// delays negative, zero, short, long and saturating.
func TestAfterIsScheduleAtFromNow(t *testing.T) {
	type fired struct {
		label string
		at    int64
		phase Phase
		seq   uint64
		when  time.Duration // When of the last event queued, from t0
		ok    bool
	}
	delays := []time.Duration{-time.Hour, -1, 0, 1, time.Second, 90 * time.Minute, 400 * 24 * time.Hour, math.MaxInt64}
	run := func(after bool) []fired {
		r := rand.New(rand.NewPCG(5, 9))
		e := New(t0, 1, WithLimits(Limits{}))
		var log []fired
		var last Timer
		var h Handler
		queue := func(e *Engine) {
			d := delays[r.IntN(len(delays))]
			if r.IntN(3) > 0 {
				d = time.Duration(r.IntN(600)) * time.Second
			}
			phase := Phase(10 * (1 + r.IntN(5)))
			if after {
				last = e.After(d, phase, "ev", h)
			} else {
				last = e.scheduleAt(addSat(e.now, max(d, 0)), phase, "ev", h)
			}
		}
		h = HandlerFunc(func(e *Engine) {
			p, s, _ := e.Firing()
			when, ok := e.When(last)
			log = append(log, fired{"ev", e.now, p, s, Sub(when, t0), ok})
			for range 1 + r.IntN(2) {
				queue(e)
			}
		})
		for range 5 {
			queue(e)
		}
		for i := 0; i < 5000; i++ {
			if ok, err := e.Step(); err != nil || !ok {
				t.Fatalf("step %d: %v %v", i, ok, err)
			}
		}
		return log
	}
	a, s := run(true), run(false)
	if len(a) != len(s) {
		t.Fatalf("%d events with After, %d with scheduleAt", len(a), len(s))
	}
	for i := range a {
		if a[i] != s[i] {
			t.Fatalf("event %d: After %+v, scheduleAt %+v", i, a[i], s[i])
		}
	}
}
