// The limits against hostile input and the prescan that enforces them
// before the YAML parser runs.

package scenarios

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Limits against hostile input, checked before decoding.
const (
	// MaxFileSize is the largest scenario file accepted: 10 MiB.
	MaxFileSize = 10 << 20
	// MaxDepth is the deepest nesting of mappings and sequences accepted.
	// A scenario needs about 8 (timeline → step → args → inputData → …).
	MaxDepth = 64
	// MaxNodes bounds the number of YAML values after alias expansion
	// (billion-laughs documents expand to ~10^9).
	MaxNodes = 1_000_000
	// MaxDiagnostics bounds how many errors one file reports.
	MaxDiagnostics = 200
	// MaxStructure bounds the number of structural characters (line
	// breaks and , : - [ ] { } & *) checked before the YAML parser runs, so
	// that a pathological file is rejected in milliseconds rather than
	// parsed for seconds. A 10,000-step timeline has about 300,000.
	MaxStructure = 1_000_000
	// MaxMappingKeys bounds the keys of one mapping. The YAML parser
	// (goccy/go-yaml v1.19.2, parser.parseMap) recurses once per key of a
	// block mapping and copies the keys parsed so far at every level, so
	// its time grows with the square of a mapping's width (200,000
	// inputData keys took over a minute); the fix (goccy/go-yaml pull
	// request 889) is not released. With at most this many keys per
	// mapping the parse stays linear in the file's size. inputData, the
	// widest mapping a scenario has, cannot use this many on Android
	// anyway (Data.MAX_DATA_BYTES is 10,240 bytes serialised).
	MaxMappingKeys = 1_000
	// MaxNameBytes bounds names and identifiers: name, uniqueName,
	// taskName, tags, task and profile names, launch handler and
	// permitted identifiers, and keys of inputData. Real ones are tens of
	// bytes; every trace record repeats the unique name.
	MaxNameBytes = 1_024
	// MaxStringBytes bounds every other string of a scenario
	// (description, inputData string values, channel payloads). A
	// workmanager inputData string on Android cannot exceed Data's
	// 10,240 bytes; iOS has no such limit, this one keeps a run's memory
	// bounded.
	MaxStringBytes = 64 << 10
)

// mappingWidth returns the first key token past max keys of one mapping,
// or nil. It follows the same columns as nestingDepth: in block context a
// key belongs to the mapping whose keys sit at its column on the current
// path; in flow context to the innermost {…}.
func mappingWidth(tokens token.Tokens, max int) *token.Token {
	type level struct{ col, keys int }
	var block []level
	var flow []int // keys of each open flow collection; -1 for a [ ] list
	for _, tk := range tokens {
		if tk == nil || tk.Position == nil {
			continue
		}
		switch tk.Type {
		case token.MappingStartType:
			flow = append(flow, 0)
		case token.SequenceStartType:
			flow = append(flow, -1)
		case token.SequenceEndType, token.MappingEndType:
			if len(flow) > 0 {
				flow = flow[:len(flow)-1]
			}
		case token.DocumentHeaderType, token.DocumentEndType:
			block = block[:0]
		case token.SequenceEntryType, token.MappingValueType, token.MappingKeyType:
			if len(flow) > 0 {
				if tk.Type == token.MappingValueType && flow[len(flow)-1] >= 0 {
					flow[len(flow)-1]++
					if flow[len(flow)-1] > max {
						return tk
					}
				}
				break
			}
			col := tk.Position.Column
			if tk.Type == token.MappingValueType && tk.Prev != nil && tk.Prev.Position != nil && tk.Prev.Position.Line == tk.Position.Line {
				col = tk.Prev.Position.Column
			}
			for len(block) > 0 && block[len(block)-1].col > col {
				block = block[:len(block)-1]
			}
			if len(block) == 0 || block[len(block)-1].col < col {
				block = append(block, level{col: col})
			}
			if tk.Type == token.MappingValueType {
				top := &block[len(block)-1]
				top.keys++
				if top.keys > max {
					if tk.Prev != nil && tk.Prev.Position != nil {
						return tk.Prev
					}
					return tk
				}
			}
		}
	}
	return nil
}

