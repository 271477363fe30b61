package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wmsim(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return out.String(), errb.String(), code
}

// wmsim merge of the shards' JSON prints exactly what the unsharded fleet
// prints, whatever --jobs each ran with.
func TestFleetShardsMerge(t *testing.T) {
	dir := t.TempDir()
	// Two days are too short for the scenario's expectations: --min-pass 0
	// reports their shares without failing.
	args := []string{"fleet", "periodic-task", "--devices", "12", "--days", "2", "--mix", "office-worker=2,light-user=1", "--format", "json", "--min-pass", "0"}
	whole, stderr, code := wmsim(t, append(args, "--jobs", "1")...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, whole, `"format": "wmsim.fleet/v1"`)
	var files []string
	for i, shard := range []string{"0/3", "1/3", "2/3"} {
		f := filepath.Join(dir, "shard"+shard[:1]+".json")
		_, stderr, code := wmsim(t, append(args, "--shard", shard, "--jobs", []string{"4", "2", "1"}[i], "--out", f)...)
		require.Equal(t, 0, code, stderr)
		files = append(files, f)
	}
	merged, stderr, code := wmsim(t, append([]string{"merge", "--format", "json", "--min-pass", "0"}, files...)...)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, whole, merged)

	// Text output and HTML from a merge.
	html := filepath.Join(dir, "fleet.html")
	text, stderr, code := wmsim(t, append([]string{"merge", "--html", html, "--min-pass", "0"}, files[:2]...)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "[[8 12]]") // the missing shard's devices
	assert.Contains(t, text, "periodic-sync")
	b, err := os.ReadFile(html)
	require.NoError(t, err)
	assert.Contains(t, string(b), `<script type="application/json" id="fleet-data">`) // the charts' data
	assert.Contains(t, string(b), `<figure class="chart"`)
}

func TestFleetBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"fleet", "periodic-task"}, "--devices"},
		{[]string{"fleet", "--devices", "3"}, "exactly one scenario"},
		{[]string{"fleet", "periodic-task", "--devices", "3", "--mix", "x=1"}, "unknown profile"},
		{[]string{"fleet", "periodic-task", "--devices", "3", "--shard", "3/3"}, "--shard"},
		{[]string{"fleet", "periodic-task", "--devices", "3", "--format", "xml"}, "--format"},
		{[]string{"fleet", "no-such-scenario", "--devices", "3"}, "no such file"},
		{[]string{"merge"}, "name the shard results"},
		{[]string{"merge", "/nonexistent.json"}, "no such file"},
	} {
		_, stderr, code := wmsim(t, tc.args...)
		assert.Equal(t, exitInvalid, code, tc.args)
		assert.Contains(t, stderr, tc.msg, tc.args)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"format":"wmsim.result/v1"}`), 0o644))
	_, stderr, code := wmsim(t, "merge", bad)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, "not a fleet summary")
}
