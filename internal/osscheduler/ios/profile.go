package ios

// Every iOS platform constant and rule the model uses lives in this file,
// named, with the source it comes from. Sources are tagged as in the project's
// iOS reference: Apple documentation [A], DTS / WWDC [D], reverse-engineered
// dasd / BackgroundTasks.framework builds [R], community reports [C]. Values
// with no published number are model parameters (the Params sets below) and
// say so.

import (
	"fmt"
	"math"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Versions.
const (
	// DefaultVersion is the iOS version a Config with Version 0 models.
	DefaultVersion = 17
	// MinVersion: BGTaskScheduler first shipped in iOS 13
	// (https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler, "iOS 13.0+").
	MinVersion = 13
	// MaxVersion: iOS 26 followed iOS 18 (versions 19–25 do not exist); iOS
	// 27 is the current beta SDK.
	MaxVersion = 27
	// SubmitRequestAPISince: the iOS 27 SDK adds
	// BGTaskScheduler.submitTaskRequest(_:completionHandler:) and marks
	// submit(_:) as ending at 27.0
	// (https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/submit(_:) [A]);
	// the plugin still calls submit(_:), which keeps working.
	SubmitRequestAPISince = 27
	// HealthResearchSince: BGHealthResearchTaskRequest is "iOS 17.0+"
	// (https://developer.apple.com/documentation/backgroundtasks/bghealthresearchtaskrequest).
	HealthResearchSince = 17
	// ContinuedProcessingSince: BGContinuedProcessingTaskRequest is "iOS 26.0+"
	// (https://developer.apple.com/documentation/backgroundtasks/bgcontinuedprocessingtaskrequest).
	ContinuedProcessingSince = 26
	// LateRegistrationAllowedSince: iOS 13–18 assert "All launch handlers must be
	// registered before application finishes launching" (BackgroundTasks.framework
	// BGTaskScheduler.m, iOS 18.2 build 22C152 [R]; field report shinyorg/shiny#280);
	// the iOS 26.0 binary no longer contains the assertion (blacktop/ipsw-diffs,
	// BackgroundTasks.md 18.x→26.0 [R]).
	LateRegistrationAllowedSince = 26
)

// Pending-request limits: "A total of 1 refresh task and 10 processing tasks
// can be scheduled at any time"
// (https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler/submit(_:) [A]).
// Resubmitting a pending identifier replaces it and does not count.
const (
	MaxPendingRefresh    = 1
	MaxPendingProcessing = 10
)

// Budgets.
const (
	// RefreshBudgetCap: an app refresh task gets "up to 30 seconds"
	// (https://developer.apple.com/documentation/backgroundtasks/choosing-background-strategies-for-your-app [A]).
	RefreshBudgetCap = 30 * time.Second
	// FetchBudget: performFetchWithCompletionHandler has "up to 30 seconds of
	// wall-clock time" before the app is terminated
	// (https://developer.apple.com/documentation/uikit/uiapplicationdelegate/application(_:performfetchwithcompletionhandler:) [A]).
	FetchBudget = 30 * time.Second
	// InProcessBudget: beginBackgroundTask work gets roughly 30 s after the app
	// leaves the foreground (WWDC20-10063 "Background execution demystified" [D];
	// https://developer.apple.com/documentation/uikit/extending-your-app-s-background-execution-time [A]
	// gives no number, so this is the session's figure).
	InProcessBudget = 30 * time.Second
)

// Legacy background fetch.
const (
	// FetchMinimumInterval is what backgroundFetchIntervalMinimum ("the smallest
	// interval supported by the system") amounts to: 15 minutes, the fastest
	// rate the transistorsoft background-fetch docs report iOS granting
	// (transistorsoft/react-native-background-fetch README, minimumFetchInterval [C]).
	FetchMinimumInterval = 15 * time.Minute
	// FetchWindow: dasd schedules the app's com.apple.fetch.<bundle> activity in
	// [now + interval, now + 24 h] (_DASBARScheduler.mm, iOS 26.1 [R]).
	// Informational: the model's overdue rule (Params.OverdueAfter ≤ 24 h in
	// every set) fires before the window would close.
	FetchWindow = 24 * time.Hour
	// FetchTopAppsWindow: only the top 50 apps by in-focus use over the last 14
	// days are eligible (_DASBARScheduler.mm, iOS 26.1 [R]). A one-app simulator
	// models it as "opened in the last 14 days".
	FetchTopAppsWindow = 14 * 24 * time.Hour
	// FetchActivityID is the dasd activity name of the app's fetch
	// (com.apple.fetch.<bundle>, _DASBARScheduler.mm [R]).
	FetchActivityID = "com.apple.fetch"
	// FetchTaskName is the name the workmanager plugin delivers to Dart for a
	// legacy fetch (Workmanager.iOSBackgroundTask, WorkmanagerPlugin.swift).
	FetchTaskName = "iOSPerformFetch"
)

// Gates.
const (
	// EvalInterval: the model's dasd evaluates its activities every 15 minutes
	// of virtual time, and at device changes (the project's PLATFORM-FACTS
	// choice; dasd's own timer is not published).
	EvalInterval = 15 * time.Minute
	// LowPowerPluggedMinPercent: _DASLowPowerModePolicy enforces Low Power Mode
	// when it is on and the device is unplugged or below 30 % [R]; Apple:
	// "Background App Refresh is disabled automatically" in Low Power Mode
	// (https://developer.apple.com/documentation/uikit/uiapplication/backgroundrefreshstatus [A]).
	LowPowerPluggedMinPercent = 30
	// CriticalBatteryPercent: below 20 % only essential work runs (WWDC20-10063 [D];
	// _DASBatteryLevelPolicy: background score ((level−20)/80)^0.5 [R]).
	CriticalBatteryPercent = 20
	// DailyBudgetWindow is the rolling window of Params.DailyLaunches (WWDC20-10063
	// factor 6: energy and data budgets "spread over the day").
	DailyBudgetWindow = 24 * time.Hour
	// ProcessingAppUseWindow: the system tries to run a processing request within
	// two days if the user used the app within the past week (iOS 13 SDK
	// BGTaskRequest.h [A]). Informational: the model does not gate on it.
	ProcessingAppUseWindow = 7 * 24 * time.Hour
)

// Usage-prediction shape (_DASApplicationPolicy.mm, iOS 26.1 [R]).
const (
	// PredictionHorizon: p is the probability the app is used within ~7.5 min,
	// plus a 0–22.5 min jitter.
	PredictionHorizon       = 7*time.Minute + 30*time.Second
	PredictionHorizonJitter = 22*time.Minute + 30*time.Second
	// NoPredictionProbability is p when there is no prediction for the app.
	NoPredictionProbability = 0.0025
	// UsageSaturation: a score √p above 0.25 becomes 1.
	UsageSaturation = 0.25
	// QueuedRequestBonus: +0.1 per extra queued request of the app.
	QueuedRequestBonus = 0.1
	// OverdueFactor / RecentAppBonus: an overdue activity's score is ×0.65,
	// then +0.35 if the app is among the 25 most recently used.
	OverdueFactor  = 0.65
	RecentAppBonus = 0.35
	// OverdueSaturation: after the overdue step, a score above 0.5 becomes 1.
	OverdueSaturation = 0.5
	// HistoryWindow: the time-of-day histogram covers the last 14 days (the
	// usage window dasd uses for BAR eligibility, _DASBARScheduler.mm [R]).
	HistoryDays = 14
	// RecentlyUsedWindow models "among the 25 most recently used apps" as
	// "opened in the last 24 hours" (model choice: one app, no other apps).
	RecentlyUsedWindow = 24 * time.Hour
)

// BatteryMultiplier is _DASBatteryLevelPolicy's background-priority score
// (iOS 26.1 [R]): √((level−20)/80), ×1.2 when plugged in, clamped to [0, 1].
func BatteryMultiplier(level int, plugged bool) float64 {
	if level >= 0 && level <= 100 {
		p := 0
		if plugged {
			p = 1
		}
		return batteryMultipliers[level][p] // every dasd pass asks
	}
	return batteryMultiplier(level, plugged)
}

func batteryMultiplier(level int, plugged bool) float64 {
	if level <= CriticalBatteryPercent {
		return 0
	}
	s := math.Sqrt(float64(level-CriticalBatteryPercent) / 80)
	if plugged {
		s *= 1.2
	}
	return min(max(s, 0), 1)
}

// batteryMultipliers is batteryMultiplier for every whole percent, unplugged
// and plugged: the same float64s, computed once.
var batteryMultipliers = func() (t [101][2]float64) {
	for l := range t {
		t[l] = [2]float64{batteryMultiplier(l, false), batteryMultiplier(l, true)}
	}
	return t
}()

// ThermalMultiplier maps ProcessInfo.ThermalState onto _DASThermalPolicy's
// levels (iOS 26.1 [R]: nominal 1.0, light 0.6, moderate 0.2, heavy 0.1,
// trapping 0). fair → light, serious → moderate, critical → heavy; serious and
// critical are also a hard gate in this model (ThermalBlocks).
func ThermalMultiplier(t device.Thermal) float64 {
	switch t {
	case device.ThermalFair:
		return 0.6
	case device.ThermalSerious:
		return 0.2
	case device.ThermalCritical:
		return 0.1
	default:
		return 1
	}
}

// ThermalBlocks reports whether a thermal state holds background launches back
// (the project's gate: serious and critical).
func ThermalBlocks(t device.Thermal) bool {
	return t == device.ThermalSerious || t == device.ThermalCritical
}

// Profile is the behaviour that differs by iOS version.
type Profile struct {
	Version                 int
	LateRegistrationCrashes bool // register after launch raises (≤ 18)
	HealthResearch          bool // BGHealthResearchTaskRequest exists (≥ 17)
	ContinuedProcessing     bool // BGContinuedProcessingTaskRequest exists (≥ 26)
	SubmitDeprecated        bool // submit(_:) is deprecated in favour of submitTaskRequest (≥ 27)
}

// ProfileFor returns the profile of iOS version v (0 → DefaultVersion).
// Versions outside 13–27, or 19–25 (which do not exist), are an error.
func ProfileFor(v int) (Profile, error) {
	if v == 0 {
		v = DefaultVersion
	}
	if v < MinVersion || v > MaxVersion || (v > 18 && v < 26) {
		return Profile{}, fmt.Errorf("ios version %d is not modelled: use 13–18, 26 or 27", v)
	}
	return Profile{
		Version:                 v,
		LateRegistrationCrashes: v < LateRegistrationAllowedSince,
		HealthResearch:          v >= HealthResearchSince,
		ContinuedProcessing:     v >= ContinuedProcessingSince,
		SubmitDeprecated:        v >= SubmitRequestAPISince,
	}, nil
}

// Heuristic parameter set names.
const (
	HeuristicsOptimistic  = "optimistic"
	HeuristicsTypical     = "typical"
	HeuristicsPessimistic = "pessimistic"
)

// Params are the model parameters of the parts of dasd that are not published:
// the run threshold, the seeded acceptance, rate limits, daily budgets and
// budgets' sizes. They are calibrated against the community observations in
// MODEL.md, not measured on devices; the three sets bracket the range.
type Params struct {
	Name string
	// Threshold is the score a refresh or fetch launch must reach.
	Threshold float64
	// Accept is the chance that an evaluation whose score clears the threshold
	// launches now (dasd batches and spreads launches; seeded, "ios.dasd").
	Accept float64
	// RecencyHalfLife weights the histogram days: a launch d days ago counts
	// 2^(−(d−1)/halflife). It makes predictions fade when the app is not opened.
	RecencyHalfLife float64 // in days
	// OverdueAfter: a request eligible for this long is "overdue".
	OverdueAfter time.Duration
	// MinGap is the least time between two background launches of the app for
	// refresh or fetch (WWDC20-10063 factor 7, rate limiting; value unpublished).
	MinGap time.Duration
	// DailyLaunches caps refresh + fetch launches in any 24 h (WWDC20-10063
	// factor 6, budgets; value unpublished).
	DailyLaunches int
	// RefreshBudget is the grant of a refresh task (≤ RefreshBudgetCap; field
	// reports of 2–5 s, developer forums thread 780956 [C]).
	RefreshBudget time.Duration
	// ProcessingBudgetMin/Max bound a processing task's grant ("minutes";
	// workmanager docs say typically 1–10).
	ProcessingBudgetMin, ProcessingBudgetMax time.Duration
	// ProcessingChance is the chance per evaluation that an eligible
	// processing request starts (it is not launched the instant the phone is
	// plugged in).
	ProcessingChance float64
	// ExpiryBackoff: after a task is killed at its budget without
	// setTaskCompleted, the app gets no background launch for this long,
	// doubling per consecutive expiry up to MaxExpiryBackoff (WWDC22-10142:
	// apps "may be … throttled for future background task requests" [D]).
	ExpiryBackoff, MaxExpiryBackoff time.Duration
	// FetchFailureWeight / FetchWeightFloor: a fetch that reports failed (or
	// expires) multiplies the app's fetch weight by this, down to the floor; a
	// newData result restores FetchWeightRecovery (a weak weight: Apple's text
	// says honest, quick fetches get more opportunities, no numbers).
	FetchFailureWeight, FetchWeightFloor, FetchWeightRecovery float64
	// FailureDeferral / MaxFailureDeferral are the failure-feedback
	// heuristic, an ASSUMPTION Apple does not document: after a refresh task
	// completes with setTaskCompleted(success: false), its identifier is not
	// launched again for FailureDeferral, doubling per consecutive failure up
	// to MaxFailureDeferral; a successful run clears it. Source: the plugin's
	// docs ("Returning false reports the task as failed to the system, and
	// repeated failures cause iOS to defer future runs", workmanager
	// docs/customization.mdx at 0.10.7); Apple only says completion is
	// reported (setTaskCompleted(success:)) and, for legacy fetch, that
	// failures get "fewer future opportunities". The amounts are model
	// parameters, not measurements. Zero turns the heuristic off.
	FailureDeferral, MaxFailureDeferral time.Duration
}

// ParamSets are the three named heuristic sets.
var ParamSets = map[string]Params{
	HeuristicsOptimistic: {
		Name: HeuristicsOptimistic, Threshold: 0.15, Accept: 0.9, RecencyHalfLife: 2,
		OverdueAfter: 2 * time.Hour, MinGap: 15 * time.Minute, DailyLaunches: 48,
		RefreshBudget: 30 * time.Second, ProcessingBudgetMin: 5 * time.Minute, ProcessingBudgetMax: 10 * time.Minute,
		ProcessingChance: 0.9, ExpiryBackoff: 30 * time.Minute, MaxExpiryBackoff: 6 * time.Hour,
		FetchFailureWeight: 0.95, FetchWeightFloor: 0.7, FetchWeightRecovery: 0.1,
		FailureDeferral: 30 * time.Minute, MaxFailureDeferral: 6 * time.Hour,
	},
	HeuristicsTypical: {
		Name: HeuristicsTypical, Threshold: 0.30, Accept: 0.7, RecencyHalfLife: 1,
		OverdueAfter: 6 * time.Hour, MinGap: 15 * time.Minute, DailyLaunches: 24,
		RefreshBudget: 30 * time.Second, ProcessingBudgetMin: 2 * time.Minute, ProcessingBudgetMax: 10 * time.Minute,
		ProcessingChance: 0.5, ExpiryBackoff: time.Hour, MaxExpiryBackoff: 24 * time.Hour,
		FetchFailureWeight: 0.9, FetchWeightFloor: 0.5, FetchWeightRecovery: 0.05,
		FailureDeferral: time.Hour, MaxFailureDeferral: 12 * time.Hour,
	},
	HeuristicsPessimistic: {
		Name: HeuristicsPessimistic, Threshold: 0.50, Accept: 0.5, RecencyHalfLife: 0.5,
		OverdueAfter: 24 * time.Hour, MinGap: time.Hour, DailyLaunches: 6,
		RefreshBudget: 5 * time.Second, ProcessingBudgetMin: time.Minute, ProcessingBudgetMax: 3 * time.Minute,
		ProcessingChance: 0.3, ExpiryBackoff: 4 * time.Hour, MaxExpiryBackoff: 48 * time.Hour,
		FetchFailureWeight: 0.8, FetchWeightFloor: 0.3, FetchWeightRecovery: 0.02,
		FailureDeferral: 2 * time.Hour, MaxFailureDeferral: 24 * time.Hour,
	},
}

// ParamsFor returns the named parameter set ("" → typical).
func ParamsFor(name string) (Params, error) {
	if name == "" {
		name = HeuristicsTypical
	}
	p, ok := ParamSets[name]
	if !ok {
		return Params{}, fmt.Errorf("unknown ios heuristics %q: use optimistic, typical or pessimistic", name)
	}
	return p, nil
}

// Background modes (Info.plist UIBackgroundModes).
const (
	ModeFetch      = "fetch"      // BGAppRefreshTask and legacy fetch
	ModeProcessing = "processing" // BGProcessingTask, BGHealthResearchTask
)

// requiredMode is the UIBackgroundModes entry a request kind needs
// (https://developer.apple.com/documentation/backgroundtasks/bgtaskscheduler [A]).
func requiredMode(k osscheduler.Kind) string {
	switch k {
	case osscheduler.Periodic:
		return ModeFetch
	case osscheduler.Processing, osscheduler.HealthResearch:
		return ModeProcessing
	}
	return ""
}
