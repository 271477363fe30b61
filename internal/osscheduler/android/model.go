package android

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Model is one app's WorkManager on one Android device: the WorkSpec
// database, JobScheduler with its controllers, Doze and App Standby.
type Model struct {
	eng     *sim.Engine
	dev     *device.Device
	cfg     Config
	prof    profile
	exec    osscheduler.Executor
	journal *osscheduler.Journal

	startLatency, execLimit time.Duration

	specs []*workSpec // the database, in enqueue order (deleted rows kept, marked)
	// nDeleted counts the specs marked deleted.
	nDeleted int
	byName   map[string][]*workSpec
	byID     map[string]*workSpec // for Spec: invariant checks look a work up at every start
	nextID   int
	execID   uint64
	execs    osscheduler.Executions // where launch takes its runs' Executions from

	running  []*workSpec // nil holes are reused
	nRunning int

	evalTimer sim.Timer
	evalAt    int64 // while evalTimer is pending: its instant, ns since the start (requestEval)
	evalH     sim.Handler

	// st is the device state as of the last change notification (the model
	// reads no battery charge, only signals, so it need not integrate).
	st device.State

	powerOff     bool
	forceStopped bool
	saver        bool
	screenOffAt  time.Time

	oem           *OEMProfile
	oemRestricted bool // oem's default battery optimization is restricted (oemInit)
	oemT          [oemTimers]sim.Timer
	oemH          [oemTimers]sim.Handler
	oemActs       [oemTimers]bool // the rule of timer i does something (its timer is ever queued)
	awaitLaunch   bool            // booted with autostart off: nothing rescheduled until the app is opened
	oemSlept      bool            // the OEM layer put the app in the restricted bucket

	gr greedy // GreedyScheduler in the app's process (greedy.go)

	doze      dozeMachine
	sb        standby
	lastQuota quotaState
	// quotaCheck's answer, cached for one instant (sessions, bucket unchanged).
	qcValid bool
	qcAt    time.Time
	qcState quotaState
	qcOK    bool
	// latRand is the "android.start-latency" stream, looked up once
	// (sim.Engine.Rand returns the same generator for a name every time).
	latRand *rand.Rand

	// passSerial numbers the full JobScheduler passes; changes counts the
	// calls that may change what a pass reads (requestEvalAt, device
	// changes, the API's calls that may change state); repeat is what the
	// last full pass left for the pass after its launch (repeatPass).
	passSerial uint64
	changes    uint64
	repeat     repeatMark
	repeated   uint64 // passes repeatPass answered
}

// New builds the model and subscribes it to the device. A nil journal is
// allowed; a nil executor starts runs that never finish. Config values out of range are brought into range (API 23..37).
func New(eng *sim.Engine, dev *device.Device, cfg Config, exec osscheduler.Executor, j *osscheduler.Journal) *Model {
	if cfg.API == 0 {
		cfg.API = 34
	}
	cfg.API = min(max(cfg.API, 23), 37)
	if cfg.Quota != QuotaDocs {
		cfg.Quota = QuotaAOSP
	}
	if exec == nil {
		exec = nopExecutor{}
	}
	m := &Model{eng: eng, dev: dev, cfg: cfg, prof: profileFor(cfg.API, cfg.Quota), exec: exec, journal: j,
		byName: map[string][]*workSpec{}, byID: map[string]*workSpec{}, saver: cfg.BatterySaver}
	m.startLatency = cfg.StartLatency
	if m.startLatency <= 0 {
		m.startLatency = defaultStartLatency
	}
	m.execLimit = cfg.ExecutionLimit
	if m.execLimit <= 0 {
		m.execLimit = defaultExecutionLimit
	}
	m.evalH = evalHandler{m}
	m.gr.rel = greedyFor(cfg.WorkManager)
	m.oem = cfg.OEMProfile
	if m.oem == nil {
		name := cfg.OEM
		if name == "" {
			name = "aosp"
		}
		p, err := sharedBuiltinOEM(name)
		if err != nil {
			p, _ = sharedBuiltinOEM("aosp")
		}
		m.oem = p
	}
	m.oemInit()
	m.doze = dozeMachine{m: m}
	m.doze.deepH = deepStepHandler{&m.doze}
	m.doze.lightH = lightStepHandler{&m.doze}
	m.sb = standby{pinned: -1, lastUse: eng.Now(), h: standbyHandler{m}}
	st := dev.State()
	m.st = st
	if !st.ScreenOn {
		m.screenOffAt = eng.Now()
	} else {
		m.sb.screenOnSince, m.sb.screenOnAt = eng.Now(), int64(eng.Elapsed())
	}
	m.powerOff = st.Power != device.PowerOn
	m.forceStopped = st.App == device.ProcessForceStopped
	m.SetStandbyBucket(cfg.StandbyBucket)
	dev.Subscribe(listener{m})
	if !m.powerOff {
		m.doze.update(&st, device.ChangeScreen)
	}
	return m
}

