package plugin

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// androidStart is BackgroundWorker.startWork.
func (p *Plugin) androidStart(r *run) {
	x := r.x
	if p.eng.Tracing() {
		p.emit(event.WorkerStarted, r.subject(), "WorkManager started BackgroundWorker", sim.String("task", r.task),
			sim.Int("attempt", int64(x.Attempt)), sim.String("why", x.WhyThen))
	}
	if p.caps.Namespace == NamespaceTramckrijte {
		if s, ok := x.Input[keyDartTask05].(string); ok {
			r.task = s
		} else {
			r.task = ""
		}
		r.debug, _ = x.Input[keyIsInDebugMode05].(bool)
	}
	if p.caps.Namespace != NamespaceTramckrijte {
		in := p.startInput.read(x.Input)
		r.task = in.task
		// 1. A foreground-service config promotes the worker first; on API 34+
		// createForegroundInfo checks the type's permission and throws from
		// startWork, which WorkerWrapper turns into a failure (#725; the check
		// runs when the worker starts, not at registration).
		if js, ok := in.fgs, in.hasFGS; ok {
			typ := decodeFGSType(js)
			if p.api() >= apiUpsideDownCake && typ != "SHORT_SERVICE" && !p.cfg.EnableDataSyncForegroundService && !p.caps.DataSyncDeclared {
				msg := "workmanager_android: foregroundServiceType=dataSync requires the 'android.permission.FOREGROUND_SERVICE_DATA_SYNC' permission " +
					"in the merged manifest, but it is missing. Add 'workmanager.enableDataSyncForegroundService=true' to your " +
					"gradle.properties (see the workmanager_android README, issue #725)."
				p.after(r, 0, "plugin.fgs-failed", func() {
					p.finishRun(r, osscheduler.Failure, "startWork threw IllegalStateException: "+msg)
				})
				return
			}
			p.emit(event.WorkerForeground, r.unique, "setForegroundAsync: running as a foreground service", sim.String("type", typ))
		}
	}
	cost := p.engineStartCost()
	if p.eng.Tracing() {
		p.emit(event.EngineStarting, r.subject(), "starting a headless FlutterEngine for the dispatcher", sim.Dur("cost", cost))
	}
	p.afterStep(r, cost, "plugin.engine-started", stepAndroidEngine)
}

// startInput is what androidStart reads of a work's input data: its Dart
// task name and its foreground-service config. The runs of a work share its
// input map (the Android model hands every Execution the WorkSpec's input,
// which nothing writes after the plugin built it at enqueue; a run's Dart
// inputData is decoded into a new map), so the reading of the last map is
// kept and reused while the next run brings the same map: the same values
// the two lookups would give. The map itself is kept, so its address cannot
// be reused by another map while it is the key.
type startInput struct {
	of     osscheduler.Data
	task   string
	fgs    string
	hasFGS bool
}

// read returns the reading of in, from the last one when in is the same map.
func (s *startInput) read(in osscheduler.Data) *startInput {
	if in == nil || s.of == nil || mapAddr(in) != mapAddr(s.of) {
		task, _ := in[keyDartTask].(string)
		fgs, hasFGS := in[keyFGSConfig].(string)
		*s = startInput{of: in, task: task, fgs: fgs, hasFGS: hasFGS}
	}
	return s
}

// mapAddr is the identity of a map (a map value is a pointer to its header).
func mapAddr(m osscheduler.Data) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&m)) }

// androidEngineReady: the engine runs; resolve the callback handle, report
// STARTED/RETRYING, do the handshake and executeTask.
func (p *Plugin) androidEngineReady(r *run) {
	h := p.storedHandle()
	if !p.handleResolves(h) {
		reason := ""
		if p.eng.Tracing() { // the message is only seen in the trace
			msg := fmt.Sprintf("Failed to resolve Dart callback for handle %d", h)
			p.debugException(r.task, msg)
			reason = msg + ": the worker returns Result.failure() (stale or missing callback handle)"
		}
		p.finishRun(r, osscheduler.Failure, reason)
		return
	}
	if r.task == "" {
		p.debugException("", "Dart task is null")
		p.finishRun(r, osscheduler.Failure, "Dart task is null: the worker returns Result.failure()")
		return
	}
	if !p.caps.DebugHandlers && r.debug && p.eng.Tracing() {
		p.debugNotify05(r, fmt.Sprintf("• dartTask: %s\n• callbackHandle: %d", r.task, h))
	}
	if p.caps.LegacyInputData {
		r.inputFrom = inputAndroid05
	} else {
		status := "started"
		if r.x.Attempt > 1 {
			status = "retrying"
		}
		p.debugStatus(r.task, r.unique, status, "", 0)
		r.inputFrom = inputAndroid
	}
	r.finish = finishAndroid
	r.engineUp = true
	p.deliver(r, r.task, nil, "headless")
}

