package android

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Leaving a screen-off's deep-Doze step unqueued while the light step
// comes first (setDeepLazy) changes nothing: every built-in profile and a
// light user from 18 % who never charges, API 28 and 34, traced (record
// for record, the same runs, final state and events fired) and lean (the
// same state at every 7-minute checkpoint, runs, deferrals, final state
// and events fired, with the light-Doze fold on).
func TestLazyDeepStepChangesNothing(t *testing.T) {
	compareShortcut(t, func(full bool) { lazyDeep = !full })
	requireShortcutChangesNothing(t, func(on bool) { lazyDeep = on })
}

// The same under everything else that moves Doze: adb force-idle, step
// and unforce, Battery Saver's quick doze, Low Power Mode, motion, the
// charger, the network (light maintenance waiting for it), a reboot, at
// random whole minutes, with works due at whole minutes too (so that
// events of one instant meet: light steps, deep steps, passes, timeouts),
// API 23 (no light Doze), 24, 28 and 34, for each shortcut of a screen
// toggle (the lazy deep step, the light step armed once, the superseded
// requeue): the same trace record for record, the same runs and the same
// Doze and scheduler state after every action.
func TestToggleShortcutsChangeNothingUnderCommands(t *testing.T) {
	type result struct {
		trace  []string
		runs   []osscheduler.RunRecord
		states []string
		fired  uint64
	}
	run := func(api int, seed uint64) result {
		eng := sim.New(t0, seed)
		var rec sim.Recorder
		eng.AddSink(&rec)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()})
		j := &osscheduler.Journal{}
		cfg := DefaultConfig()
		cfg.API = api
		cfg.ExecutionLimit = 7 * time.Minute
		cfg.StartLatency = time.Nanosecond // (no latency: runs start, finish and time out at whole minutes)
		m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: 9 * time.Minute}, j)
		enqueueHourlyAndSync(t, m)
		r := rand.New(rand.NewPCG(seed, 99))
		var out result
		end := t0.Add(3 * 24 * time.Hour)
		for now := t0; now.Before(end); {
			now = now.Add(time.Duration(1+r.IntN(45)) * time.Minute)
			require.NoError(t, eng.RunUntil(now))
			st := dev.State()
			switch r.IntN(14) {
			case 0, 1, 2, 3:
				dev.SetScreen(!st.ScreenOn)
			case 4:
				dev.SetMoving(!st.Moving)
			case 5:
				if st.Network.Connected() {
					dev.SetNetwork(device.Network{Type: device.NetworkNone})
				} else {
					dev.SetNetwork(device.Network{Type: device.NetworkWiFi, Validated: true})
				}
			case 6:
				if st.Plugged() {
					dev.SetCharger(device.ChargerNone)
				} else {
					dev.SetCharger(device.ChargerAC)
				}
			case 7:
				dev.SetLowPower(!st.LowPower)
			case 8:
				m.SetBatterySaver(r.IntN(2) == 0)
			case 9:
				_ = m.Doze([]string{"force_idle", "step", "unforce"}[r.IntN(3)])
			case 10:
				_ = m.Doze("step")
			case 11:
				if r.IntN(4) == 0 {
					dev.Reboot(time.Duration(1+r.IntN(5)) * time.Minute)
				}
			case 12, 13:
				_, err := m.EnqueueUniqueWork(fmt.Sprintf("once-%d", r.IntN(3)), Replace, WorkRequest{TaskName: "once",
					InitialDelay: time.Duration(1+r.IntN(40)) * time.Minute})
				require.NoError(t, err)
			}
			out.states = append(out.states, dozeSnapshot(m))
		}
		for _, rc := range rec.Records {
			out.trace = append(out.trace, fmt.Sprintf("%s %s %s %s %s %v", sim.FormatOffset(rc.At), rc.Source, rc.Kind, rc.Subject, rc.Reason, rc.Fields))
		}
		out.runs = j.Runs()
		out.fired = eng.Fired()
		return out
	}
	for _, sc := range []struct {
		name string
		set  func(on bool)
	}{
		{"lazy deep step", func(on bool) { lazyDeep = on }},
		{"light step armed once", func(on bool) { deferLightArm = on }},
		{"superseded requeue", func(on bool) { lazyRequeue = on }},
	} {
		records := 0
		for _, api := range []int{23, 24, 28, 34} {
			for seed := uint64(1); seed <= 4; seed++ {
				name := fmt.Sprintf("%s: API %d seed %d", sc.name, api, seed)
				sc.set(false)
				off := run(api, seed)
				sc.set(true)
				on := run(api, seed)
				requireSameTrace(t, name, off.trace, on.trace)
				require.Equal(t, off.runs, on.runs, "%s: runs", name)
				require.Equal(t, off.states, on.states, "%s: states", name)
				require.Equal(t, off.fired, on.fired, "%s: events fired", name)
				records += len(off.trace)
			}
		}
		require.Positive(t, records)
	}
}

