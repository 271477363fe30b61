// Diagnostics and LoadError: every problem of a file with its
// file:line:column, field path and an excerpt of the line.

package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wmsim/wmsim/report"
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
// without the excerpt. Path, message and valid text pass through
// report.Printable: a key may hold any character.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(d.Line))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(d.Column))
	b.WriteString(": ")
	if d.Path != "" {
		b.WriteString(report.Printable(d.Path))
		b.WriteString(": ")
	}
	b.WriteString(report.Printable(d.Message))
	if d.Valid != "" {
		b.WriteString("; ")
		b.WriteString(report.Printable(d.Valid))
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

// lineIndex finds lines of a source lazily: it indexes line starts only as
// far as the furthest line asked for, so excerpts cost O(file) in total.
type lineIndex struct {
	src    []byte
	starts []int // starts[i] is the offset of line i+1
	done   bool  // every line indexed
}

// line returns line n (1-based) without its line break, and whether it
// exists. Line breaks are LF, CR LF and a lone CR, as in YAML.
func (x *lineIndex) line(n int) ([]byte, bool) {
	if x == nil || n < 1 {
		return nil, false
	}
	if len(x.starts) == 0 {
		x.starts = append(x.starts, 0)
	}
	for len(x.starts) <= n && !x.done {
		i := x.starts[len(x.starts)-1]
		for ; i < len(x.src) && x.src[i] != '\n' && x.src[i] != '\r'; i++ {
		}
		if i >= len(x.src) {
			x.done = true
			break
		}
		if x.src[i] == '\r' && i+1 < len(x.src) && x.src[i+1] == '\n' {
			i++
		}
		x.starts = append(x.starts, i+1)
	}
	if n > len(x.starts) {
		return nil, false
	}
	start := x.starts[n-1]
	end := start
	for end < len(x.src) && x.src[end] != '\n' && x.src[end] != '\r' {
		end++
	}
	return x.src[start:end], true
}

// excerpt renders the line before and the line at (line, col) with a caret.
func excerpt(lines *lineIndex, line, col int) string {
	cur, ok := lines.line(line)
	if !ok {
		return ""
	}
	width := len(strconv.Itoa(line))
	var b strings.Builder
	show := func(n int, text []byte, mark string) {
		fmt.Fprintf(&b, "%s %*d | %s\n", mark, width, n, sanitizeLine(text))
	}
	if prev, ok := lines.line(line - 1); ok {
		show(line-1, prev, " ")
	}
	show(line, cur, ">")
	// The caret sits under column col (1-based, in characters); tabs
	// before it are kept so the caret lines up.
	var pad strings.Builder
	c := 1
	for _, r := range string(cur[:min(len(cur), 4*maxExcerptWidth)]) {
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

// sanitizeLine makes a source line printable and bounded: a character
// report.Printable would escape shows as U+FFFD, one column wide, so the
// caret below still lines up.
func sanitizeLine(l []byte) string {
	s := strings.ToValidUTF8(string(l), "\uFFFD")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= maxExcerptWidth {
			b.WriteString("…")
			break
		}
		if r != '\t' && report.Printable(string(r)) != string(r) {
			b.WriteRune('\uFFFD')
		} else {
			b.WriteRune(r)
		}
		n++
	}
	return b.String()
}
