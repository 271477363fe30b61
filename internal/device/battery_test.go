package device

import (
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default power model (DefaultCurrents): screen-off floor 8 mA, Wi-Fi
// idle 2 mA, cellular idle 5 mA, screen on 300 mA, Wi-Fi active 60 mA,
// cellular active 180 mA, one task 150 mA. 1 µAh = 3.6e12 µA·ns.
const uAns = 3_600_000_000_000

// From SetBatteryLevel(16) on a 4000 mAh battery the charge is 16.5 %
// (660,000 µAh); the level reads 15 the first nanosecond the charge is below
// 640,000 µAh, i.e. after 20,000 µAh: t = ⌊20,000 µAh / I⌋ + 1 ns.
func TestBatteryCrossesLowAtComputedInstant(t *testing.T) {
	cases := []struct {
		name  string
		setup func(d *Device)
		ua    int64
	}{
		{"screen off on wifi", func(d *Device) {}, 8_000 + 2_000},
		{"screen off on cellular", func(d *Device) {
			d.SetNetwork(Network{Type: NetworkCellular, Metered: true, Validated: true})
		}, 8_000 + 5_000},
		{"screen off, no network", func(d *Device) { d.SetNetwork(Network{Type: NetworkNone}) }, 8_000},
		{"screen on on wifi", func(d *Device) { d.SetScreen(true) }, 8_000 + 300_000 + 60_000},
		{"a task running on cellular", func(d *Device) {
			d.SetNetwork(Network{Type: NetworkCellular, Validated: true})
			d.TaskStarted()
		}, 8_000 + 150_000 + 180_000},
		{"two tasks on wifi", func(d *Device) { d.SetCPUBusy(2) }, 8_000 + 2*150_000 + 60_000},
		{"screen on in low power mode", func(d *Device) { d.SetLowPower(true); d.SetScreen(true) }, 8_000 + 240_000 + 60_000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(nil)
			r.dev.SetBatteryLevel(16)
			tc.setup(r.dev)
			require.Equal(t, -tc.ua, r.dev.Current())
			r.reset()
			require.NoError(t, r.eng.RunFor(48*time.Hour))
			want := t0.Add(time.Duration(20_000*uAns/tc.ua + 1))
			lvl, ok := r.first(ChangeBatteryLevel)
			require.True(t, ok)
			assert.Equal(t, want, lvl.At, "15 %% reached at")
			assert.Equal(t, 15, lvl.State.Battery.Level())
			low, ok := r.first(ChangeBatteryLow)
			require.True(t, ok)
			assert.Equal(t, want, low.At, "battery low at")
			// The level event comes before the low event at the same instant.
			assert.Equal(t, []ChangeKind{ChangeBatteryLevel, ChangeBatteryLow}, r.kinds()[:2])
		})
	}
}

// Each whole percent is one event, 40,000 µAh (1 % of 4000 mAh) apart.
func TestBatteryStepsEveryPercent(t *testing.T) {
	r := newRig(nil)
	r.dev.SetBatteryLevel(50)
	r.reset()
	require.NoError(t, r.eng.RunFor(10*time.Hour))
	var steps []Change
	for _, c := range r.changes {
		if c.Kind == ChangeBatteryLevel {
			steps = append(steps, c)
		}
	}
	// 10 h at 10 mA = 100,000 µAh = 2.5 %: 50.5 → 48.0, so 50→49→48.
	require.Len(t, steps, 2)
	assert.Equal(t, t0.Add(time.Duration(20_000*uAns/10_000+1)), steps[0].At)
	assert.Equal(t, t0.Add(time.Duration(60_000*uAns/10_000+1)), steps[1].At)
	assert.Equal(t, 48, steps[1].State.Battery.Level())
	assert.Equal(t, int64(2_020_000-100_000), r.dev.State().Battery.ChargeUAh)
}

