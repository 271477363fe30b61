package android

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/sim"
)

// refQuota is QuotaController's accounting as the model kept it before it
// moved to virtual-time offsets: time.Time sessions and job starts, the same
// pruning, sums and bisections. TestQuotaOffsetsMatchTimes checks the
// offset arithmetic against it, operation for operation.
type refQuota struct {
	sessions    []refSession
	open        bool
	jobStarts   []time.Time
	closedTotal time.Duration
}

type refSession struct{ start, end time.Time }

func (r *refQuota) jobStarted(now time.Time) {
	r.prune(now)
	r.jobStarts = append(r.jobStarts, now)
	r.sessionOpen(now)
}

func (r *refQuota) sessionOpen(now time.Time) {
	if r.open {
		return
	}
	if n := len(r.sessions); n > 0 && sim.Sub(now, r.sessions[n-1].end) <= quotaSessionCoalesce {
		r.open = true
		return
	}
	r.sessions = append(r.sessions, refSession{now, now})
	r.open = true
}

func (r *refQuota) jobsIdle(now time.Time) {
	if !r.open {
		return
	}
	last := &r.sessions[len(r.sessions)-1]
	r.closedTotal -= sim.Sub(last.end, last.start)
	last.end = now
	r.closedTotal += sim.Sub(last.end, last.start)
	r.open = false
}

func (r *refQuota) prune(now time.Time) {
	cut := now.Add(-quotaMaxExecutionWindow)
	k := 0
	for k < len(r.sessions) && r.sessions[k].end.Before(cut) && !(r.open && k == len(r.sessions)-1) {
		k++
	}
	for i := 0; i < k; i++ {
		r.closedTotal -= sim.Sub(r.sessions[i].end, r.sessions[i].start)
	}
	r.sessions = r.sessions[k:]
	k = 0
	for k < len(r.jobStarts) && r.jobStarts[k].Before(cut) {
		k++
	}
	r.jobStarts = r.jobStarts[k:]
}

func (r *refQuota) sessionEnd(i int, now time.Time) time.Time {
	if r.open && i == len(r.sessions)-1 {
		return now
	}
	return r.sessions[i].end
}

func (r *refQuota) usedIn(w time.Duration, now time.Time) time.Duration {
	from := now.Add(-w)
	var used time.Duration
	for i := len(r.sessions) - 1; i >= 0; i-- {
		s, e := r.sessions[i].start, r.sessionEnd(i, now)
		if !e.After(from) {
			break
		}
		used += sim.Sub(e, latest(s, from))
	}
	return used
}

func (r *refQuota) used24h(now time.Time, limit time.Duration) time.Duration {
	total := r.closedTotal
	if r.open {
		total += sim.Sub(now, r.sessions[len(r.sessions)-1].start)
	}
	if total <= limit {
		return total
	}
	return r.usedIn(quotaMaxExecutionWindow, now)
}

func (r *refQuota) refillAt(w, limit time.Duration, now time.Time) time.Time {
	excess := r.usedIn(w, now) - limit
	if excess <= 0 {
		return now
	}
	from := now.Add(-w)
	for i := range r.sessions {
		s, e := latest(r.sessions[i].start, from), r.sessionEnd(i, now)
		if !e.After(from) {
			continue
		}
		if l := sim.Sub(e, s); l >= excess {
			return s.Add(excess).Add(w)
		} else {
			excess -= l
		}
	}
	return now.Add(w)
}

func refCountSince(ts []time.Time, from time.Time, lim int) (int, time.Time) {
	i := sort.Search(len(ts), func(k int) bool { return ts[k].After(from) })
	n := len(ts) - i
	if n >= lim && lim > 0 {
		return n, ts[i+n-lim]
	}
	return n, never
}

