package device

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	goldenfile "github.com/wmsim/wmsim/internal/golden"
)

// The timeline of each built-in profile over 3 days with seed 1 is pinned:
// a change in the physics or the generators shows up as a diff, and the
// same bytes must come out on every machine and architecture.
func TestGoldenTimelines(t *testing.T) {
	for _, name := range ProfileNames() {
		t.Run(name, func(t *testing.T) {
			_, _, _, changes := runProfile(t, name, 1, t0, 3)
			got := timeline(changes)
			path := filepath.Join("testdata", name+".golden")
			if goldenfile.Updating() {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./device -run Golden -update")
			assert.Equal(t, string(want), got)
		})
	}
}
