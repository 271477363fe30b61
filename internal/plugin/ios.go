package plugin

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
)

// iOS versions the plugin checks (WorkmanagerPlugin.swift #available).
const (
	iosHealthResearchMin      = 17
	iosContinuedProcessingMin = 26
)

// BGTaskSchedulerErrorCode values (Apple BGTaskScheduler.Error.Code).
var bgErrorCodes = map[string]int{CodeUnavailable: 1, CodeTooManyPending: 2, CodeNotPermitted: 3}

func (p *Plugin) iosVersion() int {
	if p.cfg.IOS.Version == 0 {
		return ios.DefaultVersion
	}
	return p.cfg.IOS.Version
}

// scheduledTaskInfo is ScheduledTaskInfo, persisted under
// dev.fluttercommunity.workmanager.scheduledTasks.
type scheduledTaskInfo struct {
	Kind string // refresh, processing, healthResearch, continuedProcessing
	//lint:ignore ST1011 the field of the plugin's Swift ScheduledTaskInfo, persisted under this name
	EarliestBeginSeconds *time.Duration
}

// scheduledTasks is a copy of the persisted identifiers.
func (p *Plugin) scheduledTasks() map[string]scheduledTaskInfo {
	if m := p.scheduledTaskMap(); m != nil {
		return maps.Clone(m)
	}
	return map[string]scheduledTaskInfo{}
}

// scheduledTaskMap is the stored map itself (nil when none is stored): only
// the plugin holds it, so it updates it in place before storing it again.
func (p *Plugin) scheduledTaskMap() map[string]scheduledTaskInfo {
	if p.udScheduledRef == nil {
		p.udScheduledRef = p.userDefaults().Ref(udScheduledTasks)
	}
	if v, ok := p.udScheduledRef.Get(); ok {
		if m, ok := v.(map[string]scheduledTaskInfo); ok {
			return m
		}
	}
	return nil
}

func (p *Plugin) storeScheduledTask(id string, info scheduledTaskInfo) {
	m := p.scheduledTaskMap()
	if m != nil {
		m[id] = info // the stored map, updated in place: storing it again would change nothing
		return
	}
	p.userDefaults().Set(udScheduledTasks, map[string]scheduledTaskInfo{id: info})
}

func (p *Plugin) removeScheduledTask(id string) {
	m := p.scheduledTaskMap()
	if m == nil {
		m = map[string]scheduledTaskInfo{}
	}
	delete(m, id)
	p.userDefaults().Set(udScheduledTasks, m)
}

// inputRef is the UserDefaults entry of id's stored input data, looked up
// once per identifier.
func (p *Plugin) inputRef(id string) *device.StoreRef {
	if p.lastInputRef != nil && id == p.lastInputID {
		return p.lastInputRef // a periodic run reads its identifier's input twice
	}
	r, ok := p.inputRefs[id]
	if !ok {
		r = p.userDefaults().Ref(udInputPrefix + id)
		if p.inputRefs == nil {
			p.inputRefs = map[string]*device.StoreRef{}
		}
		p.inputRefs[id] = r
	}
	p.lastInputID, p.lastInputRef = id, r
	return r
}

// storedInput is UserDefaultsHelper.getStoredPeriodicTaskInputData.
func (p *Plugin) storedInput(id string) osscheduler.Data {
	if v, ok := p.inputRef(id).Get(); ok {
		if d, ok := v.(osscheduler.Data); ok {
			return maps.Clone(d)
		}
	}
	return nil
}

// storeInput is storePeriodicTaskInputData: nil clears.
func (p *Plugin) storeInput(id string, in map[string]any) {
	s := p.userDefaults()
	if in == nil {
		s.Delete(udInputPrefix + id)
		return
	}
	s.Set(udInputPrefix+id, deliverData(in))
}

