package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/fuzzedit"
)

// maxFuzzPatch bounds the bytes FuzzParse changes. Minimising a new input
// tries on the order of n² smaller candidates, so with whole catalogue files
// (up to a few KiB) as inputs every new input held a fuzz worker for the
// whole minimisation budget and the fuzzer ran at a few executions a second.
// An input is therefore an edit of a catalogue file (or a file of its own of
// at most this size): executions and minimisations stay short, and the size
// limits of large files are tested by the catalogue (testdata/bad).
const maxFuzzPatch = 48

// FuzzParse feeds edited scenario files to Parse: it must not panic, must
// finish quickly, and every error must be a *LoadError whose diagnostics all
// carry a position inside the file. The input replaces cut bytes at offset
// at of a base file (the good and bad catalogue files and the scenario
// library, and generated worlds from wmsim chaos in testdata/chaos) with
// patch, or is patch alone when base names no file (255 in the committed
// corpus).
func FuzzParse(f *testing.F) {
	var bases [][]byte
	for _, dir := range []string{"testdata/good", "testdata/bad", "testdata/chaos", "library"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			if strings.Contains(file, "deep-nesting") || strings.Contains(file, "alias-bomb") {
				continue // kept small below
			}
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(len(bases)), uint16(0), uint8(0), []byte{})
			bases = append(bases, b)
		}
	}
	const none uint8 = 255
	if len(bases) >= int(none) {
		f.Fatalf("%d base files: more than a uint8 names", len(bases))
	}
	f.Add(none, uint16(0), uint8(0), []byte("a: &a [*a]\n"))
	f.Add(none, uint16(0), uint8(0), []byte("version: 1\nname: x\nduration: 1d\n<<: {seed: 3}\n"))
	f.Fuzz(func(t *testing.T, base uint8, at uint16, cut uint8, patch []byte) {
		if len(patch) > maxFuzzPatch {
			t.Skip()
		}
		src := fuzzedit.Input(bases, base, at, cut, patch)
		// Wall-clock watchdog (test only): a hang fails the input instead
		// of stalling the fuzzer.
		type result struct {
			s   *Scenario
			err error
		}
		done := make(chan result, 1)
		go func() {
			s, err := Parse("fuzz.yaml", src)
			done <- result{s, err}
		}()
		var s *Scenario
		var err error
		select {
		case r := <-done:
			s, err = r.s, r.err
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse hangs on %q", src)
		}
		if err == nil {
			if s == nil {
				t.Fatal("nil scenario without error")
			}
			if s.Version != 1 || s.Duration <= 0 || s.Duration > MaxDuration || s.Name == "" {
				t.Fatalf("accepted an invalid scenario: %+v", s)
			}
			return
		}
		var le *LoadError
		if !errors.As(err, &le) {
			t.Fatalf("error %T is not a *LoadError: %v", err, err)
		}
		if len(le.Diagnostics) == 0 {
			t.Fatal("LoadError without diagnostics")
		}
		lines := len(splitLines(src))
		for _, d := range le.Diagnostics {
			if d.Line < 1 || d.Column < 1 || d.Line > lines+1 {
				t.Fatalf("diagnostic without a valid position (file has %d lines): %+v", lines, d)
			}
			if strings.HasPrefix(d.Message, "internal error") {
				t.Fatalf("recovered panic: %+v", d)
			}
			if d.Message == "" || d.Valid == "" {
				t.Fatalf("diagnostic without a message or valid values: %+v", d)
			}
		}
		_ = le.Error()
	})
}
