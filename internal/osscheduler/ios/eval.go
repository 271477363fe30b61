package ios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// --- evaluation scheduling ---------------------------------------------------

// hasWork reports whether anything could launch: a pending request or an
// active legacy fetch.
func (m *Model) hasWork() bool {
	return len(m.pendingSorted) > 0 || (m.fetchInterval != FetchNever && m.fetchDisabled() == "")
}

// ensureTick keeps the 15-minute evaluation running while there is work. Ticks
// fall on multiples of EvalInterval from the simulation's start.
func (m *Model) ensureTick() {
	if m.tick.Pending() || !m.hasWork() {
		return
	}
	m.tickAt = nextTick(int64(m.eng.Elapsed()))
	m.tickMoved()
	// After to the offset: what Schedule at Start()+tickAt queues, without
	// building the time.Time and converting it back.
	m.tick = m.eng.After(time.Duration(m.tickAt)-m.eng.Elapsed(), sim.PhaseOS, "ios.dasd.tick", tickHandler{m})
}

// nextTick is the first tick instant after offset t.
func nextTick(t int64) int64 { return (t/int64(EvalInterval) + 1) * int64(EvalInterval) }

// passHandler is an immediate dasd pass; a value type, so scheduling it
// allocates nothing.
type passHandler struct{ m *Model }

func (h passHandler) Fire(*sim.Engine) {
	// A tick skipped at this instant came first (queued before this pass).
	h.m.settleTicks(int64(h.m.eng.Elapsed()))
	h.m.settleVirtual(true)
	h.m.pass()
	h.m.ensureTick()
}

// tickHandler is the 15-minute pass. After it, the next tick skips the
// quiet ones (quiet.go: skipTicks).
type tickHandler struct{ m *Model }

func (h tickHandler) Fire(*sim.Engine) {
	m := h.m
	m.settleTicks(int64(m.eng.Elapsed()) - 1)
	m.skipping = false
	m.settleVirtual(true)
	m.pass()
	m.ensureTick()
	m.skipTicks()
}

// scheduleEval evaluates at this instant, in the OS phase, once however many
// triggers arrive.
func (m *Model) scheduleEval() {
	m.settleVirtual(false) // an earlier one whose place has passed
	if m.evalSoon.Pending() || m.virtualEval {
		return
	}
	if m.quietNow() {
		// A quiet pass: queued only if something changes before its
		// place in the order comes (quiet.go: settleVirtual).
		_, by, _ := m.eng.Firing()
		m.virtualEval, m.virtualSeq, m.virtualAt, m.virtualBy = true, m.eng.ReserveSeq(), int64(m.eng.Elapsed()), by
		m.virtualDraws = m.quiet.draws
		return
	}
	m.evalSoon = m.eng.After(0, sim.PhaseOS, "ios.dasd.eval", passHandler{m})
}

// --- device changes ----------------------------------------------------------

// changeClass is what the model does with a device change of a kind: the
// kinds are strings, so DeviceChanged compares the kind once (classify)
// instead of at every rule.
type changeClass uint8

const (
	classNone           changeClass = iota // none of the below
	classBattery                           // ChangeBatteryLevel
	classSwiped                            // ChangeAppSwipedAway
	classPowerOff                          // ChangePowerOff
	classProcessStarted                    // ChangeProcessStarted
	// The kinds from here on ask for a pass.
	classPass       // screen, lock, Low Power Mode, thermal, boot, battery low and okay
	classCharger    // ChangeCharger
	classNetwork    // ChangeNetwork
	classLaunched   // ChangeAppLaunched
	classBackground // ChangeAppBackground
)

// classKinds is the class of every kind the model tells apart.
var classKinds = [...]struct {
	kind  device.ChangeKind
	class changeClass
}{
	{device.ChangeScreen, classPass}, {device.ChangeLock, classPass}, {device.ChangeLowPower, classPass},
	{device.ChangeThermal, classPass}, {device.ChangeBootCompleted, classPass},
	{device.ChangeBatteryLow, classPass}, {device.ChangeBatteryOkay, classPass},
	{device.ChangeCharger, classCharger}, {device.ChangeNetwork, classNetwork},
	{device.ChangeAppLaunched, classLaunched}, {device.ChangeAppBackground, classBackground},
	{device.ChangeBatteryLevel, classBattery}, {device.ChangeAppSwipedAway, classSwiped},
	{device.ChangePowerOff, classPowerOff}, {device.ChangeProcessStarted, classProcessStarted},
}

// classSlots is classKinds by kindSlot, each slot holding at most one
// kind (classSlotsOK; TestClassifyIsTheSwitch).
var classSlots, classSlotsOK = func() (t [128]struct {
	kind  device.ChangeKind
	class changeClass
}, ok bool) {
	for _, e := range classKinds {
		i := kindSlot(e.kind)
		if t[i].kind != "" {
			return t, false
		}
		t[i].kind, t[i].class = e.kind, e.class
	}
	return t, true
}()

// kindSlot hashes a kind by its length and first and last bytes.
func kindSlot(k device.ChangeKind) int {
	if len(k) == 0 {
		return 0
	}
	return (len(k) + int(k[0]) + int(k[len(k)-1])*2) & 127
}

// classify is the class of kind k: one table slot and one comparison (a
// switch on the kinds compiles to a jump on the kind's length, an
// indirect branch that mispredicts at almost every change, and a chain of
// comparisons mispredicts between the screen and the lock).
func classify(k device.ChangeKind) changeClass {
	if !classSlotsOK {
		return classifySwitch(k)
	}
	if e := &classSlots[kindSlot(k)]; e.kind == k {
		return e.class
	}
	return classNone
}

