package ios

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// quietWorld is one world run both ways: every pass evaluated, and quiet
// passes only repeating their draws.
type quietWorld struct {
	name  string
	days  int
	setup func(e *env) // drives the world before it runs
	cfg   func(*Config)
	state func(*device.State)
}

// runQuietWorld runs w with stepEveryPass as given and returns its whole
// trace (every record, with its fields), its runs and how many passes were
// quiet and partial.
func runQuietWorld(t *testing.T, w quietWorld, seed uint64, step bool) (trace, runs string, quiet, partial int, events uint64) {
	t.Helper()
	old := stepEveryPass
	stepEveryPass = step
	defer func() { stepEveryPass = old }()
	cfg := testConfig()
	if w.cfg != nil {
		w.cfg(&cfg)
	}
	e := newEnv(t, seed, cfg, w.state)
	e.exec.dur = 2 * time.Second
	w.setup(e)
	require.NoError(t, e.eng.RunFor(time.Duration(w.days)*day))
	var b strings.Builder
	for _, r := range e.rec.Records {
		fmt.Fprintf(&b, "%v %s %s %s %s %v\n", r.At, r.Source, r.Kind, r.Subject, r.Reason, r.Fields)
	}
	var rb strings.Builder
	for _, x := range e.exec.started {
		fmt.Fprintf(&rb, "%s %s %s %s %s\n", x.Kind, x.WorkID, x.Started.Sub(t0), x.Budget, x.WhyThen)
	}
	return b.String(), rb.String(), e.m.quietPasses, e.m.partialPasses, e.eng.Fired()
}

func profileDriven(name string) func(e *env) {
	return func(e *env) {
		p, ok := device.BuiltinProfile(name)
		if !ok {
			panic("no profile " + name)
		}
		e.dev.SetSparseBattery(true)
		submit := e.periodicApp()
		e.dev.Subscribe(device.ListenerFunc(func(c *device.Change) {
			if c.Kind == device.ChangeAppLaunched {
				submit()
			}
		}))
		if err := e.dev.ApplyProfile(p, t0.Add(30*day)); err != nil {
			panic(err)
		}
	}
}

