package device

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
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
