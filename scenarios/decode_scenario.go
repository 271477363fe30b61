// Decoding of a scenario's top-level sections: platforms, device, app,
// Android and iOS settings, timeline and expectations.

package scenarios

import (
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/goccy/go-yaml/ast"

	"github.com/wmsim/wmsim/internal/device"
)

// Enum specifications: canonical names first, aliases mapped to them.
var (
	platformEnum = enumSpec{values: []string{"android", "ios"}}
	bucketEnum   = enumSpec{values: []string{"auto", "active", "working_set", "frequent", "rare", "restricted"}}
	// heuristicsEnum names the iOS model's parameter sets (osscheduler/ios MODEL.md).
	heuristicsEnum = enumSpec{values: []string{"optimistic", "typical", "pessimistic"}}
	modeEnum       = enumSpec{values: modeNames()}
	chargerEnum    = enumSpec{values: []string{"none", "ac", "usb", "wireless"}}
	netKindEnum    = enumSpec{values: []string{"none", "wifi", "cellular"}}
	screenEnum     = enumSpec{values: []string{"on", "off"}}
	resultEnum     = enumSpec{values: []string{"success", "retry", "failure", "error"}}
	appEnum        = enumSpec{values: []string{"launch", "background", "swipe_away", "force_stop", "update", "process_death"}}
	dozeEnum       = enumSpec{values: []string{"force_idle", "step", "unforce"}}
	stateEnum      = enumSpec{values: []string{"enqueued", "running", "succeeded", "failed", "cancelled", "blocked"}}

	networkTypeEnum = enumSpec{
		values: []string{"connected", "metered", "notRequired", "notRoaming", "unmetered", "temporarilyUnmetered"},
		aliases: map[string]string{"not_required": "notRequired", "not_roaming": "notRoaming",
			"temporarily_unmetered": "temporarilyUnmetered"},
	}
	existingWorkEnum     = enumSpec{values: []string{"append", "keep", "replace", "update"}}
	existingPeriodicEnum = enumSpec{values: []string{"keep", "replace", "update"}}
	backoffEnum          = enumSpec{values: []string{"exponential", "linear"}}
	outOfQuotaEnum       = enumSpec{
		values: []string{"runAsNonExpeditedWorkRequest", "dropWorkRequest"},
		aliases: map[string]string{"run_as_non_expedited_work_request": "runAsNonExpeditedWorkRequest",
			"drop_work_request": "dropWorkRequest"},
	}
	fgsTypeEnum = enumSpec{values: []string{"dataSync", "shortService"},
		aliases: map[string]string{"data_sync": "dataSync", "short_service": "shortService"}}
)

var (
	nameRE = regexp.MustCompile(`^[a-z0-9-]+$`)
	codeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
)

var topFields = []string{"version", "name", "description", "seed", "start", "duration", "platform",
	"plugin", "android", "ios", "device", "app", "timeline", "expect"}

// scenario decodes the document body.
func (d *decoder) scenario(body ast.Node) *Scenario {
	s := &Scenario{File: d.file, Seed: 1, Start: DefaultStart, Platform: Platforms{PlatformAndroid},
		Plugin: Plugin{Version: Plugin0_10}}
	o := d.object(body, "", topFields...)
	if o == nil {
		return nil
	}
	c := &checker{d: d, s: s, o: o}

	if v := o.require("version", "version: 1"); v != nil {
		if n, ok := d.resolve(v, "version").(*ast.IntegerNode); ok && tokenText(n) == "1" {
			s.Version = 1
		} else if ok {
			d.errorf(v, "version", "valid: 1", "unsupported format version %s", tokenText(n))
		} else {
			d.errorf(v, "version", "valid: 1 (an integer)", "got %s, want 1", describe(v))
		}
	}
	if v := o.require("name", "a name of lower-case letters, digits and dashes, e.g. hourly-sync"); v != nil {
		if name, ok := d.name(v, "name"); ok {
			if !nameRE.MatchString(name) {
				d.errorf(v, "name", "lower-case letters, digits and dashes ([a-z0-9-]+), e.g. hourly-sync", "invalid name %s", quoteShort(name))
			} else {
				s.Name = name
			}
		}
	}
	if v := o.get("description"); v != nil {
		s.Description, _ = d.str(v, "description")
	}
	if v := o.get("seed"); v != nil {
		s.Seed, _ = d.seed(v, "seed")
	}
	startOK := true
	if v := o.get("start"); v != nil {
		s.Start, startOK = d.timestamp(v, "start")
	}
	durOK := false
	if v := o.require("duration", "a duration > 0 and at most 366d, e.g. 3d"); v != nil {
		if dur, ok := d.duration(v, "duration"); ok {
			switch {
			case dur == 0:
				d.errorf(v, "duration", "a duration > 0 and at most 366d", "must be greater than 0")
			case dur > MaxDuration:
				d.errorf(v, "duration", "at most 366d", "%s is longer than 366d", FormatDuration(dur))
			default:
				s.Duration, durOK = dur, true
			}
		}
	}
	if v := o.get("platform"); v != nil {
		s.Platform = d.platforms(v, "platform")
	}
	if o.has("plugin") {
		d.pluginBlock(o.get("plugin"), "plugin", &s.Plugin)
	}
	if o.has("android") {
		c.androidNode = o.keyNode("android")
	}
	s.Android = d.android(o.get("android"), "android")
	if o.has("ios") {
		c.iosNode = o.keyNode("ios")
	}
	iosGiven := d.ios(o.get("ios"), "ios", &s.IOS)
	if v := o.get("device"); v != nil {
		if dev := d.device(v, "device", false); dev != nil {
			s.Device = *dev
		}
	}
	if v := o.get("app"); v != nil {
		ao := d.object(v, "app", append([]string{"tasks", "on_launch", "process_lifetime"}, appOptionFields...)...)
		if t := ao.get("tasks"); t != nil {
			s.App.Tasks = d.tasks(t, "app.tasks", s.Plugin.Version)
		}
		if ao.has("on_launch") {
			s.App.OnLaunch = d.dartCalls(ao.get("on_launch"), "app.on_launch", s.Plugin.Version)
		}
		if pl := ao.get("process_lifetime"); pl != nil {
			if x, ok := d.positive(pl, "app.process_lifetime"); ok {
				s.App.ProcessLifetime = &x
			}
		}
		d.appOptions(ao, &s.App)
	}
	if v := o.get("timeline"); v != nil {
		items, _ := d.list(v, "timeline", "a list of steps, each with at: and one action")
		for i, it := range items {
			if st := d.step(it, index("timeline", i), s.Plugin.Version); st != nil {
				s.Timeline = append(s.Timeline, *st)
				c.stepNodes = append(c.stepNodes, it)
			}
		}
	}
	if v := o.get("expect"); v != nil {
		items, _ := d.list(v, "expect", "a list of expectations")
		for i, it := range items {
			if e := d.expectation(it, index("expect", i)); e != nil {
				s.Expect = append(s.Expect, *e)
				c.expectNodes = append(c.expectNodes, it)
			}
		}
	}
	c.durOK, c.startOK = durOK, startOK
	c.iosGiven = iosGiven
	c.check()
	return s
}

