package plugin

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds the plugin's releases as data: what each published
// workmanager release (and, from 0.8, the workmanager_android and
// workmanager_apple packages it resolves to) can do. The rest of the package
// reads Capabilities; it never compares version strings.
//
// Sources, checked against the flutter_workmanager repository at each tag
// (git show TAG:path): the Dart API in lib/src/workmanager.dart (0.2.4–0.7.0)
// and workmanager/lib/src/workmanager_impl.dart (0.8+); the Android request
// builders in WorkmanagerCallHandler.kt / Extractor.kt (≤0.8) and
// WorkManagerUtils.kt (0.9+); the iOS side in SwiftWorkmanagerPlugin.swift
// (≤0.8) and WorkmanagerPlugin.swift (0.9+); the platform packages' lower
// bounds in workmanager/pubspec.yaml at each workmanager-vX tag. Releases
// after the snapshot (workmanager 0.10.9 / 0.10.10, workmanager_android
// 0.10.7 / 0.10.8) are taken from their release notes and marked so.

// Wire is the channel protocol a release speaks.
type Wire string

// Wires.
const (
	// WireMethodChannel is the legacy StandardMethodCodec channel pair
	// (…/foreground_channel_work_manager, …/background_channel_work_manager).
	WireMethodChannel Wire = "methodchannel"
	// WirePigeon is the Pigeon WorkmanagerHostApi / WorkmanagerFlutterApi
	// (workmanager_platform_interface 0.9.0).
	WirePigeon Wire = "pigeon"
)

// IOSOneOffMode is how a release runs registerOneOffTask on iOS.
type IOSOneOffMode string

// iOS one-off modes.
const (
	// IOSOneOffUnhandled: 0.2–0.4 SwiftWorkmanagerPlugin.handle knows only
	// initialize; registerOneOffTask → WMPError.unhandledMethod.
	IOSOneOffUnhandled IOSOneOffMode = "unhandled"
	// IOSOneOffProcessing: 0.5 submits a BGProcessingTaskRequest under the
	// unique name (SwiftWorkmanagerPlugin.swift 0.5.1).
	IOSOneOffProcessing IOSOneOffMode = "processing"
	// IOSOneOffInProcess: 0.6+ runs it in the live process under
	// UIApplication.beginBackgroundTask (SwiftWorkmanagerPlugin.swift 0.6.0
	// registerOneOffTask → startOneOffTask).
	IOSOneOffInProcess IOSOneOffMode = "in_process"
)

// Namespace prefixes of channel names, preference and UserDefaults keys.
const (
	NamespaceTramckrijte = "be.tramckrijte.workmanager"       // ≤0.7
	NamespaceCommunity   = "dev.fluttercommunity.workmanager" // 0.8+
)

