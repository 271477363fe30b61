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

// maxTreeDepth bounds the depth of a file's syntax tree (real code stays
// far below; a hostile file nested deeper is reported, not analysed).
const maxTreeDepth = 2000

// bracketDepth is the deepest nesting of (), [] and {} in Dart source,
// skipping comments and string literals. It runs before the parse so that
// hostile nesting costs a linear scan, not a parse.
func bracketDepth(src []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '(', '[', '{':
			depth++
			deepest = max(deepest, depth)
		case ')', ']', '}':
			depth = max(depth-1, 0)
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				for i < len(src) && src[i] != '\n' {
					i++
				}
			} else if i+1 < len(src) && src[i+1] == '*' {
				i += 2
				for i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/') {
					i++
				}
				i++
			}
		case '\'', '"':
			q := []byte{c}
			if i+2 < len(src) && src[i+1] == c && src[i+2] == c {
				q = []byte{c, c, c}
			}
			i += len(q)
			for i < len(src) && !hasPrefixAt(src, i, q) {
				if src[i] == '\\' {
					i++
				}
				i++
			}
			i += len(q) - 1
		}
	}
	return deepest
}

func hasPrefixAt(src []byte, i int, p []byte) bool {
	if i+len(p) > len(src) {
		return false
	}
	for k := range p {
		if src[i+k] != p[k] {
			return false
		}
	}
	return true
}
