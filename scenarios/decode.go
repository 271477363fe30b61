// The decoder's core: walking the YAML AST, typed scalars and enums, and
// the diagnostics with their positions and field paths.

package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// decoder walks the YAML AST, building typed values and collecting
// diagnostics.
type decoder struct {
	file    string
	lines   *lineIndex
	diags   []Diagnostic
	aliases map[*ast.AliasNode]ast.Node
	full    bool // MaxDiagnostics reached
	quiet   bool // looking up nodes again: report nothing
}

// quietly runs f without recording diagnostics (for re-reading nodes that
// were reported on already).
func (d *decoder) quietly(f func()) {
	old := d.quiet
	d.quiet = true
	defer func() { d.quiet = old }()
	f()
}

// errAt records a diagnostic at (line, col).
func (d *decoder) errAt(line, col int, path, valid, format string, args ...any) {
	if d.full || d.quiet {
		return
	}
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	if len(d.diags) >= MaxDiagnostics {
		d.full = true
		d.diags = append(d.diags, Diagnostic{File: d.file, Line: line, Column: col,
			Message: fmt.Sprintf("too many errors (more than %d); stopped", MaxDiagnostics),
			Valid:   "fix the errors above first"})
		return
	}
	d.diags = append(d.diags, Diagnostic{
		File: d.file, Line: line, Column: col, Path: path,
		Message: fmt.Sprintf(format, args...), Valid: valid,
		Excerpt: excerpt(d.lines, line, col),
	})
}

// errorf records a diagnostic at node n.
func (d *decoder) errorf(n ast.Node, path, valid, format string, args ...any) {
	l, c := position(n)
	d.errAt(l, c, path, valid, format, args...)
}

// position returns the 1-based line and column of a node.
func position(n ast.Node) (int, int) {
	if n == nil {
		return 1, 1
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 && !v.IsFlowStyle {
			return position(v.Values[0])
		}
	case *ast.MappingValueNode:
		if v.Key != nil {
			return position(v.Key)
		}
	case *ast.DocumentNode:
		if v.Body != nil {
			return position(v.Body)
		}
	case *ast.SequenceNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			if t := v.GetToken(); t != nil && t.Position != nil {
				return t.Position.Line, t.Position.Column
			}
		}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 1, 1
	}
	return tk.Position.Line, tk.Position.Column
}

// resolve follows aliases and anchors to the value node. Tags other than
// !!str are reported; !!str turns the value into a string node.
func (d *decoder) resolve(n ast.Node, path string) ast.Node {
	for i := 0; n != nil && i < 64; i++ {
		switch v := n.(type) {
		case *ast.AliasNode:
			t, ok := d.aliases[v]
			if !ok {
				return nil
			}
			n = t
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			tag := ""
			if v.Start != nil {
				tag = v.Start.Value
			}
			inner := d.resolve(v.Value, path)
			if tag == "!!str" {
				if s, ok := scalarText(inner); ok {
					tk := *v.GetToken()
					tk.Value = s
					return &ast.StringNode{BaseNode: &ast.BaseNode{}, Token: &tk, Value: s}
				}
			}
			d.errorf(v, path, "write the value without a tag (only !!str is supported)", "YAML tag %s is not supported", tag)
			return nil
		case *ast.CommentGroupNode:
			return nil
		default:
			return n
		}
	}
	return n
}

// scalarText returns the source text of a scalar node.
func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value != nil {
			return v.Value.Value, true
		}
		return "", true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	case *ast.NullNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// isNull reports whether n (resolved) is null or absent.
func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// describe names the YAML type of a node for error messages.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return "null"
	case *ast.StringNode, *ast.LiteralNode:
		s, _ := scalarText(v)
		return "string " + quoteShort(s)
	case *ast.IntegerNode:
		return "integer " + v.GetToken().Value
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "number " + v.GetToken().Value
	case *ast.BoolNode:
		return "boolean " + v.GetToken().Value
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return "an unsupported YAML value"
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strconv.Quote(s)
}

// entry is one key: value of a mapping, after merge keys are expanded.
type entry struct {
	key     string
	keyNode ast.Node
	val     ast.Node
}

