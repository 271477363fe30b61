package device

import (
	"slices"
	"time"

	"github.com/wmsim/wmsim/sim"
)

// Thresholds are the platform thresholds the device signals, with their sources.
type Thresholds struct {
	// BatteryLowPercent: "battery low" at or below this level while unplugged.
	// AOSP config_lowBatteryWarningLevel = 15 (frameworks/base core/res config.xml).
	BatteryLowPercent int
	// BatteryOkayPercent: "battery okay" again at or above this level.
	// AOSP config_lowBatteryCloseWarningBump = 5 → 15 + 5 = 20 (BatteryService).
	BatteryOkayPercent int
	// StorageLowPercent / StorageLowMaxBytes: storage is low at or below
	// min(5 % of total, 500 MiB) (StorageManager.DEFAULT_THRESHOLD_PERCENTAGE = 5,
	// DEFAULT_THRESHOLD_MAX_BYTES = 500 MiB).
	StorageLowPercent  int64
	StorageLowMaxBytes int64
}

// DefaultThresholds are AOSP's defaults.
var DefaultThresholds = Thresholds{BatteryLowPercent: 15, BatteryOkayPercent: 20, StorageLowPercent: 5, StorageLowMaxBytes: 500 << 20}

// Config is the device's initial state and knobs.
type Config struct {
	Initial    State
	Thresholds Thresholds
}

