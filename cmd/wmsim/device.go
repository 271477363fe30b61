package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/sim"
)

// deviceStart is the default start: a Monday, midnight UTC.
const deviceStart = "2026-01-05T00:00:00Z"

const maxDeviceDays = 366

const deviceUsage = "usage: wmsim device --profile NAME --days N [--seed S] [--format text|json] [--start RFC3339] [--levels] [--max-events N] [--wall-limit D]"

func newDeviceCmd() *cobra.Command {
	var (
		profile, days, seed, format, start string
		levels                             bool
		limits                             limitFlags
	)
	cmd := &cobra.Command{
		Use:   "device --profile NAME --days N [--seed S] [--format text|json]",
		Short: "simulate a phone alone under a usage profile: its timeline and daily statistics",
		RunE: func(cmd *cobra.Command, args []string) error {
			env := envOf(cmd)
			fail := func(format string, a ...any) error {
				return &exitError{code: exitInvalid, err: fmt.Errorf(format+"\n"+deviceUsage, a...)}
			}
			if len(args) > 0 {
				return fail("unexpected argument %q: this command takes only flags", args[0])
			}
			names := strings.Join(device.ProfileNames(), ", ")
			if profile == "" {
				return fail("--profile is required; valid profiles: %s", names)
			}
			prof, ok := device.BuiltinProfile(profile)
			if !ok {
				return fail("--profile %q is not a profile; valid profiles: %s", profile, names)
			}
			if days == "" {
				return fail("--days is required: a whole number of days from 1 to %d", maxDeviceDays)
			}
			n, err := strconv.Atoi(days)
			if err != nil || n < 1 || n > maxDeviceDays {
				return fail("--days %q: want a whole number of days from 1 to %d", days, maxDeviceDays)
			}
			sd, err := strconv.ParseUint(seed, 10, 64)
			if err != nil {
				return fail("--seed %q: want a whole number from 0 to 18446744073709551615", seed)
			}
			if format != "text" && format != "json" {
				return fail("--format %q: want text or json", format)
			}
			t0, err := time.Parse(time.RFC3339, start)
			if err != nil {
				return fail("--start %q: want an RFC 3339 time such as %s or 2026-01-05T00:00:00+09:00", start, deviceStart)
			}
			l := sim.DefaultLimits
			if p := limits.limits(); p != nil {
				l = *p
			}
			res, err := simulateDevice(env.ctx, prof, t0, n, sd, l)
			if err := stopped(env.ctx); err != nil {
				return err
			}
			if err != nil {
				var le *sim.LimitError
				if errors.As(err, &le) {
					return failf(exitLimit, "%v", err)
				}
				return failf(exitInvalid, "%v", err)
			}
			if format == "json" {
				enc := json.NewEncoder(env.stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(res); err != nil {
					return failf(exitInternal, "%v", err)
				}
				return nil
			}
			writeDeviceText(env.stdout, res, levels)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&profile, "profile", "", "usage profile: "+strings.Join(device.ProfileNames(), ", "))
	fs.StringVar(&days, "days", "", "days to simulate, 1 to 366")
	fs.StringVar(&seed, "seed", "1", "random seed (a whole number, 0 to 2^64-1)")
	fs.StringVar(&format, "format", "text", "output format: text or json")
	fs.StringVar(&start, "start", deviceStart, "start time, RFC 3339; its UTC offset sets the local time of day")
	fs.BoolVar(&levels, "levels", false, "text: also list every whole-percent battery step")
	limits.register(fs)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: exitInvalid, err: fmt.Errorf("%v\n%s", err, deviceUsage)}
	})
	return cmd
}

// deviceResult is the JSON document `wmsim device --format json` prints.
type deviceResult struct {
	Schema   string          `json:"schema"`
	Profile  device.Profile  `json:"profile"`
	Seed     uint64          `json:"seed"`
	Start    time.Time       `json:"start"`
	Days     int             `json:"days"`
	Events   uint64          `json:"events"`
	Timeline []deviceEvent   `json:"timeline"`
	Stats    []deviceDayJSON `json:"stats"`
	Summary  deviceDayJSON   `json:"summary"`
}

type deviceEvent struct {
	At       time.Time `json:"at"`
	Offset   string    `json:"offset"`
	Kind     string    `json:"kind"`
	Reason   string    `json:"reason"`
	Battery  int       `json:"battery"`
	Charger  string    `json:"charger"`
	Network  string    `json:"network"`
	Metered  bool      `json:"metered"`
	ScreenOn bool      `json:"screen_on"`
	Locked   bool      `json:"locked"`
	Moving   bool      `json:"moving"`
	Power    string    `json:"power"`
	App      string    `json:"app"`
	Low      bool      `json:"battery_low"`
	Storage  bool      `json:"storage_low"`
}