// iosHandleCheck is validateCallbackHandle: a stored handle, resolvable or not.
func (p *Plugin) iosHandleCheck(call, unique string) error {
	if p.storedHandle() != noHandle {
		return nil
	}
	return p.reject(call, unique, CodeNotInitialized, msgInitRequiredWithExample, true,
		&PlatformError{Code: "1", Message: msgInitRequiredWithExample})
}

// crash records a call that crashed the app and kills the process.
func (p *Plugin) crash(call, subject, msg string) error {
	p.j.Error(osscheduler.ErrorRecord{At: p.eng.Elapsed(), Call: call, Code: CodeCrash, Message: msg, SeenByApp: false})
	p.emit(event.Crash, subject, msg, sim.String("call", call))
	p.dev.KillProcess()
	return &CrashError{Message: msg}
}

func isCrash(err error) bool {
	var e *osscheduler.Error
	return errors.As(err, &e) && e.Code == CodeCrash
}

// submitFailed handles a BGTaskScheduler.submit error that is not a crash:
// 0.10 only logs it (Dart sees success); 0.5 returns bgTaskSchedulingFailed.
func (p *Plugin) submitFailed(call, id string, err error) error {
	code := osCode(err)
	if p.caps.IOSSubmitErrorsToDart {
		n := bgErrorCodes[code]
		desc := fmt.Sprintf(`Error Domain=BGTaskSchedulerErrorDomain Code=%d "(null)"`, n)
		msg := "Scheduling the task using BGTaskScheduler has failed.\n\nThis may be due to too many tasks being scheduled but not run.\n\nSee the error for details: " + desc + "."
		return p.reject(call, id, code, err.Error(), true,
			&PlatformError{Code: "bgTaskSchedulingFailed(" + desc + ") error", Message: msg})
	}
	return p.reject(call, id, code, "Could not schedule "+id+": "+err.Error()+" (only logged natively; Dart sees success)", false, nil)
}

// registerLaunchHandlerOnce registers the identifier's launch handler at most
// once per process (WorkmanagerPlugin.swift registeredLaunchHandlers).
func (p *Plugin) registerLaunchHandlerOnce(id string, begin *time.Duration, call string) error {
	if p.launchHandlerRegistered(id) {
		return nil
	}
	p.launchRegistered[id] = true
	p.setLaunchBegin(id, begin)
	ok, err := p.bg.Register(id)
	if err != nil {
		if isCrash(err) {
			return p.crash(call, id, "BGTaskScheduler.register("+id+"): "+err.Error())
		}
		p.emit(event.LaunchHandler, id, "register failed: "+err.Error())
		return nil
	}
	if !ok {
		p.emit(event.LaunchHandler, id, "BGTaskScheduler.register returned false: the identifier is not in BGTaskSchedulerPermittedIdentifiers")
		return nil
	}
	p.emit(event.LaunchHandler, id, "launch handler registered")
	return nil
}

// ---- registration ----

func (p *Plugin) iosRegisterOneOff(unique, task string, in map[string]any, o OneOffOptions) error {
	switch p.caps.IOSOneOff {
	case IOSOneOffUnhandled:
		return p.unhandledIOS(callRegisterOneOff, unique)
	case IOSOneOffProcessing:
		return p.ios05RegisterOneOff(unique, task, o)
	}
	if err := p.iosHandleCheck(callRegisterOneOff, unique); err != nil {
		return err
	}
	if o.Constraints != nil || o.ExistingWorkPolicy != nil || o.Tag != nil || o.BackoffPolicy != nil {
		p.emit(event.Warning, unique, "iOS one-off tasks ignore constraints, existingWorkPolicy, tag and backoff")
	}
	var delay time.Duration
	if o.InitialDelay != nil {
		delay = seconds(*o.InitialDelay)
		if !p.caps.IOSOneOffDelay && delay > 0 {
			// Before workmanager_apple 0.9.2 startOneOffTask added the
			// operation at once: the delay was ignored (#661, #687).
			p.emit(event.Warning, unique, "workmanager_apple "+p.rel.Apple+" ignores a one-off's initialDelay on iOS (#661): the work starts now")
			delay = 0
		}
	}
	name := task
	if !p.caps.IOSOneOffTaskName {
		name = unique // before apple 0.9.2 the unique name reached Dart (#670)
	}
	input := deliverData(in)
	gen := p.procGen
	run := func() {
		if p.procGen != gen {
			p.emit(event.OneoffLost, unique, "the app process died before the delay elapsed: DispatchQueue.asyncAfter never fired", sim.String("task", task))
			return
		}
		p.bg.RunInProcess(unique, name, input)
	}
	p.bg.BeginBackgroundTask(unique)
	p.accepted(callRegisterOneOff, unique, "beginBackgroundTask + in-process work (no dedupe, not cancellable)",
		sim.String("task", task), sim.Dur("initial_delay", delay))
	p.iosStatus(task, unique, true, "scheduled", false, "", 0)
	if delay > 0 {
		p.inProcessTimer(delay, unique, run)
	} else {
		run()
	}
	return nil
}