// classifySwitch is classify by the table of kinds itself.
func classifySwitch(k device.ChangeKind) changeClass {
	for _, e := range classKinds {
		if e.kind == k {
			return e.class
		}
	}
	return classNone
}

// changeListener is the Model as the device's listener. The device calls
// a Listener through its interface, straight into DeviceChanged; a
// ListenerFunc of the method value m.deviceChanged went through the method
// value's wrapper first: one call more at every device change (~12
// instructions, the iOS fleet's 134k changes). The body is DeviceChanged's
// own rather than a call of a Model method for the same reason.
type changeListener Model

// DeviceChanged is the model's reaction to a device change.
func (l *changeListener) DeviceChanged(c *device.Change) {
	m := (*Model)(l)
	if m.checkFolded {
		m.settleCheck(true)
	}
	cl := classify(c.Kind)
	m.sameMemo = false // a nested change: the outer one's answer is stale
	if m.skipping || m.virtualEval {
		if cl == classBattery || !m.sameInputs(m.quiet.idle, &m.quiet.inputs) {
			m.changed()
		} else {
			m.sameMemo, m.memoPending, m.memoInputs = true, m.pendingVersion, m.inputsVersion
		}
	}
	var wasAlive, isAlive bool
	if c.Prev.App != c.State.App { // most changes leave the process alone
		wasAlive, isAlive = processAlive(c.Prev.App), processAlive(c.State.App)
	}
	if cl == classSwiped {
		m.killed = true
		m.inputsChanged()
		for _, id := range slices.Clone(m.pendingIDs()) { // cancel changes the set
			switch m.pendingOf(id).req.Kind {
			case osscheduler.Periodic, osscheduler.ContinuedProcessing:
				m.cancel(id, SourceDASD, "app force-quit by the user: dasd cancels its pending requests until the next manual launch")
			}
		}
	}
	if wasAlive && !isAlive {
		reason := osscheduler.StopProcessDied
		if cl == classPowerOff {
			reason = osscheduler.StopReboot
		}
		m.processDied(reason, string(c.Kind))
	}
	if !wasAlive && isAlive {
		m.processBorn()
	}
	if cl == classLaunched && m.killed {
		m.killed = false
		m.inputsChanged()
		m.emit(SourceDASD, event.Revived, "app", "the user opened the app: background launches allowed again (the app must resubmit)")
	}
	// Processing tasks end when the user picks up the device or power goes.
	if len(m.running) > 0 {
		switch {
		case cl == classLaunched || (c.State.ScreenOn && !c.Prev.ScreenOn):
			m.stopProcessing(osscheduler.StopConstraintDeviceIdle, "the user started using the device", nil)
		case cl == classCharger && !c.State.Plugged():
			m.stopProcessing(osscheduler.StopConstraintCharging, "external power removed", nil)
		case cl == classNetwork && !c.State.Network.Connected():
			m.stopProcessing(osscheduler.StopConstraintConnectivity, "network lost", func(r *run) bool { return r.network })
		}
		// In-process work: the ~30 s budget counts only outside the foreground.
		switch cl {
		case classBackground:
			for _, r := range m.running {
				if r.inProcess && !r.timer.Pending() {
					m.armBudget(r)
				}
			}
		case classLaunched:
			for _, r := range m.running {
				if r.inProcess {
					m.eng.Cancel(r.timer)
				}
			}
		}
	}
	if m.lifecycleActs(c, cl) { // most changes (the screen, the lock) skip the call
		m.lifecycleChanged(c, cl)
	}
	if cl >= classPass {
		m.scheduleEval()
	}
	m.sameMemo = false
}

// processBorn registers the AppDelegate's launch handlers in a new process.
func (m *Model) processBorn() {
	m.alive = true
	m.inputsChanged()
	m.clearRegistered()
	for _, id := range m.cfg.LaunchHandlers {
		if !m.permitted(id) {
			m.emit(SourceScheduler, event.Rejected, id, "launch handler not registered: "+id+" is not in BGTaskSchedulerPermittedIdentifiers (register returned false)")
			continue
		}
		if m.registered[id] {
			// No app call returns this error, so the model journals it.
			err := m.crash("BGTaskScheduler.register", id, "Launch handler for task with identifier "+id+" has already been registered")
			m.j.Error(osscheduler.ErrorRecord{At: m.eng.Elapsed(), Call: "BGTaskScheduler.register (at launch)", Code: "crash", Message: err.Error()})
			continue
		}
		m.registered[id] = true
	}
}

// processDied ends every run in the process and forgets its registrations.
func (m *Model) processDied(reason osscheduler.StopReason, why string) {
	m.alive = false
	m.inputsChanged()
	m.clearRegistered()
	runs := slices.Clone(m.running)
	for _, r := range runs {
		m.stop(r, osscheduler.OutcomeStopped, reason, "the app process ended ("+why+")")
	}
}

func (m *Model) stopProcessing(reason osscheduler.StopReason, why string, only func(*run) bool) {
	if len(m.running) == 0 {
		return // asked at every screen-on
	}
	runs := slices.Clone(m.running)
	for _, r := range runs {
		if r.kind != osscheduler.Processing && r.kind != osscheduler.HealthResearch {
			continue
		}
		if only != nil && !only(r) {
			continue
		}
		m.stop(r, osscheduler.OutcomeStopped, reason, "processing task interrupted: "+why)
	}
}

