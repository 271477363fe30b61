package sim

import (
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Processes: user Go code that may block on virtual time.
//
// A process runs fn on its own goroutine under a strict hand-off with the
// kernel: while it runs, the kernel goroutine waits; when it waits on virtual
// time (the clock view's Sleep) it posts a message and parks, and the kernel
// goes on. Exactly one goroutine runs at a time, so a process is as
// deterministic as an event handler.
//
// A process may also wait by receiving from a channel (clock.After, a Timer's
// C, a context's Done, a select over those). The kernel cannot see a channel
// receive, so while it waits for a process it also polls the Go runtime's
// goroutine table (runtime.Stack); a process goroutine found parked in a
// channel operation, select, or lock counts as having handed control back
// ("parked"). After every event that runs while such a process exists the
// kernel looks again, and waits for any process the event woke until it parks
// again. The poll only decides when the kernel may go on, never what happens,
// so the result does not depend on timing. Its cost (a goroutine dump per
// event while a process is parked on a channel) is paid only by runs that
// use channel waits.

// ErrProcessExited is passed to a process's done callback when fn ended by
// runtime.Goexit (for instance t.FailNow in a test) instead of returning.
var ErrProcessExited = errors.New("sim: process exited via runtime.Goexit")

type procStatus uint8

const (
	procRunning  procStatus = iota // the kernel waits for it
	procSleeping                   // in the view's Sleep; a wake event is queued
	procParked                     // blocked on a channel or lock the kernel does not own
	procDone
)

type proc struct {
	label     string
	wakeLabel string
	fn        func()
	done      func(panicked any)
	gid       atomic.Int64 // goroutine id, set by the goroutine itself
	resume    chan struct{}
	status    procStatus // kernel-owned
	sawReal   bool       // reported in realWaits already
}

// Fire resumes a sleeping process: it is the handler of its wake event.
func (p *proc) Fire(e *Engine) { e.resumeProc(p) }

type msgKind uint8

const (
	msgSleep msgKind = iota
	msgDone
)

type procMsg struct {
	p        *proc
	kind     msgKind
	wakeAt   int64
	panicked any
}

type procState struct {
	msgs     chan procMsg // processes → kernel; buffered so posting never blocks
	byGID    sync.Map     // goroutine id → *proc, for "am I a process?"
	live     []*proc      // in start order
	running  int
	parked   int
	timer    *time.Timer
	stackBuf []byte
	gstates  []gstate
	prev     []gstate
	// realWaits are processes seen waiting on real time (RealTimeWaits).
	realWaits []RealTimeWait
}

type gstate struct {
	gid     int64
	blocked bool
	real    string // a real-time wait reason (realStates), or ""
}

func (ps *procState) init() {
	if ps.msgs == nil {
		ps.msgs = make(chan procMsg, 1024)
	}
}

// Processes is the number of processes started with Go that have not
// finished (running, sleeping, or parked on a channel).
func (e *Engine) Processes() int { return len(e.procs.live) }

// Go runs fn as a process: on its own goroutine, under a strict hand-off
// with the kernel, so that fn may block on virtual time through the clock
// view (Engine.Clock): Sleep, <-After(d), <-Tick(d), a Timer's or Ticker's
// channel, a context from WithTimeout/WithDeadline, or a select over those.
//
// Called on the kernel goroutine (from an event handler, or from the code
// driving the engine), Go blocks until fn returns or waits on virtual time.
// Called from inside another process, it queues the start at the current
// instant (PhaseApp) and returns at once. When fn returns, done (if not nil)
// is called on the kernel goroutine with nil; when fn panics, the panic is
// recovered and its value passed to done; when fn calls runtime.Goexit, done
// gets ErrProcessExited.
//
// A process that neither returns nor waits (it spins) is caught by the
// wall-clock watchdog (Limits.WallClock): the run stops with a *LimitError
// naming the process, and the engine refuses further runs, since the
// goroutine cannot be stopped from outside. With no WallClock limit the
// kernel waits for it forever.
//
// One action that wakes several parked processes at once (closing a channel
// or cancelling a context two of them wait on) lets them run together, in an
// order the Go scheduler picks; give each process its own channel or
// context. Timers of the clock view that are due together are fired one at
// a time, each woken process running before the next timer fires.
//
// Goroutines that fn starts itself are not processes: they must not use the
// view's Sleep (it returns at once outside a process) and run beside the
// kernel, outside its determinism.
func (e *Engine) Go(label string, fn func(), done func(panicked any)) {
	if e.fatal != nil {
		return
	}
	if fn == nil {
		fn = func() {}
	}
	p := &proc{label: label, wakeLabel: "process " + label, fn: fn, done: done, resume: make(chan struct{})}
	if e.procs.self() != nil {
		e.After(0, PhaseApp, "process start "+label, HandlerFunc(func(e *Engine) { e.startProc(p) }))
		return
	}
	e.startProc(p)
}

func (e *Engine) startProc(p *proc) {
	if e.fatal != nil {
		return
	}
	ps := &e.procs
	ps.init()
	p.status = procRunning
	ps.live = append(ps.live, p)
	ps.running++
	go e.runProc(p)
	e.awaitQuiet()
}

// runProc is the body of a process goroutine.
func (e *Engine) runProc(p *proc) {
	gid := curGID()
	p.gid.Store(gid)
	e.procs.byGID.Store(gid, p)
	returned := false
	defer func() {
		r := recover()
		if !returned && r == nil {
			r = ErrProcessExited
		}
		e.procs.byGID.Delete(gid)
		e.procs.msgs <- procMsg{p: p, kind: msgDone, panicked: r}
	}()
	p.fn()
	returned = true
}

// self is the process the calling goroutine runs, or nil on the kernel
// goroutine (or any goroutine that is not a process).
func (ps *procState) self() *proc {
	if ps.msgs == nil {
		return nil
	}
	v, ok := ps.byGID.Load(curGID())
	if !ok {
		return nil
	}
	return v.(*proc)
}

// sleep parks the calling process for d of virtual time. Outside a process,
// or for d <= 0, it returns at once.
func (e *Engine) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	p := e.procs.self()
	if p == nil {
		return
	}
	e.raceAcquire()
	e.procs.msgs <- procMsg{p: p, kind: msgSleep, wakeAt: addSat(e.now, d)}
	<-p.resume
	e.raceAcquire()
}

