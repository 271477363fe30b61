// Package android is the model of Android's background scheduling for one
// app on one simulated device.
//
// It covers WorkManager (the WorkSpec database, calculateNextRunTime,
// WorkerWrapper's gate and result handling, unique-work policies and chains)
// over JobScheduler (one-shot jobs with a minimum latency and constraints,
// the execution limit, system-stop backoff), Doze (deep and light), App
// Standby buckets with QuotaController's quotas, Battery Saver, and what
// reboot, force-stop and app updates do to work.
//
// The model is a policy state machine driven by the kernel: it reads no clock
// of its own, subscribes to the device's changes, and schedules evaluations at
// the exact instants something time-based changes (a run time, a Doze step, a
// quota refill), never by polling. Every decision emits a trace record whose
// source is "android.workmanager", "android.jobscheduler", "android.doze" or
// "android.standby", with the reason in words ("constraint unmet: network
// (unmetered)", "Doze (IDLE): next maintenance window at +04:00:30",
// "standby bucket rare quota used: sessions 3 of 3 per 24h0m0s; refills at …").
//
// Platform constants live in constants.go, each citing the androidx or AOSP
// source it comes from; behaviour that changed across releases is selected by
// Config.API (23–37) through profileFor and the per-release tables in levels.go.
package android
