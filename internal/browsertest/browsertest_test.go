package browsertest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/browsertest"
)

func requireChromium(t *testing.T) {
	t.Helper()
	if _, ok := browsertest.Find(); !ok {
		t.Skip("skipping browser test: no chromium on PATH (apt-get install chromium, or set CITYLINKS_CHROMIUM)")
	}
}

func writeHTML(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "page.html")
	require.NoError(t, os.WriteFile(p, []byte("<!doctype html><html><head><meta charset=utf-8><title>t</title></head><body>"+body+"</body></html>"), 0o644))
	return p
}

func TestOpenSelfContained(t *testing.T) {
	requireChromium(t)
	path := writeHTML(t, `<p>Hours: <span data-metric="hours">1,234</span></p>
<svg width="200" height="100" viewBox="0 0 200 100"><rect width="50" height="50"/></svg>
<svg width="0" height="0"></svg><table><tr><td>a &amp; &lt;b&gt;</td><td>‮q</td></tr></table>`)
	profile := t.TempDir()
	p, err := browsertest.Open(t.Context(), path, profile, &browsertest.Options{Selectors: []string{"script", "rect"}, TextOf: []string{"td"}})
	require.NoError(t, err)
	// Chromium's singleton directory is inside the profile, which the
	// test removes, not left in /tmp.
	singleton, err := filepath.Glob(filepath.Join(profile, "tmp", "org.chromium.*"))
	require.NoError(t, err)
	assert.NotEmpty(t, singleton, "chromium's temporary directory is in the profile")
	assert.Empty(t, p.ConsoleErrors)
	assert.Empty(t, p.Requests)
	assert.Empty(t, p.Failed)
	assert.Equal(t, []browsertest.Size{{200, 100}, {0, 0}}, p.SVGs)
	assert.Equal(t, "1,234", p.Marked["hours"])
	assert.Equal(t, 0, p.Elements["script"])
	assert.Equal(t, 1, p.Elements["rect"])
	assert.Equal(t, []string{"a & <b>", "\u202eq"}, p.Texts["td"])
	assert.Greater(t, len(p.Screenshot), 1000, "a PNG screenshot")
}

func TestOpenSeesErrorsAndRequests(t *testing.T) {
	requireChromium(t)
	// The harness must notice what the report tests assert never happens.
	path := writeHTML(t, `<img src="http://127.0.0.1:9/missing.png"><script>console.error("boom"); undefinedFn();</script>`)
	p, err := browsertest.Open(t.Context(), path, t.TempDir(), &browsertest.Options{Selectors: []string{"script", "img"}})
	require.NoError(t, err)
	assert.Len(t, p.Requests, 1)
	assert.NotEmpty(t, p.Failed)
	assert.GreaterOrEqual(t, len(p.ConsoleErrors), 2, "console.error and the uncaught exception: %q", p.ConsoleErrors)
	assert.Equal(t, 1, p.Elements["script"])
}

func TestOpenOverflowPrintAndEval(t *testing.T) {
	requireChromium(t)
	path := writeHTML(t, `<style>.wide{width:2000px;height:10px}@media print{.wide{display:none}}</style><div class="wide big"></div><p id="x">words</p>`)
	p, err := browsertest.Open(t.Context(), path, t.TempDir(), &browsertest.Options{Width: 800,
		Eval:  map[string]string{"width": `document.documentElement.clientWidth`, "text": `document.getElementById('x').textContent`},
		Paper: map[string]browsertest.Paper{"a4": browsertest.A4}})
	require.NoError(t, err)
	require.NotEmpty(t, p.Overflow, "a 2000 px element sticks out of an 800 px viewport")
	assert.Contains(t, p.Overflow[0], "document is 2008 px wide")
	assert.Contains(t, strings.Join(p.Overflow, "\n"), "div.wide.big spans 8..2008")
	assert.JSONEq(t, `800`, string(p.Evals["width"]))
	assert.JSONEq(t, `"words"`, string(p.Evals["text"]))
	assert.True(t, bytes.HasPrefix(p.PDFs["a4"], []byte("%PDF")), "a PDF")

	printed, err := browsertest.Open(t.Context(), path, t.TempDir(), &browsertest.Options{Width: 800, Media: "print", NoScreenshot: true})
	require.NoError(t, err)
	assert.Empty(t, printed.Overflow, "print media hides the wide element")
}
