package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Diagnostic is one problem found in a scenario file.
type Diagnostic struct {
	// File is the file name given to Load or Parse.
	File string
	// Line and Column are 1-based; every diagnostic has them.
	Line, Column int
	// Path is the field's path, e.g. timeline[2].args.constraints.networkType
	// (empty for problems of the whole document).
	Path string
	// Message says what is wrong.
	Message string
	// Valid says what would be valid (may be empty).
	Valid string
	// Excerpt is the source around the position with a caret under the
	// column (may be empty when the source is not shown).
	Excerpt string
}

// String formats the diagnostic as file:line:column: path: message; valid,
// without the excerpt.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(d.Line))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(d.Column))
	b.WriteString(": ")
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	if d.Valid != "" {
		b.WriteString("; ")
		b.WriteString(d.Valid)
	}
	return b.String()
}

// LoadError is every problem found in a scenario file, in file order.
type LoadError struct {
	Diagnostics []Diagnostic
}

// Error prints every diagnostic with its excerpt.
func (e *LoadError) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.String())
		if d.Excerpt != "" {
			b.WriteByte('\n')
			b.WriteString(d.Excerpt)
		}
	}
	return b.String()
}

// sortDiagnostics orders diagnostics by position, then path and message,
// and drops exact duplicates.
func sortDiagnostics(ds []Diagnostic) []Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Message < b.Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d.Line == ds[i-1].Line && d.Column == ds[i-1].Column && d.Path == ds[i-1].Path && d.Message == ds[i-1].Message {
			continue
		}
		out = append(out, d)
	}
	return out
}

// maxExcerptWidth bounds how much of a long line an excerpt shows.
const maxExcerptWidth = 120

// excerpt renders the line before and the line at (line, col) with a caret.
func excerpt(lines [][]byte, line, col int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	width := len(strconv.Itoa(line))
	var b strings.Builder
	show := func(n int, mark string) {
		text := sanitizeLine(lines[n-1])
		fmt.Fprintf(&b, "%s %*d | %s\n", mark, width, n, text)
	}
	if line > 1 {
		show(line-1, " ")
	}
	show(line, ">")
	cur := lines[line-1]
	// The caret sits under column col (1-based, in characters); tabs
	// before it are kept so the caret lines up.
	var pad strings.Builder
	c := 1
	for _, r := range string(cur) {
		if c >= col || c > maxExcerptWidth {
			break
		}
		if r == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
		c++
	}
	fmt.Fprintf(&b, "  %s | %s^", strings.Repeat(" ", width), pad.String())
	return b.String()
}

// splitLines returns the lines of src without their line ends. Like YAML,
// it takes LF, CR LF and a lone CR as line breaks, so line numbers agree
// with the parser's.
func splitLines(src []byte) [][]byte {
	var lines [][]byte
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			lines = append(lines, src[start:i])
			start = i + 1
		case '\r':
			lines = append(lines, src[start:i])
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(lines, src[start:])
}

// sanitizeLine makes a source line printable and bounded.
func sanitizeLine(l []byte) string {
	s := strings.ToValidUTF8(string(l), "\uFFFD")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= maxExcerptWidth {
			b.WriteString("…")
			break
		}
		if r < 0x20 && r != '\t' || r == 0x7f {
			b.WriteRune('\uFFFD')
		} else {
			b.WriteRune(r)
		}
		n++
	}
	return b.String()
}
