// This file re-exports the model's types and constants that a test names
// when it calls the plugin's API, writes a Go task handler or reads the
// device: a test imports wmsimtest (and runner or report for the run's
// limits and trace records), never a package under internal/.

package wmsimtest

import (
	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
)

// The plugin's Dart API as Go types: the option structs of the register
// calls and what they contain, getWorkInfo's answer, and a Go task handler's
// context. Pointers and nil slices in the option structs are Dart nulls.
type (
	// TaskContext is what a Go task handler gets: the task name, input data,
	// attempt, the virtual clock, the device and the app's store.
	TaskContext = plugin.TaskContext
	// HandlerFunc is a Go task handler (Handler, Sim.Handle): true is
	// success, false asks for a retry, an error or a panic is a failure.
	HandlerFunc = plugin.Handler
	// OneOffOptions are registerOneOffTask's named parameters.
	OneOffOptions = plugin.OneOffOptions
	// PeriodicOptions are registerPeriodicTask's named parameters.
	PeriodicOptions = plugin.PeriodicOptions
	// ProcessingOptions are registerProcessingTask's (iOS) parameters.
	ProcessingOptions = plugin.ProcessingOptions
	// ContinuedProcessingOptions are registerContinuedProcessingTask's (iOS 26) parameters.
	ContinuedProcessingOptions = plugin.ContinuedProcessingOptions
	// Constraints mirrors the Dart Constraints class.
	Constraints = plugin.Constraints
	// ContentURITrigger mirrors the Dart class.
	ContentURITrigger = plugin.ContentURITrigger
	// ForegroundServiceConfig mirrors the Dart class.
	ForegroundServiceConfig = plugin.ForegroundServiceConfig
	// NetworkType is the Dart enum of Constraints.NetworkType.
	NetworkType = plugin.NetworkType
	// ExistingWorkPolicy is the Dart enum for one-off work.
	ExistingWorkPolicy = plugin.ExistingWorkPolicy
	// ExistingPeriodicWorkPolicy is the Dart enum for periodic work.
	ExistingPeriodicWorkPolicy = plugin.ExistingPeriodicWorkPolicy
	// BackoffPolicy is the Dart enum of the backoff policies.
	BackoffPolicy = plugin.BackoffPolicy
	// OutOfQuotaPolicy is the Dart enum of an expedited request's fallback.
	OutOfQuotaPolicy = plugin.OutOfQuotaPolicy
	// WorkInfo is getWorkInfo's answer.
	WorkInfo = plugin.WorkInfo
	// WorkState is WorkInfo.State, the Dart WorkState enum.
	WorkState = plugin.WorkState
	// Data is a task's input data: nil, bool, int64, float64, string, or
	// []any of those.
	Data = osscheduler.Data
	// DeviceState is a snapshot of the phone (TaskContext.Device, Device.State).
	DeviceState = device.State
	// Process is the app's process state (App.State).
	Process = device.Process
)

// Network types (workmanager_platform_interface, enum index order).
const (
	NetworkConnected            = plugin.NetworkConnected
	NetworkMetered              = plugin.NetworkMetered
	NetworkNotRequired          = plugin.NetworkNotRequired
	NetworkNotRoaming           = plugin.NetworkNotRoaming
	NetworkUnmetered            = plugin.NetworkUnmetered
	NetworkTemporarilyUnmetered = plugin.NetworkTemporarilyUnmetered
)

// Existing work policies for one-off and periodic work.
const (
	ExistingAppend  = plugin.ExistingAppend
	ExistingKeep    = plugin.ExistingKeep
	ExistingReplace = plugin.ExistingReplace
	ExistingUpdate  = plugin.ExistingUpdate

	PeriodicKeep    = plugin.PeriodicKeep
	PeriodicReplace = plugin.PeriodicReplace
	PeriodicUpdate  = plugin.PeriodicUpdate
)

// Backoff and out-of-quota policies.
const (
	BackoffExponential           = plugin.BackoffExponential
	BackoffLinear                = plugin.BackoffLinear
	RunAsNonExpeditedWorkRequest = plugin.RunAsNonExpeditedWorkRequest
	DropWorkRequest              = plugin.DropWorkRequest
)

// Work states (WorkInfo.State).
const (
	WorkScheduled = plugin.WorkScheduled
	WorkRunning   = plugin.WorkRunning
	WorkSucceeded = plugin.WorkSucceeded
	WorkFailed    = plugin.WorkFailed
	WorkCancelled = plugin.WorkCancelled
)

// App process states (App.State, DeviceState.App).
const (
	ProcessNotRunning   = device.ProcessNotRunning
	ProcessForeground   = device.ProcessForeground
	ProcessBackground   = device.ProcessBackground
	ProcessSuspended    = device.ProcessSuspended
	ProcessForceStopped = device.ProcessForceStopped
	ProcessSwipedAway   = device.ProcessSwipedAway
)

// Ptr returns a pointer to v, for filling the option structs' nullable
// fields: Frequency: wmsimtest.Ptr(time.Hour).
func Ptr[T any](v T) *T { return &v }
