package android

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

const (
	ms = time.Millisecond
	h  = time.Hour
)

func at(d time.Duration) time.Time { return time.UnixMilli(0).Add(d) }

// specFor builds a WorkSpec from a request as the builders do.
func specFor(t *testing.T, req WorkRequest) *workSpec {
	t.Helper()
	w, _, err := buildSpec(req, 34)
	require.NoError(t, err)
	return w
}

// WorkSpecTest (AX work-runtime androidTest WorkSpecTest.java): initial delay
// 5 000; backoff 5 000 (clamps to 10 000); lastEnqueueTime 10 000; interval
// 905 000; flex 305 000.
func TestCalculateNextRunTime_WorkSpecTest(t *testing.T) {
	const (
		T = 10_000 * ms
		I = 905_000 * ms
		F = 305_000 * ms
	)
	cases := []struct {
		name     string
		req      WorkRequest
		period   int
		attempts int
		want     time.Duration
	}{
		{"firstRunAttempt_oneOff", WorkRequest{InitialDelay: 5_000 * ms}, 0, 0, 15_000 * ms},
		{"firstRun_periodic_withFlexApplicable", WorkRequest{Periodic: true, Interval: I, Flex: F}, 0, 0, 610_000 * ms},
		{"firstRun_periodic_withFlexNotApplicable", WorkRequest{Periodic: true, Interval: I, Flex: I}, 0, 0, 10_000 * ms},
		{"nextRun_periodic_withFlexApplicable", WorkRequest{Periodic: true, Interval: I, Flex: F}, 1, 0, 915_000 * ms},
		{"nextRun_periodic_withFlexNotApplicable", WorkRequest{Periodic: true, Interval: I, Flex: I}, 1, 0, 915_000 * ms},
		{"nextRun_periodic_withInitialDelay", WorkRequest{Periodic: true, Interval: I, Flex: I, InitialDelay: 10_000 * ms}, 0, 0, 20_000 * ms},
		{"nextRun_periodic_withInitialDelay_flex_firstRun", WorkRequest{Periodic: true, Interval: I, Flex: F, InitialDelay: 10_000 * ms}, 0, 0, 620_000 * ms},
		{"rerunAttempt_exponential n=1", WorkRequest{BackoffDelay: 5_000 * ms}, 0, 1, 20_000 * ms},
		{"rerunAttempt_exponential n=2", WorkRequest{BackoffDelay: 5_000 * ms}, 0, 2, 30_000 * ms},
		{"rerunAttempt_exponential n=3", WorkRequest{BackoffDelay: 5_000 * ms}, 0, 3, 50_000 * ms},
		{"rerunAttempt_linear n=1", WorkRequest{BackoffPolicy: BackoffLinear, BackoffDelay: 5_000 * ms}, 0, 1, 20_000 * ms},
		{"rerunAttempt_linear n=2", WorkRequest{BackoffPolicy: BackoffLinear, BackoffDelay: 5_000 * ms}, 0, 2, 30_000 * ms},
		{"rerunAttempt_linear n=3", WorkRequest{BackoffPolicy: BackoffLinear, BackoffDelay: 5_000 * ms}, 0, 3, 40_000 * ms},
		{"rerunAttempt_linear_upperBound", WorkRequest{BackoffPolicy: BackoffLinear, BackoffDelay: maxBackoff + ms}, 0, 1, 18_010_000 * ms},
		{"rerunAttempt_exponential_upperBound", WorkRequest{BackoffDelay: maxBackoff + ms}, 0, 1, 18_010_000 * ms},
		{"exponential far past the cap (no overflow)", WorkRequest{BackoffDelay: 10 * time.Second}, 0, 200, 18_010_000 * ms},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := specFor(t, c.req)
			w.lastEnqueue, w.periodCount, w.runAttemptCount = at(T), c.period, c.attempts
			assert.Equal(t, at(c.want), w.nextRunTime())
		})
	}
}

