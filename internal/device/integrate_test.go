package device

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

// integrateBranching is integrate as it was written with a branch on every
// carry, on the screen's state and on a zero load: the reference the
// branch-free form must match.
func integrateBranching(d *Device, dt int64) {
	var lq, lr uint64
	if d.load > 0 {
		u := &d.used[0]
		if d.st.ScreenOn {
			u = &d.used[1]
		}
		lq, lr = uAh(d.load, dt)
		u.rem += int64(lr)
		q := lq
		if u.rem >= uAnsPerUAh {
			u.rem -= uAnsPerUAh
			q++
		}
		u.uAh += int64(q)
	}
	if d.amps == 0 {
		return
	}
	a := d.amps
	neg := a < 0
	if neg {
		a = -a
	}
	var q, r uint64
	if a == d.load {
		q, r = lq, lr
	} else {
		q, r = uAh(a, dt)
	}
	full := d.fullUAh()
	b := &d.st.Battery
	if !neg {
		d.rem += int64(r)
		if d.rem >= uAnsPerUAh {
			d.rem -= uAnsPerUAh
			q++
		}
		if q >= uint64(full) || b.ChargeUAh+int64(q) >= full {
			b.ChargeUAh, d.rem = full, 0
			return
		}
		b.ChargeUAh += int64(q)
		return
	}
	d.rem -= int64(r)
	if d.rem < 0 {
		d.rem += uAnsPerUAh
		q++
	}
	if q > uint64(b.ChargeUAh) {
		b.ChargeUAh, d.rem = 0, 0
		return
	}
	b.ChargeUAh -= int64(q)
}

// integrate (the sub-µAh carries and the screen's counter without
// branches) leaves the battery, its remainder and both Used counters
// exactly where the branching form does: draining, charging, on a charger
// that only carries the load, with no load, across the empty and the full
// battery, over spans from a nanosecond to weeks and remainders on either
// side of a carry.
func TestIntegrateMatchesBranches(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	spans := []int64{1, 2, 999, 1_000_000, 3_600_000_000_000, 86_400_000_000_000, 30 * 86_400_000_000_000}
	loads := []int64{0, 1, 8_000, 50_000, 368_000, 1_000_000}
	for i := 0; i < 200_000; i++ {
		var d Device
		d.st.Battery.CapacityMAh = 1 + r.Int64N(MaxCapacityMAh)
		full := d.fullUAh()
		switch r.IntN(4) {
		case 0:
			d.st.Battery.ChargeUAh = 0
		case 1:
			d.st.Battery.ChargeUAh = full
		default:
			d.st.Battery.ChargeUAh = r.Int64N(full + 1)
		}
		d.st.ScreenOn = r.IntN(2) == 0
		d.load = loads[r.IntN(len(loads))]
		switch r.IntN(4) {
		case 0:
			d.amps = -d.load // on battery
		case 1:
			d.amps = 0 // held, or off
		case 2:
			d.amps = 1 + r.Int64N(2_500_000) // charging
		default:
			d.amps = -1 - r.Int64N(2_500_000) // a charger short of the load
		}
		// Remainders at and around the carry.
		for k, rem := range []int64{0, uAnsPerUAh - 1, r.Int64N(uAnsPerUAh)} {
			if r.IntN(3) == k {
				d.rem = rem
			}
		}
		d.used[0] = charge{r.Int64N(1 << 40), r.Int64N(uAnsPerUAh)}
		d.used[1] = charge{r.Int64N(1 << 40), r.Int64N(uAnsPerUAh)}
		dt := spans[r.IntN(len(spans))]
		if r.IntN(2) == 0 {
			dt = 1 + r.Int64N(dt)
		}
		want := d
		integrateBranching(&want, dt)
		d.integrate(dt)
		require.Equal(t, want.st.Battery, d.st.Battery, "case %d: battery", i)
		require.Equal(t, want.rem, d.rem, "case %d: remainder", i)
		require.Equal(t, want.used, d.used, "case %d: used", i)
	}
}

