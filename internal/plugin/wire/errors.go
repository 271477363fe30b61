package wire

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin/codec"
)

var sprintf = fmt.Sprintf

// PlatformError is what the Dart caller receives: a PlatformException's
// code, message and details.
type PlatformError struct {
	Code    string
	Message *string
	Details any
}

func (p PlatformError) String() string {
	msg := "null"
	if p.Message != nil {
		msg = *p.Message
	}
	return fmt.Sprintf("PlatformException(%s, %s, %v)", p.Code, msg, p.Details)
}

// Error is a message the plugin cannot accept.
type Error struct {
	Protocol Protocol
	Channel  string
	Method   string
	// Offset is the byte offset of the fault, or -1 when the bytes decoded
	// but a value is wrong (then Field names it).
	Offset int
	Field  string // e.g. "request.constraints.networkType"
	Reason string
	Cause  error // a *codec.DecodeError for byte-level faults

	// NotImplemented: a legacy call of an unknown method. The plugin
	// answers result.notImplemented() (an empty reply); Dart raises
	// MissingPluginException.
	NotImplemented bool
	// NoReply: the host answers with a null (empty) reply. Pigeon hosts do
	// this whenever the message cannot be decoded or cast (the generated
	// handler throws and BasicMessageChannel replies null); the Dart side
	// then raises "channel-error".
	NoReply bool

	android, ios PlatformError
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wire: %s %s", e.Protocol, e.Channel)
	if e.Method != "" && !strings.HasSuffix(e.Channel, e.Method) {
		fmt.Fprintf(&b, " method %s", e.Method)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&b, ": at byte %d", e.Offset)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s", e.Field)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	return b.String()
}

// Unwrap returns the codec error, if any.
func (e *Error) Unwrap() error { return e.Cause }

// Dart returns the PlatformException the Dart caller sees when the host is
// the given platform.
func (e *Error) Dart(p osscheduler.Platform) PlatformError {
	if p == osscheduler.IOS {
		return e.ios
	}
	return e.android
}

// Reply returns the reply bytes the host sends for this error on platform p
// (nil means an empty/null reply).
func (e *Error) Reply(p osscheduler.Platform) []byte {
	if e.NoReply || e.NotImplemented {
		return nil
	}
	pe := e.Dart(p)
	b, err := codec.Standard.EncodeErrorEnvelope(pe.Code, pe.Message, pe.Details)
	if err != nil {
		return nil
	}
	return b
}

func strp(s string) *string { return &s }

// channelError is the PlatformException the generated Dart code raises on a
// null reply (workmanager_api.g.dart, _createConnectionError).
func channelError(channel string) PlatformError {
	return PlatformError{Code: "channel-error", Message: strp(fmt.Sprintf("Unable to establish connection on channel: %q.", channel))}
}

// pigeonErr builds the error for a Pigeon message the host cannot take.
func pigeonErr(channel, method string, cause error, field, reason string) *Error {
	e := &Error{Protocol: Pigeon, Channel: channel, Method: method, Offset: -1, Field: field, Reason: reason, Cause: cause, NoReply: true}
	e.absorb(cause)
	e.android = channelError(channel)
	e.ios = e.android
	return e
}

// AsError returns err as an *Error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// absorb takes offset, path and text from a codec decode error.
func (e *Error) absorb(cause error) {
	var de *codec.DecodeError
	if !errors.As(cause, &de) {
		if cause != nil && e.Reason == "" {
			e.Reason = cause.Error()
		}
		return
	}
	e.Offset = de.Offset
	if e.Field == "" {
		e.Field = de.Path
	}
	if e.Reason == "" {
		e.Reason = "expected " + de.Expected
		if de.Found != "" {
			e.Reason += ", found " + de.Found
		}
	}
}