// Capabilities is what one resolved release can do, field by field; each
// field names the release that introduced it and where it shows.
type Capabilities struct {
	// StaticAPI: the Dart API is static (Workmanager.initialize); 0.3.0 made it
	// an instance (factory Workmanager()). Only the Dart spelling differs.
	StaticAPI bool
	// Wire: MethodChannel up to 0.8, Pigeon from 0.9.0.
	Wire Wire
	// Namespace: be.tramckrijte up to 0.7, dev.fluttercommunity from 0.8.0.
	Namespace string
	// LegacyInputData: the Dart side accepts only int, bool, double, String
	// and their lists and sends inputData as JSON text (≤0.7); 0.8 sends
	// native maps.
	LegacyInputData bool
	// DebugHandlers: WorkmanagerDebug.setCurrent hooks (0.9.0); before,
	// initialize's isInDebugMode turned on notifications.
	DebugHandlers bool
	// HandleNullCheck: initialize throws a TypeError for a dispatcher with no
	// callback handle (callback!.toRawHandle(), federated Dart, 0.8+); before,
	// a release build skipped initialize silently.
	HandleNullCheck bool
	// DartUnsupportedIOS: the federated Dart layer (0.8+) throws
	// UnsupportedError for cancelByTag / isScheduledByUniqueName on iOS
	// (workmanager_apple.dart); before, the call reached Swift and came back
	// as unhandledMethod.
	DartUnsupportedIOS bool

	// Dart methods present (workmanager.dart / workmanager_impl.dart).
	IsScheduled         bool // 0.6.0
	PrintScheduledTasks bool // 0.6.0
	ProcessingTasks     bool // 0.6.0
	HealthResearchTasks bool // 0.9.2
	ContinuedProcessing bool // 0.9.3
	OnTaskStopped       bool // 0.10.0+1 (#705)
	GetWorkInfo         bool // 0.10.3 (#719)
	Progress            bool // 0.10.4 (#720)
	OutOfQuotaParam     bool // 0.5.0: registerOneOffTask(outOfQuotaPolicy:)
	FlexParam           bool // 0.6.0: registerPeriodicTask(flexInterval:) (PR #537)
	FGSParam            bool // 0.9.3: foregroundServiceConfig
	ExpeditedParam      bool // 0.10.2: registerOneOffTask(expedited:)
	ContentURIParam     bool // 0.10.1: Constraints.contentUriTriggers
	// ReadyHandshake: the background isolate calls
	// WorkmanagerHostApi.notifyBackgroundChannelInitialized before the host
	// sends executeTask (#738, workmanager 0.10.10, release notes).
	ReadyHandshake bool

	// Android (workmanager_android).
	// AndroidExtractor: requests built by Extractor.kt (≤0.8): every
	// constraint set explicitly, backoff only when a policy is given (at least
	// MIN_BACKOFF_MILLIS), KEEP for both kinds, APPEND kept as APPEND.
	AndroidExtractor bool
	// DefaultFlex: flex defaults to PeriodicWorkRequest.MIN_PERIODIC_FLEX_MILLIS
	// (DEFAULT_FLEX_INTERVAL_SECONDS, 0.6.0 Extractor.kt; 0.9.0 WorkManagerUtils.kt)
	// when Dart sends none, so the first periodic run lands at
	// enqueue + initialDelay + (interval − 5 min) (#594); android 0.9.1+1
	// (PR #691) passes a flex only when given.
	DefaultFlex bool
	// ExpeditedFlag: setExpedited only when expedited == true (android
	// 0.10.2); before, any outOfQuotaPolicy made the request expedited
	// (`outOfQuotaPolicy?.let(::setExpedited)`, 0.5.1 … android 0.10.1).
	ExpeditedFlag bool
	// ContentURITriggers: addContentUriTrigger (android 0.10.1).
	ContentURITriggers bool
	// DataSyncDeclared: the plugin's manifest declares
	// FOREGROUND_SERVICE_DATA_SYNC itself (android 0.9.3 … 0.10.5); android
	// 0.10.6 makes it the Gradle opt-in workmanager.enableDataSyncForegroundService (#725).
	DataSyncDeclared bool
	// OnStoppedOffMainThread: BackgroundWorker.onStopped calls Pigeon off the
	// main thread and throws, so onTaskStopped never reaches Dart (#732,
	// android 0.10.0+1 … 0.10.7; fixed by #735 in android 0.10.8, release notes).
	OnStoppedOffMainThread bool
	// EngineInitWatchdog: a worker whose engine/handshake has not completed
	// in this time fails (android 0.10.8, Android 16 fix; release notes). 0: none.
	EngineInitWatchdog time.Duration
	// WorkManager is the androidx.work release the plugin's Android side
	// declares (work_version in its android/build.gradle at each tag): what
	// the app runs unless its own Gradle build resolves a newer one.
	WorkManager string
	// DefaultPeriodicUpdate: registerPeriodicTask defaults to UPDATE (0.9.0
	// WorkManagerUtils.kt defaultPeriodExistingWorkPolicy, #628); before, KEEP.
	DefaultPeriodicUpdate bool

	// iOS (workmanager_apple).
	IOSOneOff IOSOneOffMode
	// IOSPeriodic: registerPeriodicTask submits a BGAppRefreshTaskRequest
	// (0.6.0); 0.5 answers unhandledMethod.
	IOSPeriodic bool
	// IOSOneOffDelay: initialDelay honoured through DispatchQueue.asyncAfter
	// (apple 0.9.2 startOneOffTask); before, the work starts at once.
	IOSOneOffDelay bool
	// IOSOneOffTaskName: the one-off's taskName reaches Dart (apple 0.9.2,
	// #670); before, the unique name.
	IOSOneOffTaskName bool
	// IOSSubmitErrorsToDart: a BGTaskScheduler.submit error comes back as
	// bgTaskSchedulingFailed (0.5 one-off); later releases only log it.
	IOSSubmitErrorsToDart bool
	// IOSLaunchHandlers: scheduled identifiers are persisted and their launch
	// handlers re-registered in didFinishLaunching (apple 0.9.3+1, #692).
	IOSLaunchHandlers bool
	// IOSWorkInfoStore: the WorkInfoStore in UserDefaults (apple 0.9.9, with getWorkInfo).
	IOSWorkInfoStore bool
}

