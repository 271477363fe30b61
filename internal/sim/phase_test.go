package sim

import (
	"testing"
	"time"
)

func TestPhaseIsTheFiringEventsPhase(t *testing.T) {
	e := New(t0, 1)
	if _, ok := e.Phase(); ok {
		t.Fatal("Phase reports an event before any fired")
	}
	var got []Phase
	for _, ph := range []Phase{PhaseApp, PhaseWorld, PhaseOS} {
		e.After(time.Minute, ph, "probe", HandlerFunc(func(e *Engine) {
			p, ok := e.Phase()
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
	if _, ok := e.Phase(); ok {
		t.Fatal("Phase reports an event after the run")
	}
}
