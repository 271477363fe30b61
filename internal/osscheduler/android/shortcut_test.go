package android

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// shortcutRun is what a traced run leaves behind: every trace record, the
// runs, the Doze and scheduler state and the model's view of the device at
// the end, and the events fired.
type shortcutRun struct {
	trace []string
	runs  []osscheduler.RunRecord
	final string
	st    device.State
	fired uint64
}

// newTwoWorksDevice is the device the shortcut and fold tests run: a
// profile for days from t0 (until is its end), the model at API api with
// an hourly periodic work and a 6-hourly one that needs an unmetered
// network, finished by a fake executor after 4 s.
func newTwoWorksDevice(t *testing.T, eng *sim.Engine, p device.Profile, initial device.State, days, api int, sparse bool) (m *Model, dev *device.Device, j *osscheduler.Journal, until time.Time) {
	t.Helper()
	dev = device.New(eng, device.Config{Initial: initial})
	until = t0.Add(time.Duration(days) * 24 * time.Hour)
	require.NoError(t, dev.ApplyProfile(p, until))
	dev.SetSparseBattery(sparse)
	j = &osscheduler.Journal{}
	cfg := DefaultConfig()
	cfg.API = api
	m = New(eng, dev, cfg, &fakeExec{eng: eng, dur: 4 * time.Second}, j)
	enqueueHourlyAndSync(t, m)
	return m, dev, j, until
}

// enqueueHourlyAndSync enqueues the shortcut worlds' two periodic works:
// "hourly", unconstrained every hour, and "sync", every 6 hours on an
// unmetered network.
func enqueueHourlyAndSync(t *testing.T, m *Model) {
	t.Helper()
	_, err := m.EnqueueUniquePeriodicWork("hourly", PeriodicKeep, WorkRequest{TaskName: "hourly", Periodic: true, Interval: time.Hour})
	require.NoError(t, err)
	_, err = m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{TaskName: "sync", Periodic: true,
		Interval: 6 * time.Hour, Constraints: Constraints{RequiredNetwork: NetworkUnmetered}})
	require.NoError(t, err)
}

// runShortcut runs one device with a profile, two periodic works and a
// full trace, in the fleet's sparse-battery mode or not.
func runShortcut(t *testing.T, p device.Profile, initial device.State, seed uint64, days, api int, sparse bool) shortcutRun {
	t.Helper()
	eng := sim.New(t0, seed)
	var rec sim.Recorder
	eng.AddSink(&rec)
	m, _, j, until := newTwoWorksDevice(t, eng, p, initial, days, api, sparse)
	require.NoError(t, eng.RunUntil(until))
	var out shortcutRun
	for _, r := range rec.Records {
		out.trace = append(out.trace, fmt.Sprintf("%s %s %s %s %s %v", sim.FormatOffset(r.At), r.Source, r.Kind, r.Subject, r.Reason, r.Fields))
	}
	out.runs = j.Runs()
	out.final = dozeSnapshot(m)
	out.st = m.st
	out.fired = eng.Fired()
	return out
}

// shortcutWorlds are every built-in profile from the default state, and a
// light user from 18 % who never charges (battery low, shutdown).
func shortcutWorlds(t *testing.T) []struct {
	name    string
	profile device.Profile
	initial device.State
} {
	t.Helper()
	type world = struct {
		name    string
		profile device.Profile
		initial device.State
	}
	var worlds []world
	for _, name := range device.ProfileNames() {
		p, ok := device.BuiltinProfile(name)
		require.True(t, ok, name)
		worlds = append(worlds, world{name, p, device.DefaultState()})
	}
	low := device.DefaultState()
	low.Battery.ChargeUAh = device.LevelCharge(low.Battery.CapacityMAh, 18)
	neverCharges, _ := device.BuiltinProfile("light-user")
	neverCharges.Charging = device.Charging{}
	return append(worlds, world{"light user from 18 % who never charges", neverCharges, low})
}

