//go:build !cgo

package scan

import "errors"

// parserAvailable says whether this build can parse Dart: the grammar is C
// (tree-sitter), so a build without cgo cannot.
const parserAvailable = false

// parseDart always fails without cgo.
func parseDart([]byte) (*node, error) {
	return nil, errors.New("this wmsim was built without cgo, which the Dart grammar needs")
}
