package runner

import (
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/scenarios"
)

// contentChangeStep tells the Android model that content changed.
func (w *World) contentChangeStep(c *scenarios.ContentChange) {
	am := w.Plugin.Android()
	if am == nil {
		w.warn("os_setting_ignored", "content_change has no meaning on "+string(w.Platform)+"; ignored")
		return
	}
	am.ContentChanged(c.URI)
}

// runJobStep is `adb shell cmd jobscheduler run [-f]` on the Android model.
func (w *World) runJobStep(o *scenarios.OSChange) {
	if o.RunJob == "" {
		return
	}
	am := w.Plugin.Android()
	if am == nil {
		w.warn("os_setting_ignored", "os.run_job has no meaning on "+string(w.Platform)+"; ignored")
		return
	}
	if err := am.RunJob(o.RunJob, o.Force != nil && *o.Force); err != nil {
		w.warn("run_job", err.Error())
	}
}

// androidConfig2 fills the android.Config fields this file owns.
func androidConfig2(sc *scenarios.Scenario, c *android.Config) {
	c.Quota = android.QuotaSource(sc.Android.Quota)
	if c.Quota == "" {
		c.Quota = android.QuotaAOSP
	}
	c.OEMProfile = sc.Android.OEMProfile
	// The androidx.work release the plugin declares decides what
	// GreedyScheduler does in-process (TimeLimiter from 2.9.0) and whether a
	// system stop accumulates JobScheduler backoff (before 2.9.0: 0.2–0.5.2).
	if r, err := plugin.ResolveRelease(string(sc.Plugin.Version), sc.Plugin.Android, sc.Plugin.Apple); err == nil {
		c.WorkManager = r.Caps.WorkManager
	}
}
