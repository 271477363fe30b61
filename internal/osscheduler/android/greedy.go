package android

import (
	"golang.org/x/mod/semver"

	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// In-process scheduling: WorkManager's GreedyScheduler (AX impl/background/
// greedy/GreedyScheduler.java). WorkManager hands every eligible WorkSpec to
// all its schedulers (AX impl/Schedulers.java schedule: SystemJobScheduler
// gets at most the scheduler limit, GreedyScheduler, which has no limited
// slots, every eligible WorkSpec). While the app's process lives,
// GreedyScheduler keeps them in memory: due work with no constraint starts at
// once, work with a delay or backoff waits on DelayedWorkTracker (a
// RunnableScheduler timer, then schedule again), constrained work waits on
// the in-process constraint trackers (WorkConstraintsTracker). Whichever of
// GreedyScheduler and JobScheduler starts the work first runs it: the
// Processor refuses to start a work it already runs (Processor.startWork
// "is already enqueued for processing"; StartStopTokens), and a WorkSpec no
// longer ENQUEUED is not started again. GreedyScheduler's runs are the app's
// own: no JobScheduler quota, standby bucket, Doze deferral or execution
// limit applies, only the work's constraints and androidx's TimeLimiter.
//
// What GreedyScheduler knows lives in the process: it learns the work only
// when Schedulers.schedule runs in that process (an enqueue, the end of an
// execution, a stop, ForceStopRunnable's reschedule or its reconciliation of
// work a dead process left RUNNING), and forgets it all when the process dies.
//
// Model choice: GreedyScheduler holds no wake lock ("It intentionally does
// not acquire any WakeLocks", GreedyScheduler's class comment) and its timers
// run on the app's main looper (Handler, uptime-based: time in deep sleep
// does not count, android.os.Handler#postAtTime). A cached background process
// is frozen by the cached-apps freezer (FB services/core/java/com/android/
// server/am/CachedAppOptimizer.java) and its CPU may sleep. The model starts
// in-process work only while the process is not cached: the app is in the
// foreground, or one of its JobScheduler jobs runs (JobServiceContext holds a
// wake lock and binds the process), or at the instant WorkManager code runs
// in it (an enqueue, the end of an execution: Schedulers.schedule runs in
// the awake process). Work that comes due while
// the process is cached starts when it is next un-cached, unless JobScheduler
// starts it first.

// greedyRelease is what GreedyScheduler does in one WorkManager release.
type greedyRelease struct {
	from string // first androidx.work release with this behaviour
	// timeLimit: TimeLimiter stops work GreedyScheduler started after this
	// long with WorkInfo.STOP_REASON_TIMEOUT (AX impl/background/greedy/
	// TimeLimiter.kt, timeoutMs = TimeUnit.MINUTES.toMillis(90)); 0: no limit.
	// TimeLimiter and WorkInfo.STOP_REASON_* came with WorkManager 2.9.0;
	// before it an in-process run had no time limit.
	timeLimit time.Duration
	// throttle: GreedyScheduler.throttleIfNeeded. It is in GreedyScheduler
	// as shipped with the 2.9+ releases (keyed by WorkGenerationalId, which
	// came with 2.8.0); the release that added it was not pinned down, so
	// the older row, 2.4.0–2.8.1, leaves it out.
	throttle bool
	// freshJobOnStop: a system stop makes WorkManager cancel the job and
	// schedule a fresh JobInfo (AX impl/Schedulers.java registerRescheduling,
	// from 2.9.0), so no JobScheduler backoff accumulates. Before 2.9
	// SystemJobService.onStopJob returns true and JobScheduler reschedules
	// the job itself, counting the stop toward its failure backoff.
	freshJobOnStop bool
	src            string
}

// greedyReleases is the per-release table, oldest first. The plugin's
// releases declare androidx.work 2.4.0 (0.2–0.4), 2.7.1 (0.5.0, 0.5.1),
// 2.8.1 (0.5.2), 2.9.0 (0.6–0.8), 2.10.2 and 2.11.2 (0.9 on): plugin.Capabilities
// WorkManager. DelayedWorkTracker (delayed and backed-off work tracked
// in-process; its file dates from 2019, before 2.4.0 of July 2020) is in
// every one of them; TimeLimiter only from 2.9.0.
var greedyReleases = []greedyRelease{
	{from: "2.4.0", timeLimit: 0, throttle: false, freshJobOnStop: false, src: "GreedyScheduler.java with DelayedWorkTracker; no TimeLimiter"},
	{from: "2.9.0", timeLimit: greedyTimeLimit, throttle: true, freshJobOnStop: true, src: "TimeLimiter.kt: 90 min, WorkInfo.STOP_REASON_TIMEOUT; GreedyScheduler.throttleIfNeeded"},
}

// greedyFor is the row for a WorkManager version ("" → the newest).
func greedyFor(wm string) greedyRelease {
	if wm == "" {
		return greedyReleases[len(greedyReleases)-1]
	}
	r := greedyReleases[0]
	for _, g := range greedyReleases {
		if cmpWM(wm, g.from) >= 0 {
			r = g
		}
	}
	return r
}

// cmpWM orders androidx versions ("2.9.0", "2.10.1", "2.10.0-alpha01") as
// semantic versions.
func cmpWM(a, b string) int { return semver.Compare("v"+a, "v"+b) }

const (
	// AX GreedyScheduler.NON_THROTTLE_RUN_ATTEMPT_COUNT = 5: GreedyScheduler
	// throttles a work it sees attempted more often than this within the
	// process's life (throttleIfNeeded, mFirstRunAttempts).
	greedyNonThrottle = 5
	// AX WorkRequest.DEFAULT_BACKOFF_DELAY_MILLIS = 30 s: the throttle's step
	// per further attempt, counted from when the process first saw the work.
	greedyThrottleStep = defaultBackoff
)

// greedy is GreedyScheduler's in-memory state in the current process.
type greedy struct {
	rel     greedyRelease
	primed  bool // Schedulers.schedule ran in this process: it tracks every eligible work
	running []*workSpec
	// wakeAt: WorkManager code ran at this instant (the engine's offset,
	// plus one: 0 is never), so the process is awake then; compared with
	// the pass's offset, which is its time.Time's Equal (the pass's now is
	// the engine's clock, and offsets are exact).
	wakeAt int64
	proc   int // process generation: attempt data of an older process is void
	// reconcile: the process died with work RUNNING; the next process's
	// ForceStopRunnable.cleanUp resets it and calls Schedulers.schedule.
	reconcile bool
	// What the last greedyPass did, for repeatPass: whether it went
	// through the works, whether it started one, and the works it found due
	// but did not start (how many, and the last).
	passRan, passLaunched bool
	dueLeft               int
	dueW                  *workSpec
}

// greedyWork is GreedyScheduler's AttemptData for one work in the current
// process: the run attempt count and the time when it first saw the work.
type greedyWork struct {
	proc         int
	firstAttempt int
	firstAt      time.Time
	// laterPass: the pass (Model.passSerial) in which greedyPass last found
	// the work's due time ahead (repeatPass reads it).
	laterPass uint64
	// The last greedyDue answer and every input it was computed from
	// beyond this attempt data (see greedyDue).
	memoOK                         bool
	memoState                      state
	memoRAC, memoPC, memoGen       int
	memoEnqueue, memoOver, memoDue time.Time
	memoDueAt                      int64 // vt(memoDue)
}

// greedyDue is when GreedyScheduler may start w: max(calculateNextRunTime,
// throttleIfNeeded), the throttle adding DEFAULT_BACKOFF_DELAY_MILLIS for
// every attempt past NON_THROTTLE_RUN_ATTEMPT_COUNT since the process first
// saw the work. WorkManager's own backoff after a retry (lastEnqueueTime
// moves) outgrows it; a run stopped again and again (a flapping constraint;
// lastEnqueueTime stays) is where it binds.
//
// The answer is a function of the attempt data (g) and of the WorkSpec
// fields calculateNextRunTime reads: lastEnqueue, the override, the state
// and run attempt count (backoff), the period count, and the interval,
// flex, initial delay and backoff settings, which change only with an
// UPDATE, which bumps the generation. It is kept with those inputs (in g,
// which is cleared whenever the attempt data is set afresh) and given again
// while they are all the same: a pass asks every tracked work each time,
// and most passes find the work as the last one did.
// TestGreedyDueMemoIsTheComputation compares at every answer.
func (m *Model) greedyDue(w *workSpec, now time.Time) time.Time {
	due, _ := m.greedyDueAt(w, now)
	return due
}

// greedyDueAt is greedyDue with the due time's virtual time (vt), kept
// with the answer, so that a pass compares offsets: vt is monotonic and
// saturates only past about 292 years, where never lies, so
// Elapsed < vt(due) is now.Before(due) for the pass's now (the engine's
// clock). TestGreedyDueAtIsTheTime compares.
func (m *Model) greedyDueAt(w *workSpec, now time.Time) (time.Time, int64) {
	if !m.gr.rel.throttle {
		due := w.nextRunTime()
		return due, m.vt(due)
	}
	g := &w.greedy
	if g.proc != m.gr.proc || g.firstAt.IsZero() {
		*g = greedyWork{proc: m.gr.proc, firstAttempt: w.runAttemptCount, firstAt: now}
	}
	if g.memoOK && g.memoEnqueue == w.lastEnqueue && g.memoRAC == w.runAttemptCount && g.memoPC == w.periodCount &&
		g.memoState == w.state && g.memoGen == w.generation && g.memoOver == w.override && memoGreedyDue {
		if checkGreedyMemo != nil {
			checkGreedyMemo(g.memoDue, m.greedyDueOf(w))
		}
		return g.memoDue, g.memoDueAt
	}
	due := m.greedyDueOf(w)
	g.memoOK, g.memoState, g.memoRAC, g.memoPC, g.memoGen = true, w.state, w.runAttemptCount, w.periodCount, w.generation
	g.memoEnqueue, g.memoOver, g.memoDue, g.memoDueAt = w.lastEnqueue, w.override, due, m.vt(due)
	return due, g.memoDueAt
}

// greedyDueOf is greedyDue's computation, with the attempt data set.
func (m *Model) greedyDueOf(w *workSpec) time.Time {
	due := w.nextRunTime()
	g := &w.greedy
	extra := max(w.runAttemptCount-g.firstAttempt-greedyNonThrottle, 0)
	if extra == 0 {
		return latest(due, g.firstAt) // g.firstAt.Add(0) is g.firstAt
	}
	return latest(due, g.firstAt.Add(time.Duration(extra)*greedyThrottleStep))
}

// memoGreedyDue lets greedyDue give its kept answer; tests turn it off to
// compare. checkGreedyMemo, when set (tests), gets the kept answer and the
// computed one at every reuse.
var (
	memoGreedyDue   = true
	checkGreedyMemo func(kept, computed time.Time)
)

// greedyFinished is GreedyScheduler.onExecuted for a run that needs no
// reschedule (success, failure, a periodic period done): the attempt data
// goes.
func (m *Model) greedyFinished(w *workSpec) { w.greedy = greedyWork{} }

// greedySchedule is Schedulers.schedule reaching GreedyScheduler: if the
// process lives, it now tracks every eligible work, and the process is
// running code at this instant (an enqueue, the end of a run), so due work
// starts now.
func (m *Model) greedySchedule() {
	if m.greedyTrack() {
		m.gr.wakeAt = int64(m.eng.Elapsed()) + 1
	}
}

// greedyTrack is Schedulers.schedule after JobScheduler stopped a job
// (onStopJob; Schedulers.registerRescheduling): GreedyScheduler tracks the
// work, but the model does not count the instant as awake. JobScheduler has
// just unbound the process, which becomes cached and is frozen within
// seconds (model choice above); the androidx code itself would restart the
// stopped work in-process at once if it is due, which WorkManager's
// GreedyScheduler.throttleIfNeeded only slows after five attempts.
func (m *Model) greedyTrack() bool {
	if !processAlive(m.st.App) || m.powerOff || m.forceStopped || m.cfg.NoGreedy {
		return false
	}
	m.gr.primed = true
	return true
}

// greedyTracks: GreedyScheduler ignores work that requires device idle or
// has content URI triggers (schedule: "Ignoring ... Requires device idle",
// "Requires ContentUri triggers"); JobScheduler alone runs it.
func greedyTracks(w *workSpec) bool {
	return !w.constraints.RequiresDeviceIdle && len(w.constraints.ContentURITriggers) == 0
}

// greedyConstraint is the in-process constraint trackers' verdict
// (AX impl/constraints/WorkConstraintsTracker.kt: battery charging, battery
// not low, storage not low, network). In deep Doze the app's network is
// blocked (FB services/core/java/com/android/server/net/
// NetworkPolicyManagerService.java updateRulesForDeviceIdle: the device-idle
// firewall chain denies apps not on the allowlist), so the network tracker
// reports no connection and a network constraint is unmet.
func (m *Model) greedyConstraint(w *workSpec) block {
	st := &m.st
	c := &w.constraints
	if c.RequiredNetwork != NetworkNotRequired && m.doze.deepDeferring() {
		return blockNetwork
	}
	if !m.networkOK(c.RequiredNetwork, st.Network) {
		return blockNetwork
	}
	if c.RequiresCharging && !st.Plugged() {
		return blockCharging
	}
	if c.RequiresBatteryNotLow && st.BatteryLow {
		return blockBatteryLow
	}
	if c.RequiresStorageNotLow && st.StorageLow {
		return blockStorageLow
	}
	return blockNone
}

// greedyAwake: the process may start in-process work now (see the model
// choice above): in the foreground, while one of its JobScheduler jobs runs,
// or at the instant it ran WorkManager code (wakeAt).
func (m *Model) greedyAwake(now time.Time) bool {
	if m.st.App == device.ProcessForeground {
		return true
	}
	if m.oemRestricted {
		// The vendor's default battery setting restricts the app's
		// background work (oem.go): its process does nothing in the
		// background, in-process work included.
		return false
	}
	return m.nRunning > 0 || m.gr.wakeAt == int64(m.eng.Elapsed())+1 // (now is the engine's clock)
}

// greedyPass starts every tracked work that is due, whose in-process
// constraints hold, while the process may run it; it returns the next time
// a DelayedWorkTracker timer is due.
func (m *Model) greedyPass(now time.Time) time.Time {
	m.gr.passRan, m.gr.passLaunched, m.gr.dueLeft, m.gr.dueW = false, false, 0, nil
	if !m.gr.primed || !processAlive(m.st.App) || m.forceStopped || m.powerOff {
		return never
	}
	m.gr.passRan = true
	// Whether the process may run work now is asked only once a work is
	// due (greedyAwake reads state and changes none).
	awake, asked := false, false
	next := never
	at := int64(m.eng.Elapsed()) // vt(now): now is the engine's clock (a pass)
	for _, w := range m.specs {
		if w.state != stEnqueued || w.deleted || !greedyTracks(w) {
			continue
		}
		due, dueAt := m.greedyDueAt(w, now) // DelayedWorkTracker's time
		if at < dueAt {                     // now.Before(due) (greedyDueAt)
			w.greedy.laterPass = m.passSerial
			if due.Before(next) {
				next = due
			}
			continue
		}
		if !asked {
			awake, asked = m.greedyAwake(now), true
		}
		if !awake || m.greedyConstraint(w) != blockNone {
			m.gr.dueLeft++
			m.gr.dueW = w
			continue // the next device change or un-caching evaluates again
		}
		w.job.whyThen = "GreedyScheduler started it in the app's process (no JobScheduler quota, standby or Doze deferral)"
		m.gr.passLaunched = true
		m.launch(w, now, true)
	}
	return next
}

// greedyRunningBlock is why an in-process run must stop: a constraint its
// tracker reports unmet (GreedyScheduler.onConstraintsStateChanged →
// stopWorkWithReason with the tracker's STOP_REASON_CONSTRAINT_*).
func (m *Model) greedyRunningBlock(w *workSpec) block {
	if m.forceStopped {
		return blockForceStopped
	}
	return m.greedyConstraint(w)
}

// greedyProcessDied: the process is gone (killed, swiped away, reclaimed,
// updated, force-stopped, powered off): the in-process runs die with it and
// GreedyScheduler forgets everything; the work is left to JobScheduler (its
// job stays scheduled). A run killed this way gets no onStopped: WorkManager
// finds it RUNNING at the next process start and ForceStopRunnable resets it.
func (m *Model) greedyProcessDied(reason osscheduler.StopReason, why string) {
	m.gr.primed = false
	m.gr.proc++
	for len(m.gr.running) > 0 {
		w := m.gr.running[0]
		m.abortRun(w, reason, reason, why+": the in-process run dies with the process")
		w.resetWorkerStatus(reason)
		m.gr.reconcile = true
		if !m.forceStopped && !m.powerOff {
			m.schedule(w)
		}
	}
}

// greedyProcessStarted is ForceStopRunnable in a new process: work a dead
// process left RUNNING needs scheduling (cleanUp → Schedulers.schedule).
func (m *Model) greedyProcessStarted() {
	if m.gr.reconcile {
		m.gr.reconcile = false
		m.greedySchedule()
	}
}

// greedyDevice follows the process's life; it reports whether the change
// may let GreedyScheduler start work (an evaluation is needed).
func (m *Model) greedyDevice(c *device.Change, was bool) bool {
	now := processAlive(c.State.App)
	switch {
	case was && !now:
		// ForceStopRunnable.cleanUp records STOP_REASON_UNKNOWN for work a
		// dead process left RUNNING; a force-stop and a power-off are named
		// as the JobScheduler side names them.
		r, why := osscheduler.StopUnknown, "app process ended"
		switch c.Kind {
		case device.ChangeAppForceStop:
			r, why = osscheduler.StopUser, "app force-stopped"
		case device.ChangePowerOff:
			r, why = osscheduler.StopReboot, "device powered off"
		case device.ChangeAppSwipedAway:
			why = "app swiped away"
		case device.ChangeAppUpdated:
			why = "app updated"
		}
		m.greedyProcessDied(r, why)
		return false
	case !was && now:
		m.greedyProcessStarted()
	}
	return m.gr.primed && now
}

func (m *Model) addGreedyRunning(w *workSpec) { m.gr.running = append(m.gr.running, w) }

func (m *Model) removeGreedyRunning(w *workSpec) {
	for i, r := range m.gr.running {
		if r == w {
			m.gr.running = append(m.gr.running[:i], m.gr.running[i+1:]...)
			return
		}
	}
}

// greedyTimeout is TimeLimiter firing: the run is stopped with TIMEOUT.
func (m *Model) greedyBudget() time.Duration {
	if m.cfg.ExecutionLimit > 0 {
		return m.execLimit
	}
	return m.gr.rel.timeLimit
}

// emitGreedyStart traces an in-process start.
func (m *Model) emitGreedyStart(w *workSpec, x *osscheduler.Execution, now, eligible time.Time) {
	if m.eng.Watching(event.Started) {
		m.eng.Emit(srcWM, event.Started, w.subject(), x.WhyThen, sim.String("id", w.id), sim.Int("attempt", int64(x.Attempt)),
			sim.Dur("waited", sim.Sub(now, eligible)), sim.Int("exec", int64(x.ID)), sim.String("scheduler", "greedy"))
	}
}
