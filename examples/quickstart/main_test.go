package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/internal/browsertest"
	"github.com/citylinks/citylinks/internal/demo"
	"github.com/citylinks/citylinks/internal/iatixsd"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
)

// The whole quickstart runs twice on one SQLite file, once for all the
// tests that read its output: it loads 32,847 cities, which is slow under
// the race detector.
var shared struct {
	once          sync.Once
	dir           string
	first, second string
	err           error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func sharedRun(t *testing.T) (dir, first, second string) {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "quickstart-test")
		if shared.err != nil {
			return
		}
		cfg := config{dbPath: filepath.Join(shared.dir, "db", "citylinks.db"), outDir: shared.dir}
		var a, b bytes.Buffer
		if shared.err = run(t.Context(), &a, cfg); shared.err != nil {
			return
		}
		if shared.err = run(t.Context(), &b, cfg); shared.err != nil {
			return
		}
		shared.first, shared.second = a.String(), b.String()
	})
	require.NoError(t, shared.err)
	return shared.dir, shared.first, shared.second
}

func TestRunTwice(t *testing.T) {
	dir, first, second := sharedRun(t)
	for _, want := range []string{
		"Loaded 32847 GeoNames cities",
		"Replayed the 9 documented",
		"8 pairs proposed",
		"Valparaíso                   ineligible: the World Bank classified Chile as high income in FY15",
		"CAPP15-DEMO-BEIRA-NORFOLK completed on its approved final results",
		"Partnerships by state:  agreed 2  active 10  closing 3  completed 1  declined 1",
		"Volunteer time: 542 hours in 16 contributions; in-kind value 16100.00 USD",
		"Indicators against target:  behind 4  on-track 6",
	} {
		assert.Contains(t, first, want)
	}
	for _, want := range []string{
		"0 replayed now, 9 found from an earlier run",
		"found the 8 partnerships it proposed in an earlier run",
		"advanced by an earlier run (50 steps found); nothing to add",
		"outcomes found from an earlier run",
		"Partnerships by state:  agreed 2  active 10  closing 3  completed 1  declined 1",
		"Volunteer time: 542 hours in 16 contributions",
	} {
		assert.Contains(t, second, want, "a second run adds nothing")
	}
	for _, f := range []string{"report.html", "report.md", "report.csv", "report.json", "iati.xml", "cities_summary.csv"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if assert.NoError(t, err, f) {
			assert.Positive(t, st.Size(), f)
		}
	}
}

// jsonReport reads report.json.
func jsonReport(t *testing.T, dir string) report.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	require.NoError(t, err)
	var r report.Report
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

// TestReportHasResultsFramework: the program's results framework reaches
// the report, and places every indicator the report shows.
func TestReportHasResultsFramework(t *testing.T) {
	dir, _, _ := sharedRun(t)
	r := jsonReport(t, dir)
	require.Len(t, r.Frameworks, 1)
	f := r.Frameworks[0]
	assert.Equal(t, report.StarterFramework(), f)
	require.NotEmpty(t, r.Indicators)
	for _, in := range r.Indicators {
		l, ok := f.LevelOf(in.Code)
		if assert.True(t, ok, "%s is placed", in.Code) {
			tier, _ := f.Tier(l.ID)
			assert.NotEmpty(t, tier, in.Code)
		}
	}
}

