package runner

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/wire"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

// Sources of a Dart call in the result's calls (format v1.1).
const (
	SourceTimeline = "timeline"
	SourceOnLaunch = "on_launch"
	SourceTask     = "task"
)

// DefaultScreenTimeout is device.screen_timeout when a scenario gives none:
// 30 seconds, Android's default screen-off timeout (AOSP
// packages/SettingsProvider/res/values/defaults.xml def_screen_off_timeout
// = 60000 on AOSP builds, 30000 on most shipping phones; iOS Settings →
// Display & Brightness → Auto-Lock offers 30 seconds as its shortest and
// the format fixes 30s as the default).
const DefaultScreenTimeout = 30 * time.Second

// LongForeground is how long the app may stay in the foreground after a
// launch step before the run warns (app_foreground_long): a real user does
// not keep one app on screen for half a day, and the screen drains the
// battery meanwhile.
const LongForeground = 12 * time.Hour

// ErrPhoneOff is returned by World.Call when the phone is off (battery
// empty, or rebooting): the call did not happen.
var ErrPhoneOff = errors.New("the phone is off: the call did not happen")

// Warning codes of format v1.1 (docs/errors.md).
const (
	WarnStepSkipped        = "step_skipped_phone_off"
	WarnForegroundLong     = "app_foreground_long"
	WarnModeNotModelled    = "background_mode_not_modelled"
	WarnIOSNeverOpened     = "ios_app_never_opened"
	WarnConstraintNeverMet = "constraint_never_met"
	WarnPhoneDead          = "phone_dead"
)

// process is the runner's view of the app process (format v1.1): whether
// main() ran in the current process, the process-lifetime and
// screen-timeout timers.
type process struct {
	mainRan       bool
	coldPending   bool
	lifetime      time.Duration // 0: never reclaimed
	lifeTimer     sim.Timer
	lifeArmed     bool
	screenTimeout time.Duration
	screenTimer   sim.Timer
	screenArmed   bool
	launchGen     int // counts launch steps, for the long-foreground warning
	diedAt        time.Duration
	died          bool // the battery ran out at some point
	deadAtEnd     bool
	skipped       int
}

// initProcess sets up the process model and subscribes to the device.
func (w *World) initProcess() {
	sc := w.Scenario
	w.proc.screenTimeout = DefaultScreenTimeout
	if sc.Device.ScreenTimeout != nil {
		w.proc.screenTimeout = *sc.Device.ScreenTimeout
	}
	switch {
	case sc.App.ProcessLifetime != nil:
		w.proc.lifetime = *sc.App.ProcessLifetime
	case len(sc.App.OnLaunch) > 0:
		w.proc.lifetime = scenarios.DefaultProcessLifetime
	}
	w.Device.Subscribe((*worldListener)(w))
	if w.Platform == scenarios.PlatformIOS {
		for _, m := range sc.IOS.BackgroundModes {
			if !m.Modelled() {
				w.warn(WarnModeNotModelled, string(m)+": accepted, not modelled")
			}
		}
	}
}

// worldListener is the World as the device's listener: the device calls a
// Listener's DeviceChanged through its interface, where a ListenerFunc of
// the method value w.deviceChanged went through the method value's wrapper
// first, one call more at every device change.
type worldListener World

// DeviceChanged follows the app process: cold launches, deaths, the
// process lifetime in the background.
func (l *worldListener) DeviceChanged(c *device.Change) {
	w := (*World)(l)
	p := &w.proc
	switch c.Kind {
	case device.ChangeAppLaunched:
		w.cancelLifetime()
		w.mainRuns()
	case device.ChangeProcessStarted:
		// iOS launches the whole app into the background (a BGTask, a
		// background fetch): UIKit loads the main storyboard at every launch,
		// foreground or background ("About the app launch sequence",
		// developer.apple.com), so the FlutterViewController's engine runs
		// main() (flutter/flutter#82535, #96426). Android starts only the
		// plugin's own FlutterEngine for callbackDispatcher: main() waits for
		// the user.
		if w.Platform == scenarios.PlatformIOS {
			w.mainRuns()
		}
		w.armLifetime()
	case device.ChangePowerOff:
		p.mainRan = false
		w.cancelLifetime()
		if c.State.Battery.ChargeUAh == 0 {
			p.died, p.diedAt, p.deadAtEnd = true, w.Engine.Elapsed(), true
		}
	case device.ChangeBootCompleted:
		p.deadAtEnd = false
	case device.ChangeProcessDied, device.ChangeAppForceStop, device.ChangeAppUpdated, device.ChangeAppSwipedAway:
		// Swiping an app away from recents ends its process on both
		// platforms: iOS force-quits it, and AOSP removes the task with
		// killProcess (services/core/java/com/android/server/wm/
		// ActivityTaskSupervisor.java removeTask → cleanUpRemovedTask),
		// which is not a force-stop: its work stays scheduled.
		p.mainRan = false
		w.cancelLifetime()
	case device.ChangeAppBackground:
		w.armLifetime()
	}
}

