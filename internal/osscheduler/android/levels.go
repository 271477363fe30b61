package android

import "time"

// Per-release data. Every value that changed between Android releases is a
// row in one of the tables below: a row applies from its API level up to the
// next row's. Each row cites the file and constant it was read from; FB and
// AX are as in constants.go. API 37 (Android 17) rows say where no change is
// known and what was checked.

// levelDur is one row of a per-release duration table.
type levelDur struct {
	from int
	v    time.Duration
}

// atLevel returns the value of the last row whose from ≤ api.
func atLevel(rows []levelDur, api int) time.Duration {
	v := rows[0].v
	for _, r := range rows {
		if r.from <= api {
			v = r.v
		}
	}
	return v
}

// deviceIdleThresholdByAPI is how long the screen must be off before
// JobScheduler's idle controller reports the device idle (requiresDeviceIdle).
var deviceIdleThresholdByAPI = []levelDur{
	// API 23–29: FB core/res/res/values/config.xml
	// config_jobSchedulerInactivityIdleThreshold = 4260000 (71 min), read by
	// job/controllers/IdleController.java (M–P) and
	// job/controllers/idle/DeviceIdlenessTracker.java (Q).
	{23, 71 * time.Minute},
	// API 30+ (Android 11 onwards): config_jobSchedulerInactivityIdleThreshold
	// = 1860000 (31 min), read by DeviceIdlenessTracker.startTracking
	// (mInactivityIdleThreshold); unchanged through API 36. API 37: no
	// Android 17 source of it was available; the API 36 value is kept.
	{30, 31 * time.Minute},
}

// deviceIdleStablePowerByAPI is the same threshold while the device has
// "stable power" (charging and battery not low): DeviceIdlenessTracker
// maybeScheduleIdlenessCheck uses mInactivityStablePowerIdleThreshold, read
// from config_jobSchedulerInactivityIdleThresholdOnStablePower (API 34+;
// DeviceConfig key ic_dit_inactivity_idle_stable_power_threshold_ms, clamped
// to [1 min, 4 h]). Not verified: the shipped value of that resource could
// not be read here (core/res/res/values/config.xml was not reachable in the
// indexed sources, no device dump printing the key was found, and
// DeviceIdlenessTrackerTest mocks 17 min rather than reading it). The model
// uses the regular threshold on stable power, which is what releases before
// the split did.
var deviceIdleStablePowerByAPI = deviceIdleThresholdByAPI

// lightAfterInactiveByAPI is DeviceIdleController's
// LIGHT_IDLE_AFTER_INACTIVE_TIMEOUT: screen off and unplugged this long, light
// Doze goes IDLE.
var lightAfterInactiveByAPI = []levelDur{
	// API 24–25 (N): FB services/core/java/com/android/server/DeviceIdleController.java
	// Constants.updateConstants mParser.getLong(KEY_LIGHT_IDLE_AFTER_INACTIVE_TIMEOUT, 5 * 60 * 1000L).
	{23, 5 * time.Minute},
	// API 26–32 (O–S): mParser.getDurationMillis(KEY_LIGHT_IDLE_AFTER_INACTIVE_TIMEOUT,
	// 3 * 60 * 1000L) (KeyValueListParser.getDurationMillis exists from API 26).
	{26, 3 * time.Minute},
	// API 33+ (T onwards): apex/jobscheduler/.../DeviceIdleController.java
	// Constants.mDefaultLightIdleAfterInactiveTimeout = 240000 (4 min), alarm
	// window FLEX_TIME_SHORT 1 min (the model uses the window start). Unchanged
	// through API 36 (UserSettingDeviceConfigMediator era). API 37: no Android 17 source of it was available; kept.
	{33, 4 * time.Minute},
}

// quotaTable is QuotaController's per-bucket job quota.
type quotaTable struct {
	allowed  [numBuckets]time.Duration // execution time allowed per window
	window   [numBuckets]time.Duration // rolling window
	jobs     [numBuckets]int           // jobs per window
	sessions [numBuckets]int           // sessions per window
	ej       [numBuckets]time.Duration // expedited-job time per 24 h
}

// QuotaSource selects where the standby quota table comes from.
type QuotaSource string

// Quota sources.
const (
	// QuotaAOSP is what each release's AOSP QuotaController ships (default).
	QuotaAOSP QuotaSource = "aosp"
	// QuotaDocs is developer.android.com's published table
	// (topic/performance/power/power-details, as served in 2026: docsQuotaFor).
	QuotaDocs QuotaSource = "docs"
)

