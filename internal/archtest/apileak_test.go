package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// publicPackages are the packages another module may import.
var publicPackages = []string{"scenarios", "runner", "report", "wmsimtest"}

// internalOnPurpose lists the places where the public API hands out an
// internal type on purpose, for advanced use, with no stability promise
// (README.md, "Public Go API"). Keys are "package.Name" for a declaration,
// "package.Type.Field" for a struct field.
var internalOnPurpose = map[string]bool{
	"wmsimtest.Sim.Engine":         true, // the kernel: Engine().Go runs code as a process on virtual time
	"wmsimtest.Workmanager.Plugin": true, // the plugin model itself
	"wmsimtest.Device.Model":       true, // the device model itself
	"runner.World.Engine":          true, // a world's parts, for fleets and step-by-step drivers
	"runner.World.Device":          true,
	"runner.World.Plugin":          true,
	"runner.World.Journal":         true,
	"runner.World.Call":            true, // a decoded plugin call (wire.Call), as the timeline makes
	"runner.World.CallFrom":        true,
	"scenarios.Android.OEMProfile": true, // filled by the decoder from android.oem, read by the runner
	"scenarios.Device.ProfileDef":  true, // filled by the decoder from device.profile, read by the runner
	"scenarios.Map.Data":           true, // inputData as the OS models carry it
}

// apiLeaks returns, as "package.Name: uses path.Type", every exported
// declaration of root's public packages whose signature or exported fields
// name a type of an internal package, except through a type alias
// (type Limits = sim.Limits, the way to re-export).
func apiLeaks(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	for _, pkg := range publicPackages {
		matches, err := filepath.Glob(filepath.Join(root, pkg, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range matches {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			internal := map[string]string{} // local import name → path
			for _, im := range f.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				if !strings.HasPrefix(path, module) || !strings.Contains(path+"/", "/internal/") {
					continue
				}
				name := path[strings.LastIndex(path, "/")+1:]
				if im.Name != nil {
					name = im.Name.Name
				}
				internal[name] = strings.TrimPrefix(path, module)
			}
			if len(internal) == 0 {
				continue
			}
			check := func(where string, n ast.Node) {
				if n == nil {
					return
				}
				ast.Inspect(n, func(n ast.Node) bool {
					if sel, ok := n.(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] != "" {
							out = append(out, where+": uses "+internal[id.Name]+"."+sel.Sel.Name)
						}
					}
					return true
				})
			}
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if !d.Name.IsExported() {
						continue
					}
					where := pkg + "." + d.Name.Name
					if d.Recv != nil {
						recv := receiverName(d.Recv.List[0].Type)
						if !ast.IsExported(recv) {
							continue
						}
						where = pkg + "." + recv + "." + d.Name.Name
					}
					check(where, d.Type)
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() || s.Assign.IsValid() {
								continue // unexported, or an alias: the way to re-export
							}
							where := pkg + "." + s.Name.Name
							switch ty := s.Type.(type) {
							case *ast.StructType:
								for _, fld := range ty.Fields.List {
									for _, name := range fld.Names {
										if name.IsExported() {
											check(where+"."+name.Name, fld.Type)
										}
									}
									if len(fld.Names) == 0 { // embedded
										check(where, fld.Type)
									}
								}
							case *ast.InterfaceType:
								check(where, ty)
							default:
								check(where, ty)
							}
						case *ast.ValueSpec:
							for _, name := range s.Names {
								if name.IsExported() {
									check(pkg+"."+name.Name, s.Type) // the declared type, not the value
								}
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// receiverName returns the name of a method's receiver type.
func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// TestPublicAPINamesNoInternalType keeps the public API on purpose: a type
// a user must name is reachable from a public package.
// Every entry of internalOnPurpose must still be one.
func TestPublicAPINamesNoInternalType(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range apiLeaks(t, filepath.Join("..", "..")) {
		where := v[:strings.Index(v, ": uses ")]
		if internalOnPurpose[where] {
			seen[where] = true
			continue
		}
		t.Error(v + ": re-export the type from a public package with an alias (see wmsimtest/api.go), or list the declaration in internalOnPurpose with the reason")
	}
	for where := range internalOnPurpose {
		if !seen[where] {
			t.Errorf("internalOnPurpose lists %s, which names no internal type (any more): remove it", where)
		}
	}
}

// TestAPILeaksSeen checks the checker on a throwaway tree.
func TestAPILeaksSeen(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "runner"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := `package runner

import "` + module + `internal/sim"

type Limits = sim.Limits                       // an alias: fine
type Options struct{ L *sim.Limits; x sim.Sink } // exported field leaks, unexported does not
func Run(o Options) (*sim.LimitError, error)      { return nil, nil }
func helper(r *sim.Record)                        {}
type private struct{ E *sim.Engine }
func (p *private) Engine() *sim.Engine            { return nil }
var Default = sim.DefaultLimits                  // a value, typed through the alias by inference
`
	if err := os.WriteFile(filepath.Join(dir, "runner", "r.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := apiLeaks(t, dir)
	want := []string{
		"runner.Options.L: uses internal/sim.Limits",
		"runner.Run: uses internal/sim.LimitError",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("leaks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
