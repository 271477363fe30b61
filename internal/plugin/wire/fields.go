package wire

import (
	"fmt"
	"math"
	"time"

	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// fieldReader reads the positional fields of one Pigeon class, with the casts
// of the generated Kotlin fromList ("pigeonVar_list[3] as Long?"). The first
// failure is kept in err; later reads return zero values.
type fieldReader struct {
	path   string // e.g. "request" or "request.constraints"
	class  string
	fields []any
	err    *fieldError
	call   *Call
}

type fieldError struct {
	field, reason string
}

func (r *fieldReader) fail(i int, name, format string, args ...any) {
	if r.err == nil {
		r.err = &fieldError{field: r.path + "." + name, reason: fmt.Sprintf(format, args...)}
	}
}

func (r *fieldReader) get(i int, name string) any {
	if i >= len(r.fields) {
		// Kotlin: IndexOutOfBoundsException; Dart: RangeError.
		r.fail(i, name, "missing: %s has %d field(s), field %d (%s) is needed", r.class, len(r.fields), i, name)
		return nil
	}
	return r.fields[i]
}

func (r *fieldReader) str(i int, name string, required bool) *string {
	v := r.get(i, name)
	switch x := v.(type) {
	case nil:
		if required && r.err == nil {
			r.fail(i, name, "null, but %s.%s is a required String", r.class, name)
		}
		return nil
	case string:
		return &x
	}
	r.fail(i, name, "expected String, found %s", codec.Describe(v))
	return nil
}

func (r *fieldReader) boolean(i int, name string, required bool) *bool {
	v := r.get(i, name)
	switch x := v.(type) {
	case nil:
		if required && r.err == nil {
			r.fail(i, name, "null, but %s.%s is a required bool", r.class, name)
		}
		return nil
	case bool:
		return &x
	}
	r.fail(i, name, "expected bool, found %s", codec.Describe(v))
	return nil
}

// integer accepts int64 (what Pigeon's Dart codec always writes) and int32
// (what a plain StandardMessageCodec writes for small ints).
func (r *fieldReader) integer(i int, name string, required bool) *int64 {
	v := r.get(i, name)
	switch x := v.(type) {
	case nil:
		if required && r.err == nil {
			r.fail(i, name, "null, but %s.%s is a required int", r.class, name)
		}
		return nil
	case int64:
		return &x
	case int32:
		y := int64(x)
		return &y
	}
	r.fail(i, name, "expected int, found %s", codec.Describe(v))
	return nil
}

// seconds reads an int field of whole seconds as a duration.
func (r *fieldReader) seconds(i int, name string, required bool) *time.Duration {
	n := r.integer(i, name, required)
	if n == nil {
		return nil
	}
	if *n > math.MaxInt64/int64(time.Second) || *n < math.MinInt64/int64(time.Second) {
		r.fail(i, name, "%d seconds does not fit a duration", *n)
		return nil
	}
	d := time.Duration(*n) * time.Second
	return &d
}

func (r *fieldReader) millis(i int, name string) *time.Duration {
	n := r.integer(i, name, false)
	if n == nil {
		return nil
	}
	if *n > math.MaxInt64/int64(time.Millisecond) || *n < math.MinInt64/int64(time.Millisecond) {
		r.fail(i, name, "%d ms does not fit a duration", *n)
		return nil
	}
	d := time.Duration(*n) * time.Millisecond
	return &d
}

// enum reads an enum field. An index outside the enum reads as null with a
// warning, as the hosts' ofRaw (Kotlin) / init(rawValue:) (Swift) return null.
func (r *fieldReader) enum(i int, name string, t codec.Type, required bool) *int {
	v := r.get(i, name)
	switch x := v.(type) {
	case nil:
		if required && r.err == nil {
			r.fail(i, name, "null, but %s.%s is a required %s", r.class, name, pigeonTypeName(t))
		}
		return nil
	case Enum:
		if x.Type != t {
			r.fail(i, name, "expected %s, found %s", pigeonTypeName(t), x.CodecTypeName())
			return nil
		}
		if x.Index < 0 || x.Index >= int64(pigeonTypes[t].n) {
			if required {
				r.fail(i, name, "%s index %d is out of range 0..%d", pigeonTypeName(t), x.Index, pigeonTypes[t].n-1)
				return nil
			}
			if r.call != nil {
				r.call.warnf("%s.%s: %s index %d is out of range 0..%d; the host reads it as null", r.path, name, pigeonTypeName(t), x.Index, pigeonTypes[t].n-1)
			}
			return nil
		}
		n := int(x.Index)
		return &n
	}
	r.fail(i, name, "expected %s, found %s", pigeonTypeName(t), codec.Describe(v))
	return nil
}

// class reads a nested class field.
func (r *fieldReader) class_(i int, name string, t codec.Type) *fieldReader {
	v := r.get(i, name)
	switch x := v.(type) {
	case nil:
		return nil
	case Class:
		if x.Type != t {
			r.fail(i, name, "expected %s, found %s", pigeonTypeName(t), x.CodecTypeName())
			return nil
		}
		return r.sub(name, x)
	}
	r.fail(i, name, "expected %s, found %s", pigeonTypeName(t), codec.Describe(v))
	return nil
}

func (r *fieldReader) sub(name string, c Class) *fieldReader {
	return newReader(r.path+"."+name, c, r.call)
}

// newReader starts reading class c. Extra trailing fields are ignored, as
// fromList only indexes the fields it knows; the call gets a warning.
func newReader(path string, c Class, call *Call) *fieldReader {
	r := &fieldReader{path: path, class: pigeonTypeName(c.Type), fields: c.Fields, call: call}
	if n := pigeonTypes[c.Type].n; len(c.Fields) > n && call != nil {
		call.warnf("%s: %s has %d fields, %d expected; the extra ones are ignored", path, r.class, len(c.Fields), n)
	}
	return r
}

// adopt propagates a nested reader's failure.
func (r *fieldReader) adopt(s *fieldReader) {
	if s != nil && s.err != nil && r.err == nil {
		r.err = s.err
	}
}