func TestReportInBrowser(t *testing.T) {
	if _, ok := browsertest.Find(); !ok {
		t.Skip("skipping browser test: no chromium on PATH (apt-get install chromium, or set CITYLINKS_CHROMIUM)")
	}
	dir, _, _ := sharedRun(t)
	page, err := browsertest.Open(t.Context(), filepath.Join(dir, "report.html"), t.TempDir(),
		&browsertest.Options{Selectors: []string{"script", "img", "iframe", "[onerror]", "link[rel=stylesheet]", "path.map-link"},
			Eval:   map[string]string{"cut": cutJS},
			TextOf: []string{`[data-approval="returned"] title`, `[data-approval="approved"] title`}})
	require.NoError(t, err)
	shot := filepath.Join(t.TempDir(), "report.png")
	require.NoError(t, os.WriteFile(shot, page.Screenshot, 0o644))
	t.Logf("screenshot of report.html: %s", shot)

	assert.Empty(t, page.ConsoleErrors, "console errors")
	assert.Empty(t, page.Requests, "the page is self-contained: no requests")
	assert.Empty(t, page.Failed, "failed requests")
	for sel, n := range page.Elements {
		if sel != "path.map-link" {
			assert.Zero(t, n, "elements matching %s", sel)
		}
	}
	// The returned figures are drawn, and marked as not approved.
	returned := page.Texts[`[data-approval="returned"] title`]
	assert.NotEmpty(t, returned, "returned actuals are drawn, marked")
	for _, title := range returned {
		assert.Contains(t, title, "(returned, not approved)")
	}
	assert.Contains(t, returned, "actual 2015-03-23/2016-12-31: 46 (returned, not approved)", "Portmore's returned workshop figure")
	for _, title := range page.Texts[`[data-approval="approved"] title`] {
		assert.NotContains(t, title, "not approved")
	}
	assert.NotEmpty(t, page.Texts[`[data-approval="approved"] title`])
	require.NotEmpty(t, page.SVGs)
	for i, s := range page.SVGs {
		assert.True(t, s.Width > 0 && s.Height > 0, "SVG %d has size %vx%v", i, s.Width, s.Height)
	}

	// Key numbers in the page are those of the JSON report.
	r := jsonReport(t, dir)
	assert.Equal(t, strconv.Itoa(len(r.Activities)), page.Marked["partnerships"])
	assert.Equal(t, strconv.Itoa(len(r.Indicators)), page.Marked["indicators"])
	hours := 0.0
	for _, c := range r.Rollup.Contributions {
		hours += c.Hours
		assert.Equal(t, number(c.Hours), page.Marked["hours/"+strings.Join(c.Group, "/")], "hours of %v", c.Group)
	}
	assert.Equal(t, number(hours), page.Marked["volunteer-hours"])
	checked := 0
	for _, row := range r.Rollup.Rows {
		key := strings.Join(row.Group, "/") + "/" + row.Indicator
		for what, v := range map[string]*float64{"actual": row.Actual, "target": row.Target, "unapproved": row.Unapproved} {
			if v == nil {
				continue
			}
			assert.Equal(t, number(*v), page.Marked[what+"/"+key], "%s of %s", what, key)
			checked++
		}
	}
	assert.Greater(t, checked, 10, "numbers compared")
	assert.Empty(t, page.Overflow, "nothing sticks out sideways at 1280 px")
	assert.JSONEq(t, `[]`, string(page.Evals["cut"]), "chart labels cut off by their drawing's edge")
	assert.Equal(t, len(r.Activities), page.Elements["path.map-link"], "the map draws one line per partnership")
}

// cutJS lists the SVG texts that stick out of their drawing, and so are
// cut off.
const cutJS = `Array.from(document.querySelectorAll('svg text')).filter(t => {
  const b = t.ownerSVGElement.getBoundingClientRect(), r = t.getBoundingClientRect();
  return r.right > b.right + 1 || r.left < b.left - 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1;
}).map(t => t.textContent)`

// number formats a value as the English HTML report does: thousands
// grouped with commas, at most two decimals.
func number(v float64) string { return render.English.Number(v) }

func TestIATIValidates(t *testing.T) {
	dir, _, _ := sharedRun(t)
	path := filepath.Join(dir, "iati.xml")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	problems, err := render.CheckIATI(f, time.Now())
	require.NoError(t, err)
	for _, p := range problems {
		assert.NotEqual(t, render.SeverityError, p.Severity, "IATI rule check: %s", p)
	}
	iatixsd.Validate(t, path)
}

