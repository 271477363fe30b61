package device

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

// Fire queues the next action's event without arm's check for a pending
// one. Every built-in profile, three seeds, with a listener that queues an
// event at each change's instant and applies the profile again from inside
// an action now and then (the replaced run's next event still fires, and
// returns at once): the trace, every change and event in order and the
// events fired are the same as with arm.
func TestFireArmsAsArmDoes(t *testing.T) {
	days := 8
	if testing.Short() {
		days = 3
	}
	run := func(plain bool, name string, seed uint64) []string {
		plainArm = plain
		defer func() { plainArm = false }()
		start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		eng := sim.New(start, seed)
		var rec sim.Recorder
		eng.AddSink(&rec)
		d := New(eng, Config{Initial: DefaultState()})
		p := mustProfile(t, name)
		until := start.Add(time.Duration(days) * 24 * time.Hour)
		var out []string
		n := 0
		d.Subscribe(ListenerFunc(func(c *Change) {
			n++
			line := fmt.Sprintf("%s %s %q", sim.FormatOffset(c.At.Sub(start)), c.Kind, c.Reason)
			out = append(out, line)
			// An event of the next phase at the same instant: the
			// profile's next action, when it falls on this instant too
			// (a trip's network and motion), comes first.
			eng.After(0, sim.PhaseDevice, "probe", sim.HandlerFunc(func(*sim.Engine) { out = append(out, "after "+line) }))
			if n%97 == 0 && c.Kind == ChangeLock {
				require.NoError(t, d.ApplyProfile(p, until))
			}
		}))
		require.NoError(t, d.ApplyProfile(p, until))
		d.SetSparseBattery(true)
		require.NoError(t, eng.RunUntil(until))
		for _, r := range rec.Records {
			out = append(out, fmt.Sprintf("%s %s %s %s %v", sim.FormatOffset(r.At), r.Kind, r.Subject, r.Reason, r.Fields))
		}
		return append(out, fmt.Sprintf("fired %d, state %+v", eng.Fired(), d.State()))
	}
	lines := 0
	for _, name := range ProfileNames() {
		for seed := uint64(1); seed <= 3; seed++ {
			plain, fast := run(true, name, seed), run(false, name, seed)
			require.Equal(t, plain, fast, "%s seed %d", name, seed)
			lines += len(plain)
		}
	}
	require.Greater(t, lines, 1000)
}
