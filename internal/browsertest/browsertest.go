// Package browsertest is a test helper that opens the project's HTML reports
// in headless Chromium.
//
// It collects what the page logs to the console and the errors it throws,
// takes screenshots and judges whether they show anything, and drives the
// keyboard. Tests skip when no Chromium is installed.
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browsers are the executable names looked up on PATH, in order.
var Browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"}

// Page is one HTML file open in a headless browser.
type Page struct {
	t   testing.TB
	Ctx context.Context

	mu       sync.Mutex
	problems []string // console errors and warnings, uncaught exceptions
}

// Open loads the file at path in a new headless Chromium of the given
// window size, or skips t when there is no browser. The browser is closed
// when t ends.
func Open(t testing.TB, path string, width, height int) *Page {
	t.Helper()
	var bin string
	for _, name := range Browsers {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skipf("skipping: no browser on PATH (looked for %s)", strings.Join(Browsers, ", "))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		// This machine's network is closed: without these the browser
		// keeps trying to reach Google's services.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	p := &Page{t: t, Ctx: ctx}
	// Subscribe before loading, so that nothing the page says is lost.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
				p.add(fmt.Sprintf("%s (%s:%d:%d)", m, m.URL, m.Line+1, m.Column+1))
			}
		}
	}()
	p.Do(chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.CSS("body")))
	return p
}

func (p *Page) add(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, s)
}

// Problems is what the page reported so far: console errors and warnings
// and uncaught exceptions. Messages arrive asynchronously: Problems first
// makes a round trip to the page, so that what it said before is in.
func (p *Page) Problems() []string {
	p.t.Helper()
	var ignored bool
	Eval(p, "true", &ignored)
	time.Sleep(50 * time.Millisecond)
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// timeout bounds one step; the browser lives as long as the test.
const timeout = time.Minute

// Do runs chromedp actions on the page and fails the test on error.
func (p *Page) Do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout)
	if p.started() {
		defer cancel()
	} else {
		// The first call starts the browser, which lives as long as the
		// context of that call: no timeout on it.
		cancel()
		ctx = p.Ctx
	}
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *Page) started() bool { return chromedp.FromContext(p.Ctx).Target != nil }

// Eval evaluates a JavaScript expression on page p into out.
func Eval[T any](p *Page, expr string, out *T) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	*out = v
}

// Key sends key presses (characters, or chromedp/kb names such as kb.Tab)
// to the focused element.
func (p *Page) Key(keys string, mods ...chromedp.KeyOption) {
	p.t.Helper()
	p.Do(chromedp.KeyEvent(keys, mods...))
}

// Click clicks the first element matching the CSS selector.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.Do(chromedp.Click(chromedp.CSS(sel)))
}

// Screenshot captures the whole page as PNG. With WMSIM_SCREENSHOT_DIR set,
// it is also written there as name.
func (p *Page) Screenshot(name string) []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatal(err)
	}
	if d := os.Getenv("WMSIM_SCREENSHOT_DIR"); d != "" {
		if err := os.WriteFile(filepath.Join(d, name), buf, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	return buf
}

// Ink describes how much a screenshot shows: the share of pixels that are
// not the background (the top-left pixel's colour) and the number of
// distinct colours (quantised to 4 bits a channel).
type Ink struct {
	Share  float64
	Colors int
}

// InkOf measures a PNG.
func InkOf(pngData []byte) (Ink, error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return Ink{}, err
	}
	return inkOf(img), nil
}

func inkOf(img image.Image) Ink {
	b := img.Bounds()
	if b.Empty() {
		return Ink{}
	}
	q := func(x, y int) uint32 {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r>>12<<8 | g>>12<<4 | bl>>12
	}
	bg := q(b.Min.X, b.Min.Y)
	colors := map[uint32]bool{}
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := q(x, y)
			colors[c] = true
			if c != bg {
				ink++
			}
		}
	}
	return Ink{Share: float64(ink) / float64(b.Dx()*b.Dy()), Colors: len(colors)}
}
