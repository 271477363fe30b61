package android

import (
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Config selects the Android version and the policies the model applies.
type Config struct {
	API            int           // 23..37; 0 → 34
	Quota          QuotaSource   // "aosp" (default) | "docs": where the standby quota table comes from
	StandbyBucket  string        // "auto" (from usage) | active | working_set | frequent | rare | restricted
	Doze           bool          // model Doze at all
	BatterySaver   bool          // Battery Saver on from the start
	OEM            string        // a built-in OEM profile (OEMNames): aosp (default), pixel, samsung, xiaomi, …
	OEMProfile     *OEMProfile   // a profile of the user's own; overrides OEM
	StartLatency   time.Duration // upper bound of the seeded start latency; 0 → 5s
	ExecutionLimit time.Duration // JobScheduler guaranteed runtime; 0 → 10m
	// StopBackoff: a system stop leaves the job to JobScheduler, which
	// reschedules it with its failure backoff (3 system stops = 1 failure).
	// That is WorkManager before 2.9 (SystemJobService.onStopJob returns true).
	// From 2.9, Schedulers.registerRescheduling cancels the stopped work's job
	// and schedules a fresh JobInfo: no backoff accumulates (the default).
	StopBackoff bool // force the pre-2.9 behaviour whatever WorkManager says
	// WorkManager is the androidx.work release the app bundles ("" → the
	// newest the model knows): what GreedyScheduler does in-process
	// (greedyReleases in greedy.go).
	WorkManager string
	// NoGreedy: GreedyScheduler ignores the process that enqueues work, as
	// when Configuration.setDefaultProcessName names another process
	// (GreedyScheduler.schedule: "Ignoring schedule request in a secondary
	// process"); only JobScheduler runs work.
	NoGreedy bool
}

// DefaultConfig is API 34, bucket from usage, Doze on, AOSP behaviour.
func DefaultConfig() Config {
	return Config{API: 34, StandbyBucket: "auto", Doze: true, OEM: "aosp"}
}

// NetworkType is androidx.work.NetworkType.
type NetworkType int

// Network types, in androidx.work.NetworkType order.
const (
	NetworkNotRequired NetworkType = iota
	NetworkConnected
	NetworkUnmetered
	NetworkNotRoaming
	NetworkMetered
	NetworkTemporarilyUnmetered
)

// Constraints are androidx.work.Constraints.
type Constraints struct {
	RequiredNetwork                                                                    NetworkType
	RequiresCharging, RequiresBatteryNotLow, RequiresDeviceIdle, RequiresStorageNotLow bool
	ContentURITriggers                                                                 []ContentURITrigger
	// TriggerContentUpdateDelay and TriggerContentMaxDelay are
	// Constraints.contentTriggerUpdateDelayMillis / MaxDelayMillis; 0 (or
	// negative) → JobScheduler's defaults (10 s, 2 min).
	TriggerContentUpdateDelay, TriggerContentMaxDelay time.Duration
}

// ContentURITrigger is androidx.work.Constraints.ContentUriTrigger.
type ContentURITrigger struct {
	URI                   string
	TriggerForDescendants bool
}

// BackoffPolicy is androidx.work.BackoffPolicy.
type BackoffPolicy int

// Backoff policies.
const (
	BackoffExponential BackoffPolicy = iota
	BackoffLinear
)

// ExistingWorkPolicy is androidx.work.ExistingWorkPolicy.
type ExistingWorkPolicy int

// One-time unique-work policies.
const (
	Replace ExistingWorkPolicy = iota
	Keep
	Append
	AppendOrReplace
)

// ExistingPeriodicWorkPolicy is androidx.work.ExistingPeriodicWorkPolicy.
type ExistingPeriodicWorkPolicy int

// Periodic unique-work policies.
const (
	PeriodicReplace ExistingPeriodicWorkPolicy = iota
	PeriodicKeep
	PeriodicUpdate
	PeriodicCancelAndReenqueue
)

// OutOfQuotaPolicy is androidx.work.OutOfQuotaPolicy.
type OutOfQuotaPolicy int

// Out-of-quota policies for expedited work.
const (
	RunAsNonExpedited OutOfQuotaPolicy = iota
	DropWorkRequest
)

// WorkRequest is a OneTimeWorkRequest or PeriodicWorkRequest.
type WorkRequest struct {
	TaskName      string // the Dart task name (the plugin's DART_TASK input key), for reports
	Periodic      bool
	Interval      time.Duration // periodic only
	Flex          time.Duration // periodic only; 0 → Interval
	InitialDelay  time.Duration
	Constraints   Constraints
	BackoffPolicy BackoffPolicy
	BackoffDelay  time.Duration // used when BackoffSet, or when not zero; else WorkRequest.DEFAULT_BACKOFF_DELAY_MILLIS (30 s)
	// BackoffSet: setBackoffCriteria was called, so BackoffDelay is clamped
	// to [MIN_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS] even when it is 0.
	BackoffSet bool
	Tags       []string
	Input      osscheduler.Data
	Expedited  bool
	OutOfQuota OutOfQuotaPolicy
}

// WorkInfo is androidx.work.WorkInfo.
type WorkInfo struct {
	ID, UniqueName, TaskName string
	State                    osscheduler.TaskState
	Periodic                 bool
	Tags                     []string
	RunAttemptCount          int
	NextRunTime              time.Time
	StopReason               osscheduler.StopReason
	LastFinished             time.Time // zero if never
}

// EnqueueUniqueWork enqueues one-time work under a unique name with a policy
// (WorkManager.enqueueUniqueWork). It returns the id of the work inserted, or
// under KEEP of the existing work kept.
func (m *Model) EnqueueUniqueWork(name string, policy ExistingWorkPolicy, req WorkRequest) (id string, err error) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	if req.Periodic {
		return "", osscheduler.Errorf("invalid_argument", "enqueueUniqueWork takes a one-time request")
	}
	return m.enqueueUnique(name, policy, req)
}

