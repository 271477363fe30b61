package ios

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/wmsim/wmsim/internal/device"
	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/osscheduler"
	"github.com/wmsim/wmsim/internal/sim"
)

// Trace sources.
const (
	SourceScheduler = event.SourceIOSBGTaskScheduler // the app's calls: register, submit, cancel
	SourceDASD      = event.SourceIOSDASD            // the system's gates and heuristics, launches
	SourceFetch     = event.SourceIOSFetch           // legacy background fetch
	SourceApp       = event.SourceIOSApp             // in-process work (beginBackgroundTask)
)

type pendingReq struct {
	req       TaskRequest
	submitted time.Time
}

type run struct {
	x         *osscheduler.Execution // &exec once started
	exec      osscheduler.Execution  // bound to the run: no closure, one allocation per run
	m         *Model
	subject   string
	source    event.Source
	kind      osscheduler.Kind
	budget    time.Duration
	timer     sim.Timer
	inProcess bool
	simulated bool // started by _simulateLaunchForTaskWithIdentifier
	network   bool // processing that requires network
	bgLaunch  bool // a system background launch (refresh, fetch, processing)
	// rec is m.tasks[m.taskIdx[subject]] from start on: tasks are never
	// removed nor re-indexed, so the run holds its record instead of
	// looking its subject up again when it ends.
	rec *taskRec
}

// newRun is new(run) from a block allocated a few runs at a time
// (osscheduler.Blocks): a device launches thousands of background runs.
// Every run it returns is a distinct zero run, never handed out again.
func (m *Model) newRun() *run { return m.runBlock.New() }

// Finished is the run's result from the app (osscheduler.Finisher).
func (rn *run) Finished(_ *osscheduler.Execution, r osscheduler.Result) { rn.m.finished(rn, r) }

// Fire is the run's budget running out (the run is its own timer handler).
func (rn *run) Fire(*sim.Engine) { rn.m.expire(rn) }

type taskRec struct {
	key     string // the identifier (or in-process unique name)
	info    osscheduler.TaskInfo
	running int
}