// deliver05 is 0.5's payload: the JSON string Dart decodes with jsonDecode
// (untyped lists, no typing pass).
func deliver05(in osscheduler.Data) osscheduler.Data {
	s, ok := in[keyPayload05].(string)
	if !ok {
		return nil
	}
	v, err := decodeJSON(s)
	if err != nil {
		return nil
	}
	m, _ := untyped(v).(map[string]any)
	return osscheduler.Data(m)
}

func untyped(v any) any {
	switch t := v.(type) {
	case dartList:
		out := make([]any, len(t.items))
		for i, e := range t.items {
			out[i] = untyped(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = untyped(e)
		}
		return out
	}
	return v
}

// androidFinish is executeBackgroundTask's reply mapping and stopEngine.
func (p *Plugin) androidFinish(r *run, ok bool, err error) {
	res := dartResult(ok, err)
	var took time.Duration
	if p.eng.Tracing() { // only the debug output, which is traced, shows it
		took = p.eng.Now().Sub(r.started)
	}
	if !p.caps.DebugHandlers {
		if r.debug && p.eng.Tracing() {
			p.debugNotify05(r, fmt.Sprintf("• Result: %s\n• dartTask: %s\n• Elapsed time: %d seconds.", map[bool]string{true: "🎉 Success", false: "🔥 " + result05Name(res)}[res == osscheduler.Success], r.task, int64(took.Seconds())))
		}
	} else {
		status := byResult(res, "completed", "rescheduled", "failed", "")
		msg := ""
		if err != nil && p.eng.Tracing() { // only the debug output, which is traced, shows it
			msg = errMessage(err)
		}
		p.debugStatus(r.task, r.unique, status, msg, took)
	}
	why := byResult(res,
		"the dispatcher answered true: Result.success()",
		"the dispatcher answered false: Result.retry() (backoff)",
		"the dispatcher answered with an error: Result.failure()",
		"the dispatcher answered ")
	p.finishRun(r, res, why, p.resultFields(ok, err)...)
}

// byResult picks the text for a dispatcher's result (other: none of them).
func byResult(res osscheduler.Result, success, retry, failure, other string) string {
	switch res {
	case osscheduler.Success:
		return success
	case osscheduler.Retry:
		return retry
	case osscheduler.Failure:
		return failure
	}
	return other
}

func result05Name(r osscheduler.Result) string {
	if r == osscheduler.Retry {
		return "Retry"
	}
	return "Failure"
}

// androidStopped is BackgroundWorker.onStopped.
func (p *Plugin) androidStopped(r *run, reason osscheduler.StopReason) {
	raw := 0 // StopReasonUtils.STOP_REASON_UNKNOWN below API 31
	if p.api() >= apiS {
		raw = AndroidStopReasonRaw(reason)
	}
	dart := DartStopReason(raw)
	fields := []sim.Field{sim.String("os_reason", string(reason)), sim.Int("raw", int64(raw)), sim.String("dart_reason", string(dart))}
	if !p.caps.OnTaskStopped {
		if r.debug {
			p.debugNotify05(r, "• Result: 🔥 Failure\n• dartTask: "+r.task)
		}
		p.emit(event.TaskStopped, r.subject(), "WorkManager stopped the worker; workmanager "+p.rel.Version+" has no onTaskStopped", fields...)
		return
	}
	p.debugStatus(r.task, r.unique, stopTaskStatus(raw), "", p.eng.Now().Sub(r.started))
	switch {
	case !alive(p.dev.State().App) || p.dev.State().Power != device.PowerOn:
		p.emit(event.TaskStopped, r.subject(), "the app process is gone (power off, kill or force-stop): no Dart code is left to notify", fields...)
	case !r.engineUp:
		p.emit(event.TaskStopped, r.subject(), "WorkManager stopped the worker while the engine was starting; onTaskStopped is not sent", fields...)
	case !r.delivered:
		p.emit(event.TaskStopped, r.subject(), "onTaskStopped sent, but the dispatcher never called executeTask: nobody handles it", fields...)
	case p.cfg.OnStoppedBug732 || p.caps.OnStoppedOffMainThread:
		p.emit(event.TaskStopped, r.subject(), "onStopped called Pigeon off the main thread, which threw: Dart's onTaskStopped never ran (#732)", fields...)
	default:
		p.emit(event.TaskStopped, r.subject(), "onTaskStopped sent to Dart", fields...)
		if p.stopped != nil {
			p.stopped(r.task, dart)
		}
	}
}

// stopTaskStatus is StopReasonUtils.toTaskStatus: raw 3 and 4 are reported
// CANCELLED, everything else FAILED.
func stopTaskStatus(raw int) string {
	if raw == 3 || raw == 4 {
		return "cancelled"
	}
	return "failed"
}

// AndroidStopReasonRaw is the integer WorkManager reports for a stop reason
// (androidx.work.WorkInfo.STOP_REASON_*, equal to JobParameters'), which
// BackgroundWorker forwards unchanged. A reboot is reported as UNKNOWN.
func AndroidStopReasonRaw(r osscheduler.StopReason) int {
	switch r {
	case osscheduler.StopCancelledByApp:
		return 1
	case osscheduler.StopPreempt:
		return 2
	case osscheduler.StopTimeout:
		return 3
	case osscheduler.StopDeviceState:
		return 4
	case osscheduler.StopConstraintBatteryNotLow:
		return 5
	case osscheduler.StopConstraintCharging:
		return 6
	case osscheduler.StopConstraintConnectivity:
		return 7
	case osscheduler.StopConstraintDeviceIdle:
		return 8
	case osscheduler.StopConstraintStorageNotLow:
		return 9
	case osscheduler.StopQuota:
		return 10
	case osscheduler.StopBackgroundRestriction:
		return 11
	case osscheduler.StopAppStandby:
		return 12
	case osscheduler.StopUser:
		return 13
	case osscheduler.StopSystemProcessing:
		return 14
	case osscheduler.StopEstimatedLaunchChanged:
		return 15
	case osscheduler.StopForegroundServiceTimeout:
		return -128
	case osscheduler.StopNotStopped:
		return -256
	}
	return -512 // STOP_REASON_UNKNOWN
}

// Stop reasons of Dart's StopReason enum that osscheduler has no name for.
const (
	StopSystemIgnoredCancelledByApp osscheduler.StopReason = "SYSTEM_IGNORED_CANCELLED_BY_APP"
	StopEstimatedAppGPULimit        osscheduler.StopReason = "ESTIMATED_APP_GPU_LIMIT"
)

// DartStopReason is StopReason.fromRawValue (workmanager_platform_interface
// stop_reason.dart), named with osscheduler's stop-reason names: 0 unknown,
// 1 timeout, 2 preempt, 3 cancelledByApp, 4 systemIgnoredCancelledByApp,
// 5 backgroundRestriction, 6 estimatedAppGpuLimit, 7 deviceState,
// 8 appStandby, 9 deviceIdle; any other value unknown. Note that the Dart
// numbering is not WorkManager's: a cancel (raw 1) reads as timeout in Dart.
func DartStopReason(raw int) osscheduler.StopReason {
	switch raw {
	case 1:
		return osscheduler.StopTimeout
	case 2:
		return osscheduler.StopPreempt
	case 3:
		return osscheduler.StopCancelledByApp
	case 4:
		return StopSystemIgnoredCancelledByApp
	case 5:
		return osscheduler.StopBackgroundRestriction
	case 6:
		return StopEstimatedAppGPULimit
	case 7:
		return osscheduler.StopDeviceState
	case 8:
		return osscheduler.StopAppStandby
	case 9:
		return osscheduler.StopConstraintDeviceIdle
	}
	return osscheduler.StopUnknown
}