// mainRuns notes that main() runs in this process, and schedules
// app.on_launch if it had not run yet: a cold start. A launch by the usage
// profile or by the OS runs it once the launch is done; a launch step runs
// it at once instead.
func (w *World) mainRuns() {
	p := &w.proc
	if p.mainRan {
		return
	}
	p.mainRan = true
	if (len(w.Scenario.App.OnLaunch) > 0 || w.OnLaunch != nil) && !p.coldPending {
		p.coldPending = true
		w.Engine.After(0, sim.PhaseApp, "app main()", sim.HandlerFunc(func(*sim.Engine) { w.runOnLaunch() }))
	}
}

func (w *World) armLifetime() {
	p := &w.proc
	if p.lifetime <= 0 || p.lifeArmed {
		return
	}
	p.lifeArmed = true
	p.lifeTimer = w.Engine.After(p.lifetime, sim.PhaseDevice, "app process lifetime", sim.HandlerFunc(func(*sim.Engine) { w.lifetimeEnded() }))
}

func (w *World) cancelLifetime() {
	if w.proc.lifeArmed {
		w.Engine.Cancel(w.proc.lifeTimer)
		w.proc.lifeArmed = false
	}
}

// lifetimeEnded reclaims a background process whose lifetime passed; one
// running work is kept alive until it is done.
func (w *World) lifetimeEnded() {
	w.proc.lifeArmed = false
	switch w.Device.State().App {
	case device.ProcessBackground, device.ProcessSuspended:
	default:
		return
	}
	if w.Device.Busy() > 0 {
		w.armLifetime()
		return
	}
	if w.Engine.Tracing() {
		w.Engine.Emit(event.SourceRunner, event.Process, "app", fmt.Sprintf("the app spent process_lifetime (%s) in the background: the OS reclaimed its process", scenarios.FormatDuration(w.proc.lifetime)))
	}
	w.Device.KillProcess()
}

// runOnLaunch makes app.on_launch's calls if a cold launch is pending.
func (w *World) runOnLaunch() {
	p := &w.proc
	if !p.coldPending {
		return
	}
	p.coldPending = false
	if w.Device.State().Power != device.PowerOn {
		return
	}
	if w.Engine.Tracing() {
		w.Engine.Emit(event.SourceRunner, event.Main, "app", "cold start: main() runs app.on_launch")
	}
	for i := range w.Scenario.App.OnLaunch {
		dc := &w.Scenario.App.OnLaunch[i]
		if !dc.Applies(w.Platform) {
			continue
		}
		w.callStep(dc.Call, dc.Args, SourceOnLaunch)
	}
	if w.OnLaunch != nil {
		w.OnLaunch()
	}
}

// LastReturned is what the last Dart call returned (a query's answer), and
// whether it returned a value: false after a void call or an error.
func (w *World) LastReturned() (any, bool) { return w.lastReturn, w.hasReturn }

// Calls lists the Dart calls made so far, as the result's calls will.
func (w *World) Calls() []report.Call { return append([]report.Call(nil), w.calls...) }

// callStep makes a scenario call (timeline, on_launch or then) with its
// arguments computed at this moment.
func (w *World) callStep(m scenarios.Method, a *scenarios.Args, source string) error {
	c := callFromArgs(m, resolveArgs(a, w.Engine.Now()))
	return w.recordCall(c, string(m), source, wireArgs(c))
}