// mapping returns the entries of a mapping node in file order, expanding
// merge keys (<<). It reports a node that is not a mapping.
func (d *decoder) mapping(n ast.Node, path string, what string) ([]entry, bool) {
	n = d.resolve(n, path)
	var mvs []*ast.MappingValueNode
	switch v := n.(type) {
	case *ast.MappingNode:
		mvs = v.Values
	case *ast.MappingValueNode:
		mvs = []*ast.MappingValueNode{v}
	default:
		if n != nil {
			d.errorf(n, path, what, "got %s, want a mapping", describe(n))
		}
		return nil, false
	}
	var out []entry
	seen := map[string]int{}
	for _, mv := range mvs {
		if mv == nil {
			continue
		}
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			for _, e := range d.mergeEntries(mv.Value, path, what, 0) {
				if i, dup := seen[e.key]; dup {
					out[i] = e
					continue
				}
				seen[e.key] = len(out)
				out = append(out, e)
			}
			continue
		}
		key, ok := d.keyText(mv.Key, path)
		if !ok {
			continue
		}
		e := entry{key: key, keyNode: mv.Key, val: mv.Value}
		if i, dup := seen[key]; dup {
			// An explicit key overrides a merged one; two explicit ones
			// are rejected by the parser already.
			out[i] = e
			continue
		}
		seen[key] = len(out)
		out = append(out, e)
	}
	return out, true
}

// mergeEntries returns the entries a merge key brings: a mapping or a list
// of mappings.
func (d *decoder) mergeEntries(n ast.Node, path, what string, depth int) []entry {
	n = d.resolve(n, path)
	if depth > 8 {
		d.errorf(n, path, "at most 8 levels of merge keys (<<) inside merged mappings", "merge keys nested too deeply")
		return nil
	}
	switch v := n.(type) {
	case *ast.SequenceNode:
		var out []entry
		for _, e := range v.Values {
			out = append(out, d.mergeEntries(e, path, what, depth+1)...)
		}
		return out
	case *ast.MappingNode, *ast.MappingValueNode:
		es, _ := d.mapping(v, path, what)
		return es
	}
	d.errorf(n, path, "merge (<<) a mapping or a list of mappings", "cannot merge %s", describe(n))
	return nil
}

// keyText returns a mapping key as a string.
func (d *decoder) keyText(k ast.Node, path string) (string, bool) {
	n := d.resolve(k, path)
	if mk, ok := n.(*ast.MappingKeyNode); ok {
		d.errorf(mk, path, "use a plain string key", "complex mapping keys (?) are not supported")
		return "", false
	}
	s, ok := scalarText(n)
	if !ok {
		d.errorf(k, path, "use a plain string key", "a key must be a scalar, got %s", describe(n))
		return "", false
	}
	return s, d.fits(n, path, s, MaxNameBytes)
}

// object is a mapping decoded against a fixed set of field names.
type object struct {
	d     *decoder
	node  ast.Node
	path  string
	items map[string]entry
	order []string
}

// object decodes n as a mapping whose keys must be among fields. Unknown
// keys are reported with the valid names and a suggestion. It returns nil
// (after reporting) when n is not a mapping; a null n gives an empty object.
func (d *decoder) object(n ast.Node, path string, fields ...string) *object {
	o := &object{d: d, node: n, path: path, items: map[string]entry{}}
	if isNull(d.resolve(n, path)) {
		return o
	}
	valid := "valid fields: " + strings.Join(fields, ", ")
	es, ok := d.mapping(n, path, valid)
	if !ok {
		return nil
	}
	for _, e := range es {
		if !contains(fields, e.key) {
			msg := fmt.Sprintf("unknown field %q", e.key)
			if s := suggest(e.key, fields); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.errorf(e.keyNode, join(path, e.key), valid, "%s", msg)
			continue
		}
		o.items[e.key] = e
		o.order = append(o.order, e.key)
	}
	return o
}

// get returns the resolved value of field name, or nil when absent or null.
func (o *object) get(name string) ast.Node {
	if o == nil {
		return nil
	}
	e, ok := o.items[name]
	if !ok {
		return nil
	}
	v := o.d.resolve(e.val, o.at(name))
	if isNull(v) {
		return nil
	}
	return v
}

