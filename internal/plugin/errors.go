package plugin

import "fmt"

// PlatformError is a PlatformException as Dart sees it: the error reply of a
// platform channel, [code, message, details].
type PlatformError struct {
	Code    string
	Message string
	Details string
}

func (e *PlatformError) Error() string {
	return fmt.Sprintf("PlatformException(%s, %s, %s, null)", e.Code, e.Message, e.Details)
}

// UnsupportedError is Dart's UnsupportedError, thrown by the platform
// implementation before anything reaches the channel (workmanager_android.dart,
// workmanager_apple.dart).
type UnsupportedError struct {
	Message string
}

func (e *UnsupportedError) Error() string { return "Unsupported operation: " + e.Message }

// DartError is any other exception the Dart side throws before the channel:
// 0.5's input-data check (Exception), a value the message codec cannot encode
// (ArgumentError), a dispatcher that is not a top-level function (TypeError).
type DartError struct {
	Type    string // Exception, ArgumentError, TypeError
	Message string
}

func (e *DartError) Error() string { return e.Type + ": " + e.Message }

// CrashError is returned when the call crashed the app: Dart never sees a
// reply because its process is gone (e.g. BGTaskScheduler raising
// NSInternalInconsistencyException).
type CrashError struct {
	Message string
}

func (e *CrashError) Error() string { return "app crashed: " + e.Message }

// Stable error codes recorded in the journal (SCENARIO-FORMAT.md, result
// document).
const (
	CodeNotInitialized   = "not_initialized"
	CodeNotPermitted     = "not_permitted"
	CodeUnavailable      = "unavailable"
	CodeTooManyPending   = "too_many_pending_requests"
	CodeUnsupported      = "unsupported"
	CodeInvalidInputData = "invalid_input_data"
	CodeInvalidArgument  = "invalid_argument"
	CodeIllegalState     = "illegal_state"
	CodeCrash            = "crash"
	CodeOSTooOld         = "os_too_old"
	CodeUnhandledMethod  = "unhandled_method"
	CodeChannelError     = "channel_error"
)

// Messages of the plugin, quoted from its sources.
const (
	// WorkmanagerPlugin.kt INIT_REQUIRED (0.10).
	msgInitRequired = "You have not properly initialized the Flutter WorkManager Package. " +
		"You should ensure you have called the 'initialize' function first!"
	// WorkmanagerPlugin.swift createInitializationError (0.10), and
	// WorkmanagerCallHandler.kt / SwiftWorkmanagerPlugin.swift (0.5.1).
	msgInitRequiredWithExample = "You have not properly initialized the Flutter WorkManager Package. " +
		"You should ensure you have called the 'initialize' function first! " +
		"Example: \n" +
		"\n" +
		"`Workmanager().initialize(\n" +
		"  callbackDispatcher,\n" +
		" )`" +
		"\n" +
		"\n" +
		"The `callbackDispatcher` is a top level function. See example in repository."
	// workmanager 0.5.1 lib/src/workmanager.dart toRegisterMethodArgument.
	msgWrongType05 = "argument %s has wrong type. WorkManager supports only int, bool, double, String and their list"
	// InputDataUtils.kt putPayloadValue.
	msgUnsupportedPayload = "Unsupported payload type for key '%s': %s. Consider converting it to a supported type."
	// androidx.work.Data toByteArrayInternalV1.
	msgDataTooLarge = "Data cannot occupy more than 10240 bytes when serialized"
	// Kotlin wrapError details; we have no stack trace to show.
	kotlinDetails = "Cause: null, Stacktrace: (not simulated)"
)

// kotlinError is what WorkmanagerApi.g.kt wrapError replies for a Kotlin
// exception: [simpleName, toString(), "Cause: …, Stacktrace: …"].
func kotlinError(class, message string) *PlatformError {
	return &PlatformError{Code: class, Message: javaClassName(class) + ": " + message, Details: kotlinDetails}
}

func javaClassName(simple string) string {
	switch simple {
	case "Exception", "IllegalStateException", "IllegalArgumentException", "UnsupportedOperationException":
		return "java.lang." + simple
	}
	return simple
}
