package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// TestHostileInputs feeds 10 MB pathological files: each is rejected with
// a clear, positioned error (how fast is measured by
// BenchmarkParseHostile10MB, not asserted here).
func TestHostileInputs(t *testing.T) {
	n := MaxFileSize - 100
	cases := []struct {
		name, src, want string
	}{
		{"brackets", strings.Repeat("[", n), "nesting too deep"},
		{"braces", strings.Repeat("{", n), "nesting too deep"},
		{"dashes", strings.Repeat("- ", n/2), "document too large"},
		{"flow-list", "description: [" + strings.Repeat("1,", n/2-20) + "1]\n", "document too large"},
		{"keys", strings.Repeat("a: 1\n", n/5), "document too large"},
		{"anchors", strings.Repeat("- &a x\n", n/7), "document too large"},
		{"aliases", "a: &a x\nb: [" + strings.Repeat("*a,", n/3-10) + "*a]\n", "document too large"},
		{"newlines", strings.Repeat("\n", n), "document too large"},
		{"comment", strings.Repeat("#", n), "the file is empty"},
		{"unterminated-quote", "description: \"" + strings.Repeat("a", n), "double-quoted"},
		{"long-line", "description: " + strings.Repeat("a", n), `missing required field "version"`},
		{"too-large", strings.Repeat("#", MaxFileSize+1), "file too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.name+".yaml", []byte(tc.src))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %.300s, want %q", err, tc.want)
			}
			for _, d := range le.Diagnostics {
				if d.Line < 1 || d.Column < 1 || len(d.Excerpt) > 1000 {
					t.Errorf("bad diagnostic: line %d col %d excerpt %d bytes", d.Line, d.Column, len(d.Excerpt))
				}
			}
		})
	}
}
