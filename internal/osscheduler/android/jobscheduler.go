package android

import (
	"math/bits"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Trace sources.
const (
	srcWM    = event.SourceAndroidWorkManager
	srcJS    = event.SourceAndroidJobScheduler
	srcDoze  = event.SourceAndroidDoze
	srcStdby = event.SourceAndroidStandby
)

// job is the JobScheduler job that runs one WorkSpec (one-shot, re-created
// for every run: AX SystemJobInfoConverter).
type job struct {
	scheduled   bool      // handed to JobScheduler
	earliest    time.Time // minimum latency reached (set with setEarliest)
	earliestAt  int64     // vt(earliest), for passIdleUntil
	dueNever    bool      // earliest is not before never
	handedAt    time.Time // when the job was (re)scheduled
	systemStops int       // JobStatus.numSystemStops since the job was created
	startAt     time.Time // seeded start time once ready; zero: not drawn
	block       block     // the last reported reason it waits
	unmet       uint32    // with a constraint block: every unmet constraint, a set of 1<<block
	exec        *osscheduler.Execution
	genAtStart  int
	timeout     sim.Timer
	timeoutH    *timeoutHandler          // reused by every run of this WorkSpec
	finish      func(osscheduler.Result) // likewise
	whyThen     string
	ej          bool      // handed over as an expedited job (API 31+, with EJ quota)
	workType    uint8     // JobConcurrencyManager work type, set when it is staged
	ejStart     time.Time // when the running EJ started
	content     contentState
	override    uint8 // cmd jobscheduler run: overrideSoft / overrideFull, until the job starts
	inProcess   bool  // the current (or last) run was started by GreedyScheduler, not JobScheduler
	held        bool  // JobScheduler started the job while the run is in-process (declined.go)
	heldTimeout sim.Timer
	heldH       *heldTimeoutHandler
}

// block is why a scheduled job is not running.
type block uint8

const (
	blockNone block = iota
	blockNotDue
	blockForceStopped
	blockNetwork
	blockCharging
	blockBatteryLow
	blockStorageLow
	blockDeviceIdle
	blockRestrictedBucket
	blockBatterySaver
	blockDozeDeep
	blockDozeLight
	blockQuota
	blockSchedulerLimit
	blockContentTrigger
	blockAutostart
	blockBackgroundRestricted
	blockConcurrency
)

var blockNames = [...]string{"none", "not_due", "force_stopped", "network", "charging", "battery_not_low",
	"storage_not_low", "device_idle", "restricted_bucket", "battery_saver", "doze", "light_doze", "quota", "scheduler_limit",
	"content_trigger", "autostart", "background_restricted", "concurrency"}

// pendingReasons is each block as Android names it: the
// JobScheduler.PENDING_JOB_REASON_* constant JobScheduler#getPendingJobReason
// (API 35) and getPendingJobReasons (API 36) return for such a job (FB
// core/java/android/app/job/JobScheduler.java; values UNDEFINED 0 … USER 15,
// EXECUTING -1, INVALID_JOB_ID -2). Work WorkManager has not handed to
// JobScheduler (its scheduler limit) has no job: INVALID_JOB_ID.
var pendingReasons = [...]string{
	blockNone:             "PENDING_JOB_REASON_UNDEFINED",
	blockNotDue:           "PENDING_JOB_REASON_CONSTRAINT_MINIMUM_LATENCY",
	blockForceStopped:     "PENDING_JOB_REASON_USER",
	blockNetwork:          "PENDING_JOB_REASON_CONSTRAINT_CONNECTIVITY",
	blockCharging:         "PENDING_JOB_REASON_CONSTRAINT_CHARGING",
	blockBatteryLow:       "PENDING_JOB_REASON_CONSTRAINT_BATTERY_NOT_LOW",
	blockStorageLow:       "PENDING_JOB_REASON_CONSTRAINT_STORAGE_NOT_LOW",
	blockDeviceIdle:       "PENDING_JOB_REASON_CONSTRAINT_DEVICE_IDLE",
	blockRestrictedBucket: "PENDING_JOB_REASON_APP_STANDBY",
	blockBatterySaver:     "PENDING_JOB_REASON_BACKGROUND_RESTRICTION",
	blockDozeDeep:         "PENDING_JOB_REASON_DEVICE_STATE",
	blockDozeLight:        "PENDING_JOB_REASON_DEVICE_STATE",
	blockQuota:            "PENDING_JOB_REASON_QUOTA",
	blockSchedulerLimit:   "PENDING_JOB_REASON_INVALID_JOB_ID",
	blockContentTrigger:   "PENDING_JOB_REASON_CONSTRAINT_CONTENT_TRIGGER",
	// A vendor layer that keeps JobScheduler from starting the process is
	// invisible to JobScheduler: the job is ready as far as it knows.
	blockAutostart:            "PENDING_JOB_REASON_UNDEFINED",
	blockBackgroundRestricted: "PENDING_JOB_REASON_BACKGROUND_RESTRICTION",
	// Ready, queued for a JobConcurrencyManager slot: no constraint or
	// policy holds it, and JobScheduler has no dedicated reason for a full
	// work type; UNDEFINED is what it reports when none applies.
	blockConcurrency: "PENDING_JOB_REASON_UNDEFINED",
}

// StopReasonName is a stop reason as Android names it: the
// JobParameters.STOP_REASON_* constant (FB core/java/android/app/job/
// JobParameters.java, API 31+). A reboot or a dead process ends the job
// without onStopJob; JobScheduler records STOP_REASON_UNKNOWN for it.
func StopReasonName(r osscheduler.StopReason) string {
	switch r {
	case osscheduler.StopNotStopped:
		return ""
	case osscheduler.StopReboot, osscheduler.StopProcessDied:
		return "STOP_REASON_UNKNOWN"
	}
	return "STOP_REASON_" + string(r)
}

// stopReasonFor is the stop reason when a running job loses a condition.
func stopReasonFor(b block) osscheduler.StopReason {
	switch b {
	case blockNetwork:
		return osscheduler.StopConstraintConnectivity
	case blockCharging:
		return osscheduler.StopConstraintCharging
	case blockBatteryLow:
		return osscheduler.StopConstraintBatteryNotLow
	case blockStorageLow:
		return osscheduler.StopConstraintStorageNotLow
	case blockDeviceIdle:
		return osscheduler.StopConstraintDeviceIdle
	case blockBatterySaver, blockBackgroundRestricted:
		return osscheduler.StopBackgroundRestriction
	case blockDozeDeep, blockDozeLight:
		return osscheduler.StopDeviceState
	case blockQuota:
		return osscheduler.StopQuota
	case blockRestrictedBucket:
		return osscheduler.StopAppStandby
	}
	return osscheduler.StopUnknown
}

// networkOK is the connectivity constraint with its per-API rules
// (AX impl/constraints/controllers/ContraintControllers.kt).
func (m *Model) networkOK(t NetworkType, n device.Network) bool {
	connected := n.Type != device.NetworkNone
	if m.prof.validatedNetwork {
		connected = connected && n.Validated
	}
	switch t {
	case NetworkNotRequired:
		return true
	case NetworkConnected:
		return connected
	case NetworkUnmetered, NetworkTemporarilyUnmetered:
		return connected && !n.Metered
	case NetworkNotRoaming:
		if !m.prof.notRoamingCheck {
			return connected
		}
		return connected && !n.Roaming
	case NetworkMetered:
		if !m.prof.meteredCheck {
			return connected
		}
		return connected && n.Metered
	}
	return false
}

// constraintBlocks are the job constraints, in the order constraintBlock
// checks them (the first unmet one is the reason reported).
var constraintBlocks = [...]block{blockNetwork, blockCharging, blockBatteryLow, blockStorageLow, blockDeviceIdle}

// unmetConstraints is every constraint of w unmet now, as a set of 1<<block.
// JobScheduler reports them all: getPendingJobReason gives one reason, and
// getPendingJobReasons (API 36, FB apex/jobscheduler/framework/java/android/
// app/job/JobScheduler.java) every PENDING_JOB_REASON_CONSTRAINT_* in force.
func (m *Model) unmetConstraints(w *workSpec, st *device.State, now time.Time) uint32 {
	c := &w.constraints
	var set uint32
	add := func(b block, unmet bool) {
		if unmet {
			set |= 1 << b
		}
	}
	add(blockNetwork, !m.networkOK(c.RequiredNetwork, st.Network))
	add(blockCharging, c.RequiresCharging && !st.Plugged())
	add(blockBatteryLow, c.RequiresBatteryNotLow && st.BatteryLow)
	add(blockStorageLow, c.RequiresStorageNotLow && st.StorageLow)
	if c.RequiresDeviceIdle {
		ok, _ := m.deviceIdle(st, now)
		add(blockDeviceIdle, !ok)
	}
	return set
}

// constraintSet is constraintBlocks as a set of 1<<block.
const constraintSet = 1<<blockNetwork | 1<<blockCharging | 1<<blockBatteryLow | 1<<blockStorageLow | 1<<blockDeviceIdle

// isConstraint reports whether b is one of the job's own constraints.
func isConstraint(b block) bool { return constraintSet&(1<<b) != 0 }

// constraintBlock returns the first unmet constraint of w.
func (m *Model) constraintBlock(w *workSpec, st *device.State, now time.Time) (block, time.Time) {
	c := &w.constraints
	if !m.networkOK(c.RequiredNetwork, st.Network) {
		return blockNetwork, never
	}
	if c.RequiresCharging && !st.Plugged() {
		return blockCharging, never
	}
	if c.RequiresBatteryNotLow && st.BatteryLow {
		return blockBatteryLow, never
	}
	if c.RequiresStorageNotLow && st.StorageLow {
		return blockStorageLow, never
	}
	if c.RequiresDeviceIdle {
		if ok, at := m.deviceIdle(st, now); !ok {
			return blockDeviceIdle, at
		}
	}
	if m.prof.restrictedDynamic && m.bucket() == bucketRestricted {
		// DYNAMIC_RESTRICTED_CONSTRAINTS: charging, battery not low, connectivity, idle.
		if !st.Plugged() || st.BatteryLow || !m.networkOK(NetworkConnected, st.Network) {
			return blockRestrictedBucket, never
		}
		if ok, at := m.deviceIdle(st, now); !ok {
			return blockRestrictedBucket, at
		}
	}
	if len(c.ContentURITriggers) > 0 && m.prof.contentTriggers {
		if ok, at := w.job.content.satisfied(now); !ok {
			return blockContentTrigger, at
		}
	}
	return blockNone, never
}

// deviceIdle is JobScheduler's idle controller (DeviceIdlenessTracker
// maybeScheduleIdlenessCheck): idle once the screen has been off for the
// release's inactivity threshold, measured from screen-off; on stable power
// (charging, battery not low) the stable-power threshold applies instead.
func (m *Model) deviceIdle(st *device.State, now time.Time) (bool, time.Time) {
	if st.ScreenOn || m.screenOffAt.IsZero() {
		return false, never
	}
	th := m.prof.idleThreshold
	if st.Plugged() && !st.BatteryLow {
		th = m.prof.idleStablePower
	}
	at := m.screenOffAt.Add(th)
	return !now.Before(at), at
}

// blocked says why a scheduled, enqueued job may not start now, and until
// when at the earliest (never: until some event).
func (m *Model) blocked(w *workSpec, now time.Time) (block, time.Time) {
	if m.forceStopped {
		return blockForceStopped, never
	}
	if !m.oemAutostart() && !processAlive(m.st.App) {
		return blockAutostart, never
	}
	switch w.job.override {
	case overrideFull:
		return blockNone, never
	case overrideSoft:
		if b, at := m.constraintBlock(w, &m.st, now); b != blockNone {
			return b, at
		}
		return blockNone, never
	}
	// now.Before(w.job.earliest) as virtual times: now is the engine's
	// clock in every caller (a pass), vt(now) is Elapsed, and earliestAt is
	// vt(earliest), set with it (setEarliest); vt is monotonic and
	// saturates only past about 292 years, where never lies, so vt(now) <
	// vt(earliest) is now.Before(earliest) (both false for the zero time,
	// whose vt is negative). TestBlockedNotDueIsBefore compares.
	if int64(m.eng.Elapsed()) < w.job.earliestAt {
		return blockNotDue, w.job.earliest
	}
	// The checks read the device state in place: nothing they call changes it.
	if b, at := m.constraintBlock(w, &m.st, now); b != blockNone {
		return b, at
	}
	return m.policyBlock(w, &m.st, now)
}

// policyBlock covers what the system imposes beyond the job's constraints:
// Battery Saver, Doze, standby quota.
func (m *Model) policyBlock(w *workSpec, st *device.State, now time.Time) (block, time.Time) {
	ej := w.job.ej
	fg := st.App == device.ProcessForeground
	if !fg && m.oemRestricted {
		// The vendor's default per-app battery setting restricts background
		// work (as ActivityManager's background restriction does).
		return blockBackgroundRestricted, never
	}
	if !ej && !fg && m.saverOn() {
		// Battery Saver's FORCE_ALL_APPS_STANDBY (FB power/batterysaver/
		// BatterySaverPolicy.java) → AppStateTrackerImpl.areJobsRestricted.
		return blockBatterySaver, never
	}
	if !ej {
		if m.doze.deepDeferring() {
			return blockDozeDeep, m.doze.deepTimer()
		}
		if m.doze.lightDeferring() {
			return blockDozeLight, m.doze.lightTimer()
		}
	}
	if b, at := m.quotaBlock(st, now); b != blockNone {
		return b, at
	}
	return blockNone, never
}

// runningBlock is why a running job must stop now (blockNone: it may go on).
func (m *Model) runningBlock(w *workSpec, now time.Time) block {
	if m.forceStopped {
		return blockForceStopped
	}
	if w.job.override == overrideFull {
		return blockNone // a forced job keeps its override while it runs
	}
	st := &m.st
	if b, _ := m.constraintBlock(w, st, now); b != blockNone {
		return b
	}
	b, _ := m.policyBlock(w, st, now)
	if b == blockQuota {
		// A running job is stopped only when its quota is really used up,
		// not when it merely lacks the in-quota buffer.
		if !m.quotaExhausted(st, now) {
			return blockNone
		}
	}
	return b
}

// requestEval makes the scheduler evaluate at t (PhaseOS), keeping an
// earlier pending evaluation.
func (m *Model) requestEval(t time.Time) { m.requestEvalAt(m.vt(t)) }

// requestEvalNow is requestEval(m.eng.Now()) without the time.Time.
func (m *Model) requestEvalNow() { m.requestEvalAt(int64(m.eng.Elapsed())) }

// requestEvalAt is requestEval at a virtual time (ns since the start, the
// kernel's own offset: vt of the time.Time).
//
// The pending pass's instant is kept as a virtual time (evalAt), so that
// neither this, called several times a pass, nor passIdleUntil builds a
// time.Time to compare; evalAt is the instant the kernel queued it at
// (never before now). The timer is queued with the kernel's offset calls
// (After, RescheduleAfter at off-now): Schedule and Reschedule of the
// time.Time would turn it straight back into off, and like them these clamp
// an instant in the past to now, so the event lands at the same instant
// with the same insertion sequence.
func (m *Model) requestEvalAt(off int64) {
	m.changes++ // an input changed, or a pass is asked for: see repeatPass
	now := int64(m.eng.Elapsed())
	if m.evalTimer.Pending() {
		if m.evalAt <= off {
			return
		}
		m.eng.RescheduleAfter(m.evalTimer, time.Duration(max(off, now)-now))
	} else {
		m.evalTimer = m.eng.After(time.Duration(max(off, now)-now), sim.PhaseOS, "android.evaluate", m.evalH)
	}
	m.evalAt = max(off, now)
}

// evaluate is one JobScheduler pass: stop running jobs that lost a
// condition, start ready jobs, and schedule the next pass at the exact time
// something time-based changes.
func (m *Model) evaluate() {
	if m.powerOff {
		return
	}
	if m.repeat.armed && m.repeatPass() {
		return
	}
	now := m.eng.Now()
	m.standbyRefreshIfStaleNow(now)
	m.passSerial++
	// What the pass after a launch needs to know (see repeatPass).
	r := repeatWatch{launches: 0}
	for _, w := range m.running {
		if w == nil {
			continue
		}
		if b := m.runningBlock(w, now); b != blockNone {
			why := ""
			if m.eng.Tracing() {
				why = m.stopText(b, w, now)
			}
			if w.job.held {
				if m.greedyRunningBlock(w) != blockNone {
					continue // the in-process tracker stops the run first (below)
				}
				m.stopHeld(w, stopReasonFor(b), why)
				continue
			}
			m.stopRun(w, stopReasonFor(b), why)
		}
	}
	for i := 0; i < len(m.gr.running); i++ {
		w := m.gr.running[i]
		if b := m.greedyRunningBlock(w); b != blockNone {
			why := ""
			if m.eng.Tracing() {
				why = "in-process " + m.stopText(b, w, now)
			}
			m.stopRun(w, stopReasonFor(b), why)
			i--
		}
	}
	next := m.greedyPass(now)
	pending := 0
	slots := schedulerLimit - m.nRunning
	cc := m.concurrencyCounts()
	for _, w := range m.specs {
		if w.state == stRunning && w.job.scheduled && !w.deleted {
			if w.job.inProcess {
				r.risky = true // heldPass weighs it (quota, concurrency)
			}
			if m.heldPass(w, now, &slots, &cc, &next) {
				pending++
			}
			continue
		}
		if w.state != stEnqueued || !w.job.scheduled || w.deleted {
			continue
		}
		slots--
		b, until := blockSchedulerLimit, never
		if slots >= 0 {
			b, until = m.blocked(w, now)
		}
		if b != blockNone {
			if b != blockNotDue {
				r.risky = true
			}
			w.job.startAt = time.Time{}
			m.reportBlock(w, b, until, now)
			if until.Before(next) {
				next = until
			}
			continue
		}
		if w.job.startAt.IsZero() {
			total, bgMax := m.concurrencyLimits(now)
			if t := m.workTypeOf(w); !cc.fits(total, bgMax, t) {
				until := m.concurrencyRamp(now)
				w.job.startAt = time.Time{}
				r.risky = true
				m.reportBlock(w, blockConcurrency, until, now)
				if until.Before(next) {
					next = until
				}
				continue
			}
			w.job.workType = m.workTypeOf(w)
			cc.add(w.job.workType)
			lat := sim.Between(m.startLatencyRand(), 0, m.startLatency)
			w.job.startAt = now.Add(lat)
			w.job.whyThen = m.whyNow(w)
			if lat > 0 && m.eng.Tracing() {
				m.eng.Emit(srcJS, event.Ready, w.subject(), w.job.whyThen+"; starting in "+lat.String(),
					sim.String("id", w.id), sim.Dur("latency", lat))
			}
		}
		if now.Before(w.job.startAt) {
			pending++
			r.risky = true
			if w.job.startAt.Before(next) {
				next = w.job.startAt
			}
			continue
		}
		r.launched(m, w, now)
	}
	if m.nRunning > 0 { // quotaStopTime only reads: asked only when it counts
		if q := m.quotaStopTime(now); q.Before(next) {
			next = q
		}
	}
	m.dozeAfterEval(now, pending)
	if next != never {
		// As virtual times: vt(next) <= vt(now) is !next.After(now) (vt is
		// monotonic and now never saturates), and vt(now.Add(ms)) is
		// Elapsed+ms.
		off, at := m.vt(next), int64(m.eng.Elapsed())
		if off <= at {
			// Defensive: nothing should wait for "now" after a full pass;
			// never let a rounding edge spin the kernel at one instant.
			off = at + int64(time.Millisecond)
		}
		m.requestEvalAt(off)
		r.next, r.queue = off, true
	}
	if r.launches == 1 && !r.spoilt {
		m.armRepeat(&r)
	}
}

// startLatencyRand is the seeded stream of JobScheduler start latencies.
func (m *Model) startLatencyRand() *rand.Rand {
	if m.latRand == nil {
		m.latRand = m.eng.Rand("android.start-latency")
	}
	return m.latRand
}

// passIsIdle reports whether a JobScheduler pass now would change nothing
// but end a maintenance window early: the device is on, nothing runs, every
// scheduled job is not yet due and already reported so, the standby bucket
// is current, and the pending pass is already set for the earliest due time
// (or there is neither). Doze flips use it to skip queueing such a pass;
// anything short of that takes the full pass.
func (m *Model) passIsIdle(now time.Time) bool {
	until, ok := m.passIdleUntil()
	return ok && m.vt(now) < until
}

// passIsIdleNow is passIsIdle(now) for now the engine's current time (the
// device change and Doze callers), with vt(now) read off the clock (nowVT).
func (m *Model) passIsIdleNow(now time.Time) bool {
	until, ok := m.passIdleUntil()
	return ok && m.nowVT(now) < until
}

// passIdleUntil is passIsIdle over time while nothing else happens: ok
// when all but its clock tests hold, and until is the virtual time (vt)
// from which they fail (the bucket's staleness, the earliest due time), so
// that passIsIdle(t) is ok && vt(t) < until.
//
// It compares the virtual times kept next to the instants (job.earliestAt,
// standbyState.freshAt) instead of the time.Time values: vt is monotonic
// (it saturates only past about 292 years, where never lies, and a clock
// before that is always below), so the earliest of the offsets is the
// offset of the earliest instant, and vt(t) < vt(u) is t.Before(u) for any
// t the simulation reaches. A job due at never (or later) does not lower
// the earliest, as time.Time's Before would not: some tells whether any job
// is due before never (whose offset may saturate all the same).
func (m *Model) passIdleUntil() (until int64, ok bool) {
	if m.powerOff || m.nRunning > 0 {
		return neverAt, false
	}
	until = neverAt
	if m.prof.buckets {
		if !m.sb.fresh {
			return neverAt, false
		}
		until = m.sb.freshAt
	}
	next, n, some := neverAt, 0, false
	for _, w := range m.specs {
		if w.state != stEnqueued || !w.job.scheduled || w.deleted {
			continue
		}
		if n++; n > schedulerLimit || m.forceStopped || w.job.block != blockNotDue || !w.job.startAt.IsZero() {
			return neverAt, false
		}
		if !w.job.dueNever {
			next, some = min(next, w.job.earliestAt), true
		}
	}
	pending := m.evalTimer.Pending()
	if !some { // no job due before never: the earliest is never itself
		return until, !pending
	}
	until = min(until, next)
	return until, pending && m.evalAt == next
}

// setEarliest sets a job's minimum-latency instant and its virtual time.
func (m *Model) setEarliest(w *workSpec, t time.Time) {
	w.job.earliest, w.job.earliestAt, w.job.dueNever = t, m.vt(t), !t.Before(never)
}

func (m *Model) foreground() bool { return m.st.App == device.ProcessForeground }

func (m *Model) whyNow(w *workSpec) string {
	switch {
	case w.job.override == overrideFull:
		return "cmd jobscheduler run -f: constraints overridden"
	case w.job.override == overrideSoft:
		return "cmd jobscheduler run: timing delay overridden"
	case m.doze.deep == dozeIdleMaint:
		return "batched in a Doze maintenance window"
	case m.doze.light == lightMaint && m.doze.deep != dozeIdleMaint:
		return "batched in a light-Doze maintenance window"
	case w.job.block == blockNone || w.job.block == blockNotDue:
		return "due and all constraints met"
	}
	return releasedBy[w.job.block]
}

// releasedBy says, for each reason a job waited, what let it start.
var releasedBy = [...]string{
	blockNone:                 "due and all constraints met",
	blockNotDue:               "due and all constraints met",
	blockForceStopped:         "the app was launched after a force-stop",
	blockNetwork:              "the network constraint became satisfied",
	blockCharging:             "the charger was connected",
	blockBatteryLow:           "the battery is no longer low",
	blockStorageLow:           "storage is no longer low",
	blockDeviceIdle:           "the device became idle",
	blockRestrictedBucket:     "the restricted bucket's conditions (charging, battery, network, idle) were met",
	blockBatterySaver:         "Battery Saver no longer restricts the app",
	blockDozeDeep:             "Doze ended",
	blockDozeLight:            "light Doze ended",
	blockQuota:                "standby quota available again (refilled, or parole while charging)",
	blockSchedulerLimit:       "a JobScheduler slot freed up",
	blockContentTrigger:       "a watched content URI changed",
	blockAutostart:            "the app's process is running again",
	blockBackgroundRestricted: "the app came to the foreground",
	blockConcurrency:          "a JobScheduler concurrency slot freed up",
}

// reportBlock emits a "deferred" event when the reason a job waits changes.
//
// With a constraint block, a change in the set of unmet constraints is a
// change of reason too: the record names every unmet constraint (field
// "unmet", and "unmet_pending" with their PENDING_JOB_REASON_* names, when
// more than one), not only the first.
func (m *Model) reportBlock(w *workSpec, b block, until, now time.Time) {
	var unmet uint32
	if isConstraint(b) {
		unmet = m.unmetConstraints(w, &m.st, now) | 1<<b
	}
	if w.job.block == b && w.job.unmet == unmet {
		return
	}
	w.job.block, w.job.unmet = b, unmet
	if !m.eng.Watching(event.Deferred) {
		return
	}
	src := srcJS
	switch b {
	case blockDozeDeep, blockDozeLight:
		src = srcDoze
	case blockQuota, blockRestrictedBucket:
		src = srcStdby
	}
	var fa [6]sim.Field // on the stack: Emit copies the fields
	f := append(fa[:0], sim.String("id", w.id), sim.String("blocked_by", blockNames[b]),
		sim.String("pending_reason", pendingReasons[b]))
	several := bits.OnesCount32(unmet) > 1
	if several {
		var names, pending []string
		for _, c := range constraintBlocks {
			if unmet&(1<<c) != 0 {
				names, pending = append(names, blockNames[c]), append(pending, pendingReasons[c])
			}
		}
		f = append(f, sim.String("unmet", strings.Join(names, ",")), sim.String("unmet_pending", strings.Join(pending, ",")))
	}
	if until != never {
		f = append(f, sim.Dur("until", sim.Sub(until, m.eng.Start())))
	}
	reason := "" // a Watch of deferrals alone (a fleet) reads the fields only
	if m.eng.Tracing() {
		if several {
			reason = m.unmetText(unmet, w, now) + m.untilText(b, until)
		} else {
			reason = m.stopText(b, w, now) + m.untilText(b, until)
		}
	}
	m.eng.Emit(event.Source(src), event.Deferred, w.subject(), reason, f...)
}

func (m *Model) untilText(b block, until time.Time) string {
	if until == never || b == blockDozeDeep || b == blockDozeLight || b == blockQuota {
		return ""
	}
	return "; re-evaluated at " + m.at(until)
}

// at formats a virtual time as an offset from the start.
func (m *Model) at(t time.Time) string { return "+" + sim.FormatOffset(sim.Sub(t, m.eng.Start())) }

// unmetText names every unmet constraint of a set: "constraints unmet:
// network (connected), charging".
func (m *Model) unmetText(unmet uint32, w *workSpec, now time.Time) string {
	var parts []string
	for _, c := range constraintBlocks {
		if unmet&(1<<c) != 0 {
			parts = append(parts, strings.TrimPrefix(m.stopText(c, w, now), "constraint unmet: "))
		}
	}
	return "constraints unmet: " + strings.Join(parts, ", ")
}

// stopText explains a block in words.
func (m *Model) stopText(b block, w *workSpec, now time.Time) string {
	switch b {
	case blockNotDue:
		return "not yet due: next run time " + m.at(w.job.earliest)
	case blockForceStopped:
		return "app force-stopped: nothing runs until the user opens it"
	case blockNetwork:
		return "constraint unmet: network (" + networkNames[w.constraints.RequiredNetwork] + ")"
	case blockCharging:
		return "constraint unmet: charging"
	case blockBatteryLow:
		return "constraint unmet: battery not low"
	case blockStorageLow:
		return "constraint unmet: storage not low"
	case blockDeviceIdle:
		return "constraint unmet: device idle (screen off for " + m.prof.idleThreshold.String() + ")"
	case blockRestrictedBucket:
		return "restricted bucket: jobs need charging, battery not low, network and device idle"
	case blockBatterySaver:
		return "Battery Saver: background jobs restricted"
	case blockDozeDeep:
		return "Doze (" + dozeNames[m.doze.deep] + "): next maintenance window at " + m.at(m.doze.deepTimer())
	case blockDozeLight:
		return "light Doze: next maintenance window at " + m.at(m.doze.lightTimer())
	case blockQuota:
		return m.quotaText(now)
	case blockSchedulerLimit:
		return "WorkManager hands at most 20 works to JobScheduler at once (Configuration.MIN_SCHEDULER_LIMIT)"
	case blockAutostart:
		return m.oem.Name + ": autostart is off: the system does not start the app's process in the background; waits until the app runs again"
	case blockBackgroundRestricted:
		return m.oem.Name + ": the app's default battery setting restricts background work"
	case blockConcurrency:
		return m.concurrencyText(w, now)
	case blockContentTrigger:
		if w.job.content.pending {
			return "content trigger: a watched URI changed; JobScheduler waits for the update delay (" +
				w.job.content.update.String() + ") or the max delay (" + w.job.content.max.String() + ")"
		}
		return "content trigger: waiting for a change to a watched URI"
	}
	return blockNames[b]
}

var networkNames = [...]string{"not_required", "connected", "unmetered", "not_roaming", "metered", "temporarily_unmetered"}

// startRun is JobScheduler starting w's job.
func (m *Model) startRun(w *workSpec, now time.Time) { m.launch(w, now, false) }

// launch runs w: the WorkerWrapper gate, trySetRunning, the Execution;
// inProcess: GreedyScheduler started it in the live process, else
// JobScheduler did (starting the process if needed).
func (m *Model) launch(w *workSpec, now time.Time, inProcess bool) {
	w.job.startAt = time.Time{}
	if ok, due := w.gate(now); !ok {
		// "being executed before schedule": stays ENQUEUED, rescheduled.
		m.setEarliest(w, due)
		w.job.override = overrideNone
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Skipped, w.subject(), "being executed before schedule; next run time "+m.at(due), sim.String("id", w.id))
		}
		m.requestEval(due)
		return
	}
	if !inProcess {
		m.dev.StartProcess()
	}
	m.dev.TaskStarted() // battery drain while the work runs
	m.execID++
	attempt := w.runAttemptCount + 1
	w.setRunning()
	eligible := latest(w.job.earliest, w.job.handedAt)
	if eligible.After(now) {
		eligible = now
	}
	if w.job.finish == nil {
		// One closure and one timeout handler per WorkSpec, not per run: a
		// device-year starts ~37,000 runs. onFinish and the timeout check
		// which run they belong to.
		w.job.finish = func(r osscheduler.Result) { m.onFinish(w, r) }
		w.job.timeoutH = &timeoutHandler{m: m, w: w}
	}
	x := m.execs.New(w.job.finish)
	x.ID, x.Platform, x.Kind, x.WorkID = m.execID, osscheduler.Android, w.kind(), w.id
	x.UniqueName, x.TaskName, x.Tags, x.Input = w.name, w.task, w.tags, w.input
	budget := m.budget(now)
	switch {
	case inProcess:
		budget = m.greedyBudget()
	case w.job.ej:
		budget = m.ejBudget(now, budget)
	}
	x.Attempt, x.Eligible, x.Started, x.Budget, x.WhyThen = attempt, eligible, now, budget, w.job.whyThen
	w.job.exec = x
	w.job.genAtStart = w.overrideGen
	w.job.block = blockNone
	w.job.inProcess = inProcess
	switch {
	case inProcess:
		m.addGreedyRunning(w) // the app's own run: no JobScheduler quota
	case w.job.ej:
		m.addRunning(w)
		w.job.ejStart = now // EJs spend the EJ quota, not the regular one
	default:
		m.addRunning(w)
		m.quotaJobStarted(now)
	}
	w.job.timeoutH.x = x
	if budget > 0 {
		w.job.timeout = m.eng.After(budget, sim.PhaseOS, "android.timeout", w.job.timeoutH)
	}
	if m.journal != nil {
		m.journal.RunStarted(x, now, m.eng.Start())
	}
	if inProcess {
		m.emitGreedyStart(w, x, now, eligible)
		m.exec.Start(x)
		return
	}
	if m.gr.primed {
		// A job runs: the process is awake and bound; GreedyScheduler may
		// start other due work in it.
		m.requestEvalNow() // (now is the engine's clock: launch runs within a pass)
	}
	if m.eng.Watching(event.Started) {
		if m.eng.WatchingFields(event.Started) {
			m.eng.Emit(srcJS, event.Started, w.subject(), x.WhyThen, sim.String("id", w.id), sim.Int("attempt", int64(attempt)),
				sim.Dur("waited", sim.Sub(now, eligible)), sim.Int("exec", int64(x.ID)))
		} else {
			m.eng.Emit(srcJS, event.Started, w.subject(), x.WhyThen) // no sink it reaches reads fields (a fleet's)
		}
	}
	m.exec.Start(x)
}

