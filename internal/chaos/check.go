package chaos

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Names of the checks this package adds to the runner's own invariants.
const (
	CheckLoad            = "load"         // the loader rejected a generated file
	CheckSetup           = "setup"        // scenarios.Run returned an error
	CheckLimit           = "limit"        // a short generated scenario hit a safety limit
	CheckDeterminism     = "determinism"  // same seed, different bytes (GOMAXPROCS 1 vs 2)
	CheckConservation    = "conservation" // task and run bookkeeping
	CheckRegistration    = "run_needs_registration"
	CheckAfterCancel     = "no_run_after_cancel_trace"
	CheckMonotonic       = "time_monotonic" // trace, runs and errors in time order
	CheckPeriodFloor     = "android_15_minute_floor"
	CheckBackoff         = "android_backoff_bounds"
	CheckIOSBudget       = "ios_refresh_budget"
	CheckIOSPending      = "ios_pending_limits"
	CheckPersistence     = "android_persistence_across_reboot"
	CheckErrorShape      = "error_shape" // codes are stable snake_case, messages present
	CheckStoppedApp      = "no_run_while_force_stopped"
	CheckRunnerInvariant = "runner" // prefix: a per-run invariant from the result
)

// Android WorkManager constants the checks use (androidx.work
// WorkRequest.MIN_BACKOFF_MILLIS = 10 s, MAX_BACKOFF_MILLIS = 5 h;
// PeriodicWorkRequest.MIN_PERIODIC_INTERVAL_MILLIS = 15 min).
const (
	minBackoff     = 10 * time.Second
	maxBackoff     = 5 * time.Hour
	minPeriod      = 15 * time.Minute
	iosRefreshTime = 30 * time.Second // BGAppRefreshTask: "up to 30 seconds"
	slack          = time.Millisecond // results are rounded to milliseconds
)

// Finding is one broken rule.
type Finding struct {
	Check    string
	Platform string
	At       time.Duration
	Subject  string
	Detail   string
}

func (f Finding) String() string {
	s := f.Check
	if f.Platform != "" {
		s += " [" + f.Platform + "]"
	}
	if f.At != 0 || f.Subject != "" {
		s += fmt.Sprintf(" at +%s", sim.FormatOffset(f.At))
	}
	if f.Subject != "" {
		s += " " + f.Subject
	}
	return s + ": " + f.Detail
}

// Verdict is the outcome of checking one scenario file.
type Verdict struct {
	// PlatformRuns counts simulations made (each platform, each of the two
	// determinism runs).
	PlatformRuns int
	// Checks counts invariant checks: the runner's own (result.invariants.
	// checked) plus this package's.
	Checks int
	// ByCheck splits Checks by check name (runner invariants under
	// "runner").
	ByCheck  map[string]int
	Findings []Finding
	// ExitCode is what `wmsim run` would exit with (0, 1 or 3; 2 for a
	// load error).
	ExitCode int
}

// Failed reports whether any rule broke.
func (v *Verdict) Failed() bool { return len(v.Findings) > 0 }

// CheckOptions adjust Check.
type CheckOptions struct {
	// Limits for each simulation (default: sim.DefaultLimits with a 30 s
	// wall clock and 5 million events: generated scenarios are short).
	Limits *sim.Limits
	// NoDeterminism skips the second run.
	NoDeterminism bool
}

