package runner

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/scenarios"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
)

// Invariant names, as the result document reports them (one JUnit testcase
// each).
const (
	invConstraint    = report.InvConstraint
	invDoze          = report.InvDoze
	invPeriod        = report.InvPeriod
	invAfterCancel   = report.InvAfterCancel
	invMonotonicTime = report.InvMonotonicTime
	invBudget        = report.InvBudget
)

// iosBackgroundBudget is the longest a BGAppRefreshTask or a background
// fetch may run (Apple: "up to 30 seconds"; BGAppRefreshTask docs).
const iosBackgroundBudget = 30 * time.Second

// invariantChecker watches the trace as it is written and checks the rules
// every run must obey, whatever the scenario asks. It is a sim.Sink: it sees
// each record at the instant it happens, with the device state of that
// instant.
type invariantChecker struct {
	w          *World
	checked    int
	violations []report.Violation
	lastAt     time.Duration
	lastSeq    uint64
	dozeDeep   string
	dozeLight  string
	cancelled  map[string]bool // subjects cancelled and not enqueued again
	lastPeriod map[string]periodMark
	specAt     map[uint64]periodMark // by execution ID: the period at the run's start
}

type periodMark struct {
	interval time.Duration
	flex     time.Duration
}

func newInvariantChecker(w *World) *invariantChecker {
	return &invariantChecker{w: w, cancelled: map[string]bool{}, lastPeriod: map[string]periodMark{}, specAt: map[uint64]periodMark{}}
}

func (c *invariantChecker) violate(at time.Duration, inv, subject, detail string) {
	c.violations = append(c.violations, report.Violation{T: secs(at), Invariant: inv, Subject: subject, Detail: detail})
}

// Record implements sim.Sink.
func (c *invariantChecker) Record(r *sim.Record) {
	c.checked++
	if r.At < c.lastAt || r.Seq <= c.lastSeq {
		c.violate(r.At, invMonotonicTime, r.Subject, fmt.Sprintf("record %d at %s follows record %d at %s", r.Seq, sim.FormatOffset(r.At), c.lastSeq, sim.FormatOffset(c.lastAt)))
	}
	c.lastAt, c.lastSeq = r.At, r.Seq
	switch r.Source {
	case event.SourceDevice:
		if r.Kind == event.PowerOff {
			// DeviceIdleController's state is in memory: a booted device
			// starts ACTIVE (DeviceIdleController.onStart), whatever it
			// was before the reboot.
			c.dozeDeep, c.dozeLight = "ACTIVE", "ACTIVE"
		}
	case event.SourceAndroidDoze:
		if f, ok := r.Field("deep"); ok {
			c.dozeDeep = f.Str
		}
		if f, ok := r.Field("light"); ok {
			c.dozeLight = f.Str
		}
	case event.SourceAndroidWorkManager:
		switch r.Kind {
		case event.Cancelled:
			c.cancelled[workKey(r)] = true
		case event.Enqueued, event.Updated:
			delete(c.cancelled, workKey(r))
		case event.Started:
			// GreedyScheduler's in-process start: cancellation and the
			// declared constraints apply; Doze deferral does not.
			c.androidStarted(r, true)
		}
	case event.SourceAndroidJobScheduler:
		if r.Kind == event.Started {
			c.androidStarted(r, false)
		}
	}
}

// workKey identifies one WorkSpec: its id (a unique name may hold several,
// e.g. periodic work and a one-off appended under the same name, and
// cancelling by tag cancels only the tagged one), or the subject.
func workKey(r *sim.Record) string {
	if f, ok := r.Field("id"); ok && f.Str != "" {
		return f.Str
	}
	return r.Subject
}