// seed decodes a non-negative integer (uint64).
func (d *decoder) seed(n ast.Node, path string) (uint64, bool) {
	n = d.resolve(n, path)
	v, ok := n.(*ast.IntegerNode)
	if !ok {
		d.errorf(n, path, "an integer from 0 to 18446744073709551615", "got %s, want an integer", describe(n))
		return 1, false
	}
	switch x := v.Value.(type) {
	case uint64:
		return x, true
	case int64:
		if x >= 0 {
			return uint64(x), true
		}
	}
	d.errorf(n, path, "an integer from 0 to 18446744073709551615", "%s is out of range", tokenText(n))
	return 1, false
}

// timestamp decodes an RFC 3339 timestamp with a UTC offset.
func (d *decoder) timestamp(n ast.Node, path string) (time.Time, bool) {
	const valid = "an RFC 3339 timestamp with an offset, e.g. 2026-01-05T08:00:00+01:00 or 2026-01-05T08:00:00Z"
	str, ok := d.str(n, path)
	if !ok {
		return DefaultStart, false
	}
	t, err := time.Parse(time.RFC3339Nano, str)
	if err != nil {
		msg := "invalid timestamp " + quoteShort(str)
		if _, e2 := time.Parse("2006-01-02T15:04:05", strings.TrimSpace(str)); e2 == nil {
			msg = "timestamp " + quoteShort(str) + " has no UTC offset"
		}
		d.errorf(n, path, valid, "%s", msg)
		return DefaultStart, false
	}
	return t, true
}

// platforms decodes a platform name or a list of them.
func (d *decoder) platforms(n ast.Node, path string) Platforms {
	const valid = "android, ios, or a list: [android, ios]"
	n = d.resolve(n, path)
	if seq, ok := n.(*ast.SequenceNode); ok {
		var out Platforms
		if len(seq.Values) == 0 {
			d.errorf(n, path, valid, "the list is empty")
			return Platforms{PlatformAndroid}
		}
		for i, e := range seq.Values {
			p, ok := d.enum(e, index(path, i), platformEnum)
			if !ok {
				continue
			}
			dup := false
			for _, q := range out {
				dup = dup || q == Platform(p)
			}
			if dup {
				d.errorf(e, index(path, i), valid, "%s is listed twice", p)
				continue
			}
			out = append(out, Platform(p))
		}
		if len(out) == 0 {
			return Platforms{PlatformAndroid}
		}
		return out
	}
	p, ok := d.enum(n, path, platformEnum)
	if !ok {
		return Platforms{PlatformAndroid}
	}
	return Platforms{Platform(p)}
}

// android decodes the android block, filling defaults.
func (d *decoder) android(n ast.Node, path string) Android {
	a := Android{API: DefaultAndroidAPI, StandbyBucket: BucketAuto, Doze: true, OEM: OEMAOSP, Quota: QuotaAOSP}
	o := d.object(n, path, "api", "standby_bucket", "doze", "battery_saver", "oem", "quota")
	if v := o.get("api"); v != nil {
		if x, ok := d.integer(v, o.at("api"), MinAndroidAPI, MaxAndroidAPI); ok {
			a.API = int(x)
		}
	}
	if v := o.get("standby_bucket"); v != nil {
		if x, ok := d.enum(v, o.at("standby_bucket"), bucketEnum); ok {
			a.StandbyBucket = StandbyBucket(x)
		}
	}
	if v := o.get("doze"); v != nil {
		if x, ok := d.boolean(v, o.at("doze")); ok {
			a.Doze = x
		}
	}
	if v := o.get("battery_saver"); v != nil {
		a.BatterySaver, _ = d.boolean(v, o.at("battery_saver"))
	}
	if v := o.get("oem"); v != nil {
		a.OEM, a.OEMProfile, a.OEMFile = d.oem(v, o.at("oem")) // decode_android2.go
	}
	if v := o.get("quota"); v != nil {
		a.Quota = d.quota(v, o.at("quota"))
	}
	return a
}

// iosGiven records which list fields of the ios block were given.
type iosGiven struct {
	permitted, modes, handlers bool
}

