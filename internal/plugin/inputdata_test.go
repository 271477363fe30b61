package plugin

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// convertPigeonInputData / normalizeInputDataValue (workmanager/test/
// pigeon_input_data_conversion_test.dart): null → null; null values and ”
// survive; homogeneous lists are typed; mixed and empty lists are dynamic;
// nested maps are converted recursively.
func TestDeliverTyping(t *testing.T) {
	assert.Nil(t, deliverData(nil))
	in := map[string]any{
		"s": "", "n": nil, "i": int64(1),
		"strs":   dartList{elem: "dynamic", items: []any{"a", "b"}},
		"ints":   dartList{elem: "dynamic", items: []any{int64(1), int64(2)}},
		"dbls":   dartList{elem: "dynamic", items: []any{1.5, 2.5}},
		"bools":  dartList{elem: "dynamic", items: []any{true, false}},
		"mixed":  dartList{elem: "dynamic", items: []any{"a", int64(1), true}},
		"empty":  dartList{elem: "dynamic", items: []any{}},
		"nested": map[string]any{"inner": map[string]any{"l": dartList{items: []any{"x"}}}},
	}
	got := deliverData(in)
	assert.Equal(t, osscheduler.Data{
		"s": "", "n": nil, "i": int64(1),
		"strs": []string{"a", "b"}, "ints": []int64{1, 2}, "dbls": []float64{1.5, 2.5}, "bools": []bool{true, false},
		"mixed": []any{"a", int64(1), true}, "empty": []any{},
		"nested": map[string]any{"inner": map[string]any{"l": []string{"x"}}},
	}, got)
	assert.Len(t, got, 10)
}

func TestDartValueNormalization(t *testing.T) {
	type custom struct{}
	_, err := normalizeInput(osscheduler.Data{"obj": custom{}})
	var de *DartError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "ArgumentError", de.Type)
	assert.Contains(t, de.Message, "plugin.custom")
	assert.Contains(t, de.Message, "'obj'")

	got, err := normalizeInput(osscheduler.Data{"a": []any{1, 2}, "b": DynamicList{1, 2}, "c": []string{}, "d": uint8(3), "e": float32(1.5)})
	require.NoError(t, err)
	assert.Equal(t, dartList{elem: "int", items: []any{int64(1), int64(2)}}, got["a"])
	assert.Equal(t, "dynamic", got["b"].(dartList).elem)
	assert.Equal(t, "String", got["c"].(dartList).elem)
	assert.Equal(t, int64(3), got["d"])
	assert.Equal(t, 1.5, got["e"])
}

// 0.5.1 workmanager.dart: only int, bool, double, String and their lists.
func TestValidate05(t *testing.T) {
	ok := []osscheduler.Data{
		{"i": 1, "b": true, "d": 1.5, "s": "x"},
		{"l": []int{1}, "m": []string{"a"}, "n": []float64{1}, "o": []bool{true}},
		{"inferred": []any{1, 2, 3}},
	}
	for _, d := range ok {
		n, err := normalizeInput(d)
		require.NoError(t, err)
		assert.NoError(t, validate05(n), "%v", d)
	}
	bad := []struct {
		d   osscheduler.Data
		key string
	}{
		{osscheduler.Data{"map": map[string]any{"a": 1}}, "map"},
		{osscheduler.Data{"dyn": DynamicList{1, 2}}, "dyn"},
		{osscheduler.Data{"mixed": []any{1, "a"}}, "mixed"},
		{osscheduler.Data{"empty": []any{}}, "empty"},
		{osscheduler.Data{"null": nil}, "null"},
		{osscheduler.Data{"bytes": []byte{1}}, "bytes"},
	}
	for _, c := range bad {
		n, err := normalizeInput(c.d)
		require.NoError(t, err)
		err = validate05(n)
		assert.Equal(t, &DartError{Type: "Exception", Message: "argument " + c.key + " has wrong type. WorkManager supports only int, bool, double, String and their list"}, err)
	}
}

