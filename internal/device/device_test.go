package device

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/invopop/jsonschema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRebootKeepsStoresLosesTheRest(t *testing.T) {
	r := newRig(nil)
	prefs := r.dev.Store("app.shared_preferences")
	prefs.Set("callback_handle", int64(42))
	r.dev.LaunchApp()
	r.dev.SetCPUBusy(2)
	require.Equal(t, ProcessForeground, r.dev.State().App)
	launches := len(r.dev.Launches())
	charge := r.dev.State().Battery.ChargeUAh
	r.reset()

	r.dev.Reboot(90 * time.Second)
	st := r.dev.State()
	assert.Equal(t, PowerOff, st.Power)
	assert.Equal(t, ProcessNotRunning, st.App, "the process is lost")
	assert.False(t, st.ScreenOn)
	assert.True(t, st.Locked)
	assert.Equal(t, 0, r.dev.Busy(), "running tasks are lost")
	assert.Equal(t, int64(0), r.dev.Current(), "off and unplugged: no current")
	// Ignored while off.
	r.dev.LaunchApp()
	r.dev.SetScreen(true)
	assert.False(t, r.dev.StartProcess())
	assert.Equal(t, ProcessNotRunning, r.dev.State().App)

	require.NoError(t, r.eng.RunFor(90*time.Second))
	assert.Equal(t, []ChangeKind{ChangePowerOff, ChangeBootCompleted}, r.kinds())
	boot, _ := r.first(ChangeBootCompleted)
	off, _ := r.first(ChangePowerOff)
	assert.Equal(t, t0, off.At)
	assert.Equal(t, t0.Add(90*time.Second), boot.At, "boot completes exactly the downtime later")
	assert.Equal(t, PowerOn, r.dev.State().Power)
	assert.Equal(t, ProcessNotRunning, r.dev.State().App)
	v, ok := r.dev.Store("app.shared_preferences").Get("callback_handle")
	assert.True(t, ok)
	assert.Equal(t, int64(42), v, "persistent stores survive")
	assert.Len(t, r.dev.Launches(), launches, "the launch history survives")
	assert.Equal(t, charge, r.dev.State().Battery.ChargeUAh, "no drain while off")
	// Rebooting an off device does nothing; a force-stopped app stays stopped.
	r.dev.ForceStopApp()
	r.dev.Reboot(time.Minute)
	require.NoError(t, r.eng.RunFor(time.Hour))
	assert.Equal(t, ProcessForceStopped, r.dev.State().App)
}

// StorageManager.getStorageLowBytes: min(5 % of total, 500 MiB); low when
// usable ≤ that (DeviceStorageMonitorService), ok as soon as it is above.
func TestStorageLowThreshold(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		name  string
		total int64
		limit int64
	}{
		{"64 GiB: the 500 MiB cap", 64 << 30, 500 * mib},
		{"16 GiB: 5 % is 819.2 MiB, capped", 16 << 30, 500 * mib},
		{"8 GiB: 5 % = 409.6 MiB", 8 << 30, (8 << 30) * 5 / 100},
		{"10000 MiB: 5 % = exactly 500 MiB", 10000 * mib, 500 * mib},
		{"1 GiB: 5 %", 1 << 30, (1 << 30) * 5 / 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(func(c *Config) { c.Initial.Storage = Storage{Free: tc.total / 2, Total: tc.total} })
			assert.Equal(t, tc.limit, r.dev.StorageLowBytes())
			r.dev.SetStorage(Storage{Free: tc.limit + 1, Total: tc.total})
			assert.False(t, r.dev.State().StorageLow)
			r.reset()
			r.dev.SetStorage(Storage{Free: tc.limit, Total: tc.total})
			assert.True(t, r.dev.State().StorageLow)
			assert.Equal(t, []ChangeKind{ChangeStorage, ChangeStorageLow}, r.kinds())
			r.reset()
			r.dev.UseStorage(-1)
			assert.False(t, r.dev.State().StorageLow)
			assert.Equal(t, []ChangeKind{ChangeStorage, ChangeStorageOK}, r.kinds())
		})
	}
}

func TestInitialDerivedSignals(t *testing.T) {
	r := newRig(func(c *Config) {
		c.Initial.Battery.ChargeUAh = 400_000 // 10 %
		c.Initial.Storage = Storage{Free: 100 << 20, Total: 64 << 30}
	})
	st := r.dev.State()
	assert.True(t, st.BatteryLow)
	assert.True(t, st.StorageLow)
	assert.Empty(t, r.changes, "initial state is not a change")
}

func TestConfigValidate(t *testing.T) {
	good := Config{Initial: DefaultState()}
	require.NoError(t, good.Validate())
	cases := map[string]func(*Config){
		"battery capacity": func(c *Config) { c.Initial.Battery.CapacityMAh = 0 },
		"battery charge":   func(c *Config) { c.Initial.Battery.ChargeUAh = -1 },
		"storage":          func(c *Config) { c.Initial.Storage.Free = c.Initial.Storage.Total + 1 },
		"battery_okay":     func(c *Config) { c.Thresholds = Thresholds{BatteryLowPercent: 20, BatteryOkayPercent: 20} },
	}
	for want, mod := range cases {
		c := good
		mod(&c)
		err := c.Validate()
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
		// New corrects rather than panics.
		assert.NotPanics(t, func() { New(newRig(nil).eng, c).State() })
	}
}

