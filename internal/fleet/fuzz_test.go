package fleet

import (
	"regexp"
	"testing"

	"github.com/wmsim/wmsim/scenarios"
)

// anyDigest matches a digest field, sealed or not.
var anyDigest = regexp.MustCompile(`"digest": "[^"]*"`)

// FuzzMerge feeds arbitrary bytes to the shard reader and the merger: each
// input is read twice, as it is (almost always refused by its digest) and
// resealed (so the decoder and Merge see the altered contents). Either way
// the result is a clean error or a summary that merges and marshals; never
// a panic.
func FuzzMerge(f *testing.F) {
	sc, err := scenarios.LoadLibrary("periodic-task")
	if err != nil {
		f.Fatal(err)
	}
	for _, sh := range []Shard{{0, 2}, {1, 2}, {}} {
		s, err := Run(sc, Options{Devices: 3, Days: 1, Shard: sh, Jobs: 1})
		if err != nil {
			f.Fatal(err)
		}
		b, err := Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"format":"wmsim.fleet/v1","digest": ""}`))
	f.Add([]byte(`{"format":"wmsim.fleet/v1","all":{"tasks":[null]},"digest": ""}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, doc := range [][]byte{b, seal(anyDigest.ReplaceAll(b, []byte(`"digest": ""`)))} {
			s, err := Unmarshal(doc)
			if err != nil {
				continue
			}
			for _, parts := range [][]*Summary{{s}, {s, s}} {
				m, err := Merge(parts...)
				if err != nil {
					continue
				}
				if _, err := Marshal(m); err != nil {
					t.Fatalf("a merged summary does not marshal: %v", err)
				}
				_ = m.Missing()
				_ = m.BelowShare(1)
			}
		}
	})
}
