package android

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReusedIdleUntilChangesNothing: a light-Doze step's fold reusing the
// passIdleUntil answer of the step's own changed gives the same states,
// runs, deferrals and events as computing it again.
func TestReusedIdleUntilChangesNothing(t *testing.T) {
	days := 5
	if testing.Short() {
		days = 2
	}
	defer func() { reuseIdleUntil = true }()
	for _, w := range shortcutWorlds(t) {
		for _, api := range []int{28, 34} {
			for seed := uint64(1); seed <= 2; seed++ {
				for _, slice := range []time.Duration{7 * time.Minute, 0} {
					name := fmt.Sprintf("%s API %d seed %d slice %v", w.name, api, seed, slice)
					reuseIdleUntil = false
					again := runFolding(t, true, w.profile, w.initial, seed, days, slice, api)
					reuseIdleUntil = true
					reused := runFolding(t, true, w.profile, w.initial, seed, days, slice, api)
					require.Equal(t, again.states, reused.states, "%s: state at the checkpoints", name)
					require.Equal(t, again.runs, reused.runs, "%s: runs", name)
					require.Equal(t, again.deferrals, reused.deferrals, "%s: deferrals", name)
					require.Equal(t, again.final, reused.final, "%s: final state", name)
					require.Equal(t, again.fired, reused.fired, "%s: events fired", name)
				}
			}
		}
	}
}
