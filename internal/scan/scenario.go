package scan

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/scenarios"
)

// genOptions select the variant of the generated scenario.
type genOptions struct {
	// v1 writes format v1 (no app.on_launch, no step platform): startup
	// calls become timeline calls at 0s, and a step for one platform is
	// kept only when Platform selects that platform.
	v1 bool
	// platform restricts the scenario to android or ios ("": every
	// platform the app targets).
	platform string
	api      int    // android.api (0: 34)
	oem      string // android.oem ("": not written)
	ios      int    // ios.version (0: 17)
	user     string // daily (default) | weekly
	duration string // default 7d
}

// step is one Dart call of the app, in the generated scenario.
type step struct {
	method   string
	args     []string // "key: value" in order
	platform string   // "" | android | ios
	origin   string   // file:line
	comments []string
	startup  bool
	inTask   bool
	until    string // initialDelay until this clock time (format v1.1)
	inCase   string // made by the task with this name (format v1.1 then)
	// uniqueNow replaces the uniqueName default in format v1.1: a
	// timestamped name with ${now_ms}.
	uniqueNow string
	file      string
	line      int
	col       int
}

// generator writes scenarios for a scanned project.
type generator struct {
	p     *project
	d     *dartFacts
	steps []step
	tasks []string // app.tasks names
	notes []string // comments about what could not be expressed
}

// Process lifetime and usage defaults of the generated scenario.
const (
	// dailyProfile is the usage profile of a daily user: a built-in
	// profile of device/profile.go (opens the app 2–4 times a day).
	dailyProfile = "office-worker"
)

