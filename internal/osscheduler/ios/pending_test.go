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

// checkPendingView asserts the sorted view setPending and deletePending keep
// in place is what sorting the pending map afresh gives.
func checkPendingView(t *testing.T, m *Model) {
	t.Helper()
	var ids []string
	refresh := 0
	for id, p := range m.pending {
		ids = append(ids, id)
		if p.req.Kind == osscheduler.Periodic {
			refresh++
		}
	}
	slices.Sort(ids)
	require.Equal(t, len(ids), len(m.pendingSorted))
	require.Equal(t, len(ids), len(m.pendingSortedReqs))
	for i, id := range ids {
		require.Equal(t, id, m.pendingSorted[i])
		require.Same(t, m.pending[id], m.pendingSortedReqs[i], id)
	}
	require.Equal(t, refresh, m.pendingRefresh)
	require.Equal(t, refresh, m.countPending("refresh"))
}

// TestPendingViewMatchesMap drives random submits, replacements (also of
// another class under one identifier), cancels and launches, and checks the
// in-place sorted view against the map after every step.
func TestPendingViewMatchesMap(t *testing.T) {
	e := newEnv(t, 3, testConfig(), nil)
	e.dev.LaunchApp()
	ids := []string{"refresh", "refresh2", "proc", "p01", "p02", "p05", "p10"}
	rng := rand.New(rand.NewPCG(7, 11))
	for step := 0; step < 2000; step++ {
		id := ids[rng.IntN(len(ids))]
		switch rng.IntN(5) {
		case 0, 1:
			_ = e.m.Submit(refreshReq(id))
		case 2:
			_ = e.m.Submit(procReq(id))
		case 3:
			e.m.Cancel(id)
		case 4:
			e.eng.RunFor(time.Duration(rng.IntN(120)) * time.Minute)
			if rng.IntN(4) == 0 {
				e.open()
			}
		}
		checkPendingView(t, e.m)
	}
	e.m.CancelAll()
	checkPendingView(t, e.m)
	assert.Empty(t, e.m.Pending())
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
	for i := 0; i < 3*reqBlockSize+1; i++ {
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
