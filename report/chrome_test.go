package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type parsedTrace struct {
	TraceEvents     []map[string]any `json:"traceEvents"`
	DisplayTimeUnit string           `json:"displayTimeUnit"`
}

func chromeTrace(t *testing.T, platform string) (parsedTrace, []byte) {
	t.Helper()
	res, tr := fixtureFor(platform)
	var buf bytes.Buffer
	require.NoError(t, WriteChromeTrace(&buf, res, tr, fixtureStart))
	var p parsedTrace
	require.NoError(t, json.Unmarshal(buf.Bytes(), &p), "the Chrome trace must be JSON")
	return p, buf.Bytes()
}

func TestChromeTraceGolden(t *testing.T) {
	_, raw := chromeTrace(t, "android")
	golden(t, "chrome_android.json", raw)
}

// The Trace Event Format's required fields are present, timestamps never go
// back on a track, and complete events have a duration
// (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU).
func TestChromeTraceStructure(t *testing.T) {
	for _, platform := range []string{"android", "ios"} {
		t.Run(platform, func(t *testing.T) {
			p, _ := chromeTrace(t, platform)
			assert.Equal(t, "ms", p.DisplayTimeUnit)
			require.NotEmpty(t, p.TraceEvents)
			last := map[string]float64{}
			threadNames := map[string]string{}
			phases := map[string]int{}
			for i, e := range p.TraceEvents {
				for _, k := range []string{"name", "ph", "ts", "pid", "tid"} {
					require.Contains(t, e, k, "event %d lacks %q: %v", i, k, e)
				}
				ph := e["ph"].(string)
				phases[ph]++
				track := fmt.Sprint(e["pid"], "/", e["tid"])
				if ph == "M" {
					if e["name"] == "thread_name" {
						threadNames[track] = e["args"].(map[string]any)["name"].(string)
					}
					continue
				}
				if ph == "C" {
					track += "/counter"
				}
				ts := e["ts"].(float64)
				assert.GreaterOrEqual(t, ts, last[track], "event %d goes back in time on track %s", i, track)
				last[track] = ts
				if ph == "X" {
					require.Contains(t, e, "dur")
					assert.GreaterOrEqual(t, e["dur"].(float64), 0.0)
				}
			}
			assert.Positive(t, phases["X"])
			assert.Positive(t, phases["C"], "battery counter")
			assert.Positive(t, phases["M"])
			if platform == "android" {
				assert.Equal(t, "periodic-sync (fetchLatestPosts)", threadNames["2/1"])
				assert.Equal(t, "Doze", threadNames["1/5"])
				assert.Equal(t, "bucket", threadNames["1/6"])
			}
		})
	}
}

// Runs carry outcome, attempt and why_then; deferral slices carry the
// reason; the run at 00:30:02 sits at its offset in microseconds.
func TestChromeTraceContent(t *testing.T) {
	p, _ := chromeTrace(t, "android")
	var run, held, doze map[string]any
	for _, e := range p.TraceEvents {
		if e["ph"] != "X" {
			continue
		}
		switch {
		case e["pid"] == 2.0 && e["ts"] == float64((16*hr+30*mins+2*sec).Microseconds()):
			run = e
		case e["pid"] == 2.0 && e["name"] == "held: Doze" && held == nil:
			held = e
		case e["pid"] == 1.0 && e["name"] == "IDLE" && doze == nil:
			doze = e
		}
	}
	require.NotNil(t, run)
	assert.Equal(t, "fetchLatestPosts", run["name"])
	assert.Equal(t, float64(4e6), run["dur"])
	args := run["args"].(map[string]any)
	assert.Equal(t, "success", args["outcome"])
	assert.Equal(t, 1.0, args["attempt"])
	assert.Equal(t, "Doze maintenance window", args["why_then"])
	require.NotNil(t, held)
	assert.Equal(t, "Doze: idle until the maintenance window at 00:30", held["args"].(map[string]any)["reason"])
	assert.Equal(t, float64((16 * hr).Microseconds()), held["ts"])
	require.NotNil(t, doze)
	assert.Equal(t, float64((15*hr + 30*mins).Microseconds()), doze["ts"])
	assert.Equal(t, float64((1 * hr).Microseconds()), doze["dur"])
}

func TestChromeTraceDeterministic(t *testing.T) {
	_, a := chromeTrace(t, "ios")
	_, b := chromeTrace(t, "ios")
	assert.Equal(t, a, b)
}

func TestSubtract(t *testing.T) {
	iv := func(a, b int) [2]time.Duration { return [2]time.Duration{time.Duration(a), time.Duration(b)} }
	tests := []struct {
		from, to int
		cut      [][2]time.Duration
		want     [][2]time.Duration
	}{
		{0, 10, nil, [][2]time.Duration{iv(0, 10)}},
		{0, 10, [][2]time.Duration{iv(3, 5)}, [][2]time.Duration{iv(0, 3), iv(5, 10)}},
		{0, 10, [][2]time.Duration{iv(0, 10)}, nil},
		{0, 10, [][2]time.Duration{iv(8, 20), iv(-5, 2)}, [][2]time.Duration{iv(2, 8)}},
		{0, 10, [][2]time.Duration{iv(12, 20)}, [][2]time.Duration{iv(0, 10)}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, subtract(time.Duration(tt.from), time.Duration(tt.to), tt.cut))
	}
}
