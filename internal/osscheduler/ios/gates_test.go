package ios

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// TestGateOrder checks the first gate that holds a request back, in the order
// force-quit → BAR → mode/identifier → Low Power Mode → battery → thermal →
// network → idle → power (PLATFORM-FACTS; ios.md §6 "suggested model").
func TestGateOrder(t *testing.T) {
	idle := func(s *device.State) { s.ScreenOn = false; s.Locked = true; s.Charger = device.ChargerAC }
	cases := []struct {
		name   string
		kind   osscheduler.Kind
		setup  func(m *Model, s *device.State)
		want   string
		reqNet bool
	}{
		{"all clear refresh", osscheduler.Periodic, func(m *Model, s *device.State) {}, "", false},
		{"all clear processing", osscheduler.Processing, func(m *Model, s *device.State) { idle(s) }, "", false},
		{"force-quit first", osscheduler.Periodic, func(m *Model, s *device.State) { m.killed = true; m.bar = false; s.LowPower = true }, "force_quit", false},
		{"BAR before LPM", osscheduler.Periodic, func(m *Model, s *device.State) { m.bar = false; s.LowPower = true }, "background_app_refresh", false},
		{"mode before LPM", osscheduler.Periodic, func(m *Model, s *device.State) { m.cfg.BackgroundModes = nil; s.LowPower = true }, "mode", false},
		{"LPM unplugged", osscheduler.Periodic, func(m *Model, s *device.State) { s.LowPower = true; s.Thermal = device.ThermalCritical }, "low_power_mode", false},
		{"LPM plugged above 30 % passes", osscheduler.Periodic, func(m *Model, s *device.State) { s.LowPower = true; s.Charger = device.ChargerAC }, "", false},
		{"LPM plugged below 30 %", osscheduler.Periodic, func(m *Model, s *device.State) {
			s.LowPower = true
			s.Charger = device.ChargerAC
			s.Battery.ChargeUAh = 25 * 4000 * 10
		}, "low_power_mode", false},
		{"LPM does not hold processing", osscheduler.Processing, func(m *Model, s *device.State) { idle(s); s.LowPower = true }, "", false},
		{"battery 19 %", osscheduler.Periodic, func(m *Model, s *device.State) {
			s.Battery.ChargeUAh = 19 * 4000 * 10
			s.Thermal = device.ThermalSerious
		}, "battery", false},
		{"battery 20 % passes", osscheduler.Periodic, func(m *Model, s *device.State) { s.Battery.ChargeUAh = 20 * 4000 * 10 }, "", false},
		{"thermal serious", osscheduler.Periodic, func(m *Model, s *device.State) {
			s.Thermal = device.ThermalSerious
			s.Network.Type = device.NetworkNone
		}, "thermal", false},
		{"thermal fair passes", osscheduler.Periodic, func(m *Model, s *device.State) { s.Thermal = device.ThermalFair }, "", false},
		{"no network refresh", osscheduler.Periodic, func(m *Model, s *device.State) { s.Network.Type = device.NetworkNone }, "network", false},
		{"no network processing without requirement", osscheduler.Processing, func(m *Model, s *device.State) { idle(s); s.Network.Type = device.NetworkNone }, "", false},
		{"no network processing with requirement", osscheduler.Processing, func(m *Model, s *device.State) { idle(s); s.Network.Type = device.NetworkNone }, "network", true},
		{"processing screen on", osscheduler.Processing, func(m *Model, s *device.State) { idle(s); s.ScreenOn = true; s.Charger = device.ChargerNone }, "idle", false},
		{"processing unlocked", osscheduler.Processing, func(m *Model, s *device.State) { idle(s); s.Locked = false }, "idle", false},
		{"processing on battery", osscheduler.Processing, func(m *Model, s *device.State) { idle(s); s.Charger = device.ChargerNone }, "power", false},
		{"health research exempt from force-quit and BAR", osscheduler.HealthResearch, func(m *Model, s *device.State) { idle(s); m.killed = true; m.bar = false }, "", false},
		{"refresh while the app is in use", osscheduler.Periodic, func(m *Model, s *device.State) { s.App = device.ProcessForeground; s.ScreenOn = true }, "foreground", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m *Model
			e := newEnv(t, 1, testConfig(), func(s *device.State) {
				s.ScreenOn = true
				s.Locked = false
			})
			m = e.m
			st := e.dev.State()
			tc.setup(m, &st)
			dev := device.New(e.eng, device.Config{Initial: st})
			m.dev = dev
			g, ok := m.hardGates(tc.kind, "proc", tc.reqNet)
			assert.Equal(t, tc.want, g.key, g.reason)
			assert.Equal(t, tc.want == "", ok)
		})
	}
}

func TestMultipliers(t *testing.T) {
	// _DASBatteryLevelPolicy: √((level−20)/80), ×1.2 plugged, clamped.
	assert.Equal(t, 0.0, BatteryMultiplier(20, false))
	assert.InDelta(t, 0.5, BatteryMultiplier(40, false), 1e-9)
	assert.InDelta(t, 1.0, BatteryMultiplier(100, false), 1e-9)
	assert.InDelta(t, 0.6, BatteryMultiplier(40, true), 1e-9)
	assert.Equal(t, 1.0, BatteryMultiplier(90, true))
	// The table is the formula, bit for bit, and levels outside 0–100 still work.
	for l := -5; l <= 105; l++ {
		for _, p := range []bool{false, true} {
			assert.Equal(t, batteryMultiplier(l, p), BatteryMultiplier(l, p), "level %d plugged %v", l, p)
		}
	}
	for th, want := range map[device.Thermal]float64{device.ThermalNominal: 1, device.ThermalFair: 0.6, device.ThermalSerious: 0.2, device.ThermalCritical: 0.1} {
		assert.Equal(t, want, ThermalMultiplier(th), string(th))
	}
}

