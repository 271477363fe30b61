package android

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

func runsOf(e *env, name string) []osscheduler.RunRecord {
	var out []osscheduler.RunRecord
	for _, r := range e.j.Runs() {
		if r.Unique == name {
			out = append(out, r)
		}
	}
	return out
}

func onCharger() device.State {
	st := testState()
	st.Charger, st.ScreenOn, st.Locked = device.ChargerAC, true, false
	return st
}

var _ = Describe("a 15-minute periodic work through a night of deep Doze", func() {
	It("runs only in maintenance windows once the device is idle", func() {
		st := testState()
		st.ScreenOn = true
		e := newEnv(DefaultConfig(), st)
		_, err := e.m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
		Expect(err).NotTo(HaveOccurred())
		Expect(e.eng.RunFor(time.Minute)).To(Succeed())
		e.dev.SetScreen(false) // 00:01, unplugged, stationary: the night begins
		Expect(e.eng.RunFor(9 * time.Hour)).To(Succeed())

		// Collect the deep maintenance windows from the trace.
		type window struct{ from, to time.Duration }
		var windows []window
		for _, r := range e.rec.Records {
			if r.Source != srcDoze || r.Subject != "device" {
				continue
			}
			switch r.Kind {
			case "IDLE_MAINTENANCE":
				windows = append(windows, window{from: r.At})
			case "IDLE":
				if n := len(windows); n > 0 && windows[n-1].to == 0 {
					windows[n-1].to = r.At
				}
			}
		}
		Expect(windows).To(HaveLen(3)) // after 1 h, 2 h and 4 h of idle (the 6-h one is past 9 h)
		idleFrom := time.Minute + time.Hour
		deepRuns := 0
		for _, r := range runsOf(e, "sync") {
			if r.Start < idleFrom {
				continue
			}
			inWindow := false
			for _, w := range windows {
				inWindow = inWindow || (r.Start >= w.from && r.Start < w.to)
			}
			Expect(inWindow).To(BeTrue(), "run at %s outside a maintenance window", r.Start)
			deepRuns++
		}
		Expect(deepRuns).To(Equal(3)) // one run per window: at most one period is due each time
	})
})

var _ = Describe("exponential backoff", func() {
	It("doubles from 30 s up to the 5-hour cap", func() {
		e := newEnv(DefaultConfig(), onCharger())
		e.exec.def, e.exec.dur = osscheduler.Retry, time.Second
		_, err := e.m.EnqueueUniqueWork("upload", Keep, WorkRequest{})
		Expect(err).NotTo(HaveOccurred())
		Expect(e.eng.RunFor(40 * time.Hour)).To(Succeed())
		runs := runsOf(e, "upload")
		var gaps []time.Duration
		for i := 1; i < len(runs); i++ {
			gaps = append(gaps, runs[i].Start-runs[i-1].End)
		}
		want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
			16 * time.Minute, 32 * time.Minute, 64 * time.Minute, 128 * time.Minute, 256 * time.Minute, 5 * time.Hour, 5 * time.Hour}
		Expect(len(gaps)).To(BeNumerically(">=", len(want)))
		for i, w := range want { // each gap is the backoff plus the seeded 0–5 s start latency
			Expect(gaps[i]).To(BeNumerically(">=", w), "gap %d", i)
			Expect(gaps[i]).To(BeNumerically("<=", w+5*time.Second), "gap %d", i)
		}
		Expect(runs[len(want)].Attempt).To(Equal(len(want) + 1))
	})
})

var _ = Describe("KEEP on a BLOCKED chain", func() {
	It("replaces it, because only ENQUEUED or RUNNING work is kept", func() {
		e := newEnv(DefaultConfig(), onCharger())
		e.exec.manual = true
		// "other" is a prerequisite from another continuation (WorkContinuation.combine).
		_, err := e.m.EnqueueUniqueWork("other", Keep, WorkRequest{InitialDelay: time.Hour})
		Expect(err).NotTo(HaveOccurred())
		other := e.m.live("other")[0]
		_, err = e.m.EnqueueUniqueWork("chain", Keep, WorkRequest{TaskName: "head"})
		Expect(err).NotTo(HaveOccurred())
		head := e.m.live("chain")[0]
		tail := &workSpec{task: "tail", backoffDelay: defaultBackoff}
		e.m.insert(tail, "chain", []*workSpec{head, other}, nil)
		Expect(e.eng.RunFor(time.Minute)).To(Succeed())
		Expect(e.exec.finishAll(osscheduler.Success)).To(Equal(1)) // head succeeds
		Expect(e.eng.RunFor(0)).To(Succeed())
		infos := e.m.WorkInfosForUniqueWork("chain")
		Expect(infos).To(HaveLen(2))
		Expect(infos[1].State).To(Equal(osscheduler.StateBlocked))

		id, err := e.m.EnqueueUniqueWork("chain", Keep, WorkRequest{TaskName: "fresh"})
		Expect(err).NotTo(HaveOccurred())
		infos = e.m.WorkInfosForUniqueWork("chain")
		Expect(infos).To(HaveLen(1))
		Expect(infos[0].ID).To(Equal(id))
		Expect(infos[0].TaskName).To(Equal("fresh"))
		Expect(tail.state).To(Equal(stCancelled))
	})
	It("keeps an ENQUEUED chain", func() {
		e := newEnv(DefaultConfig(), onCharger())
		first, _ := e.m.EnqueueUniqueWork("c", Keep, WorkRequest{InitialDelay: time.Hour})
		second, _ := e.m.EnqueueUniqueWork("c", Keep, WorkRequest{})
		Expect(second).To(Equal(first))
		Expect(e.m.WorkInfosForUniqueWork("c")).To(HaveLen(1))
	})
})

