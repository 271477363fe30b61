package sim

import (
	"strings"
	"testing"
	"time"
)

func TestPhaseIsTheFiringEventsPhase(t *testing.T) {
	e := New(t0, 1)
	if _, _, ok := e.Firing(); ok {
		t.Fatal("Phase reports an event before any fired")
	}
	var got []Phase
	for _, ph := range []Phase{PhaseApp, PhaseWorld, PhaseOS} {
		e.After(time.Minute, ph, "probe", HandlerFunc(func(e *Engine) {
			p, _, ok := e.Firing()
			if !ok {
				t.Error("Phase reports no event inside a handler")
			}
			got = append(got, p)
		}))
	}
	if err := e.RunFor(time.Hour); err != nil {
		t.Fatal(err)
	}
	want := []Phase{PhaseWorld, PhaseOS, PhaseApp}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if _, _, ok := e.Firing(); ok {
		t.Fatal("Phase reports an event after the run")
	}
}

func TestScheduleReservedKeepsTheReservedPlace(t *testing.T) {
	e := New(t0, 1)
	o := &order{}
	e.After(time.Minute, PhaseOS, "a", o.h("a"))
	seq := e.ReserveSeq()
	e.After(time.Minute, PhaseOS, "c", o.h("c"))
	e.After(0, PhaseWorld, "late", HandlerFunc(func(e *Engine) {
		e.ScheduleReserved(t0.Add(time.Minute), PhaseOS, seq, "b", o.h("b"))
		e.After(time.Minute, PhaseOS, "d", o.h("d"))
	}))
	if err := e.RunFor(time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(o.got, ""); got != "abcd" {
		t.Fatalf("order %q, want abcd", got)
	}
}
