package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/event"
	"github.com/wmsim/wmsim/internal/sim"
)

func TestPastMarked(t *testing.T) {
	at := 5*hr + 30*mins
	assert.Equal(t, "not yet due: next run time +05:02:29.260 (passed); re-evaluated at +06:00:00",
		pastMarked("not yet due: next run time +05:02:29.260; re-evaluated at +06:00:00", at))
	assert.Equal(t, "refills at +1d00:00:07.634", pastMarked("refills at +1d00:00:07.634", at))
	assert.Equal(t, "no moment here", pastMarked("no moment here", at))
}

// TestExplainShowsAndroidsOwnReasonNames: a deferral or stop that carries
// JobScheduler's PENDING_JOB_REASON_* / JobParameters' STOP_REASON_* name
// (fields pending_reason, stop_reason) shows it, in text and JSON; without
// the fields nothing changes.
func TestExplainShowsAndroidsOwnReasonNames(t *testing.T) {
	res, tr := androidFixture()
	unique := res.Runs[0].Unique
	// The fixture's first deferral of the task, given Android's name.
	var at = -1 * hr
	for i := range tr {
		if tr[i].Subject == unique && tr[i].Kind == event.Deferred {
			tr = append([]sim.Record(nil), tr...)
			fs := append([]sim.Field(nil), tr[i].Fields...)
			tr[i].Fields = append(fs, sim.String("pending_reason", "PENDING_JOB_REASON_DEVICE_STATE"))
			at = tr[i].At + sec
			break
		}
	}
	require.GreaterOrEqual(t, at, 0*hr)
	var b bytes.Buffer
	require.NoError(t, ExplainJSON(&b, res, tr, fixtureStart, Selector{Unique: unique, At: &at}))
	var doc ExplainDoc
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.NotNil(t, doc.Tasks[0].At)
	require.NotEmpty(t, doc.Tasks[0].At.Causes)
	last := doc.Tasks[0].At.Causes[len(doc.Tasks[0].At.Causes)-1]
	assert.Equal(t, "PENDING_JOB_REASON_DEVICE_STATE", last.PendingReason)

	b.Reset()
	require.NoError(t, Explain(&b, res, tr, fixtureStart, Selector{Unique: unique, At: &at}))
	assert.Contains(t, b.String(), "[PENDING_JOB_REASON_DEVICE_STATE]")

	b.Reset()
	res2, tr2 := androidFixture()
	require.NoError(t, ExplainJSON(&b, res2, tr2, fixtureStart, Selector{Unique: unique, At: &at}))
	assert.NotContains(t, b.String(), "pending_reason")
}

// TestExplainJSONDocument: the document has the format name, the story's
// events in order with their kinds, and the same summary as the text.
func TestExplainJSONDocument(t *testing.T) {
	res, tr := androidFixture()
	unique := res.Runs[0].Unique
	var b bytes.Buffer
	require.NoError(t, ExplainJSON(&b, res, tr, fixtureStart, Selector{Unique: unique}))
	var doc ExplainDoc
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, FormatExplain, doc.Format)
	assert.Equal(t, res.Scenario, doc.Scenario)
	require.Len(t, doc.Tasks, 1)
	st := doc.Tasks[0]
	assert.Nil(t, st.At)
	kinds := map[string]int{}
	for i, e := range st.Events {
		kinds[e.Kind]++
		if i > 0 {
			assert.LessOrEqual(t, st.Events[i-1].T, e.T)
		}
	}
	assert.Positive(t, kinds["run"])
	assert.Positive(t, kinds["due"])
	var text bytes.Buffer
	require.NoError(t, Explain(&text, res, tr, fixtureStart, Selector{Unique: unique}))
	assert.Contains(t, text.String(), "summary: "+st.Summary)
	assert.Error(t, ExplainJSON(&b, res, tr, fixtureStart, Selector{Unique: "nope"}))
}
