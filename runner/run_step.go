package runner

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/wire"
	"github.com/wmsim/wmsim/internal/sim"
)

// defaultBootTime is how long a reboot keeps the device off when the step
// gives no downtime: a typical phone's shutdown plus boot to BOOT_COMPLETED.
const defaultBootTime = 90 * time.Second

// Do performs one timeline step's action now, as the runner does when the
// step's time comes (wmsimtest drives the world with it); At and Every are
// ignored. Errors from a call are recorded as the runner records them.
func (w *World) Do(s *scenarios.Step) { w.doStep(s) }

// Call makes one Dart call on the plugin now, as a timeline call step does
// (the app process is started if needed, registrations are noted for
// first_run_within), and returns the error Dart sees.
func (w *World) Call(c *wire.Call) error { return w.CallFrom(c, SourceTimeline) }

// CallFrom is Call with the call's source as the result's calls list it:
// SourceTimeline (the app's code in the foreground isolate), SourceOnLaunch
// or SourceTask (a task handler in the background isolate: the run's
// process is used as it is). A powered-off phone makes no call: the step is
// listed in warnings and ErrPhoneOff returned.
func (w *World) CallFrom(c *wire.Call, source string) error {
	name := c.WireMethod
	if name == "" {
		name = string(c.Method)
	}
	if source != SourceTask && w.phoneOff("call "+name) {
		return ErrPhoneOff
	}
	if source == SourceTimeline {
		w.ensureProcess()
	}
	return w.recordCall(c, name, source, wireArgs(c))
}

// EnsureProcess starts the app's process if it is not running, as the
// runner does before a timeline call: Dart calls come from a running app.
func (w *World) EnsureProcess() { w.ensureProcess() }

func (w *World) doStep(s *scenarios.Step) {
	if !s.Applies(w.Platform) {
		return
	}
	switch s.Action() {
	case scenarios.ActionCall, scenarios.ActionChannel, scenarios.ActionApp:
		if w.phoneOff(stepWhat(s)) {
			return
		}
	}
	switch s.Action() {
	case scenarios.ActionCall:
		w.ensureProcess()
		w.callStep(s.Call, s.Args, SourceTimeline)
	case scenarios.ActionChannel:
		w.ensureProcess()
		w.channel(s.Channel)
	case scenarios.ActionDevice:
		w.deviceStep(s.Device)
	case scenarios.ActionReboot:
		d := defaultBootTime
		if s.Reboot.Downtime != nil {
			d = *s.Reboot.Downtime
		}
		w.Device.Reboot(d)
	case scenarios.ActionApp:
		w.appStep(s.App)
	case scenarios.ActionOS:
		w.osStep(s.OS)
	case scenarios.ActionContentChange:
		w.contentChangeStep(s.ContentChange)
	}
}

// ensureProcess makes sure the app's process is alive before its Dart code
// makes a call: calls come from a running app. A process that is not running
// is started in the background (as a notification or widget would start it),
// which leaves the screen and the app's usage history alone; a force-stopped
// Android app or a force-quit iOS app can only be started by the user, so it
// is launched.
func (w *World) ensureProcess() {
	switch w.Device.State().App {
	case device.ProcessForeground, device.ProcessBackground:
		return
	case device.ProcessForceStopped:
		w.Device.LaunchApp()
	case device.ProcessSwipedAway:
		if w.Platform == scenarios.PlatformIOS {
			// iOS never relaunches a force-quit app in the background; only the user can.
			w.Device.LaunchApp()
		} else {
			w.Device.StartProcess()
		}
	default:
		w.Device.StartProcess()
	}
	if w.Engine.Tracing() {
		w.Engine.Emit(event.SourceRunner, event.Process, "app", "a timeline call needs the app's Dart code running: the app process was started")
	}
}

func (w *World) deviceStep(d *scenarios.Device) {
	dev := w.Device
	if b := d.Battery; b != nil && b.Level != nil {
		dev.SetBatteryLevel(*b.Level)
	}
	if d.Charger != nil {
		dev.SetCharger(device.Charger(*d.Charger))
	}
	if d.Network != nil {
		dev.SetNetwork(networkOf(dev.State().Network, d.Network))
	}
	if d.Screen != nil {
		w.screenStep()
		dev.SetScreen(*d.Screen == scenarios.ScreenOn)
	}
	if d.Motion != nil {
		dev.SetMoving(*d.Motion)
	}
	if s := d.Storage; s != nil {
		st := dev.State().Storage
		if s.Total != nil {
			st.Total = int64(*s.Total)
		}
		if s.Free != nil {
			st.Free = int64(*s.Free)
		}
		dev.SetStorage(st)
	}
	if prof, ok, err := profileOf(*d); err != nil {
		w.warn("unknown_profile", err.Error()+"; ignored")
	} else if ok {
		if err := dev.ApplyProfile(prof, w.Scenario.Start.Add(w.Scenario.Duration)); err != nil {
			w.warn("profile_error", err.Error())
		}
	}
}