// deviceDayJSON is a day's statistics, times in hours to two decimals.
type deviceDayJSON struct {
	Day          int     `json:"day"`
	Date         string  `json:"date,omitempty"`
	Observed     float64 `json:"observed_hours"`
	ScreenOn     float64 `json:"screen_on_hours"`
	Interactions float64 `json:"interactions"`
	AppLaunches  float64 `json:"app_launches"`
	Charging     float64 `json:"charging_hours"`
	ChargeStarts float64 `json:"charge_starts"`
	WiFi         float64 `json:"wifi_hours"`
	Cellular     float64 `json:"cellular_hours"`
	NoNetwork    float64 `json:"no_network_hours"`
	PoweredOff   float64 `json:"powered_off_hours"`
	Moving       float64 `json:"moving_hours"`
	BatteryMin   float64 `json:"battery_min"`
	BatteryMean  float64 `json:"battery_mean"`
	UsedMAh      float64 `json:"used_mah"`
	ScreenOffMAh float64 `json:"screen_off_used_mah"`
}

// hours rounds d to hundredths of an hour with integer arithmetic first, so
// the printed value is the same on every machine.
func hours(d time.Duration) float64 { return float64(int64(d)*100/int64(time.Hour)) / 100 }

func dayJSON(s device.DayStats) deviceDayJSON {
	return deviceDayJSON{
		Day: s.Day, Date: s.Date, Observed: hours(s.Observed), ScreenOn: hours(s.ScreenOn),
		Interactions: float64(s.Interactions), AppLaunches: float64(s.AppLaunches),
		Charging: hours(s.Charging), ChargeStarts: float64(s.ChargeStarts),
		WiFi: hours(s.WiFi), Cellular: hours(s.Cellular), NoNetwork: hours(s.NoNetwork),
		PoweredOff: hours(s.PoweredOff), Moving: hours(s.Moving),
		BatteryMin: float64(s.BatteryMin), BatteryMean: float64(s.BatteryMeanMilli/10) / 100,
		UsedMAh: float64(s.UsedUAh / 1000), ScreenOffMAh: float64(s.ScreenOffUsedUAh / 1000),
	}
}

// summarize is the mean of the days (counts and hours), to two decimals.
func summarize(days []device.DayStats) deviceDayJSON {
	var sum device.DayStats
	var mean int64
	sum.BatteryMin = 100
	for _, d := range days {
		sum.Observed += d.Observed
		sum.ScreenOn += d.ScreenOn
		sum.Interactions += d.Interactions
		sum.AppLaunches += d.AppLaunches
		sum.Charging += d.Charging
		sum.ChargeStarts += d.ChargeStarts
		sum.WiFi += d.WiFi
		sum.Cellular += d.Cellular
		sum.NoNetwork += d.NoNetwork
		sum.PoweredOff += d.PoweredOff
		sum.Moving += d.Moving
		sum.BatteryMin = min(sum.BatteryMin, d.BatteryMin)
		sum.UsedUAh += d.UsedUAh
		sum.ScreenOffUsedUAh += d.ScreenOffUsedUAh
		mean += d.BatteryMeanMilli * int64(d.Observed/time.Second)
	}
	n := int64(len(days))
	if n == 0 {
		return deviceDayJSON{Day: -1}
	}
	per := func(d time.Duration) float64 { return hours(d / time.Duration(n)) }
	cnt := func(c int) float64 { return float64(int64(c)*100/n) / 100 }
	out := deviceDayJSON{
		Day: -1, Observed: per(sum.Observed), ScreenOn: per(sum.ScreenOn),
		Interactions: cnt(sum.Interactions), AppLaunches: cnt(sum.AppLaunches),
		Charging: per(sum.Charging), ChargeStarts: cnt(sum.ChargeStarts),
		WiFi: per(sum.WiFi), Cellular: per(sum.Cellular), NoNetwork: per(sum.NoNetwork),
		PoweredOff: per(sum.PoweredOff), Moving: per(sum.Moving), BatteryMin: float64(sum.BatteryMin),
		UsedMAh: float64(sum.UsedUAh / n / 1000), ScreenOffMAh: float64(sum.ScreenOffUsedUAh / n / 1000),
	}
	if secs := int64(sum.Observed / time.Second); secs > 0 {
		out.BatteryMean = float64(mean/secs/10) / 100
	}
	return out
}

