package ios

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// TestRandomOperations drives the model with seeded random app calls and
// device changes and checks that nothing panics and the invariants hold:
// at most 1 refresh + 10 processing pending, every ended run has an outcome,
// and the executions the model still runs are exactly the journal's open runs.
func TestRandomOperations(t *testing.T) {
	runs, expired := 0, 0
	defer func() {
		if !t.Failed() && (runs == 0 || expired == 0) {
			t.Errorf("the random walk never ran (%d) or expired (%d) anything", runs, expired)
		}
	}()
	for seed := uint64(1); seed <= 20; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			cfg := testConfig()
			cfg.Version = []int{13, 16, 17, 18, 26}[seed%5]
			cfg.Heuristics = []string{HeuristicsOptimistic, HeuristicsTypical, HeuristicsPessimistic}[seed%3]
			if seed%4 == 0 {
				cfg.PermittedIdentifiers = nil
				cfg.LaunchHandlers = nil
				cfg.FetchInterval = FetchMinimum
			}
			e := newEnv(t, seed, cfg, nil)
			e.exec.dur = 20 * time.Second
			r := sim.NewStream(seed, "test.random")
			ids := []string{"refresh", "refresh2", "proc", "p01", "p02", "unlisted", "app.x.1", ""}
			kinds := []osscheduler.Kind{osscheduler.Periodic, osscheduler.Processing, osscheduler.HealthResearch, osscheduler.ContinuedProcessing, osscheduler.OneOff}
			ops := []func(){
				func() { e.dev.LaunchApp() },
				func() { e.dev.BackgroundApp() },
				func() { e.dev.SetScreen(r.IntN(2) == 0) },
				func() { e.dev.SwipeAwayApp() },
				func() { e.dev.KillProcess() },
				func() { e.dev.StartProcess() },
				func() { e.dev.Reboot(time.Duration(r.IntN(300)) * time.Second) },
				func() { e.dev.SetCharger([]device.Charger{device.ChargerNone, device.ChargerAC}[r.IntN(2)]) },
				func() { e.dev.SetLowPower(r.IntN(2) == 0) },
				func() { e.dev.SetThermal([]device.Thermal{device.ThermalNominal, device.ThermalSerious}[r.IntN(2)]) },
				func() { e.dev.SetBatteryLevel(r.IntN(101)) },
				func() {
					e.dev.SetNetwork([]device.Network{{Type: device.NetworkNone}, {Type: device.NetworkWiFi, Validated: true}}[r.IntN(2)])
				},
				func() {
					req := TaskRequest{Identifier: ids[r.IntN(len(ids))], Kind: kinds[r.IntN(len(kinds))], RequiresExternalPower: r.IntN(2) == 0, RequiresNetwork: r.IntN(2) == 0}
					if r.IntN(2) == 0 {
						req.EarliestBegin = e.eng.Now().Add(time.Duration(r.IntN(7200)) * time.Second)
					}
					_ = e.m.Submit(req)
				},
				func() { _, _ = e.m.Register(ids[r.IntN(len(ids))]) },
				func() { e.m.Cancel(ids[r.IntN(len(ids))]) },
				func() { e.m.CancelAll() },
				func() { e.m.RunInProcess("once", "t", nil) },
				func() { e.m.SetBackgroundAppRefresh(r.IntN(3) != 0) },
				func() { e.m.SetMinimumBackgroundFetchInterval(time.Duration(r.IntN(3)-1) * time.Hour) },
				func() { e.exec.never = r.IntN(4) == 0 },
			}
			for step := 0; step < 400; step++ {
				ops[r.IntN(len(ops))]()
				require.NoError(t, e.eng.RunFor(time.Duration(r.IntN(3600))*time.Second))
				refresh, proc := 0, 0
				for _, p := range e.m.Pending() {
					switch p.Kind {
					case osscheduler.Periodic:
						refresh++
					case osscheduler.Processing, osscheduler.HealthResearch:
						proc++
					}
				}
				require.LessOrEqual(t, refresh, MaxPendingRefresh)
				require.LessOrEqual(t, proc, MaxPendingProcessing)
				require.Len(t, e.j.Running(), len(e.m.running))
			}
			runs += len(e.j.Runs())
			for _, run := range e.j.Runs() {
				if run.Outcome == osscheduler.OutcomeExpired {
					expired++
				}
				if run.End >= 0 {
					require.NotEmpty(t, run.Outcome)
					require.GreaterOrEqual(t, run.End, run.Start)
				}
			}
			_ = e.m.Tasks()
		})
	}
}