// TestIATIHoldsApprovedFiguresOnly: the monitor returned three reports
// (CL11-POR-TSV's span with Portmore's documented workshop of 46
// participants, and 2015-Q3 of CUSCO-FORT-COLLINS and DA-NANG-CHARLESTON)
// and approved none of them again: iati.xml publishes none of their
// figures, though they are recorded and the other reports show them; with
// IncludeUnapproved they are published, marked.
func TestIATIHoldsApprovedFiguresOnly(t *testing.T) {
	dir, _, _ := sharedRun(t)
	doc, err := os.ReadFile(filepath.Join(dir, "iati.xml"))
	require.NoError(t, err)
	published, err := reporttest.IATIActuals(doc)
	require.NoError(t, err)
	r := jsonReport(t, dir)
	returned := map[string][]report.Period{}
	for _, a := range r.Approvals {
		if a.State == report.StateReturned {
			returned[a.Partnership] = append(returned[a.Partnership], a.Period)
		}
	}
	require.Len(t, returned, 3, "returned reports: %v", returned)
	require.Contains(t, returned, "CL11-POR-TSV")
	id := func(p string) string { return demoIATIRef + "-" + p }
	inPeriod := func(line string, p report.Period) bool {
		f := strings.Split(line, "|")
		return f[1] >= p.Start.String() && f[2] <= p.End.String()
	}
	recorded := 0
	for part, periods := range returned {
		for _, p := range periods {
			for _, line := range published[id(part)] {
				assert.False(t, inPeriod(line, p), "%s publishes a returned figure of %s: %s", part, p, line)
			}
			for _, s := range r.Series {
				for _, pp := range s.Periods {
					if s.Partnership == part && p.Contains(pp.Period) && pp.Actual != nil {
						recorded++
						assert.Equal(t, report.StateReturned, pp.Actual.State, "%s %s %s in report.json", part, s.Indicator, pp.Period)
					}
				}
			}
		}
	}
	assert.Positive(t, recorded, "the returned figures are in report.json, marked")
	assert.Empty(t, published[id("CL11-POR-TSV")], "Portmore's returned workshop figure is not published")
	assert.NotEmpty(t, published[id("CAPP15-DEMO-CUSCO-FORT-COLLINS")], "its approved 2015-Q2 figures are published")

	var buf bytes.Buffer
	all := render.IATI{ReportingOrg: render.IATIOrg{Ref: demoIATIRef, Type: "21", Name: "ICMA CityLinks (quickstart)"}, IncludeUnapproved: true}
	require.NoError(t, all.Render(&buf, &r))
	everything, err := reporttest.IATIActuals(buf.Bytes())
	require.NoError(t, err)
	assert.Contains(t, everything[id("CL11-POR-TSV")], "Stakeholders taking part in climate planning workshops (people)|2015-03-23|2016-12-31|46||Not approved (returned).")
}

// sharedStore opens the database of the shared run, with a partnership
// service over it and a viewer to read with.
func sharedStore(t *testing.T) (backend, *partnership.Service, citylinks.Actor) {
	t.Helper()
	dir, _, _ := sharedRun(t)
	store, _, err := open(t.Context(), config{dbPath: filepath.Join(dir, "db", "citylinks.db")})
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	viewer := citylinks.Actor{ID: "t", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleViewer}}
	return store, partnership.NewService(store, nil), viewer
}

func TestReplayKeepsCompositeParties(t *testing.T) {
	_, svc, viewer := sharedStore(t)
	p, err := svc.Get(t.Context(), viewer, "CL11-DUR-FTL")
	require.NoError(t, err)
	res, ok := p.Party("ftl-broward")
	require.True(t, ok)
	assert.Len(t, res.Members, 2, "Fort Lauderdale + Broward County stay one composite party")
	assert.Equal(t, partnership.StateActive, p.State)
	require.Len(t, p.Exchanges, 1)
	assert.Equal(t, "2013-07-01", p.Exchanges[0].Start.String())

	shimla, err := svc.Get(t.Context(), viewer, "CL11-SHI-BOU")
	require.NoError(t, err)
	assert.Equal(t, partnership.StateClosing, shimla.State)
	assert.Equal(t, "2015-03-23", shimla.ProposedOn.String())
}

