package device

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

// TestCachedLevelMatchesCharge checks the invariant the hot paths rely on:
// outside checkBattery, Device.level is Battery.Level() of the charge. It
// runs every built-in profile for two weeks with a listener that pokes the
// device back (as the OS models do) and checks at every change and after
// every event.
func TestCachedLevelMatchesCharge(t *testing.T) {
	for _, name := range ProfileNames() {
		p, _ := BuiltinProfile(name)
		eng := sim.New(t0.Add(5*time.Hour+17*time.Minute), 7)
		d := New(eng, Config{Initial: DefaultState()})
		check := func(where string) {
			if want := d.st.Battery.Level(); d.level != want {
				t.Fatalf("%s: %s at %s: cached level %d, charge says %d", name, where, eng.Now(), d.level, want)
			}
		}
		d.Subscribe(ListenerFunc(func(c *Change) {
			if c.Kind != ChangeBatteryLevel {
				check(string(c.Kind))
			}
			switch c.Kind {
			case ChangeScreen:
				d.SetCPUBusy(1)
			case ChangeLock:
				d.SetCPUBusy(-1)
				if d.State().Battery.Level()%7 == 0 {
					d.SetBatteryLevel(d.level - 1)
				}
			}
		}))
		end := eng.Start().Add(14 * 24 * time.Hour)
		if err := d.ApplyProfile(p, end); err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			ok, err := eng.Step()
			if err != nil {
				t.Fatal(err)
			}
			if !ok || eng.Now().After(end) {
				break
			}
			check("after an event")
			n++
		}
		t.Logf("%s: %d events", name, n)
	}
}
