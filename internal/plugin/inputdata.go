package plugin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// DynamicList is a Dart List<dynamic> (for example what jsonDecode returns).
// A plain []any whose elements all have one type is treated as the typed list
// a Dart list literal would be inferred as; use DynamicList to say the list is
// untyped. The 0.5 plugin rejects List<dynamic> values (#426).
type DynamicList []any

// Int32List and Float32List are Dart typed-data lists. StandardMessageCodec
// delivers them to Kotlin as IntArray / FloatArray, which the Android side
// does not accept as input data (InputDataUtils.kt putPayloadValue).
type (
	Int32List   []int32
	Float32List []float32
)

// dartList is a Dart List with its static element type.
type dartList struct {
	elem  string // String, int, double, bool, dynamic
	items []any  // normalized Dart values
}

// dartValue normalizes a Go value into the Dart value the app's map would
// hold: nil, bool, int64, float64, string, []byte (Uint8List), Int32List,
// Float32List, dartList or map[string]any of Dart values. A value that
// StandardMessageCodec cannot encode is an error naming its Go type.
func dartValue(v any) (any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case bool, string, int64, float64, []byte, Int32List, Float32List:
		return t, nil
	case int:
		return int64(t), nil
	case int8:
		return int64(t), nil
	case int16:
		return int64(t), nil
	case int32:
		return int64(t), nil
	case uint8:
		return int64(t), nil
	case uint16:
		return int64(t), nil
	case uint32:
		return int64(t), nil
	case uint:
		if uint64(t) > math.MaxInt64 {
			return nil, fmt.Errorf("integer %d does not fit a Dart int", t)
		}
		return int64(t), nil
	case uint64:
		if t > math.MaxInt64 {
			return nil, fmt.Errorf("integer %d does not fit a Dart int", t)
		}
		return int64(t), nil
	case float32:
		return float64(t), nil
	case []string:
		items := make([]any, len(t))
		for i, s := range t {
			items[i] = s
		}
		return dartList{elem: "String", items: items}, nil
	case []int:
		items := make([]any, len(t))
		for i, n := range t {
			items[i] = int64(n)
		}
		return dartList{elem: "int", items: items}, nil
	case []int64:
		items := make([]any, len(t))
		for i, n := range t {
			items[i] = n
		}
		return dartList{elem: "int", items: items}, nil
	case []float64:
		items := make([]any, len(t))
		for i, f := range t {
			items[i] = f
		}
		return dartList{elem: "double", items: items}, nil
	case []bool:
		items := make([]any, len(t))
		for i, b := range t {
			items[i] = b
		}
		return dartList{elem: "bool", items: items}, nil
	case DynamicList:
		items, err := dartItems(t)
		if err != nil {
			return nil, err
		}
		return dartList{elem: "dynamic", items: items}, nil
	case []any:
		items, err := dartItems(t)
		if err != nil {
			return nil, err
		}
		return dartList{elem: inferElem(items), items: items}, nil
	case dartList:
		return t, nil
	case osscheduler.Data:
		return dartMap(t)
	case map[string]any:
		return dartMap(t)
	}
	return reflectValue(reflect.ValueOf(v))
}

// reflectValue converts other Go slices and string-keyed maps (a
// []float32, a map[string]string, …): a typed slice keeps its element type as
// the Dart list's static type.
func reflectValue(rv reflect.Value) (any, error) {
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		items := make([]any, rv.Len())
		for i := range items {
			d, err := dartValue(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			items[i] = d
		}
		elem := "dynamic"
		switch rv.Type().Elem().Kind() {
		case reflect.String:
			elem = "String"
		case reflect.Bool:
			elem = "bool"
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint8, reflect.Uint16, reflect.Uint32:
			elem = "int"
		case reflect.Float32, reflect.Float64:
			elem = "double"
		}
		return dartList{elem: elem, items: items}, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		out := make(map[string]any, rv.Len())
		for _, k := range rv.MapKeys() {
			d, err := dartValue(rv.MapIndex(k).Interface())
			if err != nil {
				return nil, err
			}
			out[k.String()] = d
		}
		return out, nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
	}
	//lint:ignore ST1005 the text of the platform exception Dart receives, byte for byte
	return nil, fmt.Errorf("Instance of '%s'", rv.Type().String())
}