// Check loads a scenario file, runs it twice (GOMAXPROCS 1, then 2),
// compares the bytes, and checks every invariant on the first run. It sets
// the process's GOMAXPROCS while it runs, so call it from one goroutine.
func Check(name string, src []byte, opts CheckOptions) *Verdict {
	v := &Verdict{}
	sc, err := scenarios.Parse(name, src)
	if err != nil {
		v.ExitCode = 2
		v.Findings = append(v.Findings, Finding{Check: CheckLoad, Detail: err.Error()})
		return v
	}
	limits := sim.Limits{MaxEvents: 5_000_000, WallClock: 30 * time.Second}
	if opts.Limits != nil {
		limits = *opts.Limits
	}
	prev := runtime.GOMAXPROCS(1)
	a, err := simulate(sc, limits)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		v.Findings = append(v.Findings, Finding{Check: CheckSetup, Detail: err.Error()})
		return v
	}
	v.PlatformRuns += len(a.out.Runs)
	v.ExitCode = a.out.ExitCode()
	if !opts.NoDeterminism {
		prev := runtime.GOMAXPROCS(max(2, prev))
		b, err := simulate(sc, limits)
		runtime.GOMAXPROCS(prev)
		v.Checks++
		if v.ByCheck == nil {
			v.ByCheck = map[string]int{}
		}
		v.ByCheck[CheckDeterminism]++
		switch {
		case err != nil:
			v.Findings = append(v.Findings, Finding{Check: CheckDeterminism, Detail: "second run failed to start: " + err.Error()})
		default:
			v.PlatformRuns += len(b.out.Runs)
			if d := firstDiff(a.doc, b.doc); d >= 0 {
				v.Findings = append(v.Findings, Finding{Check: CheckDeterminism, Detail: fmt.Sprintf("result documents differ at byte %d: %q vs %q", d, around(a.doc, d), around(b.doc, d))})
			} else if d := firstDiff(a.trace, b.trace); d >= 0 {
				v.Findings = append(v.Findings, Finding{Check: CheckDeterminism, Detail: fmt.Sprintf("traces differ at byte %d: %q vs %q", d, around(a.trace, d), around(b.trace, d))})
			}
		}
	}
	for i, pr := range a.out.Runs {
		c := &checker{v: v, sc: sc, pr: pr, world: a.worlds[i]}
		c.run()
	}
	return v
}

// simulation is one run of a scenario with what the checks need.
type simulation struct {
	out    *runner.Outcome
	worlds []*worldProbe
	doc    []byte
	trace  []byte
}

// worldProbe is what a check learns from the World while it runs: the
// journal (run kinds) and the probes' observations.
type worldProbe struct {
	w      *runner.World
	probes []Finding // persistence and pending-limit findings, made during the run
	checks map[string]int
}

func simulate(sc *scenarios.Scenario, limits sim.Limits) (*simulation, error) {
	s := &simulation{}
	opts := runner.RunOptions{KeepTrace: true, Limits: &limits, Setup: func(w *runner.World) {
		p := &worldProbe{w: w, checks: map[string]int{}}
		s.worlds = append(s.worlds, p)
		p.schedule()
	}}
	out, err := runner.Run(sc, opts)
	if err != nil {
		return nil, err
	}
	s.out = out
	doc, err := report.MarshalIndent(out.Document())
	if err != nil {
		return nil, err
	}
	s.doc = doc
	var tb bytes.Buffer
	for _, pr := range out.Runs {
		sink := sim.NewJSONLSink(&tb)
		for i := range pr.Trace {
			sink.Record(&pr.Trace[i])
		}
		if err := sink.Err(); err != nil {
			return nil, err
		}
	}
	s.trace = tb.Bytes()
	return s, nil
}

// schedule adds the probe events: around each Android reboot (persistence)
// and after each timeline step on iOS (pending limits). Probes only read.
func (p *worldProbe) schedule() {
	w := p.w
	sc := w.Scenario
	eng := w.Engine
	at := func(off time.Duration, f func()) {
		if off < 0 || off > sc.Duration {
			return
		}
		eng.Schedule(sc.Start.Add(off), sim.PhaseCheck, "chaos probe", sim.HandlerFunc(func(*sim.Engine) { f() }))
	}
	for i := range sc.Timeline {
		st := &sc.Timeline[i]
		st.Occurrences(sc.Start, sc.Duration, func(off time.Duration) bool {
			if st.Reboot != nil && w.Plugin.Android() != nil && off > 0 {
				down := 90 * time.Second
				if st.Reboot.Downtime != nil {
					down = *st.Reboot.Downtime
				}
				if busy(sc, off-time.Nanosecond, off+down+time.Second) {
					return true
				}
				var before []string
				at(off-time.Nanosecond, func() { before = p.androidPending() })
				at(off+down+time.Second, func() { p.persisted(off, before) })
			}
			if w.Plugin.IOS() != nil {
				at(off, p.iosPending)
			}
			return true
		})
	}
	if w.Plugin.IOS() != nil {
		at(sc.Duration, p.iosPending)
	}
}

