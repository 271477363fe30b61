package runner

import "github.com/wmsim/wmsim/scenarios"

// osDebuggerStep runs the os step's LLDB commands on the iOS model
// (_simulateLaunchForTaskWithIdentifier:, _simulateExpirationForTaskWithIdentifier:).
func (w *World) osDebuggerStep(o *scenarios.OSChange) {
	im := w.Plugin.IOS()
	if o.SimulateLaunch == nil && o.SimulateExpiration == nil {
		return
	}
	if im == nil {
		w.warn("os_setting_ignored", "os.simulate_launch / simulate_expiration have no meaning on "+string(w.Platform)+"; ignored")
		return
	}
	if o.SimulateLaunch != nil {
		if err := im.SimulateLaunch(*o.SimulateLaunch); err != nil {
			w.warn("simulate_launch", err.Error())
		}
	}
	if o.SimulateExpiration != nil {
		if err := im.SimulateExpiration(*o.SimulateExpiration); err != nil {
			w.warn("simulate_expiration", err.Error())
		}
	}
}
