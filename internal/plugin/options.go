package plugin

import (
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
)

// Version selects a plugin profile.
type Version string

// Plugin versions: today's plugin and the API of the original documentation.
const (
	V0_10 Version = "0.10"
	V0_5  Version = "0.5"
)

// IOSBackgroundTask is Workmanager.iOSBackgroundTask, the name background
// fetch delivers to the dispatcher (workmanager_impl.dart).
const IOSBackgroundTask = "iOSPerformFetch"

// NetworkType mirrors the Dart enum; the values are its Pigeon indices.
type NetworkType int

// Network types (workmanager_platform_interface, enum index order).
const (
	NetworkConnected NetworkType = iota
	NetworkMetered
	NetworkNotRequired
	NetworkNotRoaming
	NetworkUnmetered
	NetworkTemporarilyUnmetered
)

// BackoffPolicy is the Dart enum. Its Pigeon indices (exponential 0,
// linear 1) are androidx.work.BackoffPolicy's, so it is that one type,
// declared once in osscheduler/android.
type BackoffPolicy = android.BackoffPolicy

// Backoff policies.
const (
	BackoffExponential = android.BackoffExponential
	BackoffLinear      = android.BackoffLinear
)

// ExistingWorkPolicy mirrors the Dart enum for one-off work.
type ExistingWorkPolicy int

// Existing work policies.
const (
	ExistingAppend ExistingWorkPolicy = iota
	ExistingKeep
	ExistingReplace
	ExistingUpdate
)

// ExistingPeriodicWorkPolicy mirrors the Dart enum for periodic work.
type ExistingPeriodicWorkPolicy int

// Existing periodic work policies.
const (
	PeriodicKeep ExistingPeriodicWorkPolicy = iota
	PeriodicReplace
	PeriodicUpdate
)

// OutOfQuotaPolicy is the Dart enum; its indices (runAsNonExpeditedWorkRequest
// 0, dropWorkRequest 1) are androidx.work.OutOfQuotaPolicy's, so it is that
// one type. NetworkType, ExistingWorkPolicy and ExistingPeriodicWorkPolicy
// stay Dart types of their own: their Dart order differs from androidx's
// (the wire carries the Dart index) and the plugin maps them (toAndroid…).
type OutOfQuotaPolicy = android.OutOfQuotaPolicy

// Out-of-quota policies.
const (
	RunAsNonExpeditedWorkRequest = android.RunAsNonExpedited
	DropWorkRequest              = android.DropWorkRequest
)

// ContentURITrigger mirrors the Dart class.
type ContentURITrigger struct {
	URI                   string
	TriggerForDescendants bool
}

// Constraints mirrors the Dart Constraints class. A nil *Constraints in an
// option struct means the Dart argument was null.
type Constraints struct {
	NetworkType           *NetworkType
	RequiresBatteryNotLow *bool
	RequiresCharging      *bool
	RequiresDeviceIdle    *bool
	RequiresStorageNotLow *bool
	ContentURITriggers    []ContentURITrigger
}

// ForegroundServiceConfig mirrors the Dart class.
type ForegroundServiceConfig struct {
	NotificationTitle       string
	NotificationText        string
	NotificationChannelID   string
	NotificationChannelName string
	NotificationID          int
	ForegroundServiceType   int // FGSDataSync 0, FGSShortService 1
}

// Foreground service types (the Dart ForegroundServiceType enum).
const (
	FGSDataSync     = 0
	FGSShortService = 1
)

// OneOffOptions are registerOneOffTask's named parameters. Pointers and nil
// slices are Dart nulls: the plugin's defaults apply.
type OneOffOptions struct {
	InputData               osscheduler.Data
	InitialDelay            *time.Duration
	Constraints             *Constraints
	ExistingWorkPolicy      *ExistingWorkPolicy
	BackoffPolicy           *BackoffPolicy
	BackoffPolicyDelay      *time.Duration
	Tag                     *string
	OutOfQuotaPolicy        *OutOfQuotaPolicy
	ForegroundServiceConfig *ForegroundServiceConfig
	Expedited               bool
}

// PeriodicOptions are registerPeriodicTask's named parameters.
type PeriodicOptions struct {
	Frequency               *time.Duration // null → 900 s
	FlexInterval            *time.Duration
	InputData               osscheduler.Data
	InitialDelay            *time.Duration
	Constraints             *Constraints
	ExistingWorkPolicy      *ExistingPeriodicWorkPolicy
	BackoffPolicy           *BackoffPolicy
	BackoffPolicyDelay      *time.Duration
	Tag                     *string
	ForegroundServiceConfig *ForegroundServiceConfig
	// OutOfQuotaPolicy existed on registerPeriodicTask in 0.5 only; WorkManager
	// rejects it ("PeriodicWorkRequests cannot be expedited"). 0.10 ignores it.
	OutOfQuotaPolicy *OutOfQuotaPolicy
}

// ProcessingOptions are registerProcessingTask's (and
// registerHealthResearchTask's) named parameters.
type ProcessingOptions struct {
	InitialDelay *time.Duration
	InputData    osscheduler.Data
	Constraints  *Constraints
}

// ContinuedProcessingOptions are registerContinuedProcessingTask's parameters.
type ContinuedProcessingOptions struct {
	Title     string
	Subtitle  string
	InputData osscheduler.Data
}

// WorkState mirrors the Dart WorkState enum.
type WorkState int

// Work states.
const (
	WorkScheduled WorkState = iota
	WorkRunning
	WorkSucceeded
	WorkFailed
	WorkCancelled
)

// WorkInfo mirrors the Dart WorkInfo class returned by getWorkInfo.
type WorkInfo struct {
	UniqueName     string
	State          WorkState
	IsPeriodic     bool
	TaskName       string
	Tags           []string
	LastFinishedAt *time.Time
}

// Ptr returns a pointer to v, for filling option structs.
func Ptr[T any](v T) *T { return &v }
