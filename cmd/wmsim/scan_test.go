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
	code, out, _ := runScan(t, "../../scan/testdata/projects/good", "--format", "json")
	assert.Equal(t, 0, code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "wmsim.scan/v1", doc["format"])

	code, out, _ = runScan(t, "../../scan/testdata/projects/noinit")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "[initialize-missing]")

	code, _, stderr := runScan(t, "../../scan/testdata/projects/notflutter")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "not a Flutter project")

}
