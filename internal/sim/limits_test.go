package sim

import (
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// forever schedules itself every d.
func forever(d time.Duration) HandlerFunc {
	var h HandlerFunc
	h = func(e *Engine) { e.After(d, PhaseOS, "forever", h) }
	return h
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name      string
		limits    Limits
		wantLimit string
		wantFired uint64
		wantAt    time.Duration
		wantMsg   string
	}{
		{
			name:      "max events",
			limits:    Limits{MaxEvents: 100},
			wantLimit: "max_events", wantFired: 100, wantAt: 101 * time.Minute,
			wantMsg: "safety limit max_events (100) reached at +01:41:00 after 100 events; next event: forever",
		},
		{
			name:      "horizon",
			limits:    Limits{Horizon: 2 * time.Hour},
			wantLimit: "horizon", wantFired: 120, wantAt: 121 * time.Minute,
			wantMsg: "safety limit horizon (02:00:00) reached at +02:01:00 after 120 events; next event: forever",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(t0, 1, WithLimits(tc.limits))
			e.After(time.Minute, PhaseOS, "forever", forever(time.Minute))
			err := e.RunUntilIdle()
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want *LimitError", err)
			}
			if le.Limit != tc.wantLimit || le.Events != tc.wantFired || le.At != tc.wantAt || e.Fired() != tc.wantFired {
				t.Fatalf("got %+v (fired %d)", le, e.Fired())
			}
			if le.Error() != tc.wantMsg {
				t.Fatalf("message %q\nwant      %q", le.Error(), tc.wantMsg)
			}
			// The event that would have fired is still queued.
			if e.Len() != 1 {
				t.Fatalf("Len = %d", e.Len())
			}
		})
	}
}

func TestWallClockLimitOnEvents(t *testing.T) {
	// A fake real clock that advances 1 ms per read: the watchdog reads it
	// once per wallCheckEvery events, so a 10 ms limit trips after a known
	// number of events without any real waiting.
	e := New(t0, 1, WithLimits(Limits{WallClock: 10 * time.Millisecond}))
	var fake time.Time
	e.wallNow = func() time.Time { fake = fake.Add(time.Millisecond); return fake }
	e.After(time.Second, PhaseOS, "forever", forever(time.Second))
	err := e.RunUntilIdle()
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != "wall_clock" || le.Value != "10ms" {
		t.Fatalf("err = %v", err)
	}
	// The run start reads the clock once; then every wallCheckEvery-th limit
	// check reads it again, k ms after the start at check k*wallCheckEvery.
	// The first over 10 ms is k = 11, before firing event 11*wallCheckEvery.
	if le.Events != 11*wallCheckEvery-1 {
		t.Fatalf("stopped after %d events", le.Events)
	}
}

func TestWallClockWatchdogCatchesSpinningProcess(t *testing.T) {
	e := New(t0, 1, WithLimits(Limits{WallClock: 100 * time.Millisecond}))
	var stop atomic.Bool
	defer stop.Store(true) // let the goroutine end once the test is done
	e.After(time.Minute, PhaseApp, "start", HandlerFunc(func(e *Engine) {
		e.Go("spinner", func() {
			for !stop.Load() {
			}
		}, func(any) { t.Error("done must not be called for a process that never returned") })
	}))
	err := e.RunFor(time.Hour)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != "wall_clock" || le.Process != "spinner" || le.At != time.Minute {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), `process "spinner" never yielded`) {
		t.Fatalf("message %q", err.Error())
	}
	// The engine refuses to go on: the spinning goroutine cannot be stopped.
	if err2 := e.RunFor(time.Hour); err2 != err {
		t.Fatalf("second run: %v", err2)
	}
	if ok, err2 := e.Step(); ok || err2 != err {
		t.Fatalf("Step after watchdog: %v %v", ok, err2)
	}
}

// TestWallClockReadsAtTheTickedEvents: step tests the event count against
// checkAt, computed ahead, instead of counting a tick per event. The real
// clock must still be read before the same events as the tick read it: at
// an engine's first event when no run started the watchdog, at each run's
// start, and before every wallCheckEvery-th event counted from the last
// run's start (from the engine's start before any run), Steps included.
func TestWallClockReadsAtTheTickedEvents(t *testing.T) {
	e := New(t0, 1, WithLimits(Limits{WallClock: time.Hour}))
	var reads []uint64
	e.wallNow = func() time.Time { reads = append(reads, e.fired); return t0 } // never past the limit
	e.After(time.Second, PhaseOS, "forever", forever(time.Second))

	// The reference: a tick per event, as the watchdog was first written.
	var want []uint64
	var tick uint32
	started := false
	ops := []struct {
		run   bool
		count int // Steps, or seconds of RunFor
	}{{false, 1500}, {true, 3000}, {false, 700}, {true, 5000}, {true, 10}, {false, 2100}, {true, 2048}}
	for _, op := range ops {
		before := e.Fired()
		if op.run {
			if err := e.RunFor(time.Duration(op.count) * time.Second); err != nil {
				t.Fatal(err)
			}
			want = append(want, before) // beginRun
			tick, started = 0, true
		} else {
			for range op.count {
				if _, err := e.Step(); err != nil {
					t.Fatal(err)
				}
			}
		}
		for f := before; f < e.Fired(); f++ {
			tick++
			if tick%wallCheckEvery == 0 || !started {
				want = append(want, f)
				started = true
			}
		}
	}
	if !slices.Equal(reads, want) {
		t.Fatalf("the clock was read before events\n%v\nwant\n%v", reads, want)
	}
}
