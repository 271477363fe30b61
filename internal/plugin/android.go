package plugin

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/sim"
)

// Android API levels the plugin branches on (Build.VERSION_CODES).
const (
	apiM                = 23 // requiresDeviceIdle is set only from M (WorkManagerUtils.kt toAndroidConstraints)
	apiN                = 24 // content-URI triggers (isContentUriTriggerSupported)
	apiR                = 30 // TEMPORARILY_UNMETERED, else UNMETERED (toAndroidNetworkType)
	apiS                = 31 // WorkManager reports the real stop reason (BackgroundWorker.workerStopReason)
	apiUpsideDownCake   = 34 // FGS type checked (ForegroundServiceUtils.kt createForegroundInfo)
	minPeriodicInterval = 15 * time.Minute
	minFlex             = 5 * time.Minute
	// 0.5.1 Extractor.kt: TaskType.minimumBackOffDelay = OneTimeWorkRequest /
	// PeriodicWorkRequest.MIN_BACKOFF_MILLIS.
	minBackoff05 = 10 * time.Second
	// 0.5.1 Extractor.kt defaultPeriodicRefreshFrequencyInSeconds =
	// MIN_PERIODIC_INTERVAL_MILLIS / 1000; 0.10 workmanager_android.dart: 900.
	defaultFrequency = 900 * time.Second
)

// androidRequest is a built WorkRequest together with what the Kotlin
// builder saw and the model's request type cannot hold.
type androidRequest struct {
	Req             android.WorkRequest
	ContentTriggers []ContentURITrigger // with the descendant flag
	BackoffSet      bool                // setBackoffCriteria was called
	DataBytes       int                 // Data.toByteArray size
}

func (p *Plugin) api() int {
	if p.cfg.Android.API == 0 {
		return 34
	}
	return p.cfg.Android.API
}

// androidRegisterOneOff is WorkmanagerPlugin.registerOneOffTask →
// WorkManagerWrapper.enqueueOneOffTask (0.10) or RegisterTaskHandler (0.5).
func (p *Plugin) androidRegisterOneOff(unique, task string, in map[string]any, o OneOffOptions) error {
	if err := p.androidHandleCheck(callRegisterOneOff, unique); err != nil {
		return err
	}
	var (
		r      androidRequest
		policy android.ExistingWorkPolicy
		err    error
	)
	if p.caps.AndroidExtractor {
		r, policy, err = p.buildOneOff05(unique, task, in, o)
	} else {
		if o.Expedited && p.caps.ExpeditedFlag && p.cfg.StripShortServicePermission {
			msg := "workmanager_android: expedited work (setExpedited) requires the 'android.permission.FOREGROUND_SERVICE_SHORT_SERVICE' permission " +
				"in the merged manifest, but it is missing. FOREGROUND_SERVICE_SHORT_SERVICE is declared by the plugin by default; " +
				"keep it if you use expedited work (see the workmanager_android README, issue #725)."
			return p.reject(callRegisterOneOff, unique, CodeIllegalState, msg, true, kotlinError("IllegalStateException", msg))
		}
		r, policy, err = p.buildOneOff(unique, task, in, o)
	}
	if err != nil {
		return p.rejectBuild(callRegisterOneOff, unique, err)
	}
	if _, err := p.wm.EnqueueUniqueWork(unique, policy, r.Req); err != nil {
		if be := builderError(err); be != nil {
			return p.rejectBuild(callRegisterOneOff, unique, be)
		}
		// WorkManager enqueues asynchronously; the plugin never looks at the
		// Operation, so Dart sees success.
		return p.reject(callRegisterOneOff, unique, osCode(err), err.Error(), false, nil)
	}
	p.accepted(callRegisterOneOff, unique, "enqueueUniqueWork("+policyName(policy)+")",
		sim.String("task", task), sim.String("policy", policyName(policy)), sim.Dur("initial_delay", r.Req.InitialDelay),
		sim.Bool("expedited", r.Req.Expedited), sim.Int("data_bytes", int64(r.DataBytes)))
	p.debugStatus(task, unique, "scheduled", "", 0)
	return nil
}

