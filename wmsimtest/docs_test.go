package wmsimtest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDocExampleIsTheRunnableFile keeps docs/testing-in-go.md's complete
// example identical to examples/readme/sync_test.go, which go test runs.
func TestDocExampleIsTheRunnableFile(t *testing.T) {
	doc, err := os.ReadFile("../docs/testing-in-go.md")
	require.NoError(t, err)
	src, err := os.ReadFile("../examples/readme/sync_test.go")
	require.NoError(t, err)
	s := string(doc)
	i := strings.Index(s, "```go\n")
	require.GreaterOrEqual(t, i, 0)
	body := s[i+len("```go\n"):]
	body = body[:strings.Index(body, "```\n")]
	require.Equal(t, string(src), body, "update docs/testing-in-go.md from examples/readme/sync_test.go")
}
