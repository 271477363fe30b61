package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wmsim/wmsim/internal/browsertest"
)

// TestHTMLInBrowser opens the report in headless Chromium, as a person
// would, and uses it: nothing goes to the console, the screenshots show a
// drawn page, Tab reaches the toolbar and every lane in order, the arrow
// keys step through a lane's runs and holds with their details shown, and
// the buttons, keys and mouse zoom and pan. Set WMSIM_SCREENSHOT_DIR to keep
// the screenshots.
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	page := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(page, htmlFixture(t), 0o644))
	p := browsertest.Open(t, page, 1280, 900)

	shot := func(name string) {
		ink, err := browsertest.InkOf(p.Screenshot(name))
		require.NoError(t, err)
		assert.Greater(t, ink.Share, 0.05, "%s: a blank page has no ink", name)
		assert.Greater(t, ink.Colors, 20, "%s: the lanes' colours", name)
	}
	str := func(expr string) string {
		var s string
		browsertest.Eval(p, expr, &s)
		return s
	}
	num := func(expr string) float64 {
		var f float64
		browsertest.Eval(p, expr, &f)
		return f
	}
	rangeText := func() string { return str(`document.getElementById('tl-range').textContent`) }
	shot("report.png")
	full := rangeText()
	assert.Equal(t, "Mon 05 Jan 08:00 → Tue 06 Jan 08:00 (1d of 1d)", full, "the script ran and shows the whole run")

	// Tab order: the toolbar's buttons, then every lane of every platform,
	// top to bottom.
	want := strings.Split(str(`[...document.querySelectorAll('.toolbar button, svg g.row')].map(e =>
		e.dataset.act || (e.closest('g.platform').dataset.platform + ':' + (e.dataset.task || e.dataset.signal))).join(',')`), ",")
	require.Len(t, want, 5+2*0+len(want)-5)
	assert.Contains(t, want, "android:periodic-sync")
	assert.Contains(t, want, "ios:battery")
	var got []string
	for range want {
		p.Key(kb.Tab)
		got = append(got, str(`(e => e.dataset.act || (e.closest('g.platform') ? e.closest('g.platform').dataset.platform + ':' + (e.dataset.task || e.dataset.signal) : e.tagName))(document.activeElement)`))
	}
	assert.Equal(t, want, got, "tab order")

	// In the periodic-sync lane: → selects the first item in view and
	// shows its details; End the last; ↓ moves to the next lane.
	browsertest.Eval(p, `document.querySelector('g.platform[data-platform=android] g.lane[data-task="periodic-sync"]').focus(), true`, new(bool))
	p.Key(kb.ArrowRight)
	assert.Equal(t, "false", str(`String(document.getElementById('tl-tip').hidden)`), "details shown")
	assert.Equal(t, 1.0, num(`document.querySelectorAll('g.lane[data-task="periodic-sync"] .sel').length`))
	first := str(`document.getElementById('tl-tip').textContent`)
	assert.Regexp(t, `registered|held back by|attempt`, first)
	p.Key(kb.ArrowRight)
	assert.NotEqual(t, first, str(`document.getElementById('tl-tip').textContent`), "→ steps to the next item")
	p.Key(kb.End)
	assert.Contains(t, str(`document.getElementById('tl-tip').textContent`), "attempt", "the last item is a run")
	p.Key(kb.Enter)
	assert.NotEqual(t, full, rangeText(), "Enter zooms to the selected run")
	shot("report-zoomed.png")
	p.Key("0")
	assert.Equal(t, full, rangeText(), "0 shows everything again")
	assert.Equal(t, "true", str(`String(document.getElementById('tl-tip').hidden)`))
	p.Key(kb.ArrowDown)
	assert.Equal(t, "cleanup-1", str(`document.activeElement.dataset.task`), "↓ moves to the next lane")

	// Zoom with the button, then pan with the keyboard: every run in view
	// sits where the view puts it, at least 1.5 px wide, and the axis is
	// redrawn for the part in view.
	p.Click(`.toolbar button[data-act="in"]`)
	p.Click(`.toolbar button[data-act="in"]`)
	assert.Contains(t, rangeText(), "(6h of 1d)")
	assert.Equal(t, "32400.000 54000.000", str(`document.getElementById('tl').dataset.view`), "zoomed around the middle")
	var misplaced []string
	browsertest.Eval(p, `(() => {
		const svg = document.getElementById('tl'), [v0, v1] = svg.dataset.view.split(' ').map(Number);
		const X0 = +svg.dataset.x0, W = +svg.dataset.plotw, out = [];
		for (const r of svg.querySelectorAll('rect.run')) {
			const a = +r.dataset.a, b = +r.dataset.b;
			if (a < v0 || b > v1) continue;
			const x = X0 + (a - v0) / (v1 - v0) * W, w = Math.max((b - a) / (v1 - v0) * W, 1.5);
			if (Math.abs(+r.getAttribute('x') - x) > 0.06 || Math.abs(+r.getAttribute('width') - w) > 0.06) out.push(r.dataset.a);
		}
		return out;
	})()`, &misplaced)
	assert.Empty(t, misplaced)
	assert.Equal(t, 4.0, num(`[...document.querySelectorAll('rect.run')].filter(r => +r.dataset.a >= 32400 && +r.dataset.b <= 54000 && r.closest('g.platform').dataset.platform == 'android').length`), "the runs at 17:40, 18:40, 19:40 and 22:00")
	ticks := str(`[...document.querySelectorAll('g.axis text')].map(t => t.textContent).join(' ')`)
	assert.Equal(t, "17:00 17:30 18:00 18:30 19:00 19:30 20:00 20:30 21:00 21:30 22:00 22:30 23:00", ticks)
	p.Key(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift))
	assert.Equal(t, "37800.000 59400.000", str(`document.getElementById('tl').dataset.view`), "Shift+→ pans a quarter of the view")
	assert.NotEqual(t, ticks, str(`[...document.querySelectorAll('g.axis text')].map(t => t.textContent).join(' ')`), "the axis follows a pan")

	// The mouse: hovering a run shows its details; Ctrl+wheel zooms.
	p.Click(`.toolbar button[data-act="reset"]`)
	x := num(`(r => r.left + r.width / 2)(document.querySelector('g.lane[data-task="nightly-report"] rect.run').getBoundingClientRect())`)
	y := num(`(r => r.top + r.height / 2)(document.querySelector('g.lane[data-task="nightly-report"] rect.run').getBoundingClientRect())`)
	p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
	assert.Contains(t, str(`document.getElementById('tl-tip').hidden ? '' : document.getElementById('tl-tip').textContent`), "attempt")
	p.Do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, x, y, func(m *input.DispatchMouseEventParams) {
		m.DeltaX, m.DeltaY = 0.001, -400 // the protocol wants both
		m.Modifiers = 2                  // Ctrl
	}))
	assert.NotEqual(t, full, rangeText(), "Ctrl+wheel zooms")

	assert.Empty(t, p.Problems(), "the page logged errors or warnings")
}
