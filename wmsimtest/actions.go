// What a test does to the simulated phone: the plugin's Dart API
// (Workmanager), the device (Device), the app (App) and the OS (OS).

package wmsimtest

import (
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/wire"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Workmanager is the plugin's Dart API (Workmanager() in Dart), one method
// per Dart method. Each call happens at the current virtual time, from the
// app's process (started in the background if it is not running), exactly as
// a scenario file's `call` step; the error is the one Dart would see
// (rejections are also in the result document's errors).
type Workmanager struct {
	s      *Sim
	source string // where the calls come from, as the result's calls list them
}

// Workmanager is the plugin API of the simulated app, as its foreground
// code calls it (source timeline in the result's calls).
func (s *Sim) Workmanager() *Workmanager { return &Workmanager{s: s, source: runner.SourceTimeline} }

// Plugin is the plugin core itself (for what Workmanager does not wrap).
func (wm *Workmanager) Plugin() *plugin.Plugin { return wm.s.w.Plugin }

func (wm *Workmanager) call(c *wire.Call) error {
	done, err := wm.s.enter("Workmanager." + string(c.Method))
	if err != nil {
		return err
	}
	defer done()
	c.WireMethod = string(c.Method)
	return wm.s.w.CallFrom(c, wm.source)
}

// do applies a timeline step (device, app or OS action) now.
func (s *Sim) do(st *scenarios.Step, what string) {
	done, err := s.enter(what)
	if err != nil {
		return
	}
	defer done()
	s.w.Do(st)
}

// Initialize is Workmanager().initialize(callbackDispatcher) with the
// simulated app's dispatcher.
func (wm *Workmanager) Initialize() error {
	return wm.call(&wire.Call{Method: wire.MethodInitialize})
}

// InitializeDebug is initialize(callbackDispatcher, isInDebugMode: true).
func (wm *Workmanager) InitializeDebug() error {
	return wm.call(&wire.Call{Method: wire.MethodInitialize, IsInDebugMode: true})
}

// RegisterOneOffTask is Workmanager().registerOneOffTask.
func (wm *Workmanager) RegisterOneOffTask(uniqueName, taskName string, o OneOffOptions) error {
	return wm.call(&wire.Call{Method: wire.MethodRegisterOneOffTask, UniqueName: uniqueName, TaskName: taskName, OneOff: &o})
}

// RegisterPeriodicTask is Workmanager().registerPeriodicTask.
func (wm *Workmanager) RegisterPeriodicTask(uniqueName, taskName string, o PeriodicOptions) error {
	return wm.call(&wire.Call{Method: wire.MethodRegisterPeriodicTask, UniqueName: uniqueName, TaskName: taskName, Periodic: &o})
}

// RegisterProcessingTask is Workmanager().registerProcessingTask (iOS).
func (wm *Workmanager) RegisterProcessingTask(uniqueName, taskName string, o ProcessingOptions) error {
	return wm.call(&wire.Call{Method: wire.MethodRegisterProcessingTask, UniqueName: uniqueName, TaskName: taskName, Processing: &o})
}

// RegisterHealthResearchTask is Workmanager().registerHealthResearchTask (iOS 17+).
func (wm *Workmanager) RegisterHealthResearchTask(uniqueName, taskName string, o ProcessingOptions) error {
	return wm.call(&wire.Call{Method: wire.MethodRegisterHealthResearchTask, UniqueName: uniqueName, TaskName: taskName, Processing: &o})
}

// RegisterContinuedProcessingTask is Workmanager().registerContinuedProcessingTask (iOS 26+).
func (wm *Workmanager) RegisterContinuedProcessingTask(uniqueName, taskName string, o ContinuedProcessingOptions) error {
	return wm.call(&wire.Call{Method: wire.MethodRegisterContinuedProcessingTask, UniqueName: uniqueName, TaskName: taskName, ContinuedProcessing: &o})
}

// CancelByUniqueName is Workmanager().cancelByUniqueName.
func (wm *Workmanager) CancelByUniqueName(uniqueName string) error {
	return wm.call(&wire.Call{Method: wire.MethodCancelByUniqueName, UniqueName: uniqueName})
}

// CancelByTag is Workmanager().cancelByTag.
func (wm *Workmanager) CancelByTag(tag string) error {
	return wm.call(&wire.Call{Method: wire.MethodCancelByTag, Tag: tag})
}

// CancelAll is Workmanager().cancelAll.
func (wm *Workmanager) CancelAll() error {
	return wm.call(&wire.Call{Method: wire.MethodCancelAll})
}

// IsScheduledByUniqueName is Workmanager().isScheduledByUniqueName.
func (wm *Workmanager) IsScheduledByUniqueName(uniqueName string) (bool, error) {
	if err := wm.call(&wire.Call{Method: wire.MethodIsScheduledByUniqueName, UniqueName: uniqueName}); err != nil {
		return false, err
	}
	v, _ := wm.s.w.LastReturned()
	ok, _ := v.(bool)
	return ok, nil
}

// PrintScheduledTasks is Workmanager().printScheduledTasks; it returns the
// text the plugin logs.
func (wm *Workmanager) PrintScheduledTasks() (string, error) {
	if err := wm.call(&wire.Call{Method: wire.MethodPrintScheduledTasks}); err != nil {
		return "", err
	}
	v, _ := wm.s.w.LastReturned()
	text, _ := v.(string)
	return text, nil
}

// GetWorkInfo is Workmanager().getWorkInfoByUniqueName (nil: Dart null).
func (wm *Workmanager) GetWorkInfo(uniqueName string) (*WorkInfo, error) {
	wm.s.w.EnsureProcess()
	return wm.s.w.Plugin.GetWorkInfo(uniqueName)
}

// Device is the simulated phone, as the user handles it. Each action happens
// at the current virtual time, as a scenario file's `device` step.
type Device struct{ s *Sim }

// Device is the simulated phone.
func (s *Sim) Device() *Device { return &Device{s: s} }

func (d *Device) step(dv scenarios.Device) { d.s.do(&scenarios.Step{Device: &dv}, "Device action") }

// State is the device's current state.
func (d *Device) State() DeviceState { return d.s.w.Device.State() }

// Model is the device model itself (for what Device does not wrap).
func (d *Device) Model() *device.Device { return d.s.w.Device }

// Plug connects a charger.
func (d *Device) Plug(c scenarios.Charger) { d.step(scenarios.Device{Charger: &c}) }

// Unplug disconnects the charger.
func (d *Device) Unplug() { d.Plug(scenarios.ChargerNone) }

// SetBattery sets the battery level in percent.
func (d *Device) SetBattery(percent int) {
	d.step(scenarios.Device{Battery: &scenarios.Battery{Level: &percent}})
}

// SetNetwork switches the default network (WiFi, Cellular, Offline) with
// the usual metering (cellular metered, Wi-Fi not).
func (d *Device) SetNetwork(kind scenarios.NetworkKind) {
	d.step(scenarios.Device{Network: &scenarios.Network{Type: &kind}})
}

// SetNetworkDetail switches the network with explicit metering and roaming.
func (d *Device) SetNetworkDetail(kind scenarios.NetworkKind, metered, roaming bool) {
	d.step(scenarios.Device{Network: &scenarios.Network{Type: &kind, Metered: &metered, Roaming: &roaming}})
}

// GoOffline drops the network.
func (d *Device) GoOffline() { d.SetNetwork(scenarios.NetworkNone) }

// ScreenOn turns the screen on.
func (d *Device) ScreenOn() { on := scenarios.ScreenOn; d.step(scenarios.Device{Screen: &on}) }

// ScreenOff turns the screen off.
func (d *Device) ScreenOff() { off := scenarios.ScreenOff; d.step(scenarios.Device{Screen: &off}) }

// SetStorage sets free and total storage in bytes.
func (d *Device) SetStorage(free, total int64) {
	f, t := scenarios.ByteSize(free), scenarios.ByteSize(total)
	d.step(scenarios.Device{Storage: &scenarios.Storage{Free: &f, Total: &t}})
}

// SetProfile switches the daily usage profile from now on.
func (d *Device) SetProfile(name string) { d.step(scenarios.Device{Profile: &name}) }

// Reboot reboots the device now; it stays off for downtime (0: the default
// boot time, 90s).
func (d *Device) Reboot(downtime time.Duration) {
	r := &scenarios.Reboot{}
	if downtime > 0 {
		r.Downtime = &downtime
	}
	d.s.do(&scenarios.Step{Reboot: r}, "Device.Reboot")
}

// Reboot reboots the device now (see Device.Reboot).
func (s *Sim) Reboot(downtime time.Duration) { s.Device().Reboot(downtime) }

// App is the app's lifecycle as the user drives it. Each action happens at
// the current virtual time, as a scenario file's `app` step.
type App struct{ s *Sim }

// App is the simulated app.
func (s *Sim) App() *App { return &App{s: s} }

func (a *App) step(k scenarios.AppEventKind, renamed bool) {
	a.s.do(&scenarios.Step{App: &scenarios.AppEvent{Kind: k, DispatcherRenamed: renamed}}, "App action")
}

// Launch opens the app (foreground).
func (a *App) Launch() { a.step(scenarios.AppLaunch, false) }

// LaunchFor opens the app and sends it to the background d later
// (app: {launch: {for: d}}).
func (a *App) LaunchFor(d time.Duration) {
	a.s.w.Do(&scenarios.Step{App: &scenarios.AppEvent{Kind: scenarios.AppLaunch, For: d}})
}

// ProcessDeath is the OS reclaiming the app's process (app: process_death):
// the next launch is cold.
func (a *App) ProcessDeath() { a.step(scenarios.AppProcessDeath, false) }

// Background sends the app to the background (home button).
func (a *App) Background() { a.step(scenarios.AppBackground, false) }

// SwipeAway swipes the app away in the task switcher.
func (a *App) SwipeAway() { a.step(scenarios.AppSwipeAway, false) }

// ForceStop force-stops the app (Android Settings; iOS: the same as a swipe).
func (a *App) ForceStop() { a.step(scenarios.AppForceStop, false) }

// Update installs an app update; dispatcherRenamed makes the stored
// callback handle stale.
func (a *App) Update(dispatcherRenamed bool) { a.step(scenarios.AppUpdate, dispatcherRenamed) }

// State is the app process's state.
func (a *App) State() Process { return a.s.w.Device.State().App }

// OS changes operating-system settings now, as a scenario file's `os` step.
// A setting with no meaning on the platform is ignored with a warning.
type OS struct{ s *Sim }

// OS is the operating system's settings.
func (s *Sim) OS() *OS { return &OS{s: s} }

func (o *OS) step(c scenarios.OSChange) { o.s.do(&scenarios.Step{OS: &c}, "OS action") }

// ForceIdle is `adb shell dumpsys deviceidle force-idle` (Android).
func (o *OS) ForceIdle() { c := scenarios.DozeForceIdle; o.step(scenarios.OSChange{Doze: &c}) }

// StepDoze is `adb shell dumpsys deviceidle step` (Android).
func (o *OS) StepDoze() { c := scenarios.DozeStep; o.step(scenarios.OSChange{Doze: &c}) }

// UnforceIdle is `adb shell dumpsys deviceidle unforce` (Android).
func (o *OS) UnforceIdle() { c := scenarios.DozeUnforce; o.step(scenarios.OSChange{Doze: &c}) }

// SetStandbyBucket fixes the App Standby bucket (Android).
func (o *OS) SetStandbyBucket(b scenarios.StandbyBucket) {
	o.step(scenarios.OSChange{StandbyBucket: &b})
}

// SetBatterySaver switches Battery Saver (Android).
func (o *OS) SetBatterySaver(on bool) { o.step(scenarios.OSChange{BatterySaver: &on}) }

// SetLowPowerMode switches Low Power Mode (iOS).
func (o *OS) SetLowPowerMode(on bool) { o.step(scenarios.OSChange{LowPowerMode: &on}) }

// SetBackgroundAppRefresh switches Background App Refresh (iOS).
func (o *OS) SetBackgroundAppRefresh(on bool) { o.step(scenarios.OSChange{BackgroundAppRefresh: &on}) }

// SetFetchInterval calls setMinimumBackgroundFetchInterval (iOS).
func (o *OS) SetFetchInterval(f scenarios.FetchInterval) {
	o.step(scenarios.OSChange{FetchInterval: &f})
}
