// Package event is wmsim's trace vocabulary: the typed names of the layers that
// emit trace records (Source) and of what a record says happened (Kind).
//
// Every producer (device, the Android and iOS models, the plugin, the runner)
// emits with these constants and every consumer (expectations, invariants,
// chaos checks, explain, the renderings) compares with them, so renaming an
// event is a compile-time change, not a silently broken check. A test in
// internal/archtest fails on a string literal where a Source or Kind belongs.
// The names themselves are the trace's wire format (JSON Lines, the result
// document): they do not change between releases.
package event

// Source is the layer that took a decision and emitted the record.
type Source string

// Kind is what a record says happened.
type Kind string

// The sources.
const (
	SourceDevice              Source = "device"               // the phone: battery, charger, network, screen, app process
	SourceAndroidWorkManager  Source = "android.workmanager"  // WorkManager: the WorkSpec database and its rules
	SourceAndroidJobScheduler Source = "android.jobscheduler" // JobScheduler: controllers, quotas, runs
	SourceAndroidDoze         Source = "android.doze"         // DeviceIdleController
	SourceAndroidStandby      Source = "android.standby"      // App Standby buckets
	SourceAndroidOEM          Source = "android.oem"          // a vendor's own app killing (OEM profiles)
	SourceIOSBGTaskScheduler  Source = "ios.bgtaskscheduler"  // the app's calls: register, submit, cancel
	SourceIOSDASD             Source = "ios.dasd"             // the system's gates and heuristics, launches
	SourceIOSFetch            Source = "ios.fetch"            // legacy background fetch
	SourceIOSApp              Source = "ios.app"              // in-process work (beginBackgroundTask)
	SourcePlugin              Source = "plugin"               // the workmanager plugin's native and Dart sides
	SourcePluginDebug         Source = "plugin.debug"         // the plugin's debug logs and notifications
	SourceRunner              Source = "runner"               // the scenario runner: timeline calls, warnings
)

// What the device reports (device.ChangeKind values).
const (
	BatteryLevel      Kind = "battery.level"   // every whole-percent step
	BatteryLow        Kind = "battery.low"     // ACTION_BATTERY_LOW
	BatteryOkay       Kind = "battery.okay"    // ACTION_BATTERY_OKAY
	Charger           Kind = "charger"         // connected or disconnected
	Network           Kind = "network"         // type, metered, roaming, validated
	Screen            Kind = "screen"          // on or off
	Lock              Kind = "lock"            // locked or unlocked
	Motion            Kind = "motion"          // stationary or moving
	Storage           Kind = "storage"         // free space changed
	StorageLow        Kind = "storage.low"     // ACTION_DEVICE_STORAGE_LOW
	StorageOK         Kind = "storage.ok"      // ACTION_DEVICE_STORAGE_OK
	LowPower          Kind = "low_power"       // Low Power Mode / Battery Saver toggled
	Thermal           Kind = "thermal"         // thermal state
	PowerOff          Kind = "power.off"       // shutting down: everything running is lost
	BootCompleted     Kind = "boot.completed"  // BOOT_COMPLETED
	AppLaunched       Kind = "app.launched"    // the user opened the app (foreground)
	AppBackground     Kind = "app.background"  // the app left the foreground
	AppSwipedAway     Kind = "app.swiped_away" // removed from recents
	AppForceStopped   Kind = "app.force_stopped"
	AppUpdated        Kind = "app.updated"
	AppNotification   Kind = "app.notification" // the user interacted with a notification
	AppProcessStarted Kind = "app.process_started"
	AppProcessDied    Kind = "app.process_died"
	AppSuspended      Kind = "app.suspended" // the OS suspended the backgrounded app (iOS)
)

// What the schedulers decide about a piece of work (both platforms).
const (
	Enqueued      Kind = "enqueued"       // WorkManager accepted a WorkSpec
	Submitted     Kind = "submitted"      // BGTaskScheduler accepted a request
	Registered    Kind = "registered"     // a launch handler or periodic registration took effect
	Updated       Kind = "updated"        // ExistingWorkPolicy.UPDATE applied
	Kept          Kind = "kept"           // ExistingWorkPolicy.KEEP dropped the new request
	Clamped       Kind = "clamped"        // a value was raised or lowered to the platform's bound
	Rejected      Kind = "rejected"       // a call the platform refused
	Cancelled     Kind = "cancelled"      // work cancelled
	Deferred      Kind = "deferred"       // held back: the reason says why (pending_reason on Android)
	Ready         Kind = "ready"          // every constraint met: about to start
	Started       Kind = "started"        // a run began
	Stopped       Kind = "stopped"        // the system stopped a run (stop_reason on Android)
	Expired       Kind = "expired"        // iOS ended a run at its time budget
	Finished      Kind = "finished"       // a run ended with the app's result
	Completed     Kind = "completed"      // setTaskCompleted / work reached a final state
	Failed        Kind = "failed"         // work failed (a prerequisite failed)
	Unblocked     Kind = "unblocked"      // every prerequisite succeeded
	Skipped       Kind = "skipped"        // a run skipped (executed before schedule)
	Rescheduled   Kind = "rescheduled"    // WorkManager rescheduled its work (boot, force-stop, system stop)
	Dropped       Kind = "dropped"        // a request lost (e.g. replaced or over a limit)
	Pruned        Kind = "pruned"         // finished work removed from the database
	NotExpedited  Kind = "not_expedited"  // an expedited request fell back to regular work
	Crashed       Kind = "crashed"        // the app crashed in a system call or launch
	Ignored       Kind = "ignored"        // a step with no effect on this platform
	ForceStopped  Kind = "force_stopped"  // JobScheduler cancelled the app's jobs until the next launch
	ContentChange Kind = "content_change" // a watched content URI changed
	RunJob        Kind = "run_job"        // adb shell cmd jobscheduler run [-f]
)

