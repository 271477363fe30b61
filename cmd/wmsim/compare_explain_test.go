package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/scan"
	"github.com/wmsim/wmsim/report"
)

// strictBoth is a scenario on both platforms whose expectation fails
// everywhere (one run of a one-off task, 100 wanted).
const strictBoth = "version: 1\nname: strict\nduration: 1h\nplatform: [android, ios]\n" +
	"app: { tasks: { t: { duration: 1s } } }\n" +
	"timeline:\n  - at: 0s\n    call: initialize\n  - at: 1m\n    call: registerOneOffTask\n    args: { uniqueName: u, taskName: t }\n" +
	"expect:\n  - task: t\n    runs: { min: 100 }\n"

// compare --plugin/--api/--ios run the scenario under each profile and show
// the task tables per profile (compare.Profiles), as text or JSON.
func TestCompareProfiles(t *testing.T) {
	code, out, stderr := runCLI(t, "compare", "periodic-task", "--plugin", "0.5,0.9,0.10.10")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "periodic-task: plugin 0.5 vs 0.9 vs 0.10.10")
	assert.Contains(t, out, "android periodic-sync (task fetchLatestPosts)")
	assert.Regexp(t, `first run +\+\S+ +\+\S+ +\+\S+`, out)

	for _, tc := range []struct {
		axis, values, platform string
		profiles               []string
	}{
		{"api", "33,35", "android", []string{"33", "35"}},
		{"ios", "17,26", "ios", []string{"17", "26"}},
		{"plugin", "0.9,0.10.10", "android", []string{"0.9", "0.10.10"}},
	} {
		t.Run(tc.axis, func(t *testing.T) {
			code, out, stderr := runCLI(t, "compare", "side-by-side", "--"+tc.axis, tc.values, "--format", "json")
			require.Equal(t, exitOK, code, stderr)
			var doc struct {
				Format   string   `json:"format"`
				Axis     string   `json:"axis"`
				Profiles []string `json:"profiles"`
				Tasks    []struct {
					Platform string            `json:"platform"`
					Cells    []json.RawMessage `json:"cells"`
				} `json:"tasks"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
			assert.Equal(t, "wmsim.compare/v1", doc.Format)
			assert.Equal(t, tc.axis, doc.Axis)
			assert.Equal(t, tc.profiles, doc.Profiles)
			require.NotEmpty(t, doc.Tasks)
			platforms := map[string]bool{}
			for _, task := range doc.Tasks {
				assert.Len(t, task.Cells, len(tc.profiles))
				platforms[task.Platform] = true
			}
			if tc.axis == "plugin" {
				// The plugin axis keeps the scenario's platforms.
				assert.Equal(t, map[string]bool{"android": true, "ios": true}, platforms)
			} else {
				assert.Equal(t, map[string]bool{tc.platform: true}, platforms)
			}
		})
	}
}

// An expectation failing under any profile is exit 1, and stderr names the
// profile and platform; the comparison is still printed.
func TestCompareProfilesFailedExpectation(t *testing.T) {
	scen := writeFile(t, "strict.yaml", []byte(strictBoth))
	code, out, stderr := runCLI(t, "compare", scen, "--plugin", "0.9,0.10.10")
	assert.Equal(t, exitExpect, code, stderr)
	assert.Contains(t, out, "strict: plugin 0.9 vs 0.10.10")
	assert.Contains(t, stderr, "wmsim compare: plugin 0.9, on android: expectation failed")
	assert.Contains(t, stderr, "wmsim compare: plugin 0.10.10, on ios: expectation failed")

	code, out, stderr = runCLI(t, "compare", scen, "--api", "33,35", "--format", "json")
	assert.Equal(t, exitExpect, code, stderr)
	assert.Contains(t, out, `"format": "wmsim.compare/v1"`)
	assert.Contains(t, stderr, "api 35, on android: expectation failed")
	assert.NotContains(t, stderr, "on ios")
}

// Usage mistakes of compare's axes are exit 2 before anything runs.
func TestCompareProfilesUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--api", "33", "--ios", "17"}, "--api and --ios: compare one axis at a time"},
		{[]string{"--plugin", "0.9", "--api", "33"}, "one axis at a time"},
		{[]string{"--api", "33,zz"}, "--api zz: an Android API level"},
		{[]string{"--api", "12"}, "--api 12: an Android API level"},
		{[]string{"--ios", "20"}, "--ios 20: an iOS version"},
		{[]string{"--plugin", "9.9"}, "--plugin 9.9"},
		{[]string{"--api", "33,,35"}, "comma-separated"},
		{[]string{"--api", ""}, "comma-separated"},
		{[]string{"--ios", "17,17"}, "17 is given twice"},
		{[]string{"--format", "json"}, "--format json needs an axis"},
		{[]string{"--api", "33", "--format", "xml"}, `--format "xml"`},
		{[]string{"--api", "33", "--platform", "ios"}, "--platform: --api picks the platform itself"},
		{[]string{"--platform", "ios"}, "compare always runs both android and ios"},
	} {
		code, out, stderr := runCLI(t, append([]string{"compare", "side-by-side"}, tc.args...)...)
		assert.Equal(t, exitInvalid, code, "%v: %s", tc.args, stderr)
		assert.Empty(t, out, "%v", tc.args)
		assert.Contains(t, stderr, tc.msg, "%v", tc.args)
	}
	// --platform chooses the platforms of the plugin axis.
	code, out, stderr := runCLI(t, "compare", "side-by-side", "--plugin", "0.9,0.10.10", "--platform", "ios")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "ios periodic-sync")
	assert.NotContains(t, out, "android ")
}

// A safety limit under any profile is exit 3.
func TestCompareProfilesLimit(t *testing.T) {
	code, _, stderr := runCLI(t, "compare", "side-by-side", "--api", "33,35", "--max-events", "50")
	assert.Equal(t, exitLimit, code, stderr)
	assert.Contains(t, stderr, "max_events")
}

// explain --format json prints the wmsim.explain/v1 document, which
// validates against `wmsim schema --for explain`, with and without --at.
func TestExplainJSON(t *testing.T) {
	schema := compileSchema(t, "explain")
	for _, args := range [][]string{
		{"hourly-sync-survives-doze", "--unique", "periodic-sync"},
		{"hourly-sync-survives-doze", "--unique", "periodic-sync", "--at", "3h"},
		{"rare-bucket-app", "--unique", "refresh", "--at", "12h"},
		{"ios-refresh-weekly-user", "--task", "fetchLatestPosts"},
		{"side-by-side", "--unique", "periodic-sync", "--platform", "ios", "--at", "1d"},
	} {
		code, out, stderr := runCLI(t, append(append([]string{"explain"}, args...), "--format", "json")...)
		require.Equal(t, exitOK, code, "%v: %s", args, stderr)
		validate(t, schema, args[0], []byte(out))
		var doc struct {
			Format, Scenario, Platform string
			Tasks                      []struct {
				Unique string
				Events []struct{ Kind string }
				At     *struct{ State string }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		assert.Equal(t, "wmsim.explain/v1", doc.Format)
		assert.Equal(t, args[0], doc.Scenario)
		require.NotEmpty(t, doc.Tasks)
		assert.NotEmpty(t, doc.Tasks[0].Events)
		hasAt := len(args) > 3 && args[len(args)-2] == "--at"
		assert.Equal(t, hasAt, doc.Tasks[0].At != nil, "%v", args)
		if hasAt {
			assert.Contains(t, []string{"running", "held", "idle"}, doc.Tasks[0].At.State)
		}
	}
	// A document that is not an explanation does not match.
	_, res, _ := runCLI(t, "run", "oneoff-task", "--format", "json")
	assert.Error(t, schema.Validate(mustJSON(t, res)), "a result is not an explanation")
	assert.Error(t, schema.Validate(mustJSON(t, `{"format": "wmsim.explain/v1"}`)), "required fields")
}

// explain --format json is one document: a scenario on several platforms
// needs --platform. Bad formats and unknown tasks are exit 2.
func TestExplainJSONUsage(t *testing.T) {
	code, out, stderr := runCLI(t, "explain", "side-by-side", "--unique", "periodic-sync", "--format", "json")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "add --platform")

	code, _, stderr = runCLI(t, "explain", "oneoff-task", "--task", "x", "--format", "xml")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, `--format "xml": valid: text, json`)

	code, out, stderr = runCLI(t, "explain", "oneoff-task", "--unique", "no-such-work", "--format", "json")
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, out)
	assert.NotEmpty(t, stderr)

	// The text story is unchanged by the flag's default.
	_, text, _ := runCLI(t, "explain", "hourly-sync-survives-doze", "--unique", "periodic-sync")
	_, text2, _ := runCLI(t, "explain", "hourly-sync-survives-doze", "--unique", "periodic-sync", "--format", "text")
	assert.Equal(t, text, text2)
}

// schema --for scan is package scan's published schema, byte for byte;
// --for explain is reflected from report.ExplainDoc and pins the format.
func TestSchemaForScanAndExplain(t *testing.T) {
	code, out, stderr := runCLI(t, "schema", "--for", "scan")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, string(scan.Schema()), out)

	code, out, stderr = runCLI(t, "schema", "--for", "explain")
	require.Equal(t, exitOK, code, stderr)
	var s struct {
		Properties struct {
			Format struct {
				Const string `json:"const"`
			} `json:"format"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, report.FormatExplain, s.Properties.Format.Const)
	assert.Subset(t, s.Required, []string{"format", "scenario", "platform", "seed", "tasks"})

	code, _, stderr = runCLI(t, "schema", "--for", "nope")
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "scan, explain")
}
