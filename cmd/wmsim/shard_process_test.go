package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildWmsim builds this package with the go command into a temporary
// directory, as a user or a container build makes the binary.
func buildWmsim(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "wmsim")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

// TestBuiltBinary runs the built binary as separate processes.
func TestBuiltBinary(t *testing.T) {
	bin := buildWmsim(t)
	t.Run("shards as processes", func(t *testing.T) { testShardsAsProcesses(t, bin) })
	t.Run("schema", func(t *testing.T) { testSchemaCommand(t, bin) })
}

// testShardsAsProcesses runs a fleet of 10 devices as 3 uneven shards (3, 3
// and 4 devices), each in its own wmsim process started at the same time,
// as an Indexed Job or a CI matrix would; merges their files with a fourth
// process; and gets exactly, byte for byte, what one unsharded process
// writes: the JSON document, the tables and the HTML report.
func testShardsAsProcesses(t *testing.T, bin string) {
	dir := t.TempDir()
	fleetArgs := []string{"fleet", "periodic-task", "--devices", "10", "--days", "2",
		"--mix", "office-worker=3,light-user=2,heavy-user=1", "--jobs", "1",
		"--min-pass", "0"} // the scenario's expectations are for one day; this checks the sums
	const shards = 3

	var cmds []*exec.Cmd
	var stderr []*bytes.Buffer
	var parts []string
	for i := range shards {
		out := filepath.Join(dir, "shard-"+strconv.Itoa(i)+".json")
		parts = append(parts, out)
		c := exec.Command(bin, append(append([]string(nil), fleetArgs...),
			"--shard", strconv.Itoa(i)+"/"+strconv.Itoa(shards), "--format", "json", "--out", out)...)
		var e bytes.Buffer
		c.Stderr = &e
		require.NoError(t, c.Start())
		cmds = append(cmds, c)
		stderr = append(stderr, &e)
	}
	for i, c := range cmds {
		require.NoError(t, c.Wait(), "shard %d: %s", i, stderr[i])
	}

	whole := filepath.Join(dir, "whole.json")
	wholeHTML := filepath.Join(dir, "whole.html")
	run := func(args ...string) []byte {
		t.Helper()
		c := exec.Command(bin, args...)
		var e bytes.Buffer
		c.Stderr = &e
		out, err := c.Output()
		require.NoError(t, err, "wmsim %v: %s", args, e.String())
		assert.Empty(t, e.String(), "wmsim %v warned", args)
		return out
	}
	wholeText := run(append(append([]string(nil), fleetArgs...), "--format", "json", "--out", whole, "--html", wholeHTML)...)
	assert.Empty(t, wholeText)
	tables := run(fleetArgs...)

	merged := filepath.Join(dir, "merged.json")
	mergedHTML := filepath.Join(dir, "merged.html")
	// The shards in another order than they were run.
	run(append([]string{"merge", parts[2], parts[0], parts[1]}, "--format", "json", "--out", merged, "--html", mergedHTML, "--min-pass", "0")...)
	mergedTables := run(append([]string{"merge", "--min-pass", "0"}, parts...)...)

	read := func(p string) string {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		return string(b)
	}
	require.Equal(t, read(whole), read(merged), "merged shards are the unsharded fleet")
	assert.Equal(t, read(wholeHTML), read(mergedHTML))
	assert.Equal(t, string(tables), string(mergedTables))
	assert.Contains(t, read(whole), `"ranges": [`)
	for i, want := range []string{"[\n    [\n      0,\n      3\n    ]\n  ]", "[\n    [\n      3,\n      6\n    ]\n  ]", "[\n    [\n      6,\n      10\n    ]\n  ]"} {
		assert.Contains(t, read(parts[i]), `"ranges": `+want, "shard %d holds its uneven share", i)
	}

	// A shard left out is reported, not silently merged as the whole.
	c := exec.Command(bin, "merge", parts[0], parts[2], "--format", "json", "--min-pass", "0")
	var e bytes.Buffer
	c.Stderr = &e
	out, err := c.Output()
	require.NoError(t, err)
	assert.Contains(t, e.String(), "devices [[3 6]] of 10 are in no shard given")
	assert.NotEqual(t, read(whole), string(out))
}

// testSchemaCommand: `wmsim schema` prints the committed schema file that
// editors point at, byte for byte.
func testSchemaCommand(t *testing.T, bin string) {
	out, err := exec.Command(bin, "schema").Output()
	require.NoError(t, err)
	file, err := os.ReadFile("../../scenarios/schema.json")
	require.NoError(t, err)
	assert.Equal(t, string(file), string(out))
}
