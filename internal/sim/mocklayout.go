package sim

import (
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/benbjohnson/clock"
)

// The clock view needs *clock.Timer and *clock.Ticker values whose Stop and
// Reset work, and only package clock can make those: their fields are
// unexported. So the view keeps a *clock.Mock as the timers' home, and never
// lets the Mock drive them. The Mock's Add and Set sleep 1 ms of real time
// per call and per timer fired, send on full channels while holding its lock
// (Reset without draining deadlocks), and run AfterFunc callbacks on fresh
// goroutines (reference/go-design.md §1.2-1.3). Instead the kernel:
//
//   - writes the Mock's current time directly when virtual time moves, so
//     Timer.Reset and Ticker.Reset compute their deadlines from virtual now;
//   - reads each timer's deadline and stopped flag to keep one kernel event
//     at the earliest deadline;
//   - fires a timer itself at that event: a non-blocking send on C (as Go
//     1.23 timers and filecoin-project/go-clock do), then Timer.Stop or
//     Ticker.Reset, which are the package's own public methods.
//
// Timers are created with Mock.AfterFunc and Mock.Ticker, which never fire
// anything; Mock.Timer would (it runs due timers at creation), so it is not
// used, and neither are Add, Set or WaitForAllTimers.
//
// This reads unexported fields of github.com/benbjohnson/clock v1.3.5 through
// reflect and unsafe. The module is archived (README: "no longer
// maintained"; last release v1.3.5, 2023-05-17), so the layout is frozen; it
// is checked once here, and TestMockLayout fails loudly if it ever changes.

type mockFields struct {
	err error

	mockMu     uintptr // Mock.mu sync.Mutex
	mockNow    uintptr // Mock.now time.Time
	mockTimers int     // Mock.timers field index ([]clockTimer)

	timerNext    uintptr // Timer.next time.Time
	timerStopped uintptr // Timer.stopped bool
	timerFn      uintptr // Timer.fn func()

	tickerNext    uintptr // Ticker.next time.Time
	tickerStopped uintptr // Ticker.stopped bool
	tickerD       uintptr // Ticker.d time.Duration
}

var mockLayout = readMockLayout()

func readMockLayout() (l mockFields) {
	timeT := reflect.TypeFor[time.Time]()
	field := func(t reflect.Type, name string, want reflect.Type, kind reflect.Kind) (reflect.StructField, bool) {
		f, ok := t.FieldByName(name)
		if !ok || len(f.Index) != 1 {
			l.err = fmt.Errorf("sim: github.com/benbjohnson/clock: %s has no field %s", t, name)
			return f, false
		}
		if (want != nil && f.Type != want) || (want == nil && f.Type.Kind() != kind) {
			l.err = fmt.Errorf("sim: github.com/benbjohnson/clock: %s.%s is %s", t, name, f.Type)
			return f, false
		}
		return f, true
	}
	mock := reflect.TypeFor[clock.Mock]()
	timer := reflect.TypeFor[clock.Timer]()
	ticker := reflect.TypeFor[clock.Ticker]()
	var f reflect.StructField
	var ok bool
	if f, ok = field(mock, "mu", reflect.TypeFor[sync.Mutex](), 0); !ok {
		return l
	}
	l.mockMu = f.Offset
	if f, ok = field(mock, "now", timeT, 0); !ok {
		return l
	}
	l.mockNow = f.Offset
	if f, ok = field(mock, "timers", nil, reflect.Slice); !ok {
		return l
	}
	if f.Type.Elem().Kind() != reflect.Interface {
		l.err = fmt.Errorf("sim: github.com/benbjohnson/clock: Mock.timers is %s", f.Type)
		return l
	}
	l.mockTimers = f.Index[0]
	if f, ok = field(timer, "next", timeT, 0); !ok {
		return l
	}
	l.timerNext = f.Offset
	if f, ok = field(timer, "stopped", nil, reflect.Bool); !ok {
		return l
	}
	l.timerStopped = f.Offset
	if f, ok = field(timer, "fn", reflect.TypeFor[func()](), 0); !ok {
		return l
	}
	l.timerFn = f.Offset
	if f, ok = field(ticker, "next", timeT, 0); !ok {
		return l
	}
	l.tickerNext = f.Offset
	if f, ok = field(ticker, "stopped", nil, reflect.Bool); !ok {
		return l
	}
	l.tickerStopped = f.Offset
	if f, ok = field(ticker, "d", reflect.TypeFor[time.Duration](), 0); !ok {
		return l
	}
	l.tickerD = f.Offset
	return l
}

