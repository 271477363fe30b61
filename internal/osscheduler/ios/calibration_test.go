package ios

import (
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// userStats are the refresh runs of one simulated user.
type userStats struct {
	install  time.Time
	runs     []time.Time
	launches []time.Time
	before   int           // runs with a user launch in the following 60 min
	first    time.Duration // install → first refresh (-1: none)
}

// runsAfter counts runs on days [from, to) of the simulation.
func (s userStats) runsAfter(from, to int) int {
	n := 0
	for _, r := range s.runs {
		d := int(r.Sub(t0) / day)
		if d >= from && d < to {
			n++
		}
	}
	return n
}

// gaps are the times between consecutive runs.
func (s userStats) gaps() []time.Duration {
	var g []time.Duration
	for i := 1; i < len(s.runs); i++ {
		g = append(g, s.runs[i].Sub(s.runs[i-1]))
	}
	return g
}

// measureUser simulates days of a user who opens the app three times a day
// (08:00, 12:30, 19:00 ± 20 min) on days [0, openDays), charges it every
// night, and runs a workmanager-style periodic task (submitted in the
// foreground, resubmitted at the start of each run, finishing in 2 s).
func measureUser(seed uint64, heuristics string, days, openDays int) userStats {
	cfg := testConfig()
	cfg.Heuristics = heuristics
	e := newEnv(nil, seed, cfg, nil)
	e.exec.dur = 2 * time.Second // within every set's refresh budget (pessimistic: 5 s)
	submit := e.periodicApp()
	e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: openDays, charge: true, inForeground: submit}, days)
	_ = e.eng.RunFor(time.Duration(days) * day)
	st := userStats{launches: e.dev.Launches(), first: -1}
	if len(st.launches) > 0 {
		st.install = st.launches[0]
	}
	for _, x := range e.exec.startedOf(osscheduler.Periodic) {
		st.runs = append(st.runs, x.Started)
		i, _ := slices.BinarySearchFunc(st.launches, x.Started, func(a, b time.Time) int { return a.Compare(b) })
		if i < len(st.launches) && st.launches[i].Sub(x.Started) <= time.Hour {
			st.before++
		}
	}
	if len(st.runs) > 0 {
		st.first = st.runs[0].Sub(st.install)
	}
	return st
}

// figures are the calibration measurements MODEL.md reports.
type figures struct {
	firstP10, firstP50, firstP90 time.Duration // install → first refresh
	runsPerDay                   float64
	beforeLaunch                 float64 // share of runs with a user launch in the next 60 min
	gapsShort, gapsLong          float64 // share of gaps ≤ 60 min / ≥ 3 h
	shortGapMedian               time.Duration
	decay                        [10]float64 // runs/day on day k after the last open (k = 0 is the last day opened)
	procOnCharger                float64     // share of processing runs started plugged in
	procNights                   float64     // share of nights with a processing run
	fetchFirstP50                time.Duration
	fetchPerDay                  float64
}

const calibSeeds = 20

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return -1
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

// calibrate measures every figure for one heuristics set over calibSeeds
// seeded users of 30 days.
func calibrate(h string) figures {
	var f figures
	var firsts, gaps, shortGaps []time.Duration
	runs, before := 0, 0
	for s := uint64(1); s <= calibSeeds; s++ {
		st := measureUser(s, h, 30, 30)
		if st.first >= 0 {
			firsts = append(firsts, st.first)
		} else {
			firsts = append(firsts, 30*day)
		}
		gaps = append(gaps, st.gaps()...)
		runs += st.runsAfter(1, 30)
		before += st.before
		ab := measureUser(s, h, 24, 14)
		for k := range f.decay {
			f.decay[k] += float64(ab.runsAfter(13+k, 14+k)) / calibSeeds
		}
	}
	f.firstP10, f.firstP50, f.firstP90 = percentile(firsts, 0.1), percentile(firsts, 0.5), percentile(firsts, 0.9)
	f.runsPerDay = float64(runs) / (calibSeeds * 29)
	f.beforeLaunch = float64(before) / float64(max(runs, 1))
	var short, long int
	for _, g := range gaps {
		if g <= time.Hour {
			short++
			shortGaps = append(shortGaps, g)
		}
		if g >= 3*time.Hour {
			long++
		}
	}
	f.gapsShort = float64(short) / float64(max(len(gaps), 1))
	f.gapsLong = float64(long) / float64(max(len(gaps), 1))
	f.shortGapMedian = percentile(shortGaps, 0.5)
	f.procOnCharger, f.procNights = measureProcessing(h)
	f.fetchFirstP50, f.fetchPerDay = measureFetch(h)
	return f
}