func newGenerator(p *project, d *dartFacts) *generator {
	g := &generator{p: p, d: d}
	profile := p.plugin.Profile
	for _, ic := range d.inits {
		g.steps = append(g.steps, step{method: "initialize", platform: plat(ic.platform), origin: fmt.Sprintf("%s:%d", ic.file, ic.line),
			startup: ic.startup, file: ic.file, line: ic.line, col: ic.col})
	}
	taskSet := map[string]bool{}
	dynN := 0
	for _, r := range d.registrations {
		s := step{method: r.Call, platform: plat(r.Platform), origin: fmt.Sprintf("%s:%d", r.File, r.Line),
			startup: r.startup, inTask: r.inTask, inCase: r.inCase, file: r.File, line: r.Line, col: r.Column}
		unique, task := r.UniqueName, r.TaskName
		if slices.Contains(r.Dynamic, "unique_name") && r.uniqueNow != "" {
			s.uniqueNow = r.uniqueNow
		}
		if slices.Contains(r.Dynamic, "unique_name") {
			dynN++
			unique = fmt.Sprintf("dynamic-%d", dynN)
			if s.uniqueNow != "" {
				s.comments = append(s.comments, fmt.Sprintf("uniqueName is %s in the code: a timestamp, written ${now_ms} (in format v1: %q)", r.UniqueName, unique))
			} else {
				s.comments = append(s.comments, fmt.Sprintf("uniqueName is %s in the code: not known statically, %q used", r.UniqueName, unique))
			}
		}
		if slices.Contains(r.Dynamic, "task_name") {
			dynN++
			task = fmt.Sprintf("dynamic-task-%d", dynN)
			s.comments = append(s.comments, fmt.Sprintf("taskName is %s in the code: not known statically, %q used", r.TaskName, task))
		}
		for _, f := range r.Dynamic {
			switch f {
			case "frequency_s":
				s.comments = append(s.comments, "frequency is computed at run time: the plugin's default (15m) used")
			case "initial_delay_s":
				if r.until != "" {
					s.until = r.until
					s.comments = append(s.comments, fmt.Sprintf("initialDelay is the time until %s (DateTime(…, %s).difference(now)); format v1 has no such value: none used there", r.until, strings.Replace(r.until, ":", ", ", 1)))
				} else {
					s.comments = append(s.comments, "initialDelay is computed at run time: none used")
				}
			case "flex_s":
				s.comments = append(s.comments, "flexInterval is computed at run time: none used")
			case "constraints", "existing_work_policy", "backoff", "input_data_keys":
				s.comments = append(s.comments, f+" is (partly) computed at run time: the known part used")
			}
		}
		s.args = []string{"uniqueName: " + strconv.Quote(unique), "taskName: " + strconv.Quote(task)}
		allowed := allowedArgs(r.Call, profile)
		if allowed == nil {
			g.notes = append(g.notes, fmt.Sprintf("%s (%s) is not in plugin %s: left out", r.Call, s.origin, profile))
			continue
		}
		keys := make([]string, 0, len(r.args))
		for k := range r.args {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := r.args[k]
			switch {
			case !allowed[k]:
				s.comments = append(s.comments, fmt.Sprintf("%s: %s is not an argument of %s in plugin %s: left out", k, v, r.Call, profile))
				continue
			case k == "existingWorkPolicy" && r.Call == "registerPeriodicTask" && v == "append":
				s.comments = append(s.comments, "existingWorkPolicy append is not an ExistingPeriodicWorkPolicy: left out")
				continue
			}
			s.args = append(s.args, k+": "+v)
		}
		g.steps = append(g.steps, s)
		taskSet[task] = true
		if s.inCase != "" {
			taskSet[s.inCase] = true
		}
		if bgTaskCall(r.Call) && reachesIOS(r.Platform) {
			taskSet[unique] = true // delivered as the task name on iOS
		}
	}
	for _, oc := range d.others {
		s := step{method: oc.method, platform: plat(oc.platform), origin: fmt.Sprintf("%s:%d", oc.file, oc.line),
			startup: oc.startup, inTask: oc.inTask, file: oc.file, line: oc.line, col: oc.col}
		arg := map[string]string{"cancelByUniqueName": "uniqueName", "isScheduledByUniqueName": "uniqueName",
			"getWorkInfo": "uniqueName", "cancelByTag": "tag"}[oc.method]
		switch {
		case oc.method == "reportProgress" || oc.method == "setProgressListener":
			continue
		case arg != "" && !oc.argKnown:
			g.notes = append(g.notes, fmt.Sprintf("%s(%s) at %s: argument not known statically, left out", oc.method, oc.arg, s.origin))
			continue
		case arg != "":
			s.args = []string{arg + ": " + strconv.Quote(oc.arg)}
		}
		if allowedArgs(oc.method, profile) == nil {
			g.notes = append(g.notes, fmt.Sprintf("%s (%s) is not in plugin %s: left out", oc.method, s.origin, profile))
			continue
		}
		g.steps = append(g.steps, s)
	}
	sort.SliceStable(g.steps, func(i, j int) bool {
		a, b := g.steps[i], g.steps[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.col < b.col
	})
	for n := range taskSet {
		g.tasks = append(g.tasks, n)
	}
	sort.Strings(g.tasks)
	return g
}

func plat(p string) string {
	if p == "both" || p == "none" {
		return ""
	}
	return p
}

// allowedArgs are the arguments a method takes in a plugin profile
// (scenarios/FORMAT.md's call table); nil if the profile has no such method.
func allowedArgs(method, profile string) map[string]bool {
	set := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, k := range strings.Fields(s) {
			m[k] = true
		}
		return m
	}
	common := "inputData initialDelay constraints existingWorkPolicy backoffPolicy backoffPolicyDelay tag "
	switch method {
	case "registerOneOffTask":
		if profile == "0.5" {
			return set(common + "outOfQuotaPolicy")
		}
		return set(common + "outOfQuotaPolicy foregroundServiceConfig expedited")
	case "registerPeriodicTask":
		if profile == "0.5" {
			return set(common + "frequency outOfQuotaPolicy")
		}
		return set(common + "frequency flexInterval foregroundServiceConfig")
	case "registerProcessingTask", "registerHealthResearchTask":
		if profile == "0.5" {
			return nil
		}
		return set("initialDelay inputData constraints")
	case "registerContinuedProcessingTask":
		if profile == "0.5" {
			return nil
		}
		return set("title subtitle inputData")
	case "isScheduledByUniqueName", "printScheduledTasks", "getWorkInfo":
		if profile == "0.5" {
			return nil
		}
		return set("uniqueName")
	case "initialize", "cancelByUniqueName", "cancelByTag", "cancelAll":
		return set("uniqueName tag isInDebugMode")
	}
	return nil
}

