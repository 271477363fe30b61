package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// fuzzWords are the command-line words the fuzzer builds arguments from,
// with its own words (relative names only: every file stays in a temporary
// folder).
var fuzzWords = []string{
	"run", "validate", "explain", "compare", "fleet", "merge", "chaos", "device", "scenarios", "schema", "version",
	"help", "completion", "bash", "zsh", "fish",
	"--format", "json", "text", "xml", "--platform", "android", "ios", "--seed", "--max-events", "--wall-limit",
	"--html", "--junit", "--trace", "--trace-jsonl", "--out", "--devices", "--days", "--jobs", "--mix", "--shard",
	"--min-pass", "--runs", "--max-duration", "--task", "--unique", "--at", "--profile", "--for", "--source",
	"--cpuprofile", "--memprofile", "--timeline=false", "--levels", "-v", "-h", "--help", "--",
	"oneoff-task", "periodic-task", "side-by-side", "office-worker", "s.yaml", "out.html", "-",
	"0", "1", "2", "-1", "1/2", "2/2", "1s", "0s", "5", "1h", "03:00", "simpleTask", "result", "fleet", "shard",
	"scan", "--plugin", "--api", "--ios", "0.9,0.10.10", "33,35", "17,26", ".",
}

// FuzzCommandLine runs the whole command tree on arbitrary argument lists:
// it must never panic (exit 4) and always exit 0..3. Each command is
// bounded by a 250 ms context (a fleet or a year-long run stops at it, as
// at a user's Ctrl-C, which is a path under test too), so every execution
// is short; files go to a temporary folder.
func FuzzCommandLine(f *testing.F) {
	f.Add([]byte{0, 16, 17, 53})        // run --format json oneoff-task
	f.Add([]byte{4, 53, 32, 1, 36, 68}) // fleet ... --devices 1 --days
	f.Add([]byte{255, 'x', 0, 1})
	f.Add([]byte("schema --for\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// At most 12 words are used; longer inputs only slow minimisation.
		if len(data) > 128 {
			t.Skip()
		}
		t.Chdir(t.TempDir())
		var args []string
		for i := 0; i < len(data) && len(args) < 12; i++ {
			c := data[i]
			if int(c) < len(fuzzWords) {
				args = append(args, fuzzWords[c])
				continue
			}
			// A word of the fuzzer's own: the bytes up to the next 0.
			j := bytes.IndexByte(data[i+1:], 0)
			if j < 0 {
				j = len(data) - i - 1
			}
			w := string(data[i+1 : i+1+j])
			i += j + 1
			if strings.Contains(w, "/") || strings.Contains(w, "..") {
				continue // stay in the temporary folder
			}
			args = append(args, w)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		var out, errb bytes.Buffer
		code := run(args, &cmdEnv{stdin: strings.NewReader("version: 1\nname: x\nduration: 1h\n"), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, ctx: ctx})
		if code < 0 || code > exitLimit {
			t.Fatalf("wmsim %q: exit %d\n%s", args, code, errb.String())
		}
	})
}
