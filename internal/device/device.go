package device

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// Thresholds are the platform thresholds the device signals, with their sources.
type Thresholds struct {
	// BatteryLowPercent: "battery low" at or below this level while unplugged.
	// AOSP frameworks/base core/res/res/values/config.xml
	// config_lowBatteryWarningLevel = 15, read by
	// services/core/java/com/android/server/BatteryService.java
	// (mLowBatteryWarningLevel; shouldSendBatteryLowLocked: not plugged and
	// level <= warning level).
	BatteryLowPercent int `yaml:"battery_low_percent" json:"battery_low_percent"`
	// BatteryOkayPercent: "battery okay" again at or above this level.
	// BatteryService: mLowBatteryCloseWarningLevel = warning level +
	// config_lowBatteryCloseWarningBump (5) → 20; plugging in also clears "low".
	// Newer/OEM configs use a warning level of 20 (okay at 25): set both.
	BatteryOkayPercent int `yaml:"battery_okay_percent" json:"battery_okay_percent"`
	// StorageLowPercent / StorageLowMaxBytes: storage is low when usable bytes
	// are at or below min(5 % of total, 500 MiB). AOSP
	// core/java/android/os/storage/StorageManager.java
	// DEFAULT_THRESHOLD_PERCENTAGE = 5 and DEFAULT_THRESHOLD_MAX_BYTES =
	// 500 MiB (getStorageLowBytes), checked by
	// services/core/java/com/android/server/storage/DeviceStorageMonitorService.java
	// (no hysteresis: ACTION_DEVICE_STORAGE_OK as soon as it is above).
	StorageLowPercent  int64 `yaml:"storage_low_percent" json:"storage_low_percent"`
	StorageLowMaxBytes int64 `yaml:"storage_low_max_bytes" json:"storage_low_max_bytes"`
}

// DefaultThresholds are AOSP's defaults.
var DefaultThresholds = Thresholds{BatteryLowPercent: 15, BatteryOkayPercent: 20, StorageLowPercent: 5, StorageLowMaxBytes: 500 << 20}

// Validate reports the first threshold that is out of range.
func (t Thresholds) Validate() error {
	switch {
	case t.BatteryLowPercent < 0 || t.BatteryLowPercent > 100:
		return fmt.Errorf("battery_low_percent %d: must be 0..100", t.BatteryLowPercent)
	case t.BatteryOkayPercent <= t.BatteryLowPercent || t.BatteryOkayPercent > 100:
		return fmt.Errorf("battery_okay_percent %d: must be above battery_low_percent (%d) and at most 100", t.BatteryOkayPercent, t.BatteryLowPercent)
	case t.StorageLowPercent < 0 || t.StorageLowPercent > 100:
		return fmt.Errorf("storage_low_percent %d: must be 0..100", t.StorageLowPercent)
	case t.StorageLowMaxBytes < 0:
		return fmt.Errorf("storage_low_max_bytes %d: must not be negative (0 = no cap)", t.StorageLowMaxBytes)
	}
	return nil
}

// MaxCapacityMAh bounds the battery capacity so that charge arithmetic never
// overflows (one percent of it, in µA·ns, must fit an int64).
const MaxCapacityMAh = 100_000

// Config is the device's initial state and knobs. Zero Thresholds and
// Currents mean the defaults.
type Config struct {
	Initial    State
	Thresholds Thresholds
	Currents   Currents
}