// budget is how long a job may run: Config.ExecutionLimit if set; else the
// 10-min guarantee, which API 31+ extends up to 30 min while the app has free
// quota (JobSchedulerService.Constants RUNTIME_FREE_QUOTA_MAX_LIMIT_MS and
// QuotaController.getMaxJobExecutionTimeMsLocked: unlimited by quota while
// charging or in the foreground, else the execution time left in the window).
func (m *Model) budget(now time.Time) time.Duration {
	if m.cfg.ExecutionLimit > 0 {
		return m.execLimit
	}
	if !m.prof.freeQuotaRuntime {
		return m.execLimit
	}
	if !m.quotaApplies(&m.st) {
		return runtimeFreeQuotaMax
	}
	q := &m.prof.quota
	b := m.sb.current
	if q.allowed[b] <= defaultExecutionLimit {
		// left below is at most allowed[b] (the time used is never
		// negative), so the guarantee wins whatever was used: no need to
		// add up the sessions.
		return defaultExecutionLimit
	}
	left := min(q.allowed[b]-m.usedIn(q.window[b], now), quotaMaxExecution-m.used24h(now, quotaMaxExecution-time.Nanosecond))
	return max(defaultExecutionLimit, min(runtimeFreeQuotaMax, left))
}

type timeoutHandler struct {
	m *Model
	w *workSpec
	x *osscheduler.Execution
}

