package sim

import (
	"fmt"
	"math"
	"time"
)

// Limits stop a runaway simulation. A zero field means "no limit".
type Limits struct {
	// MaxEvents is the most events one engine may fire.
	MaxEvents uint64
	// Horizon is the furthest virtual offset from the start an event may fire at.
	Horizon time.Duration
	// WallClock is the most real time one Run call may take. It is the only
	// place the kernel reads the real clock, and it only ever stops a run. It
	// is checked every 1024 events and while the kernel waits for a process
	// (Go) to hand back control; an event handler that never returns, on the
	// kernel goroutine itself, cannot be interrupted.
	WallClock time.Duration
}

// DefaultLimits are generous enough for a year of a busy device and small
// enough that a runaway scenario ends in seconds.
var DefaultLimits = Limits{MaxEvents: 50_000_000, Horizon: 367 * 24 * time.Hour, WallClock: 5 * time.Minute}

// LimitError says which safety limit stopped a run and where the simulation was.
type LimitError struct {
	Limit  string        // "max_events", "horizon" or "wall_clock"
	Value  string        // the limit's value, as configured
	At     time.Duration // virtual offset of the event that would have fired next
	Events uint64        // events fired so far
	Next   string        // label of the next event, if it had one
	// Process is the label of the process (see Engine.Go) that was running
	// and did not hand control back, when the wall-clock watchdog caught one.
	Process string
}

func (e *LimitError) Error() string {
	msg := fmt.Sprintf("safety limit %s (%s) reached at +%s after %d events", e.Limit, e.Value, FormatOffset(e.At), e.Events)
	if e.Process != "" {
		msg += fmt.Sprintf("; process %q never yielded (it spins without waiting on virtual time)", e.Process)
	}
	if e.Next != "" {
		msg += "; next event: " + e.Next
	}
	return msg
}

// Engine is the discrete-event kernel. It is not safe for concurrent use: one
// goroutine drives it (processes started with Go hand control back and forth
// with that goroutine, never run beside it).
type Engine struct {
	start  time.Time
	now    int64
	nowT   time.Time // start + now, kept by setNow: Now is called many times per event
	seq    uint64
	fired  uint64
	queue  queue
	free   []*queued
	limits Limits
	seed   uint64

	maxFired uint64 // limits.MaxEvents, or the largest uint64 for none
	maxAt    int64  // limits.Horizon, or the largest offset for none
	wallOn   bool   // limits.WallClock > 0
	checkAt  uint64 // the event count at which step next calls checkLimits: maxFired, or the next wall-clock check's

	wallStart time.Time
	wallBase  uint64           // the event count when the run began (beginRun)
	wallNow   func() time.Time // time.Now; replaced by in-package tests
	stopReq   bool
	stopErr   error
	//lint:ignore U1000 read and written under the race build tag (race_on.go)
	raceFence byte   // see race_on.go
	firing    bool   // an event handler is running
	phase     Phase  // the phase of the event being fired (Engine.Firing)
	curSeq    uint64 // and its insertion sequence
	stepping  bool   // an event's handler, or a process it woke, is running
	inWakes   bool   // runWakes is running
	wakes     []func()
	runTarget int64 // the target of the runTo in progress, else math.MinInt64: see QuietUntil
	fatal     error // a watchdog stop that leaves a goroutine running: every later run fails with it

	plainStart bool // start carries no monotonic clock reading: see timeAt
	startSec   int64
	startNsec  int64
	startLoc   *time.Location

	streams map[string]*streamEntry
	trace   tracer
	view    *clockView
	procs   procState

	byLabel map[string]uint64 // events fired per label, when counted (CountByLabel)
}

// Option configures an Engine.
type Option func(*Engine)

// WithLimits replaces DefaultLimits.
func WithLimits(l Limits) Option { return func(e *Engine) { e.limits = l } }

// WithSink adds a trace sink; see Engine.AddSink.
func WithSink(s Sink) Option { return func(e *Engine) { e.AddSink(s) } }