func (c *invariantChecker) androidStarted(r *sim.Record, inProcess bool) {
	c.checked++
	if c.cancelled[workKey(r)] {
		c.violate(r.At, invAfterCancel, r.Subject, "started after it was cancelled, with no new enqueue in between")
	}
	am := c.w.Plugin.Android()
	if am == nil {
		return
	}
	idf, _ := r.Field("id")
	spec, ok := am.Spec(idf.Str)
	if !ok {
		return
	}
	if ex, ok := r.Field("exec"); ok && spec.Periodic {
		// The period in force when this run started (a later UPDATE or
		// REPLACE may change the spec before the run is judged).
		c.specAt[uint64(ex.Int)] = periodMark{interval: spec.Interval, flex: spec.Flex}
	}
	st := c.w.Device.State()
	k := spec.Constraints
	if k.RequiredNetwork == android.NetworkMetered && c.w.Scenario.Android.API < 26 {
		// JobInfo.NETWORK_TYPE_METERED exists from API 26; below it
		// WorkManager asks for any network (SystemJobInfoConverter.convertNetworkType).
		k.RequiredNetwork = android.NetworkConnected
	}
	if why := unmet(k, st); why != "" && !spec.Expedited {
		c.violate(r.At, invConstraint, r.Subject, "started while its declared constraint was unmet: "+why)
	}
	if inProcess {
		return
	}
	c.checked++
	if !spec.Expedited && (c.dozeDeep == "IDLE" || c.dozeLight == "IDLE") {
		c.violate(r.At, invDoze, r.Subject, fmt.Sprintf("started while Doze was idle (deep %s, light %s), outside a maintenance window", c.dozeDeep, c.dozeLight))
	}
}

// unmet names the first declared constraint the device state does not meet,
// by JobScheduler's rules (ConnectivityController, BatteryController,
// StorageController). Device idle is JobScheduler's own judgement and is
// left to the model.
func unmet(k android.Constraints, st device.State) string {
	n := st.Network
	switch k.RequiredNetwork {
	case android.NetworkConnected:
		if !n.Connected() {
			return "network (connected)"
		}
	case android.NetworkUnmetered, android.NetworkTemporarilyUnmetered:
		if !n.Connected() || n.Metered {
			return "network (unmetered)"
		}
	case android.NetworkNotRoaming:
		if !n.Connected() || n.Roaming {
			return "network (not roaming)"
		}
	case android.NetworkMetered:
		if !n.Connected() || !n.Metered {
			return "network (metered)"
		}
	}
	switch {
	case k.RequiresCharging && !st.Plugged():
		return "charging"
	case k.RequiresBatteryNotLow && st.BatteryLow:
		return "battery not low"
	case k.RequiresStorageNotLow && st.StorageLow:
		return "storage not low"
	}
	return ""
}

// checkRuns applies the invariants that need whole runs: one periodic run per
// period (Android) and the iOS time budgets.
func (c *invariantChecker) checkRuns(runs []osscheduler.RunRecord) {
	am := c.w.Plugin.Android()
	last := map[string]osscheduler.RunRecord{}
	for _, r := range runs {
		c.checked++
		if c.w.Platform == scenarios.PlatformIOS && (r.Kind == osscheduler.Periodic || r.Kind == osscheduler.Fetch) && r.End >= 0 {
			if r.End-r.Start > iosBackgroundBudget+time.Millisecond {
				c.violate(r.Start, invBudget, r.Unique, fmt.Sprintf("ran %s, beyond the %s background budget", formatDur(r.End-r.Start), formatDur(iosBackgroundBudget)))
			}
		}
		if am == nil || r.Kind != osscheduler.Periodic {
			continue
		}
		prev, ok := last[r.Unique]
		last[r.Unique] = r
		if !ok || prev.End < 0 || (prev.Outcome != osscheduler.OutcomeSuccess && prev.Outcome != osscheduler.OutcomeFailure) {
			continue
		}
		spec, ok := c.specAt[r.ID]
		if !ok {
			continue
		}
		// A completed period re-enqueues the work at its completion time and
		// the next run is due one interval later (WorkSpec.calculateNextRunTime);
		// the first period's flex is the only way to start earlier.
		if min := spec.interval - spec.flex; r.Start-prev.End < min {
			c.violate(r.Start, invPeriod, r.Unique, fmt.Sprintf("started %s after the previous period's run ended at %s; a period is %s (flex %s)",
				formatDur(r.Start-prev.End), sim.FormatOffset(prev.End), formatDur(spec.interval), formatDur(spec.flex)))
		}
	}
}

func (c *invariantChecker) result() report.Invariants {
	return report.Invariants{Checked: c.checked, Violations: c.violations}
}