// compareShortcut runs every world with a shortcut off (set(true)) and on
// (set(false)) and requires the same trace record for record, the same
// runs, the same final Doze, scheduler and device state, and the same
// number of events.
func compareShortcut(t *testing.T, set func(full bool)) {
	t.Helper()
	compareShortcutEvents(t, set, false)
}

// compareShortcutEvents is compareShortcut; with fewer, the shortcut may
// leave out events (the lean run fires at most as many as the full one),
// and it reports how many both fired in all.
func compareShortcutEvents(t *testing.T, set func(full bool), fewer bool) (fullFired, leanFired uint64) {
	t.Helper()
	days := 5
	if testing.Short() {
		days = 2
	}
	defer set(false)
	for _, w := range shortcutWorlds(t) {
		for _, api := range []int{28, 34} {
			for _, sparse := range []bool{false, true} {
				for seed := uint64(1); seed <= 2; seed++ {
					name := fmt.Sprintf("%s API %d sparse=%t seed %d", w.name, api, sparse, seed)
					set(true)
					full := runShortcut(t, w.profile, w.initial, seed, days, api, sparse)
					set(false)
					lean := runShortcut(t, w.profile, w.initial, seed, days, api, sparse)
					requireSameTrace(t, name, full.trace, lean.trace)
					require.Equal(t, full.runs, lean.runs, "%s: runs", name)
					require.Equal(t, full.final, lean.final, "%s: final Doze and scheduler state", name)
					require.Equal(t, full.st, lean.st, "%s: the model's device state", name)
					requireFired(t, name, fewer, full.fired, lean.fired)
					fullFired, leanFired = fullFired+full.fired, leanFired+lean.fired
				}
			}
		}
	}
	return fullFired, leanFired
}

// requireFired requires a run with a shortcut on to fire as many events as
// without it, or with fewer at most as many.
func requireFired(t *testing.T, name string, fewer bool, without, with uint64) {
	t.Helper()
	if fewer {
		require.LessOrEqual(t, with, without, "%s: events fired", name)
	} else {
		require.Equal(t, without, with, "%s: events fired", name)
	}
}

// deviceChanged's shortcuts for a change that leaves the app's process as
// it was (a lock change keeps only the state; no other looks for the
// process starting or ending) change nothing.
func TestLockChangesOnlyTheState(t *testing.T) {
	compareShortcut(t, func(full bool) { fullDeviceChanged = full })
}

// Leaving a light-Doze step's requeue of the pending pass to the step's
// end (requeueEval), where the fold requeues it anyway when it folds,
// changes nothing: lean runs of every built-in profile and a light user
// from 18 % who never charges, API 28 and 34, two seeds, in 7-minute
// slices and in one piece, leave the same runs, deferrals, Doze and
// scheduler state at every checkpoint and at the end, with as many events.
func TestDeferredLightRequeueChangesNothing(t *testing.T) {
	requireShortcutChangesNothing(t, func(on bool) { eagerLightRequeue = !on })
}

// requireShortcutChangesNothing runs every shortcut world (API 28 and 34,
// seeds 1 and 2, in 7-minute slices and in one piece; 5 days, 2 with
// -short) with a shortcut off and then on (set switches it; it is left on)
// and requires the same Doze and scheduler state at every checkpoint, the
// same runs, deferrals and final state, and as many events.
func requireShortcutChangesNothing(t *testing.T, set func(on bool)) {
	t.Helper()
	requireShortcutChangesNothingEvents(t, set, false)
}

