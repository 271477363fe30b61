package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// h turns "03 ff ff" into bytes; spaces are ignored.
func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func zeros(n int) string { return strings.Repeat("00", n) }

// Every vector below is derived by hand from the format in
// message_codecs.dart (StandardMessageCodec.writeValue / WriteBuffer): type
// byte, then payload, little endian, alignment relative to message start.
var vectors = []struct {
	name  string
	value any
	wire  []byte
}{
	{"null (message-level null is empty; a null value inside is 00)", []any{nil}, h("0c 01 00")},
	{"true", true, h("01")},
	{"false", false, h("02")},
	{"int32 -1", int32(-1), h("03 ffffffff")},
	{"int32 0x12345678 little endian", int32(0x12345678), h("03 78563412")},
	{"int32 min", int32(math.MinInt32), h("03 00000080")},
	{"int64 1<<40", int64(1 << 40), h("04 0000000000010000")},
	{"int64 -2", int64(-2), h("04 feffffffffffffff")},
	{"largeInt hex text", codec.LargeInt("-1a"), h("05 03 2d3161")},
	// type at 0, value must start at 8: 7 zero bytes of padding.
	{"float64 1.5 padded to offset 8", 1.5, h("06" + zeros(7) + "000000000000f83f")},
	// list header 0c 01, type 06 at 2, next offset 3 → 5 padding bytes.
	{"float64 inside list: 5 pad bytes", []any{1.5}, h("0c 01 06" + zeros(5) + "000000000000f83f")},
	// 0c 02 | 03 01000000 (offsets 2..6) | 06 at 7 → already aligned at 8: no padding.
	{"float64 already aligned: no padding", []any{int32(1), math.Copysign(0, -1)}, h("0c 02 03 01000000 06 0000000000000080")},
	{"string", "hello", h("07 05 68656c6c6f")},
	{"string UTF-8 bytes counted", "é", h("07 02 c3a9")},
	{"empty string", "", h("07 00")},
	{"Uint8List", []byte{1, 2, 3}, h("08 03 010203")},
	// 09 02 then offset 2 → 2 pad bytes to 4.
	{"Int32List 2 pad", []int32{1, -1}, h("09 02 0000 01000000 ffffffff")},
	{"Int32List empty still aligned", []int32{}, h("09 00 0000")},
	// 0a 01 then offset 2 → 6 pad bytes to 8.
	{"Int64List 6 pad", []int64{7}, h("0a 01" + zeros(6) + "0700000000000000")},
	{"Float64List 6 pad", []float64{0.5}, h("0b 01" + zeros(6) + "000000000000e03f")},
	{"Float32List 2 pad", []float32{1}, h("0e 01 0000 0000803f")},
	{"list", []any{int32(1), "a"}, h("0c 02 03 01000000 07 01 61")},
	{"map keeps order, any keys", codec.Map{{Key: "a", Value: nil}, {Key: int32(1), Value: true}}, h("0d 02 07 01 61 00 03 01000000 01")},
	{"map with null key", codec.Map{{Key: nil, Value: "x"}}, h("0d 01 00 07 01 78")},
	{"nested", []any{codec.Map{{Key: "l", Value: []any{false}}}}, h("0c 01 0d 01 07 01 6c 0c 01 02")},
}

func TestVectorsRoundTrip(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			got, err := codec.Standard.Encode(v.value)
			require.NoError(t, err)
			assert.Equal(t, hex.EncodeToString(v.wire), hex.EncodeToString(got))
			back, err := codec.Standard.Decode(v.wire)
			require.NoError(t, err)
			assert.True(t, codec.Equal(v.value, back), "decoded %#v", back)
		})
	}
}

func TestSizeEscapes(t *testing.T) {
	// writeSize: <254 one byte; ≤0xffff → 254 + uint16 LE; else 255 + uint32 LE.
	cases := []struct {
		n      int
		header string
	}{
		{0, "00"}, {253, "fd"}, {254, "fe fe00"}, {255, "fe ff00"}, {65535, "fe ffff"}, {65536, "ff 00000100"},
	}
	for _, c := range cases {
		s := strings.Repeat("x", c.n)
		got, err := codec.Standard.Encode(s)
		require.NoError(t, err)
		hdr := h("07 " + c.header)
		require.True(t, bytes.HasPrefix(got, hdr), "n=%d header %x", c.n, got[:min(len(got), 6)])
		require.Len(t, got, len(hdr)+c.n)
		back, err := codec.Standard.Decode(got)
		require.NoError(t, err)
		require.Equal(t, s, back)
	}
	// A list of 254 nulls: 0c fe fe00 then 254 × 00.
	l := make([]any, 254)
	got, err := codec.Standard.Encode(l)
	require.NoError(t, err)
	assert.Equal(t, h("0c fe fe00"+zeros(254)), got)
	// Non-canonical sizes decode too (254 escape for a small size).
	v, err := codec.Standard.Decode(h("07 fe 0100 61"))
	require.NoError(t, err)
	assert.Equal(t, "a", v)
}