func at[T any](base unsafe.Pointer, off uintptr) *T { return (*T)(unsafe.Add(base, off)) }

// mockMu is the Mock's own lock, which Timer.Stop/Reset and Ticker.Stop/Reset
// take. Only one goroutine runs at a time (the kernel, or a process under
// hand-off), so the lock is never contended; the view takes it anyway so
// that the order of its reads and the timers' writes is explicit (and
// visible to the race detector).
func mockMu(m *clock.Mock) *sync.Mutex { return at[sync.Mutex](unsafe.Pointer(m), mockLayout.mockMu) }

// setMockNow writes the Mock's current time, which Reset reads.
func setMockNow(m *clock.Mock, t time.Time) {
	mu := mockMu(m)
	mu.Lock()
	*at[time.Time](unsafe.Pointer(m), mockLayout.mockNow) = t
	mu.Unlock()
}

// mockTimerCount is len(Mock.timers): the timers not stopped. Call with the
// Mock's lock held, as mockTimerList and the mockEntry readers.
func mockTimerCount(m *clock.Mock) int {
	return reflect.ValueOf(m).Elem().Field(mockLayout.mockTimers).Len()
}

// mockTimerList calls f for each timer registered with the Mock, with a
// pointer to its *clock.Timer or *clock.Ticker struct.
func mockTimerList(m *clock.Mock, f func(p unsafe.Pointer, ticker bool)) {
	v := reflect.ValueOf(m).Elem().Field(mockLayout.mockTimers)
	for i := 0; i < v.Len(); i++ {
		el := v.Index(i).Elem() // *clock.internalTimer or *clock.internalTicker
		f(el.UnsafePointer(), el.Type().Elem().Name() == "internalTicker")
	}
}

// mockEntry is a timer or ticker the view knows about.
type mockEntry struct {
	seq    uint64
	timer  *clock.Timer
	ticker *clock.Ticker
}

func (m *mockEntry) next() time.Time {
	if m.ticker != nil {
		return *at[time.Time](unsafe.Pointer(m.ticker), mockLayout.tickerNext)
	}
	return *at[time.Time](unsafe.Pointer(m.timer), mockLayout.timerNext)
}

func (m *mockEntry) stopped() bool {
	if m.ticker != nil {
		return *at[bool](unsafe.Pointer(m.ticker), mockLayout.tickerStopped)
	}
	return *at[bool](unsafe.Pointer(m.timer), mockLayout.timerStopped)
}

func (m *mockEntry) fn() func() { return *at[func()](unsafe.Pointer(m.timer), mockLayout.timerFn) }

func (m *mockEntry) period() time.Duration {
	return *at[time.Duration](unsafe.Pointer(m.ticker), mockLayout.tickerD)
}

// ch is the channel behind C, for sending.
func (m *mockEntry) ch() chan time.Time {
	if m.ticker != nil {
		return *(*chan time.Time)(unsafe.Pointer(&m.ticker.C))
	}
	return *(*chan time.Time)(unsafe.Pointer(&m.timer.C))
}

func (m *mockEntry) ptr() unsafe.Pointer {
	if m.ticker != nil {
		return unsafe.Pointer(m.ticker)
	}
	return unsafe.Pointer(m.timer)
}
