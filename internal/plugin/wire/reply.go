package wire

import (
	"fmt"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// Pigeon replies are lists (workmanager_api.g.dart wrapResponse; Kotlin
// wrapResult / wrapError):
//
//	[]                       a Dart FlutterApi void handler (wrapResponse(empty: true))
//	[value]                  a result; Kotlin/Swift void host methods answer [null]
//	[code, message, details] an error
//	(empty bytes)            no reply: Dart raises channel-error

// EncodeReplyEmpty is the [] reply.
func EncodeReplyEmpty() []byte { return []byte{byte(codec.TypeList), 0} }

// EncodeReplyValue is the [value] reply.
func EncodeReplyValue(v any) ([]byte, error) { return PigeonCodec.Encode([]any{v}) }

// EncodeReplyError is the [code, message, details] reply.
func EncodeReplyError(code string, message *string, details any) ([]byte, error) {
	var msg any
	if message != nil {
		msg = *message
	}
	return PigeonCodec.Encode([]any{code, msg, details})
}

// EncodeReplyPlatformError encodes an error reply from a PlatformError.
func EncodeReplyPlatformError(p PlatformError) ([]byte, error) {
	return EncodeReplyError(p.Code, p.Message, p.Details)
}

// KotlinError is the error reply the generated Kotlin wrapError builds for a
// non-FlutterError exception: [SimpleClassName, toString(), "Cause: …,
// Stacktrace: …"]. toString is "<qualified class name>: <message>".
func KotlinError(qualifiedClass, message string) PlatformError {
	simple := qualifiedClass[strings.LastIndex(qualifiedClass, ".")+1:]
	text := qualifiedClass
	if message != "" {
		text += ": " + message
	}
	return PlatformError{Code: simple, Message: strp(text), Details: "Cause: null, Stacktrace: " + text}
}

// Reply is a decoded Pigeon reply as the Dart caller interprets it
// (_extractReplyValueOrThrow).
type Reply struct {
	Value any            // the value of [value]; nil for [] and [null]
	Empty bool           // the reply was []
	Err   *PlatformError // an error reply, or channel-error for a null reply
}

// DecodeReply decodes a reply received on channel. A null (empty) reply is
// Reply{Err: channel-error}, exactly what the Dart side raises.
func DecodeReply(channel string, b []byte) (Reply, error) {
	if len(b) == 0 {
		pe := channelError(channel)
		return Reply{Err: &pe}, nil
	}
	v, err := PigeonCodec.Decode(b)
	if err != nil {
		return Reply{}, pigeonErr(channel, "", err, "reply", "")
	}
	l, ok := v.([]any)
	if !ok {
		return Reply{}, pigeonErr(channel, "", nil, "reply", "expected a reply list, found "+codec.Describe(v))
	}
	switch {
	case len(l) == 0:
		return Reply{Empty: true}, nil
	case len(l) == 1:
		return Reply{Value: l[0]}, nil
	case len(l) < 3:
		return Reply{}, pigeonErr(channel, "", nil, "reply", fmt.Sprintf("an error reply needs 3 elements, found %d", len(l)))
	}
	code, ok := l[0].(string)
	if !ok {
		return Reply{}, pigeonErr(channel, "", nil, "reply[0]", "error code is "+codec.Describe(l[0]))
	}
	pe := PlatformError{Code: code, Details: l[2]}
	switch m := l[1].(type) {
	case nil:
	case string:
		pe.Message = &m
	default:
		return Reply{}, pigeonErr(channel, "", nil, "reply[1]", "error message is "+codec.Describe(l[1]))
	}
	return Reply{Err: &pe}, nil
}

// EncodeWorkInfoReply encodes getWorkInfoByUniqueName's reply: [WorkInfoData]
// or [null]. An empty TaskName is sent as null; LastFinishedAt as epoch ms.
func EncodeWorkInfoReply(w *plugin.WorkInfo) ([]byte, error) {
	if w == nil {
		return EncodeReplyValue(nil)
	}
	var task, tags, last any
	if w.TaskName != "" {
		task = w.TaskName
	}
	if w.Tags != nil {
		l := make([]any, len(w.Tags))
		for i, t := range w.Tags {
			l[i] = t
		}
		tags = l
	}
	if w.LastFinishedAt != nil {
		last = w.LastFinishedAt.UnixMilli()
	}
	return EncodeReplyValue(Class{Type: TypeWorkInfoData, Fields: []any{
		w.UniqueName, Enum{Type: TypeWorkState, Index: int64(w.State)}, w.IsPeriodic, task, tags, last,
	}})
}

// WorkInfoFromValue maps a WorkInfoData value (the reply's value) to
// plugin.WorkInfo as the Dart platform layer does: null stays nil, null tags
// become [], null tag entries are dropped.
func WorkInfoFromValue(v any) (*plugin.WorkInfo, error) {
	if v == nil {
		return nil, nil
	}
	c, ok := v.(Class)
	if !ok || c.Type != TypeWorkInfoData {
		return nil, fmt.Errorf("wire: expected WorkInfoData, found %s", codec.Describe(v))
	}
	r := newReader("workInfo", c, nil)
	w := &plugin.WorkInfo{Tags: []string{}}
	if s := r.str(0, "uniqueName", true); s != nil {
		w.UniqueName = *s
	}
	if n := r.enum(1, "state", TypeWorkState, true); n != nil {
		w.State = plugin.WorkState(*n)
	}
	if b := r.boolean(2, "isPeriodic", true); b != nil {
		w.IsPeriodic = *b
	}
	if s := r.str(3, "taskName", false); s != nil {
		w.TaskName = *s
	}
	switch l := r.get(4, "tags").(type) {
	case nil:
	case []any:
		for i, t := range l {
			switch s := t.(type) {
			case nil:
			case string:
				w.Tags = append(w.Tags, s)
			default:
				r.fail(4, fmt.Sprintf("tags[%d]", i), "expected String, found %s", codec.Describe(t))
			}
		}
	default:
		r.fail(4, "tags", "expected a list, found %s", codec.Describe(l))
	}
	if n := r.integer(5, "lastFinishedAtMillis", false); n != nil {
		t := time.UnixMilli(*n).UTC()
		w.LastFinishedAt = &t
	}
	if r.err != nil {
		return nil, fmt.Errorf("wire: %s: %s", r.err.field, r.err.reason)
	}
	return w, nil
}

// Flutter API (native → Dart) methods.
const (
	FlutterBackgroundChannelInitialized = "backgroundChannelInitialized"
	FlutterExecuteTask                  = "executeTask"
	FlutterOnTaskStopped                = "onTaskStopped"
	FlutterOnProgressUpdate             = "onProgressUpdate"
)

// FlutterChannel is the Pigeon channel of a Flutter API method.
func FlutterChannel(method string) string { return FlutterAPIPrefix + method }

// EncodeBackgroundChannelInitialized is the handshake message: the generated
// Kotlin/Swift code sends null, which is an empty message.
func EncodeBackgroundChannelInitialized() (channel string, msg []byte) {
	return FlutterChannel(FlutterBackgroundChannelInitialized), []byte{}
}

// EncodeExecuteTask is executeTask(taskName, inputData): [taskName, map|null].
// Map keys are sorted. Integers are written as int64 (Kotlin writes Long as
// type 4; a Java Integer would be type 3 — Data keeps no such distinction).
func EncodeExecuteTask(taskName string, input osscheduler.Data) (channel string, msg []byte, err error) {
	msg, err = PigeonCodec.Encode([]any{taskName, dataToCodec(input)})
	return FlutterChannel(FlutterExecuteTask), msg, err
}

// EncodeOnTaskStopped is onTaskStopped(taskName, stopReason).
func EncodeOnTaskStopped(taskName string, reason int64) (channel string, msg []byte, err error) {
	msg, err = PigeonCodec.Encode([]any{taskName, reason})
	return FlutterChannel(FlutterOnTaskStopped), msg, err
}

// EncodeOnProgressUpdate is onProgressUpdate(uniqueName, progress).
func EncodeOnProgressUpdate(uniqueName string, progress osscheduler.Data) (channel string, msg []byte, err error) {
	msg, err = PigeonCodec.Encode([]any{uniqueName, dataToCodec(progress)})
	return FlutterChannel(FlutterOnProgressUpdate), msg, err
}

// FlutterCall is a decoded native → Dart message.
type FlutterCall struct {
	Method     string
	TaskName   string           // executeTask, onTaskStopped
	UniqueName string           // onProgressUpdate
	InputData  osscheduler.Data // executeTask; Progress for onProgressUpdate
	StopReason int64            // onTaskStopped
	Warnings   []string
}

// DecodeFlutterCall decodes a Flutter API message with the casts of the
// generated Dart handlers ("args[0]! as String").
func DecodeFlutterCall(channel string, msg []byte) (*FlutterCall, error) {
	if !strings.HasPrefix(channel, FlutterAPIPrefix) {
		return nil, pigeonErr(channel, "", nil, "", "not a WorkmanagerFlutterApi channel")
	}
	m := strings.TrimPrefix(channel, FlutterAPIPrefix)
	fail := func(field, format string, a ...any) (*FlutterCall, error) {
		return nil, pigeonErr(channel, m, nil, field, fmt.Sprintf(format, a...))
	}
	v, err := PigeonCodec.Decode(msg)
	if err != nil {
		return nil, pigeonErr(channel, m, err, "", "")
	}
	fc := &FlutterCall{Method: m}
	warn := func(f string, a ...any) { fc.Warnings = append(fc.Warnings, fmt.Sprintf(f, a...)) }
	if m == FlutterBackgroundChannelInitialized {
		return fc, nil
	}
	switch m {
	case FlutterExecuteTask, FlutterOnTaskStopped, FlutterOnProgressUpdate:
	default:
		return fail("", "no Flutter API method %q", m)
	}
	args, ok := v.([]any)
	if !ok || len(args) < 2 {
		return fail("message", "expected a 2-argument list, found %s", codec.Describe(v))
	}
	name, ok := args[0].(string)
	if !ok {
		return fail("args[0]", "expected String, found %s", codec.Describe(args[0]))
	}
	switch m {
	case FlutterExecuteTask, FlutterOnProgressUpdate:
		d, err := dataFromCodec(args[1], "args[1]", warn)
		if err != nil {
			return fail("args[1]", "%v", err)
		}
		fc.InputData = d
		if m == FlutterExecuteTask {
			fc.TaskName = name
		} else {
			fc.UniqueName = name
		}
	case FlutterOnTaskStopped:
		fc.TaskName = name
		switch n := args[1].(type) {
		case int64:
			fc.StopReason = n
		case int32:
			fc.StopReason = int64(n)
		default:
			return fail("args[1]", "expected int, found %s", codec.Describe(args[1]))
		}
	}
	return fc, nil
}
