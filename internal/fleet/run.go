package fleet

import (
	"context"
	"errors"
	"fmt"
	"github.com/wmsim/wmsim/internal/event"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
	"github.com/wmsim/wmsim/runner"
	"github.com/wmsim/wmsim/scenarios"
)

// Shard is a deterministic slice of a fleet: devices
// [Index·N/Count, (Index+1)·N/Count). Index counts from 0, as a Kubernetes
// Indexed Job's JOB_COMPLETION_INDEX does. The zero Shard is the whole fleet.
type Shard struct{ Index, Count int }

// ParseShard reads "i/n" (0 ≤ i < n).
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 0/4 … 3/4", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Range is the device indexes [lo, hi) of the shard in a fleet of n.
func (s Shard) Range(n int) (lo, hi int) {
	if s.Count <= 1 {
		return 0, n
	}
	return int(int64(s.Index) * int64(n) / int64(s.Count)), int(int64(s.Index+1) * int64(n) / int64(s.Count))
}

// ParseMix reads "office-worker=50,light-user=30": built-in profile names
// with positive whole weights, in the order given (the order is part of the
// fleet's identity: it decides which device gets which profile).
func ParseMix(s string) ([]MixEntry, error) {
	var out []MixEntry
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		weight, err := strconv.Atoi(w)
		if !ok || err != nil || weight <= 0 || name == "" {
			return nil, fmt.Errorf("mix entry %q: want profile=weight with a whole weight > 0, e.g. office-worker=50", part)
		}
		if _, ok := device.BuiltinProfile(name); !ok {
			return nil, fmt.Errorf("mix entry %q: unknown profile %q; valid: %s", part, name, strings.Join(device.ProfileNames(), ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("mix: profile %q listed twice", name)
		}
		seen[name] = true
		out = append(out, MixEntry{Profile: name, Weight: weight})
	}
	return out, nil
}

// Options configure a fleet run.
type Options struct {
	// Devices is the size of the fleet (≥ 1).
	Devices int
	// Days is how long each device lives; 0 keeps the scenario's duration.
	Days int
	// Mix is the profiles devices are drawn from; nil uses the scenario's
	// device.profile (or office-worker when it names none).
	Mix []MixEntry
	// Platform is android or ios; "" is the scenario's first platform.
	Platform string
	// Seed replaces the scenario's seed as the fleet's root seed.
	Seed *uint64
	// Jobs is how many devices run at once; 0 is GOMAXPROCS. The summary
	// does not depend on it.
	Jobs int
	// Shard runs a slice of the fleet (see Merge).
	Shard Shard
	// Context stops the run early: devices already started finish, no more
	// start, and the summary says Interrupted.
	Context context.Context
	// Limits replace sim.DefaultLimits for each device (the horizon is
	// always the fleet's duration).
	Limits *sim.Limits
	// Progress, if set, is called after each device with the number of
	// devices finished so far (from the workers' goroutines, one at a time).
	Progress func(done int)
}

// plan is a validated fleet: everything a device run needs.
type plan struct {
	sc       *scenarios.Scenario
	platform scenarios.Platform
	seed     uint64
	duration time.Duration
	mix      []MixEntry
	total    int
	devices  int
	limits   *sim.Limits
}

func newPlan(sc *scenarios.Scenario, o Options) (*plan, error) {
	if sc == nil {
		return nil, errors.New("no scenario")
	}
	if o.Devices < 1 {
		return nil, fmt.Errorf("devices: %d; a fleet needs at least one device", o.Devices)
	}
	if o.Days < 0 || o.Days > 3660 {
		return nil, fmt.Errorf("days: %d; want 1 to 3660 (0 keeps the scenario's duration)", o.Days)
	}
	if o.Shard.Count > 0 && (o.Shard.Index < 0 || o.Shard.Index >= o.Shard.Count) {
		return nil, fmt.Errorf("shard %d/%d: want 0 <= i < n", o.Shard.Index, o.Shard.Count)
	}
	p := &plan{sc: sc, seed: sc.Seed, duration: sc.Duration, devices: o.Devices, limits: o.Limits}
	if o.Seed != nil {
		p.seed = *o.Seed
	}
	if o.Days > 0 {
		p.duration = time.Duration(o.Days) * 24 * time.Hour
	}
	if p.duration <= 0 {
		return nil, fmt.Errorf("%s: the scenario has no duration; give --days", sc.File)
	}
	switch {
	case o.Platform == "android" || o.Platform == "ios":
		p.platform = scenarios.Platform(o.Platform)
	case o.Platform != "":
		return nil, fmt.Errorf("platform %q; valid: android, ios", o.Platform)
	case len(sc.Platform) > 0:
		p.platform = sc.Platform[0]
	default:
		p.platform = scenarios.PlatformAndroid
	}
	p.mix = o.Mix
	if len(p.mix) == 0 {
		name := "office-worker"
		if sc.Device.Profile != nil {
			name = *sc.Device.Profile
		}
		p.mix = []MixEntry{{Profile: name, Weight: 1}}
	}
	for _, m := range p.mix {
		if _, ok := device.BuiltinProfile(m.Profile); !ok {
			return nil, fmt.Errorf("unknown profile %q; valid: %s", m.Profile, strings.Join(device.ProfileNames(), ", "))
		}
		if m.Weight <= 0 {
			return nil, fmt.Errorf("profile %s: weight %d; want > 0", m.Profile, m.Weight)
		}
		p.total += m.Weight
	}
	return p, nil
}

// Device seeds and profile draws are children of the fleet's root seed by
// device index alone, so a device is the same device in any shard, any job.
const (
	seedStream    = "fleet.device"
	profileStream = "fleet.profile"
)

// DeviceSeed is the seed device i of a fleet with root seed runs with.
func DeviceSeed(seed uint64, i int) uint64 { return sim.DeriveSeed(seed, seedStream, uint64(i)) }

func (p *plan) profileOf(i int) string {
	x := sim.DeriveSeed(p.seed, profileStream, uint64(i)) % uint64(p.total)
	for _, m := range p.mix {
		if x < uint64(m.Weight) {
			return m.Profile
		}
		x -= uint64(m.Weight)
	}
	return p.mix[len(p.mix)-1].Profile
}

// Run simulates the scenario on every device of the fleet (or of
// opts.Shard's slice of it) and returns their metrics. Each device i runs
// the scenario's app and timeline with seed DeviceSeed(seed, i) and a
// profile drawn from the mix by i, keeps no trace, and is released as soon
// as its metrics are folded in, so memory does not grow with the fleet.
func Run(sc *scenarios.Scenario, opts Options) (*Summary, error) {
	p, err := newPlan(sc, opts)
	if err != nil {
		return nil, err
	}
	lo, hi := opts.Shard.Range(opts.Devices)
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = max(1, min(jobs, hi-lo))
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}

	var (
		next     atomic.Int64
		done     atomic.Int64
		progress sync.Mutex
		errMu    sync.Mutex
		firstErr error
		errAt    = hi
		wg       sync.WaitGroup
	)
	next.Store(int64(lo))
	parts := make([]*Summary, jobs)
	for j := range jobs {
		acc := p.newSummary()
		parts[j] = acc
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= hi {
					return
				}
				if err := p.runDeviceSafe(i, acc); err != nil {
					errMu.Lock()
					if i < errAt { // report the lowest failing device, whatever the scheduling
						firstErr, errAt = err, i
					}
					errMu.Unlock()
					return
				}
				n := int(done.Add(1))
				if opts.Progress != nil {
					progress.Lock()
					opts.Progress(n)
					progress.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("device %d: %w", errAt, firstErr)
	}
	out, err := Merge(parts...)
	if err != nil {
		return nil, err
	}
	out.Ranges = [][2]int{{lo, hi}}
	if lo == hi {
		out.Ranges = [][2]int{}
	}
	out.Interrupted = out.Completed < hi-lo
	if opts.Shard.Count > 1 {
		out.Shard = &ShardInfo{Index: opts.Shard.Index, Count: opts.Shard.Count}
	}
	return out, nil
}

func (p *plan) newSummary() *Summary {
	return &Summary{Format: Format, Scenario: p.sc.Name, Platform: string(p.platform), Seed: p.seed,
		Devices: p.devices, Duration: p.duration.String(), Mix: p.mix, Ranges: [][2]int{}, All: newGroup("*"), Profiles: []*Group{}, Expectations: []*ExpectStats{}}
}

// day is one day, the unit of runs per day.
const day = 24 * time.Hour

// taskAcc is one task's numbers on one device.
type taskAcc struct {
	key         string
	runs, succ  int64
	lastSuccess time.Duration
	hadSuccess  bool
	chargeUAms  int64 // µA·ms, converted to µAh once at the end
	blocked     []reasonTotal
	// stats are the task's entries in the groups the device counts in (all
	// devices, its profile's): a run's delay and gap go straight into their
	// distributions, which do not depend on the order of their samples.
	stats [2]*TaskStats
}

// runDevice simulates device i and folds its metrics into acc.
func (p *plan) runDevice(i int, acc *Summary) error {
	seed := DeviceSeed(p.seed, i)
	profile := p.profileOf(i)
	sink := newBlockSink()
	limits := sim.DefaultLimits
	if p.limits != nil {
		limits = *p.limits
	}
	limits.Horizon = 0 // the world stops at the scenario's end
	w, err := runner.NewWorld(p.sc, p.platform, runner.RunOptions{
		Seed: &seed, Limits: &limits, NoTrace: true,
		Profile: profile, Duration: p.duration,
	})
	if err != nil {
		return err
	}
	// Nothing here reads the battery's whole-percent steps (no trace, no
	// listener of them): the battery fires only where its level matters.
	w.Device.SetSparseBattery(true)
	// Nor a run's why_then: only expectations read the runs, and none of
	// them reads it.
	if im := w.Plugin.IOS(); im != nil {
		im.OmitRunReasons()
	}
	// A Watch, not a Sink: tracing stays off, so no reason is formatted.
	// Of a start or a cancellation it reads only the instant and the
	// subject: the models leave those records' fields out.
	w.Engine.Watch(deferSink{sink}, event.Deferred)
	w.Engine.WatchBare(closeSink{sink}, event.Started, event.Cancelled)
	limited := false
	if err := w.Engine.RunUntil(p.sc.Start.Add(p.duration)); err != nil {
		var le *sim.LimitError
		if !errors.As(err, &le) {
			return err
		}
		limited = true
	}
	now := w.Engine.Elapsed()
	sink.finish(now)

	groups := [2]*Group{acc.All, acc.profile(profile)}
	var tasks []*taskAcc
	get := func(key string) *taskAcc {
		for _, t := range tasks {
			if t.key == key {
				return t
			}
		}
		t := &taskAcc{key: key, stats: [2]*TaskStats{groups[0].task(key), groups[1].task(key)}}
		tasks = append(tasks, t)
		return t
	}
	var infos []osscheduler.TaskInfo
	if am := w.Plugin.Android(); am != nil {
		infos = am.Tasks()
	} else if im := w.Plugin.IOS(); im != nil {
		infos = im.Tasks()
	}
	for _, ti := range infos {
		get(taskKey(ti.Unique, ti.Task))
	}
	taskUA := w.Device.Currents().TaskUA
	for _, r := range w.Journal.All() {
		t := get(taskKey(r.Unique, r.Task))
		t.runs++
		end := r.End
		if end < 0 {
			end = now
		}
		t.chargeUAms += taskUA * int64(end-r.Start) / int64(time.Millisecond) // µA·ms
		delay := int64((r.Start - r.Eligible) / time.Millisecond)
		t.stats[0].DelayMs.Add(delay)
		t.stats[1].DelayMs.Add(delay)
		if r.Outcome == osscheduler.OutcomeSuccess {
			t.succ++
			if t.hadSuccess {
				gap := int64((r.Start - t.lastSuccess) / time.Millisecond)
				t.stats[0].SuccessGapMs.Add(gap)
				t.stats[1].SuccessGapMs.Add(gap)
			}
			t.hadSuccess, t.lastSuccess = true, r.Start
		}
	}
	for _, sp := range sink.order {
		if len(sp.totals) > 0 {
			get(sp.subject).blocked = sp.totals
		}
	}
	on, off := w.Device.Used()
	acc.expectations(w, i, seed, profile)

	acc.Completed++
	if limited {
		acc.Limited++
	}
	for gi, g := range groups {
		g.Devices++
		g.DeviceUsedUAh.Add(on + off)
		var app int64
		for _, t := range tasks {
			uAh := t.chargeUAms / 3_600_000 // µA·ms → µAh
			app += uAh
			ts := t.stats[gi]
			ts.Devices++
			ts.Runs += t.runs
			ts.Successes += t.succ
			ts.RunsPerDayMilli.Add(t.runs * 1000 * int64(day/time.Millisecond) / int64(p.duration/time.Millisecond))
			ts.SuccessesPerDevice.Add(t.succ)
			ts.BatteryUAh.Add(uAh)
			for _, b := range t.blocked {
				ts.block(b.reason).PerDeviceMs.Add(int64(b.total / time.Millisecond))
			}
		}
		g.AppBatteryUAh.Add(app)
	}
	return nil
}

func taskKey(unique, task string) string {
	if unique != "" {
		return unique
	}
	return task
}
