package wmsimtest_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDocExampleIsTheRunnableFile keeps docs/testing-in-go.md's complete
// example identical to examples/readme/sync_test.go, which go test runs.
// The README carries the same example.
func TestDocExampleIsTheRunnableFile(t *testing.T) {
	src, err := os.ReadFile("../examples/readme/sync_test.go")
	require.NoError(t, err)
	for _, path := range []string{"../docs/testing-in-go.md", "../README.md"} {
		doc, err := os.ReadFile(path)
		require.NoError(t, err)
		s := string(doc)
		i := strings.Index(s, "```go\n")
		require.GreaterOrEqual(t, i, 0, path)
		body := s[i+len("```go\n"):]
		body = body[:strings.Index(body, "```\n")]
		require.Equal(t, string(src), body, "update %s from examples/readme/sync_test.go", path)
	}
}
