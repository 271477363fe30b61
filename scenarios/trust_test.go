package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wideInputData is a scenario whose one call has n inputData keys, in block
// or flow style.
func wideInputData(n int, flow bool) []byte {
	var sb strings.Builder
	sb.WriteString(minimal + "platform: android\napp: { tasks: { sync: {} } }\ntimeline:\n  - at: 1m\n    call: registerOneOffTask\n    args:\n      uniqueName: u\n      taskName: sync\n      inputData:")
	if flow {
		sb.WriteString(" {")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&sb, "k%d: %d, ", i, i)
		}
		sb.WriteString("z: 1}\n")
		return []byte(sb.String())
	}
	sb.WriteString("\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "        k%d: %d\n", i, i)
	}
	return []byte(sb.String())
}

// TestMappingTooWide: a mapping wider than MaxMappingKeys is refused before
// the YAML parser sees it (whose time is quadratic in a mapping's width),
// at the first key past the limit; one at the limit loads.
func TestMappingTooWide(t *testing.T) {
	for _, flow := range []bool{false, true} {
		_, err := Parse("wide.yaml", wideInputData(MaxMappingKeys-1, flow)) // + "z" in flow
		require.NoError(t, err, "flow=%v", flow)

		_, err = Parse("wide.yaml", wideInputData(200_000, flow))
		var le *LoadError
		require.ErrorAs(t, err, &le, "flow=%v", flow)
		require.Len(t, le.Diagnostics, 1)
		d := le.Diagnostics[0]
		assert.Equal(t, "mapping too wide", d.Message)
		assert.Equal(t, "at most 1000 keys in one mapping", d.Valid)
		if !flow {
			// key k1000 is on line 12+1000+1 at column 9.
			assert.Equal(t, 12+MaxMappingKeys+1, d.Line)
			assert.Equal(t, 9, d.Column)
		}
	}
	// Many narrow mappings in one list are fine: the bound is per mapping.
	var sb strings.Builder
	sb.WriteString(minimal + "app: { tasks: { sync: {} } }\ntimeline:\n")
	for i := 0; i < 3*MaxMappingKeys; i++ {
		fmt.Fprintf(&sb, "  - at: %ds\n    call: registerOneOffTask\n    args: { uniqueName: u%d, taskName: sync }\n", i, i)
	}
	_, err := Parse("long.yaml", []byte(sb.String()))
	require.NoError(t, err)
}

// TestByteOrderMark: a UTF-8 BOM is accepted, and positions on the first
// line count from the character after it.
func TestByteOrderMark(t *testing.T) {
	s, err := Parse("bom.yaml", []byte("\uFEFF"+minimal))
	require.NoError(t, err)
	assert.Equal(t, "minimal", s.Name)

	_, err = Parse("bom.yaml", []byte("\uFEFFversion: 2\nname: minimal\nduration: 1d\n"))
	var le *LoadError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, 1, le.Diagnostics[0].Line)
	assert.Equal(t, 10, le.Diagnostics[0].Column)
	assert.Equal(t, "version", le.Diagnostics[0].Path)

	_, err = Parse("bom.yaml", []byte("\uFEFF"+minimal+"platform: androd\n"))
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, 4, le.Diagnostics[0].Line)
	assert.Equal(t, 11, le.Diagnostics[0].Column)
}
