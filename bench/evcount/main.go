// Command evcount counts the kernel events a fleet's devices fire: the
// events per device-day that bench/compare.sh reports next to throughput.
// It builds each device's world the way a fleet run does (fleet.DeviceSeed,
// no trace, the scenario's profile) and reads sim.Engine.Fired at the end,
// using only API that predates the optimisations it measures, so the same
// file builds in an older tree (where --kinds, which needs
// sim.Engine.CountByLabel, exits with an error; compare.sh does not pass it).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/wmsim/wmsim/internal/fleet"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

func main() {
	devices := flag.Int("devices", 20, "devices to simulate")
	days := flag.Int("days", 30, "days each device lives")
	kinds := flag.Bool("kinds", false, "also print events per device-day by label, most frequent first")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: evcount [--devices N] [--days D] SCENARIO")
		os.Exit(2)
	}
	sc, err := scenarios.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	platform := scenarios.PlatformAndroid
	if len(sc.Platform) > 0 {
		platform = sc.Platform[0]
	}
	profile := "office-worker"
	if sc.Device.Profile != nil {
		profile = *sc.Device.Profile
	}
	dur := time.Duration(*days) * 24 * time.Hour
	var events uint64
	byLabel := map[string]uint64{}
	for i := range *devices {
		seed := fleet.DeviceSeed(sc.Seed, i)
		limits := sim.DefaultLimits
		limits.Horizon = 0
		w, err := runner.NewWorld(sc, platform, runner.RunOptions{
			Seed: &seed, Limits: &limits, NoTrace: true, Profile: profile, Duration: dur,
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		// What fleet.Run sets on each device, where the tree has it.
		if s, ok := any(w.Device).(interface{ SetSparseBattery(bool) }); ok {
			s.SetSparseBattery(true)
		}
		var counts map[string]uint64
		if *kinds {
			// (Through an interface, so that the file still builds in a
			// tree without CountByLabel: compare.sh copies it there.)
			c, ok := any(w.Engine).(interface{ CountByLabel() map[string]uint64 })
			if !ok {
				fmt.Fprintln(os.Stderr, "evcount: --kinds needs sim.Engine.CountByLabel, which this tree lacks")
				os.Exit(2)
			}
			counts = c.CountByLabel()
		}
		if err := w.Engine.RunUntil(sc.Start.Add(dur)); err != nil {
			var le *sim.LimitError
			if !errors.As(err, &le) {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		events += w.Engine.Fired()
		for k, v := range counts {
			byLabel[k] += v
		}
	}
	fmt.Printf("%.1f\n", float64(events)/float64(*devices)/float64(*days))
	if *kinds {
		labels := make([]string, 0, len(byLabel))
		for k := range byLabel {
			labels = append(labels, k)
		}
		sort.Slice(labels, func(i, j int) bool {
			if byLabel[labels[i]] != byLabel[labels[j]] {
				return byLabel[labels[i]] > byLabel[labels[j]]
			}
			return labels[i] < labels[j]
		})
		for _, k := range labels {
			fmt.Printf("%8.1f  %s\n", float64(byLabel[k])/float64(*devices)/float64(*days), k)
		}
	}
}
