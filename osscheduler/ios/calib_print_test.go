package ios

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestPrintCalibration(t *testing.T) {
	for _, h := range []string{HeuristicsOptimistic, HeuristicsTypical, HeuristicsPessimistic} {
		var firsts []time.Duration
		var gaps []time.Duration
		runs, before := 0, 0
		decay := make([]int, 10)
		for s := uint64(1); s <= 20; s++ {
			st := measureUser(s, h, 30, 30)
			firsts = append(firsts, st.first)
			gaps = append(gaps, st.gaps()...)
			runs += st.runsAfter(1, 30)
			before += st.before
			ab := measureUser(s, h, 24, 14)
			for k := 0; k < 10; k++ {
				decay[k] += ab.runsAfter(14+k, 15+k)
			}
		}
		slices.Sort(firsts)
		slices.Sort(gaps)
		short := 0
		long := 0
		for _, g := range gaps {
			if g <= time.Hour {
				short++
			}
			if g >= 3*time.Hour {
				long++
			}
		}
		fmt.Printf("%s: first p10 %v p50 %v p90 %v; runs/day %.2f; before %.2f; gaps<=1h %.2f >=3h %.2f median %v; decay %v\n",
			h, firsts[2], firsts[10], firsts[18], float64(runs)/(20*29), float64(before)/float64(max(runs, 1)),
			float64(short)/float64(len(gaps)), float64(long)/float64(len(gaps)), gaps[len(gaps)/2], decay)
	}
}
