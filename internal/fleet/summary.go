package fleet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Format is the format id of the fleet summary document.
const Format = "wmsim.fleet/v1"

// MixEntry is one profile of a fleet's mix and its relative weight.
type MixEntry struct {
	Profile string `json:"profile"`
	Weight  int    `json:"weight"`
}

// Summary is the result of a fleet run, or of a shard of one, or of several
// shards merged: every number in it is an exact count or sum, or a mergeable
// Dist, so merging the summaries of the shards of a fleet gives exactly the
// summary of the unsharded fleet. It marshals as the wmsim.fleet/v1 JSON
// document and reads back with Unmarshal.
type Summary struct {
	Format   string     `json:"format"`
	Scenario string     `json:"scenario"`
	Platform string     `json:"platform"`
	Seed     uint64     `json:"seed"`
	Devices  int        `json:"devices"`  // size of the whole fleet
	Duration string     `json:"duration"` // virtual time each device lives (Go duration)
	Mix      []MixEntry `json:"mix"`
	// Ranges are the device indexes [lo, hi) this summary was asked to run,
	// ascending and coalesced: [[0, devices]] for a whole fleet.
	Ranges [][2]int `json:"ranges"`
	// Completed is how many devices finished and are counted below; fewer
	// than the ranges hold when the run was interrupted.
	Completed   int  `json:"completed"`
	Interrupted bool `json:"interrupted,omitempty"`
	// Limited counts devices whose run stopped at a safety limit (their
	// metrics up to that point are included).
	Limited int `json:"limited"`
	// All is every completed device; Profiles the same per usage profile,
	// sorted by name.
	All      *Group   `json:"all"`
	Profiles []*Group `json:"profiles"`
	// Shard is set on the summary of one shard (--shard i/n), nil otherwise.
	Shard *ShardInfo `json:"shard,omitempty"`
	// Expectations are the scenario's expect entries checked on every
	// device, in the scenario's order.
	Expectations []*ExpectStats `json:"expectations"`
	// Digest is the SHA-256 of the document as written (with an empty
	// digest); Unmarshal refuses a document that does not match it.
	Digest string `json:"digest"`
}

// Group is the metrics of a set of devices (all, or one profile's).
type Group struct {
	Profile string `json:"profile"` // "*" for all devices
	Devices int64  `json:"devices"`
	// AppBatteryUAh is, per device, the charge the app's background tasks
	// drew (µAh); DeviceUsedUAh the charge the whole device used.
	AppBatteryUAh Dist `json:"app_battery_uah"`
	DeviceUsedUAh Dist `json:"device_used_uah"`
	// Tasks are sorted by key.
	Tasks []*TaskStats `json:"tasks"`
}

// TaskStats is the metrics of one task (a unique name; a task name when the
// work has none) over the devices that registered or ran it.
type TaskStats struct {
	Task      string `json:"task"`
	Devices   int64  `json:"devices"`
	Runs      int64  `json:"runs"`
	Successes int64  `json:"successes"`
	// Per device: runs per day in thousandths, successful runs.
	RunsPerDayMilli    Dist `json:"runs_per_day_milli"`
	SuccessesPerDevice Dist `json:"successes_per_device"`
	// Per gap, all devices pooled: milliseconds between the starts of two
	// consecutive successful runs on one device.
	SuccessGapMs Dist `json:"success_gap_ms"`
	// Per run, pooled: milliseconds from when the run was due (eligible, as
	// the OS knew it) to its start.
	DelayMs Dist `json:"delay_ms"`
	// Per device: charge drawn by this task's runs, µAh.
	BatteryUAh Dist `json:"battery_uah"`
	// Blocked is the time the task waited, per reason, sorted by reason.
	Blocked []*BlockStats `json:"blocked"`
}

// BlockStats is the time a task spent deferred for one reason. PerDeviceMs
// holds the devices where the task was blocked for that reason at all; the
// quantiles P50…P99 are over every device of the task (zero for the others).
type BlockStats struct {
	Reason      string `json:"reason"`
	PerDeviceMs Dist   `json:"per_device_ms"`
	// Over all Devices of the task, derived when written.
	P50 int64 `json:"p50_all_ms"`
	P90 int64 `json:"p90_all_ms"`
	P99 int64 `json:"p99_all_ms"`
}

// QuantileAll is the q-quantile of the blocked time over n devices, those
// not in PerDeviceMs counting as zero.
func (b *BlockStats) QuantileAll(n int64, q float64) int64 {
	d := &b.PerDeviceMs
	zeros := n - d.Count()
	if zeros <= 0 {
		return d.Quantile(q)
	}
	if q >= 1 {
		return d.Max()
	}
	rank := int64(q * float64(n))
	if float64(rank) < q*float64(n) {
		rank++
	}
	if rank <= zeros {
		return 0
	}
	// The (rank−zeros)-th smallest blocked device.
	return d.Quantile(float64(rank-zeros) / float64(d.Count()))
}

