package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

// The report reads what the kernel's Recorder keeps: records emitted by
// events on a real engine, in the engine's own order and numbering.
func TestFromEngineRecorder(t *testing.T) {
	rec := &sim.Recorder{}
	eng := sim.New(fixtureStart, 1, sim.WithSink(rec))
	emit := func(d time.Duration, phase sim.Phase, f func(e *sim.Engine)) {
		eng.After(d, phase, "test", sim.HandlerFunc(f))
	}
	emit(0, sim.PhaseDevice, func(e *sim.Engine) {
		e.Emit(event.SourceDevice, "network", "device", "network none", sim.Int("battery", 50), sim.String("charger", "none"),
			sim.String("network", "none"), sim.Bool("screen_on", false), sim.String("app", "background"))
	})
	emit(time.Minute, sim.PhaseOS, func(e *sim.Engine) {
		e.Emit(event.SourceAndroidJobScheduler, event.Deferred, "sync-1", "constraint unmet: network", sim.String("gate", "constraint"))
	})
	emit(time.Hour, sim.PhaseDevice, func(e *sim.Engine) {
		e.Emit(event.SourceDevice, "network", "device", "network wifi", sim.Int("battery", 49), sim.String("charger", "none"),
			sim.String("network", "wifi"), sim.Bool("screen_on", false), sim.String("app", "background"))
	})
	emit(time.Hour, sim.PhaseOS, func(e *sim.Engine) {
		e.Emit(event.SourceAndroidJobScheduler, event.Started, "sync-1", "constraints met", sim.String("task", "sync"), sim.Int("attempt", 1))
	})
	require.NoError(t, eng.RunFor(2*time.Hour))
	require.Len(t, rec.Records, 4)

	res := &Result{Scenario: "engine", Platform: "android", Start: fixtureStart.Format(time.RFC3339), End: fixtureStart.Add(2 * time.Hour).Format(time.RFC3339)}
	var buf bytes.Buffer
	require.NoError(t, Explain(&buf, res, rec.Records, eng.Start(), Selector{Task: "sync"}))
	assert.Contains(t, buf.String(), "held back 59m by unmet constraints, until +1:00:00 (Mon 09:00:00) when it started: constraint unmet: network")
	at := 30 * time.Minute
	buf.Reset()
	require.NoError(t, Explain(&buf, res, rec.Records, eng.Start(), Selector{Unique: "sync-1", At: &at}))
	assert.Contains(t, buf.String(), "device: battery 50%, charging none, network none, screen off")

	buf.Reset()
	require.NoError(t, WriteChromeTrace(&buf, res, rec.Records, eng.Start()))
	assert.True(t, json.Valid(buf.Bytes()))
}

func TestWriteTextColor(t *testing.T) {
	res, tr := androidFixture()
	var plain, color bytes.Buffer
	require.NoError(t, WriteText(&plain, res, tr, fixtureStart, TextOptions{Timeline: true}))
	require.NoError(t, WriteText(&color, res, tr, fixtureStart, TextOptions{Timeline: true, Color: true}))
	assert.NotContains(t, plain.String(), "\x1b[")
	assert.Contains(t, color.String(), ansiGreen+"✓"+ansiReset)
	assert.Contains(t, color.String(), ansiRed+"✗"+ansiReset)
	assert.Contains(t, color.String(), ansiRed+ansiBold+"FAIL"+ansiReset)
	// Stripping the colours gives the plain text back.
	stripped := color.String()
	for _, c := range []string{ansiReset, ansiBold, ansiDim, ansiRed, ansiGreen, ansiYellow} {
		stripped = string(bytes.ReplaceAll([]byte(stripped), []byte(c), nil))
	}
	assert.Equal(t, plain.String(), stripped)
}

func TestWriteTextWithoutTrace(t *testing.T) {
	res, _ := androidFixture()
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, res, nil, fixtureStart, TextOptions{Timeline: true}))
	assert.Contains(t, buf.String(), "cleanup-1          finished retry")
	require.NoError(t, WriteTextMulti(&buf, []*Result{res, brokenFixture()}, nil, fixtureStart, TextOptions{}))
	assert.Contains(t, buf.String(), "android FAIL, android LIMIT")
	assert.Error(t, WriteText(&buf, nil, nil, fixtureStart, TextOptions{}))
	assert.Error(t, WriteTextMulti(&buf, nil, nil, fixtureStart, TextOptions{}))
	assert.Error(t, Compare(&buf, res, nil))
}

func TestFormatHelpers(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "+0:00:00", 90 * time.Second: "+0:01:30", 19*hr + 12*mins: "+19:12:00",
		26 * hr: "+1d02:00:00", 2500 * time.Millisecond: "+0:00:02.500", -hr: "-1:00:00",
	} {
		assert.Equal(t, want, fmtOffset(d))
	}
	for d, want := range map[time.Duration]string{
		0: "0s", 250 * time.Millisecond: "250ms", 1500 * time.Millisecond: "1.5s", 90 * time.Second: "1m30s",
		4*hr + 10*mins + 5*sec: "4h10m", 24 * hr: "24h", 50 * hr: "2d2h", 72 * hr: "3d", -2 * sec: "-2s",
	} {
		assert.Equal(t, want, fmtDur(d), d.String())
	}
	assert.Equal(t, "Tue 03:12:00", fmtClock(fixtureStart, 19*hr+12*mins))
}

func TestDeviceSignalsBackdating(t *testing.T) {
	// The first device record changes the charger at +1h: its other fields
	// held since the start, the charger's earlier value is unknown.
	tr := []sim.Record{{At: hr, Seq: 1, Source: event.SourceDevice, Kind: "charger", Subject: "device", Reason: "charger ac",
		Fields: []sim.Field{sim.Int("battery", 40), sim.String("charger", "ac"), sim.String("network", "cellular"), sim.Bool("screen_on", true)}}}
	m := buildModel(&Result{Start: "2026-01-05T08:00:00Z", End: "2026-01-05T10:00:00Z"}, tr, time.Time{})
	sig := map[string]*signal{}
	for _, s := range m.Signals {
		sig[s.Key] = s
	}
	assert.Equal(t, []seg{{From: hr, To: 2 * hr, Value: "ac", Reason: "charger ac"}}, sig["charger"].Segs)
	assert.Equal(t, []seg{{From: 0, To: 2 * hr, Value: "cellular"}}, sig["network"].Segs)
	assert.Equal(t, []batteryPoint{{0, 40}}, m.Battery)
	_, ok := sig["charger"].at(30 * mins)
	assert.False(t, ok)
	assert.Equal(t, "2026-01-05T08:00:00Z", m.Start.Format(time.RFC3339), "start read from the result when not given")
}