// androidRegisterPeriodic is registerPeriodicTask → enqueuePeriodicTask.
func (p *Plugin) androidRegisterPeriodic(unique, task string, in map[string]any, o PeriodicOptions) error {
	if err := p.androidHandleCheck(callRegisterPeriodic, unique); err != nil {
		return err
	}
	var (
		r      androidRequest
		policy android.ExistingPeriodicWorkPolicy
		err    error
	)
	if p.caps.AndroidExtractor {
		r, policy, err = p.buildPeriodic05(unique, task, in, o)
	} else {
		r, policy, err = p.buildPeriodic(unique, task, in, o)
	}
	if err != nil {
		return p.rejectBuild(callRegisterPeriodic, unique, err)
	}
	if r.Req.Interval < minPeriodicInterval {
		p.emit(event.Warning, unique, fmt.Sprintf("frequency %s is below WorkManager's minimum: it will be clamped to 15m silently (#204)", r.Req.Interval))
	}
	if r.Req.Flex != 0 && r.Req.Flex < minFlex {
		p.emit(event.Warning, unique, fmt.Sprintf("flexInterval %s is below WorkManager's minimum: it will be clamped to 5m", r.Req.Flex))
	}
	if _, err := p.wm.EnqueueUniquePeriodicWork(unique, policy, r.Req); err != nil {
		if be := builderError(err); be != nil {
			return p.rejectBuild(callRegisterPeriodic, unique, be)
		}
		return p.reject(callRegisterPeriodic, unique, osCode(err), err.Error(), false, nil)
	}
	p.accepted(callRegisterPeriodic, unique, "enqueueUniquePeriodicWork("+periodicPolicyName(policy)+")",
		sim.String("task", task), sim.String("policy", periodicPolicyName(policy)), sim.Dur("interval", r.Req.Interval),
		sim.Dur("flex", r.Req.Flex), sim.Dur("initial_delay", r.Req.InitialDelay), sim.Int("data_bytes", int64(r.DataBytes)))
	p.debugStatus(task, unique, "scheduled", "", 0)
	return nil
}

// buildError is a Kotlin exception thrown while building a request.
type buildError struct {
	class, msg, code string
}

func (e *buildError) Error() string { return e.msg }

// rejectBuild returns a Kotlin exception thrown while building the request
// as Dart sees it. On the Pigeon wire (0.9+) registerOneOffTask /
// registerPeriodicTask catch it (WorkmanagerPlugin.kt `catch (e: Exception) {
// callback(Result.failure(e)) }`) and wrapError replies [simpleName,
// toString(), details]; on the MethodChannel (≤0.8) it escapes onMethodCall
// and Flutter's MethodChannel.IncomingMethodCallHandler replies the error
// envelope ("error", e.message, stack trace).
func (p *Plugin) rejectBuild(call, unique string, err error) error {
	be := err.(*buildError)
	if be.class == "error" || p.caps.Wire == WireMethodChannel {
		return p.reject(call, unique, be.code, be.msg, true, &PlatformError{Code: "error", Message: be.msg})
	}
	return p.reject(call, unique, be.code, be.msg, true, kotlinError(be.class, be.msg))
}

// builderError recognises the OS model's request-validation errors: they are
// WorkRequest.Builder's require(...) checks (androidx WorkRequest.kt build():
// "Expedited jobs only support network and storage constraints", "Expedited
// jobs cannot be delayed"; OneTimeWorkRequest/PeriodicWorkRequest
// buildInternal: "Cannot set backoff criteria on an idle mode job",
// "PeriodicWorkRequests cannot be expedited"), which throw
// IllegalArgumentException synchronously inside the plugin's call, before
// anything is enqueued.
func builderError(err error) *buildError {
	if e, ok := err.(*osscheduler.Error); ok && e.Code == CodeInvalidArgument {
		return &buildError{class: "IllegalArgumentException", msg: e.Message, code: CodeInvalidArgument}
	}
	return nil
}

