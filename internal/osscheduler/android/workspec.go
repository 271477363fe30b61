package android

import (
	"fmt"
	"math"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// never is Long.MAX_VALUE as a time: "no next run".
var never = time.Unix(1<<40, 0)

// state is androidx.work.WorkInfo.State.
type state uint8

const (
	stEnqueued state = iota
	stRunning
	stSucceeded
	stFailed
	stBlocked
	stCancelled
)

func (s state) finished() bool { return s == stSucceeded || s == stFailed || s == stCancelled }

func (s state) String() string { return string(s.task()) }

func (s state) task() osscheduler.TaskState {
	switch s {
	case stRunning:
		return osscheduler.StateRunning
	case stSucceeded:
		return osscheduler.StateSucceeded
	case stFailed:
		return osscheduler.StateFailed
	case stBlocked:
		return osscheduler.StateBlocked
	case stCancelled:
		return osscheduler.StateCancelled
	}
	return osscheduler.StateEnqueued
}

// workSpec is AX impl/model/WorkSpec.kt, plus the model's bookkeeping of the
// JobScheduler job that runs it.
type workSpec struct {
	id, name, task string
	seq            int
	tags           []string
	input          osscheduler.Data
	constraints    Constraints
	expedited      bool
	outOfQuota     OutOfQuotaPolicy

	interval, flex, initialDelay time.Duration // interval 0: one-time
	backoffPolicy                BackoffPolicy
	backoffDelay                 time.Duration

	state           state
	runAttemptCount int
	periodCount     int
	generation      int
	lastEnqueue     time.Time // zero: NOT_ENQUEUED (-1)
	override        time.Time // zero: no nextScheduleTimeOverride (Long.MAX_VALUE)
	overrideGen     int
	stopReason      osscheduler.StopReason
	lastFinished    time.Time
	deleted         bool // removed from the database by REPLACE / APPEND_OR_REPLACE

	prereqs, dependents []*workSpec

	job    job        // the JobScheduler side
	greedy greedyWork // GreedyScheduler's attempt data in the current process
}

func (w *workSpec) periodic() bool  { return w.interval != 0 }
func (w *workSpec) backedOff() bool { return w.state == stEnqueued && w.runAttemptCount > 0 }

func (w *workSpec) subject() string {
	if w.name != "" {
		return w.name
	}
	return w.id
}

func (w *workSpec) kind() osscheduler.Kind {
	if w.periodic() {
		return osscheduler.Periodic
	}
	return osscheduler.OneOff
}

// backoffFor is the WorkSpec backoff delay for n run attempts, uncapped:
// LINEAR d·n; EXPONENTIAL (long) Math.scalb((float) d, n−1), computed in
// float32 milliseconds as WorkSpec.kt does.
func backoffFor(p BackoffPolicy, d time.Duration, n int) time.Duration {
	ms := d.Milliseconds()
	if p == BackoffLinear {
		if n > 0 && ms > math.MaxInt64/int64(n) {
			return math.MaxInt64
		}
		return time.Duration(ms*int64(n)) * time.Millisecond
	}
	f := float64(float32(ms))
	v := math.Ldexp(f, n-1)
	if v >= float64(math.MaxInt64/int64(time.Millisecond)) {
		return math.MaxInt64
	}
	return time.Duration(int64(float32(v))) * time.Millisecond
}

// nextRunTime is WorkSpec.calculateNextRunTime (AX impl/model/WorkSpec.kt,
// companion): override, then backoff, then periodic, then one-time.
func (w *workSpec) nextRunTime() time.Time {
	if !w.override.IsZero() && w.periodic() {
		if w.periodCount == 0 {
			return w.override
		}
		return latest(w.override, w.lastEnqueue.Add(minPeriodicInterval))
	}
	if w.backedOff() {
		return w.lastEnqueue.Add(min(backoffFor(w.backoffPolicy, w.backoffDelay, w.runAttemptCount), maxBackoff))
	}
	if w.periodic() {
		var s time.Time
		if w.periodCount == 0 {
			s = w.lastEnqueue.Add(w.initialDelay)
		} else {
			s = w.lastEnqueue.Add(w.interval)
		}
		if w.flex != w.interval && w.periodCount == 0 {
			s = s.Add(w.interval - w.flex)
		}
		return s
	}
	if w.lastEnqueue.IsZero() {
		return never
	}
	return w.lastEnqueue.Add(w.initialDelay)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// clampNote is a warning WorkManager logs when it clamps a value.
type clampNote struct{ field, msg string }

// buildSpec is the request builders' validation and clamping
// (AX WorkRequest.kt, PeriodicWorkRequest.kt, OneTimeWorkRequest.kt).
func buildSpec(req WorkRequest, api int) (*workSpec, []clampNote, error) {
	var notes []clampNote
	if req.InitialDelay < 0 || req.Interval < 0 || req.Flex < 0 || req.BackoffDelay < 0 {
		return nil, nil, osscheduler.Errorf("invalid_argument", "durations must not be negative")
	}
	if nt := req.Constraints.RequiredNetwork; nt < NetworkNotRequired || nt > NetworkTemporarilyUnmetered {
		return nil, nil, osscheduler.Errorf("invalid_argument", "unknown network type %d", req.Constraints.RequiredNetwork)
	}
	w := &workSpec{
		task: req.TaskName, input: req.Input, constraints: req.Constraints,
		expedited: req.Expedited, outOfQuota: req.OutOfQuota, initialDelay: req.InitialDelay,
		backoffPolicy: req.BackoffPolicy, backoffDelay: defaultBackoff, stopReason: osscheduler.StopNotStopped,
	}
	w.tags = append([]string(nil), req.Tags...)
	w.constraints.ContentURITriggers = append([]ContentURITrigger(nil), req.Constraints.ContentURITriggers...)
	if req.BackoffPolicy != BackoffExponential && req.BackoffPolicy != BackoffLinear {
		return nil, nil, osscheduler.Errorf("invalid_argument", "unknown backoff policy %d", req.BackoffPolicy)
	}
	if req.BackoffDelay != 0 || req.BackoffSet {
		// WorkRequest.Builder.setBackoffCriteria → WorkSpec.setBackoffDelayDuration
		// (AX impl/model/WorkSpec.kt): "Backoff delay duration exceeds maximum
		// value" / "Backoff delay duration less than minimum value", so a delay
		// of 0 becomes MIN_BACKOFF_MILLIS (WorkSpecTest: 5000 → 10000).
		if api >= 23 && req.Constraints.RequiresDeviceIdle {
			return nil, nil, osscheduler.Errorf("invalid_argument", "Cannot set backoff criteria on an idle mode job")
		}
		d := req.BackoffDelay
		switch {
		case d > maxBackoff:
			notes = append(notes, clampNote{"backoff_delay", fmt.Sprintf("Backoff delay duration exceeds maximum value; changed %s to %s", d, maxBackoff)})
			d = maxBackoff
		case d < minBackoff:
			notes = append(notes, clampNote{"backoff_delay", fmt.Sprintf("Backoff delay duration less than minimum value; changed %s to %s", d, minBackoff)})
			d = minBackoff
		}
		w.backoffDelay = d
	}
	if req.Periodic {
		if req.Expedited {
			return nil, nil, osscheduler.Errorf("invalid_argument", "PeriodicWorkRequests cannot be expedited")
		}
		i := req.Interval
		if i < minPeriodicInterval {
			notes = append(notes, clampNote{"interval", fmt.Sprintf("Interval duration lesser than minimum allowed value; changed %s to %s", i, minPeriodicInterval)})
			i = minPeriodicInterval
		}
		f := req.Flex
		if f == 0 {
			f = i
		} else if f < minPeriodicFlex {
			notes = append(notes, clampNote{"flex", fmt.Sprintf("Flex duration lesser than minimum allowed value; changed %s to %s", f, minPeriodicFlex)})
			f = minPeriodicFlex
		} else if f > i {
			notes = append(notes, clampNote{"flex", fmt.Sprintf("Flex duration greater than interval duration; changed %s to %s", f, i)})
			f = i
		}
		w.interval, w.flex = i, f
	}
	if req.Expedited {
		c := req.Constraints
		if c.RequiresCharging || c.RequiresBatteryNotLow || c.RequiresDeviceIdle || len(c.ContentURITriggers) > 0 {
			return nil, nil, osscheduler.Errorf("invalid_argument", "Expedited jobs only support network and storage constraints")
		}
		if req.InitialDelay > 0 {
			return nil, nil, osscheduler.Errorf("invalid_argument", "Expedited jobs cannot be delayed")
		}
	}
	if req.InitialDelay > 100*365*24*time.Hour {
		return nil, nil, osscheduler.Errorf("invalid_argument", "The given initial delay is too large and will cause an overflow!")
	}
	return w, notes, nil
}

// --- WorkerWrapper transitions (AX impl/WorkerWrapper.kt) -----------------

// gate is WorkerWrapper's pre-run check: ok is false if the work must not run
// now; then due says when it may.
func (w *workSpec) gate(now time.Time) (ok bool, due time.Time) {
	if w.state != stEnqueued {
		return false, never
	}
	if w.periodic() || w.backedOff() {
		if n := w.nextRunTime(); now.Before(n) {
			return false, n
		}
	}
	return true, now
}

// setRunning is trySetRunning: ENQUEUED → RUNNING, runAttemptCount+1.
func (w *workSpec) setRunning() {
	w.state = stRunning
	w.runAttemptCount++
	w.stopReason = osscheduler.StopNotStopped
}

// resetPeriodic starts the next period from now.
func (w *workSpec) resetPeriodic(now time.Time, genAtStart int) {
	w.lastEnqueue = now
	w.state = stEnqueued
	w.runAttemptCount = 0
	if w.overrideGen == genAtStart {
		w.override = time.Time{}
	}
	w.periodCount++
}

// reschedule is Result.retry(): back to ENQUEUED with backoff from now.
func (w *workSpec) reschedule(now time.Time, genAtStart int) {
	w.state = stEnqueued
	w.lastEnqueue = now
	if w.overrideGen == genAtStart {
		w.override = time.Time{}
	}
	w.stopReason = osscheduler.StopNotStopped
}

// resetWorkerStatus is a system stop: ENQUEUED, stop reason kept,
// lastEnqueueTime and runAttemptCount unchanged.
func (w *workSpec) resetWorkerStatus(reason osscheduler.StopReason) {
	w.state = stEnqueued
	w.stopReason = reason
}