// has reports whether field name is present (even if null).
func (o *object) has(name string) bool {
	if o == nil {
		return false
	}
	_, ok := o.items[name]
	return ok
}

// keyNode returns the key node of a present field (for positions).
func (o *object) keyNode(name string) ast.Node {
	if o == nil {
		return nil
	}
	return o.items[name].keyNode
}

// at returns the path of field name.
func (o *object) at(name string) string { return join(o.path, name) }

// require reports a missing (or null) field.
func (o *object) require(name, valid string) ast.Node {
	if o == nil {
		return nil
	}
	v := o.get(name)
	if v == nil {
		if o.has(name) {
			o.d.errorf(o.keyNode(name), o.at(name), valid, "%s is required and must not be null", name)
		} else {
			o.d.errorf(o.node, o.at(name), valid, "missing required field %q", name)
		}
	}
	return v
}

// identRE matches keys that print bare in a path.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// join appends a field name to a path.
func join(path, name string) string {
	if !identRE.MatchString(name) {
		return path + "[" + strconv.Quote(name) + "]"
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

// index appends a list index to a path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// separators drops the separators suggest ignores (built once: a Replacer
// is costly to build and safe for concurrent use).
var separators = strings.NewReplacer("_", "", "-", "")

// suggest returns the candidate closest to s (case-insensitive edit
// distance at most 2, or equal ignoring case, dashes and underscores).
func suggest(s string, candidates []string) string {
	norm := func(x string) string { return separators.Replace(strings.ToLower(x)) }
	ns := norm(s)
	best, bestD := "", 3
	for _, c := range candidates {
		if norm(c) == ns {
			return c
		}
		if d := editDistance(strings.ToLower(s), strings.ToLower(c), bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance, giving up above max.
func editDistance(a, b string, max int) int {
	if len(a) > 64 || len(b) > 64 {
		return max + 1
	}
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// list decodes n as a sequence. A null n is an empty list.
func (d *decoder) list(n ast.Node, path, valid string) ([]ast.Node, bool) {
	n = d.resolve(n, path)
	if isNull(n) {
		return nil, true
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.errorf(n, path, valid, "got %s, want a list", describe(n))
		return nil, false
	}
	return s.Values, true
}

// fits reports (once per node) a string over max bytes: a name
// (MaxNameBytes) or any other string (MaxStringBytes).
func (d *decoder) fits(n ast.Node, path, s string, max int) bool {
	if len(s) <= max {
		return true
	}
	what := "a string"
	if max == MaxNameBytes {
		what = "a name, identifier, tag or key"
	}
	d.errorf(n, path, fmt.Sprintf("%s is at most %d bytes", what, max), "string too long (%d bytes)", len(s))
	return false
}

// name decodes a string that names something (uniqueName, taskName, tag,
// identifiers): at most MaxNameBytes.
func (d *decoder) name(n ast.Node, path string) (string, bool) {
	return d.strMax(n, path, MaxNameBytes)
}

// str decodes a string of at most MaxStringBytes. Numbers and booleans are
// rejected (quote them).
func (d *decoder) str(n ast.Node, path string) (string, bool) {
	return d.strMax(n, path, MaxStringBytes)
}

// strMax decodes a string of at most max bytes.
func (d *decoder) strMax(n ast.Node, path string, max int) (string, bool) {
	n = d.resolve(n, path)
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, d.fits(n, path, v.Value, max)
	case *ast.LiteralNode:
		s, _ := scalarText(v)
		return s, d.fits(n, path, s, max)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		raw := n.GetToken().Value
		d.errorf(n, path, fmt.Sprintf("quote it to make it a string: %q", raw), "got %s, want a string", describe(n))
		return "", false
	case nil:
		return "", false
	}
	d.errorf(n, path, "a string", "got %s, want a string", describe(n))
	return "", false
}

// integer decodes an integer in [lo, hi].
func (d *decoder) integer(n ast.Node, path string, lo, hi int64) (int64, bool) {
	n = d.resolve(n, path)
	rng := fmt.Sprintf("an integer from %d to %d", lo, hi)
	if hi == math.MaxInt64 {
		rng = fmt.Sprintf("an integer ≥ %d", lo)
	}
	v, ok := n.(*ast.IntegerNode)
	if !ok {
		if n != nil {
			d.errorf(n, path, rng, "got %s, want an integer", describe(n))
		}
		return 0, false
	}
	var x int64
	switch iv := v.Value.(type) {
	case int64:
		x = iv
	case uint64:
		if iv > math.MaxInt64 {
			d.errorf(n, path, rng, "%s is out of range", v.GetToken().Value)
			return 0, false
		}
		x = int64(iv)
	default:
		d.errorf(n, path, rng, "got %s, want an integer", describe(n))
		return 0, false
	}
	if x < lo || x > hi {
		d.errorf(n, path, rng, "%d is out of range", x)
		return 0, false
	}
	return x, true
}

// boolean decodes true or false.
func (d *decoder) boolean(n ast.Node, path string) (bool, bool) {
	n = d.resolve(n, path)
	v, ok := n.(*ast.BoolNode)
	if !ok {
		if n != nil {
			d.errorf(n, path, "true or false", "got %s, want a boolean", describe(n))
		}
		return false, false
	}
	return v.Value, true
}

// durationText returns the text of a duration value: a string, or the
// integer 0.
func (d *decoder) durationText(n ast.Node, path string) (string, bool) {
	n = d.resolve(n, path)
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.IntegerNode:
		if v.GetToken().Value == "0" {
			return "0", true
		}
		d.errorf(n, path, durationSyntax, "%s has no unit", v.GetToken().Value)
		return "", false
	case nil:
		return "", false
	}
	d.errorf(n, path, durationSyntax, "got %s, want a duration", describe(n))
	return "", false
}

// duration decodes a non-negative duration.
func (d *decoder) duration(n ast.Node, path string) (time.Duration, bool) {
	s, ok := d.durationText(n, path)
	if !ok {
		return 0, false
	}
	v, err := ParseDuration(s)
	if err != nil {
		d.errorf(n, path, durationSyntax, "%s", firstClause(err))
		return 0, false
	}
	if v < 0 {
		d.errorf(n, path, "a duration ≥ 0s", "negative duration %s", s)
		return 0, false
	}
	return v, true
}

// positive decodes a duration > 0.
func (d *decoder) positive(n ast.Node, path string) (time.Duration, bool) {
	v, ok := d.duration(n, path)
	if ok && v == 0 {
		d.errorf(n, path, "a duration > 0s", "must be greater than 0")
		return 0, false
	}
	return v, ok
}

// firstClause returns an error message up to its "; use …" hint.
func firstClause(err error) string {
	s, _, _ := strings.Cut(err.Error(), "; ")
	return s
}

// enumSpec lists an enum's canonical values and accepted aliases
// (alias → canonical).
type enumSpec struct {
	values  []string
	aliases map[string]string
}

// valid describes the accepted spellings.
func (e enumSpec) valid() string {
	var parts []string
	for _, v := range e.values {
		var al []string
		for a, c := range e.aliases {
			if c == v {
				al = append(al, a)
			}
		}
		sort.Strings(al)
		if len(al) > 0 {
			parts = append(parts, v+" (or "+strings.Join(al, ", ")+")")
		} else {
			parts = append(parts, v)
		}
	}
	return "valid: " + strings.Join(parts, ", ")
}

// all returns every accepted spelling.
func (e enumSpec) all() []string {
	out := append([]string(nil), e.values...)
	for a := range e.aliases {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// enum decodes one of spec's values and returns its canonical spelling.
func (d *decoder) enum(n ast.Node, path string, spec enumSpec) (string, bool) {
	n = d.resolve(n, path)
	s, ok := scalarText(n)
	if !ok || isNull(n) {
		if n != nil {
			d.errorf(n, path, spec.valid(), "got %s, want one of the listed names", describe(n))
		}
		return "", false
	}
	if contains(spec.values, s) {
		return s, true
	}
	if c, ok := spec.aliases[s]; ok {
		return c, true
	}
	msg := fmt.Sprintf("unknown value %s", quoteShort(s))
	if sug := suggest(s, spec.all()); sug != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sug)
	}
	d.errorf(n, path, spec.valid(), "%s", msg)
	return "", false
}

// tokenText returns the raw token text of a scalar (e.g. "0.10").
func tokenText(n ast.Node) string {
	if n == nil {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}
