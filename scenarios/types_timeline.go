// The Go types of the timeline: steps, their times and actions.

package scenarios

import (
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Pos is a position in the scenario file (1-based).
type Pos struct {
	Line, Column int
}

// Step is one timeline entry: when, and exactly one action.
type Step struct {
	// At is an offset from start or a daily clock time.
	At At `json:"at" jsonschema:"required"`
	// Every repeats the step with this period (> 0, at least 1s).
	Every time.Duration `json:"every,omitempty"`

	// Call is a Dart method of the plugin; Args its named parameters.
	Call Method `json:"call,omitempty"`
	Args *Args  `json:"args,omitempty"`
	// Channel is a raw platform-channel message.
	Channel *Channel `json:"channel,omitempty"`
	// Device changes the device (any subset of the device block).
	Device *Device `json:"device,omitempty"`
	// Reboot reboots the device.
	Reboot *Reboot `json:"reboot,omitempty"`
	// App is an app lifecycle event.
	App *AppEvent `json:"app,omitempty"`
	// OS changes an OS setting or steps Doze.
	OS *OSChange `json:"os,omitempty"`
	// Platform limits the step to android or ios (format v1.1).
	Platform Platform `json:"platform,omitempty"`
	// ContentChange: content at a URI changed (Android content-URI triggers).
	ContentChange *ContentChange `json:"content_change,omitempty"`

	// Pos is where the step starts in the file (not part of the format).
	Pos Pos `json:"-"`
}

// Action names the kind of a step's action.
type Action string

// Step actions.
const (
	ActionCall    Action = "call"
	ActionChannel Action = "channel"
	ActionDevice  Action = "device"
	ActionReboot  Action = "reboot"
	ActionApp     Action = "app"
	ActionOS      Action = "os"
)

// Action returns which action the step carries.
func (s *Step) Action() Action {
	switch {
	case s.Call != "":
		return ActionCall
	case s.Channel != nil:
		return ActionChannel
	case s.Device != nil:
		return ActionDevice
	case s.Reboot != nil:
		return ActionReboot
	case s.App != nil:
		return ActionApp
	case s.OS != nil:
		return ActionOS
	case s.ContentChange != nil:
		return ActionContentChange
	}
	return ""
}

// Applies reports whether the step happens on platform p.
func (s *Step) Applies(p Platform) bool { return s.Platform == "" || s.Platform == p }

// Offset returns the step's first occurrence as an offset from start.
func (s *Step) Offset(start time.Time) time.Duration { return s.At.Offset(start) }

// Occurrences calls fn with each offset from start at which the step
// happens, up to and including horizon, in order, until fn returns false.
func (s *Step) Occurrences(start time.Time, horizon time.Duration, fn func(time.Duration) bool) {
	t := s.At.Offset(start)
	for t <= horizon {
		if !fn(t) {
			return
		}
		if s.Every <= 0 {
			return
		}
		t += s.Every
	}
}

// At is a step's time: an offset from start, or a daily clock time
// ("07:30") in the start's UTC offset.
type At struct {
	// Clock is true for a clock time.
	Clock bool
	// Offset from start (when Clock is false).
	Delay time.Duration
	// Hour, Minute, Second of the clock time (when Clock is true).
	Hour, Minute, Second int
}

// Offset returns the first occurrence as an offset from start: the offset
// itself, or for a clock time the first moment at or after start whose
// clock (in start's offset) reads that time.
func (a At) Offset(start time.Time) time.Duration {
	if !a.Clock {
		return a.Delay
	}
	first := time.Date(start.Year(), start.Month(), start.Day(), a.Hour, a.Minute, a.Second, 0, start.Location())
	if first.Before(start) {
		first = first.AddDate(0, 0, 1)
	}
	return first.Sub(start)
}

// String formats the value as written in a scenario.
func (a At) String() string {
	if a.Clock {
		if a.Second != 0 {
			return twoDigits(a.Hour) + ":" + twoDigits(a.Minute) + ":" + twoDigits(a.Second)
		}
		return twoDigits(a.Hour) + ":" + twoDigits(a.Minute)
	}
	return FormatDuration(a.Delay)
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}

// Method is a Dart method of the Workmanager class.
type Method string

// Dart methods a `call` step may name.
const (
	MethodInitialize                      Method = "initialize"
	MethodRegisterOneOffTask              Method = "registerOneOffTask"
	MethodRegisterPeriodicTask            Method = "registerPeriodicTask"
	MethodRegisterProcessingTask          Method = "registerProcessingTask"
	MethodRegisterHealthResearchTask      Method = "registerHealthResearchTask"
	MethodRegisterContinuedProcessingTask Method = "registerContinuedProcessingTask"
	MethodCancelByUniqueName              Method = "cancelByUniqueName"
	MethodCancelByTag                     Method = "cancelByTag"
	MethodCancelAll                       Method = "cancelAll"
	MethodIsScheduledByUniqueName         Method = "isScheduledByUniqueName"
	MethodPrintScheduledTasks             Method = "printScheduledTasks"
	MethodGetWorkInfo                     Method = "getWorkInfo"
)

// Args are a call's Dart arguments, by their Dart names. Positional
// parameters (uniqueName, taskName, tag for cancelByTag) are named too. A nil
// field was not given (Dart null: the plugin's default applies). Which
// fields a method accepts is checked when loading.
type Args struct {
	IsInDebugMode           *bool                    `json:"isInDebugMode,omitempty"`
	UniqueName              *string                  `json:"uniqueName,omitempty"`
	TaskName                *string                  `json:"taskName,omitempty"`
	Tag                     *string                  `json:"tag,omitempty"`
	Frequency               *time.Duration           `json:"frequency,omitempty"`
	FlexInterval            *time.Duration           `json:"flexInterval,omitempty"`
	InitialDelay            *time.Duration           `json:"initialDelay,omitempty"`
	InputData               Map                      `json:"inputData,omitempty"`
	Constraints             *Constraints             `json:"constraints,omitempty"`
	ExistingWorkPolicy      *ExistingWorkPolicy      `json:"existingWorkPolicy,omitempty"`
	BackoffPolicy           *BackoffPolicy           `json:"backoffPolicy,omitempty"`
	BackoffPolicyDelay      *time.Duration           `json:"backoffPolicyDelay,omitempty"`
	OutOfQuotaPolicy        *OutOfQuotaPolicy        `json:"outOfQuotaPolicy,omitempty"`
	ForegroundServiceConfig *ForegroundServiceConfig `json:"foregroundServiceConfig,omitempty"`
	Expedited               *bool                    `json:"expedited,omitempty"`
	Title                   *string                  `json:"title,omitempty"`
	Subtitle                *string                  `json:"subtitle,omitempty"`

	// Until holds the duration arguments written { until: "HH:MM" }, by
	// Dart name (format v1.1): computed when the call is made.
	Until map[string]ClockTime `json:"-"`
}

// ClockTime is a time of day, HH:MM[:SS].
type ClockTime struct {
	Hour, Minute, Second int
}

// String formats the time as written.
func (c ClockTime) String() string {
	return At{Clock: true, Hour: c.Hour, Minute: c.Minute, Second: c.Second}.String()
}

// Until returns the time from now to the next moment the clock (in now's
// location) reads c: DateTime(y, m, d, H, M, S).difference(now), plus a day
// when negative; 0 at exactly that time.
func (c ClockTime) Until(now time.Time) time.Duration {
	t := time.Date(now.Year(), now.Month(), now.Day(), c.Hour, c.Minute, c.Second, 0, now.Location())
	d := t.Sub(now)
	if d < 0 {
		d = t.AddDate(0, 0, 1).Sub(now)
	}
	return d
}

// NetworkType is the Dart NetworkType enum, by its camelCase name.
type NetworkType string

// Network types (snake_case spellings are accepted as aliases).
const (
	NetworkConnected            NetworkType = "connected"
	NetworkMetered              NetworkType = "metered"
	NetworkNotRequired          NetworkType = "notRequired"
	NetworkNotRoaming           NetworkType = "notRoaming"
	NetworkUnmetered            NetworkType = "unmetered"
	NetworkTemporarilyUnmetered NetworkType = "temporarilyUnmetered"
)

// ExistingWorkPolicy is the Dart ExistingWorkPolicy (one-off) or
// ExistingPeriodicWorkPolicy (periodic, 0.10: no append) enum.
type ExistingWorkPolicy string

// Existing work policies.
const (
	PolicyAppend  ExistingWorkPolicy = "append"
	PolicyKeep    ExistingWorkPolicy = "keep"
	PolicyReplace ExistingWorkPolicy = "replace"
	PolicyUpdate  ExistingWorkPolicy = "update"
)

// BackoffPolicy is the Dart BackoffPolicy enum.
type BackoffPolicy string

// Backoff policies.
const (
	BackoffExponential BackoffPolicy = "exponential"
	BackoffLinear      BackoffPolicy = "linear"
)

// OutOfQuotaPolicy is the Dart OutOfQuotaPolicy enum.
type OutOfQuotaPolicy string

// Out-of-quota policies (snake_case spellings are accepted as aliases).
const (
	RunAsNonExpeditedWorkRequest OutOfQuotaPolicy = "runAsNonExpeditedWorkRequest"
	DropWorkRequest              OutOfQuotaPolicy = "dropWorkRequest"
)

// ForegroundServiceType is the Dart ForegroundServiceType enum.
type ForegroundServiceType string

// Foreground service types.
const (
	ForegroundDataSync     ForegroundServiceType = "dataSync"
	ForegroundShortService ForegroundServiceType = "shortService"
)

// Constraints is the Dart Constraints class.
type Constraints struct {
	NetworkType           *NetworkType        `json:"networkType,omitempty"`
	RequiresBatteryNotLow *bool               `json:"requiresBatteryNotLow,omitempty"`
	RequiresCharging      *bool               `json:"requiresCharging,omitempty"`
	RequiresDeviceIdle    *bool               `json:"requiresDeviceIdle,omitempty"`
	RequiresStorageNotLow *bool               `json:"requiresStorageNotLow,omitempty"`
	ContentURITriggers    []ContentURITrigger `json:"contentUriTriggers,omitempty"`
}

// ContentURITrigger is the Dart ContentUriTrigger class.
type ContentURITrigger struct {
	URI                   string `json:"uri" jsonschema:"required"`
	TriggerForDescendants bool   `json:"triggerForDescendants,omitempty"`
}

// ForegroundServiceConfig is the Dart ForegroundServiceConfig class; nil
// fields take the plugin's Dart defaults.
type ForegroundServiceConfig struct {
	NotificationTitle       *string                `json:"notificationTitle,omitempty"`
	NotificationText        *string                `json:"notificationText,omitempty"`
	NotificationChannelID   *string                `json:"notificationChannelId,omitempty"`
	NotificationChannelName *string                `json:"notificationChannelName,omitempty"`
	NotificationID          *int64                 `json:"notificationId,omitempty"`
	ForegroundServiceType   *ForegroundServiceType `json:"foregroundServiceType,omitempty"`
}

// Channel is a raw platform-channel message: either Pigeon bytes (Message)
// or a legacy MethodChannel call (Method and Arguments).
type Channel struct {
	// Name of the channel.
	Name string `json:"name" jsonschema:"required,minLength=1"`
	// Message is the base64 of the message bytes; Bytes holds them decoded.
	Message string `json:"message,omitempty"`
	Bytes   []byte `json:"-"`
	// Method and Arguments form a MethodChannel call.
	Method    string `json:"method,omitempty"`
	Arguments Map    `json:"arguments,omitempty"`
}

// Reboot is the `reboot` action.
type Reboot struct {
	// Downtime is how long the device stays off; nil: the device model's
	// boot time only.
	Downtime *time.Duration `json:"downtime,omitempty"`
}

// AppEventKind is an app lifecycle event.
type AppEventKind string

// App lifecycle events.
const (
	AppLaunch     AppEventKind = "launch"
	AppBackground AppEventKind = "background"
	AppSwipeAway  AppEventKind = "swipe_away"
	AppForceStop  AppEventKind = "force_stop"
	AppUpdate     AppEventKind = "update"
	// AppProcessDeath is the OS reclaiming the app's process (format v1.1).
	AppProcessDeath AppEventKind = "process_death"
)

// AppEvent is the `app` action: a name, `{update: {dispatcher_renamed:
// true}}` or `{launch: {for: 5m}}`.
type AppEvent struct {
	Kind AppEventKind
	// DispatcherRenamed (update only) makes the stored callback handle stale.
	DispatcherRenamed bool
	// For (launch only, format v1.1) sends the app to the background this
	// long after it opened; 0: it stays in the foreground.
	For time.Duration
}

// DozeCommand steps Doze like adb.
type DozeCommand string

// Doze commands (adb shell dumpsys deviceidle force-idle | step | unforce).
const (
	DozeForceIdle DozeCommand = "force_idle"
	DozeStep      DozeCommand = "step"
	DozeUnforce   DozeCommand = "unforce"
)

// OSChange is the `os` action: Android settings (doze, standby_bucket,
// battery_saver) and iOS settings (low_power_mode, background_app_refresh,
// fetch_interval). At least one is given.
type OSChange struct {
	Doze                 *DozeCommand   `json:"doze,omitempty"`
	StandbyBucket        *StandbyBucket `json:"standby_bucket,omitempty"`
	BatterySaver         *bool          `json:"battery_saver,omitempty"`
	LowPowerMode         *bool          `json:"low_power_mode,omitempty"`
	BackgroundAppRefresh *bool          `json:"background_app_refresh,omitempty"`
	FetchInterval        *FetchInterval `json:"fetch_interval,omitempty"`
	// RunJob is `adb shell cmd jobscheduler run` for the unique work's job;
	// Force adds -f (all constraints overridden).
	RunJob string `json:"run_job,omitempty"`
	Force  *bool  `json:"force,omitempty"`
	// SimulateLaunch is the LLDB command
	// _simulateLaunchForTaskWithIdentifier: (iOS, "Starting and Terminating
	// Tasks During Development"): it runs a pending request at once.
	SimulateLaunch *string `json:"simulate_launch,omitempty"`
	// SimulateExpiration is _simulateExpirationForTaskWithIdentifier:: it
	// expires a task started by simulate_launch.
	SimulateExpiration *string `json:"simulate_expiration,omitempty"`
}

// TaskState is a work item's final state, as the OS models report it.
type TaskState = osscheduler.TaskState

// Task states.
const (
	StateEnqueued  = osscheduler.StateEnqueued
	StateRunning   = osscheduler.StateRunning
	StateSucceeded = osscheduler.StateSucceeded
	StateFailed    = osscheduler.StateFailed
	StateCancelled = osscheduler.StateCancelled
	StateBlocked   = osscheduler.StateBlocked
)

// Expectation is one `expect` entry. Exactly one assertion is set: Runs,
// MaxGap, FirstRunWithin, State, Attempts, NoErrors or Error. The
// assertions about tasks have exactly one selector, Task or Unique.
type Expectation struct {
	// Task selects runs by taskName.
	Task string `json:"task,omitempty"`
	// Unique selects runs by uniqueName.
	Unique string `json:"unique,omitempty"`
	// Runs bounds the number of executions started.
	Runs *Range `json:"runs,omitempty"`
	// Within restricts runs, max_gap and attempts to a window.
	Within *Window `json:"within,omitempty"`
	// MaxGap bounds the gap between consecutive successful runs, and from
	// the first eligible moment to the first success.
	MaxGap *time.Duration `json:"max_gap,omitempty"`
	// FirstRunWithin bounds the time from registration to the first run.
	FirstRunWithin *time.Duration `json:"first_run_within,omitempty"`
	// State is the final state.
	State *TaskState `json:"state,omitempty"`
	// Attempts is the number of attempts.
	Attempts *int `json:"attempts,omitempty" jsonschema:"minimum=0"`
	// NoErrors: no call was rejected by the plugin or the OS.
	NoErrors *bool `json:"no_errors,omitempty" jsonschema:"enum=true"`
	// Error must occur.
	Error *ErrorExpect `json:"error,omitempty"`
	// OnTime (format v1.1): every selected run starts within Late after a
	// day's Clock.
	OnTime *OnTime `json:"on_time,omitempty"`
	// Call, At and Returned (format v1.1): what the Dart call Call made at
	// At returned. HasReturned says returned: was given (Returned may be
	// null).
	Call        Method         `json:"call,omitempty"`
	At          *time.Duration `json:"at,omitempty"`
	Returned    any            `json:"returned,omitempty"`
	HasReturned bool           `json:"-"`
	// Platform limits the entry to android or ios (wmsim's addition to
	// v1.1, as for steps): on the other platform it is not judged.
	Platform Platform `json:"platform,omitempty"`

	// Pos is where the entry starts in the file (not part of the format).
	Pos Pos `json:"-"`
}

// Kind names the entry's assertion: runs, max_gap, first_run_within, state,
// attempts, no_errors or error.
func (e *Expectation) Kind() string {
	switch {
	case e.Runs != nil:
		return "runs"
	case e.MaxGap != nil:
		return "max_gap"
	case e.FirstRunWithin != nil:
		return "first_run_within"
	case e.State != nil:
		return "state"
	case e.Attempts != nil:
		return "attempts"
	case e.NoErrors != nil:
		return "no_errors"
	case e.Error != nil:
		return "error"
	case e.OnTime != nil:
		return "on_time"
	case e.HasReturned:
		return "returned"
	}
	return ""
}

// OnTime is the on_time assertion.
type OnTime struct {
	// Clock is the daily time runs are due, "10:00".
	Clock ClockTime `json:"clock" jsonschema:"required"`
	// Late is how long after it a run may start.
	Late time.Duration `json:"late" jsonschema:"required"`
}

// Range is an inclusive count range; a nil bound is open.
type Range struct {
	Min *int `json:"min,omitempty" jsonschema:"minimum=0"`
	Max *int `json:"max,omitempty" jsonschema:"minimum=0"`
}

// Window is a time window [From, To] as offsets from start.
type Window struct {
	From time.Duration `json:"from,omitempty"`
	To   time.Duration `json:"to,omitempty"`
}

// ErrorExpect is an error that must occur.
type ErrorExpect struct {
	// Call is the Dart method whose error it is (optional).
	Call Method `json:"call,omitempty"`
	// Code is the stable snake_case error code.
	Code string `json:"code" jsonschema:"required,pattern=^[a-z][a-z0-9]*(_[a-z0-9]+)*$"`
}