// aospQuotaLegacy is FB job/controllers/QuotaController.java QcConstants as
// shipped API 28–35: DEFAULT_ALLOWED_TIME_PER_PERIOD_*_MS = 10 min (one value
// before S, per bucket from S, all 10 min); DEFAULT_WINDOW_SIZE_{ACTIVE,
// WORKING,FREQUENT,RARE,RESTRICTED}_MS = 10 min, 2 h, 8 h, 24 h, 24 h;
// DEFAULT_MAX_JOB_COUNT_* = 75, 120, 200, 48, 10; DEFAULT_MAX_SESSION_COUNT_*
// = 75, 10, 8, 3, 1; DEFAULT_EJ_LIMIT_{ACTIVE,WORKING,FREQUENT,RARE,
// RESTRICTED}_MS = 30, 30, 10, 10, 5 min (S+; DEFAULT_EJ_WINDOW_SIZE_MS 24 h).
var aospQuotaLegacy = quotaTable{
	allowed:  [numBuckets]time.Duration{10 * time.Minute, 10 * time.Minute, 10 * time.Minute, 10 * time.Minute, 10 * time.Minute},
	window:   [numBuckets]time.Duration{10 * time.Minute, 2 * time.Hour, 8 * time.Hour, 24 * time.Hour, 24 * time.Hour},
	jobs:     [numBuckets]int{75, 120, 200, 48, 10},
	sessions: [numBuckets]int{75, 10, 8, 3, 1},
	ej:       [numBuckets]time.Duration{30 * time.Minute, 30 * time.Minute, 10 * time.Minute, 10 * time.Minute, 5 * time.Minute},
}

// aospQuotaCurrent is QuotaController.QcConstants' DEFAULT_CURRENT_* values,
// used when com.android.server.job.adjust_quota_default_constants is on: on
// in Android 16 (API 36) builds (its dump prints the flag true):
// DEFAULT_CURRENT_ALLOWED_TIME_PER_PERIOD_ACTIVE_MS = 1200000 (20 min),
// DEFAULT_CURRENT_WINDOW_SIZE_ACTIVE_MS = 1800000 (30 min),
// DEFAULT_CURRENT_WINDOW_SIZE_WORKING_MS = 14400000 (4 h),
// DEFAULT_CURRENT_WINDOW_SIZE_FREQUENT_MS = 43200000 (12 h),
// DEFAULT_CURRENT_EJ_LIMIT_WORKING_MS = 900000 (15 min); the rest as legacy.
// API 37: kept (no Android 17 source of it was available).
var aospQuotaCurrent = func() quotaTable {
	q := aospQuotaLegacy
	q.allowed[bucketActive] = 20 * time.Minute
	q.window[bucketActive] = 30 * time.Minute
	q.window[bucketWorkingSet] = 4 * time.Hour
	q.window[bucketFrequent] = 12 * time.Hour
	q.ej[bucketWorkingSet] = 15 * time.Minute
	return q
}()

// docsQuotaFor is developer.android.com/topic/performance/power/power-details
// as served in 2026 ("Power management resource limits", "Resource limits
// based on app standby bucket"): its opening says a rare-bucket app "can run
// scheduled jobs for a total period of 10 minutes in a rolling 24 hour
// period"; the table gives working set 10 min per rolling 4 h, frequent 10 min
// per 12 h, rare 10 min per 24 h, restricted once per day, and active 20 min
// per rolling 60 min, noting that before Android 16 active apps had no job
// execution limit; expedited jobs 30 min (active) and 15 min (working set) per
// rolling 24 h. The stored copies of the page did not expose the table body:
// those rows are as softaai.com ("Understanding Android App Standby Buckets")
// copies them. Job and session counts and the other EJ limits are not given:
// AOSP's (legacy). "No limit" is a window no longer than the allowance. The
// page's earlier version ("Power management restrictions", table "Prior to
// Android 13 (API Level 33)": 10 minutes every 2, 8 and 24 hours) matches
// aospQuotaLegacy's windows.
func docsQuotaFor(api int) quotaTable {
	q := aospQuotaLegacy
	q.window[bucketWorkingSet] = 4 * time.Hour
	q.window[bucketFrequent] = 12 * time.Hour
	q.ej[bucketWorkingSet] = 15 * time.Minute
	q.allowed[bucketActive], q.window[bucketActive] = 10*time.Minute, 10*time.Minute
	if api >= 36 {
		q.allowed[bucketActive], q.window[bucketActive] = 20*time.Minute, time.Hour
	}
	return q
}

// FB QuotaController.java QcConstants DEFAULT_EJ_WINDOW_SIZE_MS = 24 h (S+).
const ejWindow = 24 * time.Hour