func osCode(err error) string {
	if e, ok := err.(*osscheduler.Error); ok {
		return e.Code
	}
	return CodeUnavailable
}

// androidHandleCheck: registration fails only while the stored handle is -1
// (WorkmanagerPlugin.kt currentDispatcherHandle, loaded from SharedPreferences
// when the plugin attaches; 0.5.1 SharedPreferenceHelper.hasCallbackHandle).
func (p *Plugin) androidHandleCheck(call, unique string) error {
	if p.storedHandle() != noHandle {
		return nil
	}
	if p.caps.Wire == WireMethodChannel {
		return p.reject(call, unique, CodeNotInitialized, msgInitRequiredWithExample, true,
			&PlatformError{Code: "1", Message: msgInitRequiredWithExample})
	}
	return p.reject(call, unique, CodeNotInitialized, msgInitRequired, true, kotlinError("Exception", msgInitRequired))
}

// buildOneOff is createOneOffWorkRequest (WorkManagerUtils.kt, 0.10).
func (p *Plugin) buildOneOff(unique, task string, in map[string]any, o OneOffOptions) (androidRequest, android.ExistingWorkPolicy, error) {
	var r androidRequest
	o.ForegroundServiceConfig = p.dropParam(unique, p.caps.FGSParam, o.ForegroundServiceConfig, "foregroundServiceConfig")
	o.Constraints = p.dropContentURIs(unique, o.Constraints)
	if !p.caps.ExpeditedParam && o.Expedited {
		p.warnMissing(unique, "expedited")
		o.Expedited = false
	}
	data, err := p.buildTaskInputData(task, in, o.ForegroundServiceConfig, unique)
	if err != nil {
		return r, 0, err
	}
	r.DataBytes = data.size
	r.Req = android.WorkRequest{TaskName: task, Input: data.values, Tags: []string{backgroundWorkerT}}
	if o.InitialDelay != nil {
		r.Req.InitialDelay = seconds(*o.InitialDelay)
	}
	if o.Constraints != nil {
		r.Req.Constraints, r.ContentTriggers = p.toAndroidConstraints(o.Constraints)
	}
	p.applyBackoff(&r, o.BackoffPolicy, o.BackoffPolicyDelay)
	if o.Tag != nil {
		r.Req.Tags = append(r.Req.Tags, *o.Tag)
	}
	switch {
	case p.caps.ExpeditedFlag && o.Expedited:
		// android 0.10.2 WorkManagerUtils.kt: if (request.expedited == true)
		// setExpedited(outOfQuotaPolicy ?: RUN_AS_NON_EXPEDITED_WORK_REQUEST).
		r.Req.Expedited = true
		r.Req.OutOfQuota = android.RunAsNonExpedited
		if o.OutOfQuotaPolicy != nil && *o.OutOfQuotaPolicy == DropWorkRequest {
			r.Req.OutOfQuota = android.DropWorkRequest
		}
	case !p.caps.ExpeditedFlag && o.OutOfQuotaPolicy != nil:
		// android 0.9.0 … 0.10.1 WorkManagerUtils.kt:
		// request.outOfQuotaPolicy?.toAndroidOutOfQuotaPolicy()?.let(::setExpedited).
		r.Req.Expedited = true
		r.Req.OutOfQuota = android.RunAsNonExpedited
		if *o.OutOfQuotaPolicy == DropWorkRequest {
			r.Req.OutOfQuota = android.DropWorkRequest
		}
	}
	policy := android.Keep // defaultOneOffExistingWorkPolicy
	if o.ExistingWorkPolicy != nil {
		policy = oneOffPolicy(*o.ExistingWorkPolicy)
	}
	return r, policy, nil
}

// oneOffPolicy is toAndroidWorkPolicy (0.10): append and update both map to
// APPEND_OR_REPLACE.
func oneOffPolicy(p ExistingWorkPolicy) android.ExistingWorkPolicy {
	switch p {
	case ExistingKeep:
		return android.Keep
	case ExistingReplace:
		return android.Replace
	default: // ExistingAppend, ExistingUpdate
		return android.AppendOrReplace
	}
}

