package codec

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// ReadFunc decodes the payload of custom type t; the type byte has been
// consumed. It reads through d (typically d.ReadValue) and returns the value.
type ReadFunc func(d *Decoder, t Type) (any, error)

// WriteFunc encodes v if it handles v's type, writing the type byte itself
// through e, and reports whether it did. Writers run before the standard
// encoding, so they may also override how standard Go types are written.
type WriteFunc func(e *Encoder, v any) (handled bool, err error)

// Codec is a StandardMessageCodec with optional extensions. The zero value is
// not usable; call New. A Codec is safe for concurrent use once its readers
// and writers are registered.
type Codec struct {
	readers [256 - int(FirstCustomType)]ReadFunc
	writers []WriteFunc
	// MaxDepth bounds list/map nesting when decoding; 0 means DefaultMaxDepth.
	MaxDepth int
	// AllowNonZeroPadding accepts alignment padding bytes that are not zero.
	// The real readers skip padding without looking at it, but every real
	// writer writes zeros, so by default a non-zero pad is reported as
	// corruption.
	AllowNonZeroPadding bool
}

// New returns a codec with no extensions.
func New() *Codec { return &Codec{} }

// Standard is the plain StandardMessageCodec.
var Standard = New()

// RegisterReader installs the reader for custom type byte t (128–255).
func (c *Codec) RegisterReader(t Type, f ReadFunc) error {
	if t < FirstCustomType {
		return fmt.Errorf("codec: type %d is reserved for the standard codec; custom types start at %d", t, FirstCustomType)
	}
	if f == nil {
		return fmt.Errorf("codec: nil reader for type %d", t)
	}
	c.readers[t-FirstCustomType] = f
	return nil
}

// RegisterWriter appends a writer hook; hooks run in registration order.
func (c *Codec) RegisterWriter(f WriteFunc) {
	if f != nil {
		c.writers = append(c.writers, f)
	}
}

// Decoder reads values from one message buffer.
type Decoder struct {
	c     *Codec
	buf   []byte
	pos   int
	depth int
	path  []pathSeg // formatted only when an error is built
}

// pathSeg is one step of the error path: a literal, a list index, a map
// key's position, or a map value (named by its key).
type pathSeg struct {
	kind byte // 's' literal, 'i' list index, 'k' map key #i, 'v' map value
	i    int
	s    string
	key  any
}

func (p pathSeg) String() string {
	switch p.kind {
	case 'i':
		return "[" + strconv.Itoa(p.i) + "]"
	case 'k':
		return "{key " + strconv.Itoa(p.i) + "}"
	case 'v':
		return "{" + keyLabel(p.key, p.i) + "}"
	}
	return p.s
}

// NewDecoder starts reading msg at offset 0.
func (c *Codec) NewDecoder(msg []byte) *Decoder {
	return &Decoder{c: c, buf: msg}
}

// Offset is the position of the next unread byte.
func (d *Decoder) Offset() int { return d.pos }

// Remaining is the number of unread bytes.
func (d *Decoder) Remaining() int { return len(d.buf) - d.pos }

// Decode decodes a whole message. An empty message is Flutter's encoding of a
// null message (encodeMessage(null) returns no bytes) and decodes to nil.
// Bytes left after the value are an error, as in every real decoder
// ("Message corrupted").
func (c *Codec) Decode(msg []byte) (any, error) {
	if len(msg) == 0 {
		return nil, nil
	}
	d := c.NewDecoder(msg)
	v, err := d.ReadValue()
	if err != nil {
		return nil, err
	}
	if err := d.End(); err != nil {
		return nil, err
	}
	return v, nil
}

// End reports an error if unread bytes remain.
func (d *Decoder) End() error {
	if d.pos != len(d.buf) {
		return d.errf("end of message", "%d trailing byte(s)", len(d.buf)-d.pos)
	}
	return nil
}

func (d *Decoder) errf(expected, foundFormat string, args ...any) *DecodeError {
	return &DecodeError{Offset: d.pos, Path: d.pathString(), Expected: expected, Found: fmt.Sprintf(foundFormat, args...)}
}

// Errorf builds a *DecodeError at the current offset, for custom readers.
func (d *Decoder) Errorf(expected, foundFormat string, args ...any) error {
	return d.errf(expected, foundFormat, args...)
}

