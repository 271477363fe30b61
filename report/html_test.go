package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/wmsim/wmsim/internal/sim"
)

func htmlFixture(t testing.TB) []byte {
	t.Helper()
	a, at := androidFixture()
	i, it := iosFixture()
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, []*Result{a, i}, [][]sim.Record{at, it}, fixtureStart))
	return buf.Bytes()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == c {
			return true
		}
	}
	return false
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func findAll(root *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walk(root, func(n *html.Node) {
		if n.Type == html.ElementNode && keep(n) {
			out = append(out, n)
		}
	})
	return out
}

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	require.NoError(t, err)
	return doc
}

// outline is the page's structure without coordinates or text: each
// element with its class and data- attributes, indented by depth; repeated
// siblings with the same outline are counted instead of listed.
func outline(n *html.Node) string {
	var b strings.Builder
	var rec func(n *html.Node, depth int)
	line := func(n *html.Node) string {
		s := n.Data
		if c := attr(n, "class"); c != "" {
			s += "." + strings.Join(strings.Fields(c), ".")
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "data-") || a.Key == "id" {
				s += fmt.Sprintf(" %s=%q", a.Key, a.Val)
			}
		}
		return s
	}
	rec = func(n *html.Node, depth int) {
		var kids []*html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data != "title" && c.Data != "style" && c.Data != "meta" {
				kids = append(kids, c)
			}
		}
		for i := 0; i < len(kids); {
			j := i + 1
			for j < len(kids) && line(kids[j]) == line(kids[i]) && kids[j].FirstChild == nil == (kids[i].FirstChild == nil) {
				j++
			}
			fmt.Fprintf(&b, "%s%s", strings.Repeat("  ", depth), line(kids[i]))
			if j-i > 1 {
				fmt.Fprintf(&b, " ×%d", j-i)
			}
			b.WriteString("\n")
			rec(kids[i], depth+1)
			i = j
		}
	}
	rec(n, 0)
	return b.String()
}

func TestHTMLStructureGolden(t *testing.T) {
	doc := parseHTML(t, htmlFixture(t))
	golden(t, "html_structure.txt", []byte(outline(doc)))
}

func TestHTMLFullGolden(t *testing.T) {
	golden(t, "report.html", htmlFixture(t))
}