// measureProcessing: a processing request (no power requirement asked)
// submitted at every open, 14 days, nightly charging 23:00–07:00, plus a
// daytime hour on a charger at a desk with the screen on.
func measureProcessing(h string) (onCharger, nights float64) {
	var total, plugged, withRun, allNights int
	for s := uint64(1); s <= calibSeeds; s++ {
		cfg := testConfig()
		cfg.Heuristics = h
		e := newEnv(nil, s, cfg, nil)
		e.exec.dur = 3 * time.Minute
		states := recordStartStates(e)
		submit := func() { _ = e.m.Submit(procReq("proc")) }
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 14, charge: true, inForeground: submit}, 14)
		_ = e.eng.RunFor(14 * day)
		nightHas := map[int]bool{}
		for i, x := range e.exec.started {
			if x.Kind != osscheduler.Processing {
				continue
			}
			total++
			if (*states)[i].Plugged() {
				plugged++
			}
			// night n is day n 23:00 → day n+1 07:00; the 14th night is cut short.
			if n := int(x.Started.Add(-7*time.Hour).Sub(t0) / day); n >= 0 && n < 13 {
				nightHas[n] = true
			}
		}
		withRun += len(nightHas)
		allNights += 13
	}
	return float64(plugged) / float64(max(total, 1)), float64(withRun) / float64(allNights)
}

// measureFetch: legacy fetch with backgroundFetchIntervalMinimum set once at
// install, a daily user, 30 days.
func measureFetch(h string) (first time.Duration, perDay float64) {
	var firsts []time.Duration
	runs := 0
	for s := uint64(1); s <= calibSeeds; s++ {
		cfg := fetchConfig()
		cfg.Heuristics = h
		e := newEnv(nil, s, cfg, nil)
		var install time.Time
		once := func() {
			if install.IsZero() {
				install = e.eng.Now()
				e.m.SetMinimumBackgroundFetchInterval(FetchMinimum)
			}
		}
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 30, charge: true, inForeground: once}, 30)
		_ = e.eng.RunFor(30 * day)
		fs := e.exec.startedOf(osscheduler.Fetch)
		if len(fs) > 0 {
			firsts = append(firsts, fs[0].Started.Sub(install))
		} else {
			firsts = append(firsts, 30*day)
		}
		for _, x := range fs {
			if x.Started.Sub(t0) >= day {
				runs++
			}
		}
	}
	return percentile(firsts, 0.5), float64(runs) / (calibSeeds * 29)
}

var printCalibration = flag.Bool("calibration.print", false, "print the MODEL.md calibration table")

func hours(d time.Duration) string { return fmt.Sprintf("%.1f h", d.Hours()) }