// ios decodes the ios block into io (defaults for lists are filled later).
func (d *decoder) ios(n ast.Node, path string, io *IOS) iosGiven {
	*io = IOS{Version: DefaultIOSVersion, BackgroundAppRefresh: true, FetchInterval: FetchInterval{Kind: FetchNever}, Heuristics: HeuristicsTypical}
	var g iosGiven
	o := d.object(n, path, "version", "background_app_refresh", "low_power_mode", "permitted_identifiers",
		"background_modes", "launch_handlers", "fetch_interval", "heuristics")
	if v := o.get("heuristics"); v != nil {
		if x, ok := d.enum(v, o.at("heuristics"), heuristicsEnum); ok {
			io.Heuristics = Heuristics(x)
		}
	}
	if v := o.get("version"); v != nil {
		if x, ok := d.integer(v, o.at("version"), MinIOSVersion, MaxIOSVersion); ok {
			if x > 18 && x < 26 {
				// Apple numbered the release after iOS 18 "26"; the
				// iOS model has no profile for 19..25.
				d.errorf(v, o.at("version"), "13..18, 26 or 27", "iOS %d does not exist (after iOS 18 came iOS 26)", x)
			}
			io.Version = int(x)
		}
	}
	if v := o.get("background_app_refresh"); v != nil {
		if x, ok := d.boolean(v, o.at("background_app_refresh")); ok {
			io.BackgroundAppRefresh = x
		}
	}
	if v := o.get("low_power_mode"); v != nil {
		io.LowPowerMode, _ = d.boolean(v, o.at("low_power_mode"))
	}
	if o.has("permitted_identifiers") {
		g.permitted = true
		io.PermittedIdentifiers = d.strings(o.get("permitted_identifiers"), o.at("permitted_identifiers"))
	}
	if o.has("background_modes") {
		g.modes = true
		io.BackgroundModes = []BackgroundMode{}
		items, _ := d.list(o.get("background_modes"), o.at("background_modes"), modeEnum.valid())
		for i, it := range items {
			if m, ok := d.enum(it, index(o.at("background_modes"), i), modeEnum); ok {
				io.BackgroundModes = append(io.BackgroundModes, BackgroundMode(m))
			}
		}
	}
	if o.has("launch_handlers") {
		g.handlers = true
		io.LaunchHandlers = d.strings(o.get("launch_handlers"), o.at("launch_handlers"))
	}
	if v := o.get("fetch_interval"); v != nil {
		io.FetchInterval = d.fetchInterval(v, o.at("fetch_interval"))
	}
	return g
}

// strings decodes a list of strings; null is an empty (non-nil) list.
func (d *decoder) strings(n ast.Node, path string) []string {
	out := []string{}
	items, _ := d.list(n, path, "a list of strings")
	for i, it := range items {
		if s, ok := d.name(it, index(path, i)); ok {
			out = append(out, s)
		}
	}
	return out
}

// fetchInterval decodes never | minimum | a duration > 0.
func (d *decoder) fetchInterval(n ast.Node, path string) FetchInterval {
	const valid = "never, minimum, or a duration > 0 such as 1h"
	n = d.resolve(n, path)
	if s, ok := n.(*ast.StringNode); ok {
		switch s.Value {
		case "never":
			return FetchInterval{Kind: FetchNever}
		case "minimum":
			return FetchInterval{Kind: FetchMinimum}
		}
		if _, err := ParseDuration(s.Value); err != nil {
			d.errorf(n, path, valid, "unknown value %s", quoteShort(s.Value))
			return FetchInterval{Kind: FetchNever}
		}
	}
	v, ok := d.positive(n, path)
	if !ok {
		return FetchInterval{Kind: FetchNever}
	}
	return FetchInterval{Kind: FetchEvery, Interval: v}
}

