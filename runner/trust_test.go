package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/wmsim/wmsim/scenarios"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wideInputData is a scenario whose one call has n inputData keys, in block
// or flow style.
func wideInputData(n int, flow bool) []byte {
	var sb strings.Builder
	sb.WriteString(minimal + "platform: android\napp: { tasks: { sync: {} } }\ntimeline:\n  - at: 1m\n    call: registerOneOffTask\n    args:\n      uniqueName: u\n      taskName: sync\n      inputData:")
	if flow {
		sb.WriteString(" {")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "k%d: %d, ", i, i)
		}
		sb.WriteString("z: 1}\n")
		return []byte(sb.String())
	}
	sb.WriteString("\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "        k%d: %d\n", i, i)
	}
	return []byte(sb.String())
}

// TestMappingTooWide: a mapping wider than MaxMappingKeys is refused before
// the YAML parser sees it (whose time is quadratic in a mapping's width),
// at the first key past the limit; one at the limit loads.
func TestMappingTooWide(t *testing.T) {
	for _, flow := range []bool{false, true} {
		_, err := scenarios.Parse("wide.yaml", wideInputData(scenarios.MaxMappingKeys-1, flow)) // + "z" in flow
		require.NoError(t, err, "flow=%v", flow)

		_, err = scenarios.Parse("wide.yaml", wideInputData(200_000, flow))
		var le *scenarios.LoadError
		require.ErrorAs(t, err, &le, "flow=%v", flow)
		require.Len(t, le.Diagnostics, 1)
		d := le.Diagnostics[0]
		assert.Equal(t, "mapping too wide", d.Message)
		assert.Equal(t, "at most 1000 keys in one mapping", d.Valid)
		if !flow {
			// key k1000 is on line 12+1000+1 at column 9.
			assert.Equal(t, 12+scenarios.MaxMappingKeys+1, d.Line)
			assert.Equal(t, 9, d.Column)
		}
	}
	// Many narrow mappings in one list are fine: the bound is per mapping.
	var sb strings.Builder
	sb.WriteString(minimal + "app: { tasks: { sync: {} } }\ntimeline:\n")
	for i := 0; i < 3*scenarios.MaxMappingKeys; i++ {
		fmt.Fprintf(&sb, "  - at: %ds\n    call: registerOneOffTask\n    args: { uniqueName: u%d, taskName: sync }\n", i, i)
	}
	_, err := scenarios.Parse("long.yaml", []byte(sb.String()))
	require.NoError(t, err)
}

// TestByteOrderMark: a UTF-8 BOM is accepted, and positions on the first
// line count from the character after it.
func TestByteOrderMark(t *testing.T) {
	s, err := scenarios.Parse("bom.yaml", []byte("\uFEFF"+minimal))
	require.NoError(t, err)
	assert.Equal(t, "minimal", s.Name)

	_, err = scenarios.Parse("bom.yaml", []byte("\uFEFFversion: 2\nname: minimal\nduration: 1d\n"))
	var le *scenarios.LoadError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, 1, le.Diagnostics[0].Line)
	assert.Equal(t, 10, le.Diagnostics[0].Column)
	assert.Equal(t, "version", le.Diagnostics[0].Path)

	_, err = scenarios.Parse("bom.yaml", []byte("\uFEFF"+minimal+"platform: androd\n"))
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, 4, le.Diagnostics[0].Line)
	assert.Equal(t, 11, le.Diagnostics[0].Column)
}

// awake is the reproduction: a periodic task on a phone with the
// screen on and the charger in, for two days, with a uniqueName of n bytes.
func awake(n int) []byte {
	return []byte(fmt.Sprintf(`version: 1
name: big
duration: 2d
platform: android
device: { screen: on, charger: ac }
app:
  tasks:
    sync: { duration: 1s, result: success }
timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: %s, taskName: sync, frequency: 15m }
`, strings.Repeat("u", n)))
}