func (h *timeoutHandler) Fire(*sim.Engine) {
	if h.w.job.exec != h.x || h.x.Done() {
		return
	}
	why := ""
	if h.m.eng.Tracing() {
		why = "execution limit of " + h.x.Budget.String() + " reached"
		if h.w.job.inProcess {
			why = "TimeLimiter: in-process limit of " + h.x.Budget.String() + " reached"
		}
	}
	h.m.stopRun(h.w, osscheduler.StopTimeout, why)
	h.m.requestEvalNow()
}

func (m *Model) addRunning(w *workSpec) {
	for i, r := range m.running {
		if r == nil {
			m.running[i] = w
			m.nRunning++
			return
		}
	}
	m.running = append(m.running, w)
	m.nRunning++
}

func (m *Model) removeRunning(w *workSpec) {
	for i, r := range m.running {
		if r == w {
			m.running[i] = nil
			m.nRunning--
			break
		}
	}
	if m.nRunning == 0 {
		m.running = m.running[:0]
		m.quotaJobsIdle(m.eng.Now())
	}
}

// endRun detaches the execution of w; it returns it.
func (m *Model) endRun(w *workSpec) *osscheduler.Execution {
	m.endHeld(w)
	x := w.job.exec
	w.job.exec = nil
	w.job.override = overrideNone
	if x != nil {
		m.dev.TaskEnded()
		if w.job.ej && !w.job.inProcess {
			m.ejEnded(w.job.ejStart, m.eng.Now())
		}
	}
	m.eng.Cancel(w.job.timeout)
	if w.job.inProcess {
		m.removeGreedyRunning(w)
	} else {
		m.removeRunning(w)
	}
	return x
}