// DefaultState is a phone on a table: 80 % of 4000 mAh, unplugged, on
// validated unmetered Wi-Fi, screen off and locked, 12 GB free of 64 GB.
func DefaultState() State {
	return State{
		Battery: Battery{ChargeUAh: 3200 * 1000, CapacityMAh: 4000, Health: 100},
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
	listeners []Listener
	launches  []time.Time
	stores    map[string]*Store
	bootTimer sim.Timer
}

// New makes a device in cfg.Initial. Its derived signals (battery low,
// storage low) are computed from the initial state.
func New(eng *sim.Engine, cfg Config) *Device {
	d := &Device{eng: eng, st: cfg.Initial, th: cfg.Thresholds, stores: map[string]*Store{}}
	if d.th == (Thresholds{}) {
		d.th = DefaultThresholds
	}
	if d.st.Power == "" {
		d.st.Power = PowerOn
	}
	d.st.BatteryLow = !d.st.Plugged() && d.st.Battery.Level() <= d.th.BatteryLowPercent
	d.st.StorageLow = d.storageLow(d.st.Storage)
	return d
}

// Engine is the kernel the device runs on.
func (d *Device) Engine() *sim.Engine { return d.eng }

// State is the current state.
func (d *Device) State() State { return d.st }

// Thresholds are the thresholds in force.
func (d *Device) Thresholds() Thresholds { return d.th }

// Subscribe adds a listener. Listeners are called in subscription order.
func (d *Device) Subscribe(l Listener) { d.listeners = append(d.listeners, l) }

// Launches is the app's launch history (times the user opened it), oldest first.
func (d *Device) Launches() []time.Time { return d.launches }

// Store returns the persistent key-value store called name (e.g.
// "app.shared_preferences", "app.user_defaults"). Stores survive reboots.
func (d *Device) Store(name string) *Store {
	s, ok := d.stores[name]
	if !ok {
		s = &Store{m: map[string]any{}}
		d.stores[name] = s
	}
	return s
}

// change applies mutate, recomputes derived signals and notifies listeners of
// kind and of every derived signal that flipped, in a fixed order.
func (d *Device) change(kind ChangeKind, reason string, mutate func(*State)) {
	prev := d.st
	mutate(&d.st)
	d.emit(kind, prev, reason)
	d.derive(prev)
}

func (d *Device) derive(prev State) {
	lvl := d.st.Battery.Level()
	low := d.st.BatteryLow
	switch {
	case d.st.Plugged():
		// Plugging in clears "low" at once: BatteryService reports low only on battery power.
		low = false
	case lvl <= d.th.BatteryLowPercent:
		low = true
	case lvl >= d.th.BatteryOkayPercent:
		low = false
	}
	if low != d.st.BatteryLow {
		p := d.st
		d.st.BatteryLow = low
		if low {
			d.emit(ChangeBatteryLow, p, "battery at or below the low threshold while unplugged")
		} else {
			d.emit(ChangeBatteryOkay, p, "battery back above the okay threshold, or plugged in")
		}
	}
	if sl := d.storageLow(d.st.Storage); sl != d.st.StorageLow {
		p := d.st
		d.st.StorageLow = sl
		if sl {
			d.emit(ChangeStorageLow, p, "free storage at or below min(5% of total, 500 MiB)")
		} else {
			d.emit(ChangeStorageOK, p, "free storage above the low threshold")
		}
	}
	_ = prev
}

func (d *Device) storageLow(s Storage) bool {
	limit := s.Total * d.th.StorageLowPercent / 100
	if d.th.StorageLowMaxBytes > 0 && limit > d.th.StorageLowMaxBytes {
		limit = d.th.StorageLowMaxBytes
	}
	return s.Total > 0 && s.Free <= limit
}

func (d *Device) emit(kind ChangeKind, prev State, reason string) {
	if d.eng.Tracing() {
		d.eng.Emit("device", string(kind), "device", reason, stateFields(d.st)...)
	}
	c := Change{Kind: kind, At: d.eng.Now(), State: d.st, Prev: prev}
	for _, l := range d.listeners {
		l.DeviceChanged(c)
	}
}

func stateFields(s State) []sim.Field {
	return []sim.Field{
		sim.Int("battery", int64(s.Battery.Level())),
		sim.String("charger", string(s.Charger)),
		sim.String("network", string(s.Network.Type)),
		sim.Bool("screen_on", s.ScreenOn),
		sim.String("app", string(s.App)),
	}
}

// SetCharger plugs in (or unplugs, with ChargerNone) a charger.
func (d *Device) SetCharger(c Charger) {
	if d.st.Charger == c {
		return
	}
	d.change(ChangeCharger, "charger "+string(c), func(s *State) { s.Charger = c })
}

// SetNetwork changes the default network.
func (d *Device) SetNetwork(n Network) {
	if d.st.Network == n {
		return
	}
	d.change(ChangeNetwork, "network "+string(n.Type), func(s *State) { s.Network = n })
}

// SetScreen turns the screen on or off. Turning it off also locks the device.
func (d *Device) SetScreen(on bool) {
	if d.st.ScreenOn == on {
		return
	}
	d.change(ChangeScreen, map[bool]string{true: "screen on", false: "screen off"}[on], func(s *State) {
		s.ScreenOn = on
		if !on {
			s.Locked = true
		}
	})
}

// SetLocked locks or unlocks the device.
func (d *Device) SetLocked(locked bool) {
	if d.st.Locked == locked {
		return
	}
	d.change(ChangeLock, "lock changed", func(s *State) { s.Locked = locked })
}

// SetMoving marks the device as moving or stationary (Doze's motion sensor).
func (d *Device) SetMoving(moving bool) {
	if d.st.Moving == moving {
		return
	}
	d.change(ChangeMotion, "motion changed", func(s *State) { s.Moving = moving })
}

// SetBatteryLevel jumps the battery to percent (a scenario's battery: {level: N}).
func (d *Device) SetBatteryLevel(percent int) {
	percent = min(max(percent, 0), 100)
	d.change(ChangeBatteryLevel, "battery level set", func(s *State) {
		s.Battery.ChargeUAh = int64(percent) * s.Battery.CapacityMAh * 10
	})
}

// SetStorage sets free and total storage.
func (d *Device) SetStorage(st Storage) {
	if d.st.Storage == st {
		return
	}
	d.change(ChangeStorage, "storage changed", func(s *State) { s.Storage = st })
}

// SetLowPower turns Low Power Mode / Battery Saver on or off.
func (d *Device) SetLowPower(on bool) {
	if d.st.LowPower == on {
		return
	}
	d.change(ChangeLowPower, "low power mode changed", func(s *State) { s.LowPower = on })
}

// SetThermal sets the thermal state.
func (d *Device) SetThermal(t Thermal) {
	if d.st.Thermal == t {
		return
	}
	d.change(ChangeThermal, "thermal state "+string(t), func(s *State) { s.Thermal = t })
}

// LaunchApp is the user opening the app: it comes to the foreground and the
// launch is added to the history the OS heuristics read.
func (d *Device) LaunchApp() {
	if d.st.Power != PowerOn {
		return
	}
	d.launches = append(d.launches, d.eng.Now())
	d.change(ChangeAppLaunched, "user opened the app", func(s *State) { s.App = ProcessForeground; s.ScreenOn = true; s.Locked = false })
}

// BackgroundApp sends the app to the background (the user left it).
func (d *Device) BackgroundApp() {
	if d.st.App != ProcessForeground {
		return
	}
	d.change(ChangeAppBackground, "user left the app", func(s *State) { s.App = ProcessBackground })
}

// SwipeAwayApp removes the app from the app switcher.
func (d *Device) SwipeAwayApp() {
	d.change(ChangeAppSwipedAway, "user swiped the app away", func(s *State) { s.App = ProcessSwipedAway })
}

// ForceStopApp force-stops the app (Android Settings → Force stop).
func (d *Device) ForceStopApp() {
	d.change(ChangeAppForceStop, "user force-stopped the app", func(s *State) { s.App = ProcessForceStopped })
}

// UpdateApp installs a new version of the app; its process is restarted.
func (d *Device) UpdateApp() {
	d.change(ChangeAppUpdated, "a new version of the app was installed", func(s *State) { s.App = ProcessNotRunning })
}

// NotifyInteraction is the user interacting with the app's notification.
func (d *Device) NotifyInteraction() {
	d.change(ChangeAppNotified, "user interacted with a notification", func(*State) {})
}

// StartProcess marks the app process as started in the background by the OS
// (to run work) if it was not running. It reports whether it started it.
func (d *Device) StartProcess() bool {
	switch d.st.App {
	case ProcessNotRunning, ProcessSuspended, ProcessSwipedAway:
		d.change(ChangeProcessStarted, "app process started in the background", func(s *State) { s.App = ProcessBackground })
		return true
	}
	return false
}

// KillProcess ends the app process (the OS reclaimed it).
func (d *Device) KillProcess() {
	if d.st.App == ProcessNotRunning || d.st.App == ProcessForceStopped {
		return
	}
	d.change(ChangeProcessDied, "app process ended", func(s *State) { s.App = ProcessNotRunning })
}

// Reboot powers the device off now and boots it after downtime. Everything
// running is lost; persistent stores are kept.
func (d *Device) Reboot(downtime time.Duration) {
	if d.st.Power != PowerOn {
		return
	}
	d.change(ChangePowerOff, "device powered off", func(s *State) {
		s.Power = PowerOff
		s.ScreenOn = false
		s.Locked = true
		if s.App != ProcessForceStopped {
			s.App = ProcessNotRunning
		}
	})
	d.eng.Cancel(d.bootTimer)
	d.bootTimer = d.eng.After(downtime, sim.PhaseDevice, "device.boot", sim.HandlerFunc(func(*sim.Engine) {
		d.change(ChangeBootCompleted, "boot completed", func(s *State) {
			s.Power = PowerOn
			// A reboot clears Android's stopped state for BOOT_COMPLETED receivers only
			// after the first launch; keep force_stopped as it was.
			if s.App == ProcessNotRunning || s.App == ProcessForceStopped {
				return
			}
		})
	}))
}

// Store is a persistent key-value store (SharedPreferences, UserDefaults).
type Store struct{ m map[string]any }

// Get returns the value for key.
func (s *Store) Get(key string) (any, bool) { v, ok := s.m[key]; return v, ok }

// Set stores a value.
func (s *Store) Set(key string, v any) { s.m[key] = v }

// Delete removes a key.
func (s *Store) Delete(key string) { delete(s.m, key) }

// Keys returns the keys in sorted order.
func (s *Store) Keys() []string {
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
