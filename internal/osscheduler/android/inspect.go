package android

import "time"

// Spec is a read-only view of a stored WorkSpec: what tools such as the
// scenario runner's invariant checks need to know about a piece of work.
type Spec struct {
	ID, UniqueName, TaskName string
	Periodic                 bool
	Interval, Flex           time.Duration // after WorkManager's clamps
	InitialDelay             time.Duration
	Constraints              Constraints
	Expedited                bool
}

func (w *workSpec) spec() Spec {
	return Spec{ID: w.id, UniqueName: w.name, TaskName: w.task, Periodic: w.periodic(),
		Interval: w.interval, Flex: w.flex, InitialDelay: w.initialDelay,
		Constraints: w.constraints, Expedited: w.expedited}
}

// Spec returns the WorkSpec with the given id.
func (m *Model) Spec(id string) (Spec, bool) {
	if w, ok := m.byID[id]; ok {
		return w.spec(), true
	}
	return Spec{}, false
}

// SpecByName returns the newest live WorkSpec enqueued under a unique name.
func (m *Model) SpecByName(name string) (Spec, bool) {
	ws := m.byName[name]
	for i := len(ws) - 1; i >= 0; i-- {
		if !ws[i].deleted {
			return ws[i].spec(), true
		}
	}
	return Spec{}, false
}
