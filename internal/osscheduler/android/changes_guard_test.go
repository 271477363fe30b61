package android

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readOnlyAPI are the exported methods of *Model that change nothing a
// JobScheduler pass reads, so they need not count in Model.changes.
var readOnlyAPI = map[string]bool{
	"Tasks":                  true,
	"WorkInfosForUniqueWork": true,
	"Spec":                   true,
	"SpecByName":             true,
}

// repeatPass answers the pass after a launch from the launching pass only
// while Model.changes has not moved: every exported method of *Model that
// may change the model's state must count first. A method added later must
// either begin with m.changes++ or be listed in readOnlyAPI, or this test
// fails, so the shortcut cannot silently miss a call.
func TestEveryMutatingAPICallCountsAChange(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var counted, missing []string
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() || !isModelReceiver(fd.Recv) {
				continue
			}
			method := fd.Name.Name
			switch {
			case readOnlyAPI[method]:
			case firstIsChangesInc(fd.Body):
				counted = append(counted, method)
			default:
				missing = append(missing, fset.Position(fd.Pos()).String()+": "+method)
			}
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "exported *Model methods that neither begin with m.changes++ nor are listed in readOnlyAPI")
	require.Contains(t, counted, "EnqueueUniqueWork", "the check found the API")
}

func isModelReceiver(recv *ast.FieldList) bool {
	st, ok := recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := st.X.(*ast.Ident)
	return ok && id.Name == "Model"
}

func firstIsChangesInc(body *ast.BlockStmt) bool {
	if body == nil || len(body.List) == 0 {
		return false
	}
	inc, ok := body.List[0].(*ast.IncDecStmt)
	if !ok || inc.Tok != token.INC {
		return false
	}
	sel, ok := inc.X.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "changes"
}
