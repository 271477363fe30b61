package sim

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// log collects "+offset what" lines from processes and handlers.
type tlog struct {
	e     *Engine
	lines []string
}

func (l *tlog) add(format string, args ...any) {
	l.lines = append(l.lines, "+"+FormatOffset(l.e.Elapsed())+" "+fmt.Sprintf(format, args...))
}

func (l *tlog) want(t *testing.T, want ...string) {
	t.Helper()
	if !slices.Equal(l.lines, want) {
		t.Fatalf("log:\n  %s\nwant:\n  %s", strings.Join(l.lines, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestMockLayout(t *testing.T) {
	// The clock view reads github.com/benbjohnson/clock v1.3.5 internals
	// (mocklayout.go). If the dependency changes shape, this fails first.
	if mockLayout.err != nil {
		t.Fatal(mockLayout.err)
	}
}

func TestSleepResumesAtExactVirtualTime(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	var resumed time.Time
	var doneCalled bool
	e.After(5*time.Minute, PhasePlugin, "start", HandlerFunc(func(e *Engine) {
		e.Go("handler", func() {
			clk.Sleep(30 * time.Second)
			resumed = clk.Now()
		}, func(p any) {
			if p != nil {
				t.Errorf("panicked: %v", p)
			}
			doneCalled = true
		})
	}))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if want := t0.Add(5*time.Minute + 30*time.Second); !resumed.Equal(want) || !doneCalled {
		t.Fatalf("resumed at %v (done %v), want %v", resumed, doneCalled, want)
	}
	if e.Processes() != 0 {
		t.Fatalf("Processes = %d", e.Processes())
	}
}

func TestGoBlocksKernelUntilProcessWaits(t *testing.T) {
	// Strict hand-off: Go returns only once fn waits; then the kernel runs;
	// the process resumes only when its wake event fires, in PhaseApp after
	// other phases of the same instant.
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	e.Go("p", func() {
		l.add("p start")
		clk.Sleep(time.Minute)
		l.add("p woke")
		clk.Sleep(time.Minute)
		l.add("p end")
	}, func(any) { l.add("p done") })
	l.add("Go returned")
	e.After(time.Minute, PhaseCheck, "check", HandlerFunc(func(*Engine) { l.add("check") }))
	e.After(time.Minute, PhaseOS, "os", HandlerFunc(func(*Engine) { l.add("os") }))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:00:00 p start",
		"+00:00:00 Go returned",
		"+00:01:00 os",
		"+00:01:00 p woke",
		"+00:01:00 check",
		"+00:02:00 p end",
		"+00:02:00 p done",
	)
}

func TestDayOfSleeps(t *testing.T) {
	// 1440 one-minute sleeps: a virtual day, in a few milliseconds of real
	// time (see BenchmarkProcessSleep for the cost per sleep).
	e := New(t0, 1)
	clk := e.Clock()
	n := 0
	e.Go("minutely", func() {
		for i := 0; i < 24*60; i++ {
			clk.Sleep(time.Minute)
			n++
		}
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if n != 1440 || e.Elapsed() != 24*time.Hour {
		t.Fatalf("n=%d elapsed=%v", n, e.Elapsed())
	}
}

func TestPanickingProcessReportsPanic(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	var got []any
	e.Go("boom", func() {
		clk.Sleep(time.Second)
		panic("task exploded")
	}, func(p any) { got = append(got, p) })
	e.Go("nil-deref", func() {
		var m map[string]int
		//lint:ignore SA5000 the task must panic with a nil-map write
		m["x"] = 1
	}, func(p any) { got = append(got, p) })
	e.Go("goexit", func() {
		clk.Sleep(2 * time.Second)
		runtime.Goexit() // as t.FailNow does
	}, func(p any) { got = append(got, p) })
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("done calls: %v", got)
	}
	if _, ok := got[0].(error); !ok || !strings.Contains(fmt.Sprint(got[0]), "nil map") {
		t.Fatalf("first done (the immediate nil-map panic) = %v", got[0])
	}
	if got[1] != "task exploded" {
		t.Fatalf("second done = %v", got[1])
	}
	if got[2] != ErrProcessExited {
		t.Fatalf("third done = %v", got[2])
	}
}

func TestSleepAndAfterOutsideProcessDoNotBlock(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	var ok bool
	e.After(time.Hour, PhaseApp, "handler", HandlerFunc(func(e *Engine) {
		clk.Sleep(time.Hour) // kernel goroutine: returns at once
		select {
		case v := <-clk.After(time.Hour): // ready at once, holding Now
			ok = v.Equal(e.Now()) && e.Elapsed() == time.Hour
		default:
		}
	}))
	clk.Sleep(time.Hour) // driving goroutine: returns at once too
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if !ok || e.Elapsed() != time.Hour {
		t.Fatalf("ok=%v elapsed=%v", ok, e.Elapsed())
	}
}

func TestGoFromInsideProcessStartsAfterParentYields(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	e.Go("parent", func() {
		l.add("parent start")
		e.Go("child", func() {
			l.add("child start")
			clk.Sleep(time.Second)
			l.add("child end")
		}, func(any) { l.add("child done") })
		l.add("parent after Go")
		clk.Sleep(2 * time.Second)
		l.add("parent end")
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:00:00 parent start",
		"+00:00:00 parent after Go",
		"+00:00:00 child start",
		"+00:00:01 child end",
		"+00:00:01 child done",
		"+00:00:02 parent end",
	)
}

func TestChannelWaitsInProcess(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	e.Go("waiter", func() {
		v := <-clk.After(10 * time.Second)
		l.add("After fired, value +%s", FormatOffset(v.Sub(t0)))
		tm := clk.Timer(20 * time.Second)
		v = <-tm.C
		l.add("Timer fired, value +%s", FormatOffset(v.Sub(t0)))
		tk := clk.Ticker(time.Minute)
		for i := 0; i < 3; i++ {
			<-tk.C
			l.add("tick %d", i)
		}
		tk.Stop()
		ch := clk.Tick(time.Hour)
		<-ch
		l.add("Tick")
	}, func(p any) { l.add("done %v", p) })
	// Tick never stops, so run to a fixed time rather than until idle.
	if err := e.RunFor(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:00:10 After fired, value +00:00:10",
		"+00:00:30 Timer fired, value +00:00:30",
		"+00:01:30 tick 0",
		"+00:02:30 tick 1",
		"+00:03:30 tick 2",
		"+01:03:30 Tick",
		"+01:03:30 done <nil>",
	)
}

func TestTimerStopResetAndReuse(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	e.Go("p", func() {
		a := clk.Timer(time.Minute)
		b := clk.Timer(2 * time.Minute)
		if !b.Stop() {
			l.add("b.Stop = false")
		}
		clk.Sleep(90 * time.Second) // a fires meanwhile; its value waits in C
		// Reset without draining: a deadlock on clock.Mock (go-design.md
		// §1.3); here the stale value stays and no second value is sent.
		a.Reset(time.Minute)
		v := <-a.C
		l.add("a first value +%s", FormatOffset(v.Sub(t0)))
		v = <-a.C
		l.add("a after Reset +%s", FormatOffset(v.Sub(t0)))
		// A stopped timer re-armed by Reset fires at the new time.
		b.Reset(30 * time.Second)
		v = <-b.C
		l.add("b re-armed +%s", FormatOffset(v.Sub(t0)))
		// Timer(0) fires at the current instant.
		<-clk.Timer(0).C
		l.add("zero timer")
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:01:30 a first value +00:01:00",
		"+00:02:30 a after Reset +00:02:30",
		"+00:03:00 b re-armed +00:03:00",
		"+00:03:00 zero timer",
	)
}

func TestTimerFromKernelHandlerFiresAtVirtualTime(t *testing.T) {
	// A timer created by kernel-side code (no process): its channel gets
	// the value at the virtual deadline; a handler polls it.
	e := New(t0, 1)
	clk := e.Clock()
	tm := clk.Timer(45 * time.Second)
	var seen []time.Duration
	for _, at := range []time.Duration{44 * time.Second, 45 * time.Second} {
		e.After(at, PhaseCheck, "poll", HandlerFunc(func(e *Engine) {
			select {
			case <-tm.C:
				seen = append(seen, e.Elapsed())
			default:
			}
		}))
	}
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []time.Duration{45 * time.Second}) {
		t.Fatalf("seen %v", seen)
	}
}

func TestAfterFunc(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	clk.AfterFunc(10*time.Second, func() {
		l.add("f1 start")
		clk.Sleep(5 * time.Second) // AfterFunc callbacks are processes
		l.add("f1 end")
	})
	stopped := clk.AfterFunc(10*time.Second, func() { l.add("stopped one ran") })
	clk.AfterFunc(10*time.Second, func() { l.add("f3") })
	if !stopped.Stop() {
		t.Fatal("Stop = false")
	}
	if stopped.C != nil {
		t.Fatal("AfterFunc timer has a channel")
	}
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	l.want(t, "+00:00:10 f1 start", "+00:00:10 f3", "+00:00:15 f1 end")
}

func TestAfterFuncPanicStopsRun(t *testing.T) {
	e := New(t0, 1)
	e.Clock().AfterFunc(time.Second, func() { panic("bad callback") })
	err := e.RunUntilIdle()
	if err == nil || !strings.Contains(err.Error(), "bad callback") {
		t.Fatalf("err = %v", err)
	}
}

func TestContextDeadline(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	e.Go("p", func() {
		ctx, cancel := clk.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if d, ok := ctx.Deadline(); !ok || !d.Equal(t0.Add(10*time.Minute)) {
			l.add("deadline %v %v", d, ok)
		}
		child, cancelChild := context.WithCancel(ctx) // stdlib child
		defer cancelChild()
		select {
		case <-ctx.Done():
			l.add("ctx done: %v", ctx.Err())
		case <-clk.After(time.Hour):
			l.add("After won")
		}
		<-child.Done()
		l.add("child err %v, cause %v", child.Err(), context.Cause(child))

		// Cancelled before the deadline.
		ctx2, cancel2 := clk.WithDeadline(context.Background(), clk.Now().Add(time.Hour))
		cancel2()
		l.add("ctx2: %v", ctx2.Err())
		// A deadline already past.
		ctx3, cancel3 := clk.WithDeadline(context.Background(), t0)
		defer cancel3()
		l.add("ctx3: %v", ctx3.Err())
		// A parent with an earlier deadline wins.
		ctx4, cancel4 := clk.WithTimeout(ctx2, time.Hour)
		defer cancel4()
		l.add("ctx4: %v", ctx4.Err())
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:10:00 ctx done: context deadline exceeded",
		"+00:10:00 child err context canceled, cause context deadline exceeded",
		"+00:10:00 ctx2: context canceled",
		"+00:10:00 ctx3: context deadline exceeded",
		"+00:10:00 ctx4: context canceled",
	)
	// The After(1h) that lost the select still fires, at +1h; nothing else
	// was left queued (the cancelled contexts' timers were stopped).
	if e.Elapsed() != time.Hour || e.Len() != 0 {
		t.Fatalf("elapsed %v", e.Elapsed())
	}
}

func TestKernelCancelWakesParkedProcess(t *testing.T) {
	// The OS stops a job: kernel code cancels the context the handler waits
	// on. The handler resumes in the same instant, before the next event.
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	ctx, cancel := context.WithCancel(context.Background())
	e.Go("worker", func() {
		select {
		case <-ctx.Done():
			l.add("worker stopped: %v", ctx.Err())
		case <-clk.After(time.Hour):
			l.add("worker finished")
		}
		clk.Sleep(time.Second)
		l.add("worker cleaned up")
	}, func(any) { l.add("worker done") })
	e.After(10*time.Minute, PhaseOS, "stop job", HandlerFunc(func(*Engine) {
		l.add("os: stop")
		cancel()
	}))
	e.After(10*time.Minute, PhaseCheck, "check", HandlerFunc(func(*Engine) { l.add("check") }))
	if err := e.RunUntil(t0.Add(11 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:10:00 os: stop",
		"+00:10:00 worker stopped: context canceled",
		"+00:10:00 check",
		"+00:10:01 worker cleaned up",
		"+00:10:01 worker done",
	)
}

func TestProcessParkedForeverDoesNotBlockKernel(t *testing.T) {
	e := New(t0, 1)
	never := make(chan struct{})
	defer close(never)
	e.Go("stuck", func() { <-never }, nil)
	n := 0
	e.After(time.Minute, PhaseApp, "x", HandlerFunc(func(*Engine) { n++ }))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if n != 1 || e.Processes() != 1 {
		t.Fatalf("n=%d processes=%d", n, e.Processes())
	}
}

func TestClockViewReadsKernel(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	if clk != e.Clock() {
		t.Fatal("Clock() not stable")
	}
	if err := e.RunFor(90 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if !clk.Now().Equal(t0.Add(90*time.Minute)) || clk.Since(t0) != 90*time.Minute || clk.Until(t0) != -90*time.Minute {
		t.Fatalf("Now=%v", clk.Now())
	}
	if clk.Now().Location() != time.UTC {
		t.Fatal("view not in the start's location")
	}
	if clk.Tick(0) != nil {
		t.Fatal("Tick(0) not nil")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Ticker(0) did not panic as time.NewTicker does")
		}
	}()
	clk.Ticker(0)
}

func TestWakeRunsAfterHandlerAndAfterProcessYields(t *testing.T) {
	e := New(t0, 1)
	clk := e.Clock()
	l := &tlog{e: e}
	ctxA, cancelA := context.WithCancel(context.Background())
	ctxB, cancelB := context.WithCancel(context.Background())
	e.Go("a", func() {
		<-ctxA.Done()
		l.add("a woke")
		e.Wake(cancelB) // from a process: runs once a waits
		l.add("a still running")
		clk.Sleep(time.Second)
		l.add("a end")
	}, nil)
	e.Go("b", func() {
		<-ctxB.Done()
		l.add("b woke")
	}, nil)
	e.After(time.Minute, PhaseOS, "stop a", HandlerFunc(func(*Engine) {
		e.Wake(cancelA) // mid-handler: deferred to the handler's end
		l.add("handler continues")
	}))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	l.want(t,
		"+00:01:00 handler continues",
		"+00:01:00 a woke",
		"+00:01:00 a still running",
		"+00:01:00 b woke",
		"+00:01:01 a end",
	)
	// Outside any event, Wake runs at once.
	ran := false
	e.Wake(func() { ran = true })
	if !ran {
		t.Fatal("Wake outside an event did not run f")
	}
}
