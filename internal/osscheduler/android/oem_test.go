package android

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/device"
)

// Every built-in profile parses, and every rule it gives says how sure it
// is and where it comes from.
func TestBuiltinOEMProfiles(t *testing.T) {
	names := OEMNames()
	assert.Equal(t, []string{"aggressive", "aosp", "huawei", "oneplus", "oppo", "pixel", "samsung", "vivo", "xiaomi"}, names)
	for _, n := range names {
		p, err := BuiltinOEM(n)
		require.NoError(t, err, n)
		assert.Equal(t, n, p.Name)
		r := p.Rules
		for _, rule := range []*OEMRule{r.SwipeAway, r.ScreenOff, r.Background, r.Unused, r.DeepSleep} {
			if rule == nil {
				continue
			}
			assert.NotEmpty(t, rule.Source, n)
			assert.Contains(t, []Confidence{Documented, Measured, Assumed}, rule.Confidence, n)
		}
		assert.NotEmpty(t, r.Autostart.Source, n)
		assert.NotEmpty(t, r.BatteryOptimization.Source, n)
	}
	x, err := BuiltinOEM("xiaomi")
	require.NoError(t, err)
	assert.Equal(t, EffectForceStop, x.Rules.SwipeAway.Effect)
	assert.False(t, x.Rules.Autostart.Enabled)
	s, err := BuiltinOEM("samsung")
	require.NoError(t, err)
	// developer.samsung.com app-management: about 3 days → sleeping, 16 days → deep sleeping.
	assert.Equal(t, "72h0m0s", s.Rules.Unused.After.String())
	assert.Equal(t, "384h0m0s", s.Rules.DeepSleep.After.String())
}

// docs/oem.md documents every built-in profile.
func TestOEMDocs(t *testing.T) {
	b, err := os.ReadFile("../../../docs/oem.md")
	require.NoError(t, err)
	for _, n := range OEMNames() {
		assert.Contains(t, string(b), "### `"+n+"`", "docs/oem.md misses profile %s", n)
	}
}

func TestOEMProfileErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"name: x\nrules:\n  swipe_away:\n    effect: explode\n    confidence: assumed\n", `my-oem.yaml:4:13: rules.swipe_away.effect: "explode" is not valid; want one of none, kill, force_stop`},
		{"name: x\nrulez: {}\n", `my-oem.yaml:2:1: unknown field "rulez"`},
		{"name: x\nrules:\n  unused:\n    after: soon\n    effect: deep_sleep\n    confidence: assumed\n", `my-oem.yaml:4:12: rules.unused.after: "soon" is not a duration`},
		{"rules:\n  autostart:\n    enabled: false\n    confidence: sure\n", `my-oem.yaml:4:17: rules.autostart.confidence: "sure" is not valid; want documented, measured or assumed`},
		{"rules:\n  battery_optimization:\n    default: never\n    confidence: assumed\n", `my-oem.yaml:3:14: rules.battery_optimization.default: "never" is not valid`},
	} {
		_, err := ParseOEMProfile("my-oem.yaml", []byte(c.src))
		require.Error(t, err, c.src)
		assert.Contains(t, err.Error(), c.want)
	}
	p, err := ParseOEMProfile("my-oem.yaml", []byte("rules:\n  screen_off:\n    after: 10m\n    effect: kill\n    confidence: assumed\n    source: mine\n"))
	require.NoError(t, err)
	assert.Equal(t, "custom", p.Name)
	assert.True(t, p.Rules.Autostart.Enabled, "autostart defaults to AOSP's")
}

// Models built with an OEM name share one parsed profile, equal to a fresh
// parse; an unknown name falls back to aosp as before.
func TestModelsShareTheParsedOEMProfile(t *testing.T) {
	for _, n := range OEMNames() {
		fresh, err := BuiltinOEM(n)
		require.NoError(t, err)
		a, err := sharedBuiltinOEM(n)
		require.NoError(t, err)
		b, err := sharedBuiltinOEM(n)
		require.NoError(t, err)
		assert.Same(t, a, b, n)
		assert.Equal(t, fresh, a, n)
	}
	_, err := sharedBuiltinOEM("no-such-oem")
	require.Error(t, err)
	cfg := DefaultConfig()
	cfg.OEM = "no-such-oem"
	assert.Equal(t, "aosp", newEnv(cfg, device.DefaultState()).m.oem.Name)
}
