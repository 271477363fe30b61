package device

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

// neutralTrack is everything a device run shows: every change in full
// (before and after, kind, reason, instant) with the battery step planned
// when it was told, the trace, the charge used, the final state and the
// number of events fired.
type neutralTrack struct {
	changes  []string
	trace    []string
	used     [2]int64
	final    State
	fired    uint64
	tasks    int
	deferred int // changes told while the step's move was deferred
}

// runNeutral drives a device with a profile and a listener that calls back
// into it (a task while the app is in the foreground, the process started
// and suspended as an OS model would, Low Power Mode on at battery low and
// off on the charger), so that changes nest.
func runNeutral(t *testing.T, full, sparse bool, seed uint64, profile Profile, initial State, days int) neutralTrack {
	t.Helper()
	fullApply = full
	defer func() { fullApply = false }()
	return runDeviceWith(t, sparse, seed, profile, initial, DefaultCurrents, days)
}

// runDeviceWith is runNeutral with the shortcuts as they are set and the
// power model cur.
func runDeviceWith(t *testing.T, sparse bool, seed uint64, profile Profile, initial State, cur Currents, days int) neutralTrack {
	t.Helper()
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	eng := sim.New(start, seed)
	var rec sim.Recorder
	eng.AddSink(&rec)
	d := New(eng, Config{Initial: initial, Currents: cur})
	var tr neutralTrack
	running := false
	d.Subscribe(ListenerFunc(func(c *Change) {
		// The battery step as planned: where it is queued, or (deferred,
		// recompute) where it will be once the tail ends.
		at, ok := eng.When(d.stepTimer)
		if ok && d.stale {
			tr.deferred++
			// (The tail may just have been cancelled: the screen came on
			// or the device powers off, and recompute follows the change.)
			require.True(t, d.tailAt < d.stepAt && d.tailAt < int64(at.Sub(start)), "a deferred step waits for the tail's end")
			at = start.Add(time.Duration(d.stepAt))
		}
		tr.changes = append(tr.changes, fmt.Sprintf("%s %s %q prev=%+v state=%+v step=%v,%t amps=%d load=%d",
			sim.FormatOffset(c.At.Sub(start)), c.Kind, c.Reason, c.Prev, c.State, at.Sub(start), ok, d.amps, d.load))
	}))
	d.Subscribe(ListenerFunc(func(c *Change) {
		switch c.Kind {
		case ChangeAppLaunched:
			if !running {
				running = true
				tr.tasks++
				d.TaskStarted()
			}
		case ChangeAppBackground:
			if running {
				running = false
				d.TaskEnded()
			}
			d.SuspendProcess()
		case ChangeLock:
			if !c.State.Locked {
				d.StartProcess()
			}
		case ChangeBatteryLow:
			d.SetLowPower(true) // as iOS offers at 20 %
			d.SetThermal(ThermalFair)
		case ChangeCharger:
			if c.State.Charger != ChargerNone {
				d.SetLowPower(false)
				d.SetThermal(ThermalNominal)
			}
		}
	}))
	until := start.Add(time.Duration(days) * 24 * time.Hour)
	require.NoError(t, d.ApplyProfile(profile, until))
	d.SetSparseBattery(sparse)
	require.NoError(t, eng.RunUntil(until))
	for _, r := range rec.Records {
		tr.trace = append(tr.trace, fmt.Sprintf("%s %s %s %s %v", sim.FormatOffset(r.At), r.Kind, r.Subject, r.Reason, r.Fields))
	}
	tr.used[0], tr.used[1] = d.Used()
	tr.final = d.State()
	tr.fired = eng.Fired()
	return tr
}

