package android

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Bad input is an error with a stable code, never a panic.
func TestBadInput(t *testing.T) {
	e := newEnv(DefaultConfig(), onCharger())
	code := func(err error) string {
		var oe *osscheduler.Error
		require.ErrorAs(t, err, &oe)
		return oe.Code
	}
	_, err := e.m.EnqueueUniqueWork("", Keep, WorkRequest{})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniqueWork("x", ExistingWorkPolicy(99), WorkRequest{})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniquePeriodicWork("x", ExistingPeriodicWorkPolicy(-1), WorkRequest{Periodic: true})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniqueWork("x", Keep, WorkRequest{Periodic: true})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniquePeriodicWork("x", PeriodicKeep, WorkRequest{})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniqueWork("x", Keep, WorkRequest{InitialDelay: -time.Second})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniqueWork("x", Keep, WorkRequest{InitialDelay: math.MaxInt64})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniqueWork("x", Keep, WorkRequest{Constraints: Constraints{RequiredNetwork: 42}})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniqueWork("x", Keep, WorkRequest{BackoffPolicy: 7})
	assert.Equal(t, "invalid_argument", code(err))
	_, err = e.m.EnqueueUniquePeriodicWork("one", PeriodicUpdate, WorkRequest{Periodic: true})
	require.NoError(t, err)
	_, err = e.m.EnqueueUniqueWork("solo", Keep, WorkRequest{})
	require.NoError(t, err)
	_, err = e.m.EnqueueUniquePeriodicWork("solo", PeriodicUpdate, WorkRequest{Periodic: true})
	assert.Equal(t, "unsupported", code(err))

	// Extreme but valid values are clamped and simulate fine.
	_, err = e.m.EnqueueUniquePeriodicWork("huge", PeriodicKeep, WorkRequest{Periodic: true, Interval: math.MaxInt64, Flex: math.MaxInt64,
		BackoffDelay: math.MaxInt64, InitialDelay: 50 * 365 * 24 * time.Hour})
	require.NoError(t, err)
	require.NoError(t, e.eng.RunFor(24*time.Hour))
	assert.Error(t, e.m.Doze("sleep"))
	e.m.SetStandbyBucket("bogus") // ignored
	e.m.CancelUniqueWork("nobody")
	e.m.CancelAllWorkByTag("none")
	assert.Empty(t, e.m.WorkInfosForUniqueWork("nobody"))
}

// API levels out of range are brought into range; a nil journal is fine.
func TestConfigRange(t *testing.T) {
	for _, api := range []int{-5, 0, 1, 22, 23, 36, 37, 1000} {
		cfg := DefaultConfig()
		cfg.API = api
		e := newEnv(cfg, onCharger())
		m := New(e.eng, e.dev, cfg, e.exec, nil)
		assert.GreaterOrEqual(t, m.prof.api, 23)
		assert.LessOrEqual(t, m.prof.api, 37)
		_, err := m.EnqueueUniqueWork("w", Keep, WorkRequest{})
		require.NoError(t, err)
		require.NoError(t, e.eng.RunFor(time.Hour))
	}
}

// Spec / SpecByName (inspect.go, used by the scenario runner's invariants)
// show the WorkSpec after WorkManager's clamps; REPLACE hides the old row.
func TestSpecView(t *testing.T) {
	e := newEnv(DefaultConfig(), onCharger())
	old, err := e.m.EnqueueUniquePeriodicWork("p", PeriodicKeep, WorkRequest{Periodic: true, Interval: time.Minute})
	require.NoError(t, err)
	s, ok := e.m.Spec(old)
	require.True(t, ok)
	assert.Equal(t, 15*time.Minute, s.Interval)
	assert.Equal(t, 15*time.Minute, s.Flex)
	id, err := e.m.EnqueueUniquePeriodicWork("p", PeriodicReplace, WorkRequest{Periodic: true, Interval: time.Hour, Flex: 20 * time.Minute})
	require.NoError(t, err)
	s, ok = e.m.SpecByName("p")
	require.True(t, ok)
	assert.Equal(t, id, s.ID)
	assert.Equal(t, 20*time.Minute, s.Flex)
	_, ok = e.m.SpecByName("none")
	assert.False(t, ok)
}
