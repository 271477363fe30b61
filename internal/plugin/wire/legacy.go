package wire

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// Legacy MethodChannel names: 0.5 lib/src/workmanager.dart uses the
// be.tramckrijte prefix; 0.8 moved to dev.fluttercommunity.
const (
	LegacyPrefix0_5       = "be.tramckrijte.workmanager/"
	LegacyPrefix0_8       = "dev.fluttercommunity.workmanager/"
	LegacyForegroundName  = "foreground_channel_work_manager"
	LegacyBackgroundName  = "background_channel_work_manager"
	LegacyForegroundChan  = LegacyPrefix0_5 + LegacyForegroundName
	LegacyBackgroundChan  = LegacyPrefix0_5 + LegacyBackgroundName
	legacyDebugKey        = "isInDebugMode"
	legacyCallbackKey     = "callbackHandle"
	legacyInvalidParams   = "Invalid parameters passed"
	legacyIOSInvalidCode  = "invalidParameters error"
	legacyMissingPluginFm = "No implementation found for method %s on channel %s"
)

// Legacy method names (0.5 Extractor.kt PossibleWorkManagerCall).
var legacyMethods = map[string]Method{
	"initialize":             MethodInitialize,
	"registerOneOffTask":     MethodRegisterOneOffTask,
	"registerPeriodicTask":   MethodRegisterPeriodicTask,
	"cancelTaskByUniqueName": MethodCancelByUniqueName,
	"cancelTaskByTag":        MethodCancelByTag,
	"cancelAllTasks":         MethodCancelAll,
}

// LegacyRegisterKeys are the 16 keys 0.5's JsonMapperHelper.toRegisterMethodArgument
// always sends, in its order.
var LegacyRegisterKeys = []string{
	"isInDebugMode", "uniqueName", "taskName", "tag", "frequency", "existingWorkPolicy",
	"initialDelaySeconds", "networkType", "requiresBatteryNotLow", "requiresCharging",
	"requiresDeviceIdle", "requiresStorageNotLow", "backoffPolicyType",
	"backoffDelayInMilliseconds", "outOfQuotaPolicy", "inputData",
}

// IsLegacyChannel reports whether name is one of the legacy channels.
func IsLegacyChannel(name string) bool {
	_, _, ok := splitLegacy(name)
	return ok
}

func splitLegacy(name string) (prefix, ch string, ok bool) {
	for _, p := range []string{LegacyPrefix0_5, LegacyPrefix0_8} {
		if rest, found := strings.CutPrefix(name, p); found && (rest == LegacyForegroundName || rest == LegacyBackgroundName) {
			return p, rest, true
		}
	}
	return "", "", false
}

// DecodeLegacyBytes decodes a StandardMethodCodec method call (method name
// string, then the arguments value) received on a legacy channel.
func DecodeLegacyBytes(channel string, msg []byte) (*Call, error) {
	method, args, err := codec.Standard.DecodeMethodCall(msg)
	if err != nil {
		// MethodChannel's handler throws on an undecodable call; the
		// engine logs it and replies null.
		e := &Error{Protocol: Legacy, Channel: channel, Offset: -1, Cause: err, NoReply: true}
		e.absorb(err)
		e.android = PlatformError{Code: "error", Message: strp("Invalid method call")}
		e.ios = e.android
		return nil, e
	}
	return DecodeLegacy(channel, method, args)
}

// legacyArgs gives MethodCall.argument(key) semantics over the decoded map
// (codec.Map from bytes) or a Go map (from a scenario file).
type legacyArgs struct {
	get   func(string) (any, bool)
	isMap bool
	desc  string
}

