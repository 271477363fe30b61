package android

import (
	"fmt"
	"math"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// standby is AppStandbyController's view of the app, and QuotaController's
// accounting of its job execution.
type standby struct {
	pinned     int // -1: from usage
	current    int
	lastUse    time.Time
	notifiedAt time.Time // zero: none
	// Screen-on time, accumulated, for SCREEN_TIME_THRESHOLDS.
	screenAcc     time.Duration
	screenOnSince time.Time // zero while the screen is off
	// screenOnAt is vt(screenOnSince), set with it: the on time so far is
	// then nowVT(now) - screenOnAt, which is sim.Sub(now, screenOnSince)
	// (both are instants the clock reached, far from saturating).
	screenOnAt  int64
	screenAtUse time.Duration
	timer       sim.Timer
	h           sim.Handler
	// fresh: current was computed by standbyRefresh and holds until freshUntil.
	fresh      bool
	freshUntil time.Time
	freshAt    int64 // vt(freshUntil), for passIdleUntil
	screenDep  bool  // the next change computed depends on the screen state

	// QuotaController timing sessions (coalesced job executions) and job
	// starts, as virtual times (vt: ns since the engine's start), which
	// the quota checks of every pass compare and sum without time.Time
	// arithmetic.
	sessions []session
	open     bool      // the last session is still running
	ejRuns   []session // finished expedited jobs that counted against the EJ quota
	sessQ    fifo[session]
	jobQ     fifo[int64]
	ejQ      fifo[session]
	// closedTotal is the summed length of the closed sessions retained.
	closedTotal time.Duration
	jobStarts   []int64
}

// session is a span of virtual time, [start, end] in ns since the
// engine's start.
type session struct{ start, end int64 }

// vt is t as a virtual time: ns since the engine's start (the kernel's own
// offset, sim.Engine.Elapsed for now). Quota arithmetic on offsets is the
// time.Time arithmetic it replaces, to the nanosecond: virtual times carry
// no monotonic reading, so t.Add(d) is start + (offset + d).
func (m *Model) vt(t time.Time) int64 { return int64(m.eng.Offset(t)) }

// nowVT is vt(now) for now the engine's current time: Elapsed, which is
// that offset, without converting now back. Every caller passes the
// engine's now (a pass, a device change, a quota event: the instant the
// kernel is at); the package's tests all run with checkNowVT set
// (TestMain), which panics on any other argument.
func (m *Model) nowVT(now time.Time) int64 {
	if checkNowVT { // out of line, so that nowVT is inlined
		m.checkNow(now)
	}
	return int64(m.eng.Elapsed())
}

// checkNow panics unless now is the engine's now (see nowVT).
func (m *Model) checkNow(now time.Time) {
	if m.vt(now) != int64(m.eng.Elapsed()) {
		panic("android: nowVT of a time that is not the engine's now")
	}
}

// checkNowVT, set only by tests, makes nowVT check its argument.
var checkNowVT bool

// neverAt stands for vt(never) in passIdleUntil: every virtual time the
// simulation reaches (and vt of never, which saturates) is at most this.
const neverAt int64 = math.MaxInt64

// timeOf is the time.Time of a virtual time (the inverse of vt).
func (m *Model) timeOf(off int64) time.Time { return m.eng.Start().Add(time.Duration(off)) }

// fifo is a queue over one reusable buffer: dropping from the front only
// moves an offset, and a push that would grow the buffer first slides the
// live items back to the start, so a steady state allocates nothing. push
// and drop return the live items.
type fifo[T any] struct {
	buf []T
	off int
}

func (f *fifo[T]) push(v T) []T {
	if len(f.buf) == cap(f.buf) && f.off > 0 {
		n := copy(f.buf, f.buf[f.off:])
		f.buf = f.buf[:n]
		f.off = 0
	}
	f.buf = append(f.buf, v)
	return f.buf[f.off:]
}

func (f *fifo[T]) drop(k int) []T {
	f.off += k
	return f.buf[f.off:]
}

func bucketIndex(name string) (int, bool) {
	for i, n := range bucketNames {
		if n == name {
			return i, true
		}
	}
	return 0, false
}

// bucket is the app's current standby bucket.
func (m *Model) bucket() int { return m.sb.current }

func (m *Model) screenOnTime(now time.Time) time.Duration {
	if !m.sb.screenOnSince.IsZero() {
		if checkNowVT {
			m.checkScreenOn(now)
		}
		return m.sb.screenAcc + time.Duration(m.nowVT(now)-m.sb.screenOnAt)
	}
	return m.sb.screenAcc
}

// usageBucket is AppStandbyController.getBucketForLocked plus the timed
// elevations, and when it next changes (never: waits for a screen event).
// screenDep says whether that next change depends on the screen (its state
// is an input only through the screen-time threshold).
func (m *Model) usageBucket(now time.Time) (b int, next time.Time, screenDep bool) {
	since := sim.Sub(now, m.sb.lastUse)
	scr := m.screenOnTime(now) - m.sb.screenAtUse
	b = bucketActive
	for i := numBuckets - 1; i > 0; i-- {
		if i == bucketRestricted && !m.prof.restrictedBucket {
			continue
		}
		if since >= standbyElapsedThresholds[i] && scr >= standbyScreenThresholds[i] {
			b = i
			break
		}
	}
	next = never
	if up := b + 1; up < numBuckets && (up != bucketRestricted || m.prof.restrictedBucket) {
		if since < standbyElapsedThresholds[up] {
			next = m.sb.lastUse.Add(standbyElapsedThresholds[up])
		} else {
			screenDep = true
			if !m.sb.screenOnSince.IsZero() {
				next = now.Add(standbyScreenThresholds[up] - scr)
			}
		}
	}
	if !m.sb.notifiedAt.IsZero() {
		until := m.sb.notifiedAt.Add(notificationSeenTimeout)
		if now.Before(until) {
			if b > bucketWorkingSet {
				b = bucketWorkingSet
			}
			if until.Before(next) {
				next = until
			}
		}
	}
	return b, next, screenDep
}

// standbyRefresh recomputes the bucket and schedules the next decay.
func (m *Model) standbyRefresh(now time.Time) {
	if !m.prof.buckets {
		return
	}
	b, next, screenDep := m.sb.pinned, never, false
	if b < 0 {
		b, next, screenDep = m.usageBucket(now)
	}
	moved := b != m.sb.current
	if moved {
		m.qcValid = false
		old := m.sb.current
		m.sb.current = b
		if m.eng.Tracing() {
			why := "from usage: last used " + m.at(m.sb.lastUse)
			if !m.sb.notifiedAt.IsZero() && now.Before(m.sb.notifiedAt.Add(notificationSeenTimeout)) && b == bucketWorkingSet {
				why = "notification seen at " + m.at(m.sb.notifiedAt) + ": working_set for 12h"
			}
			if m.sb.pinned >= 0 {
				why = "pinned"
			}
			m.eng.Emit(srcStdby, event.Bucket, bucketNames[b], why, sim.String("from", bucketNames[old]), sim.String("to", bucketNames[b]))
		}
	}
	m.sb.fresh, m.sb.freshUntil, m.sb.freshAt, m.sb.screenDep = true, next, m.vt(next), screenDep
	if at, ok := m.eng.When(m.sb.timer); !ok || !at.Equal(next) { // else already set for that instant
		m.eng.Cancel(m.sb.timer)
		if next != never {
			m.sb.timer = m.eng.Schedule(next, sim.PhaseOS, "android.standby", m.sb.h)
		}
	}
	if moved {
		// Asked for once the bucket is fresh again, so that changeEval
		// may find the pass idle (the bucket is read only by the quota and
		// the budgets: nothing due, nothing to redo). The pass is at now
		// and the bucket's next change later (next is after now), so the
		// two keep their order whichever is queued first.
		m.changeEval(now)
	}
}

// standbyRefreshIfStale is standbyRefresh for a caller that changed none of
// its inputs (the JobScheduler pass): the bucket computed last stays right
// until the time it said it would next change, so there is nothing to redo
// before then. Every change of an input is followed by a full standbyRefresh.
func (m *Model) standbyRefreshIfStale(now time.Time) {
	if m.sb.fresh && now.Before(m.sb.freshUntil) {
		return
	}
	m.standbyRefresh(now)
}

// standbyRefreshIfStaleNow is standbyRefreshIfStale(now) for now the
// engine's current time, compared as virtual times: vt(now) is Elapsed, and
// vt(now) < freshAt is now.Before(freshUntil) (vt is monotonic and now never
// saturates).
func (m *Model) standbyRefreshIfStaleNow(now time.Time) {
	if m.sb.fresh && int64(m.eng.Elapsed()) < m.sb.freshAt {
		return
	}
	m.standbyRefresh(now)
}

type standbyHandler struct{ m *Model }

func (h standbyHandler) Fire(*sim.Engine) {
	h.m.standbyRefresh(h.m.eng.Now())
	h.m.changeEval(h.m.eng.Now())
}

// standbyScreen is standbyDevice for a screen change (c.At is the
// engine's now, as for every device change).
func (m *Model) standbyScreen(c *device.Change) {
	now := c.At
	m.standbyScreenTime(c.State.ScreenOn, now)
	// Only the screen changed. The screen-on time is continuous across a
	// toggle, so the bucket cannot change at this instant; when the next
	// change does not hang on the screen either, nothing is left to redo.
	if !m.sb.screenDep {
		m.standbyRefreshIfStaleNow(now)
		return
	}
	m.standbyRefresh(now)
}

// checkScreenOn panics unless nowVT(now) - screenOnAt, the screen on time
// since it last went on as the model counts it (on offsets, with no
// conversion), is the plain sim.Sub(now, screenOnSince). Every test of the
// package checks it at each use (checkNowVT).
func (m *Model) checkScreenOn(now time.Time) {
	if time.Duration(m.nowVT(now)-m.sb.screenOnAt) != sim.Sub(now, m.sb.screenOnSince) {
		panic("android: screenOnAt is not vt(screenOnSince)")
	}
}

// standbyScreenTime accumulates the screen-on time.
func (m *Model) standbyScreenTime(on bool, now time.Time) {
	if on && m.sb.screenOnSince.IsZero() {
		m.sb.screenOnSince, m.sb.screenOnAt = now, m.nowVT(now)
	} else if !on && !m.sb.screenOnSince.IsZero() {
		if checkNowVT {
			m.checkScreenOn(now)
		}
		m.sb.screenAcc += time.Duration(m.nowVT(now) - m.sb.screenOnAt)
		m.sb.screenOnSince = time.Time{}
	}
}

// standbyDevice follows usage and the screen.
func (m *Model) standbyDevice(c *device.Change) {
	now := c.At
	m.standbyScreenTime(c.State.ScreenOn, now)
	switch c.Kind {
	case device.ChangeAppLaunched:
		m.sb.lastUse = now
		m.sb.screenAtUse = m.screenOnTime(now)
	case device.ChangeAppNotified:
		m.sb.notifiedAt = now
	default:
		// Only the screen changed. The screen-on time is continuous across a
		// toggle, so the bucket cannot change at this instant; when the next
		// change does not hang on the screen either, nothing is left to redo.
		if !m.sb.screenDep {
			m.standbyRefreshIfStale(now)
			return
		}
	}
	m.standbyRefresh(now)
}

// --- QuotaController -------------------------------------------------------

// quotaApplies: no quota while charging (parole; the restricted bucket
// excepted) or while the app is in the foreground (TOP jobs are free).
func (m *Model) quotaApplies(st *device.State) bool {
	if !m.prof.buckets {
		return false
	}
	if st.App == device.ProcessForeground {
		return false
	}
	return !st.Plugged() || m.sb.current == bucketRestricted
}

func (m *Model) quotaJobStarted(now time.Time) {
	m.qcValid = false
	if !m.quotaApplies(&m.st) {
		return
	}
	m.pruneQuota(now)
	m.sb.jobStarts = m.sb.jobQ.push(m.nowVT(now))
	m.quotaSessionOpen(now)
}

// quotaSessionOpen starts (or coalesces into) a timing session.
func (m *Model) quotaSessionOpen(now time.Time) {
	if m.sb.open {
		return
	}
	t := m.nowVT(now)
	if n := len(m.sb.sessions); n > 0 && time.Duration(t-m.sb.sessions[n-1].end) <= quotaSessionCoalesce {
		m.sb.open = true // coalesce with the previous session
		return
	}
	m.sb.sessions = m.sb.sessQ.push(session{start: t, end: t})
	m.sb.open = true
}

// quotaJobsIdle closes the open session when the last job ends.
func (m *Model) quotaJobsIdle(now time.Time) {
	m.qcValid = false
	if !m.sb.open {
		return
	}
	last := &m.sb.sessions[len(m.sb.sessions)-1]
	m.sb.closedTotal -= time.Duration(last.end - last.start) // a coalesced session was counted up to its old end
	last.end = m.nowVT(now)
	m.sb.closedTotal += time.Duration(last.end - last.start)
	m.sb.open = false
}

func (m *Model) pruneQuota(now time.Time) {
	cut := m.nowVT(now) - int64(quotaMaxExecutionWindow)
	k := 0
	for k < len(m.sb.sessions) && m.sb.sessions[k].end < cut && !(m.sb.open && k == len(m.sb.sessions)-1) {
		k++
	}
	for i := 0; i < k; i++ {
		m.sb.closedTotal -= time.Duration(m.sb.sessions[i].end - m.sb.sessions[i].start)
	}
	if k > 0 {
		m.sb.sessions = m.sb.sessQ.drop(k)
	}
	k = 0
	for k < len(m.sb.jobStarts) && m.sb.jobStarts[k] < cut {
		k++
	}
	if k > 0 {
		m.sb.jobStarts = m.sb.jobQ.drop(k)
	}
}

// sessionEnd is the end of session i; now (a vt) for the open one.
func (m *Model) sessionEnd(i int, now int64) int64 {
	if m.sb.open && i == len(m.sb.sessions)-1 {
		return now
	}
	return m.sb.sessions[i].end
}

// usedIn is the execution time within (now−w, now]. Sessions are in time
// order, so it walks back from the newest.
func (m *Model) usedIn(w time.Duration, now time.Time) time.Duration {
	return m.usedInVT(w, m.vt(now))
}

func (m *Model) usedInVT(w time.Duration, now int64) time.Duration {
	from := now - int64(w)
	var used int64
	for i := len(m.sb.sessions) - 1; i >= 0; i-- {
		s, e := m.sb.sessions[i].start, m.sessionEnd(i, now)
		if e <= from {
			break
		}
		used += e - max(s, from)
	}
	return time.Duration(used)
}

// used24h is the execution time in the last 24 h, skipping the walk when
// even every retained session together stays under limit.
func (m *Model) used24h(now time.Time, limit time.Duration) time.Duration {
	return m.used24hVT(m.vt(now), limit)
}

func (m *Model) used24hVT(now int64, limit time.Duration) time.Duration {
	total := m.sb.closedTotal
	if m.sb.open {
		total += time.Duration(now - m.sb.sessions[len(m.sb.sessions)-1].start)
	}
	if total <= limit {
		return total
	}
	return m.usedInVT(quotaMaxExecutionWindow, now)
}

// refillAt is when the execution time in a window of w drops to limit
// (nothing new running).
func (m *Model) refillAt(w time.Duration, limit time.Duration, now int64) int64 {
	excess := m.usedInVT(w, now) - limit
	if excess <= 0 {
		return now
	}
	from := now - int64(w)
	for i := range m.sb.sessions {
		s, e := max(m.sb.sessions[i].start, from), m.sessionEnd(i, now)
		if e <= from {
			continue
		}
		if l := time.Duration(e - s); l >= excess {
			return s + int64(excess) + int64(w)
		} else {
			excess -= l
		}
	}
	return now + int64(w)
}

// quotaState says whether a new job may start: which limit is hit, and when
// it refills.
type quotaState struct {
	limit       string
	used, allow int64 // durations in ns, or counts
	dur         bool
	bucket      int
	refill      time.Time
	window      time.Duration
}

func (m *Model) quotaCheck(now time.Time) (quotaState, bool) {
	b := m.sb.current
	q := &m.prof.quota
	m.pruneQuota(now)
	t := m.nowVT(now)
	qs := quotaState{bucket: b}
	win := q.window[b]
	allowed := q.allowed[b]
	if used := m.usedInVT(win, t); used > allowed-quotaInQuotaBuffer {
		qs.limit, qs.used, qs.allow, qs.dur, qs.window = "execution time", int64(used), int64(allowed), true, win
		qs.refill = m.timeOf(m.refillAt(win, allowed-quotaInQuotaBuffer, t))
		return qs, false
	}
	if used := m.used24hVT(t, quotaMaxExecution-quotaInQuotaBuffer); used > quotaMaxExecution-quotaInQuotaBuffer {
		qs.limit, qs.used, qs.allow, qs.dur, qs.window = "execution time per 24 h", int64(used), int64(quotaMaxExecution), true, quotaMaxExecutionWindow
		qs.refill = m.timeOf(m.refillAt(quotaMaxExecutionWindow, quotaMaxExecution-quotaInQuotaBuffer, t))
		return qs, false
	}
	if n, at := countSince(m.sb.jobStarts, t-int64(win), q.jobs[b]); n >= q.jobs[b] {
		qs.limit, qs.used, qs.allow, qs.window, qs.refill = "jobs", int64(n), int64(q.jobs[b]), win, m.countRefill(at, win)
		return qs, false
	}
	// Sessions count when they end inside the window: the first that does
	// is found by bisection (sort.Search's, over the session ends, which
	// are in time order).
	wfrom := t - int64(win)
	first, hi := 0, len(m.sb.sessions)
	for first < hi {
		h := int(uint(first+hi) >> 1)
		if m.sessionEnd(h, t) <= wfrom {
			first = h + 1
		} else {
			hi = h
		}
	}
	n := len(m.sb.sessions) - first
	if lim := q.sessions[b]; n >= lim && !m.sb.open {
		qs.limit, qs.used, qs.allow, qs.window = "sessions", int64(n), int64(lim), win
		qs.refill = m.timeOf(m.sessionEnd(first+n-lim, t) + int64(win))
		return qs, false
	}
	if n, at := countSince(m.sb.jobStarts, t-int64(quotaRateWindow), quotaRateJobs); n >= quotaRateJobs {
		qs.limit, qs.used, qs.allow, qs.window, qs.refill = "rate limit (jobs per minute)", int64(n), quotaRateJobs, quotaRateWindow, m.countRefill(at, quotaRateWindow)
		return qs, false
	}
	return qs, true
}

// countSince counts times (vts, in order) after from; at is the time that
// must leave the window for the count to drop below lim, or noCount when
// the count stays under it (or lim is 0).
func countSince(ts []int64, from int64, lim int) (n int, at int64) {
	i, hi := 0, len(ts) // sort.Search's bisection for the first ts[k] > from
	for i < hi {
		h := int(uint(i+hi) >> 1)
		if ts[h] <= from {
			i = h + 1
		} else {
			hi = h
		}
	}
	n = len(ts) - i
	if n >= lim && lim > 0 {
		return n, ts[i+n-lim]
	}
	return n, noCount
}

// noCount is countSince's at when no count reaches the limit: never.
const noCount = math.MinInt64

// countRefill is when a count limit refills: at + w, or never + w when no
// time has to leave the window (a limit of 0), as with time.Time.
func (m *Model) countRefill(at int64, w time.Duration) time.Time {
	if at == noCount {
		return never.Add(w)
	}
	return m.timeOf(at + int64(w))
}

func (m *Model) quotaBlock(st *device.State, now time.Time) (block, time.Time) {
	if !m.quotaApplies(st) {
		return blockNone, never
	}
	switch {
	case m.qcValid && m.qcAt.Equal(now):
	case m.qcValid && m.qcOK && !m.sb.open && reuseQuotaOK:
		// In quota when last checked, and since then no job started or
		// ended, no session opened and the bucket stayed (each of those
		// clears qcValid): with every session closed, each limit quotaCheck
		// tests only eases as time passes — the execution time in a window
		// (the window slides past closed sessions), the 24-hour total (the
		// retained total only drops, by pruning), the job, session and
		// rate counts (fewer in the window) — so it is in quota now too,
		// with the same state (an answer in quota holds only the bucket).
		// quotaCheck's pruning is done as it would be.
		// TestQuotaReuseIsTheCheck compares with quotaCheck at every reuse.
		m.pruneQuota(now)
		if checkQuotaReuse != nil {
			checkQuotaReuse(m, now)
		}
		m.qcAt = now
	default:
		m.qcState, m.qcOK = m.quotaCheck(now)
		m.qcValid, m.qcAt = true, now
	}
	if !m.qcOK {
		m.lastQuota = m.qcState
		return blockQuota, m.qcState.refill
	}
	return blockNone, never
}

// reuseQuotaOK lets quotaBlock keep an in-quota answer over time (see
// there); tests turn it off to compare.
var reuseQuotaOK = true

// checkQuotaReuse, when set (tests), is called at every reuse of an
// in-quota answer, after the pruning.
var checkQuotaReuse func(m *Model, now time.Time)

// quotaExhausted: a running job is out of execution time.
func (m *Model) quotaExhausted(st *device.State, now time.Time) bool {
	if !m.quotaApplies(st) {
		return false
	}
	q := &m.prof.quota
	b := m.sb.current
	t := m.nowVT(now)
	return m.usedInVT(q.window[b], t) >= q.allowed[b] || m.used24hVT(t, quotaMaxExecution-time.Nanosecond) >= quotaMaxExecution
}

// quotaStopTime is when running jobs run out of execution time (never if no
// quota applies).
func (m *Model) quotaStopTime(now time.Time) time.Time {
	if !m.sb.open || !m.quotaApplies(&m.st) {
		return never
	}
	q := &m.prof.quota
	b := m.sb.current
	// Same bound as quotaExhausted, so that "out of time now" here means it
	// is exhausted there too.
	t := m.nowVT(now)
	left := min(q.allowed[b]-m.usedInVT(q.window[b], t), quotaMaxExecution-m.used24hVT(t, quotaMaxExecution-time.Nanosecond))
	return now.Add(max(left, 0))
}

func (m *Model) quotaText(now time.Time) string {
	qs := m.lastQuota
	var used string
	if qs.dur {
		used = fmt.Sprintf("%s of %s", time.Duration(qs.used), time.Duration(qs.allow))
	} else {
		used = fmt.Sprintf("%d of %d", qs.used, qs.allow)
	}
	return fmt.Sprintf("standby bucket %s quota used: %s %s per %s; refills at %s",
		bucketNames[qs.bucket], qs.limit, used, qs.window, m.at(qs.refill))
}

// --- expedited-job quota ------------------------------------------------------

// ejAvailable: the app may start an expedited job (no EJ quota applies while
// charging or in the foreground, as for regular jobs).
func (m *Model) ejAvailable(st *device.State, now time.Time) (bool, time.Duration, time.Duration) {
	allowed := m.prof.quota.ej[m.sb.current]
	if !m.quotaApplies(st) {
		return true, 0, allowed
	}
	used := m.ejUsed(now)
	return used < allowed, used, allowed
}

func (m *Model) ejUsed(now time.Time) time.Duration {
	t := m.nowVT(now)
	from := t - int64(ejWindow)
	k := 0
	for k < len(m.sb.ejRuns) && m.sb.ejRuns[k].end <= from {
		k++
	}
	m.sb.ejRuns = m.sb.ejQ.drop(k)
	var used int64
	for _, r := range m.sb.ejRuns {
		used += r.end - max(r.start, from)
	}
	for _, w := range m.running {
		if w != nil && w.job.ej {
			used += t - max(m.vt(w.job.ejStart), from)
		}
	}
	return time.Duration(used)
}

func (m *Model) ejEnded(start, end time.Time) {
	if m.quotaApplies(&m.st) {
		m.sb.ejRuns = m.sb.ejQ.push(session{start: m.vt(start), end: m.vt(end)})
	}
}
