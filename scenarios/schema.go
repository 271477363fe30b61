// The format's JSON Schema (schema.json), generated from the Go types and
// embedded.

package scenarios

import (
	_ "embed"
	"reflect"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/wmsim/wmsim/internal/device"
)

// schemaJSON is the committed JSON Schema, generated from the Go types by
// TestSchema (go test ./scenarios -run TestSchema -update).
//
//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of scenario format v1,
// generated from the Go types. The Go loader is the authority: the schema
// is documentation and editor support, and cannot express every rule (at
// within duration, task names the app defines, per-method args).
func Schema() []byte {
	return append([]byte(nil), schemaJSON...)
}

// SchemaID is the schema's $id.
const SchemaID = "https://github.com/wmsim/wmsim/scenarios/schema.json"

// durationPattern matches the duration syntax accepted by ParseDuration
// (without a sign: negative durations are invalid everywhere).
const durationPattern = `^(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h|d))+)$`

// durationSchema is the schema of a duration field.
func durationSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: durationPattern},
			{Type: "integer", Const: 0},
		},
		Description: "A Go duration plus the unit d (24h): 90s, 15m, 1h30m, 3d, 2d12h.",
		Examples:    []any{"90s", "15m", "1h30m", "3d"},
	}
}

// newReflector returns the reflector that generates the schema.
func newReflector() *jsonschema.Reflector {
	r := &jsonschema.Reflector{
		BaseSchemaID:               SchemaID,
		Anonymous:                  true,
		RequiredFromJSONSchemaTags: true,
		ExpandedStruct:             true,
	}
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		switch t {
		case reflect.TypeOf(time.Duration(0)):
			return durationSchema()
		case reflect.TypeOf(TaskState("")):
			return enumSchema(stateEnum, "")
		case reflect.TypeOf(Tasks(nil)):
			inner := *r
			inner.DoNotReference = true
			inner.ExpandedStruct = true
			task := inner.Reflect(&Task{})
			task.Version, task.ID, task.Definitions = "", "", nil
			return &jsonschema.Schema{
				Type:                 "object",
				AdditionalProperties: task,
				Description:          "Keyed by the task name the dispatcher receives; the entry named default handles names without an entry.",
			}
		}
		return nil
	}
	return r
}

// generateSchema reflects the Scenario type. comments, when not nil, adds
// the Go doc comments as descriptions.
func generateSchema(r *jsonschema.Reflector) *jsonschema.Schema {
	s := r.Reflect(&Scenario{})
	// device.profile is a built-in's name or a profile defined inline.
	if dev, ok := s.Definitions["Device"]; ok {
		if name, ok := dev.Properties.Get("profile"); ok {
			inner := &jsonschema.Reflector{Anonymous: true, DoNotReference: true, ExpandedStruct: true, RequiredFromJSONSchemaTags: true, Mapper: r.Mapper}
			def := inner.Reflect(&device.Profile{})
			def.Version, def.ID, def.Definitions = "", "", nil
			def.Description = "A daily usage profile defined in the file."
			dev.Properties.Set("profile", &jsonschema.Schema{
				AnyOf:       []*jsonschema.Schema{{Type: "string", MinLength: name.MinLength, Description: "A built-in profile's name."}, def},
				Description: name.Description,
			})
		}
	}
	s.ID = SchemaID
	s.Title = "wmsim scenario (format v1.1)"
	return s
}

// computedDurationSchema is a duration argument: a duration or {until: "HH:MM"}.
func computedDurationSchema() *jsonschema.Schema {
	until := jsonschema.NewProperties()
	until.Set("until", &jsonschema.Schema{Type: "string", Pattern: clockPattern, Description: "The time from the call to the next such clock time (0 at exactly that time)."})
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{durationSchema(), {
			Type: "object", Properties: until, Required: []string{"until"}, AdditionalProperties: jsonschema.FalseSchema,
		}},
		Description: `A duration (1h), or {until: "10:00"}: computed when the call is made.`,
	}
}

// clockPattern matches a 24-hour clock time HH:MM or HH:MM:SS.
const clockPattern = `^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`

func (ClockTime) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: clockPattern, Description: `A 24-hour clock time, "10:00".`}
}

func enumSchema(spec enumSpec, desc string) *jsonschema.Schema {
	var vals []any
	for _, v := range spec.values {
		vals = append(vals, v)
	}
	for _, a := range spec.all() {
		if !contains(spec.values, a) {
			vals = append(vals, a)
		}
	}
	return &jsonschema.Schema{Type: "string", Enum: vals, Description: desc}
}

// JSONSchema implementations for the format's own scalar types.

