package report

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// The fixtures below are a realistic day of the "hourly-sync-survives-doze"
// scenario, written by hand in the shapes the runner produces: a device that
// goes from foreground use into a night of Doze (IDLE with maintenance
// windows, as DeviceIdleController steps it), an App Standby bucket that
// decays to rare, and the trace reasons the OS models give. The iOS twin has
// the BGTaskScheduler behaviour of a rarely used app: refresh requests held
// back by a low usage score, Low Power Mode, a processing task that needs
// external power, and the dispatcher receiving the identifier rather than
// the taskName.

var fixtureStart = time.Date(2026, 1, 5, 8, 0, 0, 0, time.FixedZone("", 3600))

const (
	sec  = time.Second
	mins = time.Minute
	hr   = time.Hour
)

type devState struct {
	battery int64
	charger string
	network string
	screen  bool
	app     string
}

type traceBuilder struct {
	recs []sim.Record
	dev  devState
	res  *Result
}

func newBuilder(platform string) *traceBuilder {
	return &traceBuilder{
		dev: devState{battery: 80, charger: "none", network: "wifi", screen: true, app: "foreground"},
		res: &Result{
			Format: FormatResult, Scenario: "hourly-sync-survives-doze", Platform: platform, Seed: 42,
			Start: "2026-01-05T08:00:00+01:00", End: "2026-01-06T08:00:00+01:00",
		},
	}
}

func (b *traceBuilder) add(at time.Duration, src event.Source, kind event.Kind, subj, reason string, f ...sim.Field) {
	b.recs = append(b.recs, sim.Record{At: at, Source: event.Source(src), Kind: event.Kind(kind), Subject: subj, Reason: reason, Fields: f})
}

// device records a device change; the fields carry the state after it, as
// device.Device emits them.
func (b *traceBuilder) device(at time.Duration, kind event.Kind, reason string, mutate func(*devState)) {
	if mutate != nil {
		mutate(&b.dev)
	}
	d := b.dev
	d.battery = b.levelAt(at)
	b.add(at, event.SourceDevice, event.Kind(kind), "device", reason, sim.Int("battery", d.battery), sim.String("charger", d.charger),
		sim.String("network", d.network), sim.Bool("screen_on", d.screen), sim.String("app", d.app))
}

// The battery drains along this curve, one record per step, as
// device.Device emits battery.level; every device record carries the level
// of its instant.
var batteryCurve = []struct {
	at    time.Duration
	level int64
}{{0, 80}, {2 * hr, 78}, {6 * hr, 75}, {10 * hr, 71}, {14 * hr, 68}, {18 * hr, 65}, {22 * hr, 63}}

func (b *traceBuilder) levelAt(at time.Duration) int64 {
	lv := batteryCurve[0].level
	for _, p := range batteryCurve {
		if p.at <= at {
			lv = p.level
		}
	}
	return lv
}

func (b *traceBuilder) batteryCurve() {
	for _, p := range batteryCurve[1:] {
		b.device(p.at, event.BatteryLevel, fmt.Sprintf("battery level %d%%", p.level), nil)
	}
}

// run records one execution in the result and the records the models emit
// for it: on Android JobScheduler's "ready" a second before "started" (its
// start latency) and WorkManager's "finished" with the result; on iOS dasd's
// "started" and "completed".
func (b *traceBuilder) run(src event.Source, unique, task, received string, attempt int, eligible, start, dur time.Duration, outcome, why string) {
	b.res.Runs = append(b.res.Runs, Run{Task: task, Unique: unique, Received: received, Attempt: attempt,
		Eligible: Seconds(eligible.Seconds()), TStart: Seconds(start.Seconds()), TEnd: Seconds((start + dur).Seconds()),
		Outcome: outcome, WhyThen: why})
	if src == "android.jobscheduler" {
		b.add(start-sec, src, event.Ready, unique, why+"; starting in 1s", sim.String("id", "w-"+unique))
		b.add(start, src, event.Started, unique, why, sim.String("id", "w-"+unique), sim.Int("attempt", int64(attempt)),
			sim.Dur("waited", start-eligible))
		b.add(start+dur, event.SourceAndroidWorkManager, event.Finished, unique, b.finWhy(outcome), sim.String("id", "w-"+unique),
			sim.String("result", outcome))
		return
	}
	b.add(start, src, event.Started, unique, why, sim.String("kind", "periodic"), sim.Dur("budget", 30*sec))
	b.add(start+dur, src, event.Completed, unique, "setTaskCompleted("+strconv.FormatBool(outcome == "success")+")",
		sim.String("result", outcome))
}

