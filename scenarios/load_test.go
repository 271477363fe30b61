package scenarios

import (
	"errors"
	"fmt"
	goldenfile "github.com/wmsim/wmsim/internal/golden"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// updating reports whether -update was given.
func updating() bool { return goldenfile.Updating() }

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s is stale (run go test ./scenarios -update); got:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestBadFiles checks every broken file against its expected errors: each
// *.yaml under testdata/bad fails to load with a *LoadError whose text (all
// diagnostics with file:line:column, path, message, valid values and
// excerpt) equals the *.err file beside it.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 25 {
		t.Fatalf("only %d bad files; the catalogue needs at least 25", len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			s, err := Load(f)
			if err == nil {
				t.Fatalf("loaded without error: %+v", s)
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is %T, want *LoadError: %v", err, err)
			}
			for _, d := range le.Diagnostics {
				if d.Line < 1 || d.Column < 1 || d.File != f {
					t.Errorf("diagnostic without a position: %+v", d)
				}
				if d.Message == "" || d.Valid == "" {
					t.Errorf("diagnostic without message or valid values: %+v", d)
				}
				if d.Excerpt == "" || !strings.Contains(d.Excerpt, "^") {
					t.Errorf("diagnostic without an excerpt: %+v", d)
				}
			}
			golden(t, strings.TrimSuffix(f, ".yaml")+".err", err.Error()+"\n")
		})
	}
}

// TestGoodFiles loads every file under testdata/good and compares a dump
// of the decoded value (every field, defaults filled) with its *.golden.
func TestGoodFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/good/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no good files")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".yaml"), func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatalf("%v", err)
			}
			golden(t, strings.TrimSuffix(f, ".yaml")+".golden", dump(s))
		})
	}
}

// dump prints a value as path: value lines, durations in scenario syntax,
// nil pointers and empty values left out, Map keys in file order.
func dump(v any) string {
	var b strings.Builder
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		if !v.IsValid() {
			return
		}
		switch x := v.Interface().(type) {
		case time.Duration:
			fmt.Fprintf(&b, "%s: %s\n", path, FormatDuration(x))
			return
		case time.Time:
			fmt.Fprintf(&b, "%s: %s\n", path, x.Format(time.RFC3339Nano))
			return
		case At:
			fmt.Fprintf(&b, "%s: %s\n", path, x)
			return
		case ByteSize:
			fmt.Fprintf(&b, "%s: %d\n", path, int64(x))
			return
		case Map:
			if x == nil {
				return
			}
			fmt.Fprintf(&b, "%s: {}\n", path)
			for _, f := range x {
				walk(path+"."+f.Key, reflect.ValueOf(f.Value))
			}
			return
		case []byte:
			fmt.Fprintf(&b, "%s: %d bytes % x\n", path, len(x), x)
			return
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				if v.Kind() == reflect.Interface {
					fmt.Fprintf(&b, "%s: null\n", path)
				}
				return
			}
			walk(path, v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if f.Name == "File" {
					continue
				}
				p := f.Name
				if path != "" {
					p = path + "." + f.Name
				}
				walk(p, v.Field(i))
			}
		case reflect.Slice:
			if v.IsNil() {
				return
			}
			fmt.Fprintf(&b, "%s: [%d]\n", path, v.Len())
			for i := 0; i < v.Len(); i++ {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		case reflect.Map:
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				walk(fmt.Sprintf("%s.%v", path, k), v.MapIndex(k))
			}
		case reflect.String:
			fmt.Fprintf(&b, "%s: %q\n", path, v.String())
		default:
			fmt.Fprintf(&b, "%s: %v (%T)\n", path, v.Interface(), v.Interface())
		}
	}
	walk("", reflect.ValueOf(v))
	return b.String()
}