// TestStringCaps: the 1 MB uniqueName (1.3 GB of memory, a 193 MB
// result) is refused where it stands; names up to MaxNameBytes and other
// strings up to MaxStringBytes load.
func TestStringCaps(t *testing.T) {
	_, err := scenarios.Parse("big.yaml", awake(1<<20))
	var le *scenarios.LoadError
	require.ErrorAs(t, err, &le)
	require.Len(t, le.Diagnostics, 1)
	d := le.Diagnostics[0]
	assert.Equal(t, "timeline[1].args.uniqueName", d.Path)
	assert.Equal(t, "string too long (1048576 bytes)", d.Message)
	assert.Equal(t, "a name, identifier, tag or key is at most 1024 bytes", d.Valid)
	assert.Equal(t, 14, d.Line)
	assert.LessOrEqual(t, len(d.Excerpt), 1000)

	_, err = scenarios.Parse("ok.yaml", awake(scenarios.MaxNameBytes))
	require.NoError(t, err)

	long := strings.Repeat("x", scenarios.MaxStringBytes+1)
	for _, tc := range []struct{ src, path string }{
		{minimal + "description: " + long + "\n", "description"},
		{minimal + "app: { tasks: { " + strings.Repeat("t", scenarios.MaxNameBytes+1) + ": {} } }\n", "app.tasks"},
		{minimal + "app: { tasks: { sync: {} } }\ntimeline:\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: sync, inputData: { s: " + long + " } }\n", "timeline[0].args.inputData.s"},
		{minimal + "app: { tasks: { sync: {} } }\ntimeline:\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: sync, tag: " + strings.Repeat("t", scenarios.MaxNameBytes+1) + " }\n", "timeline[0].args.tag"},
		{minimal + "platform: ios\nios: { permitted_identifiers: [" + strings.Repeat("i", scenarios.MaxNameBytes+1) + "] }\n", "ios.permitted_identifiers[0]"},
	} {
		_, err := scenarios.Parse("s.yaml", []byte(tc.src))
		require.ErrorAs(t, err, &le, tc.path)
		assert.Equal(t, tc.path, le.Diagnostics[0].Path)
		assert.Contains(t, le.Diagnostics[0].Message, "string too long")
	}
	_, err = scenarios.Parse("ok.yaml", []byte(minimal+"description: "+long[1:]+"\n"))
	require.NoError(t, err)
}

// TestTraceByteCap: a run whose kept trace text passes the byte cap stops
// with the max_trace_bytes limit (exit 3), keeping no more than the cap.
func TestTraceByteCap(t *testing.T) {
	sc, err := scenarios.Parse("big.yaml", awake(scenarios.MaxNameBytes))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{KeepTrace: true})
	require.NoError(t, err)
	pr := out.Runs[0]
	require.Nil(t, pr.LimitErr)
	total := 0
	for i := range pr.Trace {
		total += traceBytes(&pr.Trace[i])
	}
	require.Greater(t, total, 100_000)

	old := maxTraceBytes
	maxTraceBytes = total / 2
	t.Cleanup(func() { maxTraceBytes = old })
	out, err = Run(sc, RunOptions{KeepTrace: true})
	require.NoError(t, err)
	pr = out.Runs[0]
	require.NotNil(t, pr.LimitErr)
	assert.Equal(t, "max_trace_bytes", pr.LimitErr.Limit)
	assert.Contains(t, pr.Result.Limit, fmt.Sprintf("safety limit max_trace_bytes (%d bytes of trace text)", total/2))
	kept := 0
	for i := range pr.Trace {
		kept += traceBytes(&pr.Trace[i])
	}
	assert.LessOrEqual(t, kept, total/2)
}

