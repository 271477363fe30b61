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

// userCode lists where the project shows code a user copies: the example
// module code, the public packages' Example functions, and the Go blocks of
// the documents. Such code must build outside this module, so it may import
// no package under internal/.
var (
	userCodeDirs = []string{"examples", "scenarios", "runner", "report", "wmsimtest"}
	userCodeDocs = []string{"README.md", "docs/*.md", "scenarios/FORMAT.md"}
)

// internalImports returns, as "where: path", every import of an internal
// package in src (a Go file, or a fragment from a document: a fragment
// that does not parse as a file is tried with a package clause in front).
func internalImports(where string, src []byte) []string {
	f, err := parser.ParseFile(token.NewFileSet(), where, src, parser.ImportsOnly)
	if err != nil {
		f, err = parser.ParseFile(token.NewFileSet(), where, append([]byte("package p\n"), src...), parser.ImportsOnly)
		if err != nil {
			return nil // prose in a go block, or a statement list without imports
		}
	}
	var out []string
	for _, im := range f.Imports {
		path, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		if strings.HasPrefix(path, module) && strings.Contains(path+"/", "/internal/") {
			out = append(out, where+": imports "+path)
		}
	}
	return out
}

// goBlocks returns the bodies of a Markdown document's ```go blocks.
func goBlocks(doc string) []string {
	var out []string
	for {
		i := strings.Index(doc, "```go\n")
		if i < 0 {
			return out
		}
		doc = doc[i+len("```go\n"):]
		j := strings.Index(doc, "```")
		if j < 0 {
			return append(out, doc)
		}
		out = append(out, doc[:j])
		doc = doc[j:]
	}
}

// userCodeViolations walks root's user-facing code (see userCode) and returns
// every internal import, sorted.
func userCodeViolations(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	for _, dir := range userCodeDirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			name := d.Name()
			// In the public packages only the Example files are user code;
			// everything under examples/ is.
			if !strings.HasSuffix(name, ".go") || (dir != "examples" && !strings.HasPrefix(name, "example")) {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			out = append(out, internalImports(filepath.ToSlash(rel), src)...)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	for _, pattern := range userCodeDocs {
		docs, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range docs {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, p)
			for i, block := range goBlocks(string(src)) {
				out = append(out, internalImports(filepath.ToSlash(rel)+" go block "+strconv.Itoa(i+1), []byte(block))...)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestUserCodeImportsNoInternalPackage keeps the examples honest: an
// external module cannot import wmsim's internal/ packages, so neither may
// the code the project asks users to copy.
func TestUserCodeImportsNoInternalPackage(t *testing.T) {
	for _, v := range userCodeViolations(t, filepath.Join("..", "..")) {
		t.Error(v + ": user code may import only the public packages (scenarios, runner, report, wmsimtest); re-export what it needs from one of them")
	}
}

// TestUserCodeViolationsSeen checks the checker on a throwaway tree: an
// example file, a public package's Example file and a README block that
// import internal packages are reported; a public package's own test file,
// a block without imports and a block importing public packages are not.
func TestUserCodeViolationsSeen(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("examples/x/x_test.go", "package x_test\n\nimport _ \""+module+"internal/plugin\"\n")
	write("report/example_test.go", "package report_test\n\nimport (\n\t\"fmt\"\n\t\""+module+"internal/sim\"\n)\n")
	write("report/report_test.go", "package report\n\nimport _ \""+module+"internal/sim\"\n")
	write("README.md", "# x\n\n```go\nimport \""+module+"internal/device\"\n```\n\n```go\ns.RunFor(time.Hour)\n```\n\n```go\nimport \""+module+"wmsimtest\"\n```\n")
	got := userCodeViolations(t, dir)
	want := []string{
		"README.md go block 1: imports " + module + "internal/device",
		"examples/x/x_test.go: imports " + module + "internal/plugin",
		"report/example_test.go: imports " + module + "internal/sim",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("violations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
