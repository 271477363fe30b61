package device

import (
	"fmt"

	"github.com/invopop/jsonschema"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration written as Go writes it ("90s", "1h30m") in
// YAML and JSON.
type Duration time.Duration

// MarshalText writes the duration as time.Duration.String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a time.ParseDuration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("invalid duration %q: want e.g. \"90s\", \"15m\", \"1h30m\"", string(b))
	}
	*d = Duration(v)
	return nil
}

// JSONSchema describes Duration as the string it is written as.
func (Duration) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^-?([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`,
		Description: "a Go duration such as 90s, 15m or 1h30m"}
}

// ClockTime is a local time of day, written "HH:MM" (or "HH:MM:SS"), stored
// as the offset from local midnight.
type ClockTime time.Duration

// Clock makes a ClockTime from hours and minutes.
func Clock(h, m int) ClockTime {
	return ClockTime(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// MarshalText writes "HH:MM" (with ":SS" when there are seconds).
func (c ClockTime) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

func (c ClockTime) String() string {
	d := time.Duration(c)
	h, m, s := d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

// JSONSchema describes ClockTime as the string it is written as.
func (ClockTime) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: `^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`,
		Description: "a local time of day, HH:MM"}
}

// UnmarshalText reads "HH:MM" or "HH:MM:SS", 00:00 to 23:59:59.
func (c *ClockTime) UnmarshalText(b []byte) error {
	parts := strings.Split(string(b), ":")
	bad := fmt.Errorf("invalid time of day %q: want \"HH:MM\" from 00:00 to 23:59", string(b))
	if len(parts) < 2 || len(parts) > 3 {
		return bad
	}
	var v [3]int
	lim := [3]int{23, 59, 59}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > lim[i] || len(p) > 2 {
			return bad
		}
		v[i] = n
	}
	*c = ClockTime(time.Duration(v[0])*time.Hour + time.Duration(v[1])*time.Minute + time.Duration(v[2])*time.Second)
	return nil
}

// IntRange is an inclusive range of whole numbers, drawn uniformly.
type IntRange struct {
	Min int `yaml:"min" json:"min"`
	Max int `yaml:"max" json:"max"`
}

// DurationRange is an inclusive range of durations, drawn uniformly at
// millisecond resolution.
type DurationRange struct {
	Min Duration `yaml:"min" json:"min"`
	Max Duration `yaml:"max" json:"max"`
}

// SessionLength is how long a screen session lasts: Min plus an exponential
// with mean (Mean − Min), cut at Max. Falaki et al. (MobiSys 2010) found mean
// session lengths of 10–250 s per user, with an exponential body and a
// heavy tail; the cut keeps the tail finite.
type SessionLength struct {
	Min  Duration `yaml:"min" json:"min"`
	Mean Duration `yaml:"mean" json:"mean"`
	Max  Duration `yaml:"max" json:"max"`
}

// Charging is how the user charges the phone.
type Charging struct {
	// Always: the device never leaves its charger (a lab device).
	Always bool `yaml:"always,omitempty" json:"always,omitempty"`
	// Charger is the charger the user plugs in: ac (default), usb or wireless.
	Charger Charger `yaml:"charger,omitempty" json:"charger,omitempty"`
	// OvernightPercent is the chance (0–100) that the phone spends the sleep
	// period on the charger (Shye et al.: "near daily charging"; Ferreira et
	// al. 2011: most charging starts in the evening and lasts the night).
	OvernightPercent int `yaml:"overnight_percent" json:"overnight_percent"`
	// TopUpBelow: at a session start with the battery below this level (and
	// at bedtime, below it, the phone is always charged) the user may plug in.
	TopUpBelow int `yaml:"top_up_below" json:"top_up_below"`
	// TopUpPercent is the chance (0–100) they do, at each such session start.
	TopUpPercent int `yaml:"top_up_percent" json:"top_up_percent"`
	// TopUpLength is how long a daytime top-up lasts.
	TopUpLength DurationRange `yaml:"top_up_length" json:"top_up_length"`
}

// Places is where the user spends the day, and so which network the phone
// is on and when it moves.
type Places struct {
	// Home is the network at home: wifi (default), cellular or none.
	Home NetworkType `yaml:"home,omitempty" json:"home,omitempty"`
	// AwayDays is when the user leaves for work: weekdays, daily or never.
	AwayDays string `yaml:"away_days,omitempty" json:"away_days,omitempty"`
	// Leave and Return are the nominal local times of leaving home and
	// leaving work (Return may be earlier than Leave: a night shift).
	Leave  ClockTime `yaml:"leave,omitempty" json:"leave,omitempty"`
	Return ClockTime `yaml:"return,omitempty" json:"return,omitempty"`
	// Commute is each way's travel time, on cellular and moving.
	Commute DurationRange `yaml:"commute,omitempty" json:"commute,omitempty"`
	// Work is the network at work: wifi or cellular.
	Work NetworkType `yaml:"work,omitempty" json:"work,omitempty"`
	// Outings are trips out (on cellular) on days at home.
	Outings      IntRange      `yaml:"outings_per_day,omitempty" json:"outings_per_day,omitempty"`
	OutingLength DurationRange `yaml:"outing_length,omitempty" json:"outing_length,omitempty"`
	// DeadZonePercent is the chance (0–100) that a commute or outing crosses
	// a stretch with no signal (a tunnel, a lift), of DeadZoneLength.
	DeadZonePercent int           `yaml:"dead_zone_percent,omitempty" json:"dead_zone_percent,omitempty"`
	DeadZoneLength  DurationRange `yaml:"dead_zone_length,omitempty" json:"dead_zone_length,omitempty"`
}

// Profile is a seeded daily-usage pattern: when the user is awake and uses
// the phone, how often they open the app under test, when they charge, and
// where they are (which network, moving or not). Times of day are local to
// the UTC offset of the simulation's start time. A scenario may define one
// in YAML with these field names.
type Profile struct {
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Wake and Sleep bound the waking period in which screen sessions
	// happen (Sleep earlier than Wake wraps past midnight).
	Wake  ClockTime `yaml:"wake" json:"wake"`
	Sleep ClockTime `yaml:"sleep" json:"sleep"`
	// Jitter moves every nominal time of day (wake, sleep, leave, return)
	// by up to ± this, drawn each day.
	Jitter Duration `yaml:"jitter,omitempty" json:"jitter,omitempty"`
	// Sessions is the number of screen sessions (interactions) per day.
	// Falaki et al. (MobiSys 2010): 10–200 interactions per user per day.
	Sessions      IntRange      `yaml:"sessions_per_day" json:"sessions_per_day"`
	SessionLength SessionLength `yaml:"session_length" json:"session_length"`
	// HourlyWeights, if set, has 24 relative weights, one per local hour
	// (0 = 00:00–01:00): sessions (and so app opens) start in an hour with
	// probability proportional to its weight, within the waking period.
	// Unset, starts are uniform over the waking period.
	HourlyWeights []int `yaml:"hourly_weights,omitempty" json:"hourly_weights,omitempty"`
	// AppOpens is how many of the day's sessions open the app under test.
	AppOpens IntRange `yaml:"app_opens_per_day" json:"app_opens_per_day"`
	// AppTime is how long the app stays in the foreground when opened
	// (cut at the session's end).
	AppTime  DurationRange `yaml:"app_time" json:"app_time"`
	Charging Charging      `yaml:"charging" json:"charging"`
	Places   Places        `yaml:"places" json:"places"`
	// StorageMiBPerDay is the storage the user's photos and caches take each
	// day, in MiB (negative frees space).
	StorageMiBPerDay IntRange `yaml:"storage_mib_per_day,omitempty" json:"storage_mib_per_day,omitempty"`
}

// Validate reports the first field that is out of range, by its YAML name.
func (p Profile) Validate() error {
	bad := func(field, format string, a ...any) error {
		name := p.Name
		if name == "" {
			name = "(unnamed)"
		}
		return fmt.Errorf("profile %s: %s: %s", name, field, fmt.Sprintf(format, a...))
	}
	day := ClockTime(24 * time.Hour)
	pct := func(field string, v int) error {
		if v < 0 || v > 100 {
			return bad(field, "%d is not a percentage (0–100)", v)
		}
		return nil
	}
	rng := func(field string, r IntRange, lo, hi int) error {
		if r.Min < lo || r.Max > hi || r.Min > r.Max {
			return bad(field, "{min: %d, max: %d}: need %d <= min <= max <= %d", r.Min, r.Max, lo, hi)
		}
		return nil
	}
	drng := func(field string, r DurationRange, lo, hi time.Duration) error {
		if time.Duration(r.Min) < lo || time.Duration(r.Max) > hi || r.Min > r.Max {
			return bad(field, "{min: %s, max: %s}: need %s <= min <= max <= %s", time.Duration(r.Min), time.Duration(r.Max), lo, hi)
		}
		return nil
	}
	net := func(field string, n NetworkType, allowEmpty bool) error {
		switch n {
		case NetworkWiFi, NetworkCellular, NetworkNone:
			return nil
		case "":
			if allowEmpty {
				return nil
			}
		}
		return bad(field, "%q: want wifi, cellular or none", n)
	}
	sl := p.SessionLength
	switch {
	case p.Wake < 0 || p.Wake >= day:
		return bad("wake", "%s: want a time of day", p.Wake)
	case p.Sleep < 0 || p.Sleep >= day:
		return bad("sleep", "%s: want a time of day", p.Sleep)
	case p.Wake == p.Sleep && p.Sessions.Max > 0:
		return bad("sleep", "equals wake: the user would never be awake")
	case p.Jitter < 0 || time.Duration(p.Jitter) > 3*time.Hour:
		return bad("jitter", "%s: want 0 to 3h", time.Duration(p.Jitter))
	}
	if err := rng("sessions_per_day", p.Sessions, 0, 1000); err != nil {
		return err
	}
	if p.Sessions.Max > 0 {
		if sl.Min <= 0 || sl.Mean < sl.Min || sl.Max < sl.Mean || time.Duration(sl.Max) > 12*time.Hour {
			return bad("session_length", "{min: %s, mean: %s, max: %s}: need 0 < min <= mean <= max <= 12h", time.Duration(sl.Min), time.Duration(sl.Mean), time.Duration(sl.Max))
		}
	}
	if n := len(p.HourlyWeights); n > 0 {
		if n != 24 {
			return bad("hourly_weights", "has %d entries: want 24, one per hour from 00:00", n)
		}
		sum := 0
		for h, w := range p.HourlyWeights {
			if w < 0 || w > 1_000_000 {
				return bad("hourly_weights", "hour %d: weight %d: want 0 to 1000000", h, w)
			}
			sum += w
		}
		if sum == 0 {
			return bad("hourly_weights", "all zero: at least one hour needs a weight")
		}
	}
	if err := rng("app_opens_per_day", p.AppOpens, 0, 1000); err != nil {
		return err
	}
	if p.AppOpens.Max > 0 {
		if err := drng("app_time", p.AppTime, time.Second, 12*time.Hour); err != nil {
			return err
		}
	}
	c := p.Charging
	switch c.Charger {
	case "", ChargerAC, ChargerUSB, ChargerWireless:
	default:
		return bad("charging.charger", "%q: want ac, usb or wireless", c.Charger)
	}
	if err := pct("charging.overnight_percent", c.OvernightPercent); err != nil {
		return err
	}
	if err := pct("charging.top_up_below", c.TopUpBelow); err != nil {
		return err
	}
	if err := pct("charging.top_up_percent", c.TopUpPercent); err != nil {
		return err
	}
	if c.TopUpPercent > 0 {
		if err := drng("charging.top_up_length", c.TopUpLength, time.Minute, 24*time.Hour); err != nil {
			return err
		}
	}
	pl := p.Places
	if err := net("places.home", pl.Home, true); err != nil {
		return err
	}
	switch pl.AwayDays {
	case "", "never":
	case "weekdays", "daily":
		if err := net("places.work", pl.Work, false); err != nil {
			return err
		}
		if pl.Leave == pl.Return {
			return bad("places.return", "equals places.leave")
		}
		if pl.Leave < 0 || pl.Leave >= day || pl.Return < 0 || pl.Return >= day {
			return bad("places.leave", "leave and return must be times of day")
		}
		if err := drng("places.commute", pl.Commute, 0, 4*time.Hour); err != nil {
			return err
		}
	default:
		return bad("places.away_days", "%q: want weekdays, daily or never", pl.AwayDays)
	}
	if err := rng("places.outings_per_day", pl.Outings, 0, 10); err != nil {
		return err
	}
	if pl.Outings.Max > 0 {
		if err := drng("places.outing_length", pl.OutingLength, time.Minute, 12*time.Hour); err != nil {
			return err
		}
	}
	if err := pct("places.dead_zone_percent", pl.DeadZonePercent); err != nil {
		return err
	}
	if pl.DeadZonePercent > 0 {
		if err := drng("places.dead_zone_length", pl.DeadZoneLength, time.Second, 2*time.Hour); err != nil {
			return err
		}
	}
	if err := rng("storage_mib_per_day", p.StorageMiBPerDay, -1<<20, 1<<20); err != nil {
		return err
	}
	return nil
}

func dr(lo, hi time.Duration) DurationRange { return DurationRange{Duration(lo), Duration(hi)} }

const (
	second = time.Second
	minute = time.Minute
	hour   = time.Hour
)

// builtins are the built-in profiles. Rationale for the numbers:
// interactions per day within Falaki et al.'s 10–200 (MobiSys 2010), mean
// session lengths within their 10–250 s; near-daily, mostly overnight
// charging (Shye et al., NWU-EECS-10-06; Ferreira et al., Pervasive 2011);
// most connected time on Wi-Fi (Device Analyzer: data twice as likely on
// Wi-Fi as on cellular; Analysys Mason 2012: ~58–69 % of smartphone data
// over Wi-Fi).
var builtins = []Profile{
	{
		Name:          "always-on-charger",
		Description:   "a lab device: always on AC power and the lab's Wi-Fi, never moves, used by testers 08:00–20:00",
		Wake:          Clock(8, 0),
		Sleep:         Clock(20, 0),
		Jitter:        Duration(15 * minute),
		Sessions:      IntRange{12, 30},
		SessionLength: SessionLength{Duration(30 * second), Duration(3 * minute), Duration(20 * minute)},
		AppOpens:      IntRange{5, 12},
		AppTime:       dr(30*second, 10*minute),
		Charging:      Charging{Always: true, Charger: ChargerAC},
		Places:        Places{Home: NetworkWiFi},
	},
	{
		Name:          "office-worker",
		Description:   "awake 07:00–23:00, commutes on weekdays to office Wi-Fi, 40–80 sessions a day, opens the app 2–4 times, charges overnight",
		Wake:          Clock(7, 0),
		Sleep:         Clock(23, 0),
		Jitter:        Duration(30 * minute),
		Sessions:      IntRange{40, 80},
		SessionLength: SessionLength{Duration(10 * second), Duration(150 * second), Duration(30 * minute)},
		// Morning, lunch and evening peaks.
		HourlyWeights: []int{1, 1, 1, 1, 1, 1, 2, 6, 5, 3, 3, 3, 5, 4, 3, 3, 3, 4, 5, 5, 6, 6, 4, 2},
		AppOpens:      IntRange{2, 4},
		AppTime:       dr(20*second, 5*minute),
		Charging:      Charging{Charger: ChargerAC, OvernightPercent: 90, TopUpBelow: 20, TopUpPercent: 50, TopUpLength: dr(20*minute, 90*minute)},
		Places: Places{Home: NetworkWiFi, AwayDays: "weekdays", Leave: Clock(8, 0), Return: Clock(17, 30),
			Commute: dr(20*minute, 50*minute), Work: NetworkWiFi,
			Outings: IntRange{0, 2}, OutingLength: dr(30*minute, 3*hour),
			DeadZonePercent: 30, DeadZoneLength: dr(1*minute, 10*minute)},
		StorageMiBPerDay: IntRange{0, 150},
	},
	{
		Name:          "heavy-user",
		Description:   "awake 08:00–01:00, 100–170 sessions a day, opens the app 5–10 times, out on cellular most of the day, charges overnight and tops up",
		Wake:          Clock(8, 0),
		Sleep:         Clock(1, 0),
		Jitter:        Duration(45 * minute),
		Sessions:      IntRange{100, 170},
		SessionLength: SessionLength{Duration(15 * second), Duration(170 * second), Duration(45 * minute)},
		HourlyWeights: []int{5, 2, 1, 1, 1, 1, 1, 2, 4, 4, 4, 4, 5, 5, 4, 4, 4, 5, 6, 7, 8, 8, 7, 6},
		AppOpens:      IntRange{5, 10},
		AppTime:       dr(30*second, 15*minute),
		Charging:      Charging{Charger: ChargerAC, OvernightPercent: 95, TopUpBelow: 35, TopUpPercent: 60, TopUpLength: dr(20*minute, 60*minute)},
		Places: Places{Home: NetworkWiFi, AwayDays: "daily", Leave: Clock(10, 0), Return: Clock(18, 30),
			Commute: dr(15*minute, 45*minute), Work: NetworkCellular,
			DeadZonePercent: 50, DeadZoneLength: dr(1*minute, 15*minute)},
		StorageMiBPerDay: IntRange{50, 400},
	},
	{
		Name:          "light-user",
		Description:   "awake 07:30–22:00, mostly at home, 12–25 short sessions a day, opens the app 0–2 times, charges most nights",
		Wake:          Clock(7, 30),
		Sleep:         Clock(22, 0),
		Jitter:        Duration(30 * minute),
		Sessions:      IntRange{12, 25},
		SessionLength: SessionLength{Duration(10 * second), Duration(75 * second), Duration(10 * minute)},
		HourlyWeights: []int{1, 1, 1, 1, 1, 1, 1, 3, 4, 3, 2, 2, 4, 3, 2, 2, 2, 3, 4, 5, 5, 3, 2, 1},
		AppOpens:      IntRange{0, 2},
		AppTime:       dr(10*second, 3*minute),
		Charging:      Charging{Charger: ChargerUSB, OvernightPercent: 70, TopUpBelow: 25, TopUpPercent: 30, TopUpLength: dr(30*minute, 2*hour)},
		Places: Places{Home: NetworkWiFi, Outings: IntRange{0, 2}, OutingLength: dr(30*minute, 2*hour),
			DeadZonePercent: 10, DeadZoneLength: dr(1*minute, 5*minute)},
		StorageMiBPerDay: IntRange{0, 40},
	},
	{
		Name:          "night-shift",
		Description:   "awake 16:00–08:00, works 21:00–07:00 on cellular, 40–80 sessions a day, opens the app 2–4 times, charges while sleeping by day",
		Wake:          Clock(16, 0),
		Sleep:         Clock(8, 0),
		Jitter:        Duration(30 * minute),
		Sessions:      IntRange{40, 80},
		SessionLength: SessionLength{Duration(10 * second), Duration(120 * second), Duration(30 * minute)},
		// On waking, at breaks in the shift, and at its end.
		HourlyWeights: []int{5, 4, 3, 3, 2, 2, 4, 5, 3, 1, 1, 1, 1, 1, 1, 1, 5, 4, 3, 4, 4, 3, 3, 3},
		AppOpens:      IntRange{2, 4},
		AppTime:       dr(20*second, 5*minute),
		Charging:      Charging{Charger: ChargerWireless, OvernightPercent: 90, TopUpBelow: 20, TopUpPercent: 50, TopUpLength: dr(20*minute, 90*minute)},
		Places: Places{Home: NetworkWiFi, AwayDays: "weekdays", Leave: Clock(20, 30), Return: Clock(7, 0),
			Commute: dr(20*minute, 40*minute), Work: NetworkCellular,
			Outings: IntRange{0, 1}, OutingLength: dr(30*minute, 2*hour),
			DeadZonePercent: 20, DeadZoneLength: dr(1*minute, 5*minute)},
		StorageMiBPerDay: IntRange{0, 150},
	},
	{
		Name:        "idle-shelf",
		Description: "nobody touches it: screen off, never charged, on Wi-Fi, never moves (it runs down and shuts off at 0 %)",
		Wake:        Clock(8, 0),
		Sleep:       Clock(20, 0),
		Places:      Places{Home: NetworkWiFi},
	},
}

// BuiltinProfile returns the built-in profile called name.
func BuiltinProfile(name string) (Profile, bool) {
	for _, p := range builtins {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

// ProfileNames lists the built-in profiles, sorted.
func ProfileNames() []string {
	names := make([]string, len(builtins))
	for i, p := range builtins {
		names[i] = p.Name
	}
	slices.Sort(names)
	return names
}
