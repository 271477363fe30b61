package ios

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/osscheduler"
)

// checkPendingView asserts what setPending and deletePending keep in
// place: identifiers strictly sorted (what sorting the set afresh gives, no
// duplicates), each with its own request, pendingOf finding each and
// nothing else, and the refresh count.
func checkPendingView(t *testing.T, m *Model, all []string) {
	t.Helper()
	require.Equal(t, len(m.pendingSorted), len(m.pendingSortedReqs))
	require.True(t, slices.IsSorted(m.pendingSorted))
	refresh := 0
	for i, id := range m.pendingSorted {
		if i > 0 {
			require.NotEqual(t, m.pendingSorted[i-1], id)
		}
		p := m.pendingSortedReqs[i]
		require.Equal(t, id, p.req.Identifier)
		require.Same(t, p, m.pendingOf(id))
		if p.req.Kind == osscheduler.Periodic {
			refresh++
		}
	}
	for _, id := range all {
		if !slices.Contains(m.pendingSorted, id) {
			require.Nil(t, m.pendingOf(id), id)
		}
	}
	require.Equal(t, refresh, m.pendingRefresh)
	require.Equal(t, refresh, m.countPending("refresh"))
}

// TestPendingViewMatchesMap drives random submits, replacements (also of
// another class under one identifier), cancels and launches, and checks the
// sorted set after every step.
func TestPendingViewMatchesMap(t *testing.T) {
	e := newEnv(t, 3, testConfig(), nil)
	e.dev.LaunchApp()
	ids := []string{"refresh", "refresh2", "proc", "p01", "p02", "p05", "p10"}
	rng := rand.New(rand.NewPCG(7, 11))
	launched := 0
	for step := 0; step < 2000; step++ {
		id := ids[rng.IntN(len(ids))]
		switch rng.IntN(5) {
		case 0, 1, 2:
			req := refreshReq(id)
			if rng.IntN(2) == 0 {
				req = procReq(id)
			}
			if e.m.Submit(req) == nil {
				p := e.m.pendingOf(id)
				require.NotNil(t, p)
				require.Equal(t, req.Kind, p.req.Kind)
			}
		case 3:
			e.m.Cancel(id)
			require.Nil(t, e.m.pendingOf(id))
		case 4:
			if rng.IntN(2) == 0 {
				e.open()
			}
			n := len(e.exec.started)
			e.eng.RunFor(time.Duration(rng.IntN(12*60)) * time.Minute)
			launched += len(e.exec.started) - n
			if e.m.SimulateLaunch(id) == nil {
				launched++
				require.Nil(t, e.m.pendingOf(id))
			}
		}
		checkPendingView(t, e.m, ids)
	}
	require.Positive(t, launched, "launches consumed requests")
	e.m.CancelAll()
	checkPendingView(t, e.m, ids)
	assert.Empty(t, e.m.Pending())

	// dasd's own launches, the app resubmitting at every run (inside the
	// pass, under its held copy).
	e = newEnv(t, 3, testConfig(), nil)
	e.periodicApp()
	resubmit := e.exec.onStart
	checks := 0
	e.exec.onStart = func(x *osscheduler.Execution) {
		resubmit(x)
		checkPendingView(t, e.m, ids)
		checks++
	}
	e.drive(user{opens: typicalOpens, to: 14, inForeground: func() { _ = e.m.Submit(refreshReq("refresh")) }}, 14)
	e.eng.RunFor(14 * 24 * time.Hour)
	checkPendingView(t, e.m, ids)
	require.Positive(t, checks, "dasd launched refresh runs")
	require.NotNil(t, e.m.pendingOf("refresh"), "resubmitted")
}

