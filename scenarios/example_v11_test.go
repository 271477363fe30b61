package scenarios_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// A duration argument written {until: "10:00"} is computed when the call is
// made, as Dart's DateTime(y, m, d, 10).difference(now), plus a day when
// negative.
func ExampleClockTime_Until() {
	ten := scenarios.ClockTime{Hour: 10}
	at := func(h, m int) time.Time { return time.Date(2026, 1, 5, h, m, 0, 0, time.UTC) }
	fmt.Println(ten.Until(at(8, 0)))
	fmt.Println(ten.Until(at(10, 0)))
	fmt.Println(ten.Until(at(10, 30)))
	// Output:
	// 2h0m0s
	// 0s
	// 23h30m0s
}

// app.on_launch runs at every cold start: the first launch and the one after
// the process died, not the warm launch in between.
func ExampleWorld_OnLaunch() {
	sc, err := scenarios.Parse("example.yaml", []byte(`version: 1
name: example
duration: 1h
app:
  on_launch:
    - call: initialize
timeline:
  - { at: 0s, app: { launch: { for: 1m } } }
  - { at: 5m, app: launch }
  - { at: 10m, app: process_death }
  - { at: 15m, app: launch }
`))
	if err != nil {
		panic(err)
	}
	out, err := runner.Run(sc, runner.RunOptions{})
	if err != nil {
		panic(err)
	}
	for _, c := range out.Runs[0].Result.Calls {
		fmt.Println(c.T, c.Call, c.Source)
	}
	// Output:
	// 0 initialize on_launch
	// 900 initialize on_launch
}
