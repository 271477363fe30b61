package device

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

// sparseTrack is what a device run shows its listeners and its owner, with
// the whole-percent steps left out: the rest must not depend on
// SetSparseBattery.
type sparseTrack struct {
	changes  []Change
	steps    int
	used     [2]int64
	final    State
	lowAt    []time.Duration
	powerOff []time.Duration
}

func runSparse(t *testing.T, sparse bool, seed uint64, profile Profile, initial State, days int) sparseTrack {
	t.Helper()
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	eng := sim.New(start, seed)
	d := New(eng, Config{Initial: initial})
	var tr sparseTrack
	d.Subscribe(ListenerFunc(func(c *Change) {
		if c.Kind == ChangeBatteryLevel {
			tr.steps++
			return
		}
		cc := *c
		cc.Prev = State{} // a step's Prev differs: only the present is compared
		tr.changes = append(tr.changes, cc)
		switch c.Kind {
		case ChangeBatteryLow:
			tr.lowAt = append(tr.lowAt, eng.Elapsed())
		case ChangePowerOff:
			tr.powerOff = append(tr.powerOff, eng.Elapsed())
		}
	}))
	until := start.Add(time.Duration(days) * 24 * time.Hour)
	require.NoError(t, d.ApplyProfile(profile, until))
	d.SetSparseBattery(sparse)
	require.NoError(t, eng.RunUntil(until))
	tr.used[0], tr.used[1] = d.Used()
	tr.final = d.State()
	return tr
}

// Sparse battery events change nothing but the ChangeBatteryLevel reports:
// every other change happens at the same instant with the same state, and
// the charge used and the final state are the same to the µAh. The cases
// reach battery low, an empty battery (shutdown) and booting on the
// charger, and the charger's taper levels.
func TestSparseBatteryChangesNothingElse(t *testing.T) {
	low := DefaultState()
	low.Battery.ChargeUAh = LevelCharge(low.Battery.CapacityMAh, 18)
	neverCharges := mustProfile(t, "heavy-user")
	neverCharges.Charging = Charging{}
	cases := []struct {
		name    string
		profile Profile
		initial State
		days    int
	}{
		{"office worker", mustProfile(t, "office-worker"), DefaultState(), 21},
		{"heavy user from 18 %", mustProfile(t, "heavy-user"), low, 14},
		{"heavy user who never charges", neverCharges, low, 6},
	}
	for _, name := range ProfileNames() {
		cases = append(cases, struct {
			name    string
			profile Profile
			initial State
			days    int
		}{"profile " + name, mustProfile(t, name), low, 10})
	}
	sawLow, sawOff := false, false
	for _, tc := range cases {
		for seed := uint64(1); seed <= 3; seed++ {
			every := runSparse(t, false, seed, tc.profile, tc.initial, tc.days)
			sparse := runSparse(t, true, seed, tc.profile, tc.initial, tc.days)
			require.Equal(t, len(every.changes), len(sparse.changes), "%s seed %d: number of changes", tc.name, seed)
			for i := range every.changes {
				require.Equal(t, every.changes[i], sparse.changes[i], "%s seed %d: change %d", tc.name, seed, i)
			}
			assert.Equal(t, every.used, sparse.used, "%s seed %d: charge used", tc.name, seed)
			assert.Equal(t, every.final, sparse.final, "%s seed %d: final state", tc.name, seed)
			assert.Zero(t, sparse.steps, "%s: a sparse battery reports no level steps", tc.name)
			assert.Positive(t, every.steps, "%s: level steps are reported by default", tc.name)
			sawLow = sawLow || len(every.lowAt) > 0
			sawOff = sawOff || len(every.powerOff) > 0
		}
	}
	assert.True(t, sawLow, "some case reaches battery low")
	assert.True(t, sawOff, "some case empties the battery")
}

