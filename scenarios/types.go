// The Go types of a scenario: the top level, platforms, plugin, device,
// app and expectations.

package scenarios

import (
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
)

// Scenario is one decoded and validated scenario file (format v1). Load and
// Parse fill every default, so a runner reads it without further checks.
type Scenario struct {
	// File is the name the scenario was loaded from (not part of the format).
	File string `json:"-"`
	// Version of the scenario format; always 1.
	Version int `json:"version" jsonschema:"required,enum=1"`
	// Name of the scenario: lower-case letters, digits and dashes.
	Name string `json:"name" jsonschema:"required,pattern=^[a-z0-9-]+$"`
	// Description is free text.
	Description string `json:"description,omitempty"`
	// Seed is the root of every random stream (default 1).
	Seed uint64 `json:"seed,omitempty" jsonschema:"default=1,minimum=0"`
	// Start is the virtual wall-clock time of the run's start, with its UTC
	// offset (default 2026-01-05T08:00:00Z, a Monday). Clock-time `at`
	// values and daily profiles use this offset.
	Start time.Time `json:"start,omitempty"`
	// Duration is how long the run lasts: > 0 and at most 366d.
	Duration time.Duration `json:"duration" jsonschema:"required"`
	// Platform lists the platforms the scenario runs on, in file order
	// (default [android]). A single string is a one-element list.
	Platform Platforms `json:"platform,omitempty"`
	// Plugin selects the plugin version profile.
	Plugin Plugin `json:"plugin,omitempty"`
	// Android holds Android policy knobs (defaults filled).
	Android Android `json:"android,omitempty"`
	// IOS holds iOS policy knobs (defaults filled).
	IOS IOS `json:"ios,omitempty"`
	// Device is the initial device state; nil fields keep the device
	// model's defaults.
	Device Device `json:"device,omitempty"`
	// App says how the app's task handler behaves.
	App App `json:"app,omitempty"`
	// Timeline is what happens when, in file order (not sorted).
	Timeline []Step `json:"timeline,omitempty"`
	// Expect is what must hold at the end of the run.
	Expect []Expectation `json:"expect,omitempty"`
}

// DefaultStart is the start used when a scenario gives none: Monday
// 2026-01-05 08:00 UTC.
var DefaultStart = time.Date(2026, time.January, 5, 8, 0, 0, 0, time.UTC)

// MaxDuration is the longest scenario duration: 366 days.
const MaxDuration = 366 * Day

// Day is the `d` duration unit: 24 hours.
const Day = 24 * time.Hour

// Has reports whether the scenario runs on p.
func (s *Scenario) Has(p Platform) bool {
	for _, q := range s.Platform {
		if q == p {
			return true
		}
	}
	return false
}

// Platform is android or ios.
type Platform string

// Platforms.
const (
	PlatformAndroid Platform = "android"
	PlatformIOS     Platform = "ios"
)

// Platforms is the `platform` field: a string or a list of them.
type Platforms []Platform

// PluginVersion selects the plugin profile.
type PluginVersion string

// Plugin versions: today's plugin and the original API.
const (
	Plugin0_10 PluginVersion = "0.10"
	Plugin0_5  PluginVersion = "0.5"
)