// Model is the iOS background scheduler as one app sees it: dasd's
// BGTaskScheduler activities, the legacy fetch activity and in-process work,
// with the process state (launch-handler registrations) they depend on.
type Model struct {
	eng  *sim.Engine
	dev  *device.Device
	cfg  Config
	exec osscheduler.Executor
	j    *osscheduler.Journal
	prof Profile
	par  Params
	rng  *rand.Rand

	// recency caches the score's day weights 2^(−d/RecencyHalfLife) for
	// recencyHL (math.Exp2 was a fifth of an iOS device's CPU time).
	recency    [HistoryDays]float64
	recencyHL  float64
	recencyDen float64 // the weights' sum, in day order

	bar           bool
	fetchInterval time.Duration
	fetchAnchor   time.Time // the fetch window opens at fetchAnchor + interval
	fetchWeight   float64

	// pendingSorted is the identifiers of the pending requests in order,
	// the set itself (pendingOf finds one by binary search: an app has a
	// few, and a map's hashing, assignment and deletion cost more than
	// that at every resubmit), changed in place by setPending and
	// deletePending (no sort, no allocation once grown): a caller that
	// changes the set while iterating over it iterates over a copy
	// (holdPending).
	pendingSorted     []string
	pendingSortedReqs []*pendingReq // in the order of pendingSorted
	pendingRefresh    int           // refresh requests in pendingSortedReqs
	// passReqs is evaluate's and evaluateLive's copy of pendingSortedReqs
	// (holdPending); passHeld while one of them uses it.
	passReqs       []*pendingReq
	passHeld       bool
	reqBlock       osscheduler.Blocks[pendingReq] // where Submit takes its requests from (newPendingReq)
	pendingVersion uint64                         // counts changes to the set (pendingChanged)
	inputsVersion  uint64                         // counts other changes a pass reads (inputsChanged)
	quiet          quietSpan                      // what the last full pass left (quiet.go)
	quietPasses    int                            // passes not evaluated again (for tests)
	// sameMemo: within one device change, sameInputs held for the quiet
	// span at these versions (quiet.go: sameMemoHolds).
	sameMemo                bool
	memoPending, memoInputs uint64
	partialPasses           int           // passes that evaluated only live requests (for tests)
	liveBuf                 []liveReq     // planQuiet's live requests
	windows                 launchWindows // the usage score's history windows
	launchOffs              []int64       // the device's launch history as offsets, see launchOffsets
	whyBuf                  []byte        // heuristics' scratch for a run's why_then
	noRunReasons            bool          // OmitRunReasons: heuristics format no why_then
	running                 []*run
	inProcessStarting       int // RunInProcess calls whose start is still queued

	alive bool
	// Background time (lifecycle.go).
	assertions      map[string]int // beginBackgroundTask assertions by name
	backgroundSince time.Time      // when the app last left the foreground or was launched in the background
	suspendTimer    sim.Timer
	// A suspension check folded into its background-time event
	// (lifecycle.go: placeSuspendCheck): its reserved place (checkSeq at
	// checkAt, the OS phase) and the event's instant, all offsets.
	checkFolded   bool
	checkSeq      uint64
	checkAt       int64
	checkDeadline int64
	checkBy       uint64 // the sequence of the event the check was asked for in
	checkGen      uint64 // counts suspension checks asked for
	// Folded checks, and those queued after all (for tests).
	foldedChecks, unfoldedChecks int
	lpmTimer                     sim.Timer
	registered                   map[string]bool
	// handlerID is an identifier registered[handlerID] holds for, the
	// last handlerFor found ("" for none): registrations are only added
	// until clearRegistered forgets them all, and it forgets handlerID.
	handlerID string
	killed    bool // force-quit by the user; revived by the next manual launch

	bgLaunches     []time.Time           // refresh and fetch launches, for rate limits and budgets
	failures       map[string]failureRec // failure feedback by identifier (Params.FailureDeferral)
	expiries       int                   // consecutive tasks killed at their budget
	throttledUntil time.Time

	nextID uint64
	// runBlock is where launch takes its runs from: a few allocated at a
	// time (newRun).
	runBlock osscheduler.Blocks[run]
	tick     sim.Timer
	tickAt   int64 // the tick's instant, an offset from the start
	// Skipped quiet ticks (quiet.go): those from skipFrom on, each with
	// skipDraws draws, while skipping.
	skipping  bool
	skipFrom  int64
	skipDraws int
	// A quiet immediate pass not queued (quiet.go: settleVirtual): its
	// reserved place in the order, at virtualAt.
	virtualEval  bool
	virtualSeq   uint64
	virtualAt    int64
	virtualDraws int
	virtualBy    uint64 // the sequence of the event the pass was asked for in
	evalSoon     sim.Timer
	deferred     deferrals // subject → key of the last deferral emitted

	tasks   []*taskRec
	taskIdx map[string]int
	// lastTask is the record task returned last: the app resubmits one
	// identifier at every run, so most lookups ask for it again. Records
	// are never removed nor re-indexed, so it stays valid.
	lastTask *taskRec
}

// New builds the model for one app on dev. A Config that does not validate is
// replaced field by field with defaults (the version with 17, heuristics with
// typical); callers that take user input call Config.Validate first.
func New(eng *sim.Engine, dev *device.Device, cfg Config, exec osscheduler.Executor, j *osscheduler.Journal) *Model {
	prof, err := ProfileFor(cfg.Version)
	if err != nil {
		prof, _ = ProfileFor(DefaultVersion)
	}
	par, err := ParamsFor(cfg.Heuristics)
	if err != nil {
		par, _ = ParamsFor(HeuristicsTypical)
	}
	if j == nil {
		j = &osscheduler.Journal{}
	}
	if exec == nil {
		exec = nopExecutor{}
	}
	m := &Model{
		eng: eng, dev: dev, cfg: cfg, exec: exec, j: j, prof: prof, par: par,
		rng: eng.Rand("ios.dasd"), bar: cfg.BackgroundAppRefresh, fetchInterval: cfg.FetchInterval,
		fetchAnchor: eng.Now(), fetchWeight: 1,
		registered: map[string]bool{},
		taskIdx:    map[string]int{},
	}
	if m.fetchInterval < FetchNever {
		m.fetchInterval = FetchNever
	}
	dev.Subscribe((*changeListener)(m))
	if processAlive(dev.State().App) {
		m.processBorn()
	}
	m.ensureTick()
	return m
}

// Profile is the iOS version profile in force.
func (m *Model) Profile() Profile { return m.prof }

// Params is the heuristic parameter set in force.
func (m *Model) Params() Params { return m.par }

