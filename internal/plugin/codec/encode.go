package codec

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Encoder writes values into one message buffer.
type Encoder struct {
	c     *Codec
	buf   []byte
	path  []pathSeg
	depth int
}

// NewEncoder starts an empty message.
func (c *Codec) NewEncoder() *Encoder { return &Encoder{c: c} }

// Bytes returns the message written so far.
func (e *Encoder) Bytes() []byte { return e.buf }

// Encode encodes v as a whole message. A nil v encodes as an empty message,
// as encodeMessage(null) does in Dart and Java.
func (c *Codec) Encode(v any) ([]byte, error) {
	if v == nil {
		return []byte{}, nil
	}
	e := c.NewEncoder()
	if err := e.WriteValue(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// WriteByte appends one raw byte (a type byte, for custom writers).
func (e *Encoder) WriteByte(b byte) error {
	e.buf = append(e.buf, b)
	return nil
}

// WriteSize appends a size in the 1/3/5-byte encoding.
func (e *Encoder) WriteSize(n int) error {
	switch {
	case n < 0 || uint64(n) > math.MaxUint32:
		return e.errf(fmt.Sprintf("size %d", n), "sizes are 0..4294967295")
	case n < 254:
		e.buf = append(e.buf, byte(n))
	case n <= math.MaxUint16:
		e.buf = append(e.buf, 254)
		e.buf = binary.LittleEndian.AppendUint16(e.buf, uint16(n))
	default:
		e.buf = append(e.buf, 255)
		e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(n))
	}
	return nil
}

func (e *Encoder) align(n int) {
	for len(e.buf)%n != 0 {
		e.buf = append(e.buf, 0)
	}
}

func (e *Encoder) errf(value, why string) error {
	var p []byte
	for _, s := range e.path {
		p = append(p, s.String()...)
	}
	return &EncodeError{Path: string(p), Value: value, Why: why}
}

// WriteInt32 writes a type-3 value.
func (e *Encoder) WriteInt32(v int32) {
	e.buf = append(e.buf, byte(TypeInt32))
	e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(v))
}

// WriteInt64 writes a type-4 value.
func (e *Encoder) WriteInt64(v int64) {
	e.buf = append(e.buf, byte(TypeInt64))
	e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(v))
}

// WriteInt writes v as Dart's StandardMessageCodec writes an int: int32 when
// it fits in 32 bits, otherwise int64.
func (e *Encoder) WriteInt(v int64) {
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		e.WriteInt32(int32(v))
		return
	}
	e.WriteInt64(v)
}

// WriteFloat64 writes a type-6 value, padded to 8-byte alignment.
func (e *Encoder) WriteFloat64(v float64) {
	e.buf = append(e.buf, byte(TypeFloat64))
	e.align(8)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
}

// WriteString writes a type-7 value. s must be valid UTF-8.
func (e *Encoder) WriteString(s string) error {
	if !utf8.ValidString(s) {
		return e.errf("string "+strconv.QuoteToASCII(s), "not valid UTF-8")
	}
	e.buf = append(e.buf, byte(TypeString))
	if err := e.WriteSize(len(s)); err != nil {
		return err
	}
	e.buf = append(e.buf, s...)
	return nil
}

