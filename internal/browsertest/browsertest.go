package browsertest

import (
	"context"
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
	Screenshot    []byte              // a full-page PNG
}

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
}

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
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	pageURL := (&url.URL{Scheme: "file", Path: abs}).String()
	allocOpts, err := allocatorOptions(o.Chromium, userDataDir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocOpts...)
	defer cancelAlloc()

	p := &Page{URL: pageURL, Marked: map[string]string{}, Elements: map[string]int{}, Texts: map[string][]string{}}
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

	if err := chromedp.Do(bctx, chromedp.Navigate(pageURL), chromedp.WaitReady("body")); err != nil {
		return nil, fmt.Errorf("browsertest: open %s: %w", path, err)
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
func allocatorOptions(chromium, userDataDir string) ([]chromedp.ExecAllocatorOption, error) {
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
		chromedp.UserDataDir(userDataDir),
		chromedp.Env("TMPDIR=" + tmp),
		chromedp.WindowSize(1280, 900),
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
