package android

import (
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Job overrides set by the developer's test lever `adb shell cmd jobscheduler
// run [-f] PACKAGE JOB_ID` (FB job/JobSchedulerShellCommand.java runJob →
// JobSchedulerService.executeRunCommand; JobStatus.OVERRIDE_SOFT = 1 lets the
// job ignore its timing delay, OVERRIDE_FULL = 2 with -f all its constraints).
// WorkManager's own check still applies when the worker starts: periodic or
// backed-off work run before its next run time is skipped ("being executed
// before schedule").
const (
	overrideNone uint8 = iota
	overrideSoft
	overrideFull
)

// RunJob is `adb shell cmd jobscheduler run [-f]` for the job of every
// unfinished, scheduled work with the unique name. Without force the job
// runs only if its constraints (other than its timing delay) are met, else
// the command fails like JobScheduler's ("constraints not satisfied"). It
// reports an error with code "not_found" when no such job is scheduled.
func (m *Model) RunJob(unique string, force bool) error {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	now := m.eng.Now()
	found := false
	for _, w := range m.live(unique) {
		if w.state != stEnqueued || !w.job.scheduled || m.powerOff || m.forceStopped {
			continue
		}
		found = true
		if !force {
			st := m.st
			if b, _ := m.constraintBlock(w, &st, now); b != blockNone {
				if m.eng.Tracing() {
					m.eng.Emit(srcJS, event.RunJob, w.subject(), "cmd jobscheduler run: constraints not satisfied ("+blockNames[b]+"); use -f to force",
						sim.String("id", w.id))
				}
				return osscheduler.Errorf("constraints_not_satisfied", "job for %s: constraints not satisfied (%s); use force", unique, blockNames[b])
			}
			w.job.override = overrideSoft
		} else {
			w.job.override = overrideFull
		}
		w.job.block = blockNone
		if m.eng.Tracing() {
			kind := "cmd jobscheduler run"
			if force {
				kind += " -f: all constraints overridden"
			} else {
				kind += ": timing delay overridden"
			}
			m.eng.Emit(srcJS, event.RunJob, w.subject(), kind, sim.String("id", w.id))
		}
	}
	if !found {
		return osscheduler.Errorf("not_found", "no scheduled job for unique work %q", unique)
	}
	m.requestEval(now)
	return nil
}
