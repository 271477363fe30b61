package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/wmsim/wmsim/internal/event"
	"math"
	"strings"
	"testing"
	"time"
)

func TestEmitRecordsAndCopies(t *testing.T) {
	var rec Recorder
	e := New(t0, 1, WithSink(&rec))
	if !e.Tracing() {
		t.Fatal("Tracing() false with a sink")
	}
	e.After(90*time.Second, PhaseOS, "x", HandlerFunc(func(e *Engine) {
		e.Emit(event.SourceAndroidJobScheduler, event.Deferred, "sync", "constraint unmet: network", String("net", "none"), Int("attempt", 2))
		e.Emit(event.SourceDevice, "battery.low", "battery", "below 15%")
	}))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	if len(rec.Records) != 2 {
		t.Fatalf("%d records", len(rec.Records))
	}
	r := rec.Records[0]
	if r.At != 90*time.Second || r.Seq != 1 || r.Source != event.SourceAndroidJobScheduler || r.Reason != "constraint unmet: network" {
		t.Fatalf("record %+v", r)
	}
	// The engine reuses its field buffer; the Recorder's copy must survive.
	if f, ok := r.Field("net"); !ok || f.Value() != "none" {
		t.Fatalf("field net = %+v %v", f, ok)
	}
	if f, _ := r.Field("attempt"); f.Value() != int64(2) {
		t.Fatalf("attempt = %v", f.Value())
	}
	if _, ok := r.Field("missing"); ok {
		t.Fatal("missing field found")
	}
	if rec.Records[1].Seq != 2 || len(rec.Records[1].Fields) != 0 {
		t.Fatalf("second record %+v", rec.Records[1])
	}
	if got := rec.Filter(func(r *Record) bool { return r.Source == event.SourceDevice }); len(got) != 1 {
		t.Fatalf("Filter = %v", got)
	}
}

func TestEmitWithoutSinkAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	e := New(t0, 1)
	name := "sync"
	allocs := testing.AllocsPerRun(1000, func() {
		e.Emit(event.SourcePlugin, event.Started, name, "constraints met", String("net", "wifi"), Int("attempt", 3), Dur("delay", time.Minute), Bool("expedited", true), Float("score", 0.5))
	})
	if allocs != 0 {
		t.Fatalf("Emit with no sink: %v allocs", allocs)
	}
}

// A fleet's case: only watches, of some kinds. Emitting to them, or past
// them, allocates nothing once the fields buffer has grown.
func TestEmitToWatchesAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	e := New(t0, 1)
	n := 0
	e.Watch(SinkFunc(func(r *Record) { n += len(r.Fields) }), event.Deferred)
	e.WatchBare(SinkFunc(func(r *Record) { n++ }), event.Started, event.Cancelled)
	name := "sync"
	emit := func() {
		e.Emit(event.SourcePlugin, event.Deferred, name, "", String("blocked_by", "doze"), Int("attempt", 3))
		e.Emit(event.SourcePlugin, event.Started, name, "")
		e.Emit(event.SourcePlugin, event.Skipped, name, "", String("net", "wifi"))
	}
	emit()
	allocs := testing.AllocsPerRun(1000, emit)
	if allocs != 0 {
		t.Fatalf("Emit to watches: %v allocs", allocs)
	}
	if n != 3*1002 {
		t.Fatalf("the watches got %d fields and starts, want %d", n, 3*1002)
	}
}

