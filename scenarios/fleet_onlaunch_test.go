package scenarios_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/fleet"
	"github.com/wmsim/wmsim/scenarios"
)

// TestFleetRunsOnLaunch: in a fleet, the usage profiles' launches run
// app.on_launch, so work registered only from main() runs on every device.
func TestFleetRunsOnLaunch(t *testing.T) {
	sc, err := scenarios.LoadLibrary("register-at-every-launch")
	require.NoError(t, err)
	sc.Timeline = nil // no launch steps: only the profiles open the app
	s, err := fleet.Run(sc, fleet.Options{Devices: 4, Days: 2, Jobs: 1})
	require.NoError(t, err)
	require.NotEmpty(t, s.All.Tasks)
	assert.Equal(t, "sync", s.All.Tasks[0].Task)
	assert.EqualValues(t, 4, s.All.Tasks[0].Devices, "every device's profile opened the app and main() registered the work")
}
