package ios

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Config is the app's iOS setup: the OS version, the Settings switch, the
// Info.plist keys and what the AppDelegate does at every launch.
type Config struct {
	Version              int           // 13..26; 0 → 17
	BackgroundAppRefresh bool          // the Settings switch (global and per app)
	PermittedIdentifiers []string      // Info.plist BGTaskSchedulerPermittedIdentifiers
	BackgroundModes      []string      // Info.plist UIBackgroundModes: "fetch", "processing"
	LaunchHandlers       []string      // identifiers the AppDelegate registers at every launch
	FetchInterval        time.Duration // setMinimumBackgroundFetchInterval: FetchNever (default), FetchMinimum, or a duration
	Heuristics           string        // "optimistic" | "typical" (default) | "pessimistic"
	RefreshBudget        time.Duration // 0 → 30 s
}

// Legacy background fetch intervals (UIApplication.backgroundFetchIntervalNever
// and backgroundFetchIntervalMinimum).
const (
	FetchNever   time.Duration = -1
	FetchMinimum time.Duration = 0
)

// DefaultConfig is iOS 17 with Background App Refresh on, the typical
// heuristics and no legacy fetch interval (the system default, "never").
func DefaultConfig() Config {
	return Config{Version: DefaultVersion, BackgroundAppRefresh: true, FetchInterval: FetchNever, Heuristics: HeuristicsTypical}
}

// TaskRequest is a BGTaskRequest as the app submits it.
type TaskRequest struct {
	Identifier            string
	Kind                  osscheduler.Kind // Periodic (BGAppRefreshTaskRequest), Processing, HealthResearch, ContinuedProcessing
	EarliestBegin         time.Time        // zero: none; a lower bound only
	RequiresNetwork       bool             // processing
	RequiresExternalPower bool             // processing
	Title, Subtitle       string           // continued processing
	UniqueName, TaskName  string           // for reports (the plugin's names)
	Input                 osscheduler.Data // delivered with the run
}

// Validate reports a configuration the model cannot run: an iOS version it does
// not model, an unknown heuristics set, or a negative budget.
func (c Config) Validate() error {
	if _, err := ProfileFor(c.Version); err != nil {
		return err
	}
	if _, err := ParamsFor(c.Heuristics); err != nil {
		return err
	}
	if c.RefreshBudget < 0 {
		return fmt.Errorf("ios refresh budget %s is negative", c.RefreshBudget)
	}
	if c.FetchInterval < FetchNever {
		return fmt.Errorf("ios fetch interval %s is not valid: use -1 (never), 0 (minimum) or a duration", c.FetchInterval)
	}
	return nil
}
