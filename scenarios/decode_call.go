// Decoding of `call` steps: each plugin method's arguments per release, as
// a table of method specifications.

package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// methodSpec is what a Dart method accepts in one plugin version.
type methodSpec struct {
	args     []string // accepted argument names, in Dart order
	required []string // required (positional) arguments
}

// methods10 are the Dart methods of today's plugin (0.10) and their
// parameters (workmanager/lib/src/workmanager_impl.dart).
var methods10 = map[Method]methodSpec{
	MethodInitialize: {args: []string{"isInDebugMode"}},
	MethodRegisterOneOffTask: {args: []string{"uniqueName", "taskName", "inputData", "initialDelay", "constraints",
		"existingWorkPolicy", "backoffPolicy", "backoffPolicyDelay", "tag", "outOfQuotaPolicy",
		"foregroundServiceConfig", "expedited"}, required: []string{"uniqueName", "taskName"}},
	MethodRegisterPeriodicTask: {args: []string{"uniqueName", "taskName", "frequency", "flexInterval", "inputData",
		"initialDelay", "constraints", "existingWorkPolicy", "backoffPolicy", "backoffPolicyDelay", "tag",
		"foregroundServiceConfig"}, required: []string{"uniqueName", "taskName"}},
	MethodRegisterProcessingTask: {args: []string{"uniqueName", "taskName", "initialDelay", "inputData", "constraints"},
		required: []string{"uniqueName", "taskName"}},
	MethodRegisterHealthResearchTask: {args: []string{"uniqueName", "taskName", "initialDelay", "inputData", "constraints"},
		required: []string{"uniqueName", "taskName"}},
	MethodRegisterContinuedProcessingTask: {args: []string{"uniqueName", "taskName", "title", "subtitle", "inputData"},
		required: []string{"uniqueName", "taskName"}},
	MethodCancelByUniqueName:      {args: []string{"uniqueName"}, required: []string{"uniqueName"}},
	MethodCancelByTag:             {args: []string{"tag"}, required: []string{"tag"}},
	MethodCancelAll:               {},
	MethodIsScheduledByUniqueName: {args: []string{"uniqueName"}, required: []string{"uniqueName"}},
	MethodPrintScheduledTasks:     {},
	MethodGetWorkInfo:             {args: []string{"uniqueName"}, required: []string{"uniqueName"}},
}

// methods05 are the Dart methods of the original plugin API (0.5.x,
// lib/src/workmanager.dart at tag 0.5.1): no processing tasks, no
// isScheduledByUniqueName / printScheduledTasks / getWorkInfo, no flex
// interval, foreground service, expedited or content-URI triggers.
var methods05 = map[Method]methodSpec{
	MethodInitialize: {args: []string{"isInDebugMode"}},
	MethodRegisterOneOffTask: {args: []string{"uniqueName", "taskName", "tag", "existingWorkPolicy", "initialDelay",
		"constraints", "backoffPolicy", "backoffPolicyDelay", "outOfQuotaPolicy", "inputData"},
		required: []string{"uniqueName", "taskName"}},
	MethodRegisterPeriodicTask: {args: []string{"uniqueName", "taskName", "frequency", "tag", "existingWorkPolicy",
		"initialDelay", "constraints", "backoffPolicy", "backoffPolicyDelay", "outOfQuotaPolicy", "inputData"},
		required: []string{"uniqueName", "taskName"}},
	MethodCancelByUniqueName: {args: []string{"uniqueName"}, required: []string{"uniqueName"}},
	MethodCancelByTag:        {args: []string{"tag"}, required: []string{"tag"}},
	MethodCancelAll:          {},
}

// allMethods lists every method name in a stable order.
var allMethods = []string{"initialize", "registerOneOffTask", "registerPeriodicTask", "registerProcessingTask",
	"registerHealthResearchTask", "registerContinuedProcessingTask", "cancelByUniqueName", "cancelByTag",
	"cancelAll", "isScheduledByUniqueName", "printScheduledTasks", "getWorkInfo"}

var allMethodsEnum = enumSpec{values: allMethods}

func methodsFor(pv PluginVersion) map[Method]methodSpec {
	if legacyAPI(pv) {
		return methods05
	}
	return methods10
}

