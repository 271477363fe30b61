package device

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// Profile actions. A day's plan is a list of these, kept sorted by time; one
// kernel event at a time walks it, so a profile never has more than one
// pending event and memory stays flat however long it runs.
type actKind uint8

const (
	actPlan      actKind = iota // plan the next local day
	actScreenOn                 // a session starts (arg: 1 if the app is opened in it)
	actScreenOff                // the session ends
	actAppOpen                  // the user opens the app
	actAppClose                 // the user leaves the app
	actBedtime                  // decide whether the phone charges tonight (arg: unplug time)
	actPlug                     // plug in (arg: charge session id)
	actUnplug                   // unplug, if arg is still the charge session in force
	actNet                      // the default network changes (arg: a NetworkType code)
	actMove                     // moving (arg 1) or stationary (arg 0)
	actStorage                  // storage use (arg: bytes)
)

type action struct {
	at   int64 // engine offset, ns
	arg  int64
	kind actKind
}

const day = int64(24 * time.Hour)

// profileRun is a profile being applied to a device.
type profileRun struct {
	d      *Device
	p      Profile
	r      *rand.Rand
	until  int64 // engine offset past which nothing is planned
	m0     int64 // engine offset of local midnight of day 0 (the start's day)
	wd0    time.Weekday
	next   int // next local day to plan
	acts   []action
	head   int
	timer  sim.Timer
	h      sim.Handler
	charge int64 // id of the charge session in force (0: none owned)
	// lenMeanMs is SessionLength's Mean−Min in whole milliseconds.
	lenMeanMs int64
	ids       int64
	// scratch, reused every day
	segs   []hourSeg
	segSum int64
	starts []int64
	pick   []int
	opens  []bool
	counts []int         // weightedStarts' bucket offsets
	draws  []int64       // weightedStarts' draws
	segOf  []int32       // weightedStarts' bucket of each draw
	guide  [guideN]uint8 // hourSegments' guide table: see segmentOf
	gMul   uint64        // ⌊2⁶⁴·guideN/segSum⌋, 0 when segSum <= guideN
	tmp    []action      // sort's merge buffer
	runs   []int         // sort's run boundaries
}

func netCode(t NetworkType) int64 {
	switch t {
	case NetworkWiFi:
		return 1
	case NetworkCellular:
		return 2
	}
	return 0
}

// networkFor is the Network a profile puts the device on: Wi-Fi unmetered,
// cellular metered, both validated.
func networkFor(code int64) Network {
	switch code {
	case 1:
		return Network{Type: NetworkWiFi, Validated: true}
	case 2:
		return Network{Type: NetworkCellular, Metered: true, Validated: true}
	}
	return Network{Type: NetworkNone}
}