// device decodes a device block (initial state, or a step's change).
func (d *decoder) device(n ast.Node, path string, step bool) *Device {
	o := d.object(n, path, "battery", "charger", "network", "screen", "storage", "profile", "motion", "screen_timeout")
	if o == nil {
		return nil
	}
	dev := &Device{}
	if o.has("screen_timeout") {
		switch v := o.get("screen_timeout"); {
		case step:
			d.errorf(o.keyNode("screen_timeout"), o.at("screen_timeout"), "set screen_timeout in the top-level device block", "screen_timeout is a setting of the phone, not a change at a moment")
		case v == nil:
			d.errorf(o.keyNode("screen_timeout"), o.at("screen_timeout"), "a duration > 0 such as 30s", "screen_timeout must not be null")
		default:
			if x, ok := d.positive(v, o.at("screen_timeout")); ok {
				dev.ScreenTimeout = &x
			}
		}
	}
	if o.has("battery") {
		bo := d.object(o.get("battery"), o.at("battery"), "level", "capacity_mah")
		b := &Battery{}
		if v := bo.get("level"); v != nil {
			if x, ok := d.integer(v, bo.at("level"), 0, 100); ok {
				b.Level = ptr(int(x))
			}
		}
		if v := bo.get("capacity_mah"); v != nil {
			if x, ok := d.integer(v, bo.at("capacity_mah"), 1, 100000); ok {
				b.CapacityMAh = ptr(int(x))
			}
		}
		dev.Battery = b
	}
	if v := o.get("charger"); v != nil {
		if x, ok := d.enum(v, o.at("charger"), chargerEnum); ok {
			dev.Charger = ptr(Charger(x))
		}
	}
	if o.has("network") {
		no := d.object(o.get("network"), o.at("network"), "type", "metered", "roaming", "validated")
		nw := &Network{}
		if v := no.get("type"); v != nil {
			if x, ok := d.enum(v, no.at("type"), netKindEnum); ok {
				nw.Type = ptr(NetworkKind(x))
			}
		}
		if v := no.get("metered"); v != nil {
			if x, ok := d.boolean(v, no.at("metered")); ok {
				nw.Metered = &x
			}
		}
		if v := no.get("roaming"); v != nil {
			if x, ok := d.boolean(v, no.at("roaming")); ok {
				nw.Roaming = &x
			}
		}
		if v := no.get("validated"); v != nil {
			if x, ok := d.boolean(v, no.at("validated")); ok {
				nw.Validated = &x
			}
		}
		dev.Network = nw
	}
	if v := o.get("screen"); v != nil {
		if x, ok := d.enum(v, o.at("screen"), screenEnum); ok {
			dev.Screen = ptr(Screen(x))
		}
	}
	if v := o.get("motion"); v != nil {
		if x, ok := d.boolean(v, o.at("motion")); ok {
			dev.Motion = &x
		}
	}
	if o.has("storage") {
		so := d.object(o.get("storage"), o.at("storage"), "free", "total")
		st := &Storage{}
		if v := so.get("free"); v != nil {
			st.Free = d.byteSize(v, so.at("free"))
		}
		if v := so.get("total"); v != nil {
			st.Total = d.byteSize(v, so.at("total"))
			if st.Total != nil && *st.Total == 0 {
				d.errorf(v, so.at("total"), "a size > 0", "total storage must be greater than 0")
			}
		}
		if st.Free != nil && st.Total != nil && *st.Free > *st.Total {
			d.errorf(so.get("free"), so.at("free"), fmt.Sprintf("at most the total, %s", *st.Total), "free storage %s is more than the total", *st.Free)
		}
		dev.Storage = st
	}
	if v := o.get("profile"); v != nil {
		if m, isMap := d.resolve(v, o.at("profile")).(*ast.MappingNode); isMap {
			if p, ok := d.profileDef(m, o.at("profile")); ok {
				dev.Profile, dev.ProfileDef = &p.Name, p
			}
		} else if x, ok := d.str(v, o.at("profile")); ok {
			names := device.ProfileNames()
			if !contains(names, x) {
				msg := fmt.Sprintf("unknown profile %s", quoteShort(x))
				if sug := suggest(x, names); sug != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", sug)
				}
				d.errorf(v, o.at("profile"), "built-in profiles: "+strings.Join(names, ", "), "%s", msg)
			} else {
				dev.Profile = &x
			}
		}
	}
	if step && len(o.order) == 0 {
		d.errorf(n, path, "give at least one of: battery, charger, network, screen, storage, profile, motion", "a device step must change something")
	}
	return dev
}

// byteSize decodes a size: an integer number of bytes or a string with a
// unit.
func (d *decoder) byteSize(n ast.Node, path string) *ByteSize {
	n = d.resolve(n, path)
	switch v := n.(type) {
	case *ast.IntegerNode:
		x, ok := d.integer(v, path, 0, math.MaxInt64)
		if !ok {
			return nil
		}
		b := ByteSize(x)
		return &b
	case *ast.StringNode:
		b, err := ParseByteSize(v.Value)
		if err != nil {
			d.errorf(n, path, byteSizeSyntax, "%s", firstClause(err))
			return nil
		}
		return &b
	}
	d.errorf(n, path, byteSizeSyntax, "got %s, want a size", describe(n))
	return nil
}

// tasks decodes app.tasks: a mapping of received name to behaviour.
func (d *decoder) tasks(n ast.Node, path string, pv PluginVersion) Tasks {
	es, ok := d.mapping(n, path, "a mapping from task name to {duration, result, requires_network}")
	if !ok {
		return nil
	}
	out := Tasks{}
	for _, e := range es {
		p := join(path, e.key)
		if e.key == "" {
			d.errorf(e.keyNode, p, "a task name such as fetchLatestPosts", "empty task name")
			continue
		}
		t := Task{Name: e.key, Result: Results{ResultSuccess}}
		o := d.object(e.val, p, "duration", "result", "requires_network", "then")
		if o == nil {
			continue
		}
		if v := o.get("duration"); v != nil {
			t.Duration = d.durationRange(v, o.at("duration"))
		}
		if o.has("result") {
			if v := o.get("result"); v != nil {
				t.Result = d.results(v, o.at("result"))
			} else {
				d.errorf(o.keyNode("result"), o.at("result"), resultEnum.valid(), "result must not be null")
			}
		}
		if v := o.get("requires_network"); v != nil {
			t.RequiresNetwork, _ = d.boolean(v, o.at("requires_network"))
		}
		if o.has("then") {
			t.Then = d.dartCalls(o.get("then"), o.at("then"), pv)
		}
		out = append(out, t)
	}
	return out
}

// durationRange decodes "4s" or "2s..10s".
func (d *decoder) durationRange(n ast.Node, path string) DurationRange {
	const valid = "a duration (4s) or a range min..max (2s..10s)"
	s, ok := d.durationText(n, path)
	if !ok {
		return DurationRange{}
	}
	lo, hi, isRange := strings.Cut(s, "..")
	a, err := ParseDuration(strings.TrimSpace(lo))
	if err != nil {
		d.errorf(n, path, valid, "%s", firstClause(err))
		return DurationRange{}
	}
	b := a
	if isRange {
		if b, err = ParseDuration(strings.TrimSpace(hi)); err != nil {
			d.errorf(n, path, valid, "%s", firstClause(err))
			return DurationRange{}
		}
	}
	switch {
	case a < 0 || b < 0:
		d.errorf(n, path, "durations ≥ 0s", "negative duration in %s", quoteShort(s))
		return DurationRange{}
	case a > b:
		d.errorf(n, path, "min ≤ max, e.g. 2s..10s", "range %s has min greater than max", quoteShort(s))
		return DurationRange{}
	}
	return DurationRange{Min: a, Max: b}
}

