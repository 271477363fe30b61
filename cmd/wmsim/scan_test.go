//go:build cgo

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runScan runs the scan command alone (the root registers it).
func runScan(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newScanCmd()
	cmd.SetArgs(args)
	env := &cmdEnv{stdout: &out, stderr: &errb, ctx: context.Background()}
	err := cmd.ExecuteContext(context.WithValue(context.Background(), envKey{}, env))
	code := 0
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	} else {
		require.NoError(t, err)
	}
	return code, out.String(), errb.String()
}

func TestScanCommand(t *testing.T) {
	code, out, _ := runScan(t, "../../internal/scan/testdata/projects/good", "--format", "json")
	assert.Equal(t, 0, code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "wmsim.scan/v1", doc["format"])

	code, out, _ = runScan(t, "../../internal/scan/testdata/projects/noinit")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "[initialize-missing]")

	code, _, stderr := runScan(t, "../../internal/scan/testdata/projects/notflutter")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "not a Flutter project")

}

// scan is a command of wmsim: its JSON document validates against `wmsim
// schema --for scan`, and its usage mistakes are exit 2 like every command's.
func TestScanThroughRoot(t *testing.T) {
	schema := compileSchema(t, "scan")
	for _, p := range []string{"good", "noinit", "iosplist", "wrappers"} {
		code, out, stderr := runCLI(t, "scan", "../../internal/scan/testdata/projects/"+p, "--format", "json")
		require.Contains(t, []int{exitOK, exitExpect}, code, stderr)
		validate(t, schema, p, []byte(out))
	}
	code, out, _ := runCLI(t, "scan", "../../internal/scan/testdata/projects/noinit", "--format", "sarif")
	assert.Equal(t, exitExpect, code)
	assert.Contains(t, out, `"version": "2.1.0"`)

	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"scan"}, "name exactly one Flutter project directory"},
		{[]string{"scan", "a", "b"}, "name exactly one Flutter project directory"},
		{[]string{"scan", "../../internal/scan/testdata/projects/good", "--format", "xml"}, `--format "xml": valid: text, json, sarif`},
		{[]string{"scan", "../../internal/scan/testdata/projects/good", "--wall-limit", "1s"}, "--wall-limit bounds --run"},
		{[]string{"scan", "../../internal/scan/testdata/projects/good", "--run", "--wall-limit", "0s"}, "positive duration"},
		{[]string{"scan", "../../internal/scan/testdata/projects/notflutter"}, "not a Flutter project"},
	} {
		code, out, stderr := runCLI(t, tc.args...)
		assert.Equal(t, exitInvalid, code, "%v: %s", tc.args, stderr)
		assert.Empty(t, out, "%v", tc.args)
		assert.Contains(t, stderr, tc.msg, "%v", tc.args)
	}
}

// scan --run under --wall-limit stops with exit 3 when the matrix takes
// longer (1ns: before the first cell).
func TestScanRunWallLimit(t *testing.T) {
	code, _, stderr := runCLI(t, "scan", "../../internal/scan/testdata/projects/good", "--run", "--wall-limit", "1ns")
	assert.Equal(t, exitLimit, code, stderr)
	assert.Contains(t, stderr, "--wall-limit")
}
