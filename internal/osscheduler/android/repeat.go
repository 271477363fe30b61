package android

import "time"

// The pass after a launch.
//
// When JobScheduler starts a job while GreedyScheduler tracks the app's work
// (greedy.primed), launch asks for another pass at the same instant: the
// process is now awake and bound, so GreedyScheduler may start other due
// work in it. Most such passes find nothing to do: the launched job was the
// only work due, and the pass only queues the next one where the pass that
// launched had it. That second pass is still an event in its place in the
// kernel's order (its own re-queue of the next pass takes the insertion
// sequence of that moment), but it need not weigh every work again when
// nothing can have changed since the launching pass ended.
//
// repeatPass answers such a pass from what the launching pass left
// (armRepeat) when all of this holds, which makes the full pass's outcome
// the launching pass's own:
//
//   - Nothing happened in between: the pass is the very next event the
//     kernel fires after the launching one (sim.Engine.Fired), at the same
//     instant, and no call that may change what a pass reads ran meanwhile
//     (Model.changes counts requestEvalAt, every device change and every
//     call of the API that may change the model's state; a run's end and a
//     timeout fire as events and ask for a pass).
//   - The launching pass started exactly one job (JobScheduler's; no
//     in-process start), which still runs with the execution it got, and the
//     launch itself changed nothing else (no device change, no other call:
//     the only count is launch's own request for this pass).
//   - Every work the launching pass weighed before that launch was not yet
//     due (blockNotDue, which reads only the work's own minimum latency and
//     nothing a launch changes): the works weighed after it saw the state the
//     repeat would see, at the same instant, so they would get the same
//     blocks (already reported), the same drawn start times and the same
//     instants to look again.
//   - GreedyScheduler: the launching pass went through its works (it did not
//     return early) and started none; each work it found due was the job
//     just started (so no longer ENQUEUED), and that work's in-process due
//     time was not ahead (it did not lower the next instant). Its other works
//     give the same due times, and its attempt data was set then.
//   - The running checks stop nothing: a job that ran before the launch was
//     checked by the launching pass (the launch changes only the quota's job
//     count, and its time use not at all while a session was open), and the
//     launched one passed blocked() with the in-quota buffer
//     (QuotaController DEFAULT_IN_QUOTA_BUFFER_MS, 30 s), which the
//     session coalescing a launch may add (DEFAULT_TIMING_SESSION_
//     COALESCING_DURATION_MS, 5 s) cannot use up, so quotaExhausted is false.
//   - A job runs, so dozeAfterEval does nothing; quotaStopTime is what the
//     launching pass computed after its launch; the standby bucket is fresh
//     (checked here as the pass would).
//
// The repeat then queues the next pass at the instant the launching pass
// computed (its own requestEvalAt was a no-op: this pass was pending at
// now). TestRepeatPassChangesNothing runs with the shortcut off and on and
// compares every record, run and state.
var repeatPasses = true

// repeatWatch is what a full pass notes for repeatPass while it runs.
type repeatWatch struct {
	launches  int
	risky     bool // a work weighed before the launch was not merely not due
	spoilt    bool // something the repeat cannot vouch for happened
	w         *workSpec
	next      int64 // the instant (vt) the pass queued the next one at
	queue     bool  // it queued one (next is not never)
	changesAt uint64
}

// repeatMark is what armRepeat leaves for the pass after the launch.
type repeatMark struct {
	armed   bool
	fired   uint64 // sim.Engine.Fired when the launching pass ended
	changes uint64
	at      int64 // the instant (vt)
	next    int64
	queue   bool
}

// launched starts w (JobScheduler's start, startRun) and notes it.
func (r *repeatWatch) launched(m *Model, w *workSpec, now time.Time) {
	r.launches++
	if r.risky || w.greedy.laterPass == m.passSerial {
		r.spoilt = true
	}
	c := m.changes
	primed := m.gr.primed
	m.startRun(w, now)
	// launch asks for the repeat (one count) when GreedyScheduler is
	// primed; any other count is a device change or a call made during the
	// launch.
	if !primed || m.changes != c+1 || w.job.exec == nil {
		r.spoilt = true
	}
	r.w, r.changesAt = w, m.changes
}

// armRepeat ends a full pass that launched one job and noted nothing
// spoiling (evaluate asks only then): it leaves the mark repeatPass reads
// when the pass after it would decide nothing new. (No mark is left from
// before: repeatPass clears it, and every pass begins there.)
func (m *Model) armRepeat(r *repeatWatch) {
	if !repeatPasses {
		return
	}
	w := r.w
	if w.state != stRunning || w.job.exec == nil || w.job.exec.Done() || w.job.inProcess || m.nRunning == 0 {
		return
	}
	// Only the pass's own request for the next one may have counted since
	// the launch.
	want := r.changesAt
	if r.queue {
		want++
	}
	if m.changes != want {
		return
	}
	at := int64(m.eng.Elapsed())
	if !m.evalTimer.Pending() || m.evalAt != at {
		return
	}
	g := &m.gr
	if g.primed && !g.passRan {
		return // GreedyScheduler's loop would run now where it did not
	}
	if g.passLaunched || g.dueLeft > 1 || g.dueLeft == 1 && g.dueW != w {
		return
	}
	m.repeat = repeatMark{armed: true, fired: m.eng.Fired(), changes: m.changes, at: at, next: r.next, queue: r.queue}
}

// repeatPass is the pass after a launch when nothing can have changed since
// the launching pass (see above): it queues the next pass where that one
// computed it and reports true.
//
// evaluate calls it only while a mark is left (armed).
func (m *Model) repeatPass() bool {
	rm := &m.repeat
	rm.armed = false
	at := int64(m.eng.Elapsed())
	if m.eng.Fired() != rm.fired+1 || m.changes != rm.changes || at != rm.at {
		return false
	}
	if m.prof.buckets && (!m.sb.fresh || at >= m.sb.freshAt) {
		return false // standbyRefreshIfStaleNow would refresh (a no-op without buckets)
	}
	if rm.queue {
		m.requestEvalAt(rm.next)
	}
	m.repeated++
	return true
}
