package android

import (
	"time"

	"github.com/wmsim/wmsim/internal/device"
)

// FB job/JobSchedulerService.java Constants DEFAULT_RUNTIME_MIN_EJ_GUARANTEE_MS
// = 180000 (3 min; floored at 1 min when set by DeviceConfig): the least an
// expedited job is given to run (JobServiceContext mMaxExecutionTimeMillis =
// max(getMaxJobExecutionTimeMs, getMinJobExecutionGuaranteeMs)).
const ejMinGuarantee = 3 * time.Minute

// ejBudget is how long an expedited job may run before JobScheduler stops it
// (STOP_REASON_TIMEOUT): JobSchedulerService.getMaxJobExecutionTimeMs for an
// EJ is min(RUNTIME_FREE_QUOTA_MAX_LIMIT_MS, QuotaController
// .getMaxJobExecutionTimeMsLocked), which for an EJ on battery with the app
// in the background is the EJ quota left in the 24 h window
// (getRemainingEJExecutionTimeLocked; QuotaControllerTest
// testGetMaxJobExecutionTimeLocked_EJ: rare bucket, 3 min used → 7 min), and
// RUNTIME_FREE_QUOTA_MAX_LIMIT_MS while charging; never below
// ejMinGuarantee. regular is the model's budget for a regular job; it stands
// where the scenario sets its own limit, the app is in the foreground, or the
// release predates these runtime limits (m.prof.freeQuotaRuntime).
func (m *Model) ejBudget(now time.Time, regular time.Duration) time.Duration {
	st := &m.st
	if m.cfg.ExecutionLimit > 0 || st.App == device.ProcessForeground || !m.prof.freeQuotaRuntime {
		return regular
	}
	if !m.quotaApplies(st) {
		return runtimeFreeQuotaMax
	}
	left := m.prof.quota.ej[m.sb.current] - m.ejUsed(now)
	return max(ejMinGuarantee, min(runtimeFreeQuotaMax, left))
}