// recordCall makes one Dart call and lists it in the result's calls, with
// what Dart received; errors it caused are marked with their source.
func (w *World) recordCall(c *wire.Call, name, source string, args map[string]any) error {
	before := len(w.Journal.Errors)
	w.lastReturn, w.hasReturn = nil, false
	err := w.dispatch(c, name)
	rec := report.Call{T: secs(w.Engine.Elapsed()), Call: name, Source: source, Args: args}
	if rec.Args == nil {
		rec.Args = map[string]any{}
	}
	for i := before; i < len(w.Journal.Errors); i++ {
		if w.errSource == nil {
			w.errSource = map[int]string{}
		}
		w.errSource[i] = source
	}
	if err != nil {
		rec.Error = errorCode(err)
		if n := len(w.Journal.Errors); n > before {
			rec.Error = w.Journal.Errors[n-1].Code
		}
	} else if w.hasReturn {
		rec.Returned = w.lastReturn
	}
	w.calls = append(w.calls, rec)
	return err
}

// errorCode is the stable code of an error a call returned.
func errorCode(err error) string {
	var oe *osscheduler.Error
	if errors.As(err, &oe) && oe.Code != "" {
		return oe.Code
	}
	return "error"
}

// phoneOff reports (and lists in warnings) a step that cannot take effect
// because the phone is off. The device powers off at 0 % (AOSP
// services/core/java/com/android/server/BatteryService.java
// shutdownIfNoPowerLocked: level 0 and not powered) and boots again, as after
// a reboot, once charged to device.Currents.BootPercent (2 %): AOSP's
// off-mode charger sets no minimum (healthd_config.boot_min_cap = 0), so the
// model takes the first level clear of the 0 % shutdown with a percent of
// margin.
func (w *World) phoneOff(what string) bool {
	st := w.Device.State()
	if st.Power == device.PowerOn {
		return false
	}
	why := "rebooting"
	if st.Battery.ChargeUAh == 0 || w.proc.deadAtEnd {
		why = "its battery is empty; it boots again once charged"
	}
	w.proc.skipped++
	w.warn(WarnStepSkipped, fmt.Sprintf("%s skipped: the phone is off (%s)", what, why))
	return true
}

// stepWhat names a step for a warning.
func stepWhat(s *scenarios.Step) string {
	switch s.Action() {
	case scenarios.ActionCall:
		return "call " + string(s.Call)
	case scenarios.ActionChannel:
		if s.Channel != nil && s.Channel.Method != "" {
			return "channel call " + s.Channel.Method
		}
		return "channel message"
	case scenarios.ActionApp:
		if s.App != nil {
			return "app " + string(s.App.Kind)
		}
	}
	return string(s.Action())
}

// leftForeground starts the screen timeout after a step took the app out of
// the foreground.
func (w *World) leftForeground() {
	st := w.Device.State()
	if !st.ScreenOn || st.App == device.ProcessForeground {
		return
	}
	p := &w.proc
	if p.screenArmed {
		w.Engine.Cancel(p.screenTimer)
	}
	p.screenArmed = true
	p.screenTimer = w.Engine.After(p.screenTimeout, sim.PhaseDevice, "screen timeout", sim.HandlerFunc(func(*sim.Engine) {
		p.screenArmed = false
		if s := w.Device.State(); s.ScreenOn && s.App != device.ProcessForeground {
			if w.Engine.Tracing() {
				w.Engine.Emit(event.SourceRunner, event.Screen, "device", fmt.Sprintf("screen_timeout (%s) passed with the app in the background: the screen went off", scenarios.FormatDuration(p.screenTimeout)))
			}
			w.Device.SetScreen(false)
		}
	}))
}

// screenStep is a device step setting the screen: it overrides the timeout.
func (w *World) screenStep() {
	if w.proc.screenArmed {
		w.Engine.Cancel(w.proc.screenTimer)
		w.proc.screenArmed = false
	}
}

