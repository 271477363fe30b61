package wmsimtest_test

import (
	"fmt"
	"strings"
	"testing"
)

// fakeT records what a Sim or a testify helper reports.
type fakeT struct {
	name   string
	errors []string
	fatal  bool
	failed bool
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return f.name }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
	f.failed = true
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
}
func (f *fakeT) FailNow() { f.fatal = true }

func (f *fakeT) text() string { return strings.Join(f.errors, "\n") }

// mustContain fails unless s contains every part.
func mustContain(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("missing %q in:\n%s", p, s)
		}
	}
}