// nopExecutor stands in for a nil Executor: runs start and never finish
// (until the execution limit stops them).
type nopExecutor struct{}

func (nopExecutor) Start(*osscheduler.Execution)                        {}
func (nopExecutor) Stop(*osscheduler.Execution, osscheduler.StopReason) {}

// saverOn: Battery Saver is on and the device unplugged (plugging in turns
// Battery Saver off: FB power/batterysaver/BatterySaverStateMachine.java).
func (m *Model) saverOn() bool {
	st := &m.st
	return (m.saver || st.LowPower) && !st.Plugged()
}

func (m *Model) newID() string {
	m.nextID++
	return fmt.Sprintf("wm-%04d", m.nextID)
}

// deviceChanged follows the device: constraints, Doze, usage, lifecycle.
func (m *Model) deviceChanged(c *device.Change) {
	// Most changes (the screen, the lock) leave the app's process as it
	// was: then it neither came alive (prune) nor started or ended
	// (greedyDevice acts only when it does, and its answer is read only
	// for ChangeProcessStarted, which always changes the process).
	appChanged := c.State.App != m.st.App || fullDeviceChanged
	if !appChanged {
		switch c.Kind {
		case device.ChangeLock:
			// Locking or unlocking (the start of every screen session) is
			// read by nothing here: oemDevice and the switches below ignore
			// the kind, and no decision reads the lock. Only the state is
			// kept. TestLockChangesOnlyTheState compares.
			m.st = c.State
			return
		case device.ChangeScreen:
			m.screenChanged(c)
			return
		}
	}
	if appChanged && !processAlive(m.st.App) && processAlive(c.State.App) {
		m.prune(c.At)
	}
	m.oemDevice(c)
	greedyEval := false
	if appChanged {
		wasAlive := processAlive(m.st.App)
		m.st = c.State
		greedyEval = m.greedyDevice(c, wasAlive)
	} else {
		m.st = c.State
	}
	st := &c.State
	switch c.Kind {
	case device.ChangeScreen, device.ChangePowerOff, device.ChangeAppLaunched:
		if st.ScreenOn {
			m.screenOffAt = time.Time{}
		} else if m.screenOffAt.IsZero() {
			m.screenOffAt = c.At
		}
	}
	switch c.Kind {
	case device.ChangeBatteryLevel, device.ChangeProcessStarted, device.ChangeLock, device.ChangeThermal, device.ChangeAppBackground:
		// Nothing the model decides on changed (the level matters only through
		// battery.low / battery.okay). A backgrounded app loses TOP, which
		// matters for quota and Battery Saver: evaluate for that one.
		if c.Kind == device.ChangeProcessStarted && greedyEval && !m.powerOff {
			m.requestEval(c.At)
		}
		if c.Kind == device.ChangeAppBackground && !m.powerOff {
			if m.prof.topJobsKeepQuota && m.nRunning > 0 && m.quotaApplies(st) {
				// Android 16: jobs started while TOP count against the
				// quota from the moment the app leaves TOP.
				m.qcValid = false
				m.pruneQuota(c.At)
				m.quotaSessionOpen(c.At)
			}
			m.changeEval(c.At)
		}
		return
	case device.ChangeScreen, device.ChangeAppLaunched, device.ChangeAppNotified, device.ChangePowerOff, device.ChangeBootCompleted:
		m.standbyDevice(c)
	}
	switch c.Kind {
	case device.ChangePowerOff:
		m.powerDown()
		return
	case device.ChangeBootCompleted:
		m.boot()
	case device.ChangeAppForceStop:
		m.forceStop("app force-stopped")
	case device.ChangeAppSwipedAway:
		m.oemSwiped()
	case device.ChangeAppLaunched:
		m.oemLaunched()
		if m.forceStopped {
			m.forceStopped = false
			m.rescheduleAll("app launched after a force-stop: all eligible work rescheduled")
		} else if m.awaitLaunch {
			m.awaitLaunch = false
			m.rescheduleAll("app launched after a boot without autostart: all eligible work rescheduled")
		}
	case device.ChangeAppUpdated:
		m.processRestart(osscheduler.StopUnknown, "app updated: process restarted, jobs kept")
	case device.ChangeProcessDied:
		m.processRestart(osscheduler.StopUnknown, "app process died")
	}
	if m.powerOff {
		return
	}
	m.doze.update(st, c.Kind) // Doze state changes request their own evaluation
	switch c.Kind {
	case device.ChangeMotion, device.ChangeStorage:
		return // only through Doze / storage.low
	case device.ChangeScreen:
		if !m.screenMatters() && !alwaysEvaluate {
			return
		}
	}
	m.changeEval(c.At)
}