// Plugin is the `plugin` block.
type Plugin struct {
	// Version is the workmanager release: a minor "0.2" … "0.10" (its latest
	// release; default "0.10") or an exact release ("0.5.2", "0.9.0+3",
	// "0.10.10"); see plugin.Releases.
	Version PluginVersion `json:"version,omitempty"`
	// Android pins workmanager_android (0.8+, within the release's caret
	// range); default: the version the release was published with.
	Android string `json:"android,omitempty"`
	// Apple pins workmanager_apple (0.8+, within the release's caret range);
	// default: the version the release was published with.
	Apple string `json:"apple,omitempty"`
	// Debug is WorkmanagerDebug.setCurrent (0.9+): logging or notification.
	Debug string `json:"debug,omitempty" jsonschema:"enum=none,enum=logging,enum=notification"`
	// DataSyncForegroundService is the Gradle flag
	// workmanager.enableDataSyncForegroundService=true (#725, android 0.10.6+).
	DataSyncForegroundService bool `json:"data_sync_foreground_service,omitempty"`
	// StripShortServicePermission says the app removed the plugin's
	// FOREGROUND_SERVICE_SHORT_SERVICE from its merged manifest (default false).
	StripShortServicePermission bool `json:"strip_short_service_permission,omitempty"`
	// OnStoppedBug732 forces #732 (onTaskStopped never reaches Dart) on
	// releases that have the fix (workmanager_android 0.10.8+); releases
	// before it have the bug anyway.
	OnStoppedBug732 bool `json:"on_stopped_bug_732,omitempty"`
}

// StandbyBucket is an Android App Standby bucket, or auto.
type StandbyBucket string

// Standby buckets.
const (
	BucketAuto       StandbyBucket = "auto"
	BucketActive     StandbyBucket = "active"
	BucketWorkingSet StandbyBucket = "working_set"
	BucketFrequent   StandbyBucket = "frequent"
	BucketRare       StandbyBucket = "rare"
	BucketRestricted StandbyBucket = "restricted"
)

// OEM selects vendor behaviour on Android.
type OEM string

// OEM behaviours.
const (
	OEMAOSP       OEM = "aosp"
	OEMAggressive OEM = "aggressive"
)

// Android API levels accepted by `android.api`.
const (
	MinAndroidAPI     = 23
	MaxAndroidAPI     = 37 // 23–37 (issue 16 adds Android 17); the v1 page says 35, the newer issues win
	DefaultAndroidAPI = 34
)

// Android is the `android` block with defaults filled.
type Android struct {
	// API level selecting the per-release data, 23..37 (default 34).
	API int `json:"api,omitempty" jsonschema:"minimum=23,maximum=37,default=34"`
	// StandbyBucket is auto (driven by usage, default) or a fixed bucket.
	StandbyBucket StandbyBucket `json:"standby_bucket,omitempty"`
	// Doze says whether Doze is modelled at all (default true).
	Doze bool `json:"doze,omitempty" jsonschema:"default=true"`
	// BatterySaver is the Battery Saver switch (default false).
	BatterySaver bool `json:"battery_saver,omitempty"`
	// OEM is a built-in vendor profile (aosp by default; docs/oem.md) or,
	// with OEMFile, the name inside the user's own profile.
	OEM OEM `json:"oem,omitempty"`
	// OEMFile is the profile file given as oem: {file: …} and OEMProfile
	// what it holds (not part of the serialized form).
	OEMFile    string              `json:"-"`
	OEMProfile *android.OEMProfile `json:"-"`
	// Quota is where the standby quota table comes from: aosp (default) or docs.
	Quota QuotaSource `json:"quota,omitempty"`
}

// iOS versions accepted by `ios.version`.
const (
	MinIOSVersion     = 13
	MaxIOSVersion     = 27
	DefaultIOSVersion = 17
)

// BackgroundMode is a UIBackgroundModes entry.
type BackgroundMode string

// Background modes the plugin uses.
const (
	ModeFetch      BackgroundMode = "fetch"
	ModeProcessing BackgroundMode = "processing"
)

// BackgroundModes lists every UIBackgroundModes value Apple documents
// (Information Property List reference, key UIBackgroundModes; Xcode's
// Signing & Capabilities → Background Modes), in that page's order. Only
// fetch and processing matter to the plugin and are modelled; the others
// are accepted and named once in the result's warnings.
var BackgroundModes = []BackgroundMode{"audio", "location", "voip", "newsstand-content", "external-accessory",
	"bluetooth-central", "bluetooth-peripheral", ModeFetch, "remote-notification", ModeProcessing,
	"nearby-interaction", "network-authentication", "push-to-talk"}

