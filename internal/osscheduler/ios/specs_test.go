package ios

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

const day = 24 * time.Hour

// startState records the device state when each run started.
func recordStartStates(e *env) *[]device.State {
	var states []device.State
	prev := e.exec.onStart
	e.exec.onStart = func(x *osscheduler.Execution) {
		states = append(states, e.dev.State())
		if prev != nil {
			prev(x)
		}
	}
	return &states
}

func gateDeferrals(e *env, gate string) []sim.Record {
	return e.rec.Filter(func(r *sim.Record) bool {
		f, ok := r.Field("gate")
		return r.Kind == event.Deferred && ok && f.Str == gate
	})
}

var _ = Describe("Low Power Mode", func() {
	// "Background App Refresh is disabled automatically" in Low Power Mode
	// (UIApplication.backgroundRefreshStatus docs); _DASLowPowerModePolicy
	// enforces it when unplugged or below 30 %.
	It("blocks refresh while unplugged, and turns itself off when charged to 80 %", func() {
		e := newEnv(nil, 7, testConfig(), func(s *device.State) { s.LowPower = true })
		states := recordStartStates(e)
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 10, charge: true, inForeground: submit}, 10)
		Expect(e.eng.RunFor(10 * day)).To(Succeed())

		for i, x := range e.exec.started {
			if x.Kind != osscheduler.Periodic {
				continue
			}
			st := (*states)[i]
			Expect(!st.LowPower || st.Plugged()).To(BeTrue(), "refresh run %d started on battery in Low Power Mode", x.ID)
		}
		Expect(gateDeferrals(e, "low_power_mode")).NotTo(BeEmpty())
		// The first night's charge reaches 80 % and iOS turns Low Power Mode
		// off (support.apple.com/en-us/101604); refresh then runs on battery too.
		Expect(e.dev.State().LowPower).To(BeFalse(), "Low Power Mode turns itself off at 80 % on a charger")
		var onBattery int
		for i, x := range e.exec.started {
			if x.Kind == osscheduler.Periodic && !(*states)[i].Plugged() {
				onBattery++
			}
		}
		Expect(onBattery).To(BeNumerically(">", 0), "after the automatic switch-off, refresh runs on battery")
	})

	It("blocks refresh entirely when never plugged", func() {
		e := newEnv(nil, 7, testConfig(), func(s *device.State) { s.LowPower = true })
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 5, inForeground: submit}, 5)
		Expect(e.eng.RunFor(5 * day)).To(Succeed())
		Expect(e.exec.startedOf(osscheduler.Periodic)).To(BeEmpty())
	})
})

var _ = Describe("Background App Refresh off", func() {
	It("makes submit fail with unavailable and nothing runs", func() {
		cfg := testConfig()
		cfg.BackgroundAppRefresh = false
		e := newEnv(nil, 3, cfg, nil)
		var errs []string
		submit := func() {
			errs = append(errs, code(e.m.Submit(refreshReq("refresh"))), code(e.m.Submit(procReq("proc"))))
		}
		e.drive(user{opens: typicalOpens, to: 5, charge: true, inForeground: submit}, 5)
		Expect(e.eng.RunFor(5 * day)).To(Succeed())
		Expect(errs).NotTo(BeEmpty())
		for _, c := range errs {
			Expect(c).To(Equal("unavailable"))
		}
		Expect(e.exec.started).To(BeEmpty())
	})

	It("cancels pending requests when switched off", func() {
		e := newEnv(nil, 3, testConfig(), nil)
		e.dev.LaunchApp()
		Expect(e.m.Submit(refreshReq("refresh"))).To(Succeed())
		Expect(e.m.Submit(procReq("proc"))).To(Succeed())
		e.dev.BackgroundApp()
		e.dev.SetScreen(false)
		e.m.SetBackgroundAppRefresh(false)
		Expect(e.m.Pending()).To(BeEmpty())
		Expect(e.records(SourceDASD, "cancelled")).To(HaveLen(2))
		e.dev.SetCharger(device.ChargerAC)
		Expect(e.eng.RunFor(3 * day)).To(Succeed())
		Expect(e.exec.started).To(BeEmpty())
	})
})