// TestQuietPassesChangeNothing: a pass inside a quiet span with unchanged
// inputs is not evaluated, only its draws are made, and the ticks inside
// such a span are not queued at all; a pass inside a partial span evaluates
// only its live requests (a fast one from its score on); every trace record
// and run must be
// what evaluating every pass of every tick gives, in worlds that cross every
// bound of a quiet span (earliestBeginDate, rate limit, daily budget,
// overdue, the score's windows, expiry throttling, failure feedback, the
// battery gates, Low Power Mode, processing's idle and power gates).
func TestQuietPassesChangeNothing(t *testing.T) {
	daily := func(e *env) {
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 30, charge: true, inForeground: submit}, 30)
	}
	worlds := []quietWorld{
		{name: "daily user, typical", days: 30, setup: daily},
		{name: "daily user, optimistic", days: 30, setup: daily, cfg: func(c *Config) { c.Heuristics = HeuristicsOptimistic }},
		{name: "daily user, pessimistic", days: 30, setup: daily, cfg: func(c *Config) { c.Heuristics = HeuristicsPessimistic }},
		{name: "user who stops after day 6", days: 20, setup: func(e *env) {
			submit := e.periodicApp()
			e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 6, charge: true, inForeground: submit}, 20)
		}},
		{name: "earliestBeginDate, never charged, from 35 %", days: 6, state: func(s *device.State) {
			s.Battery.ChargeUAh = device.LevelCharge(s.Battery.CapacityMAh, 35)
		}, setup: func(e *env) {
			e.drive(user{opens: typicalOpens, jitter: 5 * time.Minute, to: 6, inForeground: func() {
				r := refreshReq("refresh")
				r.EarliestBegin = e.eng.Now().Add(3 * time.Hour)
				_ = e.m.Submit(r)
			}}, 6)
		}},
		{name: "work that overruns its budget (throttle)", days: 10, setup: func(e *env) {
			daily(e)
			e.exec.dur = time.Hour
		}},
		{name: "failing task (failure feedback)", days: 10, setup: func(e *env) {
			daily(e)
			e.exec.result = osscheduler.Failure
		}},
		{name: "Low Power Mode on a charger", days: 10, setup: func(e *env) {
			daily(e)
			e.dev.SetLowPower(true)
		}},
		{name: "battery set, thermal and network changes mid-span", days: 10, setup: func(e *env) {
			daily(e)
			at := func(h time.Duration, f func()) {
				e.eng.Schedule(t0.Add(h), sim.PhaseWorld, "test.world", sim.HandlerFunc(func(*sim.Engine) { f() }))
			}
			for d := range 10 {
				day := time.Duration(d) * day
				at(day+10*time.Hour+7*time.Minute, func() { e.dev.SetBatteryLevel(21) })
				at(day+13*time.Hour+30*time.Minute, func() { e.dev.SetBatteryLevel(12) })
				at(day+14*time.Hour, func() { e.dev.SetBatteryLevel(90) })
				at(day+15*time.Hour, func() { e.dev.SetThermal(device.ThermalSerious) })
				at(day+16*time.Hour+15*time.Minute, func() { e.dev.SetThermal(device.ThermalFair) })
				at(day+17*time.Hour, func() { e.dev.SetNetwork(device.Network{Type: device.NetworkNone}) })
				at(day+17*time.Hour+40*time.Minute, func() {
					e.dev.SetNetwork(device.Network{Type: device.NetworkWiFi, Validated: true})
				})
			}
		}},
		{name: "processing and refresh", days: 14, setup: func(e *env) {
			submit := e.periodicApp()
			e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 14, charge: true, inForeground: func() {
				submit()
				_ = e.m.Submit(procReq("proc"))
			}}, 14)
		}},
	}
	for _, prof := range []string{"office-worker", "heavy-user", "light-user", "idle-shelf", "night-shift"} {
		worlds = append(worlds, quietWorld{name: "profile " + prof, days: 30, setup: profileDriven(prof)})
	}
	total, partial := 0, 0
	var steppedEvents, quietEvents uint64
	for _, w := range worlds {
		t.Run(w.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				stepped, steppedRuns, q0, p0, ev0 := runQuietWorld(t, w, seed, true)
				quiet, quietRuns, q1, p1, ev1 := runQuietWorld(t, w, seed, false)
				steppedEvents += ev0
				quietEvents += ev1
				require.Zero(t, q0+p0, "stepping every pass evaluates every pass")
				assert.Equal(t, steppedRuns, quietRuns, "seed %d: runs", seed)
				if stepped != quiet {
					assert.Equal(t, stepped, quiet, "seed %d: trace", seed)
				}
				total += q1
				partial += p1
			}
		})
	}
	assert.Greater(t, total, 10000, "quiet passes must occur, or this test compares nothing")
	assert.Greater(t, partial, 5000, "partial passes must occur, or this test compares nothing")
	assert.Less(t, quietEvents, steppedEvents*9/10, "skipped ticks must occur, or this test compares nothing")
}

// TestOmitRunReasonsChangesOnlyTheReasons: with OmitRunReasons (fleets) a
// background launch's WhyThen and its Started record's reason are empty,
// and every other trace record, field and run is what the model gives
// with them.
func TestOmitRunReasonsChangesOnlyTheReasons(t *testing.T) {
	run := func(prof string, seed uint64, omit bool) (trace, runs string, launches int) {
		e := newEnv(t, seed, testConfig(), nil)
		e.exec.dur = 2 * time.Second
		if omit {
			e.m.OmitRunReasons()
		}
		profileDriven(prof)(e)
		require.NoError(t, e.eng.RunFor(30*day))
		var b strings.Builder
		for _, r := range e.rec.Records {
			reason := r.Reason
			if r.Kind == event.Started {
				reason = "" // the one thing that may differ
			}
			fmt.Fprintf(&b, "%v %s %s %s %s %v\n", r.At, r.Source, r.Kind, r.Subject, reason, r.Fields)
		}
		var rb strings.Builder
		for _, x := range e.exec.started {
			fmt.Fprintf(&rb, "%s %s %s %s\n", x.Kind, x.WorkID, x.Started.Sub(t0), x.Budget)
			if omit {
				assert.Empty(t, x.WhyThen, "seed %d, %s: a launch's why_then", seed, prof)
			} else if strings.HasPrefix(x.WhyThen, "score ") {
				launches++
			}
		}
		return b.String(), rb.String(), launches
	}
	total := 0
	for _, prof := range []string{"office-worker", "heavy-user", "light-user"} {
		for seed := uint64(1); seed <= 2; seed++ {
			trace, runs, n := run(prof, seed, false)
			omitTrace, omitRuns, _ := run(prof, seed, true)
			assert.Equal(t, runs, omitRuns, "%s seed %d: runs", prof, seed)
			if trace != omitTrace {
				assert.Equal(t, trace, omitTrace, "%s seed %d: trace", prof, seed)
			}
			total += n
		}
	}
	assert.Greater(t, total, 50, "launches through the usage score must occur, or this test compares nothing")
}

