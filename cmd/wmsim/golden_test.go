package main

import (
	goldenfile "github.com/wmsim/wmsim/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", "golden", name), got)
}

// TestGoldenOutputs pins every output format for three library scenarios, as
// the CLI writes them: text, JSON Lines trace, Chrome trace, JUnit, HTML.
func TestGoldenOutputs(t *testing.T) {
	for _, name := range []string{"hourly-sync-survives-doze", "rare-bucket-app", "ios-refresh-weekly-user"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"jsonl": filepath.Join(dir, "trace.jsonl"), "chrome": filepath.Join(dir, "trace.json"),
				"junit": filepath.Join(dir, "junit.xml"), "html": filepath.Join(dir, "report.html"),
			}
			code, text, stderr := runCLI(t, "run", name, "--trace-jsonl", files["jsonl"], "--trace", files["chrome"],
				"--junit", files["junit"], "--html", files["html"])
			require.Equal(t, exitOK, code, stderr)
			golden(t, name+".txt", []byte(text))
			for kind, ext := range map[string]string{"jsonl": ".jsonl", "chrome": ".chrome.json", "junit": ".junit.xml", "html": ".html"} {
				b, err := os.ReadFile(files[kind])
				require.NoError(t, err)
				if kind == "junit" {
					// The wall time is the one output allowed to vary.
					require.Regexp(t, junitTime, string(b))
					b = maskJUnitTime(b)
				}
				golden(t, name+ext, b)
			}
		})
	}
}

// junitTime is a JUnit time attribute: the real seconds a run or an
// expectation took.
var junitTime = regexp.MustCompile(`time="[0-9]+(\.[0-9]+)?"`)

// maskJUnitTime replaces every JUnit time attribute with time="T".
func maskJUnitTime(b []byte) []byte { return junitTime.ReplaceAll(b, []byte(`time="T"`)) }

// TestGoldenExplain pins explain's story for four situations users ask
// about, and checks it names the reason that really held the task back.
func TestGoldenExplain(t *testing.T) {
	for _, tc := range []struct {
		scenario, unique string
		reasons          []string
	}{
		// android.md §5.1: deep Doze defers jobs to maintenance windows.
		{"hourly-sync-survives-doze", "periodic-sync", []string{"Doze", "maintenance window"}},
		// android.md §5.5: rare bucket, 3 sessions per 24 h (legacy table).
		{"rare-bucket-app", "refresh", []string{"standby bucket rare", "sessions 3 of 3"}},
		// ios.md §3.3: a low usage-prediction score holds refresh back.
		{"ios-refresh-weekly-user", "periodic-sync", []string{"usage score", "below threshold"}},
		// flutter-workmanager.md §4: BG tasks deliver the uniqueName to Dart.
		{"ios-name-mismatch", "periodic-sync", []string{"no case for", "delivers its uniqueName"}},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			code, out, stderr := runCLI(t, "explain", tc.scenario, "--unique", tc.unique)
			require.Equal(t, exitOK, code, stderr)
			for _, r := range tc.reasons {
				require.Contains(t, out, r)
			}
			golden(t, tc.scenario+".explain.txt", []byte(out))
		})
	}
}
