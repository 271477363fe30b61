package chaos

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/wmsim/wmsim/scenarios"
)

// TestChaos runs 500 generated worlds (fewer with -short) and
// fails with the seed and the shrunk scenario file of any that breaks a
// rule. Reproduce one with: go run ./cmd/wmsim chaos --seed SEED --runs 1.
func TestChaos(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 100
	}
	s := Run(1, n, Options{})
	t.Logf("%d scenarios, %d platform runs, %d invariant checks, exit codes %v", s.Scenarios, s.PlatformRuns, s.Checks, s.ExitCodes)
	if s.Scenarios != n || s.Checks == 0 {
		t.Fatalf("ran %d of %d scenarios, %d checks", s.Scenarios, n, s.Checks)
	}
	for _, f := range s.Failures {
		t.Errorf("%s", Describe(f))
	}
}

// TestGenerateDeterministic: a seed always gives the same file.
func TestGenerateDeterministic(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		a, b := Generate(seed, GenConfig{}).Render(), Generate(seed, GenConfig{}).Render()
		if !bytes.Equal(a, b) {
			t.Fatalf("seed %d: two generations differ", seed)
		}
	}
	if bytes.Equal(Generate(1, GenConfig{}).Render(), Generate(2, GenConfig{}).Render()) {
		t.Fatal("seeds 1 and 2 give the same scenario")
	}
}

// TestGeneratedFilesLoad: every generated file passes the real loader (a
// rejection is a generator or loader bug), and the generator covers both
// platforms, both plugin versions and every step action.
func TestGeneratedFilesLoad(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(0); seed < 500; seed++ {
		src := Generate(seed, GenConfig{}).Render()
		sc, err := scenarios.Parse(FileName(seed), src)
		if err != nil {
			t.Fatalf("seed %d: the loader rejects a generated file:\n%v\n%s", seed, err, src)
		}
		for _, p := range sc.Platform {
			seen["platform "+string(p)]++
		}
		seen["plugin "+string(sc.Plugin.Version)]++
		for _, st := range sc.Timeline {
			seen["action "+string(st.Action())]++
			if st.At.Clock {
				seen["clock-time at"]++
			}
			if st.Every > 0 {
				seen["every"]++
			}
			if st.Call != "" {
				seen["call "+string(st.Call)]++
			}
		}
	}
	for _, want := range []string{"platform android", "platform ios", "plugin 0.5", "plugin 0.10",
		"action call", "action channel", "action device", "action reboot", "action app", "action os",
		"call initialize", "call registerOneOffTask", "call registerPeriodicTask", "call registerProcessingTask",
		"call registerHealthResearchTask", "call registerContinuedProcessingTask", "call cancelByUniqueName",
		"call cancelByTag", "call cancelAll", "clock-time at", "every", "call isScheduledByUniqueName", "call printScheduledTasks", "call getWorkInfo"} {
		if seen[want] == 0 {
			t.Errorf("500 generated scenarios never include %s", want)
		}
	}
}

// TestShrinkKeepsFailure: shrinking a scenario that fails a check keeps the
// failure and drops what does not matter. A scenario that runs past its
// wall-clock limit stands in for a failure here.
func TestShrinkKeepsFailure(t *testing.T) {
	g := Generate(7, GenConfig{})
	// A finding every run has: the load check of a file made invalid by a
	// step that references a name no call registers.
	g.Steps = append(g.Steps, Step{At: 0, Text: "  - at: 0s\n    call: cancelByUniqueName\n    args: { uniqueName: keep-me }\n"})
	g.Expect = append(g.Expect, "  - unique: keep-me\n    state: enqueued\n")
	v := Check("x.yaml", g.Render(), CheckOptions{NoDeterminism: true})
	if !v.Failed() || v.Findings[0].Check != CheckLoad {
		t.Fatalf("expected a load finding, got %v", v.Findings)
	}
	m, mv := Shrink(g, CheckOptions{NoDeterminism: true}, checkKey(v.Findings[0]))
	if !mv.Failed() || len(m.Steps) != 0 || len(m.Expect) != 1 {
		t.Fatalf("shrunk to %d steps, %d expect entries (want 0 and 1):\n%s", len(m.Steps), len(m.Expect), m.Render())
	}
	if !strings.Contains(string(m.Render()), "keep-me") {
		t.Fatal("the failing entry was dropped")
	}
}

func ExampleGenerate() {
	src := Generate(42, GenConfig{MaxDuration: 6 * scenarios.Day / 24}).Render()
	v := Check(FileName(42), src, CheckOptions{})
	fmt.Println(v.Failed(), v.PlatformRuns > 0, v.Checks > 0)
	// Output: false true true
}

// FuzzChaos lets the fuzzer choose seeds: every generated world must pass
// every check. CI runs it for a short budget like the other fuzz targets.
func FuzzChaos(f *testing.F) {
	for _, s := range []uint64{0, 1, 2071, 1 << 40} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		g := Generate(seed, GenConfig{MaxDuration: scenarios.Day})
		if v := Check(FileName(seed), g.Render(), CheckOptions{}); v.Failed() {
			m, mv := Shrink(g, CheckOptions{}, checkKey(v.Findings[0]))
			t.Fatal(Describe(Failure{Seed: seed, Findings: v.Findings, Minimal: m.Render(), MinimalFindings: mv.Findings, Steps: len(m.Steps), Expect: len(m.Expect)}))
		}
	})
}

// TestLibraryPassesChaosChecks: the built-in scenarios obey every rule the
// generated worlds are held to (their own expectations are not judged here).
func TestLibraryPassesChaosChecks(t *testing.T) {
	lib := scenarios.Library()
	if len(lib) == 0 {
		t.Fatal("empty library")
	}
	for _, e := range lib {
		src, ok := scenarios.LibrarySource(e.Name)
		if !ok {
			t.Fatalf("%s: no source", e.Name)
		}
		v := Check(e.Name+".yaml", src, CheckOptions{})
		for _, f := range v.Findings {
			t.Errorf("%s: %s", e.Name, f)
		}
	}
}
