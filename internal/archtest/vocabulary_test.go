package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// kindArgs are the calls that take a trace source or kind, with the
// positions of those arguments: the kernel's Emit/Watch/Watching and the
// models' own emit helpers.
var kindArgs = map[string][]int{
	"Emit":     {0, 1},
	"emit":     {0}, // the models' helpers take the source or the kind first
	"Watching": {0},
	"Watch":    {1, 2, 3, 4, 5, 6, 7},
}

// literalKinds walks the non-test Go files under root and reports, as
// "file:line: what", every string literal used where a trace Source or Kind
// belongs: an argument of kindArgs, an operand compared with X.Kind or
// X.Source, a case of a switch on one, a Kind/Source key of a sim.Record
// literal, and a conversion event.Kind("…") / event.Source("…") outside
// package event. The typed constants of package event are the vocabulary.
func literalKinds(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		fs := token.NewFileSet()
		f, err := parser.ParseFile(fs, p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		report := func(n ast.Node, what string) {
			out = append(out, filepath.ToSlash(rel)+":"+itoa(fs.Position(n.Pos()).Line)+": "+what)
		}
		isLit := func(e ast.Expr) bool { // a non-empty string literal ("" is "none", not a name)
			l, ok := ast.Unparen(e).(*ast.BasicLit)
			return ok && l.Kind == token.STRING && l.Value != `""` && l.Value != "``"
		}
		isKindSel := func(e ast.Expr) bool {
			s, ok := ast.Unparen(e).(*ast.SelectorExpr)
			return ok && (s.Sel.Name == "Kind" || s.Sel.Name == "Source")
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var name string
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "event" && (name == "Kind" || name == "Source") &&
						f.Name.Name != "event" && len(n.Args) == 1 && isLit(n.Args[0]) {
						report(n, "a string literal converted to event."+name+": use its constant")
						return true
					}
				case *ast.Ident:
					name = fn.Name
				}
				for _, i := range kindArgs[name] {
					if i < len(n.Args) && isLit(n.Args[i]) {
						report(n.Args[i], "a string literal as the source or kind of "+name+": use an event constant")
					}
				}
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) &&
					(isKindSel(n.X) && isLit(n.Y) || isKindSel(n.Y) && isLit(n.X)) {
					report(n, "a Kind or Source compared with a string literal: use an event constant")
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isKindSel(n.Tag) {
					for _, c := range n.Body.List {
						for _, e := range c.(*ast.CaseClause).List {
							if isLit(e) {
								report(e, "a switch on a Kind or Source with a string-literal case: use an event constant")
							}
						}
					}
				}
			case *ast.CompositeLit:
				typ := ""
				switch t := n.Type.(type) {
				case *ast.SelectorExpr:
					if x, ok := t.X.(*ast.Ident); ok {
						typ = x.Name + "." + t.Sel.Name
					}
				case *ast.Ident:
					if f.Name.Name == "sim" {
						typ = "sim." + t.Name
					}
				}
				if typ != "sim.Record" {
					return true
				}
				for _, el := range n.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && (k.Name == "Kind" || k.Name == "Source") && isLit(kv.Value) {
							report(kv.Value, "a string literal as a sim.Record's "+k.Name+": use an event constant")
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// TestTraceVocabulary: no string literal stands where a trace source or
// kind belongs anywhere in the module's shipped code.
func TestTraceVocabulary(t *testing.T) {
	for _, v := range literalKinds(t, filepath.Join("..", "..")) {
		t.Error(v)
	}
}

// TestTraceVocabularySeesLiterals checks the checker on a throwaway tree:
// every form is reported, a constant is not, and test files are not read.
func TestTraceVocabularySeesLiterals(t *testing.T) {
	dir := t.TempDir()
	src := `package m

import (
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

func f(e *sim.Engine, r *sim.Record) {
	e.Emit("device", event.Started, "s", "r")
	e.Emit(event.SourceDevice, "started", "s", "r")
	e.Emit(event.SourceDevice, event.Started, "s", "r")
	_ = r.Kind == "started"
	_ = r.Source != ""
	switch r.Source {
	case "plugin", event.SourceDevice:
	}
	_ = sim.Record{Kind: "started", Subject: "x"}
	_ = event.Kind("started")
	_ = e.Watching(event.Started)
}
`
	if err := os.WriteFile(filepath.Join(dir, "m.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "m_test.go"), []byte(strings.Replace(src, "package m", "package m_test", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	got := literalKinds(t, dir)
	want := []string{ // sorted as text
		"m.go:10: a string literal as the source or kind of Emit: use an event constant",
		"m.go:12: a Kind or Source compared with a string literal: use an event constant",
		"m.go:15: a switch on a Kind or Source with a string-literal case: use an event constant",
		"m.go:17: a string literal as a sim.Record's Kind: use an event constant",
		"m.go:18: a string literal converted to event.Kind: use its constant",
		"m.go:9: a string literal as the source or kind of Emit: use an event constant",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
