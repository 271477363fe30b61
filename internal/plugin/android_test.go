package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
)

func androidInit(t *testing.T, v Version, mod ...func(*Config)) *harness {
	t.Helper()
	h := newHarness(osscheduler.Android, v, mod...)
	require.NoError(t, h.p.Initialize(12345, false))
	return h
}

// WorkManagerUtils.kt toAndroidWorkPolicy (0.10) vs 0.5.1 Extractor.kt
// (ExistingWorkPolicy.valueOf(name.uppercase()), default KEEP).
func TestOneOffPolicyMapping(t *testing.T) {
	cases := []struct {
		v      Version
		policy *ExistingWorkPolicy
		want   android.ExistingWorkPolicy
	}{
		{V0_10, nil, android.Keep},
		{V0_10, Ptr(ExistingAppend), android.AppendOrReplace},
		{V0_10, Ptr(ExistingKeep), android.Keep},
		{V0_10, Ptr(ExistingReplace), android.Replace},
		{V0_10, Ptr(ExistingUpdate), android.AppendOrReplace},
		{V0_5, nil, android.Keep},
		{V0_5, Ptr(ExistingAppend), android.Append},
		{V0_5, Ptr(ExistingKeep), android.Keep},
		{V0_5, Ptr(ExistingReplace), android.Replace},
		{V0_5, Ptr(ExistingUpdate), android.Keep},
	}
	for _, c := range cases {
		h := androidInit(t, c.v)
		require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{ExistingWorkPolicy: c.policy}))
		assert.Equal(t, c.want, h.wm.last().policy, "version %s policy %v", c.v, c.policy)
	}
}

// Periodic default: UPDATE since 0.9 (#628), KEEP in 0.5 (#622).
func TestPeriodicPolicyMapping(t *testing.T) {
	cases := []struct {
		v      Version
		policy *ExistingPeriodicWorkPolicy
		want   android.ExistingPeriodicWorkPolicy
	}{
		{V0_10, nil, android.PeriodicUpdate},
		{V0_10, Ptr(PeriodicKeep), android.PeriodicKeep},
		{V0_10, Ptr(PeriodicReplace), android.PeriodicReplace},
		{V0_10, Ptr(PeriodicUpdate), android.PeriodicUpdate},
		{V0_5, nil, android.PeriodicKeep},
		{V0_5, Ptr(PeriodicKeep), android.PeriodicKeep},
		{V0_5, Ptr(PeriodicReplace), android.PeriodicReplace},
		{V0_5, Ptr(PeriodicUpdate), android.PeriodicKeep},
	}
	for _, c := range cases {
		h := androidInit(t, c.v)
		require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{ExistingWorkPolicy: c.policy}))
		assert.Equal(t, c.want, h.wm.last().pPolicy, "version %s policy %v", c.v, c.policy)
	}
}

// PeriodicWorkRequestTest.kt: (900 s, no flex, delay 120) → interval 900 000
// ms, flex = interval (0 here: "0 → Interval"), delay 120 000 ms; flex 300 →
// 300 000 ms. workmanager_android.dart: frequency null → 900.
func TestPeriodicRequest(t *testing.T) {
	h := androidInit(t, V0_10)
	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{Frequency: Ptr(900 * time.Second), InitialDelay: Ptr(120 * time.Second)}))
	r := h.wm.last().req
	assert.True(t, r.Periodic)
	assert.Equal(t, 900*time.Second, r.Interval)
	assert.Equal(t, time.Duration(0), r.Flex)
	assert.Equal(t, 120*time.Second, r.InitialDelay)

	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{Frequency: Ptr(900 * time.Second), FlexInterval: Ptr(300 * time.Second)}))
	assert.Equal(t, 300*time.Second, h.wm.last().req.Flex)

	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{}))
	assert.Equal(t, 900*time.Second, h.wm.last().req.Interval)

	// Durations are sent as whole seconds (inSeconds).
	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{Frequency: Ptr(time.Hour + 1500*time.Millisecond)}))
	assert.Equal(t, time.Hour+time.Second, h.wm.last().req.Interval)
}

// A frequency below 15 minutes is accepted and WorkManager clamps it; the
// plugin warns in the trace (#204).
func TestPeriodicClampWarning(t *testing.T) {
	h := androidInit(t, V0_10)
	require.NoError(t, h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{Frequency: Ptr(5 * time.Minute)}))
	assert.Equal(t, 5*time.Minute, h.wm.last().req.Interval)
	w := h.records("warning")
	require.Len(t, w, 1)
	assert.Contains(t, w[0].Reason, "clamped to 15m")
}

