package android

import "testing"

func TestCmpWM(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"2.9.0", "2.10.2", -1}, // numeric, not lexical
		{"2.11.2", "2.9.0", 1},
		{"2.9.0", "2.9.0", 0},
		{"2.10.0-alpha01", "2.10.0", -1},
	} {
		if got := cmpWM(c.a, c.b); got != c.want {
			t.Errorf("cmpWM(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if got := greedyFor("2.8.1"); got.freshJobOnStop {
		t.Errorf("2.8.1 has registerRescheduling; it came with 2.9.0")
	}
	if got := greedyFor("2.10.2"); !got.freshJobOnStop || got.timeLimit == 0 {
		t.Errorf("2.10.2 lacks the 2.9.0 row: %+v", got)
	}
}
