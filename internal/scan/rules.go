package scan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Rule describes one rule: its stable id, default severity and docs.
type Rule struct {
	ID       string
	Severity Severity
	Summary  string
}

// Rules lists every rule a scan applies, in docs/scan.md's order.
var Rules = []Rule{
	{"frequency-below-minimum", SeverityWarning, "a periodic task asks for less than WorkManager's 15-minute minimum"},
	{"flex-out-of-range", SeverityWarning, "a periodic task's flex interval is below 5 minutes or above its period"},
	{"dispatcher-not-entry-point", SeverityError, "the callback dispatcher lacks @pragma('vm:entry-point')"},
	{"dispatcher-not-top-level", SeverityError, "initialize is given a closure or an instance method"},
	{"initialize-missing", SeverityError, "tasks are registered but initialize is never called"},
	{"ios-not-configured", SeverityError, "BGTaskScheduler calls reach iOS but Info.plist declares no permitted identifiers"},
	{"ios-identifier-not-permitted", SeverityError, "an identifier registered on iOS is missing from BGTaskSchedulerPermittedIdentifiers"},
	{"background-mode-missing", SeverityError, "UIBackgroundModes lacks fetch (refresh tasks) or processing (processing tasks)"},
	{"fetch-interval-ignored", SeverityWarning, "setMinimumBackgroundFetchInterval has no effect once permitted identifiers exist"},
	{"unsupported-on-platform-version", SeverityError, "a call the plugin rejects on a platform, or in the resolved version"},
	{"example-identifier-copied", SeverityWarning, "an identifier copied from the plugin's example app"},
	{"task-not-handled", SeverityWarning, "a registered task name the dispatcher has no case and no default for"},
	{"exact-time-on-workmanager", SeverityWarning, "work that must run at a time of day (alarms, prayer times) scheduled on WorkManager/BGTaskScheduler"},
	{"expedited-permission-missing", SeverityError, "expedited work without the FOREGROUND_SERVICE_SHORT_SERVICE permission"},
	{"workmanager-initializer-removed", SeverityWarning, "AndroidManifest.xml removes WorkManager's default initializer"},
	{"task-replaces-itself", SeverityWarning, "a task re-registers its own unique name with REPLACE and so cancels itself"},
	{"register-before-initialize", SeverityWarning, "main() registers a task before it calls initialize"},
	{"static-api", SeverityInfo, "0.2's static API (Workmanager.initialize): removed in 0.3"},
	{"dynamic-value", SeverityInfo, "a registration value not known statically; the scenario uses a default"},
	{"dispatcher-unresolved", SeverityInfo, "the task names the dispatcher handles could not be read"},
	{"parse-error", SeverityInfo, "syntax the Dart grammar does not accept"},
	{"file-not-utf8", SeverityInfo, "a Dart file that is not UTF-8"},
	{"file-too-large", SeverityInfo, "a file over the size limit, not analysed"},
	{"symlink-loop", SeverityInfo, "a directory reached twice through symbolic links"},
	{"unreadable-file", SeverityInfo, "a file that could not be read"},
	{"parser-unavailable", SeverityInfo, "a build of wmsim without cgo cannot parse Dart"},
	{"analysis-budget-exhausted", SeverityInfo, "the Dart analysis stopped at its step budget"},
}

func severityOf(rule string) Severity {
	for _, r := range Rules {
		if r.ID == rule {
			return r.Severity
		}
	}
	return SeverityInfo
}

// Platform minimums, from their sources:
const (
	// androidx.work PeriodicWorkRequest.MIN_PERIODIC_INTERVAL_MILLIS (15 min).
	minPeriodicIntervalS = 15 * 60
	// androidx.work PeriodicWorkRequest.MIN_PERIODIC_FLEX_MILLIS (5 min).
	minPeriodicFlexS = 5 * 60
)

// exampleIdentifiers are the identifiers of the plugin's example app
// (fluttercommunity/flutter_workmanager example/lib/main.dart and
// constants.dart; the iOS ids of example/ios/Runner/Info.plist and
// AppDelegate.swift) and README.
var exampleIdentifiers = []string{
	"simpleTask", "rescheduledTask", "failedTask", "simpleDelayedTask", "simplePeriodicTask",
	"simplePeriodic1HourTask", "task-identifier",
}