// ExpeditedWorkRequestTest.kt: expedited true → RUN_AS_NON_EXPEDITED; an
// explicit DROP is kept; false, null or an out-of-quota policy alone → not
// expedited. 0.5: any out-of-quota policy → setExpedited.
func TestExpedited(t *testing.T) {
	cases := []struct {
		name      string
		v         Version
		expedited bool
		ooq       *OutOfQuotaPolicy
		want      bool
		wantOOQ   android.OutOfQuotaPolicy
	}{
		{"true", V0_10, true, nil, true, android.RunAsNonExpedited},
		{"drop kept", V0_10, true, Ptr(DropWorkRequest), true, android.DropWorkRequest},
		{"run-as-non-expedited", V0_10, true, Ptr(RunAsNonExpeditedWorkRequest), true, android.RunAsNonExpedited},
		{"false", V0_10, false, nil, false, android.RunAsNonExpedited},
		{"ooq alone", V0_10, false, Ptr(DropWorkRequest), false, android.RunAsNonExpedited},
		{"0.5 ooq", V0_5, false, Ptr(DropWorkRequest), true, android.DropWorkRequest},
		{"0.5 none", V0_5, false, nil, false, android.RunAsNonExpedited},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := androidInit(t, c.v)
			require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{Expedited: c.expedited, OutOfQuotaPolicy: c.ooq}))
			r := h.wm.last().req
			assert.Equal(t, c.want, r.Expedited)
			if c.want {
				assert.Equal(t, c.wantOOQ, r.OutOfQuota)
			}
		})
	}
}

// WorkManagerWrapper.enqueueOneOffTask checks FOREGROUND_SERVICE_SHORT_SERVICE
// before building an expedited request.
func TestExpeditedNeedsShortServicePermission(t *testing.T) {
	h := androidInit(t, V0_10, func(c *Config) { c.StripShortServicePermission = true })
	err := h.p.RegisterOneOffTask("u", "t", OneOffOptions{Expedited: true})
	var pe *PlatformError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "IllegalStateException", pe.Code)
	assert.True(t, strings.HasPrefix(pe.Message, "java.lang.IllegalStateException: workmanager_android: expedited work (setExpedited) requires"))
	assert.Empty(t, h.wm.enq)
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}), "non-expedited work does not need it")
}

// Backoff: 0.10 only when both policy and delay are given (ms); 0.5 whenever
// a policy is given, max(10 s, delay) (Extractor.kt BackoffPolicyTaskConfig).
func TestBackoff(t *testing.T) {
	cases := []struct {
		name   string
		v      Version
		pol    *BackoffPolicy
		delay  *time.Duration
		set    bool
		policy android.BackoffPolicy
		want   time.Duration
	}{
		{"both", V0_10, Ptr(BackoffLinear), Ptr(time.Second), true, android.BackoffLinear, time.Second},
		{"ms truncation", V0_10, Ptr(BackoffExponential), Ptr(1500*time.Microsecond + 20*time.Second), true, android.BackoffExponential, 20*time.Second + time.Millisecond},
		{"policy only", V0_10, Ptr(BackoffLinear), nil, false, 0, 0},
		{"delay only", V0_10, nil, Ptr(time.Minute), false, 0, 0},
		{"0.5 1s → 10s", V0_5, Ptr(BackoffLinear), Ptr(time.Second), true, android.BackoffLinear, 10 * time.Second},
		{"0.5 policy only", V0_5, Ptr(BackoffExponential), nil, true, android.BackoffExponential, 10 * time.Second},
		{"0.5 1m", V0_5, Ptr(BackoffExponential), Ptr(time.Minute), true, android.BackoffExponential, time.Minute},
		{"0.5 delay only", V0_5, nil, Ptr(time.Minute), false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := androidInit(t, c.v)
			r, _, err := h.p.buildFor(c.v, OneOffOptions{BackoffPolicy: c.pol, BackoffPolicyDelay: c.delay})
			require.NoError(t, err)
			assert.Equal(t, c.set, r.BackoffSet)
			assert.Equal(t, c.policy, r.Req.BackoffPolicy)
			assert.Equal(t, c.want, r.Req.BackoffDelay)
		})
	}
}

