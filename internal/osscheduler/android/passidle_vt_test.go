package android

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// refPassIdleUntil is passIdleUntil over the time.Time instants
// (job.earliest, standbyState.freshUntil) with time.Time's Before, as it
// was computed before it compared their virtual times.
func refPassIdleUntil(m *Model) (until time.Time, ok bool) {
	if m.powerOff || m.nRunning > 0 {
		return never, false
	}
	until = never
	if m.prof.buckets {
		if !m.sb.fresh {
			return never, false
		}
		until = m.sb.freshUntil
	}
	next, n := never, 0
	for _, w := range m.specs {
		if w.state != stEnqueued || !w.job.scheduled || w.deleted {
			continue
		}
		if n++; n > schedulerLimit || m.forceStopped || w.job.block != blockNotDue || !w.job.startAt.IsZero() {
			return never, false
		}
		if w.job.earliest.Before(next) {
			next = w.job.earliest
		}
	}
	pending := m.evalTimer.Pending()
	if next == never {
		return until, !pending
	}
	if next.Before(until) {
		until = next
	}
	return until, pending && m.evalAt == m.vt(next)
}

// passIdleUntil, which compares virtual times, gives the answer of the
// time.Time computation (refPassIdleUntil) after every event of a week of
// every built-in usage profile with periodic works (idle, not idle, due
// times, bucket staleness), and passIsIdle the same verdict at instants
// around that answer; each job's kept offset is vt of its instant. A job
// due at never does not count as due (both ways). The bucket's staleness
// test of a pass (standbyRefreshIfStaleNow) agrees with the time.Time one.
func TestPassIdleOffsetsMatchTimes(t *testing.T) {
	days := 7
	if testing.Short() {
		days = 2
	}
	idle, busy := 0, 0
	for _, name := range device.ProfileNames() {
		p, ok := device.BuiltinProfile(name)
		require.True(t, ok, name)
		for _, api := range []int{28, 34} {
			eng := sim.New(t0, 3)
			dev := device.New(eng, device.Config{Initial: device.DefaultState()})
			until := t0.Add(time.Duration(days) * 24 * time.Hour)
			require.NoError(t, dev.ApplyProfile(p, until))
			cfg := DefaultConfig()
			cfg.API = api
			m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: 4 * time.Second}, &osscheduler.Journal{})
			enqueueHourlyAndSync(t, m)
			for step := 0; eng.Now().Before(until); step++ {
				more, err := eng.Step()
				require.NoError(t, err)
				if !more {
					break
				}
				for _, w := range m.specs {
					if w.job.scheduled {
						require.Equal(t, m.vt(w.job.earliest), w.job.earliestAt, "%s API %d step %d", name, api, step)
						require.Equal(t, !w.job.earliest.Before(never), w.job.dueNever, "%s API %d step %d", name, api, step)
					}
				}
				if m.sb.fresh {
					require.Equal(t, m.vt(m.sb.freshUntil), m.sb.freshAt, "%s API %d step %d", name, api, step)
					require.Equal(t, eng.Now().Before(m.sb.freshUntil), int64(eng.Elapsed()) < m.sb.freshAt, "%s API %d step %d", name, api, step)
				}
				want, wantOK := refPassIdleUntil(m)
				got, gotOK := m.passIdleUntil()
				require.Equal(t, wantOK, gotOK, "%s API %d step %d", name, api, step)
				require.Equal(t, m.vt(want), got, "%s API %d step %d", name, api, step)
				now := eng.Now()
				for _, at := range []time.Time{now, want.Add(-time.Nanosecond), want, want.Add(time.Nanosecond)} {
					if at.Before(now) {
						continue
					}
					require.Equal(t, wantOK && at.Before(want), m.passIsIdle(at), "%s API %d step %d at %v", name, api, step, at)
				}
				if gotOK {
					idle++
				} else {
					busy++
				}
			}
		}
	}
	require.Positive(t, idle, "some passes idle")
	require.Positive(t, busy, "some passes not idle")
	t.Logf("%d idle, %d busy", idle, busy)

	// A job due at never is not due, even alone.
	eng := sim.New(t0, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	m := New(eng, dev, DefaultConfig(), &fakeExec{eng: eng}, &osscheduler.Journal{})
	_, err := m.EnqueueUniquePeriodicWork("p", PeriodicKeep, WorkRequest{TaskName: "p", Periodic: true, Interval: time.Hour})
	require.NoError(t, err)
	require.NoError(t, eng.RunUntil(t0.Add(time.Minute)))
	for _, w := range m.specs {
		if w.job.scheduled {
			m.setEarliest(w, never)
			w.job.block = blockNotDue
		}
	}
	m.eng.Cancel(m.evalTimer)
	want, wantOK := refPassIdleUntil(m)
	got, gotOK := m.passIdleUntil()
	require.Equal(t, wantOK, gotOK)
	require.Equal(t, m.vt(want), got)
}
