//go:build cgo

package scan_test

import (
	"context"
	"fmt"
	"os"

	"github.com/wmsim/wmsim/internal/scan"
)

// Scan reads a Flutter project; findings are ordered by file and line.
func ExampleScan() {
	rep, err := scan.Scan("testdata/projects/frequency")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Registrations {
		fmt.Println(r.Call, r.UniqueName, *r.FrequencyS)
	}
	for _, f := range rep.Findings {
		fmt.Println(f.File, f.Line, f.Rule)
	}
	// Output:
	// registerPeriodicTask poll 60
	// registerPeriodicTask ok 900
	// lib/main.dart 8 flex-out-of-range
	// lib/main.dart 8 frequency-below-minimum
}

// Main is `wmsim scan`: the exit code says whether there are error findings.
func ExampleMain() {
	code := scan.Main(context.Background(), "testdata/projects/noinit", scan.Options{Format: "text"}, os.Stdout, os.Stderr)
	fmt.Println("exit", code)
	// Output:
	// lib/main.dart:3:3: error: tasks are registered but Workmanager().initialize(callbackDispatcher) is never called: registration fails with "You have not properly initialized the Flutter WorkManager Package" [initialize-missing]
	//   fix: call initialize with the callback dispatcher in main() before registering
	// 1 registration(s); 1 error(s), 0 warning(s), 0 info
	// exit 1
}
