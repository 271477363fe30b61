package device

import (
	"time"
)

// DayStats is one local day of a device's life.
type DayStats struct {
	Day  int    `json:"day"`  // local day index from the simulation's start day (0)
	Date string `json:"date"` // local date, YYYY-MM-DD
	// Observed is how much of the day was simulated (less than 24 h on the
	// first and last day when the run does not start or end at midnight).
	Observed     time.Duration `json:"observed_ns"`
	ScreenOn     time.Duration `json:"screen_on_ns"`
	Interactions int           `json:"interactions"` // screen sessions (screen off → on)
	AppLaunches  int           `json:"app_launches"`
	Charging     time.Duration `json:"charging_ns"` // on a charger
	ChargeStarts int           `json:"charge_starts"`
	WiFi         time.Duration `json:"wifi_ns"`
	Cellular     time.Duration `json:"cellular_ns"`
	NoNetwork    time.Duration `json:"no_network_ns"`
	PoweredOff   time.Duration `json:"powered_off_ns"`
	Moving       time.Duration `json:"moving_ns"`
	BatteryMin   int           `json:"battery_min"`
	// BatteryMeanMilli is the time-weighted mean battery level in
	// thousandths of a percent (integer, so it prints the same everywhere).
	BatteryMeanMilli int64 `json:"battery_mean_milli"`
	// UsedUAh is the charge the device consumed (its load, whether the
	// battery or a charger supplied it); ScreenOffUsedUAh the part of it
	// with the screen off (Chen et al., MobiCom 2015: 45.9 % of daily
	// drain is during screen-off on their phones).
	UsedUAh          int64 `json:"used_uah"`
	ScreenOffUsedUAh int64 `json:"screen_off_used_uah"`
	levelNs          int64 // Σ level × ns, for the mean

}

// BatteryMean is the time-weighted mean level in percent.
func (s DayStats) BatteryMean() float64 { return float64(s.BatteryMeanMilli) / 1000 }

// Stats collects per-day statistics of a device: screen-on time,
// interactions, app launches, charging, time on each network, battery
// minimum and mean. Days are local days in the UTC offset of the
// simulation's start (as profiles use).
type Stats struct {
	dev   *Device
	m0    int64 // engine offset of local midnight of day 0
	loc   *time.Location
	last  int64 // engine offset accounted up to
	st    State
	lvl   int      // st.Battery.Level()
	used  [2]int64 // the device's Used() counters at last (off, on)
	cur   DayStats
	days  []DayStats
	start time.Time
}

// NewStats subscribes a statistics collector to dev, from now on.
func NewStats(dev *Device) *Stats {
	eng := dev.Engine()
	start := eng.Start()
	_, off := start.Zone()
	sod := (start.Unix() + int64(off)) % 86400
	if sod < 0 {
		sod += 86400
	}
	s := &Stats{dev: dev, start: start, loc: time.FixedZone("", off)}
	s.m0 = -(sod*int64(time.Second) + int64(start.Nanosecond()))
	s.last = int64(eng.Elapsed())
	s.st = dev.State()
	s.lvl = s.st.Battery.Level()
	s.used[1], s.used[0] = dev.used[1].uAh, dev.used[0].uAh
	s.cur = s.newDay(floorDiv(s.last-s.m0, day))
	dev.Subscribe(s)
	return s
}

func (s *Stats) newDay(k int64) DayStats {
	at := s.start.Add(time.Duration(s.m0 + k*day)).In(s.loc)
	return DayStats{Day: int(k), Date: at.Format("2006-01-02"), BatteryMin: s.lvl}
}

// DeviceChanged accounts the time since the last change to the state before
// this one, then counts the change.
func (s *Stats) DeviceChanged(c *Change) {
	s.advance(s.offset(c.At))
	switch c.Kind {
	case ChangeScreen:
		if c.State.ScreenOn && !c.Prev.ScreenOn {
			s.cur.Interactions++
		}
	case ChangeAppLaunched:
		s.cur.AppLaunches++
	case ChangeCharger:
		if c.State.Charger != ChargerNone && c.Prev.Charger == ChargerNone { // Plugged(), without copying the States
			s.cur.ChargeStarts++
		}
	}
	s.st = c.State
	s.lvl = s.st.Battery.Level()
	s.cur.BatteryMin = min(s.cur.BatteryMin, s.lvl)
}

// offset is at.Sub(start) as an engine offset. A change the device sends
// is stamped with the engine's Now, whose offset is Elapsed: no time
// arithmetic needed then.
func (s *Stats) offset(at time.Time) int64 {
	eng := s.dev.Engine()
	if at == eng.Now() && s.start == eng.Start() {
		return int64(eng.Elapsed())
	}
	return int64(at.Sub(s.start))
}

// advance accounts [last, to) to the state in force, day by day. The
// device's consumption since last (read from its exact counters) is split
// between days in proportion to time, to the millisecond: silent load
// changes (a tail ending, a task) inside a span that crosses midnight are
// the only imprecision.
func (s *Stats) advance(to int64) {
	if s.last >= to {
		return
	}
	on, off := s.dev.used[1].uAh-s.used[1], s.dev.used[0].uAh-s.used[0]
	s.used[1], s.used[0] = s.dev.used[1].uAh, s.dev.used[0].uAh
	spanMs := (to - s.last) / int64(time.Millisecond)
	for s.last < to {
		end := s.m0 + (int64(s.cur.Day)+1)*day
		seg := min(to, end) - s.last
		if end >= to || spanMs == 0 {
			s.cur.UsedUAh += on + off
			s.cur.ScreenOffUsedUAh += off
		} else {
			ms := seg / int64(time.Millisecond)
			pOn, pOff := on*ms/spanMs, off*ms/spanMs
			s.cur.UsedUAh += pOn + pOff
			s.cur.ScreenOffUsedUAh += pOff
			on, off, spanMs = on-pOn, off-pOff, spanMs-ms
		}
		s.add(time.Duration(seg))
		s.last += seg
		if s.last == end {
			s.close()
			s.cur = s.newDay(int64(s.cur.Day) + 1)
		}
	}
}

func (s *Stats) add(dt time.Duration) {
	st := &s.st
	c := &s.cur
	c.Observed += dt
	lvl := s.lvl
	c.levelNs += int64(lvl) * int64(dt)
	if st.Charger != ChargerNone { // st.Plugged(), without copying the State
		c.Charging += dt
	}
	if st.Moving {
		c.Moving += dt
	}
	if st.Power != PowerOn {
		c.PoweredOff += dt
		return
	}
	if st.ScreenOn {
		c.ScreenOn += dt
	}
	switch st.Network.Type {
	case NetworkWiFi:
		c.WiFi += dt
	case NetworkCellular:
		c.Cellular += dt
	default:
		c.NoNetwork += dt
	}
}

func (s *Stats) close() { s.days = append(s.days, s.cur.finish()) }

func (c DayStats) finish() DayStats {
	if c.Observed > 0 {
		c.BatteryMeanMilli = c.levelNs * 1000 / int64(c.Observed)
	}
	return c
}

// Days accounts time up to until and returns every day seen so far, the
// last one possibly partial. It may be called again later for a later until.
func (s *Stats) Days(until time.Time) []DayStats {
	s.dev.sync()
	s.advance(int64(until.Sub(s.start)))
	out := append([]DayStats(nil), s.days...)
	if s.cur.Observed > 0 {
		out = append(out, s.cur.finish())
	}
	return out
}
