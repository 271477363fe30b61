package wmsimtest_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/wmsimtest"
)

// lockedT is a wmsimtest.T that may be called from any goroutine, as
// testing.T's Errorf may.
type lockedT struct {
	mu     sync.Mutex
	errors []string
}

func (l *lockedT) Helper() {}
func (l *lockedT) Errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errors = append(l.errors, fmt.Sprintf(format, args...))
}
func (l *lockedT) Fatalf(format string, args ...any) { l.Errorf(format, args...) }
func (l *lockedT) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.errors, "\n")
}

// TestPluginCallFromAStrayGoroutine: a handler that calls the plugin from a
// goroutine of its own fails the test with a message saying so; the
// simulation's state is not touched (before, the binary died with "fatal
// error: concurrent map writes").
func TestPluginCallFromAStrayGoroutine(t *testing.T) {
	lt := &lockedT{}
	var s *wmsimtest.Sim
	var strayErr atomic.Value
	s = wmsimtest.New(lt, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("sync", func(ctx *plugin.TaskContext) (bool, error) {
			var done atomic.Bool
			go func() {
				defer done.Store(true)
				if err := s.Workmanager().RegisterOneOffTask("side", "sync", plugin.OneOffOptions{}); err != nil {
					strayErr.Store(err)
				}
			}()
			for !done.Load() { // the kernel waits for a running handler
				runtime.Gosched()
			}
			return true, nil
		}))
	wm := s.Workmanager()
	require.NoError(t, wm.Initialize())
	require.NoError(t, wm.RegisterOneOffTask("once", "sync", plugin.OneOffOptions{}))
	require.NoError(t, s.RunFor(time.Hour))

	require.NotNil(t, strayErr.Load(), "the stray call was refused")
	assert.Contains(t, lt.text(), "Workmanager.registerOneOffTask called from goroutine")
	assert.Contains(t, lt.text(), "outside the simulation")
	assert.Equal(t, 1, s.RunCount("once"))
	assert.Equal(t, 0, s.RunCount("side"), "the stray registration never happened")
}

// TestHandlerBlockingInRealTime: a handler that sleeps in real time is
// reported, naming the handler and the wait.
func TestHandlerBlockingInRealTime(t *testing.T) {
	lt := &lockedT{}
	s := wmsimtest.New(lt, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("sync", func(ctx *plugin.TaskContext) (bool, error) {
			time.Sleep(30 * time.Millisecond) // real time: the mistake
			return true, nil
		}))
	require.NoError(t, s.Workmanager().Initialize())
	require.NoError(t, s.Workmanager().RegisterOneOffTask("once", "sync", plugin.OneOffOptions{}))
	_ = s.RunFor(time.Hour)
	assert.Contains(t, lt.text(), "was waiting on real time (sleep) at +")
	assert.Contains(t, lt.text(), "wait with ctx.Clock (virtual time)")

	// Waiting on virtual time is fine.
	lt2 := &lockedT{}
	s2 := wmsimtest.New(lt2, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("sync", func(ctx *plugin.TaskContext) (bool, error) {
			ctx.Clock.Sleep(time.Minute)
			<-ctx.Clock.After(time.Minute)
			return true, nil
		}))
	require.NoError(t, s2.Workmanager().Initialize())
	require.NoError(t, s2.Workmanager().RegisterOneOffTask("once", "sync", plugin.OneOffOptions{}))
	require.NoError(t, s2.RunFor(time.Hour))
	assert.Empty(t, lt2.text())
}

// TestRunUntilConditionAppliesTheHandlersEffects: a condition that holds
// when a run starts returns only once the handler has finished and its
// outcome is recorded.
func TestRunUntilConditionAppliesTheHandlersEffects(t *testing.T) {
	s := wmsimtest.New(t, wmsimtest.Charger(wmsimtest.ChargerAC),
		wmsimtest.Handler("sync", func(ctx *plugin.TaskContext) (bool, error) {
			ctx.Clock.Sleep(5 * time.Second)
			ctx.Store.Set("synced", true)
			return true, nil
		}))
	require.NoError(t, s.Workmanager().Initialize())
	require.NoError(t, s.Workmanager().RegisterOneOffTask("once", "sync", plugin.OneOffOptions{}))
	at, ok := s.RunUntilCondition(func() bool { return s.RunCount("once") >= 1 }, time.Hour)
	require.True(t, ok)
	v, _ := s.World().Plugin.AppStore().Get("synced")
	assert.Equal(t, true, v, "the handler's write is applied")
	runs := s.Result().Runs
	require.Len(t, runs, 1)
	assert.Equal(t, "success", runs[0].Outcome)
	assert.GreaterOrEqual(t, s.Elapsed(), at+5*time.Second)
	assert.Less(t, s.Elapsed(), at+time.Minute)
}
