package sim

import (
	"container/heap"
	"fmt"
	"github.com/wmsim/wmsim/internal/event"
	"math/rand/v2"
	"testing"
	"time"
)

// The kernel benchmark and its baseline fire the same events: N timers in
// the queue, each rescheduling itself after a pseudo-random delay from a
// fixed table, in one of six phases. ns/op is the cost of one event.
// Compare Kernel/N=… with BareHeap/N=… of the same run. N=8 is a fleet
// device's queue (3 to 9 events pending), which the queue keeps sorted.

var benchDelays = func() []time.Duration {
	r := rand.New(rand.NewPCG(1, 2))
	d := make([]time.Duration, 4096)
	for i := range d {
		d[i] = time.Duration(1+r.IntN(3600)) * time.Second
	}
	return d
}()

var benchPhases = []Phase{PhaseWorld, PhaseDevice, PhaseOS, PhasePlugin, PhaseApp, PhaseCheck}

type benchTimer struct {
	i     int
	phase Phase
	fired int
}

func (t *benchTimer) Fire(e *Engine) {
	t.fired++
	t.i = (t.i + 7) & (len(benchDelays) - 1)
	e.After(benchDelays[t.i], t.phase, "bench", t)
}

func BenchmarkKernel(b *testing.B) {
	for _, n := range []int{1, 8, 100, 10_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			e := New(t0, 1, WithLimits(Limits{}))
			for i := 0; i < n; i++ {
				t := &benchTimer{i: i, phase: benchPhases[i%len(benchPhases)]}
				e.After(benchDelays[i%len(benchDelays)], t.phase, "bench", t)
			}
			for i := 0; i < 2*n; i++ { // warm the event pool
				e.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := e.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// The baseline: container/heap with the same ordering key and the same
// self-rescheduling work, no pooling, limits, tracing or processes.
type bareItem struct {
	at    int64
	phase Phase
	seq   uint64
	index int
	t     *benchTimer
}

type bareHeap []*bareItem

func (h bareHeap) Len() int { return len(h) }
func (h bareHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.at != b.at {
		return a.at < b.at
	}
	if a.phase != b.phase {
		return a.phase < b.phase
	}
	return a.seq < b.seq
}
func (h bareHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *bareHeap) Push(x any) { it := x.(*bareItem); it.index = len(*h); *h = append(*h, it) }
func (h *bareHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}

func BenchmarkBareHeap(b *testing.B) {
	for _, n := range []int{1, 100, 10_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			var h bareHeap
			var seq uint64
			var now int64
			for i := 0; i < n; i++ {
				seq++
				t := &benchTimer{i: i, phase: benchPhases[i%len(benchPhases)]}
				heap.Push(&h, &bareItem{at: int64(benchDelays[i%len(benchDelays)]), phase: t.phase, seq: seq, t: t})
			}
			step := func() {
				it := heap.Pop(&h).(*bareItem)
				now = it.at
				t := it.t
				t.fired++
				t.i = (t.i + 7) & (len(benchDelays) - 1)
				seq++
				it.at, it.seq = now+int64(benchDelays[t.i]), seq
				heap.Push(&h, it) // reuse the item: the fairest baseline
			}
			for i := 0; i < 2*n; i++ {
				step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkProcessSleep is the cost of one Sleep inside a process: a wake
// event plus two goroutine hand-offs.
func BenchmarkProcessSleep(b *testing.B) {
	e := New(t0, 1, WithLimits(Limits{}))
	clk := e.Clock()
	b.ReportAllocs()
	e.Go("sleeper", func() {
		for i := 0; i < b.N; i++ {
			clk.Sleep(time.Minute)
		}
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkProcessAfter is the cost of one `<-clk.After(d)` wait inside a
// process: the kernel finds the parked goroutine in the goroutine table.
func BenchmarkProcessAfter(b *testing.B) {
	e := New(t0, 1, WithLimits(Limits{}))
	clk := e.Clock()
	e.Go("waiter", func() {
		for i := 0; i < b.N; i++ {
			<-clk.After(time.Minute)
		}
	}, nil)
	if err := e.RunUntilIdle(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkEmit(b *testing.B) {
	b.Run("no-sink", func(b *testing.B) {
		e := New(t0, 1)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			e.Emit(event.SourceAndroidJobScheduler, event.Deferred, "sync", "constraint unmet: network", String("network", "none"), Int("attempt", 3), Dur("backoff", 30*time.Second))
		}
	})
	b.Run("jsonl", func(b *testing.B) {
		e := New(t0, 1, WithSink(NewJSONLSink(discard{})))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			e.Emit(event.SourceAndroidJobScheduler, event.Deferred, "sync", "constraint unmet: network", String("network", "none"), Int("attempt", 3), Dur("backoff", 30*time.Second))
		}
	})
}