// EnqueueUniquePeriodicWork enqueues periodic work under a unique name with a
// policy (WorkManager.enqueueUniquePeriodicWork). UPDATE on a chain or on
// one-time work is an error with code "unsupported".
func (m *Model) EnqueueUniquePeriodicWork(name string, policy ExistingPeriodicWorkPolicy, req WorkRequest) (id string, err error) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	if !req.Periodic {
		return "", osscheduler.Errorf("invalid_argument", "enqueueUniquePeriodicWork takes a periodic request")
	}
	return m.enqueuePeriodic(name, policy, req)
}

// CancelUniqueWork cancels every unfinished work with the name and its
// dependents; running workers are stopped with CANCELLED_BY_APP.
func (m *Model) CancelUniqueWork(name string) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	for _, w := range m.live(name) {
		m.cancel(w, "cancelUniqueWork")
	}
	m.requestEval(m.eng.Now())
}

// CancelAllWorkByTag cancels every unfinished work with the tag.
func (m *Model) CancelAllWorkByTag(tag string) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	for _, w := range m.specs {
		if w.deleted {
			continue
		}
		for _, t := range w.tags {
			if t == tag {
				m.cancel(w, "cancelAllWorkByTag "+tag)
				break
			}
		}
	}
	m.requestEval(m.eng.Now())
}

// CancelAllWork cancels every unfinished work.
func (m *Model) CancelAllWork() {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	for _, w := range m.specs {
		if !w.deleted {
			m.cancel(w, "cancelAllWork")
		}
	}
	m.requestEval(m.eng.Now())
}

// WorkInfosForUniqueWork is WorkManager.getWorkInfosForUniqueWork: the rows
// with the name, in enqueue order.
func (m *Model) WorkInfosForUniqueWork(name string) []WorkInfo {
	rows := m.live(name)
	out := make([]WorkInfo, len(rows))
	for i, w := range rows {
		out[i] = w.info()
	}
	return out
}

// Tasks returns every WorkSpec in the database, in enqueue order. Rows that
// REPLACE or APPEND_OR_REPLACE deleted are not in it (WorkManager deletes
// them); their cancellation is in the trace.
func (m *Model) Tasks() []osscheduler.TaskInfo {
	out := make([]osscheduler.TaskInfo, 0, len(m.specs))
	for _, w := range m.specs {
		if w.deleted {
			continue
		}
		out = append(out, osscheduler.TaskInfo{Unique: w.name, Task: w.task, Kind: w.kind(), State: w.state.task(), Tags: append([]string(nil), w.tags...)})
	}
	return out
}

// SetStandbyBucket pins the app's standby bucket (adb am set-standby-bucket);
// "auto" or "" returns to the bucket computed from usage. Unknown names are
// ignored (and traced); "restricted" below API 30 becomes "rare".
func (m *Model) SetStandbyBucket(bucket string) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	switch bucket {
	case "", "auto":
		m.sb.pinned = -1
	default:
		b, ok := bucketIndex(bucket)
		if !ok {
			if m.eng.Tracing() {
				m.eng.Emit(srcStdby, event.Ignored, bucket, "unknown standby bucket; want auto, active, working_set, frequent, rare or restricted")
			}
			return
		}
		if b == bucketRestricted && !m.prof.restrictedBucket {
			b = bucketRare
		}
		m.sb.pinned = b
	}
	m.standbyRefresh(m.eng.Now())
	m.requestEval(m.eng.Now())
}

// SetBatterySaver turns Battery Saver on or off.
func (m *Model) SetBatterySaver(on bool) {
	m.changes++ // a call from outside may change what a pass reads: see repeatPass
	if m.saver == on {
		return
	}
	m.saver = on
	if m.eng.Tracing() {
		m.eng.Emit(srcJS, event.BatterySaver, "device", map[bool]string{true: "Battery Saver on", false: "Battery Saver off"}[on])
	}
	if !m.powerOff {
		st := m.st
		m.doze.update(&st, "low_power")
		m.requestEval(m.eng.Now())
	}
}

// Doze runs an adb-like `dumpsys deviceidle` command: "force_idle" (go to deep
// IDLE now, ignoring screen and charger), "step" (advance one state) or
// "unforce" (return to following the device).
func (m *Model) Doze(cmd string) error {
	m.changes++ // see repeatPass
	return m.doze.command(cmd)
}
