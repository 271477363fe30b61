package wire_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
	"github.com/wmsim/wmsim/internal/plugin/codec"
	"github.com/wmsim/wmsim/internal/plugin/wire"
)

// full16 is the map 0.5's JsonMapperHelper.toRegisterMethodArgument builds
// for registerOneOffTask("1", "simpleTask", initialDelay 30 s, constraints
// (not_required, batteryNotLow true, others null), backoff linear 1 s,
// outOfQuota drop_work_request, inputData {"a": 1, "b": [1.5], "c": "x"}):
// the 0.5 test "a 1 s backoff is sent as 1000 and inputData is JSON".
func full16() map[string]any {
	return map[string]any{
		"isInDebugMode": true, "uniqueName": "1", "taskName": "simpleTask", "tag": nil,
		"frequency": nil, "existingWorkPolicy": "replace", "initialDelaySeconds": 30,
		"networkType": "not_required", "requiresBatteryNotLow": true, "requiresCharging": nil,
		"requiresDeviceIdle": nil, "requiresStorageNotLow": nil, "backoffPolicyType": "linear",
		"backoffDelayInMilliseconds": 1000, "outOfQuotaPolicy": "drop_work_request",
		"inputData": `{"a":1,"b":[1.5],"c":"x"}`,
	}
}

func TestLegacyRegisterOneOff16Keys(t *testing.T) {
	for _, prefix := range []string{wire.LegacyPrefix0_5, wire.LegacyPrefix0_8} {
		ch := prefix + wire.LegacyForegroundName
		c, err := wire.DecodeLegacy(ch, "registerOneOffTask", full16())
		require.NoError(t, err)
		js := `{"a":1,"b":[1.5],"c":"x"}`
		assert.Equal(t, &wire.Call{
			Method: wire.MethodRegisterOneOffTask, Protocol: wire.Legacy, Channel: ch, WireMethod: "registerOneOffTask",
			IsInDebugMode: true, UniqueName: "1", TaskName: "simpleTask",
			OneOff: &plugin.OneOffOptions{
				InputData:          osscheduler.Data{"a": int64(1), "b": []any{1.5}, "c": "x"},
				InitialDelay:       plugin.Ptr(30 * time.Second),
				Constraints:        &plugin.Constraints{NetworkType: plugin.Ptr(plugin.NetworkNotRequired), RequiresBatteryNotLow: plugin.Ptr(true)},
				ExistingWorkPolicy: plugin.Ptr(plugin.ExistingReplace),
				BackoffPolicy:      plugin.Ptr(plugin.BackoffLinear), BackoffPolicyDelay: plugin.Ptr(time.Second),
				OutOfQuotaPolicy: plugin.Ptr(plugin.DropWorkRequest),
			},
			InputDataJSON: &js,
		}, c)
	}
}

func TestLegacyAllNulls(t *testing.T) {
	m := map[string]any{}
	for _, k := range wire.LegacyRegisterKeys {
		m[k] = nil
	}
	m["isInDebugMode"], m["uniqueName"], m["taskName"] = false, "u", "t"
	c, err := wire.DecodeLegacy(wire.LegacyForegroundChan, "registerPeriodicTask", m)
	require.NoError(t, err)
	assert.Equal(t, &plugin.PeriodicOptions{}, c.Periodic)
	assert.Nil(t, c.InputDataJSON)
	assert.Empty(t, c.Warnings)
}

func TestLegacyEnumSpellings(t *testing.T) {
	// 0.5 sends snake_case (options.dart), 0.8+ camelCase; both decode.
	cases := []struct {
		key, value string
		check      func(*wire.Call) any
		want       any
	}{
		{"networkType", "not_required", func(c *wire.Call) any { return *c.OneOff.Constraints.NetworkType }, plugin.NetworkNotRequired},
		{"networkType", "notRequired", func(c *wire.Call) any { return *c.OneOff.Constraints.NetworkType }, plugin.NetworkNotRequired},
		{"networkType", "temporarily_unmetered", func(c *wire.Call) any { return *c.OneOff.Constraints.NetworkType }, plugin.NetworkTemporarilyUnmetered},
		{"networkType", "NOT_ROAMING", func(c *wire.Call) any { return *c.OneOff.Constraints.NetworkType }, plugin.NetworkNotRoaming},
		{"outOfQuotaPolicy", "drop_work_request", func(c *wire.Call) any { return *c.OneOff.OutOfQuotaPolicy }, plugin.DropWorkRequest},
		{"outOfQuotaPolicy", "runAsNonExpeditedWorkRequest", func(c *wire.Call) any { return *c.OneOff.OutOfQuotaPolicy }, plugin.RunAsNonExpeditedWorkRequest},
		{"existingWorkPolicy", "append", func(c *wire.Call) any { return *c.OneOff.ExistingWorkPolicy }, plugin.ExistingAppend},
		{"existingWorkPolicy", "keep", func(c *wire.Call) any { return *c.OneOff.ExistingWorkPolicy }, plugin.ExistingKeep},
		{"backoffPolicyType", "exponential", func(c *wire.Call) any { return *c.OneOff.BackoffPolicy }, plugin.BackoffExponential},
	}
	for _, tc := range cases {
		m := full16()
		m[tc.key] = tc.value
		c, err := wire.DecodeLegacy(wire.LegacyForegroundChan, "registerOneOffTask", m)
		require.NoError(t, err, "%s=%s", tc.key, tc.value)
		assert.Equal(t, tc.want, tc.check(c), "%s=%s", tc.key, tc.value)
		assert.Empty(t, c.Warnings)
	}
}

