package wire_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/wire"
)

func TestReplyEnvelopes(t *testing.T) {
	ch := wire.HostChannel(wire.MethodIsScheduledByUniqueName)
	// [] — Dart FlutterApi void handlers.
	assert.Equal(t, h("0c 00"), wire.EncodeReplyEmpty())
	// [true]
	b, err := wire.EncodeReplyValue(true)
	require.NoError(t, err)
	assert.Equal(t, h("0c 01 01"), b)
	r, err := wire.DecodeReply(ch, b)
	require.NoError(t, err)
	assert.Equal(t, wire.Reply{Value: true}, r)
	// [null]: a Kotlin void host method (wrapResult(null)).
	b, err = wire.EncodeReplyValue(nil)
	require.NoError(t, err)
	assert.Equal(t, h("0c 01 00"), b)
	// ["1", "msg", null]: iOS not-initialised code "1".
	msg := "msg"
	b, err = wire.EncodeReplyError("1", &msg, nil)
	require.NoError(t, err)
	assert.Equal(t, h("0c 03 07 01 31 07 03 6d7367 00"), b)
	r, err = wire.DecodeReply(ch, b)
	require.NoError(t, err)
	assert.Equal(t, &wire.PlatformError{Code: "1", Message: &msg}, r.Err)
	// null reply → channel-error.
	r, err = wire.DecodeReply(ch, nil)
	require.NoError(t, err)
	assert.Equal(t, "channel-error", r.Err.Code)
	r, err = wire.DecodeReply(ch, wire.EncodeReplyEmpty())
	require.NoError(t, err)
	assert.True(t, r.Empty)
	_, err = wire.DecodeReply(ch, h("0c 02 07 01 31 00"))
	require.ErrorContains(t, err, "3 elements")
	_, err = wire.DecodeReply(ch, h("01"))
	require.ErrorContains(t, err, "reply list")
}

func TestKotlinError(t *testing.T) {
	// Android, not initialised (reference §2a): code "Exception",
	// message "java.lang.Exception: You have not properly initialized ...".
	pe := wire.KotlinError("java.lang.Exception", "You have not properly initialized")
	assert.Equal(t, "Exception", pe.Code)
	assert.Equal(t, "java.lang.Exception: You have not properly initialized", *pe.Message)
	b, err := wire.EncodeReplyPlatformError(pe)
	require.NoError(t, err)
	r, err := wire.DecodeReply("c", b)
	require.NoError(t, err)
	assert.Equal(t, pe.Code, r.Err.Code)
}

func TestWorkInfoReply(t *testing.T) {
	// Android Dart test: WorkInfoData(succeeded, periodic, 'dart-task',
	// ['tag-a','tag-b'], 1700000000000) maps field for field.
	at := time.UnixMilli(1700000000000).UTC()
	w := &plugin.WorkInfo{UniqueName: "u", State: plugin.WorkSucceeded, IsPeriodic: true, TaskName: "dart-task",
		Tags: []string{"tag-a", "tag-b"}, LastFinishedAt: &at}
	b, err := wire.EncodeWorkInfoReply(w)
	require.NoError(t, err)
	// [WorkInfoData("u", succeeded=135/2, true, "dart-task", ["tag-a","tag-b"], 1700000000000=0x18BCFE56800)]
	assert.Equal(t, h(`0c 01 93 0c 06 07 01 75 87 04 0200000000000000 01 07 09 646172742d7461736b
		0c 02 07 05 7461672d61 07 05 7461672d62 04 0068e5cf8b010000`), b)
	r, err := wire.DecodeReply("c", b)
	require.NoError(t, err)
	back, err := wire.WorkInfoFromValue(r.Value)
	require.NoError(t, err)
	assert.Equal(t, w, back)

	// getWorkInfo reply [null] → null.
	b, err = wire.EncodeWorkInfoReply(nil)
	require.NoError(t, err)
	r, err = wire.DecodeReply("c", b)
	require.NoError(t, err)
	back, err = wire.WorkInfoFromValue(r.Value)
	require.NoError(t, err)
	assert.Nil(t, back)

	// Apple Dart test: failed, non-periodic, null tags → [].
	v := wire.Class{Type: wire.TypeWorkInfoData, Fields: []any{"u", wire.Enum{Type: wire.TypeWorkState, Index: 3}, false, nil, nil, nil}}
	back, err = wire.WorkInfoFromValue(v)
	require.NoError(t, err)
	assert.Equal(t, &plugin.WorkInfo{UniqueName: "u", State: plugin.WorkFailed, Tags: []string{}}, back)
	_, err = wire.WorkInfoFromValue(wire.Class{Type: wire.TypeWorkInfoData, Fields: []any{"u", wire.Enum{Type: wire.TypeWorkState, Index: 9}, false, nil, nil, nil}})
	require.ErrorContains(t, err, "out of range")
}

func TestFlutterAPIMessages(t *testing.T) {
	ch, msg := wire.EncodeBackgroundChannelInitialized()
	assert.Equal(t, wire.FlutterAPIPrefix+"backgroundChannelInitialized", ch)
	assert.Empty(t, msg)
	fc, err := wire.DecodeFlutterCall(ch, msg)
	require.NoError(t, err)
	assert.Equal(t, "backgroundChannelInitialized", fc.Method)

	// Dart test: executeTask ['dev.fluttercommunity.test.oneOff', {'foo':'bar'}].
	ch, msg, err = wire.EncodeExecuteTask("dev.fluttercommunity.test.oneOff", osscheduler.Data{"foo": "bar"})
	require.NoError(t, err)
	assert.Equal(t, wire.FlutterAPIPrefix+"executeTask", ch)
	want := append(append(h("0c 02 07 20"), "dev.fluttercommunity.test.oneOff"...), h("0d 01 07 03 666f6f 07 03 626172")...)
	assert.Equal(t, want, msg)
	fc, err = wire.DecodeFlutterCall(ch, msg)
	require.NoError(t, err)
	assert.Equal(t, osscheduler.Data{"foo": "bar"}, fc.InputData)

	// onTaskStopped ['task', 3]: the reason is a Kotlin Long → int64.
	ch, msg, err = wire.EncodeOnTaskStopped("task", 3)
	require.NoError(t, err)
	assert.Equal(t, h("0c 02 07 04 7461736b 04 0300000000000000"), msg)
	fc, err = wire.DecodeFlutterCall(ch, msg)
	require.NoError(t, err)
	assert.Equal(t, int64(3), fc.StopReason)

	// onProgressUpdate('dev.fluttercommunity.test.sync', {'progress':0.25,'nested':{'x':1}})
	ch, msg, err = wire.EncodeOnProgressUpdate("dev.fluttercommunity.test.sync", osscheduler.Data{"progress": 0.25, "nested": map[string]any{"x": int64(1)}})
	require.NoError(t, err)
	fc, err = wire.DecodeFlutterCall(ch, msg)
	require.NoError(t, err)
	assert.Equal(t, "dev.fluttercommunity.test.sync", fc.UniqueName)
	assert.Equal(t, osscheduler.Data{"progress": 0.25, "nested": map[string]any{"x": int64(1)}}, fc.InputData)

	_, err = wire.DecodeFlutterCall(wire.FlutterAPIPrefix+"executeTask", h("0c 01 07 01 61"))
	require.ErrorContains(t, err, "2-argument list")
	_, err = wire.DecodeFlutterCall("x", nil)
	require.Error(t, err)
}