// registers reports whether m registers a task.
func (m Method) registers() bool {
	switch m {
	case MethodRegisterOneOffTask, MethodRegisterPeriodicTask, MethodRegisterProcessingTask,
		MethodRegisterHealthResearchTask, MethodRegisterContinuedProcessingTask:
		return true
	}
	return false
}

// call decodes a step's call and args.
func (d *decoder) call(o *object, pv PluginVersion) (Method, *Args) {
	table := methodsFor(pv)
	names := make([]string, 0, len(table))
	for _, m := range allMethods {
		if _, ok := table[Method(m)]; ok {
			names = append(names, m)
		}
	}
	spec := enumSpec{values: names}
	v := o.get("call")
	if v == nil {
		d.errorf(o.keyNode("call"), o.at("call"), spec.valid(), "call needs a method name")
		return "", nil
	}
	s, isStr := scalarText(v)
	if isStr {
		if _, known := methods10[Method(s)]; known && legacyAPI(pv) {
			if _, ok := table[Method(s)]; !ok {
				d.errorf(v, o.at("call"), "plugin "+string(pv)+" methods: "+strings.Join(names, ", ")+`; or use plugin: {version: "0.10"}`, "%s does not exist in plugin %s", s, pv)
				return "", nil
			}
		}
	}
	name, ok := d.enum(v, o.at("call"), spec)
	if !ok {
		return "", nil
	}
	m := Method(name)
	ms := table[m]
	args := &Args{}
	path := o.at("args")
	an := o.get("args")
	if an == nil {
		for _, r := range ms.required {
			d.errorf(o.keyNode("call"), join(path, r), fmt.Sprintf("add args: {%s: ...}", strings.Join(ms.required, ": ..., ")), "%s needs %s", m, r)
		}
		return m, args
	}
	es, ok := d.mapping(an, path, "the Dart named parameters of "+name)
	if !ok {
		return m, args
	}
	given := map[string]bool{}
	for _, e := range es {
		p := join(path, e.key)
		if !contains(ms.args, e.key) {
			valid := "no arguments"
			if len(ms.args) > 0 {
				valid = "valid: " + strings.Join(ms.args, ", ")
			}
			msg := fmt.Sprintf("%s has no argument %q", m, e.key)
			if other := otherMethodWith(table, e.key); other != "" {
				msg += fmt.Sprintf(" (it is an argument of %s)", other)
			} else if sug := suggest(e.key, ms.args); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			} else if legacyAPI(pv) && otherMethodWith(methods10, e.key) != "" {
				msg += " in plugin 0.5"
			}
			d.errorf(e.keyNode, p, valid, "%s", msg)
			continue
		}
		val := d.resolve(e.val, p)
		if isNull(val) {
			// Dart null: the default applies.
			if contains(ms.required, e.key) {
				d.errorf(e.keyNode, p, "a string", "%s must not be null", e.key)
			}
			continue
		}
		given[e.key] = true
		d.arg(m, pv, args, e.key, val, p)
	}
	for _, r := range ms.required {
		if !given[r] && !hasKey(es, r) {
			d.errorf(an, join(path, r), "add "+r+": ...", "%s needs %s", m, r)
		}
	}
	return m, args
}

func hasKey(es []entry, k string) bool {
	for _, e := range es {
		if e.key == k {
			return true
		}
	}
	return false
}

// otherMethodWith names another method that takes arg, for hints.
func otherMethodWith(table map[Method]methodSpec, arg string) string {
	for _, m := range allMethods {
		if ms, ok := table[Method(m)]; ok && contains(ms.args, arg) {
			return m
		}
	}
	return ""
}

