package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCount counts a small module: exported top-level names (each name of a
// group), exported methods of exported types; not unexported names, methods
// of unexported types, test files, main packages, or internal/, cmd/,
// examples/ and bench/ trees.
func TestCount(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pub/a.go", `package pub

const (
	A, B = 1, 2
	c    = 3
)

var V, w int

type T struct{}
type t struct{}
type G[P any] struct{}

func F()                 {}
func f()                 {}
func (T) M()             {}
func (*T) m()            {}
func (t) M()             {}
func (*G[P]) N()         {}
type Alias = T
`)
	write("pub/a_test.go", "package pub\n\nfunc Exported() {}\n")
	write("pub/gen.go", "//go:build ignore\n\npackage main\n\nfunc X() {}\n")
	write("internal/x/x.go", "package x\n\nfunc X() {}\n")
	write("cmd/c/c.go", "package main\n\nfunc X() {}\n")
	write("examples/e/e.go", "package e\n\nfunc X() {}\n")
	write("bench/b/b.go", "package main\n\nfunc X() {}\n")
	write("pub/sub/internal/y/y.go", "package y\n\nfunc Y() {}\n")

	got, err := Count(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A B V T G F Alias, T.M, G.N
	if len(got) != 1 || got["pub"] != 9 {
		t.Fatalf("Count = %v, want map[pub:9]", got)
	}

	countMethods = false
	defer func() { countMethods = true }()
	got, err = Count(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got["pub"] != 7 {
		t.Fatalf("Count without methods = %v, want map[pub:7]", got)
	}
}
