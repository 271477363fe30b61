package report

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/sim"
)

func TestWriteTextGolden(t *testing.T) {
	res, tr := androidFixture()
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, res, tr, fixtureStart, TextOptions{Timeline: true}))
	golden(t, "text_android.txt", buf.Bytes())
}

func TestWriteTextMultiGolden(t *testing.T) {
	a, at := androidFixture()
	i, it := iosFixture()
	var buf bytes.Buffer
	require.NoError(t, WriteTextMulti(&buf, []*Result{a, i}, [][]sim.Record{at, it}, fixtureStart, TextOptions{}))
	golden(t, "text_multi.txt", buf.Bytes())
}

func TestCompareGolden(t *testing.T) {
	a, _ := androidFixture()
	i, _ := iosFixture()
	var buf bytes.Buffer
	require.NoError(t, Compare(&buf, a, i))
	golden(t, "compare.txt", buf.Bytes())
}
