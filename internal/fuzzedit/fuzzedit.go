// Package fuzzedit is the edit the fuzz targets apply to a real input: a
// small patch written over a few bytes of a seed document. Fuzzing small
// edits of large seeds, instead of whole documents, keeps each execution
// and the minimisation of a new input short (minimising an n-byte input
// tries on the order of n² candidates).
package fuzzedit

// Splice returns a copy of base with the cut bytes at offset at (both taken
// modulo what base holds) replaced by patch. base is not changed.
func Splice(base []byte, at uint16, cut uint8, patch []byte) []byte {
	i := int(at) % (len(base) + 1)
	j := min(i+int(cut), len(base))
	out := make([]byte, 0, i+len(patch)+len(base)-j)
	out = append(out, base[:i]...)
	out = append(out, patch...)
	return append(out, base[j:]...)
}

// Input is the input a fuzz target's arguments name: bases[base] spliced
// with patch (Splice), or patch alone when base names none of bases.
func Input(bases [][]byte, base uint8, at uint16, cut uint8, patch []byte) []byte {
	if int(base) < len(bases) {
		return Splice(bases[base], at, cut, patch)
	}
	return patch
}