// Journal is the journal runs are recorded in.
func (m *Model) Journal() *osscheduler.Journal { return m.j }

// Registered reports whether a launch handler for identifier is registered
// in the current process.
func (m *Model) Registered(identifier string) bool { return m.alive && m.handlerFor(identifier) }

// ForceQuit reports whether the app is in dasd's "killed" set (swiped away
// and not opened since).
func (m *Model) ForceQuit() bool { return m.killed }

// Register is BGTaskScheduler.register(forTaskWithIdentifier:using:launchHandler:)
// called after the app finished launching (launch-time registrations come
// from Config.LaunchHandlers). iOS 13–18 crash ("All launch handlers must be
// registered before application finishes launching"); iOS 26 allows it. An
// identifier not in BGTaskSchedulerPermittedIdentifiers returns false; a second
// registration of one identifier in a process crashes.
func (m *Model) Register(identifier string) (ok bool, err error) {
	if m.prof.LateRegistrationCrashes {
		return false, m.crash("BGTaskScheduler.register", identifier,
			"All launch handlers must be registered before application finishes launching")
	}
	if !m.permitted(identifier) {
		m.emit(SourceScheduler, event.Rejected, identifier,
			"Registration rejected; "+identifier+" is not advertised in the application's Info.plist (BGTaskSchedulerPermittedIdentifiers)")
		return false, nil
	}
	if m.registered[identifier] {
		return false, m.crash("BGTaskScheduler.register", identifier,
			"Launch handler for task with identifier "+identifier+" has already been registered")
	}
	m.registered[identifier] = true
	m.emit(SourceScheduler, event.Registered, identifier, "launch handler registered after launch (allowed since iOS 26)")
	return true, nil
}

// Submit is BGTaskScheduler.submit(_:), with the checks in the order of
// iOS 18.2 / 26.1: no launch handler (crash if the identifier is permitted,
// not_permitted otherwise), then dasd's answers: unavailable (Background App
// Refresh off), not_permitted (UIBackgroundModes lacks the mode),
// too_many_pending_requests (1 refresh + 10 processing). A request kind the OS
// version lacks is unsupported. Submitting a pending identifier replaces it.
func (m *Model) Submit(req TaskRequest) error {
	id := req.Identifier
	switch req.Kind {
	case osscheduler.Periodic, osscheduler.Processing:
	case osscheduler.HealthResearch:
		if !m.prof.HealthResearch {
			return m.reject(id, osscheduler.Errorf("unsupported", "BGHealthResearchTaskRequest needs iOS %d or later (this is iOS %d)", HealthResearchSince, m.prof.Version))
		}
	case osscheduler.ContinuedProcessing:
		if !m.prof.ContinuedProcessing {
			return m.reject(id, osscheduler.Errorf("unsupported", "BGContinuedProcessingTaskRequest needs iOS %d or later (this is iOS %d)", ContinuedProcessingSince, m.prof.Version))
		}
	default:
		return m.reject(id, osscheduler.Errorf("unsupported", "%q is not a BGTaskRequest kind (use periodic, processing, health_research or continued_processing)", req.Kind))
	}
	if strings.TrimSpace(id) == "" {
		return m.reject(id, osscheduler.Errorf("not_permitted", "Unrecognized Identifier: the request has an empty identifier"))
	}
	// 1. A launch handler must be registered in this process.
	if !m.alive || !m.handlerFor(id) {
		if m.permitted(id) {
			return m.crash("BGTaskScheduler.submit", id, "No launch handler registered for task with identifier "+id)
		}
		return m.reject(id, osscheduler.Errorf("not_permitted", "Unrecognized Identifier %s: not listed in BGTaskSchedulerPermittedIdentifiers", id))
	}
	// 3. dasd.
	if !m.bar && req.Kind != osscheduler.HealthResearch && req.Kind != osscheduler.ContinuedProcessing {
		return m.reject(id, osscheduler.Errorf("unavailable", "Background App Refresh is off for this app"))
	}
	if mode := requiredMode(req.Kind); mode != "" && !slices.Contains(m.cfg.BackgroundModes, mode) {
		return m.reject(id, osscheduler.Errorf("not_permitted", "Info.plist UIBackgroundModes lacks %q, needed by %s requests", mode, req.Kind))
	}
	old := m.pendingOf(id)
	replacing := old != nil
	// A request replacing one of another class (a refresh request under an
	// identifier with a pending processing request) still counts against
	// its own class's limit.
	if !replacing || !sameClass(old.req.Kind, req.Kind) {
		if limit, class := pendingLimit(req.Kind); limit > 0 && m.countPending(class) >= limit {
			return m.reject(id, osscheduler.Errorf("too_many_pending_requests", "%d %s request(s) already pending; the limit is %d refresh and %d processing", limit, class, MaxPendingRefresh, MaxPendingProcessing))
		}
	}
	p := m.newPendingReq()
	p.req, p.submitted = req, m.eng.Now()
	m.setPending(p)
	m.pendingChanged()
	m.deferred.del(id)
	m.task(id, req.UniqueName, req.TaskName, req.Kind)
	if m.prof.SubmitDeprecated && m.eng.Tracing() {
		m.eng.Emit(SourceScheduler, event.Warning, id, "submit(_:) is deprecated from iOS 27 (submitTaskRequest(_:completionHandler:)); the plugin still calls it and it still works")
	}
	if m.eng.Tracing() {
		reason := "request accepted"
		if replacing {
			reason = "request replaces the pending one submitted at +" + sim.FormatOffset(old.submitted.Sub(m.eng.Start()))
		}
		if !req.EarliestBegin.IsZero() {
			reason += "; earliestBeginDate +" + sim.FormatOffset(req.EarliestBegin.Sub(m.eng.Start())) + " (a lower bound only)"
		}
		m.eng.Emit(SourceScheduler, event.Submitted, id, reason, sim.String("kind", string(req.Kind)))
	}
	if req.Kind == osscheduler.ContinuedProcessing {
		m.scheduleEval()
	}
	m.ensureTick()
	return nil
}

