package android

import (
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// A JobScheduler job that comes due while GreedyScheduler runs the same
// WorkSpec in the app's process. JobScheduler knows nothing of the in-process
// run: it starts the job as usual. AX impl/background/systemjob/
// SystemJobService.java onStartJob hands it to the Processor, whose startWork
// declines work it already runs (AX impl/Processor.java: "Work … is already
// enqueued for processing"; from 2.8 it adds the job's StartStopToken to the
// run's tokens), and onStartJob still returns true: "It is important that we
// return true, and hang on this onStartJob() request. The call to startWork()
// may no-op because the WorkRequest could have been picked up by the
// GreedyScheduler" (b/123211993). The job so holds a JobScheduler slot, and
// spends standby quota, until the in-process run ends: the Processor's
// execution listener SystemJobService.onExecuted then calls jobFinished.
// Should JobScheduler stop the job first (a lost constraint, quota, its
// execution limit), SystemJobService.onStopJob stops the work with the job's
// token, which the Processor accepts (Processor.stopWork: the token is among
// the run's; before 2.8, stopWork(workSpecId) stopped the run by id): the
// in-process run ends as a JobScheduler stop.

// heldPass is JobScheduler's pass over w, a scheduled job whose work runs
// in-process: it starts the job (held) when JobScheduler would start it.
// slots and cc are the pass's scheduler slots and concurrency counts; next
// is lowered to when something changes. It reports whether the job is staged
// (start latency pending).
func (m *Model) heldPass(w *workSpec, now time.Time, slots *int, cc *concurrencyCount, next *time.Time) bool {
	if w.state != stRunning || !w.job.inProcess || w.job.held || w.job.exec == nil {
		return false
	}
	*slots--
	if *slots < 0 {
		return false
	}
	if b, until := m.blocked(w, now); b != blockNone {
		// Held back as any job; the in-process run is what the app sees, so
		// the wait is not reported.
		w.job.startAt = time.Time{}
		if until.Before(*next) {
			*next = until
		}
		return false
	}
	if w.job.startAt.IsZero() {
		total, bgMax := m.concurrencyLimits(now)
		t := m.workTypeOf(w)
		if !cc.fits(total, bgMax, t) {
			if until := m.concurrencyRamp(now); until.Before(*next) {
				*next = until
			}
			return false
		}
		w.job.workType = t
		cc.add(t)
		w.job.startAt = now.Add(sim.Between(m.startLatencyRand(), 0, m.startLatency))
	}
	if now.Before(w.job.startAt) {
		if w.job.startAt.Before(*next) {
			*next = w.job.startAt
		}
		return true
	}
	m.startHeld(w, now)
	return false
}

// startHeld is JobScheduler starting w's job while its work runs in-process.
func (m *Model) startHeld(w *workSpec, now time.Time) {
	w.job.startAt = time.Time{}
	w.job.held = true
	w.job.override = overrideNone
	m.addRunning(w)
	if w.job.ej {
		w.job.ejStart = now
	} else {
		m.quotaJobStarted(now)
	}
	budget := m.budget(now)
	if w.job.heldH == nil {
		w.job.heldH = &heldTimeoutHandler{m: m, w: w}
	}
	w.job.heldH.x, w.job.heldH.budget = w.job.exec, budget
	if budget > 0 {
		w.job.heldTimeout = m.eng.After(budget, sim.PhaseOS, "android.held-timeout", w.job.heldH)
	}
	if m.eng.Tracing() {
		m.eng.Emit(srcJS, event.Skipped, w.subject(), m.whyNow(w)+"; the work already runs in the app's process: "+
			"SystemJobService's Processor declines it (\"already enqueued for processing\") and onStartJob returns true, "+
			"so the job holds a JobScheduler slot until the in-process run ends", sim.String("id", w.id),
			sim.Dur("limit", budget))
	}
}

// endHeld ends w's held job with its in-process run (SystemJobService
// .onExecuted → jobFinished).
func (m *Model) endHeld(w *workSpec) {
	if !w.job.held {
		return
	}
	w.job.held = false
	m.eng.Cancel(w.job.heldTimeout)
	m.removeRunning(w)
	if w.job.ej {
		m.ejEnded(w.job.ejStart, m.eng.Now())
	}
}

// stopHeld is JobScheduler stopping w's held job: onStopJob stops the
// in-process run too, which ends as a JobScheduler stop.
func (m *Model) stopHeld(w *workSpec, reason osscheduler.StopReason, why string) {
	m.eng.Cancel(w.job.heldTimeout)
	m.removeGreedyRunning(w)
	w.job.held = false
	w.job.inProcess = false // from here on the run is the job's, in m.running
	if why != "" {
		why += " (the job held for the in-process run: SystemJobService.onStopJob stops that run)"
	}
	m.stopRun(w, reason, why)
}

type heldTimeoutHandler struct {
	m      *Model
	w      *workSpec
	x      *osscheduler.Execution
	budget time.Duration
}

func (h *heldTimeoutHandler) Fire(*sim.Engine) {
	if !h.w.job.held || h.w.job.exec != h.x || h.x.Done() {
		return
	}
	why := ""
	if h.m.eng.Tracing() {
		why = "execution limit of " + h.budget.String() + " reached"
	}
	h.m.stopHeld(h.w, osscheduler.StopTimeout, why)
	h.m.requestEval(h.m.eng.Now())
}
