package android

import "time"

// FlexibilityController (API 34+): FB job/controllers/FlexibilityController.java
// adds a "flexible" constraint to most jobs: a job must also wait for a
// number of the flexible constraints (charging, battery not low, device idle,
// and an unmetered-capable network for jobs with a network request) that it
// did not ask for, and that number drops as the job ages through its
// lifecycle (from its earliest run time to its deadline, or a fallback
// deadline when it has none), reaching 0 at the end.
//
// Every AOSP release ships it switched off: API 34 FcConfig
// DEFAULT_FLEXIBILITY_ENABLED = false (key fc_enable_flexibility); API 35+
// FcConfig DEFAULT_APPLIED_CONSTRAINTS = 0 (key fc_applied_constraints;
// mFlexibilityEnabled = (mAppliedConstraints & mSupportedFlexConstraints) != 0).
// Only a DeviceConfig push (adb shell device_config put jobscheduler …) turns
// it on; whether Google's servers push one to shipped phones is not public.
// The model therefore applies no flexibility constraint on any API level
// (flexFor(api).enabledByDefault is false); the tables below record what
// each release would do when enabled, and rule_flexibility.txt checks them
// against FlexibilityControllerTest. An enabled variant as a scenario option
// is not offered.

// flexConstraint is a set of JobStatus CONSTRAINT_* bits FlexibilityController
// handles.
type flexConstraint uint8

// Flexible constraints (JobStatus.CONSTRAINT_CHARGING, CONSTRAINT_BATTERY_NOT_LOW,
// CONSTRAINT_IDLE: SYSTEM_WIDE_FLEXIBLE_CONSTRAINTS; CONSTRAINT_CONNECTIVITY:
// JOB_SPECIFIC_FLEXIBLE_CONSTRAINTS).
const (
	flexCharging flexConstraint = 1 << iota
	flexBatteryNotLow
	flexIdle
	flexConnectivity

	flexSystemWide = flexCharging | flexBatteryNotLow | flexIdle
	flexAll        = flexSystemWide | flexConnectivity // FLEXIBLE_CONSTRAINTS
)

func (c flexConstraint) count() int {
	n := 0
	for ; c != 0; c &= c - 1 {
		n++
	}
	return n
}

// jobPriority is JobInfo.PRIORITY_MIN (100) … PRIORITY_MAX (500), as an index.
type jobPriority int

// Job priorities. WorkManager leaves JobInfo's default, PRIORITY_DEFAULT.
const (
	priorityMin jobPriority = iota
	priorityLow
	priorityDefault
	priorityHigh
	priorityMax
	numPriorities
)

var priorityNames = [numPriorities]string{"min", "low", "default", "high", "max"}

// flexPolicy is one release's FlexibilityController configuration.
type flexPolicy struct {
	// enabledByDefault: the policy applies without a DeviceConfig push.
	enabledByDefault bool
	// percents[p][i]: at this percent of the lifecycle, i+1 constraints
	// are dropped (DEFAULT_PERCENT(S)_TO_DROP_FLEXIBLE_CONSTRAINTS).
	percents [numPriorities][4]int
	// fallback[p]: lifecycle length of a job without a deadline, before the
	// score addition (DEFAULT_FALLBACK_FLEXIBILITY_DEADLINE(S)).
	fallback [numPriorities]time.Duration
	// fallbackCap bounds fallback + score addition (3 ×
	// DEFAULT_FALLBACK_FLEXIBILITY_DEADLINE_MS); 0: no score addition.
	fallbackCap time.Duration
	// score[p] is what a started job of priority p adds to its app's score
	// over 24 h; scoreTime[p] the fallback time added per score point.
	score     [numPriorities]int
	scoreTime [numPriorities]time.Duration
	// deadlineOverridesFallback: a job with a deadline ends its lifecycle at
	// max(fallback end, deadline) rather than at the deadline.
	deadlineOverridesFallback bool
	// proximity: within this of the lifecycle end every constraint is
	// dropped (DEFAULT_DEADLINE_PROXIMITY_LIMIT_MS).
	proximity time.Duration
	// rescheduled, maxRescheduled: a job with n ≥ 2 previous attempts has a
	// lifecycle of min(rescheduled × 2^(n-2), maxRescheduled)
	// (DEFAULT_RESCHEDULED_JOB_DEADLINE_MS, DEFAULT_MAX_RESCHEDULED_DEADLINE_MS).
	rescheduled, maxRescheduled time.Duration
	// minWindow: a job whose deadline is less than this after its earliest
	// run time gets no flexible constraint (JobStatus
	// MIN_WINDOW_FOR_FLEXIBILITY_MS); 0: no such exemption.
	minWindow time.Duration
	// onceRescheduledExempt: a job with exactly one previous attempt
	// (failure or system stop) gets no flexible constraint.
	onceRescheduledExempt bool
	// unseenGrace: DEFAULT_UNSEEN_CONSTRAINT_GRACE_PERIOD_MS; 0: no such rule.
	unseenGrace time.Duration
}

