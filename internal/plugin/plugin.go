package plugin

import (
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
)

// DebugHandler is the handler installed with WorkmanagerDebug.setCurrent
// (0.10). Its output becomes trace events (source "plugin.debug").
type DebugHandler string

// Debug handlers (WorkmanagerDebugHandler.kt / .swift).
const (
	DebugNone         DebugHandler = ""             // the default: nothing
	DebugLogging      DebugHandler = "logging"      // LoggingDebugHandler: log tag WorkmanagerDebug
	DebugNotification DebugHandler = "notification" // NotificationDebugHandler: channel WorkmanagerDebugChannelId
)

// Config builds a Plugin.
type Config struct {
	Platform osscheduler.Platform // android (default) or ios
	// Version is the workmanager release: a minor ("0.5", "0.10": its latest
	// release) or an exact release ("0.9.0+3"); see Releases. "" → "0.10".
	Version Version
	// AndroidPackage and ApplePackage pin the federated platform packages
	// (0.8+) within the release's caret range; "" → the release's own.
	AndroidPackage string
	ApplePackage   string
	Engine         *sim.Engine
	Device         *device.Device
	Journal        *osscheduler.Journal

	// The OS model's configuration; a zero value means the model's
	// DefaultConfig().
	Android android.Config
	IOS     ios.Config

	// Debug is WorkmanagerDebug.setCurrent(...) (0.10). In 0.5 debug output
	// follows initialize's isInDebugMode instead.
	Debug DebugHandler

	// EnableDataSyncForegroundService is the Gradle flag
	// workmanager.enableDataSyncForegroundService=true (#725): without it the
	// merged manifest lacks FOREGROUND_SERVICE_DATA_SYNC.
	EnableDataSyncForegroundService bool
	// StripShortServicePermission models an app that removed the plugin's
	// FOREGROUND_SERVICE_SHORT_SERVICE declaration from its merged manifest.
	StripShortServicePermission bool
	// OnStoppedBug732 reproduces 0.10.7 as released: BackgroundWorker.onStopped
	// calls Pigeon off the main thread, which throws, so Dart's onTaskStopped
	// never runs (#732, fixed by #735). Off by default: the fixed behaviour.
	OnStoppedBug732 bool
	// SceneApp is an iOS app on the UIScene lifecycle that does not call
	// WorkmanagerPlugin.registerLaunchHandlers() from its AppDelegate, so the
	// plugin cannot re-register persisted identifiers at launch.
	SceneApp bool
	// DispatcherNotEntryPoint models a release build whose callbackDispatcher
	// lacks @pragma('vm:entry-point') (#374): the handle is stored but never
	// resolves in a background engine.
	DispatcherNotEntryPoint bool
}

// Plugin is the workmanager plugin of one app on one simulated device: the
// Dart API the app calls, and the native side the OS model runs work through
// (it is the model's osscheduler.Executor).
type Plugin struct {
	cfg      Config
	platform osscheduler.Platform
	version  Version
	rel      Release
	caps     Capabilities
	native   nativeSide // the Android or iOS half
	eng      *sim.Engine
	dev      *device.Device
	j        *osscheduler.Journal

	androidModel *android.Model
	iosModel     *ios.Model
	startInput   startInput // androidStart's reading of the last input (android_worker.go)
	wm           androidWorkManager
	bg           iosScheduler

	handler  Handler
	async    AsyncHandler
	stopped  func(taskName string, reason osscheduler.StopReason)
	progress ProgressListener

	runs     liveRuns
	freeRuns []*run // ended runs whose handler let go of them, for reuse

	// Dart/app state of the current process.
	validHandles     map[int64]bool // handles the installed app build resolves
	debug05          bool           // 0.5: Workmanager._isInDebugMode
	dartInitialized  bool           // initialize() ran in this process (iOS main-engine one-off path)
	procGen          uint64         // bumped when the app process dies
	frozen           []func()       // in-process timers that came due while the app was suspended
	launchRegistered map[string]bool
	launchBegin      map[string]*time.Duration // earliestBeginInSeconds captured by the launch handler
	// One identifier's answers from the two maps above, for the periodic
	// run that asks for its own identifier at every start: regID is in
	// launchRegistered (entries are only added until the maps are
	// cleared); begin is launchBegin[beginID] (emptied at every write).
	regID               string
	regOK               bool
	beginID             string
	begin               *time.Duration
	beginKnown, beginOK bool
	inputRefs           map[string]*device.StoreRef // identifier → its stored-input UserDefaults entry
	lastInputID         string                      // the identifier inputRef answered last
	lastInputRef        *device.StoreRef
	workInfoSeq         uint64
	storeApp            *Store
	engineStartStream   string
	clk                 clock.Clock          // clock(), once asked for
	engineStart         func() time.Duration // draws from Engine.Rand(engineStartStream), once looked up
	hStore              *device.Store        // handleKey's store, once looked up
	ud                  *device.Store        // userDefaults, once looked up
	hKey                string
	hRef                *device.StoreRef // the handle's entry in hStore
	// The UserDefaults entries every iOS run reads, held instead of
	// looked up by their long keys at every read.
	udWorkInfosRef *device.StoreRef
	udScheduledRef *device.StoreRef
}

