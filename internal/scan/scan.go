// Package scan is wmsim's checker of a Flutter project that uses the
// workmanager plugin.
//
// It reads the plugin calls of the project's Dart code (parsed with the
// tree-sitter Dart grammar), its iOS Info.plist and AppDelegate and its
// Android manifest, checks them against the platforms' rules, reports what
// will go wrong with its background work, and writes a scenario that
// simulates what the code does.
package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Options adjust a scan.
type Options struct {
	// Format is text (default), json or sarif.
	Format string
	// Run runs the generated scenario over a device matrix and prints a
	// report card (text format).
	Run bool
	// Matrix replaces DefaultMatrix for Run.
	Matrix *Matrix
}

// Scan reads the project at dir. It fails only for a directory that is not
// a Flutter project (ErrNotFlutter) or cannot be read; problems inside the
// project are findings.
func Scan(dir string) (*Report, error) {
	p, err := load(dir)
	if err != nil {
		return nil, err
	}
	a := newAnalyzer(p.prog)
	a.run()
	d := a.extract()
	if a.budget < 0 {
		p.info("analysis-budget-exhausted", "lib", 1, 1, "the Dart analysis stopped at its step budget; some calls may be missing", "")
	}
	rep := &Report{Format: FormatID, Project: p.name, Plugin: p.plugin, Registrations: d.registrations,
		IOS: p.ios, Findings: append(p.findings, check(p, d)...)}
	if rep.Registrations == nil {
		rep.Registrations = []Registration{}
	}
	rep.HandledTasks = []string{}
	for n := range d.handled.names {
		rep.HandledTasks = append(rep.HandledTasks, n)
	}
	sort.Strings(rep.HandledTasks)
	if d.handled.found && (d.handled.all || d.handled.unknown) {
		rep.HandledTasks = append(rep.HandledTasks, "*")
	}
	sortFindings(rep.Findings)
	if rep.Findings == nil {
		rep.Findings = []Finding{}
	}
	g := newGenerator(p, d)
	rep.Scenario = g.yaml(genOptions{})
	rep.gen = g
	return rep, nil
}

// HasErrors reports whether any finding is an error.
func (r *Report) HasErrors() bool {
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Main runs `wmsim scan DIR` and returns the exit code: 0 no error
// findings, 1 error findings, 2 not a Flutter project or unreadable (or a
// bad option).
func Main(ctx context.Context, dir string, opts Options, stdout, stderr io.Writer) int {
	switch opts.Format {
	case "", "text", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "wmsim scan: --format %q: valid: text, json, sarif\n", opts.Format)
		return 2
	}
	if !parserAvailable {
		fmt.Fprintln(stderr, "wmsim scan: this wmsim was built without cgo (CGO_ENABLED=0), and the Dart grammar needs it; build wmsim with CGO_ENABLED=1")
		return 2
	}
	rep, err := Scan(dir)
	if err != nil {
		if errors.Is(err, ErrNotFlutter) {
			fmt.Fprintf(stderr, "wmsim scan: %s: %v\n", dir, err)
		} else {
			fmt.Fprintf(stderr, "wmsim scan: %v\n", err)
		}
		return 2
	}
	switch opts.Format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "wmsim scan: %v\n", err)
			return 2
		}
	case "sarif":
		if err := WriteSARIF(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "wmsim scan: %v\n", err)
			return 2
		}
	default:
		WriteText(stdout, rep)
	}
	if opts.Run {
		m := DefaultMatrix
		if opts.Matrix != nil {
			m = *opts.Matrix
		}
		card, err := RunMatrix(ctx, rep, m)
		if err != nil {
			fmt.Fprintf(stderr, "wmsim scan: --run: %v\n", err)
			return 2
		}
		w := stdout
		if opts.Format == "json" || opts.Format == "sarif" {
			w = stderr // keep the document on stdout machine-readable
		}
		card.WriteText(w)
	}
	if rep.HasErrors() {
		return 1
	}
	return 0
}

// WriteText writes the findings like a compiler:
// file:line:col: severity: message [rule], then a summary.
func WriteText(w io.Writer, r *Report) {
	counts := map[Severity]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
		if f.Fix != "" {
			fmt.Fprintf(w, "  fix: %s\n", f.Fix)
		}
	}
	fmt.Fprintf(w, "%d registration(s); %d error(s), %d warning(s), %d info\n",
		len(r.Registrations), counts[SeverityError], counts[SeverityWarning], counts[SeverityInfo])
}
