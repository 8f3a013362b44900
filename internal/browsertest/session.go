package browsertest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// Session is a headless Chromium that a test drives through a web app:
// navigating, filling forms, clicking and reading the DOM with chromedp
// actions, while the session collects every error the pages report. Start
// one with Start and Close it.
type Session struct {
	ctx    context.Context
	cancel func()
	mu     sync.Mutex
	errs   []string
}

// SessionOptions control Start.
type SessionOptions struct {
	// Chromium is the browser binary. Defaults to Find's answer.
	Chromium string
	// Timeout bounds the whole session. Defaults to 2 minutes.
	Timeout time.Duration
}

// Start starts a fresh headless Chromium with an empty profile in
// userDataDir, an empty directory the caller removes after Close.
func Start(ctx context.Context, userDataDir string, opts *SessionOptions) (*Session, error) {
	var o SessionOptions
	if opts != nil {
		o = *opts
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Minute
	}
	allocOpts, err := allocatorOptions(o.Chromium, userDataDir, 1280)
	if err != nil {
		return nil, err
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, o.Timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocOpts...)
	s := &Session{}
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		if msg, ok := consoleError(ev); ok {
			s.mu.Lock()
			s.errs = append(s.errs, msg)
			s.mu.Unlock()
		}
	}))
	s.ctx = bctx
	s.cancel = func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	}
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		s.cancel()
		return nil, fmt.Errorf("browsertest: start chromium: %w", err)
	}
	return s, nil
}

// Do runs chromedp actions in the session's tab, in order.
func (s *Session) Do(steps ...chromedp.Action[chromedp.Void]) error {
	return chromedp.Do(s.ctx, steps...)
}

// Context is the session's chromedp context, for chromedp.Run of an action
// that returns a value:
//
//	n, err := chromedp.Run(s.Context(), chromedp.Evaluate[int](`document.forms.length`))
func (s *Session) Context() context.Context { return s.ctx }

// Errors returns the errors the pages reported so far: console.error and
// console.assert calls, uncaught exceptions, and error entries of the
// browser's log (a failed or refused request, a Content-Security-Policy
// violation).
func (s *Session) Errors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.errs)
}

// Screenshot returns a full-page PNG of the current page.
func (s *Session) Screenshot() ([]byte, error) {
	return chromedp.Run(s.ctx, chromedp.FullScreenshot(100)) // 100: PNG; below it, JPEG
}

// Close stops the browser.
func (s *Session) Close() { s.cancel() }
