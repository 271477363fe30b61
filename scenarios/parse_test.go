package scenarios

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"90s", 90 * time.Second, false},
		{"15m", 15 * time.Minute, false},
		{"1h30m", 90 * time.Minute, false},
		{"3d", 72 * time.Hour, false},
		{"2d12h", 60 * time.Hour, false},
		{"12h2d", 60 * time.Hour, false},
		{"1.5d", 36 * time.Hour, false},
		{".5d", 12 * time.Hour, false},
		{"366d", 366 * 24 * time.Hour, false},
		{"200ms", 200 * time.Millisecond, false},
		{"1us", time.Microsecond, false},
		{"0", 0, false},
		{"0s", 0, false},
		{"-5m", -5 * time.Minute, false},
		{"+5m", 5 * time.Minute, false},
		{"", 0, true},
		{"5", 0, true},
		{"d", 0, true},
		{"5 minutes", 0, true},
		{"1w", 0, true},
		{"1h-5m", 0, true},
		{"1..2d", 0, true},
		{"-", 0, true},
		{"200000000000000d", 0, true},
		{"106752d", 0, true}, // > max int64 nanoseconds
		{"106751d24h", 0, true},
		{"106751d23h", 106751*Day + 23*time.Hour, false},
	}
	for _, tc := range tests {
		got, err := ParseDuration(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{72 * time.Hour, "3d"},
		{60 * time.Hour, "2d12h"},
		{90 * time.Minute, "1h30m"},
		{23*time.Hour + 30*time.Minute, "23h30m"},
		{time.Hour, "1h"},
		{90 * time.Second, "1m30s"},
		{200 * time.Millisecond, "200ms"},
		{-5 * time.Minute, "-5m"},
		{24*time.Hour + time.Second, "1d1s"},
	}
	for _, tc := range tests {
		if got := FormatDuration(tc.in); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.in, got, tc.want)
		}
		if back, err := ParseDuration(FormatDuration(tc.in)); err != nil || back != tc.in {
			t.Errorf("round trip of %v: %v, %v", tc.in, back, err)
		}
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want ByteSize
		err  bool
	}{
		{"12GB", 12e9, false},
		{"64GB", 64e9, false},
		{"512MiB", 512 << 20, false},
		{"1.5GiB", 3 << 29, false},
		{"4096", 4096, false},
		{"10 KB", 10e3, false},
		{"12 gigs", 0, true},
		{"GB", 0, true},
		{"-1GB", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseByteSize(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseByteSize(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestClockAt checks that clock times use start's UTC offset and that the
// first occurrence is at or after start.
func TestClockAt(t *testing.T) {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.FixedZone("", 3600)) // 08:00+01:00
	tests := []struct {
		at   At
		want time.Duration
	}{
		{At{Clock: true, Hour: 8}, 0},
		{At{Clock: true, Hour: 9, Minute: 15}, 75 * time.Minute},
		{At{Clock: true, Hour: 7, Minute: 30}, 23*time.Hour + 30*time.Minute},
		{At{Delay: 2 * time.Hour}, 2 * time.Hour},
	}
	for _, tc := range tests {
		if got := tc.at.Offset(start); got != tc.want {
			t.Errorf("%v.Offset = %v, want %v", tc.at, got, tc.want)
		}
	}
	var got []time.Duration
	st := Step{At: At{Clock: true, Hour: 7, Minute: 30}, Every: Day}
	st.Occurrences(start, 3*Day, func(d time.Duration) bool { got = append(got, d); return true })
	want := []time.Duration{23*time.Hour + 30*time.Minute, 47*time.Hour + 30*time.Minute, 71*time.Hour + 30*time.Minute}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("occurrences %v, want %v", got, want)
	}
}

const minimal = "version: 1\nname: minimal\nduration: 1d\n"

func TestDefaults(t *testing.T) {
	s, err := Parse("m.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != 1 || !s.Start.Equal(DefaultStart) || s.Start.Weekday() != time.Monday {
		t.Errorf("seed %d start %v", s.Seed, s.Start)
	}
	if s.Plugin.Version != Plugin0_10 || len(s.Platform) != 1 || s.Platform[0] != PlatformAndroid {
		t.Errorf("plugin %q platform %v", s.Plugin.Version, s.Platform)
	}
	if s.Android != (Android{API: 34, StandbyBucket: BucketAuto, Doze: true, OEM: OEMAOSP, Quota: QuotaAOSP}) {
		t.Errorf("android %+v", s.Android)
	}
	if s.IOS.Version != 17 || !s.IOS.BackgroundAppRefresh || s.IOS.FetchInterval.Kind != FetchNever ||
		len(s.IOS.BackgroundModes) != 2 || s.IOS.PermittedIdentifiers == nil || s.IOS.LaunchHandlers == nil {
		t.Errorf("ios %+v", s.IOS)
	}
}

// TestIOSDefaultsFromTimeline: without permitted_identifiers the app is
// configured correctly: BGTaskScheduler registrations' uniqueNames, in
// order, once each; launch handlers default to them.
func TestIOSDefaultsFromTimeline(t *testing.T) {
	src := minimal + `platform: ios
app: { tasks: { default: {} } }
timeline:
  - { at: 1m, call: registerPeriodicTask, args: { uniqueName: b.refresh, taskName: t } }
  - { at: 2m, call: registerProcessingTask, args: { uniqueName: a.process, taskName: t } }
  - { at: 3m, call: registerOneOffTask, args: { uniqueName: c.oneoff, taskName: t } }
  - { at: 4m, call: registerPeriodicTask, args: { uniqueName: b.refresh, taskName: t } }
`
	s, err := Parse("i.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(s.IOS.PermittedIdentifiers, s.IOS.LaunchHandlers); got != "[b.refresh a.process] [b.refresh a.process]" {
		t.Errorf("got %s", got)
	}
	s, err = Parse("i.yaml", []byte(src+"ios: { permitted_identifiers: [] }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.IOS.PermittedIdentifiers == nil || len(s.IOS.PermittedIdentifiers) != 0 || len(s.IOS.LaunchHandlers) != 0 {
		t.Errorf("explicit [] not kept: %+v", s.IOS)
	}
}

// TestTaskNameOnIOS: on iOS a BGTaskScheduler task delivers its uniqueName,
// so app.tasks keyed by the uniqueName defines it.
func TestTaskNameOnIOS(t *testing.T) {
	src := minimal + `platform: %s
app: { tasks: { periodic-sync: {} } }
timeline:
  - { at: 1m, call: registerPeriodicTask, args: { uniqueName: periodic-sync, taskName: fetch } }
`
	if _, err := Parse("x.yaml", []byte(fmt.Sprintf(src, "ios"))); err != nil {
		t.Errorf("ios: %v", err)
	}
	_, err := Parse("x.yaml", []byte(fmt.Sprintf(src, "android")))
	if err == nil || !strings.Contains(err.Error(), `task "fetch" is not defined`) {
		t.Errorf("android: %v", err)
	}
}

func TestAnchorsAndMerge(t *testing.T) {
	src := minimal + `app: { tasks: { sync: {} } }
x-common: &common { taskName: sync, constraints: { networkType: connected } }
`
	_, err := Parse("a.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `unknown field "x-common"`) {
		t.Fatalf("unknown top-level anchors holder must be rejected: %v", err)
	}
	src = minimal + `app: { tasks: { sync: {} } }
timeline:
  - at: 1m
    call: registerOneOffTask
    args: &common { uniqueName: a, taskName: sync, constraints: { networkType: not_required } }
  - at: 2m
    call: registerOneOffTask
    args: { <<: *common, uniqueName: b }
`
	s, err := Parse("a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := s.Timeline[1].Args
	if *a.UniqueName != "b" || *a.TaskName != "sync" || *a.Constraints.NetworkType != NetworkNotRequired {
		t.Errorf("merge: %+v", a)
	}
}

func TestLimits(t *testing.T) {
	big := make([]byte, MaxFileSize+1)
	for i := range big {
		big[i] = '#'
	}
	_, err := Parse("big.yaml", big)
	if err == nil || !strings.Contains(err.Error(), "file too large") {
		t.Errorf("big file: %v", err)
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(p, big, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "file too large") {
		t.Errorf("Load big file: %v", err)
	}
	deep := minimal + "description: " + strings.Repeat("- ", 10000) + "x\n"
	if _, err := Parse("deep.yaml", []byte(deep)); err == nil || !strings.Contains(err.Error(), "nesting too deep") {
		t.Errorf("deep block nesting: %v", err)
	}
	deep = minimal + "description:\n" + func() string {
		var b strings.Builder
		for i := 0; i < 200; i++ {
			b.WriteString(strings.Repeat(" ", i+1) + "k:\n")
		}
		return b.String()
	}()
	if _, err := Parse("deep.yaml", []byte(deep)); err == nil || !strings.Contains(err.Error(), "nesting too deep") {
		t.Errorf("deep mapping nesting: %v", err)
	}
	if _, err := Parse("self.yaml", []byte(minimal+"description: &a [*a]\n")); err == nil {
		t.Errorf("self-referencing alias accepted")
	}
	if _, err := Parse("bin.yaml", []byte{0xff, 0xfe, 'a'}); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("binary: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestTooManyErrors: a file with thousands of errors reports a bounded
// number and says so.
func TestTooManyErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString(minimal + "timeline:\n")
	for i := 0; i < 1000; i++ {
		b.WriteString("  - { at: 1m, app: nope }\n")
	}
	_, err := Parse("many.yaml", []byte(b.String()))
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatal(err)
	}
	if n := len(le.Diagnostics); n != MaxDiagnostics+1 || !strings.Contains(le.Diagnostics[n-1].Message, "too many errors") {
		t.Errorf("%d diagnostics, last %+v", n, le.Diagnostics[len(le.Diagnostics)-1])
	}
}

func TestInputDataTypes(t *testing.T) {
	src := minimal + `app: { tasks: { sync: {} } }
timeline:
  - at: 1m
    call: registerOneOffTask
    args:
      uniqueName: a
      taskName: sync
      inputData:
        z: 1
        a: "1"
        big: 9223372036854775807
        neg: -3
        f: 1.0
        t: true
        n: null
        s: !!str 42
        list: [1, two, 3.5]
        map: { inner: [true] }
        hex: 0x1F
`
	s, err := Parse("d.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Timeline[0].Args.InputData
	if got := strings.Join(m.Keys(), ","); got != "z,a,big,neg,f,t,n,s,list,map,hex" {
		t.Errorf("keys out of order: %s", got)
	}
	want := map[string]any{"z": int64(1), "a": "1", "big": int64(math.MaxInt64), "neg": int64(-3), "f": 1.0,
		"t": true, "n": nil, "s": "42", "hex": int64(31)}
	for k, v := range want {
		if got, _ := m.Get(k); got != v {
			t.Errorf("%s = %#v, want %#v", k, got, v)
		}
	}
	if got := fmt.Sprintf("%#v", m.Data()["list"]); got != `[]interface {}{1, "two", 3.5}` {
		t.Errorf("list %s", got)
	}
	if got := fmt.Sprint(m.Data()["map"]); got != "map[inner:[true]]" {
		t.Errorf("map %s", got)
	}
}

func ExampleParse() {
	src := []byte(`version: 1
name: nightly-cleanup
duration: 2d
app:
  tasks:
    cleanupCache: { duration: 2s..10s, result: [retry, success] }
timeline:
  - at: 0s
    call: initialize
  - at: "22:00"
    every: 1d
    call: registerOneOffTask
    args: { uniqueName: cleanup, taskName: cleanupCache, existingWorkPolicy: replace }
`)
	s, err := Parse("nightly.yaml", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	st := s.Timeline[1]
	fmt.Println(s.Name, FormatDuration(s.Duration), s.Platform)
	fmt.Println(st.Action(), st.Call, *st.Args.TaskName, *st.Args.ExistingWorkPolicy)
	st.Occurrences(s.Start, s.Duration, func(d time.Duration) bool {
		fmt.Println("at +" + FormatDuration(d))
		return true
	})
	task, _ := s.App.Tasks.Lookup("cleanupCache")
	fmt.Println(task.Duration.Min, task.Duration.Max, task.ResultFor(0), task.ResultFor(5))
	// Output:
	// nightly-cleanup 2d [android]
	// call registerOneOffTask cleanupCache replace
	// at +14h
	// at +1d14h
	// 2s 10s retry success
}

func ExampleLoadError() {
	_, err := Parse("typo.yaml", []byte("version: 1\nname: typo\nduration: 1d\nplatfrom: ios\n"))
	var le *LoadError
	if errors.As(err, &le) {
		for _, d := range le.Diagnostics {
			fmt.Printf("%d:%d %s: %s\n", d.Line, d.Column, d.Path, d.Message)
		}
	}
	fmt.Println(err)
	// Output:
	// 4:1 platfrom: unknown field "platfrom" (did you mean "platform"?)
	// typo.yaml:4:1: platfrom: unknown field "platfrom" (did you mean "platform"?); valid fields: version, name, description, seed, start, duration, platform, plugin, android, ios, device, app, timeline, expect
	//   3 | duration: 1d
	// > 4 | platfrom: ios
	//     | ^
}