// Modelled reports whether wmsim models the mode (fetch, processing).
func (m BackgroundMode) Modelled() bool { return m == ModeFetch || m == ModeProcessing }

// IOS is the `ios` block with defaults filled.
type IOS struct {
	// Version is the iOS major version: 13 to 18, 26 or 27 (Apple numbered the release after 18 as 26); default 17.
	Version int `json:"version,omitempty" jsonschema:"enum=13,enum=14,enum=15,enum=16,enum=17,enum=18,enum=26,enum=27,default=17"`
	// BackgroundAppRefresh is the Settings switch (default true).
	BackgroundAppRefresh bool `json:"background_app_refresh,omitempty" jsonschema:"default=true"`
	// LowPowerMode is the Low Power Mode switch (default false).
	LowPowerMode bool `json:"low_power_mode,omitempty"`
	// PermittedIdentifiers is BGTaskSchedulerPermittedIdentifiers. Default:
	// the uniqueNames of the timeline's registerPeriodicTask,
	// registerProcessingTask and registerHealthResearchTask calls (a
	// correctly configured app). An explicit [] is kept empty.
	PermittedIdentifiers []string `json:"permitted_identifiers,omitempty"`
	// BackgroundModes is UIBackgroundModes (default [fetch, processing]).
	BackgroundModes []BackgroundMode `json:"background_modes,omitempty"`
	// LaunchHandlers are the ids the AppDelegate registers at launch
	// (default: the permitted identifiers).
	LaunchHandlers []string `json:"launch_handlers,omitempty"`
	// FetchInterval is setMinimumBackgroundFetchInterval: never (default),
	// minimum, or a duration.
	FetchInterval FetchInterval `json:"fetch_interval,omitempty"`
	// Heuristics selects the parameter set of the model of iOS's hidden
	// scheduling heuristics: optimistic, typical (default) or pessimistic.
	// Running all three shows the range a real device may fall in.
	Heuristics Heuristics `json:"heuristics,omitempty" jsonschema:"enum=optimistic,enum=typical,enum=pessimistic,default=typical"`
}

// Heuristics names a parameter set of the iOS heuristics model.
type Heuristics string

// The parameter sets (osscheduler/ios/MODEL.md).
const (
	HeuristicsOptimistic  Heuristics = "optimistic"
	HeuristicsTypical     Heuristics = "typical"
	HeuristicsPessimistic Heuristics = "pessimistic"
)

// FetchIntervalKind says which form fetch_interval took.
type FetchIntervalKind string

// Fetch interval kinds.
const (
	FetchNever   FetchIntervalKind = "never"
	FetchMinimum FetchIntervalKind = "minimum"
	FetchEvery   FetchIntervalKind = "interval"
)

// FetchInterval is `never`, `minimum` or a duration.
type FetchInterval struct {
	Kind     FetchIntervalKind
	Interval time.Duration // when Kind is FetchEvery
}

// Device is the `device` block (initial state) and the `device` timeline
// action (a change). A nil field is not given.
type Device struct {
	Battery *Battery `json:"battery,omitempty"`
	// Charger: none | ac | usb | wireless.
	Charger *Charger `json:"charger,omitempty"`
	Network *Network `json:"network,omitempty"`
	// Screen: on | off.
	Screen  *Screen  `json:"screen,omitempty"`
	Storage *Storage `json:"storage,omitempty"`
	// Motion: the device is moving (significant motion: Doze goes back to
	// INACTIVE and restarts its countdown).
	Motion *bool `json:"motion,omitempty"`
	// Profile names a built-in or file-defined daily usage profile.
	Profile *string `json:"profile,omitempty" jsonschema:"minLength=1"`
	// ScreenTimeout is how long the screen stays on after the app goes to
	// the background by a step (format v1.1; initial block only; default
	// 30s).
	ScreenTimeout *time.Duration `json:"screen_timeout,omitempty"`
	// ProfileDef is a profile defined in the file: `profile:` given as a
	// mapping (device.Profile's fields) instead of a built-in's name. Profile
	// then holds its name.
	ProfileDef *device.Profile `json:"-"`
}