// buildPeriodic is createPeriodicWorkRequest (0.10).
func (p *Plugin) buildPeriodic(unique, task string, in map[string]any, o PeriodicOptions) (androidRequest, android.ExistingPeriodicWorkPolicy, error) {
	var r androidRequest
	o.ForegroundServiceConfig = p.dropParam(unique, p.caps.FGSParam, o.ForegroundServiceConfig, "foregroundServiceConfig")
	o.Constraints = p.dropContentURIs(unique, o.Constraints)
	data, err := p.buildTaskInputData(task, in, o.ForegroundServiceConfig, unique)
	if err != nil {
		return r, 0, err
	}
	r.DataBytes = data.size
	r.Req = android.WorkRequest{TaskName: task, Periodic: true, Input: data.values, Tags: []string{backgroundWorkerT}}
	r.Req.Interval = defaultFrequency
	if o.Frequency != nil {
		r.Req.Interval = seconds(*o.Frequency)
	}
	r.Req.Flex = p.periodicFlex(o.FlexInterval)
	if o.InitialDelay != nil {
		r.Req.InitialDelay = seconds(*o.InitialDelay)
	}
	if o.Constraints != nil {
		r.Req.Constraints, r.ContentTriggers = p.toAndroidConstraints(o.Constraints)
	}
	p.applyBackoff(&r, o.BackoffPolicy, o.BackoffPolicyDelay)
	if o.Tag != nil {
		r.Req.Tags = append(r.Req.Tags, *o.Tag)
	}
	policy := android.PeriodicKeep // defaultPeriodExistingWorkPolicy before #628
	if p.caps.DefaultPeriodicUpdate {
		policy = android.PeriodicUpdate
	}
	if o.ExistingWorkPolicy != nil {
		switch *o.ExistingWorkPolicy {
		case PeriodicKeep:
			policy = android.PeriodicKeep
		case PeriodicReplace:
			policy = android.PeriodicReplace
		default:
			policy = android.PeriodicUpdate
		}
	}
	return r, policy, nil
}

// applyBackoff: Dart sends BackoffPolicyConfig only when both the policy and
// the delay are given (workmanager_android.dart), in whole milliseconds;
// otherwise WorkManager's default (EXPONENTIAL, 30 s) applies.
func (p *Plugin) applyBackoff(r *androidRequest, pol *BackoffPolicy, delay *time.Duration) {
	if pol == nil || delay == nil {
		return
	}
	r.BackoffSet = true
	r.Req.BackoffSet = true
	r.Req.BackoffPolicy = android.BackoffExponential
	if *pol == BackoffLinear {
		r.Req.BackoffPolicy = android.BackoffLinear
	}
	r.Req.BackoffDelay = millis(*delay)
}

// toAndroidConstraints sets each non-null field, with the API limits of
// WorkManagerUtils.kt.
func (p *Plugin) toAndroidConstraints(c *Constraints) (android.Constraints, []ContentURITrigger) {
	var out android.Constraints
	var triggers []ContentURITrigger
	if c.NetworkType != nil {
		out.RequiredNetwork = p.toAndroidNetwork(*c.NetworkType)
	}
	if c.RequiresBatteryNotLow != nil {
		out.RequiresBatteryNotLow = *c.RequiresBatteryNotLow
	}
	if c.RequiresCharging != nil {
		out.RequiresCharging = *c.RequiresCharging
	}
	if c.RequiresDeviceIdle != nil && p.api() >= apiM {
		out.RequiresDeviceIdle = *c.RequiresDeviceIdle
	}
	if c.RequiresStorageNotLow != nil {
		out.RequiresStorageNotLow = *c.RequiresStorageNotLow
	}
	if p.api() >= apiN {
		for _, t := range c.ContentURITriggers {
			triggers = append(triggers, t)
			out.ContentURITriggers = append(out.ContentURITriggers, android.ContentURITrigger{URI: t.URI, TriggerForDescendants: t.TriggerForDescendants})
		}
	}
	return out, triggers
}

