package sim_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ExampleEngine_Schedule() {
	e := sim.New(start, 1)
	say := func(what string) sim.Handler {
		return sim.HandlerFunc(func(e *sim.Engine) {
			fmt.Printf("+%s %s\n", sim.FormatOffset(e.Elapsed()), what)
		})
	}
	// Same instant: phases decide, device changes before the OS evaluates.
	e.Schedule(start.Add(time.Hour), sim.PhaseOS, "evaluate", say("scheduler evaluates"))
	e.Schedule(start.Add(time.Hour), sim.PhaseWorld, "plug", say("charger plugged"))
	t := e.After(30*time.Minute, sim.PhaseApp, "poll", say("never: cancelled"))
	e.Cancel(t)
	if err := e.RunUntil(start.Add(2 * time.Hour)); err != nil {
		fmt.Println(err)
	}
	fmt.Println("now", e.Now().Format(time.TimeOnly))
	// Output:
	// +01:00:00 charger plugged
	// +01:00:00 scheduler evaluates
	// now 02:00:00
}

func ExampleEngine_RunUntilCondition() {
	e := sim.New(start, 1)
	battery := 50
	var charge sim.HandlerFunc
	charge = func(e *sim.Engine) {
		battery++
		e.After(3*time.Minute, sim.PhaseDevice, "charge", charge)
	}
	e.After(3*time.Minute, sim.PhaseDevice, "charge", charge)
	at, ok, err := e.RunUntilCondition(func() bool { return battery >= 80 }, 6*time.Hour)
	fmt.Println(sim.FormatOffset(at.Sub(start)), ok, err)
	// Output: 01:30:00 true <nil>
}

func ExampleEngine_Rand() {
	e := sim.New(start, 42)
	// Each named stream is independent: drawing from "network" does not
	// change what "battery" draws.
	a := e.Rand("battery").IntN(100)
	e.Rand("network").IntN(100)
	f := sim.New(start, 42)
	b := f.Rand("battery").IntN(100)
	fmt.Println(a == b)
	fmt.Println(sim.Between(e.Rand("jitter"), time.Second, 2*time.Second) < 2*time.Second+1)
	// Output:
	// true
	// true
}

func ExampleEngine_Clock() {
	e := sim.New(start, 1)
	clk := e.Clock() // a clock.Clock for code under test
	e.Go("sync-handler", func() {
		ctx, cancel := clk.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		select {
		case <-clk.After(30 * time.Second): // a 30 s upload
			fmt.Println("uploaded at", clk.Now().Format(time.TimeOnly))
		case <-ctx.Done():
			fmt.Println("stopped:", ctx.Err())
		}
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		fmt.Println(err)
	}
	// Output: uploaded at 00:00:30
}

func ExampleEngine_Go() {
	e := sim.New(start, 1)
	clk := e.Clock()
	// A user's task handler that sleeps and then fails: the kernel runs it
	// on its own goroutine, one goroutine at a time, in virtual time.
	e.After(time.Hour, sim.PhasePlugin, "run task", sim.HandlerFunc(func(e *sim.Engine) {
		e.Go("task", func() {
			clk.Sleep(30 * time.Second)
			panic("network unreachable")
		}, func(panicked any) {
			fmt.Printf("+%s task failed: %v\n", sim.FormatOffset(e.Elapsed()), panicked)
		})
	}))
	if err := e.RunUntilIdle(); err != nil {
		fmt.Println(err)
	}
	// Output: +01:00:30 task failed: network unreachable
}

func ExampleNewJSONLSink() {
	sink := sim.NewJSONLSink(os.Stdout)
	e := sim.New(start, 1, sim.WithSink(sink))
	e.After(90*time.Second, sim.PhaseOS, "defer", sim.HandlerFunc(func(e *sim.Engine) {
		e.Emit(event.SourceAndroidJobScheduler, event.Deferred, "sync", "constraint unmet: network",
			sim.String("network", "none"), sim.Dur("backoff", 30*time.Second))
	}))
	if err := e.RunUntilIdle(); err != nil || sink.Err() != nil {
		fmt.Println(err, sink.Err())
	}
	// Output: {"t":90,"seq":1,"source":"android.jobscheduler","kind":"deferred","subject":"sync","reason":"constraint unmet: network","fields":{"network":"none","backoff":30}}
}

func ExampleLimitError() {
	e := sim.New(start, 1, sim.WithLimits(sim.Limits{MaxEvents: 3}))
	var loop sim.HandlerFunc
	loop = func(e *sim.Engine) { e.After(time.Minute, sim.PhaseOS, "runaway", loop) }
	e.After(time.Minute, sim.PhaseOS, "runaway", loop)
	fmt.Println(e.RunUntilIdle())
	// Output: safety limit max_events (3) reached at +00:04:00 after 3 events; next event: runaway
}

// Sub is time.Time.Sub for virtual times, without the overflow re-check that
// makes the standard one several times dearer.
func ExampleSub() {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	e := sim.New(start, 1)
	_ = e.RunFor(90 * time.Minute)
	fmt.Println(sim.Sub(e.Now(), start), sim.Sub(start, e.Now()))
	// Output:
	// 1h30m0s -1h30m0s
}

func ExampleNewJSONLSinkFor() {
	sink := sim.NewJSONLSinkFor(os.Stdout, "hourly-sync", "android")
	sink.Record(&sim.Record{At: 90 * time.Second, Seq: 1, Source: event.SourceDevice, Kind: "screen.on", Subject: "screen", Reason: "user picked up the phone"})
	// Output:
	// {"scenario":"hourly-sync","platform":"android","t":90,"seq":1,"source":"device","kind":"screen.on","subject":"screen","reason":"user picked up the phone","fields":{}}
}
