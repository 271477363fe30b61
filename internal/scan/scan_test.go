package scan

import (
	"bytes"
	"context"
	"encoding/json"
	goldenfile "github.com/wmsim/wmsim/internal/golden"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/scenarios"
)

const projects = "testdata/projects"

func fixtures(t *testing.T) []string {
	if !parserAvailable {
		t.Skip("the fixtures' expectations need the Dart parser (cgo)")
	}
	entries, err := os.ReadDir(projects)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "notflutter" {
			out = append(out, e.Name())
		}
	}
	return out
}

// Each rule has fixtures that trigger it; the fixtures not listed for a
// rule must not trigger it.
var triggers = map[string][]string{
	"frequency-below-minimum":         {"frequency"},
	"flex-out-of-range":               {"frequency"},
	"dispatcher-not-entry-point":      {"pragma", "legacy02"},
	"dispatcher-not-top-level":        {"closure"},
	"initialize-missing":              {"noinit"},
	"ios-not-configured":              {"iosnone"},
	"ios-identifier-not-permitted":    {"iosplist"},
	"background-mode-missing":         {"iosplist"},
	"fetch-interval-ignored":          {"iosplist"},
	"unsupported-on-platform-version": {"unsupported", "legacy05"},
	"example-identifier-copied":       {"example"},
	"task-not-handled":                {"unhandled"},
	"exact-time-on-workmanager":       {"exacttime"},
	"expedited-permission-missing":    {"manifest"},
	"workmanager-initializer-removed": {"manifest"},
	"static-api":                      {"legacy02"},
	"register-before-initialize":      {"order"},
	"task-replaces-itself":            {"chain"},
	"dynamic-value":                   {"exacttime"},
	"parse-error":                     {"robust"},
	"file-not-utf8":                   {"robust"},
	"symlink-loop":                    {"robust"},
}

func TestRulesTriggerOnlyWhereExpected(t *testing.T) {
	got := map[string]map[string]bool{} // rule → fixtures
	for _, name := range fixtures(t) {
		rep, err := Scan(filepath.Join(projects, name))
		require.NoError(t, err, name)
		for _, f := range rep.Findings {
			if got[f.Rule] == nil {
				got[f.Rule] = map[string]bool{}
			}
			got[f.Rule][name] = true
		}
	}
	for rule, want := range triggers {
		for _, fx := range fixtures(t) {
			assert.Equal(t, slices.Contains(want, fx), got[rule][fx], "rule %s on fixture %s", rule, fx)
		}
	}
	for rule := range got {
		_, ok := triggers[rule]
		assert.True(t, ok, "rule %s fired but has no trigger table entry", rule)
	}
	for _, r := range Rules {
		if r.Severity != SeverityInfo || strings.HasPrefix(r.ID, "dynamic") || r.ID == "static-api" {
			assert.Contains(t, triggers, r.ID, "rule %s has no fixture", r.ID)
		}
	}
	assert.Empty(t, got["good"], "the good fixture must be clean")
}

func TestGolden(t *testing.T) {
	for _, name := range fixtures(t) {
		for _, format := range []string{"text", "json", "sarif"} {
			t.Run(name+"/"+format, func(t *testing.T) {
				var out, errb bytes.Buffer
				code := Main(context.Background(), filepath.Join(projects, name), Options{Format: format}, &out, &errb)
				require.Empty(t, errb.String())
				golden := filepath.Join("testdata", "golden", name+"."+format)
				doc := out.Bytes()
				if format == "text" {
					doc = append(doc, []byte("exit "+string(rune('0'+code))+"\n")...)
				}
				if goldenfile.Updating() {
					require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
					require.NoError(t, os.WriteFile(golden, doc, 0o644))
					return
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err, "run go test ./scan -update")
				assert.Equal(t, string(want), string(doc))
			})
		}
	}
}

func TestExitCodes(t *testing.T) {
	fixtures(t) // skips without the parser
	var out, errb bytes.Buffer
	assert.Equal(t, 0, Main(context.Background(), filepath.Join(projects, "good"), Options{}, &out, &errb))
	assert.Equal(t, 1, Main(context.Background(), filepath.Join(projects, "noinit"), Options{}, &out, &errb))
	errb.Reset()
	assert.Equal(t, 2, Main(context.Background(), filepath.Join(projects, "notflutter"), Options{}, &out, &errb))
	assert.Contains(t, errb.String(), "not a Flutter project")
	assert.Equal(t, 2, Main(context.Background(), filepath.Join(projects, "missing"), Options{}, &out, &errb))
	assert.Equal(t, 2, Main(context.Background(), filepath.Join(projects, "good"), Options{Format: "xml"}, &out, &errb))
}

func TestJSONMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	require.NoError(t, err)
	require.NoError(t, c.AddResource("scan.schema.json", doc))
	sch, err := c.Compile("scan.schema.json")
	require.NoError(t, err)
	for _, name := range fixtures(t) {
		rep, err := Scan(filepath.Join(projects, name))
		require.NoError(t, err)
		raw, err := json.Marshal(rep)
		require.NoError(t, err)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		require.NoError(t, err)
		assert.NoError(t, sch.Validate(inst), name)
	}
	// The schema rejects what the format does not allow.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"format":"wmsim.scan/v1","project":"x","plugin":{"version":"","source":"ftp","profile":"0.10"},"registrations":[],"handled_tasks":[],"ios":{"permitted_identifiers":null,"background_modes":null,"app_delegate_registrations":[]},"findings":[],"scenario":""}`))
	assert.Error(t, sch.Validate(bad))
}

// SARIF 2.1.0's required properties (sarif-schema-2.1.0.json): log
// version and runs; run tool; tool driver; driver name; result message
// with text; region startLine ≥ 1; and every ruleIndex points at its rule.
func TestSARIFStructure(t *testing.T) {
	for _, name := range fixtures(t) {
		rep, err := Scan(filepath.Join(projects, name))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, WriteSARIF(&b, rep))
		var log map[string]any
		require.NoError(t, json.Unmarshal(b.Bytes(), &log))
		assert.Equal(t, "2.1.0", log["version"])
		runs := log["runs"].([]any)
		require.Len(t, runs, 1)
		run := runs[0].(map[string]any)
		driver := run["tool"].(map[string]any)["driver"].(map[string]any)
		assert.NotEmpty(t, driver["name"])
		rules := driver["rules"].([]any)
		results := run["results"].([]any)
		assert.Len(t, results, len(rep.Findings))
		for _, r := range results {
			res := r.(map[string]any)
			assert.NotEmpty(t, res["message"].(map[string]any)["text"])
			assert.Contains(t, []any{"error", "warning", "note"}, res["level"])
			idx := int(res["ruleIndex"].(float64))
			assert.Equal(t, res["ruleId"], rules[idx].(map[string]any)["id"])
			region := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["region"].(map[string]any)
			assert.GreaterOrEqual(t, region["startLine"].(float64), 1.0)
		}
	}
}

// loaderHasV11 reports whether the scenarios loader on this branch reads
// format v1.1's app.on_launch and step platform.
func loaderHasV11() bool {
	_, err := scenarios.Parse("probe.yaml", []byte("version: 1\nname: p\nduration: 1h\nplatform: [android, ios]\napp:\n  on_launch:\n    - platform: ios\n      call: initialize\n"))
	return err == nil
}

func TestGeneratedScenariosValidate(t *testing.T) {
	v11 := loaderHasV11()
	for _, name := range fixtures(t) {
		rep, err := Scan(filepath.Join(projects, name))
		require.NoError(t, err)
		g := rep.gen
		// The v1-compatible variant, per platform, is what --run runs.
		for _, p := range g.platforms(genOptions{}) {
			for _, user := range []string{"daily", "weekly"} {
				src := g.yaml(genOptions{v1: true, platform: p, user: user})
				_, err := scenarios.Parse(name+"-"+p+".yaml", []byte(src))
				assert.NoError(t, err, "%s %s %s:\n%s", name, p, user, src)
			}
		}
		if v11 {
			_, err := scenarios.Parse(name+".yaml", []byte(rep.Scenario))
			assert.NoError(t, err, "%s (v1.1):\n%s", name, rep.Scenario)
		} else {
			t.Logf("%s: the loader on this branch predates format v1.1; the v1.1 scenario is validated after the merge", name)
		}
	}
}

func TestReportCard(t *testing.T) {
	fixtures(t) // skips without the parser
	rep, err := Scan(filepath.Join(projects, "good"))
	require.NoError(t, err)
	m := Matrix{AndroidAPIs: []int{34}, OEMs: []string{"aosp"}, IOSVersions: []int{17}, Users: []string{"daily", "weekly"}, Days: 7}
	card, err := RunMatrix(context.Background(), rep, m)
	require.NoError(t, err)
	require.Len(t, card.Cells, 4) // android × 2 users, ios × 2 users
	var sync *TaskStat
	for i, cell := range card.Cells {
		if cell.Cell.Platform == "android" && cell.Cell.User == "daily" {
			for j := range card.Cells[i].Tasks {
				if card.Cells[i].Tasks[j].Task == "dev.example.good.sync" {
					sync = &card.Cells[i].Tasks[j]
				}
			}
		}
	}
	require.NotNil(t, sync, "the hourly sync runs on Android")
	// An hourly periodic task runs at most once per hour (one per period).
	assert.LessOrEqual(t, sync.MedianPerDay, 24.0)
	assert.Greater(t, sync.MedianPerDay, 0.0)
	assert.GreaterOrEqual(t, sync.WorstGapHours, 1.0)
	var b bytes.Buffer
	card.WriteText(&b)
	assert.Contains(t, b.String(), "android 34 aosp daily")
	assert.Contains(t, b.String(), "ios 17 weekly")
}
