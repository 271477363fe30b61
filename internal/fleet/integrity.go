package fleet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
)

// ShardInfo names the shard a summary is: Index of Count. Merge checks that
// the parts of a fleet are shards of one split, each at most once.
type ShardInfo struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// digestField is the digest's place in a marshalled summary.
var digestField = regexp.MustCompile(`"digest": "([0-9a-f]*)"`)

// digestOf is the SHA-256 of a marshalled summary with an empty digest.
func digestOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// seal fills the "digest" of a summary marshalled with an empty one: the
// SHA-256 of those bytes. Any later change to the document (a number, a
// range, the shard, even the spacing) makes Unmarshal refuse it.
func seal(b []byte) []byte {
	loc := digestField.FindIndex(b)
	if loc == nil {
		return b
	}
	d := digestOf(b)
	out := make([]byte, 0, len(b)+len(d))
	out = append(out, b[:loc[0]]...)
	out = append(out, `"digest": "`+d+`"`...)
	return append(out, b[loc[1]:]...)
}

// digestValue matches a sealed digest.
var digestValue = regexp.MustCompile(`"digest": "(sha256:[0-9a-f]{64})"`)

// verify checks a document's digest against its bytes.
func verify(b []byte) error {
	locs := digestValue.FindAllSubmatchIndex(b, 2)
	if len(locs) == 0 {
		return errors.New("no digest: not written by wmsim fleet, or altered since")
	}
	if len(locs) > 1 {
		return errors.New("two digests: altered since wmsim wrote it")
	}
	l := locs[0]
	var blank bytes.Buffer
	blank.Write(b[:l[0]])
	blank.WriteString(`"digest": ""`)
	blank.Write(b[l[1]:])
	if got, want := digestOf(blank.Bytes()), string(b[l[2]:l[3]]); got != want {
		return fmt.Errorf("digest mismatch (%s, content hashes to %s): the document was altered after wmsim wrote it", want, got)
	}
	return nil
}

// checkShards reports why parts are not distinct shards of one split: a
// different shard count, a shard given twice, or a shard whose device ranges
// are not its own.
func checkShards(parts []*Summary) error {
	seen := map[int]int{}
	count := 0
	for i, p := range parts {
		if p.Shard == nil {
			continue
		}
		sh := Shard{Index: p.Shard.Index, Count: p.Shard.Count}
		if sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count {
			return fmt.Errorf("part %d: shard %d/%d is not a shard", i+1, sh.Index, sh.Count)
		}
		if count == 0 {
			count = sh.Count
		} else if sh.Count != count {
			return fmt.Errorf("part %d is shard %d/%d, but an earlier part is of a split into %d shards", i+1, sh.Index, sh.Count, count)
		}
		if j, ok := seen[sh.Index]; ok {
			return fmt.Errorf("parts %d and %d are both shard %d/%d: each shard may be given once", j+1, i+1, sh.Index, sh.Count)
		}
		seen[sh.Index] = i
		lo, hi := sh.Range(p.Devices)
		for _, r := range p.Ranges {
			if r[0] < lo || r[1] > hi {
				return fmt.Errorf("part %d: shard %d/%d of %d devices holds devices [%d, %d), outside its own [%d, %d)", i+1, sh.Index, sh.Count, p.Devices, r[0], r[1], lo, hi)
			}
		}
	}
	return nil
}