// Changes that touch nothing the battery or the derived signals read (the
// lock, motion, the app's process state: applyNeutral) skip derive and
// recompute; changes of the power state, screen, network and Low Power
// Mode (applyPower) skip derive. Every built-in profile, with per-percent and sparse battery,
// from the default state, from 18 % and 15 % (battery low, okay on the
// charger, shutdown, boot on the charger, the taper levels), three seeds: every change is told in the
// same order with the same states, the battery step planned at each is the
// same, and so are the trace, the charge used, the final state and the
// events fired.
func TestNeutralChangesSkipNothing(t *testing.T) {
	days := 10
	if testing.Short() {
		days = 4
	}
	low := DefaultState()
	low.Battery.ChargeUAh = LevelCharge(low.Battery.CapacityMAh, 18)
	neverCharges := mustProfile(t, "heavy-user")
	neverCharges.Charging = Charging{}
	type world struct {
		name    string
		profile Profile
		initial State
	}
	// Low at once, then plugged in at bedtime (battery okay on the charger).
	lowNow := DefaultState()
	lowNow.Battery.ChargeUAh = LevelCharge(lowNow.Battery.CapacityMAh, 15)
	worlds := []world{{"heavy user who never charges, from 18 %", neverCharges, low},
		{"heavy user from 15 %", mustProfile(t, "heavy-user"), lowNow}}
	for _, name := range ProfileNames() {
		worlds = append(worlds, world{name, mustProfile(t, name), DefaultState()}, world{name + " from 18 %", mustProfile(t, name), low})
	}
	tasks, lowPower := 0, 0
	for _, w := range worlds {
		for _, sparse := range []bool{false, true} {
			for seed := uint64(1); seed <= 3; seed++ {
				name := fmt.Sprintf("%s sparse=%t seed %d", w.name, sparse, seed)
				full := runNeutral(t, true, sparse, seed, w.profile, w.initial, days)
				lean := runNeutral(t, false, sparse, seed, w.profile, w.initial, days)
				require.Equal(t, len(full.changes), len(lean.changes), "%s: number of changes", name)
				for i := range full.changes {
					require.Equal(t, full.changes[i], lean.changes[i], "%s: change %d", name, i)
				}
				require.Equal(t, full.trace, lean.trace, "%s: trace", name)
				assert.Equal(t, full.used, lean.used, "%s: charge used", name)
				assert.Equal(t, full.final, lean.final, "%s: final state", name)
				assert.Equal(t, full.fired, lean.fired, "%s: events fired", name)
				tasks += full.tasks
				if full.final.LowPower {
					lowPower++
				}
			}
		}
	}
	assert.Positive(t, tasks, "some listener ran a task from a change")
	assert.Positive(t, lowPower, "some run ends in Low Power Mode")
}

// Deferring the battery step's move while the screen-off tail runs
// (recompute, deferStep) changes nothing: the same worlds as
// TestNeutralChangesSkipNothing, with every move made at once and
// deferred, give the same changes with the same planned step, the same
// trace, charge used, final state and events fired. One world has a tail
// that draws nothing, so that its end leaves the current as it was and
// the deferred step is queued where it was planned (ScheduleReserved)
// instead of moved.
func TestDeferredStepChangesNothing(t *testing.T) {
	days := 10
	if testing.Short() {
		days = 4
	}
	low := DefaultState()
	low.Battery.ChargeUAh = LevelCharge(low.Battery.CapacityMAh, 18)
	neverCharges := mustProfile(t, "heavy-user")
	neverCharges.Charging = Charging{}
	// A tail that costs nothing: its end leaves the current as it was, so
	// the deferred step is queued where it was planned, not moved.
	freeTail := DefaultState()
	type world struct {
		name    string
		profile Profile
		initial State
		cur     Currents
	}
	noTailCurrent := DefaultCurrents
	noTailCurrent.TailUA = 0
	noTailCurrent.WiFiActiveUA, noTailCurrent.CellActiveUA = noTailCurrent.WiFiIdleUA, noTailCurrent.CellIdleUA
	worlds := []world{
		{"heavy user who never charges, from 18 %", neverCharges, low, DefaultCurrents},
		{"office worker, a tail that draws nothing", mustProfile(t, "office-worker"), freeTail, noTailCurrent},
	}
	for _, name := range ProfileNames() {
		worlds = append(worlds, world{name, mustProfile(t, name), DefaultState(), DefaultCurrents}, world{name + " from 18 %", mustProfile(t, name), low, DefaultCurrents})
	}
	deferred := 0
	for _, w := range worlds {
		for _, sparse := range []bool{false, true} {
			for seed := uint64(1); seed <= 3; seed++ {
				name := fmt.Sprintf("%s sparse=%t seed %d", w.name, sparse, seed)
				eagerStep = true
				eager := runDeviceWith(t, sparse, seed, w.profile, w.initial, w.cur, days)
				eagerStep = false
				lazy := runDeviceWith(t, sparse, seed, w.profile, w.initial, w.cur, days)
				require.Equal(t, len(eager.changes), len(lazy.changes), "%s: number of changes", name)
				for i := range eager.changes {
					require.Equal(t, eager.changes[i], lazy.changes[i], "%s: change %d", name, i)
				}
				require.Equal(t, eager.trace, lazy.trace, "%s: trace", name)
				assert.Equal(t, eager.used, lazy.used, "%s: charge used", name)
				assert.Equal(t, eager.final, lazy.final, "%s: final state", name)
				assert.Equal(t, eager.fired, lazy.fired, "%s: events fired", name)
				assert.Zero(t, eager.deferred, name)
				deferred += lazy.deferred
			}
		}
	}
	assert.Positive(t, deferred, "some moves were deferred")
}