var _ = Describe("a rare-bucket app", func() {
	It("runs its 15-minute work 3 times a day on battery (3 sessions per 24 h)", func() {
		cfg := DefaultConfig()
		cfg.StandbyBucket, cfg.Doze = "rare", false
		st := testState()
		st.ScreenOn = true
		e := newEnv(cfg, st)
		_, err := e.m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
		Expect(err).NotTo(HaveOccurred())
		Expect(e.eng.RunFor(5 * 24 * time.Hour)).To(Succeed())
		perDay := map[int]int{}
		for _, r := range runsOf(e, "sync") {
			perDay[int(r.Start/(24*time.Hour))]++
		}
		for d := 0; d < 5; d++ {
			Expect(perDay[d]).To(Equal(3), "day %d", d)
		}
	})
	It("runs freely while charging (parole)", func() {
		cfg := DefaultConfig()
		cfg.StandbyBucket = "rare"
		e := newEnv(cfg, onCharger())
		_, _ = e.m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
		Expect(e.eng.RunFor(24 * time.Hour)).To(Succeed())
		Expect(len(runsOf(e, "sync"))).To(BeNumerically(">", 90))
	})
	It("on API 31+ in the restricted bucket needs charging, network and device idle", func() {
		cfg := DefaultConfig()
		cfg.StandbyBucket = "restricted"
		e := newEnv(cfg, onCharger())
		_, _ = e.m.EnqueueUniqueWork("once", Keep, WorkRequest{})
		Expect(e.eng.RunFor(time.Hour)).To(Succeed())
		Expect(runsOf(e, "once")).To(BeEmpty()) // screen on: not idle
		e.dev.SetScreen(false)
		Expect(e.eng.RunFor(30 * time.Minute)).To(Succeed())
		Expect(runsOf(e, "once")).To(BeEmpty())
		Expect(e.eng.RunFor(2 * time.Minute)).To(Succeed())
		// idle after 31 min of screen off (config_jobSchedulerInactivityIdleThreshold, API 30+)
		Expect(runsOf(e, "once")).To(HaveLen(1))
	})
})

var _ = Describe("reboot", func() {
	It("stops running work, keeps the WorkSpec, reschedules at boot and runs overdue work", func() {
		e := newEnv(DefaultConfig(), onCharger())
		e.exec.dur = 5 * time.Minute
		_, _ = e.m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{Periodic: true, Interval: time.Hour})
		Expect(e.eng.RunFor(time.Minute)).To(Succeed())
		e.dev.Reboot(3 * time.Hour)
		Expect(e.eng.RunFor(time.Minute)).To(Succeed())
		wi := e.m.WorkInfosForUniqueWork("sync")[0]
		Expect(wi.State).To(Equal(osscheduler.StateEnqueued))
		Expect(wi.StopReason).To(Equal(osscheduler.StopUnknown))
		Expect(e.exec.stopped).To(Equal([]osscheduler.StopReason{osscheduler.StopReboot}))
		Expect(e.eng.RunFor(3 * time.Hour)).To(Succeed())
		runs := runsOf(e, "sync")
		Expect(runs[0].Outcome).To(Equal(osscheduler.OutcomeStopped))
		Expect(runs[0].StopReason).To(Equal(osscheduler.StopReboot))
		Expect(runs[1].Start).To(BeNumerically("~", 3*time.Hour+time.Minute, 5*time.Second)) // at boot.completed: overdue
	})
})

