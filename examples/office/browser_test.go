package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/browsertest"
	"github.com/citylinks/citylinks/report"
)

// startBrowser starts Chromium for a walk through the app, or skips the
// test when there is none. Screenshots go to $CITYLINKS_SCREENSHOTS (a
// directory), else to a temporary directory the test logs.
func startBrowser(t *testing.T) (*browsertest.Session, func(name string)) {
	t.Helper()
	if _, ok := browsertest.Find(); !ok {
		t.Skip("skipping browser test: no chromium on PATH (apt-get install chromium, or set CITYLINKS_CHROMIUM)")
	}
	s, err := browsertest.Start(t.Context(), t.TempDir(), &browsertest.SessionOptions{Timeout: 4 * time.Minute})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	dir := os.Getenv("CITYLINKS_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	shoot := func(name string) {
		t.Helper()
		png, err := s.Screenshot()
		require.NoError(t, err)
		path := filepath.Join(dir, "office-"+name+".png")
		require.NoError(t, os.WriteFile(path, png, 0o644))
		t.Logf("screenshot: %s", path)
	}
	return s, shoot
}

// stepTimeout bounds one step of a walk, so that a page that never comes
// fails the step, not the whole session.
const stepTimeout = 45 * time.Second

// do runs actions in the session, within stepTimeout.
func do(t *testing.T, s *browsertest.Session, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.Context(), stepTimeout)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, actions...), what)
}

// eval evaluates a JavaScript expression in the page, within stepTimeout.
func eval[T any](t *testing.T, s *browsertest.Session, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.Context(), stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(t, err, expr)
	return v
}

