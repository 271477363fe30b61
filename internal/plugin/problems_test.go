package plugin

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/osscheduler/android"
	"github.com/wmsim/wmsim/internal/osscheduler/ios"
	"github.com/wmsim/wmsim/internal/sim"
)

// world is a plugin over the real OS model.
type world struct {
	p   *Plugin
	eng *sim.Engine
	dev *device.Device
	rec *sim.Recorder
}

func newWorld(platform osscheduler.Platform, v Version, mod ...func(*Config)) *world {
	rec := &sim.Recorder{}
	eng := sim.New(t0, 11, sim.WithSink(rec))
	dev := device.New(eng, device.Config{Initial: device.DefaultState()})
	cfg := Config{Platform: platform, Version: v, Engine: eng, Device: dev}
	if platform == osscheduler.IOS {
		cfg.IOS = ios.DefaultConfig()
		cfg.IOS.PermittedIdentifiers = []string{"dev.example.sync"}
		cfg.IOS.LaunchHandlers = []string{"dev.example.sync"}
		cfg.IOS.BackgroundModes = []string{"fetch", "processing"}
	}
	for _, m := range mod {
		m(&cfg)
	}
	w := &world{p: New(cfg), eng: eng, dev: dev, rec: rec}
	dev.LaunchApp()
	return w
}

func (w *world) runs(unique string) []osscheduler.RunRecord {
	var out []osscheduler.RunRecord
	for _, r := range w.p.Journal().Runs() {
		if r.Unique == unique {
			out = append(out, r)
		}
	}
	return out
}

func outcomes(rs []osscheduler.RunRecord) []osscheduler.Outcome {
	var out []osscheduler.Outcome
	for _, r := range rs {
		out = append(out, r.Outcome)
	}
	return out
}

var _ = Describe("a stale callback handle (#650, #374)", func() {
	It("fails every background run after an update renames the dispatcher, until initialize runs again", func() {
		w := newWorld(osscheduler.Android, V0_10)
		Expect(w.p.Initialize(42, false)).To(Succeed())
		w.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
		Expect(w.p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(time.Hour)})).To(Succeed())
		Expect(w.eng.RunFor(30 * time.Minute)).To(Succeed())
		Expect(outcomes(w.runs("sync"))).To(Equal([]osscheduler.Outcome{osscheduler.OutcomeSuccess}))

		w.p.AppUpdated(true)
		w.dev.UpdateApp()
		Expect(w.eng.RunFor(2 * time.Hour)).To(Succeed())
		rs := w.runs("sync")
		Expect(len(rs)).To(BeNumerically(">", 1))
		Expect(rs[len(rs)-1].Outcome).To(Equal(osscheduler.OutcomeFailure))
		Expect(rs[len(rs)-1].Received).To(BeEmpty(), "the dispatcher never ran")
		fails := w.rec.Filter(func(r *sim.Record) bool { return r.Kind == event.TaskFinished && r.Source == event.SourcePlugin })
		Expect(fails[len(fails)-1].Reason).To(ContainSubstring("Failed to resolve Dart callback for handle 42"))

		w.dev.LaunchApp()
		Expect(w.p.Initialize(43, false)).To(Succeed())
		Expect(w.eng.RunFor(3 * time.Hour)).To(Succeed())
		rs = w.runs("sync")
		Expect(rs[len(rs)-1].Outcome).To(Equal(osscheduler.OutcomeSuccess))
	})

	It("keeps working across a reboot: the handle lives in persistent SharedPreferences", func() {
		w := newWorld(osscheduler.Android, V0_10)
		Expect(w.p.Initialize(42, false)).To(Succeed())
		w.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
		Expect(w.p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(time.Hour)})).To(Succeed())
		w.dev.Reboot(2 * time.Minute)
		Expect(w.eng.RunFor(5 * time.Hour)).To(Succeed())
		rs := w.runs("sync")
		Expect(len(rs)).To(BeNumerically(">=", 3))
		Expect(rs[len(rs)-1].Outcome).To(Equal(osscheduler.OutcomeSuccess))
	})

	It("rejects registration before initialize was ever called (#491)", func() {
		w := newWorld(osscheduler.Android, V0_10)
		err := w.p.RegisterOneOffTask("one", "t", OneOffOptions{})
		Expect(err).To(BeAssignableToTypeOf(&PlatformError{}))
		Expect(w.p.Journal().Errors).To(ConsistOf(HaveField("Code", "not_initialized")))
	})
})