// --- the evaluation ----------------------------------------------------------

// evaluate is one dasd pass over the app's activities.
func (m *Model) evaluate() {
	if m.dev.StateView().Power != device.PowerOn {
		return
	}
	// The requests as the pass began, in identifier order: a copy no
	// change to the set touches (holdPending).
	reqs, own := m.holdPending()
	version := m.pendingVersion
	for _, p := range reqs {
		if m.pendingVersion != version && m.pendingOf(p.req.Identifier) != p {
			continue // started, cancelled or replaced during this pass
		}
		m.consider(p)
	}
	m.releasePending(own)
	m.considerFetch()
}

// gate is one hard gate's verdict: the key identifies the gate (for trace
// de-duplication), the reason is what a user reads.
type gate struct{ key, reason string }

// hardGates evaluates the system's gates in the documented order: force-quit →
// Background App Refresh → mode / identifier → Low Power Mode → battery →
// thermal → network → (processing) idle and external power.
func (m *Model) hardGates(kind osscheduler.Kind, id string, needsNetwork bool) (gate, bool) {
	st := m.dev.StateView()
	exemptUser := kind == osscheduler.HealthResearch || kind == osscheduler.ContinuedProcessing
	background := kind == osscheduler.Periodic || kind == osscheduler.Fetch
	processing := kind == osscheduler.Processing || kind == osscheduler.HealthResearch
	if m.killed && !exemptUser {
		return gate{"force_quit", "app force-quit by the user: no background launches until the user opens it again"}, false
	}
	if !m.bar && !exemptUser {
		return gate{"background_app_refresh", "Background App Refresh is off for this app"}, false
	}
	if mode := requiredMode(kind); kind == osscheduler.Fetch {
		if why := m.fetchDisabled(); why != "" {
			return gate{"fetch_disabled", why}, false
		}
	} else if mode != "" && !slices.Contains(m.cfg.BackgroundModes, mode) {
		return gate{"mode", "Info.plist UIBackgroundModes lacks " + mode}, false
	} else if kind != osscheduler.Fetch && !m.permitted(id) {
		return gate{"identifier", id + " is not in BGTaskSchedulerPermittedIdentifiers"}, false
	}
	if (background || kind == osscheduler.ContinuedProcessing) && st.LowPower &&
		(!st.Plugged() || st.Battery.Level() < LowPowerPluggedMinPercent) {
		return gate{"low_power_mode", "Low Power Mode is on (unplugged or below 30 %): background refresh is off"}, false
	}
	if kind == osscheduler.ContinuedProcessing {
		return gate{}, true
	}
	if lvl := st.Battery.Level(); lvl < CriticalBatteryPercent {
		return gate{"battery", fmt.Sprintf("battery at %d %%, below %d %%: only essential work runs", lvl, CriticalBatteryPercent)}, false
	}
	if ThermalBlocks(st.Thermal) {
		return gate{"thermal", "thermal state " + string(st.Thermal) + ": background launches held back"}, false
	}
	if (background || needsNetwork) && !st.Network.Connected() {
		return gate{"network", "no network connection"}, false
	}
	if processing {
		if st.ScreenOn || !st.Locked {
			return gate{"idle", "device not idle (screen on or unlocked): processing tasks run only while idle"}, false
		}
		if !st.Plugged() {
			if kind == osscheduler.Processing && m.pendingOf(id) != nil && m.pendingOf(id).req.RequiresExternalPower {
				return gate{"power", "requiresExternalPower: waiting for a charger"}, false
			}
			return gate{"power", "not on external power: dasd's battery policy refuses processing launches on an iPhone on battery"}, false
		}
	}
	if background && st.App == device.ProcessForeground && st.ScreenOn {
		return gate{"foreground", "the app is in use in the foreground"}, false
	}
	return gate{}, true
}

// deferrals is the key of the last deferral emitted per subject: a map of
// slots, with the slot of the subject asked about last in front of it (a
// pass asks about the same subject again and again: a request's deferral,
// whether the next one's text is needed, planQuiet, planScoreQuiet). A
// subject's slot stays in the map once made ("" when it has no deferral):
// the app resubmits one identifier at every run, so a launch's del and the
// next deferral's set write the slot instead of deleting and inserting a
// map entry. Empty slots are swept when they could make the map large (an
// app with ever new identifiers).
type deferrals struct {
	keys        map[string]*string
	lastSubject string
	lastSlot    *string // keys[lastSubject], nil when not known
}

// slot is keys[subject] (nil when it has none).
func (d *deferrals) slot(subject string) *string {
	if d.lastSlot != nil && subject == d.lastSubject {
		return d.lastSlot
	}
	sl := d.keys[subject]
	if sl != nil {
		d.lastSubject, d.lastSlot = subject, sl
	}
	return sl
}

// get is the key of subject's last deferral, and whether it has one.
func (d *deferrals) get(subject string) (string, bool) {
	if sl := d.slot(subject); sl != nil && *sl != "" {
		return *sl, true
	}
	return "", false
}

// set records key (never "") as subject's last deferral.
func (d *deferrals) set(subject, key string) {
	sl := d.slot(subject)
	if sl == nil {
		if d.keys == nil {
			d.keys = map[string]*string{}
		}
		if len(d.keys) >= maxDeferralSlots {
			d.sweep()
		}
		sl = new(string)
		d.keys[subject] = sl
		d.lastSubject, d.lastSlot = subject, sl
	}
	*sl = key
}

