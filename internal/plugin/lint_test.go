package plugin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The plugin core obeys DESIGN.md principle 1: no real clock, no goroutines
// or select, no global randomness (handlers run as kernel processes; waiting
// goes through the kernel).
func TestNoNondeterminismInCore(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"time.Now(", "time.Sleep(", "time.After(", "go func", "select {", "math/rand", ".AfterFunc(", ".Ticker(", ".WithTimeout("}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range forbidden {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s uses %q", f, bad)
			}
		}
	}
}