func (w *World) appStep(a *scenarios.AppEvent) {
	switch a.Kind {
	case scenarios.AppLaunch:
		w.Device.LaunchApp()
		w.launched(a)
		w.runOnLaunch() // a cold start: main() runs now, before the next step
		return
	case scenarios.AppBackground:
		w.Device.BackgroundApp()
	case scenarios.AppSwipeAway:
		w.Device.SwipeAwayApp()
	case scenarios.AppForceStop:
		w.Device.ForceStopApp()
	case scenarios.AppUpdate:
		w.Device.UpdateApp()
		w.Plugin.AppUpdated(a.DispatcherRenamed)
	case scenarios.AppProcessDeath:
		if w.Engine.Tracing() {
			w.Engine.Emit(event.SourceRunner, event.Process, "app", "app: process_death: the OS reclaimed the app's process")
		}
		w.Device.KillProcess()
	}
	w.proc.launchGen++
	w.leftForeground()
}

func (w *World) osStep(o *scenarios.OSChange) {
	am, im := w.Plugin.Android(), w.Plugin.IOS()
	skip := func(field string) {
		w.warn("os_setting_ignored", fmt.Sprintf("os.%s has no meaning on %s; ignored", field, w.Platform))
	}
	if o.Doze != nil {
		if am == nil {
			skip("doze")
		} else if err := am.Doze(string(*o.Doze)); err != nil {
			w.warn("doze_command", err.Error())
		}
	}
	if o.StandbyBucket != nil {
		if am == nil {
			skip("standby_bucket")
		} else {
			am.SetStandbyBucket(string(*o.StandbyBucket))
		}
	}
	if o.BatterySaver != nil {
		if am == nil {
			skip("battery_saver")
		} else {
			am.SetBatterySaver(*o.BatterySaver)
			w.Device.SetLowPower(*o.BatterySaver)
		}
	}
	if o.LowPowerMode != nil {
		if im == nil {
			skip("low_power_mode")
		} else {
			w.Device.SetLowPower(*o.LowPowerMode)
		}
	}
	if o.BackgroundAppRefresh != nil {
		if im == nil {
			skip("background_app_refresh")
		} else {
			im.SetBackgroundAppRefresh(*o.BackgroundAppRefresh)
		}
	}
	if o.FetchInterval != nil {
		if im == nil {
			skip("fetch_interval")
		} else {
			im.SetMinimumBackgroundFetchInterval(fetchInterval(*o.FetchInterval))
		}
	}
	w.runJobStep(o) // decode_android2.go
	w.osDebuggerStep(o)
}

// channel decodes a raw platform-channel message and makes the call it
// carries. A message the plugin cannot decode is answered with the error
// the real plugin replies with, recorded like any rejected call.
func (w *World) channel(c *scenarios.Channel) {
	var call *wire.Call
	var err error
	switch {
	case c.Method != "":
		var args any
		if c.Arguments != nil {
			args = c.Arguments.Plain()
		}
		call, err = wire.DecodeLegacy(c.Name, c.Method, args)
	case wire.IsLegacyChannel(c.Name):
		call, err = wire.DecodeLegacyBytes(c.Name, c.Bytes)
	default:
		call, err = wire.DecodePigeon(c.Name, c.Bytes)
	}
	if err != nil {
		w.channelError(c, err)
		return
	}
	for _, msg := range call.Warnings {
		w.warn("channel_message", msg)
	}
	w.recordCall(call, string(call.Method), SourceTimeline, wireArgs(call))
}

