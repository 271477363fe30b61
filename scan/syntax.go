package scan

// node is a syntax-tree node of a parsed Dart file, copied out of
// tree-sitter so that the analysis is plain Go (and the cgo part is one
// small file). Only named nodes are kept; positions are 0-based.
type node struct {
	kind    string
	field   string // the field name in its parent, if any
	start   uint32 // byte offsets into the file
	end     uint32
	row     uint32
	col     uint32 // byte column
	isError bool   // an ERROR or MISSING node
	kids    []*node
}

// text is the node's source text.
func (n *node) text(src []byte) string {
	if n == nil || int(n.end) > len(src) || n.start > n.end {
		return ""
	}
	return string(src[n.start:n.end])
}

// child returns the first child of the given kind, or nil.
func (n *node) child(kind string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.kind == kind {
			return k
		}
	}
	return nil
}

// fieldChild returns the first child with the given field name, or nil.
func (n *node) fieldChild(field string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.field == field {
			return k
		}
	}
	return nil
}

// walk calls f for n and every descendant, depth first, until f returns
// false for a node (whose subtree is then skipped).
func (n *node) walk(f func(*node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, k := range n.kids {
		k.walk(f)
	}
}

// firstError returns the first ERROR or MISSING node of the subtree.
func (n *node) firstError() *node {
	var e *node
	n.walk(func(m *node) bool {
		if e != nil {
			return false
		}
		if m.isError {
			e = m
			return false
		}
		return true
	})
	return e
}

// maxTreeNodes bounds the nodes copied out of one file's tree: a file
// beyond it is reported, not analysed.
const maxTreeNodes = 2_000_000