// prescan looks at the raw bytes before the YAML lexer does: it rejects a
// file with more than MaxStructure structural characters, or whose flow
// brackets nest more than twice MaxDepth deep (quoted text and comments
// are skipped). It returns the position of the problem and a message, or
// an empty message.
func prescan(src []byte) (line, col int, msg, valid string) {
	line, col = 1, 0
	structure, depth := 0, 0
	var quote byte     // ' or " while inside a quoted scalar
	comment := false   // inside a # comment
	prev := byte('\n') // previous non-blank byte, '\n' at line start
	for i := 0; i < len(src); i++ {
		c := src[i]
		col++
		if c == '\n' || c == '\r' && (i+1 >= len(src) || src[i+1] != '\n') {
			structure++
			if structure > MaxStructure {
				return line, col, "document too large", fmt.Sprintf("at most %d values, lines and separators", MaxStructure)
			}
			line, col, comment, prev = line+1, 0, false, '\n'
			continue
		}
		if comment {
			continue
		}
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++
				col++
			case c == quote && quote == '\'' && i+1 < len(src) && src[i+1] == '\'':
				i++
				col++
			case c == quote:
				quote = 0
			}
			continue
		}
		switch c {
		case ' ', '\t':
			continue
		case '#':
			if i == 0 || src[i-1] == ' ' || src[i-1] == '\t' || prev == '\n' {
				comment = true
				continue
			}
		case '"', '\'':
			if strings.IndexByte(":[{,-\n", prev) >= 0 {
				quote = c
			}
		case '[', '{':
			structure++
			depth++
			if depth > 2*MaxDepth {
				return line, col, "nesting too deep", fmt.Sprintf("at most %d levels of nested mappings and lists", MaxDepth)
			}
		case ']', '}':
			structure++
			if depth > 0 {
				depth--
			}
		case ',', ':', '-', '&', '*':
			structure++
		}
		if structure > MaxStructure {
			return line, col, "document too large", fmt.Sprintf("at most %d values, lines and separators", MaxStructure)
		}
		prev = c
	}
	return 0, 0, "", ""
}

// nestingDepth estimates the nesting depth of a token stream without
// recursion: flow brackets count one level each; in block context each
// distinct indentation column of a sequence entry or mapping key on the
// current path counts one level. It returns the first token past max, or
// nil.
func nestingDepth(tokens token.Tokens, max int) *token.Token {
	flow := 0
	var cols []int
	for _, tk := range tokens {
		if tk == nil || tk.Position == nil {
			continue
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			if flow > 0 {
				flow--
			}
		case token.DocumentHeaderType, token.DocumentEndType:
			cols = cols[:0]
		case token.SequenceEntryType, token.MappingValueType, token.MappingKeyType:
			if flow > 0 {
				break
			}
			col := tk.Position.Column
			if tk.Type == token.MappingValueType && tk.Prev != nil && tk.Prev.Position != nil && tk.Prev.Position.Line == tk.Position.Line {
				col = tk.Prev.Position.Column
			}
			for len(cols) > 0 && cols[len(cols)-1] > col {
				cols = cols[:len(cols)-1]
			}
			if len(cols) == 0 || cols[len(cols)-1] < col {
				cols = append(cols, col)
			}
		}
		if flow+len(cols) > max {
			return tk
		}
	}
	return nil
}

// expansion counts the values of a document with aliases expanded, up to
// limit, without recursion into an alias twice (sizes are memoised). It
// reports a node that makes the count exceed limit, and a self-referencing
// alias.
type expansion struct {
	limit   int
	aliases map[*ast.AliasNode]ast.Node
	memo    map[ast.Node]int
	active  map[ast.Node]bool
	over    ast.Node // first node where the limit was passed
	cycle   *ast.AliasNode
}

// size returns the expanded size of n, capped at limit+1.
func (e *expansion) size(n ast.Node, depth int) int {
	if n == nil || e.over != nil || e.cycle != nil {
		return 0
	}
	if depth > MaxDepth*4 {
		// Nesting through aliases; count it as over the limit.
		e.over = n
		return e.limit + 1
	}
	if v, ok := e.memo[n]; ok {
		return v
	}
	if e.active[n] {
		if a, ok := n.(*ast.AliasNode); ok {
			e.cycle = a
		} else {
			e.over = n
		}
		return e.limit + 1
	}
	e.active[n] = true
	total := 1
	add := func(k int) {
		total += k
		if total > e.limit {
			total = e.limit + 1
			if e.over == nil {
				e.over = n
			}
		}
	}
	switch n := n.(type) {
	case *ast.AliasNode:
		target := e.aliases[n]
		if e.active[target] {
			// The alias sits inside the value it names (x: &x [*x]):
			// say so, rather than "too large".
			e.cycle = n
			total = e.limit + 1
			break
		}
		add(e.size(target, depth+1) - 1)
	case *ast.AnchorNode:
		add(e.size(n.Value, depth+1) - 1)
	case *ast.TagNode:
		add(e.size(n.Value, depth+1) - 1)
	case *ast.MappingNode:
		for _, v := range n.Values {
			add(e.size(v.Key, depth+1))
			add(e.size(v.Value, depth+1))
		}
	case *ast.MappingValueNode:
		add(e.size(n.Key, depth+1))
		add(e.size(n.Value, depth+1))
	case *ast.MappingKeyNode:
		add(e.size(n.Value, depth+1))
	case *ast.SequenceNode:
		for _, v := range n.Values {
			add(e.size(v, depth+1))
		}
	}
	delete(e.active, n)
	e.memo[n] = total
	return total
}
