package scenarios

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDefaultWorldIsDocumented keeps the default-world scenario that opens
// the scenario sections of README.md and FORMAT.md identical to the library
// file, which TestLibrary runs and checks.
func TestDefaultWorldIsDocumented(t *testing.T) {
	src, ok := LibrarySource("default-world")
	require.True(t, ok)
	for _, path := range []string{"../README.md", "FORMAT.md"} {
		doc, err := os.ReadFile(path)
		require.NoError(t, err)
		s := string(doc)
		i := strings.Index(s, "default world")
		require.GreaterOrEqual(t, i, 0, "%s has no default-world section", path)
		s = s[i:]
		j := strings.Index(s, "```yaml\n")
		require.GreaterOrEqual(t, j, 0, path)
		body := s[j+len("```yaml\n"):]
		body = body[:strings.Index(body, "```\n")]
		require.Equal(t, string(src), body, "update %s from scenarios/library/default-world.yaml", path)
	}
}
