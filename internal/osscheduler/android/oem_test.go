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
	// Each built-in rule's value and confidence, as docs/oem.md's tables give
	// them from the cited pages.
	type want struct {
		effect     OEMEffect
		after      string
		confidence Confidence
	}
	rules := map[string]map[string]want{
		"aosp":  {"swipe_away": {EffectNone, "", Documented}},
		"pixel": {"swipe_away": {EffectNone, "", Measured}},
		"samsung": {
			"swipe_away": {EffectNone, "", Assumed},
			// developer.samsung.com app-management: about 3 days → sleeping, 16 days → deep sleeping.
			"unused":     {EffectRestrictedBucket, "72h0m0s", Documented},
			"deep_sleep": {EffectDeepSleep, "384h0m0s", Documented},
		},
		"xiaomi": {"swipe_away": {EffectForceStop, "", Measured}},
		"huawei": {
			"swipe_away": {EffectForceStop, "", Assumed},
			// Huawei Mate 8 manual: "Press the power button to lock the screen. Your phone will close all background apps".
			"screen_off": {EffectKill, "0s", Documented},
			// dontkillmyapp.com/huawei: "break background processing longer than 60 minutes".
			"background": {EffectForceStop, "1h0m0s", Measured},
		},
		// dontkillmyapp.com/oneplus: "Normally when you swipe an app away, it won't close".
		"oneplus": {"swipe_away": {EffectNone, "", Measured}},
		"oppo": {
			"swipe_away": {EffectForceStop, "", Measured},
			// dontkillmyapp.com/oppo (F1S): killed "every time you turn the screen off".
			"screen_off": {EffectKill, "0s", Measured},
		},
		"vivo":       {"swipe_away": {EffectForceStop, "", Assumed}},
		"aggressive": {"swipe_away": {EffectForceStop, "", Measured}},
	}
	for _, n := range names {
		p, _ := BuiltinOEM(n)
		got := map[string]want{}
		for name, r := range map[string]*OEMRule{"swipe_away": p.Rules.SwipeAway, "screen_off": p.Rules.ScreenOff,
			"background": p.Rules.Background, "unused": p.Rules.Unused, "deep_sleep": p.Rules.DeepSleep} {
			if r == nil {
				continue
			}
			w := want{r.Effect, "", r.Confidence}
			if r.AfterText != "" {
				w.after = r.After.String()
			}
			got[name] = w
		}
		assert.Equal(t, rules[n], got, n)
	}
	type switches struct {
		autostart           bool
		autostartConfidence Confidence
		battery             string
		batteryConfidence   Confidence
	}
	for n, w := range map[string]switches{
		"aosp":       {true, Documented, "optimized", Documented},
		"pixel":      {true, Documented, "optimized", Documented},
		"samsung":    {true, Assumed, "optimized", Measured},
		"xiaomi":     {false, Measured, "optimized", Assumed},
		"huawei":     {false, Documented, "optimized", Documented},
		"oneplus":    {true, Assumed, "optimized", Measured},
		"oppo":       {false, Measured, "optimized", Measured},
		"vivo":       {false, Measured, "optimized", Measured},
		"aggressive": {true, Documented, "optimized", Documented},
	} {
		p, _ := BuiltinOEM(n)
		a, b := p.Rules.Autostart, p.Rules.BatteryOptimization
		assert.Equal(t, w, switches{a.Enabled, a.Confidence, b.Default, b.Confidence}, n)
	}
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