// finWhy is WorkManager's reason on "finished" (osscheduler/android).
func (b *traceBuilder) finWhy(outcome string) string {
	switch outcome {
	case "retry":
		return "retry: backoff 30s"
	case "failure":
		return "failure"
	}
	return "success"
}

// deferred is a "deferred" record as the iOS model emits it: the class in
// field "gate".
func (b *traceBuilder) deferred(at time.Duration, src event.Source, unique, gate, reason string) {
	b.add(at, src, event.Deferred, unique, reason, sim.String("gate", gate))
}

// blocked is a "deferred" record as the Android model emits it (once per
// change of reason): the class in field "blocked_by", from the layer that
// blocks (JobScheduler, Doze or standby).
func (b *traceBuilder) blocked(at time.Duration, src event.Source, unique, by, reason string) {
	b.add(at, src, event.Deferred, unique, reason, sim.String("id", "w-"+unique), sim.String("blocked_by", by))
}

// doze is a Doze state change as the Android model emits it: the kind is
// the state, the subject "device", fields deep and light.
func (b *traceBuilder) doze(at time.Duration, deep, light, why string) {
	kind := deep
	if deep == "INACTIVE" || deep == "ACTIVE" {
		if light != "ACTIVE" && light != "INACTIVE" {
			kind = "light." + light
		}
	}
	b.add(at, event.SourceAndroidDoze, event.Kind(kind), "device", why, sim.String("deep", deep), sim.String("light", light))
}

// bucket is a standby bucket change as the Android model emits it: the
// subject is the new bucket, fields from and to.
func (b *traceBuilder) bucket(at time.Duration, from, to, why string) {
	b.add(at, "android.standby", event.Bucket, to, why, sim.String("from", from), sim.String("to", to))
}

// done orders the trace by time (stable, so same-instant records keep the
// order they were written in) and numbers it.
func (b *traceBuilder) done() (*Result, []sim.Record) {
	slices.SortStableFunc(b.recs, func(x, y sim.Record) int { return cmpDur(x.At, y.At) })
	for i := range b.recs {
		b.recs[i].Seq = uint64(i + 1)
	}
	b.res.Normalize()
	return b.res, b.recs
}

