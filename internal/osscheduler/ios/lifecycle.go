package ios

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// The app's life cycle around background execution: background time and
// suspension, beginBackgroundTask assertions, the LLDB task-launch commands,
// and Low Power Mode's automatic end on a charger.

// Background time.
const (
	// SuspendGrace: when the app moves to the background,
	// applicationDidEnterBackground "has five seconds to perform any tasks and
	// return. Shortly after that method returns, the system puts your app
	// into the suspended state"
	// (https://developer.apple.com/documentation/uikit/extending-your-app-s-background-execution-time [A]).
	SuspendGrace = 5 * time.Second
	// BackgroundTaskTime: a beginBackgroundTask assertion keeps a
	// backgrounded app running for about 30 s on iOS 13 and later before the
	// expiration handler runs (DTS, "UIApplication Background Task Notes",
	// developer forums thread 85066, and forums message 391799: the
	// expiration handler ran about 30 s after the app left the foreground
	// [D]; iOS 7–12 allowed 180 s). The same figure is InProcessBudget.
	BackgroundTaskTime = InProcessBudget
	// LowPowerAutoOffPercent: "Low Power Mode automatically turns off when
	// your iPhone charges to 80%" (Apple Support, "Use Low Power Mode to save
	// battery life on your iPhone", https://support.apple.com/en-us/101604 [A]).
	LowPowerAutoOffPercent = 80
	// lowPowerPoll is how often the model looks at the battery while Low
	// Power Mode is on and the phone is charging (the device integrates the
	// battery lazily; one minute bounds the overshoot to one minute of
	// charging).
	lowPowerPoll = time.Minute
)

// BeginBackgroundTask is UIApplication.beginBackgroundTask(withName:): an
// assertion that keeps the app from being suspended for up to
// BackgroundTaskTime after it leaves the foreground. The plugin's iOS one-off
// takes one at registration and ends it when the work completes or expires.
func (m *Model) BeginBackgroundTask(name string) {
	if !m.alive {
		return
	}
	if m.assertions == nil {
		m.assertions = map[string]int{}
	}
	m.assertions[name]++
	m.emit(SourceApp, event.BackgroundTaskBegin, name, "beginBackgroundTask: the app is not suspended while the assertion holds (about 30 s once in the background)")
	m.scheduleSuspendCheck()
}

// EndBackgroundTask is UIApplication.endBackgroundTask for name's assertion.
func (m *Model) EndBackgroundTask(name string) {
	if m.assertions[name] == 0 {
		return
	}
	m.assertions[name]--
	if m.assertions[name] == 0 {
		delete(m.assertions, name)
	}
	m.emit(SourceApp, event.BackgroundTaskEnd, name, "endBackgroundTask")
	m.scheduleSuspendCheck()
}

// Suspended reports whether the app process is suspended.
func (m *Model) Suspended() bool { return m.dev.StateView().App == device.ProcessSuspended }

func (m *Model) holdsAssertion() bool {
	if len(m.assertions) > 0 {
		return true
	}
	for _, r := range m.running {
		if r.inProcess {
			return true
		}
	}
	return false
}

// tickMoved is told the tick's new instant: a folded suspension check
// whose background-time event falls at that very instant is queued after
// all (the two events' order would otherwise be the fold's, not the
// check's).
func (m *Model) tickMoved() {
	if m.checkFolded && m.tickAt == m.checkDeadline {
		m.settleCheck(true)
	}
}

// suspendCheck is the model's suspension timer (a value type: no allocation).
type suspendCheck struct{ m *Model }

func (h suspendCheck) Fire(*sim.Engine) { h.m.maybeSuspend() }

func (m *Model) scheduleSuspendCheck() {
	m.checkGen++ // an undecided check of remove's is replaced (placeSuspendCheck)
	m.checkFolded = false
	if m.suspendTimer.Pending() {
		m.eng.Cancel(m.suspendTimer)
	}
	m.suspendTimer = m.eng.After(0, sim.PhaseOS, "ios.app.suspend-check", suspendCheck{m})
}