func (p *Plugin) buildFor(v Version, o OneOffOptions) (androidRequest, android.ExistingWorkPolicy, error) {
	in, _ := normalizeInput(o.InputData)
	if v == V0_5 {
		return p.buildOneOff05("u", "t", in, o)
	}
	return p.buildOneOff("u", "t", in, o)
}

// ConstraintsMappingTest.kt and WorkManagerUtils.kt toAndroidConstraints.
func TestConstraints(t *testing.T) {
	triggers := []ContentURITrigger{{URI: "content://media/images", TriggerForDescendants: true}, {URI: "content://contacts", TriggerForDescendants: false}}
	c := &Constraints{
		NetworkType: Ptr(NetworkTemporarilyUnmetered), RequiresBatteryNotLow: Ptr(true), RequiresCharging: Ptr(true),
		RequiresDeviceIdle: Ptr(true), RequiresStorageNotLow: Ptr(true), ContentURITriggers: triggers,
	}
	cases := []struct {
		api      int
		net      android.NetworkType
		triggers []ContentURITrigger
	}{
		{23, android.NetworkUnmetered, nil},
		{24, android.NetworkUnmetered, triggers},
		{29, android.NetworkUnmetered, triggers},
		{30, android.NetworkTemporarilyUnmetered, triggers},
		{34, android.NetworkTemporarilyUnmetered, triggers},
	}
	for _, tc := range cases {
		h := androidInit(t, V0_10, func(cfg *Config) { cfg.Android = android.DefaultConfig(); cfg.Android.API = tc.api })
		r, _, err := h.p.buildFor(V0_10, OneOffOptions{Constraints: c})
		require.NoError(t, err)
		got := r.Req.Constraints
		assert.Equal(t, tc.net, got.RequiredNetwork, "API %d", tc.api)
		assert.True(t, got.RequiresBatteryNotLow && got.RequiresCharging && got.RequiresDeviceIdle && got.RequiresStorageNotLow)
		assert.Equal(t, tc.triggers, r.ContentTriggers, "API %d: triggers keep their descendant flag, from API 24", tc.api)
		assert.Len(t, got.ContentURITriggers, len(tc.triggers))
	}
	// Null constraints → Constraints.NONE; unset fields stay unset.
	h := androidInit(t, V0_10)
	r, _, _ := h.p.buildFor(V0_10, OneOffOptions{})
	assert.Equal(t, android.Constraints{}, r.Req.Constraints)
	r, _, _ = h.p.buildFor(V0_10, OneOffOptions{Constraints: &Constraints{NetworkType: Ptr(NetworkConnected)}})
	assert.Equal(t, android.Constraints{RequiredNetwork: android.NetworkConnected}, r.Req.Constraints)
	// Every Dart network type.
	for n, want := range map[NetworkType]android.NetworkType{
		NetworkConnected: android.NetworkConnected, NetworkMetered: android.NetworkMetered, NetworkNotRequired: android.NetworkNotRequired,
		NetworkNotRoaming: android.NetworkNotRoaming, NetworkUnmetered: android.NetworkUnmetered,
	} {
		assert.Equal(t, want, h.p.toAndroidNetwork(n))
	}
}

// 0.5 sets every constraint explicitly (Extractor.kt), "not_required" →
// NOT_REQUIRED and no API downgrade of temporarily_unmetered.
func TestConstraints05(t *testing.T) {
	h := androidInit(t, V0_5, func(cfg *Config) { cfg.Android = android.DefaultConfig(); cfg.Android.API = 26 })
	r, _, err := h.p.buildFor(V0_5, OneOffOptions{Constraints: &Constraints{NetworkType: Ptr(NetworkNotRequired)}})
	require.NoError(t, err)
	assert.Equal(t, android.NetworkNotRequired, r.Req.Constraints.RequiredNetwork)
	r, _, _ = h.p.buildFor(V0_5, OneOffOptions{Constraints: &Constraints{NetworkType: Ptr(NetworkTemporarilyUnmetered), RequiresCharging: Ptr(true)}})
	assert.Equal(t, android.NetworkTemporarilyUnmetered, r.Req.Constraints.RequiredNetwork)
	assert.True(t, r.Req.Constraints.RequiresCharging)
}

// Tag and the worker-class tag WorkRequest.Builder adds.
func TestTags(t *testing.T) {
	h := androidInit(t, V0_10)
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{Tag: Ptr("sync")}))
	assert.Equal(t, []string{"dev.fluttercommunity.workmanager.BackgroundWorker", "sync"}, h.wm.last().req.Tags)
	h5 := androidInit(t, V0_5)
	require.NoError(t, h5.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	assert.Equal(t, []string{"be.tramckrijte.workmanager.BackgroundWorker"}, h5.wm.last().req.Tags)
}