// New returns an engine whose virtual time starts at start, with all random
// streams derived from seed.
func New(start time.Time, seed uint64, opts ...Option) *Engine {
	e := &Engine{start: start, nowT: start, seed: seed, limits: DefaultLimits, streams: map[string]*streamEntry{}, wallNow: time.Now,
		runTarget: math.MinInt64}
	// Without a monotonic reading, start.Add(d) is time.Unix(start+d).In(loc)
	// bit for bit, and the latter is a third of the instructions.
	e.plainStart = start == start.Round(0)
	e.startSec, e.startNsec, e.startLoc = start.Unix(), int64(start.Nanosecond()), start.Location()
	for _, o := range opts {
		o(e)
	}
	// The limits as checked per event: a zero limit is one no event reaches.
	e.maxFired, e.maxAt = math.MaxUint64, math.MaxInt64
	if e.limits.MaxEvents > 0 {
		e.maxFired = e.limits.MaxEvents
	}
	if e.limits.Horizon > 0 {
		e.maxAt = int64(e.limits.Horizon)
	}
	e.wallOn = e.limits.WallClock > 0
	e.checkAt = e.maxFired
	if e.wallOn {
		e.checkAt = 0 // the first event starts the watchdog if no run did
	}
	return e
}

// Start is the instant the simulation began.
func (e *Engine) Start() time.Time { return e.start }

// Now is the current virtual time.
func (e *Engine) Now() time.Time {
	e.raceAcquire()
	t := e.nowT
	e.raceRelease()
	return t
}

// Elapsed is the virtual time since Start.
func (e *Engine) Elapsed() time.Duration {
	e.raceAcquire()
	d := time.Duration(e.now)
	e.raceRelease()
	return d
}

// Seed is the root seed of every random stream.
func (e *Engine) Seed() uint64 { return e.seed }

// Fired is the number of events fired so far.
func (e *Engine) Fired() uint64 {
	e.raceAcquire()
	n := e.fired
	e.raceRelease()
	return n
}

// CountByLabel starts counting the events fired from now on by the label
// they were scheduled with ("device.profile", "android.eval", ...), and
// returns the live counts: a measurement aid for benchmarks (bench/evcount),
// off unless asked for, at one nil test per event.
func (e *Engine) CountByLabel() map[string]uint64 {
	if e.byLabel == nil {
		e.byLabel = map[string]uint64{}
	}
	return e.byLabel
}

// Len is the number of events waiting in the queue.
func (e *Engine) Len() int {
	e.raceAcquire()
	n := e.queue.len()
	e.raceRelease()
	return n
}

// Schedule queues h to fire at t in the given phase. A time in the past is
// treated as now: the kernel never moves backwards. label names the event in
// limit errors and debugging; it should be a constant string.
func (e *Engine) Schedule(t time.Time, phase Phase, label string, h Handler) Timer {
	return e.scheduleAt(toOffset(e.start, t), phase, label, h)
}

// After queues h to fire d after now. It is scheduleAt(addSat(now, d))
// written out rather than called (d ≥ 0 needs no clamp to now): the
// models queue nearly all their events with After, and the extra call was
// a sixth of the cost of queueing one.
func (e *Engine) After(d time.Duration, phase Phase, label string, h Handler) Timer {
	e.raceAcquire()
	if d < 0 {
		d = 0
	}
	ev := e.newEvent()
	e.seq++
	ev.at, ev.phase, ev.seq, ev.h, ev.label = addSat(e.now, d), phase, e.seq, h, label
	e.queue.push(ev)
	t := Timer{ev: ev, gen: ev.gen}
	e.raceRelease()
	return t
}

func (e *Engine) scheduleAt(at int64, phase Phase, label string, h Handler) Timer {
	e.raceAcquire()
	if at < e.now {
		at = e.now
	}
	ev := e.newEvent()
	e.seq++
	ev.at, ev.phase, ev.seq, ev.h, ev.label = at, phase, e.seq, h, label
	e.queue.push(ev)
	t := Timer{ev: ev, gen: ev.gen}
	e.raceRelease()
	return t
}

// newEvent takes an entry from the pool, or a new one.
func (e *Engine) newEvent() *queued {
	if n := len(e.free); n > 0 {
		ev := e.free[n-1]
		e.free = e.free[:n-1]
		return ev
	}
	return &queued{}
}

// Firing is the phase and insertion sequence of the event being fired (its
// handler, or a process it woke, is running); ok is false between events.
// With ReserveSeq, a model that stands in for an event it did not queue asks
// it whether that event would already have fired: same-instant events fire
// in (phase, sequence) order.
func (e *Engine) Firing() (p Phase, seq uint64, ok bool) { return e.phase, e.curSeq, e.stepping }

