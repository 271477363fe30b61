package report

import (
	"github.com/wmsim/wmsim/internal/event"
	"io"
	"testing"
	"time"

	"github.com/wmsim/wmsim/internal/sim"
)

var fuzzSources = []event.Source{"device", "android.doze", "android.standby", "android.jobscheduler", "ios.dasd", "plugin", "runner", ""}
var fuzzKinds = []event.Kind{"registered", "enqueued", "clamped", "deferred", "started", "finished", "stopped", "expired",
	"cancelled", "rejected", "warning", "state", "bucket", "charger", "power.off", "boot.completed", "battery.level", "??"}
var fuzzFields = []sim.Field{sim.String("gate", "doze"), sim.Int("battery", -5), sim.Int("battery", 250),
	sim.String("state", "IDLE"), sim.String("bucket", ""), sim.Bool("screen_on", true), sim.String("charger", "<ac>"),
	sim.Float("score", 0.3), sim.Dur("delay", -time.Hour), sim.String("outcome", "retry")}

// FuzzRenderers feeds arbitrary traces and run figures to every renderer:
// none may panic, whatever the order, times or kinds.
func FuzzRenderers(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3600.0, -1.0)
	f.Add([]byte{3, 3, 3, 200, 17, 255, 0, 0}, 1e300, 5.5)
	f.Fuzz(func(t *testing.T, data []byte, tStart, eligible float64) {
		// 64 records reach every branch; longer inputs only make each
		// execution, and the minimisation of a new input, slower.
		if len(data) > 256 {
			t.Skip()
		}
		var tr []sim.Record
		for i := 0; i+3 < len(data); i += 4 {
			tr = append(tr, sim.Record{
				At:      time.Duration(int8(data[i])) * time.Minute,
				Seq:     uint64(data[i+1]),
				Source:  fuzzSources[int(data[i+1])%len(fuzzSources)],
				Kind:    fuzzKinds[int(data[i+2])%len(fuzzKinds)],
				Subject: []string{"a", "b", "device", ""}[data[i+3]%4],
				Reason:  string(data[i : i+2]),
				Fields:  []sim.Field{fuzzFields[int(data[i+3])%len(fuzzFields)]},
			})
		}
		res := &Result{Start: "2026-01-05T08:00:00Z", End: "bogus", Platform: "ios",
			Runs:       []Run{{Unique: "a", TStart: Seconds(tStart), TEnd: Seconds(tStart / 2), Eligible: Seconds(eligible)}},
			Invariants: Invariants{Violations: []Violation{{T: Seconds(eligible), Invariant: "x"}}}}
		at := time.Duration(len(data)) * time.Minute
		_ = Explain(io.Discard, res, tr, time.Time{}, Selector{Unique: "a"})
		_ = Explain(io.Discard, res, tr, time.Time{}, Selector{Unique: "b", At: &at})
		_ = WriteText(io.Discard, res, tr, time.Time{}, TextOptions{Timeline: true, Color: true})
		_ = WriteChromeTrace(io.Discard, res, tr, time.Time{})
		_ = WriteHTML(io.Discard, []*Result{res}, [][]sim.Record{tr}, time.Time{})
		_ = WriteJUnit(io.Discard, []*Result{res})
		_ = Compare(io.Discard, res, res)
	})
}
