package android

import "testing"

// TestReusedIdleUntilChangesNothing: a light-Doze step's fold reusing the
// passIdleUntil answer of the step's own changed gives the same states,
// runs, deferrals and events as computing it again.
func TestReusedIdleUntilChangesNothing(t *testing.T) {
	requireShortcutChangesNothing(t, func(on bool) { reuseIdleUntil = on })
}