// changeEval asks for the pass a change calls for (a device change, a
// standby bucket's change, deep Doze going IDLE), unless that pass would
// be idle (changeIsIdle): then it only requeues the pending pass, as the
// skipped one would have queued it afresh at the same instant (the order
// of events that fall on that instant is kept, as Doze's changed keeps
// it). The networks, chargers and app launches of a usage profile mostly
// come while nothing is due or running, and so do most bucket decays and
// deep idles: a device-year saves a few thousand passes.
// TestIdleChangePassesChangeNothing compares; TestIdleChangePassesAreIdle
// takes each pass left out and checks it changes nothing;
// TestIdleChangePassKeptForGreedyWork and
// TestIdleChangePassEndsAMaintenanceWindow keep the passes that would not
// be idle.
func (m *Model) changeEval(now time.Time) {
	if !alwaysEvaluate && skipIdleChangePasses && m.changeIsIdle(now) {
		if checkIdleChange != nil {
			checkIdleChange(m) // and the pass is taken, for the test to check it changes nothing
			m.requestEval(now)
			return
		}
		m.repeat.armed = false // the skipped pass would have cleared the mark (repeatPass)
		if !m.doze.requeueSuperseded() {
			m.eng.Requeue(m.evalTimer)
		}
		return
	}
	m.requestEval(now)
}

// skipIdleChangePasses lets changeEval leave out a device change's idle
// pass; tests turn it off to compare. checkIdleChange, when set (tests), is
// called where changeEval would leave the pass out, which it then takes.
var (
	skipIdleChangePasses = true
	checkIdleChange      func(m *Model)
)

// changeIsIdle: a JobScheduler pass at now, on the state the change left,
// would change nothing and queue the next pass where it is pending.
// passIsIdle holds (the device on, nothing running for JobScheduler, the
// bucket fresh, every scheduled job not due before the pending pass and
// already reported not due, the pass pending at the earliest due time: a
// job not due is not weighed further, so neither the device's state, the
// bucket nor deep Doze matters to it), and beyond what a Doze flip can
// change, what a device change may:
//   - blocked still answers not due first: the app is not force-stopped
//     (passIsIdle), no job carries a cmd override, and the vendor's
//     autostart rule does not hold a dead process (checked before the due
//     time);
//   - nothing runs in the process (GreedyScheduler's trackers would weigh
//     it) and no work is RUNNING with its job (heldPass);
//   - GreedyScheduler, when it would look at all (primed, the process
//     alive), finds every work it tracks not due and due no earlier than
//     the pending pass, so that its next instant is not earlier (its due
//     times are kept; greedyDueAt sets the attempt data the pass would set
//     at this same instant);
//   - no Doze maintenance window is open, so dozeAfterEval has nothing to
//     end early.
func (m *Model) changeIsIdle(now time.Time) bool {
	if !m.passIsIdleNow(now) || !m.evalTimer.Pending() || len(m.gr.running) > 0 {
		return false
	}
	if !m.oemAutostart() && !processAlive(m.st.App) {
		return false
	}
	if d := &m.doze; d.deep == dozeIdleMaint || d.light == lightMaint {
		return false
	}
	greedy := m.gr.primed && processAlive(m.st.App)
	at := int64(m.eng.Elapsed())
	for _, w := range m.specs {
		if w.deleted {
			continue
		}
		if w.job.override != overrideNone || w.state == stRunning && w.job.scheduled {
			return false
		}
		if greedy && w.state == stEnqueued && greedyTracks(w) {
			if _, dueAt := m.greedyDueAt(w, now); dueAt <= at || dueAt < m.evalAt {
				return false
			}
		}
	}
	return true
}

