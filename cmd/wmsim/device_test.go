package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runDeviceCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = run(append([]string{"device"}, args...), env)
	return code, out.String(), errb.String()
}

func TestDeviceText(t *testing.T) {
	code, out, errs := runDeviceCLI("--profile", "office-worker", "--days", "2", "--seed", "7")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "wmsim device: profile office-worker, 2 day(s) from 2026-01-05T00:00:00Z, seed 7")
	assert.Contains(t, out, "Daily statistics")
	assert.Contains(t, out, "2026-01-05")
	assert.Contains(t, out, "2026-01-06")
	assert.NotContains(t, out, "2026-01-07")
	assert.Contains(t, out, "screen on")
	assert.NotContains(t, out, "battery.level", "percent steps only with --levels")
	_, withLevels, _ := runDeviceCLI("--profile", "office-worker", "--days", "2", "--seed", "7", "--levels")
	assert.Contains(t, withLevels, "battery.level")
}

func TestDeviceJSON(t *testing.T) {
	code, out, errs := runDeviceCLI("--profile", "heavy-user", "--days", "3", "--format", "json", "--seed", "42")
	require.Equal(t, exitOK, code, errs)
	var res struct {
		Schema  string `json:"schema"`
		Seed    uint64 `json:"seed"`
		Days    int    `json:"days"`
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		Timeline []struct {
			Kind    string `json:"kind"`
			Battery int    `json:"battery"`
		} `json:"timeline"`
		Stats []struct {
			Date         string  `json:"date"`
			Interactions float64 `json:"interactions"`
			Observed     float64 `json:"observed_hours"`
		} `json:"stats"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, "wmsim.device/v1", res.Schema)
	assert.Equal(t, uint64(42), res.Seed)
	assert.Equal(t, "heavy-user", res.Profile.Name)
	require.Len(t, res.Stats, 3)
	for _, d := range res.Stats {
		assert.Equal(t, 24.0, d.Observed)
		assert.GreaterOrEqual(t, d.Interactions, 10.0)
	}
	assert.NotEmpty(t, res.Timeline)

	// Same seed, same bytes; another seed, another day.
	_, again, _ := runDeviceCLI("--profile", "heavy-user", "--days", "3", "--format", "json", "--seed", "42")
	assert.Equal(t, out, again)
	_, other, _ := runDeviceCLI("--profile", "heavy-user", "--days", "3", "--format", "json", "--seed", "43")
	assert.NotEqual(t, out, other)
}

func TestDeviceLocalTime(t *testing.T) {
	// With a +09:00 start, days are Tokyo days.
	code, out, errs := runDeviceCLI("--profile", "light-user", "--days", "1", "--start", "2026-03-02T00:00:00+09:00")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "2026-03-02")
	assert.NotContains(t, out, "2026-03-01")
}

func TestDeviceBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want []string // all must appear in stderr
	}{
		{[]string{"--days", "3"}, []string{"--profile is required", "office-worker", "idle-shelf"}},
		{[]string{"--profile", "couch-potato", "--days", "3"}, []string{`--profile "couch-potato"`, "always-on-charger", "heavy-user", "light-user", "night-shift"}},
		{[]string{"--profile", "office-worker"}, []string{"--days is required", "1 to 366"}},
		{[]string{"--profile", "office-worker", "--days", "0"}, []string{`--days "0"`, "1 to 366"}},
		{[]string{"--profile", "office-worker", "--days", "-3"}, []string{`--days "-3"`, "1 to 366"}},
		{[]string{"--profile", "office-worker", "--days", "367"}, []string{`--days "367"`, "1 to 366"}},
		{[]string{"--profile", "office-worker", "--days", "ten"}, []string{`--days "ten"`, "whole number"}},
		{[]string{"--profile", "office-worker", "--days", "1.5"}, []string{`--days "1.5"`}},
		{[]string{"--profile", "office-worker", "--days", "3", "--seed", "x"}, []string{`--seed "x"`, "whole number"}},
		{[]string{"--profile", "office-worker", "--days", "3", "--seed", "-1"}, []string{`--seed "-1"`}},
		{[]string{"--profile", "office-worker", "--days", "3", "--format", "xml"}, []string{`--format "xml"`, "text or json"}},
		{[]string{"--profile", "office-worker", "--days", "3", "--start", "yesterday"}, []string{`--start "yesterday"`, "RFC 3339"}},
		{[]string{"--profile", "office-worker", "--days", "3", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"--bogus"}, []string{"bogus"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errs := runDeviceCLI(tc.args...)
			assert.Equal(t, exitInvalid, code)
			assert.Empty(t, out, "nothing simulated")
			for _, w := range tc.want {
				assert.Contains(t, errs, w)
			}
			assert.Contains(t, errs, "usage: wmsim device")
		})
	}
}

// Help goes to standard output (the command framework's convention).
func TestDeviceHelp(t *testing.T) {
	code, out, _ := runDeviceCLI("--help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "--profile")
	assert.Contains(t, out, "--days")
}

func TestDeviceRegistered(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "simulate a phone alone under a usage profile")
}
