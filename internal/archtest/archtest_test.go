package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/wmsim/wmsim/"

// allowed lists, for every package of the module, the module packages its
// non-test files may import. Tests may import more (an example may use the
// harness); the rules are about what ships.
var allowed = map[string][]string{
	"internal/sim":                  {},
	"internal/device":               {"internal/sim"},
	"internal/osscheduler":          {"internal/sim", "internal/device"},
	"internal/osscheduler/android":  {"internal/sim", "internal/device", "internal/osscheduler"},
	"internal/osscheduler/ios":      {"internal/sim", "internal/device", "internal/osscheduler"},
	"internal/plugin/codec":         {},
	"internal/plugin":               {"internal/sim", "internal/device", "internal/osscheduler", "internal/osscheduler/android", "internal/osscheduler/ios", "internal/plugin/codec"},
	"internal/plugin/wire":          {"internal/sim", "internal/osscheduler", "internal/plugin", "internal/plugin/codec"},
	"report":                        {"internal/sim"},
	"scenarios":                     {"internal/sim", "internal/device", "internal/osscheduler", "internal/osscheduler/android", "internal/osscheduler/ios", "internal/plugin", "internal/plugin/codec", "internal/plugin/wire", "report"},
	"runner":                        {"internal/sim", "internal/device", "internal/osscheduler", "internal/osscheduler/android", "internal/osscheduler/ios", "internal/plugin", "internal/plugin/codec", "internal/plugin/wire", "scenarios", "report"},
	"internal/fleet":                {"internal/sim", "internal/device", "internal/osscheduler", "internal/osscheduler/android", "internal/osscheduler/ios", "scenarios", "runner", "report"},
	"internal/chaos":                {"internal/sim", "internal/device", "internal/osscheduler", "internal/osscheduler/android", "internal/osscheduler/ios", "internal/plugin", "internal/plugin/wire", "scenarios", "runner", "report"},
	"internal/compare":              {"internal/plugin", "scenarios", "runner", "report"},
	"internal/scan":                 {"internal/device", "internal/osscheduler/android", "scenarios", "runner", "internal/scan/internal/tsdart"},
	"internal/scan/internal/tsdart": {},
	"wmsimtest":                     {"internal/sim", "internal/device", "internal/osscheduler", "internal/osscheduler/android", "internal/osscheduler/ios", "internal/plugin", "internal/plugin/codec", "internal/plugin/wire", "scenarios", "runner", "report"},
	"cmd/wmsim":                     {"*"},
	"internal/archtest":             {},
	"internal/golden":               {},
	"internal/fuzzedit":             {}, // fuzz targets' input edits
	"internal/event":                {},
	"internal/browsertest":          {},
	"internal/packaging":            {}, // tests of the repository's release, CI and deploy files
	"bench/evcount":                 {"internal/sim", "scenarios", "runner", "internal/fleet"},
	"bench/apicount":                {}, // parses source only, so it counts an older checkout too
	"examples":                      {},
}

// everyone lists the packages any package may import: the trace vocabulary.
var everyone = map[string]bool{"internal/event": true}

// imports walks the module from root and returns, per package directory, the
// module packages its non-test Go files import.
func imports(t *testing.T, root string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			if p != root {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir // another module (tools)
				}
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		if out[pkg] == nil {
			out[pkg] = map[string]bool{}
		}
		for _, im := range f.Imports {
			path, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				return err
			}
			if strings.HasPrefix(path, module) {
				out[pkg][strings.TrimPrefix(path, module)] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// violations returns, in a stable order, every import that breaks the table
// and every package the table does not know.
func violations(got map[string]map[string]bool) []string {
	pkgs := make([]string, 0, len(got))
	for p := range got {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	var out []string
	for _, p := range pkgs {
		rules, ok := allowed[p]
		if !ok {
			out = append(out, "package "+p+" is not in the layering table: add it to allowed in internal/archtest/archtest_test.go with the packages it may import")
			continue
		}
		set := map[string]bool{}
		for _, r := range rules {
			set[r] = true
		}
		if set["*"] {
			continue
		}
		var bad []string
		for im := range got[p] {
			if !set[im] && !everyone[im] {
				bad = append(bad, im)
			}
		}
		sort.Strings(bad)
		for _, im := range bad {
			out = append(out, p+" imports "+im+", which its layer may not use (allowed: "+strings.Join(rules, ", ")+")")
		}
	}
	return out
}

func TestLayers(t *testing.T) {
	for _, v := range violations(imports(t, filepath.Join("..", ".."))) {
		t.Error(v)
	}
}

// TestTableHasNoStalePackages keeps the table honest: every package it names exists.
func TestTableHasNoStalePackages(t *testing.T) {
	got := imports(t, filepath.Join("..", ".."))
	for p := range allowed {
		if _, ok := got[p]; !ok {
			t.Errorf("allowed names %s, which has no Go files: remove it from the table", p)
		}
	}
}

// TestViolationsSeen checks the checker on a throwaway tree: a device package
// that imports the plugin, and a package the table does not know, are reported;
// a test file's import is not.
func TestViolationsSeen(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "internal", "device"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "internal", "device", "d.go"), []byte("package device\n\nimport _ \""+module+"internal/plugin\"\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "internal", "device", "d_test.go"), []byte("package device\n\nimport _ \""+module+"wmsimtest\"\n"), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "newpkg"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "newpkg", "n.go"), []byte("package newpkg\n"), 0o644))
	got := violations(imports(t, dir))
	want := []string{
		"internal/device imports internal/plugin, which its layer may not use (allowed: internal/sim)",
		"package newpkg is not in the layering table: add it to allowed in internal/archtest/archtest_test.go with the packages it may import",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