func TestHTMLLanesAndBands(t *testing.T) {
	doc := parseHTML(t, htmlFixture(t))
	svgs := findAll(doc, func(n *html.Node) bool { return n.Data == "svg" && hasClass(n, "timeline") })
	require.Len(t, svgs, 1, "one timeline for both platforms, on one time axis")
	platforms := findAll(svgs[0], func(n *html.Node) bool { return n.Data == "g" && hasClass(n, "platform") })
	require.Len(t, platforms, 2)
	sections := findAll(doc, func(n *html.Node) bool { return n.Data == "section" && hasClass(n, "result") })
	require.Len(t, sections, 2)
	wantLanes := map[string][]string{
		"android": {"periodic-sync", "cleanup-1", "nightly-report"},
		"ios":     {"dev.example.sync", "dev.example.cleanup"},
	}
	wantBands := map[string][]string{
		"android": {"charger", "network", "screen", "doze", "bucket", "battery"},
		"ios":     {"charger", "network", "screen", "battery"},
	}
	for i, g := range platforms {
		p := attr(g, "data-platform")
		assert.Equal(t, p, attr(sections[i], "data-platform"), "sections follow the timeline's order")
		var lanes, bands []string
		for _, l := range findAll(g, func(n *html.Node) bool { return n.Data == "g" && hasClass(n, "lane") && hasClass(n, "task") }) {
			lanes = append(lanes, attr(l, "data-task"))
		}
		for _, b := range findAll(g, func(n *html.Node) bool { return n.Data == "g" && hasClass(n, "band") }) {
			bands = append(bands, attr(b, "data-signal"))
		}
		assert.Equal(t, wantLanes[p], lanes, "one lane per task on %s", p)
		assert.Equal(t, wantBands[p], bands, p)
		for _, row := range findAll(g, func(n *html.Node) bool { return hasClass(n, "row") }) {
			assert.Equal(t, "0", attr(row, "tabindex"), "every lane is in the tab order")
			assert.NotEmpty(t, attr(row, "aria-label"))
		}
		rows := findAll(sections[i], func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-task") != "" })
		assert.Len(t, rows, len(wantLanes[p]), "one table row per task")
	}

	// Lane content on Android: 18 runs of periodic-sync, one of them a
	// retry, holds shaded by their gate, each with a hover text and its
	// span in seconds for the script.
	lane := findAll(platforms[0], func(n *html.Node) bool { return n.Data == "g" && attr(n, "data-task") == "periodic-sync" })[0]
	runs := findAll(lane, func(n *html.Node) bool { return hasClass(n, "run") })
	assert.Len(t, runs, 18)
	retries := findAll(lane, func(n *html.Node) bool { return hasClass(n, "outcome-retry") })
	assert.Len(t, retries, 1)
	var gates []string
	for _, h := range findAll(lane, func(n *html.Node) bool { return hasClass(n, "hold") }) {
		gates = append(gates, attr(h, "data-gate"))
		title := findAll(h, func(n *html.Node) bool { return n.Data == "title" })
		require.Len(t, title, 1)
		assert.Contains(t, title[0].FirstChild.Data, "held back by")
	}
	assert.Equal(t, []string{"network", "quota", "doze", "doze", "doze"}, gates)
	var dozeTip, dozeA string
	for _, h := range findAll(lane, func(n *html.Node) bool { return attr(n, "data-gate") == "doze" }) {
		dozeTip = findAll(h, func(n *html.Node) bool { return n.Data == "title" })[0].FirstChild.Data
		dozeA = attr(h, "data-a")
		break
	}
	assert.Contains(t, dozeTip, "Doze: idle until the maintenance window at 00:30")
	assert.Equal(t, "57600.000", dozeA, "the hold starts 16 h in")
	run := findAll(lane, func(n *html.Node) bool { return hasClass(n, "run") && attr(n, "data-a") == "59402.000" })
	require.Len(t, run, 1, "the run at 00:30:02")
	assert.Equal(t, "59406.000", attr(run[0], "data-b"))

	// The legend names every colour the timeline uses: device values,
	// outcomes, gates.
	legend := findAll(doc, func(n *html.Node) bool { return n.Data == "dl" && hasClass(n, "legend") })
	require.Len(t, legend, 1)
	var terms []string
	for _, dt := range findAll(legend[0], func(n *html.Node) bool { return n.Data == "dt" }) {
		terms = append(terms, dt.FirstChild.Data)
	}
	assert.Equal(t, []string{"charging", "network", "screen", "Doze", "bucket", "battery", "runs", "held back", "marks"}, terms)
	swatches := map[string]bool{}
	for _, r := range findAll(legend[0], func(n *html.Node) bool { return n.Data == "rect" || n.Data == "line" }) {
		swatches[attr(r, "class")] = true
	}
	for _, c := range []string{"run outcome-retry", "run outcome-success", "hold gate-doze", "hold gate-quota", "hold gate-network", "seg v-idle", "mark mark-event"} {
		assert.True(t, swatches[c], "legend lacks %s", c)
	}

	// Expectations listed with their verdicts.
	fails := findAll(sections[1], func(n *html.Node) bool { return n.Data == "li" && hasClass(n, "expect") && hasClass(n, "fail") })
	assert.Len(t, fails, 4)
}

// Every class of hold has a colour of its own.
func TestGateColours(t *testing.T) {
	seen := map[string]string{}
	for class := range classLabels {
		c, ok := gateColours[class]
		if assert.True(t, ok, "no colour for %q", class) {
			assert.Empty(t, seen[c], "%s and %s share %s", class, seen[c], c)
			seen[c] = class
		}
	}
	assert.Len(t, gateColours, len(classLabels), "colours for classes that do not exist")
}

// Same results, same page, byte for byte.
func TestHTMLDeterministic(t *testing.T) {
	assert.Equal(t, string(htmlFixture(t)), string(htmlFixture(t)))
}

// The page needs no network: one inline script, no external scripts,
// stylesheets, fonts or images.
func TestHTMLSelfContained(t *testing.T) {
	raw := htmlFixture(t)
	doc := parseHTML(t, raw)
	assert.Empty(t, findAll(doc, func(n *html.Node) bool {
		return n.Data == "link" || n.Data == "img" || n.Data == "iframe"
	}))
	scripts := findAll(doc, func(n *html.Node) bool { return n.Data == "script" })
	require.Len(t, scripts, 1)
	assert.Empty(t, attr(scripts[0], "src"))
	for _, n := range findAll(doc, func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" {
				t.Errorf("<%s %s=%q> refers outside the page", n.Data, a.Key, a.Val)
			}
		}
	}
	assert.NotContains(t, string(raw), "@import")
	for _, m := range regexp.MustCompile(`url\([^)]*\)`).FindAllString(string(raw), -1) {
		assert.True(t, strings.HasPrefix(m, "url(#"), "%s refers outside the page", m)
	}
}

func TestHTMLEscapes(t *testing.T) {
	r := brokenFixture()
	r.Tasks = []Task{{Unique: `<script>alert("x")</script>`, Task: "t&t"}}
	r.Runs = []Run{{Unique: `<script>alert("x")</script>`, Task: "t&t", Outcome: `"><b>`, TStart: 10, TEnd: 20}}
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, []*Result{r}, nil, fixtureStart))
	doc := parseHTML(t, buf.Bytes())
	assert.Len(t, findAll(doc, func(n *html.Node) bool { return n.Data == "script" }), 1, "only the page's own script")
	lanes := findAll(doc, func(n *html.Node) bool { return hasClass(n, "lane") })
	require.Len(t, lanes, 1)
	assert.Equal(t, `<script>alert("x")</script>`, attr(lanes[0], "data-task"))
	assert.Empty(t, findAll(lanes[0], func(n *html.Node) bool { return n.Data == "b" }))
	runs := findAll(lanes[0], func(n *html.Node) bool { return hasClass(n, "run") })
	require.Len(t, runs, 1)
	assert.Equal(t, `"><b>`, attr(runs[0], "data-outcome"))
}

func TestHTMLBadInput(t *testing.T) {
	assert.Error(t, WriteHTML(&bytes.Buffer{}, nil, nil, fixtureStart))
	assert.Error(t, WriteHTML(&bytes.Buffer{}, []*Result{nil}, nil, fixtureStart))
	// An empty result still renders a page.
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, []*Result{{}}, nil, fixtureStart))
	parseHTML(t, buf.Bytes())
}