func (d *Decoder) pathString() string {
	var b []byte
	for _, p := range d.path {
		b = append(b, p.String()...)
	}
	return string(b)
}

// Push and Pop name the element being decoded, for error paths. Custom
// readers may use them to name fields.
func (d *Decoder) Push(segment string) { d.path = append(d.path, pathSeg{kind: 's', s: segment}) }

// Pop removes the last path segment.
func (d *Decoder) Pop() {
	if len(d.path) > 0 {
		d.path = d.path[:len(d.path)-1]
	}
}

func (d *Decoder) need(n int, what string) error {
	if n < 0 || d.Remaining() < n {
		return d.errf(what, "%d byte(s) left", d.Remaining())
	}
	return nil // a nil error interface, not a typed nil
}

// ReadByte reads one raw byte.
func (d *Decoder) ReadByte() (byte, error) {
	if err := d.need(1, "1 byte"); err != nil {
		return 0, err
	}
	b := d.buf[d.pos]
	d.pos++
	return b, nil
}

// ReadSize reads a size in the 1/3/5-byte encoding.
func (d *Decoder) ReadSize() (int, error) {
	start := d.pos
	if err := d.need(1, "a size byte"); err != nil {
		return 0, err
	}
	b := d.buf[d.pos]
	d.pos++
	switch b {
	case 254:
		if err := d.need(2, "a uint16 size after 254"); err != nil {
			err.(*DecodeError).Offset = start
			return 0, err
		}
		v := binary.LittleEndian.Uint16(d.buf[d.pos:])
		d.pos += 2
		return int(v), nil
	case 255:
		if err := d.need(4, "a uint32 size after 255"); err != nil {
			err.(*DecodeError).Offset = start
			return 0, err
		}
		v := binary.LittleEndian.Uint32(d.buf[d.pos:])
		d.pos += 4
		return int(v), nil
	default:
		return int(b), nil
	}
}

// align skips padding up to a multiple of n from the message start.
func (d *Decoder) align(n int) error {
	mod := d.pos % n
	if mod == 0 {
		return nil
	}
	pad := n - mod
	if err := d.need(pad, fmt.Sprintf("%d byte(s) of alignment padding", pad)); err != nil {
		return err
	}
	if !d.c.AllowNonZeroPadding {
		for i := 0; i < pad; i++ {
			if d.buf[d.pos+i] != 0 {
				d.pos += i
				return d.errf("zero alignment padding", "0x%02x", d.buf[d.pos])
			}
		}
	}
	d.pos += pad
	return nil
}

// checkLen verifies that count elements of elemSize bytes fit in the rest of
// the message, before anything is allocated.
func (d *Decoder) checkLen(count, elemSize int, what string) error {
	if need := uint64(count) * uint64(elemSize); need > uint64(d.Remaining()) {
		exp := fmt.Sprintf("%d %s", count, what)
		if elemSize > 1 {
			exp += fmt.Sprintf(" (%d bytes)", need)
		}
		return d.errf(exp, "%d byte(s) left", d.Remaining())
	}
	return nil
}

// ReadValue reads one type byte and its payload.
func (d *Decoder) ReadValue() (any, error) {
	if d.pos >= len(d.buf) {
		return nil, d.errf("a type byte", "end of message")
	}
	t := Type(d.buf[d.pos])
	d.pos++
	return d.ReadValueOfType(t)
}