// TestHeldPendingIsNotDisturbed: a pass's held slice (holdPending) keeps the
// requests as the pass began while the set changes under it, as the slice
// sortPending rebuilt at every change used to; a nested hold gets its own
// copy, and after the release the buffer is the pass's again.
func TestHeldPendingIsNotDisturbed(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	e.dev.LaunchApp()
	require.NoError(t, e.m.Submit(procReq("p01")))
	require.NoError(t, e.m.Submit(refreshReq("refresh")))
	before := slices.Clone(e.m.pendingReqs())

	reqs, own := e.m.holdPending()
	require.True(t, own)
	require.NoError(t, e.m.Submit(procReq("p02")))        // insert before refresh
	require.NoError(t, e.m.Submit(refreshReq("refresh"))) // replace
	e.m.Cancel("p01")                                     // delete
	nested, nestedOwn := e.m.holdPending()
	assert.False(t, nestedOwn)
	assert.Equal(t, e.m.pendingReqs(), nested)
	e.m.Cancel("p02")
	assert.Len(t, nested, 2, "the nested copy is not disturbed either")
	e.m.releasePending(nestedOwn)
	assert.Equal(t, before, reqs, "the held slice is the set as the pass began")
	e.m.releasePending(own)
	assert.Equal(t, []*pendingReq{nil, nil}, reqs, "released: the buffer keeps no request alive")

	again, ownAgain := e.m.holdPending()
	assert.True(t, ownAgain)
	assert.Equal(t, e.m.pendingReqs(), again)
	e.m.releasePending(ownAgain)
}

// TestNewPendingReqIsDistinct: requests taken from a block are zero and
// never handed out twice (evaluate tells a replaced request by address).
func TestNewPendingReqIsDistinct(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	seen := map[*pendingReq]bool{}
	for i := 0; i < 3*osscheduler.BlockSize+1; i++ {
		p := e.m.newPendingReq()
		require.False(t, seen[p])
		require.Equal(t, pendingReq{}, *p)
		seen[p] = true
		p.req.Identifier = "x"
	}
}

// TestTaskLookupCache: the remembered last record (lastTask) answers only
// for its own subject; other subjects find their own record, never a new one.
func TestTaskLookupCache(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	a := e.m.task("a", "", "", osscheduler.Periodic)
	b := e.m.task("b", "", "", osscheduler.Processing)
	require.NotSame(t, a, b)
	require.Same(t, b, e.m.task("b", "", "tb", osscheduler.Processing))
	require.Same(t, a, e.m.task("a", "", "ta", osscheduler.OneOff))
	require.Same(t, a, e.m.task("a", "", "", osscheduler.Periodic))
	assert.Equal(t, "ta", a.info.Task)
	assert.Equal(t, osscheduler.Periodic, a.info.Kind)
	assert.Equal(t, "tb", b.info.Task)
	assert.Len(t, e.m.Tasks(), 2)
}

// TestPendingIndexIsBinarySearch: the scan over a short set answers as
// slices.BinarySearch, for sets below and above the scan's limit.
func TestPendingIndexIsBinarySearch(t *testing.T) {
	e := newEnv(t, 1, testConfig(), nil)
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"", "a", "b", "p01", "p02", "p1", "proc", "refresh", "refresh2", "z", "zz", "é"}
	for n := 0; n <= len(names); n++ {
		for trial := 0; trial < 20; trial++ {
			set := slices.Clone(names)
			rng.Shuffle(len(set), func(i, j int) { set[i], set[j] = set[j], set[i] })
			set = set[:n]
			slices.Sort(set)
			e.m.pendingSorted = set
			for _, id := range append(slices.Clone(names), "0", "q", "refresh1") {
				i, found := e.m.pendingIndex(id)
				wi, wfound := slices.BinarySearch(set, id)
				require.Equal(t, wi, i, "%q in %q", id, set)
				require.Equal(t, wfound, found, "%q in %q", id, set)
			}
		}
	}
}

// TestHandlerCacheForgetsWithTheProcess: the remembered identifier
// (handlerID) answers only while its registration lasts: a new process
// registers afresh, and an identifier not registered there has no handler.
func TestHandlerCacheForgetsWithTheProcess(t *testing.T) {
	cfg := testConfig()
	e := newEnv(t, 1, cfg, nil)
	e.dev.LaunchApp()
	require.True(t, e.m.handlerFor("refresh"))
	require.Equal(t, "refresh", e.m.handlerID)
	require.True(t, e.m.handlerFor("refresh"))
	require.False(t, e.m.handlerFor("nothing"))
	e.dev.KillProcess()
	assert.False(t, e.m.Registered("refresh"))
	assert.False(t, e.m.handlerFor("refresh"), "the registrations died with the process")
	assert.Equal(t, "", e.m.handlerID)
	// A process whose AppDelegate registers only "proc".
	e.m.cfg.LaunchHandlers = []string{"proc"}
	e.dev.LaunchApp()
	assert.False(t, e.m.handlerFor("refresh"))
	assert.True(t, e.m.handlerFor("proc"))
	assert.Equal(t, "crash", code(e.m.Submit(refreshReq("refresh"))))
}
