//go:build cgo

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanCommand(t *testing.T) {
	cmd := newScanCmd()
	var out, errb bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs([]string{"../../scan/testdata/projects/good", "--format", "json"})
	require.NoError(t, cmd.Execute())
	var doc map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	assert.Equal(t, "wmsim.scan/v1", doc["format"])

	cmd = newScanCmd()
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs([]string{"../../scan/testdata/projects/noinit"})
	err := cmd.Execute()
	var ec interface{ ExitCode() int }
	require.True(t, errors.As(err, &ec))
	assert.Equal(t, 1, ec.ExitCode())

	cmd = newScanCmd()
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetArgs([]string{"../../scan/testdata/projects/notflutter"})
	require.True(t, errors.As(cmd.Execute(), &ec))
	assert.Equal(t, 2, ec.ExitCode())
}