func TestJSONLSinkFormat(t *testing.T) {
	var buf bytes.Buffer
	s := NewJSONLSink(&buf)
	e := New(t0, 1, WithSink(s))
	e.After(90*time.Second+1234567*time.Nanosecond, PhaseOS, "x", HandlerFunc(func(e *Engine) {
		e.Emit(event.SourceAndroidJobScheduler, event.Deferred, "sync", `quote " and \ back`,
			String("z-first", "a\nb\t\x01"), Int("attempt", -3), Dur("backoff", 30*time.Second+500*time.Microsecond),
			Bool("charging", false), Float("score", 0.1), Float("nan", math.NaN()), Float("big", 1e21))
	}))
	e.After(2*time.Hour, PhaseOS, "y", HandlerFunc(func(e *Engine) {
		e.Emit(event.SourceDevice, "screen.on", "screen", "user \u2028 \xff", Dur("d", 0), Dur("neg", -1500*time.Millisecond))
	}))
	if err := e.RunUntilIdle(); err != nil {
		t.Fatal(err)
	}
	want := `{"t":90.001,"seq":1,"source":"android.jobscheduler","kind":"deferred","subject":"sync","reason":"quote \" and \\ back","fields":{"z-first":"a\nb\t\u0001","attempt":-3,"backoff":30.0005,"charging":false,"score":0.1,"nan":"NaN","big":1e+21}}
{"t":7200,"seq":2,"source":"device","kind":"screen.on","subject":"screen","reason":"user \u2028 \ufffd","fields":{"d":0,"neg":-1.5}}
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if s.Err() != nil || s.Lines() != 2 {
		t.Fatalf("Err=%v Lines=%d", s.Err(), s.Lines())
	}
	// Every line is valid JSON that encoding/json reads back.
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("invalid JSON %q: %v", line, err)
		}
	}
}

func TestAppendSeconds(t *testing.T) {
	for _, c := range []struct {
		d      time.Duration
		digits int
		want   string
	}{
		{0, 3, "0"},
		{time.Millisecond, 3, "0.001"},
		{999 * time.Microsecond, 3, "0"}, // truncated to the millisecond
		{1500 * time.Millisecond, 3, "1.5"},
		{time.Nanosecond, 9, "0.000000001"},
		{-time.Nanosecond, 9, "-0.000000001"},
		{367 * 24 * time.Hour, 3, "31708800"},
		{math.MinInt64, 9, "-9223372036.854775808"},
	} {
		if got := string(appendSeconds(nil, c.d, c.digits)); got != c.want {
			t.Errorf("appendSeconds(%d, %d) = %q, want %q", c.d, c.digits, got, c.want)
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

func TestJSONLSinkSurfacesWriteError(t *testing.T) {
	w := &failWriter{n: 1}
	s := NewJSONLSink(w)
	e := New(t0, 1, WithSink(s))
	for i := 0; i < 3; i++ {
		e.Emit("a", "b", "c", "d")
	}
	if s.Err() == nil || s.Err().Error() != "disk full" || s.Lines() != 1 {
		t.Fatalf("Err=%v Lines=%d", s.Err(), s.Lines())
	}
}

func TestJSONLSinkSteadyStateAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates")
	}
	s := NewJSONLSink(discard{})
	e := New(t0, 1, WithSink(s))
	allocs := testing.AllocsPerRun(1000, func() {
		e.Emit(event.SourcePlugin, event.Started, "sync", "constraints met", String("net", "wifi"), Dur("delay", time.Minute), Float("score", 0.25))
	})
	if allocs != 0 {
		t.Fatalf("JSONL sink: %v allocs per record", allocs)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestJSONLSinkForCarriesScenarioAndPlatform: every line of a labelled sink
// names its scenario and platform first.
func TestJSONLSinkForCarriesScenarioAndPlatform(t *testing.T) {
	var buf bytes.Buffer
	s := NewJSONLSinkFor(&buf, `hourly "sync"`, "android")
	s.Record(&Record{At: 1500 * time.Millisecond, Seq: 1, Source: event.SourceDevice, Kind: "screen.on", Subject: "screen", Fields: []Field{Int("n", 2)}})
	s.Record(&Record{At: 2 * time.Second, Seq: 2, Source: event.SourcePlugin, Kind: event.Call})
	want := `{"scenario":"hourly \"sync\"","platform":"android","t":1.5,"seq":1,"source":"device","kind":"screen.on","subject":"screen","reason":"","fields":{"n":2}}
{"scenario":"hourly \"sync\"","platform":"android","t":2,"seq":2,"source":"plugin","kind":"call","subject":"","reason":"","fields":{}}
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
	allocs := testing.AllocsPerRun(100, func() { s.Record(&Record{Seq: 3, Source: "x"}) })
	if allocs != 0 {
		t.Fatalf("steady state: %v allocs per record", allocs)
	}
}
