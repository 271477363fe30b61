package wire

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// Channel name prefixes (workmanager_api.g.dart / WorkmanagerApi.g.kt).
const (
	HostAPIPrefix    = "dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi."
	FlutterAPIPrefix = "dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerFlutterApi."
)

// HostChannel is the Pigeon channel of a host method.
func HostChannel(m Method) string { return HostAPIPrefix + string(m) }

// IsPigeonChannel reports whether name is a WorkmanagerHostApi channel.
func IsPigeonChannel(name string) bool { return strings.HasPrefix(name, HostAPIPrefix) }

// DecodePigeon decodes one Pigeon host-API message (the bytes the Dart side
// sent on channel) into a Call. Failures are *Error values with NoReply set:
// the generated Kotlin handler throws on a message it cannot cast, and the
// Dart caller then sees channel-error.
func DecodePigeon(channel string, msg []byte) (*Call, error) {
	if !IsPigeonChannel(channel) {
		return nil, pigeonErr(channel, "", nil, "", "not a WorkmanagerHostApi channel (want prefix "+HostAPIPrefix+")")
	}
	m := Method(strings.TrimPrefix(channel, HostAPIPrefix))
	known := false
	for _, hm := range HostMethods {
		if hm == m {
			known = true
		}
	}
	if !known {
		return nil, pigeonErr(channel, string(m), nil, "", fmt.Sprintf("no host method %q: nothing listens on this channel", m))
	}
	v, err := PigeonCodec.Decode(msg)
	if err != nil {
		return nil, pigeonErr(channel, string(m), err, "", "")
	}
	call := &Call{Method: m, Protocol: Pigeon, Channel: channel, WireMethod: string(m)}
	if m == MethodCancelAll || m == MethodPrintScheduledTasks || m == MethodNotifyBackgroundChannelInitialized {
		// The handlers take no arguments and never look at the message
		// (Dart sends null).
		if v != nil {
			call.warnf("message: %s ignored; %s takes no arguments", codec.Describe(v), m)
		}
		return call, nil
	}
	args, ok := v.([]any)
	if !ok {
		return nil, pigeonErr(channel, string(m), nil, "message", fmt.Sprintf("expected the argument list, found %s", codec.Describe(v)))
	}
	if len(args) < 1 {
		return nil, pigeonErr(channel, string(m), nil, "message", "the argument list is empty; 1 argument expected")
	}
	if len(args) > 1 {
		call.warnf("message: %d arguments, 1 expected; the extra ones are ignored", len(args))
	}
	arg := args[0]
	fail := func(field, format string, a ...any) (*Call, error) {
		return nil, pigeonErr(channel, string(m), nil, field, fmt.Sprintf(format, a...))
	}
	str := func(name string) (*Call, error) {
		s, ok := arg.(string)
		if !ok {
			return fail(name, "expected String, found %s", codec.Describe(arg))
		}
		switch m {
		case MethodCancelByTag:
			call.Tag = s
		default:
			call.UniqueName = s
		}
		return call, nil
	}
	switch m {
	case MethodCancelByUniqueName, MethodIsScheduledByUniqueName, MethodGetWorkInfoByUniqueName:
		return str("uniqueName")
	case MethodCancelByTag:
		return str("tag")
	case MethodSetProgressListener:
		b, ok := arg.(bool)
		if !ok {
			return fail("enabled", "expected bool, found %s", codec.Describe(arg))
		}
		call.Enabled = b
		return call, nil
	case MethodReportProgress:
		d, err := dataFromCodec(arg, "progress", call.warnf)
		if err != nil {
			return fail("progress", "%v", err)
		}
		call.Progress = d
		return call, nil
	}
	want := map[Method]codec.Type{
		MethodInitialize:                      TypeInitializeRequest,
		MethodRegisterOneOffTask:              TypeOneOffTaskRequest,
		MethodRegisterPeriodicTask:            TypePeriodicTaskRequest,
		MethodRegisterProcessingTask:          TypeProcessingTaskRequest,
		MethodRegisterHealthResearchTask:      TypeHealthResearchTaskRequest,
		MethodRegisterContinuedProcessingTask: TypeContinuedProcessingTaskRequest,
	}[m]
	cls, ok := arg.(Class)
	if !ok || cls.Type != want {
		return fail("request", "expected %s, found %s", pigeonTypeName(want), codec.Describe(arg))
	}
	r := newReader("request", cls, call)
	switch m {
	case MethodInitialize:
		if h := r.integer(0, "callbackHandle", true); h != nil {
			call.CallbackHandle = *h
		}
	case MethodRegisterOneOffTask:
		o := &plugin.OneOffOptions{}
		r.names(call)
		o.InputData = r.inputData(2)
		o.InitialDelay = r.seconds(3, "initialDelaySeconds", false)
		o.Constraints = r.constraints(4)
		o.BackoffPolicy, o.BackoffPolicyDelay = r.backoff(5)
		o.Tag = r.str(6, "tag", false)
		if n := r.enum(7, "existingWorkPolicy", TypeExistingWorkPolicy, false); n != nil {
			o.ExistingWorkPolicy = plugin.Ptr(plugin.ExistingWorkPolicy(*n))
		}
		if n := r.enum(8, "outOfQuotaPolicy", TypeOutOfQuotaPolicy, false); n != nil {
			o.OutOfQuotaPolicy = plugin.Ptr(plugin.OutOfQuotaPolicy(*n))
		}
		o.ForegroundServiceConfig = r.fgs(9)
		if b := r.boolean(10, "expedited", false); b != nil {
			o.Expedited = *b
		}
		call.OneOff = o
	case MethodRegisterPeriodicTask:
		o := &plugin.PeriodicOptions{}
		r.names(call)
		o.Frequency = r.seconds(2, "frequencySeconds", true)
		o.FlexInterval = r.seconds(3, "flexIntervalSeconds", false)
		o.InputData = r.inputData(4)
		o.InitialDelay = r.seconds(5, "initialDelaySeconds", false)
		o.Constraints = r.constraints(6)
		o.BackoffPolicy, o.BackoffPolicyDelay = r.backoff(7)
		o.Tag = r.str(8, "tag", false)
		if n := r.enum(9, "existingWorkPolicy", TypeExistingPeriodicWorkPolicy, false); n != nil {
			o.ExistingWorkPolicy = plugin.Ptr(plugin.ExistingPeriodicWorkPolicy(*n))
		}
		o.ForegroundServiceConfig = r.fgs(10)
		call.Periodic = o
	case MethodRegisterProcessingTask, MethodRegisterHealthResearchTask:
		o := &plugin.ProcessingOptions{}
		r.names(call)
		o.InputData = r.inputData(2)
		o.InitialDelay = r.seconds(3, "initialDelaySeconds", false)
		var c plugin.Constraints
		if n := r.enum(4, "networkType", TypeNetworkType, false); n != nil {
			c.NetworkType = plugin.Ptr(plugin.NetworkType(*n))
		}
		c.RequiresCharging = r.boolean(5, "requiresCharging", false)
		if c.NetworkType != nil || c.RequiresCharging != nil {
			o.Constraints = &c
		}
		call.Processing = o
	case MethodRegisterContinuedProcessingTask:
		o := &plugin.ContinuedProcessingOptions{}
		r.names(call)
		if s := r.str(2, "title", false); s != nil {
			o.Title = *s
		}
		if s := r.str(3, "subtitle", false); s != nil {
			o.Subtitle = *s
		}
		o.InputData = r.inputData(4)
		call.ContinuedProcessing = o
	}
	if r.err != nil {
		return fail(r.err.field, "%s", r.err.reason)
	}
	return call, nil
}