// ApplyProfile drives the device with p from now until until: screen
// sessions, app launches, charging, network and motion, drawn from the
// engine's "device.profile" random stream. Times of day are local to the
// UTC offset of the engine's start time. Days are planned lazily, each at
// its local midnight. Whatever the profile implies for the current moment
// (on the charger overnight, at work on office Wi-Fi) is applied at once. A
// profile applied earlier is replaced. An invalid profile is an error and
// changes nothing.
func (d *Device) ApplyProfile(p Profile, until time.Time) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if old := d.prof; old != nil {
		d.eng.Cancel(old.timer)
		d.prof = nil
	}
	eng := d.eng
	start := eng.Start()
	_, off := start.Zone()
	local := start.Unix() + int64(off)
	sod := local % 86400
	if sod < 0 {
		sod += 86400
	}
	m0 := -(sod*int64(time.Second) + int64(start.Nanosecond()))
	pr := &profileRun{
		d: d, p: p, r: eng.Rand("device.profile"),
		until: int64(until.Sub(start)),
		m0:    m0,
		// The local date's weekday: 1970-01-01 was a Thursday.
		wd0: time.Weekday((floorDiv(local, 86400)%7 + 7 + int64(time.Thursday)) % 7),
	}
	pr.reserve()
	pr.lenMeanMs = (int64(p.SessionLength.Mean) - int64(p.SessionLength.Min)) / int64(time.Millisecond)
	if pr.p.Charging.Charger == "" {
		pr.p.Charging.Charger = ChargerAC
	}
	if pr.p.Places.Home == "" {
		pr.p.Places.Home = NetworkWiFi
	}
	pr.h = pr
	d.prof = pr
	now := int64(eng.Elapsed())
	today := floorDiv(now-m0, day)
	// Yesterday's plan may still be running (overnight charging, a night
	// shift): plan it too, and fast-forward what it set up before now.
	pr.planDay(today - 1)
	pr.planDay(today)
	pr.next = int(today + 1)
	pr.push(action{at: m0 + int64(pr.next)*day, kind: actPlan})
	pr.sort()
	// Fast-forward: the network and motion the plan implies for now are
	// set once; charging decisions (bedtime, top-ups) are replayed, since an
	// overnight charge in progress must still end at its planned time.
	lastNet, lastMove := int64(-1), int64(-1)
	for pr.head < len(pr.acts) && pr.acts[pr.head].at < now {
		a := pr.acts[pr.head]
		pr.head++
		switch a.kind {
		case actBedtime, actPlug, actUnplug:
			pr.do(a)
		case actNet:
			lastNet = a.arg
		case actMove:
			lastMove = a.arg
		}
	}
	if lastNet >= 0 {
		d.SetNetwork(networkFor(lastNet))
	} else {
		d.SetNetwork(networkFor(netCode(pr.p.Places.Home)))
	}
	if lastMove >= 0 {
		d.SetMoving(lastMove == 1)
	}
	if p.Charging.Always {
		pr.plugFor(0)
	}
	pr.arm()
	return nil
}

