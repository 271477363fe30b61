package tsdart

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"regexp"
	"strings"
	"testing"
)

// releaseParserSHA256 is the SHA-256 of parser.c as tree-sitter-dart 1.0.0
// publishes it on npm.
const releaseParserSHA256 = "2e193af6c11ce5502d68df4e0081b279e954622cc99ec9ba4af924c389fb978b"

var includeLine = regexp.MustCompile(`^#include "((?:small_)?parse_table_\d+\.h)"$`)

// TestVendoredParserIsTheRelease: parser.c with its table fragments put back
// in place of their #include lines is byte for byte the released file, and
// no tracked piece reaches 1 MB (CI refuses larger files).
func TestVendoredParserIsTheRelease(t *testing.T) {
	src, err := os.ReadFile("parser.c")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	pieces := 0
	for _, line := range strings.Split(string(src), "\n") {
		m := includeLine.FindStringSubmatch(line)
		if m == nil {
			out = append(out, line)
			continue
		}
		frag, err := os.ReadFile(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(frag) >= 1<<20 {
			t.Errorf("%s is %d bytes, over 1 MB", m[1], len(frag))
		}
		out = append(out, strings.TrimSuffix(string(frag), "\n"))
		pieces++
	}
	if pieces == 0 {
		t.Fatal("parser.c includes no table fragment")
	}
	if len(src) >= 1<<20 {
		t.Errorf("parser.c is %d bytes, over 1 MB", len(src))
	}
	sum := sha256.Sum256([]byte(strings.Join(out, "\n")))
	if got := hex.EncodeToString(sum[:]); got != releaseParserSHA256 {
		t.Errorf("reassembled parser.c has SHA-256 %s, want the release's %s", got, releaseParserSHA256)
	}
}