func (r *fieldReader) names(call *Call) {
	if s := r.str(0, "uniqueName", true); s != nil {
		call.UniqueName = *s
	}
	if s := r.str(1, "taskName", true); s != nil {
		call.TaskName = *s
	}
}

func (r *fieldReader) inputData(i int) osscheduler.Data {
	v := r.get(i, "inputData")
	if r.err != nil {
		return nil
	}
	d, err := dataFromCodec(v, r.path+".inputData", r.warn)
	if err != nil {
		r.fail(i, "inputData", "%v", err)
		return nil
	}
	return d
}

func (r *fieldReader) warn(format string, args ...any) {
	if r.call != nil {
		r.call.warnf(format, args...)
	}
}

func (r *fieldReader) constraints(i int) *plugin.Constraints {
	s := r.class_(i, "constraints", TypeConstraints)
	if s == nil {
		return nil
	}
	defer r.adopt(s)
	c := &plugin.Constraints{}
	if n := s.enum(0, "networkType", TypeNetworkType, false); n != nil {
		c.NetworkType = plugin.Ptr(plugin.NetworkType(*n))
	}
	c.RequiresBatteryNotLow = s.boolean(1, "requiresBatteryNotLow", false)
	c.RequiresCharging = s.boolean(2, "requiresCharging", false)
	c.RequiresDeviceIdle = s.boolean(3, "requiresDeviceIdle", false)
	c.RequiresStorageNotLow = s.boolean(4, "requiresStorageNotLow", false)
	switch l := s.get(5, "contentUriTriggers").(type) {
	case nil:
	case []any:
		c.ContentURITriggers = make([]plugin.ContentURITrigger, 0, len(l))
		for j, item := range l {
			if item == nil {
				s.warn("%s.contentUriTriggers[%d]: null trigger skipped", s.path, j)
				continue
			}
			t, ok := item.(Class)
			if !ok || t.Type != TypeContentURITrigger {
				s.fail(5, fmt.Sprintf("contentUriTriggers[%d]", j), "expected ContentUriTrigger, found %s", codec.Describe(item))
				break
			}
			tr := s.sub(fmt.Sprintf("contentUriTriggers[%d]", j), t)
			var trig plugin.ContentURITrigger
			if u := tr.str(0, "uri", true); u != nil {
				trig.URI = *u
			}
			if b := tr.boolean(1, "triggerForDescendants", true); b != nil {
				trig.TriggerForDescendants = *b
			}
			s.adopt(tr)
			c.ContentURITriggers = append(c.ContentURITriggers, trig)
		}
	default:
		s.fail(5, "contentUriTriggers", "expected a list, found %s", codec.Describe(l))
	}
	return c
}