// results decodes a result or a non-empty list of them.
func (d *decoder) results(n ast.Node, path string) Results {
	n = d.resolve(n, path)
	if seq, ok := n.(*ast.SequenceNode); ok {
		if len(seq.Values) == 0 {
			d.errorf(n, path, resultEnum.valid()+", or a non-empty list of them", "the list is empty")
			return Results{ResultSuccess}
		}
		var out Results
		for i, e := range seq.Values {
			if r, ok := d.enum(e, index(path, i), resultEnum); ok {
				out = append(out, Result(r))
			}
		}
		return out
	}
	if r, ok := d.enum(n, path, resultEnum); ok {
		return Results{Result(r)}
	}
	return Results{ResultSuccess}
}

var stepFields = []string{"at", "every", "platform", "call", "args", "channel", "device", "reboot", "app", "os", "content_change"}
var actionFields = []string{"call", "channel", "device", "reboot", "app", "os", "content_change"}

// step decodes one timeline entry.
func (d *decoder) step(n ast.Node, path string, pv PluginVersion) *Step {
	o := d.object(n, path, stepFields...)
	if o == nil {
		return nil
	}
	line, col := position(d.resolve(n, path))
	st := &Step{Pos: Pos{Line: line, Column: col}}
	if v := o.get("platform"); v != nil {
		st.Platform = d.stepPlatform(v, o.at("platform"))
	}
	if v := o.require("at", "an offset such as 90s or 2d12h, or a clock time such as \"07:30\""); v != nil {
		st.At, _ = d.at(v, o.at("at"))
	}
	if v := o.get("every"); v != nil {
		if e, ok := d.positive(v, o.at("every")); ok {
			if e < time.Second {
				d.errorf(v, o.at("every"), "a period of at least 1s", "every %s is too short", FormatDuration(e))
			} else {
				st.Every = e
			}
		}
	}
	var present []string
	for _, a := range actionFields {
		if o.has(a) {
			present = append(present, a)
		}
	}
	switch {
	case len(present) == 0:
		d.errorf(n, path, "add one of: "+strings.Join(actionFields, ", "), "the step has no action")
	case len(present) > 1:
		for _, a := range present[1:] {
			d.errorf(o.keyNode(a), o.at(a), "a step has exactly one action; split it into two steps",
				"the step has two actions: %s and %s", present[0], a)
		}
	}
	if o.has("args") && !o.has("call") {
		d.errorf(o.keyNode("args"), o.at("args"), "args go with call: in the same step", "args without call")
	}
	if o.has("call") {
		st.Call, st.Args = d.call(o, pv)
	}
	if o.has("channel") {
		st.Channel = d.channel(o.get("channel"), o.at("channel"), o.keyNode("channel"))
	}
	if o.has("device") {
		if v := o.get("device"); v != nil {
			st.Device = d.device(v, o.at("device"), true)
		} else {
			d.errorf(o.keyNode("device"), o.at("device"), "give at least one of: battery, charger, network, screen, storage, profile, motion", "a device step must change something")
		}
		if st.Device == nil {
			st.Device = &Device{}
		}
	}
	if o.has("reboot") {
		st.Reboot = &Reboot{}
		ro := d.object(o.get("reboot"), o.at("reboot"), "downtime")
		if v := ro.get("downtime"); v != nil {
			if x, ok := d.duration(v, ro.at("downtime")); ok {
				st.Reboot.Downtime = &x
			}
		}
	}
	if o.has("app") {
		st.App = d.appEvent(o.get("app"), o.at("app"), o.keyNode("app"))
	}
	if o.has("os") {
		st.OS = d.osChange(o.get("os"), o.at("os"), o.keyNode("os"))
	}
	if o.has("content_change") {
		st.ContentChange = d.contentChange(o.get("content_change"), o.at("content_change"), o.keyNode("content_change"))
	}
	return st
}

// stepPlatform decodes a step's platform: android or ios (one platform; a
// step for both has no platform field).
func (d *decoder) stepPlatform(n ast.Node, path string) Platform {
	if _, isList := d.resolve(n, path).(*ast.SequenceNode); isList {
		d.errorf(n, path, "android or ios; a step for both platforms has no platform field", "a step takes one platform, not a list")
		return ""
	}
	p, _ := d.enum(n, path, platformEnum)
	return Platform(p)
}

var dartCallFields = []string{"platform", "call", "args"}

// dartCalls decodes app.on_launch or a task's then: a list of Dart calls.
func (d *decoder) dartCalls(n ast.Node, path string, pv PluginVersion) []DartCall {
	items, _ := d.list(n, path, "a list of Dart calls, each {call: METHOD, args: {...}} with an optional platform: android | ios")
	out := []DartCall{}
	for i, it := range items {
		p := index(path, i)
		o := d.object(it, p, dartCallFields...)
		if o == nil {
			continue
		}
		line, col := position(d.resolve(it, p))
		c := DartCall{Pos: Pos{Line: line, Column: col}}
		if v := o.get("platform"); v != nil {
			c.Platform = d.stepPlatform(v, o.at("platform"))
		}
		if !o.has("call") {
			d.errorf(it, p, "add call: METHOD (a Dart method of Workmanager, e.g. registerPeriodicTask)", "the entry makes no call")
			continue
		}
		c.Call, c.Args = d.call(o, pv)
		if c.Call != "" {
			out = append(out, c)
		}
	}
	return out
}