// Cancel is BGTaskScheduler.cancel(taskRequestWithIdentifier:): it removes a
// pending request, never fails, and does not stop a running task.
func (m *Model) Cancel(identifier string) {
	m.cancel(identifier, SourceScheduler, "cancelled by the app")
}

// CancelAll is BGTaskScheduler.cancelAllTaskRequests().
func (m *Model) CancelAll() {
	for _, id := range slices.Clone(m.pendingIDs()) { // cancel changes the set

		m.cancel(id, SourceScheduler, "cancelled by the app (cancelAllTaskRequests)")
	}
}

// Pending is getPendingTaskRequests: copies of the submitted requests that
// have not started, sorted by identifier.
func (m *Model) Pending() []TaskRequest {
	ids := m.pendingIDs()
	out := make([]TaskRequest, len(ids))
	for i, id := range ids {
		r := m.pendingOf(id).req
		r.Input = copyData(r.Input)
		out[i] = r
	}
	return out
}

// SetMinimumBackgroundFetchInterval is UIApplication's
// setMinimumBackgroundFetchInterval(_:): FetchNever, FetchMinimum or a floor
// between fetches. It has no effect without the fetch background mode, or
// when Info.plist lists any BGTaskScheduler identifier.
func (m *Model) SetMinimumBackgroundFetchInterval(d time.Duration) {
	if d < FetchNever {
		d = FetchNever
	}
	m.fetchInterval = d
	m.fetchAnchor = m.eng.Now()
	m.inputsChanged()
	m.deferred.del(FetchTaskName)
	if why := m.fetchDisabled(); why != "" && d != FetchNever {
		m.emit(SourceFetch, event.Rejected, FetchTaskName, "setMinimumBackgroundFetchInterval has no effect: "+why)
	}
	m.ensureTick()
}

// MaxInProcessWork bounds the in-process works (RunInProcess) running or
// starting at once: the simulator's safety limit, not a platform rule (no
// limit on beginBackgroundTask assertions is documented). Work that starts
// more work than finishes (a task whose then registers two one-off tasks
// each run, with the 0.10 plugin's in-process one-off work) doubles every
// run; the run stops with the *sim.LimitError "max_unfinished_work" (exit
// code 3); Android bounds its database instead (android.MaxWorkSpecs).
const MaxInProcessWork = 5_000

