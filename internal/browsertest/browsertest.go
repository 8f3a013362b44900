package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Find returns the path of a Chromium binary: $CITYLINKS_CHROMIUM if set,
// else chromium or chromium-browser on PATH. ok is false if there is none.
func Find() (path string, ok bool) {
	if p := os.Getenv("CITYLINKS_CHROMIUM"); p != "" {
		return p, true
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// Size is the rendered size of an element in CSS pixels.
type Size struct {
	Width, Height float64
}

// Page is what the browser saw of one HTML file.
type Page struct {
	URL           string
	ConsoleErrors []string            // console.error calls, uncaught exceptions and error log entries
	Requests      []string            // every URL the page requested other than itself
	Failed        []string            // requests that failed, with the reason
	SVGs          []Size              // every <svg> element's rendered size, in document order
	Marked        map[string]string   // text of each element with a data-metric attribute, by that attribute
	Elements      map[string]int      // count of elements matching each selector asked for
	Texts         map[string][]string // textContent of every element matching each selector asked for
	// Overflow lists what sticks out sideways: the document, when it is
	// wider than the viewport, and each element whose box reaches past the
	// viewport's left or right edge (its tag, class and edge; the first 20).
	Overflow []string
	// Evals holds the JSON value of each expression of Options.Eval, by name.
	Evals map[string]json.RawMessage
	// PDFs holds the page printed on each paper size of Options.Paper, by name.
	PDFs       map[string][]byte
	Screenshot []byte // a full-page JPEG (quality 90)
}

// Paper is a sheet size for Options.Paper, in inches.
type Paper struct{ Width, Height float64 }

// The paper sizes of ISO 216 A4 and U.S. Letter.
var (
	A4     = Paper{8.27, 11.69}
	Letter = Paper{8.5, 11}
)

// Options control Open.
type Options struct {
	// Chromium is the browser binary. Defaults to Find's answer.
	Chromium string
	// Selectors are CSS selectors whose matches are counted in
	// Page.Elements, e.g. "script" to prove no script reached the DOM.
	Selectors []string
	// TextOf are CSS selectors whose matches' textContent is returned in
	// Page.Texts, e.g. "td" to read what a table shows.
	TextOf []string
	// NoScreenshot leaves Page.Screenshot empty, for pages too large to
	// capture (Chromium refuses those).
	NoScreenshot bool
	// Timeout bounds the whole visit. Defaults to 60 seconds.
	Timeout time.Duration
	// Width is the viewport's width in CSS pixels. Defaults to 1280.
	Width int
	// Media is the CSS media type to emulate: "print" lays the page out
	// as for printing (its @media print rules apply). Defaults to the
	// screen.
	Media string
	// Eval are JavaScript expressions to evaluate on the loaded page, by
	// name; each result, as JSON, is in Page.Evals under its name.
	Eval map[string]string
	// Paper, if set, prints the page to PDF on each paper size, by name,
	// with backgrounds (Page.PDFs).
	Paper map[string]Paper
}

// overflowJS lists the document and the elements that stick out of the
// viewport sideways.
const overflowJS = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w) out.push('document is ' + document.documentElement.scrollWidth + ' px wide, the viewport ' + w);
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if ((r.width > 0 || r.height > 0) && (r.right > w + 0.5 || r.left < -0.5)) {
      const c = typeof e.className === 'string' ? e.className : (e.className && e.className.baseVal) || '';
      out.push(e.tagName.toLowerCase() + (c ? '.' + c.trim().replace(/\s+/g, '.') : '') + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of 0..' + w + (e.textContent ? ' ("' + e.textContent.trim().slice(0, 40) + '")' : ''));
      if (out.length >= 20) break;
    }
  }
  return out;
})()`

// Open loads the HTML file at path in a fresh headless Chromium with an
// empty profile and no network access beyond the file itself, and returns
// what it saw. userDataDir must be an empty directory the caller removes.
func Open(ctx context.Context, path, userDataDir string, opts *Options) (*Page, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Width <= 0 {
		o.Width = 1280
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	pageURL := (&url.URL{Scheme: "file", Path: abs}).String()
	allocOpts, err := allocatorOptions(o.Chromium, userDataDir, o.Width)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocOpts...)
	defer cancelAlloc()

	p := &Page{URL: pageURL, Marked: map[string]string{}, Elements: map[string]int{}, Texts: map[string][]string{},
		Evals: map[string]json.RawMessage{}, PDFs: map[string][]byte{}}
	var mu sync.Mutex
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		if msg, ok := consoleError(ev); ok {
			p.ConsoleErrors = append(p.ConsoleErrors, msg)
		}
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if e.Request.URL != pageURL {
				p.Requests = append(p.Requests, e.Request.URL)
			}
		case *network.EventLoadingFailed:
			p.Failed = append(p.Failed, fmt.Sprintf("%s: %s", e.RequestID, e.ErrorText))
		}
	}
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithListener(listen))
	defer cancelBrowser()

	setup := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(int64(o.Width), 900)}
	if o.Media != "" {
		setup = append(setup, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: o.Media})
			return err
		}))
	}
	if err := chromedp.Do(bctx, append(setup, chromedp.Navigate(pageURL), chromedp.WaitReady("body"))...); err != nil {
		return nil, fmt.Errorf("browsertest: open %s: %w", path, err)
	}
	if p.Overflow, err = chromedp.Run(bctx, chromedp.Evaluate[[]string](overflowJS)); err != nil {
		return nil, fmt.Errorf("browsertest: measure overflow: %w", err)
	}
	for name, js := range o.Eval {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[json.RawMessage](js))
		if err != nil {
			return nil, fmt.Errorf("browsertest: evaluate %s: %w", name, err)
		}
		p.Evals[name] = v
	}
	for name, paper := range o.Paper {
		pdf, err := chromedp.Run(bctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperSize{Width: paper.Width, Height: paper.Height}),
			chromedp.PDFPrintBackground()))
		if err != nil {
			return nil, fmt.Errorf("browsertest: print on %s: %w", name, err)
		}
		p.PDFs[name] = pdf
	}
	svgs, err := chromedp.Run(bctx, chromedp.Evaluate[[][]float64](`Array.from(document.querySelectorAll('svg')).map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; })`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: measure SVGs: %w", err)
	}
	marked, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(Array.from(document.querySelectorAll('[data-metric]')).map(e => [e.getAttribute('data-metric'), e.textContent.trim()]))`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: read marked elements: %w", err)
	}
	for _, sel := range o.Selectors {
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
		if err != nil {
			return nil, fmt.Errorf("browsertest: count %q: %w", sel, err)
		}
		p.Elements[sel] = n
	}
	for _, sel := range o.TextOf {
		texts, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(e => e.textContent)`, sel)))
		if err != nil {
			return nil, fmt.Errorf("browsertest: read %q: %w", sel, err)
		}
		p.Texts[sel] = texts
	}
	if !o.NoScreenshot {
		if p.Screenshot, err = chromedp.Run(bctx, chromedp.FullScreenshot(90)); err != nil {
			return nil, fmt.Errorf("browsertest: screenshot: %w", err)
		}
	}
	for _, s := range svgs {
		if len(s) == 2 {
			p.SVGs = append(p.SVGs, Size{s[0], s[1]})
		}
	}
	for k, v := range marked {
		p.Marked[k] = v
	}
	// Let late events (a failed request) arrive before the page is read.
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	out := *p
	out.ConsoleErrors = slices.Clone(p.ConsoleErrors)
	out.Requests = slices.Clone(p.Requests)
	out.Failed = slices.Clone(p.Failed)
	return &out, nil
}

// allocatorOptions are the options of a headless Chromium (the binary
// chromium, or Find's answer if it is empty) with an empty profile in
// userDataDir. Chromium keeps its process-singleton socket in a
// directory of its own under TMPDIR (/tmp/org.chromium.Chromium.*) that it
// does not remove: it gets one inside the profile, which the caller
// removes.
func allocatorOptions(chromium, userDataDir string, width int) ([]chromedp.ExecAllocatorOption, error) {
	if chromium == "" {
		p, ok := Find()
		if !ok {
			return nil, errors.New("browsertest: no chromium binary found")
		}
		chromium = p
	}
	tmp := filepath.Join(userDataDir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("browsertest: %w", err)
	}
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// No scrollbar: the layout is as wide as the viewport, as on paper,
		// and the full-page screenshot is laid out as measured.
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(userDataDir),
		chromedp.Env("TMPDIR=" + tmp),
		chromedp.WindowSize(width, 900),
	}, nil
}

// consoleError returns the text of a DevTools event that is an error a
// page reported: a console.error or console.assert call, an uncaught
// exception, or an error entry of the browser's log (a refused resource, a
// violated Content-Security-Policy).
func consoleError(ev any) (string, bool) {
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			return "console." + string(e.Type) + ": " + strings.Join(parts, " "), true
		}
	case *runtime.EventExceptionThrown:
		return "exception: " + e.ExceptionDetails.Text, true
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			return "log." + string(e.Entry.Source) + ": " + e.Entry.Text + " " + e.Entry.URL, true
		}
	}
	return "", false
}