// arg decodes one argument into args.
func (d *decoder) arg(m Method, pv PluginVersion, a *Args, name string, n ast.Node, p string) {
	switch name {
	case "isInDebugMode":
		if x, ok := d.boolean(n, p); ok {
			a.IsInDebugMode = &x
		}
	case "expedited":
		if x, ok := d.boolean(n, p); ok {
			a.Expedited = &x
		}
	case "uniqueName", "taskName", "tag", "title", "subtitle":
		str := d.str
		if name == "uniqueName" || name == "taskName" || name == "tag" {
			str = d.name
		}
		x, ok := str(n, p)
		if !ok {
			return
		}
		switch name {
		case "uniqueName":
			a.UniqueName = &x
		case "taskName":
			a.TaskName = &x
		case "tag":
			a.Tag = &x
		case "title":
			a.Title = &x
		case "subtitle":
			a.Subtitle = &x
		}
	case "frequency", "flexInterval", "initialDelay", "backoffPolicyDelay":
		if _, fixed := d.durationArg(a, name, n, p); !fixed {
			return
		}
		x, ok := d.duration(n, p)
		if !ok {
			return
		}
		switch name {
		case "frequency":
			a.Frequency = &x
		case "flexInterval":
			a.FlexInterval = &x
		case "initialDelay":
			a.InitialDelay = &x
		case "backoffPolicyDelay":
			a.BackoffPolicyDelay = &x
		}
	case "inputData":
		a.InputData = d.valueMap(n, p, "inputData", 0)
	case "constraints":
		a.Constraints = d.constraints(n, p, pv)
	case "existingWorkPolicy":
		spec := existingWorkEnum
		if m == MethodRegisterPeriodicTask && !legacyAPI(pv) {
			// registerPeriodicTask takes ExistingPeriodicWorkPolicy.
			spec = existingPeriodicEnum
			if s, _ := scalarText(n); s == "append" {
				d.errorf(n, p, spec.valid()+" (ExistingPeriodicWorkPolicy has no append)", "registerPeriodicTask does not accept append")
				return
			}
		}
		if x, ok := d.enum(n, p, spec); ok {
			a.ExistingWorkPolicy = ptr(ExistingWorkPolicy(x))
		}
	case "backoffPolicy":
		if x, ok := d.enum(n, p, backoffEnum); ok {
			a.BackoffPolicy = ptr(BackoffPolicy(x))
		}
	case "outOfQuotaPolicy":
		if x, ok := d.enum(n, p, outOfQuotaEnum); ok {
			a.OutOfQuotaPolicy = ptr(OutOfQuotaPolicy(x))
		}
	case "foregroundServiceConfig":
		a.ForegroundServiceConfig = d.foregroundServiceConfig(n, p)
	}
}

// constraints decodes the Dart Constraints class.
func (d *decoder) constraints(n ast.Node, path string, pv PluginVersion) *Constraints {
	fields := []string{"networkType", "requiresBatteryNotLow", "requiresCharging", "requiresDeviceIdle",
		"requiresStorageNotLow", "contentUriTriggers"}
	if legacyAPI(pv) {
		fields = fields[:5]
	}
	o := d.object(n, path, fields...)
	if o == nil {
		return nil
	}
	c := &Constraints{}
	if v := o.get("networkType"); v != nil {
		if x, ok := d.enum(v, o.at("networkType"), networkTypeEnum); ok {
			c.NetworkType = ptr(NetworkType(x))
		}
	}
	for _, f := range []struct {
		name string
		dst  **bool
	}{{"requiresBatteryNotLow", &c.RequiresBatteryNotLow}, {"requiresCharging", &c.RequiresCharging},
		{"requiresDeviceIdle", &c.RequiresDeviceIdle}, {"requiresStorageNotLow", &c.RequiresStorageNotLow}} {
		if v := o.get(f.name); v != nil {
			if x, ok := d.boolean(v, o.at(f.name)); ok {
				*f.dst = &x
			}
		}
	}
	if o.has("contentUriTriggers") {
		c.ContentURITriggers = []ContentURITrigger{}
		items, _ := d.list(o.get("contentUriTriggers"), o.at("contentUriTriggers"), "a list of {uri, triggerForDescendants}")
		for i, it := range items {
			p := index(o.at("contentUriTriggers"), i)
			to := d.object(it, p, "uri", "triggerForDescendants")
			if to == nil {
				continue
			}
			var t ContentURITrigger
			if v := to.require("uri", "a content URI such as content://media/external/images"); v != nil {
				t.URI, _ = d.str(v, to.at("uri"))
			}
			if v := to.get("triggerForDescendants"); v != nil {
				t.TriggerForDescendants, _ = d.boolean(v, to.at("triggerForDescendants"))
			}
			c.ContentURITriggers = append(c.ContentURITriggers, t)
		}
	}
	return c
}

