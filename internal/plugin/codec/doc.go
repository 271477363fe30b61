// Package codec is a byte-exact Go implementation of Flutter's
// StandardMessageCodec and StandardMethodCodec.
//
// They are the binary formats that platform-channel messages use between Dart
// and the host (Android, iOS).
//
// The format follows the three reference implementations in the Flutter
// repository: packages/flutter/lib/src/services/message_codecs.dart (Dart),
// engine/.../io/flutter/plugin/common/StandardMessageCodec.java (Android) and
// engine/.../common/cpp/client_wrapper/standard_codec.cc (C++). A value is
// one type byte followed by its payload:
//
//	0 null, 1 true, 2 false, 3 int32, 4 int64, 5 large int (hex text),
//	6 float64, 7 string (UTF-8), 8 Uint8List, 9 Int32List, 10 Int64List,
//	11 Float64List, 12 list, 13 map, 14 Float32List
//
// Numbers are little endian. Sizes use 1 byte below 254, 254 followed by a
// uint16, or 255 followed by a uint32. float64 and the typed lists are
// aligned (8 bytes for float64, Int64List, Float64List; 4 bytes for
// Int32List, Float32List) relative to the start of the message, with zero
// padding. Type bytes 128 and above are reserved for codec extensions; the
// Pigeon layer in package wire registers its enums and classes there.
//
// Decoded values have these Go types: nil, bool, int32, int64, LargeInt,
// float64, string, []byte, []int32, []int64, []float64, []float32, []any
// (list) and Map (an ordered list of entries: Flutter maps keep insertion
// order and their keys may be any value). Decoding never panics and never
// allocates from an unchecked length: every error is a *DecodeError naming
// the byte offset and what was expected there.
package codec