// del forgets subject's last deferral.
func (d *deferrals) del(subject string) {
	if sl := d.slot(subject); sl != nil {
		*sl = ""
	}
}

// maxDeferralSlots bounds the slots kept before empty ones are swept.
const maxDeferralSlots = 64

// sweep drops the empty slots.
func (d *deferrals) sweep() {
	for k, sl := range d.keys {
		if *sl == "" {
			delete(d.keys, k)
		}
	}
	d.lastSubject, d.lastSlot = "", nil
}

// defer records a deferral in the trace when its reason changed since the
// last one emitted for subject.
func (m *Model) deferral(source event.Source, subject string, g gate, fields ...sim.Field) {
	if key, _ := m.deferred.get(subject); key == g.key {
		return
	}
	m.deferred.set(subject, g.key)
	if m.eng.Watching(event.Deferred) {
		// Emit copies the fields: the gate and the (at most two) fields
		// given are built on the stack.
		var buf [3]sim.Field
		buf[0] = sim.String("gate", g.key)
		if len(fields) < len(buf) {
			n := 1 + copy(buf[1:], fields)
			m.eng.Emit(event.Source(source), event.Deferred, subject, g.reason, buf[:n]...)
			return
		}
		m.eng.Emit(event.Source(source), event.Deferred, subject, g.reason, append(buf[:1:1], fields...)...)
	}
}

func (m *Model) consider(p *pendingReq) {
	req := p.req
	now := m.eng.Now()
	if !req.EarliestBegin.IsZero() && now.Before(req.EarliestBegin) {
		m.deferral(SourceDASD, req.Identifier, gate{"not_due", "earliestBeginDate +" + sim.FormatOffset(req.EarliestBegin.Sub(m.eng.Start())) + " not reached"})
		return
	}
	if g, ok := m.hardGates(req.Kind, req.Identifier, req.RequiresNetwork); !ok {
		m.deferral(SourceDASD, req.Identifier, g)
		return
	}
	eligible := p.submitted
	if req.EarliestBegin.After(eligible) {
		eligible = req.EarliestBegin
	}
	switch req.Kind {
	case osscheduler.Periodic:
		if g, ok := m.failureFeedback(req.Identifier); !ok {
			m.deferral(SourceDASD, req.Identifier, g)
			return
		}
		why, ok := m.heuristics(SourceDASD, req.Identifier, eligible, 1, m.countPending("refresh")-1)
		if !ok {
			return
		}
		m.launch(p, eligible, why)
	case osscheduler.Processing, osscheduler.HealthResearch:
		if g, ok := m.throttled(); !ok {
			m.deferral(SourceDASD, req.Identifier, g)
			return
		}
		if u := m.rng.Float64(); u >= m.par.ProcessingChance {
			m.deferral(SourceDASD, req.Identifier, gate{"seeded", fmt.Sprintf("device idle and charging; dasd did not pick this evaluation (seeded draw %.2f ≥ %.2f)", u, m.par.ProcessingChance)})
			return
		}
		m.launch(p, eligible, "device idle and on external power; processing request eligible since +"+sim.FormatOffset(eligible.Sub(m.eng.Start())))
	case osscheduler.ContinuedProcessing:
		for _, r := range m.running {
			if r.kind == osscheduler.ContinuedProcessing {
				m.deferral(SourceDASD, req.Identifier, gate{"queued", "another continued-processing task is running: queued (.queue strategy)"})
				return
			}
		}
		m.launch(p, eligible, "continued-processing request starts at once (submitted from the foreground)")
	}
}

// throttled applies the penalty for tasks killed at their budget.
func (m *Model) throttled() (gate, bool) {
	if m.eng.Now().Before(m.throttledUntil) {
		return gate{"throttled", fmt.Sprintf("throttled until +%s: %d task(s) in a row were killed at their budget without setTaskCompleted",
			sim.FormatOffset(m.throttledUntil.Sub(m.eng.Start())), m.expiries)}, false
	}
	return gate{}, true
}

// heuristics are dasd's soft policies for background-priority launches
// (refresh, fetch): expiry throttling, rate limiting, the daily budget, and
// the usage-prediction score against the threshold with a seeded decision.
func (m *Model) heuristics(source event.Source, subject string, eligible time.Time, weight float64, extraQueued int) (string, bool) {
	if g, ok := m.throttled(); !ok {
		m.deferral(source, subject, g)
		return "", false
	}
	now := m.eng.Now()
	if n := len(m.bgLaunches); n > 0 {
		if next := m.bgLaunches[n-1].Add(m.par.MinGap); now.Before(next) {
			g := gate{key: "rate_limit"}
			if m.needReason(subject, g.key) {
				g.reason = fmt.Sprintf("rate limit: last background launch at +%s, next allowed from +%s",
					sim.FormatOffset(m.bgLaunches[n-1].Sub(m.eng.Start())), sim.FormatOffset(next.Sub(m.eng.Start())))
			}
			m.deferral(source, subject, g)
			return "", false
		}
	}
	return m.budgetDecision(source, subject, eligible, weight, extraQueued)
}