// busy reports whether a call or channel step (which may cancel or replace
// work) happens in [from, to].
func busy(sc *scenarios.Scenario, from, to time.Duration) bool {
	for i := range sc.Timeline {
		st := &sc.Timeline[i]
		if a := st.Action(); a != scenarios.ActionCall && a != scenarios.ActionChannel {
			continue
		}
		hit := false
		st.Occurrences(sc.Start, sc.Duration, func(off time.Duration) bool {
			if off >= from && off <= to {
				hit = true
				return false
			}
			return off <= to
		})
		if hit {
			return true
		}
	}
	return false
}

func (p *worldProbe) androidPending() []string {
	var out []string
	for _, t := range p.w.Plugin.Android().Tasks() {
		switch t.State {
		case osscheduler.StateEnqueued, osscheduler.StateRunning, osscheduler.StateBlocked:
			out = append(out, t.Unique)
		}
	}
	return out
}

// persisted checks that every unique name with unfinished work before the
// reboot still has its WorkSpec row after boot (WorkManager's database
// survives power loss; ForceStopRunnable/RescheduleReceiver reschedule it).
func (p *worldProbe) persisted(reboot time.Duration, before []string) {
	p.checks[CheckPersistence]++
	now := map[string]bool{}
	for _, t := range p.w.Plugin.Android().Tasks() {
		now[t.Unique] = true
	}
	for _, u := range before {
		if !now[u] {
			p.probes = append(p.probes, Finding{Check: CheckPersistence, Platform: "android", At: reboot, Subject: u,
				Detail: "work enqueued before the reboot is gone from the WorkManager database after boot"})
		}
	}
}

// iosPending checks BGTaskScheduler's pending-request limits: at most 1
// refresh and 10 processing requests (Apple, BGTaskScheduler.submit:
// "tooManyPendingTaskRequests").
func (p *worldProbe) iosPending() {
	p.checks[CheckIOSPending]++
	refresh, processing := 0, 0
	for _, t := range p.w.Plugin.IOS().Tasks() {
		if t.State != osscheduler.StateEnqueued {
			continue
		}
		switch t.Kind {
		case osscheduler.Periodic:
			refresh++
		case osscheduler.Processing, osscheduler.HealthResearch:
			processing++
		}
	}
	if refresh > ios.MaxPendingRefresh || processing > ios.MaxPendingProcessing {
		p.probes = append(p.probes, Finding{Check: CheckIOSPending, Platform: "ios", At: p.w.Engine.Elapsed(),
			Detail: fmt.Sprintf("%d refresh and %d processing requests pending; the limits are %d and %d", refresh, processing, ios.MaxPendingRefresh, ios.MaxPendingProcessing)})
	}
}

// checker checks one platform run.
type checker struct {
	v     *Verdict
	sc    *scenarios.Scenario
	pr    *runner.PlatformRun
	world *worldProbe
}

func (c *checker) fail(check string, at time.Duration, subject, format string, a ...any) {
	c.v.Findings = append(c.v.Findings, Finding{Check: check, Platform: c.pr.Platform, At: at, Subject: subject, Detail: fmt.Sprintf(format, a...)})
}

func (c *checker) count(check string, n int) {
	c.v.Checks += n
	if c.v.ByCheck == nil {
		c.v.ByCheck = map[string]int{}
	}
	c.v.ByCheck[check] += n
}