func newLegacyArgs(args any) legacyArgs {
	switch m := args.(type) {
	case nil:
		return legacyArgs{get: func(string) (any, bool) { return nil, false }, desc: "null"}
	case codec.Map:
		return legacyArgs{isMap: true, get: func(k string) (any, bool) { return m.Get(k) }}
	case map[string]any:
		return legacyArgs{isMap: true, get: func(k string) (any, bool) { v, ok := m[k]; return v, ok }}
	case osscheduler.Data:
		return legacyArgs{isMap: true, get: func(k string) (any, bool) { v, ok := m[k]; return v, ok }}
	case map[any]any:
		return legacyArgs{isMap: true, get: func(k string) (any, bool) { v, ok := m[k]; return v, ok }}
	}
	return legacyArgs{get: func(string) (any, bool) { return nil, false }, desc: codec.Describe(args)}
}

// DecodeLegacy decodes a legacy call given as method name and arguments
// (codec.Map, map[string]any or nil), as scenario files write it.
func DecodeLegacy(channel, method string, args any) (*Call, error) {
	_, ch, ok := splitLegacy(channel)
	if !ok {
		e := &Error{Protocol: Legacy, Channel: channel, Method: method, Offset: -1, NotImplemented: true,
			Reason: fmt.Sprintf("not a legacy workmanager channel (want %s<%s|%s>, or the %s prefix)", LegacyPrefix0_5, LegacyForegroundName, LegacyBackgroundName, LegacyPrefix0_8)}
		e.android = PlatformError{Code: "MissingPluginException", Message: strp(fmt.Sprintf(legacyMissingPluginFm, method, channel))}
		e.ios = e.android
		return nil, e
	}
	call := &Call{Protocol: Legacy, Channel: channel, WireMethod: method}
	if ch == LegacyBackgroundName {
		if method != string(MethodBackgroundChannelInitialized) {
			return nil, notImplemented(channel, method)
		}
		call.Method = MethodBackgroundChannelInitialized
		return call, nil
	}
	m, ok := legacyMethods[method]
	if !ok {
		return nil, notImplemented(channel, method)
	}
	call.Method = m
	a := newLegacyArgs(args)
	d := legacyDecoder{call: call, args: a}
	if m == MethodCancelAll {
		return call, nil
	}
	if !a.isMap && a.desc != "null" {
		// Java's MethodCall.argument casts the arguments to Map.
		return nil, d.crash("arguments", fmt.Sprintf("arguments are %s, not a map", a.desc), "java.lang.ClassCastException")
	}
	switch m {
	case MethodInitialize:
		// Extractor.kt: handle = argument<Number>("callbackHandle")?.toLong(),
		// inDebugMode = argument<Boolean>("isInDebugMode"); either null →
		// Failed("Invalid parameters passed") → result.error(code, null, null).
		h, hok := d.number(legacyCallbackKey)
		b, bok := d.boolean(legacyDebugKey)
		if d.err != nil {
			return nil, d.err
		}
		if !hok || !bok {
			missing := legacyCallbackKey
			if hok {
				missing = legacyDebugKey
			}
			e := &Error{Protocol: Legacy, Channel: channel, Method: method, Offset: -1, Field: missing, Reason: "missing or null; the plugin answers \"" + legacyInvalidParams + "\""}
			e.android = PlatformError{Code: legacyInvalidParams}
			e.ios = PlatformError{Code: legacyIOSInvalidCode, Message: strp(legacyInvalidParams)}
			return nil, e
		}
		call.CallbackHandle, call.IsInDebugMode = h, b
	case MethodCancelByUniqueName:
		call.UniqueName = d.requiredString("uniqueName")
	case MethodCancelByTag:
		call.Tag = d.requiredString("tag")
	case MethodRegisterOneOffTask, MethodRegisterPeriodicTask:
		d.register(m == MethodRegisterPeriodicTask)
	}
	if d.err != nil {
		return nil, d.err
	}
	return call, nil
}

func notImplemented(channel, method string) *Error {
	e := &Error{Protocol: Legacy, Channel: channel, Method: method, Offset: -1, NotImplemented: true,
		Reason: "unknown method; the plugin answers notImplemented (Dart: MissingPluginException)"}
	e.android = PlatformError{Code: "MissingPluginException", Message: strp(fmt.Sprintf(legacyMissingPluginFm, method, channel))}
	e.ios = e.android
	return e
}