// Charging on AC: 2500 mA to 80 %, then halved at 80, 90 and 95 %, minus the
// device's own load; held at 100 %.
func TestChargingCurve(t *testing.T) {
	r := newRig(nil)
	r.dev.SetBatteryLevel(50) // 2,020,000 µAh
	r.dev.SetCharger(ChargerAC)
	r.reset()
	require.NoError(t, r.eng.RunFor(24*time.Hour))
	at := map[int]time.Time{}
	for _, c := range r.changes {
		if c.Kind == ChangeBatteryLevel {
			at[c.State.Battery.Level()] = c.At
		}
	}
	// The exact crossing instants, as rationals: each percent band is
	// crossed at (taper(level) − load); the event is the first nanosecond at
	// or after the instant.
	load := int64(10_000)
	taper := func(lvl int) int64 {
		switch {
		case lvl >= 95:
			return 2_500_000 / 8
		case lvl >= 90:
			return 2_500_000 / 4
		case lvl >= 80:
			return 2_500_000 / 2
		}
		return 2_500_000
	}
	// Each band is crossed at its own current; the current changes at the
	// event, the first nanosecond at or after the boundary is reached, so
	// the charge carries the sub-nanosecond overshoot into the next band.
	charge := new(big.Int).Mul(big.NewInt(2_020_000), big.NewInt(uAns)) // µA·ns
	var elapsed int64
	for lvl := 51; lvl <= 100; lvl++ {
		amps := big.NewInt(taper(lvl-1) - load)
		deficit := new(big.Int).Mul(big.NewInt(int64(lvl)*40_000), big.NewInt(uAns))
		deficit.Sub(deficit, charge)
		dt, rem := new(big.Int).QuoRem(deficit, amps, new(big.Int))
		if rem.Sign() > 0 {
			dt.Add(dt, big.NewInt(1))
		}
		charge.Add(charge, new(big.Int).Mul(dt, amps))
		elapsed += dt.Int64()
		assert.Equal(t, t0.Add(time.Duration(elapsed)), at[lvl], "level %d", lvl)
	}
	// 50.5 % → 80 % is 1,180,000 µAh at 2,490,000 µA: 28 min 26 s.
	assert.Equal(t, "28m26.024096386s", at[80].Sub(t0).String())
	require.Contains(t, at, 100)
	assert.Len(t, at, 50, "one event per percent from 51 to 100")
	// Full on the charger: no more battery events.
	assert.Equal(t, int64(0), r.dev.Current())
	assert.Equal(t, 100, r.dev.State().Battery.Level())
	// 50 % to full takes 1 h 46 min on AC: half of it for the last 20 %.
	assert.Equal(t, 106, int(at[100].Sub(t0).Minutes()))
}