// flexByAPI rows (API 34+; below 34 there is no FlexibilityController).
var flexByAPI = []struct {
	from int
	v    flexPolicy
}{
	// API 34 (U): FcConfig DEFAULT_FLEXIBILITY_ENABLED = false;
	// DEFAULT_PERCENT_TO_DROP_FLEXIBLE_CONSTRAINTS = {50, 60, 70, 80} for
	// every job; DEFAULT_FALLBACK_FLEXIBILITY_DEADLINE_MS = 72 h;
	// DEFAULT_DEADLINE_PROXIMITY_LIMIT_MS = 15 min;
	// DEFAULT_RESCHEDULED_JOB_DEADLINE_MS = 1 h;
	// DEFAULT_MAX_RESCHEDULED_DEADLINE_MS = 5 days; getLifeCycleEndElapsedLocked
	// returns the deadline when the job has one. JobStatus
	// MIN_WINDOW_FOR_FLEXIBILITY_MS = 1 h. Read in the AOSP source of the
	// fc_enable_flexibility era and in a decompiled Android 14 services.jar
	// (same values).
	{34, flexPolicy{
		percents:       [numPriorities][4]int{{50, 60, 70, 80}, {50, 60, 70, 80}, {50, 60, 70, 80}, {50, 60, 70, 80}, {50, 60, 70, 80}},
		fallback:       [numPriorities]time.Duration{72 * time.Hour, 72 * time.Hour, 72 * time.Hour, 72 * time.Hour, 72 * time.Hour},
		proximity:      15 * time.Minute,
		rescheduled:    time.Hour,
		maxRescheduled: 5 * 24 * time.Hour,
		minWindow:      time.Hour,
	}},
	// API 35+ (V, B): FcConfig DEFAULT_APPLIED_CONSTRAINTS = 0;
	// DEFAULT_PERCENTS_TO_DROP_FLEXIBLE_CONSTRAINTS by priority MAX {1, 2, 3,
	// 4}, HIGH {33, 50, 60, 75}, DEFAULT {50, 60, 70, 80}, LOW {50, 60, 70,
	// 80}, MIN {55, 65, 75, 85}; DEFAULT_FALLBACK_FLEXIBILITY_DEADLINES MAX
	// 1 h, HIGH 6 h, DEFAULT 12 h, LOW 24 h, MIN 48 h, plus
	// DEFAULT_FALLBACK_FLEXIBILITY_DEADLINE_ADDITIONAL_SCORE_TIME_FACTORS (MAX
	// 0, HIGH 3 min, DEFAULT 2 min, LOW 1 min, MIN 1 min) × the app's score
	// (DEFAULT_FALLBACK_FLEXIBILITY_DEADLINE_SCORES MAX 5 … MIN 1 per job
	// started in the last 24 h, TOP-app jobs excluded), capped at 3 ×
	// DEFAULT_FALLBACK_FLEXIBILITY_DEADLINE_MS (24 h); the lifecycle of a job
	// with a deadline ends at max(fallback end, deadline) (the later source
	// and its testGetLifeCycleEndElapsedLocked_ScoreAddition; one earlier
	// version of the same era ended it at the deadline itself);
	// DEFAULT_MAX_RESCHEDULED_DEADLINE_MS = 1 day;
	// DEFAULT_UNSEEN_CONSTRAINT_GRACE_PERIOD_MS = 3 days; JobStatus drops the
	// minimum-window exemption and exempts jobs rescheduled exactly once.
	// The stored history could not tell the android15 and android16 release
	// branches apart: both are taken to carry these values (the later
	// additions between them, exemptions for power-allowlisted,
	// BFGS and carrier-privileged apps, do not concern a WorkManager app at
	// PRIORITY_DEFAULT). API 37: no Android 17 source of it was available; kept.
	{35, flexPolicy{
		percents: [numPriorities][4]int{
			priorityMin: {55, 65, 75, 85}, priorityLow: {50, 60, 70, 80}, priorityDefault: {50, 60, 70, 80},
			priorityHigh: {33, 50, 60, 75}, priorityMax: {1, 2, 3, 4}},
		fallback: [numPriorities]time.Duration{
			priorityMin: 48 * time.Hour, priorityLow: 24 * time.Hour, priorityDefault: 12 * time.Hour,
			priorityHigh: 6 * time.Hour, priorityMax: time.Hour},
		fallbackCap: 3 * 24 * time.Hour,
		score:       [numPriorities]int{priorityMin: 1, priorityLow: 2, priorityDefault: 3, priorityHigh: 4, priorityMax: 5},
		scoreTime: [numPriorities]time.Duration{
			priorityMin: time.Minute, priorityLow: time.Minute, priorityDefault: 2 * time.Minute,
			priorityHigh: 3 * time.Minute, priorityMax: 0},
		deadlineOverridesFallback: true,
		proximity:                 15 * time.Minute,
		rescheduled:               time.Hour,
		maxRescheduled:            24 * time.Hour,
		onceRescheduledExempt:     true,
		unseenGrace:               3 * 24 * time.Hour,
	}},
}