// stopRun is a system stop of running work (JobScheduler onStopJob): the
// worker is stopped and WorkManager applies resetWorkerStatus. Then, from
// WorkManager 2.9 (AX impl/Schedulers.java registerRescheduling: the
// Processor's execution listener cancels the work in every scheduler and
// calls Schedulers.schedule), the work gets a fresh JobInfo: a new JobStatus
// with no system stops, so no JobScheduler backoff. With WorkManager before
// 2.9 (Config.WorkManager; greedyRelease.freshJobOnStop), or
// Config.StopBackoff, whose SystemJobService.onStopJob returns true,
// JobScheduler reschedules the job itself, counting the stop toward its
// failure backoff.
func (m *Model) stopRun(w *workSpec, reason osscheduler.StopReason, why string) {
	now := m.eng.Now()
	inProcess := w.job.inProcess
	m.abortRun(w, reason, reason, why)
	w.resetWorkerStatus(reason)
	if inProcess {
		// GreedyScheduler's own stop (a tracker, TimeLimiter): the Processor's
		// execution listener reschedules the work in every scheduler.
		m.schedule(w)
		m.greedySchedule()
		return
	}
	if !m.cfg.StopBackoff && greedyFor(m.cfg.WorkManager).freshJobOnStop {
		w.job.systemStops = 0
		m.schedule(w)
		m.greedyTrack()
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Rescheduled, w.subject(), "stopped by JobScheduler: WorkManager cancelled the job and scheduled a fresh one "+
				"(Schedulers.registerRescheduling), no JobScheduler backoff; next run time "+m.at(w.job.earliest), sim.String("id", w.id))
		}
		return
	}
	w.job.systemStops++
	w.job.scheduled = true
	w.job.handedAt = now
	m.setEarliest(w, latest(w.nextRunTime(), now.Add(m.jsBackoff(w))))
}