// TestCalibration asserts that the figures MODEL.md documents stay in their
// documented ranges. The ranges come from the community observations the
// model is calibrated against (MODEL.md, "Calibration").
func TestCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("calibration runs 100+ simulated months")
	}
	all := map[string]figures{}
	for _, h := range []string{HeuristicsOptimistic, HeuristicsTypical, HeuristicsPessimistic} {
		all[h] = calibrate(h)
	}
	if *printCalibration {
		for _, h := range []string{HeuristicsOptimistic, HeuristicsTypical, HeuristicsPessimistic} {
			f := all[h]
			fmt.Printf("| %s | first refresh p10/p50/p90 %s / %s / %s | runs/day %.1f | before launch %.0f %% | gaps ≤1 h %.0f %% (median %s), ≥3 h %.0f %% | decay %v | processing on charger %.0f %%, nights %.0f %% | fetch first p50 %s, %.1f/day |\n",
				h, hours(f.firstP10), hours(f.firstP50), hours(f.firstP90), f.runsPerDay, 100*f.beforeLaunch,
				100*f.gapsShort, f.shortGapMedian, 100*f.gapsLong, fmtDecay(f.decay), 100*f.procOnCharger, 100*f.procNights,
				hours(f.fetchFirstP50), f.fetchPerDay)
		}
	}
	typ, opt, pes := all[HeuristicsTypical], all[HeuristicsOptimistic], all[HeuristicsPessimistic]

	// First refresh "hours to > 24 h" after install (flutter_workmanager#196;
	// Apple: the gap "can be many hours").
	assert.GreaterOrEqual(t, typ.firstP50, 4*time.Hour)
	assert.LessOrEqual(t, typ.firstP50, 30*time.Hour)
	assert.GreaterOrEqual(t, pes.firstP50, 20*time.Hour, "pessimistic: about a day or more")
	assert.LessOrEqual(t, opt.firstP50, typ.firstP50)

	// "A few to tens of runs per day" for a daily user; "a 15-min minimum can
	// become only several times / day" (transistorsoft).
	assert.InDelta(t, 8, typ.runsPerDay, 5, "typical runs/day")
	assert.InDelta(t, 20, opt.runsPerDay, 12, "optimistic runs/day")
	assert.Less(t, pes.runsPerDay, 3.0, "pessimistic runs/day")
	assert.Greater(t, pes.runsPerDay, 0.2, "pessimistic runs/day")
	assert.Greater(t, opt.runsPerDay, typ.runsPerDay)
	assert.Greater(t, typ.runsPerDay, pes.runsPerDay)

	// Bursts 15–60 min apart, then multi-hour gaps (#196, react-native-background-fetch#466).
	assert.InDelta(t, 0.5, typ.gapsShort, 0.3, "share of gaps ≤ 1 h")
	assert.InDelta(t, 0.5, typ.gapsLong, 0.3, "share of gaps ≥ 3 h")
	assert.GreaterOrEqual(t, typ.shortGapMedian, 15*time.Minute)
	assert.LessOrEqual(t, typ.shortGapMedian, time.Hour)

	// Runs anticipate the user's launches (WWDC19-707: launch times follow use).
	assert.Greater(t, typ.beforeLaunch, 0.4)

	// Runs stop when the app is not opened daily (transistorsoft): typical and
	// pessimistic reach zero within a week, optimistic fades by day 9.
	for k := 7; k < 10; k++ {
		assert.Zero(t, typ.decay[k], "typical day %d after the last open", k)
		assert.Zero(t, pes.decay[k], "pessimistic day %d after the last open", k)
	}
	assert.Greater(t, typ.decay[1], 0.0, "the day after the last open still has runs")
	assert.Less(t, opt.decay[9], 0.1)

	// BGProcessing fires only when plugged in (#148, flutter_workmanager#336).
	for _, f := range all {
		assert.Equal(t, 1.0, f.procOnCharger)
	}
	assert.Greater(t, typ.procNights, 0.8, "most nights on the charger run the processing task")

	// Legacy fetch with the minimum interval for a daily user.
	assert.GreaterOrEqual(t, typ.fetchFirstP50, time.Hour)
	assert.LessOrEqual(t, typ.fetchFirstP50, 30*time.Hour)
	assert.Greater(t, typ.fetchPerDay, 1.0)
}

func fmtDecay(d [10]float64) string {
	s := ""
	for i, v := range d {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.1f", v)
	}
	return s
}