// TestUsageScore checks the score's shape (_DASApplicationPolicy.mm): a
// never-opened app has p = 0.0025 (score 0.05); a habit saturates to 1; an
// overdue request with recent use gets ×0.65 + 0.35.
func TestUsageScore(t *testing.T) {
	e := newEnv(t, 1, testConfig(), func(s *device.State) { s.Charger = device.ChargerAC })
	u := e.m.score(e.eng.Now(), 0)
	assert.Equal(t, NoPredictionProbability, u.p)
	assert.InDelta(t, 0.05, u.score, 1e-9)

	// Open at 09:00 for 5 days; at 08:55 on day 5 the app is predicted.
	for d := 0; d < 5; d++ {
		e.eng.RunUntil(t0.Add(time.Duration(d)*day + 9*time.Hour))
		e.dev.LaunchApp()
		e.dev.BackgroundApp()
	}
	e.eng.RunUntil(t0.Add(5*day + 8*time.Hour + 55*time.Minute))
	u = e.m.score(e.eng.Now(), 0)
	assert.Greater(t, u.p, 0.9)
	assert.Equal(t, 1.0, u.score)

	// At 15:00 nothing is predicted (no launch near 15:00 on earlier days).
	e.eng.RunUntil(t0.Add(5*day + 9*time.Hour))
	e.dev.LaunchApp()
	e.dev.BackgroundApp()
	e.eng.RunUntil(t0.Add(5*day + 15*time.Hour))
	u = e.m.score(e.eng.Now(), 0)
	assert.Equal(t, NoPredictionProbability, u.p)
	assert.InDelta(t, 0.05, u.score, 1e-9)
	// Overdue (eligible for 7 h ≥ 6 h, typical) and opened today: ×0.65 + 0.35.
	u = e.m.score(e.eng.Now().Add(-7*time.Hour), 0)
	assert.InDelta(t, 0.05*0.65+0.35, u.score, 1e-9)
	// Overdue and not opened in the last 24 h: ×0.65 only.
	e.eng.RunUntil(t0.Add(7*day + 15*time.Hour))
	u = e.m.score(e.eng.Now().Add(-7*time.Hour), 0)
	assert.Less(t, u.p, 0.2)
	if u.p == NoPredictionProbability {
		assert.InDelta(t, 0.05*0.65, u.score, 1e-9)
	}
}

// TestDeferralsAreNotRepeated: an unchanged reason is traced once.
func TestDeferralsAreNotRepeated(t *testing.T) {
	e := newEnv(t, 1, testConfig(), func(s *device.State) { s.Network = device.Network{Type: device.NetworkNone} })
	e.open()
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	require.NoError(t, e.eng.RunFor(2*day))
	net := gateDeferrals(e, "network")
	assert.Len(t, net, 1, "96 evaluations a day, one trace event")
	assert.Equal(t, "refresh", net[0].Subject)
	assert.Equal(t, SourceDASD, net[0].Source)
	e.dev.SetNetwork(device.Network{Type: device.NetworkWiFi, Validated: true})
	require.NoError(t, e.eng.RunFor(time.Minute))
	e.dev.SetNetwork(device.Network{Type: device.NetworkNone})
	require.NoError(t, e.eng.RunFor(time.Hour))
	assert.Len(t, gateDeferrals(e, "network"), 2, "the reason changed and came back")
}

func TestDeterministicTrace(t *testing.T) {
	run := func() string {
		e := newEnv(t, 42, testConfig(), nil)
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 5, charge: true, inForeground: submit}, 5)
		require.NoError(t, e.eng.RunFor(5*day))
		out := ""
		for _, r := range e.rec.Records {
			out += fmt.Sprintln(r.At, r.Source, r.Kind, r.Subject, r.Reason)
		}
		return out
	}
	a, b := run(), run()
	assert.Equal(t, a, b)
	assert.Contains(t, a, "ios.dasd started refresh")
}

func TestRebootKeepsRequestsNotProcess(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.exec.never = true
	e.open()
	require.NoError(t, e.m.Submit(procReq("proc")))
	require.NoError(t, e.m.Submit(procReq("p01")))
	e.dev.SetCharger(device.ChargerAC)
	_, ok, _ := e.eng.RunUntilCondition(func() bool { return len(e.exec.started) == 1 }, day)
	require.True(t, ok)
	e.dev.Reboot(2 * time.Minute)
	assert.Equal(t, osscheduler.StopReboot, e.exec.stopped[e.exec.started[0].ID])
	assert.False(t, e.m.Registered("proc"))
	assert.Len(t, e.m.Pending(), 1, "requests survive a reboot")
	e.eng.RunFor(6 * time.Hour)
	assert.Len(t, e.exec.started, 2, "the remaining request runs after boot (cold launch)")
	assert.Equal(t, sim.PhaseOS, sim.PhaseOS)
}
