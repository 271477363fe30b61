// Package golden is the module's one golden-file helper: tests compare their
// output with a file under testdata/, and `go test ./PKG -update` rewrites the
// files instead.
//
// Every package's tests use it, so there is one -update flag and one message
// for a difference. (Datadriven files are rewritten by
// cockroachdb/datadriven's own -rewrite flag.)
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// update is registered once, here, for every test binary that uses the helper.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing with them")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// T is the part of testing.TB that Check needs.
type T interface {
	Helper()
	Name() string
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Check compares got with the file at path (relative to the package's
// directory, conventionally under testdata/). Under -update it writes got
// there instead, creating directories as needed.
func Check(t T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("golden: %v", err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden: %v (run the test with -update to create it)", err)
		return
	}
	if d := Diff(want, got); d != "" {
		t.Errorf("%s differs from its golden file (-want +got; rerun with -update and review git diff):\n%s", path, d)
	}
}

// CheckString is Check for text.
func CheckString(t T, path, got string) {
	t.Helper()
	Check(t, path, []byte(got))
}

// Diff returns the first differing lines of want and got with a few lines of
// context, or "" when they are equal.
func Diff(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	wl := strings.SplitAfter(string(want), "\n")
	gl := strings.SplitAfter(string(got), "\n")
	i := 0
	for i < len(wl) && i < len(gl) && wl[i] == gl[i] {
		i++
	}
	var b strings.Builder
	from := max(0, i-3)
	fmt.Fprintf(&b, "@@ line %d @@\n", i+1)
	for j := from; j < i; j++ {
		b.WriteString("  " + strings.TrimSuffix(wl[j], "\n") + "\n")
	}
	for j := i; j < min(len(wl), i+10); j++ {
		b.WriteString("- " + strings.TrimSuffix(wl[j], "\n") + "\n")
	}
	for j := i; j < min(len(gl), i+10); j++ {
		b.WriteString("+ " + strings.TrimSuffix(gl[j], "\n") + "\n")
	}
	if len(wl) != len(gl) {
		fmt.Fprintf(&b, "(%d lines wanted, %d got)\n", len(wl), len(gl))
	}
	return b.String()
}
