package device

import (
	"math/bits"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// uAnsPerUAh is how many microampere-nanoseconds make one microampere-hour.
// Charge is integrated in µA·ns so that no current × time product is ever
// rounded: the battery is exact integer arithmetic on every CPU.
const uAnsPerUAh = 3_600_000_000_000

// Currents is the device's power model: battery currents in microamperes
// (µA) for each consumer, and the chargers' currents. The battery current at
// any instant is the sum of the consumers that are on; it changes only when
// the device's state does, so between two changes the charge moves in a
// straight line and the instant each whole percent is crossed is computed
// exactly.
//
// The defaults describe a mid-range 2020s phone with a 4000 mAh battery.
// Sources and rationale:
//   - AOSP's power model names the same consumers (screen.on, cpu.active,
//     wifi.active, radio.active, cpu.suspend/idle) in
//     frameworks/base/core/res/res/xml/power_profile.xml; OEM overlays (e.g.
//     device/google/*/overlay/.../power_profile.xml) give values of the same
//     order as the ones below.
//   - Screen-on: ~300 mA (display at typical brightness plus the SoC serving
//     the user) gives ~13 h of screen-on time from 4000 mAh, in line with
//     published screen-on endurance of such phones.
//   - Screen-off floor 8 mA (CPU suspended, modem paging): ~0.2 %/h, the
//     order of standby drain reviewers report; a screen-off "tail" of 50 mA
//     for 5 minutes after each session models apps syncing and radio tails,
//     which is why screen-off drain is a large share of the day (Chen et al.,
//     MobiCom 2015 "HUSH": 45.9 % of daily drain during screen-off, 28.9 %
//     from background app activity).
//   - A running background task: 150 mA per task (one big core busy), up to 4.
//   - Radio while active (screen on, a task running, or the tail): Wi-Fi
//     60 mA, cellular 180 mA (LTE's active state costs several times Wi-Fi's);
//     idle (paging) 2 mA Wi-Fi, 5 mA cellular.
//   - Chargers (current into the battery before the device's own load): AC
//     2500 mA (a ~10–18 W USB-PD charger), USB 500 mA (USB 2.0 port),
//     wireless 1000 mA (Qi 5–7.5 W after losses). Charging tapers above 80 %
//     (constant-current to ~80 %, then constant-voltage): full current below
//     80 %, 1/2 from 80 %, 1/4 from 90 %, 1/8 from 95 %; held at 100 %.
//   - Low Power Mode / Battery Saver cuts screen-on and tail current by 20 %
//     (dimmer screen, capped CPU).
type Currents struct {
	SleepUA       int64         `yaml:"sleep_ua" json:"sleep_ua"`
	ScreenOnUA    int64         `yaml:"screen_on_ua" json:"screen_on_ua"`
	TailUA        int64         `yaml:"tail_ua" json:"tail_ua"`
	Tail          time.Duration `yaml:"tail" json:"tail"`
	TaskUA        int64         `yaml:"task_ua" json:"task_ua"`
	MaxTasks      int           `yaml:"max_tasks" json:"max_tasks"`
	WiFiActiveUA  int64         `yaml:"wifi_active_ua" json:"wifi_active_ua"`
	CellActiveUA  int64         `yaml:"cell_active_ua" json:"cell_active_ua"`
	WiFiIdleUA    int64         `yaml:"wifi_idle_ua" json:"wifi_idle_ua"`
	CellIdleUA    int64         `yaml:"cell_idle_ua" json:"cell_idle_ua"`
	ChargeACUA    int64         `yaml:"charge_ac_ua" json:"charge_ac_ua"`
	ChargeUSBUA   int64         `yaml:"charge_usb_ua" json:"charge_usb_ua"`
	ChargeWirelUA int64         `yaml:"charge_wireless_ua" json:"charge_wireless_ua"`
	// LowPowerPermille scales screen-on and tail current in Low Power Mode.
	LowPowerPermille int64 `yaml:"low_power_permille" json:"low_power_permille"`
	// BootPercent is the level a dead (0 %) battery must charge back to before
	// the device boots again.
	BootPercent int `yaml:"boot_percent" json:"boot_percent"`
}

// DefaultCurrents is the power model described on Currents.
var DefaultCurrents = Currents{
	SleepUA:          8_000,
	ScreenOnUA:       300_000,
	TailUA:           50_000,
	Tail:             5 * time.Minute,
	TaskUA:           150_000,
	MaxTasks:         4,
	WiFiActiveUA:     60_000,
	CellActiveUA:     180_000,
	WiFiIdleUA:       2_000,
	CellIdleUA:       5_000,
	ChargeACUA:       2_500_000,
	ChargeUSBUA:      500_000,
	ChargeWirelUA:    1_000_000,
	LowPowerPermille: 800,
	BootPercent:      2,
}

// chargeTaper returns the charger current reaching the battery at level lvl:
// constant current to 80 %, then halving at 80, 90 and 95 % (a piecewise
// stand-in for the constant-voltage phase). Because it is constant within a
// whole percent, each percent step is still one exact event.
func chargeTaper(full int64, lvl int) int64 {
	switch {
	case lvl >= 100:
		return 0
	case lvl >= 95:
		return full / 8
	case lvl >= 90:
		return full / 4
	case lvl >= 80:
		return full / 2
	}
	return full
}

// Load is the device's own consumption right now, in µA (never negative).
//
// The sum of the consumers that are on: the sleep floor, the screen (or
// else the screen-off tail), the running tasks and the radio (active while
// the screen, a task or the tail is on, else idle). The screen's and the
// radio's terms come from tables New fills from the power model
// (loadTables), indexed by the state instead of branched on: they flip at
// every screen session. TestLoadMatchesTheSum compares with the sum
// written out.
func (d *Device) Load() int64 {
	if d.st.Power != PowerOn {
		return 0
	}
	on, tail := screenIndex(d.st.ScreenOn), screenIndex(d.tailOn)
	active := on | tail | screenIndex(d.busy > 0)
	net := 0
	switch d.st.Network.Type {
	case NetworkWiFi:
		net = 1
	case NetworkCellular:
		net = 2
	}
	return d.cur.SleepUA + d.drawUA[screenIndex(d.st.LowPower)][on<<1|tail] +
		int64(min(d.busy, d.cur.MaxTasks))*d.cur.TaskUA + d.radioUA[net][active]
}

// loadTables fills Load's tables from the power model: drawUA[lp][on<<1 |
// tail] is the screen's current (on) or else the tail's (tail), scaled in
// Low Power Mode (lp); radioUA[net][active] is the radio's current on no
// network or another type (0), Wi-Fi (1) or cellular (2), idle or active.
func (d *Device) loadTables() {
	c := &d.cur
	for lp := range 2 {
		low := lp == 1
		d.drawUA[lp] = [4]int64{0, scaleLP(c.TailUA, low, c.LowPowerPermille),
			scaleLP(c.ScreenOnUA, low, c.LowPowerPermille), scaleLP(c.ScreenOnUA, low, c.LowPowerPermille)}
	}
	d.radioUA = [3][2]int64{{0, 0}, {c.WiFiIdleUA, c.WiFiActiveUA}, {c.CellIdleUA, c.CellActiveUA}}
}

func scaleLP(ua int64, lp bool, permille int64) int64 {
	if lp {
		return ua * permille / 1000
	}
	return ua
}

// Current is the battery current right now in µA: positive while charging,
// negative while draining, zero when full on a charger (or off and unplugged).
func (d *Device) Current() int64 { return d.currentFor(d.Load()) }

func (d *Device) currentFor(load int64) int64 {
	in := d.inUA
	if in == 0 {
		return -load // no charger: chargeTaper(0, ·) is 0
	}
	lvl := d.level
	net := chargeTaper(in, lvl) - load
	if in > 0 && net < 0 && lvl > 0 && chargeTaper(in, lvl-1)-load > 0 {
		// The charger outpaces the load below this level but not at it (or
		// the battery is full): the battery holds here, the charger carrying
		// the load, instead of crossing the boundary back and forth.
		net = 0
	}
	return net
}

// chargerSet brings plug and inUA up to date with the charger in the
// state: whether one is connected, and the current it supplies (AC, USB,
// wireless; 0 for another kind). New calls it, and so does SetCharger's
// change as it plugs or unplugs (the one change of the charger), before
// the listeners are told: the battery, recomputed at every change of the
// device's current, reads them instead of comparing the charger's name.
// TestChargerCacheFollowsTheCharger checks them against the state.
func (d *Device) chargerSet() {
	d.plug = d.st.Charger != ChargerNone
	switch d.st.Charger {
	case ChargerAC:
		d.inUA = d.cur.ChargeACUA
	case ChargerUSB:
		d.inUA = d.cur.ChargeUSBUA
	case ChargerWireless:
		d.inUA = d.cur.ChargeWirelUA
	default:
		d.inUA = 0
	}
}

// fullUAh is the charge at 100 %.
func (d *Device) fullUAh() int64 { return d.st.Battery.CapacityMAh * 1000 }

// bandUAh is the charge of one percent; boundary(L) = L × bandUAh.
func (d *Device) bandUAh() int64 { return d.st.Battery.CapacityMAh * 10 }

// settle integrates the battery current since the last settle up to now.
func (d *Device) settle() {
	now := int64(d.eng.Elapsed())
	dt := now - d.settled
	d.settled = now
	if dt > 0 {
		d.integrate(dt)
	}
}

// integrate integrates the battery current and the load over dt > 0 ns
// ending now. Its branches follow the device's state (on battery or on a
// charger, full or empty), not the data: the sub-µAh carries are computed
// without branching (they go either way about as often, so a branch on
// them is mispredicted about as often), and so is the choice of the
// screen's counter. TestIntegrateMatchesBranches compares with the
// branching form.
func (d *Device) integrate(dt int64) {
	// Energy accounting (Used): the load, by screen state. A zero load adds
	// nothing (uAh(0, dt) is 0, 0).
	lq, lr := uAh(d.load, dt)
	d.used[screenIndex(d.st.ScreenOn)].addUAh(lq, lr)
	a := d.amps
	if a == 0 {
		return
	}
	b := &d.st.Battery
	if a < 0 {
		// Draining: on battery the current is the load, integrated above.
		q, r := lq, lr
		if -a != d.load {
			q, r = uAh(-a, dt)
		}
		// rem -= r, borrowing one µAh when it goes below zero.
		rem := d.rem - int64(r)
		borrow := rem >> 63 // -1 when negative, else 0
		d.rem = rem + uAnsPerUAh&borrow
		q -= uint64(borrow)
		if q > uint64(b.ChargeUAh) {
			b.ChargeUAh, d.rem = 0, 0
			return
		}
		b.ChargeUAh -= int64(q)
		return
	}
	q, r := uAh(a, dt)
	rem, carry := carryUAh(d.rem + int64(r))
	d.rem = rem
	q += carry
	if full := d.fullUAh(); q >= uint64(full) || b.ChargeUAh+int64(q) >= full {
		b.ChargeUAh, d.rem = full, 0
		return
	}
	b.ChargeUAh += int64(q)
}

// screenIndex is the index of Used's counter for the screen's state: 1 on,
// 0 off.
func screenIndex(on bool) int {
	i := 0
	if on {
		i = 1 // (a SETcc, not a branch)
	}
	return i
}

// carryUAh takes one µAh out of rem (0 <= rem < 2 µAh in µA·ns) when it
// holds one: rem below one µAh and the µAh carried (0 or 1), without a
// branch.
func carryUAh(rem int64) (int64, uint64) {
	t := rem - uAnsPerUAh
	keep := t >> 63 // -1 when rem < one µAh (nothing to carry), else 0
	return t + uAnsPerUAh&keep, uint64(keep + 1)
}

// nextStep is the delay to the next whole-percent crossing (or to empty), and
// whether there is one.
func (d *Device) nextStep() (time.Duration, bool) {
	a := d.amps
	if a == 0 {
		return 0, false
	}
	b := &d.st.Battery
	band := d.bandUAh()
	if band <= 0 {
		return 0, false
	}
	lvl := d.level
	if a > 0 {
		if lvl >= 100 {
			return 0, false
		}
		up := lvl + 1
		if d.sparse {
			up = d.nextLevelUp(lvl)
		}
		// First instant the charge reaches boundary(up): ⌈deficit / a⌉.
		q, r := spanDiv(int64(up)*band-b.ChargeUAh, -d.rem, a)
		if r != 0 {
			q++
		}
		return q, true
	}
	a = -a
	if lvl == 0 {
		// The instant the charge reaches zero: the device dies.
		q, r := spanDiv(b.ChargeUAh, d.rem, a)
		if r != 0 {
			q++
		}
		return q, true
	}
	down := lvl // the level drops to down-1 below boundary(down)
	if d.sparse && !d.plugged() {
		down = d.nextLevelDown(lvl) + 1
	}
	// First nanosecond the charge is below boundary(down): Level rounds
	// down, so that is when the reported level drops to down-1.
	q, _ := spanDiv(b.ChargeUAh-int64(down)*band, d.rem, a)
	return q + 1, true
}

// maxSpan bounds a planned battery step: far beyond any run, and far from
// overflowing an offset.
const maxSpan = time.Duration(1 << 61)

// spanDiv is (uAh·uAnsPerUAh + adj) / a in nanoseconds and its remainder,
// for uAh·uAnsPerUAh + adj ≥ 0 and a > 0, in 128 bits: a span of many
// percent of a large battery in µA·ns does not fit an int64 (one percent
// does). Quotients beyond maxSpan are maxSpan.
func spanDiv(uAh, adj, a int64) (time.Duration, uint64) {
	hi, lo := bits.Mul64(uint64(uAh), uAnsPerUAh)
	var c uint64
	if adj >= 0 {
		lo, c = bits.Add64(lo, uint64(adj), 0)
		hi += c
	} else {
		lo, c = bits.Sub64(lo, uint64(-adj), 0)
		hi -= c
	}
	if hi >= uint64(a) {
		return maxSpan, 0
	}
	q, r := bits.Div64(hi, lo, uint64(a))
	if q > uint64(maxSpan) {
		return maxSpan, 0
	}
	return time.Duration(q), r
}

// Sparse battery events. Between two whole-percent steps the battery
// current is constant, and so it is between any two levels where nothing
// depends on the level: the charge moves in one straight line across them,
// and the instant it reaches the next level that matters is computed as
// exactly as the next step. What depends on the level: battery low (at or
// below Thresholds.BatteryLowPercent, unplugged: derive), the empty battery
// (0 %), the charger's taper (chargeTaper: 80, 90, 95, 100 %) and, for a
// dead battery, the boot level (Currents.BootPercent). The level itself is
// exact whenever the state is read (sync integrates to now); only the
// ChangeBatteryLevel reports of the levels in between are not made.

// nextLevelUp is the first level above lvl (< 100) at which something
// follows while charging.
func (d *Device) nextLevelUp(lvl int) int {
	up := 100
	for _, l := range [...]int{80, 90, 95} { // chargeTaper's steps
		if l > lvl && l < up {
			up = l
		}
	}
	if d.dead && d.cur.BootPercent > lvl && d.cur.BootPercent < up {
		up = d.cur.BootPercent
	}
	return up // (battery okay needs no event: plugging in cleared low)
}

// nextLevelDown is the first level below lvl (> 0) at which something
// follows while draining on battery: battery low, or empty.
func (d *Device) nextLevelDown(lvl int) int {
	if low := d.th.BatteryLowPercent; low < lvl {
		return low
	}
	return 0
}

// SetSparseBattery chooses whether the battery reports every whole-percent
// step (off, the default: a ChangeBatteryLevel and one kernel event per
// step) or only the levels something follows from (on: battery low and
// okay, empty, the charger's taper levels, the boot level of a dead
// battery), with no ChangeBatteryLevel at all. Everything else is the
// same: the state read at any instant, the instants of battery low, okay,
// shutdown and boot, the charge used. For runs that observe no level steps
// (fleets, with no trace): a third to a half of a device's battery events
// go.
func (d *Device) SetSparseBattery(on bool) {
	if d.sparse == on {
		return
	}
	d.sync()
	d.sparse = on
	d.eng.Cancel(d.stepTimer) // plan the next crossing afresh
	d.stale = false
	d.recompute()
}

// recompute re-reads the current after a state change and moves the battery
// step event to the new crossing instant.
//
// While the screen-off activity tail runs, moving the event can wait: the
// tail's end (tailEnd) recomputes, and so does whatever cancels the tail
// first (the screen coming on, a power-off). When that comes strictly
// before both the instant the event is queued at and the new crossing, the
// event fires at neither before then, so it may stay where it is until
// then (deferStep): the new crossing is kept in stepAt and the insertion
// sequence the move would have taken is reserved (sim.Engine.ReserveSeq),
// so that when the next recompute moves the event (a new sequence, as a
// move gives) or leaves it (it is queued at stepAt with the reserved
// sequence, sim.Engine.ScheduleReserved), the queue is what moving it every
// time would have left, down to the sequence numbers. At a screen-off the
// step planned while the screen was on (hours away unless the battery is
// nearly empty) stays put until the tail ends: one heap move fewer per
// screen session. TestDeferredStepChangesNothing compares with every move
// made at once.
func (d *Device) recompute() {
	d.planLevel = d.level
	d.load = d.Load()
	amps := d.currentFor(d.load)
	if amps == d.amps && d.stepTimer.Pending() && (!d.sparse || d.stepPlug == d.plugged()) {
		d.settleStep()
		return // same current: the planned crossing stands
	}
	d.amps = amps
	d.stepPlug = d.plugged() // a sparse plan's levels depend on it
	dt, ok := d.nextStep()
	if !ok {
		d.eng.Cancel(d.stepTimer)
		d.stale = false
		return
	}
	now := int64(d.eng.Elapsed())
	at := now + int64(dt)
	if d.stepTimer.Pending() {
		if at == d.stepAt {
			d.settleStep()
			return // e.g. a change that did not touch the current
		}
		if at >= now { // (not past the end of time: After would saturate)
			d.stepAt = at
			if d.deferStep() {
				d.stepSeq, d.stale = d.eng.ReserveSeq(), true
				return
			}
			// Moving the pending event is what cancelling it and
			// scheduling anew does (Reschedule gives it a new sequence
			// number too), without freeing and refilling it.
			d.queuedAt, d.stale = at, false
			d.eng.RescheduleAfter(d.stepTimer, dt)
			return
		}
		d.eng.Cancel(d.stepTimer)
	}
	d.stepAt, d.queuedAt, d.stale = at, at, false
	d.stepTimer = d.eng.After(dt, sim.PhaseDevice, "device.battery.step", d.stepH)
}

// eagerStep turns off deferStep; a test checks that deferring changes
// nothing.
var eagerStep = false

// deferStep reports whether the pending step event may stay queued where
// it is although the crossing moved to stepAt: the screen-off tail ends
// (and recomputes) strictly before both.
func (d *Device) deferStep() bool {
	return d.tailOn && d.tailAt < d.stepAt && d.tailAt < d.queuedAt && !eagerStep
}

// settleStep queues a deferred step event where the moves it skipped would
// have left it (at stepAt, with the sequence reserved for the last of
// them), unless it may still wait.
func (d *Device) settleStep() {
	if !d.stale || d.deferStep() {
		return
	}
	d.eng.Cancel(d.stepTimer)
	d.stepTimer = d.eng.ScheduleReserved(d.eng.Start().Add(time.Duration(d.stepAt)), sim.PhaseDevice, d.stepSeq, "device.battery.step", d.stepH)
	d.queuedAt, d.stale = d.stepAt, false
}

// batteryStep is the event at a computed crossing instant.
func (d *Device) batteryStep(*sim.Engine) {
	d.settle()
	d.checkBattery()
	d.recompute()
}

// checkBattery reports a level that changed since the last report (one
// event per whole percent), and what follows from it: battery low/okay, the
// device dying at 0 %, or a dead device booting once recharged.
func (d *Device) checkBattery() {
	// Level() is charge / bandUAh: while the charge is still in the band of
	// the level last reported, that is the level (no division needed).
	lvl := d.level
	if lo, c := int64(lvl)*d.bandUAh(), d.st.Battery.ChargeUAh; c < lo || c >= lo+d.bandUAh() {
		lvl = d.st.Battery.Level()
	}
	if lvl != d.level {
		prev := d.st
		prev.Battery.ChargeUAh = d.levelCharge
		d.level, d.levelCharge = lvl, d.st.Battery.ChargeUAh
		if !d.sparse {
			d.emit(ChangeBatteryLevel, &prev, "battery level step")
		}
		d.derive()
	} else {
		d.levelCharge = d.st.Battery.ChargeUAh
	}
	switch {
	case d.st.Battery.ChargeUAh == 0 && d.rem == 0 && d.amps < 0 && d.st.Power == PowerOn:
		// (The integers first: the string comparison only at empty.)
		d.dead = true // first: listeners of the power-off may call back in
		d.powerOff("battery empty: the device shut down")
	case d.dead && d.plugged() && lvl >= d.cur.BootPercent:
		d.dead = false
		d.boot("recharged enough to boot after the battery ran out")
	}
}

// charge is an exact running total of charge: µAh plus µA·ns below one µAh.
type charge struct{ uAh, rem int64 }

// uAh is ua (≥ 0) for dt ns as whole µAh q and µA·ns r below one µAh.
func uAh(ua, dt int64) (q, r uint64) {
	hi, lo := bits.Mul64(uint64(ua), uint64(dt))
	if hi == 0 {
		return lo / uAnsPerUAh, lo % uAnsPerUAh
	}
	return bits.Div64(hi, lo, uAnsPerUAh)
}

// addUAh adds q µAh and r µA·ns (r < one µAh).
func (c *charge) addUAh(q, r uint64) {
	rem, carry := carryUAh(c.rem + int64(r))
	c.rem = rem
	c.uAh += int64(q + carry)
}

// Used is the charge the device has consumed since it was made, in µAh,
// with the screen on and off: its load integrated exactly, whether the
// battery or a charger supplied it.
func (d *Device) Used() (screenOn, screenOff int64) {
	d.sync()
	return d.used[1].uAh, d.used[0].uAh
}
