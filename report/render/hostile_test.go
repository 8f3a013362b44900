package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	gmast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	gmtext "github.com/yuin/goldmark/text"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/browsertest"
	"github.com/citylinks/citylinks/internal/hostile"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

// hostileNow is the clock of the hostile report: after every activity's
// start, so that IATI's rules hold.
var hostileNow = time.Date(2016, 6, 30, 12, 0, 0, 0, time.UTC)

// hostileActivityID returns v where an id may hold it, else a plain id.
func hostileActivityID(v hostile.Value, i int) string {
	if v.ID {
		return v.Text
	}
	return fmt.Sprintf("h-%02d", i)
}

// hostileReport records, through the Service over a memory store, one
// partnership per short hostile value with the value in every text field
// (titles, descriptions, participant and objective names, indicator names
// and units, comments, sources, disaggregation categories, contribution
// descriptions, return comments), builds the report, and then puts long
// into the first activity's title and description by hand (the Service
// refuses text over report.MaxTextLen, 64 KiB; the renderers take any
// length). It returns the report, its service and the values by activity
// id.
func hostileReport(t *testing.T, long string) (*report.Report, *report.Service, map[string]string) {
	t.Helper()
	ctx := t.Context()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return hostileNow }})
	fac, mon := reporttest.Facilitator, reporttest.Monitor
	byID := map[string]string{}
	var titles []string
	for i, v := range hostile.ShortValues() {
		code, id := fmt.Sprintf("H-%02d", i), hostileActivityID(v, i)
		byID[id] = v.Text
		titles = append(titles, v.Text)
		require.NoError(t, svc.DefineIndicator(ctx, fac, report.Indicator{Code: code, Name: v.Text, Description: v.Text, Unit: v.Text,
			Measure: report.MeasureUnit, Direction: report.Increase, Aggregation: report.Sum, Dimensions: []string{"sex"}, FocusArea: citylinks.FocusClimate}))
		require.NoError(t, svc.RegisterActivity(ctx, fac, report.Activity{ID: id, Title: v.Text, Description: v.Text, Summary: v.Text,
			Locations: []report.Location{{Name: v.Text, Lat: -29.8579, Lon: 31.0292}},
			Documents: []report.Document{{URL: "https://example.org/fact-sheet?id=1&lang=en#results", Title: v.Text, Category: report.DocumentResults, Format: "text/html"}},
			Program:   citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate, Country: "ZA",
			PlannedStart: citylinks.Date{Year: 2015, Month: 1, Day: 1}, PlannedEnd: citylinks.Date{Year: 2016, Month: 12, Day: 31},
			ActualStart: citylinks.Date{Year: 2015, Month: 2, Day: 1}, Status: report.StatusImplementation, Schedule: report.Annual,
			Participants: []report.ParticipatingOrg{
				{Organization: "usaid", Ref: "US-GOV-1", Name: v.Text, Role: report.RoleFunding, Type: "10"},
				{Organization: fmt.Sprintf("org-%02d", i), Name: v.Text, Role: report.RoleImplementing, Type: "11"},
			},
			Sectors:    []report.Sector{{Code: "41010", Percentage: 100}},
			Objectives: []report.Objective{{Code: "obj-1", Text: v.Text, Indicators: []string{code}}},
		}))
		category := "female"
		if v.Category {
			category = v.Text
		}
		obs := func(k report.Kind, y int, value float64, dis report.Disaggregation) report.Observation {
			return report.Observation{Partnership: id, Indicator: code, Kind: k, Period: report.Year(y), Value: value,
				Disaggregation: dis, Comment: v.Text, Source: v.Text}
		}
		require.NoError(t, svc.Record(ctx, fac,
			obs(report.KindBaseline, 2014, 1, nil), obs(report.KindTarget, 2015, 10, nil), obs(report.KindActual, 2015, 6, nil),
			obs(report.KindTarget, 2015, 5, report.Disaggregation{"sex": category}), obs(report.KindActual, 2015, 3, report.Disaggregation{"sex": category})))
		require.NoError(t, svc.RecordContributions(ctx, fac, report.Contribution{Partnership: id, Organization: "org", Date: citylinks.Date{Year: 2015, Month: 3, Day: 1},
			Hours: 2, Description: v.Text}))
		_, err := svc.Submit(ctx, fac, id, report.Year(2015))
		require.NoError(t, err)
		_, err = svc.Return(ctx, mon, id, report.Year(2015), v.Text)
		require.NoError(t, err)
	}
	r, err := svc.BuildReport(ctx, reporttest.Viewer, &report.ReportOptions{Title: strings.Join(titles, " | ")})
	require.NoError(t, err)
	require.Len(t, r.Activities, len(hostile.ShortValues()))
	r.Activities[0].Title, r.Activities[0].Description = long, long
	byID[r.Activities[0].ID] = long
	return r, svc, byID
}