// launched follows a launch step: after For the app goes to the background;
// without For, a warning if it is still in front LongForeground later.
func (w *World) launched(a *scenarios.AppEvent) {
	p := &w.proc
	p.launchGen++
	gen := p.launchGen
	if a.For > 0 {
		w.Engine.After(a.For, sim.PhaseWorld, "app launch ends", sim.HandlerFunc(func(*sim.Engine) {
			if p.launchGen != gen || w.Device.State().App != device.ProcessForeground {
				return
			}
			w.Device.BackgroundApp()
			w.leftForeground()
		}))
		if a.For <= LongForeground {
			return
		}
	}
	w.Engine.After(LongForeground, sim.PhaseCheck, "long foreground", sim.HandlerFunc(func(*sim.Engine) {
		if p.launchGen != gen || w.Device.State().App != device.ProcessForeground {
			return
		}
		w.warn(WarnForegroundLong, fmt.Sprintf("the app has been in the foreground for %s since it was launched at %s: the screen stays on and drains the battery; use app: {launch: {for: 5m}} or an app: background step", scenarios.FormatDuration(LongForeground), scenarios.FormatDuration(w.Engine.Elapsed()-LongForeground)))
	}))
}

// runThen makes a task's then calls at the end of its run, in the background
// isolate. A run the OS stopped (or whose time ran out) makes none: its
// isolate is gone.
func (w *World) runThen(t *scenarios.Task, stopped bool) {
	if len(t.Then) == 0 || stopped {
		return
	}
	for i := range t.Then {
		dc := &t.Then[i]
		if !dc.Applies(w.Platform) {
			continue
		}
		if w.Device.State().Power != device.PowerOn {
			return
		}
		w.callStep(dc.Call, dc.Args, SourceTask)
	}
}

// resolveArgs returns a's values computed at now: { until } durations and
// ${now_ms} in strings. a itself is not changed.
func resolveArgs(a *scenarios.Args, now time.Time) *scenarios.Args {
	if a == nil {
		return nil
	}
	out := *a
	for name, c := range a.Until {
		d := c.Until(now)
		switch name {
		case "frequency":
			out.Frequency = &d
		case "flexInterval":
			out.FlexInterval = &d
		case "initialDelay":
			out.InitialDelay = &d
		case "backoffPolicyDelay":
			out.BackoffPolicyDelay = &d
		}
	}
	ms := strconv.FormatInt(now.UnixMilli(), 10)
	sub := func(p *string) *string {
		if p == nil || !scenarios.HasNowMs(*p) {
			return p
		}
		s := strings.ReplaceAll(*p, scenarios.NowMsPlaceholder, ms)
		return &s
	}
	out.UniqueName, out.TaskName, out.Tag = sub(a.UniqueName), sub(a.TaskName), sub(a.Tag)
	out.Title, out.Subtitle = sub(a.Title), sub(a.Subtitle)
	if a.InputData != nil {
		out.InputData = substMap(a.InputData, ms)
	}
	out.Until = nil
	return &out
}

func substMap(m scenarios.Map, ms string) scenarios.Map {
	out := make(scenarios.Map, len(m))
	for i, f := range m {
		out[i] = scenarios.Field{Key: f.Key, Value: substValue(f.Value, ms)}
	}
	return out
}

func substValue(v any, ms string) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, scenarios.NowMsPlaceholder, ms)
	case scenarios.Map:
		return substMap(x, ms)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = substValue(e, ms)
		}
		return out
	}
	return v
}

// jsonSafe replaces values JSON cannot carry (NaN, ±Inf) by their Dart text.
func jsonSafe(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = jsonSafe(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonSafe(e)
		}
	}
	return v
}