func (e *Engine) resumeProc(p *proc) {
	if p.status != procSleeping || e.fatal != nil {
		return
	}
	p.status = procRunning
	e.procs.running++
	e.raceRelease()
	p.resume <- struct{}{}
	e.awaitQuiet()
}

// Wake runs f once no other code runs: at the end of the event being fired
// (after its handler returns), or, called from a process, once that process
// waits or ends; called on the kernel goroutine outside any event, at once.
// Then the kernel waits for any process f woke until it waits again.
//
// Use it from kernel-side code to cancel a context, close or send on a
// channel that a process is parked on. Doing that directly in the middle of
// a handler lets the woken process run at the same time as the rest of the
// handler, which is neither deterministic nor race-free; as the handler's
// very last action it is safe too.
func (e *Engine) Wake(f func()) {
	if f == nil {
		return
	}
	e.raceAcquire()
	if e.firing || e.procs.self() != nil {
		e.wakes = append(e.wakes, f)
		e.raceRelease()
		return
	}
	f()
	e.settle()
}

// runWakes runs the functions queued by Wake, in order, waiting after each
// for the processes it woke: two woken processes never run at once.
func (e *Engine) runWakes() {
	if e.inWakes {
		return
	}
	e.inWakes = true
	for len(e.wakes) > 0 && e.fatal == nil {
		f := e.wakes[0]
		e.wakes[0] = nil
		e.wakes = e.wakes[1:]
		e.raceRelease()
		f()
		e.settle()
	}
	e.wakes = nil
	e.inWakes = false
}

// settle waits for the processes the last action may have woken.
func (e *Engine) settle() {
	if e.procs.parked > 0 && e.fatal == nil {
		e.awaitQuiet()
	}
}

// handle applies one message from a process. It runs on the kernel goroutine.
func (e *Engine) handle(m procMsg) {
	ps := &e.procs
	p := m.p
	switch p.status {
	case procRunning:
		ps.running--
	case procParked:
		ps.parked--
	case procDone:
		return
	}
	switch m.kind {
	case msgSleep:
		p.status = procSleeping
		e.scheduleAt(m.wakeAt, PhaseApp, p.wakeLabel, p)
	case msgDone:
		p.status = procDone
		for i, q := range ps.live {
			if q == p {
				ps.live = append(ps.live[:i], ps.live[i+1:]...)
				ps.live[len(ps.live):cap(ps.live)][0] = nil
				break
			}
		}
		if p.done != nil {
			p.done(m.panicked)
		}
	}
}