// abortRun ends the execution: the app is told with appReason, the journal
// records journalReason.
func (m *Model) abortRun(w *workSpec, appReason, journalReason osscheduler.StopReason, why string) {
	now := m.eng.Now()
	x := m.endRun(w)
	if x == nil {
		return
	}
	x.Abandon()
	if m.journal != nil {
		m.journal.RunEnded(x, now, m.eng.Start(), osscheduler.OutcomeStopped, journalReason)
	}
	if m.eng.Tracing() {
		src := srcJS
		if w.job.inProcess {
			src = srcWM
		}
		m.eng.Emit(src, event.Stopped, w.subject(), why, sim.String("id", w.id), sim.String("stop_reason", StopReasonName(journalReason)),
			sim.Dur("ran", sim.Sub(now, x.Started)))
	}
	m.exec.Stop(x, appReason)
}

// jsBackoff is JobSchedulerService.getRescheduleJobForFailureLocked's delay:
// attempts = failures + systemStops/3; none when attempts is 0.
func (m *Model) jsBackoff(w *workSpec) time.Duration {
	attempts := w.job.systemStops / systemStopToFailureRatio
	if attempts == 0 {
		return 0
	}
	d := max(w.backoffDelay, minBackoff)
	var delay time.Duration
	if w.backoffPolicy == BackoffLinear {
		delay = d * time.Duration(attempts)
	} else {
		delay = backoffFor(BackoffExponential, d, attempts)
	}
	return min(delay, maxBackoff)
}

