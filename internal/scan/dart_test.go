package scan

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// analyze runs the Dart analysis over in-memory files (name → source).
func analyze(t *testing.T, files map[string]string) *dartFacts {
	t.Helper()
	if !parserAvailable {
		t.Skip("no Dart parser without cgo")
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	p := newProgram()
	for _, n := range names {
		root, err := parseDart([]byte(files[n]))
		require.NoError(t, err)
		p.add(&dartFile{rel: n, src: []byte(files[n]), root: root})
	}
	a := newAnalyzer(p)
	a.run()
	return a.extract()
}

const wmImport = "import 'package:workmanager/workmanager.dart';\n"

func regs(d *dartFacts) []string {
	var out []string
	for _, r := range d.registrations {
		s := r.Call + " " + r.Platform + " " + r.UniqueName + "/" + r.TaskName
		if r.FrequencyS != nil {
			s += " f=" + fmtSeconds(*r.FrequencyS)
		}
		if r.InitialDelayS != nil {
			s += " d=" + fmtSeconds(*r.InitialDelayS)
		}
		if len(r.Dynamic) > 0 {
			s += " dyn=" + strings.Join(r.Dynamic, ",")
		}
		if r.startup {
			s += " startup"
		}
		out = append(out, s)
	}
	return out
}

func TestDartResolution(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		{"import prefix, const and static const",
			"import 'package:workmanager/workmanager.dart' as wm;\nconst kA = 'a';\nclass K { static const b = 'b'; }\nvoid main() { wm.Workmanager().registerOneOffTask(kA, K.b); }",
			[]string{"registerOneOffTask both a/b startup"}},
		{"interpolation of constants is known, of a parameter dynamic",
			wmImport + "const p = 'dev.x';\nvoid main() { Workmanager().registerOneOffTask('$p.sync', '${p}.t'); }\nvoid later(String id) { Workmanager().registerOneOffTask('u-$id', 't'); }",
			[]string{"registerOneOffTask both dev.x.sync/dev.x.t startup", "registerOneOffTask both 'u-$id'/t dyn=unique_name"}},
		{"Duration literals: units add up, const, zero, constants as arguments",
			wmImport + "const m = 30;\nvoid main() {\n Workmanager().registerPeriodicTask('a', 'a', frequency: Duration(hours: 1, minutes: m), initialDelay: Duration.zero);\n Workmanager().registerPeriodicTask('b', 'b', frequency: const Duration(days: 1));\n}",
			[]string{"registerPeriodicTask both a/a f=90 minute(s) d=0 second(s) startup", "registerPeriodicTask both b/b f=1440 minute(s) startup"}},
		{"top-level final instance, field typed by the constructor, cascade",
			wmImport + "final w = Workmanager();\nclass S { final Workmanager m; S(this.m); void go() => m.registerOneOffTask('f', 'f'); }\nvoid main() { w.registerOneOffTask('g', 'g'); S(Workmanager()).go(); Workmanager()..cancelAll()..registerOneOffTask('c', 'c'); }",
			[]string{"registerOneOffTask both g/g startup", "registerOneOffTask both f/f startup", "registerOneOffTask both c/c startup"}},
		{"Platform guards: if/else, negation, early return, TargetPlatform",
			"import 'dart:io';\nimport 'package:flutter/foundation.dart';\n" + wmImport +
				"void main() {\n if (Platform.isIOS) { Workmanager().registerOneOffTask('i', 'i'); } else { Workmanager().registerOneOffTask('a', 'a'); }\n if (defaultTargetPlatform == TargetPlatform.iOS) Workmanager().registerOneOffTask('t', 't');\n if (!Platform.isAndroid) return;\n Workmanager().registerOneOffTask('r', 'r');\n if (Platform.isIOS) { Workmanager().registerOneOffTask('dead', 'dead'); }\n}",
			[]string{"registerOneOffTask ios i/i startup", "registerOneOffTask android a/a startup", "registerOneOffTask ios t/t startup", "registerOneOffTask android r/r startup"}},
		{"a wrapper with a default argument, reported at each call",
			wmImport + "void every({Duration period = const Duration(hours: 2)}) { Workmanager().registerPeriodicTask('p', 'p', frequency: period); }\nvoid main() { every(); every(period: Duration(hours: 3)); }",
			[]string{"registerPeriodicTask both p/p f=120 minute(s) startup", "registerPeriodicTask both p/p f=180 minute(s) startup"}},
		{"a widget callback is not startup; initState is",
			wmImport + "class _S extends State { void initState() { Workmanager().registerOneOffTask('s', 's'); }\n Widget build(c) => Button(onPressed: () { Workmanager().registerOneOffTask('b', 'b'); }); }",
			[]string{"registerOneOffTask both s/s startup", "registerOneOffTask both b/b"}},
		{"a chain of calls deeper than the inline limit is still analysed",
			wmImport + "void f1() => f2();\nvoid f2() => f3();\nvoid f3() => f4();\nvoid f4() => f5();\nvoid f5() => f6();\nvoid f6() => f7();\nvoid f7() { Workmanager().registerOneOffTask('deep', 'deep'); }\nvoid main() { f1(); }",
			[]string{"registerOneOffTask both deep/deep"}},
		{"recursion terminates", wmImport + "void f() { f(); g(); }\nvoid g() { f(); Workmanager().registerOneOffTask('x', 'x'); }\nvoid main() { f(); }",
			[]string{"registerOneOffTask both x/x startup"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := analyze(t, map[string]string{"lib/main.dart": tc.src})
			assert.Equal(t, tc.want, regs(d))
		})
	}
}