// drain handles every message already posted; it reports whether there was one.
func (e *Engine) drain() bool {
	got := false
	for {
		select {
		case m := <-e.procs.msgs:
			e.handle(m)
			got = true
		default:
			return got
		}
	}
}

const (
	spinTries = 32
	pollMin   = 20 * time.Microsecond
	pollMax   = 2 * time.Millisecond
)

// awaitQuiet waits until no process runs: each has returned, gone to sleep,
// or parked on a channel. It is where the kernel blocks during a hand-off,
// and where the wall-clock watchdog catches a process that never yields.
// While some process is parked on a channel, it also runs after every event
// (Step): the event, or the process that just ran, may have woken it (sent on
// its channel, closed its context), and the kernel must wait until it parks
// again before it goes on.
func (e *Engine) awaitQuiet() {
	ps := &e.procs
	backoff := pollMin
	spins := 0
	deadline, watched := e.wallDeadline()
	e.raceRelease()
	for e.fatal == nil {
		if ps.running == 0 {
			// First find any process the last action woke: until then
			// it may be running, and the kernel touches nothing it may.
			if ps.parked > 0 {
				e.classify(procParked)
			}
			if ps.running == 0 {
				if len(e.wakes) > 0 && !e.firing && !e.inWakes {
					e.runWakes()
					continue
				}
				return
			}
		}
		if e.drain() {
			backoff = pollMin
			spins = 0
			continue
		}
		// A process usually hands back within microseconds: yield a few
		// times before paying for a timer.
		if spins < spinTries {
			spins++
			runtime.Gosched()
			if spins < spinTries {
				continue
			}
			e.classify(procRunning)
			continue
		}
		if ps.timer == nil {
			ps.timer = time.NewTimer(backoff)
		} else {
			ps.timer.Reset(backoff)
		}
		// Both cases lead to the same state; the timer only bounds how
		// long the kernel waits before it looks at the goroutine table.
		select {
		case m := <-ps.msgs:
			ps.timer.Stop()
			e.handle(m)
			backoff = pollMin
			spins = 0
			continue
		case <-ps.timer.C:
		}
		e.classify(procRunning)
		if backoff < pollMax {
			backoff *= 2
		}
		if watched && ps.running > 0 && e.wallNow().After(deadline) {
			e.watchdog()
		}
	}
}

// classify looks at the goroutine table. Called with procRunning it marks
// running processes found blocked as parked; with procParked it marks parked
// processes found no longer blocked as running. A process counts as blocked
// only if two snapshots, a moment apart, both show it blocked: a goroutine
// can be caught in a passing state (a contended lock on its way, a channel
// operation that completes at once). Messages are drained after the
// snapshots, so a process that posted and then blocked on its resume
// channel is seen as sleeping, not parked.
func (e *Engine) classify(from procStatus) {
	ps := &e.procs
	e.snapshot()
	ps.prev = append(ps.prev[:0], ps.gstates...)
	second := false
	for _, p := range ps.live {
		if p.status == from && isBlocked(ps.prev, p.gid.Load()) {
			second = true // only a blocked reading needs confirming
			break
		}
	}
	if second {
		for i := 0; i < 3; i++ {
			runtime.Gosched()
		}
		e.snapshot()
	}
	e.raceAcquire()
	if from == procRunning {
		e.noteRealWaits()
	}
	e.drain()
	for _, p := range ps.live {
		if p.status != from {
			continue
		}
		gid := p.gid.Load()
		blocked := gid != 0 && isBlocked(ps.prev, gid) && isBlocked(ps.gstates, gid)
		switch {
		case from == procRunning && blocked:
			p.status = procParked
			ps.running--
			ps.parked++
		case from == procParked && !blocked:
			p.status = procRunning
			ps.parked--
			ps.running++
		}
	}
}

func isBlocked(states []gstate, gid int64) bool {
	for _, g := range states {
		if g.gid == gid {
			return g.blocked
		}
	}
	return false
}

func (e *Engine) watchdog() {
	label := ""
	for _, p := range e.procs.live {
		if p.status == procRunning {
			label = p.label
			break
		}
	}
	err := &LimitError{Limit: "wall_clock", Value: e.limits.WallClock.String(), At: time.Duration(e.now), Events: e.fired, Process: label}
	e.fatal = err
	e.Stop(err)
}

