package ios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// The datadriven harness: testdata/*.txt drive one simulated iPhone with the
// model. Commands and their arguments:
//
//	new [version=N] [heuristics=NAME] [lowpower=on] [battery=PCT] [charger=ac|none] [bar=off] [seed=N]
//	exec [dur=D] [result=success|retry|failure] [never=true]
//	launch | background | kill | charger VALUE | lowpower on|off
//	submit id=ID [kind=refresh|processing] [delay=D] [power=true]
//	begin name=NAME | end name=NAME
//	simulate-launch id=ID | simulate-expiration id=ID
//	advance D
//	state
//
// An unknown command or argument is an error, never ignored.
type harness struct {
	e    *env
	seen int
}

// args checks d's arguments against the allowed keys and returns them.
func args(d *datadriven.TestData, allowed ...string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range d.CmdArgs {
		if !slices.Contains(allowed, a.Key) {
			return nil, fmt.Errorf("%s: unknown argument %q (valid: %s)", d.Cmd, a.Key, strings.Join(allowed, ", "))
		}
		v := ""
		if len(a.Vals) > 0 {
			v = a.Vals[0]
		}
		out[a.Key] = v
	}
	return out, nil
}

// positional returns the one bare argument of a command such as
// `advance 1h`.
func positional(d *datadriven.TestData) (string, error) {
	if len(d.CmdArgs) != 1 || len(d.CmdArgs[0].Vals) != 0 {
		return "", fmt.Errorf("%s takes one value", d.Cmd)
	}
	return d.CmdArgs[0].Key, nil
}

func (h *harness) flush(b *strings.Builder) {
	recs := h.e.rec.Records[h.seen:]
	h.seen = len(h.e.rec.Records)
	for i := range recs {
		r := &recs[i]
		switch {
		case strings.HasPrefix(string(r.Source), "ios."):
		case r.Source == event.SourceDevice && (strings.HasPrefix(string(r.Kind), "app.") || r.Kind == "low_power" || r.Kind == "charger"):
		default:
			continue
		}
		fmt.Fprintf(b, "%s %s %s %s: %s\n", sim.FormatOffset(r.At), strings.TrimPrefix(string(r.Source), "ios."), r.Kind, r.Subject, r.Reason)
	}
}

func (h *harness) handle(t *testing.T, d *datadriven.TestData) string {
	out, err := h.do(d)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	b.WriteString(out)
	if h.e != nil {
		h.flush(&b)
	}
	if b.Len() == 0 {
		return "ok\n"
	}
	return b.String()
}

func (h *harness) do(d *datadriven.TestData) (string, error) {
	if d.Cmd != "new" && h.e == nil {
		return "", fmt.Errorf("%s before new", d.Cmd)
	}
	switch d.Cmd {
	case "new":
		a, err := args(d, "version", "heuristics", "lowpower", "battery", "charger", "bar", "seed")
		if err != nil {
			return "", err
		}
		cfg := testConfig()
		if v := a["version"]; v != "" {
			if cfg.Version, err = strconv.Atoi(v); err != nil {
				return "", err
			}
		}
		cfg.Heuristics = a["heuristics"]
		cfg.BackgroundAppRefresh = a["bar"] != "off"
		if err := cfg.Validate(); err != nil {
			return "", err
		}
		seed := uint64(1)
		if s := a["seed"]; s != "" {
			if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
				return "", err
			}
		}
		var perr error
		h.e = newEnv(nil, seed, cfg, func(st *device.State) {
			st.LowPower = a["lowpower"] == "on"
			if c := a["charger"]; c != "" {
				st.Charger = device.Charger(c)
			}
			if p := a["battery"]; p != "" {
				n, err := strconv.Atoi(p)
				if err != nil {
					perr = err
					return
				}
				st.Battery.ChargeUAh = int64(n) * st.Battery.CapacityMAh * 10
			}
		})
		h.seen = 0
		return "", perr
	case "exec":
		a, err := args(d, "dur", "result", "never")
		if err != nil {
			return "", err
		}
		if v := a["dur"]; v != "" {
			if h.e.exec.dur, err = time.ParseDuration(v); err != nil {
				return "", err
			}
		}
		switch a["result"] {
		case "", "success":
			h.e.exec.result = osscheduler.Success
		case "retry":
			h.e.exec.result = osscheduler.Retry
		case "failure":
			h.e.exec.result = osscheduler.Failure
		default:
			return "", fmt.Errorf("unknown result %q", a["result"])
		}
		h.e.exec.never = a["never"] == "true"
		return "", nil
	case "launch", "background", "kill", "state":
		if _, err := args(d); err != nil {
			return "", err
		}
		switch d.Cmd {
		case "launch":
			h.e.dev.LaunchApp()
		case "background":
			h.e.dev.BackgroundApp()
			h.e.dev.SetScreen(false)
		case "kill":
			h.e.dev.KillProcess()
		case "state":
			st := h.e.dev.State()
			return fmt.Sprintf("app=%s lowpower=%t battery=%d%% charger=%s pending=%d\n", st.App, st.LowPower, st.Battery.Level(), st.Charger, len(h.e.m.Pending())), nil
		}
		return "", nil
	case "charger", "lowpower":
		v, err := positional(d)
		if err != nil {
			return "", err
		}
		if d.Cmd == "charger" {
			h.e.dev.SetCharger(device.Charger(v))
		} else {
			h.e.dev.SetLowPower(v == "on")
		}
		return "", nil
	case "submit":
		a, err := args(d, "id", "kind", "delay", "power")
		if err != nil {
			return "", err
		}
		req := refreshReq(a["id"])
		switch a["kind"] {
		case "", "refresh":
		case "processing":
			req.Kind = osscheduler.Processing
		default:
			return "", fmt.Errorf("unknown kind %q", a["kind"])
		}
		if v := a["delay"]; v != "" {
			dl, err := time.ParseDuration(v)
			if err != nil {
				return "", err
			}
			req.EarliestBegin = h.e.eng.Now().Add(dl)
		}
		req.RequiresExternalPower = a["power"] == "true"
		if err := h.e.m.Submit(req); err != nil {
			return "submit: " + err.Error() + "\n", nil
		}
		return "", nil
	case "begin", "end":
		a, err := args(d, "name")
		if err != nil {
			return "", err
		}
		if d.Cmd == "begin" {
			h.e.m.BeginBackgroundTask(a["name"])
		} else {
			h.e.m.EndBackgroundTask(a["name"])
		}
		return "", nil
	case "simulate-launch", "simulate-expiration":
		a, err := args(d, "id")
		if err != nil {
			return "", err
		}
		if d.Cmd == "simulate-launch" {
			err = h.e.m.SimulateLaunch(a["id"])
		} else {
			err = h.e.m.SimulateExpiration(a["id"])
		}
		if err != nil {
			return d.Cmd + ": " + err.Error() + "\n", nil
		}
		return "", nil
	case "advance":
		v, err := positional(d)
		if err != nil {
			return "", err
		}
		dl, err := time.ParseDuration(v)
		if err != nil {
			return "", err
		}
		return "", h.e.eng.RunFor(dl)
	}
	return "", fmt.Errorf("unknown command %q (valid: new, exec, launch, background, kill, charger, lowpower, submit, begin, end, simulate-launch, simulate-expiration, advance, state)", d.Cmd)
}

func TestDataDriven(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		h := &harness{}
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string { return h.handle(t, d) })
	})
}