// dispatch makes one Dart call on the plugin. Rejections are recorded by the
// plugin itself in the journal; the runner notes registrations (for
// first_run_within) and query answers (in the trace).
func (w *World) dispatch(c *wire.Call, name string) error {
	p := w.Plugin
	var err error
	note := func(unique, task string) {
		if k := [2]string{task, unique}; unique != "" && task != "" && !w.uniqueSeen[k] {
			w.uniqueSeen[k] = true
			w.uniquesOf[task] = append(w.uniquesOf[task], unique)
		}
		if err != nil {
			return
		}
		now := w.Engine.Elapsed()
		for _, k := range []string{unique, task} {
			if _, ok := w.registered[k]; !ok && k != "" {
				w.registered[k] = now
			}
		}
	}
	switch c.Method {
	case wire.MethodInitialize:
		h := c.CallbackHandle
		if c.Protocol == "" { // a scenario call: the app's own dispatcher
			h = callbackHandle
		}
		err = p.Initialize(h, c.IsInDebugMode)
	case wire.MethodRegisterOneOffTask:
		err = p.RegisterOneOffTask(c.UniqueName, c.TaskName, *c.OneOff)
		note(c.UniqueName, c.TaskName)
	case wire.MethodRegisterPeriodicTask:
		err = p.RegisterPeriodicTask(c.UniqueName, c.TaskName, *c.Periodic)
		note(c.UniqueName, c.TaskName)
	case wire.MethodRegisterProcessingTask:
		err = p.RegisterProcessingTask(c.UniqueName, c.TaskName, *c.Processing)
		note(c.UniqueName, c.TaskName)
	case wire.MethodRegisterHealthResearchTask:
		err = p.RegisterHealthResearchTask(c.UniqueName, c.TaskName, *c.Processing)
		note(c.UniqueName, c.TaskName)
	case wire.MethodRegisterContinuedProcessingTask:
		err = p.RegisterContinuedProcessingTask(c.UniqueName, c.TaskName, *c.ContinuedProcessing)
		note(c.UniqueName, c.TaskName)
	case wire.MethodCancelByUniqueName:
		err = p.CancelByUniqueName(c.UniqueName)
	case wire.MethodCancelByTag:
		err = p.CancelByTag(c.Tag)
	case wire.MethodCancelAll:
		err = p.CancelAll()
	case wire.MethodIsScheduledByUniqueName:
		var ok bool
		if ok, err = p.IsScheduledByUniqueName(c.UniqueName); err == nil {
			w.answer(name, c.UniqueName, fmt.Sprint(ok))
			w.lastReturn, w.hasReturn = ok, true
		}
	case wire.MethodPrintScheduledTasks:
		var s string
		if s, err = p.PrintScheduledTasks(); err == nil {
			w.answer(name, "", s)
			w.lastReturn, w.hasReturn = s, true
		}
	case wire.MethodGetWorkInfoByUniqueName:
		var info *plugin.WorkInfo
		if info, err = p.GetWorkInfo(c.UniqueName); err == nil {
			w.answer(name, c.UniqueName, describeWorkInfo(info))
			w.hasReturn = true
			if info != nil {
				w.lastReturn = describeWorkInfo(info)
			}
		}
	case wire.MethodNotifyBackgroundChannelInitialized:
		err = p.NotifyBackgroundChannelInitialized()
	default:
		w.warn("unsupported_call", fmt.Sprintf("%s is not simulated; ignored", c.Method))
	}
	if err != nil && w.Engine.Tracing() {
		w.Engine.Emit(event.SourceRunner, event.CallError, c.UniqueName, fmt.Sprintf("%s returned an error to Dart: %v", name, err), sim.String("call", name))
	}
	return err
}

func (w *World) answer(call, subject, value string) {
	if w.Engine.Tracing() {
		w.Engine.Emit(event.SourceRunner, event.CallResult, subject, call+" returned "+value, sim.String("call", call), sim.String("value", value))
	}
}

func describeWorkInfo(info *plugin.WorkInfo) string {
	if info == nil {
		return "null"
	}
	return fmt.Sprintf("WorkInfo(uniqueName: %s, state: %d, isPeriodic: %t, tags: %v)", info.UniqueName, info.State, info.IsPeriodic, info.Tags)
}

// channelError records a channel message the plugin could not take, with
// the error Dart sees (code invalid_message; the PlatformException or a
// MissingPluginException in the message).
func (w *World) channelError(c *scenarios.Channel, err error) {
	call := c.Method
	msg := err.Error()
	seen := true
	if we, ok := wire.AsError(err); ok {
		if call == "" {
			call = we.Method
		}
		switch {
		case we.NotImplemented:
			msg += "; Dart sees MissingPluginException"
		default:
			msg += "; Dart sees " + we.Dart(osscheduler.Platform(w.Platform)).String()
		}
	}
	if call == "" {
		call = c.Name
	}
	w.Journal.Error(osscheduler.ErrorRecord{At: w.Engine.Elapsed(), Call: call, Code: "invalid_message", Message: msg, SeenByApp: seen})
	if w.Engine.Tracing() {
		w.Engine.Emit(event.SourcePlugin, event.Rejected, call, msg, sim.String("call", call), sim.String("code", "invalid_message"))
	}
}