func (c *checker) run() {
	res := c.pr.Result
	c.count(CheckRunnerInvariant, res.Invariants.Checked)
	for _, vi := range res.Invariants.Violations {
		c.fail(CheckRunnerInvariant+"/"+vi.Invariant, secsDur(float64(vi.T)), vi.Subject, "%s", vi.Detail)
	}
	if c.pr.LimitErr != nil {
		c.fail(CheckLimit, c.pr.LimitErr.At, "", "%s", c.pr.LimitErr.Error())
	}
	for k, n := range c.world.checks {
		c.count(k, n)
	}
	c.v.Findings = append(c.v.Findings, c.world.probes...)
	c.conservation()
	c.monotonic()
	c.traceRules()
	c.stoppedApp()
	runs := c.world.w.Journal.Runs()
	if c.pr.Platform == "android" {
		c.androidRuns(runs)
	} else {
		c.iosRuns(runs)
	}
	c.errorShape()
}

var validStates = map[string]bool{"enqueued": true, "running": true, "succeeded": true, "failed": true, "cancelled": true, "blocked": true}
var validOutcomes = map[string]bool{"success": true, "retry": true, "failure": true, "stopped": true, "expired": true, "running": true}

// conservation: every task is in exactly one known state and its counts add
// up; every run has a known outcome, a stopped run says why.
func (c *checker) conservation() {
	res := c.pr.Result
	running := map[string]int{}
	for _, t := range res.Tasks {
		c.count(CheckConservation, 2)
		if !validStates[t.State] {
			c.fail(CheckConservation, 0, t.Unique, "task state %q is not one of enqueued, running, succeeded, failed, cancelled, blocked", t.State)
		}
		if t.Successes+t.Retries+t.Failures+t.Stops > t.Runs || t.Runs-(t.Successes+t.Retries+t.Failures+t.Stops) > 1 && c.pr.Platform == "android" {
			c.fail(CheckConservation, 0, t.Unique, "runs %d vs successes %d + retries %d + failures %d + stops %d", t.Runs, t.Successes, t.Retries, t.Failures, t.Stops)
		}
		if t.State == "running" {
			running[t.Unique]++
		}
	}
	if c.pr.Platform == "android" {
		for u, n := range running {
			c.count(CheckConservation, 1)
			if n > 1 {
				c.fail(CheckConservation, 0, u, "%d WorkSpecs of one unique work are running at once", n)
			}
		}
	}
	// Every piece of work the OS accepted is still accounted for at the
	// end, in exactly one row state (WorkManager keeps finished and
	// cancelled WorkSpecs until pruned; BGTaskScheduler's table keeps every
	// request ever submitted).
	inTable := map[string]bool{}
	for _, t := range res.Tasks {
		inTable[t.Unique] = true
	}
	// WorkDatabase's cleanup at process start deletes finished work enqueued
	// over a day ago (android.workmanager "pruned"): work whose last record is
	// its pruning is accounted for.
	prunedLast := map[string]bool{}
	for i := range c.pr.Trace {
		r := &c.pr.Trace[i]
		if r.Source == event.SourceAndroidWorkManager && (r.Kind == event.Enqueued || r.Kind == event.Pruned) {
			prunedLast[r.Subject] = r.Kind == event.Pruned
		}
	}
	for i := range c.pr.Trace {
		r := &c.pr.Trace[i]
		if r.Source == event.SourceAndroidWorkManager && r.Kind == event.Enqueued || r.Source == ios_src && r.Kind == event.Submitted {
			c.count(CheckConservation, 1)
			if !inTable[r.Subject] && !(r.Source == event.SourceAndroidWorkManager && prunedLast[r.Subject]) {
				c.fail(CheckConservation, r.At, r.Subject, "work accepted by the OS (%s %s) is missing from the tasks table at the end", r.Source, r.Kind)
				inTable[r.Subject] = true // once
			}
		}
	}
	for _, r := range res.Runs {
		c.count(CheckConservation, 1)
		if !validOutcomes[r.Outcome] {
			c.fail(CheckConservation, secsDur(float64(r.TStart)), r.Unique, "run outcome %q is not a format outcome", r.Outcome)
		}
		if (r.Outcome == "stopped") != (r.StopReason != "") && r.Outcome != "expired" {
			c.fail(CheckConservation, secsDur(float64(r.TStart)), r.Unique, "outcome %s with stop_reason %q", r.Outcome, r.StopReason)
		}
	}
}