// at decodes an offset or a clock time.
func (d *decoder) at(n ast.Node, path string) (At, bool) {
	const valid = "an offset from start (90s, 2d12h) or a daily clock time (\"07:30\")"
	s, ok := d.durationText(n, path)
	if !ok {
		return At{}, false
	}
	if h, m, sec, isClock, err := parseClock(s); isClock {
		if err != nil {
			d.errorf(n, path, "a 24-hour clock time HH:MM or HH:MM:SS, e.g. \"07:30\"", "invalid clock time %s: %v", quoteShort(s), err)
			return At{}, false
		}
		return At{Clock: true, Hour: h, Minute: m, Second: sec}, true
	}
	v, err := ParseDuration(s)
	if err != nil {
		d.errorf(n, path, valid, "%s", firstClause(err))
		return At{}, false
	}
	if v < 0 {
		d.errorf(n, path, "an offset ≥ 0s", "negative duration %s", s)
		return At{}, false
	}
	return At{Delay: v}, true
}

// appEvent decodes an app lifecycle event.
func (d *decoder) appEvent(n ast.Node, path string, key ast.Node) *AppEvent {
	rn := d.resolve(n, path)
	switch rn.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		o := d.object(rn, path, "update", "launch")
		if o == nil {
			return nil
		}
		if o.has("launch") {
			if o.has("update") {
				d.errorf(o.keyNode("update"), o.at("update"), "one event per step: {launch: {for: 5m}} or {update: {...}}", "the step has two app events: launch and update")
			}
			ev := &AppEvent{Kind: AppLaunch}
			lo := d.object(o.get("launch"), o.at("launch"), "for")
			if v := lo.get("for"); v != nil {
				ev.For, _ = d.positive(v, lo.at("for"))
			} else if lo != nil {
				d.errorf(o.keyNode("launch"), o.at("launch")+".for", "launch: {for: 5m} (how long the app stays in the foreground)", "launch needs for")
			}
			return ev
		}
		if !o.has("update") {
			d.errorf(rn, path, "an event name ("+strings.Join(appEnum.values, ", ")+"), {update: {dispatcher_renamed: true}} or {launch: {for: 5m}}", "missing event")
			return nil
		}
		ev := &AppEvent{Kind: AppUpdate}
		uo := d.object(o.get("update"), o.at("update"), "dispatcher_renamed")
		if v := uo.get("dispatcher_renamed"); v != nil {
			ev.DispatcherRenamed, _ = d.boolean(v, uo.at("dispatcher_renamed"))
		}
		return ev
	case nil:
		d.errorf(key, path, appEnum.valid(), "app needs an event")
		return nil
	}
	k, ok := d.enum(rn, path, appEnum)
	if !ok {
		return nil
	}
	return &AppEvent{Kind: AppEventKind(k)}
}

var osFields = append([]string{"doze", "standby_bucket", "battery_saver", "low_power_mode", "background_app_refresh", "fetch_interval", "run_job", "force"}, osDebuggerFields...)

// osChange decodes an os step.
func (d *decoder) osChange(n ast.Node, path string, key ast.Node) *OSChange {
	if n == nil {
		d.errorf(key, path, "give one of: "+strings.Join(osFields, ", "), "os needs a setting")
		return nil
	}
	o := d.object(n, path, osFields...)
	if o == nil {
		return nil
	}
	c := &OSChange{}
	if v := o.get("doze"); v != nil {
		if x, ok := d.enum(v, o.at("doze"), dozeEnum); ok {
			c.Doze = ptr(DozeCommand(x))
		}
	}
	if v := o.get("standby_bucket"); v != nil {
		if x, ok := d.enum(v, o.at("standby_bucket"), bucketEnum); ok {
			c.StandbyBucket = ptr(StandbyBucket(x))
		}
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"battery_saver", &c.BatterySaver}, {"low_power_mode", &c.LowPowerMode}, {"background_app_refresh", &c.BackgroundAppRefresh}} {
		if v := o.get(f.name); v != nil {
			if x, ok := d.boolean(v, o.at(f.name)); ok {
				*f.dst = &x
			}
		}
	}
	if v := o.get("fetch_interval"); v != nil {
		fi := d.fetchInterval(v, o.at("fetch_interval"))
		c.FetchInterval = &fi
	}
	d.runJob(o, c) // decode_android2.go
	d.osDebugger(o, c)
	if len(o.order) == 0 {
		d.errorf(key, path, "give one of: "+strings.Join(osFields, ", "), "os needs a setting")
	}
	return c
}

// channel decodes a channel step.
func (d *decoder) channel(n ast.Node, path string, key ast.Node) *Channel {
	if n == nil {
		d.errorf(key, path, "name: plus message: (base64) or method: (and arguments:)", "channel needs a name and a message")
		return nil
	}
	o := d.object(n, path, "name", "message", "method", "arguments")
	if o == nil {
		return nil
	}
	ch := &Channel{}
	if v := o.require("name", "the channel name, e.g. dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi.registerOneOffTask"); v != nil {
		if s, ok := d.str(v, o.at("name")); ok {
			if s == "" {
				d.errorf(v, o.at("name"), "a channel name", "empty channel name")
			}
			ch.Name = s
		}
	}
	hasMsg, hasMethod := o.has("message"), o.has("method")
	switch {
	case hasMsg && hasMethod:
		d.errorf(o.keyNode("method"), o.at("method"), "either message: (Pigeon bytes) or method: (a MethodChannel call), not both", "channel has both message and method")
	case !hasMsg && !hasMethod:
		d.errorf(n, path, "message: (base64 bytes) or method: (with arguments:)", "channel needs a message or a method")
	}
	if o.has("arguments") && !hasMethod {
		d.errorf(o.keyNode("arguments"), o.at("arguments"), "arguments go with method:", "arguments without method")
	}
	if hasMsg {
		if v := o.require("message", "the message bytes in base64"); v != nil {
			if s, ok := d.str(v, o.at("message")); ok {
				ch.Message = s
				b, err := decodeBase64(s)
				if err != nil {
					d.errorf(v, o.at("message"), "standard base64 (A-Z a-z 0-9 + /, = padding), e.g. DAGODAsH", "message is not base64: %v", err)
				} else {
					ch.Bytes = b
				}
			}
		}
	}
	if hasMethod {
		if v := o.require("method", "a MethodChannel method name such as registerOneOffTask"); v != nil {
			if s, ok := d.str(v, o.at("method")); ok {
				if s == "" {
					d.errorf(v, o.at("method"), "a method name", "empty method name")
				}
				ch.Method = s
			}
		}
		if v := o.get("arguments"); v != nil {
			ch.Arguments = d.valueMap(v, o.at("arguments"), "arguments", 0)
		}
	}
	return ch
}

