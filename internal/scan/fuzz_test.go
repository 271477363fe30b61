package scan

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDartExtraction feeds arbitrary bytes through the Dart parse, the
// index, the walk and the rules: no input may panic or hang.
func FuzzDartExtraction(f *testing.F) {
	f.Add([]byte("import 'package:workmanager/workmanager.dart' as wm;\nvoid main() { wm.Workmanager().registerPeriodicTask('a', 'b', frequency: Duration(minutes: 1)); }"))
	f.Add([]byte("@pragma('vm:entry-point')\nvoid d() { Workmanager().executeTask((t, i) async { switch (t) { case 'a': return true; default: return false; } }); }"))
	f.Add([]byte("class A { final w = Workmanager(); void f(x) => w.registerOneOffTask('$x', \"${x}y\"); }\nvoid main() { A().f(1); f(); }\nvoid f() => f();"))
	f.Add([]byte("void main() { if (!Platform.isIOS) return; Workmanager()..initialize(main)..cancelAll(); }"))
	for _, name := range []string{"recovery.dart", "recovery-binary.dart"} {
		b, err := os.ReadFile(filepath.Join("testdata", "hang", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b) // error recovery that never ended before parseBudget
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// The seeds are under 200 bytes and every construct the scanner
		// knows fits in a few hundred; a longer input only makes each
		// execution, and the minimisation of a new input (on the order of
		// n² candidates), slower.
		if len(src) > 512 {
			t.Skip()
		}
		if !parserAvailable {
			t.Skip("no parser without cgo")
		}
		root, err := parseDart(src)
		if err != nil {
			return
		}
		p := newProgram()
		p.add(&dartFile{rel: "lib/fuzz.dart", src: src, root: root})
		a := newAnalyzer(p)
		a.budget = 200_000
		a.run()
		d := a.extract()
		proj := &project{name: "fuzz", prog: p, hasAndroid: true, hasIOS: true, plugin: PluginInfo{Profile: "0.10"}}
		check(proj, d)
		newGenerator(proj, d).yaml(genOptions{})
	})
}