var _ = Describe("the name delivered to the dispatcher on iOS (#670)", func() {
	DescribeTable("per kind",
		func(kind osscheduler.Kind, unique, task, want string) {
			h := newHarness(osscheduler.IOS, V0_10)
			h.dev.LaunchApp()
			Expect(h.p.Initialize(1, false)).To(Succeed())
			var got string
			h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx.Received; return true, nil })
			h.iosRun(kind, unique, task, nil, 1)
			Expect(h.eng.RunFor(time.Minute)).To(Succeed())
			Expect(got).To(Equal(want))
		},
		Entry("periodic: the unique name (BGTask identifier)", osscheduler.Periodic, "dev.example.sync", "fetchLatestPosts", "dev.example.sync"),
		Entry("processing: the unique name", osscheduler.Processing, "dev.example.cleanup", "cleanupCache", "dev.example.cleanup"),
		Entry("background fetch: iOSPerformFetch", osscheduler.Fetch, "", IOSBackgroundTask, "iOSPerformFetch"),
		Entry("one-off: the taskName", osscheduler.OneOff, "oneoff-1", "simpleTask", "simpleTask"),
	)

	It("delivers the taskName for a one-off through the real iOS model, at once and in process", func() {
		w := newWorld(osscheduler.IOS, V0_10)
		Expect(w.p.Initialize(1, false)).To(Succeed())
		var got []string
		w.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = append(got, ctx.Received); return true, nil })
		Expect(w.p.RegisterOneOffTask("oneoff-1", "simpleTask", OneOffOptions{InitialDelay: Ptr(5 * time.Second)})).To(Succeed())
		Expect(w.eng.RunFor(time.Minute)).To(Succeed())
		Expect(got).To(Equal([]string{"simpleTask"}))
		rs := w.runs("oneoff-1")
		Expect(rs).To(HaveLen(1))
		Expect(rs[0].Received).To(Equal("simpleTask"))
		Expect(rs[0].Start).To(Equal(5*time.Second), "initialDelay honoured while the process lives (#661, #687)")
	})

	It("delivers the unique name and the stored inputData to a real BGAppRefreshTask run, which resubmits itself (#648)", func() {
		w := newWorld(osscheduler.IOS, V0_10, func(c *Config) { c.IOS.Heuristics = ios.HeuristicsOptimistic })
		Expect(w.p.Initialize(1, false)).To(Succeed())
		var got []*TaskContext
		w.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = append(got, ctx); return true, nil })
		Expect(w.p.RegisterPeriodicTask("dev.example.sync", "fetchLatestPosts", PeriodicOptions{InputData: osscheduler.Data{"userId": "user_42"}})).To(Succeed())
		w.dev.BackgroundApp()
		Expect(w.eng.RunFor(12 * time.Hour)).To(Succeed())
		Expect(got).NotTo(BeEmpty(), "optimistic heuristics grant a refresh window within 12 h")
		Expect(got[0].Received).To(Equal("dev.example.sync"))
		Expect(got[0].Input).To(Equal(osscheduler.Data{"userId": "user_42"}))
		rs := w.runs("dev.example.sync")
		Expect(rs[0].Received).To(Equal("dev.example.sync"))
		Expect(rs[0].Task).To(Equal("fetchLatestPosts"))
		Expect(w.p.IOS().Pending()).To(ContainElement(HaveField("Identifier", "dev.example.sync")), "resubmitted at the start of each run")
		wi, err := w.p.GetWorkInfo("dev.example.sync")
		Expect(err).NotTo(HaveOccurred())
		Expect(wi.TaskName).To(Equal("fetchLatestPosts"))
		Expect(wi.IsPeriodic).To(BeTrue())
	})

	It("loses a delayed one-off when the app is force-quit first", func() {
		w := newWorld(osscheduler.IOS, V0_10)
		Expect(w.p.Initialize(1, false)).To(Succeed())
		w.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { return true, nil })
		Expect(w.p.RegisterOneOffTask("oneoff-1", "simpleTask", OneOffOptions{InitialDelay: Ptr(time.Minute)})).To(Succeed())
		w.dev.SwipeAwayApp()
		Expect(w.eng.RunFor(5 * time.Minute)).To(Succeed())
		Expect(w.runs("oneoff-1")).To(BeEmpty())
	})
})