// snapshot reads every goroutine's state from runtime.Stack into ps.gstates.
func (e *Engine) snapshot() {
	ps := &e.procs
	if ps.stackBuf == nil {
		ps.stackBuf = make([]byte, 64<<10)
	}
	var n int
	for {
		n = runtime.Stack(ps.stackBuf, true)
		if n < len(ps.stackBuf) {
			break
		}
		ps.stackBuf = make([]byte, 2*len(ps.stackBuf))
	}
	ps.gstates = parseGoroutines(ps.stackBuf[:n], ps.gstates[:0])
}

var goroutinePrefix = []byte("goroutine ")

// parseGoroutines reads the "goroutine N [state...]:" headers of a
// runtime.Stack dump.
func parseGoroutines(b []byte, out []gstate) []gstate {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if !bytes.HasPrefix(line, goroutinePrefix) {
			continue
		}
		rest := line[len(goroutinePrefix):]
		sp := bytes.IndexByte(rest, ' ')
		if sp < 0 {
			continue
		}
		gid, err := strconv.ParseInt(string(rest[:sp]), 10, 64)
		if err != nil {
			continue
		}
		open := bytes.IndexByte(rest, '[')
		if open < 0 {
			continue
		}
		state := rest[open+1:]
		if end := bytes.IndexAny(state, ",]"); end >= 0 {
			state = state[:end]
		}
		out = append(out, gstate{gid: gid, blocked: blockedState(state), real: realState(state)})
	}
	return out
}

// blockedStates are the wait reasons (runtime/runtime2.go waitReasonStrings)
// of a goroutine parked until another goroutine acts: the kernel may go on.
// Real sleeps, I/O and syscalls are not among them: the goroutine will run
// again by itself, so the kernel keeps waiting.
var blockedStates = [][]byte{
	[]byte("chan receive"),
	[]byte("chan send"),
	[]byte("select"),
	[]byte("sync.Cond.Wait"),
	[]byte("sync.Mutex.Lock"),
	[]byte("sync.RWMutex.Lock"),
	[]byte("sync.RWMutex.RLock"),
	[]byte("sync.WaitGroup.Wait"),
	[]byte("semacquire"),
}

// realStates are the wait reasons (runtime/runtime2.go waitReasonStrings)
// of a goroutine waiting on real time: time.Sleep, the network poller
// (sockets, pipes), a system call in progress (file I/O and the like).
var realStates = []string{"sleep", "IO wait", "syscall"}

func realState(s []byte) string {
	for _, r := range realStates {
		if bytes.HasPrefix(s, []byte(r)) {
			return r
		}
	}
	return ""
}

func blockedState(s []byte) bool {
	for _, p := range blockedStates {
		if bytes.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// IsProcess reports whether the calling goroutine is one of e's processes
// (started with Go and not yet finished). Safe to call from any goroutine.
func (e *Engine) IsProcess() bool { return e.procs.self() != nil }

// GoroutineID is the calling goroutine's id, as runtime stack dumps show
// it. It is for telling a harness's user that code runs on the wrong
// goroutine, never for behaviour.
func GoroutineID() int64 { return curGID() }

// RealTimeWait is a process the kernel found waiting on real time — in
// time.Sleep, in network or file I/O, in a system call — while it waited
// for the process to hand control back. Virtual time stands still
// meanwhile, and what the process waits for (a server's answer, the
// machine's clock) is outside the simulation: the run is no longer
// deterministic. It is reported, never traced (when it is seen depends on
// real timing).
type RealTimeWait struct {
	Process string        // the process's label
	State   string        // the Go runtime's wait reason: "sleep", "IO wait", "syscall"
	At      time.Duration // virtual offset from the start
}

// RealTimeWaits are the processes found waiting on real time so far, at
// most one per process, in the order seen.
func (e *Engine) RealTimeWaits() []RealTimeWait { return e.procs.realWaits }

// noteRealWaits records running processes the last snapshot shows waiting
// on real time.
func (e *Engine) noteRealWaits() {
	ps := &e.procs
	for _, p := range ps.live {
		if p.status != procRunning || p.sawReal {
			continue
		}
		gid := p.gid.Load()
		for _, g := range ps.gstates {
			if g.gid == gid && g.real != "" {
				p.sawReal = true
				ps.realWaits = append(ps.realWaits, RealTimeWait{Process: p.label, State: g.real, At: time.Duration(e.now)})
			}
		}
	}
}

// curGID is the calling goroutine's id, read from its stack header.
func curGID() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	b := bytes.TrimPrefix(buf[:n], goroutinePrefix)
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseInt(string(b), 10, 64)
	return id
}