// Release is one resolved plugin release: the app-facing workmanager version
// and the platform packages it runs with.
type Release struct {
	Version string // workmanager, e.g. "0.10.10"
	Android string // workmanager_android (≤0.7: the same package)
	Apple   string // workmanager_apple (≤0.7: the same package)
	Caps    Capabilities
}

// Federated reports whether the release has separate platform packages (0.8+).
func (r Release) Federated() bool { return cmpVer(r.Version, "0.8.0") >= 0 }

// String is "0.10.10 (android 0.10.8, apple 0.9.10)".
func (r Release) String() string {
	if !r.Federated() {
		return r.Version
	}
	return r.Version + " (android " + r.Android + ", apple " + r.Apple + ")"
}

// appRelease is one published workmanager release with the lower bounds of
// its platform packages (workmanager/pubspec.yaml at the tag), which is what a
// lockfile written on release day holds.
type appRelease struct {
	version, android, apple string
	source                  string // where the row was checked
}

// appReleases lists every accepted workmanager release, oldest first.
var appReleases = []appRelease{
	{"0.2.0", "", "", "tag 0.2.4 (same API)"}, {"0.2.1", "", "", "tag 0.2.4 (same API)"},
	{"0.2.2", "", "", "tag 0.2.4 (same API)"}, {"0.2.3", "", "", "tag 0.2.4 (same API)"},
	{"0.2.4", "", "", "tag 0.2.4"},
	{"0.3.0", "", "", "CHANGELOG 0.3.0; tag 0.4.0 (same native code)"},
	{"0.4.0", "", "", "tag 0.4.0"}, {"0.4.1", "", "", "CHANGELOG 0.4.1; tag 0.4.0"},
	{"0.5.0", "", "", "tag 0.5.0"}, {"0.5.1", "", "", "tag 0.5.1"}, {"0.5.2", "", "", "CHANGELOG 0.5.2; tag 0.5.1"},
	{"0.6.0", "", "", "tag 0.6.0"},
	{"0.7.0", "", "", "tag v0.7.0"},
	{"0.8.0", "0.8.0", "0.8.0", "tag v0.8.0"},
	{"0.9.0", "0.9.0", "0.9.0", "tag workmanager-v0.9.0"},
	{"0.9.0+1", "0.9.0", "0.9.1", "tag workmanager-v0.9.0+1"},
	{"0.9.0+2", "0.9.0+1", "0.9.1+1", "tag workmanager-v0.9.0+2"},
	{"0.9.0+3", "0.9.0+2", "0.9.1+2", "tag workmanager-v0.9.0+3"},
	{"0.9.0+4", "0.9.0+3", "0.9.2", "tag workmanager-v0.9.0+4"},
	{"0.9.1", "0.9.1", "0.9.3", "tag workmanager-v0.9.1"},
	{"0.9.1+1", "0.9.1+1", "0.9.3+1", "tag workmanager-v0.9.1+1"},
	{"0.9.1+2", "0.9.1+1", "0.9.3+2", "tag workmanager-v0.9.1+2"},
	{"0.9.2", "0.9.2", "0.9.4", "tag workmanager-v0.9.2"},
	{"0.9.2+1", "0.9.2", "0.9.5", "tag workmanager-v0.9.2+1"},
	{"0.9.3", "0.9.3", "0.9.6", "tag workmanager-v0.9.3"},
	{"0.10.0", "0.10.0", "0.9.6+1", "tag workmanager-v0.10.0"},
	{"0.10.0+1", "0.10.0+1", "0.9.6+2", "tag workmanager-v0.10.0+1"},
	{"0.10.1", "0.10.0+1", "0.9.6+2", "tag workmanager-v0.10.1"},
	{"0.10.1+1", "0.10.0+2", "0.9.6+2", "tag workmanager-v0.10.1+1"},
	{"0.10.1+2", "0.10.1", "0.9.7", "tag workmanager-v0.10.1+2"},
	{"0.10.2", "0.10.2", "0.9.8", "tag workmanager-v0.10.2"},
	{"0.10.3", "0.10.3", "0.9.9", "tag workmanager-v0.10.3"},
	{"0.10.4", "0.10.3", "0.9.9", "tag workmanager-v0.10.4"},
	{"0.10.5", "0.10.4", "0.9.10", "tag workmanager-v0.10.5"},
	{"0.10.6", "0.10.5", "0.9.10", "tag workmanager-v0.10.6"},
	{"0.10.7", "0.10.6", "0.9.10", "tag workmanager-v0.10.7"},
	{"0.10.9", "0.10.8", "0.9.10", "release notes v0.10.9 (no tag in the snapshot)"},
	{"0.10.10", "0.10.8", "0.9.10", "release notes v0.10.10 (no tag in the snapshot)"},
}