// InputDataUtilsTest.kt: scalars round-trip (Long 9e9, a float 1.5); a String
// list is stored under payload_list with no JSON key; mixed values and maps go
// to json_payload_*; an unsupported value names its key.
func TestAndroidDataLayout(t *testing.T) {
	h := androidInit(t, V0_10)
	in, err := normalizeInput(osscheduler.Data{
		"str": "s", "bool": true, "int": 42, "long": int64(9_000_000_000), "float": float32(1.5), "double": 3.14,
		"list": []string{"a", "b"}, "mixed": []any{"a", 1.0, true}, "map": map[string]any{"x": 2.5, "y": "a/b"}, "nil": nil,
	})
	require.NoError(t, err)
	d, err := h.p.buildTaskInputData("task", in, nil, "uniq")
	require.NoError(t, err)
	v := d.values
	assert.Equal(t, "task", v["dev.fluttercommunity.workmanager.DART_TASK"])
	assert.Equal(t, "uniq", v["dev.fluttercommunity.workmanager.UNIQUE_NAME"])
	assert.Equal(t, "s", v["payload_str"])
	assert.Equal(t, int64(9_000_000_000), v["payload_long"])
	assert.Equal(t, 1.5, v["payload_float"])
	assert.Equal(t, []any{"a", "b"}, v["payload_list"])
	assert.NotContains(t, v, "json_payload_list")
	assert.Equal(t, `["a",1,true]`, v["json_payload_mixed"])
	assert.Equal(t, `{"x":2.5,"y":"a\/b"}`, v["json_payload_map"])
	assert.NotContains(t, v, "payload_nil", "filterNotNullKeys drops null values")
	assert.NotContains(t, v, "json_payload_nil")

	got := deliverData(decodeAndroidPayload(v))
	assert.Equal(t, osscheduler.Data{
		"str": "s", "bool": true, "int": int64(42), "long": int64(9_000_000_000), "float": 1.5, "double": 3.14,
		"list":  []string{"a", "b"},
		"mixed": []any{"a", int64(1), true}, // org.json writes 1.0 as 1: the double comes back an int
		"map":   map[string]any{"x": 2.5, "y": "a/b"},
	}, got)

	in, _ = normalizeInput(osscheduler.Data{"obj": Int32List{1, 2}})
	_, err = h.p.buildTaskInputData("task", in, nil, "uniq")
	assert.EqualError(t, err, "Unsupported payload type for key 'obj': int[]. Consider converting it to a supported type.")
	err = h.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{"obj": Float32List{1}}})
	var pe *PlatformError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "IllegalArgumentException", pe.Code)
	assert.Equal(t, "java.lang.IllegalArgumentException: Unsupported payload type for key 'obj': float[]. Consider converting it to a supported type.", pe.Message)
	assert.Equal(t, "invalid_input_data", h.j.Errors[len(h.j.Errors)-1].Code)
}

// refSerialize writes androidx Data's V1 format with encoding/binary, the
// way DataOutputStream does, to cross-check the size arithmetic.
func refSerialize(vals osscheduler.Data) int {
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.BigEndian, v) }
	utf := func(s string) { w(uint16(modifiedUTF8Len(s))); b.WriteString(strings.Repeat("x", modifiedUTF8Len(s))) }
	w(uint16(0xabef))
	w(uint16(1))
	w(int32(len(vals)))
	for _, k := range vals.Keys() {
		switch t := vals[k].(type) {
		case string:
			w(uint8(7))
			utf(t)
		case bool:
			w(uint8(1))
			w(t)
		case int64:
			if t >= math.MinInt32 && t <= math.MaxInt32 {
				w(uint8(3))
				w(int32(t))
			} else {
				w(uint8(4))
				w(t)
			}
		case float64:
			w(uint8(6))
			w(t)
		case []any:
			w(uint8(14))
			w(int32(len(t)))
			for _, e := range t {
				switch e := e.(type) {
				case string:
					utf(e)
				case int64:
					w(int32(e))
				case float64:
					w(e)
				case bool:
					w(e)
				}
			}
		}
		utf(k)
	}
	return b.Len()
}

func TestAndroidDataSize(t *testing.T) {
	h := androidInit(t, V0_10)
	cases := []osscheduler.Data{
		{},
		{"a": "hello", "b": true, "c": 7, "d": int64(1) << 40, "e": 2.5},
		{"list": []string{"x", "yy", "€"}},
		{"ints": []int{1, 2, 3}},
		{"uni": "ä€😀\x00"},
	}
	for _, c := range cases {
		in, err := normalizeInput(c)
		require.NoError(t, err)
		d, err := h.p.buildTaskInputData("t", in, nil, "u")
		require.NoError(t, err)
		assert.Equal(t, refSerialize(d.values), d.size, "%v", c)
	}
	assert.Equal(t, 2, modifiedUTF8Len("\x00"))
	assert.Equal(t, 2, modifiedUTF8Len("é"))
	assert.Equal(t, 3, modifiedUTF8Len("€"))
	assert.Equal(t, 6, modifiedUTF8Len("😀"))
}