func dartItems(in []any) ([]any, error) {
	out := make([]any, len(in))
	for i, e := range in {
		d, err := dartValue(e)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

func dartMap(in map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(in))
	for _, k := range sortedKeys(in) {
		d, err := dartValue(in[k])
		if err != nil {
			return nil, err
		}
		out[k] = d
	}
	return out, nil
}

// inferElem is the element type Dart infers for a list literal of these values.
func inferElem(items []any) string {
	if len(items) == 0 {
		return "dynamic"
	}
	kind := func(v any) string {
		switch v.(type) {
		case string:
			return "String"
		case int64:
			return "int"
		case float64:
			return "double"
		case bool:
			return "bool"
		}
		return "dynamic"
	}
	k := kind(items[0])
	for _, it := range items[1:] {
		if kind(it) != k {
			return "dynamic" // mixed int/double would be num; num is not accepted either
		}
	}
	return k
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// normalizeInput converts the app's inputData into Dart values. An error is
// the ArgumentError StandardMessageCodec throws for a value it cannot encode.
func normalizeInput(in osscheduler.Data) (map[string]any, error) {
	if in == nil {
		return nil, nil
	}
	out := make(map[string]any, len(in))
	for _, k := range in.Keys() {
		d, err := dartValue(in[k])
		if err != nil {
			return nil, &DartError{Type: "ArgumentError", Message: "Invalid argument: " + err.Error() + " (inputData key '" + k + "')"}
		}
		out[k] = d
	}
	return out, nil
}

// validate05 is the 0.5 Dart-side check (workmanager 0.5.1
// lib/src/workmanager.dart, toRegisterMethodArgument): every value must be an
// int, bool, double, String or a List<int|bool|double|String>.
func validate05(in map[string]any) error {
	for _, k := range sortedKeys(in) {
		ok := false
		switch t := in[k].(type) {
		case int64, bool, float64, string:
			ok = true
		case dartList:
			ok = t.elem != "dynamic"
		}
		if !ok {
			return &DartError{Type: "Exception", Message: fmt.Sprintf(msgWrongType05, k)}
		}
	}
	return nil
}

// deliver converts Dart values into the Go values a handler receives, applying
// convertPigeonInputData / normalizeInputDataValue (workmanager_impl.dart):
// homogeneous lists become []string, []int64, []float64 or []bool; empty or
// mixed lists []any; maps map[string]any.
func deliver(v any) any {
	switch t := v.(type) {
	case dartList:
		return deliverList(t.items)
	case []any:
		return deliverList(t)
	case []byte:
		items := make([]any, len(t))
		for i, b := range t {
			items[i] = int64(b)
		}
		return deliverList(items)
	case Int32List:
		items := make([]any, len(t))
		for i, n := range t {
			items[i] = int64(n)
		}
		return deliverList(items)
	case Float32List:
		items := make([]any, len(t))
		for i, f := range t {
			items[i] = float64(f)
		}
		return deliverList(items)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t { // deliver is pure: the order cannot show
			out[k] = deliver(e)
		}
		return out
	case osscheduler.Data:
		return deliver(map[string]any(t))
	case int:
		return int64(t)
	case int32:
		return int64(t)
	case float32:
		return float64(t)
	}
	return v
}

func deliverList(in []any) any {
	items := make([]any, len(in))
	for i, e := range in {
		items[i] = deliver(e)
	}
	if len(items) == 0 {
		return items
	}
	switch inferElem(items) {
	case "String":
		out := make([]string, len(items))
		for i, e := range items {
			out[i] = e.(string)
		}
		return out
	case "int":
		out := make([]int64, len(items))
		for i, e := range items {
			out[i] = e.(int64)
		}
		return out
	case "double":
		out := make([]float64, len(items))
		for i, e := range items {
			out[i] = e.(float64)
		}
		return out
	case "bool":
		out := make([]bool, len(items))
		for i, e := range items {
			out[i] = e.(bool)
		}
		return out
	}
	return items
}

// deliverData applies deliver to a whole input map; nil stays nil (Dart null).
func deliverData(in map[string]any) osscheduler.Data {
	if in == nil {
		return nil
	}
	out := make(osscheduler.Data, len(in))
	for k, v := range in { // deliver is pure: the order cannot show
		out[k] = deliver(v)
	}
	return out
}

// ---- Android Data (androidx.work.Data, InputDataUtils.kt) ----

// Reserved Data keys (BackgroundWorker.kt, InputDataUtils.kt; 0.5.1
// BackgroundWorker.kt for the be.tramckrijte keys).
const (
	keyDartTask           = "dev.fluttercommunity.workmanager.DART_TASK"
	keyUniqueName         = "dev.fluttercommunity.workmanager.UNIQUE_NAME"
	keyFGSConfig          = "dev.fluttercommunity.workmanager.FOREGROUND_SERVICE_CONFIG"
	payloadPrefix         = "payload_"
	jsonPayloadPrefix     = "json_payload_"
	keyDartTask05         = "be.tramckrijte.workmanager.DART_TASK"
	keyIsInDebugMode05    = "be.tramckrijte.workmanager.IS_IN_DEBUG_MODE_KEY"
	keyPayload05          = "be.tramckrijte.workmanager.INPUT_DATA"
	maxDataBytes          = 10 * 1024 // androidx.work.Data.MAX_DATA_BYTES
	dataHeaderBytes       = 2 + 2 + 4 // STREAM_MAGIC short, STREAM_VERSION short, size int (toByteArrayInternalV1)
	javaModifiedUTFMaxLen = 65535     // DataOutputStream.writeUTF limit
)

// androidData is a Data being built: the values as the model stores them and
// the serialized size Data.toByteArray would produce.
type androidData struct {
	values  osscheduler.Data
	size    int
	utfFail bool // a string longer than writeUTF allows: toByteArray returns an empty array
}

func newAndroidData() *androidData {
	return &androidData{values: osscheduler.Data{}, size: dataHeaderBytes}
}

// put stores key → value and adds its V1 entry size: a type byte, the value,
// then the key as writeUTF.
func (d *androidData) put(key string, value any, valueBytes int) {
	if old, ok := d.values[key]; ok {
		_ = old // Data.Builder overwrites; keys here are never reused
	}
	d.values[key] = value
	d.size += 1 + valueBytes + d.utf(key)
}

func (d *androidData) utf(s string) int {
	n := modifiedUTF8Len(s)
	if n > javaModifiedUTFMaxLen {
		d.utfFail = true
	}
	return 2 + n
}

func (d *androidData) putString(key, s string) { d.put(key, s, d.utf(s)) }

// modifiedUTF8Len is the length of s in Java's modified UTF-8
// (DataOutputStream.writeUTF): U+0001..U+007F one byte, U+0000 and
// U+0080..U+07FF two, other BMP chars three, supplementary chars six (a
// surrogate pair of three each).
func modifiedUTF8Len(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 1 && r <= 0x7f:
			n++
		case r == 0 || r <= 0x7ff:
			n += 2
		case r <= 0xffff:
			n += 3
		default:
			n += 6
		}
	}
	return n
}

