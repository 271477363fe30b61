package sim

import (
	"errors"
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
