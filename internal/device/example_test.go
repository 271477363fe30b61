package device_test

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/sim"
)

// A phone at 16 % with its screen on drains 368 mA (screen 300 + Wi-Fi
// active 60 + floor 8): the battery-low broadcast comes the first
// nanosecond the charge is below 15 %.
func ExampleDevice_Subscribe() {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	eng := sim.New(start, 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	dev.SetBatteryLevel(16)
	dev.SetScreen(true)
	dev.Subscribe(device.ListenerFunc(func(c *device.Change) {
		fmt.Printf("%s %s battery %d%%\n", sim.FormatOffset(c.At.Sub(start)), c.Kind, c.State.Battery.Level())
	}))
	_ = eng.RunFor(10 * time.Minute)
	// Output:
	// 00:03:15.652 battery.level battery 15%
	// 00:03:15.652 battery.low battery 15%
	// 00:09:46.956 battery.level battery 14%
}

// A month of an office worker's phone, summarised.
func ExampleDevice_ApplyProfile() {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	eng := sim.New(start, 42)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	stats := device.NewStats(dev)
	p, _ := device.BuiltinProfile("office-worker")
	end := start.Add(30 * 24 * time.Hour)
	if err := dev.ApplyProfile(p, end); err != nil {
		fmt.Println(err)
		return
	}
	_ = eng.RunUntil(end)
	var sessions, launches, charged int
	var wifi, cell time.Duration
	for _, d := range stats.Days(end) {
		sessions += d.Interactions
		launches += d.AppLaunches
		wifi += d.WiFi
		cell += d.Cellular
		if d.Charging > 0 {
			charged++
		}
	}
	fmt.Printf("sessions/day %d, app opens/day %d, days charged %d/30, wifi share %d%%\n",
		sessions/30, launches/30, charged, int64(wifi)*100/int64(wifi+cell))
	// Output:
	// sessions/day 59, app opens/day 2, days charged 30/30, wifi share 94%
}

func ExampleBuiltinProfile() {
	p, ok := device.BuiltinProfile("office-worker")
	fmt.Println(ok, p.Wake, p.Sleep, p.AppOpens.Min, p.AppOpens.Max)
	fmt.Println(device.ProfileNames())
	// Output:
	// true 07:00 23:00 2 4
	// [always-on-charger heavy-user idle-shelf light-user night-shift office-worker]
}

// StateView reads the present state, battery settled to this instant,
// without copying it: what an OS model does at every pass. Ten minutes of
// screen-on drain at 368 mA take 61.3 mAh, 1.53 % of 4,000 mAh, off 50 %.
func ExampleDevice_StateView() {
	eng := sim.New(time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC), 1)
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	dev.SetBatteryLevel(50)
	dev.SetScreen(true)
	_ = eng.RunFor(10 * time.Minute)
	st := dev.StateView()
	fmt.Println(st.Battery.Level(), st.ScreenOn, st.Plugged())
	// Output:
	// 48 true false
}

// With sparse battery events the same drain reports battery low at the
// same nanosecond, without the whole-percent steps on the way: from 60 %
// on the screen-off floor and idle Wi-Fi (10 mA) the battery fires once,
// at 15 %, instead of 45 times: 1,780,000 µAh (60.5 % to 16 % of 4000 mAh)
// at 10 mA is 178 h.
func ExampleDevice_SetSparseBattery() {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for _, sparse := range []bool{false, true} {
		eng := sim.New(start, 1)
		dev := device.New(eng, device.Config{Initial: device.DefaultState()})
		dev.SetBatteryLevel(60)
		dev.SetSparseBattery(sparse)
		steps := 0
		dev.Subscribe(device.ListenerFunc(func(c *device.Change) {
			switch c.Kind {
			case device.ChangeBatteryLevel:
				steps++
			case device.ChangeBatteryLow:
				fmt.Printf("sparse %v: battery low at +%s after %d level reports, %d events\n",
					sparse, sim.FormatOffset(c.At.Sub(start)), steps, eng.Fired())
			}
		}))
		_ = eng.RunFor(10 * 24 * time.Hour)
	}
	// Output:
	// sparse false: battery low at +7d10:00:00 after 45 level reports, 45 events
	// sparse true: battery low at +7d10:00:00 after 0 level reports, 1 events
}
