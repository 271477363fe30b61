package wire

import (
	"fmt"

	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// Pigeon custom type bytes, in the order of workmanager_api.g.dart's
// _PigeonCodec (and WorkmanagerApiPigeonCodec in WorkmanagerApi.g.kt).
const (
	TypeTaskStatus                     codec.Type = 129
	TypeNetworkType                    codec.Type = 130
	TypeBackoffPolicy                  codec.Type = 131
	TypeExistingWorkPolicy             codec.Type = 132
	TypeExistingPeriodicWorkPolicy     codec.Type = 133
	TypeOutOfQuotaPolicy               codec.Type = 134
	TypeWorkState                      codec.Type = 135
	TypeForegroundServiceType          codec.Type = 136
	TypeForegroundServiceConfig        codec.Type = 137
	TypeConstraints                    codec.Type = 138
	TypeContentURITrigger              codec.Type = 139
	TypeBackoffPolicyConfig            codec.Type = 140
	TypeInitializeRequest              codec.Type = 141
	TypeOneOffTaskRequest              codec.Type = 142
	TypePeriodicTaskRequest            codec.Type = 143
	TypeProcessingTaskRequest          codec.Type = 144
	TypeHealthResearchTaskRequest      codec.Type = 145
	TypeContinuedProcessingTaskRequest codec.Type = 146
	TypeWorkInfoData                   codec.Type = 147
)

type pigeonTypeInfo struct {
	name string
	// enums: number of values (workmanager_api.dart enum declarations);
	// classes: number of fields (the generated fromList/toList).
	n int
}

var pigeonTypes = map[codec.Type]pigeonTypeInfo{
	TypeTaskStatus:                     {"TaskStatus", 7},
	TypeNetworkType:                    {"NetworkType", 6},
	TypeBackoffPolicy:                  {"BackoffPolicy", 2},
	TypeExistingWorkPolicy:             {"ExistingWorkPolicy", 4},
	TypeExistingPeriodicWorkPolicy:     {"ExistingPeriodicWorkPolicy", 3},
	TypeOutOfQuotaPolicy:               {"OutOfQuotaPolicy", 2},
	TypeWorkState:                      {"WorkState", 5},
	TypeForegroundServiceType:          {"ForegroundServiceType", 2},
	TypeForegroundServiceConfig:        {"ForegroundServiceConfig", 6},
	TypeConstraints:                    {"Constraints", 6},
	TypeContentURITrigger:              {"ContentUriTrigger", 2},
	TypeBackoffPolicyConfig:            {"BackoffPolicyConfig", 2},
	TypeInitializeRequest:              {"InitializeRequest", 1},
	TypeOneOffTaskRequest:              {"OneOffTaskRequest", 11},
	TypePeriodicTaskRequest:            {"PeriodicTaskRequest", 11},
	TypeProcessingTaskRequest:          {"ProcessingTaskRequest", 6},
	TypeHealthResearchTaskRequest:      {"HealthResearchTaskRequest", 6},
	TypeContinuedProcessingTaskRequest: {"ContinuedProcessingTaskRequest", 5},
	TypeWorkInfoData:                   {"WorkInfoData", 6},
}

// pigeonLabels are the error-path labels "<Name>", built once.
var pigeonLabels = func() map[codec.Type]string {
	m := make(map[codec.Type]string, len(pigeonTypes))
	for t, info := range pigeonTypes {
		m[t] = "<" + info.name + ">"
	}
	return m
}()

func pigeonTypeName(t codec.Type) string {
	if info, ok := pigeonTypes[t]; ok {
		return info.name
	}
	return fmt.Sprintf("custom(%d)", byte(t))
}

// Enum is a decoded Pigeon enum value (types 129–136): its type and raw
// index. The index is kept as sent; an index outside the enum is resolved
// when the field is read (the Kotlin/Swift hosts' ofRaw/rawValue give null).
type Enum struct {
	Type  codec.Type
	Index int64
}

// CodecTypeName names the value for codec.Describe.
func (e Enum) CodecTypeName() string {
	return fmt.Sprintf("%s(%d)", pigeonTypeName(e.Type), e.Index)
}

// EqualValue implements codec.Equal.
func (e Enum) EqualValue(o any) bool { x, ok := o.(Enum); return ok && x == e }

// Class is a decoded Pigeon data class (types 137–147): its type and its
// positional fields.
type Class struct {
	Type   codec.Type
	Fields []any
}

// CodecTypeName names the value for codec.Describe.
func (c Class) CodecTypeName() string { return pigeonTypeName(c.Type) }

// EqualValue implements codec.Equal.
func (c Class) EqualValue(o any) bool {
	x, ok := o.(Class)
	return ok && x.Type == c.Type && codec.Equal(x.Fields, c.Fields)
}

// PigeonCodec is StandardMessageCodec extended with the Pigeon types of
// workmanager_api.g.dart. On encoding it writes every integer as int64 (type
// 4), exactly as the generated Dart _PigeonCodec.writeValue does ("if (value
// is int) { buffer.putUint8(4); buffer.putInt64(value); }"), and enums as
// their index.
var PigeonCodec = newPigeonCodec()

func newPigeonCodec() *codec.Codec {
	c := codec.New()
	for t := TypeTaskStatus; t <= TypeForegroundServiceType; t++ {
		_ = c.RegisterReader(t, readEnum)
	}
	for t := TypeForegroundServiceConfig; t <= TypeWorkInfoData; t++ {
		_ = c.RegisterReader(t, readClass)
	}
	c.RegisterWriter(writePigeon)
	return c
}

// readEnum follows _PigeonCodec.readValueOfType: "readValue(buffer) as int?",
// null stays null.
func readEnum(d *codec.Decoder, t codec.Type) (any, error) {
	start := d.Offset()
	d.Push(pigeonLabels[t])
	defer d.Pop()
	v, err := d.ReadValue()
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int32:
		return Enum{Type: t, Index: int64(x)}, nil
	case int64:
		return Enum{Type: t, Index: x}, nil
	}
	return nil, &codec.DecodeError{Offset: start, Expected: "an int index for enum " + pigeonTypeName(t), Found: codec.Describe(v)}
}

