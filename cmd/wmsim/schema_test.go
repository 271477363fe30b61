package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compileSchema compiles `wmsim schema --for name`.
func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	code, out, stderr := runCLI(t, "schema", "--for", name)
	require.Equal(t, exitOK, code, stderr)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(out)))
	require.NoError(t, err, "the schema of %s is JSON", name)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(name+".json", doc))
	s, err := c.Compile(name + ".json")
	require.NoError(t, err, "the schema of %s compiles", name)
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, what string, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	require.NoError(t, err, what)
	assert.NoError(t, s.Validate(inst), "%s does not match its schema", what)
}

// Every JSON document the CLI writes validates against the schema `wmsim
// schema --for` publishes for it, and a wrong document does not.
func TestOutputsMatchSchemas(t *testing.T) {
	dir := t.TempDir()
	result := compileSchema(t, "result")
	results := compileSchema(t, "results")
	fleetS := compileSchema(t, "fleet")
	shardS := compileSchema(t, "shard")
	scenario := compileSchema(t, "scenario")

	for _, name := range []string{"oneoff-task", "hourly-sync-survives-doze", "rare-bucket-app", "ios-refresh-weekly-user"} {
		_, out, _ := runCLI(t, "run", name, "--format", "json")
		validate(t, result, name, []byte(out))
		_, src, _ := runCLI(t, "scenarios", "--source", name)
		_ = src // YAML: the scenario schema is checked against the library in scenarios/
	}
	for _, args := range [][]string{{"side-by-side"}, {"oneoff-task", "periodic-task"}} {
		_, out, _ := runCLI(t, append([]string{"run", "--format", "json"}, args...)...)
		validate(t, results, "results", []byte(out))
		assert.Error(t, result.Validate(mustJSON(t, out)), "a results document is not a result")
	}
	_, out, stderr := runCLI(t, "fleet", "periodic-task", "--devices", "4", "--days", "2", "--format", "json", "--min-pass", "0")
	require.NotEmpty(t, out, stderr)
	validate(t, fleetS, "fleet", []byte(out))
	shard := filepath.Join(dir, "s.json")
	code, _, stderr := runCLI(t, "fleet", "periodic-task", "--devices", "4", "--days", "2", "--format", "json", "--shard", "1/2", "--out", shard, "--min-pass", "0")
	require.Equal(t, exitOK, code, stderr)
	b, err := os.ReadFile(shard)
	require.NoError(t, err)
	validate(t, shardS, "shard", b)
	_, merged, _ := runCLI(t, "merge", shard, "--format", "json", "--min-pass", "0")
	validate(t, fleetS, "merged fleet", []byte(merged))

	// The scenario schema is the format's: a minimal scenario matches it.
	validate(t, scenario, "scenario", []byte(`{"version": 1, "name": "x", "duration": "1h"}`))
	assert.Error(t, result.Validate(mustJSON(t, `{"format": "wmsim.result/v1"}`)), "required fields")
	assert.Error(t, result.Validate(mustJSON(t, out)), "a fleet document is not a result")
}

func mustJSON(t *testing.T, s string) any {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(s)))
	require.NoError(t, err)
	return v
}