// onFinish is WorkerWrapper's result handling.
func (m *Model) onFinish(w *workSpec, r osscheduler.Result) {
	now := m.eng.Now()
	x := m.endRun(w)
	if x == nil {
		return
	}
	if m.journal != nil {
		m.journal.RunEnded(x, now, m.eng.Start(), osscheduler.OutcomeOf(r), osscheduler.StopNotStopped)
	}
	if w.state != stRunning {
		return // cancelled while running: the result is ignored
	}
	w.lastFinished = now
	w.job.systemStops = 0
	gen := w.job.genAtStart
	var why string
	switch {
	case w.periodic() && r == osscheduler.Retry:
		w.reschedule(now, gen)
		why = "retry"
	case w.periodic():
		w.resetPeriodic(now, gen)
		if r == osscheduler.Failure {
			why = "failure: a periodic work goes to its next period"
		} else {
			why = "success: next period"
		}
	case r == osscheduler.Retry:
		w.reschedule(now, gen)
		why = "retry"
	case r == osscheduler.Success:
		w.state = stSucceeded
		why = "success"
	default:
		w.state = stFailed
		why = "failure"
	}
	if m.eng.Tracing() {
		if why == "retry" {
			why = "retry: backoff " + min(backoffFor(w.backoffPolicy, w.backoffDelay, w.runAttemptCount), maxBackoff).String()
		}
		f := []sim.Field{sim.String("id", w.id), sim.String("result", r.String()), sim.String("state", w.state.String()),
			sim.Dur("ran", sim.Sub(now, x.Started)), sim.Int("run_attempt_count", int64(w.runAttemptCount))}
		if w.state == stEnqueued {
			f = append(f, sim.Dur("next", sim.Sub(w.nextRunTime(), m.eng.Start())))
			why += "; next run time " + m.at(w.nextRunTime())
		}
		m.eng.Emit(srcWM, event.Finished, w.subject(), why, f...)
	}
	if r != osscheduler.Retry {
		m.greedyFinished(w) // onExecuted(needsReschedule = false)
	}
	switch w.state {
	case stEnqueued:
		m.schedule(w)
	case stSucceeded:
		m.unblockDependents(w, now)
	case stFailed:
		m.failDependents(w)
	}
	// The execution ended in the awake process, whose Schedulers.schedule
	// hands every eligible work to GreedyScheduler as well.
	m.greedySchedule()
	m.requestEvalNow() // now is the engine's clock
}

