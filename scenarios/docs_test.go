package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler/ios"
)

// docFiles are the documents whose YAML examples must load.
var docFiles = []string{"../README.md", "../docs/*.md", "FORMAT.md"}

// yamlBlock is a ```yaml fenced block of a document.
type yamlBlock struct {
	file string
	line int // of the block's first line
	text string
}

func yamlBlocks(t *testing.T) []yamlBlock {
	var out []yamlBlock
	for _, pat := range docFiles {
		files, err := filepath.Glob(pat)
		require.NoError(t, err)
		require.NotEmpty(t, files, pat)
		for _, f := range files {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			lines := strings.Split(string(src), "\n")
			for i := 0; i < len(lines); i++ {
				if strings.TrimSpace(lines[i]) != "```yaml" {
					continue
				}
				start := i + 1
				for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
				}
				out = append(out, yamlBlock{file: f, line: start + 1, text: strings.Join(lines[start:i], "\n") + "\n"})
			}
		}
	}
	return out
}

// isScenario tells a scenario (complete or a fragment of one) from other
// YAML the documents show (a CI workflow, a Kubernetes job).
var scenarioKey = regexp.MustCompile(`(?m)^(version|name|duration|platform|plugin|android|ios|device|app|timeline|expect|seed|start|description):|^  - at: `)
var foreignKey = regexp.MustCompile(`(?m)^(jobs|on|apiVersion|kind|spec|rules):`)

// docContext is what a fragment is placed in: every top-level section a
// fragment does not bring itself, so that the names the documents use
// (fetchLatestPosts, periodic-sync, oneoff-1, cleanupCache) are defined.
var docContext = map[string]string{
	"platform": "platform: [android, ios]\n",
	"ios":      "ios: { permitted_identifiers: [periodic-sync, oneoff-1, dev.example.sync] }\n",
	"app": `app:
  tasks:
    fetchLatestPosts: { duration: 2s }
    cleanupCache: { duration: 1s }
    simpleTask: {}
`,
	"timeline": `timeline:
  - at: 0s
    call: initialize
  - at: 1m
    call: registerPeriodicTask
    args: { uniqueName: periodic-sync, taskName: fetchLatestPosts, frequency: 1h }
  - at: 2m
    call: registerOneOffTask
    args: { uniqueName: oneoff-1, taskName: cleanupCache }
`,
}

// wrap places a fragment in a minimal scenario: the top-level fields it
// lacks are added (a file's first lines, say, lack duration and the rest).
func wrap(fragment string) string {
	var b strings.Builder
	for _, kv := range [][2]string{{"version", "1"}, {"name", "doc-fragment"}, {"duration", "3d"}} {
		if !regexp.MustCompile(`(?m)^` + kv[0] + `:`).MatchString(fragment) {
			b.WriteString(kv[0] + ": " + kv[1] + "\n")
		}
	}
	if strings.HasPrefix(fragment, "  - ") {
		// Timeline steps.
		b.WriteString(docContext["platform"] + docContext["ios"] + docContext["app"] + docContext["timeline"])
		b.WriteString(fragment)
		return b.String()
	}
	for _, k := range []string{"platform", "ios", "app", "timeline"} {
		if !regexp.MustCompile(`(?m)^` + k + `:`).MatchString(fragment) {
			b.WriteString(docContext[k])
		}
	}
	b.WriteString(fragment)
	return b.String()
}

// TestDocumentedScenariosLoad: every YAML scenario in README.md, docs/ and
// FORMAT.md loads: complete ones as they are, fragments inside a minimal
// scenario (with the names the documents use defined).
func TestDocumentedScenariosLoad(t *testing.T) {
	complete, fragments := 0, 0
	for _, blk := range yamlBlocks(t) {
		name := fmt.Sprintf("%s:%d", blk.file, blk.line)
		if foreignKey.MatchString(blk.text) || !scenarioKey.MatchString(blk.text) {
			continue
		}
		src := blk.text
		if regexp.MustCompile(`(?m)^version:`).MatchString(src) && regexp.MustCompile(`(?m)^duration:`).MatchString(src) {
			complete++
		} else {
			fragments++
			src = wrap(src)
		}
		_, err := Parse(name, []byte(src))
		assert.NoError(t, err, "%s:\n%s", name, src)
	}
	assert.Positive(t, complete, "a complete scenario is documented")
	assert.GreaterOrEqual(t, fragments, 8, "the fragments of FORMAT.md are checked")
}

// TestDocumentedFragmentsAreChecked: a broken fragment fails, so the test
// above cannot pass by accident.
func TestDocumentedFragmentsAreChecked(t *testing.T) {
	for _, bad := range []string{
		"android:\n  api: 99\n",
		"  - at: 1m\n    channel:\n      name: nope\n      message: '!!'\n",
		"expect:\n  - task: undefinedTask\n    runs: { min: 1 }\n",
	} {
		_, err := Parse("bad.yaml", []byte(wrap(bad)))
		assert.Error(t, err, bad)
	}
}

// accepted is the set of values Parse accepts in the field the template
// sets, among lo..hi.
func accepted(template string, lo, hi int) []int {
	var out []int
	for v := lo; v <= hi; v++ {
		if _, err := Parse("r.yaml", []byte(fmt.Sprintf(template, v))); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// ranges writes a sorted set as the documents do: runs of three or more
// as "a..b", the rest one by one, the last joined with "or": "23..37",
// "13..18, 26 or 27".
func ranges(vs []int) string {
	var parts []string
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && vs[j+1] == vs[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, fmt.Sprintf("%d..%d", vs[i], vs[j]))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, fmt.Sprint(vs[k]))
			}
		}
		i = j + 1
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// TestDocumentedRangesMatchTheCode: the API levels and iOS versions the
// documents state are those the loader accepts, and those the models have
// a profile for, read from the code, so that a change to one fails here.
func TestDocumentedRangesMatchTheCode(t *testing.T) {
	api := accepted("version: 1\nname: r\nduration: 1d\nplatform: android\nandroid: { api: %d }\n", 0, 60)
	require.NotEmpty(t, api)
	assert.Equal(t, MinAndroidAPI, api[0])
	assert.Equal(t, MaxAndroidAPI, api[len(api)-1])
	apiText := ranges(api)

	versions := accepted("version: 1\nname: r\nduration: 1d\nplatform: ios\nios: { version: %d }\n", 0, 60)
	var modelled []int
	for v := 1; v <= 60; v++ {
		if _, err := ios.ProfileFor(v); err == nil {
			modelled = append(modelled, v)
		}
	}
	assert.Equal(t, modelled, versions, "the loader accepts exactly the iOS versions the model has a profile for")
	iosText := ranges(versions)

	errorsMD, err := os.ReadFile("../docs/errors.md")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(errorsMD), "(`api` "+apiText+","), "docs/errors.md must state the API levels as (`api` %s,", apiText)
	assert.True(t, strings.Contains(string(errorsMD), "`ios.version` "+iosText+" "), "docs/errors.md must state the iOS versions as `ios.version` %s", iosText)
	format, err := os.ReadFile("FORMAT.md")
	require.NoError(t, err)
	assert.True(t, regexp.MustCompile(`api: \d+ +# `+regexp.QuoteMeta(apiText)+`;`).Match(format), "FORMAT.md must state the API levels as # %s;", apiText)
	assert.True(t, regexp.MustCompile(`version: \d+ +# `+regexp.QuoteMeta(iosText)+` `).Match(format), "FORMAT.md must state the iOS versions as # %s", iosText)
}
