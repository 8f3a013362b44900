package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/browsertest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// chartsJS describes every chart of a report page: its title, the texts
// naming its axes' units, how many ticks its scale has, its legend, the
// partnerships its map lines join, and any SVG text that sticks out of its
// drawing (and so is cut off).
const chartsJS = `Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const svg = f.querySelector('svg'), box = svg.getBoundingClientRect();
  return {
    kind: f.className,
    title: (f.querySelector('figcaption.chart-title') || {textContent: ''}).textContent.trim(),
    units: Array.from(svg.querySelectorAll('.axis-unit')).map(e => e.textContent.trim()),
    ticks: svg.querySelectorAll('.tick').length,
    legend: Array.from(f.querySelectorAll('.legend li')).map(e => e.textContent.trim()),
    links: Array.from(svg.querySelectorAll('path.map-link')).map(e => e.getAttribute('data-partnership')),
    cut: Array.from(svg.querySelectorAll('text')).filter(t => {
      const r = t.getBoundingClientRect();
      return r.right > box.right + 1 || r.left < box.left - 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
    }).map(t => t.textContent),
  };
})`

type pageChart struct {
	Kind, Title   string
	Units, Legend []string
	Ticks         int
	Links         []string
	Cut           []string
}

// Print widths: the width inside the page's @page margins (12 mm each
// side) of A4 (210 mm) and Letter (8.5 in), at 96 CSS pixels an inch.
const (
	a4Width     = 703
	letterWidth = 725
)

// screenshotDir is where the browser tests save what they saw:
// $CITYLINKS_SCREENSHOTS if set, else a temporary directory.
func screenshotDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("CITYLINKS_SCREENSHOTS"); d != "" {
		require.NoError(t, os.MkdirAll(d, 0o755))
		return d
	}
	return t.TempDir()
}

// checkReportPage opens an HTML report at 1280 px on screen and as printed
// on A4 and Letter, saves screenshots and PDFs into dir under prefix, and
// asserts what a donor-grade report needs: no script, request or console
// error; every chart titled in words (no partnership id, indicator code or
// "dimension=category"), an axis with a unit and a scale, a legend, no
// label cut off; one map line per partnership; nothing wider than the
// page. With print false it looks at the screen only. It returns the
// charts it saw.
func checkReportPage(t *testing.T, path, dir, prefix string, r *report.Report, print bool) []pageChart {
	t.Helper()
	if _, ok := browsertest.Find(); !ok {
		t.Skip("skipping browser test: chromium not installed (apt-get install chromium)")
	}
	var ids []string
	for _, a := range r.Activities {
		ids = append(ids, a.ID)
	}
	var codes []string
	for _, in := range r.Indicators {
		codes = append(codes, in.Code)
	}
	opts := &browsertest.Options{
		Selectors: []string{"script", "img", "iframe", "link[rel=stylesheet]", "[onerror]"},
		Eval:      map[string]string{"charts": chartsJS},
		Timeout:   3 * time.Minute, // the machine may be busy
	}
	if print {
		opts.Paper = map[string]browsertest.Paper{"a4": browsertest.A4, "letter": browsertest.Letter}
	}
	screen, err := browsertest.Open(t.Context(), path, filepath.Join(t.TempDir(), "profile"), opts)
	require.NoError(t, err)
	assert.Empty(t, screen.ConsoleErrors, "console errors")
	assert.Empty(t, screen.Requests, "the page is self-contained")
	for sel, n := range screen.Elements {
		assert.Zero(t, n, "elements matching %s", sel)
	}
	assert.Empty(t, screen.Overflow, "nothing sticks out sideways at 1280 px")
	require.NoError(t, os.WriteFile(filepath.Join(dir, prefix+"-screen.jpg"), screen.Screenshot, 0o644))
	for name, pdf := range screen.PDFs {
		require.NoError(t, os.WriteFile(filepath.Join(dir, prefix+"-"+name+".pdf"), pdf, 0o644))
	}
	var charts []pageChart
	require.NoError(t, json.Unmarshal(screen.Evals["charts"], &charts))
	require.NotEmpty(t, charts)
	maps := 0
	for _, c := range charts {
		assert.NotEmpty(t, c.Title, "a %s chart has no title", c.Kind)
		for _, id := range append(slices.Clone(ids), codes...) {
			assert.NotContains(t, c.Title, id, "chart title %q names an id", c.Title)
		}
		assert.NotContains(t, c.Title, "=", "chart title %q shows a raw breakdown", c.Title)
		assert.NotContains(t, c.Title, "…", "chart title %q is shortened", c.Title)
		assert.Empty(t, c.Cut, "labels cut off in %q", c.Title)
		assert.NotEmpty(t, c.Legend, "chart %q has no legend", c.Title)
		for _, item := range c.Legend {
			assert.NotContains(t, item, "=", "legend of %q", c.Title)
		}
		if strings.Contains(c.Kind, "chart-map") {
			maps++
			got := slices.Clone(c.Links)
			slices.Sort(got)
			assert.Equal(t, ids, got, "one map line per partnership")
			continue
		}
		if assert.NotEmpty(t, c.Units, "chart %q has no axis unit", c.Title) {
			for _, u := range c.Units {
				assert.NotEmpty(t, u, "chart %q: an empty axis unit", c.Title)
			}
		}
		assert.GreaterOrEqual(t, c.Ticks, 3, "chart %q has no scale", c.Title)
	}
	assert.Equal(t, 1, maps, "one map")
	if !print {
		return charts
	}
	shot := func(name string, width int) {
		p, err := browsertest.Open(t.Context(), path, filepath.Join(t.TempDir(), "profile"), &browsertest.Options{Width: width, Media: "print", Timeout: 3 * time.Minute})
		require.NoError(t, err)
		assert.Empty(t, p.Overflow, "nothing sticks out sideways in print on %s (%d px)", name, width)
		require.NoError(t, os.WriteFile(filepath.Join(dir, prefix+"-print-"+name+".jpg"), p.Screenshot, 0o644))
	}
	shot("a4", a4Width)
	shot("letter", letterWidth)
	t.Logf("screenshots and PDFs of %s in %s", path, dir)
	return charts
}

