package fleet

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/wmsim/wmsim/internal/fuzzedit"
	"github.com/wmsim/wmsim/scenarios"
)

// anyDigest matches a digest field, sealed or not, indented or compact.
var anyDigest = regexp.MustCompile(`"digest": ?"[^"]*"`)

// maxFuzzPatch bounds the fuzzed bytes. A real shard is kilobytes of JSON,
// and minimising a new input of that size tries on the order of n² smaller
// candidates: with whole documents as inputs each new input stalled the
// fuzzer for the whole minimisation budget. The input is therefore a small
// edit of a real shard (or, with no base, a small document of its own):
// per-execution work and minimisation stay small and flat, and every edit a
// person could make to a shard (a number, a key, a cut) is one input.
const maxFuzzPatch = 256

// compactSeed turns a marshalled summary into a small seed: compact JSON
// without the derived fields (quantiles, means, shares) that Unmarshal
// ignores, and without the per-profile groups (a copy of "all" here).
func compactSeed(tb testing.TB, b []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		tb.Fatal(err)
	}
	var strip func(v any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range []string{"mean", "p50", "p90", "p99", "p50_all_ms", "p90_all_ms", "p99_all_ms", "share"} {
				delete(x, k)
			}
			for _, e := range x {
				strip(e)
			}
		case []any:
			for _, e := range x {
				strip(e)
			}
		}
	}
	strip(doc)
	doc["profiles"] = []any{}
	out, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return seal(anyDigest.ReplaceAll(out, []byte(`"digest": ""`)))
}

// FuzzMerge feeds edited shards to the shard reader and the merger: the
// input replaces cut bytes at offset at of a real shard with patch (or is
// the whole document when base names none). Each document is read twice,
// as it is (almost always refused by its digest) and resealed (so the
// decoder and Merge see the altered contents). Either way the result is a
// clean error or a summary that merges and marshals; never a panic.
func FuzzMerge(f *testing.F) {
	// Small real shards: one device each; constraints' shard 1/2 has
	// blocked reasons, oneoff-task's whole fleet has no shard.
	var bases [][]byte
	for _, c := range []struct {
		scenario string
		devices  int
		shard    Shard
	}{{"constraints", 2, Shard{1, 2}}, {"constraints", 2, Shard{0, 2}}, {"oneoff-task", 1, Shard{}}} {
		sc, err := scenarios.LoadLibrary(c.scenario)
		if err != nil {
			f.Fatal(err)
		}
		s, err := Run(sc, Options{Devices: c.devices, Days: 1, Shard: c.shard, Jobs: 1})
		if err != nil {
			f.Fatal(err)
		}
		b, err := Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		bases = append(bases, compactSeed(f, b))
	}
	for i := range bases {
		f.Add(uint8(i), uint16(0), uint8(0), []byte{})                            // as written
		f.Add(uint8(i), uint16(40), uint8(3), []byte("-9223372036854775808"))     // an extreme number
		f.Add(uint8(i), uint16(len(bases[i])/2), uint8(255), []byte(`"x":null}`)) // a cut
	}
	none := uint8(len(bases))
	f.Add(none, uint16(0), uint8(0), []byte(`{"format":"wmsim.fleet/v1","digest": ""}`))
	f.Add(none, uint16(0), uint8(0), []byte(`{"format":"wmsim.fleet/v1","all":{"tasks":[null]},"digest": ""}`))
	f.Fuzz(func(t *testing.T, base uint8, at uint16, cut uint8, patch []byte) {
		if len(patch) > maxFuzzPatch {
			t.Skip()
		}
		b := fuzzedit.Input(bases, base, at, cut, patch)
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