// budgetDecision is the heuristics past the throttle and the rate limit:
// the daily budget, then the score (scoreDecision).
func (m *Model) budgetDecision(source event.Source, subject string, eligible time.Time, weight float64, extraQueued int) (string, bool) {
	// Pruning only removes launches, so below the limit before it is below
	// after it: the launches are pruned only when the count may reach it
	// (the daily budget's other reader, planQuiet, reads them only after a
	// daily_budget deferral, which pruned them).
	if len(m.bgLaunches) >= m.par.DailyLaunches {
		m.pruneLaunches()
	}
	if len(m.bgLaunches) >= m.par.DailyLaunches {
		g := gate{key: "daily_budget"}
		if m.needReason(subject, g.key) {
			g.reason = fmt.Sprintf("daily budget used: %d background launches in the last 24 h (limit %d, %s heuristics)",
				len(m.bgLaunches), m.par.DailyLaunches, m.par.Name)
		}
		m.deferral(source, subject, g)
		return "", false
	}
	return m.scoreDecision(source, subject, eligible, weight, extraQueued)
}

// scoreDecision is the heuristics past their gates: the usage score
// against the threshold, and the seeded decision.
func (m *Model) scoreDecision(source event.Source, subject string, eligible time.Time, weight float64, extraQueued int) (string, bool) {
	sc := m.score(eligible, extraQueued)
	st := m.dev.StateView()
	bat := BatteryMultiplier(st.Battery.Level(), st.Plugged())
	th := ThermalMultiplier(st.Thermal)
	eff := sc.score * bat * th * weight
	// detail is "p(use soon)=%.4f, usage score %.2f%s × battery %.2f ×
	// thermal %.2f[ × fetch weight %.2f]" built with strconv, which is what
	// fmt's %.Nf calls: every run's why_then carries it.
	detail := func(b []byte) []byte {
		b = append(b, "p(use soon)="...)
		b = strconv.AppendFloat(b, sc.p, 'f', 4, 64)
		b = append(b, ", usage score "...)
		b = strconv.AppendFloat(b, sc.score, 'f', 2, 64)
		b = append(b, sc.note...)
		b = append(b, " × battery "...)
		b = strconv.AppendFloat(b, bat, 'f', 2, 64)
		b = append(b, " × thermal "...)
		b = strconv.AppendFloat(b, th, 'f', 2, 64)
		if weight != 1 {
			b = append(b, " × fetch weight "...)
			b = strconv.AppendFloat(b, weight, 'f', 2, 64)
		}
		return b
	}
	if eff < m.par.Threshold {
		g := gate{key: "usage_score"}
		if m.needReason(subject, g.key) {
			g.reason = fmt.Sprintf("usage score %.2f below threshold %.2f (%s)", eff, m.par.Threshold, detail(nil))
		}
		m.deferral(source, subject, g, sim.Float("score", eff), sim.Float("threshold", m.par.Threshold))
		return "", false
	}
	if u := m.rng.Float64(); u >= m.par.Accept {
		g := gate{key: "seeded"}
		if m.needReason(subject, g.key) {
			g.reason = fmt.Sprintf("score %.2f clears threshold %.2f, but dasd did not pick this evaluation (seeded draw %.2f ≥ %.2f)", eff, m.par.Threshold, u, m.par.Accept)
		}
		m.deferral(source, subject, g, sim.Float("score", eff), sim.Float("threshold", m.par.Threshold))
		return "", false
	}
	if m.noRunReasons {
		return "", true
	}
	why := append(m.whyBuf[:0], "score "...)
	why = strconv.AppendFloat(why, eff, 'f', 2, 64)
	why = append(why, " ≥ threshold "...)
	why = strconv.AppendFloat(why, m.par.Threshold, 'f', 2, 64)
	why = append(why, " ("...)
	why = append(detail(why), ')')
	m.whyBuf = why
	return string(why), true
}

// needReason reports whether a deferral with key would be traced, so that its
// text is worth formatting.
func (m *Model) needReason(subject, key string) bool {
	if !m.eng.Tracing() {
		return false
	}
	last, _ := m.deferred.get(subject)
	return last != key
}

func (m *Model) pruneLaunches() {
	cut := m.eng.Now().Add(-DailyBudgetWindow)
	i := 0
	for i < len(m.bgLaunches) && !m.bgLaunches[i].After(cut) {
		i++
	}
	m.bgLaunches = m.bgLaunches[i:]
}

type usage struct {
	p, score float64
	note     string
}

// score is the usage-prediction score (_DASApplicationPolicy.mm shape [R]):
// p = the recency-weighted share of the last 14 days on which the user opened
// the app within the prediction horizon of this time of day (0.0025 floor);
// score = √p, 1 above 0.25; +0.1 per extra queued request; an overdue request
// is ×0.65, +0.35 if the app was used recently, 1 above 0.5.
func (m *Model) score(eligible time.Time, extraQueued int) usage {
	now := m.eng.Now()
	h := PredictionHorizon + time.Duration(m.drawJitter())*time.Second
	m.recencyWeights()
	n := int64(sim.Sub(now, m.eng.Start()))
	m.windows.update(m.launchOffsets(), n)
	// Day d's window [now−d·24h, now−d·24h+h) holds a launch iff its
	// first launch at or after its start comes before now+h (due): the
	// share is summed in day order, as the weights' denominator is.
	t := n + int64(h)
	var num float64
	for d, due := range &m.windows.due {
		if due < t {
			num += m.recency[d]
		}
	}
	return m.usageFrom(num/m.recencyDen, now, eligible, extraQueued)
}