// androidWorkManager is the part of the Android model the plugin calls
// (WorkManager's API), so tests can record requests with a fake.
type androidWorkManager interface {
	EnqueueUniqueWork(name string, policy android.ExistingWorkPolicy, req android.WorkRequest) (string, error)
	EnqueueUniquePeriodicWork(name string, policy android.ExistingPeriodicWorkPolicy, req android.WorkRequest) (string, error)
	CancelUniqueWork(name string)
	CancelAllWorkByTag(tag string)
	CancelAllWork()
	WorkInfosForUniqueWork(name string) []android.WorkInfo
}

// iosScheduler is the part of the iOS model the plugin calls
// (BGTaskScheduler and UIApplication).
type iosScheduler interface {
	Register(identifier string) (bool, error)
	Submit(req ios.TaskRequest) error
	Cancel(identifier string)
	CancelAll()
	Pending() []ios.TaskRequest
	RunInProcess(uniqueName, taskName string, input osscheduler.Data)
	BeginBackgroundTask(name string)
}

// New builds the plugin and the OS model it runs on; the model is reachable
// with Android() or IOS() (for scenario `os:` steps). Missing pieces are
// defaulted (a fresh engine, device and journal; Android; 0.10); call
// Config.Validate first to reject unknown names.
func New(cfg Config) *Plugin {
	p := newPlugin(cfg)
	switch p.platform {
	case osscheduler.IOS:
		m := ios.New(p.eng, p.dev, p.cfg.IOS, p, p.j)
		p.iosModel, p.bg = m, m
	default:
		m := android.New(p.eng, p.dev, p.cfg.Android, p, p.j)
		p.androidModel, p.wm = m, m
	}
	p.dev.Subscribe((*processListener)(p))
	return p
}

// newWithBackend builds a plugin over fakes of the OS models (tests).
func newWithBackend(cfg Config, wm androidWorkManager, bg iosScheduler) *Plugin {
	p := newPlugin(cfg)
	p.wm, p.bg = wm, bg
	p.dev.Subscribe((*processListener)(p))
	return p
}