// quotaFor is the quota table for an API level and source.
func quotaFor(api int, src QuotaSource) quotaTable {
	if src == QuotaDocs {
		return docsQuotaFor(api)
	}
	if api >= 36 {
		return aospQuotaCurrent
	}
	return aospQuotaLegacy
}

// Content-URI triggers (FB job/controllers/JobStatus.java, unchanged API 24–36):
// DEFAULT_TRIGGER_UPDATE_DELAY = 10 s, MIN_TRIGGER_UPDATE_DELAY = 500 ms,
// DEFAULT_TRIGGER_MAX_DELAY = 2 min, MIN_TRIGGER_MAX_DELAY = 1 s; a negative
// JobInfo value means "default". ContentObserverController.JobInstance
// .scheduleLocked: the first change arms the max-delay timer, every change
// re-arms the update-delay timer; the first to fire satisfies the constraint.
const (
	contentUpdateDelayDefault = 10 * time.Second
	contentUpdateDelayMin     = 500 * time.Millisecond
	contentMaxDelayDefault    = 2 * time.Minute
	contentMaxDelayMin        = 1 * time.Second
)

// AX impl/WorkDatabase.kt PRUNE_THRESHOLD_MILLIS = 1 day: CleanupCallback.onOpen
// (each time the process opens the database) deletes finished WorkSpecs whose
// last_enqueue_time + minimum_retention_duration is older than this and whose
// dependents are all finished.
const pruneThreshold = 24 * time.Hour

// dozeSensingTable is deep Doze's SENSING and LOCATING steps (between
// IDLE_PENDING and IDLE) for one release.
type dozeSensingTable struct {
	// anyMotion is how long SENSING lasts before AnyMotionDetector reports:
	// FB services/core/java/com/android/server/AnyMotionDetector.java
	// (apex/jobscheduler/service/.../AnyMotionDetector.java from API 31)
	// checkForAnyMotion clears both gravity vectors, so the first orientation
	// measurement (ORIENTATION_MEASUREMENT_DURATION_MILLIS = 2500 ms of samples
	// every SAMPLING_INTERVAL_MILLIS = 40 ms) ends RESULT_UNKNOWN
	// (getStationaryStatus needs a previous vector), another is scheduled
	// ORIENTATION_MEASUREMENT_INTERVAL_MILLIS = 5000 ms later, and that one
	// answers RESULT_STATIONARY or RESULT_MOVED: 2.5 + 5 + 2.5 s = 10 s.
	anyMotion time.Duration
	// sensingTimeout is DeviceIdleController SENSING_TIMEOUT = 4 min
	// (M–S: Constants getLong/getDurationMillis(KEY_SENSING_TIMEOUT,
	// 4 * 60 * 1000L); T+: mDefaultSensingTimeout = 240000): the bound on
	// SENSING when the accelerometer never answers. The model's detector
	// always answers (anyMotion < sensingTimeout), so it bounds anyMotion.
	sensingTimeout time.Duration
	// locatingTimeout is LOCATING_TIMEOUT = 30 s (M–S: KEY_LOCATING_TIMEOUT
	// default 30 * 1000L; T+: mDefaultLocatingTimeout = 30000). No location
	// fix is modelled (a fix within LOCATION_ACCURACY = 20 m ends LOCATING
	// early), so LOCATING lasts the whole timeout. Whether LOCATING is
	// entered at all: config_autoPowerModePrefetchLocation (T+ Injector
	// isLocationPrefetchEnabled; before T, whether a network or GPS provider
	// exists, which a phone has), assumed true on a phone.
	locatingTimeout time.Duration
	// motionInactive is MOTION_INACTIVE_TIMEOUT = 10 min (M–S getLong/
	// getDurationMillis(KEY_MOTION_INACTIVE_TIMEOUT, 10 * 60 * 1000L); T+
	// mDefaultMotionInactiveTimeout = 600000): significant motion in
	// IDLE_PENDING, SENSING, LOCATING, IDLE or IDLE_MAINTENANCE
	// (DeviceIdleController.motionLocked → handleMotionDetectedLocked)
	// restarts INACTIVE with this timeout. AnyMotionDetector's RESULT_MOVED
	// during SENSING instead passes INACTIVE_TIMEOUT (onAnyMotionResult,
	// "non_stationary"; M: enterInactiveStateLocked, also INACTIVE_TIMEOUT).
	motionInactive time.Duration
	// noLocationPrefetch: DeviceIdleController.Injector
	// isLocationPrefetchEnabled() is false, so stepIdleStateLocked moves to
	// LOCATING without requesting a location (mLocating stays false) and
	// falls through to IDLE at once.
	noLocationPrefetch bool
}

