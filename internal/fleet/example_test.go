package fleet_test

import (
	"fmt"

	"github.com/wmsim/wmsim/internal/fleet"
	"github.com/wmsim/wmsim/scenarios"
)

// Run a library scenario over a small fleet and read a distribution.
func ExampleRun() {
	sc, err := scenarios.LoadLibrary("periodic-task")
	if err != nil {
		panic(err)
	}
	mix, _ := fleet.ParseMix("office-worker=3,light-user=1")
	s, err := fleet.Run(sc, fleet.Options{Devices: 8, Days: 2, Mix: mix, Jobs: 2})
	if err != nil {
		panic(err)
	}
	t := s.All.Tasks[0]
	fmt.Println(s.Format, s.Completed, "devices; task", t.Task, "on", t.Devices, "devices")
	fmt.Println("runs per day per device counted:", t.RunsPerDayMilli.Count())
	// Output:
	// wmsim.fleet/v1 8 devices; task periodic-sync on 8 devices
	// runs per day per device counted: 8
}

// Shards run anywhere merge into the whole fleet.
func ExampleMerge() {
	sc, _ := scenarios.LoadLibrary("periodic-task")
	var parts []*fleet.Summary
	for i := range 2 {
		s, err := fleet.Run(sc, fleet.Options{Devices: 6, Days: 1, Shard: fleet.Shard{Index: i, Count: 2}})
		if err != nil {
			panic(err)
		}
		parts = append(parts, s)
	}
	whole, err := fleet.Merge(parts...)
	if err != nil {
		panic(err)
	}
	fmt.Println(whole.Ranges, whole.Completed, len(whole.Missing()))
	// Output:
	// [[0 6]] 6 0
}

// Every device checks the scenario's expectations; BelowShare lists those
// that held on too small a share of the fleet, with the devices to replay.
func ExampleSummary_BelowShare() {
	sc, _ := scenarios.LoadLibrary("periodic-task")
	mix, _ := fleet.ParseMix("office-worker=1,light-user=1")
	s, err := fleet.Run(sc, fleet.Options{Devices: 8, Days: 2, Mix: mix})
	if err != nil {
		panic(err)
	}
	for _, e := range s.BelowShare(1) {
		fmt.Printf("%q held on %d of %d devices; first failure: device %d\n", e.Expect, e.Held, e.Devices, e.Failed[0].Device)
	}
	// Output:
	// "fetchLatestPosts runs 12..25" held on 0 of 8 devices; first failure: device 0
}