// androidFixture: API 34, periodic-sync every 1h (flex 5m, initial delay 5m,
// network required), a charging-constrained one-off cleanup with exponential
// backoff 30s, and a one-off report with an 8h initial delay that fails.
func androidFixture() (*Result, []sim.Record) {
	b := newBuilder("android")
	const js, wm = "android.jobscheduler", "android.workmanager"

	// Device and OS state.
	b.device(0, event.Screen, "screen on", nil)
	b.doze(0, "ACTIVE", "ACTIVE", "screen on")
	b.bucket(0, "never", "active", "app in foreground")
	b.device(30*mins, "app.background", "user left the app", func(s *devState) { s.app = "background" })
	b.device(45*mins, event.Screen, "screen off", func(s *devState) { s.screen = false })
	b.batteryCurve()
	b.bucket(2*hr+30*mins, "active", "working_set", "no use for 2h")
	b.device(3*hr, "network", "network none", func(s *devState) { s.network = "none" })
	b.device(3*hr+40*mins, "network", "network wifi", func(s *devState) { s.network = "wifi" })
	b.bucket(6*hr, "working_set", "frequent", "no use for 6h")
	b.bucket(12*hr, "frequent", "rare", "no use for 12h")
	b.doze(14*hr+30*mins, "INACTIVE", "IDLE", "screen off, unplugged: light idle")
	b.doze(15*hr, "IDLE_PENDING", "IDLE", "screen off, unplugged, stationary")
	b.doze(15*hr+30*mins, "IDLE", "OVERRIDE", "idle timeout elapsed")
	b.doze(16*hr+30*mins, "IDLE_MAINTENANCE", "OVERRIDE", "maintenance window")
	b.doze(16*hr+35*mins, "IDLE", "OVERRIDE", "maintenance window over; next step at 02:35")
	b.doze(18*hr+35*mins, "IDLE_MAINTENANCE", "OVERRIDE", "maintenance window")
	b.doze(18*hr+40*mins, "IDLE", "OVERRIDE", "maintenance window over; next step at 06:40")
	b.device(22*hr, event.Screen, "screen on", func(s *devState) { s.screen = true })
	b.doze(22*hr, "ACTIVE", "ACTIVE", "screen on")
	b.device(23*hr, "charger", "charger ac", func(s *devState) { s.charger = "ac" })
	b.device(23*hr+30*mins, event.AppLaunched, "user opened the app", func(s *devState) { s.app = "foreground" })
	b.bucket(23*hr+30*mins, "rare", "active", "app in foreground")

	// periodic-sync.
	const ps, fl = "periodic-sync", "fetchLatestPosts"
	b.add(1*mins, event.SourcePlugin, event.Registered, ps, "registerPeriodicTask periodic-sync (fetchLatestPosts): every 1h, flex 5m, initial delay 5m, network connected",
		sim.String("task", fl))
	b.add(1*mins, wm, event.Clamped, ps, "flexInterval 1m raised to the minimum 5m (PeriodicWorkRequest.MIN_PERIODIC_FLEX_MILLIS)")
	b.add(1*mins, wm, event.Enqueued, ps, "periodic work enqueued; first due at +0:06:00")
	b.run(js, ps, fl, fl, 1, 6*mins, 6*mins+2500*time.Millisecond, 4*sec, "success", "constraints met")
	b.run(js, ps, fl, fl, 1, 1*hr+6*mins, 1*hr+6*mins+1*sec, 4*sec, "success", "constraints met")
	b.run(js, ps, fl, fl, 1, 2*hr+6*mins, 2*hr+6*mins+3*sec, 4*sec, "success", "constraints met")
	b.blocked(3*hr+6*mins, js, ps, "network", "constraint unmet: network")
	b.run(js, ps, fl, fl, 1, 3*hr+6*mins, 3*hr+40*mins+4*sec, 4*sec, "success", "constraints met: network is back")
	for h := 4; h <= 11; h++ {
		at := time.Duration(h)*hr + 40*mins
		b.run(js, ps, fl, fl, 1, at, at+2*sec, 4*sec, "success", "constraints met")
	}
	b.blocked(12*hr+40*mins, "android.standby", ps, "quota", "standby bucket rare: quota used 10m0s of 10m0s, refills at 22:00")
	b.run(js, ps, fl, fl, 1, 12*hr+40*mins, 14*hr+2*sec, 4*sec, "success", "standby quota refilled")
	b.blocked(16*hr, "android.doze", ps, "doze", "Doze: idle until the maintenance window at 00:30")
	b.run(js, ps, fl, fl, 1, 16*hr, 16*hr+30*mins+2*sec, 4*sec, "success", "Doze maintenance window")
	b.blocked(17*hr+30*mins, "android.doze", ps, "doze", "Doze: idle until the maintenance window at 02:35")
	b.run(js, ps, fl, fl, 1, 17*hr+30*mins, 18*hr+35*mins+1*sec, 4*sec, "retry", "Doze maintenance window")
	b.run(js, ps, fl, fl, 2, 18*hr+35*mins+35*sec, 18*hr+35*mins+36*sec, 4*sec, "success", "Doze maintenance window; backoff 30s elapsed")
	b.blocked(19*hr+35*mins, "android.doze", ps, "doze", "Doze: idle until the maintenance window at 06:35")
	b.run(js, ps, fl, fl, 1, 19*hr+35*mins, 22*hr+3*sec, 4*sec, "success", "Doze exited: screen on")
	b.run(js, ps, fl, fl, 1, 23*hr, 23*hr+2*sec, 4*sec, "success", "constraints met")

	// cleanup-1: requires charging; its handler returns retry, retry, success.
	const cu, cc = "cleanup-1", "cleanupCache"
	b.add(10*hr, event.SourcePlugin, event.Registered, cu, "registerOneOffTask cleanup-1 (cleanupCache): requiresCharging, backoff exponential 30s",
		sim.String("task", cc))
	b.add(10*hr, wm, event.Enqueued, cu, "one-off work enqueued")
	b.blocked(10*hr, js, cu, "charging", "constraint unmet: charging")
	b.run(js, cu, cc, cc, 1, 23*hr, 23*hr+4*sec, 200*time.Millisecond, "retry", "constraints met: charging")
	b.run(js, cu, cc, cc, 2, 23*hr+34*sec+200*time.Millisecond, 23*hr+35*sec, 200*time.Millisecond, "retry", "backoff 30s elapsed")
	b.run(js, cu, cc, cc, 3, 23*hr+1*mins+35*sec+200*time.Millisecond, 23*hr+1*mins+36*sec, 200*time.Millisecond, "success", "backoff 1m0s elapsed")

	// nightly-report: initial delay 8h, its handler throws.
	const nr, gr = "nightly-report", "generateReport"
	b.add(20*mins, event.SourcePlugin, event.Registered, nr, "registerOneOffTask nightly-report (generateReport): initial delay 8h", sim.String("task", gr))
	b.add(20*mins, wm, event.Enqueued, nr, "one-off work enqueued")
	b.blocked(20*mins, js, nr, "not_due", "not due: initial delay until 16:20")
	b.run(js, nr, gr, gr, 1, 8*hr+20*mins, 8*hr+20*mins+3*sec, 1500*time.Millisecond, "failure", "constraints met")
	b.add(8*hr+20*mins+3*sec, event.SourcePlugin, event.TaskDelivered, nr, "executeTask sent to the dispatcher", sim.String("received", gr))
	b.add(8*hr+20*mins+4500*time.Millisecond, event.SourcePlugin, event.TaskFinished, nr, "the dispatcher threw", sim.String("outcome", "failure"))
	b.add(8*hr+20*mins+4500*time.Millisecond, event.SourcePluginDebug, event.Notification, nr, "❌ Exception — generateReport")

	b.res.Tasks = []Task{
		{Unique: ps, Task: fl, State: "enqueued", Runs: 18, Successes: 17, Retries: 1},
		{Unique: cu, Task: cc, State: "succeeded", Runs: 3, Successes: 1, Retries: 2},
		{Unique: nr, Task: gr, State: "failed", Runs: 1, Failures: 1},
	}
	b.res.Expectations = []Expectation{
		{Expect: "fetchLatestPosts runs 18..30", OK: true, Detail: "18 runs"},
		{Expect: "fetchLatestPosts max_gap 2h", OK: false, Detail: "largest gap 2h20m between successful runs at +11:40:02 (Mon 19:40:02) and +14:00:02 (Mon 22:00:02)"},
		{Expect: "cleanup-1 state succeeded", OK: true, Detail: "succeeded"},
		{Expect: "cleanupCache attempts 3", OK: true, Detail: "3 attempts"},
		{Expect: "no_errors", OK: true, Detail: "no errors"},
	}
	b.res.Invariants = Invariants{Checked: 1234}
	b.res.Warnings = []Warning{{T: 60, Code: "clamped", Message: "periodic-sync: flexInterval 1m raised to the minimum 5m"}}
	return b.done()
}