// screenChanged is deviceChanged for a screen toggle that leaves the app's
// process as it was (most changes a user makes): the same steps in the same
// order as the general path takes for ChangeScreen, without its switches
// over the change's kind (strings), which the general path goes through
// five times. TestLockChangesOnlyTheState compares it with the general path
// (fullDeviceChanged).
func (m *Model) screenChanged(c *device.Change) {
	m.oemScreen(c.State.ScreenOn)
	m.st = c.State
	st := &c.State
	if st.ScreenOn {
		m.screenOffAt = time.Time{}
	} else if m.screenOffAt.IsZero() {
		m.screenOffAt = c.At
	}
	m.standbyScreen(c)
	if m.powerOff {
		return
	}
	m.doze.update(st, device.ChangeScreen) // Doze state changes request their own evaluation
	if !m.screenMatters() && !alwaysEvaluate {
		return
	}
	m.requestEval(c.At)
}

// fullDeviceChanged turns off deviceChanged's shortcuts for a change that
// leaves the app's process as it was; a test checks that they change
// nothing.
var fullDeviceChanged = false

// alwaysEvaluate turns off the skipping of evaluations that cannot change a
// decision; a test checks that the skipping changes nothing.
var alwaysEvaluate = false

// screenMatters: a screen change affects a decision beyond Doze (which
// evaluates on its own): the device-idle constraint, or the restricted
// bucket's dynamic constraints.
func (m *Model) screenMatters() bool {
	if m.prof.restrictedDynamic && m.sb.current == bucketRestricted {
		return true
	}
	for _, w := range m.specs {
		if w.constraints.RequiresDeviceIdle && w.state == stEnqueued && w.job.scheduled {
			return true
		}
	}
	return false
}

// powerDown: everything running is lost; the WorkSpecs stay in the database.
func (m *Model) powerDown() {
	for _, w := range m.running {
		if w != nil {
			m.abortRun(w, osscheduler.StopReboot, osscheduler.StopReboot, "device powered off")
			w.resetWorkerStatus(osscheduler.StopUnknown)
		}
	}
	for _, w := range m.specs {
		m.unschedule(w)
	}
	m.eng.Cancel(m.evalTimer)
	m.eng.Cancel(m.doze.deepT)
	m.doze.deepLazy = false
	m.eng.Cancel(m.doze.lightT)
	m.doze.deep, m.doze.light, m.doze.forced = dozeActive, lightActive, false
	m.powerOff = true
	if m.eng.Tracing() {
		m.eng.Emit(srcJS, event.PowerOff, "device", "all jobs lost; WorkSpecs kept in the database")
	}
}

// boot: RescheduleReceiver → ForceStopRunnable reschedules everything, unless
// the app is force-stopped (it gets no BOOT_COMPLETED).
func (m *Model) boot() {
	m.powerOff = false
	if !m.oemAutostart() && !m.forceStopped {
		m.awaitLaunch = true
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Deferred, "device", m.oem.Name+": autostart is off: the app gets no BOOT_COMPLETED, nothing is rescheduled until the user opens it")
		}
		return
	}
	if m.forceStopped {
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Deferred, "device", "boot completed but the app is force-stopped: nothing runs until the user opens it")
		}
		return
	}
	m.rescheduleAll("boot completed: RescheduleReceiver rescheduled all work")
}

func (m *Model) rescheduleAll(why string) {
	n := 0
	for _, w := range m.specs {
		if w.state == stRunning && w.job.exec == nil {
			w.resetWorkerStatus(osscheduler.StopUnknown)
		}
		if w.state == stEnqueued && !w.deleted {
			m.schedule(w)
			n++
		}
	}
	if m.eng.Tracing() {
		m.eng.Emit(srcWM, event.Rescheduled, "all", why, sim.Int("works", int64(n)))
	}
	m.greedySchedule()
	m.requestEval(m.eng.Now())
}

func (m *Model) forceStop(why string) {
	for _, w := range m.running {
		if w != nil {
			m.abortRun(w, osscheduler.StopUser, osscheduler.StopUser, why)
			w.resetWorkerStatus(osscheduler.StopUnknown)
		}
	}
	for _, w := range m.specs {
		m.unschedule(w)
	}
	m.forceStopped = true
	if m.eng.Tracing() {
		m.eng.Emit(srcJS, event.ForceStopped, "all", why+": all jobs cancelled until the next launch")
	}
}