func newGroup(profile string) *Group { return &Group{Profile: profile, Tasks: []*TaskStats{}} }

func (g *Group) task(key string) *TaskStats {
	i, ok := slices.BinarySearchFunc(g.Tasks, key, func(t *TaskStats, k string) int { return strings.Compare(t.Task, k) })
	if !ok {
		g.Tasks = slices.Insert(g.Tasks, i, &TaskStats{Task: key, Blocked: []*BlockStats{}})
	}
	return g.Tasks[i]
}

func (t *TaskStats) block(reason string) *BlockStats {
	i, ok := slices.BinarySearchFunc(t.Blocked, reason, func(b *BlockStats, k string) int { return strings.Compare(b.Reason, k) })
	if !ok {
		t.Blocked = slices.Insert(t.Blocked, i, &BlockStats{Reason: reason})
	}
	return t.Blocked[i]
}

func (g *Group) merge(o *Group) {
	g.Devices += o.Devices
	g.AppBatteryUAh.Merge(&o.AppBatteryUAh)
	g.DeviceUsedUAh.Merge(&o.DeviceUsedUAh)
	for _, ot := range o.Tasks {
		t := g.task(ot.Task)
		t.Devices += ot.Devices
		t.Runs += ot.Runs
		t.Successes += ot.Successes
		t.RunsPerDayMilli.Merge(&ot.RunsPerDayMilli)
		t.SuccessesPerDevice.Merge(&ot.SuccessesPerDevice)
		t.SuccessGapMs.Merge(&ot.SuccessGapMs)
		t.DelayMs.Merge(&ot.DelayMs)
		t.BatteryUAh.Merge(&ot.BatteryUAh)
		for _, ob := range ot.Blocked {
			t.block(ob.Reason).PerDeviceMs.Merge(&ob.PerDeviceMs)
		}
	}
}

func (s *Summary) profile(name string) *Group {
	i, ok := slices.BinarySearchFunc(s.Profiles, name, func(g *Group, k string) int { return strings.Compare(g.Profile, k) })
	if !ok {
		s.Profiles = slices.Insert(s.Profiles, i, newGroup(name))
	}
	return s.Profiles[i]
}

// sameFleet reports why o is not a part of the same fleet as s, or nil.
func (s *Summary) sameFleet(o *Summary) error {
	switch {
	case o.Format != s.Format:
		return fmt.Errorf("format %q, not %q", o.Format, s.Format)
	case o.Scenario != s.Scenario:
		return fmt.Errorf("scenario %q, not %q", o.Scenario, s.Scenario)
	case o.Platform != s.Platform:
		return fmt.Errorf("platform %q, not %q", o.Platform, s.Platform)
	case o.Seed != s.Seed:
		return fmt.Errorf("seed %d, not %d", o.Seed, s.Seed)
	case o.Devices != s.Devices:
		return fmt.Errorf("a fleet of %d devices, not %d", o.Devices, s.Devices)
	case o.Duration != s.Duration:
		return fmt.Errorf("duration %s, not %s", o.Duration, s.Duration)
	case !slices.Equal(o.Mix, s.Mix):
		return fmt.Errorf("mix %v, not %v", o.Mix, s.Mix)
	}
	return nil
}

// Merge combines summaries of disjoint parts of one fleet (the shards of a
// run, in any order) into the summary of their union. It fails when the
// parts are of different fleets (scenario, platform, seed, size, duration or
// mix differ) or overlap.
func Merge(parts ...*Summary) (*Summary, error) {
	if len(parts) == 0 {
		return nil, errors.New("nothing to merge")
	}
	first := parts[0]
	out := &Summary{Format: first.Format, Scenario: first.Scenario, Platform: first.Platform, Seed: first.Seed,
		Devices: first.Devices, Duration: first.Duration, Mix: slices.Clone(first.Mix), All: newGroup("*"), Profiles: []*Group{}}
	if err := checkShards(parts); err != nil {
		return nil, err
	}
	for i, p := range parts {
		if err := first.sameFleet(p); err != nil {
			return nil, fmt.Errorf("part %d is not of the same fleet as part 1: %v", i+1, err)
		}
		var err error
		if out.Expectations, err = mergeExpectations(out.Expectations, p.Expectations); err != nil {
			return nil, fmt.Errorf("part %d is not of the same scenario as part 1: %v", i+1, err)
		}
		out.Ranges = append(out.Ranges, p.Ranges...)
		out.Completed += p.Completed
		out.Limited += p.Limited
		out.Interrupted = out.Interrupted || p.Interrupted
		if p.All != nil {
			out.All.merge(p.All)
		}
		for _, g := range p.Profiles {
			out.profile(g.Profile).merge(g)
		}
	}
	rs, err := coalesce(out.Ranges)
	if err != nil {
		return nil, err
	}
	out.Ranges = rs
	return out, nil
}

