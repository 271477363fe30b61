package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChaosCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, "chaos", "--seed", "100", "--runs", "20", "--max-duration", "1d", "--out", dir)
	require.Equal(t, exitOK, code, out+errs)
	assert.Contains(t, out, "wmsim chaos: seeds 100..119: 20 scenarios")
	assert.Contains(t, out, "0 failing")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	assert.Empty(t, files, "no failure, no file")
}

func TestChaosCommandBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--runs", "0"}, {"--seed", "-1"}, {"--max-duration", "5m"}, {"no-such-file.yaml"}} {
		code, _, errs := runCLI(t, append([]string{"chaos"}, args...)...)
		assert.Equal(t, exitInvalid, code, "%v: %s", args, errs)
	}
}

func TestChaosCommandDeterministic(t *testing.T) {
	_, a, _ := runCLI(t, "chaos", "--seed", "5", "--runs", "5", "-v")
	_, b, _ := runCLI(t, "chaos", "--seed", "5", "--runs", "5", "-v")
	assert.Equal(t, a, b)
}

func TestChaosCommandChecksFiles(t *testing.T) {
	code, out, errs := runCLI(t, "chaos", "periodic-task", "reboot-and-force-stop")
	require.Equal(t, exitOK, code, out+errs)
	assert.Contains(t, out, "periodic-task.yaml: ")
	assert.Contains(t, out, "invariant checks, ok")
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("version: 1\n"), 0o644))
	code, _, errs = runCLI(t, "chaos", bad)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, errs, "bad.yaml")
}
