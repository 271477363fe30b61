package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"howett.net/plist"
)

func TestNativeRegistrationsSwiftAndObjC(t *testing.T) {
	swift := `
// WorkmanagerPlugin.registerBGProcessingTask(withIdentifier: "commented")
/* BGTaskScheduler.shared.register(forTaskWithIdentifier: "block", using: nil) */
WorkmanagerPlugin.registerPeriodicTask(withIdentifier: "dev.a.refresh", frequency: NSNumber(value: 20 * 60))
WorkmanagerPlugin.registerBGProcessingTask(withIdentifier: "dev.a.process")
BGTaskScheduler.shared.register(forTaskWithIdentifier: "dev.a.raw", using: nil) { task in }
UIApplication.shared.setMinimumBackgroundFetchInterval(TimeInterval(60 * 15))
let s = "registerBGProcessingTask(withIdentifier: \"in.a.string\")"
`
	got := nativeRegistrations(tokenize([]byte(swift)), "AppDelegate.swift")
	require.Len(t, got, 4)
	assert.Equal(t, "registerPeriodicTask", got[0].Call)
	assert.Equal(t, "dev.a.refresh", got[0].Identifier)
	require.NotNil(t, got[0].FrequencyS)
	assert.Equal(t, 1200.0, *got[0].FrequencyS)
	assert.Equal(t, 4, got[0].Line)
	assert.Equal(t, 19, got[0].Column)
	assert.Equal(t, NativeRegistration{Call: "registerBGProcessingTask", Identifier: "dev.a.process", File: "AppDelegate.swift", Line: 5, Column: 19}, got[1])
	assert.Equal(t, "BGTaskScheduler.register", got[2].Call)
	assert.Equal(t, "dev.a.raw", got[2].Identifier)
	assert.Equal(t, "setMinimumBackgroundFetchInterval", got[3].Call)
	assert.Equal(t, "900", got[3].Interval)

	objc := `[WorkmanagerPlugin registerPeriodicTaskWithIdentifier:@"dev.b.refresh" frequency:@(3600)];
[[BGTaskScheduler sharedScheduler] registerForTaskWithIdentifier:@"dev.b.raw" usingQueue:nil launchHandler:^(BGTask *task) {}];
[[UIApplication sharedApplication] setMinimumBackgroundFetchInterval:UIApplicationBackgroundFetchIntervalNever];`
	got = nativeRegistrations(tokenize([]byte(objc)), "AppDelegate.m")
	require.Len(t, got, 3)
	assert.Equal(t, "dev.b.refresh", got[0].Identifier)
	assert.Equal(t, 3600.0, *got[0].FrequencyS)
	assert.Equal(t, "BGTaskScheduler.register", got[1].Call)
	assert.Equal(t, "never", got[2].Interval)
}

func TestBinaryInfoPlist(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pubspec.yaml"), []byte("name: bin\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ios", "Runner"), 0o755))
	raw, err := plist.Marshal(map[string]any{
		"BGTaskSchedulerPermittedIdentifiers": []string{"dev.bin.sync"},
		"UIBackgroundModes":                   []string{"fetch"},
	}, plist.BinaryFormat)
	require.NoError(t, err)
	require.Equal(t, "bplist00", string(raw[:8]))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ios", "Runner", "Info.plist"), raw, 0o644))
	rep, err := Scan(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"dev.bin.sync"}, rep.IOS.PermittedIdentifiers)
	assert.Equal(t, []string{"fetch"}, rep.IOS.BackgroundModes)
	assert.Equal(t, "none", rep.Plugin.Source)
}

func TestPluginProfile(t *testing.T) {
	for v, want := range map[string]string{
		"": "0.10", "^0.10.7": "0.10", "0.8.0": "0.10", "0.7.0": "0.5", "^0.5.2": "0.5",
		"0.2.3": "0.5", ">=0.9.0 <1.0.0": "0.10", "any": "0.10",
	} {
		assert.Equal(t, want, pluginProfile(v), v)
	}
}

func TestPubspecGitSource(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pubspec.yaml"), []byte(
		"name: g\ndependencies:\n  workmanager:\n    git:\n      url: https://example.invalid/flutter_workmanager.git\n      path: workmanager\n"), 0o644))
	rep, err := Scan(dir)
	require.NoError(t, err)
	assert.Equal(t, PluginInfo{Source: "git", Profile: "0.10"}, rep.Plugin)
}

func TestUnreadableInputsAreFindings(t *testing.T) {
	if !parserAvailable {
		t.Skip("without the parser, Dart files are reported once as parser-unavailable")
	}
	dir := t.TempDir()
	write := func(rel, s string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, rel), []byte(s), 0o644))
	}
	write("pubspec.yaml", "name: u\n")
	write("pubspec.lock", "packages: [unclosed\n")
	write("ios/Runner/Info.plist", "<plist><dict><key>x</key>")
	write("android/app/src/main/AndroidManifest.xml", "<manifest><application>")
	big := make([]byte, MaxDartFileSize+1)
	for i := range big {
		big[i] = '\n'
	}
	write("lib/huge.dart", string(big))
	rep, err := Scan(dir)
	require.NoError(t, err)
	rules := map[string]string{}
	for _, f := range rep.Findings {
		assert.Equal(t, SeverityInfo, f.Severity)
		rules[f.File] = f.Rule
	}
	assert.Equal(t, map[string]string{
		"pubspec.lock": "unreadable-file", "ios/Runner/Info.plist": "unreadable-file",
		"android/app/src/main/AndroidManifest.xml": "unreadable-file", "lib/huge.dart": "file-too-large",
	}, rules)
}