// kotlin value kinds as StandardMessageCodec delivers Dart values to Kotlin.
func kotlinKind(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return "String"
	case bool:
		return "Boolean"
	case int64:
		if t >= math.MinInt32 && t <= math.MaxInt32 {
			return "Int"
		}
		return "Long"
	case float64:
		return "Double"
	case []byte:
		return "byte[]"
	case Int32List:
		return "int[]"
	case Float32List:
		return "float[]"
	case dartList:
		return "ArrayList"
	case map[string]any:
		return "HashMap"
	}
	return fmt.Sprintf("%T", v)
}

// putPayload is InputDataUtils.kt putPayloadValue. It returns the
// IllegalArgumentException message for an unsupported value.
func (d *androidData) putPayload(key string, v any) error {
	pk := payloadPrefix + key
	switch t := v.(type) {
	case nil:
		return d.putJSON(key, nil)
	case string:
		d.putString(pk, t)
	case bool:
		d.put(pk, t, 1)
	case int64:
		if kotlinKind(t) == "Int" {
			d.put(pk, t, 4)
		} else {
			d.put(pk, t, 8)
		}
	case float64:
		d.put(pk, t, 8)
	case []byte:
		d.put(pk, slices.Clone(t), 4+len(t))
	case dartList:
		return d.putList(key, t.items)
	case map[string]any:
		return d.putJSON(key, t)
	default:
		//lint:ignore ST1005 the text of the platform exception Dart receives, byte for byte
		return fmt.Errorf(msgUnsupportedPayload, key, kotlinKind(v))
	}
	return nil
}

