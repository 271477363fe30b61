// Package ios is the model of iOS background scheduling for one app, as the
// workmanager plugin's iOS side sees it.
//
// It covers:
//
//   - BGTaskScheduler: Register, Submit (with the errors and crashes of iOS
//     18.2 / 26.1, in their order), Cancel, CancelAll, Pending; app refresh,
//     processing, health-research (iOS 17+) and continued-processing (iOS 26+)
//     requests; launch handlers registered per process from
//     Config.LaunchHandlers.
//   - dasd, the system scheduler: an evaluation every 15 virtual minutes and at
//     device changes (a pass that cannot decide anything new is not repeated,
//     with the same results: quiet.go); hard gates in a fixed order (force-quit, Background App
//     Refresh, background mode, Low Power Mode, battery, thermal, network, idle,
//     external power); a usage-prediction score from the device's launch
//     history with battery and thermal multipliers, a seeded decision against a
//     threshold, rate limits and daily budgets, in three named parameter sets.
//   - Task lifecycle: cold or warm background launches, budgets (refresh 30 s,
//     processing minutes, fetch 30 s), expiry and throttling, interruptions.
//   - Legacy background fetch (setMinimumBackgroundFetchInterval) and
//     in-process one-off work (beginBackgroundTask).
//
// Every constant is named in profile.go with its source; MODEL.md documents
// the model and its calibration against published observations. Every
// decision is traced (sources ios.bgtaskscheduler, ios.dasd, ios.fetch,
// ios.app) with the gate or the score that decided it, once per change of
// reason.
package ios
