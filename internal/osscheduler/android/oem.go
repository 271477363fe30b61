package android

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

// OEM profiles: what a vendor's layer above AOSP does to an app and its
// jobs. Each built-in profile is a YAML file under oem/, each rule with its
// source and confidence (docs/oem.md lists them).

//go:embed oem/*.yaml
var oemFiles embed.FS

// OEMEffect is what a vendor rule does to the app.
type OEMEffect string

// OEM rule effects.
const (
	// EffectNone: nothing.
	EffectNone OEMEffect = "none"
	// EffectKill: the app's process dies; its jobs stay scheduled (with
	// autostart off they cannot start it again).
	EffectKill OEMEffect = "kill"
	// EffectForceStop: the app is force-stopped: its jobs are cancelled and
	// nothing runs until the user opens it.
	EffectForceStop OEMEffect = "force_stop"
	// EffectRestrictedBucket: the app is put in the restricted standby bucket
	// until the user opens it.
	EffectRestrictedBucket OEMEffect = "restricted_bucket"
	// EffectDeepSleep: the app never runs in the background until opened.
	EffectDeepSleep OEMEffect = "deep_sleep"
)

// Confidence says how well a rule is grounded.
type Confidence string

// Confidence levels.
const (
	Documented Confidence = "documented" // the vendor documents it
	Measured   Confidence = "measured"   // others measured or reported it (dontkillmyapp.com)
	Assumed    Confidence = "assumed"    // this model's assumption
)

// OEMRule is one vendor behaviour.
type OEMRule struct {
	Effect     OEMEffect     `yaml:"effect"`
	After      time.Duration `yaml:"-"`
	AfterText  string        `yaml:"after"` // a Go duration: 0s, 10m, 72h
	Confidence Confidence    `yaml:"confidence"`
	Source     string        `yaml:"source"`
}

// OEMAutostart is the vendor's autostart (background launch) permission.
type OEMAutostart struct {
	Enabled    bool       `yaml:"enabled"`
	Confidence Confidence `yaml:"confidence"`
	Source     string     `yaml:"source"`
}

// OEMBatteryOptimization is the per-app battery setting an app gets by default.
type OEMBatteryOptimization struct {
	Default    string     `yaml:"default"` // unrestricted | optimized | restricted
	Confidence Confidence `yaml:"confidence"`
	Source     string     `yaml:"source"`
}

// OEMProfile is one vendor's behaviour.
type OEMProfile struct {
	Name  string `yaml:"name"`
	Title string `yaml:"title"`
	Rules struct {
		// SwipeAway: the user clears the app from recents.
		SwipeAway *OEMRule `yaml:"swipe_away"`
		// ScreenOff: After the screen goes off (app not in the foreground).
		ScreenOff *OEMRule `yaml:"screen_off"`
		// Background: After the app left the foreground.
		Background *OEMRule `yaml:"background"`
		// Unused: After the app was last opened.
		Unused *OEMRule `yaml:"unused"`
		// DeepSleep: After the app was last opened (a second, longer stage).
		DeepSleep           *OEMRule                `yaml:"deep_sleep"`
		Autostart           *OEMAutostart           `yaml:"autostart"`
		BatteryOptimization *OEMBatteryOptimization `yaml:"battery_optimization"`
	} `yaml:"rules"`
}