// recencyWeights makes recency the day weights 2^(−(d−1)/RecencyHalfLife)
// of the parameters in force, and recencyDen their sum in day order (the
// score's denominator).
func (m *Model) recencyWeights() {
	if m.recencyHL == m.par.RecencyHalfLife && m.recencyHL != 0 {
		return
	}
	var den float64
	for d := 1; d <= HistoryDays; d++ {
		m.recency[d-1] = math.Exp2(-float64(d-1) / m.par.RecencyHalfLife)
		den += m.recency[d-1]
	}
	m.recencyHL, m.recencyDen = m.par.RecencyHalfLife, den
}

// usageFrom is the score's rules from the predicted probability p on: the
// floor, √p and its saturation, the queued-request bonus and the overdue
// path.
func (m *Model) usageFrom(p float64, now, eligible time.Time, extraQueued int) usage {
	overdue, recent := m.overdue(now, eligible)
	u := usage{p: max(p, NoPredictionProbability), score: usageScore(p, extraQueued, overdue, recent)}
	if overdue {
		u.note = " (overdue ×0.65)"
		if recent {
			u.note = " (overdue ×0.65, +0.35 recently used)"
		}
	}
	return u
}

// overdue reports whether a request eligible since eligible is overdue now,
// and whether the app was used recently enough for the overdue bonus.
func (m *Model) overdue(now, eligible time.Time) (overdue, recent bool) {
	if sim.Sub(now, eligible) < m.par.OverdueAfter {
		return false, false
	}
	launches := m.dev.Launches()
	return true, len(launches) > 0 && sim.Sub(now, launches[len(launches)-1]) <= RecentlyUsedWindow
}

// usageScore is the score's rules from p on, with the overdue path's
// conditions given (usageFrom).
func usageScore(p float64, extraQueued int, overdue, recent bool) float64 {
	if p < NoPredictionProbability {
		p = NoPredictionProbability
	}
	score := math.Sqrt(p)
	if score > UsageSaturation {
		score = 1
	}
	if extraQueued > 0 {
		score += QueuedRequestBonus * float64(extraQueued)
	}
	if overdue {
		score *= OverdueFactor
		if recent {
			score += RecentAppBonus
		}
		if score > OverdueSaturation {
			score = 1
		}
	}
	return min(score, 1)
}

// launchWindows answers "was the app launched in" for the windows
// [now−d·24h, now−d·24h+h) of d = 1…HistoryDays. The usage score asks at
// every pass, with a later now each time, over a history that only grows at
// its end: so each window keeps the index of its first launch at or after
// its start (first) and only walks forward. Day d's window holds a launch iff
// that launch comes before its start + h, that is iff due = launch + d·24h <
// now + h; and the first launches stay where they are while now ≤ every due
// (a launch leaves day d's window only once now passes its due) and the
// history does not grow, so most passes walk nothing at all.
type launchWindows struct {
	first [HistoryDays]int   // per window, the first launch at or after its start at the last walk
	due   [HistoryDays]int64 // per window, that launch + d·24h; math.MaxInt64 when there is none
	now   int64              // the last update's now; an earlier one starts over
	n     int                // the history's length at the last walk
	until int64              // the walk's result holds up to this now (the least due)
	ok    bool               // walked at least once
}

// update brings the windows to now over the launch offsets ls.
func (lw *launchWindows) update(ls []int64, now int64) {
	if now < lw.now {
		*lw = launchWindows{}
	}
	lw.now = now
	if lw.ok && now <= lw.until && len(ls) == lw.n {
		return
	}
	// A window whose due is not passed and that had a launch keeps it
	// (new launches come after it); the others walk on.
	fresh := !lw.ok
	old := lw.n
	lw.ok, lw.n, lw.until = true, len(ls), math.MaxInt64
	for d := 1; d <= HistoryDays; d++ {
		due := lw.due[d-1]
		if fresh || now > due || lw.first[d-1] == old {
			start := now - int64(d)*int64(24*time.Hour)
			i := lw.first[d-1]
			for i < len(ls) && ls[i] < start {
				i++
			}
			lw.first[d-1] = i
			due = math.MaxInt64
			if i < len(ls) {
				due = ls[i] + int64(d)*int64(24*time.Hour)
			}
			lw.due[d-1] = due
		}
		lw.until = min(lw.until, due)
	}
}

// hits is, per day, whether its window at now with horizon h holds a
// launch.
func (lw *launchWindows) hits(ls []int64, now int64, h time.Duration) (hits [HistoryDays]bool) {
	lw.update(ls, now)
	for d := range HistoryDays {
		hits[d] = lw.due[d] < now+int64(h)
	}
	return hits
}

// launchOffsets is the device's launch history as offsets from the start,
// converted once per launch (the history only grows).
func (m *Model) launchOffsets() []int64 {
	ls := m.dev.Launches()
	for _, l := range ls[len(m.launchOffs):] {
		m.launchOffs = append(m.launchOffs, int64(sim.Sub(l, m.eng.Start())))
	}
	return m.launchOffs
}

// --- legacy fetch --------------------------------------------------------------

// fetchDisabled says why legacy fetch cannot run at all ("" if it can).
func (m *Model) fetchDisabled() string {
	if !slices.Contains(m.cfg.BackgroundModes, ModeFetch) {
		return "Info.plist UIBackgroundModes lacks fetch"
	}
	if len(m.cfg.PermittedIdentifiers) > 0 {
		return "Info.plist lists BGTaskSchedulerPermittedIdentifiers, which disables legacy background fetch"
	}
	if m.fetchInterval == FetchNever {
		return "minimum background fetch interval is never (the default)"
	}
	return ""
}