func (p *Plugin) toAndroidNetwork(n NetworkType) android.NetworkType {
	switch n {
	case NetworkConnected:
		return android.NetworkConnected
	case NetworkMetered:
		return android.NetworkMetered
	case NetworkNotRoaming:
		return android.NetworkNotRoaming
	case NetworkUnmetered:
		return android.NetworkUnmetered
	case NetworkTemporarilyUnmetered:
		if p.api() >= apiR {
			return android.NetworkTemporarilyUnmetered
		}
		return android.NetworkUnmetered
	}
	return android.NetworkNotRequired
}

// buildTaskInputData is InputDataUtils.kt buildTaskInputData, after the
// caller's filterNotNullKeys (WorkManagerUtils.kt), which drops null values.
func (p *Plugin) buildTaskInputData(task string, in map[string]any, fgs *ForegroundServiceConfig, unique string) (*androidData, error) {
	d := newAndroidData()
	d.putString(keyDartTask, task)
	d.putString(keyUniqueName, unique)
	if fgs != nil {
		d.putString(keyFGSConfig, encodeFGS(resolveFGS(*fgs)))
	}
	for _, k := range sortedKeys(in) {
		if in[k] == nil {
			continue
		}
		if err := d.putPayload(k, in[k]); err != nil {
			return nil, &buildError{class: "IllegalArgumentException", msg: err.Error(), code: CodeInvalidInputData}
		}
	}
	return d, d.check()
}

// check is Data.Builder.build's toByteArrayInternalV1 size check.
func (d *androidData) check() error {
	if d.utfFail {
		// writeUTF throws UTFDataFormatException, an IOException that
		// toByteArrayInternalV1 catches: it returns an empty array and build()
		// succeeds. The Data object itself still holds the values.
		return nil
	}
	if d.size > maxDataBytes {
		return &buildError{class: "IllegalStateException", msg: msgDataTooLarge + fmt.Sprintf(" (%d bytes)", d.size), code: CodeInvalidInputData}
	}
	return nil
}

// resolveFGS is the Dart resolveForegroundServiceConfig: unset fields take
// the Android defaults (ForegroundServiceUtils.kt DEFAULT_*).
func resolveFGS(c ForegroundServiceConfig) ForegroundServiceConfig {
	if c.NotificationTitle == "" {
		c.NotificationTitle = "Task in progress"
	}
	if c.NotificationText == "" {
		c.NotificationText = "Your task is still running"
	}
	if c.NotificationChannelID == "" {
		c.NotificationChannelID = "workmanager_foreground_tasks"
	}
	if c.NotificationChannelName == "" {
		c.NotificationChannelName = "Long-running tasks"
	}
	return c
}

// fgsTypeName is ForegroundServiceType.name (pigeon enum).
func fgsTypeName(t int) string {
	if t == FGSShortService {
		return "SHORT_SERVICE"
	}
	return "DATA_SYNC"
}

// encodeFGS is encodeForegroundServiceConfig (a JSONObject in insertion order).
func encodeFGS(c ForegroundServiceConfig) string {
	var b strings.Builder
	b.WriteByte('{')
	field := func(k string, v any, first bool) {
		if !first {
			b.WriteByte(',')
		}
		orgQuote(&b, k)
		b.WriteByte(':')
		_ = orgJSON(&b, v)
	}
	field("notificationTitle", c.NotificationTitle, true)
	field("notificationText", c.NotificationText, false)
	field("notificationChannelId", c.NotificationChannelID, false)
	field("notificationChannelName", c.NotificationChannelName, false)
	field("notificationId", int64(c.NotificationID), false)
	field("foregroundServiceType", fgsTypeName(c.ForegroundServiceType), false)
	b.WriteByte('}')
	return b.String()
}

