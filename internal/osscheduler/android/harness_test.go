package android

import (
	"errors"
	"fmt"
	"github.com/wmsim/wmsim/internal/event"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// fakeExec is a tiny Executor: runs finish after dur with the next queued
// result (then the default), or wait for an explicit finish in manual mode.
type fakeExec struct {
	eng     *sim.Engine
	dur     time.Duration
	def     osscheduler.Result
	queue   []osscheduler.Result
	manual  bool
	running []*osscheduler.Execution
	started []*osscheduler.Execution
	stopped []osscheduler.StopReason
}

func (f *fakeExec) Start(x *osscheduler.Execution) {
	f.started = append(f.started, x)
	f.running = append(f.running, x)
	if f.manual {
		return
	}
	r := f.def
	if len(f.queue) > 0 {
		r, f.queue = f.queue[0], f.queue[1:]
	}
	f.eng.After(f.dur, sim.PhasePlugin, "fake.finish", sim.HandlerFunc(func(*sim.Engine) {
		f.remove(x)
		x.Finish(r)
	}))
}

func (f *fakeExec) Stop(x *osscheduler.Execution, reason osscheduler.StopReason) {
	f.remove(x)
	f.stopped = append(f.stopped, reason)
}

func (f *fakeExec) remove(x *osscheduler.Execution) {
	for i, r := range f.running {
		if r == x {
			f.running = append(f.running[:i], f.running[i+1:]...)
			return
		}
	}
}

// finishAll finishes every running execution with r.
func (f *fakeExec) finishAll(r osscheduler.Result) int {
	xs := append([]*osscheduler.Execution(nil), f.running...)
	f.running = f.running[:0]
	for _, x := range xs {
		x.Finish(r)
	}
	return len(xs)
}

// env is one simulated device with the model, for tests.
type env struct {
	eng  *sim.Engine
	dev  *device.Device
	m    *Model
	exec *fakeExec
	j    *osscheduler.Journal
	rec  *sim.Recorder
	seen int
	srcs []event.Source
	// reasons: flush appends Android's own names for holds and stops
	// (the pending_reason and stop_reason fields).
	reasons bool
}

var t0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// testState is the device's default state with a battery so large that no
// test runs it down: the tests are about scheduling, not about power.
func testState() device.State {
	st := device.DefaultState()
	st.Battery.CapacityMAh = 1_000_000
	st.Battery.ChargeUAh = 800_000 * 1000
	return st
}

func newEnv(cfg Config, st device.State) *env {
	e := &env{rec: &sim.Recorder{}, j: &osscheduler.Journal{}}
	e.eng = sim.New(t0, 1, sim.WithSink(e.rec))
	e.dev = device.New(e.eng, device.Config{Initial: st})
	e.exec = &fakeExec{eng: e.eng, dur: 30 * time.Second}
	e.m = New(e.eng, e.dev, cfg, e.exec, e.j)
	e.srcs = []event.Source{srcWM, srcJS, srcDoze, srcStdby, srcOEM}
	return e
}

func parseResult(s string) (osscheduler.Result, error) {
	switch s {
	case "success":
		return osscheduler.Success, nil
	case "retry":
		return osscheduler.Retry, nil
	case "failure":
		return osscheduler.Failure, nil
	}
	return 0, fmt.Errorf("unknown result %q", s)
}

func parseNet(s string) (NetworkType, error) {
	for i, n := range networkNames {
		if n == s {
			return NetworkType(i), nil
		}
	}
	return 0, fmt.Errorf("unknown network type %q", s)
}

// flush prints the trace records since the last flush.
func (e *env) flush(b *strings.Builder) {
	recs := e.rec.Records[e.seen:]
	e.seen = len(e.rec.Records)
	for i := range recs {
		r := &recs[i]
		keep := false
		for _, s := range e.srcs {
			keep = keep || r.Source == s
		}
		if !keep {
			continue
		}
		fmt.Fprintf(b, "%s %s %s %s: %s", sim.FormatOffset(r.At), strings.TrimPrefix(string(r.Source), "android."), r.Kind, r.Subject, r.Reason)
		if e.reasons {
			for _, k := range []string{"pending_reason", "stop_reason"} {
				if f, ok := r.Field(k); ok {
					fmt.Fprintf(b, " [%s=%s]", k, f.Str)
				}
			}
		}
		b.WriteString("\n")
	}
}

func deviceState(d *datadriven.TestData, st *device.State) error {
	for _, a := range d.CmdArgs {
		if len(a.Vals) != 1 {
			return fmt.Errorf("device arg %q needs one value", a.Key)
		}
		v := a.Vals[0]
		valid := map[string][]string{"charger": {"none", "ac", "usb", "wireless"}, "screen": {"on", "off"},
			"network": {"none", "wifi", "cellular", "roaming", "unvalidated"}, "moving": {"true", "false"},
			"saver": {"on", "off"}, "storage": {"low", "ok"},
			"app": {"not_running", "foreground", "background", "suspended", "force_stopped", "swiped_away"}}[a.Key]
		if valid != nil && !contains(valid, v) {
			return fmt.Errorf("device arg %s=%s: want one of %s", a.Key, v, strings.Join(valid, ", "))
		}
		switch a.Key {
		case "charger":
			st.Charger = device.Charger(v)
		case "screen":
			st.ScreenOn = v == "on"
			st.Locked = !st.ScreenOn
		case "network":
			st.Network = netState(v)
		case "battery":
			n, err := strconv.Atoi(v)
			if err != nil {
				return err
			}
			st.Battery.ChargeUAh = int64(n) * st.Battery.CapacityMAh * 10
		case "moving":
			st.Moving = v == "true"
		case "saver":
			st.LowPower = v == "on"
		case "storage":
			if v == "low" {
				st.Storage.Free = 100 << 20
			} else {
				st.Storage.Free = 12 << 30
			}
		case "app":
			st.App = device.Process(v)
		default:
			return fmt.Errorf("unknown device arg %q", a.Key)
		}
	}
	return nil
}

func netState(v string) device.Network {
	switch v {
	case "none":
		return device.Network{Type: device.NetworkNone}
	case "cellular":
		return device.Network{Type: device.NetworkCellular, Metered: true, Validated: true}
	case "roaming":
		return device.Network{Type: device.NetworkCellular, Metered: true, Roaming: true, Validated: true}
	case "unvalidated":
		return device.Network{Type: device.NetworkWiFi}
	}
	return device.Network{Type: device.NetworkWiFi, Validated: true}
}

func (e *env) applyDevice(st device.State) {
	cur := e.dev.State()
	if st.Network != cur.Network {
		e.dev.SetNetwork(st.Network)
	}
	if st.Charger != cur.Charger {
		e.dev.SetCharger(st.Charger)
	}
	if st.Battery.Level() != cur.Battery.Level() {
		e.dev.SetBatteryLevel(st.Battery.Level())
	}
	if st.ScreenOn != cur.ScreenOn {
		e.dev.SetScreen(st.ScreenOn)
	}
	if st.Moving != cur.Moving {
		e.dev.SetMoving(st.Moving)
	}
	if st.LowPower != cur.LowPower {
		e.dev.SetLowPower(st.LowPower)
	}
	if st.Storage != cur.Storage {
		e.dev.SetStorage(st.Storage)
	}
}

func (e *env) request(d *datadriven.TestData) (string, WorkRequest, string, error) {
	req := WorkRequest{TaskName: "task"}
	name, policy := "", ""
	if len(d.CmdArgs) > 0 && d.CmdArgs[0].Key == "periodic" {
		req.Periodic = true
	}
	for _, a := range d.CmdArgs {
		v := ""
		if len(a.Vals) > 0 {
			v = a.Vals[0]
		}
		var err error
		switch a.Key {
		case "periodic", "oneoff":
		case "name":
			name = v
		case "task":
			req.TaskName = v
		case "policy":
			policy = v
		case "every":
			req.Interval, err = time.ParseDuration(v)
		case "flex":
			req.Flex, err = time.ParseDuration(v)
		case "delay":
			req.InitialDelay, err = time.ParseDuration(v)
		case "net":
			req.Constraints.RequiredNetwork, err = parseNet(v)
		case "charging":
			req.Constraints.RequiresCharging = true
		case "battery-not-low":
			req.Constraints.RequiresBatteryNotLow = true
		case "idle":
			req.Constraints.RequiresDeviceIdle = true
		case "storage-not-low":
			req.Constraints.RequiresStorageNotLow = true
		case "expedited":
			req.Expedited = true
		case "drop":
			req.OutOfQuota = DropWorkRequest
		case "backoff":
			p, dur, _ := strings.Cut(v, ":")
			switch p {
			case "linear":
				req.BackoffPolicy = BackoffLinear
			case "exponential":
			default:
				err = fmt.Errorf("backoff %q: want linear:<dur> or exponential:<dur>", v)
			}
			req.BackoffSet = true
			if err == nil {
				req.BackoffDelay, err = time.ParseDuration(dur)
			}
		case "content":
			// content=<uri> or content=(<uri>, descendants)
			if len(a.Vals) == 0 || len(a.Vals) > 2 || (len(a.Vals) == 2 && a.Vals[1] != "descendants") {
				err = fmt.Errorf("content: want content=<uri> or content=(<uri>, descendants)")
				break
			}
			req.Constraints.ContentURITriggers = append(req.Constraints.ContentURITriggers,
				ContentURITrigger{URI: a.Vals[0], TriggerForDescendants: len(a.Vals) == 2})
		case "update-delay":
			req.Constraints.TriggerContentUpdateDelay, err = time.ParseDuration(v)
		case "max-delay":
			req.Constraints.TriggerContentMaxDelay, err = time.ParseDuration(v)
		case "tags":
			req.Tags = a.Vals
		default:
			err = fmt.Errorf("unknown enqueue arg %q", a.Key)
		}
		if err != nil {
			return "", req, "", err
		}
	}
	return name, req, policy, nil
}

var oneTimePolicies = map[string]ExistingWorkPolicy{"replace": Replace, "keep": Keep, "append": Append, "append_or_replace": AppendOrReplace}
var periodicPolicies = map[string]ExistingPeriodicWorkPolicy{"replace": PeriodicReplace, "keep": PeriodicKeep, "update": PeriodicUpdate, "cancel_and_reenqueue": PeriodicCancelAndReenqueue}

func (e *env) handle(t *testing.T, d *datadriven.TestData) string {
	var b strings.Builder
	arg := func(k string) string {
		for _, a := range d.CmdArgs {
			if a.Key == k && len(a.Vals) > 0 {
				return a.Vals[0]
			}
		}
		return ""
	}
	first := ""
	if len(d.CmdArgs) > 0 {
		first = d.CmdArgs[0].Key
	}
	switch d.Cmd {
	case "flex":
		return flexCmd(t, d)
	case "levels":
		return levelsCmd(t, d)
	case "new":
		// new api=34 bucket=auto doze=true latency=0s limit=10m oem=aosp quota=aosp stop-backoff=false greedy=true wm=2.9.0;
		// then the initial device state.
		checkArgs(t, d, []string{"api", "bucket", "doze", "latency", "limit", "oem", "quota", "stop-backoff", "greedy", "wm",
			"charger", "screen", "network", "battery", "moving", "saver", "storage", "app"})
		cfg := DefaultConfig()
		cfg.StartLatency = time.Nanosecond
		st := testState()
		for _, a := range d.CmdArgs {
			v := a.Vals[0]
			var err error
			switch a.Key {
			case "api":
				cfg.API, err = strconv.Atoi(v)
			case "bucket":
				cfg.StandbyBucket = v
			case "doze":
				cfg.Doze, err = strconv.ParseBool(v)
			case "latency":
				cfg.StartLatency, err = time.ParseDuration(v)
			case "limit":
				cfg.ExecutionLimit, err = time.ParseDuration(v)
			case "oem":
				// oem=NAME is a built-in profile; oem=custom a profile of one's
				// own given as the command's input (the YAML of docs/oem.md).
				if v == "custom" {
					cfg.OEMProfile, err = ParseOEMProfile("custom.yaml", []byte(d.Input))
				} else {
					cfg.OEM = v
				}
			case "quota":
				cfg.Quota = QuotaSource(v)
				if cfg.Quota != QuotaAOSP && cfg.Quota != QuotaDocs {
					err = fmt.Errorf("quota %q: want aosp or docs", v)
				}
			case "stop-backoff":
				cfg.StopBackoff, err = strconv.ParseBool(v)
			case "greedy":
				var on bool
				on, err = strconv.ParseBool(v)
				cfg.NoGreedy = !on
			case "wm":
				cfg.WorkManager = v
			}
			if err != nil {
				d.Fatalf(t, "new %s: %v", a.Key, err)
			}
		}
		*e = *newEnv(cfg, st)
		if err := deviceState(&datadriven.TestData{CmdArgs: filterArgs(d.CmdArgs, "charger", "screen", "network", "battery", "moving", "saver", "storage", "app")}, &st); err != nil {
			d.Fatalf(t, "%v", err)
		}
		*e = *newEnv(cfg, st)
	case "device":
		// The app's process state changes only through "app" commands.
		checkArgs(t, d, []string{"charger", "screen", "network", "battery", "moving", "saver", "storage"})
		st := e.dev.State()
		if err := deviceState(d, &st); err != nil {
			d.Fatalf(t, "%v", err)
		}
		e.applyDevice(st)
		e.eng.RunFor(0)
	case "exec":
		checkArgs(t, d, []string{"dur", "result", "results", "manual"})
		for _, a := range d.CmdArgs {
			var err error
			switch a.Key {
			case "dur":
				e.exec.dur, err = time.ParseDuration(a.Vals[0])
			case "result":
				e.exec.def, err = parseResult(a.Vals[0])
			case "results":
				for _, v := range a.Vals {
					r, perr := parseResult(v)
					err = errors.Join(err, perr)
					e.exec.queue = append(e.exec.queue, r)
				}
			case "manual":
				e.exec.manual, err = strconv.ParseBool(a.Vals[0])
			}
			if err != nil {
				d.Fatalf(t, "exec %s: %v", a.Key, err)
			}
		}
	case "enqueue":
		name, req, pol, err := e.request(d)
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		var id string
		if req.Periodic {
			p, ok := periodicPolicies[pol]
			if !ok && pol != "" {
				d.Fatalf(t, "bad policy %q", pol)
			}
			if pol == "" {
				p = PeriodicKeep
			}
			id, err = e.m.EnqueueUniquePeriodicWork(name, p, req)
		} else {
			p, ok := oneTimePolicies[pol]
			if !ok && pol != "" {
				d.Fatalf(t, "bad policy %q", pol)
			}
			if pol == "" {
				p = Keep
			}
			id, err = e.m.EnqueueUniqueWork(name, p, req)
		}
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		} else {
			fmt.Fprintf(&b, "id %s\n", id)
		}
		e.eng.RunFor(0)
	case "advance":
		dur, err := time.ParseDuration(one(t, d))
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		if err := e.eng.RunFor(dur); err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		}
	case "finish":
		checkArgs(t, d, []string{"result"})
		r, err := parseResult(arg("result"))
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		n := e.exec.finishAll(r)
		fmt.Fprintf(&b, "finished %d\n", n)
		e.eng.RunFor(0)
	case "doze":
		if err := e.m.Doze(one(t, d)); err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		}
		e.eng.RunFor(0)
	case "cancel":
		checkArgs(t, d, []string{"name", "tag"})
		switch {
		case arg("name") != "":
			e.m.CancelUniqueWork(arg("name"))
		case arg("tag") != "":
			e.m.CancelAllWorkByTag(arg("tag"))
		default:
			e.m.CancelAllWork()
		}
		e.eng.RunFor(0)
	case "info":
		checkArgs(t, d, []string{"name"})
		e.flush(&b)
		for _, wi := range e.m.WorkInfosForUniqueWork(arg("name")) {
			next := "-"
			if !wi.NextRunTime.IsZero() {
				next = sim.FormatOffset(wi.NextRunTime.Sub(t0))
			}
			stop := string(wi.StopReason)
			if stop == "" {
				stop = "NOT_STOPPED"
			}
			fmt.Fprintf(&b, "%s %s state=%s attempts=%d next=%s stop=%s\n", wi.ID, wi.UniqueName, wi.State, wi.RunAttemptCount, next, stop)
		}
		return b.String()
	case "tasks":
		checkArgs(t, d, nil)
		for _, ti := range e.m.Tasks() {
			fmt.Fprintf(&b, "%s %s %s %s\n", ti.Unique, ti.Task, ti.Kind, ti.State)
		}
		return b.String()
	case "runs":
		checkArgs(t, d, nil)
		for _, r := range e.j.Runs() {
			end := "-"
			if r.End >= 0 {
				end = sim.FormatOffset(r.End)
			}
			fmt.Fprintf(&b, "#%d %s attempt=%d eligible=%s start=%s end=%s %s %s\n", r.ID, r.Unique, r.Attempt,
				sim.FormatOffset(r.Eligible), sim.FormatOffset(r.Start), end, r.Outcome, r.StopReason)
		}
		return b.String()
	case "bucket":
		e.m.SetStandbyBucket(one(t, d))
		e.eng.RunFor(0)
	case "saver":
		e.m.SetBatterySaver(one(t, d, "on", "off") == "on")
		e.eng.RunFor(0)
	case "reboot":
		checkArgs(t, d, []string{"down"})
		down := time.Minute
		if v := arg("down"); v != "" {
			var err error
			if down, err = time.ParseDuration(v); err != nil {
				d.Fatalf(t, "reboot down: %v", err)
			}
		}
		e.dev.Reboot(down)
		e.eng.RunFor(0)
	case "app":
		switch one(t, d) {
		case "launch":
			e.dev.LaunchApp()
		case "background":
			e.dev.BackgroundApp()
		case "force-stop":
			e.dev.ForceStopApp()
		case "swipe":
			e.dev.SwipeAwayApp()
		case "update":
			e.dev.UpdateApp()
		case "notify":
			e.dev.NotifyInteraction()
		case "kill":
			e.dev.KillProcess()
		default:
			d.Fatalf(t, "unknown app action %q", first)
		}
		e.eng.RunFor(0)
	case "run-job":
		// run-job name=X [force]: adb shell cmd jobscheduler run [-f].
		checkArgs(t, d, []string{"name"}, "force")
		force := false
		for _, a := range d.CmdArgs {
			force = force || a.Key == "force"
		}
		if err := e.m.RunJob(arg("name"), force); err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		}
		e.eng.RunFor(0)
	case "reasons":
		e.reasons = one(t, d, "on", "off") == "on"
	case "content":
		// content uri=content://… : ContentResolver.notifyChange.
		checkArgs(t, d, []string{"uri"})
		e.m.ContentChanged(arg("uri"))
		e.eng.RunFor(0)
	case "trace":
		e.srcs = nil
		for _, a := range d.CmdArgs {
			if len(a.Vals) > 0 || !strings.HasPrefix(a.Key, "android.") {
				d.Fatalf(t, "trace: want trace sources such as android.doze, got %q", a.Key)
			}
			e.srcs = append(e.srcs, event.Source(a.Key))
		}
	default:
		d.Fatalf(t, "unknown command %q", d.Cmd)
	}
	e.flush(&b)
	if b.Len() == 0 {
		return "ok\n"
	}
	return b.String()
}

