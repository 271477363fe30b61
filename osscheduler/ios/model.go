package ios

import (
	"time"

	"github.com/wmsim/wmsim/device"
	"github.com/wmsim/wmsim/osscheduler"
	"github.com/wmsim/wmsim/sim"
)

// Model is the iOS background scheduler as one app sees it.
type Model struct {
	eng  *sim.Engine
	dev  *device.Device
	cfg  Config
	exec osscheduler.Executor
	j    *osscheduler.Journal
}

// New builds the model for one app on dev.
func New(eng *sim.Engine, dev *device.Device, cfg Config, exec osscheduler.Executor, j *osscheduler.Journal) *Model {
	return &Model{eng: eng, dev: dev, cfg: cfg, exec: exec, j: j}
}

// Register is BGTaskScheduler.register(forTaskWithIdentifier:) called after launch.
func (m *Model) Register(identifier string) (ok bool, err error) { return false, nil }

// Submit is BGTaskScheduler.submit(_:).
func (m *Model) Submit(req TaskRequest) error { return nil }

// Cancel is BGTaskScheduler.cancel(taskRequestWithIdentifier:).
func (m *Model) Cancel(identifier string) {}

// CancelAll is BGTaskScheduler.cancelAllTaskRequests().
func (m *Model) CancelAll() {}

// Pending is getPendingTaskRequests, sorted by identifier.
func (m *Model) Pending() []TaskRequest { return nil }

// SetMinimumBackgroundFetchInterval is UIApplication.setMinimumBackgroundFetchInterval(_:).
func (m *Model) SetMinimumBackgroundFetchInterval(d time.Duration) {}

// RunInProcess runs one-off work in the live process.
func (m *Model) RunInProcess(uniqueName, taskName string, input osscheduler.Data) {}

// SetBackgroundAppRefresh flips the Settings switch.
func (m *Model) SetBackgroundAppRefresh(on bool) {}

// Tasks lists every request ever submitted or run.
func (m *Model) Tasks() []osscheduler.TaskInfo { return nil }
