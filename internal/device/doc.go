// Package device is the model of the phone a scenario runs on.
//
// It models battery, charger, network, screen and lock, motion, storage,
// power (reboot, dead battery), Low Power Mode / Battery Saver, thermal
// state, the app's process state and launch history, and the seeded daily
// usage profiles that drive them.
//
// # Events
//
// A Device is driven by the sim kernel: every change happens in a kernel
// event at an exact virtual time, and subscribers (the OS models) are told of
// it in subscription order, as a Change carrying the state before and after
// and a reason. Derived signals follow the change that caused them, in a
// fixed order: battery level step, then battery low/okay, then storage
// low/ok. Thresholds (Thresholds, with their AOSP sources) are platform
// semantics: battery low at ≤ 15 % unplugged and okay at ≥ 20 % or on
// plugging in; storage low at ≤ min(5 % of total, 500 MiB).
//
// # Battery physics
//
// The battery current is the sum of the consumers that are on (Currents:
// screen, a screen-off activity tail, running tasks via SetCPUBusy /
// TaskStarted / TaskEnded, the radio by network type, the sleep floor) minus
// a charger's current, which tapers above 80 %. It changes only when the
// state does, so between changes the charge is a straight line: the instant
// each whole percent is crossed is computed, not polled, and scheduled as one
// event. Charge is integrated in µA·ns with integer (128-bit where needed)
// arithmetic, so the battery is bit-identical on every CPU. Level() rounds
// down: the level drops to N−1 the first nanosecond the charge is below N %
// and rises to N+1 the first nanosecond it reaches N+1 %. At 0 % the device
// powers off; on a charger it boots again at Currents.BootPercent.
//
// # Profiles
//
// A Profile (built-in: always-on-charger, office-worker, heavy-user,
// light-user, night-shift, idle-shelf; or defined in YAML) generates screen
// sessions, app launches, charging, Wi-Fi / cellular / no-signal periods and
// motion from the engine's "device.profile" random stream, in the local time
// of the start's UTC offset. Days are planned one at a time at local
// midnight, and a single kernel event walks the plan, so a year of a device
// costs the memory of a day. Stats collects per-day statistics (screen time,
// interactions, launches, charging, time per network, battery min/mean).
//
// The device model keeps no process lifecycle of its own beyond what users
// and the OS tell it (LaunchApp, BackgroundApp, StartProcess, KillProcess...):
// suspending or reclaiming a backgrounded app is the OS models' decision.
package device