// What the phone's OS state machines report.
const (
	Bucket                Kind = "bucket"             // the app's standby bucket changed
	BatterySaver          Kind = "battery_saver"      // Battery Saver toggled (Android)
	Settings              Kind = "settings"           // a system setting changed (Background App Refresh)
	Revived               Kind = "revived"            // the user opened the app: background launches allowed again (iOS)
	FailureFeedback       Kind = "failure_feedback"   // iOS deprioritised a task that keeps failing
	LowPowerAutoOff       Kind = "low_power.auto_off" // Low Power Mode turned itself off on the charger
	BackgroundTaskBegin   Kind = "background_task.begin"
	BackgroundTaskEnd     Kind = "background_task.end"
	BackgroundTaskExpired Kind = "background_task.expired"
	SimulateLaunch        Kind = "simulate_launch"     // the debugger's _simulateLaunchForTaskWithIdentifier
	SimulateExpiration    Kind = "simulate_expiration" // the debugger's _simulateExpirationForTaskWithIdentifier
)

// Doze states, deep and light (DeviceIdleController STATE_* and LIGHT_STATE_*).
const (
	DozeActive             Kind = "ACTIVE"
	DozeInactive           Kind = "INACTIVE"
	DozeIdlePending        Kind = "IDLE_PENDING"
	DozeSensing            Kind = "SENSING"
	DozeLocating           Kind = "LOCATING"
	DozeIdle               Kind = "IDLE"
	DozeIdleMaintenance    Kind = "IDLE_MAINTENANCE"
	DozeQuickDozeDelay     Kind = "QUICK_DOZE_DELAY"
	LightActive            Kind = "light.ACTIVE"
	LightInactive          Kind = "light.INACTIVE"
	LightIdle              Kind = "light.IDLE"
	LightIdleMaintenance   Kind = "light.IDLE_MAINTENANCE"
	LightOverride          Kind = "light.OVERRIDE"
	LightWaitingForNetwork Kind = "light.WAITING_FOR_NETWORK"
)

// What the plugin reports.
const (
	Call              Kind = "call"                // a Dart call reached the plugin
	CallRejected      Kind = "call.rejected"       // the plugin refused a call
	CallError         Kind = "call.error"          // a call returned an error to Dart
	CallResult        Kind = "call.result"         // a query's result
	EngineStarting    Kind = "engine.starting"     // a background Flutter engine starts
	LaunchHandler     Kind = "launch_handler"      // an iOS launch handler registered or missing
	TaskDelivered     Kind = "task.delivered"      // executeTask reached the Dart callback
	TaskFinished      Kind = "task.finished"       // the Dart callback returned
	TaskHung          Kind = "task.hung"           // the Dart callback never returned
	TaskStopped       Kind = "task.stopped"        // a run stopped before its end
	TaskResultIgnored Kind = "task.result_ignored" // a result that arrived too late
	WorkerStarted     Kind = "worker.started"      // BackgroundWorker.startWork
	WorkerForeground  Kind = "worker.foreground"   // the worker promoted to a foreground service
	OneoffDeferred    Kind = "oneoff.deferred"     // an iOS in-process one-off waits for its delay
	OneoffLost        Kind = "oneoff.lost"         // an iOS in-process one-off lost with its process
	ProcessEnded      Kind = "process.ended"       // the plugin saw its process end
	Progress          Kind = "progress"            // setProgress
	Crash             Kind = "crash"               // the plugin crashed the app
	Log               Kind = "log"                 // a debug log line
	Notification      Kind = "notification"        // a debug notification
)

// What the runner reports.
const (
	Process Kind = "process" // the runner started the app process for a timeline call
	Main    Kind = "main"    // a cold start: main() runs app.on_launch
	Warning Kind = "warning" // a warning of the result document
)
