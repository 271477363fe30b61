package fuzzedit

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplice(t *testing.T) {
	base := []byte("abcdef")
	for _, c := range []struct {
		at    uint16
		cut   uint8
		patch string
		want  string
	}{
		{0, 0, "", "abcdef"},
		{0, 0, "X", "Xabcdef"},
		{2, 2, "XY", "abXYef"},
		{6, 0, "Z", "abcdefZ"},
		{4, 200, "", "abcd"},
		{7, 1, "Q", "Qbcdef"}, // 7 mod 7 = 0
	} {
		assert.Equal(t, c.want, string(Splice(base, c.at, c.cut, []byte(c.patch))), "%+v", c)
	}
	assert.Equal(t, "abcdef", string(base), "base unchanged")
	assert.Equal(t, "p", string(Splice(nil, 9, 9, []byte("p"))))
}

func TestInput(t *testing.T) {
	bases := [][]byte{[]byte("one"), []byte("two")}
	assert.Equal(t, "tXo", string(Input(bases, 1, 1, 1, []byte("X"))))
	assert.Equal(t, "X", string(Input(bases, 2, 1, 1, []byte("X"))), "no base: the patch alone")
	assert.Equal(t, "X", string(Input(nil, 0, 0, 0, []byte("X"))))
}
