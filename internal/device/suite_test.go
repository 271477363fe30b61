package device

import (
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/wmsim/wmsim/internal/sim"
)

func TestDeviceSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "device behaviours")
}

var _ = Describe("a simulated phone", func() {
	var (
		eng   *sim.Engine
		dev   *Device
		kinds []ChangeKind
	)
	BeforeEach(func() {
		eng = sim.New(t0, 1)
		dev = New(eng, Config{Initial: DefaultState()})
		kinds = nil
		dev.Subscribe(ListenerFunc(func(c *Change) { kinds = append(kinds, c.Kind) }))
	})
	// run advances virtual time and reports the instant pred first held.
	runUntil := func(pred func() bool, limit time.Duration) time.Duration {
		at, ok, err := eng.RunUntilCondition(pred, limit)
		Expect(err).NotTo(HaveOccurred())
		Expect(ok).To(BeTrue(), "condition never held within %s", limit)
		return at.Sub(t0)
	}

	Context("unplugged, screen off on Wi-Fi (10 mA)", func() {
		It("reports battery low the first nanosecond below 16 % and okay only at 20 %", func() {
			dev.SetBatteryLevel(16)
			at := runUntil(func() bool { return dev.st.BatteryLow }, 48*time.Hour)
			Expect(at).To(Equal(2*time.Hour + 1))
			dev.SetCharger(ChargerWireless)
			Expect(dev.State().BatteryLow).To(BeFalse(), "plugging in clears low")
			dev.SetCharger(ChargerNone)
			dev.SetBatteryLevel(14)
			Expect(dev.State().BatteryLow).To(BeTrue())
			dev.SetBatteryLevel(19)
			Expect(dev.State().BatteryLow).To(BeTrue(), "no okay below 20 %")
			dev.SetBatteryLevel(20)
			Expect(dev.State().BatteryLow).To(BeFalse())
		})

		It("dies at 0 % and stays off until charged to the boot level", func() {
			dev.SetBatteryLevel(1) // 1.5 %: 60,000 µAh at 10 mA = 6 h
			at := runUntil(func() bool { return dev.st.Power == PowerOff }, 24*time.Hour)
			Expect(at).To(Equal(6 * time.Hour))
			Expect(kinds).To(ContainElement(ChangePowerOff))
			dev.SetScreen(true)
			Expect(dev.State().ScreenOn).To(BeFalse(), "a dead phone's screen stays off")
			dev.SetCharger(ChargerUSB)
			runUntil(func() bool { return dev.st.Power == PowerOn }, time.Hour)
			Expect(dev.State().Battery.Level()).To(Equal(2))
			Expect(kinds[len(kinds)-1]).To(Equal(ChangeBootCompleted))
		})
	})

	Context("rebooted", func() {
		It("loses the process and tasks, keeps the store, and boots after exactly the downtime", func() {
			dev.Store("app.user_defaults").Set("k", "v")
			dev.LaunchApp()
			dev.TaskStarted()
			dev.Reboot(45 * time.Second)
			Expect(dev.State().Power).To(Equal(PowerOff))
			Expect(dev.State().App).To(Equal(ProcessNotRunning))
			Expect(dev.Busy()).To(BeZero())
			at := runUntil(func() bool { return dev.st.Power == PowerOn }, time.Hour)
			Expect(at).To(Equal(45 * time.Second))
			Expect(dev.Store("app.user_defaults").Keys()).To(Equal([]string{"k"}))
		})
	})

	Context("under the office-worker profile", func() {
		It("spends weekday working hours on office Wi-Fi and commutes on cellular", func() {
			p, _ := BuiltinProfile("office-worker")
			Expect(dev.ApplyProfile(p, t0.Add(7*24*time.Hour))).To(Succeed())
			Expect(eng.RunUntil(t0.Add(12 * time.Hour))).To(Succeed()) // Monday noon
			Expect(dev.State().Network.Type).To(Equal(NetworkWiFi))
			Expect(dev.State().Moving).To(BeFalse())
			sawCell := false
			dev.Subscribe(ListenerFunc(func(c *Change) {
				if c.Kind == ChangeNetwork && c.State.Network.Type == NetworkCellular {
					Expect(c.State.Network.Metered).To(BeTrue())
					sawCell = true
				}
			}))
			Expect(eng.RunUntil(t0.Add(20 * time.Hour))).To(Succeed())
			Expect(sawCell).To(BeTrue(), "the evening commute is on cellular")
			Expect(dev.Launches()).NotTo(BeEmpty())
		})
	})
})
