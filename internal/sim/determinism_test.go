package sim

import (
	"bytes"
	"context"
	"fmt"
	"github.com/wmsim/wmsim/internal/event"
	goldenfile "github.com/wmsim/wmsim/internal/golden"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// model is a small randomized simulation that uses every kernel feature:
// phases, cancel/reschedule, random streams, processes that sleep and wait
// on After, Timer, Ticker, contexts and AfterFunc, and kernel-side
// cancellation. It returns its JSON Lines trace.
func model(seed uint64) ([]byte, error) {
	var buf bytes.Buffer
	sink := NewJSONLSink(&buf)
	e := New(t0, seed, WithSink(sink), WithLimits(Limits{MaxEvents: 100_000, Horizon: 24 * time.Hour, WallClock: time.Minute}))
	clk := e.Clock()

	// The world: a charger toggling at random times; a network flapping;
	// an OS evaluation that is moved whenever the charger changes.
	var eval Timer
	evaluate := HandlerFunc(func(e *Engine) { e.Emit("os", "evaluate", "scheduler", "periodic evaluation") })
	eval = e.After(15*time.Minute, PhaseOS, "evaluate", evaluate)
	var charger HandlerFunc
	plugged := false
	charger = func(e *Engine) {
		plugged = !plugged
		e.Emit(event.SourceDevice, "charger", "battery", "random plug", Bool("plugged", plugged))
		if !e.Reschedule(eval, e.Now().Add(time.Minute)) {
			eval = e.After(time.Minute, PhaseOS, "evaluate", evaluate)
		}
		e.After(Between(e.Rand("charger"), time.Minute, 2*time.Hour), PhaseWorld, "charger", charger)
	}
	e.After(Between(e.Rand("charger"), 0, time.Hour), PhaseWorld, "charger", charger)
	var flap HandlerFunc
	flap = func(e *Engine) {
		e.Emit(event.SourceDevice, "network", "wifi", "flap", Float("quality", e.Rand("network").Float64()))
		e.After(Between(e.Rand("network"), time.Minute, 30*time.Minute), PhaseDevice, "flap", flap)
	}
	e.After(time.Minute, PhaseDevice, "flap", flap)

	// Workers: processes waiting in every supported way.
	var mu sync.Mutex // guards the cancel funcs shared with the OS handler
	cancels := map[int]context.CancelFunc{}
	for w := 0; w < 3; w++ {
		name := fmt.Sprintf("worker-%d", w)
		e.Go(name, func() {
			r := e.Rand(name)
			for i := 0; i < 25; i++ {
				d := Between(r, time.Second, 20*time.Minute)
				how := ""
				switch r.IntN(6) {
				case 0:
					clk.Sleep(d)
					how = "sleep"
				case 1:
					<-clk.After(d)
					how = "after"
				case 2:
					t := clk.Timer(d)
					if r.IntN(2) == 0 {
						t.Reset(d / 2)
					}
					<-t.C
					how = "timer"
				case 3:
					tk := clk.Ticker(d / 3)
					<-tk.C
					<-tk.C
					tk.Stop()
					how = "ticker"
				case 4:
					ctx, cancel := clk.WithTimeout(context.Background(), d)
					mu.Lock()
					cancels[w] = cancel
					mu.Unlock()
					select {
					case <-ctx.Done():
						how = "ctx " + ctx.Err().Error()
					case <-clk.After(Between(r, d/2, 2*d)):
						how = "after beat ctx"
					}
					cancel()
				case 5:
					done := make(chan struct{})
					clk.AfterFunc(d, func() { close(done) })
					<-done
					how = "afterfunc"
				}
				e.Emit("app", "woke", name, how, Int("i", int64(i)), Dur("waited", d))
			}
		}, func(p any) { e.Emit("app", "done", name, fmt.Sprint(p)) })
	}
	var stopper HandlerFunc
	stopper = func(e *Engine) {
		w := e.Rand("stopper").IntN(3)
		mu.Lock()
		c := cancels[w]
		mu.Unlock()
		if c != nil {
			e.Emit("os", "stop", fmt.Sprintf("worker-%d", w), "job stopped")
			e.Wake(c) // after this handler: the woken worker must not run beside it
		}
		e.After(Between(e.Rand("stopper"), time.Minute, time.Hour), PhaseOS, "stopper", stopper)
	}
	e.After(30*time.Minute, PhaseOS, "stopper", stopper)

	if err := e.RunFor(12 * time.Hour); err != nil {
		return nil, err
	}
	if sink.Err() != nil {
		return nil, sink.Err()
	}
	return buf.Bytes(), nil
}

func TestDeterministicTrace(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	golden := filepath.Join("testdata", "model-seed42.jsonl")
	var first []byte
	for run := 0; run < 20; run++ {
		procs := 1
		if run%2 == 1 {
			procs = 4
		}
		runtime.GOMAXPROCS(procs)
		got, err := model(42)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
			continue
		}
		if !bytes.Equal(got, first) {
			t.Fatalf("run %d (GOMAXPROCS=%d): trace differs from run 0%s", run, procs, firstDiff(first, got))
		}
	}
	if goldenfile.Updating() {
		if err := os.WriteFile(golden, first, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(first, want) {
		t.Fatalf("trace differs from %s (run with -update if the change is intended)", golden)
	}
	// A different seed gives a different run.
	other, err := model(43)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other, first) {
		t.Fatal("seed 43 gave the same trace as seed 42")
	}
}

// firstDiff describes the first line where two traces differ.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf(" at line %d:\n  want %s\n  got  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf(": %d lines vs %d", len(la), len(lb))
}