// decodeFGSType reads foregroundServiceType back from the stored JSON; ""
// when absent.
func decodeFGSType(js string) string {
	v, err := decodeJSON(js)
	if err != nil {
		return ""
	}
	m, _ := v.(map[string]any)
	s, _ := m["foregroundServiceType"].(string)
	return s
}

// ---- 0.5 ----

// buildOneOff05 is 0.5.1 WM.enqueueOneOffTask with Extractor.kt's defaults:
// all constraints set explicitly, backoff only when a policy is given (delay
// at least 10 s), any out-of-quota policy → setExpedited, KEEP by default.
func (p *Plugin) buildOneOff05(unique, task string, in map[string]any, o OneOffOptions) (androidRequest, android.ExistingWorkPolicy, error) {
	var r androidRequest
	data, err := p.extractorInputData(task, in, unique)
	if err != nil {
		return r, 0, err
	}
	p.warnNot05(unique, o.ForegroundServiceConfig != nil, "foregroundServiceConfig")
	p.warnNot05(unique, o.Expedited, "expedited")
	if !p.caps.OutOfQuotaParam {
		p.warnNot05(unique, o.OutOfQuotaPolicy != nil, "outOfQuotaPolicy")
		o.OutOfQuotaPolicy = nil
	}
	r.DataBytes = data.size
	r.Req = android.WorkRequest{TaskName: task, Input: data.values, Tags: []string{p.workerTag()}}
	if o.InitialDelay != nil {
		r.Req.InitialDelay = seconds(*o.InitialDelay)
	}
	r.Req.Constraints = p.constraints05(o.Constraints)
	p.applyBackoff05(&r, o.BackoffPolicy, o.BackoffPolicyDelay)
	if o.Tag != nil {
		r.Req.Tags = append(r.Req.Tags, *o.Tag)
	}
	if o.OutOfQuotaPolicy != nil {
		r.Req.Expedited = true
		r.Req.OutOfQuota = android.RunAsNonExpedited
		if *o.OutOfQuotaPolicy == DropWorkRequest {
			r.Req.OutOfQuota = android.DropWorkRequest
		}
	}
	policy := android.Keep
	if o.ExistingWorkPolicy != nil {
		switch *o.ExistingWorkPolicy {
		case ExistingAppend:
			policy = android.Append // 0.5: "APPEND" → ExistingWorkPolicy.APPEND
		case ExistingReplace:
			policy = android.Replace
		default: // keep; "update" was not a 0.5 value: valueOf fails → KEEP
			policy = android.Keep
		}
	}
	return r, policy, nil
}

func (p *Plugin) buildPeriodic05(unique, task string, in map[string]any, o PeriodicOptions) (androidRequest, android.ExistingPeriodicWorkPolicy, error) {
	var r androidRequest
	data, err := p.extractorInputData(task, in, unique)
	if err != nil {
		return r, 0, err
	}
	p.warnNot05(unique, o.ForegroundServiceConfig != nil, "foregroundServiceConfig")
	if !p.caps.FlexParam {
		p.warnNot05(unique, o.FlexInterval != nil, "flexInterval")
		o.FlexInterval = nil
	}
	if !p.caps.OutOfQuotaParam {
		p.warnNot05(unique, o.OutOfQuotaPolicy != nil, "outOfQuotaPolicy")
		o.OutOfQuotaPolicy = nil
	}
	r.DataBytes = data.size
	r.Req = android.WorkRequest{TaskName: task, Periodic: true, Input: data.values, Tags: []string{p.workerTag()}}
	r.Req.Interval = defaultFrequency
	if o.Frequency != nil {
		r.Req.Interval = seconds(*o.Frequency)
	}
	if p.caps.FlexParam {
		r.Req.Flex = p.periodicFlex(o.FlexInterval)
	}
	if o.InitialDelay != nil {
		r.Req.InitialDelay = seconds(*o.InitialDelay)
	}
	r.Req.Constraints = p.constraints05(o.Constraints)
	p.applyBackoff05(&r, o.BackoffPolicy, o.BackoffPolicyDelay)
	if o.Tag != nil {
		r.Req.Tags = append(r.Req.Tags, *o.Tag)
	}
	if o.OutOfQuotaPolicy != nil {
		// WorkRequest.Builder.build(): periodic work cannot be expedited; the
		// exception escapes onMethodCall and MethodChannel replies "error".
		return r, 0, &buildError{class: "error", msg: "PeriodicWorkRequests cannot be expedited", code: CodeInvalidArgument}
	}
	policy := android.PeriodicKeep // 0.5 default KEEP for both kinds
	if o.ExistingWorkPolicy != nil && *o.ExistingWorkPolicy == PeriodicReplace {
		policy = android.PeriodicReplace
	}
	return r, policy, nil
}