// The next level that matters: chargeTaper's 80/90/95/100 % and, for a
// dead battery, Currents.BootPercent (2 %) while charging; the low
// threshold (15 %, config_lowBatteryWarningLevel) and 0 % while draining.
func TestSparseBatteryLevels(t *testing.T) {
	d := New(sim.New(time.Unix(0, 0).UTC(), 1), Config{Initial: DefaultState()})
	for _, tc := range []struct{ lvl, up, down int }{
		{0, 80, 0}, {1, 80, 0}, {15, 80, 0}, {16, 80, 15}, {50, 80, 15},
		{79, 80, 15}, {80, 90, 15}, {89, 90, 15}, {90, 95, 15}, {94, 95, 15}, {95, 100, 15}, {99, 100, 15},
	} {
		assert.Equal(t, tc.up, d.nextLevelUp(tc.lvl), "up from %d", tc.lvl)
		if tc.lvl > 0 {
			assert.Equal(t, tc.down, d.nextLevelDown(tc.lvl), "down from %d", tc.lvl)
		}
	}
	d.dead = true
	assert.Equal(t, 2, d.nextLevelUp(0))
	assert.Equal(t, 2, d.nextLevelUp(1))
	assert.Equal(t, 80, d.nextLevelUp(2))
}

// A span of many percent of the largest battery overflows 64-bit µA·ns;
// spanDiv divides it exactly in 128 bits.
func TestSpanDivLargeBattery(t *testing.T) {
	const full = MaxCapacityMAh * 1000 // µAh
	q, r := spanDiv(full, 0, 8_000)    // 100 Ah at 8 mA: 12,500 h
	assert.Equal(t, 12_500*time.Hour, q)
	assert.Zero(t, r)
	q, r = spanDiv(1, -1, 7) // (3.6e12 − 1) / 7
	assert.Equal(t, time.Duration((uAns-1)/7), q)
	assert.Equal(t, uint64((uAns-1)%7), r)
	q, _ = spanDiv(full, 0, 1) // 3.6e20 ns: beyond any run
	assert.Equal(t, maxSpan, q)
}

func mustProfile(t *testing.T, name string) Profile {
	t.Helper()
	p, ok := BuiltinProfile(name)
	require.True(t, ok, name)
	return p
}

// SilentTail vouches for the screen-off tail only where its end can notify
// no listener and bring no event forward.
func TestSilentTail(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	build := func(sparse bool, mutate func(*State)) (*Device, *sim.Engine) {
		eng := sim.New(start, 1)
		st := DefaultState()
		st.ScreenOn = true
		if mutate != nil {
			mutate(&st)
		}
		d := New(eng, Config{Initial: st})
		d.SetSparseBattery(sparse)
		return d, eng
	}
	d, eng := build(true, nil)
	_, _, ok := d.SilentTail()
	assert.False(t, ok, "no tail while the screen is on")
	d.SetScreen(false)
	tail, tailAt, ok := d.SilentTail()
	require.True(t, ok, "sparse, unplugged, on: the tail's end is silent")
	at, pending := eng.When(tail)
	require.True(t, pending)
	assert.Equal(t, DefaultCurrents.Tail, sim.Sub(at, start))
	assert.Equal(t, DefaultCurrents.Tail, tailAt)

	d, _ = build(false, nil)
	d.SetScreen(false)
	_, _, ok = d.SilentTail()
	assert.False(t, ok, "per-percent battery: the tail's end may report a level")

	d, _ = build(true, func(s *State) { s.Charger = ChargerAC })
	d.SetScreen(false)
	_, _, ok = d.SilentTail()
	assert.False(t, ok, "plugged in: the current after the tail may cross a level sooner")

	// The tail would end after the battery's next planned event: a nearly
	// empty battery dies within the tail.
	d, _ = build(true, func(s *State) { s.Battery.ChargeUAh = 5 })
	d.SetScreen(false)
	_, _, ok = d.SilentTail()
	assert.False(t, ok, "the battery's next event comes first")

	// Two tasks start during the tail: the drain grows, the crossing comes
	// sooner than where the step waits (its move deferred to the tail's
	// end): a model looking past the tail would find the step too late.
	d, _ = build(true, nil)
	d.SetScreen(false)
	d.SetCPUBusy(2)
	require.True(t, d.stale, "the step's move waits for the tail's end")
	require.Greater(t, d.queuedAt, d.stepAt)
	_, _, ok = d.SilentTail()
	assert.False(t, ok, "the step waits later than its crossing")
	d.SetCPUBusy(-2)
	_, _, ok = d.SilentTail()
	assert.True(t, ok, "the tasks ended: the step waits no later than its crossing")
}