// processRestart stops running work because the process went away; the jobs
// are kept and the work is eligible again.
func (m *Model) processRestart(reason osscheduler.StopReason, why string) {
	for _, w := range m.running {
		if w != nil {
			m.gr.reconcile = true // left RUNNING: the next process's ForceStopRunnable finds it
			m.abortRun(w, reason, reason, why)
			w.resetWorkerStatus(reason)
			m.schedule(w)
		}
	}
}

// processAlive: the app's process runs (foreground, or cached in the background).
func processAlive(p device.Process) bool {
	return p == device.ProcessForeground || p == device.ProcessBackground
}

// prune is WorkDatabase's CleanupCallback.onOpen, run when a new process
// opens the database (AX impl/WorkDatabase.kt): every finished WorkSpec whose
// last_enqueue_time + minimum_retention_duration (0: keepResultsForAtLeast is
// not modelled) is more than PRUNE_THRESHOLD_MILLIS (1 day) ago and whose
// dependents are all finished is deleted. KEEP, APPEND and the WorkInfo
// queries no longer find it.
func (m *Model) prune(now time.Time) {
	cut := now.Add(-pruneThreshold)
	n := 0
	for _, w := range m.specs {
		if w.deleted || !w.state.finished() || !w.lastEnqueue.Before(cut) {
			continue
		}
		ok := true
		for _, d := range w.dependents {
			ok = ok && (d.state.finished() || d.deleted)
		}
		if !ok {
			continue
		}
		w.deleted = true
		m.nDeleted++
		n++
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Pruned, w.subject(), "process start: WorkDatabase cleanup deleted this "+w.state.String()+
				" work, enqueued more than a day ago (PRUNE_THRESHOLD_MILLIS)", sim.String("id", w.id))
		}
	}
	if n > 0 {
		for name := range m.byName {
			if len(m.live(name)) == 0 {
				delete(m.byName, name)
			}
		}
	}
}

// --- enqueue (AX impl/utils/EnqueueRunnable.kt, WorkerUpdater.kt) ----------

// MaxWorkSpecs bounds the WorkSpecs in the app's database (every row not
// yet pruned, whatever its state): the simulator's safety limit, not a
// platform rule. WorkManager's database has no such limit; what the
// platform bounds is what it hands on at once: at most
// Configuration.maxSchedulerLimit (20 by default, MIN_SCHEDULER_LIMIT; at
// most Scheduler.MAX_SCHEDULER_LIMIT = 50) WorkSpecs to JobScheduler, and
// Scheduler.MAX_GREEDY_SCHEDULER_LIMIT = 200 to GreedyScheduler per
// Schedulers.schedule (AX impl/Schedulers.java, impl/Scheduler.kt), so
// JobSchedulerService's MAX_JOBS_PER_APP (150) is never reached through
// WorkManager; finished rows go only when a process starts a day later
// (PRUNE_THRESHOLD_MILLIS). Work that enqueues more work than runs (a task
// whose then registers two new tasks each run) grows the database without
// end on a device too, and every scheduling pass reads it; here the run
// stops with the *sim.LimitError "max_workspecs" (exit code 3), in seconds,
// instead of at the wall-clock limit.
const MaxWorkSpecs = 10_000

// checkRows stops the run once the database holds more than MaxWorkSpecs
// rows; w is the one just inserted.
func (m *Model) checkRows(w *workSpec) {
	n := len(m.specs) - m.nDeleted
	if n <= MaxWorkSpecs {
		return
	}
	m.eng.Emit(srcWM, event.Warning, w.subject(), fmt.Sprintf("%d WorkSpecs in the database: the app enqueues work faster than WorkManager prunes it (task %q registers more work each run?)", n, w.task),
		sim.String("id", w.id), sim.Int("workspecs", int64(n)))
	m.eng.Stop(&sim.LimitError{Limit: "max_workspecs", Events: m.eng.Fired(), At: sim.Sub(m.eng.Now(), m.eng.Start()),
		Value: fmt.Sprintf("%d WorkSpecs; the app enqueues work faster than WorkManager prunes it, e.g. a task whose then registers two tasks each run", MaxWorkSpecs)})
}

