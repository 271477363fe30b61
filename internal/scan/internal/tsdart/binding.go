//go:build cgo

// Package tsdart is the tree-sitter grammar for Dart, compiled with cgo for
// github.com/tree-sitter/go-tree-sitter.
//
// parser.c, scanner.c and tree_sitter/parser.h are the generated sources of
// the tree-sitter-dart grammar (UserNobody14/tree-sitter-dart, release
// 1.0.0 as published to npm, ABI 14; MIT licence in LICENSE), vendored
// because the grammar has no Go module on the module proxy. The only change:
// the bodies of the two largest tables, ts_parse_table and
// ts_small_parse_table (4 MB together), are cut at line boundaries into
// parse_table_N.h and small_parse_table_N.h, each under 900 kB, which
// parser.c includes where the lines stood, so no tracked file reaches 1 MB.
// TestVendoredParserIsTheRelease puts them back and checks the release's
// SHA-256. To refresh from a newer release, replace the files, cut the
// two bodies the same way and update the test's hash.
package tsdart

// #cgo CFLAGS: -std=c11 -fPIC -I${SRCDIR} -w
// const void *tree_sitter_dart(void);
import "C"

import "unsafe"

// Language returns the grammar's TSLanguage, for tree_sitter.NewLanguage.
func Language() unsafe.Pointer {
	return unsafe.Pointer(C.tree_sitter_dart())
}