// Folded suspension checks. A run's end asks for a suspension check at
// this instant (scheduleSuspendCheck: an event queued now in the OS
// phase). When the app is in the background with nothing else running and
// its background time not over, that check only queues the background-time
// event at the deadline (maybeSuspend). remove then queues that event at
// once and no check (the check's place in the order is reserved), unless
// something maybeSuspend reads changes before the check's place comes: a
// device change (the process state, the power, background time),
// another run starting, an assertion (which asks for a check of its own),
// or the tick moved to the deadline itself (the only other event of this
// model that can fall at that instant in the OS phase, where the order of
// same-instant events counts). Then the check is queued in its reserved
// place after all and decides as it would have (settleCheck).
// TestFoldedSuspendChecksChangeNothing runs both ways.

// foldSuspendChecks turns the fold on (off: the reference the tests
// compare against).
var foldSuspendChecks = true

// reserveSuspendCheck is scheduleSuspendCheck for remove, which decides
// after the device took the run's end (placeSuspendCheck): the pending
// check or background time is cancelled and the new check's place is
// reserved; the check is queued there, or folded, by placeSuspendCheck.
func (m *Model) reserveSuspendCheck() (seq, gen uint64) {
	m.checkGen++
	m.checkFolded = false
	if m.suspendTimer.Pending() {
		m.eng.Cancel(m.suspendTimer)
	}
	return m.eng.ReserveSeq(), m.checkGen
}

// placeSuspendCheck queues the check reserved at seq (this instant, the OS
// phase), or, when it would only queue the background-time event, queues
// that instead and remembers the check as folded. A check asked for since
// (gen changed) replaced it.
func (m *Model) placeSuspendCheck(seq, gen uint64) {
	if gen != m.checkGen {
		return
	}
	if _, by, firing := m.eng.Firing(); foldSuspendChecks && firing {
		if deadline, ok := m.suspendDeadline(); ok {
			m.checkFolded, m.checkSeq, m.checkAt, m.checkBy = true, seq, int64(m.eng.Elapsed()), by
			m.foldedChecks++
			m.checkDeadline = int64(sim.Sub(deadline, m.eng.Start()))
			m.suspendTimer = m.eng.Schedule(deadline, sim.PhaseOS, "ios.app.background-time", suspendCheck{m})
			return
		}
	}
	m.suspendTimer = m.eng.ScheduleReserved(m.eng.Now(), sim.PhaseOS, seq, "ios.app.suspend-check", suspendCheck{m})
}

// suspendDeadline is the instant maybeSuspend, run now, would queue the
// background-time event at, when that is all it would do.
func (m *Model) suspendDeadline() (time.Time, bool) {
	st := m.dev.StateView()
	if st.App != device.ProcessBackground || st.Power != device.PowerOn {
		return time.Time{}, false
	}
	for _, r := range m.running {
		if r.bgLaunch || r.simulated {
			return time.Time{}, false
		}
	}
	deadline := m.backgroundSince.Add(SuspendGrace)
	if m.holdsAssertion() {
		deadline = m.backgroundSince.Add(BackgroundTaskTime)
	}
	return deadline, m.eng.Now().Before(deadline)
}

// settleCheck ends a folded check: done, once the order has passed its
// place; else, when unfold says something it reads changed, queued in its
// place after all (the background-time event it stood for cancelled). The
// event the check was asked for in comes before it, whatever its phase (an
// event queued for this instant in an earlier phase than the firing one's
// fires next); a later one comes after it when it is later in the order.
func (m *Model) settleCheck(unfold bool) {
	ph, seq, ok := m.eng.Firing()
	now := int64(m.eng.Elapsed())
	if ok && (now > m.checkAt || (seq != m.checkBy && (ph > sim.PhaseOS || (ph == sim.PhaseOS && seq > m.checkSeq)))) {
		m.checkFolded = false
		return
	}
	if unfold {
		m.checkFolded = false
		m.unfoldedChecks++
		m.eng.Cancel(m.suspendTimer)
		m.suspendTimer = m.eng.ScheduleReserved(m.eng.Now(), sim.PhaseOS, m.checkSeq, "ios.app.suspend-check", suspendCheck{m})
	}
}

