// Command apicount counts the exported identifiers of a Go module's public
// packages: the number README's API section reports before and after the
// move under internal/.
//
// A public package is any non-main package outside internal/, cmd/,
// examples/, bench/ and testdata/. Counted are its top-level exported names
// (functions, types, variables, constants; each name of a group) and the
// exported methods of its exported types, in non-test files. The program
// uses only go/parser, so it counts an older checkout as well:
//
//	go run ./bench/apicount [-v] [-methods=false] [root]
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// countMethods is the -methods flag.
var countMethods = true

func main() {
	verbose := flag.Bool("v", false, "print the count of every package")
	flag.BoolVar(&countMethods, "methods", true, "count the exported methods of exported types")
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	counts, err := Count(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apicount:", err)
		os.Exit(1)
	}
	write(os.Stdout, counts, *verbose)
}

// write prints the total and, when verbose, one line per package.
func write(w io.Writer, counts map[string]int, verbose bool) {
	pkgs := make([]string, 0, len(counts))
	total := 0
	for p, n := range counts {
		pkgs = append(pkgs, p)
		total += n
	}
	sort.Strings(pkgs)
	if verbose {
		for _, p := range pkgs {
			fmt.Fprintf(w, "%5d %s\n", counts[p], p)
		}
	}
	fmt.Fprintf(w, "%5d exported identifiers in %d public packages\n", total, len(pkgs))
}

// skipDir reports whether a directory, relative to the module root, holds no
// public package (nor any below it).
func skipDir(rel, name string) bool {
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor" || name == "internal" {
		return true
	}
	switch strings.SplitN(rel, "/", 2)[0] {
	case "cmd", "examples", "bench", "tools":
		return true
	}
	return false
}

// Count returns, per public package directory under root, its number of
// exported identifiers.
func Count(root string) (map[string]int, error) {
	counts := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if p != root && skipDir(rel, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" || hasIgnoreTag(f) {
			return nil
		}
		counts[filepath.ToSlash(filepath.Dir(rel))] += exported(f)
		return nil
	})
	return counts, err
}

// hasIgnoreTag reports whether the file is excluded from every build
// (//go:build ignore), as generators are.
func hasIgnoreTag(f *ast.File) bool {
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.TrimSpace(c.Text) == "//go:build ignore" {
				return true
			}
		}
	}
	return false
}

// exported counts one file's exported top-level names and the exported
// methods of exported receiver types.
func exported(f *ast.File) int {
	n := 0
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			if d.Recv == nil {
				n++
			} else if recv := receiverName(d.Recv.List[0].Type); countMethods && ast.IsExported(recv) {
				n++
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						n++
					}
				case *ast.ValueSpec:
					for _, name := range s.Names {
						if name.IsExported() {
							n++
						}
					}
				}
			}
		}
	}
	return n
}

// receiverName returns the name of a method's receiver type: T for T, *T,
// T[P] and *T[P].
func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
