package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// rulesFor runs the rules over one Dart file of an Android-only project.
func rulesFor(t *testing.T, src string) map[string]int {
	d := analyze(t, map[string]string{"lib/main.dart": src})
	p := &project{hasAndroid: true, plugin: PluginInfo{Profile: "0.10"}}
	out := map[string]int{}
	for _, f := range check(p, d) {
		out[f.Rule]++
	}
	return out
}

// The boundaries come from androidx.work PeriodicWorkRequest:
// MIN_PERIODIC_INTERVAL_MILLIS = 15 * 60 * 1000 and
// MIN_PERIODIC_FLEX_MILLIS = 5 * 60 * 1000 (androidx work-runtime,
// PeriodicWorkRequest.kt).
func TestPeriodicBoundariesFromAndroidx(t *testing.T) {
	const head = wmImport + "@pragma('vm:entry-point')\nvoid d() { Workmanager().executeTask((t, i) async => true); }\nvoid main() { Workmanager().initialize(d);\n"
	for _, tc := range []struct {
		call       string
		freq, flex bool
	}{
		{"Workmanager().registerPeriodicTask('a', 'a', frequency: Duration(seconds: 899));", true, false},
		{"Workmanager().registerPeriodicTask('a', 'a', frequency: Duration(minutes: 15));", false, false},
		{"Workmanager().registerPeriodicTask('a', 'a');", false, false}, // the plugin's default: 900 s
		{"Workmanager().registerPeriodicTask('a', 'a', frequency: Duration(hours: 1), flexInterval: Duration(seconds: 299));", false, true},
		{"Workmanager().registerPeriodicTask('a', 'a', frequency: Duration(hours: 1), flexInterval: Duration(minutes: 5));", false, false},
		{"Workmanager().registerPeriodicTask('a', 'a', frequency: Duration(hours: 1), flexInterval: Duration(minutes: 61));", false, true},
		{"Workmanager().registerOneOffTask('a', 'a', initialDelay: Duration(seconds: 1));", false, false},
	} {
		got := rulesFor(t, head+tc.call+"\n}")
		assert.Equal(t, tc.freq, got["frequency-below-minimum"] > 0, tc.call)
		assert.Equal(t, tc.flex, got["flex-out-of-range"] > 0, tc.call)
	}
}

// The calls workmanager_android.dart / workmanager_apple.dart (0.10.7)
// reject with UnsupportedError, by platform guard.
func TestUnsupportedByPlatformGuard(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{"Workmanager().registerProcessingTask('p', 'p');", 1},
		{"if (Platform.isIOS) Workmanager().registerProcessingTask('p', 'p');", 0},
		{"if (Platform.isAndroid) Workmanager().printScheduledTasks();", 1},
		{"if (Platform.isIOS) Workmanager().printScheduledTasks();", 0},
		{"Workmanager().isScheduledByUniqueName('p');", 0}, // Android only: supported there
	} {
		got := rulesFor(t, "import 'dart:io';\n"+wmImport+"@pragma('vm:entry-point')\nvoid d() {}\nvoid main() { Workmanager().initialize(d);\n"+tc.src+"\n}")
		assert.Equal(t, tc.want, got["unsupported-on-platform-version"], tc.src)
	}
}
