package android

import (
	"os"
	"testing"
)

// Every test of the package runs with checkNowVT set: nowVT panics if it
// is ever handed a time other than the engine's now, the argument that
// lets it read Elapsed instead of converting its argument.
func TestMain(m *testing.M) {
	checkNowVT = true
	os.Exit(m.Run())
}
