package plugin

import (
	"fmt"
	"time"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// debugStatus is WorkmanagerDebug.onTaskStatusUpdate with the installed
// handler (0.10): LoggingDebugHandler logs under tag WorkmanagerDebug,
// NotificationDebugHandler posts to channel WorkmanagerDebugChannelId. Both
// become trace events (source "plugin.debug").
func (p *Plugin) debugStatus(task, unique, status, errMsg string, took time.Duration) {
	if !p.caps.DebugHandlers || p.cfg.Debug == DebugNone || !p.eng.Tracing() {
		return
	}
	secs := int64(took / time.Second)
	switch p.cfg.Debug {
	case DebugLogging:
		var line string
		switch status {
		case "scheduled":
			line = "Task scheduled: " + task
		case "started":
			line = fmt.Sprintf("Task started: %s, callbackHandle: %d", task, p.storedHandle())
		case "completed":
			line = fmt.Sprintf("Task completed: %s, success: true, duration: %dms", task, took.Milliseconds())
		case "failed":
			if errMsg == "" {
				errMsg = "Unknown error"
			}
			line = fmt.Sprintf("Task failed: %s, error: %s", task, errMsg)
		case "cancelled":
			line = "Task cancelled: " + task
		case "retrying":
			line = "Task retrying: " + task
		case "rescheduled":
			line = "Task rescheduled: " + task
		}
		p.eng.Emit(event.SourcePluginDebug, event.Log, subjectOr(unique, task), line, sim.String("tag", "WorkmanagerDebug"), sim.String("status", status))
	case DebugNotification:
		var title, body string
		switch status {
		case "scheduled":
			title, body = "📅 Scheduled", task
		case "started":
			title, body = "▶️ Started", task
		case "retrying":
			title, body = "🔄 Retrying", task
		case "rescheduled":
			title, body = "🔄 Rescheduled", task
		case "completed":
			title, body = fmt.Sprintf("✅ Success %ds", secs), task
		case "failed":
			if errMsg == "" {
				errMsg = "Unknown"
			}
			title, body = fmt.Sprintf("❌ Failed %ds", secs), task+"\n"+errMsg
		case "cancelled":
			title, body = "⏹️ Cancelled", task
		}
		p.eng.Emit(event.SourcePluginDebug, event.Notification, subjectOr(unique, task), title+" — "+body,
			sim.String("channel", "WorkmanagerDebugChannelId"), sim.String("title", title), sim.String("body", body), sim.String("status", status))
	}
}

// debugException is WorkmanagerDebug.onExceptionEncountered.
func (p *Plugin) debugException(task, msg string) {
	if !p.caps.DebugHandlers || p.cfg.Debug == DebugNone || !p.eng.Tracing() {
		return
	}
	if task == "" {
		task = "unknown"
	}
	if p.cfg.Debug == DebugLogging {
		p.eng.Emit(event.SourcePluginDebug, event.Log, task, "Exception in task: "+task+": "+msg, sim.String("tag", "WorkmanagerDebug"))
		return
	}
	p.eng.Emit(event.SourcePluginDebug, event.Notification, task, "❌ Exception — "+task+"\n"+msg, sim.String("channel", "WorkmanagerDebugChannelId"))
}

// debugNotify05 is 0.5's isInDebugMode notification (0.5.1 DebugHelper.kt,
// DebugNotificationHelper.swift).
func (p *Plugin) debugNotify05(r *run, body string) {
	if !p.eng.Tracing() {
		return
	}
	p.eng.Emit(event.SourcePluginDebug, event.Notification, subjectOr(r.unique, r.task), body,
		sim.String("channel", "WorkmanagerDebugChannelId"), sim.Int("run", int64(r.x.ID)))
}

func subjectOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

var _ osscheduler.Executor = (*Plugin)(nil)