// ReadValueOfType reads the payload of a value whose type byte t has been
// consumed.
func (d *Decoder) ReadValueOfType(t Type) (any, error) {
	le := binary.LittleEndian
	switch t {
	case TypeNull:
		return nil, nil
	case TypeTrue:
		return true, nil
	case TypeFalse:
		return false, nil
	case TypeInt32:
		if err := d.need(4, "4 bytes of int32"); err != nil {
			return nil, err
		}
		v := int32(le.Uint32(d.buf[d.pos:]))
		d.pos += 4
		return v, nil
	case TypeInt64:
		if err := d.need(8, "8 bytes of int64"); err != nil {
			return nil, err
		}
		v := int64(le.Uint64(d.buf[d.pos:]))
		d.pos += 8
		return v, nil
	case TypeFloat64:
		if err := d.align(8); err != nil {
			return nil, err
		}
		if err := d.need(8, "8 bytes of float64"); err != nil {
			return nil, err
		}
		v := math.Float64frombits(le.Uint64(d.buf[d.pos:]))
		d.pos += 8
		return v, nil
	case TypeLargeInt, TypeString:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 1, "bytes of UTF-8 text"); err != nil {
			return nil, err
		}
		raw := d.buf[d.pos : d.pos+n]
		if !utf8.Valid(raw) {
			return nil, d.errf("valid UTF-8 text", "invalid UTF-8 %s", strconv.QuoteToASCII(string(raw)))
		}
		d.pos += n
		if t == TypeLargeInt {
			return LargeInt(raw), nil
		}
		return string(raw), nil
	case TypeUint8List:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 1, "bytes"); err != nil {
			return nil, err
		}
		v := make([]byte, n)
		copy(v, d.buf[d.pos:])
		d.pos += n
		return v, nil
	case TypeInt32List:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.align(4); err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 4, "int32 elements"); err != nil {
			return nil, err
		}
		v := make([]int32, n)
		for i := range v {
			v[i] = int32(le.Uint32(d.buf[d.pos:]))
			d.pos += 4
		}
		return v, nil
	case TypeFloat32List:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.align(4); err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 4, "float32 elements"); err != nil {
			return nil, err
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(le.Uint32(d.buf[d.pos:]))
			d.pos += 4
		}
		return v, nil
	case TypeInt64List:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.align(8); err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 8, "int64 elements"); err != nil {
			return nil, err
		}
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(le.Uint64(d.buf[d.pos:]))
			d.pos += 8
		}
		return v, nil
	case TypeFloat64List:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.align(8); err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 8, "float64 elements"); err != nil {
			return nil, err
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Float64frombits(le.Uint64(d.buf[d.pos:]))
			d.pos += 8
		}
		return v, nil
	case TypeList:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		// Every element takes at least its type byte.
		if err := d.checkLen(n, 1, "list elements"); err != nil {
			return nil, err
		}
		if err := d.enter(); err != nil {
			return nil, err
		}
		defer d.leave()
		v := make([]any, n)
		for i := range v {
			d.path = append(d.path, pathSeg{kind: 'i', i: i})
			x, err := d.ReadValue()
			d.Pop()
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		return v, nil
	case TypeMap:
		n, err := d.ReadSize()
		if err != nil {
			return nil, err
		}
		if err := d.checkLen(n, 2, "map entries"); err != nil {
			return nil, err
		}
		if err := d.enter(); err != nil {
			return nil, err
		}
		defer d.leave()
		v := make(Map, n)
		for i := range v {
			d.path = append(d.path, pathSeg{kind: 'k', i: i})
			k, err := d.ReadValue()
			d.Pop()
			if err != nil {
				return nil, err
			}
			d.path = append(d.path, pathSeg{kind: 'v', i: i, key: k})
			x, err := d.ReadValue()
			d.Pop()
			if err != nil {
				return nil, err
			}
			v[i] = MapEntry{Key: k, Value: x}
		}
		return v, nil
	}
	if t >= FirstCustomType {
		if f := d.c.readers[t-FirstCustomType]; f != nil {
			if err := d.enter(); err != nil {
				return nil, err
			}
			defer d.leave()
			return f(d, t)
		}
		d.pos--
		return nil, d.errf("a known type byte", "custom type %d, which this codec does not register", byte(t))
	}
	d.pos--
	return nil, d.errf("a type byte 0–14 or a registered custom type", "%d", byte(t))
}

func keyLabel(k any, i int) string {
	if s, ok := k.(string); ok && len(s) <= 40 {
		return s
	}
	return "value " + strconv.Itoa(i)
}

func (d *Decoder) enter() error {
	max := d.c.MaxDepth
	if max <= 0 {
		max = DefaultMaxDepth
	}
	if d.depth >= max {
		return d.errf(fmt.Sprintf("nesting of at most %d lists/maps", max), "deeper nesting")
	}
	d.depth++
	return nil
}

func (d *Decoder) leave() { d.depth-- }

func float64bits(f float64) uint64 { return math.Float64bits(f) }
func float32bits(f float32) uint32 { return math.Float32bits(f) }
