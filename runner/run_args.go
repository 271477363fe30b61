package runner

import (
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/wire"
	"github.com/wmsim/wmsim/scenarios"
)

// callFromArgs turns a scenario `call` step into the same call value a
// channel message decodes to, so both reach the plugin one way. The loader
// has validated the arguments for the method.
func callFromArgs(m scenarios.Method, a *scenarios.Args) *wire.Call {
	if a == nil {
		a = &scenarios.Args{}
	}
	c := &wire.Call{Method: wire.Method(m), WireMethod: string(m)}
	if m == scenarios.MethodGetWorkInfo {
		c.Method = wire.MethodGetWorkInfoByUniqueName
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	c.UniqueName, c.TaskName, c.Tag = str(a.UniqueName), str(a.TaskName), str(a.Tag)
	if a.IsInDebugMode != nil {
		c.IsInDebugMode = *a.IsInDebugMode
	}
	switch m {
	case scenarios.MethodRegisterOneOffTask:
		c.OneOff = &plugin.OneOffOptions{
			InputData:               a.InputData.Data(),
			InitialDelay:            a.InitialDelay,
			Constraints:             constraintsOf(a.Constraints),
			ExistingWorkPolicy:      oneOffPolicy(a.ExistingWorkPolicy),
			BackoffPolicy:           backoffOf(a.BackoffPolicy),
			BackoffPolicyDelay:      a.BackoffPolicyDelay,
			Tag:                     a.Tag,
			OutOfQuotaPolicy:        quotaOf(a.OutOfQuotaPolicy),
			ForegroundServiceConfig: fgsOf(a.ForegroundServiceConfig),
			Expedited:               a.Expedited != nil && *a.Expedited,
		}
	case scenarios.MethodRegisterPeriodicTask:
		c.Periodic = &plugin.PeriodicOptions{
			Frequency:               a.Frequency,
			FlexInterval:            a.FlexInterval,
			InputData:               a.InputData.Data(),
			InitialDelay:            a.InitialDelay,
			Constraints:             constraintsOf(a.Constraints),
			ExistingWorkPolicy:      periodicPolicy(a.ExistingWorkPolicy),
			BackoffPolicy:           backoffOf(a.BackoffPolicy),
			BackoffPolicyDelay:      a.BackoffPolicyDelay,
			Tag:                     a.Tag,
			ForegroundServiceConfig: fgsOf(a.ForegroundServiceConfig),
		}
	case scenarios.MethodRegisterProcessingTask, scenarios.MethodRegisterHealthResearchTask:
		c.Processing = &plugin.ProcessingOptions{
			InitialDelay: a.InitialDelay,
			InputData:    a.InputData.Data(),
			Constraints:  constraintsOf(a.Constraints),
		}
	case scenarios.MethodRegisterContinuedProcessingTask:
		c.ContinuedProcessing = &plugin.ContinuedProcessingOptions{
			Title:     str(a.Title),
			Subtitle:  str(a.Subtitle),
			InputData: a.InputData.Data(),
		}
	}
	return c
}

func constraintsOf(c *scenarios.Constraints) *plugin.Constraints {
	if c == nil {
		return nil
	}
	out := &plugin.Constraints{
		RequiresBatteryNotLow: c.RequiresBatteryNotLow,
		RequiresCharging:      c.RequiresCharging,
		RequiresDeviceIdle:    c.RequiresDeviceIdle,
		RequiresStorageNotLow: c.RequiresStorageNotLow,
	}
	if c.NetworkType != nil {
		nt := networkTypes[*c.NetworkType]
		out.NetworkType = &nt
	}
	for _, t := range c.ContentURITriggers {
		out.ContentURITriggers = append(out.ContentURITriggers, plugin.ContentURITrigger{URI: t.URI, TriggerForDescendants: t.TriggerForDescendants})
	}
	return out
}

var networkTypes = map[scenarios.NetworkType]plugin.NetworkType{
	scenarios.NetworkConnected:            plugin.NetworkConnected,
	scenarios.NetworkMetered:              plugin.NetworkMetered,
	scenarios.NetworkNotRequired:          plugin.NetworkNotRequired,
	scenarios.NetworkNotRoaming:           plugin.NetworkNotRoaming,
	scenarios.NetworkUnmetered:            plugin.NetworkUnmetered,
	scenarios.NetworkTemporarilyUnmetered: plugin.NetworkTemporarilyUnmetered,
}

func oneOffPolicy(p *scenarios.ExistingWorkPolicy) *plugin.ExistingWorkPolicy {
	if p == nil {
		return nil
	}
	v := map[scenarios.ExistingWorkPolicy]plugin.ExistingWorkPolicy{
		scenarios.PolicyAppend: plugin.ExistingAppend, scenarios.PolicyKeep: plugin.ExistingKeep,
		scenarios.PolicyReplace: plugin.ExistingReplace, scenarios.PolicyUpdate: plugin.ExistingUpdate,
	}[*p]
	return &v
}

// periodicPolicy maps the Dart name onto ExistingPeriodicWorkPolicy. The
// loader rejects append for periodic work (the Dart enum has no such value).
func periodicPolicy(p *scenarios.ExistingWorkPolicy) *plugin.ExistingPeriodicWorkPolicy {
	if p == nil {
		return nil
	}
	v, ok := map[scenarios.ExistingWorkPolicy]plugin.ExistingPeriodicWorkPolicy{
		scenarios.PolicyKeep: plugin.PeriodicKeep, scenarios.PolicyReplace: plugin.PeriodicReplace, scenarios.PolicyUpdate: plugin.PeriodicUpdate,
	}[*p]
	if !ok {
		return nil
	}
	return &v
}

func backoffOf(p *scenarios.BackoffPolicy) *plugin.BackoffPolicy {
	if p == nil {
		return nil
	}
	v := plugin.BackoffExponential
	if *p == scenarios.BackoffLinear {
		v = plugin.BackoffLinear
	}
	return &v
}

func quotaOf(p *scenarios.OutOfQuotaPolicy) *plugin.OutOfQuotaPolicy {
	if p == nil {
		return nil
	}
	v := plugin.RunAsNonExpeditedWorkRequest
	if *p == scenarios.DropWorkRequest {
		v = plugin.DropWorkRequest
	}
	return &v
}

// fgsOf fills the Dart defaults of ForegroundServiceConfig
// (workmanager_impl.dart) for fields the scenario leaves out.
func fgsOf(f *scenarios.ForegroundServiceConfig) *plugin.ForegroundServiceConfig {
	if f == nil {
		return nil
	}
	or := func(p *string, def string) string {
		if p == nil {
			return def
		}
		return *p
	}
	out := &plugin.ForegroundServiceConfig{
		NotificationTitle:       or(f.NotificationTitle, "Task in progress"),
		NotificationText:        or(f.NotificationText, "Your task is still running"),
		NotificationChannelID:   or(f.NotificationChannelID, "workmanager_foreground_tasks"),
		NotificationChannelName: or(f.NotificationChannelName, "Long-running tasks"),
	}
	if f.NotificationID != nil {
		out.NotificationID = int(*f.NotificationID)
	}
	if f.ForegroundServiceType != nil && *f.ForegroundServiceType == scenarios.ForegroundShortService {
		out.ForegroundServiceType = 1
	}
	return out
}
