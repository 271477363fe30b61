package ios

import (
	"math"
	"math/bits"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Quiet passes. Most dasd passes decide what the last one decided: the same
// gate holds every request back, or the usage score stays below the
// threshold. After a full pass the model works out until when that must stay
// so while nothing it reads changes (quiet), and a pass inside that span with
// the same inputs is not evaluated again: it only makes the draws the full
// pass would have made from the seeded stream (one prediction-horizon jitter
// per request that reaches the usage score), so every later draw, decision
// and trace record is the same as when every pass is evaluated.
// TestQuietPassesChangeNothing runs both ways and compares.
//
// A pass's decision depends on the device state it reads (passInputs), on the
// model's own state (the pending set and every other change counted in
// Model.inputsVersion) and on time alone through a few instants, each an
// upper bound of the span: a request's earliestBeginDate, the end of the
// failure feedback, the expiry throttle, the rate limit and the daily budget
// window, the instant a request becomes overdue, the first instant a launch
// can fall in one of the usage score's 14 daily windows (with the longest
// horizon). The battery level is read at every pass: it must not have fallen
// below a level a gate reads (CriticalBatteryPercent, and
// LowPowerPluggedMinPercent in Low Power Mode) since the full pass.

// passInputs is what a pass reads from the device and the model besides the
// time; a quiet span holds only while they are unchanged.
type passInputs struct {
	on        bool // the device is on (a pass reads the power state only as that)
	thermal   device.Thermal
	killed    bool
	bar       bool
	lowPower  bool
	plugged   bool
	connected bool
	busy      bool   // screen on or unlocked (processing's idle gate), when a processing request is pending
	inUse     bool   // the app in the foreground with the screen on (the foreground gate)
	launches  int    // the user's launches of the app (the usage score's history)
	pending   uint64 // Model.pendingVersion
	version   uint64 // Model.inputsVersion
}

// quietSpan is what the last full pass left: until (an offset from the start,
// exclusive) a pass with the same inputs decides the same, making draws
// jitter draws.
type quietSpan struct {
	ok       bool
	until    int64
	draws    int
	minLevel int  // the battery level passes must read at least
	idle     bool // the idle gate is an input
	inputs   passInputs
	// The partial span (part): until partUntil (exclusive), with the same
	// inputs and battery, every pending request but those in live stays
	// held for the same reason, so a pass evaluates only the live ones.
	// It holds wherever the quiet span does and often where that has
	// ended or never began: a request the usage score may launch now.
	part      bool
	partUntil int64
	live      []liveReq // in identifier order
	// replanAt: before it (an offset) the quiet span cannot hold again
	// within this partial span (scoreQuietUntil), so it is not worked out.
	replanAt int64
}

// liveReq is a request a pass in the partial span evaluates. A refresh
// request the full pass sent to the usage score (fast) passed every gate
// before it, and keeps passing them in the partial span: not_due and the
// failure feedback, throttle and rate limit once passed stay passed (each
// moves only with a changed input), the daily budget's count only falls
// with time (so its pruning may wait for the next full evaluation), the
// hard gates read the inputs and the battery level no lower than minLevel.
// Such a request is evaluated from its score on (considerLive).
type liveReq struct {
	p    *pendingReq
	fast bool
	// A refresh request the full pass held by the rate limit or the daily
	// budget (budget) passed every gate before those and keeps passing
	// them (as above): it stays held until from (an offset), the instant
	// that gate's bound passes (planQuiet), and is evaluated from the
	// daily budget on after it (considerLive).
	budget bool
	from   int64
}

// stepEveryPass turns quiet passes off: every pass is evaluated in full (the
// reference the tests compare against).
var stepEveryPass = false

// passInputs reads the inputs; idle says whether the idle gate is read (a
// processing request is pending).
func (m *Model) passInputs(idle bool) passInputs {
	st := m.dev.StateView()
	return passInputs{
		on: st.Power == device.PowerOn, thermal: st.Thermal, killed: m.killed, bar: m.bar,
		lowPower: st.LowPower, plugged: st.Plugged(), connected: st.Network.Connected(),
		busy:     idle && (st.ScreenOn || !st.Locked),
		inUse:    st.App == device.ProcessForeground && st.ScreenOn,
		launches: len(m.dev.Launches()), pending: m.pendingVersion, version: m.inputsVersion,
	}
}

// sameInputs reports whether m.passInputs(idle) == *in, without
// building the struct: it is asked at every device change and pass.
func (m *Model) sameInputs(idle bool, in *passInputs) bool {
	// killed and bar change only with inputsVersion (inputsChanged).
	if m.pendingVersion != in.pending || m.inputsVersion != in.version {
		return false
	}
	st := m.dev.StateView()
	return len(m.dev.Launches()) == in.launches &&
		(st.App == device.ProcessForeground && st.ScreenOn) == in.inUse &&
		(idle && (st.ScreenOn || !st.Locked)) == in.busy &&
		(st.Power == device.PowerOn) == in.on && st.LowPower == in.lowPower && st.Plugged() == in.plugged &&
		st.Network.Connected() == in.connected && st.Thermal == in.thermal
}

// inputsChanged records a change to the model's state that a pass reads.
func (m *Model) inputsChanged() {
	m.inputsVersion++
	m.changed()
}

// changed is an input's change: skipped ticks and a pass not queued take
// their places again.
func (m *Model) changed() {
	if m.skipping {
		m.pullBack()
	}
	if m.virtualEval {
		m.settleVirtual(true)
	}
}

// drawJitter is the usage score's draw of the prediction horizon's jitter,
// in whole seconds.
func (m *Model) drawJitter() int64 {
	return m.rng.Int64N(int64(PredictionHorizonJitter/time.Second) + 1)
}

// quietNow reports whether a pass now would be quiet.
func (m *Model) quietNow() bool {
	q := &m.quiet
	return q.ok && !stepEveryPass && int64(m.eng.Elapsed()) < q.until &&
		(m.sameMemoHolds() || m.sameInputs(q.idle, &q.inputs)) && m.dev.StateView().Battery.Level() >= q.minLevel
}

// sameMemoHolds reports whether the device change being handled already
// found the inputs the same as the quiet span's (DeviceChanged, which then
// asks for a pass) and nothing changed since: the model's versions are the
// same, and a change to the device would have been handled first, as a
// nested change that clears the answer. The span itself changes only in a
// pass, which never runs inside a device change.
func (m *Model) sameMemoHolds() bool {
	return m.sameMemo && m.memoPending == m.pendingVersion && m.memoInputs == m.inputsVersion
}

// pass is one dasd pass: a quiet one only repeats the last full pass's
// draws; a partial one evaluates only the requests that may decide
// differently; any other is evaluated in full. A pass that changes nothing
// leaves the next quiet and partial spans.
func (m *Model) pass() {
	// quietNow, then whether the partial span holds (the same inputs and
	// battery, before partUntil), with the inputs and the battery looked
	// at once (no device change is being handled: no memo).
	q := &m.quiet
	n := int64(m.eng.Elapsed())
	inQuiet, inPart := q.ok && n < q.until, q.part && n < q.partUntil
	held := (inQuiet || inPart) && !stepEveryPass && m.sameInputs(q.idle, &q.inputs) &&
		m.dev.StateView().Battery.Level() >= q.minLevel
	if held && inQuiet {
		for range q.draws {
			m.drawJitter()
		}
		m.quietPasses++
		return
	}
	pv, v := m.pendingVersion, m.inputsVersion
	if held && inPart {
		// No span while the pass runs (as below); one that changes
		// nothing leaves the partial span as it was.
		q := m.quiet
		m.quiet = quietSpan{}
		m.evaluateLive(q.live)
		m.partialPasses++
		if m.pendingVersion == pv && m.inputsVersion == v {
			m.planScoreQuiet(&q)
			m.quiet = q
		}
		return
	}
	// No span while the pass runs: what it sets off (a launch, the app's
	// calls) must not take the last one for its own.
	m.quiet = quietSpan{}
	m.evaluate()
	if m.pendingVersion == pv && m.inputsVersion == v {
		m.quiet = m.planQuiet()
	}
}

// evaluateLive is evaluate inside a partial span: the requests before the
// first change the pass makes that are not live are held for the reason
// the full pass found, so considering them again would only find that
// reason again (no draw, no trace record, no change): they are skipped,
// and a fast live request is considered from its score on. From the first
// change on (a launch), every request is considered in full, as evaluate
// does, and so is the legacy fetch.
func (m *Model) evaluateLive(live []liveReq) {
	if m.dev.StateView().Power != device.PowerOn {
		return
	}
	reqs, own := m.holdPending() // as in evaluate
	version, inputs := m.pendingVersion, m.inputsVersion
	for _, p := range reqs {
		if m.pendingVersion != version || m.inputsVersion != inputs {
			if m.pendingOf(p.req.Identifier) == p {
				m.consider(p)
			}
			continue
		}
		for _, l := range live {
			if l.p != p {
				continue
			}
			switch {
			case l.budget:
				if int64(m.eng.Elapsed()) >= l.from {
					m.considerLive(p, true)
				}
			case l.fast:
				m.considerLive(p, false)
			default:
				m.consider(p)
			}
			break
		}
	}
	m.releasePending(own)
	m.considerFetch()
}

// considerLive is consider for a live request (liveReq) that skips the
// gates its span keeps passed: from the daily budget on (fromBudget: a
// budget request past its from), else from the usage score on (a fast
// request); then what follows from the decision.
func (m *Model) considerLive(p *pendingReq, fromBudget bool) {
	eligible := p.submitted
	if p.req.EarliestBegin.After(eligible) {
		eligible = p.req.EarliestBegin
	}
	others := m.countPending("refresh") - 1
	var why string
	var ok bool
	if fromBudget {
		why, ok = m.budgetDecision(SourceDASD, p.req.Identifier, eligible, 1, others)
	} else {
		why, ok = m.scoreDecision(SourceDASD, p.req.Identifier, eligible, 1, others)
	}
	if !ok {
		return
	}
	m.launch(p, eligible, why)
}

// planQuiet works out the quiet and partial spans after a full pass that
// launched nothing and changed nothing; ok and part are false when there
// is none.
func (m *Model) planQuiet() quietSpan {
	q := quietSpan{until: math.MaxInt64, partUntil: math.MaxInt64}
	for _, p := range m.pendingReqs() {
		if k := p.req.Kind; k == osscheduler.Processing || k == osscheduler.HealthResearch {
			q.idle = true
		}
	}
	q.inputs = m.passInputs(q.idle)
	st := m.dev.StateView()
	if st.Power != device.PowerOn {
		q.ok = true // evaluate does nothing while the device is off
		return q
	}
	if m.fetchInterval != FetchNever && m.fetchDisabled() == "" {
		return quietSpan{} // legacy fetch: its own instants, not worked out here
	}
	bound := func(t time.Time) { q.partUntil = min(q.partUntil, int64(sim.Sub(t, m.eng.Start()))) }
	live := m.liveBuf[:0]
	for _, p := range m.pendingReqs() {
		id := p.req.Identifier
		key, ok := m.deferred.get(id)
		if !ok {
			return quietSpan{}
		}
		switch key {
		case "not_due":
			bound(p.req.EarliestBegin)
		case "force_quit", "background_app_refresh", "mode", "identifier", "thermal",
			"network", "idle", "power", "foreground", "queued":
			// Device or model state only: an input.
		case "failure_feedback":
			bound(m.failures[id].until)
		case "throttled":
			bound(m.throttledUntil)
		case "rate_limit", "daily_budget":
			at := m.bgLaunches[len(m.bgLaunches)-1].Add(m.par.MinGap)
			if key == "daily_budget" {
				at = m.bgLaunches[0].Add(DailyBudgetWindow)
			}
			if p.req.Kind != osscheduler.Periodic {
				bound(at)
				break
			}
			// Held until at, then evaluated from the daily budget on.
			live = append(live, liveReq{p: p, budget: true, from: int64(sim.Sub(at, m.eng.Start()))})
		case "usage_score", "seeded":
			// The usage score (worked out below) or the seeded draw
			// after it: evaluated from the score on at every pass.
			live = append(live, liveReq{p: p, fast: p.req.Kind == osscheduler.Periodic})
		default:
			// The gates that hang on the battery level, a seeded draw
			// for processing: evaluated in full at every pass.
			live = append(live, liveReq{p: p})
		}
	}
	m.liveBuf = live
	q.live = live
	// The battery gates read the level: it must stay at or above each
	// level it is at or above now (checked at every pass; a higher level
	// matters only to a request already held by those gates).
	lvl := st.Battery.Level()
	for _, thr := range [...]int{CriticalBatteryPercent, LowPowerPluggedMinPercent} {
		if lvl >= thr && (thr == CriticalBatteryPercent || st.LowPower) {
			q.minLevel = thr
		}
	}
	if q.partUntil <= int64(m.eng.Elapsed()) {
		return quietSpan{}
	}
	q.part = true
	m.planScoreQuiet(&q)
	return q
}

// planScoreQuiet works out, in place, the quiet span within the partial
// span q: it holds when every live request is a fast one whose usage score
// just stayed below the threshold, until the first instant one of them may
// not.
func (m *Model) planScoreQuiet(q *quietSpan) {
	q.ok, q.until, q.draws = false, q.partUntil, 0
	n := int64(m.eng.Elapsed())
	if n < q.replanAt {
		return
	}
	now := m.eng.Now()
	for _, l := range q.live {
		if l.budget && n < l.from {
			q.until = min(q.until, l.from) // held, without a draw, until then
			continue
		}
		if !l.fast && !l.budget {
			q.replanAt = math.MaxInt64
			return
		}
		key, _ := m.deferred.get(l.p.req.Identifier)
		if l.budget && key == "daily_budget" {
			// Held by the budget until its oldest launch leaves the window.
			q.until = min(q.until, int64(sim.Sub(m.bgLaunches[0].Add(DailyBudgetWindow), m.eng.Start())))
			continue
		}
		if key != "usage_score" {
			return
		}
		until, retry, ok := m.scoreQuietUntil(l.p, now)
		if !ok {
			q.replanAt = retry
			return
		}
		q.until = min(q.until, until)
		q.draws++
	}
	q.ok = q.until > n
}

// scoreQuietUntil is, for a refresh request whose usage score just stayed
// below the threshold, the first instant it may not. Day d's window can
// hold a launch L at t only for t in (L+d·24h−hmax, L+d·24h], hmax the
// longest horizon; the score is computed as if every day whose window can
// hold a launch anywhere in the span did (p only grows with more days, in
// the score's own order of summation, and the score with it), with the
// overdue step as it is now (the span ends when the request becomes
// overdue; the recently-used bonus can only lapse). Days are added in the
// order their windows can first hit while that bound stays below the
// threshold; the span ends where the next one would open. ok is false when
// the days that can hit now already reach the threshold; it stays so, with
// the same inputs, before retry: a day that can hit now can until its
// launch leaves its window, and the bound changes with time only where
// the request becomes overdue or the recently-used bonus lapses.
func (m *Model) scoreQuietUntil(p *pendingReq, now time.Time) (until, retry int64, ok bool) {
	eligible := p.submitted
	if p.req.EarliestBegin.After(eligible) {
		eligible = p.req.EarliestBegin
	}
	n := int64(sim.Sub(now, m.eng.Start()))
	until = math.MaxInt64
	if sim.Sub(now, eligible) < m.par.OverdueAfter {
		until = int64(sim.Sub(eligible, m.eng.Start()) + m.par.OverdueAfter)
		retry = until
	} else if ul := m.dev.Launches(); len(ul) > 0 && sim.Sub(now, ul[len(ul)-1]) <= RecentlyUsedWindow {
		retry = int64(sim.Sub(ul[len(ul)-1], m.eng.Start())+RecentlyUsedWindow) + 1
	} else {
		retry = math.MaxInt64
	}
	// open[d-1]: the first instant from now at which day d can hit: its
	// first launch at or after now−d·24h (due, less d·24h) within the
	// longest horizon.
	m.windows.update(m.launchOffsets(), n)
	hmax := int64(PredictionHorizon + PredictionHorizonJitter)
	var open [HistoryDays]int64
	closes := int64(math.MaxInt64) // the first instant a day that can hit now no longer can
	for d, due := range &m.windows.due {
		open[d] = math.MaxInt64
		if due != math.MaxInt64 {
			open[d] = max(due-hmax+1, n)
			if open[d] == n {
				closes = min(closes, due+1)
			}
		}
	}
	// Days in the order their windows open (insertion sort: 14 at most),
	// as bits of a mask per prefix of that order.
	var order [HistoryDays]int
	k := 0
	for d := range HistoryDays {
		if open[d] >= until {
			continue // opens after the span ends anyway
		}
		j := k
		for j > 0 && open[order[j-1]] > open[d] {
			order[j] = order[j-1]
			j--
		}
		order[j] = d
		k++
	}
	var prefix [HistoryDays + 1]uint32 // prefix[i]: the days order[:i]
	for i, d := range order[:k] {
		prefix[i+1] = prefix[i] | 1<<d
	}
	extra := m.countPending("refresh") - 1
	m.recencyWeights()
	overdue, recent := m.overdue(now, eligible)
	// bound is the score with the first n days of order counted, summed in
	// the score's own order (day 1 first), over the score's denominator:
	// it grows with n.
	bound := func(n int) float64 {
		var num float64
		for days := prefix[n]; days != 0; days &= days - 1 {
			num += m.recency[bits.TrailingZeros32(days)]
		}
		return usageScore(num/m.recencyDen, extra, overdue, recent)
	}
	// The most days that keep the bound below the threshold.
	lo, hi := 0, k // bound(lo) is below the threshold; more than hi days are not
	if bound(0) >= m.par.Threshold {
		return 0, retry, false
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if bound(mid) < m.par.Threshold {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo < k {
		if open[order[lo]] == n {
			return 0, min(retry, closes), false // a day that can hit now would reach the threshold
		}
		until = open[order[lo]]
	}
	return until, 0, true
}

// Skipped ticks. A tick after which the span stays quiet is not followed by
// the ticks inside the span: the next one is queued at the first tick
// instant at or after the span's end. Each skipped tick would have been a
// quiet pass, so it is replaced by its draws (settleTicks), made before any
// later draw. The span holds while the inputs are unchanged: every change
// to them (a device change that alters passInputs, the pending set, the
// model's other state) pulls the tick back to the instant the 15-minute
// tick would have come next (pullBack). And the battery: a skipped tick
// does not read the level, so the span also ends before the level can fall
// below minLevel at the most the device can draw (drainUntil).

// skipTicks moves the tick just queued to the end of the quiet span.
func (m *Model) skipTicks() {
	q := &m.quiet
	if stepEveryPass || !q.ok || !m.tick.Pending() {
		return
	}
	end := min(q.until, m.drainUntil())
	target := max(m.tickAt, (end+int64(EvalInterval)-1)/int64(EvalInterval)*int64(EvalInterval))
	if end == math.MaxInt64 {
		target = math.MaxInt64 / int64(EvalInterval) * int64(EvalInterval)
	}
	if target == m.tickAt {
		return
	}
	m.skipping, m.skipFrom, m.skipDraws = true, m.tickAt, q.draws
	m.tickAt = target
	m.tickMoved()
	m.eng.RescheduleAfter(m.tick, time.Duration(target)-m.eng.Elapsed()) // = Reschedule to Start()+target
}

// settleTicks makes the draws of the skipped ticks at or before offset t.
func (m *Model) settleTicks(t int64) {
	if !m.skipping || t < m.skipFrom {
		return
	}
	last := min(t, m.tickAt-1) / int64(EvalInterval) * int64(EvalInterval)
	n := (last-m.skipFrom)/int64(EvalInterval) + 1
	for range n * int64(m.skipDraws) {
		m.drawJitter()
	}
	m.skipFrom = last + int64(EvalInterval)
}

// pullBack ends skipping when an input changed: the ticks before the
// change were quiet (their draws are made now) and the tick moves to the
// instant the 15-minute tick would come next. At a tick instant that is this
// one unless the change happens after the OS phase's events of queued
// earlier (the tick of this instant has then fired): in a later phase, or
// in the OS phase itself, whose other events at a tick instant are all
// queued less than a tick interval before it (budgets, suspension and Low
// Power Mode checks, immediate passes), after the tick was.
func (m *Model) pullBack() {
	now := int64(m.eng.Elapsed())
	at := nextTick(now)
	if ph, _, ok := m.eng.Firing(); now%int64(EvalInterval) == 0 && ok && ph < sim.PhaseOS {
		at = now
	}
	m.settleTicks(at - 1)
	m.skipping = false
	if m.tick.Pending() && m.tickAt > at {
		m.tickAt = at
		m.tickMoved()
		m.eng.RescheduleAfter(m.tick, time.Duration(at)-m.eng.Elapsed())
	}
}

// drainUntil is the first instant (an offset) at which the battery level
// may be below the quiet span's minLevel, draining at the most the device
// can draw with its running tasks (a charger only adds; a new task is a
// changed input).
func (m *Model) drainUntil() int64 {
	if m.quiet.minLevel <= 0 {
		return math.MaxInt64
	}
	st := m.dev.StateView()
	c := m.dev.Currents()
	lp := max(c.LowPowerPermille, 1000)
	load := c.SleepUA + max(c.ScreenOnUA, c.TailUA)*lp/1000 + int64(min(m.dev.Busy(), c.MaxTasks))*c.TaskUA +
		max(c.WiFiActiveUA, c.CellActiveUA, c.WiFiIdleUA, c.CellIdleUA)
	now := int64(m.eng.Elapsed())
	if load <= 0 {
		return math.MaxInt64
	}
	spare := st.Battery.ChargeUAh - 1 - int64(m.quiet.minLevel)*st.Battery.CapacityMAh*10
	dt := float64(spare)*float64(time.Hour)/float64(load) - float64(time.Second)
	if dt <= 0 {
		return now
	}
	return now + int64(min(dt, 1<<61))
}

// Immediate passes not queued. A device change asks for a pass at this
// instant, in the OS phase (scheduleEval). When that pass would be quiet as
// things stand, it is not queued: its place in the order is reserved
// (sim.Engine.ReserveSeq) and nothing else happens while nothing changes.
// Every draw a quiet pass makes is the same call, so only their number
// matters, not when they are made, as long as it is before the next full
// pass. What happens next at this model decides (settleVirtual): once the
// order has passed the reserved place, the pass was quiet and its draws are
// made; a change or another pass before it (at the same instant, in an
// earlier phase or sequence) could make it a full pass, so it is queued in
// its reserved place (sim.Engine.ScheduleReserved) and runs as it would
// have.

// settleVirtual resolves a pass not queued: made (its draws) if the order
// has passed its place; else, when queue says something comes first that may
// change it (a changed input, another pass), queued in its place.
func (m *Model) settleVirtual(queue bool) {
	// Small enough to be inlined: most callers find no pass to settle
	// and make no call.
	if m.virtualEval {
		m.settleVirtualPass(queue)
	}
}

// settleVirtualPass is settleVirtual with a pass not queued.
func (m *Model) settleVirtualPass(queue bool) {
	now := int64(m.eng.Elapsed())
	ph, seq, ok := m.eng.Firing()
	// The event the pass was asked for in comes before it, whatever its
	// phase: a pass asked for by the app or the plugin (a later phase
	// than the OS's) fires right after their event.
	if !ok || now > m.virtualAt || (seq != m.virtualBy && (ph > sim.PhaseOS || (ph == sim.PhaseOS && seq > m.virtualSeq))) {
		m.virtualEval = false
		for range m.virtualDraws {
			m.drawJitter()
		}
		m.quietPasses++
		return
	}
	if queue {
		m.virtualEval = false
		m.evalSoon = m.eng.ScheduleReserved(m.eng.Now(), sim.PhaseOS, m.virtualSeq, "ios.dasd.eval", passHandler{m})
	}
}