func (r *refQuota) check(q *quotaTable, b int, now time.Time) (quotaState, bool) {
	r.prune(now)
	qs := quotaState{bucket: b}
	win, allowed := q.window[b], q.allowed[b]
	if used := r.usedIn(win, now); used > allowed-quotaInQuotaBuffer {
		qs.limit, qs.used, qs.allow, qs.dur, qs.window = "execution time", int64(used), int64(allowed), true, win
		qs.refill = r.refillAt(win, allowed-quotaInQuotaBuffer, now)
		return qs, false
	}
	if used := r.used24h(now, quotaMaxExecution-quotaInQuotaBuffer); used > quotaMaxExecution-quotaInQuotaBuffer {
		qs.limit, qs.used, qs.allow, qs.dur, qs.window = "execution time per 24 h", int64(used), int64(quotaMaxExecution), true, quotaMaxExecutionWindow
		qs.refill = r.refillAt(quotaMaxExecutionWindow, quotaMaxExecution-quotaInQuotaBuffer, now)
		return qs, false
	}
	if n, at := refCountSince(r.jobStarts, now.Add(-win), q.jobs[b]); n >= q.jobs[b] {
		qs.limit, qs.used, qs.allow, qs.window, qs.refill = "jobs", int64(n), int64(q.jobs[b]), win, at.Add(win)
		return qs, false
	}
	wfrom := now.Add(-win)
	first := sort.Search(len(r.sessions), func(i int) bool { return r.sessionEnd(i, now).After(wfrom) })
	n := len(r.sessions) - first
	if lim := q.sessions[b]; n >= lim && !r.open {
		qs.limit, qs.used, qs.allow, qs.window = "sessions", int64(n), int64(lim), win
		qs.refill = r.sessionEnd(first+n-lim, now).Add(win)
		return qs, false
	}
	if n, at := refCountSince(r.jobStarts, now.Add(-quotaRateWindow), quotaRateJobs); n >= quotaRateJobs {
		qs.limit, qs.used, qs.allow, qs.window, qs.refill = "rate limit (jobs per minute)", int64(n), quotaRateJobs, quotaRateWindow, at.Add(quotaRateWindow)
		return qs, false
	}
	return qs, true
}

