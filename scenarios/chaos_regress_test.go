package scenarios

import (
	"strings"
	"testing"
)

// Regression tests for problems found by the chaos and hostile-input work
// (issue 10).

// An alias inside the value it names is reported as a cycle, not as an
// alias bomb.
func TestAliasCycleNamed(t *testing.T) {
	for _, src := range []string{"x: &x [*x]\n", "x: &x {a: [1, *x]}\n"} {
		_, err := Parse("self.yaml", []byte("version: 1\nname: a\nduration: 1d\n"+src))
		if err == nil || !strings.Contains(err.Error(), "refers to itself") {
			t.Errorf("%q: want a cycle diagnostic, got %v", src, err)
		}
	}
}
