package device

import (
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

func runProfile(t testing.TB, name string, seed uint64, start time.Time, days int) (*Device, *sim.Engine, []DayStats, []Change) {
	t.Helper()
	p, ok := BuiltinProfile(name)
	require.True(t, ok, name)
	eng := sim.New(start, seed)
	d := New(eng, Config{Initial: DefaultState()})
	var changes []Change
	d.Subscribe(ListenerFunc(func(c *Change) { changes = append(changes, *c) }))
	st := NewStats(d)
	end := start.Add(time.Duration(days) * 24 * time.Hour)
	require.NoError(t, d.ApplyProfile(p, end))
	maxQueue := 0
	for day := 1; day <= days; day++ {
		require.NoError(t, eng.RunUntil(start.Add(time.Duration(day)*24*time.Hour)))
		maxQueue = max(maxQueue, eng.Len())
	}
	// Lazily planned: a profile keeps one pending event, the battery one,
	// the tail one, and a top-up at most.
	assert.LessOrEqual(t, maxQueue, 4, "pending kernel events")
	return d, eng, st.Days(end), changes
}

// Published ranges (cited in profile.go): 10–200 interactions per day
// (Falaki et al. 2010), near-daily charging (Shye et al.), most connected
// time on Wi-Fi (Device Analyzer; Analysys Mason 2012). idle-shelf is the
// documented exception: nobody touches it.
func TestProfilesDailyStatisticsInPublishedRanges(t *testing.T) {
	for _, name := range ProfileNames() {
		for _, seed := range []uint64{1, 2, 3} {
			t.Run(name+"/seed"+string(rune('0'+seed)), func(t *testing.T) {
				p, _ := BuiltinProfile(name)
				_, _, days, _ := runProfile(t, name, seed, t0, 30)
				require.Len(t, days, 30)
				var wifi, cell, off time.Duration
				charged, launches := 0, 0
				for _, d := range days {
					assert.Equal(t, 24*time.Hour, d.Observed)
					wifi += d.WiFi
					cell += d.Cellular
					off += d.PoweredOff
					launches += d.AppLaunches
					if d.Charging > 0 {
						charged++
					}
					if name == "idle-shelf" {
						assert.Zero(t, d.Interactions)
						assert.Zero(t, d.AppLaunches)
						assert.Zero(t, d.Charging)
						assert.Zero(t, d.Cellular)
						continue
					}
					assert.GreaterOrEqual(t, d.Interactions, 10, "day %d interactions", d.Day)
					assert.LessOrEqual(t, d.Interactions, 200, "day %d interactions", d.Day)
					// A waking period that runs past midnight (night-shift,
					// heavy-user) puts parts of two periods in one calendar day.
					maxOpens := p.AppOpens.Max
					if p.Sleep < p.Wake {
						maxOpens *= 2
					}
					assert.LessOrEqual(t, d.AppLaunches, maxOpens, "day %d app launches", d.Day)
				}
				if name == "idle-shelf" {
					// 10 mA from 80.5 % of 4000 mAh: dead after 322 h, on day 13.
					assert.Equal(t, time.Duration(30*24-322)*time.Hour, off)
					return
				}
				assert.GreaterOrEqual(t, charged, 24, "days with charging (near-daily)")
				assert.Greater(t, wifi, cell, "most connected time on Wi-Fi")
				assert.Less(t, off, 24*time.Hour, "the battery seldom runs out")
				mean := float64(launches) / 30
				assert.GreaterOrEqual(t, mean, float64(p.AppOpens.Min), "app opens per day")
				assert.LessOrEqual(t, mean, float64(p.AppOpens.Max), "app opens per day")
			})
		}
	}
}

func TestOfficeWorkerOpensTheAppTwoToFourTimesADay(t *testing.T) {
	_, _, days, _ := runProfile(t, "office-worker", 9, t0, 30)
	for _, d := range days {
		assert.GreaterOrEqual(t, d.AppLaunches, 2, "day %d", d.Day)
		assert.LessOrEqual(t, d.AppLaunches, 4, "day %d", d.Day)
	}
}

func TestProfileDeterminism(t *testing.T) {
	_, _, _, a := runProfile(t, "office-worker", 5, t0, 10)
	_, _, _, b := runProfile(t, "office-worker", 5, t0, 10)
	_, _, _, c := runProfile(t, "office-worker", 6, t0, 10)
	require.NotEmpty(t, a)
	assert.Equal(t, timeline(a), timeline(b), "same seed, same timeline")
	assert.NotEqual(t, timeline(a), timeline(c), "another seed, another timeline")
}

// The profile's times of day are local to the start's UTC offset: an office
// worker in Tokyo wakes around 07:00 JST (22:00 UTC), within the jitter.
func TestProfileLocalTimeOfDay(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, tokyo)
	_, _, days, changes := runProfile(t, "office-worker", 3, start, 7)
	assert.Equal(t, "2026-01-05", days[0].Date)
	firstOn := map[string]time.Time{}
	for _, c := range changes {
		if c.Kind == ChangeScreen && c.State.ScreenOn {
			day := c.At.In(tokyo).Format("2006-01-02")
			if _, ok := firstOn[day]; !ok {
				firstOn[day] = c.At.In(tokyo)
			}
		}
	}
	require.Len(t, firstOn, 7)
	for day, at := range firstOn {
		h := at.Hour()*60 + at.Minute()
		assert.True(t, h >= 6*60+30 && h <= 7*60+30, "%s: first session at %s", day, at.Format("15:04"))
	}
}

