package android

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/sim"
)

// budgetByFormula is budget's quota case computed in full: the time left in
// the bucket's window and in the 24-hour limit, kept between the 10-minute
// guarantee and RUNTIME_FREE_QUOTA_MAX_LIMIT (QuotaController
// getMaxJobExecutionTimeMsLocked), with every session added up.
func budgetByFormula(m *Model, now time.Time) time.Duration {
	q := &m.prof.quota
	b := m.sb.current
	left := min(q.allowed[b]-m.usedIn(q.window[b], now), quotaMaxExecution-m.used24h(now, quotaMaxExecution-time.Nanosecond))
	return max(defaultExecutionLimit, min(runtimeFreeQuotaMax, left))
}

// budget does not add up the sessions when the bucket's allowance cannot
// exceed the 10-minute guarantee; the answer must be the full formula's for
// every API level with free-quota runtime, both quota tables, every bucket
// and histories from none to over the 24-hour limit.
func TestBudgetShortcutIsTheFormula(t *testing.T) {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	at := func(d time.Duration) int64 { return int64(d) } // sessions are ns since the start
	histories := map[string][]session{
		"none":  nil,
		"short": {{at(time.Hour), at(time.Hour + 3*time.Minute)}},
		"full window": {
			{at(2 * time.Hour), at(2*time.Hour + 9*time.Minute)},
			{at(3 * time.Hour), at(3*time.Hour + 8*time.Minute)},
		},
		"over 24 h": func() []session {
			var s []session
			for i := range 20 {
				from := at(time.Duration(i) * time.Hour)
				s = append(s, session{from, from + at(15*time.Minute)})
			}
			return s
		}(),
	}
	shortcuts := 0
	for api := 31; api <= 37; api++ {
		for _, src := range []QuotaSource{QuotaAOSP, QuotaDocs} {
			for name, h := range histories {
				for b := range numBuckets {
					t.Run(fmt.Sprintf("api%d/%s/%s/bucket%d", api, src, name, b), func(t *testing.T) {
						eng := sim.New(start, 1)
						dev := device.New(eng, device.Config{Initial: device.DefaultState()})
						cfg := DefaultConfig()
						cfg.API, cfg.Quota = api, src
						m := New(eng, dev, cfg, &fakeExec{eng: eng}, nil)
						m.sb.current = b
						m.sb.sessions = append([]session(nil), h...)
						m.sb.closedTotal = 0
						for _, s := range h {
							m.sb.closedTotal += time.Duration(s.end - s.start)
						}
						now := start.Add(21 * time.Hour)
						st := m.st
						if !m.quotaApplies(&st) {
							t.Skip("quota does not apply")
						}
						if m.prof.quota.allowed[b] <= defaultExecutionLimit {
							shortcuts++
						}
						assert.Equal(t, budgetByFormula(m, now), m.budget(now))
					})
				}
			}
		}
	}
	assert.Positive(t, shortcuts, "no case took the shortcut")
}
