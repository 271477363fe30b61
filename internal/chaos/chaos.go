package chaos

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// Options configure Run.
type Options struct {
	Gen   GenConfig
	Check CheckOptions
	// NoShrink reports failures without shrinking them.
	NoShrink bool
	// Progress, if set, is called after each scenario.
	Progress func(i int, seed uint64, v *Verdict)
}

// Failure is one generated scenario that broke a rule, shrunk.
type Failure struct {
	Seed     uint64
	Findings []Finding // of the original scenario
	// Minimal is the smallest scenario file found that still fails the
	// same check; MinimalFindings are its findings.
	Minimal         []byte
	MinimalFindings []Finding
	// Steps and Expect count what the minimal file kept.
	Steps, Expect int
}

// Summary is the outcome of Run.
type Summary struct {
	FirstSeed    uint64
	Scenarios    int
	PlatformRuns int
	Checks       int
	ByCheck      map[string]int
	// ExitCodes counts `wmsim run` exit codes of the generated scenarios.
	ExitCodes map[int]int
	Failures  []Failure
}

// SeedFor is the seed of the i-th scenario of a run started at seed: seeds
// are consecutive, so `--seed S+i --runs 1` reproduces the i-th.
func SeedFor(seed uint64, i int) uint64 { return seed + uint64(i) }

// Run generates and checks n scenarios from seed.
func Run(seed uint64, n int, o Options) *Summary {
	s := &Summary{FirstSeed: seed, ExitCodes: map[int]int{}, ByCheck: map[string]int{}}
	for i := 0; i < n; i++ {
		sd := SeedFor(seed, i)
		g := Generate(sd, o.Gen)
		src := g.Render()
		v := Check(fileName(sd), src, o.Check)
		s.Scenarios++
		s.PlatformRuns += v.PlatformRuns
		s.Checks += v.Checks
		for k, n := range v.ByCheck {
			s.ByCheck[k] += n
		}
		s.ExitCodes[v.ExitCode]++
		if v.Failed() {
			f := Failure{Seed: sd, Findings: v.Findings, Minimal: src, MinimalFindings: v.Findings, Steps: len(g.Steps), Expect: len(g.Expect)}
			if !o.NoShrink {
				m, mv := Shrink(g, o.Check, checkKey(v.Findings[0]))
				f.Minimal, f.MinimalFindings, f.Steps, f.Expect = m.Render(), mv.Findings, len(m.Steps), len(m.Expect)
			}
			s.Failures = append(s.Failures, f)
		}
		if o.Progress != nil {
			o.Progress(i, sd, v)
		}
	}
	return s
}

func fileName(seed uint64) string { return fmt.Sprintf("chaos-%d.yaml", seed) }

// FileName is the name a failing scenario is written under.
func FileName(seed uint64) string { return fileName(seed) }

// checkKey identifies a failure for shrinking: the check and platform.
func checkKey(f Finding) string { return f.Check + "|" + f.Platform }

// Shrink drops timeline steps and expect entries one at a time, keeping each
// drop while the scenario still fails with the same check (key), until no
// single drop keeps it failing. It returns the minimal scenario and its
// verdict.
func Shrink(s *Scenario, opts CheckOptions, key string) (*Scenario, *Verdict) {
	still := func(c *Scenario) *Verdict {
		v := Check(fileName(c.Seed), c.Render(), opts)
		for _, f := range v.Findings {
			if checkKey(f) == key {
				return v
			}
		}
		return nil
	}
	best := s
	bestV := still(s)
	if bestV == nil {
		// Flaky: the failure did not reproduce. Keep the original.
		return s, Check(fileName(s.Seed), s.Render(), opts)
	}
	for changed := true; changed; {
		changed = false
		for i := len(best.Steps) + len(best.Expect) - 1; i >= 0; i-- {
			c := best.without(i)
			if v := still(c); v != nil {
				best, bestV, changed = c, v, true
			}
		}
	}
	return best, bestV
}

// Checks lists the check names findings may carry, sorted.
func Checks() []string {
	out := []string{CheckLoad, CheckSetup, CheckLimit, CheckDeterminism, CheckConservation, CheckRegistration,
		CheckAfterCancel, CheckMonotonic, CheckPeriodFloor, CheckBackoff, CheckIOSBudget, CheckIOSPending,
		CheckPersistence, CheckErrorShape, CheckRunnerInvariant, CheckStoppedApp}
	sort.Strings(out)
	return out
}

// Describe formats a failure for a person: the seed, the findings (at most
// ten), the command that reproduces it, and the minimal scenario file.
func Describe(f Failure) string {
	var b strings.Builder
	fmt.Fprintf(&b, "chaos seed %d failed:\n", f.Seed)
	for i, x := range f.MinimalFindings {
		if i == 10 {
			fmt.Fprintf(&b, "  … and %d more\n", len(f.MinimalFindings)-10)
			break
		}
		fmt.Fprintf(&b, "  %s\n", x)
	}
	fmt.Fprintf(&b, "reproduce: wmsim chaos --seed %d --runs 1, or save the file below and: wmsim chaos FILE\n", f.Seed)
	fmt.Fprintf(&b, "minimal scenario (%d timeline steps, %d expect entries):\n%s", f.Steps, f.Expect, f.Minimal)
	return b.String()
}
