// The checks across fields that decoding one field cannot make: task names,
// times within the duration, platform-specific settings.

package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// checker runs the checks that relate several fields, after decoding.
type checker struct {
	d           *decoder
	s           *Scenario
	o           *object
	stepNodes   []ast.Node
	expectNodes []ast.Node
	androidNode ast.Node
	iosNode     ast.Node
	iosGiven    iosGiven
	durOK       bool
	startOK     bool
}

// argNode returns the node of args.<name> in step i (or the step).
func (c *checker) argNode(i int, name string) (out ast.Node) {
	c.d.quietly(func() { out = c.argNodeLoud(i, name) })
	return out
}

func (c *checker) argNodeLoud(i int, name string) ast.Node {
	d := c.d
	n := c.stepNodes[i]
	es, ok := d.mapping(n, "", "")
	if !ok {
		return n
	}
	for _, e := range es {
		if e.key != "args" {
			continue
		}
		aes, ok := d.mapping(e.val, "", "")
		if !ok {
			return e.keyNode
		}
		for _, ae := range aes {
			if ae.key == name {
				return d.resolve(ae.val, "")
			}
		}
		return e.keyNode
	}
	return n
}

// fieldNode returns the value node of field name in mapping n (or n).
func (c *checker) fieldNode(n ast.Node, names ...string) (out ast.Node) {
	c.d.quietly(func() { out = c.fieldNodeLoud(n, names...) })
	return out
}

func (c *checker) fieldNodeLoud(n ast.Node, names ...string) ast.Node {
	for _, name := range names {
		es, ok := c.d.mapping(n, "", "")
		if !ok {
			return n
		}
		found := false
		for _, e := range es {
			if e.key == name {
				if v := c.d.resolve(e.val, ""); !isNull(v) {
					n = v
				} else {
					n = e.keyNode
				}
				found = true
				break
			}
		}
		if !found {
			return n
		}
	}
	return n
}