func (p *Plugin) iosRegisterPeriodic(unique, task string, in map[string]any, o PeriodicOptions) error {
	if !p.caps.IOSPeriodic {
		return p.unhandledIOS(callRegisterPeriodic, unique)
	}
	if err := p.iosHandleCheck(callRegisterPeriodic, unique); err != nil {
		return err
	}
	if o.Frequency != nil || o.FlexInterval != nil || o.Constraints != nil || o.ExistingWorkPolicy != nil || o.BackoffPolicy != nil {
		p.emit(event.Warning, unique, "iOS periodic tasks ignore frequency, flexInterval, constraints, existingWorkPolicy and backoff: the OS decides when a BGAppRefreshTask runs")
	}
	var delay time.Duration
	if o.InitialDelay != nil {
		delay = seconds(*o.InitialDelay)
	}
	p.storeInput(unique, in)
	if err := p.iosSchedulePeriodic(callRegisterPeriodic, unique, task, &delay); err != nil {
		return err
	}
	p.accepted(callRegisterPeriodic, unique, "BGAppRefreshTaskRequest submitted under the unique name", sim.String("task", task), sim.Dur("initial_delay", delay))
	p.iosStatus(task, unique, false, "scheduled", true, "", 0)
	return nil
}

// iosSchedulePeriodic is schedulePeriodicTask: submit, then persist the id
// and register its launch handler. Only a crash is returned.
func (p *Plugin) iosSchedulePeriodic(call, id, task string, begin *time.Duration) error {
	req := ios.TaskRequest{Identifier: id, Kind: osscheduler.Periodic, UniqueName: id, TaskName: task, Input: p.storedInput(id)}
	if begin != nil {
		req.EarliestBegin = p.eng.Now().Add(*begin)
	}
	if err := p.bg.Submit(req); err != nil {
		if isCrash(err) {
			return p.crash(call, id, "BGTaskScheduler.submit("+id+"): "+err.Error())
		}
		return p.submitFailed(call, id, err)
	}
	p.storeScheduledTask(id, scheduledTaskInfo{Kind: "refresh", EarliestBeginSeconds: begin})
	return p.registerLaunchHandlerOnce(id, begin, call)
}