// flexFor is the FlexibilityController row for an API level; ok is false
// below API 34.
func flexFor(api int) (flexPolicy, bool) {
	if api < flexByAPI[0].from {
		return flexPolicy{}, false
	}
	v := flexByAPI[0].v
	for _, r := range flexByAPI {
		if r.from <= api {
			v = r.v
		}
	}
	return v, true
}

// flexJob is what FlexibilityController reads from a JobStatus.
type flexJob struct {
	priority                 jobPriority
	expedited, userInitiated bool
	// required: the flexible constraints the job itself requires.
	required flexConstraint
	// network: the job has a network request without transport types
	// (JobStatus.canApplyTransportAffinities), as WorkManager's are.
	network bool
	// enqueue, earliest, deadline: elapsed times; earliest zero: none
	// (NO_EARLIEST_RUNTIME); deadline zero: none (NO_LATEST_RUNTIME).
	enqueue, earliest, deadline time.Duration
	// attempts is numFailures + numSystemStops.
	attempts int
}

// hasFlexConstraint is whether JobStatus adds CONSTRAINT_FLEXIBLE to the
// job: not for expedited or user-initiated jobs, nor for a job that already
// requires every flexible constraint it could be given; V+ also not for a
// job rescheduled exactly once; U also not for a job whose window (deadline
// minus earliest run time) is shorter than MIN_WINDOW_FOR_FLEXIBILITY_MS.
func (p *flexPolicy) hasFlexConstraint(j *flexJob) bool {
	if j.expedited || j.userInitiated {
		return false
	}
	if p.onceRescheduledExempt && j.attempts == 1 {
		return false
	}
	if p.minWindow > 0 && j.deadline != 0 && j.deadline-j.earliest < p.minWindow {
		return false
	}
	lacks := flexSystemWide&^j.required != 0 || j.network
	return lacks
}