// 0.5: a periodic request with an out-of-quota policy cannot be built.
func TestPeriodicExpedited05(t *testing.T) {
	h := androidInit(t, V0_5)
	err := h.p.RegisterPeriodicTask("u", "t", PeriodicOptions{OutOfQuotaPolicy: Ptr(DropWorkRequest)})
	assert.Equal(t, &PlatformError{Code: "error", Message: "PeriodicWorkRequests cannot be expedited"}, err)
	h10 := androidInit(t, V0_10)
	require.NoError(t, h10.p.RegisterPeriodicTask("u", "t", PeriodicOptions{OutOfQuotaPolicy: Ptr(DropWorkRequest)}))
	assert.False(t, h10.wm.last().req.Expedited)
}

// Not initialised: Kotlin Exception (0.10), code "1" (0.5).
func TestNotInitializedAndroid(t *testing.T) {
	h := newHarness(osscheduler.Android, V0_10)
	err := h.p.RegisterOneOffTask("u", "t", OneOffOptions{})
	assert.Equal(t, &PlatformError{Code: "Exception", Message: "java.lang.Exception: " + msgInitRequired, Details: kotlinDetails}, err)
	assert.Equal(t, "java.lang.Exception: You have not properly initialized the Flutter WorkManager Package. You should ensure you have called the 'initialize' function first!", err.(*PlatformError).Message)
	require.Len(t, h.j.Errors, 1)
	assert.Equal(t, osscheduler.ErrorRecord{Call: "registerOneOffTask", Code: "not_initialized", Message: msgInitRequired, SeenByApp: true}, h.j.Errors[0])
	assert.Empty(t, h.wm.enq)

	h5 := newHarness(osscheduler.Android, V0_5)
	err = h5.p.RegisterPeriodicTask("u", "t", PeriodicOptions{})
	assert.Equal(t, &PlatformError{Code: "1", Message: msgInitRequiredWithExample}, err)
}

// SharedPreferenceHelperTest.kt: the handle is stored (putLong 12345) and read
// back; -1 when absent. It persists: a later process (or a background engine)
// can register without calling initialize again.
func TestCallbackHandlePersists(t *testing.T) {
	h := newHarness(osscheduler.Android, V0_10)
	assert.Equal(t, int64(-1), h.p.storedHandle())
	require.NoError(t, h.p.Initialize(12345, false))
	v, ok := h.dev.Store("app.shared_preferences").Get("flutter_workmanager_plugin/dev.fluttercommunity.workmanager.CALLBACK_DISPATCHER_HANDLE_KEY")
	require.True(t, ok)
	assert.Equal(t, int64(12345), v)
	h.dev.LaunchApp()
	h.dev.Reboot(time.Minute)
	require.NoError(t, h.eng.RunFor(2*time.Minute))
	assert.Equal(t, int64(12345), h.p.storedHandle())
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
}

