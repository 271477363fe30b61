package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// wmsim version reads the module version and the source revision from the
// build information Go embeds.
func TestVersion(t *testing.T) {
	old := readBuildInfo
	t.Cleanup(func() { readBuildInfo = old })
	for _, tc := range []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "22380f0abc"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}},
			true, "wmsim v1.2.0 (revision 22380f0abc, modified, 2026-12-01T10:00:00Z) go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, true,
			"wmsim (devel) (revision unknown: built without version control information) go1.26.8"},
		{nil, false, "wmsim (unknown version: built without module information)"},
	} {
		readBuildInfo = func() (*debug.BuildInfo, bool) { return tc.bi, tc.ok }
		code, out, _ := runCLI(t, "version")
		assert.Equal(t, exitOK, code)
		assert.Equal(t, tc.want+"\n", out)
	}
}

// Adding a command is one line in commands: every constructor there is a
// subcommand of the root, with help.
func TestCommandsListed(t *testing.T) {
	root := newRootCmd()
	for _, c := range commands {
		name := c().Name()
		sub, _, err := root.Find([]string{name})
		if assert.NoError(t, err, name) {
			assert.Equal(t, name, sub.Name())
		}
		code, out, _ := runCLI(t, "help", name)
		assert.Equal(t, exitOK, code, name)
		assert.Contains(t, out, "Usage:", name)
	}
}