// requireShortcutChangesNothingEvents is requireShortcutChangesNothing;
// with fewer, the shortcut may leave out events (at most as many fired with
// it on), and it reports how many both fired in all.
func requireShortcutChangesNothingEvents(t *testing.T, set func(on bool), fewer bool) (offFired, onFired uint64) {
	t.Helper()
	days := 5
	if testing.Short() {
		days = 2
	}
	defer set(true)
	for _, w := range shortcutWorlds(t) {
		for _, api := range []int{28, 34} {
			for seed := uint64(1); seed <= 2; seed++ {
				for _, slice := range []time.Duration{7 * time.Minute, 0} {
					name := fmt.Sprintf("%s API %d seed %d slice %v", w.name, api, seed, slice)
					set(false)
					off := runFolding(t, true, w.profile, w.initial, seed, days, slice, api)
					set(true)
					on := runFolding(t, true, w.profile, w.initial, seed, days, slice, api)
					require.Equal(t, off.states, on.states, "%s: state at the checkpoints", name)
					require.Equal(t, off.runs, on.runs, "%s: runs", name)
					require.Equal(t, off.deferrals, on.deferrals, "%s: deferrals", name)
					require.Equal(t, off.final, on.final, "%s: final state", name)
					requireFired(t, name, fewer, off.fired, on.fired)
					offFired, onFired = offFired+off.fired, onFired+on.fired
				}
			}
		}
	}
	return offFired, onFired
}

// The pass after a launch, answered from the launching pass when nothing
// can have changed in between (repeatPass), changes nothing: traced runs of
// every shortcut world (every built-in profile and a light user from 18 %
// who never charges, API 28 and 34, per-percent and sparse battery, two
// seeds) give the same trace record for record, the same runs and the same
// final state with the shortcut off and on, and so do lean runs (a fleet's:
// deferrals watched, no trace) checked every 7 minutes and in one piece.
// Both fire as many events: the repeat is still the pass's event.
func TestRepeatPassChangesNothing(t *testing.T) {
	compareShortcut(t, func(full bool) { repeatPasses = !full })
	requireShortcutChangesNothing(t, func(on bool) { repeatPasses = on })
}

// The repeat answers passes in the shortcut worlds (the test above would
// prove nothing otherwise), and only passes at the launch's own instant.
func TestRepeatPassAnswersPassesAfterLaunches(t *testing.T) {
	var repeated, passes uint64
	for _, w := range shortcutWorlds(t) {
		for _, api := range []int{28, 34} {
			eng := sim.New(t0, 1)
			m, _, j, until := newTwoWorksDevice(t, eng, w.profile, w.initial, 3, api, true)
			require.NoError(t, eng.RunUntil(until))
			repeated += m.repeated
			passes += m.passSerial + m.repeated
			require.LessOrEqual(t, m.repeated, uint64(len(j.Runs())), "%s API %d: at most one repeat per run", w.name, api)
		}
	}
	require.Positive(t, repeated, "no pass was repeated")
	t.Logf("%d of %d passes repeated", repeated, passes)
}

// The same with runs long enough for the pending pass to be the one at the
// quota's stop time (12 and 45 minutes) as well as short ones, and three
// works (one needs charging, one an unmetered network), traced, with the
// Doze and scheduler state (the pending pass's instant among it) compared
// every minute: a repeat that queued the next pass anywhere else, or
// skipped a decision, shows.
func TestRepeatPassChangesNothingWithLongRuns(t *testing.T) {
	require.Positive(t, compareLongRuns(t, func(on bool) { repeatPasses = on }), "no pass was repeated")
}