// putList is putListPayload: a list whose elements are all of one Data type
// becomes a typed array under payload_<key> (an empty list is a String[]);
// anything else is JSON.
func (d *androidData) putList(key string, items []any) error {
	pk := payloadPrefix + key
	all := func(kind string) bool {
		for _, it := range items {
			if kotlinKind(it) != kind {
				return false
			}
		}
		return true
	}
	stored := make([]any, len(items))
	copy(stored, items)
	switch {
	case all("String"):
		n := 4
		for _, it := range items {
			n += d.utf(it.(string))
		}
		d.put(pk, stored, n)
	case all("Boolean"):
		d.put(pk, stored, 4+len(items))
	case all("Int"):
		d.put(pk, stored, 4+4*len(items))
	case all("Long"):
		d.put(pk, stored, 4+8*len(items))
	case all("Double"):
		d.put(pk, stored, 4+8*len(items))
	default:
		return d.putJSON(key, dartList{elem: "dynamic", items: items})
	}
	return nil
}

func (d *androidData) putJSON(key string, v any) error {
	var b strings.Builder
	if err := orgJSON(&b, v); err != nil {
		return err
	}
	d.putString(jsonPayloadPrefix+key, b.String())
	return nil
}

// orgJSON writes v the way Android's org.json does (InputDataUtils.kt
// jsonValue + JSONObject.toString): no spaces, '/' escaped, whole doubles
// written as integers (JSONObject.numberToString), object keys in sorted order
// (Kotlin's HashMap order is not reproducible; sorted keeps runs identical).
func orgJSON(b *strings.Builder, v any) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			//lint:ignore ST1005 the text of the platform exception Dart receives, byte for byte
			return fmt.Errorf("Forbidden numeric value: %s", javaDouble(t))
		}
		if t == 0 && math.Signbit(t) {
			b.WriteString("-0")
		} else if t == math.Trunc(t) && t >= -9.223372036854775808e18 && t < 9.223372036854775808e18 {
			b.WriteString(strconv.FormatInt(int64(t), 10))
		} else {
			b.WriteString(javaDouble(t))
		}
	case string:
		orgQuote(b, t)
	case []byte:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(int(x)))
		}
		b.WriteByte(']')
	case dartList:
		b.WriteByte('[')
		for i, x := range t.items {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := orgJSON(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b.WriteByte(',')
			}
			orgQuote(b, k)
			b.WriteByte(':')
			if err := orgJSON(b, t[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		// InputDataUtils.kt jsonValue: nested typed-data arrays are rejected
		// without the key.
		//lint:ignore ST1005 the text of the platform exception Dart receives, byte for byte
		return fmt.Errorf("Unsupported payload type: %s. Consider converting it to a supported type.", kotlinKind(v))
	}
	return nil
}

// orgQuote is JSONStringer.string (Android): escapes ", \, / and control
// characters.
func orgQuote(b *strings.Builder, s string) { jsonQuote(b, s, true) }

// dartQuote is jsonEncode's string escaping: as org.json's, but '/' is left
// alone.
func dartQuote(b *strings.Builder, s string) { jsonQuote(b, s, false) }

func jsonQuote(b *strings.Builder, s string, escapeSlash bool) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '/':
			if escapeSlash {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r <= 0x1f {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// javaDouble is Double.toString: plain notation for 1e-3 <= |x| < 1e7,
// otherwise computerized scientific notation ("1.0E-5", "1.2345E7").
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	a := math.Abs(f)
	if a == 0 || (a >= 1e-3 && a < 1e7) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1.2345e+07
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// dartJSON is Dart's jsonEncode, used by 0.5 to send inputData as a string:
// no '/' escaping, doubles as Dart prints them ("1.0", "1e+21").
func dartJSON(b *strings.Builder, v any) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			//lint:ignore ST1005 the text of the platform exception Dart receives, byte for byte
			return fmt.Errorf("Converting object to an encodable object failed: %s", dartDouble(t))
		}
		b.WriteString(dartDouble(t))
	case string:
		dartQuote(b, t)
	case dartList:
		b.WriteByte('[')
		for i, x := range t.items {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := dartJSON(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b.WriteByte(',')
			}
			dartQuote(b, k)
			b.WriteByte(':')
			if err := dartJSON(b, t[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		//lint:ignore ST1005 the text of the platform exception Dart receives, byte for byte
		return fmt.Errorf("Converting object to an encodable object failed: Instance of '%T'", v)
	}
	return nil
}

// dartDouble is Dart's double.toString: "1.0", "3.14", exponent form outside
// [1e-6, 1e21) ("1e-7", "1e+21").
func dartDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	a := math.Abs(f)
	if a == 0 || (a >= 1e-6 && a < 1e21) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		if f == 0 && math.Signbit(f) {
			return "-0.0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	if e >= 0 {
		return mant + "e+" + strconv.Itoa(e)
	}
	return mant + "e" + strconv.Itoa(e)
}

// decodeJSON parses a JSON payload the way org.json's JSONTokener does:
// numbers with '.', 'e' or 'E' are doubles, others ints.
func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return fromJSON(v), nil
}

func fromJSON(v any) any {
	switch t := v.(type) {
	case json.Number:
		str := t.String()
		if strings.ContainsAny(str, ".eE") {
			f, _ := strconv.ParseFloat(str, 64)
			return f
		}
		n, err := strconv.ParseInt(str, 10, 64)
		if err != nil {
			f, _ := strconv.ParseFloat(str, 64)
			return f
		}
		return n
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = fromJSON(e)
		}
		return dartList{elem: "dynamic", items: out}
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = fromJSON(e)
		}
		return out
	}
	return v
}