func (m *Model) fetchEvery() time.Duration {
	return max(m.fetchInterval, FetchMinimumInterval)
}

func (m *Model) considerFetch() {
	if m.fetchInterval == FetchNever || m.fetchDisabled() != "" {
		return
	}
	for _, r := range m.running {
		if r.kind == osscheduler.Fetch {
			return
		}
	}
	now := m.eng.Now()
	earliest := m.fetchAnchor.Add(m.fetchEvery())
	if now.Before(earliest) {
		m.deferral(SourceFetch, FetchTaskName, gate{"not_due", "minimum fetch interval: window opens at +" + sim.FormatOffset(earliest.Sub(m.eng.Start()))})
		return
	}
	if g, ok := m.hardGates(osscheduler.Fetch, FetchTaskName, true); !ok {
		m.deferral(SourceFetch, FetchTaskName, g)
		return
	}
	ls := m.dev.Launches()
	if len(ls) == 0 || now.Sub(ls[len(ls)-1]) > FetchTopAppsWindow {
		m.deferral(SourceFetch, FetchTaskName, gate{"top_apps", "not among the 50 most used apps of the last 14 days (not opened in 14 days)"})
		return
	}
	why, ok := m.heuristics(SourceFetch, FetchTaskName, earliest, m.fetchWeight, 0)
	if !ok {
		return
	}
	m.task(FetchTaskName, FetchTaskName, FetchTaskName, osscheduler.Fetch)
	rn := &run{m: m, subject: FetchTaskName, source: SourceFetch, kind: osscheduler.Fetch, budget: FetchBudget, bgLaunch: true}
	if !m.coldLaunch(FetchTaskName) {
		return
	}
	m.start(rn, FetchTaskName, FetchTaskName, nil, earliest, why)
}

// --- running -----------------------------------------------------------------

func (m *Model) coldLaunch(subject string) bool {
	if !m.alive || m.Suspended() {
		m.dev.StartProcess() // a cold launch, or a resume of the suspended process
	}
	if !m.alive {
		m.deferral(SourceDASD, subject, gate{"process", "the app process could not be started (" + string(m.dev.State().App) + ")"})
		return false
	}
	return true
}

// launch consumes a pending request and launches the app into the background
// to run it.
func (m *Model) launch(p *pendingReq, eligible time.Time, why string) {
	req := p.req
	id := req.Identifier
	m.deletePending(id)
	m.pendingChanged()
	m.deferred.del(id)
	if !m.coldLaunch(id) {
		m.setPending(p) // not consumed
		m.pendingChanged()
		return
	}
	if !m.handlerFor(id) {
		msg := "No launch handler registered for task with identifier " + id
		m.j.Error(osscheduler.ErrorRecord{At: m.eng.Elapsed(), Call: "BGTaskScheduler.launch", Code: "crash", Message: "NSInternalInconsistencyException: " + msg})
		m.taskState(id, osscheduler.StateFailed)
		m.emit(SourceDASD, event.Crashed, id, "the system delivered the task but "+msg+": the app crashed")
		m.dev.KillProcess()
		return
	}
	rn := m.newRun()
	rn.m, rn.subject, rn.source, rn.kind, rn.network, rn.bgLaunch = m, id, SourceDASD, req.Kind, req.RequiresNetwork, true
	switch req.Kind {
	case osscheduler.Periodic:
		rn.budget = m.refreshBudget()
	case osscheduler.Processing, osscheduler.HealthResearch:
		rn.budget = sim.Between(m.rng, m.par.ProcessingBudgetMin, m.par.ProcessingBudgetMax)
	}
	m.start(rn, req.UniqueName, req.TaskName, req.Input, eligible, why)
}

func (m *Model) refreshBudget() time.Duration {
	if m.cfg.RefreshBudget > 0 {
		return min(m.cfg.RefreshBudget, RefreshBudgetCap)
	}
	return min(m.par.RefreshBudget, RefreshBudgetCap)
}

func (m *Model) start(rn *run, unique, taskName string, input osscheduler.Data, eligible time.Time, why string) {
	now := m.eng.Now()
	m.nextID++
	if unique == "" {
		unique = rn.subject
	}
	if taskName == "" {
		taskName = unique
	}
	rn.m = m
	rn.exec.Bind(rn)
	x := &rn.exec
	x.ID = m.nextID
	x.Platform = osscheduler.IOS
	x.Kind = rn.kind
	x.WorkID = rn.subject
	if rn.kind == osscheduler.Fetch {
		x.WorkID = FetchActivityID
	}
	x.UniqueName, x.TaskName, x.Input = unique, taskName, copyData(input)
	x.Attempt = 1
	x.Eligible, x.Started, x.Budget, x.WhyThen = eligible, now, rn.budget, why
	rn.x = x
	if m.checkFolded {
		m.settleCheck(true) // a folded suspension check reads the running work
	}
	m.inputsChanged()
	if rn.kind == osscheduler.Periodic || rn.kind == osscheduler.Fetch {
		m.bgLaunches = append(m.bgLaunches, now)
	}
	m.running = append(m.running, rn)
	m.dev.TaskStarted() // battery drain while the task runs
	rn.rec = m.task(rn.subject, unique, taskName, rn.kind)
	rn.rec.running++
	if !rn.inProcess || m.dev.State().App != device.ProcessForeground {
		m.armBudget(rn)
	}
	m.j.RunStarted(x, now, m.eng.Start())
	if m.eng.Watching(event.Started) {
		if m.eng.WatchingFields(event.Started) {
			m.eng.Emit(event.Source(rn.source), event.Started, rn.subject, why, sim.String("kind", string(rn.kind)), sim.Dur("budget", rn.budget), sim.Int("run", int64(x.ID)))
		} else {
			m.eng.Emit(event.Source(rn.source), event.Started, rn.subject, why) // no sink it reaches reads fields (a fleet's)
		}
	}
	m.exec.Start(x)
}

