package archtest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// documented returns the packages docs/architecture.md's "Where things live"
// table names (each `path` in its first column) and the package paths its
// diagrams label (the first line of a node's label, "internal/sim<br/>…").
func documented(doc string) (table, diagram map[string]bool) {
	table, diagram = map[string]bool{}, map[string]bool{}
	if i := strings.Index(doc, "## Where things live"); i >= 0 {
		sec := doc[i:]
		if j := strings.Index(sec[1:], "\n## "); j >= 0 {
			sec = sec[:j+1]
		}
		for _, line := range strings.Split(sec, "\n") {
			if !strings.HasPrefix(line, "| `") {
				continue
			}
			first := strings.SplitN(line[1:], "|", 2)[0]
			for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(first, -1) {
				table[m[1]] = true
			}
		}
	}
	for _, m := range regexp.MustCompile(`\w+\["([a-z/]+)[ <"]`).FindAllStringSubmatch(doc, -1) {
		diagram[m[1]] = true
	}
	return table, diagram
}

// TestArchitectureDocIsTrue keeps docs/architecture.md true: its table names
// every package of the layering table (examples aside) and nothing else,
// and every package path its diagrams label exists.
func TestArchitectureDocIsTrue(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	table, diagram := documented(string(src))
	var missing, stale, badLabel []string
	for p := range allowed {
		if p != "examples" && !strings.HasPrefix(p, "internal/scan/internal/") && !table[p] {
			missing = append(missing, p)
		}
	}
	for p := range table {
		if _, ok := allowed[p]; !ok {
			stale = append(stale, p)
		}
	}
	for p := range diagram {
		if _, ok := allowed[p]; !ok {
			badLabel = append(badLabel, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	sort.Strings(badLabel)
	for _, p := range missing {
		t.Errorf("docs/architecture.md's table does not name package %s", p)
	}
	for _, p := range stale {
		t.Errorf("docs/architecture.md's table names %s, which is not a package of the layering table", p)
	}
	for _, p := range badLabel {
		t.Errorf("docs/architecture.md's diagram labels a node %s, which is not a package of the layering table", p)
	}
}

// TestDocumentedParsesBoth checks the reader of the document on a small one.
func TestDocumentedParsesBoth(t *testing.T) {
	doc := "```mermaid\n    sim[\"internal/sim<br/>kernel\"]\n    cmd[\"cmd/wmsim<br/>the CLI\"]\n```\n" +
		"## Where things live\n\n| package | what |\n|---|---|\n| `runner`, `report` | x `not/this` |\n| `internal/sim` | kernel |\n\n## Next\n| `after` | no |\n"
	table, diagram := documented(doc)
	if got := strings.Join(keys(table), " "); got != "internal/sim report runner" {
		t.Errorf("table = %q", got)
	}
	if got := strings.Join(keys(diagram), " "); got != "cmd/wmsim internal/sim" {
		t.Errorf("diagram = %q", got)
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
