// Load and Parse: from bytes to a validated *Scenario.

package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Load reads and parses the scenario file at path. Any problem with the
// file is returned as a *LoadError; a file that cannot be read gives its
// os error.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// Parse decodes and validates a scenario. filename is used in diagnostics
// only. The error, if any, is a *LoadError holding every problem found.
func Parse(filename string, src []byte) (s *Scenario, err error) {
	d := &decoder{file: filename}
	defer func() {
		// Nothing reachable from user input may panic; if a library does,
		// report it as an error at the start of the file.
		if r := recover(); r != nil {
			s = nil
			err = &LoadError{Diagnostics: []Diagnostic{{File: filename, Line: 1, Column: 1,
				Message: fmt.Sprintf("internal error while reading the file: %v", r),
				Valid:   "please report this file as a wmsim bug"}}}
		}
	}()
	s = d.parse(src)
	if len(d.diags) > 0 {
		return nil, &LoadError{Diagnostics: sortDiagnostics(d.diags)}
	}
	return s, nil
}

// parse runs the limits, the YAML parser and the decoder.
func (d *decoder) parse(src []byte) *Scenario {
	// A UTF-8 byte order mark, as some Windows editors write, is not part
	// of the document (YAML 1.2 §5.2); columns on the first line count
	// from the character after it, as editors show them.
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	if len(src) > MaxFileSize {
		d.errAt(1, 1, "", fmt.Sprintf("a scenario file is at most %d bytes (10 MiB)", MaxFileSize), "file too large (more than %d bytes)", MaxFileSize)
		return nil
	}
	if !utf8.Valid(src) {
		line, col := invalidUTF8Pos(src)
		d.lines = &lineIndex{src: src}
		d.errAt(line, col, "", "save the file as UTF-8", "the file is not valid UTF-8")
		return nil
	}
	d.lines = &lineIndex{src: src}
	if line, col, msg, valid := prescan(src); msg != "" {
		d.errAt(line, col, "", valid, "%s", msg)
		return nil
	}
	tokens := lexer.Tokenize(string(src))
	if tk := nestingDepth(tokens, MaxDepth); tk != nil {
		d.errAt(tk.Position.Line, tk.Position.Column, "", fmt.Sprintf("at most %d levels of nested mappings and lists", MaxDepth), "nesting too deep")
		return nil
	}
	if tk := mappingWidth(tokens, MaxMappingKeys); tk != nil {
		d.errAt(tk.Position.Line, tk.Position.Column, "", fmt.Sprintf("at most %d keys in one mapping", MaxMappingKeys), "mapping too wide")
		return nil
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		d.syntaxError(err)
		return nil
	}
	var body ast.Node
	docs := 0
	for _, doc := range file.Docs {
		if doc == nil || doc.Body == nil {
			continue
		}
		docs++
		if docs == 1 {
			body = doc.Body
		} else {
			d.errorf(doc.Body, "", "one scenario per file", "a second YAML document")
			return nil
		}
	}
	if body == nil {
		d.errAt(1, 1, "", "start with version: 1 and name:", "the file is empty")
		return nil
	}
	if !d.linkAliases(body) {
		return nil
	}
	return d.scenario(body)
}

// invalidUTF8Pos finds the first invalid UTF-8 byte.
func invalidUTF8Pos(src []byte) (int, int) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' || r == '\r' && (i+1 >= len(src) || src[i+1] != '\n') {
			line, col = line+1, 1
		} else if r != '\r' {
			col++
		}
		i += size
	}
	return line, col
}

// syntaxError turns a go-yaml parse error into a diagnostic.
func (d *decoder) syntaxError(err error) {
	var tk *token.Token
	msg := err.Error()
	var se *yaml.SyntaxError
	var de *yaml.DuplicateKeyError
	switch {
	case errors.As(err, &se):
		tk, msg = se.Token, se.Message
	case errors.As(err, &de):
		tk, msg = de.Token, de.Message
	}
	msg = strings.TrimSpace(msg)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	line, col := 1, 1
	if tk != nil && tk.Position != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	valid := "fix the YAML syntax"
	if de != nil {
		valid = "each key once per mapping"
	}
	d.errAt(line, col, "", valid, "YAML: %s", msg)
}

// linkAliases maps each alias to the anchored node it names (the latest
// anchor of that name before it, in document order), then checks the size
// of the document with aliases expanded.
func (d *decoder) linkAliases(body ast.Node) bool {
	d.aliases = map[*ast.AliasNode]ast.Node{}
	anchors := map[string]ast.Node{}
	ok := true
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		if n == nil || depth > 4*MaxDepth {
			return
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			anchors[tokenText(v.Name)] = v.Value
			walk(v.Value, depth+1)
		case *ast.AliasNode:
			name := tokenText(v.Value)
			t, found := anchors[name]
			if !found {
				d.errorf(v, "", "define the anchor (&"+name+") before using it", "unknown alias *%s", name)
				ok = false
				return
			}
			d.aliases[v] = t
		case *ast.TagNode:
			walk(v.Value, depth+1)
		case *ast.MappingNode:
			for _, mv := range v.Values {
				walk(mv, depth+1)
			}
		case *ast.MappingValueNode:
			walk(v.Key, depth+1)
			walk(v.Value, depth+1)
		case *ast.MappingKeyNode:
			walk(v.Value, depth+1)
		case *ast.SequenceNode:
			for _, e := range v.Values {
				walk(e, depth+1)
			}
		}
	}
	walk(body, 0)
	if !ok {
		return false
	}
	e := &expansion{limit: MaxNodes, aliases: d.aliases, memo: map[ast.Node]int{}, active: map[ast.Node]bool{}}
	e.size(body, 0)
	switch {
	case e.cycle != nil:
		d.errorf(e.cycle, "", "an alias must not refer to a value that contains it", "alias *%s refers to itself", tokenText(e.cycle.Value))
		return false
	case e.over != nil:
		d.errorf(e.over, "", fmt.Sprintf("at most %d values after aliases are expanded", MaxNodes), "document too large once aliases are expanded (alias bomb?)")
		return false
	}
	return true
}