// A screen turned back on before the first light step finds the deep step
// unqueued and cancels nothing; one left off queues it, in its place,
// when the light steps pass it.
func TestLazyDeepStepQueuedWhenTheLightStepsPassIt(t *testing.T) {
	eng := sim.New(t0, 1)
	on := device.DefaultState()
	on.ScreenOn = true
	dev := device.New(eng, device.Config{Initial: on})
	m := New(eng, dev, DefaultConfig(), nil, nil)
	d := &m.doze
	dev.SetScreen(false)
	require.True(t, d.deepLazy, "screen off: the deep step waits behind the light step")
	require.False(t, d.deepT.Pending())
	require.Equal(t, t0.Add(dozeInactiveTimeout), d.deepTimer())
	require.NoError(t, eng.RunFor(time.Minute))
	dev.SetScreen(true)
	require.False(t, d.deepLazy)
	require.False(t, d.deepT.Pending())
	require.Equal(t, dozeActive, d.deep)

	dev.SetScreen(false)
	require.True(t, d.deepLazy)
	at := d.deepTimer()
	for d.deepLazy {
		require.True(t, d.lightT.Pending())
		require.Less(t, d.lightAt, d.deepAt)
		_, err := eng.Step()
		require.NoError(t, err)
	}
	require.True(t, d.deepT.Pending(), "queued once the light steps pass it")
	require.Equal(t, at, d.deepTimer())
	require.Less(t, eng.Now(), at)
}

// Queueing a light-Doze step's next timer once at the step's end
// (deferLightArm) instead of queueing it in setLight and moving it in
// afterEval and the fold changes nothing: traced (record for record, the
// same runs, final state and events fired) and lean (the same state at
// every 7-minute checkpoint, runs, deferrals, final state and events
// fired), every built-in profile and a light user from 18 % who never
// charges, API 28 and 34.
func TestDeferredLightArmChangesNothing(t *testing.T) {
	compareShortcut(t, func(full bool) { deferLightArm = !full })
	requireShortcutChangesNothing(t, func(on bool) { deferLightArm = on })
}

// Leaving out a requeue of the pending pass that a light step before the
// pass is sure to supersede (requeueSuperseded) changes nothing: traced
// (record for record, the same runs, final state and events fired) and
// lean (the same state at every 7-minute checkpoint, runs, deferrals,
// final state and events fired), every built-in profile and a light user
// from 18 % who never charges, API 28 and 34.
func TestSupersededRequeueChangesNothing(t *testing.T) {
	compareShortcut(t, func(full bool) { lazyRequeue = !full })
	requireShortcutChangesNothing(t, func(on bool) { lazyRequeue = on })
}

// TestEvaluationSkippingKeepsSameInstantOrder after screen toggles: a job
// falls due at the very instant the first light maintenance window after
// the last screen-off ends, with requeues left to the light steps
// (lazyRequeue) and without, and with every evaluation run
// (alwaysEvaluate): the same run, after the window.
func TestSupersededRequeueKeepsSameInstantOrder(t *testing.T) {
	for _, on := range []time.Duration{0, time.Minute, 3 * time.Minute} {
		var windowEnd time.Duration
		run := func(lazy, always bool) []osscheduler.RunRecord {
			lazyRequeue, alwaysEvaluate = lazy, always
			defer func() { lazyRequeue, alwaysEvaluate = true, false }()
			eng := sim.New(t0, 7)
			dev := device.New(eng, device.Config{Initial: device.DefaultState()}) // screen off, unplugged
			j := &osscheduler.Journal{}
			m := New(eng, dev, DefaultConfig(), &fakeExec{eng: eng, dur: 20 * time.Second}, j)
			var off time.Duration // the last screen-off
			if on > 0 {
				// A short session first: on at 1 min, off again on later.
				require.NoError(t, eng.RunFor(time.Minute))
				dev.SetScreen(true)
				require.NoError(t, eng.RunFor(on))
				dev.SetScreen(false)
				off = time.Minute + on
			}
			windowEnd = off + m.prof.lightAfterInact + lightIdleTimeout + lightMaintMin
			_, err := m.EnqueueUniqueWork("edge", Keep, WorkRequest{TaskName: "edge", InitialDelay: windowEnd - sim.Sub(eng.Now(), t0)})
			require.NoError(t, err)
			require.NoError(t, eng.RunFor(2*time.Hour))
			return j.Runs()
		}
		lazy, eager, full := run(true, false), run(false, false), run(false, true)
		require.Len(t, full, 1)
		require.Equal(t, full, eager, "session %v", on)
		require.Equal(t, full, lazy, "session %v", on)
		require.Greater(t, full[0].Start, windowEnd, "session %v: ran inside the window that ended at %v", on, windowEnd)
	}
}