// The quota accounting on virtual-time offsets (standby.go) answers every
// question exactly as the time.Time accounting it replaced (refQuota): the
// same verdict, limit, usage and refill instant from quotaCheck, the same
// usage in every window and in 24 h, for random job starts and ends over
// days (bursts that hit the rate, job and session limits, long runs that
// use up the execution time), in every bucket, with both quota tables.
func TestQuotaOffsetsMatchTimes(t *testing.T) {
	limits := map[string]int{}
	for _, src := range []QuotaSource{QuotaAOSP, QuotaDocs} {
		for _, api := range []int{28, 31, 34} {
			for seed := uint64(1); seed <= 4; seed++ {
				name := fmt.Sprintf("%s API %d seed %d", src, api, seed)
				eng := sim.New(t0, seed)
				dev := device.New(eng, device.Config{Initial: device.DefaultState()})
				cfg := DefaultConfig()
				cfg.API, cfg.Quota = api, src
				m := New(eng, dev, cfg, nil, nil)
				require.True(t, m.quotaApplies(&m.st), "%s: on battery, in the background", name)
				q := &m.prof.quota
				var ref refQuota
				r := rand.New(rand.NewPCG(seed, 77))
				now := t0.Add(time.Hour)
				// The quota is asked at the engine's now, as in a run
				// (nowVT): the engine follows now (it has nothing to run).
				require.NoError(t, eng.RunUntil(now))
				blocked, checks := 0, 0
				compare := func(step int) {
					b := m.sb.current
					got, gotOK := m.quotaCheck(now)
					want, wantOK := ref.check(q, b, now)
					require.Equal(t, wantOK, gotOK, "%s step %d", name, step)
					require.Equal(t, want.limit, got.limit, "%s step %d", name, step)
					require.Equal(t, want.used, got.used, "%s step %d", name, step)
					require.Equal(t, want.allow, got.allow, "%s step %d", name, step)
					require.Equal(t, want.window, got.window, "%s step %d", name, step)
					require.True(t, want.refill.Equal(got.refill), "%s step %d: refill %v, want %v", name, step, got.refill, want.refill)
					require.Equal(t, sim.Sub(want.refill, t0), sim.Sub(got.refill, t0), "%s step %d", name, step)
					for _, w := range []time.Duration{quotaRateWindow, q.window[b], quotaMaxExecutionWindow} {
						require.Equal(t, ref.usedIn(w, now), m.usedIn(w, now), "%s step %d: used in %v", name, step, w)
					}
					for _, w := range []time.Duration{quotaRateWindow, q.window[b]} {
						for _, lim := range []int{1, 2, q.jobs[b]} {
							n, at := countSince(m.sb.jobStarts, m.vt(now)-int64(w), lim)
							wantN, wantAt := refCountSince(ref.jobStarts, now.Add(-w), lim)
							require.Equal(t, wantN, n, "%s step %d: jobs in %v", name, step, w)
							require.True(t, wantAt.Equal(m.countRefill(at, 0)), "%s step %d: jobs in %v", name, step, w)
						}
					}
					require.Equal(t, ref.used24h(now, quotaMaxExecution-time.Nanosecond), m.used24h(now, quotaMaxExecution-time.Nanosecond),
						"%s step %d: used in 24 h", name, step)
					require.Equal(t, ref.closedTotal, m.sb.closedTotal, "%s step %d", name, step)
					require.Equal(t, len(ref.sessions), len(m.sb.sessions), "%s step %d", name, step)
					require.Equal(t, len(ref.jobStarts), len(m.sb.jobStarts), "%s step %d", name, step)
					checks++
					if !gotOK {
						blocked++
						limits[got.limit]++
					}
				}
				for step := 0; step < 3000; step++ {
					// Mostly short gaps (bursts), sometimes hours, in whole
					// seconds or exactly a window, coalescing span or run
					// length, so that session ends and job starts fall on
					// window edges (where < and <= part).
					edges := []time.Duration{quotaRateWindow, quotaSessionCoalesce, q.window[m.sb.current],
						q.allowed[m.sb.current], quotaMaxExecutionWindow, quotaMaxExecutionWindow - q.window[m.sb.current]}
					switch r.IntN(10) {
					case 0:
						now = now.Add(time.Duration(r.IntN(6*3600)) * time.Second)
					case 1, 2:
						now = now.Add(time.Duration(r.IntN(10)) * time.Second)
					case 3, 4:
						now = now.Add(edges[r.IntN(len(edges))])
					default:
						now = now.Add(time.Duration(r.IntN(20*60)) * time.Second)
					}
					require.NoError(t, eng.RunUntil(now))
					switch r.IntN(4) {
					case 0:
						m.quotaJobStarted(now)
						ref.jobStarted(now)
					case 1:
						m.quotaJobsIdle(now)
						ref.jobsIdle(now)
					case 2:
						// A job that ends at once: counts, uses no time (the
						// job and rate limits).
						m.quotaJobStarted(now)
						ref.jobStarted(now)
						m.quotaJobsIdle(now)
						ref.jobsIdle(now)
					}
					if r.IntN(5) == 0 {
						m.sb.current = r.IntN(numBuckets)
					}
					compare(step)
					if r.IntN(40) == 0 {
						// A burst of jobs that end at once, a second apart:
						// the rate limit.
						for k := r.IntN(30); k >= 0; k-- {
							now = now.Add(time.Second)
							require.NoError(t, eng.RunUntil(now))
							m.quotaJobStarted(now)
							ref.jobStarted(now)
							m.quotaJobsIdle(now)
							ref.jobsIdle(now)
							compare(step)
						}
					}
				}
				require.Positive(t, blocked, "%s: some check hits a limit", name)
				require.Less(t, blocked, checks, "%s: some check passes", name)
			}
		}
	}
	for _, l := range []string{"execution time", "jobs", "sessions", "rate limit (jobs per minute)"} {
		require.Positive(t, limits[l], "some check hits the %s limit", l)
	}
	t.Logf("limits hit: %v", limits)
}