// compareLongRuns runs the long-run worlds with a shortcut off and on (set
// switches it; it is left on) and requires the same trace, runs and state
// every minute; it returns the passes repeatPass answered.
func compareLongRuns(t *testing.T, set func(on bool)) uint64 {
	t.Helper()
	days := 3
	if testing.Short() {
		days = 1
	}
	run := func(p device.Profile, initial device.State, seed uint64, api int, dur time.Duration) (trace, states []string, runs []osscheduler.RunRecord, repeated uint64) {
		eng := sim.New(t0, seed)
		var rec sim.Recorder
		eng.AddSink(&rec)
		dev := device.New(eng, device.Config{Initial: initial})
		until := t0.Add(time.Duration(days) * 24 * time.Hour)
		require.NoError(t, dev.ApplyProfile(p, until))
		j := &osscheduler.Journal{}
		cfg := DefaultConfig()
		cfg.API = api
		m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: dur}, j)
		for _, r := range []WorkRequest{
			{TaskName: "quarter", Periodic: true, Interval: 15 * time.Minute},
			{TaskName: "hourly", Periodic: true, Interval: time.Hour, Constraints: Constraints{RequiresCharging: true}},
			{TaskName: "sync", Periodic: true, Interval: 6 * time.Hour, Constraints: Constraints{RequiredNetwork: NetworkUnmetered}},
		} {
			_, err := m.EnqueueUniquePeriodicWork(r.TaskName, PeriodicKeep, r)
			require.NoError(t, err)
		}
		for at := t0.Add(time.Minute); at.Before(until); at = at.Add(time.Minute) {
			require.NoError(t, eng.RunUntil(at))
			states = append(states, dozeSnapshot(m))
		}
		require.NoError(t, eng.RunUntil(until))
		for _, r := range rec.Records {
			trace = append(trace, fmt.Sprintf("%s %s %s %s %s %v", sim.FormatOffset(r.At), r.Source, r.Kind, r.Subject, r.Reason, r.Fields))
		}
		return trace, states, j.Runs(), m.repeated
	}
	defer set(true)
	var repeated uint64
	for _, w := range shortcutWorlds(t) {
		for _, api := range []int{28, 34} {
			for _, dur := range []time.Duration{4 * time.Second, 12 * time.Minute, 45 * time.Minute} {
				name := fmt.Sprintf("%s API %d runs of %v", w.name, api, dur)
				set(false)
				fullTrace, fullStates, fullRuns, _ := run(w.profile, w.initial, 1, api, dur)
				set(true)
				trace, states, runs, n := run(w.profile, w.initial, 1, api, dur)
				require.Equal(t, fullRuns, runs, "%s: runs", name)
				requireSameTrace(t, name, fullTrace, trace)
				require.Equal(t, fullStates, states, "%s: state every minute", name)
				repeated += n
			}
		}
	}
	return repeated
}

// Keeping an in-quota answer over time (quotaBlock) gives what quotaCheck
// gives: at every reuse in every shortcut world, traced and lean, quotaCheck
// of that instant is in quota with the same state; and runs with the reuse
// off and on leave the same trace, runs and state.
func TestQuotaReuseIsTheCheck(t *testing.T) {
	reuses := 0
	checkQuotaReuse = func(m *Model, now time.Time) {
		reuses++
		qs, ok := m.quotaCheck(now)
		if !ok || qs != m.qcState {
			t.Fatalf("at %v: quotaCheck gives %+v, %v; the reused answer %+v, true", sim.Sub(now, m.eng.Start()), qs, ok, m.qcState)
		}
	}
	defer func() { checkQuotaReuse = nil }()
	compareShortcut(t, func(full bool) { reuseQuotaOK = !full })
	requireShortcutChangesNothing(t, func(on bool) { reuseQuotaOK = on })
	compareLongRuns(t, func(on bool) { reuseQuotaOK = on })
	require.Positive(t, reuses, "no answer was reused")
	t.Logf("%d reuses checked", reuses)
}

// greedyDue's kept answer is the computed one at every reuse, in every
// shortcut world (traced, lean, long runs), and runs with the memo off and
// on leave the same trace, runs and state.
func TestGreedyDueMemoIsTheComputation(t *testing.T) {
	reuses := 0
	checkGreedyMemo = func(kept, computed time.Time) {
		reuses++
		if kept != computed {
			t.Fatalf("greedyDue kept %v, computes %v", kept, computed)
		}
	}
	defer func() { checkGreedyMemo = nil }()
	compareShortcut(t, func(full bool) { memoGreedyDue = !full })
	requireShortcutChangesNothing(t, func(on bool) { memoGreedyDue = on })
	compareLongRuns(t, func(on bool) { memoGreedyDue = on })
	require.Positive(t, reuses, "no answer was reused")
	t.Logf("%d reuses checked", reuses)
}

