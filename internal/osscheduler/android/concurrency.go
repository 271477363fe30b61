package android

import (
	"strconv"
	"time"
)

// JobConcurrencyManager work types as they bear on one app (FB
// job/JobConcurrencyManager.java WORK_TYPE_TOP, WORK_TYPE_EJ, WORK_TYPE_BG).
const (
	workTypeBG uint8 = iota
	workTypeEJ
	workTypeTop
)

// workTypeOf is JobConcurrencyManager.getJobWorkTypes for the app's job: TOP
// while the app is on top, EJ for an expedited job, BG otherwise.
func (m *Model) workTypeOf(w *workSpec) uint8 {
	switch {
	case m.foreground():
		return workTypeTop
	case w.job.ej:
		return workTypeEJ
	}
	return workTypeBG
}

// concurrencyLimits is the WorkTypeConfig in effect: screen-on until
// DEFAULT_SCREEN_OFF_ADJUSTMENT_DELAY_MS after the screen goes off.
func (m *Model) concurrencyLimits(now time.Time) (total, bg int) {
	c := concurrencyFor(m.prof.api)
	if m.screenOffEffective(now) {
		return c.totalOff, c.bgOff
	}
	return c.totalOn, c.bgOn
}

func (m *Model) screenOffEffective(now time.Time) bool {
	return !m.st.ScreenOn && !m.screenOffAt.IsZero() && !now.Before(m.screenOffAt.Add(screenOffAdjustmentDelay))
}

// concurrencyRamp is when a job waiting for a slot is looked at again
// without a job ending: when the screen-off limits take over, if that is
// ahead and raises them.
func (m *Model) concurrencyRamp(now time.Time) time.Time {
	if m.st.ScreenOn || m.screenOffAt.IsZero() || m.screenOffEffective(now) {
		return never
	}
	return m.screenOffAt.Add(screenOffAdjustmentDelay)
}

// concurrencyCount is the app's running and staged jobs by work type.
type concurrencyCount struct{ all, bg int }

func (c *concurrencyCount) add(t uint8) {
	c.all++
	if t == workTypeBG {
		c.bg++
	}
}

// fits is WorkCountTracker.canJobStart for one app: a slot under the total
// and, for BG, under the BG maximum.
func (c concurrencyCount) fits(total, bg int, t uint8) bool {
	if c.all >= total {
		return false
	}
	return t != workTypeBG || c.bg < bg
}

// concurrencyCounts counts running jobs and those already staged (start
// drawn, not yet started).
func (m *Model) concurrencyCounts() concurrencyCount {
	var c concurrencyCount
	for _, w := range m.running {
		if w != nil {
			c.add(w.job.workType)
		}
	}
	for _, w := range m.specs {
		staged := w.state == stEnqueued || (w.state == stRunning && w.job.inProcess && !w.job.held) // declined.go
		if staged && w.job.scheduled && !w.deleted && !w.job.startAt.IsZero() {
			c.add(w.job.workType)
		}
	}
	return c
}

func (m *Model) concurrencyText(w *workSpec, now time.Time) string {
	total, bg := m.concurrencyLimits(now)
	screen := "screen on"
	switch {
	case m.screenOffEffective(now):
		screen = "screen off"
	case !m.st.ScreenOn:
		screen = "screen off under " + screenOffAdjustmentDelay.String() + ": screen-on limits"
	}
	if m.workTypeOf(w) == workTypeBG {
		return "JobScheduler concurrency: at most " + strconv.Itoa(bg) + " background jobs run at once (" + screen +
			", JobConcurrencyManager WORK_TYPE_BG); waits for a slot"
	}
	return "JobScheduler concurrency: at most " + strconv.Itoa(total) + " jobs run at once (" + screen + "); waits for a slot"
}