func (c *checker) check() {
	s, d := c.s, c.d
	// Platform-specific blocks.
	if c.androidNode != nil && !s.Has(PlatformAndroid) {
		d.errorf(c.androidNode, "android", "add android to platform, or remove the block", "android settings in a scenario that runs only on %s", platformList(s.Platform))
	}
	if c.iosNode != nil && !s.Has(PlatformIOS) {
		d.errorf(c.iosNode, "ios", "add ios to platform, or remove the block", "ios settings in a scenario that runs only on %s", platformList(s.Platform))
	}

	registeredTasks := map[string]bool{}
	registeredUnique := map[string]bool{}
	opaque := false // a Pigeon message whose names we cannot see
	var bgIDs []string
	for i := range s.Timeline {
		st := &s.Timeline[i]
		path := index("timeline", i)
		// at within duration.
		if c.durOK && c.startOK {
			if off := st.At.Offset(s.Start); off > s.Duration {
				atNode := c.fieldNode(c.stepNodes[i], "at")
				what := "at " + tokenText(atNode)
				if raw := tokenText(atNode); st.At.Clock || raw != FormatDuration(off) {
					what += fmt.Sprintf(" (+%s)", FormatDuration(off))
				}
				d.errorf(atNode, path+".at", fmt.Sprintf("at most the duration, %s", FormatDuration(s.Duration)), "%s is after the end of the scenario", what)
			}
		}
		switch st.Action() {
		case ActionCall:
			c.checkCall(st.Call, st.Args, st.Platform, func(name string) ast.Node { return c.argNode(i, name) }, index("timeline", i),
				registeredTasks, registeredUnique, &bgIDs)
		case ActionChannel:
			if st.Channel == nil {
				break
			}
			if st.Channel.Method == "" {
				opaque = true
				break
			}
			if tn, ok := st.Channel.Arguments.Get("taskName"); ok {
				if name, ok := tn.(string); ok {
					registeredTasks[name] = true
				}
			}
			if un, ok := st.Channel.Arguments.Get("uniqueName"); ok {
				if name, ok := un.(string); ok {
					registeredUnique[name] = true
				}
			}
		case ActionApp:
			if st.App != nil && st.App.Kind == AppForceStop && !s.Has(PlatformAndroid) && st.Platform != PlatformAndroid {
				d.errorf(c.fieldNode(c.stepNodes[i], "app"), path+".app", "on iOS use swipe_away (a force-quit)", "force_stop is an Android settings action; this scenario runs only on ios")
			}
		case ActionOS:
			if st.OS != nil && (st.Platform == "" || s.Has(st.Platform)) {
				c.checkOS(i, st.OS, st.Platform)
			}
		}
	}

	// Dart calls of app.on_launch and the tasks' then lists.
	for i := range s.App.OnLaunch {
		dc := &s.App.OnLaunch[i]
		c.checkCall(dc.Call, dc.Args, dc.Platform, c.posNode(dc.Pos), index("app.on_launch", i), registeredTasks, registeredUnique, &bgIDs)
	}
	for _, t := range s.App.Tasks {
		for i := range t.Then {
			dc := &t.Then[i]
			c.checkCall(dc.Call, dc.Args, dc.Platform, c.posNode(dc.Pos), index(join(join("app.tasks", t.Name), "then"), i), registeredTasks, registeredUnique, &bgIDs)
		}
	}

	// iOS defaults that depend on the timeline.
	if !c.iosGiven.permitted {
		s.IOS.PermittedIdentifiers = dedupe(bgIDs)
	}
	if !c.iosGiven.modes {
		s.IOS.BackgroundModes = []BackgroundMode{ModeFetch, ModeProcessing}
	}
	if !c.iosGiven.handlers {
		s.IOS.LaunchHandlers = append([]string{}, s.IOS.PermittedIdentifiers...)
	}

	// Expectations.
	for i := range s.Expect {
		e := &s.Expect[i]
		path := index("expect", i)
		n := c.expectNodes[i]
		if e.Task != "" && !s.App.Tasks.Defines(e.Task) && !registeredTasks[e.Task] &&
			!(e.Task == "iOSPerformFetch" && s.Has(PlatformIOS)) && !opaque {
			msg := fmt.Sprintf("task %s is not defined in app.tasks nor registered by any call", quoteShort(e.Task))
			if sug := suggest(e.Task, append(c.taskNames(), sortedKeys(registeredTasks)...)); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			d.errorf(c.fieldNode(n, "task"), path+".task", c.knownTasks(registeredTasks), "%s", msg)
		}
		if e.Unique != "" && !registeredUnique[e.Unique] && !opaque {
			msg := fmt.Sprintf("no call registers uniqueName %s", quoteShort(e.Unique))
			if sug := suggest(e.Unique, sortedKeys(registeredUnique)); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			d.errorf(c.fieldNode(n, "unique"), path+".unique", "registered uniqueNames: "+orNone(sortedKeys(registeredUnique)), "%s", msg)
		}
		if e.Within != nil {
			if e.Within.To < 0 {
				e.Within.To = s.Duration
			}
			if c.durOK {
				if e.Within.To > s.Duration {
					d.errorf(c.fieldNode(n, "within", "to"), path+".within.to", "at most the duration, "+FormatDuration(s.Duration), "to %s is after the end of the scenario", FormatDuration(e.Within.To))
				}
				if e.Within.From > e.Within.To {
					d.errorf(c.fieldNode(n, "within", "from"), path+".within.from", "from ≤ to ("+FormatDuration(e.Within.To)+")", "from %s is after to", FormatDuration(e.Within.From))
				}
			}
		}
		if c.durOK && e.At != nil && *e.At > s.Duration {
			d.errorf(c.fieldNode(n, "at"), path+".at", "at most the duration, "+FormatDuration(s.Duration), "at %s is after the end of the scenario", FormatDuration(*e.At))
		}
		if c.durOK && e.FirstRunWithin != nil && *e.FirstRunWithin > s.Duration {
			d.errorf(c.fieldNode(n, "first_run_within"), path+".first_run_within", "at most the duration, "+FormatDuration(s.Duration), "%s is longer than the scenario", FormatDuration(*e.FirstRunWithin))
		}
	}
}

// posNode returns a node standing for a position (for entries kept by
// position only).
func (c *checker) posNode(p Pos) func(string) ast.Node {
	return func(string) ast.Node { return posOnly(p) }
}

