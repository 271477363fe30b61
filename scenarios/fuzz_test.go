package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic, must finish
// quickly, and every error must be a *LoadError whose diagnostics all carry
// a position inside the file. Seeds are the good and bad catalogue files
// and the scenario library.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/good", "testdata/bad", "library"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			if strings.Contains(file, "deep-nesting") || strings.Contains(file, "alias-bomb") {
				continue // kept small below
			}
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("version: 1\nname: x\nduration: 1d\n<<: {seed: 3}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
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
