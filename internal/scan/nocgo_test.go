//go:build !cgo

package scan

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Without cgo there is no Dart parser: the command says so (exit 2), and
// Scan reports it once.
func TestWithoutCgo(t *testing.T) {
	var out, errb bytes.Buffer
	assert.Equal(t, 2, Main(context.Background(), filepath.Join(projects, "good"), Options{}, &out, &errb))
	assert.Contains(t, errb.String(), "CGO_ENABLED=1")
	rep, err := Scan(filepath.Join(projects, "good"))
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Equal(t, "parser-unavailable", rep.Findings[0].Rule)
}