func (m *Model) insert(w *workSpec, name string, prereqs []*workSpec, notes []clampNote) string {
	now := m.eng.Now()
	w.id, w.name, w.seq = m.newID(), name, len(m.specs)
	w.lastEnqueue = now
	w.prereqs = prereqs
	w.state = stEnqueued
	if len(prereqs) > 0 {
		all, failed, cancelled := true, false, false
		for _, p := range prereqs {
			p.dependents = append(p.dependents, w)
			switch p.state {
			case stSucceeded:
			case stFailed:
				failed, all = true, false
			case stCancelled:
				cancelled, all = true, false
			default:
				all = false
			}
		}
		switch {
		case all:
		case failed:
			w.state = stFailed
		case cancelled:
			w.state = stCancelled
		default:
			w.state = stBlocked
		}
	}
	m.specs = append(m.specs, w)
	m.byID[w.id] = w
	m.checkRows(w)
	if name != "" {
		m.byName[name] = append(m.byName[name], w)
	}
	if m.eng.Tracing() {
		for _, n := range notes {
			m.eng.Emit(srcWM, event.Clamped, w.subject(), n.msg, sim.String("id", w.id), sim.String("field", n.field))
		}
		why := "enqueued " + string(w.kind())
		if w.state == stEnqueued {
			why += "; next run time " + m.at(w.nextRunTime())
		} else {
			why += " as " + w.state.String() + " behind its prerequisites"
		}
		m.eng.Emit(srcWM, event.Enqueued, w.subject(), why, sim.String("id", w.id), sim.String("state", w.state.String()))
	}
	if w.state == stEnqueued && !m.forceStopped && !m.powerOff {
		m.schedule(w)
		m.greedySchedule()
		m.requestEval(now)
	}
	return w.id
}

// live returns the database rows with the name.
func (m *Model) live(name string) []*workSpec {
	rows := m.byName[name]
	k := 0
	for _, w := range rows {
		if !w.deleted {
			rows[k] = w
			k++
		}
	}
	clear(rows[k:])
	rows = rows[:k]
	m.byName[name] = rows
	return rows
}

// deleteNamed cancels every unfinished work with the name and deletes all its rows.
func (m *Model) deleteNamed(name, why string) {
	for _, w := range m.live(name) {
		m.cancel(w, why)
	}
	for _, w := range m.live(name) {
		w.deleted = true
		m.nDeleted++
	}
	delete(m.byName, name)
}

func (m *Model) enqueueUnique(name string, policy ExistingWorkPolicy, req WorkRequest) (string, error) {
	if name == "" {
		return "", osscheduler.Errorf("invalid_argument", "unique work name must not be empty")
	}
	w, notes, err := buildSpec(req, m.prof.api)
	if err != nil {
		return "", err
	}
	existing := m.live(name)
	switch policy {
	case Keep:
		for _, e := range existing {
			if e.state == stEnqueued || e.state == stRunning {
				if m.eng.Tracing() {
					m.eng.Emit(srcWM, event.Kept, name, "KEEP: existing work is "+e.state.String()+"; new request dropped", sim.String("id", e.id))
				}
				return e.id, nil
			}
		}
		m.deleteNamed(name, "KEEP over finished or blocked work: replaced")
	case Replace:
		m.deleteNamed(name, "REPLACE")
	case Append, AppendOrReplace:
		var leaves []*workSpec
		bad := false
		for _, e := range existing {
			if len(e.dependents) == 0 {
				leaves = append(leaves, e)
				bad = bad || e.state == stFailed || e.state == stCancelled
			}
		}
		if policy == AppendOrReplace && bad {
			m.deleteNamed(name, "APPEND_OR_REPLACE over a failed or cancelled chain")
			leaves = nil
		}
		return m.insert(w, name, leaves, notes), nil
	default:
		return "", osscheduler.Errorf("invalid_argument", "unknown ExistingWorkPolicy %d", policy)
	}
	return m.insert(w, name, nil, notes), nil
}