// Empty reports whether no field is given.
func (d Device) Empty() bool {
	return d.Battery == nil && d.Charger == nil && d.Network == nil && d.Screen == nil && d.Storage == nil && d.Profile == nil && d.ScreenTimeout == nil
}

// Battery is the battery's level (percent, 0..100) and capacity.
type Battery struct {
	Level       *int `json:"level,omitempty" jsonschema:"minimum=0,maximum=100"`
	CapacityMAh *int `json:"capacity_mah,omitempty" jsonschema:"minimum=1,maximum=100000"`
}

// Charger is the power source.
type Charger string

// Chargers.
const (
	ChargerNone     Charger = "none"
	ChargerAC       Charger = "ac"
	ChargerUSB      Charger = "usb"
	ChargerWireless Charger = "wireless"
)

// NetworkKind is the kind of the default network.
type NetworkKind string

// Network kinds.
const (
	NetworkNone     NetworkKind = "none"
	NetworkWiFi     NetworkKind = "wifi"
	NetworkCellular NetworkKind = "cellular"
)

// Network is the device's default network.
type Network struct {
	Type    *NetworkKind `json:"type,omitempty"`
	Metered *bool        `json:"metered,omitempty"`
	Roaming *bool        `json:"roaming,omitempty"`
	// Validated: the connection passed the system's validation (false:
	// connected but e.g. behind a captive portal; default true when connected).
	Validated *bool `json:"validated,omitempty"`
}

// Screen is on or off.
type Screen string

// Screen states.
const (
	ScreenOn  Screen = "on"
	ScreenOff Screen = "off"
)

// Storage is free and total storage in bytes.
type Storage struct {
	Free  *ByteSize `json:"free,omitempty"`
	Total *ByteSize `json:"total,omitempty"`
}

// ByteSize is a size in bytes, written as an integer or with a unit: B, KB,
// MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).
type ByteSize int64

// App is the `app` block.
type App struct {
	// Tasks are keyed by the name the dispatcher receives, in file order.
	Tasks Tasks `json:"tasks,omitempty"`
	// OnLaunch is what main() does, in order, at every cold start of the
	// app (format v1.1): Dart calls, each optionally for one platform.
	OnLaunch []DartCall `json:"on_launch,omitempty"`
	// ProcessLifetime is how long a backgrounded app's process lives before
	// the OS reclaims it (format v1.1). nil: DefaultProcessLifetime when
	// on_launch is given, otherwise the process is never reclaimed (a v1
	// file keeps its meaning).
	ProcessLifetime *time.Duration `json:"process_lifetime,omitempty"`
	// SceneApp is an iOS app on the UIScene life cycle whose AppDelegate does
	// not call WorkmanagerPlugin.registerLaunchHandlers() (default false).
	SceneApp bool `json:"scene_app,omitempty"`
	// DispatcherEntryPoint says the callbackDispatcher carries
	// @pragma('vm:entry-point') (default true); false models a release build
	// where the handle never resolves in a background engine (#374).
	DispatcherEntryPoint *bool `json:"dispatcher_entry_point,omitempty" jsonschema:"default=true"`
}

// DartCall is one Dart call of app.on_launch or a task's then: a method, its
// arguments, and optionally the one platform it is made on.
type DartCall struct {
	// Platform limits the call to android or ios (Platform.isIOS in Dart).
	Platform Platform `json:"platform,omitempty"`
	// Call is a Dart method of the plugin; Args its named parameters.
	Call Method `json:"call" jsonschema:"required"`
	Args *Args  `json:"args,omitempty"`
	// Pos is where the entry starts in the file (not part of the format).
	Pos Pos `json:"-"`
}