// dozeSensingByAPI: the timeouts are unchanged from API 23 through API 36
// (the values above are the same in M's services/core DeviceIdleController
// and in the apex/jobscheduler copy of T–16).
var dozeSensingByAPI = []struct {
	from int
	v    dozeSensingTable
}{
	{23, dozeSensingTable{
		anyMotion:       2500*time.Millisecond + 5000*time.Millisecond + 2500*time.Millisecond,
		sensingTimeout:  4 * time.Minute,
		locatingTimeout: 30 * time.Second,
		motionInactive:  10 * time.Minute,
	}},
	// API 36 (Android 16): DeviceIdleController.Injector
	// isLocationPrefetchEnabled() = !Flags.removeIdleLocation() &&
	// config_autoPowerModePrefetchLocation. The aconfig flag
	// com.android.server.deviceidle.remove_idle_location is read-only
	// (decompiled builds list it in CustomFeatureFlags mReadOnlyFlagsSet), and
	// published `dumpsys deviceidle` output of recent phones prints
	// "remove_idle_location=true" and "Location prefetching disabled" (their
	// Android version is not stated). With it, stepIdleStateLocked enters
	// LOCATING without a location request and falls through to IDLE at once.
	// Taken as on from API 36, the release whose DeviceIdleController read
	// here carries the flag; whether some API 35 builds had it could not be
	// established, so API 35 keeps LOCATING. Confidence: measured by others.
	// API 37: no Android 17 source of it was available; kept.
	{36, dozeSensingTable{
		anyMotion:          2500*time.Millisecond + 5000*time.Millisecond + 2500*time.Millisecond,
		sensingTimeout:     4 * time.Minute,
		locatingTimeout:    30 * time.Second,
		motionInactive:     10 * time.Minute,
		noLocationPrefetch: true,
	}},
}

// dozeSensingFor is the SENSING/LOCATING row for an API level.
func dozeSensingFor(api int) dozeSensingTable {
	v := dozeSensingByAPI[0].v
	for _, r := range dozeSensingByAPI {
		if r.from <= api {
			v = r.v
		}
	}
	return v
}

// concurrencyTable is JobConcurrencyManager's limit on jobs running at once,
// as it bears on one app's jobs at the normal memory trim level
// (ProcessStats.ADJ_MEM_FACTOR_NORMAL; the model has no memory pressure):
// the WorkTypeConfig "screen_on_normal" / "screen_off_normal". A regular job
// of an app not on top is WORK_TYPE_BG, capped at bgOn / bgOff; every job
// (expedited WORK_TYPE_EJ, WORK_TYPE_TOP while the app is on top, BG)
// shares totalOn / totalOff. The screen-off row applies
// DEFAULT_SCREEN_OFF_ADJUSTMENT_DELAY_MS = 30 s after the screen goes off
// (rampUpForScreenOff); screen on applies at once.
type concurrencyTable struct {
	totalOn, totalOff int
	bgOn, bgOff       int
}