func (m *Model) enqueuePeriodic(name string, policy ExistingPeriodicWorkPolicy, req WorkRequest) (string, error) {
	switch policy {
	case PeriodicKeep:
		return m.enqueueUnique(name, Keep, req)
	case PeriodicReplace, PeriodicCancelAndReenqueue:
		return m.enqueueUnique(name, Replace, req)
	case PeriodicUpdate:
	default:
		return "", osscheduler.Errorf("invalid_argument", "unknown ExistingPeriodicWorkPolicy %d", policy)
	}
	if name == "" {
		return "", osscheduler.Errorf("invalid_argument", "unique work name must not be empty")
	}
	existing := m.live(name)
	switch {
	case len(existing) > 1:
		return "", osscheduler.Errorf("unsupported", "Can't apply UPDATE policy to the chains of work.")
	case len(existing) == 0:
		return m.enqueueUnique(name, Keep, req)
	}
	e := existing[0]
	if !e.periodic() {
		return "", osscheduler.Errorf("unsupported", "Can't update OneTimeWorker to Periodic Worker. Update operation must preserve worker's type.")
	}
	if e.state == stCancelled {
		m.deleteNamed(name, "UPDATE over cancelled work")
		return m.enqueueUnique(name, Keep, req)
	}
	w, notes, err := buildSpec(req, m.prof.api)
	if err != nil {
		return "", err
	}
	if e.state.finished() {
		return e.id, nil // NOT_APPLIED
	}
	// updateWork: keep state, runAttemptCount, lastEnqueueTime, periodCount.
	e.task, e.tags, e.input, e.constraints = w.task, w.tags, w.input, w.constraints
	e.interval, e.flex, e.initialDelay = w.interval, w.flex, w.initialDelay
	e.backoffPolicy, e.backoffDelay = w.backoffPolicy, w.backoffDelay
	e.generation++
	applied := "APPLIED_FOR_NEXT_RUN"
	if e.state == stEnqueued {
		applied = "APPLIED_IMMEDIATELY"
		if e.job.scheduled {
			m.schedule(e)
			m.greedySchedule()
		}
	}
	if m.eng.Tracing() {
		for _, n := range notes {
			m.eng.Emit(srcWM, event.Clamped, name, n.msg, sim.String("id", e.id), sim.String("field", n.field))
		}
		m.eng.Emit(srcWM, event.Updated, name, "UPDATE: "+applied+"; enqueue time preserved", sim.String("id", e.id),
			sim.Int("generation", int64(e.generation)))
	}
	m.requestEval(m.eng.Now())
	return e.id, nil
}

// cancel is CancelWorkRunnable for one work and its transitive dependents.
func (m *Model) cancel(w *workSpec, why string) {
	if w.state.finished() {
		return
	}
	if w.state == stRunning && w.job.exec != nil {
		m.abortRun(w, osscheduler.StopCancelledByApp, osscheduler.StopCancelledByApp, "cancelled: "+why)
		w.stopReason = osscheduler.StopCancelledByApp
	}
	w.state = stCancelled
	m.unschedule(w)
	if m.eng.Watching(event.Cancelled) {
		m.eng.Emit(srcWM, event.Cancelled, w.subject(), why, sim.String("id", w.id))
	}
	for _, d := range w.dependents {
		m.cancel(d, why+" (prerequisite cancelled)")
	}
}

func (m *Model) failDependents(w *workSpec) {
	for _, d := range w.dependents {
		if d.state.finished() {
			continue
		}
		d.state = stFailed
		m.unschedule(d)
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Failed, d.subject(), "prerequisite "+w.id+" failed", sim.String("id", d.id))
		}
		m.failDependents(d)
	}
}

func (m *Model) unblockDependents(w *workSpec, now time.Time) {
	for _, d := range w.dependents {
		if d.state != stBlocked {
			continue
		}
		ok := true
		for _, p := range d.prereqs {
			ok = ok && p.state == stSucceeded
		}
		if !ok {
			continue
		}
		d.state = stEnqueued
		d.lastEnqueue = now
		if m.eng.Tracing() {
			m.eng.Emit(srcWM, event.Unblocked, d.subject(), "all prerequisites succeeded; next run time "+m.at(d.nextRunTime()), sim.String("id", d.id))
		}
		if !m.forceStopped && !m.powerOff {
			m.schedule(d)
		}
	}
}

func (w *workSpec) info() WorkInfo {
	wi := WorkInfo{ID: w.id, UniqueName: w.name, TaskName: w.task, State: w.state.task(), Periodic: w.periodic(),
		Tags: append([]string(nil), w.tags...), RunAttemptCount: w.runAttemptCount, StopReason: w.stopReason,
		LastFinished: w.lastFinished}
	if w.state == stEnqueued {
		wi.NextRunTime = w.nextRunTime()
	}
	return wi
}