// iosFixture: iOS 17, the same app. The refresh request (identifier
// dev.example.sync) is held back by a low usage score for most of the day,
// runs once, and the dispatcher receives the identifier, which the app has
// no case for; a processing request waits for external power all day.
func iosFixture() (*Result, []sim.Record) {
	b := newBuilder("ios")
	const dasd, bgt = "ios.dasd", "ios.bgtaskscheduler"
	b.device(0, event.Screen, "screen on", nil)
	b.device(30*mins, "app.background", "user left the app", func(s *devState) { s.app = "background" })
	b.device(45*mins, event.Screen, "screen off", func(s *devState) { s.screen = false })
	b.batteryCurve()
	b.device(14*hr, "low_power", "Low Power Mode on", nil)
	b.device(16*hr, "low_power", "Low Power Mode off", nil)
	b.device(22*hr, event.Screen, "screen on", func(s *devState) { s.screen = true })
	b.device(23*hr, "charger", "charger ac", func(s *devState) { s.charger = "ac" })

	const id, fl = "dev.example.sync", "fetchLatestPosts"
	b.add(1*mins, event.SourcePlugin, event.Registered, id, "registerPeriodicTask dev.example.sync (fetchLatestPosts): frequency 1h is ignored on iOS",
		sim.String("task", fl))
	b.add(1*mins, bgt, event.Submitted, id, "BGAppRefreshTaskRequest submitted; earliestBeginDate +1:01:00", sim.String("kind", "periodic"))
	scores := []string{"0.04", "0.03", "0.05", "0.04"}
	i := 0
	for at := 1*hr + 1*mins; at < 24*hr; at += 15 * mins {
		switch {
		case at > 7*hr && at < 8*hr+16*mins:
			continue // ran at 7h16m; resubmitted with earliestBeginDate +1h
		case at >= 14*hr && at < 16*hr:
			b.deferred(at, dasd, id, "low_power_mode", "Low Power Mode is on (unplugged or below 30 %): background refresh is off")
		default:
			b.deferred(at, dasd, id, "usage_score", "usage score "+scores[i%len(scores)]+" below threshold 0.30")
			i++
		}
	}
	b.run(dasd, id, fl, id, 1, 1*hr+1*mins, 7*hr+16*mins, 10*time.Millisecond, "success", "usage score 0.34 cleared threshold 0.30")
	b.add(7*hr+16*mins, event.SourcePlugin, event.Warning, id, `dispatcher received "dev.example.sync", which the app has no case for; ran the default handler`)
	b.add(7*hr+16*mins+10*time.Millisecond, bgt, event.Submitted, id, "BGAppRefreshTaskRequest resubmitted; earliestBeginDate +8:16:00", sim.String("kind", "periodic"))

	const cl = "dev.example.cleanup"
	b.add(10*hr, event.SourcePlugin, event.Registered, cl, "registerProcessingTask dev.example.cleanup (cleanupCache): requiresExternalPower",
		sim.String("task", "cleanupCache"))
	b.add(10*hr, bgt, event.Submitted, cl, "BGProcessingTaskRequest submitted", sim.String("kind", "processing"))
	for at := 10 * hr; at < 24*hr; at += 15 * mins {
		if at < 23*hr {
			b.deferred(at, dasd, cl, "power", "requiresExternalPower: waiting for a charger")
		} else {
			b.deferred(at, dasd, cl, "idle", "device not idle (screen on or unlocked): processing tasks run only while idle")
		}
	}

	b.res.Tasks = []Task{
		{Unique: id, Task: fl, State: "enqueued", Runs: 1, Successes: 1},
		{Unique: cl, Task: "cleanupCache", State: "enqueued"},
	}
	b.res.Expectations = []Expectation{
		{Expect: "fetchLatestPosts runs 18..30", OK: false, Detail: "1 run"},
		{Expect: "fetchLatestPosts max_gap 2h", OK: false, Detail: "largest gap 16h44m: last success at +7:16:00 (Mon 15:16:00) and none after"},
		{Expect: "dev.example.cleanup runs 1..", OK: false, Detail: "0 runs"},
		{Expect: "no_errors", OK: false, Detail: "1 error: registerPeriodicTask not_permitted"},
	}
	b.res.Errors = []Error{{T: 120, Call: "registerPeriodicTask", Code: "not_permitted",
		Message: "identifier dev.example.backup is not in BGTaskSchedulerPermittedIdentifiers", SeenByApp: true}}
	b.res.Warnings = []Warning{
		{T: 60, Code: "ignored_option", Message: "dev.example.sync: frequency 1h is ignored on iOS; the system decides when to refresh"},
		{T: 7*3600 + 16*60, Code: "unknown_task_name", Message: `dispatcher received "dev.example.sync", which the app has no case for; ran the default handler`},
	}
	b.res.Invariants = Invariants{Checked: 321}
	return b.done()
}

// brokenFixture is a short run that broke an invariant and hit a limit, for
// the failure paths of the CI outputs.
func brokenFixture() *Result {
	r := &Result{Format: FormatResult, Scenario: "runaway-retries", Platform: "android", Seed: 7,
		Start: "2026-01-05T08:00:00Z", End: "2026-01-05T09:00:00Z",
		Expectations: []Expectation{{Expect: "syncTask attempts 3", OK: false, Detail: "100000 attempts <before the limit> & counting"}},
		Invariants: Invariants{Checked: 99, Violations: []Violation{
			{T: 61.5, Invariant: InvConstraint, Subject: "sync-1", Detail: "started while network (connected) was unmet"},
			{T: 125, Invariant: InvConstraint, Subject: "sync-1", Detail: "started while network (connected) was unmet"},
			{T: 300, Invariant: "quota_respected", Subject: "sync-1", Detail: "ran 11m in a rare bucket window of 10m"},
		}},
		Limit: "event limit 100000 reached at +0:41:07",
	}
	r.Normalize()
	return r
}