var _ = Describe("force-stop", func() {
	It("stops running work and runs nothing until the app is launched", func() {
		e := newEnv(DefaultConfig(), onCharger())
		e.exec.dur = 5 * time.Minute
		_, _ = e.m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
		Expect(e.eng.RunFor(time.Minute)).To(Succeed())
		e.dev.ForceStopApp()
		Expect(e.eng.RunFor(10 * time.Hour)).To(Succeed())
		runs := runsOf(e, "sync")
		Expect(runs).To(HaveLen(1))
		Expect(runs[0].StopReason).To(Equal(osscheduler.StopUser))
		e.dev.LaunchApp()
		Expect(e.eng.RunFor(time.Second)).To(Succeed())
		Expect(runsOf(e, "sync")).To(HaveLen(2))
	})
	It("is what a swipe does on an aggressive OEM, and not on AOSP", func() {
		for _, oem := range []string{"aosp", "aggressive"} {
			cfg := DefaultConfig()
			cfg.OEM = oem
			e := newEnv(cfg, onCharger())
			_, _ = e.m.EnqueueUniquePeriodicWork("sync", PeriodicKeep, WorkRequest{Periodic: true, Interval: 15 * time.Minute})
			Expect(e.eng.RunFor(time.Minute)).To(Succeed())
			e.dev.SwipeAwayApp()
			Expect(e.eng.RunFor(2 * time.Hour)).To(Succeed())
			if oem == "aosp" {
				Expect(len(runsOf(e, "sync"))).To(BeNumerically(">", 5))
			} else {
				Expect(runsOf(e, "sync")).To(HaveLen(1))
			}
		}
	})
})

var _ = Describe("execution limit", func() {
	It("stops a worker after the configured 10 minutes with TIMEOUT, and it runs again", func() {
		cfg := DefaultConfig()
		cfg.ExecutionLimit = 10 * time.Minute
		e := newEnv(cfg, onCharger())
		e.exec.dur = time.Hour
		_, _ = e.m.EnqueueUniqueWork("long", Keep, WorkRequest{})
		Expect(e.eng.RunFor(11 * time.Minute)).To(Succeed())
		runs := runsOf(e, "long")
		Expect(runs).To(HaveLen(2))
		Expect(runs[0].StopReason).To(Equal(osscheduler.StopTimeout))
		Expect(runs[0].End - runs[0].Start).To(Equal(10 * time.Minute))
		Expect(runs[1].Attempt).To(Equal(2))
	})
	It("by default lets a job run 30 min on the charger (free quota, API 31+) and 10 min below API 31", func() {
		for _, c := range []struct {
			api  int
			want time.Duration
		}{{34, 30 * time.Minute}, {30, 10 * time.Minute}} {
			cfg := DefaultConfig()
			cfg.API = c.api
			e := newEnv(cfg, onCharger())
			e.exec.dur = time.Hour
			_, _ = e.m.EnqueueUniqueWork("long", Keep, WorkRequest{})
			Expect(e.eng.RunFor(31 * time.Minute)).To(Succeed())
			runs := runsOf(e, "long")
			Expect(runs[0].StopReason).To(Equal(osscheduler.StopTimeout))
			Expect(runs[0].End-runs[0].Start).To(Equal(c.want), "API %d", c.api)
		}
	})
	It("ends work the foreground app runs in-process (GreedyScheduler) at the limit of the job JobScheduler holds for it (30 min), else at TimeLimiter's 90 min", func() {
		// JobScheduler starts the work's job too; SystemJobService holds it
		// (the Processor declines the running work) and, when JobScheduler
		// stops it at its execution limit, onStopJob stops the in-process run
		// (declined.go).
		// With schedulerLimit (20) other works handed to JobScheduler first,
		// the work gets no job (WorkManager's maxSchedulerLimit), so only
		// TimeLimiter's 90 min limits its in-process run.
		for _, c := range []struct {
			others int
			want   time.Duration
		}{{0, 30 * time.Minute}, {schedulerLimit, 90 * time.Minute}} {
			cfg := DefaultConfig()
			cfg.StartLatency = time.Nanosecond
			e := newEnv(cfg, testState())
			e.dev.LaunchApp()
			e.exec.dur = 2 * time.Hour
			for i := range c.others {
				_, _ = e.m.EnqueueUniqueWork(fmt.Sprintf("later-%d", i), Keep, WorkRequest{InitialDelay: 24 * time.Hour})
			}
			_, _ = e.m.EnqueueUniqueWork("long", Keep, WorkRequest{})
			Expect(e.eng.RunFor(91 * time.Minute)).To(Succeed())
			runs := runsOf(e, "long")
			Expect(runs[0].End-runs[0].Start).To(BeNumerically("~", c.want, time.Microsecond), "%d other works", c.others)
			Expect(runs[0].StopReason).To(Equal(osscheduler.StopTimeout))
		}
	})
	It("on battery in the working-set bucket gives the 10-min guarantee", func() {
		cfg := DefaultConfig()
		cfg.StandbyBucket, cfg.Doze = "working_set", false
		st := testState()
		st.ScreenOn = true
		e := newEnv(cfg, st)
		e.exec.dur = time.Hour
		_, _ = e.m.EnqueueUniqueWork("long", Keep, WorkRequest{})
		Expect(e.eng.RunFor(11 * time.Minute)).To(Succeed())
		runs := runsOf(e, "long")
		Expect(runs[0].End - runs[0].Start).To(Equal(10 * time.Minute))
	})
})
