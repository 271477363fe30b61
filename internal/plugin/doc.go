// Package plugin is the Flutter workmanager plugin's core, ported to Go.
//
// It has the Dart-facing API (one method per Dart method, options mirroring
// the named parameters and their defaults), the dispatcher contract, and the
// native Android and iOS sides that turn calls into requests to the OS models
// of package osscheduler. Sub-packages hold the wire formats: Flutter's
// StandardMessageCodec, the Pigeon messages and the legacy MethodChannel maps.
//
// A Plugin is built with New for one platform and one plugin release: any
// workmanager release from 0.2.0 to 0.10.10, or a minor such as V0_10 or V0_5
// meaning its latest release, with the federated platform packages (0.8+)
// optionally pinned. What each release can do is one table
// (CapabilityTable, releases.go); the Dart half of the plugin (api.go) calls
// the native half through one interface with an Android and an iOS
// implementation (platform.go), which read the release's Capabilities.
// New also builds the OS model (android.Model or ios.Model, reachable with
// Android and IOS) and is that model's osscheduler.Executor: when the model
// starts work, the plugin plays the native worker (BackgroundWorker.kt, the
// launch handlers and BackgroundWorker.swift): it starts a headless engine
// (a seeded 300–1500 ms of virtual time), resolves the callback handle stored
// in the device's persistent SharedPreferences / UserDefaults, hands the task
// to the app's handler under the name the real plugin delivers, and maps the
// answer (true → success, false → retry, error or panic → failure) back to
// the model.
//
// Every Dart method returns what Dart would see: nil, a *PlatformError (a
// PlatformException from the native side), an *UnsupportedError or a
// *DartError (thrown before the channel), or a *CrashError when the call
// crashed the app. Rejected calls are also recorded in the osscheduler.Journal
// with a stable code and whether the Dart side saw them, and every call and
// run is a trace event (source "plugin"; debug-handler output under
// "plugin.debug").
//
// The handler is either a Go Handler, run as a kernel process so it may sleep
// on ctx.Clock in virtual time, or an AsyncHandler that answers later from a
// kernel event. Both receive a TaskContext: the received name, the input data
// as Dart's handler sees it (convertPigeonInputData typing on 0.10, jsonDecode
// on 0.5 Android), the attempt, the clock, the device state and the app's
// persistent key-value store. An AsyncHandler that is also a ContextHandler
// answers through ctx.Done and builds the input data on demand
// (ctx.LoadInput); if it lets go of ctx on answering, the plugin reuses the
// run's state, so a run costs the plugin almost no allocation.
//
// Sources: the flutter_workmanager repository at 0.10.7 (af5d75a), tag
// 0.5.1, and for the release table every tag from 0.2.4 to workmanager-v0.10.7
// (docs/plugin-releases.md); androidx.work Data.kt for the serialized-size limit. Where the plugin
// itself is wrong (Dart's StopReason numbering differs from WorkManager's; a
// processing task's result is ignored), the port reproduces it.
package plugin