// ReserveSeq takes the insertion sequence an event queued now would get,
// without queueing one: ScheduleReserved can queue it later in the place it
// would have had.
func (e *Engine) ReserveSeq() uint64 {
	e.seq++
	return e.seq
}

// ScheduleReserved queues h at t with a sequence from ReserveSeq (used once),
// so that among same-instant, same-phase events it fires where an event
// queued when the sequence was reserved would have.
func (e *Engine) ScheduleReserved(t time.Time, phase Phase, seq uint64, label string, h Handler) Timer {
	tm := e.scheduleAt(toOffset(e.start, t), phase, label, h)
	e.seq--
	tm.ev.seq = seq
	e.queue.update(tm.ev)
	return tm
}

// Cancel removes a pending event. It reports whether the event was pending.
func (e *Engine) Cancel(t Timer) bool {
	e.raceAcquire()
	if !t.Pending() {
		return false
	}
	ev := e.queue.remove(t.ev.index)
	e.release(ev)
	e.raceRelease()
	return true
}

// Reschedule moves a pending event to a new time, keeping its phase. The event
// takes a new insertion sequence, as if it had been cancelled and scheduled
// again. It reports whether the event was pending.
func (e *Engine) Reschedule(t Timer, at time.Time) bool {
	e.raceAcquire()
	if !t.Pending() {
		return false
	}
	off := toOffset(e.start, at)
	if off < e.now {
		off = e.now
	}
	e.seq++
	t.ev.at, t.ev.seq = off, e.seq
	e.queue.update(t.ev)
	e.raceRelease()
	return true
}

// RescheduleAfter is Reschedule to d after now (now when d < 0): the same
// move and the same new insertion sequence, without the conversion to a
// time.Time and back, for models that re-plan a timer at every change.
func (e *Engine) RescheduleAfter(t Timer, d time.Duration) bool {
	e.raceAcquire()
	if !t.Pending() {
		e.raceRelease()
		return false
	}
	if d < 0 {
		d = 0
	}
	e.seq++
	t.ev.at, t.ev.seq = addSat(e.now, d), e.seq
	e.queue.update(t.ev)
	e.raceRelease()
	return true
}

// Requeue gives a pending event a new insertion sequence, keeping its time
// and phase: it then fires after every event already queued for the same
// instant and phase, as if cancelled and scheduled again. It reports whether
// the event was pending.
func (e *Engine) Requeue(t Timer) bool {
	e.raceAcquire()
	if !t.Pending() {
		e.raceRelease()
		return false
	}
	e.seq++
	t.ev.seq = e.seq
	e.queue.update(t.ev)
	e.raceRelease()
	return true
}

// When is the time a pending event will fire; ok is false if it is not pending.
func (e *Engine) When(t Timer) (at time.Time, ok bool) {
	e.raceAcquire()
	if !t.Pending() {
		e.raceRelease()
		return time.Time{}, false
	}
	at = e.timeAt(t.ev.at)
	e.raceRelease()
	return at, true
}

// release returns an event that left the queue to the pool; its timers
// stop being Pending.
func (e *Engine) release(ev *queued) {
	ev.h = nil
	ev.label = ""
	ev.gen++
	e.free = append(e.free, ev)
}

// timeAt is e.start.Add(off), identical to the bit.
func (e *Engine) timeAt(off int64) time.Time {
	if !e.plainStart {
		return e.start.Add(time.Duration(off))
	}
	sec, nsec := e.startSec+off/int64(time.Second), e.startNsec+off%int64(time.Second)
	if nsec < 0 {
		sec, nsec = sec-1, nsec+int64(time.Second)
	} else if nsec >= int64(time.Second) {
		sec, nsec = sec+1, nsec-int64(time.Second)
	}
	return time.Unix(sec, nsec).In(e.startLoc)
}

// Next is the time of the next queued event; ok is false when the queue is empty.
func (e *Engine) Next() (t time.Time, ok bool) {
	head := e.head()
	if head == nil {
		return time.Time{}, false
	}
	return e.start.Add(time.Duration(head.at)), true
}

