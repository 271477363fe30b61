package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// writeBigProject writes a Flutter project of n Dart files: each declares
// constants, a wrapper class and a registration through it; main calls a
// few of them.
func writeBigProject(tb testing.TB, dir string, n int) {
	tb.Helper()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "lib", "src"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "pubspec.yaml"), []byte("name: big\ndependencies:\n  workmanager: ^0.10.7\n"), 0o644))
	for i := 0; i < n; i++ {
		src := fmt.Sprintf(`import 'package:workmanager/workmanager.dart';

const kTask%[1]d = 'task-%[1]d';

class Feature%[1]d {
  static const id = 'feature-%[1]d';
  final _wm = Workmanager();

  Future<void> schedule() async {
    await _wm.registerPeriodicTask(id, kTask%[1]d,
        frequency: const Duration(hours: %[2]d),
        constraints: Constraints(networkType: NetworkType.connected));
  }

  String describe(int n) {
    final parts = <String>[];
    for (var i = 0; i < n; i++) {
      parts.add('part $i of ${id}');
    }
    return parts.join(', ');
  }
}
`, i, 1+i%12)
		must(os.WriteFile(filepath.Join(dir, "lib", "src", fmt.Sprintf("feature_%04d.dart", i)), []byte(src), 0o644))
	}
	main := "import 'package:workmanager/workmanager.dart';\n@pragma('vm:entry-point')\nvoid callbackDispatcher() { Workmanager().executeTask((t, d) async => true); }\nvoid main() {\n  Workmanager().initialize(callbackDispatcher);\n"
	for i := 0; i < n; i += 100 {
		main += fmt.Sprintf("  Feature%d().schedule();\n", i)
	}
	must(os.WriteFile(filepath.Join(dir, "lib", "main.dart"), []byte(main+"}\n"), 0o644))
}

// BenchmarkScan2000Files scans a generated 2,000-file project.
func BenchmarkScan2000Files(b *testing.B) {
	dir := b.TempDir()
	writeBigProject(b, dir, 2000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Scan(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Registrations) == 0 {
			b.Fatal("no registrations found")
		}
	}
}

// BenchmarkScanFixture scans the largest fixture.
func BenchmarkScanFixture(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Scan(filepath.Join(projects, "good")); err != nil {
			b.Fatal(err)
		}
	}
}