func newPlugin(cfg Config) *Plugin {
	if cfg.Engine == nil {
		cfg.Engine = sim.New(time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), 1)
	}
	if cfg.Device == nil {
		cfg.Device = device.New(cfg.Engine, device.Config{Initial: device.DefaultState()})
	}
	if cfg.Journal == nil {
		cfg.Journal = &osscheduler.Journal{}
	}
	if cfg.Platform == "" {
		cfg.Platform = osscheduler.Android
	}
	if cfg.Platform != osscheduler.IOS {
		cfg.Platform = osscheduler.Android
	}
	rel, err := ResolveRelease(string(cfg.Version), cfg.AndroidPackage, cfg.ApplePackage)
	if err != nil { // New documents that Validate comes first; fall back to today's release
		rel = MustRelease(string(V0_10))
	}
	if cfg.Version == "" {
		cfg.Version = V0_10
	}
	if cfg.Android == (android.Config{}) {
		cfg.Android = android.DefaultConfig()
	}
	if zeroIOS(cfg.IOS) {
		cfg.IOS = ios.DefaultConfig()
	}
	p := &Plugin{
		cfg: cfg, platform: cfg.Platform, version: cfg.Version, rel: rel, caps: rel.Caps,
		eng: cfg.Engine, dev: cfg.Device, j: cfg.Journal,
		validHandles:      map[int64]bool{},
		launchBegin:       map[string]*time.Duration{},
		engineStartStream: "plugin.engine-start",
	}
	if p.platform == osscheduler.IOS {
		p.native = iosSide{p}
		p.storeApp = &Store{s: p.dev.Store(storeUserDefaults), prefix: "flutter."}
	} else {
		p.native = androidSide{p}
		p.storeApp = &Store{s: p.dev.Store(storeSharedPrefs), prefix: "flutter."}
	}
	p.resetLaunchHandlers()
	return p
}

func zeroIOS(c ios.Config) bool {
	return c.Version == 0 && !c.BackgroundAppRefresh && c.PermittedIdentifiers == nil && c.BackgroundModes == nil &&
		c.LaunchHandlers == nil && c.FetchInterval == 0 && c.Heuristics == "" && c.RefreshBudget == 0
}

// Validate reports a configuration New would have to guess about.
func (c Config) Validate() error {
	switch c.Platform {
	case "", osscheduler.Android, osscheduler.IOS:
	default:
		return fmt.Errorf("plugin: unknown platform %q (valid: android, ios)", c.Platform)
	}
	if _, err := ResolveRelease(string(c.Version), c.AndroidPackage, c.ApplePackage); err != nil {
		return fmt.Errorf("plugin: %w", err)
	}
	switch c.Debug {
	case DebugNone, DebugLogging, DebugNotification:
	default:
		return fmt.Errorf("plugin: unknown debug handler %q (valid: logging, notification)", c.Debug)
	}
	return nil
}

// Platform is the simulated platform.
func (p *Plugin) Platform() osscheduler.Platform { return p.platform }

// Version is the plugin version as configured (a minor or a release).
func (p *Plugin) Version() Version { return p.version }

// Release is the resolved release in force, with its capabilities.
func (p *Plugin) Release() Release { return p.rel }

// Android is the Android OS model (nil on iOS or with a fake backend).
func (p *Plugin) Android() *android.Model { return p.androidModel }

// IOS is the iOS OS model (nil on Android or with a fake backend).
func (p *Plugin) IOS() *ios.Model { return p.iosModel }

// Journal is where runs and rejected calls are recorded.
func (p *Plugin) Journal() *osscheduler.Journal { return p.j }

// AppStore is the app's persistent key-value store (shared_preferences):
// what a handler reads and writes through TaskContext.Store.
func (p *Plugin) AppStore() *Store { return p.storeApp }

// AppUpdated is a new version of the app being installed. With
// dispatcherRenamed the stored callback handle no longer resolves until the
// app calls initialize again (#650).
func (p *Plugin) AppUpdated(dispatcherRenamed bool) {
	if dispatcherRenamed {
		clear(p.validHandles)
	}
	p.emit(event.AppUpdated, "app", map[bool]string{
		true:  "the new build renamed the callback dispatcher: the stored handle is stale until initialize runs again",
		false: "the new build keeps the callback dispatcher: the stored handle still resolves",
	}[dispatcherRenamed], sim.Bool("dispatcher_renamed", dispatcherRenamed))
}

// ---- trace and journal ----

func (p *Plugin) emit(kind event.Kind, subject, reason string, fields ...sim.Field) {
	if p.eng.Tracing() {
		p.eng.Emit(event.SourcePlugin, kind, subject, reason, fields...)
	}
}

