package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin/codec"
)

// maxInputDepth bounds nesting in inputData (JSON or codec), well above what
// the 10 KB Android Data limit allows anyway.
const maxInputDepth = 64

// dataFromCodec converts a Pigeon inputData value (Map<String?, Object?>?) to
// osscheduler.Data: ints become int64, typed lists become []any, nested maps
// map[string]any. Like convertPigeonInputData (workmanager_impl.dart), a null
// key is dropped and null values are kept.
func dataFromCodec(v any, field string, warn func(string, ...any)) (osscheduler.Data, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(codec.Map)
	if !ok {
		return nil, fmt.Errorf("%s: expected a map or null, found %s", field, codec.Describe(v))
	}
	out, err := mapFromCodec(m, field, 0, warn)
	if err != nil {
		return nil, err
	}
	return osscheduler.Data(out), nil
}

func mapFromCodec(m codec.Map, field string, depth int, warn func(string, ...any)) (map[string]any, error) {
	if depth > maxInputDepth {
		return nil, fmt.Errorf("%s: nested deeper than %d levels", field, maxInputDepth)
	}
	out := make(map[string]any, len(m))
	for i, e := range m {
		switch k := e.Key.(type) {
		case nil:
			warn("%s: entry %d has a null key; convertPigeonInputData drops it", field, i)
			continue
		case string:
			sub := field + "." + k
			v, err := valueFromCodec(e.Value, sub, depth+1, warn)
			if err != nil {
				return nil, err
			}
			if _, dup := out[k]; dup {
				warn("%s: duplicate key %q; the last value wins", field, k)
			}
			out[k] = v
		default:
			return nil, fmt.Errorf("%s: entry %d: key is %s; inputData keys are String?", field, i, codec.Describe(e.Key))
		}
	}
	return out, nil
}

func valueFromCodec(v any, field string, depth int, warn func(string, ...any)) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, float64, int64:
		return x, nil
	case int32:
		return int64(x), nil
	case []byte:
		warn("%s: Uint8List becomes a list of ints", field)
		out := make([]any, len(x))
		for i, b := range x {
			out[i] = int64(b)
		}
		return out, nil
	case []int32:
		out := make([]any, len(x))
		for i, n := range x {
			out[i] = int64(n)
		}
		return out, nil
	case []int64:
		out := make([]any, len(x))
		for i, n := range x {
			out[i] = n
		}
		return out, nil
	case []float32:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = float64(f)
		}
		return out, nil
	case []float64:
		out := make([]any, len(x))
		for i, f := range x {
			out[i] = f
		}
		return out, nil
	case []any:
		if depth > maxInputDepth {
			return nil, fmt.Errorf("%s: nested deeper than %d levels", field, maxInputDepth)
		}
		out := make([]any, len(x))
		for i, item := range x {
			y, err := valueFromCodec(item, field+"["+strconv.Itoa(i)+"]", depth+1, warn)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	case codec.Map:
		return mapFromCodec(x, field, depth, warn)
	}
	// LargeInt (BigInteger) and Pigeon enums/classes: Android's
	// InputDataUtils throws "Unsupported payload type for key ...".
	return nil, fmt.Errorf("%s: unsupported inputData value %s", field, codec.Describe(v))
}

// dataToCodec converts Data to a codec value with sorted keys, so encoding
// is deterministic.
func dataToCodec(d osscheduler.Data) any {
	if d == nil {
		return nil
	}
	return mapToCodec(d)
}

func mapToCodec(m map[string]any) codec.Map {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(codec.Map, len(keys))
	for i, k := range keys {
		out[i] = codec.MapEntry{Key: k, Value: valueToCodec(m[k])}
	}
	return out
}

func valueToCodec(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return mapToCodec(x)
	case osscheduler.Data:
		return mapToCodec(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = valueToCodec(item)
		}
		return out
	}
	return v
}

// dataFromJSON parses a legacy inputData JSON string (0.5 sends
// jsonEncode(inputData)). Integers become int64, other numbers float64.
func dataFromJSON(text string) (osscheduler.Data, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("inputData is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("inputData has text after the JSON value")
	}
	if raw == nil {
		return nil, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("inputData JSON is %T, not an object", raw)
	}
	v, err := fromJSONValue(m, 0)
	if err != nil {
		return nil, err
	}
	return osscheduler.Data(v.(map[string]any)), nil
}

func fromJSONValue(v any, depth int) (any, error) {
	if depth > maxInputDepth {
		return nil, fmt.Errorf("inputData JSON nested deeper than %d levels", maxInputDepth)
	}
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(f, 0) {
			return nil, fmt.Errorf("inputData number %s: %v", s, err)
		}
		return f, nil
	case []any:
		for i := range x {
			y, err := fromJSONValue(x[i], depth+1)
			if err != nil {
				return nil, err
			}
			x[i] = y
		}
		return x, nil
	case map[string]any:
		for k := range x {
			y, err := fromJSONValue(x[k], depth+1)
			if err != nil {
				return nil, err
			}
			x[k] = y
		}
		return x, nil
	}
	return v, nil
}

// dataToJSON renders Data as the 0.5 Dart side would (jsonEncode), with
// sorted keys.
func dataToJSON(d osscheduler.Data) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any(d)); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
