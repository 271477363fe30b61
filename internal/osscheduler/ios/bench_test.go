package ios

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/device"
)

// BenchmarkDailyUserMonth simulates 30 days of a daily user with a periodic
// refresh task (about 3,000 evaluations and 230 runs).
func BenchmarkDailyUserMonth(b *testing.B) {
	for b.Loop() {
		measureUser(1, HeuristicsTypical, 30, 30)
	}
}

// BenchmarkEvaluate measures one dasd evaluation of a pending refresh request
// against 14 days of launch history.
func BenchmarkEvaluate(b *testing.B) {
	e := newEnv(nil, 1, testConfig(), func(s *device.State) { s.Charger = device.ChargerAC })
	e.drive(user{opens: typicalOpens, to: 14}, 14)
	_ = e.eng.RunFor(14 * day)
	e.dev.LaunchApp()
	_ = e.m.Submit(refreshReq("refresh"))
	e.dev.BackgroundApp()
	e.m.par.Threshold = 2 // never start: measure the evaluation alone
	_ = e.eng.RunFor(time.Minute)
	if len(e.m.Pending()) != 1 || e.dev.State().Power != device.PowerOn {
		b.Fatal("benchmark setup: want one pending request on a powered device")
	}
	b.ResetTimer()
	for b.Loop() {
		e.m.evaluate()
	}
}