// monotonic: trace records in time and sequence order; runs start no
// earlier than eligible, end no earlier than they start, within the run;
// errors in time order.
func (c *checker) monotonic() {
	var lastAt time.Duration
	var lastSeq uint64
	for i := range c.pr.Trace {
		r := &c.pr.Trace[i]
		c.count(CheckMonotonic, 1)
		if r.At < lastAt || r.Seq <= lastSeq {
			c.fail(CheckMonotonic, r.At, r.Subject, "trace record %d at %s after record %d at %s", r.Seq, sim.FormatOffset(r.At), lastSeq, sim.FormatOffset(lastAt))
		}
		lastAt, lastSeq = r.At, r.Seq
	}
	res := c.pr.Result
	end := report.Seconds(c.sc.Duration.Seconds())
	var lastStart report.Seconds
	for _, r := range res.Runs {
		c.count(CheckMonotonic, 1)
		switch {
		case r.TStart < lastStart:
			c.fail(CheckMonotonic, secsDur(float64(r.TStart)), r.Unique, "run listed after one that started later (%.3f)", float64(lastStart))
		case r.TStart < 0 || r.TEnd < r.TStart || r.TEnd > end+0.001:
			c.fail(CheckMonotonic, secsDur(float64(r.TStart)), r.Unique, "run from %.3f to %.3f outside [0, %.3f] or backwards", float64(r.TStart), float64(r.TEnd), float64(end))
		case r.Eligible > r.TStart+0.001:
			c.fail(CheckMonotonic, secsDur(float64(r.TStart)), r.Unique, "run started at %.3f before it was eligible at %.3f", float64(r.TStart), float64(r.Eligible))
		}
		lastStart = r.TStart
	}
	var lastErr report.Seconds
	for _, e := range res.Errors {
		c.count(CheckMonotonic, 1)
		if e.T < lastErr {
			c.fail(CheckMonotonic, secsDur(float64(e.T)), e.Call, "error listed after a later one")
		}
		lastErr = e.T
	}
}

// traceRules walks the trace once: every run start needs an earlier
// registration of its unique name, and none may start after a cancel with no
// new registration in between (iOS in-process one-offs cannot be cancelled:
// the plugin has no handle on them).
func (c *checker) traceRules() {
	reg := map[string]uint64{}
	cancelled := map[string]uint64{}
	cancelledID := map[string]uint64{}
	ios := c.pr.Platform == "ios"
	for i := range c.pr.Trace {
		r := &c.pr.Trace[i]
		// Android: cancellation is per WorkSpec (a unique name may hold
		// several; cancelByTag cancels only the tagged ones).
		if r.Source == event.SourceAndroidWorkManager || r.Source == event.SourceAndroidJobScheduler {
			if f, ok := r.Field("id"); ok && f.Str != "" {
				switch r.Kind {
				case event.Enqueued, event.Updated:
					delete(cancelledID, f.Str)
				case event.Cancelled:
					cancelledID[f.Str] = r.Seq
				case event.Started:
					c.count(CheckAfterCancel, 1)
					if cs, ok := cancelledID[f.Str]; ok {
						c.fail(CheckAfterCancel, r.At, r.Subject, "WorkSpec %s started after it was cancelled (trace record %d)", f.Str, cs)
					}
				}
			}
		}
		switch {
		case r.Source == event.SourceAndroidWorkManager && (r.Kind == event.Enqueued || r.Kind == event.Updated),
			r.Source == ios_src && r.Kind == event.Submitted,
			ios && r.Source == event.SourcePlugin && r.Kind == event.Call && fieldIs(r, "call", "registerOneOffTask"):
			reg[r.Subject] = r.Seq
		case r.Kind == event.Cancelled && r.Source == ios_src:
			cancelled[r.Subject] = r.Seq
		case r.Kind == event.Started && (r.Source == event.SourceAndroidJobScheduler || ios && isIOSRunSource(event.Source(r.Source))):
			kind := fieldStr(r, "kind")
			if kind == string(osscheduler.Fetch) || r.Subject == "iOSPerformFetch" {
				continue
			}
			c.count(CheckRegistration, 1)
			if ios {
				c.count(CheckAfterCancel, 1)
			}
			rs, ok := reg[r.Subject]
			if !ok {
				c.fail(CheckRegistration, r.At, r.Subject, "a run started with no earlier registration of this unique name")
				continue
			}
			if cs, ok := cancelled[r.Subject]; ios && ok && cs > rs && kind != string(osscheduler.OneOff) {
				c.fail(CheckAfterCancel, r.At, r.Subject, "a run started after the work was cancelled (trace record %d) with no registration since", cs)
			}
		}
	}
}

