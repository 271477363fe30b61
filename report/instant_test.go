package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInstant(t *testing.T) {
	// fixtureStart is Monday 08:00 at UTC+1.
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"19h", 19 * hr},
		{"+19h", 19 * hr},
		{"2d3h30m", 51*hr + 30*mins},
		{"3d", 72 * hr},
		{"+19:00:00", 19 * hr},
		{"+1d03:00:00", 27 * hr},
		{"+0:00:02.500", 2500 * time.Millisecond},
		{"03:00", 19 * hr}, // the next 03:00 is Tuesday's
		{"08:00", 0},       // start itself
		{"09:30:15", 1*hr + 30*mins + 15*sec},
		{" 07:59 ", 23*hr + 59*mins},
	}
	for _, tt := range tests {
		got, err := parseInstant(tt.in, fixtureStart)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		// An offset printed by the reports reads back.
		back, err := parseInstant(fmtOffset(got), fixtureStart)
		require.NoError(t, err)
		assert.Equal(t, got, back)
	}
	for _, bad := range []string{"", "tomorrow", "25:00", "3:60", "-1h", "+1:2", "1:2:3:4", "xd", "+a:00:00", "003:00"} {
		_, err := parseInstant(bad, fixtureStart)
		assert.Error(t, err, bad)
	}
}
