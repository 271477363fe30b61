package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func callsResult() *Result {
	r := &Result{Format: FormatResult, Scenario: "calls", Platform: "android", Start: "2026-01-05T08:00:00Z", End: "2026-01-05T12:00:00Z",
		Calls: []Call{
			{T: 0, Call: "initialize", Source: "on_launch", Args: map[string]any{}},
			{T: 120, Call: "isScheduledByUniqueName", Source: "timeline", Args: map[string]any{"uniqueName": "sync"}, Returned: true},
			{T: 130, Call: "cancelByTag", Source: "task", Args: map[string]any{"tag": "<x>"}, Error: "unsupported"},
		},
		Warnings: []Warning{{T: 0, Code: "background_mode_not_modelled", Message: "location: accepted, not modelled"}},
		Errors:   []Error{{T: 130, Call: "cancelByTag", Code: "unsupported", Message: "not on iOS", SeenByApp: true, Source: "task"}},
	}
	r.Normalize()
	return r
}

func TestCallsInEveryOutput(t *testing.T) {
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	res := callsResult()
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, res, nil, start, TextOptions{}))
	assert.Contains(t, text.String(), `isScheduledByUniqueName (timeline) {"uniqueName":"sync"} → true`)
	assert.Contains(t, text.String(), `cancelByTag (task) {"tag":"<x>"} → threw unsupported`)
	assert.Contains(t, text.String(), "seen by the app, from task")
	assert.Contains(t, text.String(), "background_mode_not_modelled")

	var junit bytes.Buffer
	require.NoError(t, WriteJUnit(&junit, []*Result{res}))
	assert.Contains(t, junit.String(), "call +0:02:00 (Mon 08:02:00) isScheduledByUniqueName")
	assert.Contains(t, junit.String(), "warning +0:00:00 (Mon 08:00:00) background_mode_not_modelled")

	var html bytes.Buffer
	require.NoError(t, WriteHTML(&html, []*Result{res}, nil, start))
	assert.Contains(t, html.String(), "<h3>calls</h3>")
	assert.Contains(t, html.String(), `{&#34;tag&#34;:&#34;&lt;x&gt;&#34;}`, "call arguments are escaped")
	assert.NotContains(t, html.String(), `"tag":"<x>"`)
}