// decodeBase64 accepts standard base64 with or without padding; spaces
// and line breaks (from folded YAML) are ignored.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if strings.HasSuffix(s, "=") {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

var expectFields = []string{"task", "unique", "runs", "within", "max_gap", "first_run_within", "state", "attempts", "no_errors", "error",
	"on_time", "call", "at", "returned", "platform"}
var assertionFields = []string{"runs", "max_gap", "first_run_within", "state", "attempts", "no_errors", "error", "on_time", "returned"}

// expectation decodes one expect entry.
func (d *decoder) expectation(n ast.Node, path string) *Expectation {
	o := d.object(n, path, expectFields...)
	if o == nil {
		return nil
	}
	line, col := position(d.resolve(n, path))
	e := &Expectation{Pos: Pos{Line: line, Column: col}}
	var present []string
	for _, a := range assertionFields {
		if o.has(a) {
			present = append(present, a)
		}
	}
	switch {
	case len(present) == 0:
		d.errorf(n, path, "add one of: "+strings.Join(assertionFields, ", "), "the expectation asserts nothing")
	case len(present) > 1:
		for _, a := range present[1:] {
			d.errorf(o.keyNode(a), o.at(a), "one assertion per entry; split it into two entries", "the entry has two assertions: %s and %s", present[0], a)
		}
	}
	if v := o.get("platform"); v != nil {
		e.Platform = d.stepPlatform(v, o.at("platform"))
	}
	if v := o.get("task"); v != nil {
		e.Task, _ = d.name(v, o.at("task"))
	}
	if v := o.get("unique"); v != nil {
		e.Unique, _ = d.name(v, o.at("unique"))
	}
	if o.has("task") && o.has("unique") {
		d.errorf(o.keyNode("unique"), o.at("unique"), "select by task: or by unique:, not both", "the entry has both task and unique")
	}
	needsSelector := false
	if o.has("runs") {
		needsSelector = true
		e.Runs = &Range{}
		ro := d.object(o.get("runs"), o.at("runs"), "min", "max")
		if v := ro.get("min"); v != nil {
			if x, ok := d.integer(v, ro.at("min"), 0, math.MaxInt32); ok {
				e.Runs.Min = ptr(int(x))
			}
		}
		if v := ro.get("max"); v != nil {
			if x, ok := d.integer(v, ro.at("max"), 0, math.MaxInt32); ok {
				e.Runs.Max = ptr(int(x))
			}
		}
		if ro != nil && !ro.has("min") && !ro.has("max") {
			d.errorf(o.keyNode("runs"), o.at("runs"), "runs: {min: N, max: M} with at least one bound", "runs needs min or max")
		}
		if e.Runs.Min != nil && e.Runs.Max != nil && *e.Runs.Min > *e.Runs.Max {
			d.errorf(ro.get("min"), ro.at("min"), fmt.Sprintf("min ≤ max (%d)", *e.Runs.Max), "min %d is greater than max %d", *e.Runs.Min, *e.Runs.Max)
		}
	}
	if v := o.get("max_gap"); v != nil {
		needsSelector = true
		if x, ok := d.positive(v, o.at("max_gap")); ok {
			e.MaxGap = &x
		}
	} else if o.has("max_gap") {
		d.errorf(o.keyNode("max_gap"), o.at("max_gap"), "a duration > 0", "max_gap must not be null")
	}
	if v := o.get("first_run_within"); v != nil {
		needsSelector = true
		if x, ok := d.positive(v, o.at("first_run_within")); ok {
			e.FirstRunWithin = &x
		}
	} else if o.has("first_run_within") {
		d.errorf(o.keyNode("first_run_within"), o.at("first_run_within"), "a duration > 0", "first_run_within must not be null")
	}
	if v := o.get("state"); v != nil {
		needsSelector = true
		if x, ok := d.enum(v, o.at("state"), stateEnum); ok {
			e.State = ptr(TaskState(x))
		}
	} else if o.has("state") {
		d.errorf(o.keyNode("state"), o.at("state"), stateEnum.valid(), "state must not be null")
	}
	if v := o.get("attempts"); v != nil {
		needsSelector = true
		if x, ok := d.integer(v, o.at("attempts"), 0, math.MaxInt32); ok {
			e.Attempts = ptr(int(x))
		}
	} else if o.has("attempts") {
		d.errorf(o.keyNode("attempts"), o.at("attempts"), "an integer ≥ 0", "attempts must not be null")
	}
	if v := o.get("no_errors"); v != nil {
		if x, ok := d.boolean(v, o.at("no_errors")); ok {
			if !x {
				d.errorf(v, o.at("no_errors"), "no_errors: true (or remove the entry)", "no_errors: false asserts nothing")
			}
			e.NoErrors = &x
		}
	} else if o.has("no_errors") {
		d.errorf(o.keyNode("no_errors"), o.at("no_errors"), "no_errors: true", "no_errors must not be null")
	}
	if o.has("error") {
		eo := d.object(o.get("error"), o.at("error"), "call", "code")
		e.Error = &ErrorExpect{}
		if v := eo.get("call"); v != nil {
			if x, ok := d.enum(v, eo.at("call"), allMethodsEnum); ok {
				e.Error.Call = Method(x)
			}
		}
		if v := eo.require("code", "a snake_case error code such as not_permitted"); v != nil {
			if s, ok := d.str(v, eo.at("code")); ok {
				if !codeRE.MatchString(s) {
					d.errorf(v, eo.at("code"), "a snake_case code such as not_permitted, not_initialized, unsupported", "error code %s is not snake_case", quoteShort(s))
				}
				e.Error.Code = s
			}
		}
	}
	if o.has("on_time") {
		needsSelector = true
		oo := d.object(o.get("on_time"), o.at("on_time"), "clock", "late")
		e.OnTime = &OnTime{}
		if v := oo.require("clock", "a 24-hour clock time such as \"10:00\""); v != nil {
			if c, ok := d.clockTime(v, oo.at("clock")); ok {
				e.OnTime.Clock = c
			}
		}
		if v := oo.require("late", "a duration ≥ 0 such as 30m: how long after the clock time a run may start"); v != nil {
			if x, ok := d.duration(v, oo.at("late")); ok {
				e.OnTime.Late = x
			}
		}
	}
	if o.has("returned") {
		e.HasReturned = true
		rv := o.items["returned"].val
		if x, ok := d.value(rv, o.at("returned"), "returned", 0); ok {
			if m, isMap := x.(Map); isMap {
				_ = m
				d.errorf(rv, o.at("returned"), "true, false, null, a number or a string (the text printScheduledTasks returns)", "returned takes a scalar, not a mapping")
			} else {
				e.Returned = x
			}
		}
		if !o.has("call") {
			d.errorf(n, path+".call", "add call: METHOD (the Dart call whose return value this is, e.g. isScheduledByUniqueName)", "returned needs call")
		}
	}
	if v := o.get("call"); v != nil {
		if x, ok := d.enum(v, o.at("call"), allMethodsEnum); ok {
			e.Call = Method(x)
		}
		if !o.has("returned") {
			d.errorf(o.keyNode("call"), o.at("call"), "call: goes with returned: (and an optional at:)", "call without returned")
		}
	}
	if o.has("at") {
		if v := o.get("at"); v != nil {
			if x, ok := d.duration(v, o.at("at")); ok {
				e.At = &x
			}
		} else {
			d.errorf(o.keyNode("at"), o.at("at"), "an offset from start such as 2h", "at must not be null")
		}
		if !o.has("returned") {
			d.errorf(o.keyNode("at"), o.at("at"), "at: goes with call: and returned:", "at without returned")
		}
	}
	if o.has("within") {
		wo := d.object(o.get("within"), o.at("within"), "from", "to")
		e.Within = &Window{To: -1}
		if v := wo.get("from"); v != nil {
			e.Within.From, _ = d.duration(v, wo.at("from"))
		}
		if v := wo.get("to"); v != nil {
			if x, ok := d.duration(v, wo.at("to")); ok {
				e.Within.To = x
			}
		}
		if !(e.Runs != nil || e.MaxGap != nil || e.Attempts != nil) && len(present) == 1 {
			d.errorf(o.keyNode("within"), o.at("within"), "within goes with runs, max_gap or attempts", "within does not apply to %s", present[0])
		}
	}
	if needsSelector && !o.has("task") && !o.has("unique") {
		d.errorf(n, path, "add task: NAME or unique: NAME", "the %s assertion needs a task or unique selector", present[0])
	}
	if !needsSelector && len(present) == 1 && (o.has("task") || o.has("unique")) {
		sel := "task"
		if !o.has("task") {
			sel = "unique"
		}
		d.errorf(o.keyNode(sel), o.at(sel), present[0]+" is about the whole run; remove "+sel, "%s does not take a selector", present[0])
	}
	return e
}