// TestHTMLInBrowser opens the golden HTML page in headless Chromium on
// screen and as printed, and the same report in French on screen (see
// checkReportPage).
func TestHTMLInBrowser(t *testing.T) {
	r := fixtureReport(t)
	dir := screenshotDir(t)
	charts := checkReportPage(t, filepath.Join("testdata", "report.html"), dir, "report", r, true)
	var titles []string
	for _, c := range charts {
		titles = append(titles, c.Title)
	}
	assert.Contains(t, titles, "Durban – Southeast Florida climate change partnership: Municipal staff trained in climate adaptation (people), 2014, by sex")
	assert.Contains(t, titles, "Durban – Southeast Florida climate change partnership: Municipal staff trained in climate adaptation (people) over time")

	var buf bytes.Buffer
	require.NoError(t, render.HTML{Lang: render.French}.Render(&buf, r))
	fr := filepath.Join(t.TempDir(), "rapport.html")
	require.NoError(t, os.WriteFile(fr, buf.Bytes(), 0o644))
	charts = checkReportPage(t, fr, dir, "rapport", r, false)
	titles = titles[:0]
	for _, c := range charts {
		titles = append(titles, c.Title)
	}
	assert.Contains(t, titles, "Durban – Southeast Florida climate change partnership : Municipal staff trained in climate adaptation (people), 2014, par sexe")
}

// TestHTMLResultsFramework: the page lays out the report's frameworks as
// trees of tiers, with the report's indicators at their levels, their
// type and their partnerships by status, and leaves out the levels with
// none.
func TestHTMLResultsFramework(t *testing.T) {
	r := fixtureReport(t)
	r.Frameworks = []report.Framework{report.StarterFramework()}
	var buf bytes.Buffer
	require.NoError(t, render.HTML{}.Render(&buf, r))
	page := buf.String()
	assert.Contains(t, page, "<h2>Results framework</h2>")
	assert.Contains(t, page, "Municipal staff trained in climate adaptation (people) — output: Behind 1, No approved actual yet 1")
	assert.NotContains(t, page, "People gaining access to basic drinking water services", "an indicator the report does not hold is left out")
	buf.Reset()
	require.NoError(t, render.HTML{Lang: render.Spanish}.Render(&buf, r))
	assert.Contains(t, buf.String(), "<h2>Marco de resultados</h2>")
}