type legacyDecoder struct {
	call *Call
	args legacyArgs
	err  *Error
}

// crash is an exception thrown inside the Android handler: MethodChannel
// replies error("error", e.getMessage(), null). iOS 0.5 guards its arguments
// and answers WMPError.invalidParameters.
func (d *legacyDecoder) crash(field, reason, javaMessage string) *Error {
	e := &Error{Protocol: Legacy, Channel: d.call.Channel, Method: d.call.WireMethod, Offset: -1, Field: field, Reason: reason}
	e.android = PlatformError{Code: "error"}
	if javaMessage != "" {
		e.android.Message = strp(javaMessage)
	}
	e.ios = PlatformError{Code: legacyIOSInvalidCode, Message: strp(legacyInvalidParams)}
	return e
}

func (d *legacyDecoder) setErr(e *Error) {
	if d.err == nil {
		d.err = e
	}
}

func (d *legacyDecoder) wrongType(key string, v any, want string) {
	d.setErr(d.crash(key, fmt.Sprintf("expected %s, found %s", want, describeGo(v)),
		fmt.Sprintf("%s cannot be cast to %s", javaClass(v), want)))
}

func describeGo(v any) string {
	if s := codec.Describe(v); !strings.Contains(s, ".") {
		return s
	}
	return fmt.Sprintf("%T", v)
}

func javaClass(v any) string {
	switch v.(type) {
	case string:
		return "java.lang.String"
	case bool:
		return "java.lang.Boolean"
	case int32:
		return "java.lang.Integer"
	case int64, int, uint64:
		return "java.lang.Long"
	case float64:
		return "java.lang.Double"
	case []any:
		return "java.util.ArrayList"
	}
	return "java.util.HashMap"
}

// number reads an integer argument. It accepts every integral Go number a
// scenario decoder may produce, and float64 with no fraction.
func (d *legacyDecoder) number(key string) (int64, bool) {
	v, _ := d.args.get(key)
	if v == nil {
		return 0, false
	}
	if n, ok := toInt64(v); ok {
		return n, true
	}
	d.wrongType(key, v, "java.lang.Integer")
	return 0, false
}

func toInt64(v any) (int64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return 0, false
		}
		return int64(u), true
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return 0, false
		}
		return int64(f), true
	}
	return 0, false
}

func (d *legacyDecoder) boolean(key string) (bool, bool) {
	v, _ := d.args.get(key)
	switch b := v.(type) {
	case nil:
		return false, false
	case bool:
		return b, true
	}
	d.wrongType(key, v, "java.lang.Boolean")
	return false, false
}

func (d *legacyDecoder) optBool(key string) *bool {
	b, ok := d.boolean(key)
	if !ok {
		return nil
	}
	return &b
}

func (d *legacyDecoder) str(key string) (string, bool) {
	v, _ := d.args.get(key)
	switch s := v.(type) {
	case nil:
		return "", false
	case string:
		return s, true
	}
	d.wrongType(key, v, "java.lang.String")
	return "", false
}

// requiredString is call.argument<String>(key)!!: null → NullPointerException.
func (d *legacyDecoder) requiredString(key string) string {
	s, ok := d.str(key)
	if !ok && d.err == nil {
		d.setErr(d.crash(key, "missing or null; the Android handler's `!!` throws NullPointerException", ""))
	}
	return s
}

func (d *legacyDecoder) seconds(key string) *time.Duration {
	n, ok := d.number(key)
	if !ok {
		return nil
	}
	if n > math.MaxInt64/int64(time.Second) || n < math.MinInt64/int64(time.Second) {
		d.setErr(d.crash(key, fmt.Sprintf("%d seconds does not fit a duration", n), ""))
		return nil
	}
	v := time.Duration(n) * time.Second
	return &v
}