func TestScreenOffSendsAppToBackgroundAndRunsTail(t *testing.T) {
	r := newRig(nil)
	r.dev.LaunchApp()
	assert.Equal(t, []ChangeKind{ChangeScreen, ChangeLock, ChangeAppLaunched}, r.kinds())
	r.reset()
	r.dev.SetScreen(false)
	assert.Equal(t, []ChangeKind{ChangeAppBackground, ChangeScreen}, r.kinds())
	// Tail: 50 mA + Wi-Fi active 60 mA for 5 minutes, then the 10 mA floor.
	assert.Equal(t, int64(-(8_000 + 50_000 + 60_000)), r.dev.Current())
	require.NoError(t, r.eng.RunFor(5*time.Minute))
	assert.Equal(t, int64(-10_000), r.dev.Current())
}

func TestListenersInSubscriptionOrder(t *testing.T) {
	r := newRig(nil)
	var order []string
	r.dev.Subscribe(ListenerFunc(func(c *Change) { order = append(order, "a:"+string(c.Kind)) }))
	r.dev.Subscribe(ListenerFunc(func(c *Change) { order = append(order, "b:"+string(c.Kind)) }))
	r.dev.SetBatteryLevel(15)
	assert.Equal(t, []string{"a:battery.level", "b:battery.level", "a:battery.low", "b:battery.low"}, order)
}

// A listener that changes the device from inside DeviceChanged gets a nested
// change; the Change the other listeners then see is still the outer one.
func TestNestedChangeLeavesTheOuterChangeIntact(t *testing.T) {
	r := newRig(nil)
	r.dev.SetScreen(false) // off and locked
	var seen []string
	r.dev.Subscribe(ListenerFunc(func(c *Change) {
		if c.Kind == ChangeScreen && c.State.Locked {
			r.dev.SetLocked(false) // the user unlocks as the screen comes on
		}
	}))
	r.dev.Subscribe(ListenerFunc(func(c *Change) {
		seen = append(seen, fmt.Sprintf("%s screen=%v locked=%v", c.Kind, c.State.ScreenOn, c.State.Locked))
	}))
	r.dev.SetScreen(true)
	// The nested lock change reaches the second listener first, then the
	// screen change with the state it was emitted with.
	assert.Equal(t, []string{"lock screen=true locked=false", "screen screen=true locked=true"}, seen)
}

// A state change at the very instant a percent boundary is reached reports
// the level step first (device physics before the world's change).
func TestLevelStepAtTheSameInstantAsAChange(t *testing.T) {
	r := newRig(nil)
	r.dev.SetBatteryLevel(16)
	r.reset()
	at := t0.Add(time.Duration(20_000*uAns/10_000 + 1))
	require.NoError(t, r.eng.RunUntil(at.Add(-1)))
	assert.Empty(t, r.changes)
	r.eng.RunFor(1)
	require.NotEmpty(t, r.changes)
	r.reset()
	// Now a change mid-band and the next step is still exact.
	r.dev.SetScreen(true)
	require.NoError(t, r.eng.RunFor(time.Hour))
	lvl, ok := r.first(ChangeBatteryLevel)
	require.True(t, ok)
	assert.Equal(t, 14, lvl.State.Battery.Level())
}

func TestProcessLifecycle(t *testing.T) {
	r := newRig(nil)
	assert.False(t, r.dev.SuspendProcess(), "nothing to suspend")
	assert.True(t, r.dev.StartProcess())
	assert.False(t, r.dev.StartProcess(), "already running")
	assert.True(t, r.dev.SuspendProcess())
	assert.Equal(t, ProcessSuspended, r.dev.State().App)
	assert.True(t, r.dev.StartProcess(), "a suspended app is resumed in the background")
	r.dev.KillProcess()
	assert.Equal(t, ProcessNotRunning, r.dev.State().App)
	r.dev.LaunchApp()
	r.dev.SwipeAwayApp()
	assert.Equal(t, ProcessSwipedAway, r.dev.State().App)
	r.dev.ForceStopApp()
	assert.False(t, r.dev.StartProcess(), "force-stopped: the OS starts nothing")
	r.dev.UpdateApp()
	assert.Equal(t, ProcessNotRunning, r.dev.State().App)
	assert.Len(t, r.dev.Launches(), 1)
	assert.Equal(t, []ChangeKind{ChangeProcessStarted, ChangeAppSuspended, ChangeProcessStarted, ChangeProcessDied,
		ChangeScreen, ChangeLock, ChangeAppLaunched, ChangeAppSwipedAway, ChangeAppForceStop, ChangeAppUpdated}, r.kinds())
}

func TestProfileJSONSchema(t *testing.T) {
	s := jsonschema.Reflect(&Profile{})
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(b), "a local time of day, HH:MM")
	assert.Contains(t, string(b), "hourly_weights")
}