var _ = Describe("Refresh budget", func() {
	// "up to 30 seconds" (choosing-background-strategies-for-your-app).
	It("expires a 40 s refresh task at 30 s and throttles the next launch", func() {
		e := newEnv(nil, 11, testConfig(), nil)
		e.exec.dur = 40 * time.Second
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 4, charge: true, inForeground: submit}, 4)
		_, ok, err := e.eng.RunUntilCondition(func() bool { return len(e.exec.startedOf(osscheduler.Periodic)) > 0 }, 4*day)
		Expect(err).NotTo(HaveOccurred())
		Expect(ok).To(BeTrue(), "a daily user gets a refresh within 4 days")
		x := e.exec.startedOf(osscheduler.Periodic)[0]
		Expect(x.Budget).To(Equal(30 * time.Second))
		Expect(e.eng.RunFor(time.Minute)).To(Succeed())

		var rec osscheduler.RunRecord
		for _, r := range e.j.Runs() {
			if r.ID == x.ID {
				rec = r
			}
		}
		Expect(rec.End - rec.Start).To(Equal(30 * time.Second))
		Expect(rec.Outcome).To(Equal(osscheduler.OutcomeExpired))
		Expect(rec.StopReason).To(Equal(osscheduler.StopTimeout))
		Expect(e.exec.stopped).To(HaveKeyWithValue(x.ID, osscheduler.StopTimeout))
		Expect(x.Done()).To(BeTrue(), "the late setTaskCompleted at 40 s is ignored")

		Expect(e.eng.RunFor(2 * day)).To(Succeed())
		runs := e.exec.startedOf(osscheduler.Periodic)
		if len(runs) > 1 {
			Expect(runs[1].Started.Sub(x.Started)).To(BeNumerically(">=", 30*time.Second+time.Hour),
				"typical: throttled for ExpiryBackoff (1 h) after a task that never completed")
		}
		Expect(gateDeferrals(e, "throttled")).NotTo(BeEmpty())
	})

	It("does not expire a task that completes in time", func() {
		e := newEnv(nil, 11, testConfig(), nil)
		e.exec.dur = 10 * time.Second
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, to: 3, charge: true, inForeground: submit}, 3)
		Expect(e.eng.RunFor(3 * day)).To(Succeed())
		Expect(e.j.Runs()).NotTo(BeEmpty())
		for _, r := range e.j.Runs() {
			Expect(r.Outcome).To(Equal(osscheduler.OutcomeSuccess))
			Expect(r.End - r.Start).To(Equal(10 * time.Second))
		}
	})
})

