//go:build cgo

// Package tsdart is the tree-sitter grammar for Dart, compiled with cgo for
// github.com/tree-sitter/go-tree-sitter.
//
// parser.c, scanner.c and tree_sitter/parser.h are the generated sources of
// the tree-sitter-dart grammar (UserNobody14/tree-sitter-dart, release
// 1.0.0 as published to npm, ABI 14; MIT licence in LICENSE). They are
// vendored unchanged because the grammar has no Go module on the module
// proxy; refresh them from a newer release with the same file names.
package tsdart

// #cgo CFLAGS: -std=c11 -fPIC -I${SRCDIR} -w
// const void *tree_sitter_dart(void);
import "C"

import "unsafe"

// Language returns the grammar's TSLanguage, for tree_sitter.NewLanguage.
func Language() unsafe.Pointer {
	return unsafe.Pointer(C.tree_sitter_dart())
}