// coalesce sorts ranges, drops empty ones and joins adjacent ones; ranges
// that overlap are an error (the same devices counted twice).
func coalesce(in [][2]int) ([][2]int, error) {
	rs := slices.Clone(in)
	rs = slices.DeleteFunc(rs, func(r [2]int) bool { return r[1] <= r[0] })
	slices.SortFunc(rs, func(a, b [2]int) int { return a[0] - b[0] })
	out := [][2]int{}
	for _, r := range rs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if r[0] < last[1] {
				return nil, fmt.Errorf("device ranges [%d, %d) and [%d, %d) overlap: the same devices would be counted twice", last[0], last[1], r[0], r[1])
			}
			if r[0] == last[1] {
				last[1] = r[1]
				continue
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Missing is the device ranges of the fleet that no part of s covers.
func (s *Summary) Missing() [][2]int {
	var out [][2]int
	at := 0
	for _, r := range s.Ranges {
		if r[0] > at {
			out = append(out, [2]int{at, r[0]})
		}
		at = r[1]
	}
	if at < s.Devices {
		out = append(out, [2]int{at, s.Devices})
	}
	return out
}

// Marshal writes the summary as indented JSON with a final newline. The
// output is a function of the summary's counts alone: byte-identical for
// identical fleets however they were split or scheduled.
func Marshal(s *Summary) ([]byte, error) {
	fill := func(g *Group) {
		for _, t := range g.Tasks {
			for _, b := range t.Blocked {
				b.P50, b.P90, b.P99 = b.QuantileAll(t.Devices, 0.5), b.QuantileAll(t.Devices, 0.9), b.QuantileAll(t.Devices, 0.99)
			}
		}
	}
	if s.All != nil {
		fill(s.All)
	}
	for _, g := range s.Profiles {
		fill(g)
	}
	if s.Expectations == nil {
		s.Expectations = []*ExpectStats{}
	}
	for _, e := range s.Expectations {
		e.Share = e.share()
	}
	s.Digest = ""
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	b := seal(buf.Bytes())
	if m := digestValue.FindSubmatch(b); m != nil {
		s.Digest = string(m[1])
	}
	return b, nil
}

// Unmarshal reads a wmsim.fleet/v1 document.
func Unmarshal(b []byte) (*Summary, error) {
	if !bytes.Contains(b, []byte(Format)) {
		// Say what the document is before checking its digest.
		var probe struct {
			Format string `json:"format"`
		}
		if json.Unmarshal(b, &probe) == nil {
			return nil, fmt.Errorf("not a fleet summary: format %q, want %q", probe.Format, Format)
		}
	}
	if err := verify(b); err != nil {
		return nil, err
	}
	var s Summary
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	if s.Format != Format {
		return nil, fmt.Errorf("not a fleet summary: format %q, want %q", s.Format, Format)
	}
	if s.All == nil {
		return nil, errors.New("fleet summary has no \"all\" group")
	}
	if s.Profiles == nil {
		s.Profiles = []*Group{}
	}
	if s.Expectations == nil {
		s.Expectations = []*ExpectStats{}
	}
	for _, e := range s.Expectations {
		if e == nil || e.Held < 0 || e.Held > e.Devices {
			return nil, errors.New("fleet summary has an expectation with impossible counts")
		}
		if e.Failed == nil {
			e.Failed = []FailedDevice{}
		}
	}
	for _, g := range append([]*Group{s.All}, s.Profiles...) {
		if g == nil {
			return nil, errors.New("fleet summary has a null group")
		}
		if g.Tasks == nil {
			g.Tasks = []*TaskStats{}
		}
		for _, t := range g.Tasks {
			if t == nil {
				return nil, errors.New("fleet summary has a null task")
			}
			if t.Blocked == nil {
				t.Blocked = []*BlockStats{}
			}
		}
		slices.SortFunc(g.Tasks, func(a, b *TaskStats) int { return strings.Compare(a.Task, b.Task) })
	}
	slices.SortFunc(s.Profiles, func(a, b *Group) int { return strings.Compare(a.Profile, b.Profile) })
	rs, err := coalesce(s.Ranges)
	if err != nil {
		return nil, err
	}
	s.Ranges = rs
	return &s, nil
}