func (r *fieldReader) backoff(i int) (*plugin.BackoffPolicy, *time.Duration) {
	s := r.class_(i, "backoffPolicy", TypeBackoffPolicyConfig)
	if s == nil {
		return nil, nil
	}
	defer r.adopt(s)
	var p *plugin.BackoffPolicy
	if n := s.enum(0, "backoffPolicy", TypeBackoffPolicy, false); n != nil {
		p = plugin.Ptr(plugin.BackoffPolicy(*n))
	}
	return p, s.millis(1, "backoffDelayMillis")
}

func (r *fieldReader) fgs(i int) *plugin.ForegroundServiceConfig {
	s := r.class_(i, "foregroundServiceConfig", TypeForegroundServiceConfig)
	if s == nil {
		return nil
	}
	defer r.adopt(s)
	f := &plugin.ForegroundServiceConfig{}
	for j, dst := range []*string{&f.NotificationTitle, &f.NotificationText, &f.NotificationChannelID, &f.NotificationChannelName} {
		name := []string{"notificationTitle", "notificationText", "notificationChannelId", "notificationChannelName"}[j]
		if v := s.str(j, name, false); v != nil {
			*dst = *v
		}
	}
	if n := s.integer(4, "notificationId", false); n != nil {
		f.NotificationID = int(*n)
	}
	if n := s.enum(5, "foregroundServiceType", TypeForegroundServiceType, false); n != nil {
		f.ForegroundServiceType = *n
	}
	return f
}

// EncodePigeonCall encodes c as the Dart side's Pigeon layer would send it,
// returning the channel and the message bytes. It mirrors the Dart encoding
// rules: durations as whole seconds (truncated toward zero), a
// BackoffPolicyConfig only when both policy and delay are set (delay in ms),
// a null periodic frequency as 900 s, every int as int64, enums by index.
// Calls without arguments (cancelAll, printScheduledTasks) encode as an
// empty (null) message.
func EncodePigeonCall(c *Call) (channel string, msg []byte, err error) {
	if c == nil {
		return "", nil, fmt.Errorf("wire: nil call")
	}
	channel = HostChannel(c.Method)
	var arg any
	switch c.Method {
	case MethodCancelAll, MethodPrintScheduledTasks, MethodNotifyBackgroundChannelInitialized:
		return channel, []byte{}, nil
	case MethodInitialize:
		arg = Class{Type: TypeInitializeRequest, Fields: []any{c.CallbackHandle}}
	case MethodCancelByUniqueName, MethodIsScheduledByUniqueName, MethodGetWorkInfoByUniqueName:
		arg = c.UniqueName
	case MethodCancelByTag:
		arg = c.Tag
	case MethodSetProgressListener:
		arg = c.Enabled
	case MethodReportProgress:
		arg = dataToCodec(c.Progress)
	case MethodRegisterOneOffTask:
		o := c.OneOff
		if o == nil {
			o = &plugin.OneOffOptions{}
		}
		arg = Class{Type: TypeOneOffTaskRequest, Fields: []any{
			c.UniqueName, c.TaskName, dataToCodec(o.InputData), secs(o.InitialDelay),
			encConstraints(o.Constraints), encBackoff(o.BackoffPolicy, o.BackoffPolicyDelay),
			optStr(o.Tag), enumOf(TypeExistingWorkPolicy, o.ExistingWorkPolicy),
			enumOf(TypeOutOfQuotaPolicy, o.OutOfQuotaPolicy), encFGS(o.ForegroundServiceConfig), o.Expedited,
		}}
	case MethodRegisterPeriodicTask:
		o := c.Periodic
		if o == nil {
			o = &plugin.PeriodicOptions{}
		}
		freq := secs(o.Frequency)
		if freq == nil {
			freq = int64(900) // workmanager_impl.dart: frequency ?? 15 minutes
		}
		arg = Class{Type: TypePeriodicTaskRequest, Fields: []any{
			c.UniqueName, c.TaskName, freq, secs(o.FlexInterval), dataToCodec(o.InputData),
			secs(o.InitialDelay), encConstraints(o.Constraints),
			encBackoff(o.BackoffPolicy, o.BackoffPolicyDelay), optStr(o.Tag),
			enumOf(TypeExistingPeriodicWorkPolicy, o.ExistingWorkPolicy), encFGS(o.ForegroundServiceConfig),
		}}
	case MethodRegisterProcessingTask, MethodRegisterHealthResearchTask:
		o := c.Processing
		if o == nil {
			o = &plugin.ProcessingOptions{}
		}
		var nt, ch any
		if o.Constraints != nil {
			nt = enumOf(TypeNetworkType, o.Constraints.NetworkType)
			if o.Constraints.RequiresCharging != nil {
				ch = *o.Constraints.RequiresCharging
			}
		}
		t := TypeProcessingTaskRequest
		if c.Method == MethodRegisterHealthResearchTask {
			t = TypeHealthResearchTaskRequest
		}
		arg = Class{Type: t, Fields: []any{c.UniqueName, c.TaskName, dataToCodec(o.InputData), secs(o.InitialDelay), nt, ch}}
	case MethodRegisterContinuedProcessingTask:
		o := c.ContinuedProcessing
		if o == nil {
			o = &plugin.ContinuedProcessingOptions{}
		}
		var title, sub any
		if o.Title != "" {
			title = o.Title
		}
		if o.Subtitle != "" {
			sub = o.Subtitle
		}
		arg = Class{Type: TypeContinuedProcessingTaskRequest, Fields: []any{c.UniqueName, c.TaskName, title, sub, dataToCodec(o.InputData)}}
	default:
		return "", nil, fmt.Errorf("wire: %q is not a Pigeon host method", c.Method)
	}
	msg, err = PigeonCodec.Encode([]any{arg})
	return channel, msg, err
}

