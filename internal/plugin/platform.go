package plugin

import (
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// nativeSide is the platform half of the plugin: what workmanager_android
// (WorkmanagerPlugin.kt, BackgroundWorker.kt) or workmanager_apple
// (WorkmanagerPlugin.swift, BackgroundWorker.swift) does for each Dart call
// that reaches it, and for each run the OS starts. The Dart half (api.go)
// calls it without knowing the platform; release differences are read from
// the Capabilities table, not from version strings.
type nativeSide interface {
	registerOneOff(unique, task string, in map[string]any, o OneOffOptions) error
	registerPeriodic(unique, task string, in map[string]any, o PeriodicOptions) error
	// registerBG is registerProcessingTask, registerHealthResearchTask and
	// registerContinuedProcessingTask; Android's Dart layer throws for them.
	registerBG(call, unique, task string, in map[string]any, o ProcessingOptions, c *ContinuedProcessingOptions, kind osscheduler.Kind) error
	cancel(unique string)
	cancelByTag(tag string) error
	cancelAll()
	isScheduled(unique string) (bool, error)
	printScheduledTasks() (string, error)
	workInfo(unique string) *WorkInfo
	start(r *run)
	stopped(r *run, reason osscheduler.StopReason)
	// progress reports whether reportProgress / setProgressListener reach
	// the native side (Android) or are Dart no-ops (iOS).
	progress() bool
	// handleKey is where the callback handle is persisted
	// (SharedPreferences / UserDefaults, under the release's namespace).
	handleKey(legacy bool) (*device.Store, string)
	// storeDebugFlag persists initialize's isInDebugMode where the
	// MethodChannel-era native side reads it.
	storeDebugFlag(on bool)
	// swipeEndsProcess: iOS terminates a swiped-away app; on Android the
	// process survives unless the OEM behaviour stopped it.
	swipeEndsProcess(c *device.Change) bool
	// relaunchesHandlers: the native side re-registers launch handlers in
	// didFinishLaunching (iOS; when the release has it).
	relaunchesHandlers() bool
	// engineWatchdog is the engine-init watchdog of the release (Android), 0
	// for none.
	engineWatchdog() time.Duration
}

func (a androidSide) handleKey(legacy bool) (*device.Store, string) {
	if legacy {
		return a.p.dev.Store(storeSharedPrefs), prefsHandleKey05
	}
	return a.p.dev.Store(storeSharedPrefs), prefsHandleKey
}

// storeDebugFlag: 0.5's Android side carries the flag in each request's
// Data (IS_IN_DEBUG_MODE), not in storage.
func (androidSide) storeDebugFlag(bool) {}

func (androidSide) swipeEndsProcess(c *device.Change) bool {
	return c.State.App == device.ProcessNotRunning || c.State.App == device.ProcessSwipedAway
}

func (androidSide) relaunchesHandlers() bool        { return false }
func (a androidSide) engineWatchdog() time.Duration { return a.p.caps.EngineInitWatchdog }

func (s iosSide) handleKey(legacy bool) (*device.Store, string) {
	if legacy {
		return s.p.userDefaults(), udHandleKey05
	}
	return s.p.userDefaults(), udHandleKey
}

// storeDebugFlag is UserDefaultsHelper.storeIsDebug (≤0.7).
func (s iosSide) storeDebugFlag(on bool) {
	if s.p.caps.Namespace == NamespaceTramckrijte {
		s.p.userDefaults().Set(udIsDebugKey05, on)
	}
}

func (iosSide) swipeEndsProcess(*device.Change) bool { return true }
func (iosSide) relaunchesHandlers() bool             { return true }
func (iosSide) engineWatchdog() time.Duration        { return 0 }

// androidSide is workmanager_android.
type androidSide struct{ p *Plugin }

// iosSide is workmanager_apple on iOS.
type iosSide struct{ p *Plugin }

func (a androidSide) registerOneOff(u, t string, in map[string]any, o OneOffOptions) error {
	return a.p.androidRegisterOneOff(u, t, in, o)
}

func (a androidSide) registerPeriodic(u, t string, in map[string]any, o PeriodicOptions) error {
	return a.p.androidRegisterPeriodic(u, t, in, o)
}

// registerBG: workmanager_android.dart throws UnsupportedError before the
// channel.
func (a androidSide) registerBG(call, u, _ string, _ map[string]any, _ ProcessingOptions, _ *ContinuedProcessingOptions, kind osscheduler.Kind) error {
	msg := map[osscheduler.Kind]string{
		osscheduler.Processing:          "Processing tasks are not supported on Android",
		osscheduler.HealthResearch:      "Health research tasks are not supported on Android",
		osscheduler.ContinuedProcessing: "Continued processing tasks are not supported on Android",
	}[kind]
	return a.p.unsupported(call, u, msg)
}

func (a androidSide) cancel(u string) { a.p.wm.CancelUniqueWork(u) }

func (a androidSide) cancelByTag(tag string) error {
	a.p.wm.CancelAllWorkByTag(tag)
	return nil
}

func (a androidSide) cancelAll() { a.p.wm.CancelAllWork() }

func (a androidSide) isScheduled(u string) (bool, error) { return a.p.androidIsScheduled(u), nil }

func (a androidSide) printScheduledTasks() (string, error) {
	return "", a.p.unsupported(callPrintScheduledTasks, callPrintScheduledTasks, "printScheduledTasks is not supported on Android")
}

func (a androidSide) workInfo(u string) *WorkInfo { return a.p.androidWorkInfo(u) }
func (a androidSide) start(r *run)                { a.p.androidStart(r) }
func (a androidSide) stopped(r *run, reason osscheduler.StopReason) {
	a.p.androidStopped(r, reason)
}
func (androidSide) progress() bool { return true }

func (s iosSide) registerOneOff(u, t string, in map[string]any, o OneOffOptions) error {
	return s.p.iosRegisterOneOff(u, t, in, o)
}

func (s iosSide) registerPeriodic(u, t string, in map[string]any, o PeriodicOptions) error {
	return s.p.iosRegisterPeriodic(u, t, in, o)
}

func (s iosSide) registerBG(call, u, t string, in map[string]any, o ProcessingOptions, c *ContinuedProcessingOptions, kind osscheduler.Kind) error {
	if kind == osscheduler.ContinuedProcessing {
		return s.p.iosRegisterContinued(u, t, in, *c)
	}
	if kind == osscheduler.Processing && s.p.caps.IOSOneOff == IOSOneOffUnhandled {
		return s.p.unhandledIOS(call, u)
	}
	return s.p.iosRegisterProcessing(u, t, in, o, kind)
}

func (s iosSide) cancel(u string) { s.p.iosCancel(u) }

func (s iosSide) cancelByTag(tag string) error {
	if !s.p.caps.DartUnsupportedIOS {
		// ≤0.7 SwiftWorkmanagerPlugin.handle: default → unhandledMethod.
		return s.p.reject(callCancelByTag, tag, CodeUnhandledMethod, "Unhandled method cancelTaskByTag", true,
			&PlatformError{Code: `unhandledMethod("cancelTaskByTag") error`, Message: "Unhandled method cancelTaskByTag"})
	}
	return s.p.unsupported(callCancelByTag, tag, "cancelByTag is not supported on iOS")
}

func (s iosSide) cancelAll() { s.p.iosCancelAll() }

func (s iosSide) isScheduled(u string) (bool, error) {
	if !s.p.caps.DartUnsupportedIOS {
		return false, s.p.unhandledIOS(callIsScheduled, u)
	}
	return false, s.p.unsupported(callIsScheduled, u, "isScheduledByUniqueName is not supported on iOS")
}

func (s iosSide) printScheduledTasks() (string, error) { return s.p.iosPrintScheduledTasks(), nil }
func (s iosSide) workInfo(u string) *WorkInfo          { return s.p.iosWorkInfo(u) }
func (s iosSide) start(r *run)                         { s.p.iosStart(r) }
func (s iosSide) stopped(r *run, reason osscheduler.StopReason) {
	s.p.iosStopped(r, reason)
}
func (iosSide) progress() bool { return false }