// RunInProcess runs one-off work in the live app process, as the plugin's
// UIApplication.beginBackgroundTask does: now if the process is alive, with
// the ~30 s background budget counted while the app is not in the
// foreground; the work dies with the process and cannot be cancelled. With
// no live process the work is lost.
func (m *Model) RunInProcess(uniqueName, taskName string, input osscheduler.Data) {
	subject := uniqueName
	if subject == "" {
		subject = taskName
	}
	m.task(subject, uniqueName, taskName, osscheduler.OneOff)
	if !m.alive {
		m.taskState(subject, osscheduler.StateCancelled)
		m.emit(SourceApp, event.Rejected, subject, "the app process is not running: in-process work (beginBackgroundTask) needs a live process and is lost")
		return
	}
	if n := len(m.running) + m.inProcessStarting; n >= MaxInProcessWork {
		m.emit(SourceApp, event.Warning, subject, fmt.Sprintf("%d in-process works running at once: the app starts work faster than it finishes (task %q starts more work each run?)", n, taskName))
		m.eng.Stop(&sim.LimitError{Limit: "max_unfinished_work", Events: m.eng.Fired(), At: sim.Sub(m.eng.Now(), m.eng.Start()),
			Value: fmt.Sprintf("%d in-process works (beginBackgroundTask) at once; the app starts work faster than it finishes, e.g. a task whose then registers two tasks each run", MaxInProcessWork)})
		return
	}
	eligible := m.eng.Now()
	input = copyData(input)
	m.inProcessStarting++
	m.eng.After(0, sim.PhaseOS, "ios.inprocess.start", sim.HandlerFunc(func(*sim.Engine) {
		m.inProcessStarting--
		if !m.alive {
			m.taskState(subject, osscheduler.StateCancelled)
			m.emit(SourceApp, event.Rejected, subject, "the app process died before the in-process work started")
			return
		}
		rn := &run{m: m, subject: subject, source: SourceApp, kind: osscheduler.OneOff, budget: InProcessBudget, inProcess: true}
		m.start(rn, uniqueName, taskName, input, eligible, "in-process work runs at once in the live process (beginBackgroundTask)")
	}))
}

// SetBackgroundAppRefresh flips the Background App Refresh switch. Turning it
// off cancels every pending request (dasd [R]); submits then fail with
// unavailable and nothing launches in the background.
func (m *Model) SetBackgroundAppRefresh(on bool) {
	if m.bar == on {
		return
	}
	m.bar = on
	m.inputsChanged()
	if !on {
		for _, id := range slices.Clone(m.pendingIDs()) { // cancel changes the set
			if m.pendingOf(id).req.Kind == osscheduler.HealthResearch {
				continue // exempt from the BAR check (_DASBARScheduler.mm [R])
			}
			m.cancel(id, SourceDASD, "Background App Refresh turned off: pending requests cancelled")
		}
		m.emit(SourceDASD, event.Settings, "background_app_refresh", "Background App Refresh off")
	} else {
		m.emit(SourceDASD, event.Settings, "background_app_refresh", "Background App Refresh on")
		m.scheduleEval()
	}
}

// OmitRunReasons stops the usage-score heuristics from formatting why a
// background launch started (the run's WhyThen and its Started record's
// reason, five numbers in words per launch: a few percent of a device's
// instructions) for callers that read neither: a fleet folds runs into
// counts and delays and watches Started records only for their instant.
// Every decision and every seeded draw stays the same.
func (m *Model) OmitRunReasons() { m.noRunReasons = true }

// Tasks lists every request ever submitted and every piece of work ever run,
// in the order first seen.
func (m *Model) Tasks() []osscheduler.TaskInfo {
	out := make([]osscheduler.TaskInfo, 0, len(m.tasks))
	for _, t := range m.tasks {
		info := t.info
		switch {
		case t.running > 0:
			info.State = osscheduler.StateRunning
		case m.pendingOf(t.key) != nil:
			info.State = osscheduler.StateEnqueued
		}
		out = append(out, info)
	}
	return out
}

// --- helpers -----------------------------------------------------------------

func processAlive(p device.Process) bool {
	return p == device.ProcessForeground || p == device.ProcessBackground || p == device.ProcessSuspended
}

// permitted reports whether id is in BGTaskSchedulerPermittedIdentifiers,
// directly or through a continued-processing wildcard "<prefix>.*".
func (m *Model) permitted(id string) bool {
	if id == "" {
		return false
	}
	for _, p := range m.cfg.PermittedIdentifiers {
		if p == id || wildcardMatch(p, id) {
			return true
		}
	}
	return false
}