// platforms the scenario runs on.
func (g *generator) platforms(o genOptions) []string {
	if o.platform != "" {
		return []string{o.platform}
	}
	var out []string
	if g.p.hasAndroid || !g.p.hasIOS {
		out = append(out, "android")
	}
	if g.p.hasIOS {
		out = append(out, "ios")
	}
	return out
}

// slug makes a scenario name from the project name ("app" when none).
func slug(s string) string {
	if out := scenarios.NameFrom(s); out != "" {
		return out
	}
	return "app"
}

// yaml writes the scenario.
func (g *generator) yaml(o genOptions) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	plats := g.platforms(o)
	hasPlat := func(p string) bool { return slices.Contains(plats, p) }
	format := "1.1"
	if o.v1 {
		format = "1"
	}
	w("# Generated by `wmsim scan` from the Flutter project %q (scenario format v%s).\n", g.p.name, format)
	w("# Task behaviours and the usage profile are defaults: edit them to match the app.\n")
	for _, n := range g.notes {
		w("# note: %s\n", n)
	}
	w("version: 1\n")
	w("name: %s-scan\n", slug(g.p.name))
	w("description: what %s registers at startup, as found by wmsim scan\n", strconv.Quote(g.p.name)[1:len(strconv.Quote(g.p.name))-1])
	dur := o.duration
	if dur == "" {
		dur = "7d"
	}
	w("duration: %s\n", dur)
	if len(plats) == 1 {
		w("platform: %s\n", plats[0])
	} else {
		w("platform: [%s]\n", strings.Join(plats, ", "))
	}
	w("plugin: { version: %q }   # workmanager %s (%s)\n", g.p.plugin.Profile, orDefault(g.p.plugin.Version, "unknown"), g.p.plugin.Source)
	if hasPlat("android") {
		api := o.api
		if api == 0 {
			api = 34
		}
		w("android:\n  api: %d\n", api)
		if o.oem != "" {
			w("  oem: %s\n", o.oem)
		}
	}
	if hasPlat("ios") {
		v := o.ios
		if v == 0 {
			v = 17
		}
		w("ios:\n  version: %d\n", v)
		if g.p.plist != nil && g.p.plist.hasPermitted || g.p.hasIOS {
			ids := []string{}
			if g.p.plist != nil {
				ids = g.p.plist.Permitted
			}
			w("  permitted_identifiers: %s   # ios/Runner/Info.plist BGTaskSchedulerPermittedIdentifiers\n", flowList(ids))
		}
		if g.p.plist != nil && g.p.plist.hasModes {
			var modes []string
			for _, m := range g.p.plist.Modes {
				if !o.v1 || m == "fetch" || m == "processing" {
					modes = append(modes, m)
				}
			}
			w("  background_modes: %s   # UIBackgroundModes\n", flowList(modes))
		} else if g.p.hasIOS {
			w("  background_modes: []   # Info.plist has no UIBackgroundModes\n")
		}
		var handlers []string
		fetch := ""
		for _, nr := range g.p.ios.AppDelegateRegistrations {
			if nr.Identifier != "" && !slices.Contains(handlers, nr.Identifier) {
				handlers = append(handlers, nr.Identifier)
			}
			if nr.Call == "setMinimumBackgroundFetchInterval" {
				switch nr.Interval {
				case "minimum", "never":
					fetch = nr.Interval
				default:
					if s, err := strconv.ParseFloat(nr.Interval, 64); err == nil && s > 0 {
						fetch = scenarios.FormatDuration(time.Duration(s * float64(time.Second)))
					}
				}
			}
		}
		if len(handlers) > 0 {
			w("  launch_handlers: %s   # the AppDelegate's registrations\n", flowList(handlers))
		}
		if fetch != "" {
			w("  fetch_interval: %s   # the AppDelegate's setMinimumBackgroundFetchInterval\n", fetch)
		}
	}
	user := o.user
	if user == "" {
		user = "daily"
	}
	w("device:\n")
	if user == "weekly" {
		w("  # a weekly user: %s's phone use, but the app is opened only by the timeline, once a week\n", weeklyProfile)
		w("  profile: %s\n", weeklyProfileYAML())
	} else {
		w("  profile: %s   # a daily user (opens the app 2–4 times a day)\n", dailyProfile)
	}
	w("app:\n")
	var startup, later []step
	then := map[string][]step{}
	for _, s := range g.steps {
		if s.platform != "" && !hasPlat(s.platform) {
			continue
		}
		if o.v1 && s.platform != "" && len(plats) > 1 {
			b.WriteString(fmt.Sprintf("  # %s (%s) runs only on %s: not expressible in format v1 for both platforms\n", s.method, s.origin, s.platform))
			continue
		}
		if s.inTask {
			if s.inCase != "" && !o.v1 {
				then[s.inCase] = append(then[s.inCase], s)
				continue
			}
			b.WriteString(fmt.Sprintf("  # %s (%s) is made from inside a task: not simulated\n", s.method, s.origin))
			continue
		}
		if s.startup {
			startup = append(startup, s)
		} else {
			later = append(later, s)
		}
	}
	writeStep := func(indent string, s step, at string) {
		for _, c := range s.comments {
			w("%s# %s\n", indent, c)
		}
		first := "- "
		if at != "" {
			w("%s- at: %s\n", indent, at)
			first = "  "
		}
		if s.platform != "" && !o.v1 && len(plats) > 1 {
			w("%s%splatform: %s\n", indent, first, s.platform)
			first = "  "
		}
		w("%s%scall: %s   # %s\n", indent, first, s.method, s.origin)
		args := s.args
		if s.uniqueNow != "" && !o.v1 {
			args = append([]string{"uniqueName: " + strconv.Quote(s.uniqueNow)}, args[1:]...)
		}
		if s.until != "" && !o.v1 {
			args = append(append([]string(nil), args...), fmt.Sprintf("initialDelay: { until: %q }", s.until))
		}
		if len(args) > 0 {
			w("%s  args: { %s }\n", indent, strings.Join(args, ", "))
		}
	}
	if !o.v1 && len(startup) > 0 {
		w("  on_launch:   # what main() does at every cold start\n")
		for _, s := range startup {
			writeStep("    ", s, "")
		}
	}
	w("  tasks:   # handler behaviour is not known statically: each succeeds in 2s\n")
	for _, t := range g.tasks {
		if len(then[t]) == 0 {
			w("    %s: { duration: 2s, result: success }\n", strconv.Quote(t))
			continue
		}
		w("    %s:\n      duration: 2s\n      result: success\n      then:   # what the handler's case for it calls\n", strconv.Quote(t))
		for _, s := range then[t] {
			writeStep("        ", s, "")
		}
	}
	w("    default: { duration: 2s, result: success }\n")
	w("timeline:\n")
	n := 0
	if o.v1 {
		for _, s := range startup {
			writeStep("  ", s, "0s")
			n++
		}
	}
	for _, s := range later {
		b.WriteString("  # called from a user action or a widget, not at startup: placed 1m after the launch\n")
		writeStep("  ", s, "1m")
		n++
	}
	if user == "weekly" {
		w("  - at: \"09:00\"   # the weekly user opens the app once a week\n    every: 7d\n    app: launch\n")
		w("  - at: \"09:05\"\n    every: 7d\n    app: background\n")
		n++
	}
	if n == 0 {
		w("  []\n")
	}
	w("expect:\n  - no_errors: true\n")
	return b.String()
}

// weeklyProfile is the built-in profile whose phone use a weekly user has;
// the weekly user's profile never opens the app (the timeline does, once a
// week).
const weeklyProfile = "light-user"

// weeklyProfileYAML is that profile as a flow mapping, renamed and with no
// app opens.
func weeklyProfileYAML() string {
	p, ok := device.BuiltinProfile(weeklyProfile)
	if !ok {
		return weeklyProfile
	}
	p.Name = "weekly-user"
	p.Description = weeklyProfile + "'s phone use; opens the app once a week (timeline)"
	p.AppOpens = device.IntRange{}
	b, err := yaml.MarshalWithOptions(p, yaml.Flow(true))
	if err != nil {
		return weeklyProfile
	}
	return strings.TrimSpace(string(b))
}

func flowList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
