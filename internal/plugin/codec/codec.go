package codec

import (
	"fmt"
	"math/big"
	"strings"
)

// Type is a StandardMessageCodec type byte.
type Type byte

// The standard type bytes (message_codecs.dart, StandardMessageCodec._value*).
const (
	TypeNull        Type = 0
	TypeTrue        Type = 1
	TypeFalse       Type = 2
	TypeInt32       Type = 3
	TypeInt64       Type = 4
	TypeLargeInt    Type = 5
	TypeFloat64     Type = 6
	TypeString      Type = 7
	TypeUint8List   Type = 8
	TypeInt32List   Type = 9
	TypeInt64List   Type = 10
	TypeFloat64List Type = 11
	TypeList        Type = 12
	TypeMap         Type = 13
	TypeFloat32List Type = 14
)

// FirstCustomType is the lowest type byte available to extensions. Bytes
// 15–127 are unassigned and always rejected.
const FirstCustomType Type = 128

// DefaultMaxDepth bounds the nesting of lists and maps a decoder accepts, so a
// hostile message cannot exhaust the stack. Real messages nest a handful of
// levels.
const DefaultMaxDepth = 512

var typeNames = [...]string{
	"null", "true", "false", "int32", "int64", "largeInt", "float64", "string",
	"Uint8List", "Int32List", "Int64List", "Float64List", "list", "map", "Float32List",
}

// String names the type.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	if t >= FirstCustomType {
		return fmt.Sprintf("custom(%d)", byte(t))
	}
	return fmt.Sprintf("unknown(%d)", byte(t))
}

// LargeInt is a type-5 value: an integer too large for int64, sent as its
// hexadecimal text (Java writes BigInteger.toString(16); Dart decodes it as a
// String).
type LargeInt string

// Big parses the hex text.
func (l LargeInt) Big() (*big.Int, bool) {
	return new(big.Int).SetString(string(l), 16)
}

// MapEntry is one key/value pair of a Map.
type MapEntry struct {
	Key   any
	Value any
}

// Map is a decoded type-13 value: its entries in wire order. Keys may be any
// value, including nil.
type Map []MapEntry

// Get returns the value of the first entry whose key equals key (compared
// with Equal).
func (m Map) Get(key any) (any, bool) {
	for _, e := range m {
		if Equal(e.Key, key) {
			return e.Value, true
		}
	}
	return nil, false
}

// Has reports whether key is present.
func (m Map) Has(key any) bool {
	_, ok := m.Get(key)
	return ok
}

// StringMap converts the map to map[string]any. It fails on a key that is not
// a string (including nil) and on duplicate keys.
func (m Map) StringMap() (map[string]any, error) {
	out := make(map[string]any, len(m))
	for i, e := range m {
		k, ok := e.Key.(string)
		if !ok {
			return nil, fmt.Errorf("map entry %d: key is %s, not a string", i, Describe(e.Key))
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("map entry %d: duplicate key %q", i, k)
		}
		out[k] = e.Value
	}
	return out, nil
}

// Describe names the codec type of a decoded value, for error messages.
func Describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int32:
		return "int32"
	case int64:
		return "int64"
	case LargeInt:
		return "largeInt"
	case float64:
		return "float64"
	case string:
		return "string"
	case []byte:
		return "Uint8List"
	case []int32:
		return "Int32List"
	case []int64:
		return "Int64List"
	case []float64:
		return "Float64List"
	case []float32:
		return "Float32List"
	case []any:
		return fmt.Sprintf("list(%d)", len(x))
	case Map:
		return fmt.Sprintf("map(%d)", len(x))
	case interface{ CodecTypeName() string }:
		return x.CodecTypeName()
	default:
		return fmt.Sprintf("%T", v)
	}
}

// Equal compares two decoded values structurally. Floats compare by bit
// pattern, so NaN equals itself and 0.0 differs from -0.0, which is what
// byte-exact round trips need.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case float64:
		y, ok := b.(float64)
		return ok && float64bits(x) == float64bits(y)
	case []float64:
		y, ok := b.([]float64)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if float64bits(x[i]) != float64bits(y[i]) {
				return false
			}
		}
		return true
	case []float32:
		y, ok := b.([]float32)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if float32bits(x[i]) != float32bits(y[i]) {
				return false
			}
		}
		return true
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	case []int32:
		y, ok := b.([]int32)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case []int64:
		y, ok := b.([]int64)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case Map:
		y, ok := b.(Map)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i].Key, y[i].Key) || !Equal(x[i].Value, y[i].Value) {
				return false
			}
		}
		return true
	case interface{ EqualValue(any) bool }:
		return x.EqualValue(b)
	case bool, int32, int64, LargeInt, string:
		return a == b
	default:
		return false
	}
}

// DecodeError is a malformed message: where, and what was expected there.
type DecodeError struct {
	Offset   int    // byte offset into the message
	Path     string // position in the value tree, e.g. "[0][2]{inputData}"; "" at top level
	Expected string // what the decoder needed
	Found    string // what it found instead
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "codec: at byte %d", e.Offset)
	if e.Path != "" {
		fmt.Fprintf(&b, " (value %s)", e.Path)
	}
	fmt.Fprintf(&b, ": expected %s", e.Expected)
	if e.Found != "" {
		fmt.Fprintf(&b, ", found %s", e.Found)
	}
	return b.String()
}

// EncodeError is a Go value the codec cannot represent.
type EncodeError struct {
	Path  string
	Value string // the offending value's Go type
	Why   string
}

func (e *EncodeError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("codec: cannot encode %s at %s: %s", e.Value, e.Path, e.Why)
	}
	return fmt.Sprintf("codec: cannot encode %s: %s", e.Value, e.Why)
}