// emptyWarnings explains an empty result (or a task that never ran) when
// the reason is probably not what the user meant: an iOS app never opened,
// a constraint never met, a dead phone.
func (w *World) emptyWarnings(res *report.Result) []report.Warning {
	var out []report.Warning
	end := secs(w.Engine.Elapsed())
	if w.proc.died {
		msg := fmt.Sprintf("the battery ran out at +%s and the phone was off", scenarios.FormatDuration(w.proc.diedAt.Round(time.Second)))
		if w.proc.deadAtEnd {
			msg += " until the end (charge it: device: {charger: ac})"
		} else {
			msg += " until it was charged and booted again"
		}
		if w.proc.skipped > 0 {
			msg += fmt.Sprintf("; %s skipped (listed in warnings)", plural(w.proc.skipped, "step was", "steps were"))
		}
		out = append(out, report.Warning{T: secs(w.proc.diedAt), Code: WarnPhoneDead, Message: msg})
	}
	if len(res.Runs) > 0 {
		return out
	}
	if w.Platform == scenarios.PlatformIOS && len(w.Device.Launches()) == 0 && len(res.Tasks) > 0 {
		out = append(out, report.Warning{T: end, Code: WarnIOSNeverOpened, Message: "no task ran: the user never opened the app, and iOS gives background time by how the app is used (add app: {launch: {for: 5m}} steps or a device.profile)"})
	}
	if len(w.recorder.Records) > 0 {
		ev := &evidence{res: res, trace: w.recorder.Records}
		for _, t := range res.Tasks {
			cls := ev.dominantClass(selector{unique: t.Unique})
			if isConstraintClass(cls) {
				out = append(out, report.Warning{T: end, Code: WarnConstraintNeverMet, Message: fmt.Sprintf("%s never ran: held back by %s the whole run", t.Unique, classWords(cls))})
			}
		}
	}
	return out
}

// dominantClass is the class of the longest hold of sel's work in the trace:
// the record's blocked_by or gate field, or "constraint" for a reason that
// starts with it.
func (ev *evidence) dominantClass(sel selector) string {
	subs := ev.subjects(sel)
	var best, curCls string
	var bestLen, curFrom time.Duration
	open := false
	closeAt := func(t time.Duration) {
		if open && t-curFrom >= bestLen {
			best, bestLen = curCls, t-curFrom
		}
		open = false
	}
	var last time.Duration
	for i := range ev.trace {
		r := &ev.trace[i]
		last = r.At
		if !containsStr(subs, r.Subject) {
			continue
		}
		switch r.Kind {
		case event.Deferred:
			cls := recordClass(r)
			if open && cls == curCls {
				continue
			}
			closeAt(r.At)
			open, curCls, curFrom = true, cls, r.At
		case event.Started, event.Cancelled, event.Finished:
			closeAt(r.At)
		}
	}
	closeAt(last)
	return best
}

func recordClass(r *sim.Record) string {
	for _, k := range []string{"blocked_by", "gate"} {
		if f, ok := r.Field(k); ok && f.Str != "" {
			return f.Str
		}
	}
	if strings.HasPrefix(strings.ToLower(r.Reason), "constraint") {
		return "constraint"
	}
	return "other"
}

// constraintClasses are the hold classes that mean a declared constraint
// was unmet (osscheduler/android blocked_by, osscheduler/ios gate keys).
var constraintClasses = map[string]string{
	"constraint": "an unmet constraint", "network": "the network constraint", "charging": "the charging constraint",
	"battery_not_low": "the battery-not-low constraint", "storage_not_low": "the storage-not-low constraint",
	"device_idle": "the device-idle constraint", "idle": "waiting for an idle device", "power": "waiting for external power",
}

func isConstraintClass(c string) bool { _, ok := constraintClasses[c]; return ok }