// Data.MAX_DATA_BYTES = 10 240: a request of exactly 10 240 bytes builds, one
// byte more throws IllegalStateException from Data.Builder.build().
func TestAndroidDataLimit(t *testing.T) {
	h := androidInit(t, V0_10)
	base, err := h.p.buildTaskInputData("t", map[string]any{"k": ""}, nil, "u")
	require.NoError(t, err)
	fill := maxDataBytes - base.size
	in := map[string]any{"k": strings.Repeat("x", fill)}
	d, err := h.p.buildTaskInputData("t", in, nil, "u")
	require.NoError(t, err)
	assert.Equal(t, 10240, d.size)
	in["k"] = strings.Repeat("x", fill+1)
	_, err = h.p.buildTaskInputData("t", in, nil, "u")
	require.Error(t, err)

	err = h.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{"k": strings.Repeat("x", 11000)}})
	var pe *PlatformError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "IllegalStateException", pe.Code)
	assert.True(t, strings.HasPrefix(pe.Message, "java.lang.IllegalStateException: Data cannot occupy more than 10240 bytes when serialized"))
}

// 0.5 sends inputData as Dart's jsonEncode string; Dart jsonDecodes it, so
// lists arrive untyped and 1.0 stays a double.
func TestAndroidData05(t *testing.T) {
	h := androidInit(t, V0_5)
	require.NoError(t, h.p.RegisterOneOffTask("u", "t", OneOffOptions{InputData: osscheduler.Data{"ids": []int{1, 2}, "r": 1.0, "s": "a/b"}}))
	v := h.wm.last().req.Input
	assert.Equal(t, `{"ids":[1,2],"r":1.0,"s":"a/b"}`, v["be.tramckrijte.workmanager.INPUT_DATA"])
	assert.Equal(t, "t", v["be.tramckrijte.workmanager.DART_TASK"])
	assert.Equal(t, false, v["be.tramckrijte.workmanager.IS_IN_DEBUG_MODE_KEY"])
	assert.Equal(t, osscheduler.Data{"ids": []any{int64(1), int64(2)}, "r": 1.0, "s": "a/b"}, deliver05(v))
}

func TestNumberFormats(t *testing.T) {
	for f, want := range map[float64]string{1.0: "1.0", 3.14: "3.14", 1e-5: "1.0E-5", 1.2345e7: "1.2345E7", 0.001: "0.001", -2.5: "-2.5"} {
		assert.Equal(t, want, javaDouble(f))
	}
	for f, want := range map[float64]string{1.0: "1.0", 3.14: "3.14", 1e21: "1e+21", 1e-7: "1e-7", 1e20: "100000000000000000000.0", 0.000001: "0.000001"} {
		assert.Equal(t, want, dartDouble(f))
	}
}

func TestDartValueReflection(t *testing.T) {
	got, err := normalizeInput(osscheduler.Data{"m": map[string]string{"a": "b"}, "f": []float32{1.5}, "u": []uint16{1, 2}, "p": (*int)(nil)})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": "b"}, got["m"])
	assert.Equal(t, dartList{elem: "double", items: []any{1.5}}, got["f"])
	assert.Equal(t, dartList{elem: "int", items: []any{int64(1), int64(2)}}, got["u"])
	assert.Nil(t, got["p"])
	_, err = normalizeInput(osscheduler.Data{"bad": map[int]string{1: "a"}})
	assert.Error(t, err)
	_, err = normalizeInput(osscheduler.Data{"ch": make(chan int)})
	assert.ErrorContains(t, err, "Instance of 'chan int'")
}

// 0.5 stores the handle under the be.tramckrijte keys, and the debug flag on iOS.
func TestInitialize05Storage(t *testing.T) {
	h := newHarness(osscheduler.Android, V0_5)
	require.NoError(t, h.p.Initialize(9001, true))
	v, _ := h.dev.Store("app.shared_preferences").Get("flutter_workmanager_plugin/be.tramckrijte.workmanager.CALLBACK_DISPATCHER_HANDLE_KEY")
	assert.Equal(t, int64(9001), v)
	hi := newHarness(osscheduler.IOS, V0_5)
	require.NoError(t, hi.p.Initialize(9001, true))
	v, _ = hi.dev.Store("app.user_defaults").Get("be.tramckrijte.workmanager.userDefaults/be.tramckrijte.workmanager.isDebug")
	assert.Equal(t, true, v)
}
