package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fakeT struct {
	errors, fatals []string
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return "fake" }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatals = append(f.fatals, fmt.Sprintf(format, args...))
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "testdata", "out.txt")
	tests := []struct {
		name               string
		file               *string
		got                string
		update             bool
		wantErrs, wantFats int
		wantFile           string
	}{
		{name: "missing file", got: "a\n", wantFats: 1},
		{name: "update creates", got: "a\nb\n", update: true, wantFile: "a\nb\n"},
		{name: "equal", got: "a\nb\n", wantFile: "a\nb\n"},
		{name: "different", got: "a\nc\n", wantErrs: 1, wantFile: "a\nb\n"},
		{name: "update rewrites", got: "a\nc\n", update: true, wantFile: "a\nc\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			*update = tc.update
			defer func() { *update = false }()
			f := &fakeT{}
			CheckString(f, path, tc.got)
			assert.Len(t, f.errors, tc.wantErrs, f.errors)
			assert.Len(t, f.fatals, tc.wantFats, f.fatals)
			if tc.wantFile != "" {
				b, err := os.ReadFile(path)
				require.NoError(t, err)
				assert.Equal(t, tc.wantFile, string(b))
			}
		})
	}
}

func TestDiff(t *testing.T) {
	assert.Empty(t, Diff([]byte("x\n"), []byte("x\n")))
	d := Diff([]byte("1\n2\n3\n4\n5\n"), []byte("1\n2\n3\nfour\n5\n"))
	assert.True(t, strings.HasPrefix(d, "@@ line 4 @@\n"), d)
	assert.Contains(t, d, "- 4\n")
	assert.Contains(t, d, "+ four\n")
	assert.Contains(t, d, "  3\n")
	assert.Contains(t, Diff([]byte("a\n"), []byte("a\nb\n")), "(2 lines wanted, 3 got)")
}