func (p *Plugin) iosRegisterProcessing(unique, task string, in map[string]any, o ProcessingOptions, kind osscheduler.Kind) error {
	call, feature, kindName := callRegisterProcessing, "BGProcessingTask", "processing"
	if kind == osscheduler.HealthResearch {
		call, feature, kindName = callRegisterHealth, "BGHealthResearchTask", "healthResearch"
	}
	if err := p.iosHandleCheck(call, unique); err != nil {
		return err
	}
	if kind == osscheduler.HealthResearch && p.iosVersion() < iosHealthResearchMin {
		return p.reject(call, unique, CodeOSTooOld, "HealthResearchTask could not be registered", true,
			&PlatformError{Code: "99", Message: "HealthResearchTask could not be registered", Details: "BGHealthResearchTaskRequest is only supported on iOS 17+"})
	}
	var delay time.Duration
	if o.InitialDelay != nil {
		delay = seconds(*o.InitialDelay)
	}
	req := ios.TaskRequest{Identifier: unique, Kind: kind, EarliestBegin: p.eng.Now().Add(delay), UniqueName: unique, TaskName: task}
	if c := o.Constraints; c != nil {
		// Only networkType and requiresCharging reach the native side; network
		// is required only for connected or metered.
		if c.NetworkType != nil && (*c.NetworkType == NetworkConnected || *c.NetworkType == NetworkMetered) {
			req.RequiresNetwork = true
		}
		req.RequiresExternalPower = c.RequiresCharging != nil && *c.RequiresCharging
	}
	if kind == osscheduler.HealthResearch {
		p.storeInput(unique, in)
		req.Input = p.storedInput(unique)
	} else if in != nil {
		p.emit(event.Warning, unique, "processing tasks do not store inputData: the task will receive null")
	}
	if err := p.bg.Submit(req); err != nil {
		if isCrash(err) {
			return p.crash(call, unique, "BGTaskScheduler.submit("+unique+"): "+err.Error())
		}
		if e := p.submitFailed(call, unique, err); e != nil {
			return e
		}
	} else {
		p.storeScheduledTask(unique, scheduledTaskInfo{Kind: kindName, EarliestBeginSeconds: &delay})
		if err := p.registerLaunchHandlerOnce(unique, nil, call); err != nil {
			return err
		}
	}
	p.accepted(call, unique, feature+"Request submitted under the unique name", sim.String("task", task), sim.Dur("initial_delay", delay),
		sim.Bool("requires_network", req.RequiresNetwork), sim.Bool("requires_external_power", req.RequiresExternalPower))
	p.workInfoRecord(task, unique, true, "scheduled", false)
	return nil
}

func (p *Plugin) iosRegisterContinued(unique, task string, in map[string]any, o ContinuedProcessingOptions) error {
	if err := p.iosHandleCheck(callRegisterContinued, unique); err != nil {
		return err
	}
	if p.iosVersion() < iosContinuedProcessingMin {
		return p.reject(callRegisterContinued, unique, CodeOSTooOld, "ContinuedProcessingTask could not be registered", true,
			&PlatformError{Code: "99", Message: "ContinuedProcessingTask could not be registered", Details: "BGContinuedProcessingTaskRequest is only supported on iOS 26+"})
	}
	p.storeInput(unique, in)
	title := o.Title
	if title == "" {
		title = task
	}
	req := ios.TaskRequest{Identifier: unique, Kind: osscheduler.ContinuedProcessing, Title: title, Subtitle: o.Subtitle,
		UniqueName: unique, TaskName: task, Input: p.storedInput(unique)}
	if err := p.bg.Submit(req); err != nil {
		if isCrash(err) {
			return p.crash(callRegisterContinued, unique, "BGTaskScheduler.submit("+unique+"): "+err.Error())
		}
		_ = p.submitFailed(callRegisterContinued, unique, err)
	} else {
		p.storeScheduledTask(unique, scheduledTaskInfo{Kind: "continuedProcessing"})
		if err := p.registerLaunchHandlerOnce(unique, nil, callRegisterContinued); err != nil {
			return err
		}
	}
	if !strings.HasSuffix(unique, ".*") {
		p.emit(event.Warning, unique, "a continued-processing identifier must end with '.*' (<bundleID>.<context>.*)")
	}
	p.accepted(callRegisterContinued, unique, "BGContinuedProcessingTaskRequest submitted", sim.String("task", task), sim.String("title", title))
	p.iosStatus(task, unique, true, "scheduled", false, "", 0)
	return nil
}

