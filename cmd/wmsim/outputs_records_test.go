package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every JSON Lines trace record names its scenario and platform, so the
// records of several runs in one file can be told apart.
func TestTraceJSONLNamesScenarioAndPlatform(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	code, _, stderr := runCLI(t, "run", "side-by-side", "oneoff-task", "--trace-jsonl", path)
	require.Equal(t, exitOK, code, stderr)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Scenario *string `json:"scenario"`
			Platform *string `json:"platform"`
			Kind     string  `json:"kind"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), sc.Text())
		require.NotNil(t, rec.Scenario, "record without scenario: %s", sc.Text())
		require.NotNil(t, rec.Platform, "record without platform: %s", sc.Text())
		seen[*rec.Scenario+"/"+*rec.Platform]++
	}
	require.NoError(t, sc.Err())
	for _, k := range []string{"side-by-side/android", "side-by-side/ios", "oneoff-task/android"} {
		assert.Positive(t, seen[k], "no records for %s (seen %v)", k, seen)
	}
	assert.Len(t, seen, 3)
}

// JUnit's time attributes carry each run's wall time (the one output allowed
// to vary): the suites' total is the sum of the suites' times, in seconds.
func TestJUnitCarriesWallTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junit.xml")
	code, _, stderr := runCLI(t, "run", "side-by-side", "--junit", path)
	require.Equal(t, exitOK, code, stderr)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc struct {
		Time   string `xml:"time,attr"`
		Suites []struct {
			Time  string `xml:"time,attr"`
			Cases []struct {
				Time string `xml:"time,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(b, &doc))
	require.Len(t, doc.Suites, 2)
	total, err := strconv.ParseFloat(doc.Time, 64)
	require.NoError(t, err)
	sum := 0.0
	for _, s := range doc.Suites {
		v, err := strconv.ParseFloat(s.Time, 64)
		require.NoError(t, err, "suite time %q", s.Time)
		sum += v
		for _, c := range s.Cases {
			_, err := strconv.ParseFloat(c.Time, 64)
			require.NoError(t, err, "case time %q", c.Time)
		}
	}
	// Measured times have millisecond resolution ("0.012"); without timing
	// every attribute would be a bare "0".
	assert.Regexp(t, `^[0-9]+\.[0-9]{3}$`, doc.Time)
	assert.Regexp(t, `^[0-9]+\.[0-9]{3}$`, doc.Suites[0].Time)
	assert.InDelta(t, sum, total, 0.01)
	assert.True(t, strings.Contains(string(maskJUnitTime(b)), `time="T"`))
}
