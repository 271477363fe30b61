package scan

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Swift and Objective-C have no maintained tree-sitter grammar with a Go
// module, so the AppDelegate is read with a small tokenizer: comments are
// skipped, string literals ("…", @"…") and numbers are tokens, identifiers
// and punctuation are tokens. Registrations are then recognised as token
// sequences (a method name followed by its argument list), never by
// searching the raw text.

type tokKind int

const (
	tokIdent tokKind = iota
	tokString
	tokNumber
	tokPunct
)

type token struct {
	kind      tokKind
	text      string
	line, col int
}

// tokenize splits Swift or Objective-C source into tokens.
func tokenize(src []byte) []token {
	var out []token
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for k := 0; k < n && i < len(src); k++ {
			if src[i] == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i++
		}
	}
	for i < len(src) && len(out) < 1_000_000 {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				adv(1)
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			adv(2)
			for i < len(src) && !(src[i] == '*' && i+1 < len(src) && src[i+1] == '/') {
				adv(1)
			}
			adv(2)
		case c == '"' || (c == '@' && i+1 < len(src) && src[i+1] == '"'):
			l, cl := line, col
			if c == '@' {
				adv(1)
			}
			adv(1)
			var b strings.Builder
			for i < len(src) && src[i] != '"' && src[i] != '\n' {
				if src[i] == '\\' && i+1 < len(src) {
					b.WriteByte(src[i+1])
					adv(2)
					continue
				}
				b.WriteByte(src[i])
				adv(1)
			}
			adv(1)
			out = append(out, token{tokString, b.String(), l, cl})
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			l, cl, s := line, col, i
			for i < len(src) && (src[i] == '_' || src[i] >= 'a' && src[i] <= 'z' || src[i] >= 'A' && src[i] <= 'Z' || src[i] >= '0' && src[i] <= '9') {
				adv(1)
			}
			out = append(out, token{tokIdent, string(src[s:i]), l, cl})
		case c >= '0' && c <= '9':
			l, cl, s := line, col, i
			for i < len(src) && (src[i] >= '0' && src[i] <= '9' || src[i] == '.' || src[i] == '_') {
				adv(1)
			}
			out = append(out, token{tokNumber, string(src[s:i]), l, cl})
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			adv(1)
		default:
			out = append(out, token{tokPunct, string(c), line, col})
			adv(1)
		}
	}
	return out
}

// nativeCalls maps the plugin's native helper names (WorkmanagerPlugin.swift,
// Swift and Objective-C spellings) to the registration they make.
var nativeCalls = map[string]string{
	"registerBGProcessingTask":                        "registerBGProcessingTask",
	"registerBGProcessingTaskWithIdentifier":          "registerBGProcessingTask",
	"registerPeriodicTask":                            "registerPeriodicTask",
	"registerPeriodicTaskWithIdentifier":              "registerPeriodicTask",
	"registerBGHealthResearchTask":                    "registerBGHealthResearchTask",
	"registerBGHealthResearchTaskWithIdentifier":      "registerBGHealthResearchTask",
	"registerBGContinuedProcessingTask":               "registerBGContinuedProcessingTask",
	"registerBGContinuedProcessingTaskWithIdentifier": "registerBGContinuedProcessingTask",
	"setMinimumBackgroundFetchInterval":               "setMinimumBackgroundFetchInterval",
	"registerForTaskWithIdentifier":                   "BGTaskScheduler.register", // Objective-C
}