// TestInputDataTooLargeIsARejectedCall: WorkManager's Data holds at most
// 10,240 bytes serialised (androidx.work.Data.MAX_DATA_BYTES; Data.Builder
// build() throws IllegalStateException "Data cannot occupy more than 10240
// bytes when serialized"). A bigger inputData loads (the scenario is
// valid) and the call is rejected on Android like any refused call; the
// iOS plugin puts no such limit on its inputData.
func TestInputDataTooLargeIsARejectedCall(t *testing.T) {
	src := minimal + "platform: [android, ios]\nios: { permitted_identifiers: [u] }\napp: { tasks: { sync: {} } }\ntimeline:\n  - at: 0s\n    call: initialize\n" +
		"  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: sync, inputData: { s: " + strings.Repeat("x", 11_000) + " } }\n"
	sc, err := scenarios.Parse("data.yaml", []byte(src))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{})
	require.NoError(t, err)
	require.Len(t, out.Runs, 2)
	for _, pr := range out.Runs {
		if pr.Platform == "ios" {
			for _, e := range pr.Result.Errors {
				assert.NotEqual(t, "invalid_input_data", e.Code, "%+v", e)
			}
			continue
		}
		require.Len(t, pr.Result.Errors, 1)
		e := pr.Result.Errors[0]
		assert.Equal(t, "registerOneOffTask", e.Call)
		assert.Equal(t, "invalid_input_data", e.Code)
		assert.Equal(t, "Data cannot occupy more than 10240 bytes when serialized (11123 bytes)", e.Message)
		assert.True(t, e.SeenByApp)
	}
}

// TestDiagnosticsAreSafeToPrint: a key or a line holding ANSI escapes,
// control characters or bidi overrides is shown escaped in the
// diagnostic's text and excerpt.
func TestDiagnosticsAreSafeToPrint(t *testing.T) {
	src := minimal + "app: { tasks: { sync: {} } }\ntimeline:\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: x\u202Egnp, taskName: sync, inputData: { \"k\\e[31m\\r\u2066\": 99999999999999999999 } }\n"
	_, err := scenarios.Parse("hostile.yaml", []byte(src))
	require.Error(t, err)
	out := err.Error()
	for _, bad := range []string{"\x1b", "\r", "\u202E", "\u2066"} {
		assert.NotContains(t, out, bad)
	}
	assert.Contains(t, out, `inputData["k\x1b[31m\r\u2066"]: integer`)
	assert.Contains(t, out, "uniqueName: x\uFFFDgnp,")
}

// TestWriteJSONLNamesScenarioAndPlatform: a run's JSON Lines trace carries
// the scenario and the platform on every line.
func TestWriteJSONLNamesScenarioAndPlatform(t *testing.T) {
	sc, err := scenarios.Parse("s.yaml", []byte(minimal+"platform: [android, ios]\n"))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{KeepTrace: true})
	require.NoError(t, err)
	var b strings.Builder
	for _, pr := range out.Runs {
		require.NotEmpty(t, pr.Trace)
		require.NoError(t, pr.WriteJSONL(&b))
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	platforms := map[string]int{}
	for _, l := range lines {
		var rec struct {
			Scenario, Platform string
			T                  *float64
		}
		require.NoError(t, json.Unmarshal([]byte(l), &rec), l)
		assert.Equal(t, "minimal", rec.Scenario)
		require.NotNil(t, rec.T)
		platforms[rec.Platform]++
	}
	assert.Equal(t, len(out.Runs[0].Trace), platforms["android"])
	assert.Equal(t, len(out.Runs[1].Trace), platforms["ios"])
}

// TestTimingStaysOutOfJSON: the runner measures each run's wall time for
// JUnit, apart from the result, whose JSON never shows it.
func TestTimingStaysOutOfJSON(t *testing.T) {
	sc, err := scenarios.Parse("s.yaml", []byte(minimal+"expect:\n  - no_errors: true\n"))
	require.NoError(t, err)
	out, err := Run(sc, RunOptions{})
	require.NoError(t, err)
	res := out.Runs[0].Result
	tm := out.Runs[0].Timing
	require.NotNil(t, tm)
	assert.Positive(t, tm.Run)
	assert.Len(t, tm.Expectations, len(res.Expectations))
	b, err := json.Marshal(res)
	require.NoError(t, err)
	assert.NotContains(t, strings.ToLower(string(b)), "timing")
}
