//go:build cgo

package scan

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseGivesUpOnEndlessRecovery: on these files tree-sitter's error
// recovery does not end by itself (found by FuzzDartExtraction); the budget
// stops it and the file is reported, not analysed.
func TestParseGivesUpOnEndlessRecovery(t *testing.T) {
	for _, f := range []string{"recovery.dart", "recovery-binary.dart"} {
		src, err := os.ReadFile(filepath.Join("testdata", "hang", f))
		require.NoError(t, err)
		_, calls, err := parseCounted(src, parseBudget(len(src)))
		assert.ErrorIs(t, err, errParseBudget, f)
		assert.Equal(t, parseBudget(len(src))+1, calls, f)
	}
}

// TestParseBudgetIsGenerous: every Dart file of the fixtures, and the
// fuzz seeds' kind of source, parses in under a quarter of its budget.
func TestParseBudgetIsGenerous(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join("testdata", "projects"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".dart") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, calls, err := parseCounted(src, 1<<30)
		if err != nil && strings.Contains(err.Error(), "nested") {
			return nil // the hostile-nesting fixture stops before parsing
		}
		require.NoError(t, err, p)
		assert.LessOrEqual(t, 4*calls, parseBudget(len(src)), "%s: %d calls for %d bytes", p, calls, len(src))
		n++
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, n, 20, "Dart files checked")
}