func (m *Model) armBudget(rn *run) {
	if rn.budget <= 0 {
		return
	}
	rn.timer = m.eng.After(rn.budget, sim.PhaseOS, "ios.budget", rn)
}

func (m *Model) remove(rn *run) bool {
	i := slices.Index(m.running, rn)
	if i < 0 {
		return false
	}
	m.running = slices.Delete(m.running, i, i+1)
	m.inputsChanged()
	if rn.inProcess {
		// The plugin's completion block / expiration handler ends the
		// beginBackgroundTask assertion taken for this work.
		m.EndBackgroundTask(rn.x.UniqueName)
	}
	seq, gen := m.reserveSuspendCheck() // where scheduleSuspendCheck's event would go
	m.eng.Cancel(rn.timer)
	m.dev.TaskEnded()
	if t := rn.rec; t != nil && t.running > 0 {
		t.running--
	}
	// After TaskEnded, which brought the device to now: the check reads
	// its state without integrating the battery in another place.
	m.placeSuspendCheck(seq, gen)
	return true
}

// finished is setTaskCompleted(success:) / the fetch completion handler.
func (m *Model) finished(rn *run, r osscheduler.Result) {
	if !m.remove(rn) {
		return
	}
	now := m.eng.Now()
	out := osscheduler.OutcomeOf(r)
	m.j.RunEnded(rn.x, now, m.eng.Start(), out, osscheduler.StopNotStopped)
	if r == osscheduler.Success { // taskState of rn.subject, whose record the run holds
		rn.rec.info.State = osscheduler.StateSucceeded
	} else {
		rn.rec.info.State = osscheduler.StateFailed
	}
	if rn.bgLaunch {
		m.expiries = 0
		if rn.kind == osscheduler.Periodic {
			m.recordResult(rn.subject, r == osscheduler.Success)
		}
	}
	reason := "setTaskCompleted(success: false)"
	if r == osscheduler.Success {
		reason = "setTaskCompleted(success: true)"
	}
	if rn.kind == osscheduler.Fetch {
		m.fetchAnchor = now
		if r == osscheduler.Success {
			reason = "completionHandler(.newData)"
			m.fetchWeight = min(1, m.fetchWeight+m.par.FetchWeightRecovery)
		} else {
			reason = "completionHandler(.failed)"
			m.fetchWeight = max(m.par.FetchWeightFloor, m.fetchWeight*m.par.FetchFailureWeight)
		}
	}
	if rn.inProcess {
		reason = "in-process work finished (endBackgroundTask)"
	}
	if m.eng.Tracing() {
		m.eng.Emit(event.Source(rn.source), event.Completed, rn.subject, reason, sim.String("result", r.String()), sim.Int("run", int64(rn.x.ID)))
	}
}

// expire is the budget running out: the expiration handler fires, the task
// is marked complete and unsuccessful, and an app that never completed is
// killed and throttled.
func (m *Model) expire(rn *run) {
	if !m.remove(rn) {
		return
	}
	now := m.eng.Now()
	rn.x.Abandon()
	m.exec.Stop(rn.x, osscheduler.StopTimeout)
	m.j.RunEnded(rn.x, now, m.eng.Start(), osscheduler.OutcomeExpired, osscheduler.StopTimeout)
	m.taskState(rn.subject, osscheduler.StateFailed)
	reason := fmt.Sprintf("budget of %s used up without completion: expirationHandler called, task expired", rn.budget)
	if rn.bgLaunch {
		m.expiries++
		back := m.par.ExpiryBackoff << min(m.expiries-1, 16)
		back = min(back, m.par.MaxExpiryBackoff)
		m.throttledUntil = now.Add(back)
		reason += fmt.Sprintf("; the app is throttled for %s", back)
		if rn.kind == osscheduler.Fetch {
			m.fetchAnchor = now
			m.fetchWeight = max(m.par.FetchWeightFloor, m.fetchWeight*m.par.FetchFailureWeight)
		}
	}
	if m.eng.Tracing() {
		m.eng.Emit(event.Source(rn.source), event.Expired, rn.subject, reason, sim.Dur("budget", rn.budget), sim.Int("run", int64(rn.x.ID)))
	}
	// A background launch that overran is terminated when nothing else keeps
	// the process running.
	if rn.bgLaunch && len(m.running) == 0 && m.dev.State().App != device.ProcessForeground {
		m.dev.KillProcess()
	}
}

// stop ends a run early for the OS's reasons (process death, interruption).
func (m *Model) stop(rn *run, out osscheduler.Outcome, reason osscheduler.StopReason, why string) {
	if !m.remove(rn) {
		return
	}
	rn.x.Abandon()
	m.exec.Stop(rn.x, reason)
	m.j.RunEnded(rn.x, m.eng.Now(), m.eng.Start(), out, reason)
	m.taskState(rn.subject, osscheduler.StateFailed)
	if m.eng.Tracing() {
		m.eng.Emit(event.Source(rn.source), event.Stopped, rn.subject, why, sim.String("stop_reason", string(reason)), sim.Int("run", int64(rn.x.ID)))
	}
}
