package android

import (
	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// The OEM layer's timers.
const (
	oemScreenOff  = iota // since the screen went off
	oemBackground        // since the app left the foreground
	oemUnused            // since the app was last opened
	oemDeepSleep         // the same, second stage
	oemTimers
)

var oemTimerNames = [oemTimers]string{"android.oem.screen_off", "android.oem.background", "android.oem.unused", "android.oem.deep_sleep"}

type oemHandler struct {
	m *Model
	i int
}

func (h oemHandler) Fire(*sim.Engine) { h.m.oemFire(h.i) }

const srcOEM = event.SourceAndroidOEM

func (m *Model) oemRule(i int) *OEMRule {
	r := &m.oem.Rules
	return [oemTimers]*OEMRule{r.ScreenOff, r.Background, r.Unused, r.DeepSleep}[i]
}

func (m *Model) oemAutostart() bool { return m.oem.Rules.Autostart.Enabled }

func (m *Model) oemInit() {
	// The vendor's default per-app battery setting, read by every pass
	// (policyBlock, greedyAwake): compared once here (the profile does not
	// change in a run).
	bo := m.oem.Rules.BatteryOptimization
	m.oemRestricted = bo != nil && bo.Default == "restricted"
	for i := range m.oemH {
		m.oemH[i] = oemHandler{m, i}
		m.oemActs[i] = m.oemRule(i).effect() != EffectNone
	}
	m.oemArm(oemUnused)
	m.oemArm(oemDeepSleep)
}

// oemArm starts timer i afresh (if its rule does something: a rule that
// does nothing never has its timer queued, so there is nothing to cancel).
func (m *Model) oemArm(i int) {
	if !m.oemActs[i] {
		return
	}
	m.eng.Cancel(m.oemT[i])
	m.oemT[i] = m.eng.After(m.oemRule(i).After, sim.PhaseOS, oemTimerNames[i], m.oemH[i])
}

// oemDevice follows the device for the OEM rules' timers.
func (m *Model) oemDevice(c *device.Change) {
	switch c.Kind {
	case device.ChangePowerOff:
		m.eng.Cancel(m.oemT[oemScreenOff])
	case device.ChangeScreen:
		m.oemScreen(c.State.ScreenOn)
	case device.ChangeAppBackground:
		m.oemArm(oemBackground)
	}
}

// oemScreen follows the screen for the screen-off rule's timer. Without a
// screen-off rule (AOSP and most vendors) its timer is never queued: there
// is nothing to cancel or start.
func (m *Model) oemScreen(on bool) {
	if !m.oemActs[oemScreenOff] {
		return
	}
	if on {
		m.eng.Cancel(m.oemT[oemScreenOff])
	} else if !m.oemT[oemScreenOff].Pending() {
		m.oemArm(oemScreenOff)
	}
}

// oemLaunched: the user opened the app: the unused clocks restart, a
// sleeping app wakes.
func (m *Model) oemLaunched() {
	m.eng.Cancel(m.oemT[oemBackground])
	m.oemArm(oemUnused)
	m.oemArm(oemDeepSleep)
	if m.oemSlept {
		m.oemSlept = false
		m.SetStandbyBucket(m.cfg.StandbyBucket)
	}
}

func (m *Model) oemSwiped() {
	switch e := m.oem.Rules.SwipeAway.effect(); e {
	case EffectForceStop:
		m.forceStop("app swiped away (" + m.oem.Name + ": clearing it from recents force-stops it)")
	case EffectKill:
		// The process is gone already (swiped away); the jobs stay.
		m.emitOEM("kill", m.oem.Name+": app swiped away: process killed, jobs kept")
	}
}

// oemFire applies rule i's effect, unless the app is in the foreground (the
// vendors' cleaners spare the app the user is using).
func (m *Model) oemFire(i int) {
	r := m.oemRule(i)
	if m.powerOff || m.st.App == device.ProcessForeground {
		return
	}
	if i == oemScreenOff && m.st.ScreenOn {
		return
	}
	why := m.oem.Name + ": " + [oemTimers]string{"screen off for ", "in the background for ", "not opened for ", "not opened for "}[i] + r.After.String()
	switch r.Effect {
	case EffectKill:
		if processAlive(m.st.App) {
			m.emitOEM("kill", why+": process killed")
			m.dev.KillProcess()
		}
	case EffectForceStop:
		if !m.forceStopped {
			m.emitOEM("force_stop", why+": app force-stopped")
			m.dev.ForceStopApp()
		}
	case EffectRestrictedBucket:
		if !m.oemSlept {
			m.oemSlept = true
			m.emitOEM("sleep", why+": app put to sleep (restricted standby bucket)")
			m.SetStandbyBucket("restricted")
		}
	case EffectDeepSleep:
		if !m.forceStopped {
			m.emitOEM("deep_sleep", why+": app in deep sleep, runs nothing in the background until opened")
			m.forceStop(why + ": deep sleep")
		}
	}
}

func (m *Model) emitOEM(kind, why string) {
	if m.eng.Tracing() {
		m.eng.Emit(srcOEM, event.Kind(kind), "app", why, sim.String("oem", m.oem.Name))
	}
}