// Published platform packages a scenario may pin (tags workmanager_android-v…,
// workmanager_apple-v…; android 0.10.7 and 0.10.8 from release notes).
var (
	androidPackages = []string{"0.8.0", "0.9.0", "0.9.0+1", "0.9.0+2", "0.9.0+3", "0.9.1", "0.9.1+1", "0.9.2", "0.9.3",
		"0.10.0", "0.10.0+1", "0.10.0+2", "0.10.1", "0.10.2", "0.10.3", "0.10.4", "0.10.5", "0.10.6", "0.10.7", "0.10.8"}
	applePackages = []string{"0.8.0", "0.9.0", "0.9.1", "0.9.1+1", "0.9.1+2", "0.9.2", "0.9.3", "0.9.3+1", "0.9.3+2",
		"0.9.4", "0.9.5", "0.9.6", "0.9.6+1", "0.9.6+2", "0.9.7", "0.9.8", "0.9.9", "0.9.10"}
)

// capabilityRule turns a capability on from a version of one package
// (inclusive) up to another (exclusive; "" = still on).
type capabilityRule struct {
	pkg       string // "app", "android", "apple"
	from, to  string
	set       func(*Capabilities)
	what, src string
}

// capabilityTable is the release table: every row is one difference between
// releases, with the package and versions where it holds and its source.
var capabilityTable = []capabilityRule{
	{"app", "0.2.0", "0.3.0", func(c *Capabilities) { c.StaticAPI = true }, "static Dart API (Workmanager.initialize)", "lib/src/workmanager.dart 0.2.4 vs 0.4.0 (factory Workmanager())"},
	{"app", "0.9.0", "", func(c *Capabilities) { c.Wire = WirePigeon }, "Pigeon wire (else MethodChannel)", "workmanager_platform_interface/pigeons/workmanager_api.dart, tag workmanager-v0.9.0"},
	{"app", "0.8.0", "", func(c *Capabilities) { c.Namespace = NamespaceCommunity }, "dev.fluttercommunity namespace (else be.tramckrijte)", "SwiftWorkmanagerPlugin.swift identifier, SharedPreferenceHelper.kt key: 0.6.0 vs v0.8.0"},
	{"app", "0.2.0", "0.8.0", func(c *Capabilities) { c.LegacyInputData = true }, "inputData type-checked and sent as JSON", "workmanager.dart toRegisterMethodArgument (0.5.1)"},
	{"app", "0.9.0", "", func(c *Capabilities) { c.DebugHandlers = true }, "WorkmanagerDebug hooks (else isInDebugMode notifications)", "WorkmanagerDebugHandler.kt/.swift, tag v0.9.0"},
	{"app", "0.8.0", "", func(c *Capabilities) { c.HandleNullCheck, c.DartUnsupportedIOS = true, true }, "federated Dart: callback!.toRawHandle(); UnsupportedError for cancelByTag/isScheduled on iOS", "workmanager_apple.dart v0.8.0"},
	{"app", "0.5.0", "", func(c *Capabilities) { c.OutOfQuotaParam = true }, "outOfQuotaPolicy parameter", "lib/src/workmanager.dart 0.5.1"},
	{"app", "0.6.0", "", func(c *Capabilities) {
		c.IsScheduled, c.PrintScheduledTasks, c.ProcessingTasks, c.FlexParam = true, true, true, true
	}, "isScheduledByUniqueName, printScheduledTasks, registerProcessingTask, flexInterval", "workmanager/lib/src/workmanager.dart 0.6.0"},
	{"app", "0.9.2", "", func(c *Capabilities) { c.HealthResearchTasks = true }, "registerHealthResearchTask", "workmanager_impl.dart workmanager-v0.9.2"},
	{"app", "0.9.3", "", func(c *Capabilities) { c.ContinuedProcessing, c.FGSParam = true, true }, "registerContinuedProcessingTask, foregroundServiceConfig", "workmanager_impl.dart workmanager-v0.9.3"},
	{"app", "0.10.0+1", "", func(c *Capabilities) { c.OnTaskStopped = true }, "executeTask(onTaskStopped:) (#705)", "workmanager_impl.dart workmanager-v0.10.0+1"},
	{"app", "0.10.1", "", func(c *Capabilities) { c.ContentURIParam = true }, "Constraints.contentUriTriggers", "CHANGELOG workmanager 0.10.1 (#709)"},
	{"app", "0.10.2", "", func(c *Capabilities) { c.ExpeditedParam = true }, "registerOneOffTask(expedited:)", "workmanager_impl.dart workmanager-v0.10.2"},
	{"app", "0.10.3", "", func(c *Capabilities) { c.GetWorkInfo = true }, "getWorkInfo (#719)", "workmanager_impl.dart workmanager-v0.10.3"},
	{"app", "0.10.4", "", func(c *Capabilities) { c.Progress = true }, "reportProgress / setProgressListener (#720)", "WorkmanagerPlugin.kt workmanager_android-v0.10.4 (reportProgress, setProgressListener)"},
	{"app", "0.10.10", "", func(c *Capabilities) { c.ReadyHandshake = true }, "notifyBackgroundChannelInitialized before executeTask (#738)", "release notes v0.10.10"},

	{"android", "0.2.0", "0.9.0", func(c *Capabilities) { c.AndroidExtractor = true }, "Extractor.kt request builder, KEEP defaults", "WorkmanagerCallHandler.kt / Extractor.kt 0.5.1, v0.8.0"},
	{"android", "0.6.0", "0.9.1+1", func(c *Capabilities) { c.DefaultFlex = true }, "default 5-minute flex (#594)", "Extractor.kt 0.6.0 DEFAULT_FLEX_INTERVAL_SECONDS; WorkManagerUtils.kt android-v0.9.1; fixed android-v0.9.1+1 (PR #691)"},
	{"android", "0.10.2", "", func(c *Capabilities) { c.ExpeditedFlag = true }, "setExpedited only when expedited (else any outOfQuotaPolicy → setExpedited)", "WorkManagerUtils.kt workmanager_android-v0.10.2 vs v0.10.1"},
	{"android", "0.10.1", "", func(c *Capabilities) { c.ContentURITriggers = true }, "addContentUriTrigger", "WorkManagerUtils.kt workmanager_android-v0.10.1"},
	{"android", "0.9.3", "0.10.6", func(c *Capabilities) { c.DataSyncDeclared = true }, "FOREGROUND_SERVICE_DATA_SYNC declared by the plugin", "CHANGELOG workmanager_android 0.10.6 (#725)"},
	{"android", "0.10.0+1", "0.10.8", func(c *Capabilities) { c.OnStoppedOffMainThread = true }, "onStopped calls Pigeon off the main thread (#732)", "BackgroundWorker.kt workmanager_android-v0.10.0+1 … v0.10.6; fixed 0.10.8 (#735, release notes)"},
	{"android", "0.10.8", "", func(c *Capabilities) { c.EngineInitWatchdog = 30 * time.Second }, "30-second engine-init watchdog (Android 16)", "release notes v0.10.9 (workmanager_android 0.10.8)"},
	{"android", "0.2.0", "0.5.0", func(c *Capabilities) { c.WorkManager = "2.4.0" }, "androidx.work 2.4.0", "android/build.gradle work_version, tags 0.2.4 and 0.4.0"},
	{"android", "0.5.0", "0.5.2", func(c *Capabilities) { c.WorkManager = "2.7.1" }, "androidx.work 2.7.1", "android/build.gradle work_version, tags 0.5.0 and 0.5.1"},
	{"android", "0.5.2", "0.6.0", func(c *Capabilities) { c.WorkManager = "2.8.1" }, "androidx.work 2.8.1", "CHANGELOG 0.5.2 (\"Bump to workmanager 2.8.1\")"},
	{"android", "0.6.0", "0.9.0", func(c *Capabilities) { c.WorkManager = "2.9.0" }, "androidx.work 2.9.0", "workmanager(_android)/android/build.gradle work_version, tags 0.6.0, v0.7.0, v0.8.0"},
	{"android", "0.9.0", "0.9.0+3", func(c *Capabilities) { c.WorkManager = "2.10.2" }, "androidx.work 2.10.2", "workmanager_android/android/build.gradle work_version, tags workmanager_android-v0.9.0 … v0.9.0+2"},
	{"android", "0.9.0+3", "", func(c *Capabilities) { c.WorkManager = "2.11.2" }, "androidx.work 2.11.2", "workmanager_android/android/build.gradle work_version, tags workmanager_android-v0.9.0+3 … v0.10.6"},
	{"android", "0.9.0", "", func(c *Capabilities) { c.DefaultPeriodicUpdate = true }, "periodic default UPDATE (#628; else KEEP)", "WorkManagerUtils.kt workmanager_android-v0.9.0 defaultPeriodExistingWorkPolicy"},

	{"apple", "0.5.0", "0.6.0", func(c *Capabilities) { c.IOSOneOff, c.IOSSubmitErrorsToDart = IOSOneOffProcessing, true }, "iOS one-off = BGProcessingTaskRequest; submit errors reach Dart", "SwiftWorkmanagerPlugin.swift 0.5.1"},
	{"apple", "0.6.0", "", func(c *Capabilities) { c.IOSOneOff, c.IOSPeriodic = IOSOneOffInProcess, true }, "iOS one-off in process (beginBackgroundTask); periodic = BGAppRefreshTaskRequest", "SwiftWorkmanagerPlugin.swift 0.6.0"},
	{"apple", "0.9.2", "", func(c *Capabilities) { c.IOSOneOffDelay, c.IOSOneOffTaskName = true, true }, "iOS one-off initialDelay (asyncAfter) and taskName delivered", "WorkmanagerPlugin.swift workmanager_apple-v0.9.2 startOneOffTask"},
	{"apple", "0.9.3+1", "", func(c *Capabilities) { c.IOSLaunchHandlers = true }, "launch handlers re-registered from persisted ids (#692)", "CHANGELOG workmanager_apple 0.9.3+1"},
	{"apple", "0.9.9", "", func(c *Capabilities) { c.IOSWorkInfoStore = true }, "WorkInfoStore (getWorkInfo on iOS)", "workmanager-v0.10.3 requires apple ^0.9.9"},
}