func (Platform) JSONSchema() *jsonschema.Schema { return enumSchema(platformEnum, "") }
func (Platforms) JSONSchema() *jsonschema.Schema {
	one := enumSchema(platformEnum, "")
	return &jsonschema.Schema{
		OneOf: []*jsonschema.Schema{
			one,
			{Type: "array", Items: enumSchema(platformEnum, ""), MinItems: ptr(uint64(1)), UniqueItems: true},
		},
		Description: "android, ios, or a list of both (default android).",
	}
}
func (PluginVersion) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: `^0\.(2|3|4|5|6|7|8|9|10)(\.[0-9]+(\+[0-9]+)?)?$`},
			{Type: "number", Enum: []any{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, Description: "an unquoted minor such as 0.10 or 0.5, read as written"},
		},
		Default:     "0.10",
		Description: `The workmanager release: a minor "0.2" … "0.10" (its latest release) or a published release ("0.5.2", "0.9.0+3", "0.10.10").`,
	}
}
func (StandbyBucket) JSONSchema() *jsonschema.Schema { return enumSchema(bucketEnum, "") }
func (BackgroundMode) JSONSchema() *jsonschema.Schema {
	return enumSchema(modeEnum, "")
}
func (FetchInterval) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf:       []*jsonschema.Schema{{Type: "string", Enum: []any{"never", "minimum"}}, durationSchema()},
		Description: "setMinimumBackgroundFetchInterval: never (default), minimum, or a duration.",
	}
}
func (Charger) JSONSchema() *jsonschema.Schema     { return enumSchema(chargerEnum, "") }
func (NetworkKind) JSONSchema() *jsonschema.Schema { return enumSchema(netKindEnum, "") }
func (Screen) JSONSchema() *jsonschema.Schema      { return enumSchema(screenEnum, "") }
func (ByteSize) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "integer", Minimum: "0"},
			{Type: "string", Pattern: `^[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$`},
		},
		Description: "Bytes, or a number and a unit: B, KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024).",
		Examples:    []any{"12GB", "64GB", "512MiB"},
	}
}
func (DurationRange) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: `^(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h|d))+)(\.\.(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h|d))+))?$`},
			{Type: "integer", Const: 0},
		},
		Description: "A duration (4s) or a range min..max (2s..10s) drawn from the seed.",
		Examples:    []any{"4s", "2s..10s"},
	}
}
func (Result) JSONSchema() *jsonschema.Schema { return enumSchema(resultEnum, "") }
func (Results) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		OneOf: []*jsonschema.Schema{
			enumSchema(resultEnum, ""),
			{Type: "array", Items: enumSchema(resultEnum, ""), MinItems: ptr(uint64(1))},
		},
		Description: "success | retry | failure | error, or a list used in turn (the last repeats).",
	}
}
func (At) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			durationSchema(),
			{Type: "string", Pattern: `^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`},
		},
		Description: `An offset from start (90s, 2d12h) or a daily clock time ("07:30") in start's UTC offset.`,
	}
}
func (Method) JSONSchema() *jsonschema.Schema {
	return enumSchema(allMethodsEnum, "A Dart method of Workmanager.")
}
func (NetworkType) JSONSchema() *jsonschema.Schema {
	return enumSchema(networkTypeEnum, "Dart NetworkType, camelCase or snake_case.")
}
func (ExistingWorkPolicy) JSONSchema() *jsonschema.Schema {
	return enumSchema(existingWorkEnum, "Dart ExistingWorkPolicy; registerPeriodicTask (0.10) takes keep, replace, update.")
}
func (BackoffPolicy) JSONSchema() *jsonschema.Schema    { return enumSchema(backoffEnum, "") }
func (OutOfQuotaPolicy) JSONSchema() *jsonschema.Schema { return enumSchema(outOfQuotaEnum, "") }
func (ForegroundServiceType) JSONSchema() *jsonschema.Schema {
	return enumSchema(fgsTypeEnum, "")
}
func (Map) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "object", Description: "A map of string keys to values (null, bool, int, double, String, lists, maps)."}
}
func (AppEvent) JSONSchema() *jsonschema.Schema {
	forProps := jsonschema.NewProperties()
	forProps.Set("for", durationSchema())
	launch := jsonschema.NewProperties()
	launch.Set("launch", &jsonschema.Schema{Type: "object", Properties: forProps, Required: []string{"for"}, AdditionalProperties: jsonschema.FalseSchema})
	renamed := jsonschema.NewProperties()
	renamed.Set("dispatcher_renamed", &jsonschema.Schema{Type: "boolean"})
	update := jsonschema.NewProperties()
	update.Set("update", &jsonschema.Schema{
		Type:                 "object",
		Properties:           renamed,
		AdditionalProperties: jsonschema.FalseSchema,
	})
	return &jsonschema.Schema{
		OneOf: []*jsonschema.Schema{
			enumSchema(appEnum, ""),
			{
				Type:                 "object",
				Properties:           update,
				Required:             []string{"update"},
				AdditionalProperties: jsonschema.FalseSchema,
			},
			{
				Type:                 "object",
				Properties:           launch,
				Required:             []string{"launch"},
				AdditionalProperties: jsonschema.FalseSchema,
			},
		},
		Description: "launch | background | swipe_away | force_stop | update | process_death, {update: {dispatcher_renamed: true}}, or {launch: {for: 5m}}.",
	}
}
func (DozeCommand) JSONSchema() *jsonschema.Schema { return enumSchema(dozeEnum, "") }

// JSONSchemaExtend lets duration arguments be computed: {until: "10:00"}
// (format v1.1).
func (Args) JSONSchemaExtend(s *jsonschema.Schema) {
	for _, name := range []string{"frequency", "flexInterval", "initialDelay", "backoffPolicyDelay"} {
		if _, ok := s.Properties.Get(name); ok {
			s.Properties.Set(name, computedDurationSchema())
		}
	}
}

// JSONSchemaExtend requires exactly one action per step.
func (Step) JSONSchemaExtend(s *jsonschema.Schema) {
	for _, a := range actionFields {
		s.OneOf = append(s.OneOf, &jsonschema.Schema{Required: []string{a}})
	}
	s.DependentRequired = map[string][]string{"args": {"call"}}
}

// JSONSchemaExtend requires exactly one assertion per expectation.
func (Expectation) JSONSchemaExtend(s *jsonschema.Schema) {
	for _, a := range assertionFields {
		s.OneOf = append(s.OneOf, &jsonschema.Schema{Required: []string{a}})
	}
}

// JSONSchemaExtend requires message or method (not both).
func (Channel) JSONSchemaExtend(s *jsonschema.Schema) {
	s.OneOf = []*jsonschema.Schema{{Required: []string{"message"}}, {Required: []string{"method"}}}
	s.DependentRequired = map[string][]string{"arguments": {"method"}}
}