func TestIntEncodingFollowsDartRule(t *testing.T) {
	// Dart writes an int as int32 when -2^31 <= v <= 2^31-1, else int64.
	for _, c := range []struct {
		v    int
		wire string
	}{
		{0, "03 00000000"},
		{math.MaxInt32, "03 ffffff7f"},
		{math.MaxInt32 + 1, "04 0000008000000000"},
		{math.MinInt32, "03 00000080"},
		{math.MinInt32 - 1, "04 ffffff7fffffffff"},
	} {
		got, err := codec.Standard.Encode(c.v)
		require.NoError(t, err)
		assert.Equal(t, h(c.wire), got, "%d", c.v)
	}
}

func TestEmptyMessageIsNull(t *testing.T) {
	v, err := codec.Standard.Decode(nil)
	require.NoError(t, err)
	assert.Nil(t, v)
	b, err := codec.Standard.Encode(nil)
	require.NoError(t, err)
	assert.Empty(t, b)
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name   string
		wire   []byte
		offset int
		want   string
	}{
		{"truncated int32", h("03 0102"), 1, "4 bytes of int32"},
		{"truncated int64", h("04 01"), 1, "8 bytes of int64"},
		{"unassigned type byte", h("0f"), 0, "type byte 0–14"},
		{"unregistered custom type", h("81 00"), 0, "custom type 129"},
		{"bad padding", h("06 01" + zeros(6) + zeros(8)), 1, "zero alignment padding"},
		{"truncated padding", h("06 0000"), 1, "alignment padding"},
		{"oversize list length bound by remaining bytes", h("0c ff ffffff7f 00"), 6, "2147483647 list elements"},
		{"oversize string", h("07 fe 0001 61"), 4, "256 bytes of UTF-8"},
		{"oversize Int64List", h("0a 02" + zeros(6) + "0100000000000000"), 8, "2 int64 elements"},
		{"oversize map", h("0d 03 00 00"), 2, "3 map entries"},
		{"truncated size escape", h("07 fe 01"), 1, "uint16 size"},
		{"truncated size 255", h("07 ff 010000"), 1, "uint32 size"},
		{"trailing bytes", h("00 00"), 1, "end of message"},
		{"list shorter than its size", h("0c 02 00"), 2, "2 list elements"},
		{"empty list element", h("0c 01 03 0100"), 3, "4 bytes of int32"},
		{"invalid UTF-8", h("07 01 ff"), 2, "valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := codec.Standard.Decode(c.wire)
			var de *codec.DecodeError
			require.True(t, errors.As(err, &de), "err %v", err)
			assert.Equal(t, c.offset, de.Offset, "%v", err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestErrorPath(t *testing.T) {
	_, err := codec.Standard.Decode(h("0c 02 00 0d 01 07 01 6b 03 01"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "[1]{k}")
}

func TestLenientPadding(t *testing.T) {
	c := codec.New()
	c.AllowNonZeroPadding = true
	v, err := c.Decode(h("06 01020304050607 000000000000f83f"))
	require.NoError(t, err)
	assert.Equal(t, 1.5, v)
}

func TestMaxDepth(t *testing.T) {
	deep := bytes.Repeat(h("0c 01"), codec.DefaultMaxDepth+1)
	deep = append(deep, 0)
	_, err := codec.Standard.Decode(deep)
	require.ErrorContains(t, err, "nesting")
}

func TestCustomTypes(t *testing.T) {
	type point struct{ X, Y int64 }
	c := codec.New()
	require.Error(t, c.RegisterReader(14, nil))
	require.NoError(t, c.RegisterReader(200, func(d *codec.Decoder, _ codec.Type) (any, error) {
		v, err := d.ReadValue()
		if err != nil {
			return nil, err
		}
		l, ok := v.([]any)
		if !ok || len(l) != 2 {
			return nil, d.Errorf("a 2-list", "%s", codec.Describe(v))
		}
		return point{l[0].(int64), l[1].(int64)}, nil
	}))
	c.RegisterWriter(func(e *codec.Encoder, v any) (bool, error) {
		p, ok := v.(point)
		if !ok {
			return false, nil
		}
		_ = e.WriteByte(200)
		return true, e.WriteValue([]any{p.X, p.Y})
	})
	b, err := c.Encode(point{1, 2})
	require.NoError(t, err)
	assert.Equal(t, h("c8 0c 02 04 0100000000000000 04 0200000000000000"), b)
	v, err := c.Decode(b)
	require.NoError(t, err)
	assert.Equal(t, point{1, 2}, v)
	// Standard codec does not know 200.
	_, err = codec.Standard.Decode(b)
	require.ErrorContains(t, err, "custom type 200")
}

func TestReflectEncoding(t *testing.T) {
	b, err := codec.Standard.Encode(map[string]any{"b": []string{"x"}, "a": int64(1)})
	require.NoError(t, err)
	// keys sorted: a then b
	assert.Equal(t, h("0d 02 07 01 61 04 0100000000000000 07 01 62 0c 01 07 01 78"), b)
	_, err = codec.Standard.Encode(map[int]int{1: 1})
	require.Error(t, err)
	_, err = codec.Standard.Encode(struct{}{})
	require.Error(t, err)
	_, err = codec.Standard.Encode("\xff")
	require.ErrorContains(t, err, "UTF-8")
}

func TestMethodCodec(t *testing.T) {
	b, err := codec.Standard.EncodeMethodCall("cancelAllTasks", nil)
	require.NoError(t, err)
	// method name string, then the arguments value (null).
	assert.Equal(t, h("07 0e 63616e63656c416c6c5461736b73 00"), b)
	m, args, err := codec.Standard.DecodeMethodCall(b)
	require.NoError(t, err)
	assert.Equal(t, "cancelAllTasks", m)
	assert.Nil(t, args)
	_, _, err = codec.Standard.DecodeMethodCall(h("03 01000000 00"))
	require.ErrorContains(t, err, "method name")
	_, _, err = codec.Standard.DecodeMethodCall(h("07 01 61 00 00"))
	require.ErrorContains(t, err, "trailing")

	ok, err := codec.Standard.EncodeSuccessEnvelope(true)
	require.NoError(t, err)
	assert.Equal(t, h("00 01"), ok)
	env, err := codec.Standard.DecodeEnvelope(ok)
	require.NoError(t, err)
	assert.Equal(t, codec.Envelope{Success: true, Result: true}, env)

	// FailedTaskHandler in 0.5.1 answers result.error("Invalid parameters passed", null, null).
	eb, err := codec.Standard.EncodeErrorEnvelope("Invalid parameters passed", nil, nil)
	require.NoError(t, err)
	assert.Equal(t, append(append(h("01 07 19"), "Invalid parameters passed"...), 0, 0), eb)
	env, err = codec.Standard.DecodeEnvelope(eb)
	require.NoError(t, err)
	assert.Equal(t, "Invalid parameters passed", env.Code)
	assert.Nil(t, env.Message)

	_, err = codec.Standard.DecodeEnvelope(nil)
	require.ErrorIs(t, err, codec.ErrNoReply)
}

func TestMapHelpers(t *testing.T) {
	m := codec.Map{{Key: "a", Value: int32(1)}, {Key: nil, Value: 2.0}}
	v, ok := m.Get("a")
	assert.True(t, ok)
	assert.Equal(t, int32(1), v)
	assert.True(t, m.Has(nil))
	assert.False(t, m.Has("z"))
	_, err := m.StringMap()
	require.ErrorContains(t, err, "not a string")
	sm, err := codec.Map{{Key: "x", Value: true}}.StringMap()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"x": true}, sm)
	_, err = codec.Map{{Key: "x"}, {Key: "x"}}.StringMap()
	require.ErrorContains(t, err, "duplicate")
	li, ok := codec.LargeInt("-ff").Big()
	require.True(t, ok)
	assert.Equal(t, int64(-255), li.Int64())
}

func TestEqualFloatBits(t *testing.T) {
	assert.True(t, codec.Equal(math.NaN(), math.NaN()))
	assert.False(t, codec.Equal(0.0, math.Copysign(0, -1)))
	assert.False(t, codec.Equal(int32(1), int64(1)))
}

func TestEncodeCycle(t *testing.T) {
	l := []any{nil}
	l[0] = l
	_, err := codec.Standard.Encode(l)
	require.ErrorContains(t, err, "nested deeper")
}
