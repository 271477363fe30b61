package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets testscript run the CLI in-process as the "wmsim" command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wmsim": main,
	})
}

// TestScripts runs the CLI scripts under testdata/script: exit codes, flags,
// outputs and error messages, as a user sees them.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script"})
}

// TestBrokenFiles runs `wmsim validate` and `wmsim run` over the loader's
// catalogue of broken scenario files: each must exit 2, simulate nothing,
// and point at the place with file:line:column.
func TestBrokenFiles(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/testdata/bad/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 25, "the broken-file catalogue")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			require.NoError(t, err)
			firstLine := strings.SplitN(string(want), "\n", 2)[0]
			// The golden error names the file relative to the scenarios package.
			loc := strings.TrimPrefix(firstLine, "testdata/bad/")
			for _, cmd := range []string{"validate", "run"} {
				var out, errb strings.Builder
				code := run([]string{cmd, f}, &cmdEnv{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
				assert.Equal(t, exitInvalid, code, "%s %s", cmd, f)
				assert.Empty(t, out.String(), "nothing is simulated or printed on stdout")
				assert.Contains(t, errb.String(), loc, "%s %s: stderr must carry file:line:column and the message", cmd, f)
			}
		})
	}
}

// TestExitCodes pins the exit codes of DESIGN.md: 0 every expectation held,
// 1 one failed, 2 invalid input, 3 a safety limit.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	failing := filepath.Join(dir, "failing.yaml")
	require.NoError(t, os.WriteFile(failing, []byte("version: 1\nname: failing\nduration: 1h\nexpect:\n  - no_errors: true\n  - error: { code: crash }\n"), 0o644))
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"run", "oneoff-task"}, exitOK},
		{[]string{"run", failing}, exitExpect},
		{[]string{"run", "oneoff-task", "--format", "yaml"}, exitInvalid},
		{[]string{"run", filepath.Join(dir, "missing.yaml")}, exitInvalid},
		{[]string{"run", "oneoff-task", "--max-events", "5"}, exitLimit},
		{[]string{"run", "oneoff-task", failing, "--max-events", "5"}, exitLimit},
		{[]string{"validate", "oneoff-task"}, exitOK},
		{[]string{}, exitInvalid},
	} {
		var out, errb strings.Builder
		got := run(tc.args, &cmdEnv{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
		assert.Equal(t, tc.want, got, "wmsim %s\n%s", strings.Join(tc.args, " "), errb.String())
	}
}
