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

// parseDart parses src and returns its syntax tree. The tree may contain
// error nodes; an error is returned only when the tree is too large.
func parseDart(src []byte) (*node, error) {
	if d := bracketDepth(src); d > maxTreeDepth/4 {
		return nil, fmt.Errorf("brackets nested %d deep (more than %d)", d, maxTreeDepth/4)
	}
	p := parserPool.Get().(*sitter.Parser)
	defer parserPool.Put(p)
	p.Reset()
	tree := p.Parse(src, nil)
	if tree == nil {
		return nil, errors.New("the parser gave up")
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
		return nil, errTooLargeTree
	}
	return root, nil
}
