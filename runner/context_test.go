package runner

import (
	"context"
	"errors"
	"github.com/wmsim/wmsim/scenarios"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RunOptions.Context stops a run when cancelled: the platform in progress
// ends with the "interrupted" limit and no further platform starts.
func TestRunStopsOnContext(t *testing.T) {
	sc, err := scenarios.Parse("long.yaml", []byte("version: 1\nname: long\nduration: 366d\nplatform: [android, ios]\n"+
		"timeline:\n  - at: 0s\n    every: 1s\n    device: { screen: on }\n  - at: 0s\n    every: 1s\n    device: { screen: off }\n"))
	require.NoError(t, err)
	ctx, cancel := context.WithCancelCause(context.Background())
	time.AfterFunc(200*time.Millisecond, func() { cancel(errors.New("stop now")) })
	start := time.Now()
	out, err := Run(sc, RunOptions{Context: ctx})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 10*time.Second)
	require.Len(t, out.Runs, 1, "ios never started")
	require.NotNil(t, out.Runs[0].LimitErr)
	assert.Equal(t, "interrupted", out.Runs[0].LimitErr.Limit)
	assert.Equal(t, "stop now", out.Runs[0].LimitErr.Value)
	assert.Equal(t, 3, out.ExitCode())

	// An uncancelled context changes nothing.
	small, err := scenarios.LoadLibrary("oneoff-task")
	require.NoError(t, err)
	a, err := Run(small, RunOptions{})
	require.NoError(t, err)
	b, err := Run(small, RunOptions{Context: context.Background()})
	require.NoError(t, err)
	assert.Equal(t, a.Runs[0].Result, b.Runs[0].Result)
}