// unhandledIOS is SwiftWorkmanagerPlugin.handle's default case
// (WMPError.unhandledMethod) for a method the release's Swift side lacks.
func (p *Plugin) unhandledIOS(call, unique string) error {
	msg := "Unhandled method " + call
	return p.reject(call, unique, CodeUnhandledMethod, msg, true,
		&PlatformError{Code: `unhandledMethod("` + call + `") error`, Message: msg})
}

// ios05RegisterOneOff is 0.5.1's iOS one-off: a BGProcessingTaskRequest under
// the unique name; submit errors go back to Dart.
func (p *Plugin) ios05RegisterOneOff(unique, task string, o OneOffOptions) error {
	if err := p.iosHandleCheck(callRegisterOneOff, unique); err != nil {
		return err
	}
	var delay time.Duration
	if o.InitialDelay != nil {
		delay = seconds(*o.InitialDelay)
	}
	req := ios.TaskRequest{Identifier: unique, Kind: osscheduler.Processing, EarliestBegin: p.eng.Now().Add(delay), UniqueName: unique, TaskName: task}
	if c := o.Constraints; c != nil {
		if c.NetworkType != nil && (*c.NetworkType == NetworkConnected || *c.NetworkType == NetworkMetered) {
			req.RequiresNetwork = true
		}
		req.RequiresExternalPower = c.RequiresCharging != nil && *c.RequiresCharging
	}
	if err := p.bg.Submit(req); err != nil {
		if isCrash(err) {
			return p.crash(callRegisterOneOff, unique, "BGTaskScheduler.submit("+unique+"): "+err.Error())
		}
		return p.submitFailed(callRegisterOneOff, unique, err)
	}
	p.accepted(callRegisterOneOff, unique, "0.5: BGProcessingTaskRequest submitted under the unique name", sim.String("task", task), sim.Dur("initial_delay", delay))
	return nil
}

func (p *Plugin) iosCancel(unique string) {
	p.bg.Cancel(unique)
	if !p.caps.IOSLaunchHandlers {
		return
	}
	p.removeScheduledTask(unique)
	p.workInfoMarkCancelled(unique)
}

func (p *Plugin) iosCancelAll() {
	p.bg.CancelAll()
	if !p.caps.IOSLaunchHandlers {
		return
	}
	p.userDefaults().Set(udScheduledTasks, map[string]scheduledTaskInfo{})
	p.workInfoMarkAllCancelled()
}

// iosPrintScheduledTasks is printScheduledTasks over getPendingTaskRequests.
func (p *Plugin) iosPrintScheduledTasks() string {
	pending := p.bg.Pending()
	if len(pending) == 0 {
		return "[BGTaskScheduler] There are no scheduled tasks"
	}
	var b strings.Builder
	b.WriteString("[BGTaskScheduler] Scheduled Tasks:")
	for _, r := range pending {
		b.WriteString("\n[BGTaskScheduler] Task Identifier: " + r.Identifier + " earliestBeginDate: ")
		if !r.EarliestBegin.IsZero() {
			b.WriteString(p.formatDate(r.EarliestBegin))
		}
	}
	return b.String()
}

// formatDate is Date.formatted() in en_US on a device set to UTC: numeric
// date, shortened time ("1/5/2026, 8:00 AM"). From iOS 17 (ICU 72) the space
// before AM/PM is a narrow no-break space.
func (p *Plugin) formatDate(t time.Time) string {
	t = t.UTC()
	sep := " "
	if p.iosVersion() >= 17 {
		sep = "\u202f"
	}
	return t.Format("1/2/2006, 3:04") + sep + t.Format("PM")
}

// ---- running work ----

