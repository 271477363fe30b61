package wire_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/codec"
	"github.com/wmsim/wmsim/internal/plugin/wire"
)

// h turns "0c 01 ..." into bytes; spaces and "|" separators are ignored.
func h(s string) []byte {
	s = strings.NewReplacer(" ", "", "|", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func i64(n string) string { return "04 " + n } // int64 payload given as 8 LE bytes

// Pigeon vectors, built by hand from workmanager_api.dart's field order and
// the generated Dart _PigeonCodec: every int is written as type 4 (int64),
// an enum as its type byte then its index as int64, a class as its type byte
// then the list of its fields. The message is the argument list.
var pigeonVectors = []struct {
	name   string
	method wire.Method
	wire   []byte
	want   *wire.Call
}{
	{
		// [InitializeRequest(callbackHandle: 9001)]; 9001 = 0x2329.
		name: "initialize", method: wire.MethodInitialize,
		wire: h("0c 01 | 8d 0c 01 | " + i64("2923000000000000")),
		want: &wire.Call{CallbackHandle: 9001},
	},
	{
		// [OneOffTaskRequest] with 11 fields:
		//  uniqueName "u", taskName "t", inputData {"k": 1}, initialDelaySeconds 30 (0x1e),
		//  constraints Constraints(connected=130/0, batteryNotLow true, charging null,
		//    deviceIdle null, storageNotLow false, contentUriTriggers null),
		//  backoffPolicy BackoffPolicyConfig(linear=131/1, 10000 ms = 0x2710),
		//  tag "g", existingWorkPolicy replace=132/2, outOfQuotaPolicy dropWorkRequest=134/1,
		//  foregroundServiceConfig null, expedited true.
		name: "registerOneOffTask full", method: wire.MethodRegisterOneOffTask,
		wire: h(`0c 01 | 8e 0c 0b | 07 01 75 | 07 01 74 | 0d 01 07 01 6b 04 0100000000000000 |
			04 1e00000000000000 |
			8a 0c 06 82 04 0000000000000000 01 00 00 02 00 |
			8c 0c 02 83 04 0100000000000000 04 1027000000000000 |
			07 01 67 | 84 04 0200000000000000 | 86 04 0100000000000000 | 00 | 01`),
		want: &wire.Call{UniqueName: "u", TaskName: "t", OneOff: &plugin.OneOffOptions{
			InputData:    osscheduler.Data{"k": int64(1)},
			InitialDelay: plugin.Ptr(30 * time.Second),
			Constraints: &plugin.Constraints{NetworkType: plugin.Ptr(plugin.NetworkConnected),
				RequiresBatteryNotLow: plugin.Ptr(true), RequiresStorageNotLow: plugin.Ptr(false)},
			BackoffPolicy: plugin.Ptr(plugin.BackoffLinear), BackoffPolicyDelay: plugin.Ptr(10 * time.Second),
			Tag: plugin.Ptr("g"), ExistingWorkPolicy: plugin.Ptr(plugin.ExistingReplace),
			OutOfQuotaPolicy: plugin.Ptr(plugin.DropWorkRequest), Expedited: true,
		}},
	},
	{
		// [OneOffTaskRequest("a","b", all 9 optional fields null)]: expedited null → false.
		name: "registerOneOffTask minimal", method: wire.MethodRegisterOneOffTask,
		wire: h("0c 01 8e 0c 0b 07 01 61 07 01 62 00 00 00 00 00 00 00 00 02"),
		want: &wire.Call{UniqueName: "a", TaskName: "b", OneOff: &plugin.OneOffOptions{}},
	},
	{
		// [PeriodicTaskRequest] with 11 fields: "p", "t", frequencySeconds 3600 (0x0e10),
		//  flexIntervalSeconds 900 (0x0384), inputData/initialDelay/constraints/backoff/tag null,
		//  existingWorkPolicy keep=133/0,
		//  ForegroundServiceConfig("T","X","c","n", notificationId 7, shortService=136/1).
		name: "registerPeriodicTask", method: wire.MethodRegisterPeriodicTask,
		wire: h(`0c 01 8f 0c 0b 07 01 70 07 01 74 04 100e000000000000 04 8403000000000000
			00 00 00 00 00 85 04 0000000000000000
			89 0c 06 07 01 54 07 01 58 07 01 63 07 01 6e 04 0700000000000000 88 04 0100000000000000`),
		want: &wire.Call{UniqueName: "p", TaskName: "t", Periodic: &plugin.PeriodicOptions{
			Frequency: plugin.Ptr(time.Hour), FlexInterval: plugin.Ptr(15 * time.Minute),
			ExistingWorkPolicy: plugin.Ptr(plugin.PeriodicKeep),
			ForegroundServiceConfig: &plugin.ForegroundServiceConfig{NotificationTitle: "T", NotificationText: "X",
				NotificationChannelID: "c", NotificationChannelName: "n", NotificationID: 7, ForegroundServiceType: 1},
		}},
	},
	{
		// [ProcessingTaskRequest("p","t", {"f": 1.5}, 60 s, unmetered=130/4, requiresCharging true)].
		// Offsets: 0c01 @0-1, 90 @2, 0c06 @3-4, "p" @5-7, "t" @8-10, 0d01 @11-12,
		// "f" @13-15, 06 @16 → value must start at 24: 7 zero pad bytes.
		name: "registerProcessingTask (float64 padding)", method: wire.MethodRegisterProcessingTask,
		wire: h(`0c 01 90 0c 06 07 01 70 07 01 74 0d 01 07 01 66 06 00000000000000 000000000000f83f
			04 3c00000000000000 82 04 0400000000000000 01`),
		want: &wire.Call{UniqueName: "p", TaskName: "t", Processing: &plugin.ProcessingOptions{
			InputData: osscheduler.Data{"f": 1.5}, InitialDelay: plugin.Ptr(time.Minute),
			Constraints: &plugin.Constraints{NetworkType: plugin.Ptr(plugin.NetworkUnmetered), RequiresCharging: plugin.Ptr(true)},
		}},
	},
	{
		// [HealthResearchTaskRequest("h","t", null, null, null, null)]: type 145 = 0x91.
		name: "registerHealthResearchTask", method: wire.MethodRegisterHealthResearchTask,
		wire: h("0c 01 91 0c 06 07 01 68 07 01 74 00 00 00 00"),
		want: &wire.Call{UniqueName: "h", TaskName: "t", Processing: &plugin.ProcessingOptions{}},
	},
	{
		// [ContinuedProcessingTaskRequest("c","t", title "Ti", subtitle null, inputData null)]: 146 = 0x92.
		name: "registerContinuedProcessingTask", method: wire.MethodRegisterContinuedProcessingTask,
		wire: h("0c 01 92 0c 05 07 01 63 07 01 74 07 02 5469 00 00"),
		want: &wire.Call{UniqueName: "c", TaskName: "t", ContinuedProcessing: &plugin.ContinuedProcessingOptions{Title: "Ti"}},
	},
	{
		// ["a"]
		name: "cancelByUniqueName", method: wire.MethodCancelByUniqueName,
		wire: h("0c 01 07 01 61"), want: &wire.Call{UniqueName: "a"},
	},
	{name: "cancelByTag", method: wire.MethodCancelByTag, wire: h("0c 01 07 03 746167"), want: &wire.Call{Tag: "tag"}},
	// Dart sends null for no-argument methods: an empty message.
	{name: "cancelAll", method: wire.MethodCancelAll, wire: []byte{}, want: &wire.Call{}},
	{name: "printScheduledTasks", method: wire.MethodPrintScheduledTasks, wire: []byte{}, want: &wire.Call{}},
	{name: "isScheduledByUniqueName", method: wire.MethodIsScheduledByUniqueName, wire: h("0c 01 07 01 78"), want: &wire.Call{UniqueName: "x"}},
	{name: "getWorkInfoByUniqueName", method: wire.MethodGetWorkInfoByUniqueName, wire: h("0c 01 07 01 78"), want: &wire.Call{UniqueName: "x"}},
	// [true]
	{name: "setProgressListener", method: wire.MethodSetProgressListener, wire: h("0c 01 01"), want: &wire.Call{Enabled: true}},
	{
		// [{"progress": 0.25}]: 0c01 @0-1, 0d01 @2-3, "progress" @4-13, 06 @14 → pad 1 to 16.
		name: "reportProgress", method: wire.MethodReportProgress,
		wire: h("0c 01 0d 01 07 08 70726f6772657373 06 00 000000000000d03f"),
		want: &wire.Call{Progress: osscheduler.Data{"progress": 0.25}},
	},
}

func TestPigeonVectors(t *testing.T) {
	for _, v := range pigeonVectors {
		t.Run(v.name, func(t *testing.T) {
			ch := wire.HostChannel(v.method)
			got, err := wire.DecodePigeon(ch, v.wire)
			require.NoError(t, err)
			want := *v.want
			want.Method, want.Protocol, want.Channel, want.WireMethod = v.method, wire.Pigeon, ch, string(v.method)
			assert.Equal(t, &want, got)

			// The encoder reproduces the exact bytes.
			ch2, b, err := wire.EncodePigeonCall(got)
			require.NoError(t, err)
			assert.Equal(t, ch, ch2)
			assert.Equal(t, hex.EncodeToString(v.wire), hex.EncodeToString(b))
		})
	}
}

func TestPigeonEncodingRules(t *testing.T) {
	// Durations truncate to whole seconds; backoff config only with both
	// policy and delay; nil frequency → 900 s.
	c := &wire.Call{Method: wire.MethodRegisterPeriodicTask, UniqueName: "u", TaskName: "t", Periodic: &plugin.PeriodicOptions{
		InitialDelay:  plugin.Ptr(1999 * time.Millisecond),
		BackoffPolicy: plugin.Ptr(plugin.BackoffLinear),
	}}
	_, b, err := wire.EncodePigeonCall(c)
	require.NoError(t, err)
	back, err := wire.DecodePigeon(wire.HostChannel(wire.MethodRegisterPeriodicTask), b)
	require.NoError(t, err)
	assert.Equal(t, plugin.Ptr(900*time.Second), back.Periodic.Frequency)
	assert.Equal(t, plugin.Ptr(time.Second), back.Periodic.InitialDelay)
	assert.Nil(t, back.Periodic.BackoffPolicy, "policy without delay is not sent")
	assert.Nil(t, back.Periodic.BackoffPolicyDelay)
}

func TestPigeonAcceptsInt32AndWarns(t *testing.T) {
	// A plain StandardMessageCodec would write small ints as int32; hosts
	// reading "as Long?" get them via Pigeon's int64, but we accept both.
	// Also: an extra 12th field is ignored with a warning, and an enum index
	// out of range reads as null (Kotlin ofRaw) with a warning.
	msg := h("0c 01 8e 0c 0c 07 01 61 07 01 62 00 03 05000000 00 00 00 84 04 0900000000000000 00 00 00 00")
	c, err := wire.DecodePigeon(wire.HostChannel(wire.MethodRegisterOneOffTask), msg)
	require.NoError(t, err)
	assert.Equal(t, plugin.Ptr(5*time.Second), c.OneOff.InitialDelay)
	assert.Nil(t, c.OneOff.ExistingWorkPolicy)
	require.Len(t, c.Warnings, 2)
	assert.Contains(t, c.Warnings[0], "12 fields, 11 expected")
	assert.Contains(t, c.Warnings[1], "ExistingWorkPolicy index 9 is out of range")
}

func TestPigeonInputDataConversion(t *testing.T) {
	// {null: "x", "i": int32 7, "l": [1, "a"], "m": {"n": true}, "b": Uint8List[1]}
	in := codec.Map{
		{Key: nil, Value: "x"},
		{Key: "i", Value: int32(7)},
		{Key: "l", Value: []any{int64(1), "a"}},
		{Key: "m", Value: codec.Map{{Key: "n", Value: true}}},
		{Key: "z", Value: nil},
	}
	msg, err := wire.PigeonCodec.Encode([]any{in})
	require.NoError(t, err)
	c, err := wire.DecodePigeon(wire.HostChannel(wire.MethodReportProgress), msg)
	require.NoError(t, err)
	assert.Equal(t, osscheduler.Data{"i": int64(7), "l": []any{int64(1), "a"}, "m": map[string]any{"n": true}, "z": nil}, c.Progress)
	require.Len(t, c.Warnings, 1)
	assert.Contains(t, c.Warnings[0], "null key")
}

func TestPigeonErrors(t *testing.T) {
	ch := wire.HostChannel(wire.MethodRegisterOneOffTask)
	cases := []struct {
		name    string
		channel string
		msg     []byte
		offset  int
		want    string
	}{
		{"unknown channel", "dev.flutter.pigeon.other.Api.x", h("00"), -1, "not a WorkmanagerHostApi channel"},
		{"unknown method", wire.HostAPIPrefix + "nope", h("00"), -1, "no host method"},
		{"truncated", ch, h("0c 01 8e 0c 01 07 05 61"), 7, "[0]<OneOffTaskRequest>[0]: expected 5 bytes of UTF-8 text, found 1 byte(s) left"},
		{"trailing byte", ch, h("0c 00 00"), 2, "trailing"},
		{"null message", ch, nil, -1, "expected the argument list, found null"},
		{"empty args", ch, h("0c 00"), -1, "argument list is empty"},
		{"wrong class", ch, h("0c 01 8d 0c 01 04 0100000000000000"), -1, "expected OneOffTaskRequest, found InitializeRequest"},
		{"missing fields", ch, h("0c 01 8e 0c 02 07 01 61 07 01 62"), -1, "request.inputData: missing"},
		{"null uniqueName", ch, h("0c 01 8e 0c 0b 00 07 01 62 00 00 00 00 00 00 00 00 00"), -1, "request.uniqueName: null"},
		{"wrong field type", ch, h("0c 01 8e 0c 0b 07 01 61 07 01 62 00 07 01 78 00 00 00 00 00 00 00"), -1, "request.initialDelaySeconds: expected int, found string"},
		{"enum of wrong type", ch, h("0c 01 8e 0c 0b 07 01 61 07 01 62 00 00 00 00 00 82 04 0000000000000000 00 00 00"), -1, "expected ExistingWorkPolicy, found NetworkType(0)"},
		{"enum payload not int", ch, h("0c 01 82 07 01 61"), 3, "int index for enum NetworkType"},
		{"class payload not list", ch, h("0c 01 8e 00"), 3, "list of fields for class OneOffTaskRequest"},
		{"bad inputData key", ch, h("0c 01 8e 0c 0b 07 01 61 07 01 62 0d 01 01 00 00 00 00 00 00 00 00 00"), -1, "key is bool"},
		{"large int in inputData", ch, h("0c 01 8e 0c 0b 07 01 61 07 01 62 0d 01 07 01 6b 05 01 31 00 00 00 00 00 00 00 00"), -1, "unsupported inputData value largeInt"},
		{"nested constraint error", ch, h("0c 01 8e 0c 0b 07 01 61 07 01 62 00 00 8a 0c 01 01 00 00 00 00 00 00"), -1, "request.constraints.networkType: expected NetworkType, found bool"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := wire.DecodePigeon(c.channel, c.msg)
			require.Error(t, err)
			e, ok := wire.AsError(err)
			require.True(t, ok)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, c.offset, e.Offset, "%v", err)
			assert.True(t, e.NoReply)
			// What Dart sees: the generated code's channel-error.
			pe := e.Dart(osscheduler.Android)
			assert.Equal(t, "channel-error", pe.Code)
			assert.Equal(t, `Unable to establish connection on channel: "`+c.channel+`".`, *pe.Message)
			assert.Nil(t, e.Reply(osscheduler.Android))
		})
	}
}

