//go:build cgo

package scan

import (
	"errors"
	"fmt"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/wmsim/wmsim/internal/scan/internal/tsdart"
)

// The Dart grammar is tree-sitter-dart (vendored in internal/tsdart) through
// the official Go binding github.com/tree-sitter/go-tree-sitter; both need
// cgo. Parsers are not safe for concurrent use, so each goroutine takes its
// own from the pool.
var dartLang = sitter.NewLanguage(tsdart.Language())

var parserPool = sync.Pool{New: func() any {
	p := sitter.NewParser()
	if err := p.SetLanguage(dartLang); err != nil {
		panic(err) // the vendored grammar's ABI is checked by tsdart's test
	}
	return p
}}

// parserAvailable says whether this build can parse Dart.
const parserAvailable = true

var errTooLargeTree = errors.New("syntax tree too large or too deeply nested")

// errParseBudget is the error for a file whose parse ran out of parseBudget.
var errParseBudget = errors.New("the Dart parser's error recovery ran out of its budget on this file")

// parseBudget is how many progress-callback calls a parse of n bytes may
// take. tree-sitter calls it once per 100 parser operations
// (OP_COUNT_PER_PARSER_TIMEOUT_CHECK in lib/src/parser.c), and a clean parse
// takes about one operation per token, so a valid file needs well under
// n/100 calls (the largest fixture: see TestParseBudgetIsGenerous); the
// budget allows 16 + n/8 calls, 12.5 operations per byte.
func parseBudget(n int) int { return 16 + n/8 }

// parseDart parses src and returns its syntax tree. The tree may contain
// error nodes; an error is returned only when the tree is too large.
func parseDart(src []byte) (*node, error) {
	root, _, err := parseCounted(src, parseBudget(len(src)))
	return root, err
}

// parseCounted is parseDart with the budget given; it also returns how many
// progress calls the parse took.
func parseCounted(src []byte, budget int) (*node, int, error) {
	if d := bracketDepth(src); d > maxTreeDepth/4 {
		return nil, 0, fmt.Errorf("brackets nested %d deep (more than %d)", d, maxTreeDepth/4)
	}
	p := parserPool.Get().(*sitter.Parser)
	defer parserPool.Put(p)
	p.Reset()
	// tree-sitter's error recovery can run without end on some malformed
	// input (the 87-byte file in testdata/hang; tree-sitter/tree-sitter
	// #1617 and #2197 are the same class). The progress callback runs every
	// fixed number of parser operations, so counting its calls bounds the
	// work deterministically, whatever the machine's speed.
	calls := 0
	tree := p.ParseWithOptions(func(i int, _ sitter.Point) []byte {
		if i < len(src) {
			return src[i:]
		}
		return nil
	}, nil, &sitter.ParseOptions{ProgressCallback: func(sitter.ParseState) bool {
		calls++
		return calls > budget
	}})
	if tree == nil {
		if calls > budget {
			return nil, calls, errParseBudget
		}
		return nil, calls, errors.New("the parser gave up")
	}
	defer tree.Close()
	c := tree.Walk()
	defer c.Close()
	count, depth := 0, 0
	var build func() (*node, bool)
	build = func() (*node, bool) {
		n := c.Node()
		count++
		if count > maxTreeNodes || depth > maxTreeDepth {
			return nil, false
		}
		sp := n.StartPosition()
		out := &node{
			kind:    n.Kind(),
			field:   c.FieldName(),
			start:   uint32(n.StartByte()),
			end:     uint32(n.EndByte()),
			row:     uint32(sp.Row),
			col:     uint32(sp.Column),
			isError: n.IsError() || n.IsMissing(),
		}
		if c.GotoFirstChild() {
			depth++
			defer func() { depth-- }()
			for {
				k := c.Node()
				if k.IsNamed() || k.IsError() || k.IsMissing() {
					kid, ok := build()
					if !ok {
						return nil, false
					}
					out.kids = append(out.kids, kid)
				}
				if !c.GotoNextSibling() {
					break
				}
			}
			c.GotoParent()
		}
		return out, true
	}
	root, ok := build()
	if !ok {
		return nil, calls, errTooLargeTree
	}
	return root, calls, nil
}