func classWords(c string) string { return constraintClasses[c] }

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// wireArgs lists a call's arguments as the result shows them: Dart names
// and enum names, durations in the scenario syntax. Calls from files and
// from Go (wmsimtest) go through it alike.
func wireArgs(c *wire.Call) map[string]any {
	out := map[string]any{}
	put := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	dur := func(k string, p *time.Duration) {
		if p != nil {
			out[k] = scenarios.FormatDuration(*p)
		}
	}
	data := func(d osscheduler.Data) {
		if d != nil {
			out["inputData"] = jsonSafe(deepCopy(map[string]any(d)))
		}
	}
	if c.IsInDebugMode {
		out["isInDebugMode"] = true
	}
	put("uniqueName", c.UniqueName)
	put("taskName", c.TaskName)
	put("tag", c.Tag)
	switch {
	case c.OneOff != nil:
		o := c.OneOff
		data(o.InputData)
		dur("initialDelay", o.InitialDelay)
		constraintsJSON(out, o.Constraints)
		if o.ExistingWorkPolicy != nil {
			out["existingWorkPolicy"] = enumName(oneOffPolicyNames, *o.ExistingWorkPolicy)
		}
		backoffJSON(out, o.BackoffPolicy, o.BackoffPolicyDelay)
		if o.Tag != nil {
			out["tag"] = *o.Tag
		}
		if o.OutOfQuotaPolicy != nil {
			out["outOfQuotaPolicy"] = enumName(quotaNames, *o.OutOfQuotaPolicy)
		}
		if o.Expedited {
			out["expedited"] = true
		}
	case c.Periodic != nil:
		o := c.Periodic
		dur("frequency", o.Frequency)
		dur("flexInterval", o.FlexInterval)
		data(o.InputData)
		dur("initialDelay", o.InitialDelay)
		constraintsJSON(out, o.Constraints)
		if o.ExistingWorkPolicy != nil {
			out["existingWorkPolicy"] = enumName(periodicPolicyNames, *o.ExistingWorkPolicy)
		}
		backoffJSON(out, o.BackoffPolicy, o.BackoffPolicyDelay)
		if o.Tag != nil {
			out["tag"] = *o.Tag
		}
	case c.Processing != nil:
		dur("initialDelay", c.Processing.InitialDelay)
		data(c.Processing.InputData)
		constraintsJSON(out, c.Processing.Constraints)
	case c.ContinuedProcessing != nil:
		put("title", c.ContinuedProcessing.Title)
		put("subtitle", c.ContinuedProcessing.Subtitle)
		data(c.ContinuedProcessing.InputData)
	}
	return out
}

func constraintsJSON(out map[string]any, c *plugin.Constraints) {
	if c == nil {
		return
	}
	m := map[string]any{}
	if c.NetworkType != nil {
		m["networkType"] = enumName(networkTypeNames, *c.NetworkType)
	}
	for k, p := range map[string]*bool{"requiresBatteryNotLow": c.RequiresBatteryNotLow, "requiresCharging": c.RequiresCharging,
		"requiresDeviceIdle": c.RequiresDeviceIdle, "requiresStorageNotLow": c.RequiresStorageNotLow} {
		if p != nil {
			m[k] = *p
		}
	}
	if len(c.ContentURITriggers) > 0 {
		var ts []any
		for _, t := range c.ContentURITriggers {
			ts = append(ts, map[string]any{"uri": t.URI, "triggerForDescendants": t.TriggerForDescendants})
		}
		m["contentUriTriggers"] = ts
	}
	out["constraints"] = m
}

func backoffJSON(out map[string]any, p *plugin.BackoffPolicy, d *time.Duration) {
	if p != nil {
		out["backoffPolicy"] = enumName(backoffNames, *p)
	}
	if d != nil {
		out["backoffPolicyDelay"] = scenarios.FormatDuration(*d)
	}
}

// enumName is the Dart name of a plugin enum value.
func enumName[T comparable](names map[T]string, v T) string {
	if n, ok := names[v]; ok {
		return n
	}
	return fmt.Sprint(v)
}

var (
	networkTypeNames = func() map[plugin.NetworkType]string {
		m := map[plugin.NetworkType]string{}
		for k, v := range networkTypes {
			m[v] = string(k)
		}
		return m
	}()
	oneOffPolicyNames = map[plugin.ExistingWorkPolicy]string{plugin.ExistingAppend: "append", plugin.ExistingKeep: "keep",
		plugin.ExistingReplace: "replace", plugin.ExistingUpdate: "update"}
	periodicPolicyNames = map[plugin.ExistingPeriodicWorkPolicy]string{plugin.PeriodicKeep: "keep",
		plugin.PeriodicReplace: "replace", plugin.PeriodicUpdate: "update"}
	backoffNames = map[plugin.BackoffPolicy]string{plugin.BackoffExponential: "exponential", plugin.BackoffLinear: "linear"}
	quotaNames   = map[plugin.OutOfQuotaPolicy]string{plugin.RunAsNonExpeditedWorkRequest: "runAsNonExpeditedWorkRequest",
		plugin.DropWorkRequest: "dropWorkRequest"}
)

// deepCopy copies maps and lists so that jsonSafe never changes the
// plugin's values.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case osscheduler.Data:
		return deepCopy(map[string]any(x))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
