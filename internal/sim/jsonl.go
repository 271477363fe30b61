package sim

import (
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// JSONLSink writes each trace record as one JSON object per line, keys always
// in this order:
//
//	{"scenario":"…","platform":"android","t":90.5,"seq":1,"source":"…","kind":"…","subject":"…","reason":"…","fields":{…}}
//
// scenario and platform name the run the record belongs to, so lines from
// several runs can be told apart once concatenated; they are written when
// the sink was made with NewJSONLSinkFor (NewJSONLSink leaves them out).
// t is the virtual offset from the start in seconds, with up to three
// decimals (truncated to the millisecond, trailing zeros dropped). fields
// keep the order they were emitted in; durations are seconds (exact, up to
// nine decimals), floats use strconv's shortest 'g' form (NaN and ±Inf, which
// JSON cannot hold, are written as the strings "NaN", "+Inf", "-Inf"),
// booleans are true/false. Each line is one Write call. After the first
// write error the sink writes nothing more and Err returns that error.
type JSONLSink struct {
	w      io.Writer
	buf    []byte
	prefix []byte // `"scenario":…,"platform":…,` or empty
	err    error
	n      int64
}

// NewJSONLSink returns a sink writing JSON Lines to w. Wrap w in a
// bufio.Writer (and flush it) when w is a file.
func NewJSONLSink(w io.Writer) *JSONLSink { return &JSONLSink{w: w} }

// NewJSONLSinkFor returns a sink writing JSON Lines to w whose every record
// carries the scenario's name and the platform of the run.
func NewJSONLSinkFor(w io.Writer, scenario, platform string) *JSONLSink {
	p := append([]byte(`"scenario":`), appendJSONString(nil, scenario)...)
	p = append(p, `,"platform":`...)
	p = appendJSONString(p, platform)
	return &JSONLSink{w: w, prefix: append(p, ',')}
}

var _ Sink = (*JSONLSink)(nil)

// Err is the first write error, or nil.
func (s *JSONLSink) Err() error { return s.err }

// Lines is the number of records written.
func (s *JSONLSink) Lines() int64 { return s.n }

// Record writes r as one line.
func (s *JSONLSink) Record(r *Record) {
	if s.err != nil {
		return
	}
	s.buf = appendJSON(s.buf[:0], s.prefix, r)
	s.buf = append(s.buf, '\n')
	if _, err := s.w.Write(s.buf); err != nil {
		s.err = err
		return
	}
	s.n++
}

// AppendJSON appends r as the JSON object JSONLSink writes (without the
// newline).
func AppendJSON(b []byte, r *Record) []byte { return appendJSON(b, nil, r) }

// appendJSON appends r with prefix (members and a comma) first.
func appendJSON(b, prefix []byte, r *Record) []byte {
	b = append(b, '{')
	b = append(b, prefix...)
	b = append(b, `"t":`...)
	b = appendSeconds(b, r.At, 3)
	b = append(b, `,"seq":`...)
	b = strconv.AppendUint(b, r.Seq, 10)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, string(r.Source))
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(r.Kind))
	b = append(b, `,"subject":`...)
	b = appendJSONString(b, r.Subject)
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, r.Reason)
	b = append(b, `,"fields":{`...)
	for i, f := range r.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.Key)
		b = append(b, ':')
		b = appendFieldValue(b, f)
	}
	return append(b, "}}"...)
}

func appendFieldValue(b []byte, f Field) []byte {
	switch f.Kind {
	case KindInt:
		return strconv.AppendInt(b, f.Int, 10)
	case KindDuration:
		return appendSeconds(b, time.Duration(f.Int), 9)
	case KindBool:
		return strconv.AppendBool(b, f.Int != 0)
	case KindFloat:
		v := math.Float64frombits(uint64(f.Int))
		switch {
		case math.IsNaN(v):
			return append(b, `"NaN"`...)
		case math.IsInf(v, 1):
			return append(b, `"+Inf"`...)
		case math.IsInf(v, -1):
			return append(b, `"-Inf"`...)
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64)
	default:
		return appendJSONString(b, f.Str)
	}
}

// appendSeconds writes d as decimal seconds with at most digits decimals
// (truncated), trailing zeros and a bare point dropped. Integer arithmetic
// only, so it is exact on every machine.
func appendSeconds(b []byte, d time.Duration, digits int) []byte {
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = uint64(-(d + 1)) + 1 // safe for math.MinInt64
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	frac := u % 1e9
	for i := digits; i < 9; i++ {
		frac /= 10
	}
	if frac == 0 {
		return b
	}
	var tmp [9]byte
	for i := digits - 1; i >= 0; i-- {
		tmp[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := digits
	for n > 0 && tmp[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, tmp[:n]...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028 /
// U+2029 escaped as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
