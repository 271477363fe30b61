package wire_test

import (
	"testing"

	"github.com/wmsim/wmsim/internal/plugin/wire"
)

func BenchmarkDecodePigeonOneOff(b *testing.B) {
	msg := pigeonVectors[1].wire // registerOneOffTask full
	ch := wire.HostChannel(wire.MethodRegisterOneOffTask)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := wire.DecodePigeon(ch, msg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeLegacyMap(b *testing.B) {
	args := full16()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := wire.DecodeLegacy(wire.LegacyForegroundChan, "registerOneOffTask", args); err != nil {
			b.Fatal(err)
		}
	}
}