// checkArgs fails the test on an argument the command does not take, or a
// keyed argument without a value (the harness never ignores input).
func checkArgs(t *testing.T, d *datadriven.TestData, valued []string, flags ...string) {
	t.Helper()
	for _, a := range d.CmdArgs {
		switch {
		case contains(valued, a.Key):
			if len(a.Vals) == 0 {
				d.Fatalf(t, "%s: argument %q needs a value", d.Cmd, a.Key)
			}
		case contains(flags, a.Key):
			if len(a.Vals) > 0 {
				d.Fatalf(t, "%s: argument %q takes no value", d.Cmd, a.Key)
			}
		default:
			d.Fatalf(t, "%s: unknown argument %q (valid: %s)", d.Cmd, a.Key, strings.Join(append(append([]string(nil), valued...), flags...), ", "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// one returns the single positional argument of a command such as
// "advance 1h" or "app launch", failing on none or more than one.
func one(t *testing.T, d *datadriven.TestData, valid ...string) string {
	t.Helper()
	if len(d.CmdArgs) != 1 || len(d.CmdArgs[0].Vals) != 0 {
		d.Fatalf(t, "%s takes exactly one bare argument", d.Cmd)
	}
	k := d.CmdArgs[0].Key
	if len(valid) > 0 && !contains(valid, k) {
		d.Fatalf(t, "%s: unknown argument %q (valid: %s)", d.Cmd, k, strings.Join(valid, ", "))
	}
	return k
}

func filterArgs(args []datadriven.CmdArg, keys ...string) []datadriven.CmdArg {
	var out []datadriven.CmdArg
	for _, a := range args {
		for _, k := range keys {
			if a.Key == k {
				out = append(out, a)
			}
		}
	}
	return out
}

func TestDataDriven(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		e := newEnv(DefaultConfig(), testState())
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string { return e.handle(t, d) })
	})
}