func (p *Plugin) warnNot05(unique string, set bool, param string) {
	if set {
		p.warnMissing(unique, param)
	}
}

// warnMissing: the release's Dart API has no such parameter; the call is
// modelled without it.
func (p *Plugin) warnMissing(unique, param string) {
	p.emit(event.Warning, unique, param+" does not exist in workmanager "+p.rel.Version+": ignored")
}

// dropParam returns v, or nil with a warning when the release lacks it.
func (p *Plugin) dropParam(unique string, has bool, v *ForegroundServiceConfig, param string) *ForegroundServiceConfig {
	if has || v == nil {
		return v
	}
	p.warnMissing(unique, param)
	return nil
}

// dropContentURIs removes content-URI triggers a release cannot pass on
// (workmanager_android before 0.10.1 has no addContentUriTrigger).
func (p *Plugin) dropContentURIs(unique string, c *Constraints) *Constraints {
	if c == nil || len(c.ContentURITriggers) == 0 || (p.caps.ContentURITriggers && p.caps.ContentURIParam) {
		return c
	}
	p.warnMissing(unique, "contentUriTriggers")
	cc := *c
	cc.ContentURITriggers = nil
	return &cc
}

// periodicFlex is the flex the release passes to PeriodicWorkRequest.Builder:
// the given one, else DEFAULT_FLEX_INTERVAL_SECONDS (MIN_PERIODIC_FLEX_MILLIS
// / 1000 = 300 s) while the release has the #594 default, else none (flex =
// interval).
func (p *Plugin) periodicFlex(given *time.Duration) time.Duration {
	switch {
	case given != nil:
		return seconds(*given)
	case p.caps.DefaultFlex:
		return minFlex
	}
	return 0
}

// workerTag is the tag WorkManager adds for the BackgroundWorker class.
func (p *Plugin) workerTag() string {
	if p.caps.Namespace == NamespaceTramckrijte {
		return backgroundWorker5
	}
	return backgroundWorkerT
}

// extractorInputData is the Extractor-era Data: JSON text (≤0.7) or, from 0.8,
// native maps under the dev.fluttercommunity keys.
func (p *Plugin) extractorInputData(task string, in map[string]any, unique string) (*androidData, error) {
	if p.caps.LegacyInputData {
		return p.buildTaskInputData05(task, in)
	}
	return p.buildTaskInputData(task, in, nil, unique)
}

// constraints05 is Extractor.extractConstraintConfigFromCall: every field set,
// null → NOT_REQUIRED / false; no API downgrade of temporarily_unmetered.
func (p *Plugin) constraints05(c *Constraints) android.Constraints {
	var out android.Constraints
	if c == nil {
		return out
	}
	if c.NetworkType != nil {
		switch *c.NetworkType {
		case NetworkConnected:
			out.RequiredNetwork = android.NetworkConnected
		case NetworkMetered:
			out.RequiredNetwork = android.NetworkMetered
		case NetworkNotRoaming:
			out.RequiredNetwork = android.NetworkNotRoaming
		case NetworkUnmetered:
			out.RequiredNetwork = android.NetworkUnmetered
		case NetworkTemporarilyUnmetered:
			out.RequiredNetwork = android.NetworkTemporarilyUnmetered
		}
	}
	deref := func(b *bool) bool { return b != nil && *b }
	out.RequiresBatteryNotLow = deref(c.RequiresBatteryNotLow)
	out.RequiresCharging = deref(c.RequiresCharging)
	out.RequiresStorageNotLow = deref(c.RequiresStorageNotLow)
	if p.api() >= apiM {
		out.RequiresDeviceIdle = deref(c.RequiresDeviceIdle)
	}
	return out
}