// CapabilityRow is one row of the release table, for documentation and reports.
type CapabilityRow struct {
	Package string // workmanager, workmanager_android, workmanager_apple
	From    string
	To      string // "" = still on
	What    string
	Source  string
}

// CapabilityTable returns the release table in declaration order.
func CapabilityTable() []CapabilityRow {
	names := map[string]string{"app": "workmanager", "android": "workmanager_android", "apple": "workmanager_apple"}
	out := make([]CapabilityRow, len(capabilityTable))
	for i, r := range capabilityTable {
		out[i] = CapabilityRow{Package: names[r.pkg], From: r.from, To: r.to, What: r.what, Source: r.src}
	}
	return out
}

// Releases lists every accepted workmanager release, oldest first.
func Releases() []string {
	out := make([]string, len(appReleases))
	for i, r := range appReleases {
		out[i] = r.version
	}
	return out
}

// ResolveRelease resolves a plugin.version ("0.5", "0.9.0+3", "0.10.10"; a
// bare minor means its latest release) and optional platform-package pins
// (from 0.8; each must satisfy the app release's caret range).
func ResolveRelease(version, android, apple string) (Release, error) {
	v, err := resolveApp(version)
	if err != nil {
		return Release{}, err
	}
	r := Release{Version: v.version, Android: v.android, Apple: v.apple}
	if !r.Federated() {
		if android != "" || apple != "" {
			return Release{}, fmt.Errorf("plugin %s is one package: platform packages can be pinned from 0.8", v.version)
		}
		r.Android, r.Apple = v.version, v.version
	} else {
		if r.Android, err = pin("workmanager_android", v.version, v.android, android, androidPackages); err != nil {
			return Release{}, err
		}
		if r.Apple, err = pin("workmanager_apple", v.version, v.apple, apple, applePackages); err != nil {
			return Release{}, err
		}
	}
	r.Caps = capabilitiesOf(r)
	return r, nil
}