func wildcardMatch(pattern, id string) bool {
	prefix, ok := strings.CutSuffix(pattern, "*")
	return ok && strings.HasSuffix(prefix, ".") && len(id) > len(prefix) && strings.HasPrefix(id, prefix)
}

// clearRegistered forgets every launch-handler registration (a process
// ends or begins).
func (m *Model) clearRegistered() {
	clear(m.registered)
	m.handlerID = ""
}

func (m *Model) handlerFor(id string) bool {
	if id == m.handlerID && id != "" {
		return true // the app submits and dasd launches one identifier over and over
	}
	if m.registered[id] {
		m.handlerID = id
		return true
	}
	for r := range m.registered {
		if wildcardMatch(r, id) {
			return true
		}
	}
	return false
}

func pendingLimit(k osscheduler.Kind) (int, string) {
	switch k {
	case osscheduler.Periodic:
		return MaxPendingRefresh, "refresh"
	case osscheduler.Processing, osscheduler.HealthResearch:
		return MaxPendingProcessing, "processing"
	}
	return 0, ""
}

func sameClass(a, b osscheduler.Kind) bool {
	_, ca := pendingLimit(a)
	_, cb := pendingLimit(b)
	return ca == cb
}

func (m *Model) countPending(class string) int {
	if class == "refresh" {
		return m.pendingRefresh // asked at every refresh request's pass
	}
	n := 0
	for _, p := range m.pendingSortedReqs { // no map iteration: asked at every pass
		if _, c := pendingLimit(p.req.Kind); c == class {
			n++
		}
	}
	return n
}

// pendingIDs is the pending identifiers, sorted. The slice is the model's
// own, changed in place by the next change to the set: a caller that
// changes the set while iterating iterates over a copy.
func (m *Model) pendingIDs() []string { return m.pendingSorted }

// pendingReqs is the pending requests in identifier order, kept like
// pendingIDs: a pass reads them without a map lookup per identifier.
func (m *Model) pendingReqs() []*pendingReq { return m.pendingSortedReqs }

// holdPending is the pending requests as they are now, in identifier
// order, in a slice no change to the set touches until releasePending:
// evaluate's and evaluateLive's, whose passes launch (and the app
// resubmits) while they iterate. The model's one buffer serves a pass; a
// pass nested in another gets a fresh copy (own is false).
func (m *Model) holdPending() (reqs []*pendingReq, own bool) {
	if m.passHeld {
		return slices.Clone(m.pendingSortedReqs), false
	}
	m.passHeld = true
	m.passReqs = append(m.passReqs[:0], m.pendingSortedReqs...)
	return m.passReqs, true
}

// releasePending ends a pass's use of holdPending's slice.
func (m *Model) releasePending(own bool) {
	if own {
		clear(m.passReqs) // keep no request alive
		m.passHeld = false
	}
}

// pendingChanged records a change to the set of pending requests.
func (m *Model) pendingChanged() {
	m.pendingVersion++
	m.changed()
}

// setPending puts p in the pending set under its identifier, replacing
// any request pending under it, and keeps the sorted view in step.
func (m *Model) setPending(p *pendingReq) {
	id := p.req.Identifier
	i, found := m.pendingIndex(id)
	switch {
	case found:
		if isRefresh(m.pendingSortedReqs[i].req.Kind) {
			m.pendingRefresh--
		}
		m.pendingSortedReqs[i] = p
	case i == len(m.pendingSorted): // the usual case: a resubmit into an empty set
		m.pendingSorted = append(m.pendingSorted, id)
		m.pendingSortedReqs = append(m.pendingSortedReqs, p)
	default:
		m.pendingSorted = slices.Insert(m.pendingSorted, i, id)
		m.pendingSortedReqs = slices.Insert(m.pendingSortedReqs, i, p)
	}
	if isRefresh(p.req.Kind) {
		m.pendingRefresh++
	}
}

// pendingOf is the request pending under id, nil if none.
func (m *Model) pendingOf(id string) *pendingReq {
	if i, found := m.pendingIndex(id); found {
		return m.pendingSortedReqs[i]
	}
	return nil
}

// pendingIndex is slices.BinarySearch(m.pendingSorted, id), by a plain
// scan over the few requests an app usually has pending (cheaper than the
// generic search's comparisons there).
func (m *Model) pendingIndex(id string) (int, bool) {
	ids := m.pendingSorted
	if len(ids) > 8 {
		return slices.BinarySearch(ids, id)
	}
	for i, s := range ids {
		if s >= id {
			return i, s == id
		}
	}
	return len(ids), false
}

