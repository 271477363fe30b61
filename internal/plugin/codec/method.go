package codec

import "fmt"

// StandardMethodCodec (message_codecs.dart, StandardMethodCodec): a method
// call is the method name string followed by the arguments value; a reply
// envelope is 0 then the result value, or 1 then code, message, details
// (and, from Android, an optional stack-trace string).

// EncodeMethodCall encodes a method call.
func (c *Codec) EncodeMethodCall(method string, args any) ([]byte, error) {
	e := c.NewEncoder()
	if err := e.WriteString(method); err != nil {
		return nil, err
	}
	if err := e.WriteValue(args); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// DecodeMethodCall decodes a method call. Like the real decoder it requires a
// string method name and no trailing bytes ("Invalid method call").
func (c *Codec) DecodeMethodCall(msg []byte) (method string, args any, err error) {
	d := c.NewDecoder(msg)
	d.Push("(method)")
	m, err := d.ReadValue()
	d.Pop()
	if err != nil {
		return "", nil, err
	}
	name, ok := m.(string)
	if !ok {
		return "", nil, &DecodeError{Offset: 0, Expected: "the method name as a string", Found: Describe(m)}
	}
	d.Push("(arguments)")
	args, err = d.ReadValue()
	d.Pop()
	if err != nil {
		return "", nil, err
	}
	if err := d.End(); err != nil {
		return "", nil, err
	}
	return name, args, nil
}

// Envelope is a decoded method-call reply.
type Envelope struct {
	Success    bool
	Result     any     // when Success
	Code       string  // when !Success
	Message    *string // may be null
	Details    any
	Stacktrace *string // Android appends one to uncaught-exception envelopes
}

// EncodeSuccessEnvelope encodes a successful reply.
func (c *Codec) EncodeSuccessEnvelope(result any) ([]byte, error) {
	e := c.NewEncoder()
	_ = e.WriteByte(0)
	if err := e.WriteValue(result); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// EncodeErrorEnvelope encodes an error reply.
func (c *Codec) EncodeErrorEnvelope(code string, message *string, details any) ([]byte, error) {
	e := c.NewEncoder()
	_ = e.WriteByte(1)
	if err := e.WriteString(code); err != nil {
		return nil, err
	}
	var msg any
	if message != nil {
		msg = *message
	}
	if err := e.WriteValue(msg); err != nil {
		return nil, err
	}
	if err := e.WriteValue(details); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// DecodeEnvelope decodes a reply envelope. An empty reply is Flutter's "no
// handler / notImplemented" and is reported as ErrNoReply.
func (c *Codec) DecodeEnvelope(msg []byte) (Envelope, error) {
	if len(msg) == 0 {
		return Envelope{}, ErrNoReply
	}
	d := c.NewDecoder(msg)
	flag, _ := d.ReadByte()
	if flag == 0 {
		v, err := d.ReadValue()
		if err != nil {
			return Envelope{}, err
		}
		if err := d.End(); err != nil {
			return Envelope{}, err
		}
		return Envelope{Success: true, Result: v}, nil
	}
	var vals [3]any
	for i, name := range []string{"(code)", "(message)", "(details)"} {
		d.Push(name)
		v, err := d.ReadValue()
		d.Pop()
		if err != nil {
			return Envelope{}, err
		}
		vals[i] = v
	}
	env := Envelope{Details: vals[2]}
	code, ok := vals[0].(string)
	if !ok {
		return Envelope{}, &DecodeError{Offset: 1, Expected: "an error code string", Found: Describe(vals[0])}
	}
	env.Code = code
	switch m := vals[1].(type) {
	case nil:
	case string:
		env.Message = &m
	default:
		return Envelope{}, &DecodeError{Offset: 1, Expected: "an error message string or null", Found: Describe(m)}
	}
	if d.Remaining() > 0 {
		d.Push("(stacktrace)")
		v, err := d.ReadValue()
		d.Pop()
		if err != nil {
			return Envelope{}, err
		}
		switch s := v.(type) {
		case nil:
		case string:
			env.Stacktrace = &s
		default:
			return Envelope{}, fmt.Errorf("codec: envelope stack trace is %s, not a string", Describe(v))
		}
	}
	if err := d.End(); err != nil {
		return Envelope{}, err
	}
	return env, nil
}

// ErrNoReply is an empty reply: no handler answered, or it answered
// notImplemented (Dart raises MissingPluginException).
var ErrNoReply = fmt.Errorf("codec: empty reply (no handler, or notImplemented)")