// Applies reports whether the call is made on platform p.
func (c *DartCall) Applies(p Platform) bool { return c.Platform == "" || c.Platform == p }

// DefaultProcessLifetime is how long a backgrounded app's process lives when
// the scenario gives app.on_launch and no process_lifetime: 30 minutes, the
// time AOSP lets an empty cached process sit before killing it
// (services/core/java/com/android/server/am/ProcessList.java MAX_EMPTY_TIME
// = 30*60*1000, Android 4.4–9; later releases make it a device_config
// constant, ActivityManagerConstants max_empty_time_millis). iOS gives no
// figure: a suspended app is terminated when the system needs memory
// ("Managing your app's life cycle", developer.apple.com), so the same
// default is used and process_lifetime overrides it per scenario.
const DefaultProcessLifetime = 30 * time.Minute

// Tasks is `app.tasks`: an ordered mapping from received task name to
// behaviour. The entry named "default" is what the dispatcher does with a
// name it has no case for.
type Tasks []Task

// DefaultTask is the key of the catch-all entry in app.tasks.
const DefaultTask = "default"

// Lookup returns the behaviour for the name the dispatcher received, and
// whether it came from an entry of that name (false: the default entry or,
// without one, success after 0s).
func (ts Tasks) Lookup(received string) (Task, bool) {
	for _, t := range ts {
		if t.Name == received && t.Name != DefaultTask {
			return t, true
		}
	}
	for _, t := range ts {
		if t.Name == DefaultTask {
			return t, false
		}
	}
	return Task{Name: DefaultTask, Result: []Result{ResultSuccess}}, false
}

// Defines reports whether ts has an entry named name (not counting default).
func (ts Tasks) Defines(name string) bool {
	for _, t := range ts {
		if t.Name == name && name != DefaultTask {
			return true
		}
	}
	return false
}

// HasDefault reports whether ts has a default entry.
func (ts Tasks) HasDefault() bool {
	for _, t := range ts {
		if t.Name == DefaultTask {
			return true
		}
	}
	return false
}

// Task is how the handler behaves for one received name.
type Task struct {
	// Name is the key in app.tasks.
	Name string `json:"-"`
	// Duration is how long the handler runs: a duration, or a range
	// "2s..10s" drawn from the seed (default 0s).
	Duration DurationRange `json:"duration,omitempty"`
	// Result is what each run returns, used in turn; the last one repeats
	// (default [success]).
	Result Results `json:"result,omitempty"`
	// RequiresNetwork makes the handler return retry if the device is
	// offline.
	RequiresNetwork bool `json:"requires_network,omitempty"`
	// Then are the Dart calls the handler makes, in order, at the end of its
	// run before it returns, in the background isolate (format v1.1).
	Then []DartCall `json:"then,omitempty"`
}

// ResultFor returns the result of the n-th run (0-based): results are used
// in turn and the last one repeats.
func (t Task) ResultFor(n int) Result {
	if len(t.Result) == 0 {
		return ResultSuccess
	}
	if n < 0 {
		n = 0
	}
	if n >= len(t.Result) {
		return t.Result[len(t.Result)-1]
	}
	return t.Result[n]
}

// DurationRange is a fixed duration (Min == Max) or a range Min..Max.
type DurationRange struct {
	Min, Max time.Duration
}

// Fixed reports whether the range is a single duration.
func (r DurationRange) Fixed() bool { return r.Min == r.Max }

// Result is what the handler's Future completes with.
type Result string

// Results: success is Future.value(true), retry Future.value(false), failure
// Future.error(...), error a thrown exception.
const (
	ResultSuccess Result = "success"
	ResultRetry   Result = "retry"
	ResultFailure Result = "failure"
	ResultError   Result = "error"
)

// Results is one result or a list used in turn.
type Results []Result