// EncodePigeonCallBase64 is EncodePigeonCall with the message in standard
// base64, the form scenario files embed.
func EncodePigeonCallBase64(c *Call) (channel, message string, err error) {
	channel, msg, err := EncodePigeonCall(c)
	if err != nil {
		return "", "", err
	}
	return channel, base64.StdEncoding.EncodeToString(msg), nil
}

// DecodePigeonBase64 decodes a base64 message (as embedded in scenario
// files) and then the call.
func DecodePigeonBase64(channel, message string) (*Call, error) {
	msg, err := base64.StdEncoding.DecodeString(strings.TrimSpace(message))
	if err != nil {
		return nil, pigeonErr(channel, "", nil, "message", fmt.Sprintf("not valid base64: %v", err))
	}
	return DecodePigeon(channel, msg)
}

func secs(d *time.Duration) any {
	if d == nil {
		return nil
	}
	return int64(*d / time.Second)
}

func optStr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func enumOf[T ~int](t codec.Type, v *T) any {
	if v == nil {
		return nil
	}
	return Enum{Type: t, Index: int64(*v)}
}

func optBool(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func encConstraints(c *plugin.Constraints) any {
	if c == nil {
		return nil
	}
	var trig any
	if c.ContentURITriggers != nil {
		l := make([]any, len(c.ContentURITriggers))
		for i, t := range c.ContentURITriggers {
			l[i] = Class{Type: TypeContentURITrigger, Fields: []any{t.URI, t.TriggerForDescendants}}
		}
		trig = l
	}
	return Class{Type: TypeConstraints, Fields: []any{
		enumOf(TypeNetworkType, c.NetworkType), optBool(c.RequiresBatteryNotLow), optBool(c.RequiresCharging),
		optBool(c.RequiresDeviceIdle), optBool(c.RequiresStorageNotLow), trig,
	}}
}

// encBackoff: the Dart layers send a BackoffPolicyConfig only when both the
// policy and the delay are given.
func encBackoff(p *plugin.BackoffPolicy, d *time.Duration) any {
	if p == nil || d == nil {
		return nil
	}
	return Class{Type: TypeBackoffPolicyConfig, Fields: []any{enumOf(TypeBackoffPolicy, p), int64(*d / time.Millisecond)}}
}

func encFGS(f *plugin.ForegroundServiceConfig) any {
	if f == nil {
		return nil
	}
	return Class{Type: TypeForegroundServiceConfig, Fields: []any{
		f.NotificationTitle, f.NotificationText, f.NotificationChannelID, f.NotificationChannelName,
		int64(f.NotificationID), Enum{Type: TypeForegroundServiceType, Index: int64(f.ForegroundServiceType)},
	}}
}