// startsFormula reports whether a spreadsheet would run a cell as a formula.
func startsFormula(s string) bool { return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) }

// TestHostileCSV: no text cell of the CSV renderer starts a formula; with
// the apostrophe mark removed, each is the value itself. Observations
// written with WriteObservationsCSV read back unchanged.
func TestHostileCSV(t *testing.T) {
	r, svc, _ := hostileReport(t, hostile.Long())
	var buf bytes.Buffer
	require.NoError(t, render.CSV{}.Render(&buf, r))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	header := recs[0]
	text := map[string]bool{"partnership": true, "indicator": true, "indicator_name": true, "unit": true}
	names := map[string]bool{}
	for _, rec := range recs[1:] {
		for j, cell := range rec {
			if !text[header[j]] {
				continue
			}
			assert.False(t, startsFormula(cell), "column %s: cell %q would run as a formula", header[j], cell)
			if strings.HasPrefix(cell, "'") {
				assert.True(t, startsFormula(cell[1:]) || strings.HasPrefix(cell[1:], "'"), "an apostrophe only marks a formula-like cell: %q", cell)
				cell = cell[1:]
			}
			if header[j] == "indicator_name" {
				names[cell] = true
			}
		}
	}
	for _, v := range hostile.ShortValues() {
		// A line break is CRLF in the file, which a CSV reader reads as LF.
		want := strings.ReplaceAll(v.Text, "\r", "\n")
		assert.True(t, names[want], "%s: the indicator name is in the CSV, unchanged but for the mark", v.Name)
	}

	all, err := reporttest.Stored(t.Context(), svc.Store())
	require.NoError(t, err)
	var obs []report.Observation
	for _, o := range all {
		obs = append(obs, o)
	}
	buf.Reset()
	require.NoError(t, report.WriteObservationsCSV(&buf, obs))
	rows, err := report.ReadObservationsCSV(&buf)
	require.NoError(t, err)
	require.Len(t, rows, len(obs))
	for i, row := range rows {
		want := obs[i]
		want.RecordedAt, want.Owner = time.Time{}, "" // the service sets them, not the file
		assert.Empty(t, cmp.Diff(want, row.Observation, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b report.Period) bool { return a == b })),
			"observation %s changed in a CSV round trip", want.ID)
	}
}

// TestHostileJSON: the JSON renderer's output decodes to the same values,
// and holds no raw '<', '>', '&', U+2028 or U+2029, so it is safe inside a
// <script> element or a JavaScript string.
func TestHostileJSON(t *testing.T) {
	r, _, _ := hostileReport(t, hostile.Long())
	var buf bytes.Buffer
	require.NoError(t, render.JSON{}.Render(&buf, r))
	out := buf.Bytes()
	for _, c := range []string{"<", ">", "&", "\u2028", "\u2029"} {
		assert.NotContains(t, string(out), c, "raw %q in the JSON", c)
	}
	var back struct {
		Schema string `json:"schema"`
		report.Report
	}
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, r.Title, back.Title)
	assert.Empty(t, cmp.Diff(r.Activities, back.Activities), "activities")
	assert.Empty(t, cmp.Diff(r.Indicators, back.Indicators), "indicators")
	assert.Empty(t, cmp.Diff(r.Series, back.Series, cmp.Comparer(func(a, b report.Period) bool { return a == b })), "series")
	assert.Empty(t, cmp.Diff(r.Approvals, back.Approvals, cmp.Comparer(func(a, b report.Period) bool { return a == b })), "approvals")
	assert.Empty(t, cmp.Diff(r.Rollup, back.Rollup), "roll-up")
}

