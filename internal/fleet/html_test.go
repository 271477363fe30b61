package fleet

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/browsertest"
)

// fleetSummary is a small fleet of three profiles.
func fleetSummary(t testing.TB) *Summary {
	t.Helper()
	s, err := Run(library(t, "periodic-task"), Options{Devices: 24, Days: 2, Mix: mix, Jobs: 2})
	require.NoError(t, err)
	return s
}

func fleetHTML(t testing.TB, s *Summary) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, s))
	return buf.Bytes()
}

// pageCharts reads back the chart list the page's script draws from.
func pageCharts(t *testing.T, page []byte) []chart {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="fleet-data">(.*?)</script>`).FindSubmatch(page)
	require.NotNil(t, m, "the page carries its charts' data")
	var cs []chart
	require.NoError(t, json.Unmarshal(m[1], &cs))
	return cs
}

// The charts say what the summary says: histograms hold every sample, the
// cumulative distributions rise to 1, per-profile bars are the profiles'
// quantiles; every chart has a figure with labelled axes and a table.
func TestHTMLCharts(t *testing.T) {
	s := fleetSummary(t)
	page := fleetHTML(t, s)
	cs := pageCharts(t, page)
	task := s.All.Tasks[0]
	byID := map[string]chart{}
	for _, c := range cs {
		byID[c.ID] = c
		assert.NotEmpty(t, c.XLabel, c.ID)
		assert.NotEmpty(t, c.YLabel, c.ID)
		assert.NotEmpty(t, c.Summary, c.ID)
		assert.Contains(t, string(page), `<figure class="chart" id="`+c.ID+`" data-kind="`+c.Kind+`" tabindex="0"`)
		for _, se := range c.Series {
			assert.Len(t, se.Y, len(c.X), "%s %s: one value per x", c.ID, se.Label)
		}
	}
	assert.Equal(t, []string{"t0/runs-per-day", "t0/gaps", "t0/gaps-cdf", "t0/delay", "t0/battery", "t0/profiles", "t0/blocked"}, ids(cs))

	sum := func(c chart) (n float64) {
		for _, y := range c.Series[0].Y {
			n += *y
		}
		return n
	}
	assert.Equal(t, float64(task.RunsPerDayMilli.Count()), sum(byID["t0/runs-per-day"]), "one bar count per device")
	assert.Equal(t, float64(task.SuccessGapMs.Count()), sum(byID["t0/gaps"]))
	assert.Equal(t, float64(task.DelayMs.Count()), sum(byID["t0/delay"]))
	assert.LessOrEqual(t, len(byID["t0/gaps"].X), histBars)
	assert.Equal(t, "hours", byID["t0/gaps"].Unit, "hourly work's gaps are shown in hours")

	cdf := byID["t0/gaps-cdf"]
	assert.Equal(t, []string{"all devices", "heavy-user", "light-user", "office-worker"}, labels(cdf))
	for _, se := range cdf.Series {
		prev := 0.0
		for _, y := range se.Y {
			require.NotNil(t, y)
			assert.GreaterOrEqual(t, *y, prev, "%s: a cumulative distribution never falls", se.Label)
			prev = *y
		}
		assert.Equal(t, 1.0, prev, "%s: every gap is at most the longest", se.Label)
	}

	prof := byID["t0/profiles"]
	assert.Equal(t, []string{"all devices", "heavy-user", "light-user", "office-worker"}, prof.Categories)
	assert.Equal(t, round(float64(task.RunsPerDayMilli.Quantile(.5))/1000), *prof.Series[0].Y[0])
	for i, g := range s.Profiles {
		assert.Equal(t, round(float64(g.Tasks[0].RunsPerDayMilli.Quantile(.9))/1000), *prof.Series[1].Y[i+1], g.Profile)
	}
	assert.NotContains(t, byID["t0/blocked"].Categories, "not_due", "waiting for the period is not being held back")
	assert.Contains(t, byID["t0/blocked"].Categories, "doze")

	// Same summary, same page; no network.
	assert.Equal(t, string(page), string(fleetHTML(t, s)))
	assert.NotRegexp(t, `<(link|img|iframe)\b|<script [^>]*src=|@import|https?://[^"\s]*\.(js|css)`, string(page))
	assert.Contains(t, string(page), "/*! https://github.com/leeoniya/uPlot (v1.6.32) */", "the vendored uPlot, with its banner")
}

