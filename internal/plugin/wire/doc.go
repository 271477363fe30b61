// Package wire is the workmanager plugin's platform-channel protocol.
//
// It decodes the channel traffic into plugin calls, and encodes the replies
// and native→Dart messages.
//
// Two protocols exist:
//
//   - Pigeon (workmanager 0.9+): one BasicMessageChannel per method, named
//     "dev.flutter.pigeon.workmanager_platform_interface.WorkmanagerHostApi.<method>".
//     A message is the argument list encoded with StandardMessageCodec plus
//     the Pigeon custom types of workmanager_api.g.dart: enums 129–136 (an int
//     index follows) and classes 137–147 (a positional list of fields
//     follows). A reply is [], [value] or [code, message, details]; an empty
//     (null) reply makes the Dart side raise "channel-error".
//   - The legacy MethodChannel (≤0.7): StandardMethodCodec calls on
//     "be.tramckrijte.workmanager/foreground_channel_work_manager" (0.8
//     renamed the prefix to "dev.fluttercommunity.workmanager/"), with
//     argument maps of fixed keys, enums as their Dart names and inputData as
//     a JSON string.
//
// Both decode to a *Call whose option payloads are the Dart-facing types of
// package plugin, so captured traffic replays through the same API as Go
// calls. Package plugin never imports wire; the scenario runner dispatches
// Calls.
//
// Decoding never panics. A malformed message yields an *Error that carries
// the byte offset (when the fault is in the bytes), the field, and the
// platform error the real plugin would have answered.
package wire