// deletePending removes the request pending under id, if any, from the
// set and the sorted view.
func (m *Model) deletePending(id string) {
	i, found := m.pendingIndex(id)
	if !found {
		return
	}
	if isRefresh(m.pendingSortedReqs[i].req.Kind) {
		m.pendingRefresh--
	}
	if n := len(m.pendingSorted) - 1; i == n { // the usual case: the last one
		m.pendingSorted[n], m.pendingSortedReqs[n] = "", nil
		m.pendingSorted, m.pendingSortedReqs = m.pendingSorted[:n], m.pendingSortedReqs[:n]
		return
	}
	m.pendingSorted = slices.Delete(m.pendingSorted, i, i+1)
	m.pendingSortedReqs = slices.Delete(m.pendingSortedReqs, i, i+1)
}

func isRefresh(k osscheduler.Kind) bool {
	_, c := pendingLimit(k)
	return c == "refresh"
}

// newPendingReq is new(pendingReq) from a block allocated a few at a time
// (osscheduler.Blocks; the app resubmits at every run). Every request it
// returns is distinct and zero, never handed out again: evaluate tells a
// replaced request by its address.
func (m *Model) newPendingReq() *pendingReq { return m.reqBlock.New() }

func (m *Model) cancel(id string, source event.Source, reason string) {
	if m.pendingOf(id) == nil {
		return
	}
	m.deletePending(id)
	m.pendingChanged()
	m.deferred.del(id)
	m.taskState(id, osscheduler.StateCancelled)
	m.emit(source, event.Cancelled, id, reason)
}

func (m *Model) reject(id string, e *osscheduler.Error) error {
	if m.eng.Tracing() {
		m.eng.Emit(SourceScheduler, event.Rejected, id, e.Message, sim.String("code", e.Code))
	}
	return e
}

// crash is an uncatchable NSException in the app: the call returns an error
// with code "crash" and the process dies at once (in a kernel event at this
// instant, after the caller returns).
func (m *Model) crash(call, id, msg string) error {
	e := osscheduler.Errorf("crash", "NSInternalInconsistencyException: %s", msg)
	if m.eng.Tracing() {
		m.eng.Emit(SourceScheduler, event.Crashed, id, e.Message, sim.String("call", call))
	}
	m.eng.After(0, sim.PhaseOS, "ios.crash", sim.HandlerFunc(func(*sim.Engine) { m.dev.KillProcess() }))
	return e
}

func (m *Model) emit(source event.Source, kind event.Kind, subject, reason string, fields ...sim.Field) {
	if m.eng.Watching(kind) {
		m.eng.Emit(source, kind, subject, reason, fields...)
	}
}

func (m *Model) task(subject, unique, name string, kind osscheduler.Kind) *taskRec {
	t := m.lastTask
	if t == nil || t.key != subject {
		if i, ok := m.taskIdx[subject]; ok {
			t = m.tasks[i]
		} else {
			t = nil
		}
	}
	if t != nil {
		m.lastTask = t
		t.info.Kind = kind
		if name != "" {
			t.info.Task = name
		}
		return t
	}
	if unique == "" {
		unique = subject
	}
	if name == "" {
		name = subject
	}
	t = &taskRec{key: subject, info: osscheduler.TaskInfo{Unique: unique, Task: name, Kind: kind, State: osscheduler.StateEnqueued}}
	m.taskIdx[subject] = len(m.tasks)
	m.tasks = append(m.tasks, t)
	m.lastTask = t
	return t
}

func (m *Model) taskState(subject string, s osscheduler.TaskState) {
	if i, ok := m.taskIdx[subject]; ok {
		m.tasks[i].info.State = s
	}
}

// nopExecutor stands in for a missing app side: runs never finish and expire
// at their budget.
type nopExecutor struct{}

func (nopExecutor) Start(*osscheduler.Execution)                        {}
func (nopExecutor) Stop(*osscheduler.Execution, osscheduler.StopReason) {}

func copyData(d osscheduler.Data) osscheduler.Data {
	if d == nil {
		return nil
	}
	out := make(osscheduler.Data, len(d))
	for _, k := range d.Keys() {
		out[k] = d[k]
	}
	return out
}
