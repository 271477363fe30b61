package scan

import _ "embed"

//go:embed schema.json
var schemaJSON []byte

// FormatID identifies the JSON document `wmsim scan --format json` writes.
const FormatID = "wmsim.scan/v1"

// Report is what a scan found: the wmsim.scan/v1 document. Its JSON Schema
// is Schema(); paths are relative to the scanned directory, lines and
// columns 1-based.
type Report struct {
	Format        string         `json:"format"`
	Project       string         `json:"project"`
	Plugin        PluginInfo     `json:"plugin"`
	Registrations []Registration `json:"registrations"`
	// HandledTasks are the task names the callback dispatcher's executeTask
	// handler has a case for, sorted; "*" when it has a default (or does
	// not look at the name).
	HandledTasks []string  `json:"handled_tasks"`
	IOS          IOSFacts  `json:"ios"`
	Findings     []Finding `json:"findings"`
	// Scenario is the generated scenario (format v1.1), YAML text.
	Scenario string `json:"scenario"`

	gen *generator
}

// PluginInfo is the workmanager plugin the project depends on.
type PluginInfo struct {
	// Version is the resolved version of the workmanager package
	// (pubspec.lock), else the constraint in pubspec.yaml, else "".
	Version string `json:"version"`
	// Source is hosted, git, path, sdk or none (no dependency).
	Source string `json:"source"`
	// AndroidVersion and AppleVersion are the resolved versions of the
	// federated platform packages (0.8 and later), when pubspec.lock says.
	AndroidVersion string `json:"android_version,omitempty"`
	AppleVersion   string `json:"apple_version,omitempty"`
	// Profile is the plugin profile of the simulator the version maps to:
	// "0.5" (the original MethodChannel API, before 0.8) or "0.10".
	Profile string `json:"profile"`
}

// Registration is one register* call of the plugin found in the Dart code.
type Registration struct {
	Call     string `json:"call"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Platform string `json:"platform"` // android | ios | both
	// UniqueName and TaskName are the values when known; a dynamic one is
	// the Dart expression as written (and listed in Dynamic).
	UniqueName         string       `json:"unique_name"`
	TaskName           string       `json:"task_name"`
	FrequencyS         *float64     `json:"frequency_s"`
	InitialDelayS      *float64     `json:"initial_delay_s"`
	FlexS              *float64     `json:"flex_s"`
	Constraints        *Constraints `json:"constraints"`
	ExistingWorkPolicy *string      `json:"existing_work_policy"`
	Backoff            *Backoff     `json:"backoff"`
	InputDataKeys      []string     `json:"input_data_keys"`
	// Dynamic lists the fields (by their JSON names) whose value is not
	// known statically.
	Dynamic []string `json:"dynamic"`

	startup   bool    // reached from main() (or a State.initState)
	root      *fnDecl // the entry point it was reached from
	inTask    bool    // made from inside the callback dispatcher
	inCase    string  // … under the switch case for this task name
	tag       string  // Tag as written, when known
	expedited bool
	via       string            // "wrapper at file:line" when reached through a wrapper
	timeOfDay bool              // the initial delay is computed from the time of day
	uniqueNow string            // the unique name with ${now_ms} (format v1.1)
	until     string            // … up to this clock time ("10:00"), when known
	args      map[string]string // scenario args as YAML scalars/flow values
}

// Constraints are the constraints a registration asks for, as written.
type Constraints struct {
	NetworkType           *string `json:"network_type,omitempty"`
	RequiresBatteryNotLow *bool   `json:"requires_battery_not_low,omitempty"`
	RequiresCharging      *bool   `json:"requires_charging,omitempty"`
	RequiresDeviceIdle    *bool   `json:"requires_device_idle,omitempty"`
	RequiresStorageNotLow *bool   `json:"requires_storage_not_low,omitempty"`
}

// Backoff is a registration's backoff policy and delay, as written.
type Backoff struct {
	Policy *string  `json:"policy"`
	DelayS *float64 `json:"delay_s"`
}

// IOSFacts are what the iOS project declares.
type IOSFacts struct {
	// PermittedIdentifiers is BGTaskSchedulerPermittedIdentifiers of
	// ios/Runner/Info.plist; null when the key is absent.
	PermittedIdentifiers []string `json:"permitted_identifiers"`
	// BackgroundModes is UIBackgroundModes; null when absent.
	BackgroundModes []string `json:"background_modes"`
	// AppDelegateRegistrations are the native registrations of
	// AppDelegate.swift / AppDelegate.m.
	AppDelegateRegistrations []NativeRegistration `json:"app_delegate_registrations"`
}

// NativeRegistration is one registration in the AppDelegate.
type NativeRegistration struct {
	// Call is registerBGProcessingTask, registerPeriodicTask,
	// registerBGHealthResearchTask, registerBGContinuedProcessingTask,
	// setMinimumBackgroundFetchInterval or BGTaskScheduler.register.
	Call       string   `json:"call"`
	Identifier string   `json:"identifier,omitempty"`
	FrequencyS *float64 `json:"frequency_s,omitempty"`
	// Interval is the argument of setMinimumBackgroundFetchInterval as
	// written (minimum, never, or seconds).
	Interval string `json:"interval,omitempty"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// Severity of a finding.
type Severity string

// Severities, most severe first.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Finding is one problem the scan found.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
}

// Schema returns the JSON Schema (draft 2020-12) of the wmsim.scan/v1
// document (`wmsim schema --for scan`).
func Schema() []byte { return append([]byte(nil), schemaJSON...) }
