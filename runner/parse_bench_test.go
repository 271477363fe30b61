package runner

import (
	"fmt"
	"github.com/wmsim/wmsim/scenarios"
	"os"
	"strings"
	"testing"
)

// BenchmarkParseContract parses the contract's full example.
func BenchmarkParseContract(b *testing.B) {
	src, err := os.ReadFile("../scenarios/testdata/good/contract-example.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenarios.Parse("c.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseLargeTimeline parses a scenario with 10,000 call steps
// (about 1.4 MB).
func BenchmarkParseLargeTimeline(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("version: 1\nname: large\nduration: 366d\napp: { tasks: { sync: {} } }\ntimeline:\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&sb, "  - at: %dm\n    call: registerOneOffTask\n    args: { uniqueName: u%d, taskName: sync, initialDelay: 5m, inputData: { i: %d, s: x } }\n", i, i, i)
	}
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenarios.Parse("l.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAliasBomb measures how fast a billion-laughs file is
// rejected.
func BenchmarkParseAliasBomb(b *testing.B) {
	src, err := os.ReadFile("../scenarios/testdata/bad/alias-bomb.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := scenarios.Parse("bomb.yaml", src); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkParseHostile10MB measures the rejection of a 10 MB flow list
// (five million values) by the pre-scan.
func BenchmarkParseHostile10MB(b *testing.B) {
	src := []byte("description: [" + strings.Repeat("1,", scenarios.MaxFileSize/2-20) + "1]\n")
	for b.Loop() {
		if _, err := scenarios.Parse("h.yaml", src); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkParse200kKeys parses a 4.6 MB scenario whose inputData has
// 200,000 keys in one block mapping: refused as too wide (MaxMappingKeys)
// after a linear scan, where the YAML parser alone took over a minute.
func BenchmarkParse200kKeys(b *testing.B) {
	src := wideInputData(200_000, false)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := scenarios.Parse("k.yaml", src); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkParseWidestAccepted parses the worst accepted shape: mappings
// of MaxMappingKeys keys each, 250 of them (half of MaxStructure, 3.5 MB).
func BenchmarkParseWidestAccepted(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("version: 1\nname: wide\nduration: 1d\ndescription: x\nx-wide:\n")
	for m := 0; m < 250; m++ {
		fmt.Fprintf(&sb, "  m%d:\n", m)
		for i := 0; i < scenarios.MaxMappingKeys; i++ {
			fmt.Fprintf(&sb, "    k%d: %d\n", i, i)
		}
	}
	src := []byte(sb.String())
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		scenarios.Parse("w.yaml", src)
	}
}