var examplePrefixes = []string{"be.tramckrijte.workmanagerExample.", "dev.fluttercommunity.workmanagerExample."}

func isExampleID(s string) bool {
	if slices.Contains(exampleIdentifiers, s) {
		return true
	}
	for _, p := range examplePrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// exactTimeWords mark work that must happen at a time of day.
var exactTimeWords = []string{"alarm", "prayer", "salah", "salat", "azan", "adhan", "reminder", "wakeup", "wake_up"}

// bgTaskCall reports whether a registration is a BGTaskScheduler task on
// iOS (WorkmanagerPlugin.swift: periodic → BGAppRefreshTaskRequest,
// processing/health → BGProcessingTaskRequest, continued →
// BGContinuedProcessingTaskRequest); one-off tasks are not.
func bgTaskCall(call string) bool {
	return call == "registerPeriodicTask" || call == "registerProcessingTask" ||
		call == "registerHealthResearchTask" || call == "registerContinuedProcessingTask"
}

func reachesIOS(platform string) bool     { return platform != "android" }
func reachesAndroid(platform string) bool { return platform != "ios" }

// permitted reports whether id is permitted by the list (a trailing ".*"
// entry is a wildcard prefix, as for continued-processing ids).
func permitted(list []string, id string) bool {
	for _, p := range list {
		if p == id || strings.HasSuffix(p, ".*") && strings.HasPrefix(id, strings.TrimSuffix(p, "*")) {
			return true
		}
	}
	return false
}

// versionAtLeast reports whether a resolved version is at least min; an
// unknown version counts as today's.
func versionAtLeast(v, min string) bool {
	sv, err := semver.NewVersion(strings.TrimLeft(v, "^>=~ "))
	if err != nil {
		return true
	}
	return !sv.LessThan(semver.MustParse(min))
}

// check applies the rules.
func check(p *project, d *dartFacts) []Finding {
	var out []Finding
	add := func(rule, file string, line, col int, msg, fix string) {
		out = append(out, Finding{Rule: rule, Severity: severityOf(rule), File: file, Line: line, Column: col, Message: msg, Fix: fix})
	}
	targetsIOS := p.hasIOS
	targetsAndroid := p.hasAndroid || !p.hasIOS
	var permittedIDs []string
	hasPermitted := p.plist != nil && p.plist.hasPermitted
	if hasPermitted {
		permittedIDs = p.plist.Permitted
	}
	modes := map[string]bool{}
	if p.plist != nil {
		for _, m := range p.plist.Modes {
			modes[m] = true
		}
	}
	plistFile := "ios/Runner/Info.plist"

	if d.staticAPI {
		first := true
		for _, ic := range d.inits {
			if first {
				add("static-api", ic.file, ic.line, ic.col, "Workmanager is used through 0.2's static API; 0.3 replaced it with Workmanager() and 0.5+ code will not compile",
					"call the methods on Workmanager() and upgrade the plugin")
				first = false
			}
		}
	}
	for _, ic := range d.inits {
		switch ic.kind {
		case "function", "static":
			if !ic.dispatcher.entryPoint {
				line, col := pos(ic.dispatcher.sig)
				add("dispatcher-not-entry-point", ic.dispatcher.file.rel, line, col,
					fmt.Sprintf("callback dispatcher %s has no @pragma('vm:entry-point'): release (AOT) builds may tree-shake or rename it, and every background task then fails to start", ic.dispatcher.qualified()),
					"annotate it: @pragma('vm:entry-point') on the line above")
			}
		case "closure", "method":
			add("dispatcher-not-top-level", ic.file, ic.line, ic.col,
				fmt.Sprintf("initialize is given %s (%s): PluginUtilities.getCallbackHandle only resolves top-level and static functions, so initialize throws", map[string]string{"closure": "a closure", "method": "an instance method"}[ic.kind], ic.text),
				"pass a top-level function annotated @pragma('vm:entry-point')")
		}
	}
	if len(d.inits) == 0 && len(d.registrations) > 0 {
		r := d.registrations[0]
		add("initialize-missing", r.File, r.Line, r.Column,
			"tasks are registered but Workmanager().initialize(callbackDispatcher) is never called: registration fails with \"You have not properly initialized the Flutter WorkManager Package\"",
			"call initialize with the callback dispatcher in main() before registering")
	}
	// Startup order: a registration in main() before initialize fails on a
	// fresh install (no callback handle stored yet: WorkmanagerPlugin.kt,
	// WorkmanagerPlugin.swift; issues #491, #208).
	firstInit := map[*fnDecl]int{}
	for _, ic := range d.inits {
		if ic.startup && ic.root != nil {
			if l, ok := firstInit[ic.root]; !ok || ic.line < l {
				firstInit[ic.root] = ic.line
			}
		}
	}
	for _, r := range d.registrations {
		if l, ok := firstInit[r.root]; ok && r.startup && r.Line < l {
			add("register-before-initialize", r.File, r.Line, r.Column,
				fmt.Sprintf("%s is called before initialize (line %d): on a fresh install no callback handle is stored yet and the call fails", r.Call, l),
				"call initialize first, and await it")
			break
		}
	}
	iosBG := false
	for _, r := range d.registrations {
		loc := func(rule, msg, fix string) { add(rule, r.File, r.Line, r.Column, msg+viaNote(r), fix) }
		onAndroid := reachesAndroid(r.Platform) && targetsAndroid
		onIOS := reachesIOS(r.Platform) && targetsIOS
		if r.Call == "registerPeriodicTask" && onAndroid && r.FrequencyS != nil && *r.FrequencyS < minPeriodicIntervalS {
			loc("frequency-below-minimum", fmt.Sprintf("periodic task %q asks for every %s; WorkManager silently runs it at most every 15 minutes", r.UniqueName, fmtSeconds(*r.FrequencyS)),
				"ask for Duration(minutes: 15) or more; for shorter intervals use a foreground service or push messages")
		}
		if r.Call == "registerPeriodicTask" && onAndroid && r.FlexS != nil {
			period := 900.0
			if r.FrequencyS != nil {
				period = max(*r.FrequencyS, minPeriodicIntervalS)
			}
			if *r.FlexS < minPeriodicFlexS || *r.FlexS > period {
				loc("flex-out-of-range", fmt.Sprintf("flexInterval %s is clamped by WorkManager to [5 minutes, the period]", fmtSeconds(*r.FlexS)), "use a flex between 5 minutes and the frequency")
			}
		}
		if onAndroid && (r.Call == "registerProcessingTask" || r.Call == "registerHealthResearchTask" || r.Call == "registerContinuedProcessingTask") {
			loc("unsupported-on-platform-version", fmt.Sprintf("%s throws UnsupportedError on Android (workmanager_android.dart); the call is not guarded by Platform.isIOS", r.Call),
				"wrap it in if (Platform.isIOS) and use registerOneOffTask or registerPeriodicTask on Android")
		}
		if onIOS && r.Call == "registerPeriodicTask" && p.plugin.Profile == "0.5" {
			loc("unsupported-on-platform-version", fmt.Sprintf("workmanager %s has no periodic tasks on iOS (its iOS side answers registerPeriodicTask with unhandledMethod); they came with 0.8", p.plugin.Version),
				"upgrade workmanager, or guard the call with Platform.isAndroid")
		}
		if onIOS && bgTaskCall(r.Call) {
			iosBG = true
			if hasPermitted && !slices.Contains(r.Dynamic, "unique_name") && !permitted(permittedIDs, r.UniqueName) {
				loc("ios-identifier-not-permitted", fmt.Sprintf("%q is registered on iOS but is not in BGTaskSchedulerPermittedIdentifiers of %s: submit fails with BGTaskSchedulerErrorDomain code 3 and the task never runs", r.UniqueName, plistFile),
					fmt.Sprintf("add <string>%s</string> to BGTaskSchedulerPermittedIdentifiers", r.UniqueName))
			}
			if p.plist != nil && hasPermitted {
				need := "fetch"
				if r.Call != "registerPeriodicTask" {
					need = "processing"
				}
				if r.Call != "registerContinuedProcessingTask" && !modes[need] {
					loc("background-mode-missing", fmt.Sprintf("%s on iOS needs UIBackgroundModes %q in %s", r.Call, need, plistFile),
						fmt.Sprintf("add <string>%s</string> to UIBackgroundModes", need))
				}
			}
		}
		if r.Call == "registerOneOffTask" && r.expedited && onAndroid && p.manifest != nil && !p.manifest.permissions["android.permission.FOREGROUND_SERVICE_SHORT_SERVICE"] &&
			p.plugin.Profile == "0.10" && versionAtLeast(orDefault(p.plugin.AndroidVersion, p.plugin.Version), "0.10.2") {
			loc("expedited-permission-missing", "expedited work needs android.permission.FOREGROUND_SERVICE_SHORT_SERVICE (workmanager_android 0.10.2 WorkManagerUtils checks it and throws IllegalStateException)",
				"add <uses-permission android:name=\"android.permission.FOREGROUND_SERVICE_SHORT_SERVICE\"/> to AndroidManifest.xml")
		}
		for _, id := range []string{r.UniqueName, r.TaskName} {
			if isExampleID(id) {
				loc("example-identifier-copied", fmt.Sprintf("%q is an identifier of the plugin's example app", id), "use an identifier of your own app, e.g. your bundle id plus the task's purpose")
				break
			}
		}
		if d.handled.found {
			name, field := r.TaskName, "task_name"
			if onIOS && bgTaskCall(r.Call) {
				// BGTaskScheduler tasks deliver their identifier, the
				// uniqueName (BackgroundWorker.swift), as the task name.
				name, field = r.UniqueName, "unique_name"
			}
			if !slices.Contains(r.Dynamic, field) && !d.handled.handles(name) {
				loc("task-not-handled", fmt.Sprintf("the dispatcher (%s:%d) has no case for %q and no default: the task does nothing (and on Android a null result retries it)", d.handled.file, d.handled.line, name),
					fmt.Sprintf("add case %q (or a default) to the switch in executeTask", name))
			}
		}
		// androidx.work ExistingWorkPolicy.REPLACE: "If there is existing
		// pending (uncompleted) work with the same unique name, cancel and
		// delete it" — the running work included; the plugin maps replace to
		// REPLACE for one-off work (WorkManagerUtils.kt).
		if r.inTask && r.inCase == r.TaskName && r.Call == "registerOneOffTask" && onAndroid &&
			r.ExistingWorkPolicy != nil && *r.ExistingWorkPolicy == "replace" && !slices.Contains(r.Dynamic, "unique_name") {
			loc("task-replaces-itself", fmt.Sprintf("task %q re-registers %q with ExistingWorkPolicy.replace while it runs: when that is the running work's unique name, WorkManager cancels the running work (stop reason CANCELLED_BY_APP) and its result is lost", r.TaskName, r.UniqueName),
				"use ExistingWorkPolicy.append (APPEND_OR_REPLACE), or a new unique name per run")
		}
		lower := strings.ToLower(r.UniqueName + " " + r.TaskName)
		word := ""
		for _, w := range exactTimeWords {
			if strings.Contains(lower, w) {
				word = w
				break
			}
		}
		if r.timeOfDay || word != "" {
			why := "its initial delay is computed from the time of day"
			if !r.timeOfDay {
				why = fmt.Sprintf("its name says %q", word)
			}
			loc("exact-time-on-workmanager", fmt.Sprintf("%q looks like work due at a time of day (%s); WorkManager and BGTaskScheduler defer work by hours in Doze, App Standby and iOS's heuristics", r.UniqueName, why),
				"use exact alarms (AlarmManager.setExactAndAllowWhileIdle via a plugin such as android_alarm_manager_plus) or scheduled local notifications")
		}
		for _, f := range r.Dynamic {
			loc("dynamic-value", fmt.Sprintf("%s of %s is not known statically; the generated scenario uses a default", f, r.Call), "")
		}
	}
	for _, oc := range d.others {
		onAndroid := reachesAndroid(oc.platform) && targetsAndroid
		onIOS := reachesIOS(oc.platform) && targetsIOS
		switch {
		case onIOS && (oc.method == "isScheduledByUniqueName" || oc.method == "cancelByTag"):
			add("unsupported-on-platform-version", oc.file, oc.line, oc.col,
				fmt.Sprintf("%s throws UnsupportedError on iOS (workmanager_apple.dart) and is not guarded by Platform.isAndroid", oc.method),
				"guard it with Platform.isAndroid; on iOS use getWorkInfo or cancelByUniqueName")
		case onAndroid && oc.method == "printScheduledTasks":
			add("unsupported-on-platform-version", oc.file, oc.line, oc.col, "printScheduledTasks throws UnsupportedError on Android (workmanager_android.dart)", "guard it with Platform.isIOS")
		}
	}
	if targetsIOS && iosBG && !hasPermitted {
		file, line, col := plistFile, 1, 1
		if p.plist == nil {
			for _, r := range d.registrations {
				if reachesIOS(r.Platform) && bgTaskCall(r.Call) {
					file, line, col = r.File, r.Line, r.Column
					break
				}
			}
		}
		add("ios-not-configured", file, line, col,
			"BGTaskScheduler tasks are registered on iOS but Info.plist has no BGTaskSchedulerPermittedIdentifiers: every submit fails and no task runs on iOS",
			"add BGTaskSchedulerPermittedIdentifiers (the uniqueNames) and UIBackgroundModes (fetch, processing) to ios/Runner/Info.plist, or guard the calls with Platform.isAndroid")
	}
	for _, nr := range p.ios.AppDelegateRegistrations {
		if nr.Identifier != "" && hasPermitted && !permitted(permittedIDs, nr.Identifier) {
			add("ios-identifier-not-permitted", nr.File, nr.Line, nr.Column,
				fmt.Sprintf("the AppDelegate registers %q, which is not in BGTaskSchedulerPermittedIdentifiers: BGTaskScheduler raises at launch", nr.Identifier),
				fmt.Sprintf("add <string>%s</string> to BGTaskSchedulerPermittedIdentifiers", nr.Identifier))
		}
		if nr.Identifier != "" && isExampleID(nr.Identifier) {
			add("example-identifier-copied", nr.File, nr.Line, nr.Column, fmt.Sprintf("%q is an identifier of the plugin's example app", nr.Identifier), "use an identifier of your own app")
		}
		if nr.Call == "setMinimumBackgroundFetchInterval" && hasPermitted && nr.Interval != "never" {
			add("fetch-interval-ignored", nr.File, nr.Line, nr.Column,
				"setMinimumBackgroundFetchInterval has no effect: Info.plist declares BGTaskSchedulerPermittedIdentifiers, and then iOS never performs background fetch (application(_:performFetchWithCompletionHandler:) is not called)",
				"register a periodic task (BGAppRefreshTask) instead, or remove BGTaskSchedulerPermittedIdentifiers if you rely on fetch")
		}
	}
	if p.plist != nil {
		for _, id := range p.plist.Permitted {
			if isExampleID(id) {
				add("example-identifier-copied", plistFile, 1, 1, fmt.Sprintf("BGTaskSchedulerPermittedIdentifiers lists %q from the plugin's example app", id), "list your app's own identifiers")
			}
		}
	}
	if p.manifest != nil && p.manifest.initializerRemoved {
		add("workmanager-initializer-removed", p.manifest.file, p.manifest.initLine, p.manifest.initCol,
			"the manifest removes WorkManager's default initializer: unless the Application implements Configuration.Provider, WorkManager.getInstance throws and no task is registered",
			"keep the initializer, or implement androidx.work.Configuration.Provider in your Application class")
	}
	if d.handled.found && d.handled.unknown {
		add("dispatcher-unresolved", d.handled.file, d.handled.line, d.handled.col, "the task names the executeTask handler dispatches on could not all be read; task-not-handled is not checked for them", "")
	}
	return out
}

func viaNote(r Registration) string {
	if r.via == "" {
		return ""
	}
	return " (through " + r.via + ")"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func fmtSeconds(s float64) string {
	switch {
	case s >= 60 && int64(s)%60 == 0:
		return fmt.Sprintf("%d minute(s)", int64(s)/60)
	default:
		return fmt.Sprintf("%g second(s)", s)
	}
}

// sortFindings orders findings by file, line, column, rule.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}