// An UPDATE that changes the interval (the same lastEnqueue, state and
// counts) changes greedyDue's answer: the generation it bumps is part of
// what the kept answer was computed from.
func TestGreedyDueMemoFollowsUpdate(t *testing.T) {
	eng := sim.New(t0, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	m := New(eng, dev, DefaultConfig(), &fakeExec{eng: eng, dur: 4 * time.Second}, nil)
	_, err := m.EnqueueUniquePeriodicWork("p", PeriodicKeep, WorkRequest{TaskName: "p", Periodic: true, Interval: time.Hour})
	require.NoError(t, err)
	w := m.live("p")[0]
	now := eng.Now()
	first := m.greedyDue(w, now)
	require.Equal(t, first, m.greedyDue(w, now), "kept")
	_, err = m.EnqueueUniquePeriodicWork("p", PeriodicUpdate, WorkRequest{TaskName: "p", Periodic: true, Interval: 3 * time.Hour, InitialDelay: 2 * time.Hour})
	require.NoError(t, err)
	require.Equal(t, m.greedyDueOf(w), m.greedyDue(w, now))
	require.NotEqual(t, first, m.greedyDue(w, now), "the update moved the due time")
}

// A work weighed before the launch that was more than not due (here staged:
// its start drawn, still ahead) keeps the pass after the launch a full one:
// the launch's job start fills the rare bucket's job count (48 per 24 h,
// QuotaController DEFAULT_MAX_JOB_COUNT_RARE), and that pass finds the
// staged work over quota and reports it at once. A repeat would report it
// only at its drawn start.
func TestRepeatPassWeighsStagedWorkAgain(t *testing.T) {
	run := func(on bool) []string {
		repeatPasses = on
		defer func() { repeatPasses = true }()
		eng := sim.New(t0, 3)
		var rec sim.Recorder
		eng.Watch(&rec, event.Deferred)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()}) // screen off, unplugged
		cfg := DefaultConfig()
		cfg.Doze = false
		cfg.StandbyBucket = "rare"
		m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: 4 * time.Second}, nil)
		dev.StartProcess() // the app's process lives: the enqueues prime GreedyScheduler
		// A needs the device idle: GreedyScheduler leaves it to JobScheduler.
		_, err := m.EnqueueUniqueWork("a", Keep, WorkRequest{TaskName: "a", InitialDelay: time.Hour, Constraints: Constraints{RequiresDeviceIdle: true}})
		require.NoError(t, err)
		_, err = m.EnqueueUniqueWork("b", Keep, WorkRequest{TaskName: "b", InitialDelay: time.Hour})
		require.NoError(t, err)
		require.NoError(t, eng.RunUntil(t0.Add(time.Hour)))
		a, b := m.live("a")[0], m.live("b")[0]
		require.False(t, a.job.startAt.IsZero(), "a staged")
		require.False(t, b.job.startAt.IsZero(), "b staged")
		require.True(t, m.gr.primed)
		// b starts first; the rare bucket's job count is one short.
		now := eng.Now()
		a.job.startAt, b.job.startAt = now.Add(4*time.Second), now.Add(time.Second)
		for i := 0; i < m.prof.quota.jobs[bucketRare]-1; i++ {
			m.sb.jobStarts = m.sb.jobQ.push(m.vt(now) - int64(time.Hour) + int64(i))
		}
		m.qcValid = false
		m.requestEvalNow()
		require.NoError(t, eng.RunUntil(now.Add(10*time.Second)))
		var out []string
		for _, r := range rec.Records {
			out = append(out, fmt.Sprintf("%s %s %v", sim.FormatOffset(r.At), r.Subject, r.Fields))
		}
		return out
	}
	full, lean := run(false), run(true)
	require.Equal(t, full, lean)
	require.Contains(t, fmt.Sprint(full), "01:00:01 a [{id 0 wm-0001 0} {blocked_by 0 quota 0}", "a reported over quota as b starts")
}

// requireSameTrace fails at the first trace record where a and b differ
// (comparing whole slices would print both traces).
func requireSameTrace(t *testing.T, name string, a, b []string) {
	t.Helper()
	require.Equal(t, len(a), len(b), "%s: trace length", name)
	for i := range a {
		require.Equal(t, a[i], b[i], "%s: trace record %d", name, i)
	}
}

