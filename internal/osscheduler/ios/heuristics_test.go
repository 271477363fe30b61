package ios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// TestRateLimitAndDailyBudget: whatever the score, background launches are
// at least MinGap apart and at most DailyLaunches in any 24 h.
func TestRateLimitAndDailyBudget(t *testing.T) {
	for _, h := range []string{HeuristicsOptimistic, HeuristicsTypical, HeuristicsPessimistic} {
		par := ParamSets[h]
		for seed := uint64(1); seed <= 5; seed++ {
			st := measureUser(seed, h, 14, 14)
			for i := range st.runs {
				if i > 0 {
					assert.GreaterOrEqual(t, st.runs[i].Sub(st.runs[i-1]), par.MinGap, "%s seed %d", h, seed)
				}
				n := 0
				for j := i; j < len(st.runs) && st.runs[j].Sub(st.runs[i]) < DailyBudgetWindow; j++ {
					n++
				}
				assert.LessOrEqual(t, n, par.DailyLaunches, "%s seed %d", h, seed)
			}
		}
	}
}

// TestDailyBudgetBinds: with a saturated score all day (the user opens the app
// every 20 minutes), the pessimistic budget (6 a day, 1 h apart) binds.
func TestDailyBudgetBinds(t *testing.T) {
	cfg := testConfig()
	cfg.Heuristics = HeuristicsPessimistic
	e := newEnv(t, 1, cfg, nil)
	e.exec.dur = 2 * time.Second
	submit := e.periodicApp()
	var opens []time.Duration
	for m := 0; m < 24*60; m += 20 {
		opens = append(opens, time.Duration(m)*time.Minute)
	}
	e.drive(user{opens: opens, session: time.Minute, to: 10, charge: true, inForeground: submit}, 10)
	require.NoError(t, e.eng.RunFor(10*day))
	assert.NotEmpty(t, gateDeferrals(e, "daily_budget"))
	assert.NotEmpty(t, gateDeferrals(e, "rate_limit"))
}

// TestEarliestBeginIsALowerBound: nothing starts before earliestBeginDate.
func TestEarliestBeginIsALowerBound(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.open()
	r := procReq("proc")
	r.EarliestBegin = t0.Add(5 * time.Hour)
	require.NoError(t, e.m.Submit(r))
	e.dev.SetCharger(device.ChargerAC)
	require.NoError(t, e.eng.RunFor(day))
	require.Len(t, e.exec.started, 1)
	assert.False(t, e.exec.started[0].Started.Before(r.EarliestBegin))
	assert.Equal(t, r.EarliestBegin, e.exec.started[0].Eligible)
	assert.NotEmpty(t, gateDeferrals(e, "not_due"))
}

// TestContinuedProcessingQueues: one continued-processing task at a time; the
// next starts when the first completes; a swipe cancels queued ones.
func TestContinuedProcessingQueues(t *testing.T) {
	cfg := testConfig()
	cfg.Version = 26
	cfg.PermittedIdentifiers = append(cfg.PermittedIdentifiers, "app.export.*")
	cfg.LaunchHandlers = append(cfg.LaunchHandlers, "app.export.*")
	e := newEnv(t, 1, cfg, nil)
	e.exec.dur = 10 * time.Minute
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(TaskRequest{Identifier: "app.export.1", Kind: osscheduler.ContinuedProcessing, Title: "Export"}))
	require.NoError(t, e.m.Submit(TaskRequest{Identifier: "app.export.2", Kind: osscheduler.ContinuedProcessing, Title: "Export"}))
	require.NoError(t, e.eng.RunFor(time.Minute))
	require.Len(t, e.exec.started, 1, "runs at once")
	assert.Zero(t, e.exec.started[0].Budget, "no fixed budget")
	assert.NotEmpty(t, gateDeferrals(e, "queued"))
	require.NoError(t, e.eng.RunFor(15*time.Minute))
	require.Len(t, e.exec.started, 2, "the queued one starts after the first")
	require.NoError(t, e.m.Submit(TaskRequest{Identifier: "app.export.3", Kind: osscheduler.ContinuedProcessing}))
	e.dev.SwipeAwayApp()
	assert.Empty(t, e.m.Pending(), ".queue requests are cancelled when the app is swiped away")
}
