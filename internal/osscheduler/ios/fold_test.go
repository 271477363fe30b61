package ios

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// foldWorld runs setup for days with the suspension-check fold as given and
// returns the whole trace, the runs with their outcomes, how many checks
// were folded and queued after all, and the events fired.
func foldWorld(t *testing.T, seed uint64, days int, fold bool, setup func(e *env)) (trace, runs string, folded, unfolded int, events uint64) {
	t.Helper()
	old := foldSuspendChecks
	foldSuspendChecks = fold
	defer func() { foldSuspendChecks = old }()
	e := newEnv(t, seed, testConfig(), nil)
	e.exec.dur = 2 * time.Second
	setup(e)
	require.NoError(t, e.eng.RunFor(time.Duration(days)*day))
	var b strings.Builder
	for _, r := range e.rec.Records {
		fmt.Fprintf(&b, "%v %s %s %s %s %v\n", r.At, r.Source, r.Kind, r.Subject, r.Reason, r.Fields)
	}
	var rb strings.Builder
	for _, r := range e.j.Runs() {
		fmt.Fprintf(&rb, "%+v\n", r)
	}
	return b.String(), rb.String(), e.m.foldedChecks, e.m.unfoldedChecks, e.eng.Fired()
}

// randomLife drives the app and the device at random, with in-process work
// (beginBackgroundTask), kills, reboots and the user opening and leaving
// the app, every few minutes of a day.
func randomLife(seed uint64) func(e *env) {
	return func(e *env) {
		submit := e.periodicApp()
		r := sim.NewStream(seed, "test.fold")
		ops := []func(){
			func() { e.dev.LaunchApp(); submit() },
			func() { e.dev.BackgroundApp() },
			func() { e.dev.SetScreen(r.IntN(2) == 0) },
			func() { e.dev.KillProcess() },
			func() { e.dev.StartProcess() },
			func() { e.dev.SetCharger([]device.Charger{device.ChargerNone, device.ChargerAC}[r.IntN(2)]) },
			func() { e.m.RunInProcess(fmt.Sprint("once", r.IntN(3)), "t", nil) },
			func() { e.m.BeginBackgroundTask("work") },
			func() { e.m.EndBackgroundTask("work") },
			func() { e.exec.dur = time.Duration(1+r.IntN(40)) * time.Second },
			func() { e.exec.result = []osscheduler.Result{osscheduler.Success, osscheduler.Failure}[r.IntN(2)] },
		}
		// What the app does right after a run ends, in the same event:
		// nothing, or something the suspension check reads.
		after := []func(){
			func() { e.dev.LaunchApp() },
			func() { e.dev.KillProcess() },
			func() { e.m.RunInProcess("after", "t", nil) },
			func() { e.m.BeginBackgroundTask("after") },
			func() { e.dev.SetScreen(true) },
		}
		e.exec.afterFinish = func() {
			if r.IntN(2) == 0 {
				after[r.IntN(len(after))]()
			}
		}
		at := time.Duration(0)
		for at < 3*day {
			// Whole seconds, often on a tick instant less a few seconds,
			// so that background-time deadlines meet ticks.
			at += time.Duration(1+r.IntN(900)) * time.Second
			if r.IntN(4) == 0 {
				at = (at/EvalInterval+1)*EvalInterval - time.Duration(5+r.IntN(30))*time.Second
			}
			op := ops[r.IntN(len(ops))]
			e.eng.Schedule(t0.Add(at), sim.PhaseWorld, "test.op", sim.HandlerFunc(func(*sim.Engine) { op() }))
		}
	}
}

// TestFoldedSuspendChecksChangeNothing: a suspension check after a run's
// end that would only queue the background-time event is not queued (the
// event is queued at once), unless something it reads changes before its
// place in the order; every trace record and every run must be what
// queueing every check gives, in profile-driven worlds and in random ones
// with in-process work, assertions, kills and deadlines on tick instants.
func TestFoldedSuspendChecksChangeNothing(t *testing.T) {
	type world struct {
		name  string
		days  int
		setup func(e *env)
	}
	var worlds []world
	for _, prof := range []string{"office-worker", "heavy-user", "night-shift"} {
		worlds = append(worlds, world{"profile " + prof, 20, profileDriven(prof)})
	}
	for s := uint64(1); s <= 24; s++ {
		worlds = append(worlds, world{fmt.Sprint("random life ", s), 3, randomLife(s)})
	}
	folded, unfolded := 0, 0
	var foldEvents, refEvents uint64
	for _, w := range worlds {
		t.Run(w.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 2; seed++ {
				refTrace, refRuns, f0, _, ev0 := foldWorld(t, seed, w.days, false, w.setup)
				trace, runs, f, u, ev := foldWorld(t, seed, w.days, true, w.setup)
				require.Zero(t, f0)
				require.Equal(t, refRuns, runs, "seed %d: runs", seed)
				require.Equal(t, refTrace, trace, "seed %d: trace", seed)
				folded += f
				unfolded += u
				foldEvents += ev
				refEvents += ev0
			}
		})
	}
	t.Logf("%d checks folded, %d queued after all; events %d -> %d", folded, unfolded, refEvents, foldEvents)
	assert.Greater(t, folded, 1000, "checks must be folded, or this test compares nothing")
	assert.Greater(t, unfolded, 10, "folded checks must also be queued after all")
	assert.Less(t, foldEvents, refEvents)
}

// TestQuietPassesChangeNothingInLatePhases: device changes made by the app
// or the plugin (phases after the OS's) come before the pass they ask for,
// which fires after their event: two changes in one such event, the second
// altering what the pass reads, must give what evaluating every pass gives.
func TestQuietPassesChangeNothingInLatePhases(t *testing.T) {
	w := quietWorld{name: "daily user, app-phase changes", days: 20, setup: func(e *env) {
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 20, charge: true, inForeground: submit}, 20)
		r := sim.NewStream(e.eng.Seed(), "test.late")
		for at := time.Duration(0); at < 20*day; at += time.Duration(600+r.IntN(3000)) * time.Second {
			e.eng.Schedule(t0.Add(at), sim.PhaseApp, "test.app", sim.HandlerFunc(func(*sim.Engine) {
				e.dev.SetScreen(!e.dev.StateView().ScreenOn)
				e.dev.SetNetwork(device.Network{Type: device.NetworkWiFi, Validated: r.IntN(2) == 0})
			}))
		}
	}}
	quiet := 0
	for seed := uint64(1); seed <= 3; seed++ {
		refTrace, refRuns, _, _, _ := runQuietWorld(t, w, seed, true)
		trace, runs, q, _, _ := runQuietWorld(t, w, seed, false)
		require.Equal(t, refRuns, runs, "seed %d: runs", seed)
		require.Equal(t, refTrace, trace, "seed %d: trace", seed)
		quiet += q
	}
	assert.Greater(t, quiet, 100, "passes must be quiet, or this test compares nothing")
}