// flatten is what the Markdown and HTML renderers show of text: line
// breaks and tabs become spaces in Markdown (a table cell and a heading
// are one line), and an HTML parser reads a lone CR as LF.
func flatten(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// injected are the selectors of what hostile text must never become in a
// page: elements that run or load something, and event handlers.
var injected = []string{"script", "img", "iframe", "object", "embed", "form", "input", "textarea", "base", "link", "meta[http-equiv]",
	"[onerror]", "[onload]", "[onclick]", "[srcdoc]", "[src]", "[href]", "svg svg"}

// openPage opens an HTML file in headless Chromium, or skips.
func openPage(t *testing.T, path string, textOf ...string) *browsertest.Page {
	t.Helper()
	if _, ok := browsertest.Find(); !ok {
		t.Skip("skipping browser test: chromium not installed (apt-get install chromium)")
	}
	p, err := browsertest.Open(t.Context(), path, filepath.Join(t.TempDir(), "profile"),
		&browsertest.Options{Selectors: append([]string{"svg"}, injected...), TextOf: textOf, NoScreenshot: true})
	require.NoError(t, err)
	assert.Empty(t, p.ConsoleErrors, "console errors")
	assert.Empty(t, p.Requests, "requests")
	assert.Empty(t, p.Failed, "failed requests")
	for _, sel := range injected {
		assert.Zero(t, p.Elements[sel], "injected %s reached the DOM", sel)
	}
	return p
}

// TestHostileMarkdown: in the Markdown renderer's output, as a GFM parser
// reads it, every table row has as many cells as its header, no raw HTML
// is left, and each activity's heading shows its title (flattened to one
// line). Rendered to HTML with raw HTML allowed and opened in Chromium, no
// injected element reaches the DOM.
func TestHostileMarkdown(t *testing.T) {
	r, _, _ := hostileReport(t, hostile.Long())
	var buf bytes.Buffer
	require.NoError(t, render.Markdown{}.Render(&buf, r))
	src := buf.Bytes()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	doc := md.Parser().Parse(gmtext.NewReader(src))
	tables := 0
	require.NoError(t, gmast.Walk(doc, func(n gmast.Node, entering bool) (gmast.WalkStatus, error) {
		if !entering {
			return gmast.WalkContinue, nil
		}
		switch n.Kind() {
		case gmast.KindRawHTML, gmast.KindHTMLBlock:
			t.Errorf("raw HTML in the Markdown: %q", n.Text(src)) //nolint:staticcheck // the raw text is what matters
		case extast.KindTable:
			tables++
			want := n.FirstChild().ChildCount()
			for row := n.FirstChild().NextSibling(); row != nil; row = row.NextSibling() {
				assert.Equal(t, want, row.ChildCount(), "a table row with %d cells under a header of %d", row.ChildCount(), want)
			}
		}
		return gmast.WalkContinue, nil
	}))
	assert.GreaterOrEqual(t, tables, 2+len(r.Activities), "roll-up, contributions and one table per series")

	var page bytes.Buffer
	page.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>md</title></head><body>\n")
	require.NoError(t, md.Convert(src, &page))
	page.WriteString("</body></html>\n")
	path := filepath.Join(t.TempDir(), "report.md.html")
	require.NoError(t, os.WriteFile(path, page.Bytes(), 0o644))
	p := openPage(t, path, "h2")
	for _, a := range r.Activities {
		assert.True(t, slices.Contains(p.Texts["h2"], flatten(a.Title)), "no heading shows %q", short(a.Title))
	}
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// TestHostileHTML opens the HTML renderer's page in headless Chromium: no
// injected element reaches the DOM, nothing is requested or logged, the
// charts are the renderer's own, and the cells and headings show the text
// exactly (the HTML parser reads a lone CR as LF). The long title is the
// longest text the Service stores (64 KiB): a page holding the 1 MB value
// eight times takes Chromium half a minute to lay out; TestHostileHTMLLong
// renders that one without a browser.
func TestHostileHTML(t *testing.T) {
	r, _, byID := hostileReport(t, longest())
	var buf bytes.Buffer
	require.NoError(t, render.HTML{}.Render(&buf, r))
	path := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	p := openPage(t, path, "td", "h1", "h3")
	assert.Equal(t, strings.Count(buf.String(), "<svg "), p.Elements["svg"], "only the renderer's own charts")
	crlf := func(s string) string { return strings.ReplaceAll(s, "\r", "\n") }
	assert.Equal(t, []string{crlf(r.Title)}, p.Texts["h1"])
	for id, title := range byID {
		assert.True(t, slices.Contains(p.Texts["td"], crlf(id)), "no cell shows the id %q", short(id))
		assert.True(t, slices.Contains(p.Texts["td"], crlf(title)), "no cell shows the title %q", short(title))
	}
	for _, v := range hostile.ShortValues() {
		assert.True(t, slices.Contains(p.Texts["td"], crlf(v.Text)), "%s: no cell shows the return comment", v.Name)
	}
}

// longest returns the longest text the Service stores, cut from the 1 MB
// value.
func longest() string {
	s := hostile.Long()[:report.MaxTextLen]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// TestHostileHTMLLong: the 1 MB value is escaped wherever the page shows it.
func TestHostileHTMLLong(t *testing.T) {
	r, _, _ := hostileReport(t, hostile.Long())
	var buf bytes.Buffer
	require.NoError(t, render.HTML{}.Render(&buf, r))
	assert.NotContains(t, buf.String(), "<b>", "the long value's markup is never raw")
	assert.GreaterOrEqual(t, strings.Count(html.UnescapeString(buf.String()), hostile.Long()), 2, "the escaped title shows in full")
}

// xmlSafe is what the IATI renderer writes of s: every character XML 1.0
// cannot carry (C0 controls other than tab, LF, CR) becomes U+FFFD.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return '\uFFFD'
		}
		return r
	}, s)
}