// WriteValue appends v. Supported Go types: nil, bool, int32 (type 3), int64
// (type 4), int/int8/int16/uint8/uint16/uint32/uint (Dart's rule: int32 when
// it fits), float64 and float32 (type 6), LargeInt and *big.Int (type 5),
// string, []byte, []int32, []int64, []float64, []float32, []any, Map, and by
// reflection other slices (as lists) and maps with string keys (as maps, keys
// sorted so the output is deterministic). Registered writers run first.
func (e *Encoder) WriteValue(v any) error {
	max := e.c.MaxDepth
	if max <= 0 {
		max = DefaultMaxDepth
	}
	if e.depth >= max {
		return e.errf(fmt.Sprintf("%T", v), fmt.Sprintf("nested deeper than %d levels (a cycle?)", max))
	}
	e.depth++
	defer func() { e.depth-- }()
	for _, w := range e.c.writers {
		handled, err := w(e, v)
		if err != nil {
			return err
		}
		if handled {
			return nil
		}
	}
	le := binary.LittleEndian
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, byte(TypeNull))
	case bool:
		if x {
			e.buf = append(e.buf, byte(TypeTrue))
		} else {
			e.buf = append(e.buf, byte(TypeFalse))
		}
	case int32:
		e.WriteInt32(x)
	case int64:
		e.WriteInt64(x)
	case int:
		e.WriteInt(int64(x))
	case int8:
		e.WriteInt(int64(x))
	case int16:
		e.WriteInt(int64(x))
	case uint8:
		e.WriteInt(int64(x))
	case uint16:
		e.WriteInt(int64(x))
	case uint32:
		e.WriteInt(int64(x))
	case uint:
		if uint64(x) > math.MaxInt64 {
			return e.writeBig(new(big.Int).SetUint64(uint64(x)))
		}
		e.WriteInt(int64(x))
	case uint64:
		if x > math.MaxInt64 {
			return e.writeBig(new(big.Int).SetUint64(x))
		}
		e.WriteInt(int64(x))
	case float64:
		e.WriteFloat64(x)
	case float32:
		e.WriteFloat64(float64(x))
	case LargeInt:
		if !utf8.ValidString(string(x)) {
			return e.errf("LargeInt", "not valid UTF-8")
		}
		e.buf = append(e.buf, byte(TypeLargeInt))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		e.buf = append(e.buf, x...)
	case *big.Int:
		if x == nil {
			e.buf = append(e.buf, byte(TypeNull))
			return nil
		}
		return e.writeBig(x)
	case string:
		return e.WriteString(x)
	case []byte:
		e.buf = append(e.buf, byte(TypeUint8List))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		e.buf = append(e.buf, x...)
	case []int32:
		e.buf = append(e.buf, byte(TypeInt32List))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		e.align(4)
		for _, n := range x {
			e.buf = le.AppendUint32(e.buf, uint32(n))
		}
	case []float32:
		e.buf = append(e.buf, byte(TypeFloat32List))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		e.align(4)
		for _, f := range x {
			e.buf = le.AppendUint32(e.buf, math.Float32bits(f))
		}
	case []int64:
		e.buf = append(e.buf, byte(TypeInt64List))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		e.align(8)
		for _, n := range x {
			e.buf = le.AppendUint64(e.buf, uint64(n))
		}
	case []float64:
		e.buf = append(e.buf, byte(TypeFloat64List))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		e.align(8)
		for _, f := range x {
			e.buf = le.AppendUint64(e.buf, math.Float64bits(f))
		}
	case []any:
		e.buf = append(e.buf, byte(TypeList))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		for i, item := range x {
			e.path = append(e.path, pathSeg{kind: 'i', i: i})
			err := e.WriteValue(item)
			e.path = e.path[:len(e.path)-1]
			if err != nil {
				return err
			}
		}
	case Map:
		e.buf = append(e.buf, byte(TypeMap))
		if err := e.WriteSize(len(x)); err != nil {
			return err
		}
		for i, entry := range x {
			e.path = append(e.path, pathSeg{kind: 'v', i: i, key: entry.Key})
			err := e.WriteValue(entry.Key)
			if err == nil {
				err = e.WriteValue(entry.Value)
			}
			e.path = e.path[:len(e.path)-1]
			if err != nil {
				return err
			}
		}
	default:
		return e.writeReflect(v)
	}
	return nil
}

// writeBig writes a type-5 value as Java writes a BigInteger: its base-16
// text (lower case, "-" for negatives).
func (e *Encoder) writeBig(x *big.Int) error {
	return e.WriteValue(LargeInt(x.Text(16)))
}

func (e *Encoder) writeReflect(v any) error {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			e.buf = append(e.buf, byte(TypeNull))
			return nil
		}
		return e.WriteValue(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			e.buf = append(e.buf, byte(TypeNull))
			return nil
		}
		items := make([]any, rv.Len())
		for i := range items {
			items[i] = rv.Index(i).Interface()
		}
		return e.WriteValue(items)
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return e.errf(fmt.Sprintf("%T", v), "only maps with string keys are encoded by reflection; use codec.Map")
		}
		if rv.IsNil() {
			e.buf = append(e.buf, byte(TypeNull))
			return nil
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		m := make(Map, len(keys))
		for i, k := range keys {
			m[i] = MapEntry{Key: k, Value: rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())).Interface()}
		}
		return e.WriteValue(m)
	case reflect.String:
		return e.WriteString(rv.String())
	case reflect.Bool:
		return e.WriteValue(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.WriteInt(rv.Int())
		return nil
	case reflect.Float32, reflect.Float64:
		e.WriteFloat64(rv.Float())
		return nil
	}
	return e.errf(fmt.Sprintf("%T", v), "no StandardMessageCodec type for it")
}