func TestBase64(t *testing.T) {
	c := &wire.Call{Method: wire.MethodRegisterOneOffTask, UniqueName: "bin-1", TaskName: "t", OneOff: &plugin.OneOffOptions{}}
	ch, msg, err := wire.EncodePigeonCallBase64(c)
	require.NoError(t, err)
	// SCENARIO-FORMAT.md's example message starts "DAGODAsHBWJpbi0x":
	// 0c 01 8e 0c 0b 07 05 "bin-1".
	assert.True(t, strings.HasPrefix(msg, "DAGODAsHBWJpbi0x"), msg)
	back, err := wire.DecodePigeonBase64(ch, msg)
	require.NoError(t, err)
	assert.Equal(t, "bin-1", back.UniqueName)
	_, err = wire.DecodePigeonBase64(ch, "!!")
	require.ErrorContains(t, err, "base64")
}

func TestDecodeDispatch(t *testing.T) {
	c, err := wire.Decode(wire.HostChannel(wire.MethodCancelByTag), h("0c 01 07 01 67"))
	require.NoError(t, err)
	assert.Equal(t, wire.Pigeon, c.Protocol)
	b, err := wire.EncodeLegacyCall(&wire.Call{Method: wire.MethodCancelByTag, Tag: "g"})
	require.NoError(t, err)
	c, err = wire.Decode(wire.LegacyPrefix0_8+wire.LegacyForegroundName, b)
	require.NoError(t, err)
	assert.Equal(t, wire.Legacy, c.Protocol)
	assert.Equal(t, "g", c.Tag)
}

// workmanager 0.10.10's ready handshake (#738) takes no arguments, like
// cancelAll: Dart sends null.
func TestNotifyBackgroundChannelInitialized(t *testing.T) {
	ch, b, err := wire.EncodePigeonCall(&wire.Call{Method: wire.MethodNotifyBackgroundChannelInitialized})
	require.NoError(t, err)
	assert.Equal(t, "dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi.notifyBackgroundChannelInitialized", ch)
	c, err := wire.DecodePigeon(ch, b)
	require.NoError(t, err)
	assert.Equal(t, wire.MethodNotifyBackgroundChannelInitialized, c.Method)
	assert.Empty(t, c.Warnings)
}
