package ios

import (
	"slices"
	"time"

	"github.com/wmsim/wmsim/osscheduler"
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
// foreground, resubmitted at the start of each run, finishing in 5 s).
func measureUser(seed uint64, heuristics string, days, openDays int) userStats {
	cfg := testConfig()
	cfg.Heuristics = heuristics
	e := newEnv(nil, seed, cfg, nil)
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
