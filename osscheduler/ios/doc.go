// Package ios models iOS background scheduling for one app: BGTaskScheduler
// (app refresh, processing, health-research and continued-processing
// requests), legacy background fetch, and in-process one-off work, with the
// system's gates (force-quit, Background App Refresh, Low Power Mode,
// battery, thermal, network, idle and power), its usage-prediction
// heuristics (the dasd "Duet" model, documented in MODEL.md) and its budgets.
package ios