// PeriodicWorkRequestTest (AX): builder clamping.
func TestPeriodicBuilder(t *testing.T) {
	cases := []struct{ interval, flex, wantI, wantF time.Duration }{
		{15 * time.Minute, 0, 900_000 * ms, 900_000 * ms},
		{15 * time.Minute, 10 * time.Minute, 900_000 * ms, 600_000 * ms},
		{51 * h, 0, 183_600_000 * ms, 183_600_000 * ms},
		{3*h + 25*time.Minute, 3*h + 10*time.Minute, 12_300_000 * ms, 11_400_000 * ms},
		{time.Minute, 0, 900_000 * ms, 900_000 * ms},   // Interval clamped up
		{h, time.Minute, 3_600_000 * ms, 300_000 * ms}, // flex clamped up
		{h, 2 * h, 3_600_000 * ms, 3_600_000 * ms},     // flex clamped to interval
	}
	for _, c := range cases {
		w := specFor(t, WorkRequest{Periodic: true, Interval: c.interval, Flex: c.flex})
		assert.Equal(t, c.wantI, w.interval, "interval %s", c.interval)
		assert.Equal(t, c.wantF, w.flex, "flex %s/%s", c.interval, c.flex)
	}
}

// WorkerWrapperTest (AX impl/WorkerWrapperTest.java): nextScheduleTimeOverride
// with generations, and the pre-run gate.
func TestWorkerWrapperOverride(t *testing.T) {
	t.Run("delayNormalNextSchedule", func(t *testing.T) {
		w := specFor(t, WorkRequest{Periodic: true, Interval: h})
		w.lastEnqueue, w.override = at(4*h), at(14*h)
		ok, due := w.gate(at(5*h + ms))
		assert.False(t, ok)
		assert.Equal(t, at(50_400_000*ms), due)
		assert.Equal(t, 0, w.periodCount)
		ok, _ = w.gate(at(14 * h))
		require.True(t, ok)
		w.setRunning()
		w.resetPeriodic(at(14*h), w.overrideGen)
		assert.True(t, w.override.IsZero())
		assert.Equal(t, 1, w.periodCount)
		assert.Equal(t, at(54_000_000*ms), w.nextRunTime())
	})
	t.Run("backsOffNextTimeAfterRetry", func(t *testing.T) {
		w := specFor(t, WorkRequest{Periodic: true, Interval: 100 * h, BackoffPolicy: BackoffLinear, BackoffDelay: 30 * time.Minute})
		w.lastEnqueue, w.override = at(0), at(14*h)
		ok, _ := w.gate(at(14 * h))
		require.True(t, ok)
		w.setRunning()
		w.reschedule(at(14*h), w.overrideGen)
		assert.Equal(t, 0, w.periodCount)
		assert.Equal(t, 1, w.runAttemptCount)
		assert.True(t, w.override.IsZero())
		assert.Equal(t, at(52_200_000*ms), w.nextRunTime())
	})
	midRun := func(t *testing.T, override time.Time, gen int) *workSpec {
		w := specFor(t, WorkRequest{Periodic: true, Interval: 100 * h})
		w.lastEnqueue = at(4 * h)
		w.setRunning()
		start := w.overrideGen
		w.override, w.overrideGen = override, gen // updated while running
		_ = start
		return w
	}
	t.Run("whileWorkerIsRunning_appliesToNextRun", func(t *testing.T) {
		w := midRun(t, at(34*h), 3)
		w.resetPeriodic(at(14*h), 0)
		assert.Equal(t, 1, w.periodCount)
		assert.Equal(t, 0, w.runAttemptCount)
		assert.Equal(t, at(122_400_000*ms), w.nextRunTime())
	})
	t.Run("whileWorkerIsRunning_returnsRetry_usesOverride", func(t *testing.T) {
		w := midRun(t, at(34*h), 3)
		w.reschedule(at(14*h), 0)
		assert.Equal(t, 0, w.periodCount)
		assert.Equal(t, 1, w.runAttemptCount)
		assert.Equal(t, at(122_400_000*ms), w.nextRunTime())
	})
	t.Run("clearOverride_BasedOnEnqueue", func(t *testing.T) {
		w := midRun(t, time.Time{}, 5)
		w.resetPeriodic(at(14*h), 0)
		assert.Equal(t, 1, w.periodCount)
		assert.Equal(t, at(410_400_000*ms), w.nextRunTime())
	})
	t.Run("clearOverride_BasedOnBackoff", func(t *testing.T) {
		w := specFor(t, WorkRequest{Periodic: true, Interval: 10 * h, BackoffPolicy: BackoffLinear, BackoffDelay: h})
		w.lastEnqueue = at(4 * h)
		w.setRunning()
		w.override, w.overrideGen = time.Time{}, 1
		w.reschedule(at(6*h), 0)
		assert.Equal(t, 0, w.periodCount)
		assert.Equal(t, 1, w.runAttemptCount)
		assert.Equal(t, at(25_200_000*ms), w.nextRunTime())
	})
	t.Run("periodic dedupe: not run before the next period", func(t *testing.T) {
		now := at(h)
		w := specFor(t, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
		w.lastEnqueue, w.periodCount = now.Add(15*time.Minute), 1
		ok, _ := w.gate(now)
		assert.False(t, ok)
	})
	t.Run("periodic first run: flex applied", func(t *testing.T) {
		now := at(h)
		w := specFor(t, WorkRequest{Periodic: true, Interval: 15 * time.Minute, Flex: 5 * time.Minute})
		w.lastEnqueue = now
		ok, due := w.gate(now)
		assert.False(t, ok)
		assert.Equal(t, now.Add(10*time.Minute), due)
	})
	t.Run("backed-off one-time work does not run", func(t *testing.T) {
		now := at(h)
		w := specFor(t, WorkRequest{})
		w.lastEnqueue, w.runAttemptCount = now.Add(h), 1
		ok, _ := w.gate(now)
		assert.False(t, ok)
		assert.Equal(t, 1, w.runAttemptCount)
	})
	t.Run("one-time work without backoff is not gated", func(t *testing.T) {
		w := specFor(t, WorkRequest{InitialDelay: h})
		w.lastEnqueue = at(h)
		ok, _ := w.gate(at(0))
		assert.True(t, ok)
	})
}

// WorkerWrapperTest.testPeriodicWork_success / _fail / _retry: ENQUEUED with
// runAttemptCount 0 / 0 / 1 (through the model with a fake executor).
func TestPeriodicResults(t *testing.T) {
	for _, c := range []struct {
		r        osscheduler.Result
		attempts int
	}{{osscheduler.Success, 0}, {osscheduler.Failure, 0}, {osscheduler.Retry, 1}} {
		st := testState()
		st.Charger, st.ScreenOn = device.ChargerAC, true
		e := newEnv(DefaultConfig(), st)
		e.exec.def = c.r
		_, err := e.m.EnqueueUniquePeriodicWork("p", PeriodicKeep, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
		require.NoError(t, err)
		require.NoError(t, e.eng.RunFor(time.Minute))
		wi := e.m.WorkInfosForUniqueWork("p")[0]
		assert.Equal(t, osscheduler.StateEnqueued, wi.State, c.r.String())
		assert.Equal(t, c.attempts, wi.RunAttemptCount, c.r.String())
	}
}

// JobSchedulerServiceTest.testGetRescheduleJobForFailure_timingCalculations:
// LINEAR 60 s, SYSTEM_STOP_TO_FAILURE_RATIO 3: stops 1, 2 → no delay; 3 → 60 s;
// 6 → 120 s. (WorkManager's jobs never report failures to JobScheduler, so
// only the system-stop rows apply.)
func TestJobSchedulerSystemStopBackoff(t *testing.T) {
	e := newEnv(DefaultConfig(), testState())
	w := specFor(t, WorkRequest{BackoffPolicy: BackoffLinear, BackoffDelay: time.Minute})
	for _, c := range []struct {
		stops int
		want  time.Duration
	}{{0, 0}, {1, 0}, {2, 0}, {3, time.Minute}, {5, time.Minute}, {6, 2 * time.Minute}, {9, 3 * time.Minute}} {
		w.job.systemStops = c.stops
		assert.Equal(t, c.want, e.m.jsBackoff(w), "stops %d", c.stops)
	}
	w.backoffPolicy = BackoffExponential
	w.job.systemStops = 3 * 40
	assert.Equal(t, maxBackoff, e.m.jsBackoff(w), "capped")
}

// AppStandbyControllerTests.testBuckets (thresholds 12/24/48 h; this model's
// restricted threshold is 8 d, the test's 96 h) with the display on, and
// testScreenTimeAndBuckets: with the display off the screen-time thresholds
// keep the app from decaying; with it on, RARE at 48 h + 2 h + 1.
func TestStandbyDecay(t *testing.T) {
	st := testState()
	st.ScreenOn = true
	e := newEnv(DefaultConfig(), st)
	e.dev.LaunchApp()
	start := e.eng.Now()
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{12*h - 1, bucketActive}, {12*h + 1, bucketWorkingSet}, {24*h - 1, bucketWorkingSet}, {24*h + 1, bucketFrequent},
		{48*h + 1, bucketRare}, {8*24*h + 1, bucketRestricted}} {
		require.NoError(t, e.eng.RunUntil(start.Add(c.at)))
		e.m.standbyRefresh(e.eng.Now())
		assert.Equal(t, bucketNames[c.want], bucketNames[e.m.bucket()], "at %s", c.at)
	}
	e.dev.LaunchApp()
	e.eng.RunFor(0)
	assert.Equal(t, "active", bucketNames[e.m.bucket()])

	st.ScreenOn = false
	e = newEnv(DefaultConfig(), st)
	start = e.eng.Now()
	require.NoError(t, e.eng.RunUntil(start.Add(48*h+1)))
	assert.Equal(t, "working_set", bucketNames[e.m.bucket()], "display off: no screen time, no decay past working_set")
	e.dev.SetScreen(true)
	require.NoError(t, e.eng.RunUntil(start.Add(48*h+2*h-1)))
	assert.Equal(t, "frequent", bucketNames[e.m.bucket()])
	require.NoError(t, e.eng.RunUntil(start.Add(48*h+2*h+1)))
	assert.Equal(t, "rare", bucketNames[e.m.bucket()])
}

// Deep Doze timeline derived from DeviceIdleController defaults: unplugged,
// screen off at 0, stationary: INACTIVE 0, IDLE_PENDING 30 min, IDLE 60 min,
// maintenance at 120 min; then every +120, +240, +360, +360 min after
// re-entering IDLE (each empty window lasts MIN_DEEP_MAINTENANCE_TIME 30 s).
func TestDeepDozeTimeline(t *testing.T) {
	e := newEnv(DefaultConfig(), testState())
	var got []string
	require.NoError(t, e.eng.RunFor(26*h))
	for _, r := range e.rec.Records {
		if r.Source == srcDoze && r.Subject == "device" && !strings.HasPrefix(string(r.Kind), "light.") {
			got = append(got, string(r.Kind)+"@"+r.At.String())
		}
	}
	// SENSING 10 s (AnyMotionDetector: two 2.5 s measurements 5 s apart),
	// LOCATING 30 s (LOCATING_TIMEOUT), then IDLE.
	want := []string{"INACTIVE@0s", "IDLE_PENDING@30m0s", "SENSING@1h0m0s", "LOCATING@1h0m10s", "IDLE@1h0m40s",
		"IDLE_MAINTENANCE@2h0m40s", "IDLE@2h1m10s", "IDLE_MAINTENANCE@4h1m10s", "IDLE@4h1m40s",
		"IDLE_MAINTENANCE@8h1m40s", "IDLE@8h2m10s", "IDLE_MAINTENANCE@14h2m10s", "IDLE@14h2m40s",
		"IDLE_MAINTENANCE@20h2m40s", "IDLE@20h3m10s"}
	assert.Equal(t, want, got)
}

// Light Doze: 5, 10, 15, 15 min idle periods (LIGHT_IDLE_TIMEOUT × 2, max 15).
func TestLightDozeTimeline(t *testing.T) {
	st := testState()
	st.ScreenOn = true
	e := newEnv(DefaultConfig(), st)
	e.dev.SetScreen(false)
	require.NoError(t, e.eng.RunFor(50*time.Minute))
	var got []string
	for _, r := range e.rec.Records {
		if r.Kind == "light.IDLE" {
			got = append(got, r.At.String())
		}
	}
	// light idle after 4 min (API 34: DeviceIdleController
	// mDefaultLightIdleAfterInactiveTimeout); each empty maintenance window
	// lasts the 1-min minimum budget.
	assert.Equal(t, []string{"4m0s", "10m0s", "21m0s", "37m0s"}, got)
}
