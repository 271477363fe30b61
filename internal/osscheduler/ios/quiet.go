package ios

import (
	"math"
	"slices"
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
	power     device.Power
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
}

// stepEveryPass turns quiet passes off: every pass is evaluated in full (the
// reference the tests compare against).
var stepEveryPass = false

// passInputs reads the inputs; idle says whether the idle gate is read (a
// processing request is pending).
func (m *Model) passInputs(idle bool) passInputs {
	st := m.dev.StateView()
	return passInputs{
		power: st.Power, thermal: st.Thermal, killed: m.killed, bar: m.bar,
		lowPower: st.LowPower, plugged: st.Plugged(), connected: st.Network.Connected(),
		busy:     idle && (st.ScreenOn || !st.Locked),
		inUse:    st.App == device.ProcessForeground && st.ScreenOn,
		launches: len(m.dev.Launches()), pending: m.pendingVersion, version: m.inputsVersion,
	}
}

// inputsChanged records a change to the model's state that a pass reads.
func (m *Model) inputsChanged() { m.inputsVersion++ }

// drawJitter is the usage score's draw of the prediction horizon's jitter,
// in whole seconds.
func (m *Model) drawJitter() int64 {
	return m.rng.Int64N(int64(PredictionHorizonJitter/time.Second) + 1)
}

// pass is one dasd pass: a quiet one only repeats the last full pass's
// draws; any other is evaluated and leaves the next quiet span.
func (m *Model) pass() {
	if q := &m.quiet; q.ok && !stepEveryPass && int64(m.eng.Elapsed()) < q.until &&
		m.passInputs(q.idle) == q.inputs && m.dev.StateView().Battery.Level() >= q.minLevel {
		for range q.draws {
			m.drawJitter()
		}
		m.quietPasses++
		return
	}
	pv, v := m.pendingVersion, m.inputsVersion
	m.evaluate()
	m.quiet = quietSpan{}
	if m.pendingVersion == pv && m.inputsVersion == v {
		m.quiet = m.planQuiet()
	}
}

// planQuiet works out the quiet span after a full pass that launched
// nothing and changed nothing; ok is false when there is none.
func (m *Model) planQuiet() quietSpan {
	q := quietSpan{until: math.MaxInt64}
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
	now := m.eng.Now()
	off := func(t time.Time) int64 { return int64(sim.Sub(t, m.eng.Start())) }
	bound := func(t time.Time) { q.until = min(q.until, off(t)) }
	for _, p := range m.pendingReqs() {
		id := p.req.Identifier
		key, ok := m.deferred[id]
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
		case "rate_limit":
			bound(m.bgLaunches[len(m.bgLaunches)-1].Add(m.par.MinGap))
		case "daily_budget":
			bound(m.bgLaunches[0].Add(DailyBudgetWindow))
		case "usage_score":
			if p.req.Kind != osscheduler.Periodic {
				return quietSpan{}
			}
			until, ok := m.scoreQuietUntil(p, now)
			if !ok {
				return quietSpan{}
			}
			q.until = min(q.until, until)
			q.draws++
		default:
			// low_power_mode and battery hang on the level; seeded on a
			// draw of every pass.
			return quietSpan{}
		}
	}
	// The battery gates read the level: it must stay at or above each
	// level it is at or above now (checked at every pass; a higher level
	// matters only to a request already held by those gates).
	lvl := st.Battery.Level()
	for _, thr := range [...]int{CriticalBatteryPercent, LowPowerPluggedMinPercent} {
		if lvl >= thr && (thr == CriticalBatteryPercent || st.LowPower) {
			q.minLevel = thr
		}
	}
	if q.until <= int64(m.eng.Elapsed()) {
		return quietSpan{}
	}
	q.ok = true
	return q
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
// the days that can hit now already reach the threshold.
func (m *Model) scoreQuietUntil(p *pendingReq, now time.Time) (until int64, ok bool) {
	eligible := p.submitted
	if p.req.EarliestBegin.After(eligible) {
		eligible = p.req.EarliestBegin
	}
	n := int64(sim.Sub(now, m.eng.Start()))
	until = math.MaxInt64
	if sim.Sub(now, eligible) < m.par.OverdueAfter {
		until = int64(sim.Sub(eligible, m.eng.Start()) + m.par.OverdueAfter)
	}
	// open[d-1]: the first instant from now at which day d can hit.
	ls := m.launchOffsets()
	hmax := int64(PredictionHorizon + PredictionHorizonJitter)
	var open [HistoryDays]int64
	for d := range HistoryDays {
		day := int64(d+1) * int64(24*time.Hour)
		// The full pass just ran the score at now: the windows' first
		// launches are those at or after now−d·24h.
		i := m.windows.first[d]
		if m.windows.now != n {
			i, _ = slices.BinarySearch(ls, n-day)
		}
		open[d] = math.MaxInt64
		if i < len(ls) {
			open[d] = max(ls[i]+day-hmax+1, n)
		}
	}
	var in [HistoryDays]bool
	extra := m.countPending("refresh") - 1
	bound := func() float64 {
		var num, den float64
		for d := range HistoryDays {
			w := m.recency[d]
			den += w
			if in[d] {
				num += w
			}
		}
		return m.usageFrom(num/den, now, eligible, extra).score
	}
	if bound() >= m.par.Threshold {
		return 0, false
	}
	for {
		// The day whose window opens first among those not yet counted.
		next := -1
		for d := range HistoryDays {
			if !in[d] && open[d] < math.MaxInt64 && (next < 0 || open[d] < open[next]) {
				next = d
			}
		}
		if next < 0 || open[next] >= until {
			break
		}
		in[next] = true
		if bound() >= m.par.Threshold {
			if open[next] == n {
				return 0, false
			}
			until = open[next]
			break
		}
	}
	return until, true
}