// loadSum is Load as the sum of the consumers written out with a branch
// for each: the reference the table-driven form must match.
func loadSum(d *Device) int64 {
	if d.st.Power != PowerOn {
		return 0
	}
	c := &d.cur
	load := c.SleepUA
	active := d.st.ScreenOn || d.busy > 0 || d.tailOn
	if d.st.ScreenOn {
		load += scaleLP(c.ScreenOnUA, d.st.LowPower, c.LowPowerPermille)
	} else if d.tailOn {
		load += scaleLP(c.TailUA, d.st.LowPower, c.LowPowerPermille)
	}
	load += int64(min(d.busy, c.MaxTasks)) * c.TaskUA
	switch d.st.Network.Type {
	case NetworkWiFi:
		if active {
			load += c.WiFiActiveUA
		} else {
			load += c.WiFiIdleUA
		}
	case NetworkCellular:
		if active {
			load += c.CellActiveUA
		} else {
			load += c.CellIdleUA
		}
	}
	return load
}

// Load from its tables is the sum of the consumers in every combination of
// power, screen, tail, Low Power Mode, running tasks and network, under
// the default power model and random ones (every current distinct, so a
// term read from the wrong cell shows).
func TestLoadMatchesTheSum(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	models := []Currents{DefaultCurrents}
	for range 20 {
		c := DefaultCurrents
		for _, f := range []*int64{&c.SleepUA, &c.ScreenOnUA, &c.TailUA, &c.TaskUA, &c.WiFiActiveUA, &c.CellActiveUA, &c.WiFiIdleUA, &c.CellIdleUA} {
			*f = r.Int64N(1_000_000)
		}
		c.MaxTasks = r.IntN(6)
		c.LowPowerPermille = r.Int64N(1001)
		models = append(models, c)
	}
	for _, cur := range models {
		eng := sim.New(t0, 1)
		d := New(eng, Config{Initial: DefaultState(), Currents: cur})
		for _, power := range []Power{PowerOn, PowerOff} {
			for _, net := range []NetworkType{NetworkNone, NetworkWiFi, NetworkCellular, "satellite"} {
				for mask := range 8 {
					for _, busy := range []int{0, 1, 2, 5, 9} {
						d.st.Power, d.st.Network.Type = power, net
						d.st.ScreenOn, d.tailOn, d.st.LowPower = mask&1 != 0, mask&2 != 0, mask&4 != 0
						d.busy = busy
						require.Equal(t, loadSum(d), d.Load(), "%+v %s %s mask %d busy %d", cur, power, net, mask, busy)
					}
				}
			}
		}
	}
}

// plug and inUA (chargerSet) follow the charger from New and through every
// plug and unplug, of each kind and of one the power model has no current
// for; a listener told of the change already finds them up to date.
func TestChargerCacheFollowsTheCharger(t *testing.T) {
	want := func(d *Device) (bool, int64) {
		switch d.st.Charger {
		case ChargerAC:
			return true, d.cur.ChargeACUA
		case ChargerUSB:
			return true, d.cur.ChargeUSBUA
		case ChargerWireless:
			return true, d.cur.ChargeWirelUA
		case ChargerNone:
			return false, 0
		}
		return true, 0
	}
	for _, initial := range []Charger{"", ChargerNone, ChargerAC, ChargerUSB, ChargerWireless, "solar"} {
		st := DefaultState()
		st.Charger = initial
		d := New(sim.New(t0, 1), Config{Initial: st})
		check := func(when string) {
			plug, in := want(d)
			require.Equal(t, plug, d.plugged(), "%s: plugged", when)
			require.Equal(t, in, d.inUA, "%s: charger current", when)
		}
		check(fmt.Sprintf("new with %q", initial))
		told := 0
		d.Subscribe(ListenerFunc(func(c *Change) {
			if c.Kind == ChangeCharger {
				told++
				check("told of " + c.Reason)
			}
		}))
		for _, c := range []Charger{ChargerUSB, ChargerNone, "solar", ChargerWireless, ChargerAC, ChargerNone, "", ChargerAC} {
			d.SetCharger(c)
			check(fmt.Sprintf("after %q", c))
		}
		require.Positive(t, told)
	}
}