// reserve sizes the plan and the scratch buffers for the profile's busiest
// day, so that a run allocates each once instead of growing them.
func (pr *profileRun) reserve() {
	p := &pr.p
	sessions := max(p.Sessions.Max, 1)
	// A session is a screen on and off and maybe an app open and close; a
	// trip is at most six actions, and each day has at most two trips or
	// Outings.Max outings of two, plus bedtime, storage and the next plan.
	perDay := 2*sessions + 2*min(p.AppOpens.Max, sessions) + 6*max(2, 2*p.Places.Outings.Max) + 4
	// The first plan holds yesterday's and today's actions.
	pr.acts = make([]action, 0, 2*perDay+8)
	pr.starts = make([]int64, 0, sessions)
	pr.pick = make([]int, 0, sessions)
	pr.opens = make([]bool, 0, sessions)
	if len(p.HourlyWeights) == 24 {
		const segs = 32 // a waking period spans at most 24 h plus two jitters, so ≤ 31 local hours
		pr.segs = make([]hourSeg, 0, segs)
		pr.counts = make([]int, 0, segs+1)
		pr.draws = make([]int64, 0, sessions)
		pr.segOf = make([]int32, 0, sessions)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func (pr *profileRun) push(a action) {
	if a.at > pr.until {
		return
	}
	pr.acts = append(pr.acts, a)
}

// insert adds a while the plan runs, keeping it sorted (after actions at the
// same instant).
func (pr *profileRun) insert(a action) {
	if a.at > pr.until {
		return
	}
	i := pr.head + upperBound(pr.acts[pr.head:], a.at)
	pr.acts = slices.Insert(pr.acts, i, a)
}

// upperBound is the index of the first action after at; lowerBound, of the
// first at or after at.
func upperBound(acts []action, at int64) int {
	return sort.Search(len(acts), func(i int) bool { return acts[i].at > at })
}

func lowerBound(acts []action, at int64) int {
	return sort.Search(len(acts), func(i int) bool { return acts[i].at >= at })
}

// sort orders the unconsumed plan by time, stably (actions at the same
// instant keep the order they were added in). The plan is made of a few
// runs already in order (the sorted rest of the plan, then each part of the
// new day: trips, sessions, bedtime), so a natural merge sort does it in
// O(n log runs) with no allocation once the scratch buffers have grown.
func (pr *profileRun) sort() {
	a := pr.acts[pr.head:]
	runs := append(pr.runs[:0], 0)
	for i := 1; i < len(a); i++ {
		if a[i].at < a[i-1].at {
			runs = append(runs, i)
		}
	}
	runs = append(runs, len(a))
	for len(runs) > 2 {
		// Merge runs pairwise: run i with run i+1, each pair's end kept.
		w := 1
		for i := 0; i+2 < len(runs); i += 2 {
			pr.tmp = mergeRuns(a[runs[i]:runs[i+2]], runs[i+1]-runs[i], pr.tmp)
			runs[w] = runs[i+2]
			w++
		}
		if (len(runs)-1)%2 == 1 {
			runs[w] = runs[len(runs)-1]
			w++
		}
		runs = runs[:w]
	}
	pr.runs = runs
}

// mergeRuns merges a[:mid] and a[mid:], each in order, in place and stably
// (on equal times a[:mid] comes first), using tmp as scratch; it returns tmp
// for reuse. Only the overlap of the two runs moves, and only the shorter
// side of it is copied out.
func mergeRuns(a []action, mid int, tmp []action) []action {
	if mid == 0 || mid == len(a) || a[mid-1].at <= a[mid].at {
		return tmp
	}
	// Left actions at or before the right run's first, and right actions at
	// or after the left run's last, stay where they are.
	lo := upperBound(a[:mid], a[mid].at)
	hi := mid + lowerBound(a[mid:], a[mid-1].at)
	if min(mid-lo, hi-mid) <= fewMerge {
		return mergeFew(a, lo, mid, hi, tmp)
	}
	if mid-lo <= hi-mid {
		tmp = append(tmp[:0], a[lo:mid]...)
		i, j, k := 0, mid, lo
		for i < len(tmp) && j < hi {
			if a[j].at < tmp[i].at {
				a[k] = a[j]
				j++
			} else {
				a[k] = tmp[i]
				i++
			}
			k++
		}
		copy(a[k:], tmp[i:]) // what is left of the right side is in place already
		return tmp
	}
	tmp = append(tmp[:0], a[mid:hi]...)
	i, j, k := mid-1, len(tmp)-1, hi-1
	for j >= 0 && i >= lo {
		if a[i].at > tmp[j].at {
			a[k] = a[i]
			i--
		} else {
			a[k] = tmp[j]
			j--
		}
		k--
	}
	copy(a[lo:k+1], tmp[:j+1]) // what is left of the left side is in place already
	return tmp
}

// fewMerge is the most actions on the shorter side of a merge that
// mergeFew places one by one (a day's bedtime, storage use, next plan).
const fewMerge = 4

// mergeFew is mergeRuns' merge of the overlap a[lo:hi] (runs a[lo:mid]
// and a[mid:hi]) when one side holds at most fewMerge actions: each of
// them finds its place in the other side by binary search, and the
// other side's actions between two places move as one block (copy)
// instead of one at a time. The same order as the merge: on equal times
// the left side's actions first. TestPlanSortIsStable compares with a
// stable sort.
func mergeFew(a []action, lo, mid, hi int, tmp []action) []action {
	if mid-lo <= hi-mid {
		// Few on the left: place them from the first, moving the right
		// side's earlier actions down before each.
		tmp = append(tmp[:0], a[lo:mid]...)
		k, r := lo, mid
		for _, x := range tmp {
			p := r + lowerBound(a[r:hi], x.at) // right actions before x: strictly earlier
			k += copy(a[k:], a[r:p])
			a[k] = x
			k++
			r = p
		}
		return tmp // (k == r: the rest of the right side is in place)
	}
	// Few on the right: place them from the last, moving the left side's
	// later actions up past each.
	tmp = append(tmp[:0], a[mid:hi]...)
	end, l := hi, mid
	for j := len(tmp) - 1; j >= 0; j-- {
		x := tmp[j]
		p := lo + upperBound(a[lo:l], x.at) // left actions after x: strictly later
		end -= l - p
		copy(a[end:], a[p:l])
		end--
		a[end] = x
		l = p
	}
	return tmp // (end == l: the rest of the left side is in place)
}

// arm schedules the kernel event for the next action.
func (pr *profileRun) arm() {
	if pr.head >= len(pr.acts) {
		return
	}
	eng := pr.d.eng
	if pr.timer.Pending() { // (never from Fire, whose event this was)
		eng.Cancel(pr.timer)
	}
	pr.timer = eng.After(time.Duration(pr.acts[pr.head].at-int64(eng.Elapsed())), sim.PhaseWorld, "device.profile", pr.h)
}

// Fire is the profile's event: the next action. The profileRun is the
// event's Handler itself, which spares a call through a HandlerFunc and a
// method value's wrapper at every action.
func (pr *profileRun) Fire(*sim.Engine) {
	if pr.d.prof != pr {
		return
	}
	a := pr.acts[pr.head]
	pr.head++
	pr.do(a)
	// Compact the consumed prefix now and then, so the slice stays small.
	if pr.head > 256 && pr.head*2 > len(pr.acts) {
		n := copy(pr.acts, pr.acts[pr.head:])
		pr.acts = pr.acts[:n]
		pr.head = 0
	}
	if pr.head >= len(pr.acts) {
		return
	}
	if plainArm {
		pr.arm()
		return
	}
	// arm without its Pending check and call: the event firing is pr's
	// only pending one (ApplyProfile and Fire each queue one once the last
	// has left the queue), released before its handler runs, so pr.timer
	// is not pending. (A listener that applied another profile during do
	// cancelled nothing pending either: this one fires its next event and
	// returns at once, as with arm.) TestFireArmsAsArmDoes compares.
	eng := pr.d.eng
	pr.timer = eng.After(time.Duration(pr.acts[pr.head].at-int64(eng.Elapsed())), sim.PhaseWorld, "device.profile", pr.h)
}

// plainArm makes Fire queue the next action's event with arm; a test
// checks that the shortcut changes nothing.
var plainArm = false

func (pr *profileRun) pct(p int) bool { return p > 0 && (p >= 100 || pr.r.IntN(100) < p) }

func (pr *profileRun) between(r DurationRange) int64 {
	return int64(sim.Between(pr.r, time.Duration(r.Min), time.Duration(r.Max)))
}

func (pr *profileRun) jitter() int64 {
	j := int64(pr.p.Jitter)
	if j <= 0 {
		return 0
	}
	return int64(sim.Between(pr.r, -time.Duration(j), time.Duration(j)))
}

func (pr *profileRun) intIn(r IntRange) int {
	if r.Max <= r.Min {
		return r.Min
	}
	return r.Min + pr.r.IntN(r.Max-r.Min+1)
}

// expMilli is −ln((i+½)/256) × 1000 for i in 0..255: an exponential with
// mean 1 in thousandths, as a table so that drawing it is integer-only (no
// float rounding that could differ between CPUs).
var expMilli = [256]int64{
	6238, 5140, 4629, 4292, 4041, 3840, 3673, 3530, 3405, 3294, 3194, 3103, 3019, 2942, 2871, 2804,
	2742, 2683, 2627, 2575, 2525, 2477, 2432, 2388, 2347, 2306, 2268, 2231, 2195, 2161, 2127, 2095,
	2064, 2034, 2004, 1976, 1948, 1921, 1895, 1869, 1844, 1819, 1796, 1772, 1750, 1727, 1706, 1684,
	1664, 1643, 1623, 1604, 1584, 1565, 1547, 1529, 1511, 1493, 1476, 1459, 1443, 1426, 1410, 1394,
	1379, 1363, 1348, 1333, 1318, 1304, 1290, 1275, 1262, 1248, 1234, 1221, 1208, 1195, 1182, 1169,
	1157, 1145, 1132, 1120, 1108, 1097, 1085, 1074, 1062, 1051, 1040, 1029, 1018, 1007, 997, 986,
	976, 965, 955, 945, 935, 925, 915, 906, 896, 886, 877, 868, 858, 849, 840, 831,
	822, 813, 805, 796, 787, 779, 770, 762, 754, 745, 737, 729, 721, 713, 705, 697,
	689, 681, 674, 666, 659, 651, 644, 636, 629, 622, 614, 607, 600, 593, 586, 579,
	572, 565, 558, 551, 545, 538, 531, 525, 518, 511, 505, 499, 492, 486, 479, 473,
	467, 461, 454, 448, 442, 436, 430, 424, 418, 412, 406, 401, 395, 389, 383, 378,
	372, 366, 361, 355, 349, 344, 338, 333, 328, 322, 317, 311, 306, 301, 296, 290,
	285, 280, 275, 270, 265, 259, 254, 249, 244, 239, 234, 230, 225, 220, 215, 210,
	205, 200, 196, 191, 186, 182, 177, 172, 168, 163, 158, 154, 149, 145, 140, 136,
	131, 127, 122, 118, 114, 109, 105, 101, 96, 92, 88, 83, 79, 75, 71, 67,
	62, 58, 54, 50, 46, 42, 38, 34, 30, 26, 22, 18, 14, 10, 6, 2,
}

// sessionLength draws Min + Exp(Mean−Min), cut at Max, to the millisecond
// (lenMeanMs is Mean−Min in whole milliseconds: ApplyProfile works it out
// once instead of at every session).
func (pr *profileRun) sessionLength() int64 {
	sl := &pr.p.SessionLength
	ms := pr.lenMeanMs * expMilli[pr.r.IntN(256)] / 1000
	return min(int64(sl.Min)+ms*int64(time.Millisecond), int64(sl.Max))
}

func (pr *profileRun) weekday(k int64) time.Weekday {
	w := (int64(pr.wd0) + k) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

func (pr *profileRun) awayOn(k int64) bool {
	switch pr.p.Places.AwayDays {
	case "daily":
		return true
	case "weekdays":
		wd := pr.weekday(k)
		return wd != time.Saturday && wd != time.Sunday
	}
	return false
}

// planDay adds local day k's actions: its waking period's sessions and app
// opens, its bedtime, its trips, its storage use.
func (pr *profileRun) planDay(k int64) {
	p := &pr.p
	base := pr.m0 + k*day
	wake := base + int64(p.Wake) + pr.jitter()
	sleepAt := base + int64(p.Sleep)
	if p.Sleep <= p.Wake {
		sleepAt += day
	}
	sleepAt += pr.jitter()
	if sleepAt <= wake {
		sleepAt = wake + int64(time.Hour)
	}

	pr.planPlaces(k, base, wake, sleepAt)
	pr.planSessions(wake, sleepAt)

	// Bedtime: decide then whether the phone charges until the next wake.
	if !p.Charging.Always && (p.Charging.OvernightPercent > 0 || p.Charging.TopUpBelow > 0) {
		nextWake := base + day + int64(p.Wake) + pr.jitter()
		if p.Sleep <= p.Wake {
			nextWake = base + day + int64(p.Wake)
		}
		bed := sleepAt - int64(sim.Between(pr.r, 0, 30*time.Minute))
		if nextWake > bed {
			pr.push(action{at: bed, kind: actBedtime, arg: nextWake})
		}
	}
	if r := p.StorageMiBPerDay; r.Max != 0 || r.Min != 0 {
		mib := int64(pr.intIn(r))
		at := wake + int64(sim.Between(pr.r, 0, time.Duration(sleepAt-wake)))
		pr.push(action{at: at, kind: actStorage, arg: mib << 20})
	}
}

func (pr *profileRun) planSessions(wake, sleepAt int64) {
	p := &pr.p
	n := pr.intIn(p.Sessions)
	if n <= 0 {
		return
	}
	starts := pr.starts[:0]
	starts = append(starts, wake) // the first look at the phone on waking
	if len(p.HourlyWeights) == 24 && pr.hourSegments(wake, sleepAt) {
		starts = pr.weightedStarts(starts, n-1)
	} else {
		for i := 1; i < n; i++ {
			starts = append(starts, wake+int64(sim.Between(pr.r, 0, time.Duration(sleepAt-wake))))
		}
		slices.Sort(starts)
	}
	pr.starts = starts
	// Which sessions open the app.
	opens := pr.intIn(p.AppOpens)
	pick, flags := slices.Grow(pr.pick[:0], n)[:n], slices.Grow(pr.opens[:0], n)[:n]
	for i := range n {
		pick[i], flags[i] = i, false
	}
	for i := 0; i < opens && i < n; i++ {
		j := i + pr.r.IntN(n-i)
		pick[i], pick[j] = pick[j], pick[i]
		flags[pick[i]] = true
	}
	pr.pick, pr.opens = pick, flags
	const gap = int64(5 * time.Second)
	end := int64(-1 << 62)
	for i, s := range starts {
		if s < end+gap {
			s = end + gap
		}
		if s >= sleepAt {
			break
		}
		end = s + pr.sessionLength()
		var open int64
		if flags[i] {
			open = 1
		}
		pr.push(action{at: s, kind: actScreenOn, arg: open})
		if flags[i] {
			in := s + int64(sim.Between(pr.r, time.Second, 5*time.Second))
			if in >= end {
				end = in + int64(time.Second)
			}
			out := min(in+pr.between(p.AppTime), end-int64(time.Millisecond))
			pr.push(action{at: in, kind: actAppOpen})
			pr.push(action{at: out, kind: actAppClose})
		}
		pr.push(action{at: end, kind: actScreenOff})
	}
}

// planPlaces adds the day's trips: to work and back on away days, outings
// otherwise. Each trip is cellular and moving on the way, the destination's
// network when there, and home Wi-Fi again on return.
func (pr *profileRun) planPlaces(k, base, wake, sleepAt int64) {
	pl := &pr.p.Places
	home := netCode(pl.Home)
	if pr.awayOn(k) {
		leave := base + int64(pl.Leave) + pr.jitter()
		ret := base + int64(pl.Return)
		if pl.Return < pl.Leave {
			ret += day
		}
		ret += pr.jitter()
		c1, c2 := pr.between(pl.Commute), pr.between(pl.Commute)
		arrive := leave + c1
		if ret <= arrive {
			ret = arrive + int64(time.Hour)
		}
		pr.trip(leave, arrive, netCode(pl.Work))
		pr.trip(ret, ret+c2, home)
		return
	}
	n := pr.intIn(pl.Outings)
	if n <= 0 {
		return
	}
	// One outing in each of n equal slots of the waking day (an hour in from
	// each end), so they never overlap.
	lo, hi := wake+int64(time.Hour), sleepAt-int64(time.Hour)
	if hi <= lo {
		return
	}
	slot := (hi - lo) / int64(n)
	for i := range n {
		s0 := lo + int64(i)*slot
		length := min(pr.between(pl.OutingLength), slot-int64(time.Minute))
		if length <= 0 {
			continue
		}
		out := s0 + int64(sim.Between(pr.r, 0, time.Duration(slot-length)))
		back := out + length
		walk := min(length/3, int64(10*time.Minute))
		pr.trip(out, out+walk, netCode(NetworkCellular))
		pr.trip(back-walk, back, home)
	}
}

// trip is travel from t0 to t1: cellular and moving, maybe through a dead
// zone, arriving on dest's network.
func (pr *profileRun) trip(t0, t1, dest int64) {
	pl := &pr.p.Places
	pr.push(action{at: t0, kind: actNet, arg: netCode(NetworkCellular)})
	pr.push(action{at: t0, kind: actMove, arg: 1})
	if span := t1 - t0; span > int64(2*time.Second) && pr.pct(pl.DeadZonePercent) {
		length := min(pr.between(pl.DeadZoneLength), span/2)
		at := t0 + 1 + int64(sim.Between(pr.r, 0, time.Duration(span-length-2)))
		pr.push(action{at: at, kind: actNet, arg: 0})
		pr.push(action{at: at + length, kind: actNet, arg: netCode(NetworkCellular)})
	}
	pr.push(action{at: t1, kind: actNet, arg: dest})
	pr.push(action{at: t1, kind: actMove, arg: 0})
}

func (pr *profileRun) plugFor(until int64) {
	pr.ids++
	pr.charge = pr.ids
	pr.d.SetCharger(pr.p.Charging.Charger)
	if until > 0 {
		pr.insert(action{at: until, kind: actUnplug, arg: pr.charge})
	}
}

// do performs one action on the device.
func (pr *profileRun) do(a action) {
	d := pr.d
	ch := &pr.p.Charging
	switch a.kind {
	case actPlan:
		// Drop the consumed actions before adding a day's: the plan then
		// holds about a day at a time and its array never needs to grow.
		if pr.head > 0 {
			n := copy(pr.acts, pr.acts[pr.head:])
			pr.acts, pr.head = pr.acts[:n], 0
		}
		k := int64(pr.next)
		pr.next++
		pr.planDay(k)
		if ch.Always {
			pr.plugFor(0)
		}
		pr.push(action{at: pr.m0 + int64(pr.next)*day, kind: actPlan})
		pr.sort()
	case actScreenOn:
		d.SetScreen(true)
		d.SetLocked(false)
		// A low battery during the day: the user may top it up.
		if !ch.Always && ch.TopUpBelow > 0 && !d.plugged() && d.level < ch.TopUpBelow && pr.pct(ch.TopUpPercent) {
			pr.plugFor(a.at + pr.between(ch.TopUpLength))
		}
	case actScreenOff:
		d.SetScreen(false)
	case actAppOpen:
		if d.st.ScreenOn {
			d.LaunchApp()
		}
	case actAppClose:
		d.BackgroundApp()
	case actBedtime:
		if d.sparse {
			d.sync() // no event kept the level current
		}
		lvl := d.level
		if pr.pct(ch.OvernightPercent) || (ch.TopUpBelow > 0 && lvl < ch.TopUpBelow) || lvl < 30 && ch.OvernightPercent > 0 {
			pr.plugFor(a.arg)
		}
	case actPlug:
		pr.plugFor(0)
	case actUnplug:
		if a.arg == pr.charge && !ch.Always {
			pr.charge = 0
			d.SetCharger(ChargerNone)
		}
	case actNet:
		d.SetNetwork(networkFor(a.arg))
	case actMove:
		d.SetMoving(a.arg == 1)
	case actStorage:
		d.UseStorage(a.arg)
	}
}

// hourSeg is the part of one local hour inside the waking period, with its
// share of the draw: the hour's weight × its overlap in seconds.
type hourSeg struct {
	from, to int64 // engine offsets
	cum      int64 // cumulative weight up to and including this segment
}

// hourSegments splits [wake, sleepAt) at local hour boundaries and weighs
// each piece. It reports false when no piece has any weight.
func (pr *profileRun) hourSegments(wake, sleepAt int64) bool {
	const hr = int64(time.Hour)
	segs := pr.segs[:0]
	var cum int64
	for from := wake; from < sleepAt; {
		local := (from - pr.m0) % day
		if local < 0 {
			local += day
		}
		h := local / hr
		to := min(from+(hr-local%hr), sleepAt)
		w := int64(pr.p.HourlyWeights[h]) * ((to - from) / int64(time.Second))
		if w > 0 {
			cum += w
			segs = append(segs, hourSeg{from: from, to: to, cum: cum})
		}
		from = to
	}
	pr.segs, pr.segSum = segs, cum
	if cum <= 0 {
		return false
	}
	// The guide table: guide[k] is the segment of the smallest draw in the
	// k-th of guideN equal parts of [0, cum), so no draw in that part falls
	// in an earlier segment (segmentOf).
	pr.gMul = 0
	if cum > guideN {
		pr.gMul, _ = bits.Div64(guideN, 0, uint64(cum))
	}
	i := 0
	for k := range guideN {
		lo := (int64(k)*cum + guideN - 1) / guideN // ⌈k·cum/guideN⌉
		for segs[i].cum <= lo && i < len(segs)-1 {
			i++
		}
		pr.guide[k] = uint8(i)
	}
	return true
}

// guideN is the number of parts of the guide table (a waking period has at
// most 32 segments, so uint8 indexes them).
const guideN = 64

// segmentOf is the first segment whose cumulative weight exceeds x (0 <= x
// < segSum): the segment a draw x falls in. The guide table gives a
// segment no later than it, for x's part of [0, segSum) computed with a
// multiplication that never rounds up (gMul is rounded down), and the walk
// from there is a step or two: the same answer as a search of every
// segment, at a fraction of its cost. TestSegmentOfIsTheSearch compares.
func (pr *profileRun) segmentOf(x int64) int {
	k, _ := bits.Mul64(uint64(x), pr.gMul)
	i := int(pr.guide[k])
	for pr.segs[i].cum <= x {
		i++
	}
	return i
}

// weightedStarts appends n session starts drawn from the day's hour
// segments to starts (which holds the wake time, before every segment) and
// sorts them. Each segment's draws lie in [from, to), below the next
// segment's, so the draws are bucketed by segment (a counting sort) and
// only each bucket's few draws need ordering: the same order a full sort
// gives, at a fraction of its cost.
func (pr *profileRun) weightedStarts(starts []int64, n int) []int64 {
	nseg := len(pr.segs)
	counts := pr.counts[:0]
	for range nseg + 1 {
		counts = append(counts, 0)
	}
	draws, segOf := slices.Grow(pr.draws[:0], n)[:n], slices.Grow(pr.segOf[:0], n)[:n]
	for k := range n {
		v, i := pr.weightedStart()
		draws[k], segOf[k] = v, int32(i)
		counts[i+1]++
	}
	for i := 1; i <= nseg; i++ {
		counts[i] += counts[i-1]
	}
	base := len(starts)
	starts = slices.Grow(starts, n)[:base+n]
	for k, v := range draws {
		i := segOf[k]
		starts[base+counts[i]] = v
		counts[i]++
	}
	// Insertion sort: with the draws bucketed, it only moves within buckets.
	for i := base + 1; i < len(starts); i++ {
		v := starts[i]
		j := i
		for j > base && starts[j-1] > v {
			starts[j] = starts[j-1]
			j--
		}
		starts[j] = v
	}
	pr.counts, pr.draws, pr.segOf = counts, draws, segOf
	return starts
}

// weightedStart draws a session start from the day's hour segments, and
// says which segment it fell in.
func (pr *profileRun) weightedStart() (int64, int) {
	x := pr.r.Int64N(pr.segSum)
	lo := pr.segmentOf(x)
	segs := pr.segs
	s := segs[lo]
	return s.from + int64(sim.Between(pr.r, 0, time.Duration(s.to-s.from-1))), lo
}