// maybeSuspend suspends a backgrounded app whose background time is over:
// SuspendGrace after it left the foreground, or BackgroundTaskTime while it
// holds a beginBackgroundTask assertion, at whose end the expiration
// handlers run and the assertions end. A task the system launched
// (BGTaskScheduler, fetch) keeps the app running until it completes or
// expires.
func (m *Model) maybeSuspend() {
	st := m.dev.StateView()
	if st.App != device.ProcessBackground || st.Power != device.PowerOn {
		return
	}
	for _, r := range m.running {
		if r.bgLaunch || r.simulated {
			return // the run's own budget (or the debugger) governs
		}
	}
	now := m.eng.Now()
	deadline := m.backgroundSince.Add(SuspendGrace)
	if m.holdsAssertion() {
		deadline = m.backgroundSince.Add(BackgroundTaskTime)
		if now.Before(deadline) {
			m.suspendTimer = m.eng.Schedule(deadline, sim.PhaseOS, "ios.app.background-time", suspendCheck{m})
			return
		}
		// Background time is over: the expiration handlers end the
		// assertions (the plugin's handler calls endBackgroundTask).
		for _, name := range sortedNames(m.assertions) {
			m.emit(SourceApp, event.BackgroundTaskExpired, name, "background time used up: the expiration handler ended the assertion")
		}
		clear(m.assertions)
	}
	if now.Before(deadline) {
		m.suspendTimer = m.eng.Schedule(deadline, sim.PhaseOS, "ios.app.background-time", suspendCheck{m})
		return
	}
	// The device traces the change (app.suspended): from here in-process
	// timers do not fire until the app resumes, and it may be terminated
	// without notice.
	m.dev.SuspendProcess()
}

