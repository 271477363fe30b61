package device

import "github.com/wmsim/wmsim/internal/event"

import "time"

// Charger is the kind of power source plugged in.
type Charger string

// Chargers.
const (
	ChargerNone     Charger = "none"
	ChargerAC       Charger = "ac"
	ChargerUSB      Charger = "usb"
	ChargerWireless Charger = "wireless"
)

// NetworkType is the kind of the default network.
type NetworkType string

// Network types.
const (
	NetworkNone     NetworkType = "none"
	NetworkWiFi     NetworkType = "wifi"
	NetworkCellular NetworkType = "cellular"
)

// Network is the device's default network.
type Network struct {
	Type      NetworkType
	Metered   bool
	Roaming   bool
	Validated bool // has internet access (NET_CAPABILITY_VALIDATED)
}

// Connected reports whether there is a usable network.
func (n Network) Connected() bool { return n.Type != NetworkNone && n.Validated }

// Power is the device's power state.
type Power string

// Power states.
const (
	PowerOn      Power = "on"
	PowerOff     Power = "off"
	PowerBooting Power = "booting" // reserved: boots are modelled as off → on with boot.completed
)

// Thermal is the thermal state, in iOS's ProcessInfo.ThermalState terms.
type Thermal string

// Thermal states.
const (
	ThermalNominal  Thermal = "nominal"
	ThermalFair     Thermal = "fair"
	ThermalSerious  Thermal = "serious"
	ThermalCritical Thermal = "critical"
)

// Process is the app's process state.
type Process string

// App process states.
const (
	ProcessNotRunning   Process = "not_running"
	ProcessForeground   Process = "foreground"
	ProcessBackground   Process = "background"
	ProcessSuspended    Process = "suspended"
	ProcessForceStopped Process = "force_stopped" // Android: stopped from settings; nothing runs until launch
	ProcessSwipedAway   Process = "swiped_away"   // removed from the app switcher (iOS: force-quit)
)

// Battery is the battery's state. Charge is kept in microampere-hours so that
// physics is integer arithmetic and identical on every machine.
type Battery struct {
	ChargeUAh int64
	// CapacityMAh is the charge at 100 %: the battery's present full-charge
	// capacity (already reduced by wear; Health does not scale it again).
	CapacityMAh int64
	Health      int // percent of design capacity, informational
}

// Level is the charge in whole percent, rounded down, as Android's
// BatteryManager.EXTRA_LEVEL reports it.
func (b Battery) Level() int {
	if b.CapacityMAh <= 0 {
		return 0
	}
	return int(b.ChargeUAh * 100 / (b.CapacityMAh * 1000))
}

// Storage is free and total storage in bytes.
type Storage struct {
	Free  int64
	Total int64
}

// State is a snapshot of the device.
type State struct {
	Battery    Battery
	Charger    Charger
	Network    Network
	ScreenOn   bool
	Locked     bool
	Moving     bool
	Storage    Storage
	Power      Power
	LowPower   bool // Low Power Mode (iOS) / Battery Saver (Android)
	Thermal    Thermal
	App        Process
	BatteryLow bool // the platform's "battery low" signal, with hysteresis
	StorageLow bool // the platform's "storage low" signal
}

// Plugged reports whether a charger is connected.
//
// A pointer receiver: with a value receiver the compiler copied the whole
// State at every call, inlined or not, and the models ask at every pass.
func (s *State) Plugged() bool { return s.Charger != ChargerNone }

// ChangeKind names a device change.
type ChangeKind = event.Kind

// Device changes, as the platforms broadcast them.
const (
	ChangeBatteryLevel   ChangeKind = event.BatteryLevel // every whole-percent step
	ChangeBatteryLow     ChangeKind = event.BatteryLow   // ACTION_BATTERY_LOW
	ChangeBatteryOkay    ChangeKind = event.BatteryOkay  // ACTION_BATTERY_OKAY
	ChangeCharger        ChangeKind = event.Charger      // connected or disconnected
	ChangeNetwork        ChangeKind = event.Network
	ChangeScreen         ChangeKind = event.Screen
	ChangeLock           ChangeKind = event.Lock
	ChangeMotion         ChangeKind = event.Motion
	ChangeStorage        ChangeKind = event.Storage
	ChangeStorageLow     ChangeKind = event.StorageLow
	ChangeStorageOK      ChangeKind = event.StorageOK
	ChangeLowPower       ChangeKind = event.LowPower
	ChangeThermal        ChangeKind = event.Thermal
	ChangePowerOff       ChangeKind = event.PowerOff      // shutting down: everything running is lost
	ChangeBootCompleted  ChangeKind = event.BootCompleted // BOOT_COMPLETED
	ChangeAppLaunched    ChangeKind = event.AppLaunched   // the user opened the app (foreground)
	ChangeAppBackground  ChangeKind = event.AppBackground
	ChangeAppSwipedAway  ChangeKind = event.AppSwipedAway
	ChangeAppForceStop   ChangeKind = event.AppForceStopped
	ChangeAppUpdated     ChangeKind = event.AppUpdated
	ChangeAppNotified    ChangeKind = event.AppNotification // user interacted with a notification (bucket elevation)
	ChangeProcessStarted ChangeKind = event.AppProcessStarted
	ChangeProcessDied    ChangeKind = event.AppProcessDied
	ChangeAppSuspended   ChangeKind = event.AppSuspended // the OS suspended the backgrounded app (iOS)
)

// Change is one device change, delivered to subscribers with the state after it.
type Change struct {
	Kind  ChangeKind
	At    time.Time
	State State
	Prev  State
	// Reason says why, in words a user reads (the same text the trace carries).
	Reason string
}

// Listener receives device changes.
type Listener interface {
	// DeviceChanged is told of a change. c is valid during the call only
	// and shared with the other listeners: read it, do not modify or keep it.
	DeviceChanged(c *Change)
}

// ListenerFunc adapts a function to Listener.
type ListenerFunc func(c *Change)

// DeviceChanged calls f(c).
func (f ListenerFunc) DeviceChanged(c *Change) { f(c) }