// applied is the number of flexible constraints the job must meet at the
// start of its lifecycle (getRelevantAppliedConstraintsLocked with the
// enabled variant's FLEXIBLE_CONSTRAINTS: the three system-wide ones, plus
// connectivity for a job with a network request).
func (p *flexPolicy) applied(j *flexJob) int {
	c := flexSystemWide
	if j.network {
		c |= flexConnectivity
	}
	return c.count()
}

// lifecycleStart is getLifeCycleBeginningElapsedLocked for a job that is not
// periodic nor prefetch: its earliest run time, or its enqueue time.
func (p *flexPolicy) lifecycleStart(j *flexJob) time.Duration {
	if j.earliest == 0 {
		return j.enqueue
	}
	return j.earliest
}

// lifecycleEnd is getLifeCycleEndElapsedLocked (no prefetch): a rescheduled
// job's doubling deadline, else the deadline and/or the fallback deadline.
func (p *flexPolicy) lifecycleEnd(j *flexJob, start time.Duration, score int) time.Duration {
	if j.attempts > 1 {
		d := p.rescheduled << (j.attempts - 2)
		if j.attempts-2 > 40 || d > p.maxRescheduled || d <= 0 {
			d = p.maxRescheduled
		}
		return start + d
	}
	fb := p.fallback[j.priority]
	if p.fallbackCap > 0 {
		fb = min(p.fallbackCap, fb+p.scoreTime[j.priority]*time.Duration(score))
	}
	end := start + fb
	switch {
	case j.deadline == 0:
		return end
	case p.deadlineOverridesFallback:
		return max(end, j.deadline)
	}
	return j.deadline
}

// percentAt is getCurPercentOfLifecycleLocked: integer percent of the
// lifecycle elapsed at now, 0 before it starts, 100 after it ends.
func percentAt(start, end, now time.Duration) int {
	if now <= start {
		return 0
	}
	if now > end || end == start {
		return 100
	}
	return int(int64(now-start) * 100 / int64(end-start))
}

// dropped is FlexibilityTracker.calculateNumDroppedConstraints: how many of
// the applied constraints are dropped at percent, for priority.
func (p *flexPolicy) dropped(prio jobPriority, applied, percent int) int {
	n := 0
	for i := 0; i < applied && i < len(p.percents[prio]); i++ {
		if percent >= p.percents[prio][i] {
			n++
		}
	}
	return n
}

// nextDrop is getNextConstraintDropTimeElapsedLocked: the time the
// (dropped+1)-th applied constraint is dropped. ok is false when every
// applied constraint is already dropped. (FlexibilityAlarmQueue moves an
// alarm that falls within the proximity limit of the end to end −
// proximity; requiredAt applies that limit.)
func (p *flexPolicy) nextDrop(prio jobPriority, start, end time.Duration, dropped, applied int) (time.Duration, bool) {
	if dropped >= applied || dropped >= len(p.percents[prio]) {
		return 0, false
	}
	return start + (end-start)*time.Duration(p.percents[prio][dropped])/100, true
}

// requiredAt is the number of flexible constraints the job still needs at
// now: applied minus dropped, 0 within the proximity limit of the end.
func (p *flexPolicy) requiredAt(j *flexJob, score int, now time.Duration) int {
	if !p.hasFlexConstraint(j) {
		return 0
	}
	start := p.lifecycleStart(j)
	end := p.lifecycleEnd(j, start, score)
	applied := p.applied(j)
	if end-now < p.proximity {
		return 0
	}
	return applied - p.dropped(j.priority, applied, percentAt(start, end, now))
}