// head is the next event, or nil. It first brings the clock view's timer
// event up to date, since code under test may have stopped or reset a timer.
func (e *Engine) head() *queued {
	if e.view != nil && e.view.mock != nil {
		e.view.arm()
	}
	return e.queue.first()
}

// setNow moves the kernel clock (never backwards) and the clock view with it.
func (e *Engine) setNow(at int64) {
	if at <= e.now {
		return
	}
	e.now = at
	e.nowT = e.timeAt(at)
	if e.view != nil && e.view.mock != nil {
		e.view.syncMock()
	}
}

// Stop makes the current Run call return err (nil for a clean stop) once the
// event being fired finishes. It lets a handler end a run early.
func (e *Engine) Stop(err error) {
	if !e.stopReq {
		e.stopReq, e.stopErr = true, err
	}
}

// takeStop reports whether Stop was called since the last check, and with what.
func (e *Engine) takeStop() (bool, error) {
	if !e.stopReq {
		return false, nil
	}
	err := e.stopErr
	e.stopReq, e.stopErr = false, nil
	return true, err
}

// Step fires the next event. It returns false when the queue is empty. A
// limit reached is returned as a *LimitError; the event is left in the queue.
// If the event resumed a process that never handed control back, the
// watchdog's *LimitError is returned with true.
func (e *Engine) Step() (bool, error) {
	if e.fatal != nil {
		return false, e.fatal
	}
	head := e.head()
	if head == nil {
		return false, nil
	}
	return e.step(head)
}

// step is Step with the head already looked up (the run loops look it up
// to compare its time with their target).
func (e *Engine) step(head *queued) (bool, error) {
	if e.fired >= e.checkAt || head.at > e.maxAt {
		if err := e.checkLimits(head); err != nil {
			return false, err
		}
	}
	e.raceAcquire() // every process that ran has parked: see race_on.go
	ev := e.queue.popMin()
	if ev.at > e.now { // else setNow does nothing: spare the call
		e.setNow(ev.at)
	}
	e.fired++
	e.phase, e.curSeq, e.stepping = ev.phase, ev.seq, true
	h := ev.h
	if e.byLabel != nil {
		e.byLabel[ev.label]++
	}
	e.release(ev)
	if h != nil {
		e.firing = true
		e.raceRelease() // the handler may wake a process: see race_on.go
		h.Fire(e)
		e.firing = false
	}
	if len(e.wakes) > 0 {
		e.runWakes()
	}
	e.settle()
	e.stepping = false
	if e.fatal != nil {
		return true, e.fatal
	}
	return true, nil
}

// wallCheckEvery is how many events pass between two reads of the real clock.
const wallCheckEvery = 1024

// checkLimits checks the limits before head fires. step calls it only when
// the event count reaches checkAt or head is past the horizon: the count
// and horizon limits are then compared once per event, inline, and the wall
// clock's turn comes at a count computed ahead instead of a tick counted
// per event.
func (e *Engine) checkLimits(head *queued) error {
	if e.fired >= e.maxFired || head.at > e.maxAt {
		return e.limitHit(head)
	}
	var err error
	// The watchdog reads the clock at the run's wallCheckEvery-th event
	// and every wallCheckEvery events after, and at the first event if no
	// run started it.
	if e.wallOn && ((e.fired-e.wallBase+1)%wallCheckEvery == 0 || e.wallStart.IsZero()) {
		err = e.wallCheck(head)
	}
	e.setCheckAt()
	return err
}

// setCheckAt sets checkAt for the events after the one about to fire (at
// count fired): the count limit, or the next wall-clock check if sooner.
func (e *Engine) setCheckAt() {
	e.checkAt = e.maxFired
	if e.wallOn {
		next := e.fired + wallCheckEvery - (e.fired-e.wallBase+1)%wallCheckEvery
		e.checkAt = min(e.checkAt, next)
	}
}

// limitHit is the error of the event-count or horizon limit head reached.
func (e *Engine) limitHit(head *queued) error {
	if l := e.limits; l.MaxEvents > 0 && e.fired >= l.MaxEvents {
		return e.limitErr("max_events", fmt.Sprint(l.MaxEvents), head)
	}
	return e.limitErr("horizon", FormatOffset(e.limits.Horizon), head)
}