// readClass follows _PigeonCodec.readValueOfType: the class is decoded from
// the list that follows.
func readClass(d *codec.Decoder, t codec.Type) (any, error) {
	start := d.Offset()
	d.Push(pigeonLabels[t])
	defer d.Pop()
	v, err := d.ReadValue()
	if err != nil {
		return nil, err
	}
	l, ok := v.([]any)
	if !ok {
		return nil, &codec.DecodeError{Offset: start, Expected: "a list of fields for class " + pigeonTypeName(t), Found: codec.Describe(v)}
	}
	return Class{Type: t, Fields: l}, nil
}

func writePigeon(e *codec.Encoder, v any) (bool, error) {
	switch x := v.(type) {
	case Enum:
		if _, ok := pigeonTypes[x.Type]; !ok || x.Type > TypeForegroundServiceType {
			return true, fmt.Errorf("wire: %d is not a Pigeon enum type", byte(x.Type))
		}
		_ = e.WriteByte(byte(x.Type))
		e.WriteInt64(x.Index)
		return true, nil
	case Class:
		if _, ok := pigeonTypes[x.Type]; !ok || x.Type < TypeForegroundServiceConfig {
			return true, fmt.Errorf("wire: %d is not a Pigeon class type", byte(x.Type))
		}
		_ = e.WriteByte(byte(x.Type))
		fields := x.Fields
		if fields == nil {
			fields = []any{}
		}
		return true, e.WriteValue(fields)
	case int:
		e.WriteInt64(int64(x))
	case int32:
		e.WriteInt64(int64(x))
	case int64:
		e.WriteInt64(x)
	case int8:
		e.WriteInt64(int64(x))
	case int16:
		e.WriteInt64(int64(x))
	case uint8:
		e.WriteInt64(int64(x))
	case uint16:
		e.WriteInt64(int64(x))
	case uint32:
		e.WriteInt64(int64(x))
	default:
		return false, nil
	}
	return true, nil
}