func simulateDevice(ctx context.Context, p device.Profile, start time.Time, days int, seed uint64, limits sim.Limits) (*deviceResult, error) {
	eng := sim.New(start, seed, sim.WithLimits(limits))
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	res := &deviceResult{Schema: "wmsim.device/v1", Profile: p, Seed: seed, Start: start, Days: days, Timeline: []deviceEvent{}}
	stopping := false
	dev.Subscribe(device.ListenerFunc(func(c *device.Change) {
		if !stopping && len(res.Timeline)%256 == 0 && ctx.Err() != nil {
			// Interrupted: polled as changes arrive, as the runner polls its trace.
			stopping = true
			eng.Stop(&sim.LimitError{Limit: "interrupted", Value: context.Cause(ctx).Error(), At: c.At.Sub(start), Events: eng.Fired()})
		}
		s := c.State
		res.Timeline = append(res.Timeline, deviceEvent{
			At: c.At, Offset: sim.FormatOffset(c.At.Sub(start)), Kind: string(c.Kind), Reason: c.Reason,
			Battery: s.Battery.Level(), Charger: string(s.Charger), Network: string(s.Network.Type), Metered: s.Network.Metered,
			ScreenOn: s.ScreenOn, Locked: s.Locked, Moving: s.Moving, Power: string(s.Power), App: string(s.App),
			Low: s.BatteryLow, Storage: s.StorageLow,
		})
	}))
	stats := device.NewStats(dev)
	end := start.Add(time.Duration(days) * 24 * time.Hour)
	if err := dev.ApplyProfile(p, end); err != nil {
		return nil, err
	}
	if err := eng.RunUntil(end); err != nil {
		return nil, err
	}
	res.Events = eng.Fired()
	ds := stats.Days(end)
	res.Stats = make([]deviceDayJSON, 0, len(ds))
	for _, d := range ds {
		res.Stats = append(res.Stats, dayJSON(d))
	}
	res.Summary = summarize(ds)
	return res, nil
}

func writeDeviceText(w io.Writer, r *deviceResult, levels bool) {
	fmt.Fprintf(w, "wmsim device: profile %s, %d day(s) from %s, seed %d\n", r.Profile.Name, r.Days, r.Start.Format(time.RFC3339), r.Seed)
	if r.Profile.Description != "" {
		fmt.Fprintf(w, "  %s\n", r.Profile.Description)
	}
	fmt.Fprintf(w, "\nTimeline (offsets from the start")
	if !levels {
		fmt.Fprintf(w, "; battery percent steps omitted, --levels shows them")
	}
	fmt.Fprintln(w, "):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range r.Timeline {
		if !levels && e.Kind == string(device.ChangeBatteryLevel) {
			continue
		}
		net := e.Network
		if e.Metered {
			net += " (metered)"
		}
		scr := "off"
		if e.ScreenOn {
			scr = "on"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\tbattery %d%%\tcharger %s\t%s\tscreen %s\tapp %s\tpower %s\n",
			e.Offset, e.Kind, e.Reason, e.Battery, e.Charger, net, scr, e.App, e.Power)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nDaily statistics (hours; interactions = screen sessions):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "day\tdate\tscreen\tinteractions\tlaunches\tcharging\twifi\tcellular\tnone\toff\tbatt min\tbatt mean\tused mAh\tscreen-off mAh\t")
	row := func(day, date string, d deviceDayJSON) {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f%%\t%.1f%%\t%.0f\t%.0f\t\n", day, date,
			d.ScreenOn, d.Interactions, d.AppLaunches, d.Charging, d.WiFi, d.Cellular, d.NoNetwork, d.PoweredOff, d.BatteryMin, d.BatteryMean, d.UsedMAh, d.ScreenOffMAh)
	}
	for _, d := range r.Stats {
		row(strconv.Itoa(d.Day), d.Date, d)
	}
	s := r.Summary
	fmt.Fprintf(tw, "mean\t\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f%%\t%.1f%%\t%.0f\t%.0f\t\n",
		s.ScreenOn, s.Interactions, s.AppLaunches, s.Charging, s.WiFi, s.Cellular, s.NoNetwork, s.PoweredOff, s.BatteryMin, s.BatteryMean, s.UsedMAh, s.ScreenOffMAh)
	tw.Flush()
	fmt.Fprintf(w, "\n%d kernel events.\n", r.Events)
}