// wallCheck starts the wall-clock watchdog, or reads the real clock to see
// whether the run took longer than allowed.
func (e *Engine) wallCheck(head *queued) error {
	if e.wallStart.IsZero() {
		e.wallStart = e.wallNow() // the watchdog's only use of real time
	} else if e.wallNow().Sub(e.wallStart) > e.limits.WallClock {
		return e.limitErr("wall_clock", e.limits.WallClock.String(), head)
	}
	return nil
}

// beginRun restarts the wall-clock watchdog: WallClock bounds each Run call.
func (e *Engine) beginRun() {
	if e.limits.WallClock > 0 {
		e.wallStart = e.wallNow()
		e.wallBase = e.fired
		e.setCheckAt()
	}
}

// wallDeadline is the real instant the watchdog fires, and whether there is one.
func (e *Engine) wallDeadline() (time.Time, bool) {
	if e.limits.WallClock <= 0 {
		return time.Time{}, false
	}
	if e.wallStart.IsZero() {
		e.wallStart = e.wallNow()
	}
	return e.wallStart.Add(e.limits.WallClock), true
}

func (e *Engine) limitErr(name, value string, head *queued) error {
	return &LimitError{Limit: name, Value: value, At: time.Duration(head.at), Events: e.fired, Next: head.label}
}

// RunUntil fires every event up to and including time t, then sets the clock
// to t.
func (e *Engine) RunUntil(t time.Time) error {
	return e.runTo(toOffset(e.start, t))
}

// RunFor runs for d of virtual time.
func (e *Engine) RunFor(d time.Duration) error {
	return e.runTo(addSat(e.now, d))
}

// addSat is now+d, saturating instead of overflowing.
func addSat(now int64, d time.Duration) int64 {
	at := now + int64(d)
	if d > 0 && at < now {
		return math.MaxInt64
	}
	if d < 0 && at > now {
		return math.MinInt64
	}
	return at
}

func (e *Engine) runTo(target int64) error {
	if e.fatal != nil {
		return e.fatal
	}
	e.beginRun()
	prev := e.runTarget
	e.runTarget = target
	defer func() { e.runTarget = prev }()
	for {
		// head, written out: it is not inlined, and this loop runs
		// once per event.
		if e.view != nil && e.view.mock != nil {
			e.view.arm()
		}
		head := e.queue.first()
		if head == nil || head.at > target {
			break
		}
		if _, err := e.step(head); err != nil {
			return err
		}
		if stop, err := e.takeStop(); stop {
			return err
		}
	}
	e.setNow(target)
	return nil
}

// RunUntilIdle fires events until the queue is empty.
func (e *Engine) RunUntilIdle() error {
	if e.fatal != nil {
		return e.fatal
	}
	e.beginRun()
	for e.head() != nil {
		if _, err := e.Step(); err != nil {
			return err
		}
		if stop, err := e.takeStop(); stop {
			return err
		}
	}
	return nil
}

// RunUntilCondition fires events until pred holds (checked before the first
// event and after each one) or until limit of virtual time has passed. It
// returns the virtual time at which pred first held, and whether it did: the
// virtual-time counterpart of Gomega's Eventually.
func (e *Engine) RunUntilCondition(pred func() bool, limit time.Duration) (time.Time, bool, error) {
	if e.fatal != nil {
		return e.Now(), false, e.fatal
	}
	e.beginRun()
	deadline := addSat(e.now, limit)
	if pred() {
		return e.Now(), true, nil
	}
	for {
		head := e.head()
		if head == nil || head.at > deadline {
			break
		}
		if _, err := e.Step(); err != nil {
			return e.Now(), false, err
		}
		stop, err := e.takeStop()
		if pred() {
			return e.Now(), true, err
		}
		if stop {
			return e.Now(), false, err
		}
	}
	e.setNow(deadline)
	return e.Now(), false, nil
}

// FormatOffset prints an offset from the start as [Nd]HH:MM:SS[.mmm], the way
// timelines and errors show virtual time.
func FormatOffset(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	d -= s * time.Second
	out := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if ms := d / time.Millisecond; ms > 0 {
		out += fmt.Sprintf(".%03d", ms)
	}
	if days > 0 {
		out = fmt.Sprintf("%dd%s", days, out)
	}
	if neg {
		out = "-" + out
	}
	return out
}