// reject records a rejected call and returns err (what Dart sees, or nil when
// the failure is only logged natively).
func (p *Plugin) reject(call, subject, code, message string, seenByApp bool, err error) error {
	p.j.Error(osscheduler.ErrorRecord{At: p.eng.Elapsed(), Call: call, Code: code, Message: message, SeenByApp: seenByApp})
	p.emit(event.CallRejected, subject, message, sim.String("call", call), sim.String("code", code), sim.Bool("seen_by_app", seenByApp))
	if !seenByApp {
		return nil
	}
	return err
}

func (p *Plugin) accepted(call, subject, reason string, fields ...sim.Field) {
	if p.eng.Tracing() {
		p.eng.Emit(event.SourcePlugin, event.Call, subject, reason, append([]sim.Field{sim.String("call", call)}, fields...)...)
	}
}

// ---- callback handle ----

const (
	storeSharedPrefs  = "app.shared_preferences"
	storeUserDefaults = "app.user_defaults"
	// SharedPreferenceHelper.kt: file flutter_workmanager_plugin, key
	// CALLBACK_DISPATCHER_HANDLE_KEY (0.5.1: be.tramckrijte prefix).
	prefsHandleKey   = "flutter_workmanager_plugin/dev.fluttercommunity.workmanager.CALLBACK_DISPATCHER_HANDLE_KEY"
	prefsHandleKey05 = "flutter_workmanager_plugin/be.tramckrijte.workmanager.CALLBACK_DISPATCHER_HANDLE_KEY"
	// UserDefaultsHelper.swift: suite dev.fluttercommunity.workmanager.userDefaults.
	udSuite           = "dev.fluttercommunity.workmanager.userDefaults/"
	udHandleKey       = udSuite + "dev.fluttercommunity.workmanager.callbackHandle"
	udInputPrefix     = udSuite + "dev.fluttercommunity.workmanager.periodicTaskInputData."
	udScheduledTasks  = udSuite + "dev.fluttercommunity.workmanager.scheduledTasks"
	udWorkInfos       = udSuite + "dev.fluttercommunity.workmanager.workInfos"
	udSuite05         = "be.tramckrijte.workmanager.userDefaults/"
	udHandleKey05     = udSuite05 + "be.tramckrijte.workmanager.callbackHandle"
	udIsDebugKey05    = udSuite05 + "be.tramckrijte.workmanager.isDebug"
	noHandle          = -1 // SharedPreferences getLong default
	backgroundWorkerT = "dev.fluttercommunity.workmanager.BackgroundWorker"
	backgroundWorker5 = "be.tramckrijte.workmanager.BackgroundWorker"
)

func (p *Plugin) handleKey() (store *device.Store, key string) {
	if p.hStore == nil { // platform and version never change; nor does a device's store
		p.hStore, p.hKey = p.lookupHandleKey()
	}
	return p.hStore, p.hKey
}

func (p *Plugin) lookupHandleKey() (store *device.Store, key string) {
	return p.native.handleKey(p.caps.Namespace == NamespaceTramckrijte)
}

// userDefaults is the device's UserDefaults store, looked up once: a
// device keeps its stores for its whole life, and the iOS run path reads
// and writes it several times per run.
func (p *Plugin) userDefaults() *device.Store {
	if p.ud == nil {
		p.ud = p.dev.Store(storeUserDefaults)
	}
	return p.ud
}

// storedHandle is the persisted callback handle, or -1.
func (p *Plugin) storedHandle() int64 {
	if p.hRef == nil {
		s, k := p.handleKey()
		p.hRef = s.Ref(k)
	}
	if v, ok := p.hRef.Get(); ok {
		if h, ok := v.(int64); ok {
			return h
		}
	}
	return noHandle
}

// handleResolves is FlutterCallbackInformation.lookupCallbackInformation.
func (p *Plugin) handleResolves(h int64) bool {
	return h != noHandle && !p.cfg.DispatcherNotEntryPoint && p.validHandles[h]
}

// ---- process lifecycle ----

// processListener is the Plugin as the device's listener: the device calls
// a Listener's DeviceChanged through its interface, where a ListenerFunc of
// the method value p.deviceChanged went through the method value's wrapper
// first, one call more at every device change.
type processListener Plugin

