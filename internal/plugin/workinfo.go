package plugin

import (
	"time"
)

// workInfoRecord is WorkInfoStore's PersistedWorkInfo (WorkInfoStore.swift),
// kept in the plugin's UserDefaults suite.
type workInfoRecord struct {
	State          string // scheduled, running, succeeded, failed, cancelled
	IsPeriodic     bool
	TaskName       string
	HasTaskName    bool
	LastFinishedAt time.Time // valid when Finished
	Finished       bool
	UpdatedAt      time.Time
	Seq            uint64 // orders updates made at the same instant
}

// workInfos is a copy of the stored records.
func (p *Plugin) workInfos() map[string]workInfoRecord {
	m := p.workInfoMap()
	if m == nil {
		return nil
	}
	out := make(map[string]workInfoRecord, len(m))
	for k, r := range m {
		out[k] = *r
	}
	return out
}

// workInfoMap is the stored records themselves (nil when none were stored):
// the plugin reads them in place and updates them in place before
// saveWorkInfos, as only it holds the map. Records are held by pointer, so
// that an update writes the record without storing it in the map again.
func (p *Plugin) workInfoMap() map[string]*workInfoRecord {
	if p.udWorkInfosRef == nil {
		p.udWorkInfosRef = p.userDefaults().Ref(udWorkInfos)
	}
	if v, ok := p.udWorkInfosRef.Get(); ok {
		if m, ok := v.(map[string]*workInfoRecord); ok {
			return m
		}
	}
	return nil
}

// workInfoMapForUpdate is workInfoMap, made when none is stored yet.
func (p *Plugin) workInfoMapForUpdate() map[string]*workInfoRecord {
	if m := p.workInfoMap(); m != nil {
		return m
	}
	return map[string]*workInfoRecord{}
}

func (p *Plugin) saveWorkInfos(m map[string]*workInfoRecord) {
	p.userDefaults().Set(udWorkInfos, m)
}

// iosStatus is WorkmanagerDebug.onTaskStatusUpdate on iOS: the debug handler,
// then WorkInfoStore.record. unique "" is a nil uniqueName.
func (p *Plugin) iosStatus(task, unique string, _ bool, status string, periodic bool, errMsg string, took time.Duration) {
	p.debugStatus(task, unique, status, errMsg, took)
	p.workInfoRecord(task, unique, false, status, periodic)
}

// workInfoRecord is WorkInfoStore.record.
func (p *Plugin) workInfoRecord(task, unique string, _ bool, status string, periodic bool) {
	if !p.caps.IOSWorkInfoStore {
		return
	}
	m := p.workInfoMap()
	stored := m != nil // updated in place: storing it again would change nothing
	if !stored {
		m = map[string]*workInfoRecord{}
	}
	if unique == "" {
		unique = resolveUniqueName(m, task)
		if unique == "" {
			return // no record with that taskName: the update is dropped
		}
	}
	now := p.eng.Now()
	slot := m[unique]
	had := slot != nil
	var existing workInfoRecord
	if had {
		existing = *slot
	}
	rec := workInfoRecord{LastFinishedAt: existing.LastFinishedAt, Finished: existing.Finished}
	switch status {
	case "scheduled":
		rec.State = "scheduled"
	case "started":
		rec.State = "running"
	case "completed":
		rec.State, rec.LastFinishedAt, rec.Finished = "succeeded", now, true
	case "failed":
		rec.State, rec.LastFinishedAt, rec.Finished = "failed", now, true
	case "cancelled":
		rec.State, rec.LastFinishedAt, rec.Finished = "cancelled", now, true
	default: // retrying, rescheduled: expected to run again
		rec.State, rec.LastFinishedAt, rec.Finished = "scheduled", now, true
	}
	// Only registration carries the user-facing taskName.
	if status == "scheduled" || !had || !existing.HasTaskName {
		rec.TaskName, rec.HasTaskName = task, true
	} else {
		rec.TaskName, rec.HasTaskName = existing.TaskName, existing.HasTaskName
	}
	rec.IsPeriodic = periodic
	p.workInfoSeq++
	rec.UpdatedAt, rec.Seq = now, p.workInfoSeq
	if had {
		*slot = rec
	} else {
		slot = new(workInfoRecord) // only a new record is allocated: rec stays on the stack
		*slot = rec
		m[unique] = slot
	}
	if !stored {
		p.saveWorkInfos(m)
	}
}

// resolveUniqueName: the newest record with the same taskName.
func resolveUniqueName(m map[string]*workInfoRecord, task string) string {
	best := ""
	var bestRec workInfoRecord
	for _, k := range sortedKeys(m) {
		r := *m[k]
		if !r.HasTaskName || r.TaskName != task {
			continue
		}
		if best == "" || r.UpdatedAt.After(bestRec.UpdatedAt) || (r.UpdatedAt.Equal(bestRec.UpdatedAt) && r.Seq > bestRec.Seq) {
			best, bestRec = k, r
		}
	}
	return best
}

// workInfoTaskName is the registered taskName of an identifier, for reports.
func (p *Plugin) workInfoTaskName(unique string) string {
	if r := p.workInfoMap()[unique]; r != nil {
		return r.TaskName
	}
	return ""
}

func (p *Plugin) workInfoMarkCancelled(unique string) {
	m := p.workInfoMap()
	rec := m[unique]
	if rec == nil {
		return
	}
	now := p.eng.Now()
	p.workInfoSeq++
	rec.State, rec.LastFinishedAt, rec.Finished, rec.UpdatedAt, rec.Seq = "cancelled", now, true, now, p.workInfoSeq
	p.saveWorkInfos(m)
}

func (p *Plugin) workInfoMarkAllCancelled() {
	m := p.workInfoMapForUpdate()
	now := p.eng.Now()
	for _, k := range sortedKeys(m) {
		rec := m[k]
		p.workInfoSeq++
		rec.State, rec.LastFinishedAt, rec.Finished, rec.UpdatedAt, rec.Seq = "cancelled", now, true, now, p.workInfoSeq
	}
	p.saveWorkInfos(m)
}

// iosWorkInfo is WorkInfoStore.workInfoData: tags always empty (nil on the
// wire, [] in Dart).
func (p *Plugin) iosWorkInfo(unique string) *WorkInfo {
	rec := p.workInfoMap()[unique]
	if rec == nil {
		return nil
	}
	wi := &WorkInfo{UniqueName: unique, IsPeriodic: rec.IsPeriodic, TaskName: rec.TaskName, Tags: []string{}}
	switch rec.State {
	case "running":
		wi.State = WorkRunning
	case "succeeded":
		wi.State = WorkSucceeded
	case "failed":
		wi.State = WorkFailed
	case "cancelled":
		wi.State = WorkCancelled
	default:
		wi.State = WorkScheduled
	}
	if rec.Finished {
		t := rec.LastFinishedAt
		wi.LastFinishedAt = &t
	}
	return wi
}
