package android

import "time"

// Every platform constant the model uses, named, with the source it comes
// from. AX = androidx/androidx (work/work-runtime/src/main/java/androidx/work/),
// FB = aosp-mirror/platform_frameworks_base (apex/jobscheduler/service/java/
// com/android/server/ unless a path is given).

// WorkManager request limits.
const (
	// AX WorkRequest.kt / PeriodicWorkRequest.kt: MIN_PERIODIC_INTERVAL_MILLIS = 15 min.
	minPeriodicInterval = 15 * time.Minute
	// AX PeriodicWorkRequest.kt: MIN_PERIODIC_FLEX_MILLIS = 5 min.
	minPeriodicFlex = 5 * time.Minute
	// AX WorkRequest.kt: MIN_BACKOFF_MILLIS = 10 s.
	minBackoff = 10 * time.Second
	// AX WorkRequest.kt: MAX_BACKOFF_MILLIS = 5 h (also JobInfo.MAX_BACKOFF_DELAY_MILLIS).
	maxBackoff = 5 * time.Hour
	// AX WorkRequest.kt: DEFAULT_BACKOFF_DELAY_MILLIS = 30 s.
	defaultBackoff = 30 * time.Second
	// AX Configuration.kt: MIN_SCHEDULER_LIMIT = 20, the most WorkSpecs handed
	// to JobScheduler at once.
	schedulerLimit = 20
)

// JobScheduler constants.
const (
	// FB job/JobSchedulerService.java Constants.RUNTIME_MIN_GUARANTEE = 10 min.
	defaultExecutionLimit = 10 * time.Minute
	// FB job/JobSchedulerService.java Constants.RUNTIME_FREE_QUOTA_MAX_LIMIT = 30 min:
	// the most a regular job may run while the app has quota to spare.
	runtimeFreeQuotaMax = 30 * time.Minute
	// AX impl/background/greedy/TimeLimiter.kt: work that GreedyScheduler runs
	// in the app's own process is stopped (TIMEOUT) after 90 min.
	greedyTimeLimit = 90 * time.Minute
	// FB job/JobSchedulerService.java Constants.SYSTEM_STOP_TO_FAILURE_RATIO = 3
	// (JobSchedulerServiceTest.testGetRescheduleJobForFailure_timingCalculations).
	systemStopToFailureRatio = 3
	// Default upper bound of the seeded delay between "ready" and "started":
	// JobScheduler starts ready jobs within seconds (PLATFORM-FACTS choice).
	defaultStartLatency = 5 * time.Second
)

// Deep Doze (FB DeviceIdleController.java Constants, non-compressed defaults).
const (
	// INACTIVE_TIMEOUT = 30 min: screen off and unplugged → IDLE_PENDING.
	dozeInactiveTimeout = 30 * time.Minute
	// IDLE_AFTER_INACTIVE_TIMEOUT = 30 min: IDLE_PENDING → SENSING.
	dozeIdleAfterInactive = 30 * time.Minute
	// IDLE_TIMEOUT = 60 min, IDLE_FACTOR = 2, MAX_IDLE_TIMEOUT = 6 h.
	dozeIdleTimeout    = 60 * time.Minute
	dozeIdleFactor     = 2
	dozeMaxIdleTimeout = 6 * time.Hour
	// IDLE_PENDING_TIMEOUT = 5 min (first maintenance budget), IDLE_PENDING_FACTOR = 2,
	// MAX_IDLE_PENDING_TIMEOUT = 10 min.
	dozeMaintenance    = 5 * time.Minute
	dozeMaintFactor    = 2
	dozeMaxMaintenance = 10 * time.Minute
	// MIN_DEEP_MAINTENANCE_TIME = 30 s: a window ends early once nothing is
	// active, but not before this.
	dozeMinMaintenance = 30 * time.Second
	// QUICK_DOZE_DELAY_TIMEOUT = 1 min (Battery Saver's quick doze).
	dozeQuickDelay = 1 * time.Minute
)

// Light Doze (FB DeviceIdleController.java Constants).
const (
	// LIGHT_IDLE_AFTER_INACTIVE_TIMEOUT differs by release: see lightAfterInactiveByAPI
	// in levels.go.
	// LIGHT_IDLE_TIMEOUT = 5 min, LIGHT_IDLE_FACTOR = 2, LIGHT_MAX_IDLE_TIMEOUT = 15 min.
	lightIdleTimeout    = 5 * time.Minute
	lightIdleFactor     = 2
	lightMaxIdleTimeout = 15 * time.Minute
	// LIGHT_IDLE_MAINTENANCE_MIN_BUDGET = 1 min, LIGHT_IDLE_MAINTENANCE_MAX_BUDGET = 5 min.
	lightMaintMin = 1 * time.Minute
	lightMaintMax = 5 * time.Minute
)