// concurrencyByAPI rows. The concurrency model changed three times: at API
// 29 (JobConcurrencyManager with separate screen-on/off limits), at API 31
// (WorkTypeConfig work types, expedited jobs) and at API 34 (limits scaled
// from DEFAULT_CONCURRENCY_LIMIT by RAM).
var concurrencyByAPI = []struct {
	from int
	v    concurrencyTable
}{
	// API 23–28 (M–P): FB services/core/java/com/android/server/job/
	// JobSchedulerService.java MAX_JOB_CONTEXTS_COUNT = 16 and Constants
	// DEFAULT_BG_NORMAL_JOB_COUNT = 6 (DEFAULT_FG_JOB_COUNT = 4); no
	// screen-on/off distinction.
	{23, concurrencyTable{totalOn: 16, totalOff: 16, bgOn: 6, bgOff: 6}},
	// API 29–30 (Q, R): JobSchedulerService.Constants MAX_JOB_COUNTS_SCREEN_ON
	// normal MaxJobCounts(8 "max_job_total_on_normal", 6
	// "max_job_max_bg_on_normal", 2) and MAX_JOB_COUNTS_SCREEN_OFF normal
	// (10, 6, 2), applied by JobConcurrencyManager after
	// SCREEN_OFF_JOB_CONCURRENCY_INCREASE_DELAY_MS.
	{29, concurrencyTable{totalOn: 8, totalOff: 10, bgOn: 6, bgOff: 6}},
	// API 31–33 (S, S_V2, T): job/JobConcurrencyManager.java
	// CONFIG_LIMITS_SCREEN_ON WorkTypeConfig("screen_on_normal", 11, …, max
	// {BG 6, BGUSER_IMPORTANT 2, BGUSER 3}) and CONFIG_LIMITS_SCREEN_OFF
	// ("screen_off_normal", 16, …, max {BG 10, BGUSER_IMPORTANT 2, BGUSER 3}),
	// as shipped in Android 12 and 13 builds (services.jar of both read
	// decompiled; they agree). An earlier S development snapshot of the
	// source had screen_off_normal 15 with max BG 6 and no per-package
	// limit; whether the first S release (API 31) still had those could not
	// be established (the Android 12 build read may be 12L, API 32), so the
	// shipped-build values are used from API 31. DEFAULT_PKG_CONCURRENCY_LIMIT_EJ = 3 and
	// DEFAULT_PKG_CONCURRENCY_LIMIT_REGULAR = 8 appear in the same builds.
	{31, concurrencyTable{totalOn: 11, totalOff: 16, bgOn: 6, bgOff: 10}},
	// API 34+ (U onwards): DEFAULT_CONCURRENCY_LIMIT by RAM (8 low-RAM; 16
	// up to 6 GB; 20 up to 8 GB; 32 up to 12 GB; 40 above), the model a
	// phone of up to 6 GB: 16. WorkTypeConfig("screen_on_normal", 16, 16 * 3
	// / 4 = 12, …, max ratio {BG 0.5, …}) and ("screen_off_normal", 16, 16,
	// …, max ratio {BG 0.6, …}); WorkTypeConfig.getMaxValue =
	// max(1, (int) (maxTotal * ratio)): BG 6 screen on, 9 screen off.
	// DEFAULT_PKG_CONCURRENCY_LIMIT_REGULAR = DEFAULT_CONCURRENCY_LIMIT / 2
	// (8) and DEFAULT_PKG_CONCURRENCY_LIMIT_EJ = 3 apply only when the whole
	// pending queue fills the device (isPkgConcurrencyLimitedLocked), which
	// one app under WorkManager's 20-job limit does not: not modelled (see
	// pkgConcurrencyByAPI). API 35–36: same source; API 37: no Android 17
	// source of it was available; the API 36 row is kept.
	{34, concurrencyTable{totalOn: 12, totalOff: 16, bgOn: 6, bgOff: 9}},
}

// pkgConcurrency is JobConcurrencyManager's per-package limit: at most ej
// expedited and regular other jobs of one package run at once, applied by
// isPkgConcurrencyLimitedLocked only while the pending queue plus running
// jobs reach the WorkTypeConfig's maxTotal (other apps fill the device).
// Recorded for the documentation and its test; the model has one app and
// does not apply it. Zero: no per-package limit in that release.
type pkgConcurrency struct{ ej, regular int }

// pkgConcurrencyByAPI rows.
var pkgConcurrencyByAPI = []struct {
	from int
	v    pkgConcurrency
}{
	// API 23–30: no per-package limit (JobSchedulerService / Q–R
	// JobConcurrencyManager have none).
	{23, pkgConcurrency{}},
	// API 31–33: DEFAULT_PKG_CONCURRENCY_LIMIT_EJ = 3,
	// DEFAULT_PKG_CONCURRENCY_LIMIT_REGULAR = 8 (Android 12 and 13 builds;
	// the first S development snapshot had no such limit, so API 31 is the
	// earliest release it may apply to).
	{31, pkgConcurrency{ej: 3, regular: 8}},
	// API 34+: DEFAULT_PKG_CONCURRENCY_LIMIT_EJ = 3,
	// DEFAULT_PKG_CONCURRENCY_LIMIT_REGULAR = DEFAULT_CONCURRENCY_LIMIT / 2
	// = 8 on a phone of up to 6 GB. API 37: API 36 row kept (no Android 17
	// source of it was available).
	{34, pkgConcurrency{ej: 3, regular: 8}},
}

// pkgConcurrencyFor is the per-package limit row for an API level.
func pkgConcurrencyFor(api int) pkgConcurrency {
	v := pkgConcurrencyByAPI[0].v
	for _, r := range pkgConcurrencyByAPI {
		if r.from <= api {
			v = r.v
		}
	}
	return v
}

// FB job/JobConcurrencyManager.java DEFAULT_SCREEN_OFF_ADJUSTMENT_DELAY_MS
// = 30000 (S onwards): the screen-off limits apply this long after screen-off.
const screenOffAdjustmentDelay = 30 * time.Second

// concurrencyFor is the concurrency row for an API level.
func concurrencyFor(api int) concurrencyTable {
	v := concurrencyByAPI[0].v
	for _, r := range concurrencyByAPI {
		if r.from <= api {
			v = r.v
		}
	}
	return v
}