// decodeAndroidPayload is InputDataUtils.kt decodePayload: json_payload_*
// entries are parsed, payload_* entries unwrapped, reserved keys skipped.
func decodeAndroidPayload(in osscheduler.Data) map[string]any {
	out := map[string]any{}
	for _, k := range in.Keys() {
		v := in[k]
		switch {
		case strings.HasPrefix(k, jsonPayloadPrefix):
			if s, ok := v.(string); ok {
				if dv, err := decodeJSON(s); err == nil {
					out[strings.TrimPrefix(k, jsonPayloadPrefix)] = dv
				}
			}
		case strings.HasPrefix(k, payloadPrefix):
			out[strings.TrimPrefix(k, payloadPrefix)] = v
		}
	}
	return out
}

// deliverAndroidPayload is deliverData(decodeAndroidPayload(in)) in one pass,
// without sorting the keys: a stored key names at most one output key, except
// when both json_payload_k and payload_k are present, where payload_k wins as
// it does in decodeAndroidPayload's sorted order. The result is never nil.
func deliverAndroidPayload(in osscheduler.Data) osscheduler.Data {
	out := osscheduler.Data{}
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, jsonPayloadPrefix):
			name := k[len(jsonPayloadPrefix):]
			if _, shadowed := in[payloadPrefix+name]; shadowed {
				continue
			}
			if s, ok := v.(string); ok {
				if dv, err := decodeJSON(s); err == nil {
					out[name] = deliver(dv)
				}
			}
		case strings.HasPrefix(k, payloadPrefix):
			out[k[len(payloadPrefix):]] = deliver(v)
		}
	}
	return out
}
