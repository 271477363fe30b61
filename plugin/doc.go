// Package plugin is the Flutter workmanager plugin's core, ported to Go: the
// Dart-facing API (one method per Dart method, options mirroring the named
// parameters and their defaults), the dispatcher contract, and the native
// Android and iOS sides that turn calls into requests to the OS models of
// package osscheduler. Sub-packages hold the wire formats: Flutter's
// StandardMessageCodec, the Pigeon messages and the legacy MethodChannel maps.
package plugin
