package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/wmsim/wmsim/internal/fleet"
	"github.com/wmsim/wmsim/internal/scan"
	"github.com/wmsim/wmsim/report"
	"github.com/wmsim/wmsim/scenarios"
)

// schemaDoc is one JSON document wmsim reads or writes and its schema.
type schemaDoc struct {
	name   string
	format string // the document's "format" value, "" for none
	title  string
	// typ is a pointer to the Go type the document marshals from; nil for
	// the documents whose package publishes the schema (scenario, scan).
	typ any
}

// schemaDocs lists every JSON document with a schema. The scenario and scan
// schemas are their packages' own (scenarios.Schema, scan.Schema); the others are reflected from the Go
// types that write them, so they cannot drift from the output.
var schemaDocs = []schemaDoc{
	{"scenario", "", "wmsim scenario file", nil},
	{"result", report.FormatResult, "wmsim run --format json: one scenario on one platform", &report.Result{}},
	{"results", report.FormatResults, "wmsim run --format json: several scenarios or platforms", &report.Results{}},
	{"fleet", fleet.Format, "wmsim fleet --format json and wmsim merge --format json", &fleet.Summary{}},
	{"scan", scan.FormatID, "wmsim scan --format json", nil},
	{"explain", report.FormatExplain, "wmsim explain --format json", &report.ExplainDoc{}},
	{"shard", fleet.Format, "wmsim fleet --shard i/n --format json: one shard, the input of wmsim merge", &fleet.Summary{}},
}

func schemaNames() string {
	var names []string
	for _, d := range schemaDocs {
		names = append(names, d.name)
	}
	return strings.Join(names, "|")
}

// schemaFor is the JSON Schema (draft 2020-12) of a document, indented.
func schemaFor(name string) ([]byte, error) {
	i := slices.IndexFunc(schemaDocs, func(d schemaDoc) bool { return d.name == name })
	if i < 0 {
		return nil, usageErrorf("--for: %q has no schema; valid: %s", name, strings.ReplaceAll(schemaNames(), "|", ", "))
	}
	d := schemaDocs[i]
	switch d.name {
	case "scenario":
		return scenarios.Schema(), nil
	case "scan":
		return scan.Schema(), nil
	}
	r := &jsonschema.Reflector{ExpandedStruct: true, Mapper: schemaMapper}
	s := r.Reflect(d.typ)
	s.ID = jsonschema.ID("https://github.com/wmsim/wmsim/schemas/" + d.name + ".json")
	s.Title = d.title
	if d.format != "" {
		if p, ok := s.Properties.Get("format"); ok {
			p.Const = d.format
		}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// schemaMapper gives the schema of types with their own JSON encoding.
func schemaMapper(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[report.Seconds]():
		return &jsonschema.Schema{Type: "number", Description: "seconds since the scenario's start, millisecond resolution"}
	case reflect.TypeFor[fleet.Dist]():
		props := jsonschema.NewProperties()
		var req []string
		for _, k := range []string{"count", "sum", "min", "max", "mean", "p50", "p90", "p99"} {
			props.Set(k, &jsonschema.Schema{Type: "integer"})
			req = append(req, k)
		}
		props.Set("buckets", &jsonschema.Schema{Type: "string", Pattern: `^(-?[0-9]+:[0-9]+( -?[0-9]+:[0-9]+)*)?$`,
			Description: "index:count pairs, ascending, separated by spaces"})
		req = append(req, "buckets")
		return &jsonschema.Schema{Type: "object", Properties: props, Required: req, AdditionalProperties: jsonschema.FalseSchema,
			Description: "a mergeable distribution: exact count, sum, min, max; quantiles from log buckets"}
	}
	return nil
}
