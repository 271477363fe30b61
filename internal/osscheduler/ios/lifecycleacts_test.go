package ios

import (
	"fmt"
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/device"
)

// TestLifecycleChangedActsOnlyWhenItSays: DeviceChanged skips
// lifecycleChanged when lifecycleActs says it could do nothing. For every
// class, process state, charger, Low Power Mode and assertion state where
// lifecycleActs is false, lifecycleChanged must leave the model as it was.
func TestLifecycleChangedActsOnlyWhenItSays(t *testing.T) {
	classes := []changeClass{classNone, classBattery, classSwiped, classPowerOff, classProcessStarted,
		classPass, classCharger, classNetwork, classLaunched, classBackground}
	apps := []device.Process{device.ProcessNotRunning, device.ProcessForeground, device.ProcessBackground,
		device.ProcessSuspended, device.ProcessForceStopped, device.ProcessSwipedAway}
	skipped := 0
	for _, cl := range classes {
		for _, app := range apps {
			for _, charger := range []device.Charger{device.ChargerNone, device.ChargerAC} {
				for _, lowPower := range []bool{false, true} {
					for _, assertion := range []bool{false, true} {
						e := newEnv(t, 1, testConfig(), nil)
						m := e.m
						if assertion {
							m.assertions = map[string]int{"work": 1}
						}
						e.eng.RunFor(time.Minute)
						c := &device.Change{At: e.eng.Now(), State: e.dev.State()}
						c.Prev = c.State
						c.State.App, c.State.Charger, c.State.LowPower = app, charger, lowPower
						if m.lifecycleActs(c, cl) {
							continue
						}
						skipped++
						before := fmt.Sprintf("%v %v %v %v %v %v %v", m.backgroundSince, m.suspendTimer, m.lpmTimer,
							m.assertions, m.checkGen, m.checkFolded, e.eng.Len())
						m.lifecycleChanged(c, cl)
						after := fmt.Sprintf("%v %v %v %v %v %v %v", m.backgroundSince, m.suspendTimer, m.lpmTimer,
							m.assertions, m.checkGen, m.checkFolded, e.eng.Len())
						if before != after {
							t.Errorf("class %d, app %s, charger %s, low power %v, assertion %v: lifecycleActs is false but lifecycleChanged changed the model:\n before %s\n after  %s",
								cl, app, charger, lowPower, assertion, before, after)
						}
					}
				}
			}
		}
	}
	if skipped == 0 {
		t.Fatal("no case where lifecycleActs is false")
	}
}
