package osscheduler

import (
	"fmt"
	"slices"
	"time"
)

// Platform names a simulated OS.
type Platform string

// The platforms wmsim models.
const (
	Android Platform = "android"
	IOS     Platform = "ios"
)

// Kind is the kind of background work, as the plugin distinguishes it.
type Kind string

// Work kinds. On iOS, OneOff is in-process work, Periodic a BGAppRefreshTask,
// Processing a BGProcessingTask and Fetch the legacy background fetch.
const (
	OneOff              Kind = "one_off"
	Periodic            Kind = "periodic"
	Processing          Kind = "processing"
	HealthResearch      Kind = "health_research"
	ContinuedProcessing Kind = "continued_processing"
	Fetch               Kind = "fetch"
)

// Result is what the app's work returned: the dispatcher's true (Success),
// false (Retry), or an error or panic (Failure).
type Result int

// Work results.
const (
	Success Result = iota
	Retry
	Failure
)

func (r Result) String() string {
	switch r {
	case Success:
		return "success"
	case Retry:
		return "retry"
	default:
		return "failure"
	}
}

// Outcome is how one run ended, as the result document reports it.
type Outcome string

// Run outcomes (SCENARIO-FORMAT.md, result document).
const (
	OutcomeSuccess Outcome = "success"
	OutcomeRetry   Outcome = "retry"
	OutcomeFailure Outcome = "failure"
	OutcomeStopped Outcome = "stopped" // the OS stopped it; StopReason says why
	OutcomeExpired Outcome = "expired" // an iOS time budget ran out
)

// OutcomeOf maps a Result to the Outcome reported for a run that finished.
func OutcomeOf(r Result) Outcome {
	switch r {
	case Success:
		return OutcomeSuccess
	case Retry:
		return OutcomeRetry
	default:
		return OutcomeFailure
	}
}

// StopReason is why the OS stopped running work early. The values are
// Android's WorkInfo stop-reason names (androidx.work.WorkInfo.STOP_REASON_*);
// iOS uses the closest of them plus its own.
type StopReason string

// Stop reasons. The numbers in comments are Android's WorkInfo constants.
const (
	StopNotStopped               StopReason = ""                                  // -256
	StopUnknown                  StopReason = "UNKNOWN"                           // -512
	StopCancelledByApp           StopReason = "CANCELLED_BY_APP"                  // 1
	StopPreempt                  StopReason = "PREEMPT"                           // 2
	StopTimeout                  StopReason = "TIMEOUT"                           // 3
	StopDeviceState              StopReason = "DEVICE_STATE"                      // 4
	StopConstraintBatteryNotLow  StopReason = "CONSTRAINT_BATTERY_NOT_LOW"        // 5
	StopConstraintCharging       StopReason = "CONSTRAINT_CHARGING"               // 6
	StopConstraintConnectivity   StopReason = "CONSTRAINT_CONNECTIVITY"           // 7
	StopConstraintDeviceIdle     StopReason = "CONSTRAINT_DEVICE_IDLE"            // 8
	StopConstraintStorageNotLow  StopReason = "CONSTRAINT_STORAGE_NOT_LOW"        // 9
	StopQuota                    StopReason = "QUOTA"                             // 10
	StopBackgroundRestriction    StopReason = "BACKGROUND_RESTRICTION"            // 11
	StopAppStandby               StopReason = "APP_STANDBY"                       // 12
	StopUser                     StopReason = "USER"                              // 13
	StopSystemProcessing         StopReason = "SYSTEM_PROCESSING"                 // 14
	StopEstimatedLaunchChanged   StopReason = "ESTIMATED_APP_LAUNCH_TIME_CHANGED" // 15
	StopForegroundServiceTimeout StopReason = "FOREGROUND_SERVICE_TIMEOUT"        // -128
	StopProcessDied              StopReason = "PROCESS_DIED"                      // iOS: the process was killed or quit
	StopReboot                   StopReason = "REBOOT"                            // power lost; Android reports UNKNOWN to the app
)

