// The built-in library of scenarios (library/*.yaml), embedded in the
// binary: Library, LoadLibrary, Open.

package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

//go:embed library/*.yaml
var libraryFS embed.FS

// LibraryEntry is a ready scenario shipped with wmsim.
type LibraryEntry struct {
	Name        string
	Description string
	Platforms   []Platform
}

// Library lists the built-in scenarios, sorted by name.
func Library() []LibraryEntry {
	names, _ := fs.Glob(libraryFS, "library/*.yaml")
	slices.Sort(names)
	var out []LibraryEntry
	for _, n := range names {
		sc, err := LoadLibrary(strings.TrimSuffix(path.Base(n), ".yaml"))
		if err != nil {
			continue // a broken library file fails TestLibrary; don't hide the rest
		}
		out = append(out, LibraryEntry{Name: sc.Name, Description: sc.Description, Platforms: sc.Platform})
	}
	return out
}

// LibrarySource returns the YAML of a built-in scenario.
func LibrarySource(name string) ([]byte, bool) {
	b, err := libraryFS.ReadFile("library/" + name + ".yaml")
	return b, err == nil
}

// LoadLibrary parses a built-in scenario by name.
func LoadLibrary(name string) (*Scenario, error) {
	src, ok := LibrarySource(name)
	if !ok {
		return nil, fmt.Errorf("no built-in scenario %q", name)
	}
	return Parse("library/"+name+".yaml", src)
}

// Open loads a scenario file, or, when arg is not an existing file and looks
// like a name, the built-in scenario of that name.
func Open(arg string) (*Scenario, error) {
	if _, err := os.Stat(arg); err == nil {
		return Load(arg)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if !strings.ContainsAny(arg, "/\\.") {
		if _, ok := LibrarySource(arg); ok {
			return LoadLibrary(arg)
		}
	}
	var names []string
	for _, e := range Library() {
		names = append(names, e.Name)
	}
	return nil, fmt.Errorf("%s: no such file, and no built-in scenario of that name; built-in scenarios: %s", arg, strings.Join(names, ", "))
}