// Leaving out the pass a device change asks for when it would be idle
// (changeEval) changes nothing: traced runs of every shortcut world give
// the same trace record for record, the same runs and the same final
// state, and so do lean runs (a fleet's) checked every 7 minutes and in
// one piece; and passes are left out (fewer events).
func TestIdleChangePassesChangeNothing(t *testing.T) {
	full, lean := compareShortcutEvents(t, func(full bool) { skipIdleChangePasses = !full }, true)
	require.Less(t, lean, full, "traced runs: no pass left out")
	off, on := requireShortcutChangesNothingEvents(t, func(on bool) { skipIdleChangePasses = on }, true)
	require.Less(t, on, off, "lean runs: no pass left out")
	t.Logf("events: traced %d -> %d, lean %d -> %d", full, lean, off, on)
}

// A device change that lets GreedyScheduler start work it tracks keeps its
// pass, though JobScheduler's side is idle: here work b, left to
// GreedyScheduler alone (no job: as a dropped expedited work), waits for a
// network; the network comes back while JobScheduler holds only a job due
// in an hour, and the pass after the change starts b in the process at
// once, with the shortcut on as with it off.
func TestIdleChangePassKeptForGreedyWork(t *testing.T) {
	run := func(skip bool) []osscheduler.RunRecord {
		skipIdleChangePasses = skip
		defer func() { skipIdleChangePasses = true }()
		eng := sim.New(t0, 5)
		st := device.DefaultState()
		st.Network = device.Network{}
		dev := device.New(eng, device.Config{Initial: st})
		cfg := DefaultConfig()
		cfg.Doze = false
		j := &osscheduler.Journal{}
		m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: 4 * time.Second}, j)
		dev.LaunchApp() // in the foreground: the enqueues prime GreedyScheduler, which may run work at once
		_, err := m.EnqueueUniqueWork("a", Keep, WorkRequest{TaskName: "a", InitialDelay: time.Hour})
		require.NoError(t, err)
		_, err = m.EnqueueUniqueWork("b", Keep, WorkRequest{TaskName: "b", Constraints: Constraints{RequiredNetwork: NetworkConnected}})
		require.NoError(t, err)
		m.unschedule(m.live("b")[0])
		require.NoError(t, eng.RunFor(10*time.Minute))
		require.True(t, m.gr.primed)
		require.True(t, m.passIsIdle(eng.Now()), "JobScheduler's side is idle")
		dev.SetNetwork(device.Network{Type: device.NetworkWiFi, Validated: true})
		require.NoError(t, eng.RunFor(time.Minute))
		return j.Runs()
	}
	full, lean := run(false), run(true)
	require.Len(t, full, 1, "b ran in the process after the change")
	require.Equal(t, full, lean)
}