func ptr[T any](v T) *T { return &v }

// profileValid says what an inline profile may contain.
const profileValid = "a built-in profile's name, or a mapping with the fields of a profile: name, wake, sleep, sessions_per_day, session_length, app_opens_per_day, app_time, charging, places, … (see FORMAT.md)"

// profileDef decodes a profile defined in the file, strictly, and checks its
// ranges.
func (d *decoder) profileDef(n *ast.MappingNode, path string) (*device.Profile, bool) {
	var p device.Profile
	if err := yaml.NodeToValue(n, &p, yaml.Strict()); err != nil {
		// goccy's message starts "[line:col] what"; report it at that place.
		msg, _, _ := strings.Cut(err.Error(), "\n")
		var line, col int
		if _, scanErr := fmt.Sscanf(msg, "[%d:%d]", &line, &col); scanErr == nil && line > 0 {
			_, msg, _ = strings.Cut(msg, "] ")
			d.errAt(line, col, path, profileValid, "%s", msg)
		} else {
			d.errorf(n, path, profileValid, "%s", msg)
		}
		return nil, false
	}
	if p.Name == "" {
		d.errorf(n, path+".name", "a name for the profile, used in reports", "an inline profile needs a name")
		return nil, false
	}
	if err := p.Validate(); err != nil {
		d.errorf(n, path, profileValid, "%s", err.Error())
		return nil, false
	}
	return &p, true
}