// App Standby buckets (FB usage/AppStandbyController.java; UsageStatsManager
// STANDBY_BUCKET_* values 10, 20, 30, 40, 45).
const (
	bucketActive = iota
	bucketWorkingSet
	bucketFrequent
	bucketRare
	bucketRestricted
	numBuckets
)

var bucketNames = [numBuckets]string{"active", "working_set", "frequent", "rare", "restricted"}

// FB usage/AppStandbyController.java: SCREEN_TIME_THRESHOLDS {0, 0, 1 h, 2 h, 6 h}
// and ELAPSED_TIME_THRESHOLDS {0, 12 h, 24 h, 48 h, 8 d}: the bucket is the
// highest index whose both thresholds the time since last use has passed.
var (
	standbyScreenThresholds  = [numBuckets]time.Duration{0, 0, 1 * time.Hour, 2 * time.Hour, 6 * time.Hour}
	standbyElapsedThresholds = [numBuckets]time.Duration{0, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 8 * 24 * time.Hour}
)

const (
	// FB AppStandbyController.java NOTIFICATION_SEEN_TIMEOUT = 12 h: a seen
	// notification lifts the app to WORKING_SET.
	notificationSeenTimeout = 12 * time.Hour
)

// Other QuotaController constants (FB job/controllers/QuotaController.java).
const (
	quotaMaxExecution       = 4 * time.Hour    // DEFAULT_MAX_EXECUTION_TIME_MS per 24 h
	quotaMaxExecutionWindow = 24 * time.Hour   // MAX_PERIOD_MS
	quotaRateJobs           = 20               // DEFAULT_MAX_JOB_COUNT_PER_RATE_LIMITING_WINDOW
	quotaRateWindow         = 1 * time.Minute  // DEFAULT_RATE_LIMITING_WINDOW_MS
	quotaSessionCoalesce    = 5 * time.Second  // DEFAULT_TIMING_SESSION_COALESCING_DURATION_MS
	quotaInQuotaBuffer      = 30 * time.Second // DEFAULT_IN_QUOTA_BUFFER_MS
)

// profile is everything that changes with the API level (the per-release
// tables are in levels.go).
type profile struct {
	api              int
	doze             bool // 23+: Doze (FB DeviceIdleController, added in M)
	lightDoze        bool // 24+: light Doze (added in N)
	buckets          bool // 28+: App Standby buckets and QuotaController (P)
	restrictedBucket bool // 30+: STANDBY_BUCKET_RESTRICTED (R)
	lightAfterInact  time.Duration
	idleThreshold    time.Duration // DeviceIdlenessTracker inactivity threshold
	idleStablePower  time.Duration // the same on stable power (charging, battery not low)
	quota            quotaTable
	validatedNetwork bool // 26+: CONNECTED means validated (AX NetworkConnectedController)
	notRoamingCheck  bool // 24+: NOT_ROAMING checks roaming (below: connected only)
	meteredCheck     bool // 26+: METERED checks metered (below: connected only)
	contentTriggers  bool // 24+: JobInfo.Builder.addTriggerContentUri (AX WorkManagerImpl.CONTENT_URI_TRIGGER_API_LEVEL)
	expeditedJobs    bool // 31+: JobInfo.setExpedited
	// 31+: jobs may run past the 10-min guarantee up to 30 min with free quota
	// (the API level of this switch is this model's choice: the constant is in
	// the S-era JobSchedulerService).
	freeQuotaRuntime bool
	quickDoze        bool // 29+: Battery Saver's quick doze (DeviceIdleController.mQuickDozeActivated)
	// 31+: a restricted-bucket app's jobs also need charging, battery not low,
	// connectivity and device idle (FB job/controllers/JobStatus.java
	// DYNAMIC_RESTRICTED_CONSTRAINTS).
	restrictedDynamic bool
	// 36+: jobs started while the app was TOP count against the standby quota
	// once the app leaves TOP (FB job/controllers/QuotaController.java, flag
	// com.android.server.job.enforce_quota_policy_to_top_started_jobs, on in
	// Android 16 builds); before, a TOP-started job's run is free.
	topJobsKeepQuota bool
}

func profileFor(api int, quota QuotaSource) profile {
	return profile{
		api:               api,
		doze:              api >= 23,
		lightDoze:         api >= 24,
		buckets:           api >= 28,
		restrictedBucket:  api >= 30,
		lightAfterInact:   atLevel(lightAfterInactiveByAPI, api),
		idleThreshold:     atLevel(deviceIdleThresholdByAPI, api),
		idleStablePower:   atLevel(deviceIdleStablePowerByAPI, api),
		quota:             quotaFor(api, quota),
		validatedNetwork:  api >= 26,
		notRoamingCheck:   api >= 24,
		meteredCheck:      api >= 26,
		contentTriggers:   api >= 24,
		expeditedJobs:     api >= 31,
		quickDoze:         api >= 29,
		freeQuotaRuntime:  api >= 31,
		restrictedDynamic: api >= 31,
		topJobsKeepQuota:  api >= 36,
	}
}