func TestDartDispatcher(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		names  []string
		all    bool
		kind   string
		pragma bool
	}{
		{"switch with cases from constants and the plugin's fetch name",
			"const a = 'a';\n@pragma('vm:entry-point')\nvoid d() { Workmanager().executeTask((task, data) async { switch (task) { case a: return true; case Workmanager.iOSBackgroundTask: return true; } return false; }); }",
			[]string{"a", "iOSPerformFetch"}, false, "function", true},
		{"a default case handles every name",
			"void d() { Workmanager().executeTask((t, i) { switch (t) { case 'x': break; default: break; } return Future.value(true); }); }",
			[]string{"x"}, true, "function", false},
		{"== tests and a name passed on to another function",
			"void d() { Workmanager().executeTask((t, i) => route(t)); }\nFuture<bool> route(String name) async { if (name == 'p') return true; if ('q' == name) return true; return false; }",
			[]string{"p", "q"}, false, "function", false},
		{"a handler that ignores the name handles them all",
			"void d() { Workmanager().executeTask((t, i) async => true); }", nil, true, "function", false},
		{"a static method dispatcher",
			"class B { @pragma('vm:entry-point') static void d() { Workmanager().executeTask((t, i) async => t == 'z'); } }",
			[]string{"z"}, false, "static", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			init := "d"
			if tc.kind == "static" {
				init = "B.d"
			}
			d := analyze(t, map[string]string{"lib/main.dart": wmImport + tc.src + "\nvoid main() { Workmanager().initialize(" + init + "); }"})
			require.Len(t, d.inits, 1)
			assert.Equal(t, tc.kind, d.inits[0].kind)
			require.NotNil(t, d.inits[0].dispatcher)
			assert.Equal(t, tc.pragma, d.inits[0].dispatcher.entryPoint)
			var names []string
			for n := range d.handled.names {
				names = append(names, n)
			}
			sort.Strings(names)
			assert.Equal(t, tc.names, names)
			assert.Equal(t, tc.all, d.handled.all)
			assert.True(t, d.handled.found)
		})
	}
}

func TestDartStaticAPIAndTimeOfDay(t *testing.T) {
	d := analyze(t, map[string]string{"lib/main.dart": wmImport +
		"void main() {\n Workmanager.initialize(cb);\n final now = DateTime.now();\n final at = DateTime(now.year, now.month, now.day, 10);\n Workmanager.registerOneOffTask('q', 'q', initialDelay: at.difference(now));\n}\nvoid cb() {}"})
	assert.True(t, d.staticAPI)
	require.Len(t, d.registrations, 1)
	r := d.registrations[0]
	assert.True(t, r.timeOfDay)
	assert.Equal(t, "10:00", r.until) // DateTime(…, 10): hour 10, minute 0
	assert.Equal(t, []string{"initial_delay_s"}, r.Dynamic)
	assert.Equal(t, 6, r.Line)
	assert.Equal(t, 2, r.Column)
}

func TestLexString(t *testing.T) {
	if !parserAvailable {
		t.Skip("no Dart parser without cgo")
	}
	for src, want := range map[string]string{
		`'a'`:          "a",
		`"a\"b"`:       `a"b`,
		`'a' "b"`:      "ab",
		`r'a\nb'`:      `a\nb`,
		`'''x'y'''`:    "x'y",
		`"tab\tend"`:   "tab\tend",
		`'caf\u00e9'`:  "café",
		`'\u{1F600}!'`: "\U0001F600!",
		`'\x41\$'`:     "A$",
	} {
		root, err := parseDart([]byte("const s = " + src + ";"))
		require.NoError(t, err)
		lit := findKind(root, "string_literal")
		require.NotNil(t, lit, src)
		assert.Equal(t, want, stringValue(lit, []byte("const s = "+src+";")), src)
	}
}

func TestHostileNesting(t *testing.T) {
	assert.Equal(t, 3, bracketDepth([]byte("f(a[{ }]) // ((((\n/* [[[[ */ 'x((' \"\"\"y{{\"\"\"")))
	if !parserAvailable {
		t.Skip("no Dart parser without cgo")
	}
	src := "void main() { var x = " + strings.Repeat("f(", 5000) + "1" + strings.Repeat(")", 5000) + "; }"
	_, err := parseDart([]byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nested 5001 deep")
}

func TestTimestampedUniqueName(t *testing.T) {
	d := analyze(t, map[string]string{"lib/main.dart": wmImport +
		"void main() {\n final now = DateTime.now();\n Workmanager().registerOneOffTask('sync-${now.millisecondsSinceEpoch}', 's');\n Workmanager().registerOneOffTask('u-${user.id}', 's');\n}"})
	require.Len(t, d.registrations, 2)
	assert.Equal(t, "sync-${now_ms}", d.registrations[0].uniqueNow)
	assert.Equal(t, []string{"unique_name"}, d.registrations[0].Dynamic)
	assert.Equal(t, "", d.registrations[1].uniqueNow) // not a timestamp: stays unknown
}
