//go:build cgo

package tsdart_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	sitter "github.com/tree-sitter/go-tree-sitter"

	"github.com/wmsim/wmsim/internal/scan/internal/tsdart"
)

// The vendored grammar loads into the binding (its ABI is one the runtime
// accepts) and parses a small library without error nodes.
func TestLanguageParsesDart(t *testing.T) {
	p := sitter.NewParser()
	defer p.Close()
	require.NoError(t, p.SetLanguage(sitter.NewLanguage(tsdart.Language())))
	tr := p.Parse([]byte("import 'package:workmanager/workmanager.dart' as wm;\nconst k = 'a';\nvoid main() { wm.Workmanager().cancelAll(); }\n"), nil)
	defer tr.Close()
	root := tr.RootNode()
	require.Equal(t, "program", root.Kind())
	require.False(t, root.HasError(), root.ToSexp())
	require.Equal(t, uint(5), root.NamedChildCount()) // import; const, its declaration list; signature, body
}