// TestHostileIATI: the IATI file stays valid against the 2.03 schema and
// passes the rule checks, and each narrative reads back as its value, with
// the characters XML cannot carry replaced by U+FFFD.
func TestHostileIATI(t *testing.T) {
	r, _, byID := hostileReport(t, hostile.Long())
	var buf bytes.Buffer
	var warnings []render.IATIProblem
	x := fixtureIATI
	x.OnWarning = func(p render.IATIProblem) { warnings = append(warnings, p) }
	require.NoError(t, x.Render(&buf, r))
	problems, err := render.CheckIATI(bytes.NewReader(buf.Bytes()), hostileNow)
	require.NoError(t, err)
	for _, p := range problems {
		assert.Equal(t, render.SeverityWarning, p.Severity, "%s", p)
	}
	f := filepath.Join(t.TempDir(), "hostile.xml")
	require.NoError(t, os.WriteFile(f, buf.Bytes(), 0o644))
	xmllint(t, f)

	var doc struct {
		Activities []struct {
			Identifier string `xml:"iati-identifier"`
			Title      string `xml:"title>narrative"`
			Orgs       []struct {
				Name string `xml:"narrative"`
			} `xml:"participating-org"`
			Results []struct {
				Title string `xml:"title>narrative"`
			} `xml:"result"`
		} `xml:"iati-activity"`
	}
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Activities, len(r.Activities))
	replaced := 0
	for i, a := range doc.Activities {
		id := r.Activities[i].ID
		v := byID[id]
		assert.Equal(t, fixtureIATI.ReportingOrg.Ref+"-"+xmlSafe(id), a.Identifier)
		assert.True(t, a.Title == xmlSafe(v), "%s: the title narrative changed", short(id))
		if i > 0 { // the first activity's title is the 1 MB value; its names are not
			for _, o := range a.Orgs {
				assert.True(t, o.Name == xmlSafe(v), "%s: a participant's narrative changed", short(id))
			}
			require.NotEmpty(t, a.Results)
			assert.True(t, a.Results[0].Title == xmlSafe(v), "%s: the result title changed", short(id))
		}
		if xmlSafe(v) != v {
			replaced++
		}
	}
	assert.Equal(t, 2, replaced, "the two values with C0 controls are written with U+FFFD")
	assert.NotEmpty(t, warnings, "identifiers with / & | ? are warned about")
}