func sortedNames(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// lifecycleActs reports whether lifecycleChanged could do anything at the
// change c of class cl: only a change of classBackground or
// classProcessStarted, or one while an assertion is held or Low Power Mode
// is on. DeviceChanged calls lifecycleChanged only then.
// TestLifecycleChangedActsOnlyWhenItSays checks every other case changes
// nothing.
func (m *Model) lifecycleActs(c *device.Change, cl changeClass) bool {
	return cl == classBackground || cl == classProcessStarted || len(m.assertions) > 0 || c.State.LowPower
}

// lifecycleChanged follows the device for suspension and Low Power Mode.
func (m *Model) lifecycleChanged(c *device.Change, cl changeClass) {
	switch {
	case cl == classBackground:
		m.backgroundSince = c.At
		m.scheduleSuspendCheck()
	case cl == classProcessStarted:
		// A background launch (or a resume from suspension): background time
		// counts from now.
		m.backgroundSince = c.At
	case len(m.assertions) > 0 && !processAlive(c.State.App):
		clear(m.assertions)
	}
	if c.State.LowPower && c.State.Plugged() {
		m.armLowPowerPoll()
	}
}

type lowPowerTimer struct{ m *Model }

func (h lowPowerTimer) Fire(*sim.Engine) { h.m.lowPowerCheck() }

func (m *Model) armLowPowerPoll() {
	if m.lpmTimer.Pending() {
		return
	}
	m.lpmTimer = m.eng.After(0, sim.PhaseOS, "ios.low-power.check", lowPowerTimer{m})
}

// lowPowerCheck turns Low Power Mode off once a charging phone reaches
// LowPowerAutoOffPercent, as iOS does.
func (m *Model) lowPowerCheck() {
	st := m.dev.State()
	if !st.LowPower || !st.Plugged() || st.Power != device.PowerOn {
		return
	}
	if st.Battery.Level() >= LowPowerAutoOffPercent {
		m.emit(SourceDASD, event.LowPowerAutoOff, "device", "charged to 80 %: iOS turned Low Power Mode off")
		m.dev.SetLowPower(false)
		return
	}
	m.lpmTimer = m.eng.After(lowPowerPoll, sim.PhaseOS, "ios.low-power.check", lowPowerTimer{m})
}

// SimulateLaunch is the debugger command
// `e -l objc -- (void)[[BGTaskScheduler sharedScheduler] _simulateLaunchForTaskWithIdentifier:@"ID"]`
// ("Starting and Terminating Tasks During Development",
// https://developer.apple.com/documentation/backgroundtasks/starting-and-terminating-tasks-during-development [A]).
// It needs a pending request with the identifier (else it only logs "No task
// request with identifier … has been scheduled"); it cancels that request and
// runs the launch handler in the live process at once, bypassing every gate
// and heuristic, with no budget (BackgroundTasks.framework [R]). A missing
// launch handler raises, crashing the app.
func (m *Model) SimulateLaunch(id string) error {
	if !m.alive {
		m.emit(SourceScheduler, event.SimulateLaunch, id, "the app is not running under the debugger: nothing happens")
		return osscheduler.Errorf("not_running", "the app process is not running")
	}
	for _, r := range m.running {
		if r.subject == id {
			m.emit(SourceScheduler, event.SimulateLaunch, id, "Task with identifier "+id+" is already running")
			return osscheduler.Errorf("already_running", "Task with identifier %s is already running", id)
		}
	}
	p := m.pendingOf(id)
	ok := p != nil
	if !ok {
		m.emit(SourceScheduler, event.SimulateLaunch, id, "No task request with identifier "+id+" has been scheduled")
		return osscheduler.Errorf("not_scheduled", "No task request with identifier %s has been scheduled", id)
	}
	if !m.handlerFor(id) {
		return m.crash("_simulateLaunchForTaskWithIdentifier", id, "No launch handler registered for task with identifier "+id)
	}
	m.deletePending(id)
	m.pendingChanged()
	m.deferred.del(id)
	if m.Suspended() {
		m.dev.StartProcess() // the debugger resumes the paused process
	}
	rn := &run{m: m, subject: id, source: SourceScheduler, kind: p.req.Kind, simulated: true}
	m.start(rn, p.req.UniqueName, p.req.TaskName, p.req.Input, m.eng.Now(), "_simulateLaunchForTaskWithIdentifier: the debugger launched the task in-process, bypassing dasd's gates")
	return nil
}

// SimulateExpiration is `_simulateExpirationForTaskWithIdentifier:`: it calls
// the expiration handler of a task started by SimulateLaunch that is still
// running; otherwise it only logs an error.
func (m *Model) SimulateExpiration(id string) error {
	for _, r := range m.running {
		if r.subject == id && r.simulated {
			if !m.remove(r) {
				break
			}
			r.x.Abandon()
			m.exec.Stop(r.x, osscheduler.StopTimeout)
			m.j.RunEnded(r.x, m.eng.Now(), m.eng.Start(), osscheduler.OutcomeExpired, osscheduler.StopTimeout)
			m.taskState(r.subject, osscheduler.StateFailed)
			m.emit(SourceScheduler, event.Expired, id, "_simulateExpirationForTaskWithIdentifier: the expiration handler was called (no throttling: dasd never saw the task)",
				sim.Int("run", int64(r.x.ID)))
			m.scheduleSuspendCheck()
			return nil
		}
	}
	m.emit(SourceScheduler, event.SimulateExpiration, id, "no task with identifier "+id+" started by _simulateLaunchForTaskWithIdentifier is running")
	return osscheduler.Errorf("not_running", "no simulated launch of %s is running", id)
}

// failureRec is the failure-feedback state of one identifier.
type failureRec struct {
	n     int       // consecutive setTaskCompleted(success: false)
	until time.Time // no launch before this
}

// recordResult feeds a refresh task's completion into the failure-feedback
// heuristic (Params.FailureDeferral; an assumption, see there).
func (m *Model) recordResult(id string, success bool) {
	m.inputsChanged()
	if m.par.FailureDeferral <= 0 {
		return
	}
	if success {
		if _, ok := m.failures[id]; ok {
			delete(m.failures, id)
			m.emit(SourceDASD, event.FailureFeedback, id, "setTaskCompleted(success: true): the failure feedback is cleared")
		}
		return
	}
	if m.failures == nil {
		m.failures = map[string]failureRec{}
	}
	f := m.failures[id]
	f.n++
	d := min(m.par.FailureDeferral<<min(f.n-1, 16), m.par.MaxFailureDeferral)
	f.until = m.eng.Now().Add(d)
	m.failures[id] = f
	m.emit(SourceDASD, event.FailureFeedback, id,
		"setTaskCompleted(success: false): dasd defers this task's next launch by "+d.String()+
			" (failure feedback: an assumption from the plugin's docs, not Apple's; "+m.par.Name+" heuristics)",
		sim.Int("failures", int64(f.n)), sim.Dur("deferral", d))
}

// failureFeedback is the gate of the failure-feedback heuristic.
func (m *Model) failureFeedback(id string) (gate, bool) {
	f, ok := m.failures[id]
	if !ok || !m.eng.Now().Before(f.until) {
		return gate{}, true
	}
	return gate{"failure_feedback", "failure feedback (assumed; Apple does not document it): " + strconv.Itoa(f.n) +
		" run(s) in a row ended with setTaskCompleted(success: false); no launch before +" + sim.FormatOffset(f.until.Sub(m.eng.Start()))}, false
}