// foregroundServiceConfig decodes the Dart ForegroundServiceConfig class.
func (d *decoder) foregroundServiceConfig(n ast.Node, path string) *ForegroundServiceConfig {
	o := d.object(n, path, "notificationTitle", "notificationText", "notificationChannelId",
		"notificationChannelName", "notificationId", "foregroundServiceType")
	if o == nil {
		return nil
	}
	f := &ForegroundServiceConfig{}
	for _, s := range []struct {
		name string
		dst  **string
	}{{"notificationTitle", &f.NotificationTitle}, {"notificationText", &f.NotificationText},
		{"notificationChannelId", &f.NotificationChannelID}, {"notificationChannelName", &f.NotificationChannelName}} {
		if v := o.get(s.name); v != nil {
			if x, ok := d.str(v, o.at(s.name)); ok {
				*s.dst = &x
			}
		}
	}
	if v := o.get("notificationId"); v != nil {
		if x, ok := d.integer(v, o.at("notificationId"), math.MinInt32, math.MaxInt32); ok {
			f.NotificationID = &x
		}
	}
	if v := o.get("foregroundServiceType"); v != nil {
		if x, ok := d.enum(v, o.at("foregroundServiceType"), fgsTypeEnum); ok {
			f.ForegroundServiceType = ptr(ForegroundServiceType(x))
		}
	}
	return f
}

// intLike matches plain scalars that look like integers too large for
// go-yaml's integer nodes.
var intLike = regexp.MustCompile(`^[-+]?[0-9]+$`)

// valueMap decodes a mapping of Dart values with string keys (inputData,
// MethodChannel arguments). A non-mapping is reported.
func (d *decoder) valueMap(n ast.Node, path, what string, depth int) Map {
	n = d.resolve(n, path)
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(n, path, what+" is a mapping of string keys to values, e.g. {userId: user_42, retries: 3}", "got %s, want a mapping", describe(n))
		return nil
	}
	es, _ := d.mapping(n, path, "a mapping")
	m := Map{}
	for _, e := range es {
		p := join(path, e.key)
		kn := d.resolve(e.keyNode, p)
		if _, isStr := kn.(*ast.StringNode); !isStr {
			d.errorf(e.keyNode, p, fmt.Sprintf("quote it: %q", e.key), "%s keys are strings (Map<String, dynamic>); got %s", what, describe(kn))
			continue
		}
		v, ok := d.value(e.val, p, what, depth+1)
		if !ok {
			continue
		}
		m = append(m, Field{Key: e.key, Value: v})
	}
	return m
}

// value decodes one Dart value: null, bool, int (64-bit), double, String,
// List or Map.
func (d *decoder) value(n ast.Node, path, what string, depth int) (any, bool) {
	n = d.resolve(n, path)
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.BoolNode:
		return v.Value, true
	case *ast.IntegerNode:
		switch x := v.Value.(type) {
		case int64:
			return x, true
		case uint64:
			if x <= math.MaxInt64 {
				return int64(x), true
			}
		}
		d.errorf(n, path, "a Dart int is 64-bit: -9223372036854775808..9223372036854775807; quote it to send a string", "integer %s is out of range", tokenText(n))
		return nil, false
	case *ast.FloatNode:
		return v.Value, true
	case *ast.InfinityNode:
		return v.Value, true
	case *ast.NanNode:
		return math.NaN(), true
	case *ast.StringNode:
		if v.Token != nil && v.Token.Type == token.StringType && intLike.MatchString(v.Value) {
			d.errorf(n, path, "a Dart int is 64-bit: -9223372036854775808..9223372036854775807; quote it to send a string", "integer %s is out of range", v.Value)
			return nil, false
		}
		return v.Value, d.fits(n, path, v.Value, MaxStringBytes)
	case *ast.LiteralNode:
		s, _ := scalarText(v)
		return s, d.fits(n, path, s, MaxStringBytes)
	case *ast.SequenceNode:
		out := make([]any, 0, len(v.Values))
		ok := true
		for i, e := range v.Values {
			x, good := d.value(e, index(path, i), what, depth+1)
			ok = ok && good
			out = append(out, x)
		}
		return out, ok
	case *ast.MappingNode, *ast.MappingValueNode:
		return d.valueMap(v, path, what, depth+1), true
	}
	d.errorf(n, path, "null, a boolean, an integer, a number, a string, a list or a mapping", "unsupported value %s in %s", describe(n), what)
	return nil, false
}
