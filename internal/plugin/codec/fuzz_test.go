package codec_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// FuzzStandardCodec: decoding arbitrary bytes never panics; a failure is a
// *DecodeError inside the message; a success re-encodes to bytes that decode
// to an equal value and re-encode identically (canonical form is a fixed
// point). The method-call and envelope decoders must not panic either.
func FuzzStandardCodec(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.wire)
	}
	for _, s := range []string{"03 0102", "0f", "06 01" + zeros(14), "0c ff ffffff7f 00", "07 fe 0001 61",
		"0d 03 00 00", "07 fe 01", "00 00", "07 01 ff", "0c fe fe00" + zeros(254), "0e 01 0000 0000803f"} {
		f.Add(h(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _ = codec.Standard.DecodeMethodCall(b)
		_, _ = codec.Standard.DecodeEnvelope(b)
		v, err := codec.Standard.Decode(b)
		if err != nil {
			var de *codec.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error is %T, not *DecodeError: %v", err, err)
			}
			if de.Offset < 0 || de.Offset > len(b) {
				t.Fatalf("offset %d outside message of %d bytes", de.Offset, len(b))
			}
			return
		}
		enc, err := codec.Standard.Encode(v)
		if err != nil {
			t.Fatalf("decoded value does not re-encode: %v", err)
		}
		v2, err := codec.Standard.Decode(enc)
		if err != nil {
			t.Fatalf("re-encoded bytes do not decode: %v\n% x", err, enc)
		}
		if !codec.Equal(v, v2) {
			t.Fatalf("round trip changed the value: %#v → %#v", v, v2)
		}
		enc2, err := codec.Standard.Encode(v2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not a fixed point: % x vs % x (%v)", enc, enc2, err)
		}
	})
}