// OEMNames lists the built-in profiles, sorted.
func OEMNames() []string {
	ents, _ := oemFiles.ReadDir("oem")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// BuiltinOEM returns the built-in profile with the name.
func BuiltinOEM(name string) (*OEMProfile, error) {
	b, err := oemFiles.ReadFile("oem/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("unknown OEM profile %q; built-in profiles: %s", name, strings.Join(OEMNames(), ", "))
	}
	return ParseOEMProfile("oem/"+name+".yaml", b)
}

// sharedOEM holds the built-in profiles New has parsed, by name: a fleet
// builds a model per device, and decoding the YAML each time was ~4 % of its
// CPU. The model only reads its profile, so models share one.
var sharedOEM sync.Map // string → *OEMProfile

// sharedBuiltinOEM is BuiltinOEM, parsed once per name and shared: callers
// must not modify the profile.
func sharedBuiltinOEM(name string) (*OEMProfile, error) {
	if p, ok := sharedOEM.Load(name); ok {
		return p.(*OEMProfile), nil
	}
	p, err := BuiltinOEM(name)
	if err != nil {
		return nil, err
	}
	q, _ := sharedOEM.LoadOrStore(name, p)
	return q.(*OEMProfile), nil
}

// ParseOEMProfile decodes and checks a profile. Errors name the file, line
// and column, the field and what is valid.
func ParseOEMProfile(file string, src []byte) (*OEMProfile, error) {
	var p OEMProfile
	dec := yaml.NewDecoder(bytes.NewReader(src), yaml.DisallowUnknownField(), yaml.Strict())
	if err := dec.Decode(&p); err != nil {
		// goccy's message starts with "[line:col]".
		return nil, fmt.Errorf("%s:%s", file, oneLine(strings.Replace(strings.TrimPrefix(yaml.FormatError(err, false, false), "["), "] ", ": ", 1)))
	}
	if p.Name == "" {
		p.Name = "custom"
	}
	r := &p.Rules
	check := func(field string, rule *OEMRule, valid ...OEMEffect) error {
		if rule == nil {
			return nil
		}
		if rule.Effect == "" {
			rule.Effect = EffectNone
		}
		ok := false
		var names []string
		for _, v := range valid {
			ok = ok || rule.Effect == v
			names = append(names, string(v))
		}
		if !ok {
			return fmt.Errorf("%s:%s: rules.%s.effect: %q is not valid; want one of %s", file, locate(src, "$.rules."+field+".effect"),
				field, rule.Effect, strings.Join(names, ", "))
		}
		if rule.AfterText != "" {
			d, err := time.ParseDuration(rule.AfterText)
			if err != nil || d < 0 {
				return fmt.Errorf("%s:%s: rules.%s.after: %q is not a duration; want 0s or more, such as 10m or 72h",
					file, locate(src, "$.rules."+field+".after"), field, rule.AfterText)
			}
			rule.After = d
		}
		return checkConfidence(src, file, "rules."+field, rule.Confidence)
	}
	for _, c := range []struct {
		f     string
		r     *OEMRule
		valid []OEMEffect
	}{
		{"swipe_away", r.SwipeAway, []OEMEffect{EffectNone, EffectKill, EffectForceStop}},
		{"screen_off", r.ScreenOff, []OEMEffect{EffectNone, EffectKill, EffectForceStop}},
		{"background", r.Background, []OEMEffect{EffectNone, EffectKill, EffectForceStop}},
		{"unused", r.Unused, []OEMEffect{EffectNone, EffectRestrictedBucket, EffectDeepSleep, EffectForceStop}},
		{"deep_sleep", r.DeepSleep, []OEMEffect{EffectNone, EffectRestrictedBucket, EffectDeepSleep, EffectForceStop}},
	} {
		if err := check(c.f, c.r, c.valid...); err != nil {
			return nil, err
		}
	}
	if r.Autostart == nil {
		r.Autostart = &OEMAutostart{Enabled: true, Confidence: Assumed, Source: "not given: AOSP"}
	} else if err := checkConfidence(src, file, "rules.autostart", r.Autostart.Confidence); err != nil {
		return nil, err
	}
	if r.BatteryOptimization == nil {
		r.BatteryOptimization = &OEMBatteryOptimization{Default: "optimized", Confidence: Assumed, Source: "not given: AOSP"}
	} else {
		switch r.BatteryOptimization.Default {
		case "unrestricted", "optimized", "restricted":
		default:
			return nil, fmt.Errorf("%s:%s: rules.battery_optimization.default: %q is not valid; want unrestricted, optimized or restricted",
				file, locate(src, "$.rules.battery_optimization.default"), r.BatteryOptimization.Default)
		}
		if err := checkConfidence(src, file, "rules.battery_optimization", r.BatteryOptimization.Confidence); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

func checkConfidence(src []byte, file, field string, c Confidence) error {
	switch c {
	case Documented, Measured, Assumed:
		return nil
	}
	return fmt.Errorf("%s:%s: %s.confidence: %q is not valid; want documented, measured or assumed", file, locate(src, "$."+field+".confidence"), field, c)
}

// locate returns "line:col" of the node at a YAML path in src ("1:1" if it
// cannot be found).
func locate(src []byte, path string) string {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return "1:1"
	}
	p, err := yaml.PathString(path)
	if err != nil {
		return "1:1"
	}
	n, err := p.FilterFile(f)
	if err != nil || n == nil || n.GetToken() == nil {
		return "1:1"
	}
	pos := n.GetToken().Position
	return fmt.Sprintf("%d:%d", pos.Line, pos.Column)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// effect returns the rule's effect, EffectNone for a missing rule.
func (r *OEMRule) effect() OEMEffect {
	if r == nil {
		return EffectNone
	}
	return r.Effect
}