// Validate reports the first field of cfg that New would have to correct.
func (cfg Config) Validate() error {
	b := cfg.Initial.Battery
	switch {
	case b.CapacityMAh <= 0 || b.CapacityMAh > MaxCapacityMAh:
		return fmt.Errorf("battery capacity %d mAh: must be 1..%d", b.CapacityMAh, MaxCapacityMAh)
	case b.ChargeUAh < 0 || b.ChargeUAh > b.CapacityMAh*1000:
		return fmt.Errorf("battery charge %d µAh: must be 0..%d (the capacity)", b.ChargeUAh, b.CapacityMAh*1000)
	case cfg.Initial.Storage.Total < 0 || cfg.Initial.Storage.Free < 0 || cfg.Initial.Storage.Free > cfg.Initial.Storage.Total:
		return errors.New("storage: need 0 <= free <= total")
	}
	if cfg.Thresholds != (Thresholds{}) {
		if err := cfg.Thresholds.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// DefaultState is a phone on a table: 80 % of 4000 mAh (80.5 %, the middle
// of the percent, as SetBatteryLevel(80) gives), unplugged, on validated
// unmetered Wi-Fi, screen off and locked, 12 GiB free of 64 GiB.
func DefaultState() State {
	return State{
		Battery: Battery{ChargeUAh: 3220 * 1000, CapacityMAh: 4000, Health: 100},
		Charger: ChargerNone,
		Network: Network{Type: NetworkWiFi, Validated: true},
		Locked:  true,
		Storage: Storage{Free: 12 << 30, Total: 64 << 30},
		Power:   PowerOn,
		Thermal: ThermalNominal,
		App:     ProcessNotRunning,
	}
}

// Device is the simulated phone.
type Device struct {
	eng       *sim.Engine
	st        State
	th        Thresholds
	cur       Currents
	listeners []subscriber
	changes   []*Change // one per nesting depth of emit, reused
	emitDepth int
	launches  []time.Time
	stores    map[string]*Store
	bootTimer sim.Timer

	// battery physics
	amps        int64     // battery current in force since settled (µA, + charging)
	load        int64     // the device's load in force since settled (µA)
	used        [2]charge // load integrated: [0] screen off, [1] screen on
	settled     int64     // engine offset (ns) the charge was last integrated to
	rem         int64     // sub-µAh charge in µA·ns, 0 <= rem < uAnsPerUAh
	level       int       // last reported whole percent; outside checkBattery always st.Battery.Level()
	levelCharge int64     // charge when level was last checked (the Prev of a level step)
	planLevel   int       // level when recompute last ran (currentFor reads it)
	dead        bool      // powered off by an empty battery
	sparse      bool      // battery events only where the level matters: SetSparseBattery
	stepPlug    bool      // plugged in when the pending step was planned
	busy        int       // running tasks (SetCPUBusy)
	tailOn      bool      // the screen-off activity tail is running
	stepTimer   sim.Timer
	stepAt      int64  // engine offset of the planned crossing: where stepTimer fires unless stale
	queuedAt    int64  // engine offset stepTimer is queued at
	stepSeq     uint64 // insertion sequence reserved for the step's last deferred move
	stale       bool   // stepTimer is still at queuedAt: recompute deferred moving it (deferStep)
	tailAt      int64  // engine offset the screen-off tail ends at, while tailOn
	tailTimer   sim.Timer
	stepH       sim.Handler
	tailH       sim.Handler
	bootH       sim.Handler
	drawUA      [2][4]int64 // Load's screen and tail currents: loadTables
	radioUA     [3][2]int64 // Load's radio currents: loadTables
	plug        bool        // a charger is connected: chargerSet
	inUA        int64       // the connected charger's current: chargerSet

	prof *profileRun
}

// New makes a device in cfg.Initial. Out-of-range values are corrected (see
// Config.Validate to reject them instead): capacity to 1..MaxCapacityMAh,
// charge to 0..capacity. Derived signals (battery low, storage low) are
// computed from the initial state without notifying anyone.
func New(eng *sim.Engine, cfg Config) *Device {
	d := &Device{eng: eng, st: cfg.Initial, th: cfg.Thresholds, cur: cfg.Currents, stores: map[string]*Store{}}
	if d.th == (Thresholds{}) || d.th.Validate() != nil {
		d.th = DefaultThresholds
	}
	if d.cur == (Currents{}) {
		d.cur = DefaultCurrents
	}
	d.loadTables()
	b := &d.st.Battery
	b.CapacityMAh = min(max(b.CapacityMAh, 1), MaxCapacityMAh)
	b.ChargeUAh = min(max(b.ChargeUAh, 0), b.CapacityMAh*1000)
	if d.st.Power == "" {
		d.st.Power = PowerOn
	}
	if d.st.Charger == "" {
		d.st.Charger = ChargerNone
	}
	d.chargerSet()
	if d.st.Network.Type == "" {
		d.st.Network.Type = NetworkNone
	}
	if d.st.Thermal == "" {
		d.st.Thermal = ThermalNominal
	}
	if d.st.App == "" {
		d.st.App = ProcessNotRunning
	}
	d.st.BatteryLow = !d.plugged() && b.Level() <= d.th.BatteryLowPercent
	d.st.StorageLow = d.storageLow(d.st.Storage)
	d.level, d.levelCharge = b.Level(), b.ChargeUAh
	d.settled = int64(eng.Elapsed())
	d.stepH = stepHandler{d}
	d.tailH = tailHandler{d}
	d.bootH = bootHandler{d}
	d.recompute()
	return d
}

// Engine is the kernel the device runs on.
func (d *Device) Engine() *sim.Engine { return d.eng }

// State is the current state, with the battery charge integrated to now.
func (d *Device) State() State {
	d.sync()
	return d.st
}

// StateView is State without the 152-byte copy, for models that read a field
// or two at every pass: the device's own state, brought up to date. Read it
// at once and do not modify it; it changes as the device does.
func (d *Device) StateView() *State {
	d.sync()
	return &d.st
}

// Thresholds are the thresholds in force.
func (d *Device) Thresholds() Thresholds { return d.th }

// Currents is the power model in force.
func (d *Device) Currents() Currents { return d.cur }

// Subscribe adds a listener. Listeners are called in subscription order.
func (d *Device) Subscribe(l Listener) {
	s := subscriber{l: l}
	if f, ok := l.(ListenerFunc); ok {
		s.f = f
	}
	d.listeners = append(d.listeners, s)
}

// subscriber is a listener, with its function when it is a ListenerFunc:
// calling that directly saves an interface call.
type subscriber struct {
	l Listener
	f ListenerFunc
}

// Launches is the app's launch history (times the user opened it), oldest first.
func (d *Device) Launches() []time.Time { return d.launches }

// Store returns the persistent key-value store called name (e.g.
// "app.shared_preferences", "app.user_defaults"). Stores survive reboots.
func (d *Device) Store(name string) *Store {
	s, ok := d.stores[name]
	if !ok {
		s = &Store{m: map[string]*StoreRef{}}
		d.stores[name] = s
	}
	return s
}

// sync integrates the battery to now and reports any whole-percent step that
// falls on this instant before whatever change is about to happen.
func (d *Device) sync() {
	// (Time never goes back: a new instant is a later one.)
	if now := int64(d.eng.Elapsed()); now != d.settled {
		dt := now - d.settled
		d.settled = now
		d.integrate(dt)
		d.checkBattery()
	}
}

// A change is made in three steps: c := d.before(), the change to d.st,
// then apply, applyPower or applyNeutral with c. (The fields are set in
// place rather than by a function the apply functions call: no call
// through a function value, and no frame between the setter and tell.)

// before is the Change of the current nesting depth holding the state
// before the change about to be made: the state before goes straight into
// the Change the listeners get (one 152-byte copy fewer per change).
// Callers sync first.
func (d *Device) before() *Change {
	c := d.change0()
	c.Prev = d.st
	return c
}

// apply notifies listeners of the change of kind that c holds the state
// before, and of every derived signal that flipped (in that order), and
// re-plans the battery.
func (d *Device) apply(c *Change, kind ChangeKind, reason string) {
	d.tell(c, kind, reason)
	d.derive()
	d.recompute()
}

// applyPower is apply for a change of the power state, screen, network or
// Low Power Mode: these move the current (recompute) but touch nothing
// derive reads (the level, the charger, storage). derive runs whenever one
// of those changes (apply, checkBattery), so it would flip nothing here.
// TestNeutralChangesSkipNothing compares with derive run every time.
func (d *Device) applyPower(c *Change, kind ChangeKind, reason string) {
	d.tell(c, kind, reason)
	if fullApply {
		d.derive()
	}
	d.recompute()
}

// applyNeutral is apply for a change that touches nothing derive and
// recompute read: the app's process state, the lock, motion, the thermal
// state (Load and currentFor read the power state, screen, charger,
// network, Low Power Mode, running tasks, the screen-off tail and the
// level; derive, the level, charger and storage). When the level is also
// the one the battery was last planned at, derive would flip nothing (it
// runs whenever the level or storage changes) and recompute would find the
// same current and leave the planned step as it is (it moves the step only
// when the current or, sparse, the charger changed), so neither runs. A
// listener that changed the device meanwhile went through apply or
// SetCPUBusy, which did both. TestNeutralChangesSkipNothing compares with
// both run every time.
func (d *Device) applyNeutral(c *Change, kind ChangeKind, reason string) {
	d.tell(c, kind, reason)
	if d.level == d.planLevel && !fullApply {
		return
	}
	d.derive()
	d.recompute()
}

// fullApply makes applyNeutral and applyPower run derive and recompute
// every time; a test checks that skipping them changes nothing.
var fullApply = false

// setApp is sync and a neutral change of the app's process state to app.
func (d *Device) setApp(kind ChangeKind, reason string, app Process) {
	d.sync()
	c := d.before()
	d.st.App = app
	d.applyNeutral(c, kind, reason)
}

// plugged is d.st.Plugged() without comparing the charger's name
// (chargerSet keeps plug).
func (d *Device) plugged() bool { return d.plug }

func (d *Device) derive() {
	lvl := d.level
	low := d.st.BatteryLow
	switch {
	case d.plugged():
		// Plugging in clears "low" at once: BatteryService.shouldSendBatteryLowLocked
		// reports low only on battery power, and sends ACTION_BATTERY_OKAY when
		// the charger is connected (processValuesLocked).
		low = false
	case lvl <= d.th.BatteryLowPercent:
		low = true
	case lvl >= d.th.BatteryOkayPercent:
		low = false
	}
	if low != d.st.BatteryLow {
		prev := d.st
		d.st.BatteryLow = low
		if low {
			d.emit(ChangeBatteryLow, &prev, "battery at or below the low threshold while unplugged")
		} else {
			d.emit(ChangeBatteryOkay, &prev, "battery back at the okay threshold, or plugged in")
		}
	}
	if sl := d.storageLow(d.st.Storage); sl != d.st.StorageLow {
		prev := d.st
		d.st.StorageLow = sl
		if sl {
			d.emit(ChangeStorageLow, &prev, "free storage at or below min(5% of total, 500 MiB)")
		} else {
			d.emit(ChangeStorageOK, &prev, "free storage above the low threshold")
		}
	}
}

// StorageLowBytes is the free-space level at or below which storage is low:
// min(StorageLowPercent of total, StorageLowMaxBytes).
func (d *Device) StorageLowBytes() int64 { return d.th.storageLowBytes(d.st.Storage.Total) }

func (t Thresholds) storageLowBytes(total int64) int64 {
	var limit int64
	if total <= (1<<62)/100 {
		limit = total * t.StorageLowPercent / 100
	} else {
		limit = total / 100 * t.StorageLowPercent
	}
	if t.StorageLowMaxBytes > 0 && limit > t.StorageLowMaxBytes {
		limit = t.StorageLowMaxBytes
	}
	return limit
}

func (d *Device) storageLow(s Storage) bool {
	return s.Total > 0 && s.Free <= d.th.storageLowBytes(s.Total)
}

// emit reports a change of kind from prev to the present state to the
// trace and the listeners, which all get the same *Change.
func (d *Device) emit(kind ChangeKind, prev *State, reason string) {
	c := d.change0()
	c.Prev = *prev
	d.tell(c, kind, reason)
}

// tell is emit with the Change of this nesting depth already holding the
// state before (before copies it there before the change).
func (d *Device) tell(c *Change, kind ChangeKind, reason string) {
	if d.eng.Tracing() {
		d.eng.Emit(event.SourceDevice, kind, "device", reason, stateFields(d.st)...)
	}
	if len(d.listeners) == 0 {
		return
	}
	// One Change per nesting depth, reused and passed by pointer: it is 360
	// bytes, and copying it into every listener call was ~10 % of a fleet's
	// CPU. A listener may cause another change, so each depth has its own.
	c.Kind, c.At, c.Reason = kind, d.eng.Now(), reason
	c.State = d.st
	// (No defer: a listener that panics ends the run, and a depth left
	// raised would only cost a spare Change.)
	d.emitDepth++
	for _, s := range d.listeners {
		if s.f != nil {
			s.f(c)
		} else {
			s.l.DeviceChanged(c)
		}
	}
	d.emitDepth--
}

// change0 is the Change of the current nesting depth.
func (d *Device) change0() *Change {
	if d.emitDepth == len(d.changes) {
		d.changes = append(d.changes, new(Change))
	}
	return d.changes[d.emitDepth]
}

func stateFields(s State) []sim.Field {
	return []sim.Field{
		sim.Int("battery", int64(s.Battery.Level())),
		sim.String("charger", string(s.Charger)),
		sim.String("network", string(s.Network.Type)),
		sim.Bool("screen_on", s.ScreenOn),
		sim.String("power", string(s.Power)),
		sim.String("app", string(s.App)),
	}
}

// SetCharger plugs in (or unplugs, with ChargerNone) a charger.
func (d *Device) SetCharger(c Charger) {
	if c == "" {
		c = ChargerNone
	}
	d.sync()
	if d.st.Charger == c {
		return
	}
	var reason string
	switch c {
	case ChargerNone:
		reason = "charger disconnected"
	case ChargerAC:
		reason = "charger connected: ac"
	case ChargerUSB:
		reason = "charger connected: usb"
	case ChargerWireless:
		reason = "charger connected: wireless"
	default:
		reason = "charger connected: " + string(c)
	}
	ch := d.before()
	d.st.Charger = c
	d.chargerSet()
	d.apply(ch, ChangeCharger, reason)
	// A dead battery that is already above the boot level boots on plugging in.
	d.checkBattery()
}

// SetNetwork changes the default network.
func (d *Device) SetNetwork(n Network) {
	d.sync()
	if d.st.Network == n {
		return
	}
	var reason string
	switch n.Type {
	case NetworkWiFi:
		reason = "network wifi"
	case NetworkCellular:
		reason = "network cellular"
	case NetworkNone:
		reason = "network none"
	default:
		reason = "network " + string(n.Type)
	}
	c := d.before()
	d.st.Network = n
	d.applyPower(c, ChangeNetwork, reason)
}

// SetScreen turns the screen on or off. Turning it off also locks the device
// and sends a foreground app to the background. A powered-off device ignores it.
func (d *Device) SetScreen(on bool) {
	d.sync()
	if d.st.ScreenOn == on || (on && d.st.Power != PowerOn) {
		return
	}
	if on {
		d.tailOn = false
		if d.tailTimer.Pending() { // (Pending inlines; Cancel is a call)
			d.eng.Cancel(d.tailTimer)
		}
		c := d.before()
		d.st.ScreenOn = true
		d.applyPower(c, ChangeScreen, "screen on")
		return
	}
	if d.st.App == ProcessForeground {
		c := d.before()
		d.st.App = ProcessBackground
		d.applyNeutral(c, ChangeAppBackground, "screen turned off: the app left the foreground")
	}
	d.tailOn = d.cur.Tail > 0
	if d.tailOn {
		if d.tailTimer.Pending() {
			d.eng.Cancel(d.tailTimer)
		}
		d.tailTimer = d.eng.After(d.cur.Tail, sim.PhaseDevice, "device.tail", d.tailH)
		d.tailAt = int64(d.eng.Elapsed()) + int64(d.cur.Tail)
		if d.tailAt < 0 {
			d.tailAt = math.MaxInt64 // (After saturates too)
		}
	}
	c := d.before()
	d.st.ScreenOn, d.st.Locked = false, true
	d.applyPower(c, ChangeScreen, "screen off")
}

// stepHandler, tailHandler and bootHandler are the device's events'
// Handlers: a struct holding only the device goes into the interface as
// the pointer itself, and firing calls the method directly instead of
// through a HandlerFunc and a method value's wrapper.
type (
	stepHandler struct{ d *Device }
	tailHandler struct{ d *Device }
	bootHandler struct{ d *Device }
)

func (h stepHandler) Fire(e *sim.Engine) { h.d.batteryStep(e) }
func (h tailHandler) Fire(e *sim.Engine) { h.d.tailEnd(e) }
func (h bootHandler) Fire(e *sim.Engine) { h.d.rebootDone(e) }

func (d *Device) tailEnd(*sim.Engine) {
	d.sync()
	d.tailOn = false
	d.recompute()
}

// SetLocked locks or unlocks the device. A powered-off device stays locked.
func (d *Device) SetLocked(locked bool) {
	d.sync()
	if d.st.Locked == locked || (!locked && d.st.Power != PowerOn) {
		return
	}
	reason := "unlocked"
	if locked {
		reason = "locked"
	}
	c := d.before()
	d.st.Locked = locked
	d.applyNeutral(c, ChangeLock, reason)
}

// SetMoving marks the device as moving or stationary (Doze's motion sensor).
func (d *Device) SetMoving(moving bool) {
	d.sync()
	if d.st.Moving == moving {
		return
	}
	reason := "stationary"
	if moving {
		reason = "moving"
	}
	c := d.before()
	d.st.Moving = moving
	d.applyNeutral(c, ChangeMotion, reason)
}

// SetBatteryLevel jumps the battery to percent (a scenario's battery: {level: N}).
// The charge is put in the middle of that percent (exactly full at 100), so
// the level lasts about half a percent of drain or charge either way.
func (d *Device) SetBatteryLevel(percent int) {
	percent = min(max(percent, 0), 100)
	d.sync()
	charge := LevelCharge(d.st.Battery.CapacityMAh, percent)
	d.rem = 0
	d.eng.Cancel(d.stepTimer) // the charge moved: plan the next crossing afresh
	d.stale = false
	prevLevel := d.level
	d.level, d.levelCharge = percent, charge
	if d.st.Battery.ChargeUAh == charge && prevLevel == percent {
		d.recompute()
		return
	}
	c := d.before()
	d.st.Battery.ChargeUAh = charge
	d.apply(c, ChangeBatteryLevel, "battery level set")
	d.checkBattery()
}

// LevelCharge is the charge (µAh) SetBatteryLevel gives a battery of
// capacityMAh at percent: the middle of that percent (exactly full at 100).
// Initial states should use it too: a charge exactly on a percent boundary
// reads one percent lower the first nanosecond it drains.
func LevelCharge(capacityMAh int64, percent int) int64 {
	percent = min(max(percent, 0), 100)
	if percent == 100 {
		return capacityMAh * 1000
	}
	band := capacityMAh * 10
	return int64(percent)*band + band/2
}

// SetStorage sets free and total storage (free is clamped to 0..total).
func (d *Device) SetStorage(st Storage) {
	st.Total = max(st.Total, 0)
	st.Free = min(max(st.Free, 0), st.Total)
	d.sync()
	if d.st.Storage == st {
		return
	}
	c := d.before()
	d.st.Storage = st
	d.apply(c, ChangeStorage, "storage changed")
}

// UseStorage changes free storage by -delta bytes (a negative delta frees
// space), keeping it within 0..total.
func (d *Device) UseStorage(delta int64) {
	st := d.st.Storage
	st.Free -= delta
	d.SetStorage(st)
}

// SetLowPower turns Low Power Mode / Battery Saver on or off.
func (d *Device) SetLowPower(on bool) {
	d.sync()
	if d.st.LowPower == on {
		return
	}
	reason := "low power mode off"
	if on {
		reason = "low power mode on"
	}
	c := d.before()
	d.st.LowPower = on
	d.applyPower(c, ChangeLowPower, reason)
}

// SetThermal sets the thermal state.
func (d *Device) SetThermal(t Thermal) {
	d.sync()
	if d.st.Thermal == t {
		return
	}
	c := d.before()
	d.st.Thermal = t
	d.applyNeutral(c, ChangeThermal, "thermal state "+string(t))
}

// SetCPUBusy adds delta running tasks (the OS models call it with +1 when a
// background run starts and -1 when it ends). Each running task draws
// Currents.TaskUA and keeps the radio active. The count never goes below
// zero and is cleared when the device powers off.
func (d *Device) SetCPUBusy(delta int) {
	d.sync()
	if d.st.Power != PowerOn {
		return
	}
	d.busy = max(d.busy+delta, 0)
	d.recompute()
}

// TaskStarted is SetCPUBusy(1).
func (d *Device) TaskStarted() { d.SetCPUBusy(1) }

// TaskEnded is SetCPUBusy(-1).
func (d *Device) TaskEnded() { d.SetCPUBusy(-1) }

// Busy is the number of running tasks.
func (d *Device) Busy() int { return d.busy }

// LaunchApp is the user opening the app: the screen comes on and unlocks if
// it was not, then the app comes to the foreground and the launch is added to
// the history the OS heuristics read. A powered-off device ignores it.
func (d *Device) LaunchApp() {
	d.sync()
	if d.st.Power != PowerOn {
		return
	}
	d.SetScreen(true)
	d.SetLocked(false)
	d.launches = append(d.launches, d.eng.Now())
	c := d.before()
	d.st.App = ProcessForeground
	d.applyNeutral(c, ChangeAppLaunched, "user opened the app")
}

// BackgroundApp sends the app to the background (the user left it).
func (d *Device) BackgroundApp() {
	d.sync()
	if d.st.App != ProcessForeground {
		return
	}
	c := d.before()
	d.st.App = ProcessBackground
	d.applyNeutral(c, ChangeAppBackground, "user left the app")
}

// SwipeAwayApp removes the app from the app switcher.
func (d *Device) SwipeAwayApp() {
	d.setApp(ChangeAppSwipedAway, "user swiped the app away", ProcessSwipedAway)
}

// ForceStopApp force-stops the app (Android Settings → Force stop).
func (d *Device) ForceStopApp() {
	d.setApp(ChangeAppForceStop, "user force-stopped the app", ProcessForceStopped)
}

// UpdateApp installs a new version of the app; its process is restarted.
func (d *Device) UpdateApp() {
	d.setApp(ChangeAppUpdated, "a new version of the app was installed", ProcessNotRunning)
}

// NotifyInteraction is the user interacting with the app's notification.
func (d *Device) NotifyInteraction() {
	d.sync()
	d.applyNeutral(d.before(), ChangeAppNotified, "user interacted with a notification")
}

// StartProcess marks the app process as started in the background by the OS
// (to run work) if it was not running. It reports whether it started it. A
// powered-off device starts nothing.
func (d *Device) StartProcess() bool {
	d.sync()
	if d.st.Power != PowerOn {
		return false
	}
	switch d.st.App {
	case ProcessNotRunning, ProcessSuspended, ProcessSwipedAway:
		c := d.before()
		d.st.App = ProcessBackground
		d.applyNeutral(c, ChangeProcessStarted, "app process started in the background")
		return true
	}
	return false
}

// SuspendProcess marks a backgrounded app as suspended by the OS (iOS
// suspends an app shortly after it leaves the foreground, and again when its
// background time ends). It reports whether it did.
func (d *Device) SuspendProcess() bool {
	d.sync()
	if d.st.App != ProcessBackground {
		return false
	}
	c := d.before()
	d.st.App = ProcessSuspended
	d.applyNeutral(c, ChangeAppSuspended, "app process suspended")
	return true
}

// KillProcess ends the app process (the OS reclaimed it).
func (d *Device) KillProcess() {
	d.sync()
	if d.st.App == ProcessNotRunning || d.st.App == ProcessForceStopped {
		return
	}
	c := d.before()
	d.st.App = ProcessNotRunning
	d.applyNeutral(c, ChangeProcessDied, "app process ended")
}

// Reboot powers the device off now and completes booting exactly downtime
// later. Everything running is lost (the app process, running tasks, the
// screen session); persistent stores, the launch history and the battery
// are kept. A device that is not on ignores it.
func (d *Device) Reboot(downtime time.Duration) {
	d.sync()
	if d.st.Power != PowerOn {
		return
	}
	d.powerOff("device powered off for a reboot")
	d.eng.Cancel(d.bootTimer)
	d.bootTimer = d.eng.After(max(downtime, 0), sim.PhaseDevice, "device.boot", d.bootH)
}

func (d *Device) rebootDone(*sim.Engine) {
	d.sync()
	if d.st.Power == PowerOn || d.dead {
		return
	}
	d.boot("boot completed")
}

// powerOff turns everything off. Callers sync first.
func (d *Device) powerOff(reason string) {
	d.busy = 0
	d.tailOn = false
	d.eng.Cancel(d.tailTimer)
	c := d.before()
	s := &d.st
	s.Power = PowerOff
	s.ScreenOn = false
	s.Locked = true
	if s.App != ProcessForceStopped {
		s.App = ProcessNotRunning
	}
	d.applyPower(c, ChangePowerOff, reason)
}

// boot completes a boot (BOOT_COMPLETED). A force-stopped app stays stopped.
func (d *Device) boot(reason string) {
	c := d.before()
	d.st.Power = PowerOn
	d.applyPower(c, ChangeBootCompleted, reason)
}

// Store is a persistent key-value store (SharedPreferences, UserDefaults).
// A key keeps one entry for the store's life, even once deleted, so a
// StoreRef to it stays valid: code that reads a key at every run holds its
// StoreRef instead of looking the key up each time.
type Store struct{ m map[string]*StoreRef }

// StoreRef is one key of a Store.
type StoreRef struct {
	v   any
	set bool
}

// Get is Store.Get of the key, without looking it up.
func (r *StoreRef) Get() (any, bool) { return r.v, r.set }

// Get returns the value for key.
func (s *Store) Get(key string) (any, bool) {
	if e := s.m[key]; e != nil {
		return e.v, e.set
	}
	return nil, false
}

// Set stores a value.
func (s *Store) Set(key string, v any) {
	if e := s.m[key]; e != nil {
		e.v, e.set = v, true
		return
	}
	s.m[key] = &StoreRef{v: v, set: true}
}

// Delete removes a key.
func (s *Store) Delete(key string) {
	if e := s.m[key]; e != nil {
		e.v, e.set = nil, false
	}
}

// Ref returns key's entry, set or not: its Get is the store's Get of key,
// now and after any later Set or Delete.
func (s *Store) Ref(key string) *StoreRef {
	e := s.m[key]
	if e == nil {
		e = &StoreRef{}
		s.m[key] = e
	}
	return e
}

// Keys returns the keys in sorted order.
func (s *Store) Keys() []string {
	keys := make([]string, 0, len(s.m))
	for k, e := range s.m {
		if e.set {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// SilentTail is the pending screen-off activity tail's event and the
// engine offset it fires at, when its end will notify no listener and bring
// no other event forward: the battery is sparse (no level reports), the
// device is on, unplugged and not dead, and the tail ends strictly before
// the battery's next planned event, and the load without the tail is no
// higher. Until that event the current is constant, so the tail's end
// crosses no level that matters (no battery low, no shutdown); the drain
// does not grow, so the battery's next event moves later or stays, never
// earlier. A step event whose move waits for the tail's end (recompute) is
// queued no later than its planned crossing, or this is not vouched for: a
// model that looks past the tail finds no event later than the one the
// battery will have. A model stepping its own timer through a quiet
// stretch may therefore leave this event aside (sim.Engine.QuietUntil). ok
// is false otherwise.
func (d *Device) SilentTail() (t sim.Timer, at time.Duration, ok bool) {
	if !d.sparse || !d.tailOn || !d.tailTimer.Pending() || !d.stepTimer.Pending() ||
		d.st.Power != PowerOn || d.dead || d.plugged() || d.amps >= 0 ||
		d.tailAt >= d.stepAt || (d.stale && d.queuedAt > d.stepAt) {
		return sim.Timer{}, 0, false
	}
	// The load after the tail (a power profile may give any currents):
	// it must not drain faster.
	d.tailOn = false
	after := d.Load()
	d.tailOn = true
	if after > d.load {
		return sim.Timer{}, 0, false
	}
	return d.tailTimer, time.Duration(d.tailAt), true
}
