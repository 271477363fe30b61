package report

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The shape CI systems read (Jenkins' and GitLab's JUnit parsers, the
// Ant/Surefire XSD): testsuites > testsuite > testcase > failure|error.
type readSuites struct {
	XMLName  xml.Name    `xml:"testsuites"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Suites   []readSuite `xml:"testsuite"`
}

type readSuite struct {
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Time     string     `xml:"time,attr"`
	Cases    []readCase `xml:"testcase"`
	Out      string     `xml:"system-out"`
}

type readCase struct {
	Name      string `xml:"name,attr"`
	Classname string `xml:"classname,attr"`
	Time      string `xml:"time,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
	} `xml:"error"`
}

func junitFixture(t *testing.T) ([]byte, readSuites) {
	t.Helper()
	a, _ := androidFixture()
	i, _ := iosFixture()
	var buf bytes.Buffer
	require.NoError(t, WriteJUnit(&buf, []*Result{a, i, brokenFixture()}))
	var doc readSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), "JUnit output must be well-formed XML")
	return buf.Bytes(), doc
}

func TestJUnitGolden(t *testing.T) {
	raw, _ := junitFixture(t)
	golden(t, "junit.xml", raw)
}

func TestJUnitCounts(t *testing.T) {
	raw, doc := junitFixture(t)
	assert.True(t, bytes.HasPrefix(raw, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)))
	require.Len(t, doc.Suites, 3)
	assert.Equal(t, "0", doc.Time)
	applies := func(platform string) int {
		n := 0
		for _, c := range invariantClasses {
			if invariantApplies(c, platform) {
				n++
			}
		}
		return n
	}
	want := []struct {
		name                    string
		tests, failures, errors int
	}{
		// 5 expectations (1 failed) + the invariant classes.
		{"hourly-sync-survives-doze (android)", 5 + applies("android"), 1, 0},
		// 4 expectations, all failed; only the iOS invariant classes.
		{"hourly-sync-survives-doze (ios)", 4 + applies("ios"), 4, 0},
		// 1 failed expectation, the classes plus quota_respected (2 failing:
		// constraints and quota_respected), and the limit as an error.
		{"runaway-retries (android)", 1 + applies("android") + 1 + 1, 1 + 2, 1},
	}
	sumT, sumF, sumE := 0, 0, 0
	for i, w := range want {
		s := doc.Suites[i]
		assert.Equal(t, w.name, s.Name)
		assert.Equal(t, w.tests, s.Tests, s.Name)
		assert.Equal(t, w.failures, s.Failures, s.Name)
		assert.Equal(t, w.errors, s.Errors, s.Name)
		assert.Equal(t, "0", s.Time)
		// The attributes agree with the elements.
		assert.Len(t, s.Cases, s.Tests)
		f, e := 0, 0
		for _, c := range s.Cases {
			assert.Equal(t, "0", c.Time)
			assert.NotEmpty(t, c.Name)
			assert.NotEmpty(t, c.Classname)
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
		}
		assert.Equal(t, s.Failures, f)
		assert.Equal(t, s.Errors, e)
		sumT, sumF, sumE = sumT+s.Tests, sumF+s.Failures, sumE+s.Errors
	}
	assert.Equal(t, sumT, doc.Tests)
	assert.Equal(t, sumF, doc.Failures)
	assert.Equal(t, sumE, doc.Errors)
}

func TestJUnitEvidence(t *testing.T) {
	_, doc := junitFixture(t)
	find := func(suite int, name string) readCase {
		for _, c := range doc.Suites[suite].Cases {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("no testcase %q in suite %d", name, suite)
		return readCase{}
	}
	gap := find(0, "fetchLatestPosts max_gap 2h")
	require.NotNil(t, gap.Failure)
	assert.Equal(t, "expectation", gap.Failure.Type)
	assert.Contains(t, gap.Failure.Text, "largest gap 2h20m")
	assert.Nil(t, find(0, "fetchLatestPosts runs 18..30").Failure)
	assert.Nil(t, find(0, "invariant "+InvDoze).Failure)

	cons := find(2, "invariant "+InvConstraint)
	require.NotNil(t, cons.Failure)
	assert.Equal(t, "2 violations of "+InvConstraint, cons.Failure.Message)
	assert.Equal(t, 2, strings.Count(cons.Failure.Text, "sync-1: started while network (connected) was unmet"))
	assert.Contains(t, cons.Failure.Text, "+0:01:01.500 (Mon 08:01:01)")
	// Characters XML reserves survive the round trip.
	exp := find(2, "syncTask attempts 3")
	assert.Equal(t, "100000 attempts <before the limit> & counting", exp.Failure.Message)
	lim := find(2, "run within safety limits")
	require.NotNil(t, lim.Error)
	assert.Equal(t, "event limit 100000 reached at +0:41:07", lim.Error.Message)
	assert.Contains(t, doc.Suites[1].Out, "not_permitted")
	assert.Contains(t, doc.Suites[1].Out, "unknown_task_name")
}

func TestJUnitControlCharacters(t *testing.T) {
	r := brokenFixture()
	r.Expectations[0].Detail = "bad \x00\x1b[31m bytes"
	var buf bytes.Buffer
	require.NoError(t, WriteJUnit(&buf, []*Result{r}))
	var doc readSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
}

func TestJUnitBadInput(t *testing.T) {
	assert.Error(t, WriteJUnit(&bytes.Buffer{}, nil))
	assert.Error(t, WriteJUnit(&bytes.Buffer{}, []*Result{nil}))
}

// TestJUnitWallTime: with Timing the suites and expectation cases carry
// the real times; without it every time is 0, so the
// document stays byte-identical between identical runs.
func TestJUnitWallTime(t *testing.T) {
	a, _ := androidFixture()
	c := *a
	c.Expectations = []Expectation{{Expect: "first", OK: true}, {Expect: "second", OK: false, Detail: "no"}}
	tm := &Timing{Run: 1234567 * time.Microsecond, Expectations: []time.Duration{2 * time.Millisecond, 15 * time.Millisecond}}
	var timed, plain bytes.Buffer
	require.NoError(t, WriteJUnitWith(&timed, []*Result{&c, a}, JUnitOptions{Timing: []*Timing{tm, nil}}))
	require.NoError(t, WriteJUnit(&plain, []*Result{&c, a}))
	out := timed.String()
	assert.Contains(t, out, `<testsuites name="wmsim" tests=`)
	assert.Regexp(t, `<testsuites [^>]*time="1.235"`, out)
	assert.Regexp(t, `<testsuite name="hourly-sync-survives-doze \(android\)" [^>]*time="1.235"`, out)
	assert.Contains(t, out, `<testcase name="first" classname="wmsim.hourly-sync-survives-doze.android.expect" time="0.002">`)
	assert.Contains(t, out, `<testcase name="second" classname="wmsim.hourly-sync-survives-doze.android.expect" time="0.015">`)
	assert.Contains(t, out, `classname="wmsim.hourly-sync-survives-doze.android.invariant" time="0"`)
	// Only the time attributes differ.
	strip := regexp.MustCompile(` time="[0-9.]+"`)
	assert.Equal(t, strip.ReplaceAllString(plain.String(), ""), strip.ReplaceAllString(out, ""))
	assert.NotContains(t, plain.String(), `time="1.235"`)
}