// enumName reads a Dart enum name. 0.5 sends snake_case
// (enumeration.toString().split('.').last), 0.8+ camelCase; both match.
// An unknown name falls back to the plugin default (Android: valueOf throws,
// the catch returns the default), reported as a warning.
func (d *legacyDecoder) enumName(key string, names []string, fallback string) *int {
	s, ok := d.str(key)
	if !ok {
		return nil
	}
	norm := normEnum(s)
	for i, n := range names {
		if normEnum(n) == norm {
			return &i
		}
	}
	d.call.warnf("%s: %q is not one of %s; the plugin falls back to %s", key, s, strings.Join(names, ", "), fallback)
	return nil
}

func normEnum(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// Dart enum names, index order (0.5 lib/src/options.dart in snake_case;
// workmanager_api.dart in camelCase).
var (
	networkTypeNames        = []string{"connected", "metered", "not_required", "not_roaming", "unmetered", "temporarily_unmetered"}
	backoffPolicyNames      = []string{"exponential", "linear"}
	existingWorkPolicyNames = []string{"append", "keep", "replace", "update"}
	periodicPolicyNames     = []string{"keep", "replace", "update"}
	outOfQuotaPolicyNames   = []string{"run_as_non_expedited_work_request", "drop_work_request"}
)

func (d *legacyDecoder) register(periodic bool) {
	c := d.call
	// Extractor.kt: isInDebugMode, uniqueName, taskName use `!!`.
	if b, ok := d.boolean(legacyDebugKey); ok {
		c.IsInDebugMode = b
	} else if d.err == nil {
		d.setErr(d.crash(legacyDebugKey, "missing or null; the Android handler's `!!` throws NullPointerException", ""))
	}
	c.UniqueName = d.requiredString("uniqueName")
	c.TaskName = d.requiredString("taskName")
	var tag *string
	if s, ok := d.str("tag"); ok {
		tag = &s
	}
	delay := d.seconds("initialDelaySeconds")

	var cons plugin.Constraints
	if n := d.enumName("networkType", networkTypeNames, "not_required"); n != nil {
		cons.NetworkType = plugin.Ptr(plugin.NetworkType(*n))
	}
	cons.RequiresBatteryNotLow = d.optBool("requiresBatteryNotLow")
	cons.RequiresCharging = d.optBool("requiresCharging")
	cons.RequiresDeviceIdle = d.optBool("requiresDeviceIdle")
	cons.RequiresStorageNotLow = d.optBool("requiresStorageNotLow")
	var consp *plugin.Constraints
	if cons.NetworkType != nil || cons.RequiresBatteryNotLow != nil || cons.RequiresCharging != nil ||
		cons.RequiresDeviceIdle != nil || cons.RequiresStorageNotLow != nil {
		consp = &cons
	}

	// Backoff applies only when backoffPolicyType is non-null; an unknown
	// name becomes EXPONENTIAL and a null delay 0 (Extractor.kt
	// extractBackoffPolicyConfigFromCall). The 10 s minimum is the plugin's.
	var bp *plugin.BackoffPolicy
	var bd *time.Duration
	if _, ok := d.str("backoffPolicyType"); ok {
		p := plugin.BackoffExponential
		if n := d.enumName("backoffPolicyType", backoffPolicyNames, "exponential"); n != nil {
			p = plugin.BackoffPolicy(*n)
		}
		bp = &p
		ms, _ := d.number("backoffDelayInMilliseconds")
		if ms > math.MaxInt64/int64(time.Millisecond) || ms < math.MinInt64/int64(time.Millisecond) {
			d.setErr(d.crash("backoffDelayInMilliseconds", fmt.Sprintf("%d ms does not fit a duration", ms), ""))
		}
		v := time.Duration(ms) * time.Millisecond
		bd = &v
	} else if v, _ := d.args.get("backoffDelayInMilliseconds"); v != nil {
		if n, ok := toInt64(v); !ok || n != 0 {
			c.warnf("backoffDelayInMilliseconds: ignored without backoffPolicyType")
		}
	}
	var ooq *plugin.OutOfQuotaPolicy
	if n := d.enumName("outOfQuotaPolicy", outOfQuotaPolicyNames, "null (not expedited)"); n != nil {
		ooq = plugin.Ptr(plugin.OutOfQuotaPolicy(*n))
	}
	input := d.inputData()

	if periodic {
		o := &plugin.PeriodicOptions{InputData: input, InitialDelay: delay, Constraints: consp, BackoffPolicy: bp, BackoffPolicyDelay: bd, Tag: tag}
		o.Frequency = d.seconds("frequency")
		if n := d.enumName("existingWorkPolicy", periodicPolicyNames, "keep (0.5's periodic default)"); n != nil {
			o.ExistingWorkPolicy = plugin.Ptr(plugin.ExistingPeriodicWorkPolicy(*n))
		}
		c.Periodic = o
		c.LegacyPeriodicOutOfQuota = ooq
		return
	}
	o := &plugin.OneOffOptions{InputData: input, InitialDelay: delay, Constraints: consp, BackoffPolicy: bp, BackoffPolicyDelay: bd, Tag: tag, OutOfQuotaPolicy: ooq}
	if n := d.enumName("existingWorkPolicy", existingWorkPolicyNames, "keep"); n != nil {
		o.ExistingWorkPolicy = plugin.Ptr(plugin.ExistingWorkPolicy(*n))
	}
	if v, _ := d.args.get("frequency"); v != nil {
		c.warnf("frequency: ignored for a one-off task")
	}
	c.OneOff = o
}

func (d *legacyDecoder) inputData() osscheduler.Data {
	v, _ := d.args.get("inputData")
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		data, err := dataFromJSON(x)
		if err != nil {
			d.setErr(d.crash("inputData", err.Error(), ""))
			return nil
		}
		d.call.InputDataJSON = &x
		return data
	case codec.Map:
		d.call.warnf("inputData: given as a map; the 0.5 plugin sends a JSON string")
		data, err := dataFromCodec(x, "inputData", d.call.warnf)
		if err != nil {
			d.setErr(d.crash("inputData", err.Error(), ""))
		}
		return data
	case map[string]any:
		d.call.warnf("inputData: given as a map; the 0.5 plugin sends a JSON string")
		return osscheduler.Data(normalizeGoMap(x))
	case osscheduler.Data:
		d.call.warnf("inputData: given as a map; the 0.5 plugin sends a JSON string")
		return osscheduler.Data(normalizeGoMap(x))
	}
	d.wrongType("inputData", v, "java.lang.String")
	return nil
}

