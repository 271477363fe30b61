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

// iOS 19..25 do not exist; the loader said nothing and the iOS model
// silently ran iOS 17 (found by wmsim chaos).
func TestIOSVersionGap(t *testing.T) {
	for v, ok := range map[string]bool{"18": true, "19": false, "22": false, "25": false, "26": true} {
		_, err := Parse("v.yaml", []byte("version: 1\nname: a\nduration: 1d\nplatform: ios\nios: { version: "+v+" }\n"))
		if ok && err != nil {
			t.Errorf("ios.version %s: %v", v, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "does not exist")) {
			t.Errorf("ios.version %s: want a diagnostic, got %v", v, err)
		}
	}
}
