package wire_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/wmsim/wmsim/internal/fuzzedit"
	"github.com/wmsim/wmsim/internal/plugin/wire"
)

func methodIndex(m wire.Method) byte {
	for i, hm := range wire.HostMethods {
		if hm == m {
			return byte(i)
		}
	}
	return 0
}

// FuzzPigeonDecode: any message on any host channel decodes to a Call or an
// *Error (never a panic); a decoded Call re-encodes, decodes again, and its
// encoding is then a fixed point.
func FuzzPigeonDecode(f *testing.F) {
	for _, v := range pigeonVectors {
		f.Add(methodIndex(v.method), v.wire)
	}
	f.Add(methodIndex(wire.MethodRegisterOneOffTask), h("0c 01 8e 0c 0c 07 01 61 07 01 62 00 03 05000000 00 00 00 84 04 0900000000000000 00 00 00 00"))
	f.Add(methodIndex(wire.MethodRegisterOneOffTask), h("0c 01 8e 0c 0b 07 01 61 07 01 62 0d 01 07 01 6b 05 01 31 00 00 00 00 00 00 00 00"))
	f.Fuzz(func(t *testing.T, idx byte, msg []byte) {
		ch := wire.HostChannel(wire.HostMethods[int(idx)%len(wire.HostMethods)])
		c, err := wire.DecodePigeon(ch, msg)
		if err != nil {
			var e *wire.Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T: %v", err, err)
			}
			if e.Offset < -1 || e.Offset > len(msg) {
				t.Fatalf("offset %d outside %d bytes", e.Offset, len(msg))
			}
			return
		}
		_, enc, err := wire.EncodePigeonCall(c)
		if err != nil {
			t.Fatalf("decoded call does not encode: %v", err)
		}
		c2, err := wire.DecodePigeon(ch, enc)
		if err != nil {
			t.Fatalf("re-encoded call does not decode: %v\n% x", err, enc)
		}
		_, enc2, err := wire.EncodePigeonCall(c2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not a fixed point: % x vs % x (%v)", enc, enc2, err)
		}
	})
}

// maxFuzzPatch bounds the bytes FuzzLegacyDecode changes. A register call
// is some 400 bytes, and minimising a new input of that size tries on the
// order of n² smaller candidates, which held a fuzz worker for the whole
// minimisation budget at every new input; an edit of at most this many bytes
// of a real call (or a message of its own of at most this size) keeps both
// the execution and the minimisation short.
const maxFuzzPatch = 64

// FuzzLegacyDecode: StandardMethodCodec bytes on the legacy foreground
// channel decode to a Call or an *Error; decodable register/initialize/cancel
// calls re-encode to the 0.5 map and back. The message is a real call with
// cut bytes at offset at replaced by patch, or patch alone when base names
// no call.
func FuzzLegacyDecode(f *testing.F) {
	var bases [][]byte
	seed := func(method string, args map[string]any) {
		c, err := wire.DecodeLegacy(wire.LegacyForegroundChan, method, args)
		if err != nil {
			f.Fatalf("seed %s: %v", method, err)
		}
		b, err := wire.EncodeLegacyCall(c)
		if err != nil {
			f.Fatalf("seed %s: %v", method, err)
		}
		bases = append(bases, b)
	}
	seed("registerOneOffTask", full16())
	p := full16()
	p["frequency"], p["existingWorkPolicy"] = 3600, "update"
	seed("registerPeriodicTask", p)
	seed("initialize", map[string]any{"isInDebugMode": true, "callbackHandle": 9001})
	seed("cancelTaskByUniqueName", map[string]any{"uniqueName": "u"})
	seed("cancelTaskByTag", map[string]any{"tag": "t"})
	for i := range bases {
		f.Add(uint8(i), uint16(0), uint8(0), []byte{})
	}
	none := uint8(len(bases))
	f.Add(none, uint16(0), uint8(0), h("07 0e 63616e63656c416c6c5461736b73 00"))
	f.Add(none, uint16(0), uint8(0), h("07 01"))
	f.Fuzz(func(t *testing.T, base uint8, at uint16, cut uint8, patch []byte) {
		if len(patch) > maxFuzzPatch {
			t.Skip()
		}
		msg := fuzzedit.Input(bases, base, at, cut, patch)
		c, err := wire.DecodeLegacyBytes(wire.LegacyForegroundChan, msg)
		if err != nil {
			var e *wire.Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T: %v", err, err)
			}
			return
		}
		enc, err := wire.EncodeLegacyCall(c)
		if err != nil {
			// inputData that JSON cannot carry (NaN, ±Inf) has no 0.5 form.
			if strings.Contains(err.Error(), "inputData") {
				return
			}
			t.Fatalf("decoded call does not encode: %v", err)
		}
		c2, err := wire.DecodeLegacyBytes(wire.LegacyForegroundChan, enc)
		if err != nil {
			t.Fatalf("re-encoded call does not decode: %v\n% x", err, enc)
		}
		enc2, err := wire.EncodeLegacyCall(c2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not a fixed point: % x vs % x (%v)", enc, enc2, err)
		}
	})
}
