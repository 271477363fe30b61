package android

import (
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// contentState is ContentObserverController's JobInstance for one job: the
// content-trigger constraint of a work with content-URI triggers (API 24+).
// JobScheduler registers the observers when the job is scheduled, so a change
// before that is not seen; each new JobInfo (every run, every reschedule)
// starts unsatisfied.
type contentState struct {
	pending     bool      // mTriggerPending: a change arrived, the timers run
	done        bool      // the constraint is satisfied until the job runs
	first, last time.Time // first change since the constraint was last reset; latest change
	update, max time.Duration
}

// reset arms the constraint for a new job with c's delays
// (JobStatus.getTriggerContentUpdateDelay / getTriggerContentMaxDelay: a
// value not set → DEFAULT_TRIGGER_UPDATE_DELAY / DEFAULT_TRIGGER_MAX_DELAY,
// else at least MIN_TRIGGER_UPDATE_DELAY / MIN_TRIGGER_MAX_DELAY).
func (s *contentState) reset(c *Constraints) {
	*s = contentState{update: contentUpdateDelayDefault, max: contentMaxDelayDefault}
	if c.TriggerContentUpdateDelay > 0 {
		s.update = max(c.TriggerContentUpdateDelay, contentUpdateDelayMin)
	}
	if c.TriggerContentMaxDelay > 0 {
		s.max = max(c.TriggerContentMaxDelay, contentMaxDelayMin)
	}
}

// due is when the pending trigger fires: the update delay after the latest
// change (mExecuteRunner, re-posted on every change) or the max delay after
// the first (mTimeoutRunner, posted once), whichever is first.
func (s *contentState) due() time.Time {
	a, b := s.last.Add(s.update), s.first.Add(s.max)
	if b.Before(a) {
		return b
	}
	return a
}

// satisfied reports whether the constraint holds at now, and if not when
// it will (never: not until a change).
func (s *contentState) satisfied(now time.Time) (bool, time.Time) {
	if s.done {
		return true, now
	}
	if !s.pending {
		return false, never
	}
	if at := s.due(); now.Before(at) {
		return false, at
	}
	s.done, s.pending = true, false
	return true, now
}

// contentURIMatches is ContentService.ObserverNode.collectObservers for one
// registered observer: a change to changed notifies an observer of trigger
// when changed is the trigger's URI, or a descendant of it and the trigger
// has triggerForDescendants (FLAG_NOTIFY_FOR_DESCENDANTS), or an ancestor of
// it (a change to a URI notifies every observer registered below it).
func contentURIMatches(t ContentURITrigger, changed string) bool {
	tu, cu := strings.TrimSuffix(t.URI, "/"), strings.TrimSuffix(changed, "/")
	switch {
	case tu == cu:
		return true
	case strings.HasPrefix(cu, tu+"/"):
		return t.TriggerForDescendants
	case strings.HasPrefix(tu, cu+"/"):
		return true
	}
	return false
}

// ContentChanged is a change to content at uri (ContentResolver.notifyChange):
// every scheduled work with a content-URI trigger it matches starts or
// extends its trigger delay.
func (m *Model) ContentChanged(uri string) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	now := m.eng.Now()
	n := 0
	for _, w := range m.specs {
		if w.deleted || w.state != stEnqueued || !w.job.scheduled || !m.prof.contentTriggers || w.job.content.done {
			continue
		}
		hit := false
		for _, t := range w.constraints.ContentURITriggers {
			hit = hit || contentURIMatches(t, uri)
		}
		if !hit {
			continue
		}
		c := &w.job.content
		if !c.pending {
			c.pending, c.first = true, now
		}
		c.last = now
		n++
		if m.eng.Tracing() {
			m.eng.Emit(srcJS, event.ContentChange, w.subject(), "watched content changed: "+uri+"; trigger at "+m.at(c.due()),
				sim.String("id", w.id), sim.String("uri", uri))
		}
		m.requestEval(c.due())
	}
	if n == 0 && m.eng.Tracing() {
		m.eng.Emit(srcJS, event.ContentChange, "device", "content changed: "+uri+"; no scheduled work watches it", sim.String("uri", uri))
	}
	m.requestEval(now)
}
