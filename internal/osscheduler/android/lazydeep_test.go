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

// The same under everything else that moves deep Doze while its step is
// unqueued: adb force-idle, step and unforce, Battery Saver's quick doze,
// Low Power Mode, motion, the charger, the network (light maintenance
// waiting for it), a reboot, at random instants, API 23 (no light Doze),
// 24, 28 and 34: the same trace record for record, the same runs and the
// same Doze and scheduler state after every action.
func TestLazyDeepStepChangesNothingUnderCommands(t *testing.T) {
	defer func() { lazyDeep = true }()
	type result struct {
		trace  []string
		runs   []osscheduler.RunRecord
		states []string
		fired  uint64
	}
	run := func(lazy bool, api int, seed uint64) result {
		lazyDeep = lazy
		eng := sim.New(t0, seed)
		var rec sim.Recorder
		eng.AddSink(&rec)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()})
		j := &osscheduler.Journal{}
		cfg := DefaultConfig()
		cfg.API = api
		m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: 4 * time.Second}, j)
		_, err := m.EnqueueUniquePeriodicWork("hourly", PeriodicKeep, WorkRequest{TaskName: "hourly", Periodic: true, Interval: time.Hour})
		require.NoError(t, err)
		_, err = m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{TaskName: "sync", Periodic: true,
			Interval: 6 * time.Hour, Constraints: Constraints{RequiredNetwork: NetworkUnmetered}})
		require.NoError(t, err)
		r := rand.New(rand.NewPCG(seed, 99))
		var out result
		end := t0.Add(3 * 24 * time.Hour)
		for now := t0; now.Before(end); {
			now = now.Add(time.Duration(1+r.IntN(45)) * time.Minute)
			require.NoError(t, eng.RunUntil(now))
			st := dev.State()
			switch r.IntN(12) {
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
	lazyHeld := 0
	for _, api := range []int{23, 24, 28, 34} {
		for seed := uint64(1); seed <= 4; seed++ {
			name := fmt.Sprintf("API %d seed %d", api, seed)
			eager := run(false, api, seed)
			lazy := run(true, api, seed)
			require.Equal(t, len(eager.trace), len(lazy.trace), "%s: trace length", name)
			for i := range eager.trace {
				require.Equal(t, eager.trace[i], lazy.trace[i], "%s: trace record %d", name, i)
			}
			require.Equal(t, eager.runs, lazy.runs, "%s: runs", name)
			require.Equal(t, eager.states, lazy.states, "%s: states", name)
			require.Equal(t, eager.fired, lazy.fired, "%s: events fired", name)
			lazyHeld += len(eager.trace)
		}
	}
	require.Positive(t, lazyHeld)
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
