package wire

import (
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/plugin"
)

// Protocol is the channel protocol a call arrived on.
type Protocol string

// Protocols.
const (
	Pigeon Protocol = "pigeon"
	Legacy Protocol = "legacy"
)

// Method names a plugin call. The values are the Pigeon WorkmanagerHostApi
// method names (workmanager_api.dart); legacy calls are mapped onto them
// (cancelTaskByUniqueName → cancelByUniqueName, cancelAllTasks → cancelAll).
type Method string

// Host API methods (Dart → native).
const (
	MethodInitialize                      Method = "initialize"
	MethodRegisterOneOffTask              Method = "registerOneOffTask"
	MethodRegisterPeriodicTask            Method = "registerPeriodicTask"
	MethodRegisterProcessingTask          Method = "registerProcessingTask"
	MethodRegisterHealthResearchTask      Method = "registerHealthResearchTask"
	MethodRegisterContinuedProcessingTask Method = "registerContinuedProcessingTask"
	MethodCancelByUniqueName              Method = "cancelByUniqueName"
	MethodCancelByTag                     Method = "cancelByTag"
	MethodCancelAll                       Method = "cancelAll"
	MethodIsScheduledByUniqueName         Method = "isScheduledByUniqueName"
	MethodPrintScheduledTasks             Method = "printScheduledTasks"
	MethodGetWorkInfoByUniqueName         Method = "getWorkInfoByUniqueName"
	MethodReportProgress                  Method = "reportProgress"
	MethodSetProgressListener             Method = "setProgressListener"
	// MethodNotifyBackgroundChannelInitialized is the background isolate's
	// ready handshake, sent before the host sends executeTask (workmanager
	// 0.10.10, #738).
	MethodNotifyBackgroundChannelInitialized Method = "notifyBackgroundChannelInitialized"
	// MethodBackgroundChannelInitialized is the legacy background channel's
	// Dart → native handshake (0.5 BackgroundWorker).
	MethodBackgroundChannelInitialized Method = "backgroundChannelInitialized"
)

// HostMethods lists the Pigeon host methods in declaration order.
var HostMethods = []Method{
	MethodInitialize, MethodRegisterOneOffTask, MethodRegisterPeriodicTask,
	MethodRegisterProcessingTask, MethodRegisterHealthResearchTask,
	MethodRegisterContinuedProcessingTask, MethodCancelByUniqueName,
	MethodCancelByTag, MethodCancelAll, MethodIsScheduledByUniqueName,
	MethodPrintScheduledTasks, MethodGetWorkInfoByUniqueName,
	MethodReportProgress, MethodSetProgressListener, MethodNotifyBackgroundChannelInitialized,
}

// Call is one decoded plugin call. Exactly the fields its Method uses are set.
type Call struct {
	Method   Method
	Protocol Protocol
	Channel  string // the channel it arrived on
	// WireMethod is the method name as sent on a legacy channel
	// (e.g. "cancelTaskByUniqueName"); for Pigeon it equals Method.
	WireMethod string

	// initialize
	CallbackHandle int64
	// IsInDebugMode is the legacy initialize/register flag (Pigeon dropped it).
	IsInDebugMode bool

	// Register calls, cancelByUniqueName, isScheduledByUniqueName,
	// getWorkInfoByUniqueName use UniqueName; register calls use TaskName.
	UniqueName string
	TaskName   string
	// Tag is cancelByTag's argument.
	Tag string

	OneOff   *plugin.OneOffOptions
	Periodic *plugin.PeriodicOptions
	// Processing holds registerProcessingTask's and
	// registerHealthResearchTask's options (the same request shape).
	Processing          *plugin.ProcessingOptions
	ContinuedProcessing *plugin.ContinuedProcessingOptions

	// Progress is reportProgress's map (nil = Dart null).
	Progress osscheduler.Data
	// Enabled is setProgressListener's argument.
	Enabled bool

	// InputDataJSON is set when inputData arrived as legacy JSON text; the
	// decoded map is in the options' InputData.
	InputDataJSON *string
	// LegacyPeriodicOutOfQuota is the outOfQuotaPolicy a legacy
	// registerPeriodicTask sent; PeriodicOptions has no such field (0.10
	// dropped it), but the 0.5 Android side read it for both task kinds.
	LegacyPeriodicOutOfQuota *plugin.OutOfQuotaPolicy

	// Warnings are things the real plugin silently tolerates but a user
	// should see: an enum value the host does not know (it falls back to
	// its default), extra class fields, null keys dropped from inputData.
	Warnings []string
}

// InputData returns the call's input data, whichever options carry it.
func (c *Call) InputData() osscheduler.Data {
	switch {
	case c.OneOff != nil:
		return c.OneOff.InputData
	case c.Periodic != nil:
		return c.Periodic.InputData
	case c.Processing != nil:
		return c.Processing.InputData
	case c.ContinuedProcessing != nil:
		return c.ContinuedProcessing.InputData
	}
	return nil
}

func (c *Call) warnf(format string, args ...any) {
	c.Warnings = append(c.Warnings, sprintf(format, args...))
}

// Decode decodes bytes received on any plugin channel: a Pigeon host-API
// message, or a StandardMethodCodec call on a legacy channel.
func Decode(channel string, msg []byte) (*Call, error) {
	if IsLegacyChannel(channel) {
		return DecodeLegacyBytes(channel, msg)
	}
	return DecodePigeon(channel, msg)
}