var _ = Describe("inputData types (#426, #542, #690)", func() {
	It("0.5 rejects a List<dynamic> and a map, naming the key", func() {
		h := newHarness(osscheduler.Android, V0_5)
		Expect(h.p.Initialize(1, false)).To(Succeed())
		err := h.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{"ids": DynamicList{1, 2}}})
		Expect(err).To(Equal(&DartError{Type: "Exception", Message: "argument ids has wrong type. WorkManager supports only int, bool, double, String and their list"}))
		err = h.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{"user": map[string]any{"id": 1}}})
		Expect(err).To(MatchError(ContainSubstring("argument user has wrong type")))
		Expect(h.j.Errors).To(HaveLen(2))
		Expect(h.j.Errors[0].Code).To(Equal("invalid_input_data"))
		Expect(h.j.Errors[0].SeenByApp).To(BeTrue())
		Expect(h.wm.enq).To(BeEmpty())
	})

	It("0.10 accepts them and reports the round-tripped types", func() {
		w := newWorld(osscheduler.Android, V0_10)
		Expect(w.p.Initialize(1, false)).To(Succeed())
		var got osscheduler.Data
		w.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx.Input; return true, nil })
		Expect(w.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{
			"ids": DynamicList{1, 2}, "user": map[string]any{"id": 1, "ratio": 2.0}, "mixed": []any{"a", 1.0}, "empty": []any{}, "none": nil,
		}})).To(Succeed())
		Expect(w.eng.RunFor(time.Minute)).To(Succeed())
		Expect(got).To(Equal(osscheduler.Data{
			"ids":   []int64{1, 2},                                     // typed by convertPigeonInputData
			"user":  map[string]any{"id": int64(1), "ratio": int64(2)}, // JSON: org.json writes 2.0 as 2
			"mixed": []any{"a", int64(1)},
			"empty": []any{},
		}))
		Expect(got).NotTo(HaveKey("none"), "filterNotNullKeys drops null values")
	})

	It("0.5 delivers lists untyped (jsonDecode)", func() {
		w := newWorld(osscheduler.Android, V0_5)
		Expect(w.p.Initialize(1, false)).To(Succeed())
		var got osscheduler.Data
		w.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx.Input; return true, nil })
		Expect(w.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{"ids": []int{1, 2}, "r": 2.0}})).To(Succeed())
		Expect(w.eng.RunFor(time.Minute)).To(Succeed())
		Expect(got).To(Equal(osscheduler.Data{"ids": []any{int64(1), int64(2)}, "r": 2.0}))
	})

	It("iOS processing tasks receive null inputData (#497)", func() {
		h := newHarness(osscheduler.IOS, V0_10)
		h.dev.LaunchApp()
		Expect(h.p.Initialize(1, false)).To(Succeed())
		got := osscheduler.Data{"sentinel": true}
		h.p.ExecuteTask(func(ctx *TaskContext) (bool, error) { got = ctx.Input; return true, nil })
		Expect(h.p.RegisterProcessingTask("dev.example.cleanup", "t", ProcessingOptions{InputData: osscheduler.Data{"k": 1}})).To(Succeed())
		h.iosRun(osscheduler.Processing, "dev.example.cleanup", "t", nil, 1)
		Expect(h.eng.RunFor(time.Minute)).To(Succeed())
		Expect(got).To(BeNil())
	})
})

var _ = Describe("re-registering a periodic task (#622, #628)", func() {
	register := func(v Version) *world {
		w := newWorld(osscheduler.Android, v)
		Expect(w.p.Initialize(1, false)).To(Succeed())
		w.p.ExecuteTask(func(*TaskContext) (bool, error) { return true, nil })
		Expect(w.p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(time.Hour)})).To(Succeed())
		Expect(w.eng.RunFor(30 * time.Minute)).To(Succeed())
		// The app ships a new frequency and registers again without a policy.
		Expect(w.p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{Frequency: Ptr(4 * time.Hour)})).To(Succeed())
		Expect(w.eng.RunFor(12 * time.Hour)).To(Succeed())
		return w
	}
	It("keeps the old frequency in 0.5 (KEEP)", func() {
		w := register(V0_5)
		rs := w.runs("sync")
		Expect(len(rs)).To(BeNumerically(">=", 8), "hourly runs go on (Doze stretches some gaps)")
		Expect(rs[2].Start - rs[1].Start).To(BeNumerically("<", 2*time.Hour))
	})
	It("applies the new frequency in 0.10 (UPDATE)", func() {
		w := register(V0_10)
		rs := w.runs("sync")
		Expect(len(rs)).To(BeNumerically("<=", 5), "runs every 4 h after the update")
		for i := 2; i < len(rs); i++ {
			Expect(rs[i].Start - rs[i-1].Start).To(BeNumerically(">=", 4*time.Hour))
		}
	})
	It("replaces the work with an explicit REPLACE", func() {
		h := newHarness(osscheduler.Android, V0_10)
		Expect(h.p.Initialize(1, false)).To(Succeed())
		Expect(h.p.RegisterPeriodicTask("sync", "fetch", PeriodicOptions{ExistingWorkPolicy: Ptr(PeriodicReplace)})).To(Succeed())
		Expect(h.wm.last().pPolicy).To(Equal(android.PeriodicReplace))
	})
})

var _ = Describe("iOS submit failures (#517, #474, #660)", func() {
	It("0.10 logs an unpermitted identifier natively while Dart sees success", func() {
		w := newWorld(osscheduler.IOS, V0_10)
		Expect(w.p.Initialize(1, false)).To(Succeed())
		Expect(w.p.RegisterPeriodicTask("dev.example.other", "t", PeriodicOptions{})).To(Succeed())
		Expect(w.p.Journal().Errors).To(ConsistOf(And(HaveField("Code", "not_permitted"), HaveField("SeenByApp", false))))
	})
	It("crashes when a permitted identifier has no launch handler", func() {
		w := newWorld(osscheduler.IOS, V0_10, func(c *Config) { c.IOS.LaunchHandlers = nil })
		Expect(w.p.Initialize(1, false)).To(Succeed())
		err := w.p.RegisterPeriodicTask("dev.example.sync", "t", PeriodicOptions{})
		Expect(err).To(BeAssignableToTypeOf(&CrashError{}))
		Expect(w.p.Journal().Errors).To(ContainElement(HaveField("Code", "crash")))
		Expect(w.dev.State().App).To(Equal(device.ProcessNotRunning))
	})
})
