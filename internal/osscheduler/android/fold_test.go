package android

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// foldRun is what one lean run (a fleet device: no trace, a Watch of
// deferrals only) leaves behind.
type foldRun struct {
	runs      []osscheduler.RunRecord
	deferrals []string
	states    []string // the Doze and scheduler state at each checkpoint
	final     string
	fired     uint64
	lowOrOff  int // battery-low and power-off changes the device went through
}

// dozeSnapshot is every field the light-Doze fold writes, and the timers it
// moves.
func dozeSnapshot(m *Model) string {
	d := &m.doze
	at := func(t time.Time) string {
		if t == never {
			return "never"
		}
		return sim.FormatOffset(sim.Sub(t, m.eng.Start()))
	}
	eval, ok := m.eng.When(m.evalTimer)
	if !ok {
		eval = never
	}
	// The light timer's instant the model keeps (lightAt) is the queue's.
	lightAt := ""
	if lt, ok := m.eng.When(d.lightT); ok && m.vt(lt) != d.lightAt {
		lightAt = fmt.Sprintf(" lightAt=%s (queued at %s)", sim.FormatOffset(time.Duration(d.lightAt)), at(lt))
	}
	return fmt.Sprintf("deep=%s light=%s nextLightIdle=%v maintFrom=%s lightT=%s deepT=%s eval=%s%s",
		dozeNames[d.deep], lightNames[d.light], d.nextLightIdle, at(d.lightMaintFrom), at(d.lightTimer()), at(d.deepTimer()), at(eval), lightAt)
}

// runFolding runs one device with a profile and two periodic works.
// checkpoint > 0 runs in slices of that length (and snapshots the state
// after each); 0 runs the whole span at once.
func runFolding(t *testing.T, fold bool, p device.Profile, initial device.State, seed uint64, days int, checkpoint time.Duration, api int) foldRun {
	t.Helper()
	foldLight = fold
	defer func() { foldLight = true }()
	eng := sim.New(t0, seed)
	var rec sim.Recorder
	eng.Watch(&rec, event.Deferred) // what a fleet watches: Tracing stays off
	m, dev, j, until := newTwoWorksDevice(t, eng, p, initial, days, api, true)
	require.False(t, eng.Tracing(), "a lean run")
	var out foldRun
	dev.Subscribe(device.ListenerFunc(func(c *device.Change) {
		if c.Kind == device.ChangeBatteryLow || c.Kind == device.ChangePowerOff {
			out.lowOrOff++
		}
	}))
	if checkpoint > 0 {
		for at := t0.Add(checkpoint); at.Before(until); at = at.Add(checkpoint) {
			require.NoError(t, eng.RunUntil(at))
			out.states = append(out.states, dozeSnapshot(m))
		}
	}
	require.NoError(t, eng.RunUntil(until))
	out.runs = j.Runs()
	for _, r := range rec.Records {
		out.deferrals = append(out.deferrals, fmt.Sprintf("%s %s %v", sim.FormatOffset(r.At), r.Subject, r.Fields))
	}
	out.final = dozeSnapshot(m)
	out.fired = eng.Fired()
	return out
}

// Folding quiet light-Doze steps (foldQuietLight) changes nothing a run
// leaves behind: the same runs, the same deferrals at the same instants, the
// same Doze and scheduler state at every checkpoint and at the end, whether
// the run is sliced (the fold stops at each slice's end) or not; and it
// fires fewer events.
func TestFoldedLightDozeChangesNothing(t *testing.T) {
	days := 7
	if testing.Short() {
		days = 3
	}
	type world struct {
		name    string
		profile device.Profile
		initial device.State
	}
	var worlds []world
	low := device.DefaultState()
	low.Battery.ChargeUAh = device.LevelCharge(low.Battery.CapacityMAh, 18)
	for _, name := range device.ProfileNames() {
		p, ok := device.BuiltinProfile(name)
		require.True(t, ok, name)
		worlds = append(worlds, world{name, p, device.DefaultState()})
	}
	// Battery low, shutdown and boot while light Doze cycles: a user who
	// never charges, from 18 %.
	neverCharges, _ := device.BuiltinProfile("light-user")
	neverCharges.Charging = device.Charging{}
	worlds = append(worlds, world{"light user from 18 % who never charges", neverCharges, low})
	var firedStepped, firedFolded uint64
	lowOrOff := 0
	for _, wd := range worlds {
		for _, api := range []int{28, 34} {
			for seed := uint64(1); seed <= 3; seed++ {
				name := fmt.Sprintf("%s API %d seed %d", wd.name, api, seed)
				stepped := runFolding(t, false, wd.profile, wd.initial, seed, days, 7*time.Minute, api)
				sliced := runFolding(t, true, wd.profile, wd.initial, seed, days, 7*time.Minute, api)
				whole := runFolding(t, true, wd.profile, wd.initial, seed, days, 0, api)
				require.Equal(t, stepped.states, sliced.states, "%s: state at the checkpoints", name)
				for _, got := range []foldRun{sliced, whole} {
					require.Equal(t, stepped.runs, got.runs, "%s: runs", name)
					require.Equal(t, stepped.deferrals, got.deferrals, "%s: deferrals", name)
					require.Equal(t, stepped.final, got.final, "%s: final state", name)
				}
				require.LessOrEqual(t, whole.fired, stepped.fired, name)
				require.Equal(t, stepped.lowOrOff, whole.lowOrOff, name)
				lowOrOff += stepped.lowOrOff
				firedStepped += stepped.fired
				firedFolded += whole.fired
			}
		}
	}
	require.Less(t, firedFolded, firedStepped, "the fold takes steps away")
	require.Positive(t, lowOrOff, "some world reaches battery low or shuts down")
	t.Logf("events: %d stepped, %d folded", firedStepped, firedFolded)
}

// The same-instant case of TestEvaluationSkippingKeepsSameInstantOrder in a
// lean run, where the window's start is folded into the step before it: the
// pass pending at the window's end must still come after the window's end.
func TestFoldedLightDozeKeepsSameInstantOrder(t *testing.T) {
	run := func(fold bool) ([]osscheduler.RunRecord, uint64) {
		foldLight = fold
		defer func() { foldLight = true }()
		eng := sim.New(t0, 7)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()}) // screen off, unplugged
		j := &osscheduler.Journal{}
		m := New(eng, dev, DefaultConfig(), &fakeExec{eng: eng, dur: 20 * time.Second}, j)
		windowEnd := m.prof.lightAfterInact + lightIdleTimeout + lightMaintMin
		_, err := m.EnqueueUniqueWork("edge", Keep, WorkRequest{TaskName: "edge", InitialDelay: windowEnd})
		require.NoError(t, err)
		require.NoError(t, eng.RunFor(2*time.Hour))
		runs := j.Runs()
		require.Len(t, runs, 1)
		require.Greater(t, runs[0].Start, windowEnd, "ran inside the window that ended at %v", windowEnd)
		return runs, eng.Fired()
	}
	stepped, firedStepped := run(false)
	folded, firedFolded := run(true)
	require.Equal(t, stepped, folded)
	require.Less(t, firedFolded, firedStepped, "a step was folded")
}