// BatteryService: low at ≤ 15 % unplugged, okay again at ≥ 20 %, and
// plugging in clears low at once (config_lowBatteryWarningLevel 15 +
// config_lowBatteryCloseWarningBump 5).
func TestBatteryLowHysteresis(t *testing.T) {
	type step struct {
		do      func(d *Device)
		wantLow bool
		emitted []ChangeKind
	}
	level := func(n int) func(*Device) { return func(d *Device) { d.SetBatteryLevel(n) } }
	cases := []struct {
		name  string
		th    Thresholds
		steps []step
	}{
		{"classic 15/20", DefaultThresholds, []step{
			{level(16), false, []ChangeKind{ChangeBatteryLevel}},
			{level(15), true, []ChangeKind{ChangeBatteryLevel, ChangeBatteryLow}},
			{level(17), true, []ChangeKind{ChangeBatteryLevel}},
			{level(19), true, []ChangeKind{ChangeBatteryLevel}},
			{level(20), false, []ChangeKind{ChangeBatteryLevel, ChangeBatteryOkay}},
			{level(19), false, []ChangeKind{ChangeBatteryLevel}},
			{level(3), true, []ChangeKind{ChangeBatteryLevel, ChangeBatteryLow}},
			{func(d *Device) { d.SetCharger(ChargerUSB) }, false, []ChangeKind{ChangeCharger, ChangeBatteryOkay}},
			{func(d *Device) { d.SetCharger(ChargerNone) }, true, []ChangeKind{ChangeCharger, ChangeBatteryLow}},
		}},
		{"newer 20/25", Thresholds{BatteryLowPercent: 20, BatteryOkayPercent: 25, StorageLowPercent: 5, StorageLowMaxBytes: 500 << 20}, []step{
			{level(21), false, []ChangeKind{ChangeBatteryLevel}},
			{level(20), true, []ChangeKind{ChangeBatteryLevel, ChangeBatteryLow}},
			{level(24), true, []ChangeKind{ChangeBatteryLevel}},
			{level(25), false, []ChangeKind{ChangeBatteryLevel, ChangeBatteryOkay}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(func(c *Config) { c.Thresholds = tc.th })
			for i, s := range tc.steps {
				r.reset()
				s.do(r.dev)
				assert.Equal(t, s.wantLow, r.dev.State().BatteryLow, "step %d", i)
				assert.Equal(t, s.emitted, r.kinds(), "step %d", i)
			}
		})
	}
}

// Draining through 15 % while unplugged raises low once; plugging in clears
// it; draining from 16 % after unplugging raises it again at 15 %.
func TestBatteryLowWhileDraining(t *testing.T) {
	r := newRig(nil)
	r.dev.SetBatteryLevel(16)
	r.dev.SetScreen(true)
	require.NoError(t, r.eng.RunFor(30*time.Minute))
	require.True(t, r.dev.State().BatteryLow)
	r.dev.SetCharger(ChargerAC)
	assert.False(t, r.dev.State().BatteryLow)
	require.NoError(t, r.eng.RunFor(5*time.Minute))
	lvl := r.dev.State().Battery.Level()
	assert.Greater(t, lvl, 15)
	r.dev.SetCharger(ChargerNone)
	assert.False(t, r.dev.State().BatteryLow, "unplugged above 15 %%: not low until it drains to 15 %% again")
	require.NoError(t, r.eng.RunFor(time.Duration(lvl-15)*10*time.Hour))
	assert.True(t, r.dev.State().BatteryLow)
}

func TestDeadBatteryShutsDownAndBootsOnCharge(t *testing.T) {
	r := newRig(nil)
	r.dev.SetBatteryLevel(0) // 0.5 % = 20,000 µAh
	r.reset()
	require.NoError(t, r.eng.RunFor(3*time.Hour))
	off, ok := r.first(ChangePowerOff)
	require.True(t, ok)
	// 20,000 µAh at 10 mA: exactly 2 h.
	assert.Equal(t, t0.Add(2*time.Hour), off.At)
	assert.Equal(t, PowerOff, r.dev.State().Power)
	assert.Equal(t, int64(0), r.dev.Current(), "a dead device draws nothing")
	// Plug in: boots once the battery reaches 2 % (80,000 µAh at 2.5 A).
	r.reset()
	r.dev.SetCharger(ChargerAC)
	require.NoError(t, r.eng.RunFor(time.Hour))
	boot, ok := r.first(ChangeBootCompleted)
	require.True(t, ok)
	assert.Equal(t, t0.Add(3*time.Hour+time.Duration((80_000*uAns+2_500_000-1)/2_500_000)), boot.At)
	assert.Equal(t, PowerOn, r.dev.State().Power)
}

func TestChargeIsConserved(t *testing.T) {
	// Many state changes at odd instants: the charge equals the integral of
	// the currents, to the µA·ns.
	r := newRig(nil)
	want := new(big.Int).Mul(big.NewInt(3_220_000), big.NewInt(uAns))
	cur := r.dev.Current()
	for i := range 500 {
		d := time.Duration(1_000_003_001 * int64(i%7+1))
		require.NoError(t, r.eng.RunFor(d))
		want.Add(want, new(big.Int).Mul(big.NewInt(cur), big.NewInt(int64(d))))
		switch i % 4 {
		case 0:
			r.dev.SetScreen(i%3 == 0)
		case 1:
			r.dev.SetCPUBusy(1)
		case 2:
			r.dev.SetCPUBusy(-1)
		case 3:
			r.dev.SetNetwork(Network{Type: NetworkCellular, Validated: true})
		}
		cur = r.dev.Current()
	}
	got := new(big.Int).Mul(big.NewInt(r.dev.State().Battery.ChargeUAh), big.NewInt(uAns))
	got.Add(got, big.NewInt(r.dev.rem))
	assert.Equal(t, want.String(), got.String())
}

// A USB charger (500 mA, 250 mA from 80 %) with the screen on (368 mA):
// charges to 80 % and holds there, rather than oscillating across 80 %.
func TestWeakChargerHoldsAtTaperBoundary(t *testing.T) {
	r := newRig(nil)
	r.dev.SetBatteryLevel(78)
	r.dev.SetScreen(true)
	r.dev.SetCharger(ChargerUSB)
	assert.Equal(t, int64(500_000-368_000), r.dev.Current())
	require.NoError(t, r.eng.RunFor(24*time.Hour))
	assert.Equal(t, 80, r.dev.State().Battery.Level())
	assert.Equal(t, int64(0), r.dev.Current())
	assert.Less(t, r.eng.Fired(), uint64(10))
	// Plugged in at 90 % with the screen on: drains to 80 % and holds.
	r.dev.SetBatteryLevel(90)
	require.NoError(t, r.eng.RunFor(24*time.Hour))
	assert.Equal(t, 80, r.dev.State().Battery.Level())
}

// Used integrates the load exactly, by screen state, whatever supplies it.
func TestUsedCharge(t *testing.T) {
	r := newRig(nil)
	r.dev.SetCharger(ChargerAC) // the charger supplies the load: still counted
	require.NoError(t, r.eng.RunFor(time.Hour))
	on, off := r.dev.Used()
	assert.Equal(t, int64(0), on)
	assert.Equal(t, int64(10_000), off, "10 mA for 1 h")
	r.dev.SetScreen(true)
	require.NoError(t, r.eng.RunFor(30*time.Minute))
	on, off = r.dev.Used()
	assert.Equal(t, int64(368_000/2), on)
	r.dev.SetScreen(false)
	require.NoError(t, r.eng.RunFor(time.Hour))
	_, off2 := r.dev.Used()
	// 5 min of tail (50 + 60 + 8 mA: 9,833⅓ µAh) then 55 min at 10 mA
	// (9,166⅔ µAh): exactly 19,000 µAh, no rounding lost.
	assert.Equal(t, off+19_000, off2)
}
