package android

import (
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Deep Doze states (FB DeviceIdleController.STATE_*).
type deepState uint8

const (
	dozeActive deepState = iota
	dozeInactive
	dozeIdlePending
	dozeSensing
	dozeLocating
	dozeIdle
	dozeIdleMaint
	dozeQuickDoze // quick doze: INACTIVE with the short timeout (still named INACTIVE in DIC)
)

var dozeNames = [...]string{"ACTIVE", "INACTIVE", "IDLE_PENDING", "SENSING", "LOCATING", "IDLE", "IDLE_MAINTENANCE", "QUICK_DOZE_DELAY"}

// dozeKinds are the trace kinds of the deep states, in dozeNames' order.
var dozeKinds = [...]event.Kind{event.DozeActive, event.DozeInactive, event.DozeIdlePending, event.DozeSensing,
	event.DozeLocating, event.DozeIdle, event.DozeIdleMaintenance, event.DozeQuickDozeDelay}

// Light Doze states (FB DeviceIdleController.LIGHT_STATE_*).
type lightState uint8

const (
	lightActive lightState = iota
	lightInactive
	lightIdle
	lightMaint
	lightOverride // deep idle took over
	lightWaitNet  // LIGHT_STATE_WAITING_FOR_NETWORK: maintenance is due but there is no network
)

var lightNames = [...]string{"ACTIVE", "INACTIVE", "IDLE", "IDLE_MAINTENANCE", "OVERRIDE", "WAITING_FOR_NETWORK"}

// lightKinds are the trace kinds of the light states, in lightNames' order.
var lightKinds = [...]event.Kind{event.LightActive, event.LightInactive, event.LightIdle, event.LightIdleMaintenance,
	event.LightOverride, event.LightWaitingForNetwork}

type dozeMachine struct {
	m              *Model
	deep           deepState
	light          lightState
	forced         bool // adb force-idle / step: screen and charger are ignored
	nextIdle       time.Duration
	nextMaint      time.Duration
	nextLightIdle  time.Duration
	maintStart     time.Time
	lightMaintFrom time.Time
	// lightMaintFromAt is vt(lightMaintFrom), set with it, for afterEval.
	lightMaintFromAt int64
	deepT, lightT    sim.Timer
	lightAt          int64 // engine offset lightT is queued at, while pending
	// requeueAfterLight: changed leaves the evaluation's place to the
	// light step that follows (becomeInactiveFor).
	requeueAfterLight bool
	// inLightStep: a light-Doze step is running (requeueEval leaves the
	// pass's requeue to its end); requeueDue: one is owed.
	inLightStep, requeueDue bool
	// idleUntil, idleKnown: the passIdleUntil answer changed found idle
	// within the running light-Doze step, which its fold reuses (see
	// lightStepHandler.Fire).
	idleUntil int64 // a vt
	idleKnown bool
	// deepLazy: the deep step deepT stands for is not queued yet (see
	// setDeepLazy): deepSeq is the insertion sequence it took, deepAt its
	// instant (an engine offset). While it is, the light step is queued
	// before it (lightAt < deepAt).
	deepLazy bool
	deepSeq  uint64
	deepAt   int64
	// lightArm: within a light-Doze step, the light step's timer is owed
	// at lightAt and queued once at the step's end (lightStepHandler.Fire).
	lightArm      bool
	deepH, lightH sim.Handler
}

func (d *dozeMachine) deepDeferring() bool { return d.deep == dozeIdle }
func (d *dozeMachine) lightDeferring() bool {
	return (d.light == lightIdle || d.light == lightWaitNet) && d.deep != dozeIdleMaint
}

func (d *dozeMachine) deepTimer() time.Time {
	if d.deepLazy {
		return d.m.timeOf(d.deepAt)
	}
	if t, ok := d.m.eng.When(d.deepT); ok {
		return t
	}
	return never
}

func (d *dozeMachine) lightTimer() time.Time {
	if d.lightArm {
		return d.m.timeOf(d.lightAt)
	}
	if t, ok := d.m.eng.When(d.lightT); ok {
		return t
	}
	return never
}

func (d *dozeMachine) enabled() bool { return d.m.cfg.Doze && d.m.prof.doze }

// mayBeInactive is becomeInactiveIfAppropriateLocked's test: screen off (and
// locked), not charging, powered.
func (d *dozeMachine) mayBeInactive(st *device.State) bool {
	if d.forced {
		return true
	}
	return st.Power == device.PowerOn && !st.ScreenOn && !st.Plugged()
}

func (d *dozeMachine) emit(kind event.Kind, reason string) {
	if d.m.eng.Tracing() {
		d.m.eng.Emit(srcDoze, kind, "device", reason, sim.String("deep", dozeNames[d.deep]), sim.String("light", lightNames[d.light]))
	}
}

// deferring: jobs wait for a maintenance window now.
func (d *dozeMachine) deferring() bool { return d.deepDeferring() || d.lightDeferring() }

// changed asks for an evaluation when the transition changed whether jobs
// are deferred (the only thing the scheduler reads from Doze). When that
// pass would be idle (passIsIdle: nothing due or running), Doze cannot
// change a decision: the pass would only find nothing to run and end a
// maintenance window early, which afterEval does at once. Light Doze flips
// every few minutes all night, so this saves most of the evaluations of a
// device that is mostly idle.
func (d *dozeMachine) changed(was bool) {
	if d.deferring() == was && !alwaysEvaluate {
		// The pass alwaysEvaluate runs here would re-arm the next
		// evaluation afresh, after this transition's own timer: keep that
		// same-instant order (a job due exactly as light Doze goes IDLE).
		// (Not when the light step that follows at once requeues it
		// again: see becomeInactiveFor.)
		if !d.requeueAfterLight {
			d.requeueEval()
		}
		return
	}
	now := d.m.eng.Now()
	if !alwaysEvaluate && d.passIsIdle(now) {
		d.afterEval(now, 0, 0)
		// The skipped pass would have ended by queueing the next one afresh,
		// after afterEval's reschedule: keep that order for events that fall
		// on the same instant (a job due exactly as a window ends).
		d.requeueEval()
		return
	}
	d.m.requestEvalNow() // requestEval(now): now is the clock's
}

// passIsIdle is Model.passIsIdle; within a light-Doze step it keeps the
// passIdleUntil answer when idle, for the step's fold (reuseIdleUntil).
func (d *dozeMachine) passIsIdle(now time.Time) bool {
	if !d.inLightStep || !reuseIdleUntil {
		return d.m.passIsIdleNow(now)
	}
	until, ok := d.m.passIdleUntil()
	if ok && d.m.nowVT(now) < until { // passIsIdle(now)
		d.idleUntil, d.idleKnown = until, true
		return true
	}
	return false
}

// requeueEval gives the pending pass a new insertion sequence (changed).
// Within a light-Doze step it is left to the end of the step: the fold
// that follows requeues the pass itself when it folds (after moving the
// light timer, which is all it queues), and nothing between reads or
// queues anything, so one requeue at the end leaves the same order as two.
// TestDeferredLightRequeueChangesNothing compares.
func (d *dozeMachine) requeueEval() {
	if d.inLightStep {
		d.requeueDue = true
		return
	}
	if !d.requeueSuperseded() {
		d.m.eng.Requeue(d.m.evalTimer)
	}
}

// lazyRequeue lets requeueSuperseded leave a requeue of the pending pass
// to the light step that comes before it; tests turn it off to compare.
var lazyRequeue = true

// requeueSuperseded: the pending pass's requeue can be left out because
// another one is sure to come before the pass fires: the light step is
// queued (or owed, lightArm) strictly before the pass's instant, and every
// light step requeues or moves the pass (its transition's changed:
// requeueEval, or requestEval at now), as does every path that takes the
// light step away or later (becomeActive, setLight, enterIdle's
// requestEval, motionDetected through setLight, the fold; powerDown
// cancels the pass). A requeue only sets the pass's order among the events
// of its own instant, which nothing reads before it fires (QuietUntil
// reads instants only), so the last requeue before then decides that order
// alone, and it is done in both cases. (Left out, it takes no insertion
// sequence, which keeps every other event's order.)
// TestSupersededRequeueChangesNothing compares.
func (d *dozeMachine) requeueSuperseded() bool {
	return lazyRequeue && !alwaysEvaluate && d.lightSet() && d.m.evalTimer.Pending() && d.lightAt < d.m.evalAt
}

func (d *dozeMachine) setDeep(s deepState, after time.Duration, why string) {
	was := d.deferring()
	d.deep = s
	// A step not queued yet is moved as a queued one would be: cancelled
	// and queued anew (its sequence is left unused, which keeps every
	// other event's order).
	d.deepLazy = false
	// Moving a pending step is what cancelling it and queueing it anew
	// does (the same new insertion sequence), without freeing and
	// refilling its entry.
	if after < 0 {
		d.m.eng.Cancel(d.deepT)
	} else if !d.deepT.Pending() || !d.m.eng.RescheduleAfter(d.deepT, after) {
		d.deepT = d.m.eng.After(after, sim.PhaseOS, "android.doze.step", d.deepH)
	}
	if d.m.eng.Tracing() {
		if after >= 0 {
			why += "; next step at " + d.m.at(d.m.eng.Now().Add(after))
		}
		d.emit(dozeKinds[s], why)
	}
	d.changed(was)
}

// lazyDeep lets a screen-off leave its deep-Doze step unqueued while the
// light step comes first (setDeepLazy); tests turn it off to compare.
var lazyDeep = true

// setDeepLazy is setDeep for a deep step becomeInactiveFor queues just
// before the light step that comes first: the step takes its insertion
// sequence now (ReserveSeq) but is queued (ScheduleReserved, in the place
// it would have had) only when the light steps no longer come before it
// (keepDeepLazy). A screen turned back on before then (the usual short
// screen-off) cancels nothing. Nothing can fire or look at the step
// before it is queued: the light step is queued earlier; QuietUntil, seen
// by anything but the light-Doze fold, ends at the light step at the
// latest, and the fold ends at deepAt itself; deepTimer reads deepAt;
// every other move of the step goes through setDeep or becomeActive and
// powerDown, which drop it. TestLazyDeepStepChangesNothing compares.
func (d *dozeMachine) setDeepLazy(s deepState, after time.Duration, why string) {
	was := d.deferring()
	d.deep = s
	d.deepLazy = true
	d.deepSeq = d.m.eng.ReserveSeq()
	d.deepAt = int64(d.m.eng.Elapsed()) + int64(after) // (the inactive timeouts are minutes: no saturation)
	if d.m.eng.Tracing() {
		why += "; next step at " + d.m.at(d.m.eng.Now().Add(after))
		d.emit(dozeKinds[s], why)
	}
	// (changed does nothing when deferral did not change and the light
	// step that follows requeues the pass: the usual case, from ACTIVE.)
	if !d.requeueAfterLight || d.deferring() != was {
		d.changed(was)
	}
}

// keepDeepLazy queues the deep step left unqueued (setDeepLazy) once the
// light step is no longer queued before it.
// (Small enough to inline: most calls find no step left unqueued.)
func (d *dozeMachine) keepDeepLazy() {
	if d.deepLazy {
		d.queueDeepLazy()
	}
}

func (d *dozeMachine) queueDeepLazy() {
	if !(d.lightSet() && d.lightAt < d.deepAt) {
		d.deepLazy = false
		d.deepT = d.m.eng.ScheduleReserved(d.m.timeOf(d.deepAt), sim.PhaseOS, d.deepSeq, "android.doze.step", d.deepH)
	}
}

func (d *dozeMachine) setLight(s lightState, after time.Duration, why string) {
	was := d.deferring()
	d.light = s
	// Moving a pending step is what cancelling it and queueing it anew
	// does (the same new insertion sequence), without freeing and
	// refilling its entry.
	if after < 0 {
		d.m.eng.Cancel(d.lightT)
		d.lightArm = false
	} else {
		if d.inLightStep && deferLightArm && !d.lightT.Pending() {
			d.lightArm = true // queued at the step's end, where it stands then
		} else if !d.lightT.Pending() || !d.m.eng.RescheduleAfter(d.lightT, after) {
			d.lightT = d.m.eng.After(after, sim.PhaseOS, "android.doze.light", d.lightH)
		}
		d.lightAt = int64(d.m.eng.Elapsed()) + int64(after) // (the light timeouts are minutes: no saturation)
	}
	d.keepDeepLazy()
	if d.m.eng.Tracing() {
		if after >= 0 {
			why += "; next step at " + d.m.at(d.m.eng.Now().Add(after))
		}
		d.emit(lightKinds[s], why)
	}
	d.changed(was)
}

// update reacts to a device change.
func (d *dozeMachine) update(st *device.State, c device.ChangeKind) {
	if !d.enabled() {
		return
	}
	if !d.mayBeInactive(st) {
		if d.deep != dozeActive || d.light != lightActive {
			why := "screen on"
			if st.Plugged() {
				why = "charging"
			}
			if st.Power != device.PowerOn {
				why = "powered off"
			}
			d.becomeActive(why)
		}
		return
	}
	if c == device.ChangeMotion && st.Moving && !d.forced && d.deep != dozeActive {
		// motionLocked → handleMotionDetectedLocked(MOTION_INACTIVE_TIMEOUT):
		// the significant-motion sensor (watched from IDLE_PENDING on) sends
		// deep Doze back to ACTIVE and then INACTIVE with the shorter motion
		// timeout. "Motion shouldn't affect light state", unless deep idle
		// had overridden it.
		if d.deep != dozeInactive {
			d.motionDetected("significant motion", d.sensing().motionInactive)
		}
		return
	}
	if d.deep == dozeActive {
		d.becomeInactive("screen off and unplugged", true)
	}
	if c == device.ChangeNetwork && d.light == lightWaitNet && st.Network.Connected() {
		d.stepLight()
	}
	if c == device.ChangeLowPower || c == device.ChangeCharger {
		if d.m.saverOn() && d.m.prof.quickDoze && d.deep != dozeIdle && d.deep != dozeIdleMaint {
			d.setDeep(dozeQuickDoze, dozeQuickDelay, "Battery Saver: quick doze")
		}
	}
}

func (d *dozeMachine) becomeActive(why string) {
	was := d.deferring()
	if d.deepLazy {
		d.deepLazy = false // never queued: nothing to cancel
	} else {
		d.m.eng.Cancel(d.deepT)
	}
	d.m.eng.Cancel(d.lightT)
	d.deep, d.light = dozeActive, lightActive
	d.emit(event.DozeActive, why)
	d.changed(was)
}

// sensing is the SENSING/LOCATING data of the modelled release.
func (d *dozeMachine) sensing() dozeSensingTable { return dozeSensingFor(d.m.prof.api) }

// motionDetected is handleMotionDetectedLocked: deep Doze goes back to
// INACTIVE for inactive (MOTION_INACTIVE_TIMEOUT for significant motion,
// INACTIVE_TIMEOUT for AnyMotionDetector's RESULT_MOVED); light Doze is reset
// only when deep idle had overridden it.
func (d *dozeMachine) motionDetected(why string, inactive time.Duration) {
	was := d.deferring()
	resetLight := d.light == lightOverride
	if resetLight {
		d.m.eng.Cancel(d.lightT)
		d.light = lightActive
	}
	d.becomeInactiveFor(why, resetLight, inactive)
	d.changed(was)
}

func (d *dozeMachine) becomeInactive(why string, light bool) {
	d.becomeInactiveFor(why, light, dozeInactiveTimeout)
}

// becomeInactiveFor is becomeInactiveIfAppropriateLocked with mInactiveTimeout
// = inactive.
func (d *dozeMachine) becomeInactiveFor(why string, light bool, inactive time.Duration) {
	d.nextIdle, d.nextMaint = dozeIdleTimeout, dozeMaintenance
	lightToo := light && d.m.prof.lightDoze && d.light == lightActive
	// When light Doze goes INACTIVE right after, its transition (ACTIVE →
	// INACTIVE defers nothing either way) requeues the next evaluation
	// after both steps' timers: requeueing it after the deep step's timer
	// too would give the same order, one heap move later.
	d.requeueAfterLight = lightToo && !alwaysEvaluate
	set := d.setDeep
	if lightToo && lazyDeep && !d.deepT.Pending() {
		set = d.setDeepLazy // queued, if at all, once the light step is set
	}
	if d.m.saverOn() && d.m.prof.quickDoze {
		set(dozeQuickDoze, dozeQuickDelay, why+"; Battery Saver: quick doze")
	} else {
		set(dozeInactive, inactive, why)
	}
	d.requeueAfterLight = false
	if lightToo {
		d.nextLightIdle = lightIdleTimeout
		d.setLight(lightInactive, d.m.prof.lightAfterInact, why) // (keeps a lazy deep step)
	}
}

// stepDeep is stepIdleStateLocked.
func (d *dozeMachine) stepDeep() {
	st := d.m.st
	switch d.deep {
	case dozeActive:
		d.forced = true
		d.becomeInactive("step (forced)", true)
	case dozeInactive:
		d.setDeep(dozeIdlePending, dozeIdleAfterInactive, "inactive timeout")
	case dozeIdlePending:
		// IDLE_PENDING → SENSING: AnyMotionDetector.checkForAnyMotion, with
		// the SENSING_TIMEOUT alarm as its bound.
		sn := d.sensing()
		d.setDeep(dozeSensing, min(sn.anyMotion, sn.sensingTimeout), "idle pending over: checking for any motion")
	case dozeSensing:
		// onAnyMotionResult: RESULT_MOVED → handleMotionDetectedLocked(
		// INACTIVE_TIMEOUT, "non_stationary"); RESULT_STATIONARY → LOCATING.
		if st.Moving && !d.forced {
			d.motionDetected("any motion: moved", dozeInactiveTimeout)
			return
		}
		if d.sensing().noLocationPrefetch {
			// No location request (mLocating false): LOCATING falls
			// through to IDLE in the same step.
			d.setDeep(dozeLocating, -1, "any motion: stationary; location prefetch disabled")
			d.enterIdle("no location request")
			return
		}
		d.setDeep(dozeLocating, d.sensing().locatingTimeout, "any motion: stationary; locating")
	case dozeLocating:
		// LOCATING_TIMEOUT (no location fix is modelled) → IDLE.
		d.enterIdle("locating timeout")
	case dozeQuickDoze:
		d.enterIdle("quick doze delay over")
	case dozeIdleMaint:
		d.enterIdle("maintenance over")
	case dozeIdle:
		budget := d.nextMaint
		d.nextMaint = min(d.nextMaint*dozeMaintFactor, dozeMaxMaintenance)
		d.maintStart = d.m.eng.Now()
		why := "" // formatted only for the trace
		if d.m.eng.Tracing() {
			why = "maintenance window of up to " + budget.String()
		}
		d.setDeep(dozeIdleMaint, budget, why)
	}
}

func (d *dozeMachine) enterIdle(why string) {
	dur := d.nextIdle
	if dur == 0 {
		dur = dozeIdleTimeout
	}
	d.nextIdle = min(dur*dozeIdleFactor, dozeMaxIdleTimeout)
	d.m.changeEval(d.m.eng.Now()) // deep IDLE always matters: stop running jobs (when any run: changeIsIdle)
	if d.light != lightActive {
		d.m.eng.Cancel(d.lightT)
		d.light = lightOverride
	}
	if d.m.eng.Tracing() {
		why += "; idle for " + dur.String()
	}
	d.setDeep(dozeIdle, dur, why)
}

// stepLight is stepLightIdleStateLocked.
func (d *dozeMachine) stepLight() {
	switch d.light {
	case lightInactive, lightMaint:
		if d.deep == dozeIdle || d.deep == dozeIdleMaint {
			was := d.deferring()
			d.light = lightOverride
			d.changed(was)
			return
		}
		dur := d.nextLightIdle
		d.nextLightIdle = min(d.nextLightIdle*lightIdleFactor, lightMaxIdleTimeout)
		why := "" // formatted only for the trace
		if d.m.eng.Tracing() {
			why = "light idle for " + dur.String()
		}
		d.setLight(lightIdle, dur, why)
	case lightIdle, lightWaitNet:
		if d.light == lightIdle && !d.m.st.Network.Connected() {
			// "We'd like to do maintenance, but currently don't have network
			// connectivity": wait for it, at most one more idle period.
			d.setLight(lightWaitNet, d.nextLightIdle, "light maintenance due but no network: waiting for it")
			return
		}
		d.lightMaintFrom, d.lightMaintFromAt = d.m.eng.Now(), int64(d.m.eng.Elapsed())
		d.setLight(lightMaint, lightMaintMax, "light maintenance window")
	}
}

// afterEval ends a maintenance window early once nothing is running or about
// to start (MIN_DEEP_MAINTENANCE_TIME / the light minimum budget).
func (d *dozeMachine) afterEval(now time.Time, running, pending int) {
	if running > 0 || pending > 0 {
		return
	}
	if d.deep == dozeIdleMaint {
		at := latest(now, d.maintStart.Add(dozeMinMaintenance))
		if t, ok := d.m.eng.When(d.deepT); ok && at.Before(t) {
			d.m.eng.Reschedule(d.deepT, at)
		}
	}
	if d.light == lightMaint && d.lightSet() {
		// vt(latest(now, lightMaintFrom+lightMaintMin)), on offsets: vt
		// is monotonic and adds exactly this far from saturating.
		off := max(d.m.nowVT(now), d.lightMaintFromAt+int64(lightMaintMin))
		if checkNowVT && off != d.m.vt(latest(now, d.lightMaintFrom.Add(lightMaintMin))) {
			panic("android: lightMaintFromAt is not vt(lightMaintFrom)")
		}
		if off < d.lightAt {
			// (Reschedule(lightT, at): at is not before now.)
			if !d.lightArm {
				d.m.eng.RescheduleAfter(d.lightT, time.Duration(off-int64(d.m.eng.Elapsed())))
			}
			d.lightAt = off
		}
	}
}

func (m *Model) dozeAfterEval(now time.Time, pending int) { m.doze.afterEval(now, m.nRunning, pending) }

type deepStepHandler struct{ d *dozeMachine }

func (h deepStepHandler) Fire(*sim.Engine) { h.d.stepDeep() }

type lightStepHandler struct{ d *dozeMachine }

func (h lightStepHandler) Fire(*sim.Engine) {
	d := h.d
	d.inLightStep = !eagerLightRequeue
	d.stepLight()
	d.inLightStep = false
	if !d.foldQuietLight() {
		if d.lightArm {
			d.armLight() // before the pass's requeue, as setLight would have
		}
		if d.requeueDue && !d.requeueSuperseded() {
			d.m.eng.Requeue(d.m.evalTimer)
		}
	}
	d.requeueDue, d.idleKnown = false, false
	// (A lazy deep step is kept by setLight and the fold, the only moves of
	// lightAt later.)
}

// deferLightArm lets a light-Doze step queue its next step's timer once,
// at the step's end, where stepLight, the end of a maintenance window
// (afterEval) and the fold leave it, instead of queueing it and moving it
// up to twice: the timer fired, so it is not queued, and until the step
// ends nothing reads it but these (lightSet, lightAt); what else the step
// queues is the pending pass at now (requestEval), before the next light
// step's instant (at least a minute later), so the two keep their order
// among same-instant events whichever is queued first, and the pass's
// requeue still comes after the timer. Tests turn it off to compare
// (TestDeferredLightArmChangesNothing).
var deferLightArm = true

// lightSet: the next light step is set, queued or owed (lightArm).
func (d *dozeMachine) lightSet() bool { return d.lightArm || d.lightT.Pending() }

// armLight queues or moves the light step's timer to lightAt.
func (d *dozeMachine) armLight() {
	d.lightArm = false
	after := time.Duration(d.lightAt - int64(d.m.eng.Elapsed()))
	if !d.lightT.Pending() || !d.m.eng.RescheduleAfter(d.lightT, after) {
		d.lightT = d.m.eng.After(after, sim.PhaseOS, "android.doze.light", d.lightH)
	}
}

// reuseIdleUntil lets the fold of a light-Doze step reuse the passIdleUntil
// answer the step's own changed computed when it found the pass idle:
// nothing between the two touches what passIdleUntil reads (changed then
// only runs afterEval, which moves the Doze timers, and defers the pass's
// requeue; the rest of stepLight and the fold's own tests read state), so
// the fold would compute the same answer again. Tests turn it off to
// compare (TestReusedIdleUntilChangesNothing).
var reuseIdleUntil = true

// eagerLightRequeue turns off requeueEval's deferral within a light-Doze
// step; a test checks that the deferral changes nothing.
var eagerLightRequeue = false

// foldLight lets a light-Doze step carry the quiet steps after it
// (foldQuietLight); tests turn it off to compare with every step fired.
var foldLight = true

// foldQuietLight takes, at once, the light-Doze steps that would fire
// before anything else happens or is looked at (sim.Engine.QuietUntil; the
// end of the screen-off activity tail does not count when the device vouches
// it is silent, device.Device.SilentTail) and
// would change nothing but the light state: deep Doze neither IDLE nor in
// its maintenance window (so light Doze is not overridden), the network
// connected (so maintenance does not wait for it), and each step's
// JobScheduler pass idle (passIsIdle: nothing due or running, so
// stepLight's changed ends a light maintenance window at its minimum,
// lightMaintMin). Each such step is what stepLight does: INACTIVE or
// IDLE_MAINTENANCE → IDLE for nextLightIdle (which grows by
// lightIdleFactor up to lightMaxIdleTimeout), IDLE → IDLE_MAINTENANCE until
// lightMaintMin later. Only the light timer and the pending pass are
// touched, once, in the order the last step leaves them (the timer first,
// then the pass re-queued after it), so events of one instant keep their
// order. A traced run fires every step (each is a trace record).
// TestFoldedLightDozeChangesNothing compares with every step fired.
func (d *dozeMachine) foldQuietLight() (folded bool) {
	m := d.m
	if !foldLight || alwaysEvaluate || m.powerOff || m.eng.Tracing() {
		return false
	}
	if d.deep == dozeIdle || d.deep == dozeIdleMaint || !m.st.Network.Connected() {
		return false
	}
	if !d.lightSet() {
		return false
	}
	// end: the first instant something other than the light steps may
	// happen or be looked at (QuietUntil), past the end of the screen-off
	// tail when that comes first and touches the battery plan alone (the
	// device vouches for it): then the next event but the tail's end, when
	// the light step comes at or after the tail's end. In engine offsets
	// (a queued event's instant or just past the run's target: finite).
	var end int64
	if tail, tailAt, silent := m.dev.SilentTail(); silent {
		// QuietUntil(lightT) is the earlier of the tail's end and this.
		past := m.eng.QuietUntilOffset(d.lightT, tail)
		if d.deepLazy {
			past = min(past, d.deepAt) // where QuietUntil would end if it were queued
		}
		switch end = min(past, int64(tailAt)); {
		case d.lightAt < end:
		case int64(tailAt) == end:
			end = past
		default:
			return false
		}
	} else {
		end = m.eng.QuietUntilOffset(d.lightT)
		if d.deepLazy {
			end = min(end, d.deepAt) // where QuietUntil would end if it were queued
		}
		if d.lightAt >= end {
			return false
		}
	}
	// passIsIdle(t) for every step before end, computed once.
	idleUntil, ok := d.idleUntil, true
	if !d.idleKnown {
		idleUntil, ok = m.passIdleUntil()
	}
	if !ok {
		return false
	}
	if idleUntil < end { // (a vt: never saturates)
		end = idleUntil
	}
	// The steps in engine offsets: the same instants time.Time's Add and
	// Before would give.
	t, light, next := d.lightAt, d.light, d.nextLightIdle
	from, fromSet := int64(0), false
	for t < end {
		switch light {
		case lightInactive, lightMaint:
			light = lightIdle
			t, next = t+int64(next), min(next*lightIdleFactor, lightMaxIdleTimeout)
		case lightIdle:
			// setLight(lightMaint, lightMaintMax), then afterEval's
			// latest(now, lightMaintFrom+lightMaintMin) when earlier.
			light, from, fromSet = lightMaint, t, true
			e := t + int64(lightMaintMax)
			if at := max(t, from+int64(lightMaintMin)); at < e {
				e = at
			}
			t = e
		default:
			return false
		}
		folded = true
	}
	if !folded {
		return false
	}
	d.light, d.nextLightIdle = light, next
	if fromSet {
		d.lightMaintFrom, d.lightMaintFromAt = m.timeOf(from), from
	}
	// (Reschedule(lightT, the instant t): t is after now.)
	d.lightAt = t
	d.armLight()
	d.keepDeepLazy()
	if !d.requeueSuperseded() {
		m.eng.Requeue(m.evalTimer)
	}
	return true
}

// command runs an adb `dumpsys deviceidle` command.
func (d *dozeMachine) command(cmd string) error {
	if !d.enabled() {
		return osscheduler.Errorf("unsupported", "Doze is not modelled here (API %d, doze=%v)", d.m.prof.api, d.m.cfg.Doze)
	}
	st := d.m.st
	switch cmd {
	case "force_idle", "force-idle":
		d.forced = true
		if d.deep == dozeActive {
			d.becomeInactive("force-idle", true)
		}
		for i := 0; d.deep != dozeIdle && i < 8; i++ {
			d.stepDeep()
		}
	case "step":
		d.forced = true
		d.stepDeep()
	case "unforce":
		d.forced = false
		if !d.mayBeInactive(&st) {
			d.becomeActive("unforce: screen on or charging")
		}
	default:
		return osscheduler.Errorf("invalid_argument", "unknown Doze command %q (want force_idle, step or unforce)", cmd)
	}
	return nil
}