// DeviceChanged follows the app process: its deaths and (re)starts.
func (l *processListener) DeviceChanged(c *device.Change) {
	p := (*Plugin)(l)
	switch c.Kind {
	case device.ChangePowerOff, device.ChangeProcessDied, device.ChangeAppForceStop, device.ChangeAppUpdated:
		p.processEnded(string(c.Kind))
	case device.ChangeAppSwipedAway:
		if p.native.swipeEndsProcess(c) {
			p.processEnded(string(c.Kind))
		}
	case device.ChangeAppLaunched, device.ChangeProcessStarted:
		if !alive(c.Prev.App) {
			p.processStarted(string(c.Kind))
		} else if c.Prev.App == device.ProcessSuspended {
			p.resumed()
		}
	}
}

func alive(s device.Process) bool {
	return s == device.ProcessForeground || s == device.ProcessBackground || s == device.ProcessSuspended
}

func (p *Plugin) processEnded(why string) {
	p.procGen++
	for range p.frozen {
		p.emit(event.OneoffLost, "app", "the app process ended while suspended: the in-process timer that came due never fires")
	}
	p.frozen = nil
	p.dartInitialized = false
	p.resetLaunchHandlers()
	p.emit(event.ProcessEnded, "app", "the app process ended ("+why+"): in-process work and pending delayed one-offs are gone")
}

// processStarted is didFinishLaunching: on iOS 0.10 the plugin re-registers
// the launch handler of every persisted identifier (registerLaunchHandlers),
// unless the app is a UIScene app that does not call it.
func (p *Plugin) processStarted(why string) {
	p.resetLaunchHandlers()
	if !p.native.relaunchesHandlers() || !p.caps.IOSLaunchHandlers || p.cfg.SceneApp {
		return
	}
	// These registrations happen inside didFinishLaunching, which the iOS
	// model has no call for (its Register is "after launch" and crashes on
	// iOS ≤ 18): the plugin marks them registered and traces them; the
	// model's Config.LaunchHandlers must list the identifiers for the OS side.
	tasks := p.scheduledTaskMap()          // read only: no copy
	for _, id := range sortedKeys(tasks) { // the trace shows the order
		if p.launchRegistered[id] {
			continue
		}
		p.launchRegistered[id] = true
		p.setLaunchBegin(id, tasks[id].EarliestBeginSeconds)
		p.emit(event.LaunchHandler, id, "registerLaunchHandlers: launch handler re-registered in didFinishLaunching for a persisted identifier")
	}
}

// launchHandlerRegistered is p.launchRegistered[id].
func (p *Plugin) launchHandlerRegistered(id string) bool {
	if p.regOK && id == p.regID {
		return true
	}
	if !p.launchRegistered[id] {
		return false
	}
	p.regID, p.regOK = id, true
	return true
}

// launchBeginOf is p.launchBegin[id].
func (p *Plugin) launchBeginOf(id string) (*time.Duration, bool) {
	if !p.beginOK || id != p.beginID {
		p.begin, p.beginKnown = p.launchBegin[id]
		p.beginID, p.beginOK = id, true
	}
	return p.begin, p.beginKnown
}

// setLaunchBegin is p.launchBegin[id] = begin.
func (p *Plugin) setLaunchBegin(id string, begin *time.Duration) {
	p.launchBegin[id] = begin
	p.beginOK = false
}

func (p *Plugin) resetLaunchHandlers() {
	// Emptied in place: nothing else holds these maps.
	if p.launchRegistered == nil {
		p.launchRegistered = map[string]bool{}
	}
	if p.launchBegin == nil {
		p.launchBegin = map[string]*time.Duration{}
	}
	clear(p.launchRegistered)
	clear(p.launchBegin)
	p.regOK, p.beginOK = false, false
	// Identifiers the AppDelegate registers (through the plugin's
	// registerPeriodicTask(withIdentifier:) / registerBGProcessingTask helpers,
	// which go through registerLaunchHandlerOnce) at every launch.
	for _, id := range p.cfg.IOS.LaunchHandlers {
		p.launchRegistered[id] = true
	}
}