func (p *Plugin) iosStart(r *run) {
	x := r.x
	if p.eng.Tracing() {
		p.emit(event.WorkerStarted, r.subject(), "iOS started the app's work", sim.String("kind", string(x.Kind)), sim.String("why", x.WhyThen))
	}
	if !p.caps.DebugHandlers {
		if v, ok := p.userDefaults().Get(udIsDebugKey05); ok {
			r.debug, _ = v.(bool)
		}
	}
	switch x.Kind {
	case osscheduler.OneOff:
		r.task = x.TaskName
		if p.dartInitialized {
			// runOneOffTaskOnMainEngine: no second engine (#653 fix).
			p.iosStatus(r.task, "", false, "started", false, "", 0)
			r.finish = finishIOSMain
			p.afterStep(r, 0, "plugin.main-engine", stepIOSMainEngine)
			return
		}
		p.iosHeadless(r, r.task, deliverData(x.Input), false)
	case osscheduler.Periodic:
		id := x.WorkID
		if id == "" {
			id = x.UniqueName
		}
		r.task, r.unique = id, id
		if !p.handleResolves(p.storedHandle()) {
			p.emit(event.TaskHung, id, "handlePeriodicTask: the callback handle is missing or does not resolve; it returns without setTaskCompleted and without resubmitting")
			return
		}
		begin, known := p.launchBeginOf(id)
		if !known {
			begin = nil
		}
		if err := p.iosSchedulePeriodic("BGAppRefreshTask", id, p.workInfoTaskName(id), begin); err != nil {
			return
		}
		p.iosHeadless(r, id, p.storedInput(id), true)
	case osscheduler.Processing, osscheduler.HealthResearch, osscheduler.ContinuedProcessing:
		id := x.WorkID
		if id == "" {
			id = x.UniqueName
		}
		r.task, r.unique = id, id
		var input osscheduler.Data
		if x.Kind != osscheduler.Processing {
			input = p.storedInput(id)
		}
		p.iosHeadless(r, id, input, false)
	case osscheduler.Fetch:
		r.task = IOSBackgroundTask
		p.iosHeadless(r, IOSBackgroundTask, nil, false)
	default:
		p.after(r, 0, "plugin.unknown-kind", func() {
			p.finishRun(r, osscheduler.Failure, "unknown work kind "+string(x.Kind))
		})
	}
}

// iosHeadless is BackgroundWorker.performBackgroundRequest on a new engine.
func (p *Plugin) iosHeadless(r *run, name string, input osscheduler.Data, periodic bool) {
	cost := p.engineStartCost()
	if p.eng.Tracing() {
		p.emit(event.EngineStarting, r.subject(), "starting a headless FlutterEngine for the dispatcher", sim.Dur("cost", cost))
	}
	r.name, r.input, r.periodic = name, input, periodic
	p.afterStep(r, cost, "plugin.engine-started", stepIOSEngine)
}

// iosEngineReady: the headless engine runs; resolve the callback handle and
// hand r.name and r.input to the dispatcher.
func (p *Plugin) iosEngineReady(r *run) {
	name, periodic := r.name, r.periodic
	bgKind := r.x.Kind == osscheduler.Processing || r.x.Kind == osscheduler.HealthResearch || r.x.Kind == osscheduler.ContinuedProcessing
	if !p.handleResolves(p.storedHandle()) {
		msg := "resolveBackgroundEntrypoint failed: the callback handle is missing or does not resolve"
		if bgKind {
			p.finishRun(r, osscheduler.Success, msg+"; the operation still completes: setTaskCompleted(success: !cancelled)")
		} else {
			p.finishRun(r, osscheduler.Failure, msg+": .failed")
		}
		return
	}
	unique := ""
	if r.x.Kind != osscheduler.OneOff && r.x.Kind != osscheduler.Fetch {
		unique = name
	}
	p.iosStatus(name, unique, unique == "" && r.x.Kind == osscheduler.OneOff, "started", periodic, "", 0)
	if r.debug {
		p.debugNotify05(r, "🛠 Started: "+name)
	}
	r.hUnique, r.bgKind = unique, bgKind
	r.finish = finishIOSHeadless
	p.deliver(r, name, r.input, "headless")
}

