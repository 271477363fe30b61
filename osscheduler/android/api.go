package android

import (
	"time"

	"github.com/wmsim/wmsim/device"
	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/sim"
)

// Config selects the Android version and the policies the model applies.
type Config struct {
	API            int           // 23..36; 0 → 34
	StandbyBucket  string        // "auto" (from usage) | active | working_set | frequent | rare | restricted
	Doze           bool          // model Doze at all
	BatterySaver   bool          // Battery Saver on from the start
	OEM            string        // "aosp" | "aggressive" (swipe-away force-stops)
	StartLatency   time.Duration // upper bound of the seeded start latency; 0 → 5s
	ExecutionLimit time.Duration // JobScheduler guaranteed runtime; 0 → 10m
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
	ContentURITriggers                                                                 []string
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
	BackoffDelay  time.Duration // 0 → WorkRequest.DEFAULT_BACKOFF_DELAY_MILLIS (30 s)
	Tags          []string
	Input         osscheduler.Data
	Expedited     bool
	OutOfQuota    OutOfQuotaPolicy
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

// Model is one app's WorkManager on one Android device.
type Model struct {
	eng  *sim.Engine
	dev  *device.Device
	cfg  Config
	exec osscheduler.Executor
	j    *osscheduler.Journal
}

// New builds the model and subscribes it to the device.
func New(eng *sim.Engine, dev *device.Device, cfg Config, exec osscheduler.Executor, j *osscheduler.Journal) *Model {
	return &Model{eng: eng, dev: dev, cfg: cfg, exec: exec, j: j}
}

// EnqueueUniqueWork enqueues one-time work under a unique name with a policy.
func (m *Model) EnqueueUniqueWork(name string, policy ExistingWorkPolicy, req WorkRequest) (id string, err error) {
	return "", osscheduler.Errorf("unavailable", "not implemented yet")
}

// EnqueueUniquePeriodicWork enqueues periodic work under a unique name with a policy.
func (m *Model) EnqueueUniquePeriodicWork(name string, policy ExistingPeriodicWorkPolicy, req WorkRequest) (id string, err error) {
	return "", osscheduler.Errorf("unavailable", "not implemented yet")
}

// CancelUniqueWork cancels every unfinished work with the name.
func (m *Model) CancelUniqueWork(name string) {}

// CancelAllWorkByTag cancels every unfinished work with the tag.
func (m *Model) CancelAllWorkByTag(tag string) {}

// CancelAllWork cancels every unfinished work.
func (m *Model) CancelAllWork() {}

// WorkInfosForUniqueWork is WorkManager.getWorkInfosForUniqueWork.
func (m *Model) WorkInfosForUniqueWork(name string) []WorkInfo { return nil }

// Tasks returns every WorkSpec, in enqueue order.
func (m *Model) Tasks() []osscheduler.TaskInfo { return nil }

// SetStandbyBucket pins the app's standby bucket ("auto" returns to usage).
func (m *Model) SetStandbyBucket(bucket string) {}

// SetBatterySaver turns Battery Saver on or off.
func (m *Model) SetBatterySaver(on bool) {}

// Doze runs an adb-like Doze command: "force_idle", "step" or "unforce".
func (m *Model) Doze(cmd string) error { return nil }