// checkCall checks task names against app.tasks and collects registrations.
// argNode finds the node of one argument, for positions; path is the
// call's path.
func (c *checker) checkCall(m Method, a *Args, only Platform, argNode func(string) ast.Node, path string, tasks, uniques map[string]bool, bgIDs *[]string) {
	s, d := c.s, c.d
	if a == nil {
		return
	}
	if a.UniqueName != nil && m.registers() {
		uniques[*a.UniqueName] = true
		switch m {
		case MethodRegisterPeriodicTask, MethodRegisterProcessingTask, MethodRegisterHealthResearchTask, MethodRegisterContinuedProcessingTask:
			// A computed identifier (${now_ms}) cannot be listed in the
			// Info.plist, and Android-only calls do not need it.
			if !HasNowMs(*a.UniqueName) && only != PlatformAndroid {
				*bgIDs = append(*bgIDs, *a.UniqueName)
			}
		}
	}
	if a.TaskName == nil || !m.registers() {
		return
	}
	name := *a.TaskName
	tasks[name] = true
	if s.App.Tasks.Defines(name) || s.App.Tasks.HasDefault() {
		return
	}
	// On iOS a BGTaskScheduler task delivers its uniqueName.
	if s.Has(PlatformIOS) && m != MethodRegisterOneOffTask && a.UniqueName != nil && s.App.Tasks.Defines(*a.UniqueName) {
		return
	}
	msg := fmt.Sprintf("task %s is not defined in app.tasks", quoteShort(name))
	if sug := suggest(name, c.taskNames()); sug != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sug)
	}
	d.errorf(argNode("taskName"), path+".args.taskName", c.definedTasks(), "%s", msg)
}

// osPlatform says which platform each os setting belongs to.
var osPlatform = map[string]Platform{
	"doze": PlatformAndroid, "standby_bucket": PlatformAndroid, "battery_saver": PlatformAndroid,
	"run_job": PlatformAndroid, "force": PlatformAndroid,
	"low_power_mode": PlatformIOS, "background_app_refresh": PlatformIOS, "fetch_interval": PlatformIOS,
}

// checkOS rejects settings of a platform the scenario does not run on.
func (c *checker) checkOS(i int, o *OSChange, only Platform) {
	set := map[string]bool{
		"doze": o.Doze != nil, "standby_bucket": o.StandbyBucket != nil, "battery_saver": o.BatterySaver != nil,
		"low_power_mode": o.LowPowerMode != nil, "background_app_refresh": o.BackgroundAppRefresh != nil,
		"fetch_interval": o.FetchInterval != nil, "run_job": o.RunJob != "", "force": o.Force != nil,
	}
	for _, f := range osFields {
		if !set[f] {
			continue
		}
		if only != "" && osPlatform[f] != only {
			c.d.errorf(c.fieldNode(c.stepNodes[i], "os", f), index("timeline", i)+".os."+f, "move it to a step without platform, or one for "+string(osPlatform[f]),
				"%s is an %s setting; this step happens only on %s", f, osPlatform[f], only)
			continue
		}
		if c.s.Has(osPlatform[f]) {
			continue
		}
		p := osPlatform[f]
		var valid string
		if p == PlatformAndroid {
			valid = "android settings: doze, standby_bucket, battery_saver, run_job; add android to platform"
		} else {
			valid = "ios settings: low_power_mode, background_app_refresh, fetch_interval; add ios to platform"
		}
		c.d.errorf(c.fieldNode(c.stepNodes[i], "os", f), index("timeline", i)+".os."+f, valid,
			"%s is an %s setting; this scenario runs only on %s", f, p, platformList(c.s.Platform))
	}
}

// taskNames lists app.tasks names other than default.
func (c *checker) taskNames() []string {
	var out []string
	for _, t := range c.s.App.Tasks {
		if t.Name != DefaultTask {
			out = append(out, t.Name)
		}
	}
	return out
}

// definedTasks describes app.tasks for an error message.
func (c *checker) definedTasks() string {
	var names []string
	for _, t := range c.s.App.Tasks {
		names = append(names, t.Name)
	}
	if len(names) == 0 {
		return "app.tasks defines no tasks; add app: {tasks: {NAME: {duration: 1s, result: success}}} or a default entry"
	}
	return "defined: " + strings.Join(names, ", ") + "; or add a default entry to app.tasks"
}

// knownTasks lists task names an expectation may select.
func (c *checker) knownTasks(registered map[string]bool) string {
	set := map[string]bool{}
	for _, t := range c.s.App.Tasks {
		if t.Name != DefaultTask {
			set[t.Name] = true
		}
	}
	for k := range registered {
		set[k] = true
	}
	return "known tasks: " + orNone(sortedKeys(set))
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func platformList(ps Platforms) string {
	var out []string
	for _, p := range ps {
		out = append(out, string(p))
	}
	return strings.Join(out, " and ")
}

func dedupe(xs []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