// MustRelease is ResolveRelease for versions known to be valid.
func MustRelease(version string) Release {
	r, err := ResolveRelease(version, "", "")
	if err != nil {
		panic(err)
	}
	return r
}

func resolveApp(version string) (appRelease, error) {
	if version == "" {
		version = string(V0_10)
	}
	var best *appRelease
	for i := range appReleases {
		r := &appReleases[i]
		if r.version == version {
			return *r, nil
		}
		if minorOf(r.version) == version { // a bare minor: its latest release
			best = r
		}
	}
	if best != nil {
		return *best, nil
	}
	return appRelease{}, fmt.Errorf("unknown plugin version %q (valid: a minor 0.2 … 0.10, or a release: %s)", version, strings.Join(Releases(), ", "))
}

// pin checks a platform-package pin against the caret range ^bound
// (>= bound, same 0.minor).
func pin(pkg, app, bound, want string, published []string) (string, error) {
	if want == "" {
		return bound, nil
	}
	if !slices.Contains(published, want) {
		return "", fmt.Errorf("unknown %s version %q (published: %s)", pkg, want, strings.Join(published, ", "))
	}
	if cmpVer(want, bound) < 0 || minorOf(want) != minorOf(bound) {
		return "", fmt.Errorf("%s %s is outside workmanager %s's range ^%s", pkg, want, app, bound)
	}
	return want, nil
}

func capabilitiesOf(r Release) Capabilities {
	c := Capabilities{Wire: WireMethodChannel, Namespace: NamespaceTramckrijte, IOSOneOff: IOSOneOffUnhandled}
	for _, rule := range capabilityTable {
		v := r.Version
		switch rule.pkg {
		case "android":
			v = r.Android
		case "apple":
			v = r.Apple
		}
		if cmpVer(v, rule.from) >= 0 && (rule.to == "" || cmpVer(v, rule.to) < 0) {
			rule.set(&c)
		}
	}
	return c
}

// minorOf is "0.9" for "0.9.0+3".
func minorOf(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	return parts[0] + "." + parts[1]
}

// cmpVer orders pub versions major.minor.patch[+build] (a build number sorts
// after the plain release, as pub does).
func cmpVer(a, b string) int {
	pa, pb := verParts(a), verParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func verParts(v string) [4]int {
	var out [4]int
	main, build, _ := strings.Cut(v, "+")
	for i, s := range strings.SplitN(main, ".", 3) {
		out[i], _ = strconv.Atoi(s)
	}
	if build != "" {
		out[3], _ = strconv.Atoi(build)
	}
	return out
}