// schedule hands w to JobScheduler as a one-shot job with its minimum latency.
// An expedited work with no delay and no backoff becomes an expedited job on
// API 31+ (SystemJobInfoConverter); without EJ quota JobScheduler refuses it,
// and WorkManager falls back to a regular job (RUN_AS_NON_EXPEDITED_WORK_REQUEST)
// or leaves the work unscheduled (DROP_WORK_REQUEST) until its next reschedule.
func (m *Model) schedule(w *workSpec) {
	now := m.eng.Now()
	w.job.scheduled = true
	m.setEarliest(w, w.nextRunTime())
	w.job.handedAt = now
	w.job.startAt = time.Time{}
	w.job.block = blockNone
	w.job.ej = false
	w.job.content.reset(&w.constraints)
	w.job.override = overrideNone
	if w.expedited && m.prof.expeditedJobs && w.runAttemptCount == 0 && w.initialDelay == 0 {
		st := m.st
		if ok, used, allowed := m.ejAvailable(&st, now); ok {
			w.job.ej = true
		} else if w.outOfQuota == DropWorkRequest {
			w.job.scheduled = false
			if m.eng.Tracing() {
				m.eng.Emit(srcStdby, event.Dropped, w.subject(), "no expedited-job quota ("+used.String()+" of "+allowed.String()+
					" per 24h used) and DROP_WORK_REQUEST: not scheduled until WorkManager reschedules", sim.String("id", w.id))
			}
		} else if m.eng.Tracing() {
			m.eng.Emit(srcStdby, event.NotExpedited, w.subject(), "no expedited-job quota ("+used.String()+" of "+allowed.String()+
				" per 24h used): runs as a regular job (RUN_AS_NON_EXPEDITED_WORK_REQUEST)", sim.String("id", w.id))
		}
	}
}

// unschedule removes w's job.
func (m *Model) unschedule(w *workSpec) {
	w.job.scheduled = false
	w.job.startAt = time.Time{}
}

// Model's device listener.
type listener struct{ m *Model }

func (l listener) DeviceChanged(c *device.Change) {
	l.m.changes++ // see repeatPass
	l.m.deviceChanged(c)
}

type evalHandler struct{ m *Model }

func (h evalHandler) Fire(*sim.Engine) { h.m.evaluate() }
