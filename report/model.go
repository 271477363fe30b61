// The model the renderers share, built from a result and its trace: each
// task's story (due, held back, ran) and the device's signals over time.

package report

import (
	"slices"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// Trace conventions the OS models and the plugin follow (see the package doc).
const (
	srcDevice  = "device"
	srcDoze    = "android.doze"
	srcStandby = "android.standby"
	srcRunner  = "runner"
)

// taskKinds are the record kinds that make a subject a task, across the
// models: WorkManager and JobScheduler (enqueued, clamped, deferred, ready,
// started, finished, …), BGTaskScheduler and dasd (submitted, deferred,
// started, completed, expired, …) and the plugin (registered, task.…).
var taskKinds = map[event.Kind]bool{
	event.Registered: true, event.Enqueued: true, event.Submitted: true, event.Clamped: true, event.Deferred: true,
	event.Ready: true, event.Started: true, event.Finished: true, event.Completed: true, event.Stopped: true, event.Expired: true,
	event.Cancelled: true, event.Rejected: true, event.Failed: true, event.Skipped: true, event.Kept: true, event.Updated: true,
	event.Unblocked: true, event.TaskDelivered: true, event.TaskFinished: true, event.TaskStopped: true, event.WorkerStarted: true,
}

// coreKinds make a subject a task even when the result does not list it;
// a subject seen only in, say, a rejected call is not given a lane.
var coreKinds = map[event.Kind]bool{
	event.Registered: true, event.Enqueued: true, event.Submitted: true, event.Deferred: true, event.Ready: true, event.Started: true,
}

// holdEnders are the kinds that end a hold: the OS decided to run the task
// (ready, started), or the task stopped existing.
var holdEnders = map[event.Kind]bool{event.Ready: true, event.Started: true, event.Cancelled: true, event.Rejected: true}

// endKinds are the kinds that close a run.
var endKinds = map[event.Kind]bool{event.Finished: true, event.Completed: true, event.Stopped: true, event.Expired: true}

// reservedSubjects are subjects that name no task.
var reservedSubjects = map[string]bool{"": true, "device": true, "all": true, "app": true, "doze": true}

// sameInstant compares a trace offset with a result time, which has
// millisecond resolution.
func sameInstant(a, b time.Duration) bool { return (a - b).Abs() < time.Millisecond }

// hold is one interval during which a task was held back for one class of
// reason: from a deferred record to the next started or deferred record (of
// another class) of the same subject.
type hold struct {
	From, To time.Duration
	Open     bool   // still in force when the run ended
	Class    string // the gate: doze, quota, constraint, not_due, …
	Reason   string // the first reason given
	Last     string // the last reason given, when it differs from the first
	Source   string
	Count    int    // deferred records merged into this hold
	EndedBy  string // the kind of record that ended it
}

// story is everything the trace and the result say about one unique name.
type story struct {
	Unique, Task string
	Records      []*sim.Record
	Holds        []hold
	Runs         []Run
}

// seg is a span during which a device signal held one value.
type seg struct {
	From, To time.Duration
	Value    string
	Reason   string
}

// signal is one device band: charging, network, screen, Doze, bucket, power.
type signal struct {
	Key, Label string
	Segs       []seg
}

// at returns the signal's value at offset t.
func (s *signal) at(t time.Duration) (string, bool) {
	for i := len(s.Segs) - 1; i >= 0; i-- {
		g := s.Segs[i]
		if g.From <= t && (t < g.To || (i == len(s.Segs)-1 && t == g.To)) {
			return g.Value, true
		}
	}
	return "", false
}

type batteryPoint struct {
	At    time.Duration
	Level int64
}

// model is the trace and result, arranged for rendering.
type model struct {
	Res      *Result
	Start    time.Time
	Horizon  time.Duration
	Trace    []sim.Record
	Tasks    []*story
	byUnique map[string]*story
	Signals  []*signal
	Battery  []batteryPoint
}

// orderTrace returns the trace ordered by (At, Seq); the input is not changed.
func orderTrace(trace []sim.Record) []sim.Record {
	sorted := slices.IsSortedFunc(trace, cmpRecord)
	if sorted {
		return trace
	}
	c := slices.Clone(trace)
	slices.SortStableFunc(c, cmpRecord)
	return c
}

func cmpRecord(a, b sim.Record) int {
	if a.At != b.At {
		if a.At < b.At {
			return -1
		}
		return 1
	}
	if a.Seq != b.Seq {
		if a.Seq < b.Seq {
			return -1
		}
		return 1
	}
	return 0
}

func fieldStr(r *sim.Record, key string) string {
	f, ok := r.Field(key)
	if !ok {
		return ""
	}
	switch f.Kind {
	case sim.KindString:
		return f.Str
	default:
		return fmtValue(f)
	}
}

func fieldInt(r *sim.Record, key string) (int64, bool) {
	f, ok := r.Field(key)
	if !ok || (f.Kind != sim.KindInt && f.Kind != sim.KindBool) {
		return 0, false
	}
	return f.Int, true
}

// fmtValue prints a field's value deterministically.
func fmtValue(f sim.Field) string {
	switch v := f.Value().(type) {
	case string:
		return v
	case int64:
		return itoa(v)
	case time.Duration:
		return fmtDur(v)
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		return FormatSeconds(v)
	}
	return ""
}

func itoa(v int64) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	var buf [21]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// isSignalRecord reports whether r is a device or OS-wide state change (a
// band of the timeline) rather than an event about a task.
func isSignalRecord(r *sim.Record) bool {
	switch r.Source {
	case srcDevice:
		return true
	case srcDoze:
		return !taskKinds[r.Kind]
	case srcStandby:
		return r.Kind == event.Bucket
	}
	return false
}

// isTaskRecord reports whether r is an event about a task (not a device
// signal or an OS-wide state).
func isTaskRecord(r *sim.Record) bool {
	if isSignalRecord(r) || reservedSubjects[r.Subject] {
		return false
	}
	// The runner's warnings are subjected by their code.
	return !(r.Source == srcRunner && r.Kind == event.Warning)
}

// dozeState reads a Doze record: a "state" field, or the deep and light
// states the Android model reports ("deep", "light"), or the kind itself.
// The deep state wins; while deep is ACTIVE or INACTIVE a light state other
// than those is shown as LIGHT_<state>.
func dozeState(r *sim.Record) string {
	if v := fieldStr(r, "state"); v != "" {
		return v
	}
	deep, light := fieldStr(r, "deep"), fieldStr(r, "light")
	if deep == "" && light == "" {
		k := strings.TrimPrefix(string(string(r.Kind)), "light.")
		if k == strings.ToUpper(k) && k != "" {
			if k != string(r.Kind) {
				return "LIGHT_" + k
			}
			return k
		}
		return ""
	}
	quiet := func(s string) bool { return s == "" || s == "ACTIVE" || s == "INACTIVE" }
	if quiet(deep) && !quiet(light) {
		return "LIGHT_" + light
	}
	if deep == "" {
		return light
	}
	return deep
}

// bucketOf reads a standby bucket record: a "bucket" or "to" field, or the
// subject the Android model names the bucket by.
func bucketOf(r *sim.Record) string {
	if v := fieldStr(r, "bucket"); v != "" {
		return v
	}
	if v := fieldStr(r, "to"); v != "" {
		return v
	}
	if r.Subject != "app" {
		return r.Subject
	}
	return ""
}

// outcomeOf reads a run's outcome from an end record.
func outcomeOf(r *sim.Record) string {
	if v := fieldStr(r, "outcome"); v != "" {
		return v
	}
	return fieldStr(r, "result")
}

// holdClass names the class of a deferred record: its "gate" field, or, for
// records without one, a class read from the reason's words.
func holdClass(r *sim.Record) string {
	if g := fieldStr(r, "gate"); g != "" {
		return g
	}
	if g := fieldStr(r, "blocked_by"); g != "" {
		return g
	}
	l := strings.ToLower(r.Reason)
	switch {
	case strings.HasPrefix(l, "constraint"):
		return "constraint"
	case strings.Contains(l, "doze"):
		return "doze"
	case strings.Contains(l, "standby bucket"), strings.Contains(l, "quota"):
		return "quota"
	case strings.Contains(l, "usage score"):
		return "usage_score"
	case strings.Contains(l, "force-quit"), strings.Contains(l, "force quit"),
		strings.Contains(l, "force-stop"), strings.Contains(l, "force stop"), strings.Contains(l, "force_stop"):
		return "force_quit"
	case strings.Contains(l, "low power"):
		return "low_power_mode"
	case strings.Contains(l, "background app refresh"):
		return "background_app_refresh"
	case strings.Contains(l, "thermal"):
		return "thermal"
	case strings.Contains(l, "not due"), strings.Contains(l, "initial delay"), strings.Contains(l, "backoff"),
		strings.Contains(l, "period"):
		return "not_due"
	}
	return "other"
}

// classLabels name the gates of both models in a sentence: Android's
// blocked_by values (osscheduler/android) and iOS's gate keys
// (osscheduler/ios), plus the classes read from reasons.
var classLabels = map[string]string{
	"doze":                   "Doze",
	"light_doze":             "light Doze",
	"quota":                  "standby bucket quota",
	"restricted_bucket":      "the restricted standby bucket",
	"constraint":             "unmet constraints",
	"network":                "the network constraint",
	"charging":               "the charging constraint",
	"battery_not_low":        "the battery-not-low constraint",
	"storage_not_low":        "the storage-not-low constraint",
	"device_idle":            "the device-idle constraint",
	"battery_saver":          "Battery Saver",
	"scheduler_limit":        "JobScheduler's job limit",
	"concurrency":            "JobScheduler's concurrency limit",
	"force_stopped":          "the app being force-stopped",
	"not_due":                "not yet due",
	"force_quit":             "the app being force-quit",
	"low_power_mode":         "Low Power Mode",
	"usage_score":            "a low usage score",
	"seeded":                 "dasd's seeded draw",
	"background_app_refresh": "Background App Refresh off",
	"fetch_disabled":         "background fetch off",
	"mode":                   "a missing UIBackgroundModes entry",
	"identifier":             "a missing permitted identifier",
	"thermal":                "the thermal state",
	"battery":                "low battery",
	"idle":                   "waiting for an idle device",
	"power":                  "waiting for external power",
	"foreground":             "the app being in the foreground",
	"queued":                 "queueing behind another task",
	"throttled":              "throttling after expired runs",
	"rate_limit":             "the launch rate limit",
	"daily_budget":           "the daily launch budget",
	"top_apps":               "not being a top app",
	"process":                "the app process not starting",
	"other":                  "other reasons",
}

// classLabel is a class's name in a sentence ("Doze", "unmet constraints").
func classLabel(c string) string {
	if l, ok := classLabels[c]; ok {
		return l
	}
	return strings.ReplaceAll(c, "_", " ")
}

// isWaiting reports whether time in a hold of class c counts as waiting
// (the task was due but held back); "not yet due" is not waiting.
func isWaiting(c string) bool { return c != "not_due" }

// signal keys and labels, in band order.
var signalOrder = []struct{ Key, Label string }{
	{"power", "power"},
	{"charger", "charging"},
	{"network", "network"},
	{"screen", "screen"},
	{"doze", "Doze"},
	{"bucket", "bucket"},
}

// changes says which signals a device record kind changes; the other fields
// of the record were unchanged by it.
func changes(kind, key string) bool {
	switch kind {
	case "charger":
		return key == "charger"
	case "network":
		return key == "network"
	case "screen":
		return key == "screen"
	case "power.off", "boot.completed":
		return key == "screen" || key == "power" || key == "battery"
	}
	if strings.HasPrefix(kind, "battery") {
		return key == "battery"
	}
	return false
}

type tracker struct {
	sig   *signal
	cur   string
	why   string
	from  time.Duration
	known bool
}

func (t *tracker) set(at time.Duration, v, why string) {
	if t.known && t.cur == v {
		return
	}
	if t.known && at > t.from {
		t.sig.Segs = append(t.sig.Segs, seg{From: t.from, To: at, Value: t.cur, Reason: t.why})
	}
	if t.known && at < t.from {
		at = t.from
	}
	t.cur, t.why, t.from, t.known = v, why, at, true
}

func (t *tracker) finish(h time.Duration) {
	if !t.known {
		return
	}
	if h < t.from {
		h = t.from
	}
	t.sig.Segs = append(t.sig.Segs, seg{From: t.from, To: h, Value: t.cur, Reason: t.why})
}

// buildModel arranges a result and its trace for rendering. It never fails:
// records it does not understand are kept for the timeline and otherwise
// ignored.
func buildModel(res *Result, trace []sim.Record, start time.Time) *model {
	if res == nil {
		res = &Result{}
	}
	trace = orderTrace(trace)
	m := &model{Res: res, Start: startOf(res, start), Trace: trace, byUnique: map[string]*story{}}
	m.Horizon = horizonOf(res, trace)

	get := func(unique, task string) *story {
		st, ok := m.byUnique[unique]
		if !ok {
			st = &story{Unique: unique, Task: task}
			m.byUnique[unique] = st
			m.Tasks = append(m.Tasks, st)
		}
		if st.Task == "" {
			st.Task = task
		}
		return st
	}
	for _, t := range res.Tasks {
		get(t.Unique, t.Task)
	}
	for _, r := range res.Runs {
		st := get(r.Unique, r.Task)
		st.Runs = append(st.Runs, r)
	}
	for i := range trace {
		if r := &trace[i]; isTaskRecord(r) && coreKinds[r.Kind] {
			get(r.Subject, fieldStr(r, "task"))
		}
	}
	for i := range trace {
		r := &trace[i]
		if !isTaskRecord(r) {
			continue
		}
		st, ok := m.byUnique[r.Subject]
		if !ok {
			continue
		}
		if st.Task == "" {
			st.Task = fieldStr(r, "task")
		}
		st.Records = append(st.Records, r)
	}
	for _, st := range m.Tasks {
		slices.SortStableFunc(st.Runs, func(a, b Run) int {
			return cmpDur(secDur(a.TStart), secDur(b.TStart))
		})
		st.Holds = holdsOf(st.Records, m.Horizon)
	}
	m.buildSignals()
	return m
}

func cmpDur(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// holdsOf computes the hold intervals of one subject's records.
func holdsOf(recs []*sim.Record, horizon time.Duration) []hold {
	var out []hold
	var cur *hold
	closeAt := func(at time.Duration, by string) {
		if cur == nil {
			return
		}
		cur.To, cur.EndedBy = max(at, cur.From), by
		out = append(out, *cur)
		cur = nil
	}
	for _, r := range recs {
		switch {
		case r.Kind == event.Deferred:
			cls := holdClass(r)
			if cur != nil && cur.Class == cls {
				cur.Count++
				if r.Reason != cur.Reason {
					cur.Last = r.Reason
				} else {
					cur.Last = ""
				}
				continue
			}
			closeAt(r.At, "deferred")
			cur = &hold{From: r.At, Class: cls, Reason: r.Reason, Source: string(string(r.Source)), Count: 1}
		case holdEnders[r.Kind]:
			closeAt(r.At, string(string(r.Kind)))
		}
	}
	if cur != nil {
		cur.To, cur.Open = max(horizon, cur.From), true
		out = append(out, *cur)
	}
	return out
}

func (m *model) buildSignals() {
	tr := map[string]*tracker{}
	for _, s := range signalOrder {
		sig := &signal{Key: s.Key, Label: s.Label}
		m.Signals = append(m.Signals, sig)
		tr[s.Key] = &tracker{sig: sig}
	}
	lastLevel := int64(-1)
	for i := range m.Trace {
		r := &m.Trace[i]
		switch r.Source {
		case srcDevice:
			// set records a signal's value; a value this record did not
			// change, seen for the first time, held since the start (every
			// change is recorded), and has no reason of its own.
			set := func(key, v string) {
				if !tr[key].known && !changes(string(string(r.Kind)), key) {
					tr[key].set(0, v, "")
					return
				}
				why := ""
				if changes(string(string(r.Kind)), key) {
					why = r.Reason
				}
				tr[key].set(r.At, v, why)
			}
			if _, ok := r.Field("charger"); ok {
				set("charger", fieldStr(r, "charger"))
			}
			if _, ok := r.Field("network"); ok {
				set("network", fieldStr(r, "network"))
			}
			if v, ok := fieldInt(r, "screen_on"); ok {
				set("screen", map[bool]string{true: "on", false: "off"}[v != 0])
			}
			switch r.Kind {
			case event.PowerOff:
				if !tr["power"].known {
					tr["power"].set(0, "on", "")
				}
				tr["power"].set(r.At, "off", r.Reason)
			case event.BootCompleted:
				tr["power"].set(r.At, "on", r.Reason)
			}
			if lv, ok := fieldInt(r, "battery"); ok && lv != lastLevel {
				at := r.At
				if lastLevel < 0 && !changes(string(string(r.Kind)), "battery") {
					at = 0
				}
				m.Battery = append(m.Battery, batteryPoint{At: at, Level: lv})
				lastLevel = lv
			}
		case srcDoze:
			if !isSignalRecord(r) {
				continue
			}
			if v := dozeState(r); v != "" {
				tr["doze"].set(r.At, v, r.Reason)
			}
		case srcStandby:
			if !isSignalRecord(r) {
				continue
			}
			if v := bucketOf(r); v != "" {
				tr["bucket"].set(r.At, v, r.Reason)
			}
		}
	}
	for _, s := range signalOrder {
		tr[s.Key].finish(m.Horizon)
	}
}

// batteryAt returns the battery level at offset t.
func (m *model) batteryAt(t time.Duration) (int64, bool) {
	lv, ok := int64(0), false
	for _, p := range m.Battery {
		if p.At > t {
			break
		}
		lv, ok = p.Level, true
	}
	return lv, ok
}

// deviceAt describes the device at offset t in one line.
func (m *model) deviceAt(t time.Duration) string {
	var parts []string
	if lv, ok := m.batteryAt(t); ok {
		parts = append(parts, "battery "+itoa(lv)+"%")
	}
	for _, s := range m.Signals {
		if v, ok := s.at(t); ok {
			if s.Key == "power" && v == "on" {
				continue
			}
			parts = append(parts, s.Label+" "+v)
		}
	}
	if len(parts) == 0 {
		return "no device state recorded"
	}
	return strings.Join(parts, ", ")
}

// runStats are the per-task figures of the tables.
type runStats struct {
	Unique, Task, State                       string
	Runs, Successes, Retries, Failures, Stops int
	Delays                                    []time.Duration // eligible → start, sorted
}

func (s runStats) median() (time.Duration, bool) {
	n := len(s.Delays)
	if n == 0 {
		return 0, false
	}
	if n%2 == 1 {
		return s.Delays[n/2], true
	}
	return (s.Delays[n/2-1] + s.Delays[n/2]) / 2, true
}

func (s runStats) maxDelay() (time.Duration, bool) {
	if len(s.Delays) == 0 {
		return 0, false
	}
	return s.Delays[len(s.Delays)-1], true
}

// taskStats computes the per-task table of a result: counts as the result's
// task summaries give them (or, for a unique name without one, counted from
// its runs), delays from the runs.
func taskStats(res *Result) []runStats {
	if res == nil {
		return nil
	}
	var out []runStats
	idx := map[string]int{}
	for _, t := range res.Tasks {
		if _, dup := idx[t.Unique]; dup {
			continue
		}
		idx[t.Unique] = len(out)
		out = append(out, runStats{Unique: t.Unique, Task: t.Task, State: t.State, Runs: t.Runs,
			Successes: t.Successes, Retries: t.Retries, Failures: t.Failures, Stops: t.Stops})
	}
	counted := map[string]bool{}
	for _, r := range res.Runs {
		i, ok := idx[r.Unique]
		if !ok {
			i = len(out)
			idx[r.Unique] = i
			out = append(out, runStats{Unique: r.Unique, Task: r.Task})
			counted[r.Unique] = true
		}
		s := &out[i]
		if counted[r.Unique] {
			s.Runs++
			switch r.Outcome {
			case "success":
				s.Successes++
			case "retry":
				s.Retries++
			case "failure":
				s.Failures++
			case "stopped", "expired":
				s.Stops++
			}
		}
		if d := secDur(r.TStart) - secDur(r.Eligible); r.TStart >= r.Eligible {
			s.Delays = append(s.Delays, d)
		}
	}
	for i := range out {
		slices.Sort(out[i].Delays)
	}
	return out
}

// horizonOf is the run's length: the result's end minus its start, extended
// to the last run's end and the last trace record if those come later.
func horizonOf(res *Result, trace []sim.Record) time.Duration {
	var h time.Duration
	if res != nil {
		s, err1 := time.Parse(time.RFC3339Nano, res.Start)
		e, err2 := time.Parse(time.RFC3339Nano, res.End)
		if err1 == nil && err2 == nil && e.After(s) {
			h = e.Sub(s)
		}
		for _, r := range res.Runs {
			if d := secDur(r.TEnd); d > h {
				h = d
			}
		}
	}
	for i := range trace {
		if trace[i].At > h {
			h = trace[i].At
		}
	}
	return h
}
