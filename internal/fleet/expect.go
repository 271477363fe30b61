package fleet

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wmsim/wmsim/runner"
)

// MaxFailedListed is how many failing devices an expectation lists (those
// with the lowest indexes, so the list does not depend on sharding or jobs).
const MaxFailedListed = 5

// ExpectStats is one of the scenario's expectations over the fleet: on how
// many devices it was checked, on how many it held, and the first devices
// where it did not (replay one with `wmsim run --seed SEED --profile PROFILE`).
type ExpectStats struct {
	Expect  string `json:"expect"`
	Devices int64  `json:"devices"`
	Held    int64  `json:"held"`
	// Share is Held/Devices (1 when no device was checked), derived when written.
	Share  float64        `json:"share"`
	Failed []FailedDevice `json:"failed"`
}

// FailedDevice is a device on which an expectation did not hold.
type FailedDevice struct {
	Device  int    `json:"device"`
	Seed    uint64 `json:"seed"`
	Profile string `json:"profile"`
	Detail  string `json:"detail"`
}

// share is Held/Devices, 1 with no device.
func (e *ExpectStats) share() float64 {
	if e.Devices == 0 {
		return 1
	}
	return float64(e.Held) / float64(e.Devices)
}

// expectations folds the verdicts of the scenario's expect entries on
// device i (run with seed and profile) into acc.
func (acc *Summary) expectations(w *runner.World, i int, seed uint64, profile string) {
	if len(w.Scenario.Expect) == 0 {
		return
	}
	for k, v := range w.Verdicts() {
		for len(acc.Expectations) <= k {
			acc.Expectations = append(acc.Expectations, &ExpectStats{Failed: []FailedDevice{}})
		}
		e := acc.Expectations[k]
		e.Expect = v.Expect
		e.Devices++
		if v.OK {
			e.Held++
			continue
		}
		e.addFailed(FailedDevice{Device: i, Seed: seed, Profile: profile, Detail: v.Detail})
	}
}

// addFailed keeps the MaxFailedListed failing devices of lowest index.
func (e *ExpectStats) addFailed(f FailedDevice) {
	at, _ := slices.BinarySearchFunc(e.Failed, f.Device, func(a FailedDevice, d int) int { return a.Device - d })
	e.Failed = slices.Insert(e.Failed, at, f)
	if len(e.Failed) > MaxFailedListed {
		e.Failed = e.Failed[:MaxFailedListed]
	}
}

// mergeExpectations combines the expectation verdicts of two parts of a fleet.
func mergeExpectations(dst, src []*ExpectStats) ([]*ExpectStats, error) {
	if len(dst) == 0 {
		out := make([]*ExpectStats, 0, len(src))
		for _, e := range src {
			c := *e
			c.Failed = slices.Clone(e.Failed)
			out = append(out, &c)
		}
		return out, nil
	}
	if len(src) == 0 {
		return dst, nil
	}
	if len(src) != len(dst) {
		return nil, fmt.Errorf("%d expectations, not %d", len(src), len(dst))
	}
	for k, e := range src {
		d := dst[k]
		if d.Expect != e.Expect {
			return nil, fmt.Errorf("expectation %d is %q, not %q", k+1, e.Expect, d.Expect)
		}
		d.Devices += e.Devices
		d.Held += e.Held
		for _, f := range e.Failed {
			d.addFailed(f)
		}
	}
	return dst, nil
}

// BelowShare is the expectations that held on a smaller share of the
// devices than min (0..1).
func (s *Summary) BelowShare(min float64) []*ExpectStats {
	var out []*ExpectStats
	for _, e := range s.Expectations {
		if e.share() < min {
			out = append(out, e)
		}
	}
	return out
}

// writeExpectText prints the expectations' shares and first failing devices.
func writeExpectText(w io.Writer, s *Summary) {
	if len(s.Expectations) == 0 {
		return
	}
	fmt.Fprintln(w, "\nexpectations (share of devices where each held; replay a failing device with the command shown):")
	for _, e := range s.Expectations {
		fmt.Fprintf(w, "  %6.2f%%  %d of %d  %s\n", 100*e.share(), e.Held, e.Devices, e.Expect)
		for _, f := range e.Failed {
			fmt.Fprintf(w, "           device %d failed: %s\n", f.Device, f.Detail)
			fmt.Fprintf(w, "             wmsim run %s --platform %s --seed %d --profile %s%s\n", s.Scenario, s.Platform, f.Seed, f.Profile, daysFlag(s.Duration))
		}
	}
}

// daysFlag is the --days flag that gives a device the fleet's duration.
func daysFlag(duration string) string {
	if h, ok := strings.CutSuffix(duration, "h0m0s"); ok {
		var n int
		if _, err := fmt.Sscan(h, &n); err == nil && n%24 == 0 {
			return fmt.Sprintf(" --days %d", n/24)
		}
	}
	return ""
}
