package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// miniValidator checks a JSON value against the subset of JSON Schema
// 2020-12 that schema.json uses ($ref to $defs, type, properties,
// additionalProperties, required, enum, const, pattern, anyOf, oneOf, items,
// minItems, uniqueItems, minimum, maximum, minLength, dependentRequired). It
// exists to prove the committed schema agrees with the loader.
type miniValidator struct {
	defs map[string]any
}

func (v *miniValidator) validate(schema any, val any, path string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		if b, isBool := schema.(bool); isBool && !b {
			return []string{path + ": not allowed"}
		}
		return nil
	}
	var errs []string
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		errs = append(errs, v.validate(v.defs[name], val, path)...)
	}
	if t, ok := s["type"].(string); ok && !jsonType(val, t) {
		return append(errs, fmt.Sprintf("%s: %v is not %s", path, val, t))
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || equalJSON(e, val)
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v not in %v", path, val, enum))
		}
	}
	if c, ok := s["const"]; ok && !equalJSON(c, val) {
		errs = append(errs, fmt.Sprintf("%s: %v is not %v", path, val, c))
	}
	if p, ok := s["pattern"].(string); ok {
		if str, isStr := val.(string); isStr && !regexp.MustCompile(p).MatchString(str) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", path, str, p))
		}
	}
	if n, ok := val.(json.Number); ok {
		f, _ := n.Float64()
		if m, ok := s["minimum"].(json.Number); ok {
			if mf, _ := m.Float64(); f < mf {
				errs = append(errs, fmt.Sprintf("%s: %v < %v", path, n, m))
			}
		}
		if m, ok := s["maximum"].(json.Number); ok {
			if mf, _ := m.Float64(); f > mf {
				errs = append(errs, fmt.Sprintf("%s: %v > %v", path, n, m))
			}
		}
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		alts, ok := s[key].([]any)
		if !ok {
			continue
		}
		passed := 0
		for _, alt := range alts {
			if len(v.validate(alt, val, path)) == 0 {
				passed++
			}
		}
		if passed == 0 || key == "oneOf" && passed > 1 {
			errs = append(errs, fmt.Sprintf("%s: %d alternatives of %s match", path, passed, key))
		}
	}
	if arr, ok := val.([]any); ok {
		if items, ok := s["items"]; ok {
			for i, e := range arr {
				errs = append(errs, v.validate(items, e, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
		if m, ok := s["minItems"].(json.Number); ok {
			if mi, _ := m.Int64(); int64(len(arr)) < mi {
				errs = append(errs, path+": too few items")
			}
		}
	}
	if obj, ok := val.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		for k, e := range obj {
			if ps, ok := props[k]; ok {
				errs = append(errs, v.validate(ps, e, path+"."+k)...)
			} else if ap, ok := s["additionalProperties"]; ok {
				errs = append(errs, v.validate(ap, e, path+"."+k)...)
			}
		}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					errs = append(errs, fmt.Sprintf("%s: missing %s", path, r))
				}
			}
		}
		if dr, ok := s["dependentRequired"].(map[string]any); ok {
			for k, needs := range dr {
				if _, has := obj[k]; !has {
					continue
				}
				for _, n := range needs.([]any) {
					if _, ok := obj[n.(string)]; !ok {
						errs = append(errs, fmt.Sprintf("%s: %s needs %s", path, k, n))
					}
				}
			}
		}
	}
	return errs
}

func jsonType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if bytes.Equal(ja, jb) {
		return true
	}
	// Numbers: compare numerically (0.10 vs 0.1).
	na, okA := a.(json.Number)
	nb, okB := b.(json.Number)
	if okA && okB {
		fa, _ := na.Float64()
		fb, _ := nb.Float64()
		return fa == fb
	}
	return false
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSchemaAgreesWithLoader validates every good file against schema.json
// (they must pass) and the bad files whose error the schema can express
// (they must fail).
func TestSchemaAgreesWithLoader(t *testing.T) {
	root := decodeJSON(t, Schema()).(map[string]any)
	v := &miniValidator{defs: root["$defs"].(map[string]any)}
	check := func(file string) []string {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		js, err := yaml.YAMLToJSON(src)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return v.validate(root, decodeJSON(t, js), "$")
	}
	// The validator itself must see nested problems.
	for src, want := range map[string]string{
		`{"version":1}`: "missing name",
		`{"version":1,"name":"x","duration":"1d","timeline":[{"at":"1m","call":"nope"}]}`:                    "not in",
		`{"version":1,"name":"x","duration":"1d","device":{"network":{"type":"wifi","speed":1}}}`:            "not allowed",
		`{"version":1,"name":"x","duration":"1d","app":{"tasks":{"a":{"result":["ok"]}}}}`:                   "alternatives",
		`{"version":1,"name":"x","duration":"1d","expect":[{"task":"a","runs":{"min":1},"state":"failed"}]}`: "alternatives of oneOf",
	} {
		errs := v.validate(root, decodeJSON(t, []byte(src)), "$")
		if !strings.Contains(strings.Join(errs, "\n"), want) {
			t.Errorf("%s: got %q, want %q", src, errs, want)
		}
	}
	good, _ := filepath.Glob("testdata/good/*.yaml")
	for _, f := range good {
		if errs := check(f); len(errs) > 0 {
			t.Errorf("%s does not validate against schema.json:\n%s", f, strings.Join(errs, "\n"))
		}
	}
	for _, name := range []string{"unknown-field", "unknown-top-field", "wrong-type-seed", "negative-duration",
		"missing-version", "version-2", "bad-name", "unknown-enum", "two-actions", "no-action", "android-api-range",
		"battery-level", "unknown-call", "channel-both", "expect-bad-entries", "expect-bad-state", "bad-clock",
		"duration-no-unit", "args-without-call", "unknown-platform", "plugin-version", "bad-task-behaviour"} {
		if errs := check("testdata/bad/" + name + ".yaml"); len(errs) == 0 {
			t.Errorf("testdata/bad/%s.yaml validates against schema.json", name)
		}
	}
}
