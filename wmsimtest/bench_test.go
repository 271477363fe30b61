package wmsimtest_test

import (
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/wmsimtest"
)

func officeDay(b *testing.B, h bool) *wmsimtest.Sim {
	opts := []wmsimtest.Option{wmsimtest.Android(34), wmsimtest.Seed(7), wmsimtest.Profile("office-worker")}
	if h {
		opts = append(opts, wmsimtest.Handler("sync", func(ctx *plugin.TaskContext) (bool, error) {
			ctx.Clock.Sleep(3 * time.Second)
			return true, nil
		}))
	}
	s, err := wmsimtest.Build(opts...)
	if err != nil {
		b.Fatal(err)
	}
	s.Workmanager().Initialize()
	s.Workmanager().RegisterPeriodicTask("sync-1", "sync", plugin.PeriodicOptions{Frequency: plugin.Ptr(time.Hour)})
	if err := s.RunFor(24 * time.Hour); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkOfficeDay: build a Sim, register an hourly sync, run a day.
func BenchmarkOfficeDay(b *testing.B) {
	for b.Loop() {
		officeDay(b, false)
	}
}

// BenchmarkOfficeDayGoHandler: the same with a Go handler that sleeps on the
// virtual clock (a kernel process hand-off per run).
func BenchmarkOfficeDayGoHandler(b *testing.B) {
	for b.Loop() {
		officeDay(b, true)
	}
}

// BenchmarkMatcher: one HaveRun verdict (builds the result document).
func BenchmarkMatcher(b *testing.B) {
	s := officeDay(b, false)
	m := wmsimtest.HaveRun("sync").AtLeast(20).Within(24 * time.Hour)
	for b.Loop() {
		if ok, err := m.Match(s); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