// TestReportInStep: every partnership the flow ran through the service is
// reported as package handoff describes it, with its contributions, and
// the reports say what the partnerships' notes say (sources, and that the
// round is illustrative).
func TestReportInStep(t *testing.T) {
	store, svc, viewer := sharedStore(t)
	page, err := svc.List(t.Context(), viewer, partnership.Filter{Limit: citylinks.MaxPageSize})
	require.NoError(t, err)
	require.Len(t, page.Items, 17)
	for _, s := range page.Items {
		p, err := svc.Get(t.Context(), viewer, s.ID)
		require.NoError(t, err)
		a, err := store.GetActivity(t.Context(), p.ID)
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(handoff.Activity(p, &handoff.Options{IATI: demo.IATIOrgs(), Amend: demo.Amender(store)}), a, cmpopts.EquateEmpty()), p.ID)
		cs, err := store.ListContributions(t.Context(), p.ID)
		require.NoError(t, err)
		assert.Len(t, cs, len(p.Contributions), p.ID)
		if strings.HasPrefix(p.ID, demo.RoundPrefix) {
			assert.Contains(t, a.Description, "illustrative", p.ID)
		} else {
			assert.Contains(t, a.Description, "Sources: http", p.ID)
			assert.NotContains(t, a.Description, "  ", p.ID)
		}
	}
}

