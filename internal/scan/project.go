package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"howett.net/plist"
)

// Limits on what a scan reads.
const (
	// MaxDartFileSize: larger Dart files are reported (info) and skipped.
	MaxDartFileSize = 2 << 20
	// MaxFiles bounds the Dart files of one scan.
	MaxFiles = 50_000
)

// ErrNotFlutter is returned for a directory that is not a Flutter project
// (no pubspec.yaml).
var ErrNotFlutter = errors.New("not a Flutter project: no pubspec.yaml")

// project is what a scan read from disk.
type project struct {
	dir        string
	name       string
	plugin     PluginInfo
	hasIOS     bool // ios/ exists: the app targets iOS
	hasAndroid bool
	plist      *infoPlist
	ios        IOSFacts
	manifest   *manifestFacts
	findings   []Finding
	prog       *program
}

func (p *project) info(rule, file string, line, col int, msg, fix string) {
	p.findings = append(p.findings, Finding{Rule: rule, Severity: SeverityInfo, File: file, Line: line, Column: col, Message: msg, Fix: fix})
}

// load reads the project at dir.
func load(dir string) (*project, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	p := &project{dir: dir, prog: newProgram()}
	if err := p.readPubspec(); err != nil {
		return nil, err
	}
	p.hasIOS = isDir(filepath.Join(dir, "ios"))
	p.hasAndroid = isDir(filepath.Join(dir, "android"))
	p.readPlist()
	p.readAppDelegates()
	p.readManifest()
	p.readDart()
	return p, nil
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// pubspec is the part of pubspec.yaml a scan reads.
type pubspec struct {
	Name         string         `yaml:"name"`
	Dependencies map[string]any `yaml:"dependencies"`
}

// pubspecLock is the part of pubspec.lock a scan reads.
type pubspecLock struct {
	Packages map[string]struct {
		Source  string `yaml:"source"`
		Version string `yaml:"version"`
	} `yaml:"packages"`
}

func (p *project) readPubspec() error {
	raw, err := os.ReadFile(filepath.Join(p.dir, "pubspec.yaml"))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFlutter
	}
	if err != nil {
		return err
	}
	var ps pubspec
	if err := yaml.Unmarshal(raw, &ps); err != nil {
		return fmt.Errorf("pubspec.yaml: %w", err)
	}
	p.name = ps.Name
	p.plugin.Source = "none"
	if dep, ok := ps.Dependencies["workmanager"]; ok {
		switch d := dep.(type) {
		case string:
			p.plugin.Source, p.plugin.Version = "hosted", d
		case nil:
			p.plugin.Source = "hosted"
		case map[string]any:
			p.plugin.Source = "hosted"
			for _, k := range []string{"git", "path", "sdk", "hosted"} {
				if _, ok := d[k]; ok {
					p.plugin.Source = k
				}
			}
			if v, ok := d["version"].(string); ok {
				p.plugin.Version = v
			}
		}
	}
	if raw, err := os.ReadFile(filepath.Join(p.dir, "pubspec.lock")); err == nil {
		var lock pubspecLock
		if err := yaml.Unmarshal(raw, &lock); err != nil {
			p.info("unreadable-file", "pubspec.lock", 1, 1, "pubspec.lock could not be read: "+firstLine(err.Error()), "run `flutter pub get` to regenerate it")
		}
		if pk, ok := lock.Packages["workmanager"]; ok {
			p.plugin.Version = pk.Version
			if pk.Source != "" {
				p.plugin.Source = pk.Source
			}
		}
		p.plugin.AndroidVersion = lock.Packages["workmanager_android"].Version
		p.plugin.AppleVersion = lock.Packages["workmanager_apple"].Version
	}
	p.plugin.Profile = pluginProfile(p.plugin.Version)
	return nil
}