// A dispatcher that is not a top-level function has no handle: 0.10 throws
// in Dart, 0.5 silently skips initialize.
func TestInitializeWithoutHandle(t *testing.T) {
	h := newHarness(osscheduler.Android, V0_10)
	err := h.p.Initialize(0, false)
	assert.Equal(t, &DartError{Type: "TypeError", Message: "Null check operator used on a null value"}, err)
	h5 := newHarness(osscheduler.Android, V0_5)
	require.NoError(t, h5.p.Initialize(0, true))
	assert.Error(t, h5.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
}

// Dart UnsupportedError messages (workmanager_android.dart).
func TestAndroidUnsupported(t *testing.T) {
	h := androidInit(t, V0_10)
	cases := []struct {
		err  error
		want string
	}{
		{h.p.RegisterProcessingTask("u", "t", ProcessingOptions{}), "Processing tasks are not supported on Android"},
		{h.p.RegisterHealthResearchTask("u", "t", ProcessingOptions{}), "Health research tasks are not supported on Android"},
		{h.p.RegisterContinuedProcessingTask("u", "t", ContinuedProcessingOptions{}), "Continued processing tasks are not supported on Android"},
		{func() error { _, err := h.p.PrintScheduledTasks(); return err }(), "printScheduledTasks is not supported on Android"},
	}
	for _, c := range cases {
		assert.Equal(t, &UnsupportedError{Message: c.want}, c.err)
	}
	require.Len(t, h.j.Errors, 4)
	for _, e := range h.j.Errors {
		assert.Equal(t, "unsupported", e.Code)
		assert.True(t, e.SeenByApp)
	}
}

// Cancel calls map to cancelUniqueWork / cancelAllWorkByTag / cancelAllWork.
func TestAndroidCancel(t *testing.T) {
	h := androidInit(t, V0_10)
	require.NoError(t, h.p.CancelByUniqueName("a"))
	require.NoError(t, h.p.CancelByTag("tag"))
	require.NoError(t, h.p.CancelAll())
	assert.Equal(t, []string{"a"}, h.wm.cancelled)
	assert.Equal(t, []string{"tag"}, h.wm.byTag)
	assert.Equal(t, 1, h.wm.all)
}

// Integration test (workmanager_integration_test.dart, Android isScheduled):
// unknown → false; registered → true; cancelled → false; three tasks, cancel
// one → [false, true, true]; cancelAll → all false.
func TestIsScheduledSequence(t *testing.T) {
	h := androidInit(t, V0_10)
	is := func(n string) bool { ok, err := h.p.IsScheduledByUniqueName(n); require.NoError(t, err); return ok }
	assert.False(t, is("unknown"))
	require.NoError(t, h.p.RegisterOneOffTask("a", "t", OneOffOptions{InitialDelay: Ptr(time.Hour)}))
	assert.True(t, is("a"))
	require.NoError(t, h.p.CancelByUniqueName("a"))
	assert.False(t, is("a"))
	for _, n := range []string{"x", "y", "z"} {
		require.NoError(t, h.p.RegisterPeriodicTask(n, "t", PeriodicOptions{}))
	}
	require.NoError(t, h.p.CancelByUniqueName("x"))
	assert.Equal(t, []bool{false, true, true}, []bool{is("x"), is("y"), is("z")})
	require.NoError(t, h.p.CancelAll())
	assert.Equal(t, []bool{false, false, false}, []bool{is("x"), is("y"), is("z")})
	// all entries must be ENQUEUED or RUNNING: one BLOCKED entry → false.
	h.wm.infos["chain"] = []android.WorkInfo{{State: osscheduler.StateEnqueued}, {State: osscheduler.StateBlocked}}
	assert.False(t, is("chain"))
}

// WorkInfoMappingTest.kt + workmanager_android_test.dart: no record → nil;
// tags sorted; lastFinishedAt and taskName null (outputData is never set);
// BLOCKED → scheduled.
func TestAndroidWorkInfo(t *testing.T) {
	h := androidInit(t, V0_10)
	wi, err := h.p.GetWorkInfo("none")
	require.NoError(t, err)
	assert.Nil(t, wi)
	h.wm.infos["u"] = []android.WorkInfo{{UniqueName: "u", TaskName: "dart-task", State: osscheduler.StateSucceeded, Periodic: true, Tags: []string{"tag-b", "tag-a"}, LastFinished: t0}}
	wi, _ = h.p.GetWorkInfo("u")
	assert.Equal(t, &WorkInfo{UniqueName: "u", State: WorkSucceeded, IsPeriodic: true, Tags: []string{"tag-a", "tag-b"}}, wi)
	for st, want := range map[osscheduler.TaskState]WorkState{
		osscheduler.StateEnqueued: WorkScheduled, osscheduler.StateBlocked: WorkScheduled, osscheduler.StateRunning: WorkRunning,
		osscheduler.StateSucceeded: WorkSucceeded, osscheduler.StateFailed: WorkFailed, osscheduler.StateCancelled: WorkCancelled,
	} {
		h.wm.infos["s"] = []android.WorkInfo{{State: st}}
		wi, _ = h.p.GetWorkInfo("s")
		assert.Equal(t, want, wi.State, string(st))
		assert.Equal(t, []string{}, wi.Tags)
	}
}

// A WorkManager error is not seen by Dart (enqueue is asynchronous) but is
// recorded.
func TestEnqueueErrorOnlyLogged(t *testing.T) {
	h := androidInit(t, V0_10)
	h.wm.err = osscheduler.Errorf("unsupported", "UPDATE on a chain")
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{}))
	require.Len(t, h.j.Errors, 1)
	assert.Equal(t, osscheduler.ErrorRecord{Call: "registerOneOffTask", Code: "unsupported", Message: "unsupported: UPDATE on a chain", SeenByApp: false}, h.j.Errors[0])
}