// stoppedApp: a force-stopped Android app gets no jobs until the user
// launches it (AOSP: stopped packages are excluded from JobScheduler and
// broadcasts); an iOS app the user force-quit is not launched for
// BGTaskScheduler or background fetch until it is opened again (Apple,
// "Choosing Background Strategies for Your App"). An update or a process
// start by the runner ends the state (leniently).
func (c *checker) stoppedApp() {
	stopped := false
	for i := range c.pr.Trace {
		r := &c.pr.Trace[i]
		switch {
		case r.Source == event.SourceDevice && (r.Kind == event.AppForceStopped && c.pr.Platform == "android" || r.Kind == event.AppSwipedAway && c.pr.Platform == "ios"):
			stopped = true
		case r.Source == event.SourceDevice && (r.Kind == event.AppLaunched || r.Kind == event.AppUpdated || r.Kind == event.AppProcessStarted):
			stopped = false
		case r.Kind == event.Started && (r.Source == event.SourceAndroidJobScheduler || r.Source == ios.SourceDASD || r.Source == ios.SourceFetch):
			c.count(CheckStoppedApp, 1)
			if stopped {
				c.fail(CheckStoppedApp, r.At, r.Subject, "a background run started while the app was force-stopped (or force-quit on iOS) and not opened since")
			}
		}
	}
}

const ios_src = ios.SourceScheduler

func isIOSRunSource(s event.Source) bool {
	return s == ios.SourceDASD || s == ios.SourceFetch || s == ios.SourceApp || s == ios.SourceScheduler
}

func fieldStr(r *sim.Record, name string) string {
	if f, ok := r.Field(name); ok {
		return f.Str
	}
	return ""
}

func fieldIs(r *sim.Record, name, want string) bool { return fieldStr(r, name) == want }

// regTimes lists, by unique name, the offsets of registrations (for the
// run-pair rules: a new registration starts a new schedule).
func (c *checker) regTimes() map[string][]time.Duration {
	out := map[string][]time.Duration{}
	for i := range c.pr.Trace {
		r := &c.pr.Trace[i]
		if r.Source == event.SourceAndroidWorkManager && (r.Kind == event.Enqueued || r.Kind == event.Updated || r.Kind == event.Kept) ||
			r.Source == event.SourcePlugin && r.Kind == event.Call {
			out[r.Subject] = append(out[r.Subject], r.At)
		}
	}
	return out
}

func registeredBetween(ts []time.Duration, from, to time.Duration) bool {
	i := sort.Search(len(ts), func(i int) bool { return ts[i] >= from })
	return i < len(ts) && ts[i] <= to
}