var _ = Describe("Processing tasks", func() {
	It("run only in charging, screen-off windows", func() {
		e := newEnv(nil, 5, testConfig(), nil)
		e.exec.dur = 3 * time.Minute
		states := recordStartStates(e)
		submit := func() {
			r := procReq("proc")
			r.RequiresExternalPower = true
			r.RequiresNetwork = true
			_ = e.m.Submit(r)
		}
		e.drive(user{opens: typicalOpens, jitter: 15 * time.Minute, to: 7, charge: true, inForeground: submit}, 7)
		// A daytime charge at a desk with the screen on: not idle.
		for d := 0; d < 7; d++ {
			at := t0.Add(time.Duration(d)*day + 14*time.Hour)
			e.eng.Schedule(at, sim.PhaseWorld, "desk", sim.HandlerFunc(func(*sim.Engine) { e.dev.SetCharger(device.ChargerUSB); e.dev.SetScreen(true); e.dev.SetLocked(false) }))
			e.eng.Schedule(at.Add(time.Hour), sim.PhaseWorld, "desk.end", sim.HandlerFunc(func(*sim.Engine) { e.dev.SetScreen(false); e.dev.SetCharger(device.ChargerNone) }))
		}
		Expect(e.eng.RunFor(7 * day)).To(Succeed())
		runs := 0
		for i, x := range e.exec.started {
			if x.Kind != osscheduler.Processing {
				continue
			}
			runs++
			st := (*states)[i]
			Expect(st.Plugged()).To(BeTrue())
			Expect(st.ScreenOn).To(BeFalse())
			Expect(st.Locked).To(BeTrue())
			hour := x.Started.Hour()
			Expect(hour >= 23 || hour < 7).To(BeTrue(), "started at %s, outside the nightly charge", x.Started)
		}
		Expect(runs).To(BeNumerically(">=", 5), "about one per night over 7 nights")
		Expect(gateDeferrals(e, "power")).NotTo(BeEmpty())
		Expect(gateDeferrals(e, "idle")).NotTo(BeEmpty())
	})

	It("is interrupted when the user picks up the phone or unplugs it", func() {
		e := newEnv(nil, 5, testConfig(), nil)
		e.exec.never = true
		e.open()
		Expect(e.m.Submit(procReq("proc"))).To(Succeed())
		e.dev.SetCharger(device.ChargerAC)
		_, ok, _ := e.eng.RunUntilCondition(func() bool { return len(e.exec.started) == 1 }, day)
		Expect(ok).To(BeTrue())
		e.dev.SetScreen(true)
		x := e.exec.started[0]
		Expect(e.exec.stopped).To(HaveKeyWithValue(x.ID, osscheduler.StopConstraintDeviceIdle))
		Expect(e.j.Runs()[0].Outcome).To(Equal(osscheduler.OutcomeStopped))

		e.dev.SetScreen(false)
		e.dev.LaunchApp()
		Expect(e.m.Submit(procReq("proc"))).To(Succeed())
		e.dev.BackgroundApp()
		e.dev.SetScreen(false)
		_, ok, _ = e.eng.RunUntilCondition(func() bool { return len(e.exec.started) == 2 }, day)
		Expect(ok).To(BeTrue())
		e.dev.SetCharger(device.ChargerNone)
		Expect(e.exec.stopped).To(HaveKeyWithValue(e.exec.started[1].ID, osscheduler.StopConstraintCharging))
	})

	It("expires at its budget of minutes", func() {
		e := newEnv(nil, 5, testConfig(), nil)
		e.exec.never = true
		e.open()
		Expect(e.m.Submit(procReq("proc"))).To(Succeed())
		e.dev.SetCharger(device.ChargerAC)
		Expect(e.eng.RunFor(2 * time.Hour)).To(Succeed())
		Expect(e.j.Runs()).To(HaveLen(1))
		r := e.j.Runs()[0]
		Expect(r.Outcome).To(Equal(osscheduler.OutcomeExpired))
		Expect(r.End - r.Start).To(BeNumerically(">=", ParamSets[HeuristicsTypical].ProcessingBudgetMin))
		Expect(r.End - r.Start).To(BeNumerically("<=", ParamSets[HeuristicsTypical].ProcessingBudgetMax))
	})
})

