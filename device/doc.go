// Package device models the phone a scenario runs on: battery, charger,
// network, screen and idle state, storage, power (reboot), Low Power Mode /
// Battery Saver, thermal state, the app's process state and launch history,
// and the seeded daily usage profiles that drive them.
//
// A Device is driven by the sim kernel: every change happens in a kernel event
// at an exact virtual time, and subscribers (the OS models) are told of it in
// subscription order. Threshold crossings (battery low at 15 %, okay at 20 %,
// storage low) are scheduled for the instant they happen, not polled.
package device