// TestSameInputsIsPassInputsEqual: sameInputs answers what comparing a
// freshly built passInputs would, at every device change of a month of
// usage (a snapshot from each earlier change, with and without the idle
// gate).
func TestSameInputsIsPassInputsEqual(t *testing.T) {
	for _, prof := range []string{"office-worker", "heavy-user", "night-shift"} {
		e := newEnv(t, 1, testConfig(), nil)
		profileDriven(prof)(e)
		var snaps [2]passInputs
		changes, differ, same := 0, 0, 0
		e.dev.Subscribe(device.ListenerFunc(func(*device.Change) {
			for i, idle := range []bool{false, true} {
				want := e.m.passInputs(idle) == snaps[i]
				require.Equal(t, want, e.m.sameInputs(idle, &snaps[i]), "%s, change %d, idle %v", prof, changes, idle)
				if want {
					same++
				} else {
					differ++
				}
				snaps[i] = e.m.passInputs(idle)
			}
			changes++
		}))
		require.NoError(t, e.eng.RunFor(30*day))
		assert.Greater(t, differ, 100, "%s: inputs must change, or this test compares nothing", prof)
		assert.Greater(t, same, 100, "%s: inputs must also stay the same", prof)
	}
}

// TestClassifyIsTheSwitch: every device change kind, the ones the model
// tells apart and the others, gets the class of the plain lookup, and the
// slot table is in use (no two kinds the model tells apart share a slot).
func TestClassifyIsTheSwitch(t *testing.T) {
	require.True(t, classSlotsOK, "two kinds share a slot of kindSlot: change its hash")
	kinds := []device.ChangeKind{"", "x", device.ChangeMotion, device.ChangeStorage, device.ChangeStorageLow,
		device.ChangeStorageOK, device.ChangeAppForceStop, device.ChangeAppUpdated, device.ChangeAppNotified,
		device.ChangeProcessDied, device.ChangeAppSuspended}
	for _, e := range classKinds {
		kinds = append(kinds, e.kind)
	}
	for _, k := range kinds {
		assert.Equal(t, classifySwitch(k), classify(k), "%q", k)
		assert.Equal(t, classifySwitch(k), classify(device.ChangeKind(strings.Clone(string(k)))), "%q, another string", k)
	}
	assert.Equal(t, classPass, classify(device.ChangeScreen))
	assert.Equal(t, classNone, classify(device.ChangeMotion))
}

// TestDeferralsAreAMap: the deferral keys kept in slots, with the last one
// asked about in front and empty slots swept, answer every get as a plain
// map of subject to key does, over random sets, deletes and gets of a few
// subjects and of many (the sweep).
func TestDeferralsAreAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	keys := []string{"not_due", "usage_score", "seeded", "rate_limit"}
	for _, subjects := range []int{3, 200} {
		var d deferrals
		want := map[string]string{}
		for range 20_000 {
			s := fmt.Sprintf("id-%d", r.IntN(subjects))
			switch r.IntN(3) {
			case 0:
				k := keys[r.IntN(len(keys))]
				d.set(s, k)
				want[s] = k
			case 1:
				d.del(s)
				delete(want, s)
			}
			k, ok := d.get(s)
			wk, wok := want[s]
			require.Equal(t, wok, ok, "%s", s)
			require.Equal(t, wk, k, "%s", s)
		}
		assert.LessOrEqual(t, len(d.keys), max(subjects, maxDeferralSlots), "slots are swept")
	}
}
