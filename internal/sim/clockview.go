package sim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unsafe"

	"github.com/benbjohnson/clock"
)

// Clock returns the engine's virtual time as a clock.Clock, for code under
// test (the plugin core, users' task handlers) that runs on clock.New() in
// production. The same value is returned every time.
//
//   - Now, Since and Until read the kernel's current time.
//   - Sleep(d), inside a process (see Go), parks the process until d of
//     virtual time has passed. Outside a process (on the kernel goroutine, in
//     an event handler) it returns at once and advances nothing: the kernel
//     cannot wait for itself; schedule an event instead.
//   - After(d), inside a process, returns a channel that receives the virtual
//     time d from now. Outside a process its channel already holds Now (like
//     Sleep, it advances nothing), so that `<-After(d)` in a handler cannot
//     deadlock the kernel.
//   - Tick(d) returns a channel that receives every d of virtual time, for the
//     rest of the run (as time.Tick). Its event never stops, so RunUntilIdle
//     runs to the horizon while one exists. Tick(d <= 0) is nil.
//   - Timer, Ticker and AfterFunc return the package's own *clock.Timer and
//     *clock.Ticker (so Stop and Reset work as usual), fired by the kernel at
//     their virtual deadlines in PhaseApp: a Timer or Ticker by a
//     non-blocking send on C (so Reset without draining never deadlocks, as
//     it does on clock.Mock; but, as with clock.Mock and Go timers before
//     1.23, a value already in C stays there after Stop or Reset), an
//     AfterFunc by running f as a process (Go), so f may itself
//     sleep. An AfterFunc Timer has a nil C, as time.AfterFunc's. Timers due
//     at the same instant fire in the order they were created (or last
//     re-armed after a stop).
//   - WithDeadline and WithTimeout return a context cancelled at the virtual
//     deadline with context.DeadlineExceeded. Contexts derived from it with
//     the context package see context.Canceled as Err and DeadlineExceeded as
//     context.Cause; contexts derived with this clock see DeadlineExceeded.
//
// Receiving from these channels (or from a context's Done) inside a process
// is a virtual wait: the kernel sees the process park and goes on. Code on
// the kernel goroutine must never block on them (it would wait for itself);
// receiving there is only safe with select and a default case.
//
// Returned times are in the location of the engine's start time.
func (e *Engine) Clock() clock.Clock {
	if e.view == nil {
		e.view = &clockView{e: e}
	}
	return e.view
}

type clockView struct {
	e *Engine

	mock    *clock.Mock
	entries []*mockEntry // live timers and tickers, by seq
	seq     uint64
	ev      Timer // kernel event at the earliest mock deadline
	due     []dueTimer
	starts  []func() // AfterFunc callbacks to start as processes
	wakes   []func() // channel sends and context cancels, done last
	adopted map[unsafe.Pointer]bool
}

var _ clock.Clock = (*clockView)(nil)

func (v *clockView) Now() time.Time                  { return v.e.Now() }
func (v *clockView) Since(t time.Time) time.Duration { return v.e.Now().Sub(t) }
func (v *clockView) Until(t time.Time) time.Duration { return t.Sub(v.e.Now()) }
func (v *clockView) Sleep(d time.Duration)           { v.e.sleep(d) }

func (v *clockView) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	if v.e.procs.self() == nil {
		ch <- v.e.Now()
		return ch
	}
	v.e.After(d, PhaseApp, "clock.After", chanSend(ch))
	return ch
}

// chanSend is the event that delivers an After channel's value.
type chanSend chan time.Time

func (c chanSend) Fire(e *Engine) {
	select {
	case c <- e.Now():
	default:
	}
}

func (v *clockView) Tick(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	t := &tick{ch: make(chan time.Time, 1), d: d}
	v.e.After(d, PhaseApp, "clock.Tick", t)
	return t.ch
}

type tick struct {
	ch chan time.Time
	d  time.Duration
}

