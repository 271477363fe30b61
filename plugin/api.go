package plugin

import (
	"time"

	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/sim"
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
		if p.version == V0_5 {
			// 0.5.1 workmanager.dart: assert(callback != null) (debug only),
			// then `if (callback != null)`: a release build silently does nothing.
			p.emit("call", callInitialize, "the dispatcher has no callback handle (not a top-level function): 0.5 skips initialize silently", sim.String("call", callInitialize))
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
	if p.version == V0_5 {
		p.debug05 = isInDebugMode
		if p.platform == osscheduler.IOS {
			p.dev.Store(storeUserDefaults).Set(udIsDebugKey05, isInDebugMode)
		}
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
	if p.platform == osscheduler.IOS {
		return p.iosRegisterOneOff(uniqueName, taskName, in, o)
	}
	return p.androidRegisterOneOff(uniqueName, taskName, in, o)
}

// RegisterPeriodicTask is Workmanager().registerPeriodicTask(uniqueName, taskName, …).
func (p *Plugin) RegisterPeriodicTask(uniqueName, taskName string, o PeriodicOptions) error {
	in, err := p.dartInput(callRegisterPeriodic, uniqueName, o.InputData)
	if err != nil {
		return err
	}
	if p.platform == osscheduler.IOS {
		return p.iosRegisterPeriodic(uniqueName, taskName, in, o)
	}
	return p.androidRegisterPeriodic(uniqueName, taskName, in, o)
}

// RegisterProcessingTask is Workmanager().registerProcessingTask (iOS only).
func (p *Plugin) RegisterProcessingTask(uniqueName, taskName string, o ProcessingOptions) error {
	if err := p.notIn05(callRegisterProcessing, uniqueName); err != nil {
		return err
	}
	if p.platform == osscheduler.Android {
		return p.unsupported(callRegisterProcessing, uniqueName, "Processing tasks are not supported on Android")
	}
	in, err := p.dartInput(callRegisterProcessing, uniqueName, o.InputData)
	if err != nil {
		return err
	}
	return p.iosRegisterProcessing(uniqueName, taskName, in, o, osscheduler.Processing)
}

// RegisterHealthResearchTask is Workmanager().registerHealthResearchTask (iOS 17+).
func (p *Plugin) RegisterHealthResearchTask(uniqueName, taskName string, o ProcessingOptions) error {
	if err := p.notIn05(callRegisterHealth, uniqueName); err != nil {
		return err
	}
	if p.platform == osscheduler.Android {
		return p.unsupported(callRegisterHealth, uniqueName, "Health research tasks are not supported on Android")
	}
	in, err := p.dartInput(callRegisterHealth, uniqueName, o.InputData)
	if err != nil {
		return err
	}
	return p.iosRegisterProcessing(uniqueName, taskName, in, o, osscheduler.HealthResearch)
}

// RegisterContinuedProcessingTask is Workmanager().registerContinuedProcessingTask (iOS 26+).
func (p *Plugin) RegisterContinuedProcessingTask(uniqueName, taskName string, o ContinuedProcessingOptions) error {
	if err := p.notIn05(callRegisterContinued, uniqueName); err != nil {
		return err
	}
	if p.platform == osscheduler.Android {
		return p.unsupported(callRegisterContinued, uniqueName, "Continued processing tasks are not supported on Android")
	}
	in, err := p.dartInput(callRegisterContinued, uniqueName, o.InputData)
	if err != nil {
		return err
	}
	return p.iosRegisterContinued(uniqueName, taskName, in, o)
}

// CancelByUniqueName is Workmanager().cancelByUniqueName.
func (p *Plugin) CancelByUniqueName(uniqueName string) error {
	if p.platform == osscheduler.IOS {
		p.iosCancel(uniqueName)
	} else {
		p.wm.CancelUniqueWork(uniqueName)
	}
	p.accepted(callCancelByUniqueName, uniqueName, "cancel requested")
	return nil
}

// CancelByTag is Workmanager().cancelByTag (Android only; Dart throws on iOS).
func (p *Plugin) CancelByTag(tag string) error {
	if p.platform == osscheduler.IOS {
		if p.version == V0_5 {
			// 0.5.1 SwiftWorkmanagerPlugin.handle: default → unhandledMethod.
			return p.reject(callCancelByTag, tag, CodeUnhandledMethod, "Unhandled method cancelTaskByTag", true,
				&PlatformError{Code: `unhandledMethod("cancelTaskByTag") error`, Message: "Unhandled method cancelTaskByTag"})
		}
		return p.unsupported(callCancelByTag, tag, "cancelByTag is not supported on iOS")
	}
	p.wm.CancelAllWorkByTag(tag)
	p.accepted(callCancelByTag, tag, "cancel by tag requested")
	return nil
}

// CancelAll is Workmanager().cancelAll.
func (p *Plugin) CancelAll() error {
	if p.platform == osscheduler.IOS {
		p.iosCancelAll()
	} else {
		p.wm.CancelAllWork()
	}
	p.accepted(callCancelAll, "all", "cancel all requested")
	return nil
}

// IsScheduledByUniqueName is Workmanager().isScheduledByUniqueName (Android
// only; Dart throws on iOS before the native side is reached).
func (p *Plugin) IsScheduledByUniqueName(uniqueName string) (bool, error) {
	if err := p.notIn05(callIsScheduled, uniqueName); err != nil {
		return false, err
	}
	if p.platform == osscheduler.IOS {
		return false, p.unsupported(callIsScheduled, uniqueName, "isScheduledByUniqueName is not supported on iOS")
	}
	ok := p.androidIsScheduled(uniqueName)
	p.accepted(callIsScheduled, uniqueName, "queried WorkManager", sim.Bool("scheduled", ok))
	return ok, nil
}

// PrintScheduledTasks is Workmanager().printScheduledTasks (iOS only).
func (p *Plugin) PrintScheduledTasks() (string, error) {
	if err := p.notIn05(callPrintScheduledTasks, callPrintScheduledTasks); err != nil {
		return "", err
	}
	if p.platform == osscheduler.Android {
		return "", p.unsupported(callPrintScheduledTasks, callPrintScheduledTasks, "printScheduledTasks is not supported on Android")
	}
	s := p.iosPrintScheduledTasks()
	p.accepted(callPrintScheduledTasks, callPrintScheduledTasks, s)
	return s, nil
}

// GetWorkInfo is Workmanager().getWorkInfo: nil when nothing is known.
func (p *Plugin) GetWorkInfo(uniqueName string) (*WorkInfo, error) {
	if err := p.notIn05(callGetWorkInfo, uniqueName); err != nil {
		return nil, err
	}
	var wi *WorkInfo
	if p.platform == osscheduler.IOS {
		wi = p.iosWorkInfo(uniqueName)
	} else {
		wi = p.androidWorkInfo(uniqueName)
	}
	p.accepted(callGetWorkInfo, uniqueName, "queried", sim.Bool("found", wi != nil))
	return wi, nil
}

// ---- helpers ----

func (p *Plugin) unsupported(call, subject, msg string) error {
	return p.reject(call, subject, CodeUnsupported, msg, true, &UnsupportedError{Message: msg})
}

// notIn05 rejects methods the 0.5 Dart API did not have.
func (p *Plugin) notIn05(call, subject string) error {
	if p.version != V0_5 {
		return nil
	}
	return p.unsupported(call, subject, call+" does not exist in workmanager 0.5")
}

// dartInput applies the Dart side to inputData: the 0.5 type check, or (0.10)
// the message codec's ability to encode it.
func (p *Plugin) dartInput(call, unique string, in osscheduler.Data) (map[string]any, error) {
	norm, err := normalizeInput(in)
	if err != nil {
		return nil, p.reject(call, unique, CodeInvalidInputData, err.Error(), true, err)
	}
	if p.version == V0_5 && norm != nil {
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