func TestLegacyUnknownEnumFallsBack(t *testing.T) {
	// Extractor.kt: valueOf throws, the catch returns the default. An unknown
	// backoff type still creates a backoff (EXPONENTIAL).
	m := full16()
	m["networkType"] = "wifi"
	m["backoffPolicyType"] = "fibonacci"
	c, err := wire.DecodeLegacy(wire.LegacyForegroundChan, "registerOneOffTask", m)
	require.NoError(t, err)
	assert.Nil(t, c.OneOff.Constraints.NetworkType)
	assert.Equal(t, plugin.BackoffExponential, *c.OneOff.BackoffPolicy)
	require.Len(t, c.Warnings, 2)
	assert.Contains(t, c.Warnings[0], `networkType: "wifi"`)

	// Periodic with the one-off name "append": ExistingPeriodicWorkPolicy has
	// no APPEND, so the 0.5 default KEEP applies (nil here).
	m = full16()
	m["existingWorkPolicy"] = "append"
	m["frequency"] = 3600
	c, err = wire.DecodeLegacy(wire.LegacyForegroundChan, "registerPeriodicTask", m)
	require.NoError(t, err)
	assert.Nil(t, c.Periodic.ExistingWorkPolicy)
	assert.Equal(t, time.Hour, *c.Periodic.Frequency)
	assert.Equal(t, plugin.DropWorkRequest, *c.LegacyPeriodicOutOfQuota)
	assert.Contains(t, c.Warnings[0], "existingWorkPolicy")
}

func TestLegacyBackoffNeedsType(t *testing.T) {
	m := full16()
	m["backoffPolicyType"] = nil
	m["backoffDelayInMilliseconds"] = 0 // 0.5 default Duration.zero
	c, err := wire.DecodeLegacy(wire.LegacyForegroundChan, "registerOneOffTask", m)
	require.NoError(t, err)
	assert.Nil(t, c.OneOff.BackoffPolicy)
	assert.Nil(t, c.OneOff.BackoffPolicyDelay)
	assert.Empty(t, c.Warnings)
}

func TestLegacyOtherMethods(t *testing.T) {
	ch := wire.LegacyForegroundChan
	// toInitializeMethodArgument(true, 9001) → {'isInDebugMode':true,'callbackHandle':9001}
	c, err := wire.DecodeLegacy(ch, "initialize", map[string]any{"isInDebugMode": true, "callbackHandle": 9001})
	require.NoError(t, err)
	assert.Equal(t, int64(9001), c.CallbackHandle)
	assert.True(t, c.IsInDebugMode)

	c, err = wire.DecodeLegacy(ch, "cancelTaskByUniqueName", map[string]any{"uniqueName": "u"})
	require.NoError(t, err)
	assert.Equal(t, wire.MethodCancelByUniqueName, c.Method)
	assert.Equal(t, "u", c.UniqueName)

	c, err = wire.DecodeLegacy(ch, "cancelTaskByTag", map[string]any{"tag": "g"})
	require.NoError(t, err)
	assert.Equal(t, wire.MethodCancelByTag, c.Method)
	assert.Equal(t, "g", c.Tag)

	c, err = wire.DecodeLegacy(ch, "cancelAllTasks", nil)
	require.NoError(t, err)
	assert.Equal(t, wire.MethodCancelAll, c.Method)

	c, err = wire.DecodeLegacy(wire.LegacyBackgroundChan, "backgroundChannelInitialized", nil)
	require.NoError(t, err)
	assert.Equal(t, wire.MethodBackgroundChannelInitialized, c.Method)
}