func TestProfileStartsMidDayInTheRightState(t *testing.T) {
	// Applied at 10:00 on a Monday: the office worker is at work, on Wi-Fi,
	// stationary, off the charger.
	p, _ := BuiltinProfile("office-worker")
	eng := sim.New(t0, 1)
	d := New(eng, Config{Initial: DefaultState()})
	require.NoError(t, eng.RunUntil(t0.Add(10*time.Hour)))
	d.SetCharger(ChargerAC)
	d.SetMoving(true)
	require.NoError(t, d.ApplyProfile(p, t0.Add(48*time.Hour)))
	st := d.State()
	assert.Equal(t, NetworkWiFi, st.Network.Type)
	assert.False(t, st.Moving)
	// At 03:00 the next night it is charging.
	require.NoError(t, eng.RunUntil(t0.Add(27*time.Hour)))
	st = d.State()
	assert.True(t, st.Plugged() || st.Battery.Level() >= 30, "overnight")
}

func TestProfileStopsAtUntil(t *testing.T) {
	p, _ := BuiltinProfile("heavy-user")
	eng := sim.New(t0, 1)
	d := New(eng, Config{Initial: DefaultState()})
	until := t0.Add(36 * time.Hour)
	require.NoError(t, d.ApplyProfile(p, until))
	require.NoError(t, eng.RunUntil(until))
	fired := eng.Fired()
	require.NoError(t, eng.RunUntil(until.Add(24*time.Hour)))
	// Only the battery's own steps (and a session tail) continue.
	st := d.State()
	assert.Less(t, eng.Fired()-fired, uint64(110))
	_ = st
}

func TestProfileYAML(t *testing.T) {
	src := `
name: commuter
wake: "06:30"
sleep: "22:45"
jitter: 20m
sessions_per_day: {min: 30, max: 50}
session_length: {min: 15s, mean: 2m, max: 20m}
app_opens_per_day: {min: 1, max: 3}
app_time: {min: 30s, max: 4m}
charging:
  charger: wireless
  overnight_percent: 85
  top_up_below: 20
  top_up_percent: 40
  top_up_length: {min: 15m, max: 1h}
places:
  home: wifi
  away_days: weekdays
  leave: "07:15"
  return: "18:00"
  commute: {min: 40m, max: 70m}
  work: cellular
  dead_zone_percent: 60
  dead_zone_length: {min: 2m, max: 8m}
storage_mib_per_day: {min: -10, max: 100}
`
	var p Profile
	require.NoError(t, yaml.UnmarshalWithOptions([]byte(src), &p, yaml.Strict()))
	require.NoError(t, p.Validate())
	assert.Equal(t, Clock(6, 30), p.Wake)
	assert.Equal(t, Duration(2*time.Minute), p.SessionLength.Mean)
	assert.Equal(t, ChargerWireless, p.Charging.Charger)
	assert.Equal(t, NetworkCellular, p.Places.Work)
	assert.Equal(t, -10, p.StorageMiBPerDay.Min)
	eng := sim.New(t0, 1)
	d := New(eng, Config{Initial: DefaultState()})
	st := NewStats(d)
	end := t0.Add(7 * 24 * time.Hour)
	require.NoError(t, d.ApplyProfile(p, end))
	require.NoError(t, eng.RunUntil(end))
	for _, day := range st.Days(end) {
		assert.GreaterOrEqual(t, day.Interactions, 25)
	}
	// Round trip.
	out, err := yaml.Marshal(p)
	require.NoError(t, err)
	var q Profile
	require.NoError(t, yaml.Unmarshal(out, &q))
	assert.Equal(t, p, q)
}