// timestamps matches the instants in the reports, which differ between
// runs; everything else must not.
var timestamps = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?( UTC|Z)?`)

func TestPostgresMatchesSQLite(t *testing.T) {
	pool := postgrestest.NewPool(t, 0)
	u, err := url.Parse(postgrestest.URL(t))
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", pool.Config().ConnConfig.RuntimeParams["search_path"])
	u.RawQuery = q.Encode()

	pgDir, liteDir := t.TempDir(), t.TempDir()
	var pgOut, liteOut bytes.Buffer
	require.NoError(t, run(t.Context(), &pgOut, config{outDir: pgDir, postgres: u.String(), keepCity: demo.FewCities}))
	require.NoError(t, run(t.Context(), &liteOut, config{outDir: liteDir, dbPath: filepath.Join(liteDir, "c.db"), keepCity: demo.FewCities}))
	assert.Contains(t, pgOut.String(), "CAPP15-DEMO-BEIRA-NORFOLK completed")
	for _, f := range []string{"report.html", "report.md", "report.csv", "report.json", "iati.xml"} {
		a, err := os.ReadFile(filepath.Join(pgDir, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(liteDir, f))
		require.NoError(t, err)
		assert.Equal(t, timestamps.ReplaceAllString(string(b), "T"), timestamps.ReplaceAllString(string(a), "T"),
			"%s differs between SQLite and PostgreSQL beyond timestamps", f)
	}
}

// TestReportsInLanguages: -lang writes report.html, report.md and
// report.csv's header in the language asked for; an unknown one is an
// error naming those there are.
func TestReportsInLanguages(t *testing.T) {
	store, _, _ := sharedStore(t)
	e, err := demo.New(t.Context(), store, nil)
	require.NoError(t, err)
	dir := t.TempDir()
	_, _, err = writeReports(t.Context(), e, config{outDir: dir, iatiOrgRef: demoIATIRef, lang: "pt"})
	require.NoError(t, err)
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), `<html lang="pt">`)
	assert.Contains(t, string(html), "Cidades anfitriãs e seus parceiros de recursos")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "## Progresso em direção à meta")
	csvFile, err := os.ReadFile(filepath.Join(dir, "report.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(csvFile), "Parceria,"), "the CSV header is in Portuguese")

	_, _, err = writeReports(t.Context(), e, config{outDir: dir, iatiOrgRef: demoIATIRef, lang: "de"})
	assert.ErrorContains(t, err, "en, fr, es, pt")
}

// TestRefusesBadPublisher: a publisher identifier IATI cannot take is
// refused before the quickstart opens a database or writes a file.
func TestRefusesBadPublisher(t *testing.T) {
	for _, ref := range []string{"ICMA CityLinks", "XI-IATI/CITYLINKS", "A&B", "A|B", "A?B", " XI-IATI-X"} {
		dir := t.TempDir()
		err := run(t.Context(), io.Discard, config{dbPath: filepath.Join(dir, "db", "c.db"), outDir: filepath.Join(dir, "out"), iatiOrgRef: ref})
		require.ErrorIs(t, err, citylinks.ErrInvalid, ref)
		assert.Contains(t, err.Error(), "-iati-org-ref", ref)
		entries, _ := os.ReadDir(dir)
		assert.Empty(t, entries, "%q: nothing created", ref)
	}
}

// TestIATIFields: iati.xml places each partnership at its host city,
// links the partnerships under the cooperative agreement to it and the one
// under an associate award to none, links the documented fact sheets and
// pages, names USAID by its identifier, and publishes a description for
// the public, not the internal notes with their sources.
func TestIATIFields(t *testing.T) {
	dir, _, _ := sharedRun(t)
	b, err := os.ReadFile(filepath.Join(dir, "iati.xml"))
	require.NoError(t, err)
	var doc struct {
		Activities []struct {
			Hierarchy    string   `xml:"hierarchy,attr"`
			Identifier   string   `xml:"iati-identifier"`
			Descriptions []string `xml:"description>narrative"`
			Orgs         []struct {
				Ref  string `xml:"ref,attr"`
				Role string `xml:"role,attr"`
			} `xml:"participating-org"`
			Locations []string `xml:"location>point>pos"`
			Documents []struct {
				URL string `xml:"url,attr"`
			} `xml:"document-link"`
			Related []struct {
				Ref string `xml:"ref,attr"`
			} `xml:"related-activity"`
		} `xml:"iati-activity"`
	}
	require.NoError(t, xml.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Activities)
	byID := map[string]int{}
	for i, a := range doc.Activities {
		byID[strings.TrimPrefix(a.Identifier, demoIATIRef+"-")] = i
		assert.NotEmpty(t, a.Locations, "%s has its host city", a.Identifier)
		for _, d := range a.Descriptions {
			assert.NotContains(t, d, "Sources:", a.Identifier)
			assert.NotContains(t, d, "illustrative", a.Identifier)
		}
		funded := false
		for _, o := range a.Orgs {
			funded = funded || o.Role == "1" && o.Ref == "US-GOV-1"
		}
		assert.True(t, funded, "%s names USAID as US-GOV-1", a.Identifier)
	}
	dur := doc.Activities[byID["CL11-DUR-FTL"]]
	assert.Equal(t, "2", dur.Hierarchy)
	require.Len(t, dur.Related, 1)
	assert.Equal(t, demo.ParentActivity, dur.Related[0].Ref)
	assert.Equal(t, []string{"-29.8579 31.0292"}, dur.Locations, "Durban's GeoNames coordinates, not Fort Lauderdale's")
	// The report (and its map) has both ends of each partnership whose
	// resource party governs a city.
	for _, a := range jsonReport(t, dir).Activities {
		roles := map[report.LocationRole]int{}
		for _, l := range a.Locations {
			roles[l.Role]++
		}
		assert.Equal(t, 1, roles[report.LocationHost], "%s: one host city", a.ID)
		if a.ID != "CL11-TEL-CAT" { // Catawba County governs no one city
			assert.Equal(t, 1, roles[report.LocationResource], "%s: one resource city", a.ID)
		}
	}
	tel := doc.Activities[byID["CL11-TEL-CAT"]]
	assert.Equal(t, "1", tel.Hierarchy, "an associate award's partnership has no identified parent")
	assert.Empty(t, tel.Related)
	por := doc.Activities[byID["CL11-POR-TSV"]]
	require.Len(t, por.Documents, 1)
	assert.Equal(t, "https://docslib.org/doc/344136/partnership-fact-sheet", por.Documents[0].URL)
}

// TestTracksCompareLikeWithLike: the round's staff-training indicator has
// annual targets and quarterly reports; its track sets each year's
// quarters against that year's target, never a quarter against a year.
func TestTracksCompareLikeWithLike(t *testing.T) {
	dir, _, _ := sharedRun(t)
	r := jsonReport(t, dir)
	tr, ok := r.Track("CAPP15-DEMO-BEIRA-NORFOLK", "CL-CLIM-02", "")
	require.True(t, ok)
	assert.Equal(t, report.ViewPerPeriod, tr.View)
	require.Len(t, tr.Points, 2)
	for i, want := range []struct {
		period  string
		target  float64
		reports int
	}{{"2015", 33, 3}, {"2016", 9, 1}} {
		p := tr.Points[i]
		assert.Equal(t, want.period, p.Period.String())
		require.NotNil(t, p.Target, want.period)
		assert.Equal(t, want.target, *p.Target, want.period)
		assert.Equal(t, want.reports, p.Actuals, want.period)
		assert.NotNil(t, p.Actual, want.period)
	}
}
