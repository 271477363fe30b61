package chaos

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestErrorCatalogue: every error code, warning code, invariant name, limit
// name, chaos check and exit code in the source appears in docs/errors.md
// (as `code`), and every loader message class the catalogue quotes still
// exists in the loader. The source is read as text so the test needs no
// access to unexported names.
func TestErrorCatalogue(t *testing.T) {
	doc, err := os.ReadFile("../../docs/errors.md")
	if err != nil {
		t.Fatal(err)
	}
	catalogue := string(doc)
	type source struct {
		glob string
		re   *regexp.Regexp
		what string
	}
	sources := []source{
		{"../plugin/*.go", regexp.MustCompile(`\bCode[A-Z]\w*\s*=\s*"([a-z_]+)"`), "plugin error code"},
		{"../osscheduler/*/*.go", regexp.MustCompile(`osscheduler\.Errorf\("([a-z_]+)"`), "OS model error code"},
		{"../osscheduler/*.go", regexp.MustCompile(`\bErrorf\("([a-z_]+)"`), "OS error code"},
		{"../../runner/*.go", regexp.MustCompile(`\.warn\("([a-z_]+)"`), "runner warning code"},
		{"../../runner/*.go", regexp.MustCompile(`Code: "([a-z_]+)"|sim\.String\("code", "([a-z_]+)"\)|Kind == "(clamped)"`), "runner code"},
		{"../../report/*.go", regexp.MustCompile(`\bInv[A-Z]\w*\s*=\s*"([a-z_]+)"`), "invariant name"},
		{"../../runner/run_invariants.go", regexp.MustCompile(`\binv[A-Z]\w*\s*=\s*"([a-z_]+)"`), "invariant name"},
		{"../sim/*.go", regexp.MustCompile(`limitErr\("([a-z_]+)"`), "safety limit"},
		{"../../runner/*.go", regexp.MustCompile(`LimitError\{Limit: "([a-z_]+)"`), "safety limit"},
		{"check.go", regexp.MustCompile(`\bCheck[A-Z]\w*\s*=\s*"([a-z0-9_]+)"`), "chaos check"},
		{"../../cmd/wmsim/main.go", regexp.MustCompile(`\bexit[A-Z]\w*\s*=\s*([0-9])`), "exit code"},
	}
	found := map[string]string{}
	for _, s := range sources {
		files, _ := filepath.Glob(s.glob)
		if len(files) == 0 {
			t.Errorf("%s: no file matches %s", s.what, s.glob)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range s.re.FindAllStringSubmatch(string(b), -1) {
				for _, g := range m[1:] {
					if g != "" {
						found[g] = s.what + " in " + f
					}
				}
			}
		}
	}
	codes := make([]string, 0, len(found))
	for c := range found {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	if len(codes) < 40 {
		t.Fatalf("found only %d codes in the source (%v): the patterns no longer match it", len(codes), codes)
	}
	for _, c := range codes {
		if !strings.Contains(catalogue, "`"+c+"`") {
			t.Errorf("%s %q is not in docs/errors.md", found[c], c)
		}
	}
	for _, c := range Checks() {
		if !strings.Contains(catalogue, "`"+c+"`") {
			t.Errorf("chaos check %q is not in docs/errors.md", c)
		}
	}
	// Loader message classes quoted by the catalogue still exist.
	loader := ""
	files, _ := filepath.Glob("../../scenarios/*.go")
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			loader += string(b)
		}
	}
	for _, msg := range []string{"file too large", "not valid UTF-8", "nesting too deep", "alias bomb", "refers to itself",
		"unknown alias", "a second YAML document", "the file is empty", "internal error while reading the file",
		"is after the end of the scenario", "is not defined in app.tasks", "no call registers uniqueName",
		"does not exist in plugin ", "does not accept append", "is an Android settings action",
		"settings in a scenario that runs only on", "unknown field"} {
		if !strings.Contains(loader, msg) {
			t.Errorf("docs/errors.md quotes loader message %q, which the loader no longer has", msg)
		}
		if !strings.Contains(catalogue, msg) {
			t.Errorf("loader message %q is not in docs/errors.md", msg)
		}
	}
}