func TestProfileValidate(t *testing.T) {
	for _, name := range ProfileNames() {
		p, _ := BuiltinProfile(name)
		assert.NoError(t, p.Validate(), name)
	}
	base, _ := BuiltinProfile("office-worker")
	cases := []struct {
		field string
		mod   func(*Profile)
	}{
		{"sessions_per_day", func(p *Profile) { p.Sessions = IntRange{50, 10} }},
		{"session_length", func(p *Profile) { p.SessionLength.Min = 0 }},
		{"app_opens_per_day", func(p *Profile) { p.AppOpens = IntRange{-1, 2} }},
		{"charging.charger", func(p *Profile) { p.Charging.Charger = "solar" }},
		{"charging.overnight_percent", func(p *Profile) { p.Charging.OvernightPercent = 101 }},
		{"places.home", func(p *Profile) { p.Places.Home = "lte" }},
		{"places.away_days", func(p *Profile) { p.Places.AwayDays = "sometimes" }},
		{"places.return", func(p *Profile) { p.Places.Return = p.Places.Leave }},
		{"jitter", func(p *Profile) { p.Jitter = Duration(-time.Minute) }},
		{"sleep", func(p *Profile) { p.Sleep = p.Wake }},
	}
	for _, tc := range cases {
		p := base
		tc.mod(&p)
		err := p.Validate()
		require.Error(t, err, tc.field)
		assert.Contains(t, err.Error(), tc.field+":")
		eng := sim.New(t0, 1)
		assert.Error(t, New(eng, Config{Initial: DefaultState()}).ApplyProfile(p, t0.Add(time.Hour)))
	}
	var c ClockTime
	for _, bad := range []string{"7", "24:00", "07:60", "ab:cd", "1:2:3:4", "007:00"} {
		assert.Error(t, c.UnmarshalText([]byte(bad)), bad)
	}
	var dd Duration
	err := dd.UnmarshalText([]byte("soon"))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "1h30m"))
}

func TestProfileNames(t *testing.T) {
	assert.Equal(t, []string{"always-on-charger", "heavy-user", "idle-shelf", "light-user", "night-shift", "office-worker"}, ProfileNames())
	_, ok := BuiltinProfile("nope")
	assert.False(t, ok)
}

// With hourly weights only on 12:00–13:00, every session but the first look
// on waking starts in that hour (overlaps may push a start a little later).
func TestProfileHourlyWeights(t *testing.T) {
	p, _ := BuiltinProfile("light-user")
	p.HourlyWeights = make([]int, 24)
	p.HourlyWeights[12] = 1
	p.Jitter = 0
	eng := sim.New(t0, 4)
	d := New(eng, Config{Initial: DefaultState()})
	var starts []time.Time
	d.Subscribe(ListenerFunc(func(c *Change) {
		if c.Kind == ChangeScreen && c.State.ScreenOn {
			starts = append(starts, c.At)
		}
	}))
	end := t0.Add(5 * 24 * time.Hour)
	require.NoError(t, d.ApplyProfile(p, end))
	require.NoError(t, eng.RunUntil(end))
	require.NotEmpty(t, starts)
	for _, s := range starts {
		h, m := s.Hour(), s.Minute()
		if h == 7 && m == 30 {
			continue // the look on waking
		}
		assert.True(t, h == 12 || h == 13, "session at %s", s.Format("15:04"))
	}
	bad := p
	bad.HourlyWeights = []int{1, 2}
	assert.ErrorContains(t, bad.Validate(), "hourly_weights")
	bad.HourlyWeights = make([]int, 24)
	assert.ErrorContains(t, bad.Validate(), "all zero")
}

// Where the energy goes, per profile: printed for calibration against
// Chen et al. (HUSH: 45.9 % of daily drain during screen-off).
func TestProfileEnergySplit(t *testing.T) {
	for _, name := range []string{"office-worker", "heavy-user", "light-user", "night-shift"} {
		_, _, days, _ := runProfile(t, name, 1, t0, 30)
		var used, off int64
		for _, d := range days {
			used += d.UsedUAh
			off += d.ScreenOffUsedUAh
		}
		share := off * 100 / used
		t.Logf("%s: %d mAh/day, %d%% with the screen off", name, used/30/1000, share)
		// The office worker is the "typical" user: within 15 points of
		// HUSH's 45.9 %. Light users spend more, heavy users less, with the
		// screen off.
		lo, hi := int64(15), int64(80)
		if name == "office-worker" {
			lo, hi = 31, 61
		}
		assert.True(t, share >= lo && share <= hi, "%s: screen-off share %d%%", name, share)
	}
}
