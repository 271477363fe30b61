// Map and Field: inputData and channel payloads as ordered YAML maps.

package scenarios

import (
	"github.com/wmsim/wmsim/internal/osscheduler"
)

// Map is an ordered mapping with string keys, as written in the file. Values
// keep their YAML types: nil, bool, int64, float64, string, []any and Map.
type Map []Field

// Field is one key and value of a Map.
type Field struct {
	Key   string
	Value any
}

// Get returns the value under key.
func (m Map) Get(key string) (any, bool) {
	for _, f := range m {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// Keys returns the keys in file order.
func (m Map) Keys() []string {
	keys := make([]string, len(m))
	for i, f := range m {
		keys[i] = f.Key
	}
	return keys
}

// Data converts m to an osscheduler.Data (nested Maps become
// map[string]any, lists []any). It returns nil for a nil Map.
func (m Map) Data() osscheduler.Data {
	if m == nil {
		return nil
	}
	d := make(osscheduler.Data, len(m))
	for _, f := range m {
		d[f.Key] = plainValue(f.Value)
	}
	return d
}

// Plain converts m to a map[string]any with nested values converted too.
func (m Map) Plain() map[string]any {
	if m == nil {
		return nil
	}
	return map[string]any(m.Data())
}

func plainValue(v any) any {
	switch v := v.(type) {
	case Map:
		if v == nil {
			return map[string]any{}
		}
		return v.Plain()
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plainValue(e)
		}
		return out
	}
	return v
}