func (t *tick) Fire(e *Engine) {
	e.After(t.d, PhaseApp, "clock.Tick", t)
	select {
	case t.ch <- e.Now():
	default: // dropped, as time.Ticker drops ticks for slow receivers
	}
}

func (v *clockView) Timer(d time.Duration) *clock.Timer {
	v.ensureMock()
	t := v.mock.AfterFunc(d, nil) // fn nil: a channel timer
	t.C = make(chan time.Time, 1)
	v.add(&mockEntry{timer: t})
	return t
}

func (v *clockView) Ticker(d time.Duration) *clock.Ticker {
	if d <= 0 {
		panic(errors.New("non-positive interval for NewTicker")) // as time.NewTicker
	}
	v.ensureMock()
	t := v.mock.Ticker(d)
	v.add(&mockEntry{ticker: t})
	return t
}

func (v *clockView) AfterFunc(d time.Duration, f func()) *clock.Timer {
	v.ensureMock()
	t := v.mock.AfterFunc(d, func() { v.starts = append(v.starts, f) })
	v.add(&mockEntry{timer: t})
	return t
}

// internalAfterFunc runs f on the kernel goroutine at the deadline, after the
// timers due at that instant were handled.
func (v *clockView) internalAfterFunc(d time.Duration, f func()) *clock.Timer {
	v.ensureMock()
	t := v.mock.AfterFunc(d, func() { v.wakes = append(v.wakes, f) })
	v.add(&mockEntry{timer: t})
	return t
}

func (v *clockView) ensureMock() {
	v.e.raceAcquire()
	if v.mock != nil {
		return
	}
	if mockLayout.err != nil {
		panic(mockLayout.err)
	}
	v.mock = clock.NewMock()
	v.syncMock()
}

// syncMock makes the Mock's time the kernel's.
func (v *clockView) syncMock() { setMockNow(v.mock, v.e.Now()) }

func (v *clockView) add(m *mockEntry) {
	v.e.raceAcquire()
	v.seq++
	m.seq = v.seq
	v.entries = append(v.entries, m)
	v.arm()
	v.e.raceRelease()
}

// arm drops stopped timers, adopts timers re-armed by Reset after a stop,
// and keeps one kernel event at the earliest deadline.
func (v *clockView) arm() {
	mu := mockMu(v.mock)
	mu.Lock()
	live := v.entries[:0]
	for _, m := range v.entries {
		if !m.stopped() {
			live = append(live, m)
		}
	}
	clear(v.entries[len(live):])
	v.entries = live
	if mockTimerCount(v.mock) > len(v.entries) {
		v.adopt()
	}
	if len(v.entries) == 0 {
		mu.Unlock()
		v.e.Cancel(v.ev)
		return
	}
	first := v.entries[0].next()
	for _, m := range v.entries[1:] {
		if n := m.next(); n.Before(first) {
			first = n
		}
	}
	mu.Unlock()
	off := toOffset(v.e.start, first)
	if off < v.e.now {
		off = v.e.now
	}
	if at, ok := v.e.When(v.ev); ok {
		if toOffset(v.e.start, at) != off {
			v.e.Reschedule(v.ev, v.e.start.Add(time.Duration(off)))
		}
		return
	}
	v.ev = v.e.scheduleAt(off, PhaseApp, "clock.timers", v)
}

// adopt registers timers the Mock has but the view dropped: a Timer or
// Ticker Reset after it was stopped or fired. They take a new sequence
// number, as if created now.
func (v *clockView) adopt() {
	if v.adopted == nil {
		v.adopted = map[unsafe.Pointer]bool{}
	}
	clear(v.adopted)
	for _, m := range v.entries {
		v.adopted[m.ptr()] = true
	}
	var found []*mockEntry
	mockTimerList(v.mock, func(p unsafe.Pointer, ticker bool) {
		if v.adopted[p] {
			return
		}
		m := &mockEntry{}
		if ticker {
			m.ticker = (*clock.Ticker)(p)
		} else {
			m.timer = (*clock.Timer)(p)
		}
		found = append(found, m)
	})
	// Number them by deadline, not by the Mock's own order.
	slices.SortStableFunc(found, func(a, b *mockEntry) int { return a.next().Compare(b.next()) })
	for _, m := range found {
		v.seq++
		m.seq = v.seq
		v.entries = append(v.entries, m)
	}
}