// Data is a task's input data. Values are nil, bool, int64, float64, string,
// or []any of those. Iterate with Keys for a stable order.
type Data map[string]any

// Keys returns the keys in sorted order.
func (d Data) Keys() []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Execution is one run of background work that an OS model has decided to
// start. The model fills in everything but Received, which the plugin sets to
// the name it delivers to the app's dispatcher.
type Execution struct {
	ID         uint64 // unique within a run, increasing in start order
	Platform   Platform
	Kind       Kind
	WorkID     string // WorkSpec id, or BGTask identifier
	UniqueName string
	TaskName   string
	Received   string // set by the plugin: the name the dispatcher received
	Tags       []string
	Input      Data
	Attempt    int           // 1 for the first run of this work (runAttemptCount+1 on Android)
	Eligible   time.Time     // when it could first have run, as far as the OS knows
	Started    time.Time     // when the OS started it
	Budget     time.Duration // how long it may run before the OS stops it (0: no limit)
	WhyThen    string        // why it started at this moment, in words

	finish   func(Result)
	finisher Finisher
	done     bool
}

// Finisher receives the result of an Execution bound to it with Bind: a
// model's own per-run type, so that a run needs no closure.
type Finisher interface {
	Finished(x *Execution, r Result)
}

// NewExecution makes an Execution whose Finish calls finish exactly once.
func NewExecution(finish func(Result)) *Execution { return &Execution{finish: finish} }

// Blocks hands out new zero values of T from blocks allocated a few at a
// time: a model making thousands of run records makes one allocation per
// block instead of one per record. Every value it returns is a distinct
// object, never handed out again; a block is freed once none of its values
// is referenced any more. The zero value is ready to use.
type Blocks[T any] struct{ block []T }

// BlockSize is how many values one block holds.
const BlockSize = 16

// New is new(T) from the current block.
func (b *Blocks[T]) New() *T {
	if len(b.block) == 0 {
		b.block = make([]T, BlockSize)
	}
	x := &b.block[0]
	b.block = b.block[1:]
	return x
}

// Executions hands out new Executions, as NewExecution does, from Blocks.
// The zero value is ready to use.
type Executions struct{ b Blocks[Execution] }

// New is NewExecution(finish) from the current block.
func (s *Executions) New(finish func(Result)) *Execution {
	x := s.b.New()
	x.finish = finish
	return x
}

// Bind readies x, typically a field of the model's own per-run record (one
// allocation for both), so that Finish calls f.Finished(x, r) exactly once.
// It resets the finished state; the caller fills in the public fields.
func (x *Execution) Bind(f Finisher) {
	x.finish, x.finisher, x.done = nil, f, false
}

// Finish reports the app's result to the OS model. Calls after the first, or
// after the model stopped the run, are ignored, as WorkManager ignores a
// result for work that is no longer RUNNING.
func (x *Execution) Finish(r Result) {
	if x.done {
		return
	}
	switch {
	case x.finisher != nil:
		x.done = true
		x.finisher.Finished(x, r)
	case x.finish != nil:
		x.done = true
		x.finish(r)
	}
}

// Abandon marks the execution finished without calling back; a model calls it
// when it stops a run, so that a late Finish from the app is ignored.
func (x *Execution) Abandon() { x.done = true }

// Done reports whether the run has finished or been stopped.
func (x *Execution) Done() bool { return x.done }

// Executor runs work for an OS model: it is the app side (the plugin's
// BackgroundWorker on Android, its launch handlers on iOS).
type Executor interface {
	// Start begins a run. The executor calls x.Finish later, from a kernel
	// event, never from inside Start.
	Start(x *Execution)
	// Stop tells the executor the OS stopped x (onStopped / the expiration
	// handler). x is already abandoned; the executor must stop its work.
	Stop(x *Execution, reason StopReason)
}

// Error is a call that the plugin or the OS rejected, or that crashed the app.
// Code is a stable snake_case identifier (not_initialized, not_permitted,
// unavailable, too_many_pending_requests, unsupported, invalid_input_data,
// crash, …).
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds an *Error.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
