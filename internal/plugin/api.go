package plugin

import (
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Dart method names, as calls are recorded in the journal.
const (
	callInitialize          = "initialize"
	callRegisterOneOff      = "registerOneOffTask"
	callRegisterPeriodic    = "registerPeriodicTask"
	callRegisterProcessing  = "registerProcessingTask"
	callRegisterHealth      = "registerHealthResearchTask"
	callRegisterContinued   = "registerContinuedProcessingTask"
	callCancelByUniqueName  = "cancelByUniqueName"
	callCancelByTag         = "cancelByTag"
	callCancelAll           = "cancelAll"
	callIsScheduled         = "isScheduledByUniqueName"
	callPrintScheduledTasks = "printScheduledTasks"
	callGetWorkInfo         = "getWorkInfo"
)

// Initialize is Workmanager().initialize(callbackDispatcher, isInDebugMode:).
// callbackHandle is PluginUtilities.getCallbackHandle(dispatcher).toRawHandle();
// 0 means the dispatcher has no handle (not a top-level or static function).
// isInDebugMode is ignored in 0.10 (deprecated); in 0.5 it turns on the debug
// notifications of every task registered afterwards.
func (p *Plugin) Initialize(callbackHandle int64, isInDebugMode bool) error {
	if callbackHandle == 0 {
		if !p.caps.HandleNullCheck {
			// 0.5.1 workmanager.dart: assert(callback != null) (debug only),
			// then `if (callback != null)`: a release build silently does nothing.
			p.emit(event.Call, callInitialize, "the dispatcher has no callback handle (not a top-level function): 0.5 skips initialize silently", sim.String("call", callInitialize))
			return nil
		}
		// workmanager_android.dart / workmanager_apple.dart: callback!.toRawHandle().
		return p.reject(callInitialize, callInitialize, CodeInvalidArgument,
			"the callback dispatcher is not a top-level or static function: getCallbackHandle returned null", true,
			&DartError{Type: "TypeError", Message: "Null check operator used on a null value"})
	}
	p.validHandles[callbackHandle] = true
	p.dartInitialized = true
	s, k := p.handleKey()
	s.Set(k, callbackHandle)
	if !p.caps.DebugHandlers {
		p.debug05 = isInDebugMode
		p.native.storeDebugFlag(isInDebugMode)
	}
	p.accepted(callInitialize, callInitialize, "callback handle stored in persistent storage", sim.Int("handle", callbackHandle), sim.Bool("is_in_debug_mode", isInDebugMode))
	return nil
}

// RegisterOneOffTask is Workmanager().registerOneOffTask(uniqueName, taskName, …).
func (p *Plugin) RegisterOneOffTask(uniqueName, taskName string, o OneOffOptions) error {
	in, err := p.dartInput(callRegisterOneOff, uniqueName, o.InputData)
	if err != nil {
		return err
	}
	return p.native.registerOneOff(uniqueName, taskName, in, o)
}

// RegisterPeriodicTask is Workmanager().registerPeriodicTask(uniqueName, taskName, …).
func (p *Plugin) RegisterPeriodicTask(uniqueName, taskName string, o PeriodicOptions) error {
	in, err := p.dartInput(callRegisterPeriodic, uniqueName, o.InputData)
	if err != nil {
		return err
	}
	return p.native.registerPeriodic(uniqueName, taskName, in, o)
}

// RegisterProcessingTask is Workmanager().registerProcessingTask (iOS only).
func (p *Plugin) RegisterProcessingTask(uniqueName, taskName string, o ProcessingOptions) error {
	if err := p.dartHas(callRegisterProcessing, uniqueName, p.caps.ProcessingTasks); err != nil {
		return err
	}
	return p.registerBG(callRegisterProcessing, uniqueName, taskName, o.InputData, o, nil, osscheduler.Processing)
}

// RegisterHealthResearchTask is Workmanager().registerHealthResearchTask (iOS 17+).
func (p *Plugin) RegisterHealthResearchTask(uniqueName, taskName string, o ProcessingOptions) error {
	if err := p.dartHas(callRegisterHealth, uniqueName, p.caps.HealthResearchTasks); err != nil {
		return err
	}
	return p.registerBG(callRegisterHealth, uniqueName, taskName, o.InputData, o, nil, osscheduler.HealthResearch)
}

// RegisterContinuedProcessingTask is Workmanager().registerContinuedProcessingTask (iOS 26+).
func (p *Plugin) RegisterContinuedProcessingTask(uniqueName, taskName string, o ContinuedProcessingOptions) error {
	if err := p.dartHas(callRegisterContinued, uniqueName, p.caps.ContinuedProcessing); err != nil {
		return err
	}
	return p.registerBG(callRegisterContinued, uniqueName, taskName, o.InputData, ProcessingOptions{}, &o, osscheduler.ContinuedProcessing)
}

// CancelByUniqueName is Workmanager().cancelByUniqueName.
func (p *Plugin) CancelByUniqueName(uniqueName string) error {
	p.native.cancel(uniqueName)
	p.accepted(callCancelByUniqueName, uniqueName, "cancel requested")
	return nil
}

// CancelByTag is Workmanager().cancelByTag (Android only; Dart throws on iOS).
func (p *Plugin) CancelByTag(tag string) error {
	if err := p.native.cancelByTag(tag); err != nil {
		return err
	}
	p.accepted(callCancelByTag, tag, "cancel by tag requested")
	return nil
}

// CancelAll is Workmanager().cancelAll.
func (p *Plugin) CancelAll() error {
	p.native.cancelAll()
	p.accepted(callCancelAll, "all", "cancel all requested")
	return nil
}

// IsScheduledByUniqueName is Workmanager().isScheduledByUniqueName (Android
// only; Dart throws on iOS before the native side is reached).
func (p *Plugin) IsScheduledByUniqueName(uniqueName string) (bool, error) {
	if err := p.dartHas(callIsScheduled, uniqueName, p.caps.IsScheduled); err != nil {
		return false, err
	}
	ok, err := p.native.isScheduled(uniqueName)
	if err != nil {
		return false, err
	}
	p.accepted(callIsScheduled, uniqueName, "queried WorkManager", sim.Bool("scheduled", ok))
	return ok, nil
}

// PrintScheduledTasks is Workmanager().printScheduledTasks (iOS only).
func (p *Plugin) PrintScheduledTasks() (string, error) {
	if err := p.dartHas(callPrintScheduledTasks, callPrintScheduledTasks, p.caps.PrintScheduledTasks); err != nil {
		return "", err
	}
	s, err := p.native.printScheduledTasks()
	if err != nil {
		return "", err
	}
	p.accepted(callPrintScheduledTasks, callPrintScheduledTasks, s)
	return s, nil
}

// GetWorkInfo is Workmanager().getWorkInfo: nil when nothing is known.
func (p *Plugin) GetWorkInfo(uniqueName string) (*WorkInfo, error) {
	if err := p.dartHas(callGetWorkInfo, uniqueName, p.caps.GetWorkInfo); err != nil {
		return nil, err
	}
	wi := p.native.workInfo(uniqueName)
	p.accepted(callGetWorkInfo, uniqueName, "queried", sim.Bool("found", wi != nil))
	return wi, nil
}

// NotifyBackgroundChannelInitialized is the background isolate's ready
// handshake, WorkmanagerHostApi.notifyBackgroundChannelInitialized, which
// the Dart side of workmanager 0.10.10 sends before the host sends
// executeTask (#738, release notes v0.10.10). Releases before it have no
// handler on that channel: Pigeon's Dart side then gets no reply and throws
// PlatformException(channel-error, Unable to establish connection on
// channel: "…").
func (p *Plugin) NotifyBackgroundChannelInitialized() error {
	const call = "notifyBackgroundChannelInitialized"
	if !p.caps.ReadyHandshake {
		ch := "dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi." + call
		msg := "Unable to establish connection on channel: \"" + ch + "\"."
		return p.reject(call, call, CodeChannelError, "workmanager "+p.rel.Version+" has no host method "+call+": "+msg, true,
			&PlatformError{Code: "channel-error", Message: msg})
	}
	p.accepted(call, call, "the background isolate is ready: the host may send executeTask (#738)")
	return nil
}

// ---- helpers ----

// registerBG is the Dart side of the BGTaskScheduler-only calls: the input
// check, then the native side (Android's Dart layer throws first).
func (p *Plugin) registerBG(call, unique, task string, data osscheduler.Data, o ProcessingOptions, c *ContinuedProcessingOptions, kind osscheduler.Kind) error {
	if _, ok := p.native.(androidSide); ok {
		return p.native.registerBG(call, unique, task, nil, o, c, kind)
	}
	in, err := p.dartInput(call, unique, data)
	if err != nil {
		return err
	}
	return p.native.registerBG(call, unique, task, in, o, c, kind)
}

func (p *Plugin) unsupported(call, subject, msg string) error {
	return p.reject(call, subject, CodeUnsupported, msg, true, &UnsupportedError{Message: msg})
}

// dartHas rejects a method the release's Dart API does not have (has is the
// release's capability): an app written against that release cannot call
// it, so the call is reported as unsupported by that release.
func (p *Plugin) dartHas(call, subject string, has bool) error {
	if has {
		return nil
	}
	return p.unsupported(call, subject, call+" does not exist in workmanager "+p.rel.Version)
}

// dartInput applies the Dart side to inputData: the 0.5 type check, or (0.10)
// the message codec's ability to encode it.
func (p *Plugin) dartInput(call, unique string, in osscheduler.Data) (map[string]any, error) {
	norm, err := normalizeInput(in)
	if err != nil {
		return nil, p.reject(call, unique, CodeInvalidInputData, err.Error(), true, err)
	}
	if p.caps.LegacyInputData && norm != nil {
		if err := validate05(norm); err != nil {
			return nil, p.reject(call, unique, CodeInvalidInputData, err.(*DartError).Message, true, err)
		}
	}
	return norm, nil
}

// seconds is Duration.inSeconds: whole seconds, truncated.
func seconds(d time.Duration) time.Duration { return d / time.Second * time.Second }

// millis is Duration.inMilliseconds: whole milliseconds, truncated.
func millis(d time.Duration) time.Duration { return d / time.Millisecond * time.Millisecond }