// iosFinishHeadless maps the reply: true → newData (completed), false →
// failed (retrying), error → failed (failed). Processing-type tasks ignore it:
// the operation completes with success = !cancelled.
func (p *Plugin) iosFinishHeadless(r *run, ok bool, err error) {
	name, unique, periodic, bgKind := r.name, r.hUnique, r.periodic, r.bgKind
	res := dartResult(ok, err)
	status := byResult(res, "completed", "retrying", "failed", "")
	msg := ""
	if err != nil && p.eng.Tracing() { // only the debug handler shows it
		msg = errMessage(err)
	}
	var took time.Duration
	if p.eng.Tracing() { // only the debug output, which is traced, shows it
		took = p.eng.Now().Sub(r.started)
	}
	p.iosStatus(name, unique, unique == "" && r.x.Kind == osscheduler.OneOff, status, periodic, msg, took)
	if r.debug && p.eng.Tracing() {
		p.debugNotify05(r, fmt.Sprintf("%s %s (%ds)", map[bool]string{true: "✅", false: "🔥"}[res == osscheduler.Success], name, int64(took.Seconds())))
	}
	if bgKind {
		p.finishRun(r, osscheduler.Success, "the dispatcher answered; processing tasks ignore the answer: setTaskCompleted(success: true)", p.resultFields(ok, err)...)
		return
	}
	why := byResult(res,
		"the dispatcher answered true: .newData, setTaskCompleted(success: true)",
		"the dispatcher answered false: .failed, setTaskCompleted(success: false); iOS never retries",
		"the dispatcher answered with an error: .failed",
		"the dispatcher answered ")
	p.finishRun(r, res, why, p.resultFields(ok, err)...)
}

// iosFinishMainEngine is completeOneOffTaskOnMainEngine: any bool counts as
// completed, an error as failed.
func (p *Plugin) iosFinishMainEngine(r *run, ok bool, err error) {
	status, msg := "completed", ""
	if err != nil {
		status, msg = "failed", errMessage(err)
	}
	p.iosStatus(r.task, "", true, status, false, msg, p.eng.Now().Sub(r.started))
	p.finishRun(r, dartResult(ok, err), "the dispatcher answered on the main engine; endBackgroundTask", p.resultFields(ok, err)...)
}

func (p *Plugin) iosStopped(r *run, reason osscheduler.StopReason) {
	var why string
	switch r.x.Kind {
	case osscheduler.Periodic:
		why = "BGAppRefreshTask expired: the expiration handler only logs"
	case osscheduler.Processing, osscheduler.HealthResearch, osscheduler.ContinuedProcessing:
		why = "expiration handler cancelled the operation: setTaskCompleted(success: false)"
	case osscheduler.OneOff:
		why = "the background task expired or the process ended: the in-process work is gone"
	default:
		why = "the OS ended the run"
	}
	p.emit(event.TaskStopped, r.subject(), why, sim.String("os_reason", string(reason)), sim.Bool("delivered", r.delivered))
}

// inProcessTimer is DispatchQueue.asyncAfter in the app process: the timer
// lives in the process, so it is lost with it, and it cannot fire while iOS
// keeps the app suspended; a deadline that passed during suspension fires
// when the app resumes (opened by the user or launched in the background).
func (p *Plugin) inProcessTimer(d time.Duration, subject string, fn func()) {
	p.eng.After(d, sim.PhasePlugin, "plugin.oneoff-delay", sim.HandlerFunc(func(*sim.Engine) {
		if p.dev.StateView().App == device.ProcessSuspended {
			p.emit(event.OneoffDeferred, subject, "the delay elapsed while the app was suspended: DispatchQueue timers do not fire in a suspended process; it fires when the app resumes")
			p.frozen = append(p.frozen, fn)
			return
		}
		fn()
	}))
}

// resumed runs the in-process timers that came due while the app was
// suspended, in the order they came due.
func (p *Plugin) resumed() {
	due := p.frozen
	p.frozen = nil
	for _, fn := range due {
		fn()
	}
}
