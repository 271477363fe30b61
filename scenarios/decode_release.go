// Decoding of the plugin release and the release-dependent app and OS
// debugging options.

package scenarios

import (
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/wmsim/wmsim/internal/plugin"
)

// The plugin block (release, platform-package pins and the plugin's build
// switches), the app's lifecycle options and the os debugger steps.

// pluginFields are the keys of the plugin block.
var pluginFields = []string{"version", "android", "apple", "debug", "data_sync_foreground_service",
	"strip_short_service_permission", "on_stopped_bug_732"}

var debugEnum = enumSpec{values: []string{"none", "logging", "notification"}}

// pluginBlock decodes the plugin block into p and resolves the release.
func (d *decoder) pluginBlock(n ast.Node, path string, p *Plugin) {
	po := d.object(n, path, pluginFields...)
	if po == nil {
		return
	}
	var verNode ast.Node
	verPath := po.at("version")
	if v := po.get("version"); v != nil {
		verNode = v
		p.Version = d.releaseText(v, po.at("version"))
	}
	pins := []struct {
		key string
		dst *string
	}{{"android", &p.Android}, {"apple", &p.Apple}}
	for _, pin := range pins {
		if v := po.get(pin.key); v != nil {
			*pin.dst = string(d.releaseText(v, po.at(pin.key)))
			verNode, verPath = v, po.at(pin.key)
		}
	}
	if v := po.get("debug"); v != nil {
		if x, ok := d.enum(v, po.at("debug"), debugEnum); ok && x != "none" {
			p.Debug = x
		}
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{{"data_sync_foreground_service", &p.DataSyncForegroundService}, {"strip_short_service_permission", &p.StripShortServicePermission},
		{"on_stopped_bug_732", &p.OnStoppedBug732}} {
		if v := po.get(f.key); v != nil {
			*f.dst, _ = d.boolean(v, po.at(f.key))
		}
	}
	if verNode == nil {
		return
	}
	if _, err := plugin.ResolveRelease(string(p.Version), p.Android, p.Apple); err != nil {
		d.errorf(verNode, verPath, `a minor "0.2" … "0.10" (its latest release) or a release such as "0.5.2", "0.9.0+3", "0.10.10"; platform pins from 0.8 within the release's range`, "%s", err.Error())
		p.Version, p.Android, p.Apple = Plugin0_10, "", ""
	}
}

// releaseText reads a version: a string, or an unquoted number (YAML reads
// 0.10 as a float) by its source text.
func (d *decoder) releaseText(n ast.Node, path string) PluginVersion {
	n = d.resolve(n, path)
	switch n.(type) {
	case *ast.FloatNode, *ast.IntegerNode:
		return PluginVersion(tokenText(n))
	}
	s, ok := d.str(n, path)
	if !ok {
		return Plugin0_10
	}
	return PluginVersion(strings.TrimSpace(s))
}

// legacyAPI reports whether pv's Dart API is the original one (before 0.6:
// no processing tasks, isScheduledByUniqueName, printScheduledTasks,
// getWorkInfo, flexInterval, foreground service, expedited or content-URI
// triggers): its calls are checked against methods05.
func legacyAPI(pv PluginVersion) bool {
	r, err := plugin.ResolveRelease(string(pv), "", "")
	return err == nil && !r.Caps.IsScheduled
}

// appOptionFields are the app block's lifecycle options.
var appOptionFields = []string{"scene_app", "dispatcher_entry_point"}

// appOptions decodes the app block's lifecycle options.
func (d *decoder) appOptions(ao *object, a *App) {
	if v := ao.get("scene_app"); v != nil {
		a.SceneApp, _ = d.boolean(v, ao.at("scene_app"))
	}
	if v := ao.get("dispatcher_entry_point"); v != nil {
		if x, ok := d.boolean(v, ao.at("dispatcher_entry_point")); ok {
			a.DispatcherEntryPoint = &x
		}
	}
}

// osDebuggerFields are the LLDB commands of "Starting and Terminating Tasks
// During Development".
var osDebuggerFields = []string{"simulate_launch", "simulate_expiration"}

func (d *decoder) osDebugger(o *object, c *OSChange) {
	for _, f := range []struct {
		key string
		dst **string
	}{{"simulate_launch", &c.SimulateLaunch}, {"simulate_expiration", &c.SimulateExpiration}} {
		if v := o.get(f.key); v != nil {
			if s, ok := d.str(v, o.at(f.key)); ok {
				if strings.TrimSpace(s) == "" {
					d.errorf(v, o.at(f.key), "a BGTaskScheduler identifier (the task's uniqueName)", "%s needs an identifier", f.key)
					continue
				}
				*f.dst = &s
			}
		}
	}
}