// click clicks a button that sends a form and waits until the page it
// leads to has loaded: the old page is marked, and the mark must be gone.
func click(t *testing.T, s *browsertest.Session, sel string) {
	t.Helper()
	eval[bool](t, s, `window.officeOldPage = true`)
	do(t, s, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(stepTimeout)
	for {
		// While the new page loads, an evaluation may fail: try again.
		ctx, cancel := context.WithTimeout(s.Context(), time.Second)
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.officeOldPage && document.readyState === 'complete'`))
		cancel()
		if err == nil && loaded {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("click %s: no new page within %v (last error: %v)", sel, stepTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signInBrowser signs in through the form and waits for the directory.
func signInBrowser(t *testing.T, s *browsertest.Session, base string, c cred) {
	t.Helper()
	do(t, s, "sign-in page", chromedp.Navigate(base+"/signin"),
		chromedp.SetValue(chromedp.CSS(`input[name="id"]`), c.id),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), c.password))
	click(t, s, "#signin")
	do(t, s, "signed in as "+c.id, chromedp.WaitVisible(chromedp.CSS("#signout")))
}

// flash returns the message the last form left.
func flash(t *testing.T, s *browsertest.Session) string {
	t.Helper()
	return eval[string](t, s, `(document.querySelector('.error') || document.querySelector('.flash') || {textContent: "no message"}).textContent`)
}

// TestBrowserWalk: a coordinator records an observation and submits the
// quarter, the monitor approves it, and the donor finds the figure in the
// report; no page reports an error.
func TestBrowserWalk(t *testing.T) {
	a := newTestApp(t)
	s, shoot := startBrowser(t)
	base := a.srv.URL
	metric := "actual/" + cusco + "/CL-CLIM-02"
	before := donorActual(t, a, metric)

	// The coordinator of Fort Collins.
	signInBrowser(t, s, base, lee)
	shoot("1-directory-coordinator")
	do(t, s, "fill the outcome form",
		chromedp.Navigate(base+"/partnerships/"+cusco+"/outcomes"),
		chromedp.SetValue(chromedp.CSS(`#record select[name="indicator"]`), "CL-CLIM-02"),
		chromedp.SetValue(chromedp.CSS(`#record select[name="kind"]`), "actual"),
		chromedp.SetValue(chromedp.CSS(`#record input[name="period"]`), "2015-Q4"),
		chromedp.SetValue(chromedp.CSS(`#record input[name="value"]`), "17"),
		chromedp.SetValue(chromedp.CSS(`#record input[name="source"]`), "attendance sheets"))
	click(t, s, "#record-button")
	assert.Contains(t, flash(t, s), "Recorded actual 17 of CL-CLIM-02 for 2015-Q4.")
	click(t, s, `tr[data-period="2015-Q4"] button.submit`)
	assert.Contains(t, flash(t, s), "2015-Q4: submitted.")
	shoot("2-outcomes-submitted")
	do(t, s, "partnership page", chromedp.Navigate(base+"/partnerships/"+cusco), chromedp.WaitVisible(chromedp.CSS("#history")))
	shoot("3-partnership-coordinator")
	click(t, s, "#signout")

	// The monitor approves it from the queue.
	signInBrowser(t, s, base, monitor)
	item := `section[data-partnership="` + cusco + `"][data-period="2015-Q4"]`
	do(t, s, "approval queue", chromedp.Navigate(base+"/approvals"), chromedp.WaitVisible(chromedp.CSS(item)))
	shoot("4-approval-queue")
	click(t, s, item+" form.approve button")
	assert.Contains(t, flash(t, s), cusco+" 2015-Q4: approved.")
	click(t, s, "#signout")

	// The donor opens the report and finds the figure.
	signInBrowser(t, s, base, donor)
	do(t, s, "report", chromedp.Navigate(base+"/report"), chromedp.WaitReady(chromedp.CSS("body")))
	shown := eval[string](t, s, `(document.querySelector('[data-metric="`+metric+`"]') || {textContent: "missing"}).textContent.trim()`)
	after := donorActual(t, a, metric)
	assert.Equal(t, before+17, after, "the approved figure is in the roll-up")
	assert.Equal(t, strconv.FormatFloat(after, 'f', -1, 64), strings.ReplaceAll(shown, ",", ""), "the report shows the roll-up with the figure")
	shoot("5-donor-report")
	do(t, s, "directory", chromedp.Navigate(base+"/partnerships"), chromedp.WaitVisible(chromedp.CSS("#pairs-map")))
	assert.Equal(t, 17, eval[int](t, s, `document.querySelectorAll('#pairs-map g.pair line').length`), "the donor reads every partnership: all 17 are located and drawn")
	shoot("6-directory-donor")

	assert.Empty(t, s.Errors(), "errors the pages reported")
}

// donorActual is the approved actual the donor's report rolls up for a
// data-metric key.
func donorActual(t *testing.T, a *testApp, metric string) float64 {
	t.Helper()
	r, err := a.env.Reports.BuildReport(t.Context(), actorOf(t, donor), &report.ReportOptions{GroupBy: []report.Dim{report.DimPartnership}})
	require.NoError(t, err)
	for _, row := range r.Rollup.Rows {
		if "actual/"+strings.Join(row.Group, "/")+"/"+row.Indicator == metric && row.Actual != nil {
			return *row.Actual
		}
	}
	t.Fatalf("no roll-up row %s", metric)
	return 0
}

// TestBrowserHostileInput: hostile values typed into the forms reach the
// DOM as text: no element they hold is created, and each reads back as it
// was typed.
func TestBrowserHostileInput(t *testing.T) {
	a := newTestApp(t)
	s, shoot := startBrowser(t)
	base := a.srv.URL
	signInBrowser(t, s, base, lee)
	var typed []string
	form := `form[data-action="record-exchange"] `
	for i, v := range hostileValues() {
		if strings.ContainsAny(v.Text, "\r\n") {
			continue // an <input> strips line breaks itself; the handler tests send them
		}
		typed = append(typed, v.Text)
		do(t, s, v.Name+": fill the exchange form",
			chromedp.Navigate(base+"/partnerships/"+cusco),
			chromedp.SetValue(chromedp.CSS(form+`input[name="id"]`), "hostile-"+string(rune('a'+i))),
			chromedp.SetValue(chromedp.CSS(form+`select[name="from"]`), "city-5577147"),
			chromedp.SetValue(chromedp.CSS(form+`select[name="to"]`), "city-3941584"),
			chromedp.SetValue(chromedp.CSS(form+`input[name="start"]`), "2016-02-01"),
			chromedp.SetValue(chromedp.CSS(form+`input[name="end"]`), "2016-02-03"),
			chromedp.SetValue(chromedp.CSS(form+`input[name="purpose"]`), v.Text))
		click(t, s, form+"button")
		assert.Contains(t, flash(t, s), "record-exchange: done.", v.Name)
		do(t, s, v.Name+": fill the outcome form",
			chromedp.Navigate(base+"/partnerships/"+cusco+"/outcomes"),
			chromedp.SetValue(chromedp.CSS(`#record select[name="indicator"]`), "CL-CLIM-04"),
			chromedp.SetValue(chromedp.CSS(`#record input[name="period"]`), "2015-11"),
			chromedp.SetValue(chromedp.CSS(`#record input[name="value"]`), "3"),
			chromedp.SetValue(chromedp.CSS(`#record input[name="comment"]`), v.Text))
		click(t, s, "#record-button")
		assert.Contains(t, flash(t, s), "Recorded actual 3", v.Name)
		comments := eval[[]string](t, s, `Array.from(document.querySelectorAll('#observations td:nth-child(7)')).map(e => e.textContent)`)
		assert.Contains(t, comments, v.Text, "%s: the comment reads back as typed", v.Name)
	}
	do(t, s, "partnership page", chromedp.Navigate(base+"/partnerships/"+cusco), chromedp.WaitVisible(chromedp.CSS("#exchanges")))
	purposes := eval[[]string](t, s, `Array.from(document.querySelectorAll('#exchanges td:nth-child(5)')).map(e => e.textContent)`)
	for _, v := range typed {
		assert.Contains(t, purposes, v, "the purpose reads back as typed")
	}
	assert.Zero(t, eval[int](t, s, `document.querySelectorAll('script, img, iframe, svg, [onerror], [onload]').length`), "no element of the hostile text is in the DOM")
	shoot("hostile-partnership")
	do(t, s, "outcomes page", chromedp.Navigate(base+"/partnerships/"+cusco+"/outcomes"), chromedp.WaitVisible(chromedp.CSS("#observations")))
	assert.Zero(t, eval[int](t, s, `document.querySelectorAll('script, img, iframe, svg, [onerror], [onload]').length`))
	assert.Empty(t, s.Errors(), "errors the pages reported")
}