// nativeRegistrations finds the registrations in an AppDelegate's tokens.
func nativeRegistrations(toks []token, rel string) []NativeRegistration {
	var out []NativeRegistration
	for i, t := range toks {
		if t.kind != tokIdent {
			continue
		}
		call, ok := nativeCalls[t.text]
		if !ok && t.text == "register" && i+2 < len(toks) && toks[i+1].text == "(" && toks[i+2].text == "forTaskWithIdentifier" {
			call, ok = "BGTaskScheduler.register", true
		}
		if !ok {
			continue
		}
		// The argument list: to the matching ) or ], or to the end of an
		// Objective-C message.
		end := argsEnd(toks, i+1)
		args := toks[i+1 : end]
		r := NativeRegistration{Call: call, File: rel, Line: t.line, Column: t.col}
		for _, a := range args {
			if a.kind == tokString {
				r.Identifier = a.text
				break
			}
		}
		switch call {
		case "registerPeriodicTask":
			for k, a := range args {
				if a.kind == tokIdent && a.text == "frequency" {
					if v, ok := product(args[k+1:]); ok {
						r.FrequencyS = &v
					}
				}
			}
		case "setMinimumBackgroundFetchInterval":
			r.Interval = "seconds"
			for _, a := range args {
				if a.kind == tokIdent && strings.Contains(a.text, "Minimum") {
					r.Interval = "minimum"
				}
				if a.kind == tokIdent && strings.Contains(a.text, "Never") {
					r.Interval = "never"
				}
			}
			if r.Interval == "seconds" {
				if v, ok := product(args); ok {
					r.Interval = strconv.FormatFloat(v, 'f', -1, 64)
				}
			}
		}
		if call == "setMinimumBackgroundFetchInterval" || r.Identifier != "" {
			out = append(out, r)
		}
	}
	return out
}

func argsEnd(toks []token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		switch toks[j].text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth <= 0 {
				return j + 1
			}
		case ";":
			return j
		}
	}
	return len(toks)
}

// product evaluates the first run of numbers joined by `*` (20 * 60).
func product(toks []token) (float64, bool) {
	v, seen, want := 1.0, false, true
	for _, t := range toks {
		switch {
		case t.kind == tokNumber && want:
			f, err := strconv.ParseFloat(strings.ReplaceAll(t.text, "_", ""), 64)
			if err != nil {
				return 0, false
			}
			v *= f
			seen, want = true, false
		case t.text == "*" && seen:
			want = true
		case seen && !want:
			return v, true
		}
	}
	return v, seen
}

func (p *project) readAppDelegates() {
	p.ios.AppDelegateRegistrations = []NativeRegistration{}
	dir := filepath.Join(p.dir, "ios", "Runner")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "AppDelegate") && (strings.HasSuffix(n, ".swift") || strings.HasSuffix(n, ".m")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		src, err := readLimited(filepath.Join(dir, n), MaxDartFileSize)
		if err != nil {
			p.info("unreadable-file", "ios/Runner/"+n, 1, 1, "not read: "+err.Error(), "")
			continue
		}
		p.ios.AppDelegateRegistrations = append(p.ios.AppDelegateRegistrations, nativeRegistrations(tokenize(src), "ios/Runner/"+n)...)
	}
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

type errString string

func (e errString) Error() string { return string(e) }

const errTooLarge = errString("file too large")

// manifestFacts is what AndroidManifest.xml says that scheduling can see.
type manifestFacts struct {
	file        string
	permissions map[string]bool
	// initializerRemoved: the WorkManager initializer's meta-data is
	// removed (tools:node="remove"), so the app must initialize WorkManager
	// itself (androidx.work: WorkManagerInitializer, Configuration.Provider).
	initializerRemoved bool
	initLine, initCol  int
}

const (
	nsAndroid = "http://schemas.android.com/apk/res/android"
	nsTools   = "http://schemas.android.com/tools"
)

func (p *project) readManifest() {
	rel := "android/app/src/main/AndroidManifest.xml"
	f, err := os.Open(filepath.Join(p.dir, rel))
	if err != nil {
		return
	}
	defer f.Close()
	m := &manifestFacts{file: rel, permissions: map[string]bool{}}
	dec := xml.NewDecoder(io.LimitReader(f, 4<<20))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := dec.InputPos()
			p.info("unreadable-file", rel, line, 1, "AndroidManifest.xml is not well-formed XML: "+err.Error(), "")
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(space, local string) string {
			for _, a := range se.Attr {
				if a.Name.Space == space && a.Name.Local == local {
					return a.Value
				}
			}
			return ""
		}
		switch se.Name.Local {
		case "uses-permission":
			m.permissions[attr(nsAndroid, "name")] = true
		case "meta-data", "provider":
			if attr(nsAndroid, "name") == "androidx.work.WorkManagerInitializer" && attr(nsTools, "node") == "remove" ||
				se.Name.Local == "provider" && attr(nsAndroid, "name") == "androidx.startup.InitializationProvider" && attr(nsTools, "node") == "remove" {
				m.initializerRemoved = true
				m.initLine, m.initCol = dec.InputPos()
			}
		}
	}
	p.manifest = m
}