// androidRuns checks consecutive runs of one unique work: after a completed
// period the next starts at least 15 minutes later (WorkSpec.
// calculateNextRunTime: lastEnqueueTime + interval, interval ≥ 15 min);
// after a retry the next attempt waits the backoff, 10 s .. 5 h.
func (c *checker) androidRuns(runs []osscheduler.RunRecord) {
	regs := c.regTimes()
	// A reboot or force-stop hands the work to JobScheduler again later,
	// which moves "eligible": the backoff's upper bound holds only without.
	var disrupt []time.Duration
	for i := range c.pr.Trace {
		if r := &c.pr.Trace[i]; r.Source == event.SourceAndroidJobScheduler && (r.Kind == event.PowerOff || r.Kind == event.ForceStopped) {
			disrupt = append(disrupt, r.At)
		}
	}
	last := map[string]osscheduler.RunRecord{}
	for _, r := range runs {
		prev, ok := last[r.Unique]
		last[r.Unique] = r
		if !ok || prev.End < 0 || prev.Kind != r.Kind || registeredBetween(regs[r.Unique], prev.Start, r.Start) {
			continue
		}
		switch {
		case r.Kind == osscheduler.Periodic && (prev.Outcome == osscheduler.OutcomeSuccess || prev.Outcome == osscheduler.OutcomeFailure):
			c.count(CheckPeriodFloor, 1)
			if gap := r.Start - prev.End; gap < minPeriod-slack {
				c.fail(CheckPeriodFloor, r.Start, r.Unique, "periodic run started %s after the previous period's run ended (floor %s)", gap, minPeriod)
			}
		case prev.Outcome == osscheduler.OutcomeRetry && r.Attempt == prev.Attempt+1:
			c.count(CheckBackoff, 2)
			if gap := r.Start - prev.End; gap < minBackoff-slack {
				c.fail(CheckBackoff, r.Start, r.Unique, "attempt %d started %s after a retry (minimum backoff %s)", r.Attempt, gap, minBackoff)
			}
			if wait := r.Eligible - prev.End; wait > maxBackoff+slack && !registeredBetween(disrupt, prev.End, r.Start) {
				c.fail(CheckBackoff, r.Start, r.Unique, "attempt %d became eligible %s after a retry (maximum backoff %s)", r.Attempt, wait, maxBackoff)
			}
		}
	}
}

// iosRuns checks the background time budget of refresh and fetch runs.
func (c *checker) iosRuns(runs []osscheduler.RunRecord) {
	for _, r := range runs {
		if (r.Kind != osscheduler.Periodic && r.Kind != osscheduler.Fetch) || r.End < 0 {
			continue
		}
		c.count(CheckIOSBudget, 1)
		if r.End-r.Start > iosRefreshTime+slack {
			c.fail(CheckIOSBudget, r.Start, r.Unique, "a %s run lasted %s, beyond the %s budget", r.Kind, r.End-r.Start, iosRefreshTime)
		}
	}
}

var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// errorShape: every error and warning has a stable snake_case code and a
// message.
func (c *checker) errorShape() {
	for _, e := range c.pr.Result.Errors {
		c.count(CheckErrorShape, 1)
		if !snake.MatchString(e.Code) || e.Message == "" || e.Call == "" {
			c.fail(CheckErrorShape, secsDur(float64(e.T)), e.Call, "error code %q, call %q, message %q", e.Code, e.Call, e.Message)
		}
	}
	for _, w := range c.pr.Result.Warnings {
		c.count(CheckErrorShape, 1)
		if !snake.MatchString(w.Code) || w.Message == "" {
			c.fail(CheckErrorShape, secsDur(float64(w.T)), "", "warning code %q, message %q", w.Code, w.Message)
		}
	}
}

func secsDur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return n
	}
	return -1
}

func around(b []byte, i int) string {
	lo, hi := max(0, i-40), min(len(b), i+40)
	return string(b[lo:hi])
}

var _ = errors.New