// Fire fires every timer due now, in (deadline, creation) order: first the
// state changes (a Timer stops, a Ticker moves to its next tick), then the
// AfterFunc processes, then the channel sends and context cancellations, so
// a process woken by a send never runs beside the kernel's own work.
func (v *clockView) Fire(e *Engine) {
	mu := mockMu(v.mock)
	mu.Lock()
	v.due = v.due[:0]
	for _, m := range v.entries {
		if !m.stopped() && toOffset(e.start, m.next()) <= e.now {
			d := dueTimer{m: m, next: m.next(), ch: m.ch()}
			if m.ticker != nil {
				d.period = m.period()
			} else {
				d.fn = m.fn()
			}
			v.due = append(v.due, d)
		}
	}
	mu.Unlock()
	slices.SortStableFunc(v.due, func(a, b dueTimer) int { return a.next.Compare(b.next) })
	now := e.Now()
	for _, d := range v.due {
		switch {
		case d.m.ticker != nil:
			d.m.ticker.Reset(d.period)
		default:
			d.m.timer.Stop()
		}
		if d.fn != nil {
			d.fn() // queues onto starts or wakes
			continue
		}
		ch := d.ch
		v.wakes = append(v.wakes, func() { trySend(ch, now) })
	}
	clear(v.due)
	for len(v.starts) > 0 {
		f := v.starts[0]
		v.starts = v.starts[1:]
		e.Go("clock.AfterFunc", f, func(p any) {
			if p != nil {
				e.Stop(fmt.Errorf("sim: a clock AfterFunc callback panicked at +%s: %v", FormatOffset(e.Elapsed()), p))
			}
		})
	}
	v.starts = nil
	// One at a time, each followed by a wait for the process it woke, so
	// processes woken at the same instant run in timer order, never at once.
	wakes := v.wakes
	v.wakes = nil
	for _, w := range wakes {
		e.raceRelease()
		w()
		e.settle()
	}
}

type dueTimer struct {
	m      *mockEntry
	next   time.Time
	ch     chan time.Time
	fn     func()
	period time.Duration
}

func trySend(ch chan time.Time, t time.Time) {
	select {
	case ch <- t:
	default:
	}
}

func (v *clockView) WithTimeout(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return v.WithDeadline(parent, v.e.Now().Add(d))
}

func (v *clockView) WithDeadline(parent context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	if parent == nil {
		panic("cannot create context from nil parent") // as context.WithDeadline
	}
	if cur, ok := parent.Deadline(); ok && cur.Before(deadline) {
		return context.WithCancel(parent) // the parent's deadline comes first
	}
	inner, cancel := context.WithCancelCause(parent)
	c := &deadlineCtx{Context: inner, deadline: deadline}
	d := deadline.Sub(v.e.Now())
	if d <= 0 {
		cancel(context.DeadlineExceeded)
		return c, func() { cancel(context.Canceled) }
	}
	t := v.internalAfterFunc(d, func() { cancel(context.DeadlineExceeded) })
	return c, func() {
		t.Stop()
		cancel(context.Canceled)
	}
}

// deadlineCtx is a context cancelled at a virtual deadline. It wraps a
// context.WithCancelCause child of the parent, so cancellation propagates
// synchronously both ways (no goroutine, unlike clock.Mock's timerCtx).
type deadlineCtx struct {
	context.Context
	deadline time.Time
}

func (c *deadlineCtx) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *deadlineCtx) Err() error {
	err := c.Context.Err()
	if err != nil && context.Cause(c.Context) == context.DeadlineExceeded {
		return context.DeadlineExceeded
	}
	return err
}

func (c *deadlineCtx) String() string {
	return "sim.Clock.WithDeadline(" + c.deadline.String() + ")"
}
