package plugin

import (
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// ProgressListener receives onProgressUpdate(uniqueName, progress) on the
// app's side (Workmanager().setProgressListener).
type ProgressListener func(uniqueName string, progress osscheduler.Data)

// SetProgressListener is Workmanager().setProgressListener (Android only; a
// no-op elsewhere): nil clears it. Updates reach the listener while the app
// process is alive (ProgressUpdateCoordinator forwards them on the app's
// messenger).
func (p *Plugin) SetProgressListener(fn ProgressListener) error {
	if err := p.dartHas("setProgressListener", "progress", p.caps.Progress); err != nil {
		return err
	}
	if !p.native.progress() {
		return nil
	}
	p.progress = fn
	p.accepted("setProgressListener", "progress", "progress listener "+map[bool]string{true: "set", false: "cleared"}[fn != nil], sim.Bool("enabled", fn != nil))
	return nil
}

// ReportProgress is Workmanager().reportProgress(progress) called from the
// running task (Android only; a no-op elsewhere). The map is stored with the
// input-data encoding (WorkmanagerPlugin.kt reportProgress →
// BackgroundWorker.reportProgress → setProgressAsync(encodeProgressData)),
// and forwarded to the app's listener.
func (c *TaskContext) ReportProgress(progress osscheduler.Data) error {
	p := c.p
	if p == nil {
		return nil
	}
	if !p.caps.Progress {
		return &UnsupportedError{Message: "reportProgress does not exist in workmanager " + p.rel.Version}
	}
	if !p.native.progress() || c.stopped {
		return nil
	}
	in, err := normalizeInput(progress)
	if err != nil {
		return err
	}
	d := newAndroidData()
	for _, k := range sortedKeys(in) {
		if err := d.putPayload(k, in[k]); err != nil {
			return kotlinError("IllegalArgumentException", err.Error())
		}
	}
	if err := d.check(); err != nil {
		be := err.(*buildError)
		return kotlinError(be.class, be.msg)
	}
	unique := c.x.UniqueName
	p.emit(event.Progress, unique, "setProgressAsync", sim.Int("data_bytes", int64(d.size)))
	if p.progress != nil && alive(p.dev.State().App) {
		p.progress(unique, deliverData(decodeAndroidPayload(d.values)))
	}
	return nil
}
