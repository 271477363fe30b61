// Package scheduling_test is an example Ginkgo suite for an app's
// background work, simulated with  Copy it and replace the
// registrations with your app's.
package scheduling_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	. "github.com/wmsim/wmsim/wmsimtest"
)

// device is one combination of the device conditions a constraint reads.
type device struct {
	charger Option
	network Option
	battery int
}

var (
	pluggedWiFi     = device{Charger(ChargerAC), Network(WiFi), 80}
	unpluggedWiFi   = device{Charger(ChargerNone), Network(WiFi), 80}
	pluggedCellular = device{Charger(ChargerAC), Network(Cellular), 80}
	unpluggedOff    = device{Charger(ChargerNone), Network(Offline), 80}
	unpluggedLow    = device{Charger(ChargerNone), Network(WiFi), 10}
)

var _ = Describe("an upload with constraints", func() {
	// JobScheduler starts work only when every declared constraint holds
	// (ConnectivityController, BatteryController): Android's batteryNotLow
	// is false at or below 15 % while unplugged (BatteryService), cellular is
	// metered, and "unmetered" needs a network that is not.
	DescribeTable("runs within an hour only when its constraints are met",
		func(d device, c Constraints, runs bool) {
			s := New(GinkgoT(), Android(34), Seed(7), d.charger, d.network, Battery(d.battery),
				Task("upload", 20*time.Second, Success))
			Expect(s.Workmanager().Initialize()).To(Succeed())
			Expect(s.Workmanager().RegisterOneOffTask("upload-1", "upload", OneOffOptions{Constraints: &c})).To(Succeed())
			Expect(s.RunFor(time.Hour)).To(Succeed())
			if runs {
				Expect(s).To(HaveRun("upload").Times(1))
				Expect(s).To(HaveFinalState("upload-1", Succeeded))
			} else {
				Expect(s).To(HaveRun("upload").Times(0))
				Expect(s).To(HaveFinalState("upload-1", Enqueued))
			}
		},
		Entry("no constraints, unplugged", unpluggedWiFi, Constraints{}, true),
		Entry("charging, on a charger", pluggedWiFi, Constraints{RequiresCharging: Ptr(true)}, true),
		Entry("charging, unplugged", unpluggedWiFi, Constraints{RequiresCharging: Ptr(true)}, false),
		Entry("unmetered, on Wi-Fi", pluggedWiFi, Constraints{NetworkType: Ptr(NetworkUnmetered)}, true),
		Entry("unmetered, on cellular", pluggedCellular, Constraints{NetworkType: Ptr(NetworkUnmetered)}, false),
		Entry("connected, on cellular", pluggedCellular, Constraints{NetworkType: Ptr(NetworkConnected)}, true),
		Entry("connected, offline", unpluggedOff, Constraints{NetworkType: Ptr(NetworkConnected)}, false),
		Entry("battery not low, at 80 %", unpluggedWiFi, Constraints{RequiresBatteryNotLow: Ptr(true)}, true),
		Entry("battery not low, at 10 %", unpluggedLow, Constraints{RequiresBatteryNotLow: Ptr(true)}, false),
		Entry("charging and unmetered, on a charger on Wi-Fi", pluggedWiFi,
			Constraints{RequiresCharging: Ptr(true), NetworkType: Ptr(NetworkUnmetered)}, true),
		Entry("charging and unmetered, on a charger on cellular", pluggedCellular,
			Constraints{RequiresCharging: Ptr(true), NetworkType: Ptr(NetworkUnmetered)}, false),
	)
})

var _ = Describe("the hourly sync", func() {
	var s *Sim

	BeforeEach(func() {
		// A fresh simulated phone for every spec.
		s = New(GinkgoT(), Android(34), Seed(7), Charger(ChargerAC), Task("sync", 3*time.Second, Success))
		Expect(s.Workmanager().Initialize()).To(Succeed())
		Expect(s.Workmanager().RegisterPeriodicTask("sync-1", "sync", PeriodicOptions{
			Frequency:   Ptr(time.Hour),
			Constraints: &Constraints{NetworkType: Ptr(NetworkConnected)},
		})).To(Succeed())
	})

	It("runs about hourly on a charger", func() {
		Expect(s.RunFor(24 * time.Hour)).To(Succeed())
		Expect(s).To(HaveRun("sync").AtLeast(20).Within(24 * time.Hour))
		Expect(s).To(HaveMaxGap("sync", 2*time.Hour))
		Expect(s).To(HaveNoErrors())
	})

	When("the device reboots", func() {
		It("keeps running afterwards (WorkManager reschedules at boot)", func() {
			s.At(6*time.Hour, func(s *Sim) { s.Reboot(2 * time.Minute) })
			Expect(s.RunFor(12 * time.Hour)).To(Succeed())
			Expect(s).To(HaveRun("sync").During(7*time.Hour, 12*time.Hour).AtLeast(4))
		})
	})

	When("the user force-stops the app", func() {
		It("runs nothing until the app is opened again", func() {
			s.At(2*time.Hour, func(s *Sim) { s.App().ForceStop() })
			s.At(8*time.Hour, func(s *Sim) { s.App().Launch() })
			Expect(s.RunFor(10 * time.Hour)).To(Succeed())
			// The launch at +8h itself may start the work in the app's process
			// (GreedyScheduler), so the quiet window ends just before it.
			Expect(s).To(HaveRun("sync").During(2*time.Hour+time.Minute, 8*time.Hour-time.Second).Times(0))
			Expect(s).To(HaveRun("sync").During(8*time.Hour, 9*time.Hour).AtLeast(1))
		})
	})

	It("never starts while offline (virtual-time Consistently)", func() {
		s.At(time.Hour, func(s *Sim) { s.Device().GoOffline() })
		s.At(5*time.Hour, func(s *Sim) { s.Device().SetNetwork(WiFi) })
		seen := 0
		// Checked after every decision the simulation makes.
		s.Always("no sync starts while offline", func(s *Sim) bool {
			n := s.RunCount("sync")
			ok := n == seen || s.Device().State().Network.Connected()
			seen = n
			return ok
		})
		Expect(s.RunFor(6 * time.Hour)).To(Succeed())
		Expect(s.Violations()).To(BeEmpty())
		Expect(s).To(HaveRun("sync").During(time.Hour+time.Minute, 5*time.Hour).Times(0))
	})

	It("runs again soon after the network returns (virtual-time Eventually)", func() {
		s.Device().GoOffline()
		Expect(s.RunFor(3 * time.Hour)).To(Succeed())
		Expect(s.RunCount("sync")).To(Equal(0))
		s.Device().SetNetwork(WiFi)
		after, ok := s.RunUntilCondition(func() bool { return s.RunCount("sync") > 0 }, 10*time.Minute)
		Expect(ok).To(BeTrue(), "sync ran within 10 virtual minutes of reconnecting")
		Expect(after).To(BeNumerically("<", 3*time.Hour+10*time.Minute))
	})
})