var _ = Describe("Force-quit", func() {
	// Quinn (DTS, forums thread 685525): swiping the app away blocks
	// background launches until the user next opens it; dasd cancels the
	// app's pending refresh requests [R].
	It("stops refresh until the user relaunches and the app resubmits", func() {
		e := newEnv(nil, 21, testConfig(), nil)
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 3, charge: true, inForeground: submit}, 9)
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, from: 6, to: 9, inForeground: submit}, 9)
		swipe := t0.Add(2*day + 21*time.Hour)
		e.eng.Schedule(swipe, sim.PhaseWorld, "swipe", sim.HandlerFunc(func(*sim.Engine) { e.dev.SwipeAwayApp() }))
		Expect(e.eng.RunUntil(swipe.Add(time.Second))).To(Succeed())
		Expect(e.m.Pending()).To(BeEmpty(), "dasd cancels pending refresh requests of a force-quit app")
		Expect(e.m.ForceQuit()).To(BeTrue())
		before := len(e.exec.startedOf(osscheduler.Periodic))
		Expect(before).To(BeNumerically(">", 0))

		Expect(e.eng.RunUntil(t0.Add(6 * day))).To(Succeed())
		Expect(e.exec.startedOf(osscheduler.Periodic)).To(HaveLen(before), "no refresh while force-quit")

		Expect(e.eng.RunUntil(t0.Add(9 * day))).To(Succeed())
		Expect(e.m.ForceQuit()).To(BeFalse())
		Expect(len(e.exec.startedOf(osscheduler.Periodic))).To(BeNumerically(">", before), "refresh resumes after the relaunch and resubmit")
	})

	It("keeps refreshing without the swipe (control)", func() {
		e := newEnv(nil, 21, testConfig(), nil)
		submit := e.periodicApp()
		e.drive(user{opens: typicalOpens, jitter: 20 * time.Minute, to: 3, charge: true, inForeground: submit}, 6)
		Expect(e.eng.RunUntil(t0.Add(2*day + 21*time.Hour))).To(Succeed())
		before := len(e.exec.startedOf(osscheduler.Periodic))
		Expect(e.eng.RunUntil(t0.Add(6 * day))).To(Succeed())
		Expect(len(e.exec.startedOf(osscheduler.Periodic))).To(BeNumerically(">", before))
	})
})

var _ = Describe("Usage prediction", func() {
	It("gives a daily user refreshes before typical launch times, and an app not opened for a week almost none", func() {
		const seeds = 10
		var dailyRuns, dailyBefore, absentRuns int
		for s := uint64(1); s <= seeds; s++ {
			st := measureUser(s, HeuristicsTypical, 30, 30)
			dailyRuns += st.runsAfter(1, 30)
			dailyBefore += st.before
			ab := measureUser(s, HeuristicsTypical, 30, 7)
			absentRuns += ab.runsAfter(14, 30) // a week or more after the last open
		}
		perDay := float64(dailyRuns) / (seeds * 29)
		Expect(perDay).To(BeNumerically(">=", 3), "daily user: a few runs per day")
		Expect(float64(dailyBefore)/float64(dailyRuns)).To(BeNumerically(">=", 0.4), "most runs anticipate a launch")
		Expect(float64(absentRuns)/(seeds*16)).To(BeNumerically("<", 0.05), "almost none after a week away")
	})
})

var _ = Describe("With the device's built-in usage profiles", func() {
	// The profiles drive screen sessions, app opens, charging and network.
	runProfile := func(name string, seed uint64) (runs int, opens int) {
		p, ok := device.BuiltinProfile(name)
		Expect(ok).To(BeTrue(), "profile %s", name)
		e := newEnv(nil, seed, testConfig(), nil)
		e.periodicApp()
		e.dev.Subscribe(device.ListenerFunc(func(c *device.Change) {
			if c.Kind == device.ChangeAppLaunched {
				_ = e.m.Submit(refreshReq("refresh"))
			}
		}))
		Expect(e.dev.ApplyProfile(p, t0.Add(14*day))).To(Succeed())
		Expect(e.eng.RunFor(14 * day)).To(Succeed())
		return len(e.exec.startedOf(osscheduler.Periodic)), len(e.dev.Launches())
	}

	It("refreshes a heavy user's app every day and an untouched phone's never", func() {
		runs, opens := runProfile("heavy-user", 3)
		Expect(opens).To(BeNumerically(">", 14))
		Expect(runs).To(BeNumerically(">=", 14), "at least one refresh a day")
		runs, opens = runProfile("idle-shelf", 3)
		Expect(opens).To(BeZero())
		Expect(runs).To(BeZero(), "an app never opened is never submitted, so never runs")
	})
})
