// Package osscheduler is the contract between the plugin and an operating
// system's background scheduler, shared by the Android and iOS models in its
// sub-packages.
//
// The plugin's native bridges submit requests to a platform model (the
// platform packages define those request types, since a WorkRequest and a
// BGTaskRequest have little in common). When a model decides to run work it
// hands an Execution to the app's Executor, which finishes it with a Result;
// when the model decides to stop it early it calls Executor.Stop. Everything
// the run document reports about runs, errors and final task states is
// written to a Journal, so that both platforms report in the same shape.
package osscheduler
