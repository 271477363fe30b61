package codec_test

import (
	"testing"

	"github.com/wmsim/wmsim/internal/plugin/codec"
)

func benchValue() any {
	return []any{"dev.fluttercommunity.test.oneOff", codec.Map{
		{Key: "userId", Value: "user_42"}, {Key: "retries", Value: int64(3)},
		{Key: "ratio", Value: 0.5}, {Key: "flag", Value: true},
		{Key: "ids", Value: []any{int64(1), int64(2), int64(3)}},
	}}
}

func BenchmarkEncode(b *testing.B) {
	v := benchValue()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codec.Standard.Encode(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	msg, err := codec.Standard.Encode(benchValue())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codec.Standard.Decode(msg); err != nil {
			b.Fatal(err)
		}
	}
}