// applyBackoff05: a backoff only when a type is given; the delay is
// max(MIN_BACKOFF_MILLIS, requested), requested defaulting to 0.
func (p *Plugin) applyBackoff05(r *androidRequest, pol *BackoffPolicy, delay *time.Duration) {
	if pol == nil {
		return
	}
	r.BackoffSet = true
	r.Req.BackoffSet = true
	r.Req.BackoffPolicy = android.BackoffExponential
	if *pol == BackoffLinear {
		r.Req.BackoffPolicy = android.BackoffLinear
	}
	d := time.Duration(0)
	if delay != nil {
		d = millis(*delay)
	}
	r.Req.BackoffDelay = max(minBackoff05, d)
}

// buildTaskInputData05: DART_TASK, IS_IN_DEBUG_MODE and the inputData as the
// JSON string Dart's jsonEncode produced.
func (p *Plugin) buildTaskInputData05(task string, in map[string]any) (*androidData, error) {
	d := newAndroidData()
	d.putString(keyDartTask05, task)
	d.put(keyIsInDebugMode05, p.debug05, 1)
	if in != nil {
		var b strings.Builder
		if err := dartJSON(&b, in); err != nil {
			return nil, &buildError{class: "error", msg: err.Error(), code: CodeInvalidInputData}
		}
		d.putString(keyPayload05, b.String())
	}
	return d, d.check()
}

// ---- queries ----

// androidIsScheduled: true if the work list is non-empty and every entry is
// ENQUEUED or RUNNING (WorkmanagerPlugin.kt isScheduledByUniqueName).
func (p *Plugin) androidIsScheduled(unique string) bool {
	infos := p.wm.WorkInfosForUniqueWork(unique)
	if len(infos) == 0 {
		return false
	}
	for _, wi := range infos {
		if wi.State != osscheduler.StateEnqueued && wi.State != osscheduler.StateRunning {
			return false
		}
	}
	return true
}

// androidWorkInfo maps the first entry (WorkManagerUtils.kt toWorkInfoData):
// taskName comes from outputData, which the worker never sets, so it is
// empty; lastFinishedAt is always null; tags are sorted.
func (p *Plugin) androidWorkInfo(unique string) *WorkInfo {
	infos := p.wm.WorkInfosForUniqueWork(unique)
	if len(infos) == 0 {
		return nil
	}
	wi := infos[0]
	out := &WorkInfo{UniqueName: unique, IsPeriodic: wi.Periodic, Tags: slices.Sorted(slices.Values(wi.Tags))}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	switch wi.State {
	case osscheduler.StateRunning:
		out.State = WorkRunning
	case osscheduler.StateSucceeded:
		out.State = WorkSucceeded
	case osscheduler.StateFailed:
		out.State = WorkFailed
	case osscheduler.StateCancelled:
		out.State = WorkCancelled
	default: // ENQUEUED, BLOCKED
		out.State = WorkScheduled
	}
	return out
}

func policyName(p android.ExistingWorkPolicy) string {
	switch p {
	case android.Replace:
		return "REPLACE"
	case android.Keep:
		return "KEEP"
	case android.Append:
		return "APPEND"
	default:
		return "APPEND_OR_REPLACE"
	}
}

func periodicPolicyName(p android.ExistingPeriodicWorkPolicy) string {
	switch p {
	case android.PeriodicReplace:
		return "REPLACE"
	case android.PeriodicKeep:
		return "KEEP"
	case android.PeriodicUpdate:
		return "UPDATE"
	default:
		return "CANCEL_AND_REENQUEUE"
	}
}