func TestLegacyErrors(t *testing.T) {
	ch := wire.LegacyForegroundChan
	str := func(s string) *string { return &s }
	cases := []struct {
		name        string
		method      string
		args        any
		android     wire.PlatformError
		ios         wire.PlatformError
		notImpl     bool
		wantInError string
	}{
		{
			// Extractor.kt → Failed("Invalid parameters passed") → result.error(code, null, null);
			// iOS 0.5 WMPError.invalidParameters: code "\(self) error".
			name: "initialize without handle", method: "initialize", args: map[string]any{"isInDebugMode": false},
			android:     wire.PlatformError{Code: "Invalid parameters passed"},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "callbackHandle: missing or null",
		},
		{
			name: "initialize with null args", method: "initialize", args: nil,
			android:     wire.PlatformError{Code: "Invalid parameters passed"},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "callbackHandle",
		},
		{
			// `!!` on a null uniqueName: NullPointerException, caught by MethodChannel → "error".
			name: "register without uniqueName", method: "registerOneOffTask",
			args:        func() map[string]any { m := full16(); delete(m, "uniqueName"); return m }(),
			android:     wire.PlatformError{Code: "error"},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "uniqueName: missing or null",
		},
		{
			name: "wrong type", method: "registerOneOffTask",
			args:        func() map[string]any { m := full16(); m["initialDelaySeconds"] = "30"; return m }(),
			android:     wire.PlatformError{Code: "error", Message: str("java.lang.String cannot be cast to java.lang.Integer")},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "initialDelaySeconds: expected java.lang.Integer, found string",
		},
		{
			name: "bad JSON", method: "registerOneOffTask",
			args:        func() map[string]any { m := full16(); m["inputData"] = "{"; return m }(),
			android:     wire.PlatformError{Code: "error"},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "not valid JSON",
		},
		{
			name: "unknown method", method: "registerProcessingTask", args: nil, notImpl: true,
			android:     wire.PlatformError{Code: "MissingPluginException", Message: str("No implementation found for method registerProcessingTask on channel " + ch)},
			ios:         wire.PlatformError{Code: "MissingPluginException", Message: str("No implementation found for method registerProcessingTask on channel " + ch)},
			wantInError: "notImplemented",
		},
		{
			name: "cancel by tag without tag", method: "cancelTaskByTag", args: map[string]any{},
			android:     wire.PlatformError{Code: "error"},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "tag: missing",
		},
		{
			name: "args not a map", method: "cancelTaskByTag", args: []any{"x"},
			android:     wire.PlatformError{Code: "error", Message: str("java.lang.ClassCastException")},
			ios:         wire.PlatformError{Code: "invalidParameters error", Message: str("Invalid parameters passed")},
			wantInError: "not a map",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := wire.DecodeLegacy(ch, c.method, c.args)
			require.Error(t, err)
			e, ok := wire.AsError(err)
			require.True(t, ok)
			assert.Contains(t, err.Error(), c.wantInError)
			assert.Equal(t, c.notImpl, e.NotImplemented)
			assert.Equal(t, c.android, e.Dart(osscheduler.Android))
			assert.Equal(t, c.ios, e.Dart(osscheduler.IOS))
			if c.notImpl {
				assert.Nil(t, e.Reply(osscheduler.Android))
			} else {
				env, err := codec.Standard.DecodeEnvelope(e.Reply(osscheduler.Android))
				require.NoError(t, err)
				assert.Equal(t, c.android.Code, env.Code)
			}
		})
	}
	_, err := wire.DecodeLegacy("some/channel", "initialize", nil)
	require.ErrorContains(t, err, "not a legacy workmanager channel")
}

func TestLegacyBytes(t *testing.T) {
	// The 0.5 test: toInitializeMethodArgument(true, 9001), sent with
	// StandardMethodCodec: "initialize" string, then the map in literal order.
	// 07 0a "initialize" | 0d 02 | 07 0d "isInDebugMode" 01 | 07 0e "callbackHandle" 03 29230000
	want := h("07 0a 696e697469616c697a65 0d 02 07 0d 6973496e44656275674d6f6465 01 07 0e 63616c6c6261636b48616e646c65 03 29230000")
	b, err := wire.EncodeLegacyCall(&wire.Call{Method: wire.MethodInitialize, IsInDebugMode: true, CallbackHandle: 9001})
	require.NoError(t, err)
	assert.Equal(t, want, b)
	c, err := wire.DecodeLegacyBytes(wire.LegacyForegroundChan, want)
	require.NoError(t, err)
	assert.Equal(t, int64(9001), c.CallbackHandle)

	// Register calls round-trip through the 16-key map.
	orig, err := wire.DecodeLegacy(wire.LegacyForegroundChan, "registerOneOffTask", full16())
	require.NoError(t, err)
	b, err = wire.EncodeLegacyCall(orig)
	require.NoError(t, err)
	back, err := wire.DecodeLegacyBytes(wire.LegacyForegroundChan, b)
	require.NoError(t, err)
	assert.Equal(t, orig.OneOff, back.OneOff)
	_, args, err := codec.Standard.DecodeMethodCall(b)
	require.NoError(t, err)
	require.Len(t, args, 16)
	for i, k := range wire.LegacyRegisterKeys {
		assert.Equal(t, k, args.(codec.Map)[i].Key)
	}

	_, err = wire.DecodeLegacyBytes(wire.LegacyForegroundChan, h("07 01"))
	e, ok := wire.AsError(err)
	require.True(t, ok)
	assert.Equal(t, 2, e.Offset)
	assert.True(t, e.NoReply)
}