// Every pass changeEval leaves out is idle: in every shortcut world (lean
// runs, as a fleet's, API 28 and 34, two seeds, on AOSP and on a vendor
// whose autostart rule keeps a dead process from being started for its
// jobs) each such pass is taken
// instead, and when nothing else counted as a change before it fired, it
// leaves every work's state, block and start, the runs, the bucket and Doze
// as they were, and queues the next pass where it was pending.
func TestIdleChangePassesAreIdle(t *testing.T) {
	days := 5
	if testing.Short() {
		days = 2
	}
	snapshot := func(m *Model) string {
		d := &m.doze
		var b strings.Builder
		fmt.Fprintf(&b, "exec=%d running=%d/%d bucket=%d deep=%s light=%s nextLightIdle=%v maintFrom=%v lightT=%v deepT=%v",
			m.execID, m.nRunning, len(m.gr.running), m.sb.current, dozeNames[d.deep], lightNames[d.light], d.nextLightIdle,
			d.lightMaintFrom, d.lightTimer(), d.deepTimer())
		for _, w := range m.specs {
			fmt.Fprintf(&b, "; %s %s block=%s unmet=%b start=%v earliest=%v scheduled=%t", w.id, w.state, blockNames[w.job.block],
				w.job.unmet, w.job.startAt, w.job.earliest, w.job.scheduled)
		}
		return b.String()
	}
	checked := 0
	defer func() { checkIdleChange = nil }()
	for _, w := range shortcutWorlds(t) {
		for _, api := range []int{28, 34} {
			for _, oem := range []string{"aosp", "huawei"} {
				for seed := uint64(1); seed <= 2; seed++ {
					name := fmt.Sprintf("%s API %d %s seed %d", w.name, api, oem, seed)
					eng := sim.New(t0, seed)
					var rec sim.Recorder
					eng.Watch(&rec, event.Deferred) // what a fleet watches: Tracing stays off
					var armed bool
					var armedAt time.Duration
					var changes uint64
					var next int64
					checkIdleChange = func(m *Model) {
						armed, armedAt, changes, next = true, m.eng.Elapsed(), m.changes+1, m.evalAt
					}
					dev := device.New(eng, device.Config{Initial: w.initial})
					until := t0.Add(time.Duration(days) * 24 * time.Hour)
					require.NoError(t, dev.ApplyProfile(w.profile, until))
					dev.SetSparseBattery(true)
					cfg := DefaultConfig()
					cfg.API, cfg.OEM = api, oem
					m := New(eng, dev, cfg, &fakeExec{eng: eng, dur: 4 * time.Second}, nil)
					enqueueHourlyAndSync(t, m)
					m.evalH = handlerFunc(func() {
						if !armed || m.changes != changes || m.eng.Elapsed() != armedAt {
							armed = false
							m.evaluate()
							return
						}
						armed = false
						before := snapshot(m)
						m.evaluate()
						require.Equal(t, before, snapshot(m), "%s: a pass changeEval would leave out, at %v", name, armedAt)
						require.True(t, m.evalTimer.Pending(), "%s: the next pass at %v", name, armedAt)
						require.Equal(t, next, m.evalAt, "%s: the next pass's instant, at %v", name, armedAt)
						checked++
					})
					require.NoError(t, eng.RunUntil(until))
				}
			}
		}
	}
	require.Positive(t, checked, "no pass checked")
	t.Logf("%d passes checked", checked)
}

// handlerFunc is a sim.Handler that calls a function.
type handlerFunc func()

func (f handlerFunc) Fire(*sim.Engine) { f() }

// A device change while a Doze maintenance window is still open beyond its
// minimum keeps its pass, though nothing is due or running: the pass ends
// the window early (dozeAfterEval). Here the window is set open by hand
// (as a run keeps one open), and the network changes in it: the deep step
// that ends the window is moved as the full pass moves it.
func TestIdleChangePassEndsAMaintenanceWindow(t *testing.T) {
	run := func(skip bool) string {
		skipIdleChangePasses = skip
		defer func() { skipIdleChangePasses = true }()
		eng := sim.New(t0, 5)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()}) // screen off, unplugged
		m := New(eng, dev, DefaultConfig(), &fakeExec{eng: eng, dur: 4 * time.Second}, nil)
		_, err := m.EnqueueUniqueWork("a", Keep, WorkRequest{TaskName: "a", InitialDelay: 6 * time.Hour})
		require.NoError(t, err)
		require.NoError(t, eng.RunFor(time.Minute))
		d := &m.doze
		d.maintStart = eng.Now()
		d.setDeep(dozeIdleMaint, 30*time.Minute, "a window kept open")
		require.NoError(t, eng.RunFor(2*time.Minute))
		require.True(t, m.passIsIdle(eng.Now()), "JobScheduler's side is idle")
		dev.SetNetwork(device.Network{Type: device.NetworkCellular, Metered: true, Validated: true})
		require.NoError(t, eng.RunFor(time.Minute))
		return dozeSnapshot(m)
	}
	full, lean := run(false), run(true)
	require.Equal(t, full, lean)
	require.Contains(t, full, "deep=IDLE ", "the window ended at the change, and deep Doze is IDLE again")
}