// normalizeGoMap converts scenario-decoded values (uint64, int, ...) to the
// Data value types.
func normalizeGoMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = normalizeGo(v)
	}
	return out
}

func normalizeGo(v any) any {
	switch x := v.(type) {
	case nil, bool, string, float64, int64:
		return x
	case float32:
		return float64(x)
	case map[string]any:
		return normalizeGoMap(x)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalizeGo(x[i])
		}
		return out
	}
	if n, ok := toInt64(v); ok {
		return n
	}
	return fmt.Sprint(v)
}

// LegacyArguments builds the arguments map 0.5's Dart side sends for c
// (JsonMapperHelper): for register calls all 16 keys, enums as snake_case
// names, durations in seconds (backoff in ms), inputData as JSON text. The
// map is in the Dart literal's key order.
func LegacyArguments(c *Call) (method string, args codec.Map, err error) {
	for name, m := range legacyMethods {
		if m == c.Method {
			method = name
		}
	}
	switch c.Method {
	case MethodInitialize:
		return method, codec.Map{{Key: legacyDebugKey, Value: c.IsInDebugMode}, {Key: legacyCallbackKey, Value: int(c.CallbackHandle)}}, nil
	case MethodCancelByUniqueName:
		return method, codec.Map{{Key: "uniqueName", Value: c.UniqueName}}, nil
	case MethodCancelByTag:
		return method, codec.Map{{Key: "tag", Value: c.Tag}}, nil
	case MethodCancelAll:
		return method, nil, nil
	case MethodRegisterOneOffTask, MethodRegisterPeriodicTask:
	default:
		return "", nil, fmt.Errorf("wire: %q has no legacy (0.5) form", c.Method)
	}
	var (
		freq, ewp, delay, tag, ooq any
		input                      osscheduler.Data
		cons                       *plugin.Constraints
		bp                         *plugin.BackoffPolicy
		bd                         *time.Duration
	)
	zero := time.Duration(0)
	if c.Method == MethodRegisterOneOffTask {
		o := c.OneOff
		if o == nil {
			o = &plugin.OneOffOptions{}
		}
		ewp = nameOf(existingWorkPolicyNames, o.ExistingWorkPolicy)
		ooq = nameOf(outOfQuotaPolicyNames, o.OutOfQuotaPolicy)
		delay, tag, input, cons, bp, bd = durOr(o.InitialDelay, zero, time.Second), optStr(o.Tag), o.InputData, o.Constraints, o.BackoffPolicy, o.BackoffPolicyDelay
	} else {
		o := c.Periodic
		if o == nil {
			o = &plugin.PeriodicOptions{}
		}
		if o.Frequency != nil {
			freq = int(*o.Frequency / time.Second)
		}
		ewp = nameOf(periodicPolicyNames, o.ExistingWorkPolicy)
		ooq = nameOf(outOfQuotaPolicyNames, c.LegacyPeriodicOutOfQuota)
		delay, tag, input, cons, bp, bd = durOr(o.InitialDelay, zero, time.Second), optStr(o.Tag), o.InputData, o.Constraints, o.BackoffPolicy, o.BackoffPolicyDelay
	}
	var nt, bnl, chg, idle, snl any
	if cons != nil {
		nt = nameOf(networkTypeNames, cons.NetworkType)
		bnl, chg, idle, snl = optBool(cons.RequiresBatteryNotLow), optBool(cons.RequiresCharging), optBool(cons.RequiresDeviceIdle), optBool(cons.RequiresStorageNotLow)
	}
	var inputJSON any
	if input != nil {
		s, err := dataToJSON(input)
		if err != nil {
			return "", nil, fmt.Errorf("wire: inputData: %v", err)
		}
		inputJSON = s
	}
	vals := []any{
		c.IsInDebugMode, c.UniqueName, c.TaskName, tag, freq, ewp, delay, nt, bnl, chg, idle, snl,
		nameOf(backoffPolicyNames, bp), durOr(bd, zero, time.Millisecond), ooq, inputJSON,
	}
	args = make(codec.Map, len(LegacyRegisterKeys))
	for i, k := range LegacyRegisterKeys {
		args[i] = codec.MapEntry{Key: k, Value: vals[i]}
	}
	return method, args, nil
}

// EncodeLegacyCall encodes c as a StandardMethodCodec call on channel (the
// bytes 0.5's MethodChannel.invokeMethod sends).
func EncodeLegacyCall(c *Call) ([]byte, error) {
	method, args, err := LegacyArguments(c)
	if err != nil {
		return nil, err
	}
	var a any
	if args != nil {
		a = args
	}
	return codec.Standard.EncodeMethodCall(method, a)
}

func nameOf[T ~int](names []string, v *T) any {
	if v == nil || int(*v) < 0 || int(*v) >= len(names) {
		return nil
	}
	return names[*v]
}

// durOr renders d (or def when nil) in whole units, as an int the way Dart's
// StandardMessageCodec writes it (int32 when it fits).
func durOr(d *time.Duration, def, unit time.Duration) any {
	v := def
	if d != nil {
		v = *d
	}
	return int(v / unit)
}
