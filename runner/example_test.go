package runner_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Run a scenario of the built-in library with limits of one's own, watch the
// trace with a Sink, and render each platform's result as `wmsim run` does
// (printed here: its verdict line).
func ExampleRun() {
	sc, err := scenarios.LoadLibrary("hourly-sync-survives-doze")
	if err != nil {
		log.Fatal(err)
	}
	limits := runner.DefaultLimits
	limits.WallClock = time.Minute
	var started startCounter
	out, err := runner.Run(sc, runner.RunOptions{Limits: &limits, Sinks: []runner.Sink{&started}})
	if err != nil {
		log.Fatal(err)
	}
	for _, run := range out.Runs {
		var text bytes.Buffer
		if err := report.WriteText(&text, run.Result, nil, run.Start, report.TextOptions{}); err != nil {
			log.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(text.String()), "\n")
		fmt.Println(run.Platform+":", lines[len(lines)-1])
	}
	fmt.Println("exit code:", out.ExitCode(), "- starts seen by the sink match the result:", started.n == len(out.Runs[0].Result.Runs))
	// Output:
	// android: PASS: 3 of 3 expectations held, 0 invariant violations
	// exit code: 0 - starts seen by the sink match the result: true
}

// startCounter is a runner.Sink that counts the task runs the OS started.
type startCounter struct{ n int }

func (c *startCounter) Record(r *report.Record) {
	if r.Kind == "started" {
		c.n++
	}
}

// Check a scenario's expectations on a world built and run by hand, as a
// fleet does on each device: Verdicts gives what Result's expectations would,
// without building the rest of the result document.
func ExampleWorld_Verdicts() {
	sc, err := scenarios.LoadLibrary("hourly-sync-survives-doze")
	if err != nil {
		log.Fatal(err)
	}
	w, err := runner.NewWorld(sc, scenarios.PlatformAndroid, runner.RunOptions{NoTrace: true})
	if err != nil {
		log.Fatal(err)
	}
	if err := w.Engine.RunUntil(sc.Start.Add(sc.Duration)); err != nil {
		log.Fatal(err)
	}
	held := 0
	for _, v := range w.Verdicts() {
		if v.OK {
			held++
		}
	}
	fmt.Println(held, "of", len(w.Verdicts()), "held")
	// Output:
	// 3 of 3 held
}