// pluginProfile maps a workmanager version (or constraint) to the
// simulator's plugin profile: before 0.8 the original MethodChannel plugin
// ("0.5"), from 0.8 today's ("0.10"); plugin-releases.md has the table. An
// unknown version is today's.
func pluginProfile(v string) string {
	v = strings.TrimLeft(strings.TrimSpace(v), "^>=< ~")
	var major, minor int
	if _, err := fmt.Sscanf(v, "%d.%d", &major, &minor); err != nil {
		return "0.10"
	}
	if major == 0 && minor < 8 {
		return "0.5"
	}
	return "0.10"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// infoPlist is the part of Info.plist a scan reads.
type infoPlist struct {
	Permitted              []string `plist:"BGTaskSchedulerPermittedIdentifiers"`
	Modes                  []string `plist:"UIBackgroundModes"`
	hasPermitted, hasModes bool
	file                   string
}

func (p *project) readPlist() {
	rel := "ios/Runner/Info.plist"
	raw, err := os.ReadFile(filepath.Join(p.dir, rel))
	if err != nil {
		return
	}
	var all map[string]any
	if _, err := plist.Unmarshal(raw, &all); err != nil {
		p.info("unreadable-file", rel, 1, 1, "Info.plist is not a property list: "+firstLine(err.Error()), "fix the file so Xcode can read it")
		return
	}
	ip := &infoPlist{file: rel}
	_, ip.hasPermitted = all["BGTaskSchedulerPermittedIdentifiers"]
	_, ip.hasModes = all["UIBackgroundModes"]
	if _, err := plist.Unmarshal(raw, ip); err != nil {
		p.info("unreadable-file", rel, 1, 1, "Info.plist: "+firstLine(err.Error()), "BGTaskSchedulerPermittedIdentifiers and UIBackgroundModes must be arrays of strings")
	}
	p.plist = ip
	if ip.hasPermitted {
		p.ios.PermittedIdentifiers = append([]string{}, ip.Permitted...)
	}
	if ip.hasModes {
		p.ios.BackgroundModes = append([]string{}, ip.Modes...)
	}
}

// readDart parses the Dart files under lib/.
func (p *project) readDart() {
	lib := filepath.Join(p.dir, "lib")
	var files []string
	visited := map[string]bool{}
	var walk func(dir, rel string)
	walk = func(dir, rel string) {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return
		}
		if visited[real] {
			p.info("symlink-loop", rel, 1, 1, "a directory is reached twice through symbolic links; read once", "")
			return
		}
		visited[real] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			p.info("unreadable-file", rel, 1, 1, "cannot read the directory: "+err.Error(), "")
			return
		}
		for _, e := range entries {
			path, r := filepath.Join(dir, e.Name()), filepath.ToSlash(filepath.Join(rel, e.Name()))
			st, err := os.Stat(path) // follows links
			if err != nil {
				p.info("unreadable-file", r, 1, 1, "cannot read: "+err.Error(), "")
				continue
			}
			switch {
			case st.IsDir():
				walk(path, r)
			case strings.HasSuffix(e.Name(), ".dart") && len(files) < MaxFiles:
				files = append(files, r)
			}
		}
	}
	if isDir(lib) {
		walk(lib, "lib")
	}
	if !parserAvailable && len(files) > 0 {
		p.info("parser-unavailable", "lib", 1, 1, fmt.Sprintf("this wmsim was built without cgo and cannot parse Dart: %d Dart file(s) not analysed", len(files)), "use a build of wmsim made with CGO_ENABLED=1")
		return
	}
	sort.Strings(files)
	parsed := parseAll(p.dir, files)
	for _, pf := range parsed {
		p.findings = append(p.findings, pf.findings...)
		if pf.file != nil {
			p.prog.add(pf.file)
		}
	}
}

// parsedFile is the outcome of reading one Dart file.
type parsedFile struct {
	file     *dartFile
	findings []Finding
}

// generatedSuffixes are the outputs of Dart code generators (build_runner,
// freezed, json_serializable, protobuf, flutter_gen…): skipped.
var generatedSuffixes = []string{".g.dart", ".freezed.dart", ".pb.dart", ".pbenum.dart", ".pbjson.dart", ".gr.dart", ".config.dart", ".mocks.dart"}

func parseOne(dir, rel string) parsedFile {
	var out parsedFile
	info := func(rule string, line, col int, msg, fix string) {
		out.findings = append(out.findings, Finding{Rule: rule, Severity: SeverityInfo, File: rel, Line: line, Column: col, Message: msg, Fix: fix})
	}
	for _, s := range generatedSuffixes {
		if strings.HasSuffix(rel, s) {
			return out
		}
	}
	f, err := os.Open(filepath.Join(dir, rel))
	if err != nil {
		info("unreadable-file", 1, 1, "cannot read: "+err.Error(), "")
		return out
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		info("unreadable-file", 1, 1, "cannot read: "+err.Error(), "")
		return out
	}
	if st.Size() > MaxDartFileSize {
		info("file-too-large", 1, 1, fmt.Sprintf("%d bytes, over the %d-byte limit: not analysed", st.Size(), MaxDartFileSize), "registrations in this file are not seen; move plugin calls to a smaller file")
		return out
	}
	src, err := io.ReadAll(io.LimitReader(f, MaxDartFileSize+1))
	if err != nil {
		info("unreadable-file", 1, 1, "cannot read: "+err.Error(), "")
		return out
	}
	if len(src) > MaxDartFileSize { // grew while read
		info("file-too-large", 1, 1, fmt.Sprintf("over the %d-byte limit: not analysed", MaxDartFileSize), "")
		return out
	}
	if bytes.HasPrefix(src, []byte("// GENERATED CODE")) {
		return out
	}
	if !utf8.Valid(src) {
		line, col := invalidUTF8At(src)
		info("file-not-utf8", line, col, "not UTF-8 (Dart source must be): not analysed", "save the file as UTF-8")
		return out
	}
	root, err := parseDart(src)
	if err != nil {
		info("file-too-large", 1, 1, "not analysed: "+err.Error(), "")
		return out
	}
	if e := root.firstError(); e != nil {
		line, col := pos(e)
		info("parse-error", line, col, "syntax the Dart grammar does not accept here; the rest of the file is analysed", "if the file compiles, the grammar predates this syntax; calls inside the region may be missed")
	}
	out.file = &dartFile{rel: rel, src: src, root: root}
	return out
}

func invalidUTF8At(src []byte) (int, int) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col += n
		}
		i += n
	}
	return line, col
}
