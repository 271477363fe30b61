package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCountByLabel(t *testing.T) {
	e := New(time.Unix(0, 0).UTC(), 1)
	e.After(time.Minute, PhaseOS, "early", HandlerFunc(func(*Engine) {}))
	require.NoError(t, e.RunFor(2*time.Minute))
	counts := e.CountByLabel() // counts events from now on only
	var tick HandlerFunc
	n := 0
	tick = func(e *Engine) {
		if n++; n < 5 {
			e.After(time.Minute, PhaseOS, "tick", tick)
		}
	}
	e.After(time.Minute, PhaseOS, "tick", tick)
	e.After(time.Minute, PhaseDevice, "other", HandlerFunc(func(*Engine) {}))
	cancelled := e.After(time.Minute, PhaseDevice, "cancelled", HandlerFunc(func(*Engine) {}))
	e.Cancel(cancelled)
	require.NoError(t, e.RunFor(time.Hour))
	assert.Equal(t, map[string]uint64{"tick": 5, "other": 1}, counts)
	assert.Equal(t, uint64(7), e.Fired())
}
