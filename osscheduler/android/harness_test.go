package android

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/wmsim/wmsim/device"
	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/sim"
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
	srcs []string
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
	e.srcs = []string{srcWM, srcJS, srcDoze, srcStdby}
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
		fmt.Fprintf(b, "%s %s %s %s: %s\n", sim.FormatOffset(r.At), strings.TrimPrefix(r.Source, "android."), r.Kind, r.Subject, r.Reason)
	}
}

func deviceState(d *datadriven.TestData, st *device.State) error {
	for _, a := range d.CmdArgs {
		v := ""
		if len(a.Vals) > 0 {
			v = a.Vals[0]
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
			if p == "linear" {
				req.BackoffPolicy = BackoffLinear
			}
			req.BackoffDelay, err = time.ParseDuration(dur)
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
	case "new":
		// new api=34 bucket=auto doze=true latency=0s limit=10m oem=aosp; then the initial device state.
		cfg := DefaultConfig()
		cfg.StartLatency = time.Nanosecond
		st := testState()
		for _, a := range d.CmdArgs {
			v := a.Vals[0]
			switch a.Key {
			case "api":
				cfg.API, _ = strconv.Atoi(v)
			case "bucket":
				cfg.StandbyBucket = v
			case "doze":
				cfg.Doze = v == "true"
			case "latency":
				cfg.StartLatency, _ = time.ParseDuration(v)
			case "limit":
				cfg.ExecutionLimit, _ = time.ParseDuration(v)
			case "oem":
				cfg.OEM = v
			}
		}
		*e = *newEnv(cfg, st)
		if err := deviceState(&datadriven.TestData{CmdArgs: filterArgs(d.CmdArgs, "charger", "screen", "network", "battery", "moving", "saver", "storage", "app")}, &st); err != nil {
			d.Fatalf(t, "%v", err)
		}
		*e = *newEnv(cfg, st)
	case "device":
		st := e.dev.State()
		if err := deviceState(d, &st); err != nil {
			d.Fatalf(t, "%v", err)
		}
		e.applyDevice(st)
		e.eng.RunFor(0)
	case "exec":
		for _, a := range d.CmdArgs {
			switch a.Key {
			case "dur":
				e.exec.dur, _ = time.ParseDuration(a.Vals[0])
			case "result":
				e.exec.def, _ = parseResult(a.Vals[0])
			case "results":
				for _, v := range a.Vals {
					r, _ := parseResult(v)
					e.exec.queue = append(e.exec.queue, r)
				}
			case "manual":
				e.exec.manual = a.Vals[0] == "true"
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
		dur, err := time.ParseDuration(first)
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		if err := e.eng.RunFor(dur); err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		}
	case "finish":
		r, err := parseResult(arg("result"))
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		n := e.exec.finishAll(r)
		fmt.Fprintf(&b, "finished %d\n", n)
		e.eng.RunFor(0)
	case "doze":
		if err := e.m.Doze(first); err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
		}
		e.eng.RunFor(0)
	case "cancel":
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
		for _, ti := range e.m.Tasks() {
			fmt.Fprintf(&b, "%s %s %s %s\n", ti.Unique, ti.Task, ti.Kind, ti.State)
		}
		return b.String()
	case "runs":
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
		e.m.SetStandbyBucket(first)
		e.eng.RunFor(0)
	case "saver":
		e.m.SetBatterySaver(first == "on")
		e.eng.RunFor(0)
	case "reboot":
		down := time.Minute
		if v := arg("down"); v != "" {
			down, _ = time.ParseDuration(v)
		}
		e.dev.Reboot(down)
		e.eng.RunFor(0)
	case "app":
		switch first {
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
		default:
			d.Fatalf(t, "unknown app action %q", first)
		}
		e.eng.RunFor(0)
	case "trace":
		e.srcs = nil
		for _, a := range d.CmdArgs {
			e.srcs = append(e.srcs, a.Key)
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