func ids(cs []chart) (out []string) {
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func labels(c chart) (out []string) {
	for _, s := range c.Series {
		out = append(out, s.Label)
	}
	return out
}

// A summary's names cannot break out of the page.
func TestHTMLEscapes(t *testing.T) {
	s := fleetSummary(t)
	s.Scenario = `</script><script>alert(1)</script>`
	s.All.Tasks[0].Task = `<img src=x onerror=alert(1)>`
	page := string(fleetHTML(t, s))
	assert.NotContains(t, page, `<img src=x`)
	assert.NotContains(t, page, `</script><script>alert(1)`)
	assert.Contains(t, page, `&lt;img src=x onerror=alert(1)&gt;`)
}

func TestHistogram(t *testing.T) {
	var d Dist
	for _, v := range []int64{1, 1, 2, 5, 5, 5} {
		d.Add(v)
	}
	x, y := histogram(&d, 1)
	assert.Equal(t, []float64{1, 2, 3, 4, 5}, x, "integer samples: one bar per value")
	var got []float64
	for _, v := range y {
		got = append(got, *v)
	}
	assert.Equal(t, []float64{2, 1, 0, 0, 3}, got)
	x, _ = histogram(&Dist{}, 1)
	assert.Empty(t, x)
}

// TestHistogramExtremes: an edited shard can hold any int64 min and max;
// neither the span (hi−lo+1) nor the bar index ((mid−lo)·bars) may
// overflow: no panic, every sample in one of at most histBars bars, the
// bars in ascending order. (int64 arithmetic panicked on each of these.)
func TestHistogramExtremes(t *testing.T) {
	for _, c := range []struct {
		name string
		vals []int64
	}{
		{"full int64 range", []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}},
		{"half range", []int64{0, 1, math.MaxInt64}},
		{"near the top", []int64{math.MaxInt64 - 3, math.MaxInt64 - 1, math.MaxInt64}},
		{"near the bottom", []int64{math.MinInt64, math.MinInt64 + 1}},
		{"one extreme value", []int64{math.MinInt64}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var d Dist
			for _, v := range c.vals {
				d.Add(v)
			}
			var x []float64
			var y []*float64
			require.NotPanics(t, func() { x, y = histogram(&d, 1) })
			require.NotEmpty(t, y)
			require.Len(t, x, len(y))
			assert.LessOrEqual(t, len(y), histBars)
			var total float64
			for _, v := range y {
				total += *v
			}
			assert.Equal(t, float64(len(c.vals)), total, "every sample in a bar")
			for i := 1; i < len(x); i++ {
				assert.LessOrEqual(t, x[i-1], x[i], "bar centres ascend")
			}
		})
	}
	// Small values at the bottom of a huge span fall in the first bar.
	var d Dist
	for _, v := range []int64{0, 1, math.MaxInt64} {
		d.Add(v)
	}
	_, y := histogram(&d, 1)
	assert.Equal(t, 2.0, *y[0])
}

// TestHTMLInBrowser opens the fleet report in headless Chromium: every chart
// is drawn, nothing goes to the console, the screenshot shows the charts,
// Tab reaches every chart and ← → read values into the legend. Set
// WMSIM_SCREENSHOT_DIR to keep the screenshot.
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	s := fleetSummary(t)
	path := filepath.Join(t.TempDir(), "fleet.html")
	require.NoError(t, os.WriteFile(path, fleetHTML(t, s), 0o644))
	p := browsertest.Open(t, path, 1280, 900)

	var canvases, figures int
	browsertest.Eval(p, `document.querySelectorAll('figure.chart .uplot canvas').length`, &canvases)
	browsertest.Eval(p, `document.querySelectorAll('figure.chart').length`, &figures)
	assert.Equal(t, 7, figures)
	assert.Equal(t, figures, canvases, "uPlot drew every chart")
	var axisLabels string
	browsertest.Eval(p, `[...document.querySelectorAll('#t0\\/gaps .u-label')].map(e => e.textContent).join('|')`, &axisLabels)
	assert.Contains(t, axisLabels, "gap (hours)")
	assert.Contains(t, axisLabels, "gaps")

	ink, err := browsertest.InkOf(p.Screenshot("fleet.png"))
	require.NoError(t, err)
	assert.Greater(t, ink.Share, 0.05)
	assert.Greater(t, ink.Colors, 20)

	// Tab: each chart, then its table of numbers.
	var focused, want []string
	for range 2 * figures {
		p.Key(kb.Tab)
		var id string
		browsertest.Eval(p, `(e => e.id || e.tagName.toLowerCase())(document.activeElement)`, &id)
		focused = append(focused, id)
	}
	browsertest.Eval(p, `[...document.querySelectorAll('figure.chart')].flatMap(f => [f.id, 'summary'])`, &want)
	assert.Equal(t, want, focused, "Tab visits every chart in order")

	// On the last chart, → and End move the cursor and the legend shows
	// that point's values.
	p.Key(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	legend := func() string {
		var s string
		browsertest.Eval(p, `[...document.activeElement.querySelectorAll('.u-legend .u-value')].map(e => e.textContent).join('|')`, &s)
		return s
	}
	before := legend()
	p.Key(kb.ArrowRight)
	first := legend()
	assert.NotEqual(t, before, first, "→ shows the first category's values")
	assert.True(t, strings.HasPrefix(first, "doze|"), first)
	p.Key(kb.End)
	assert.NotEqual(t, first, legend())

	assert.Empty(t, p.Problems(), "the page logged errors or warnings")
}
