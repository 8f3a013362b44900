package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/iatixsd"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixtureIATI is the reporting organization of the IATI golden file: the
// format placeholder of testdata/example-partnership.xml, not a real EIN.
var fixtureIATI = render.IATI{ReportingOrg: render.IATIOrg{Ref: "US-EIN-000000000", Type: "21", Name: "Example Municipal Partnerships Program"}}

// newService returns a report service on an in-memory store holding the
// reporttest fixture, its clock fixed at reporttest.Now.
func newService(t *testing.T) *report.Service {
	t.Helper()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	require.NoError(t, reporttest.Load(t.Context(), svc))
	return svc
}

func fixtureReport(t *testing.T) *report.Report {
	t.Helper()
	svc := newService(t)
	require.NoError(t, reporttest.Review(t.Context(), svc))
	r, err := svc.BuildReport(t.Context(), reporttest.Viewer, &report.ReportOptions{Title: "CityLinks results <fixture>"})
	require.NoError(t, err)
	return r
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report/render -run TestGolden -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs from the golden file; if the change is intended, run with -update", name)
}

func TestGolden(t *testing.T) {
	r := fixtureReport(t)
	for _, tc := range []struct {
		file string
		r    render.Renderer
	}{
		{"report.csv", render.CSV{}},
		{"report.json", render.JSON{Indent: true}},
		{"report.md", render.Markdown{}},
		{"report.html", render.HTML{}},
		{"iati.xml", fixtureIATI},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tc.r.Render(&buf, r))
			golden(t, tc.file, buf.Bytes())
		})
	}
}

func TestCSVRendererNeutralisesFormulas(t *testing.T) {
	r := fixtureReport(t)
	r.Rollup.Rows[0].Group[0] = "=HYPERLINK(\"http://evil.example\")"
	neg := -2.5
	r.Rollup.Rows[0].Actual = &neg
	var buf bytes.Buffer
	require.NoError(t, render.CSV{}.Render(&buf, r))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, `'=HYPERLINK("http://evil.example")`, recs[1][0])
	assert.Equal(t, "-2.5", recs[1][6], "a negative number stays numeric")
}

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	r := fixtureReport(t)
	r.Activities[0].Title = `<script>alert("x")</script>`
	var buf bytes.Buffer
	require.NoError(t, render.HTML{}.Render(&buf, r))
	page := buf.String()
	assert.NotContains(t, page, "<script")
	assert.Contains(t, page, "&lt;script&gt;")
	for _, ext := range []string{"src=", "href=", "@import", "url("} {
		assert.NotContains(t, page, ext, "the page must not load anything")
	}
	assert.Equal(t, strings.Count(page, "<svg"), strings.Count(page, `<svg xmlns="http://www.w3.org/2000/svg" width="`), "every chart has an explicit width")
	assert.NotContains(t, page, `height="0"`)
	assert.GreaterOrEqual(t, strings.Count(page, "<svg"), 3, "progress, time series and breakdown charts")
}

func TestJSONRendererRoundTrips(t *testing.T) {
	r := fixtureReport(t)
	var buf bytes.Buffer
	require.NoError(t, render.JSON{}.Render(&buf, r))
	var back struct {
		Schema string `json:"schema"`
		report.Report
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, render.JSONSchemaVersion, back.Schema)
	assert.Equal(t, r.Activities, back.Activities)
	assert.Equal(t, r.Series, back.Series)
	assert.Equal(t, len(r.Rollup.Rows), len(back.Rollup.Rows))
}

// xmllint validates file against the IATI 2.03 schema, or skips when
// xmllint is not installed.
func xmllint(t *testing.T, file string) { t.Helper(); iatixsd.Validate(t, file) }

func TestIATIValidatesAgainstSchema(t *testing.T) {
	xmllint(t, filepath.Join("testdata", "iati.xml"))
	// A synthetic file with many partnerships too.
	acts, obs := reporttest.Synthetic(20, 30)
	svc := report.NewService(memory.New(), nil)
	require.NoError(t, reporttest.LoadSynthetic(t.Context(), svc, acts, obs))
	r, err := svc.BuildReport(t.Context(), reporttest.Viewer, nil)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, fixtureIATI.Render(&buf, r))
	f := filepath.Join(t.TempDir(), "synthetic.xml")
	require.NoError(t, os.WriteFile(f, buf.Bytes(), 0o644))
	xmllint(t, f)
}

func TestCheckIATI(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "iati.xml"))
	require.NoError(t, err)
	problems, err := render.CheckIATI(bytes.NewReader(good), reporttest.Now)
	require.NoError(t, err)
	assert.Empty(t, problems, "the golden file passes every check")

	// testdata/example-partnership.xml: a municipal partnership as one
	// iati-activity, written by hand to the standard (with placeholder
	// organisation identifiers), not by this package.
	b, err := os.ReadFile(filepath.Join("testdata", "example-partnership.xml"))
	require.NoError(t, err)
	xmllint(t, filepath.Join("testdata", "example-partnership.xml"))
	problems, err = render.CheckIATI(bytes.NewReader(b), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	for _, p := range problems {
		assert.Equal(t, render.SeverityWarning, p.Severity, "the hand-written example has only warnings: %s", p)
	}

	cases := []struct {
		name, from, to, rule string
	}{
		{"identifier equals org", "<iati-identifier>US-EIN-000000000-CL11-DUR-FTL</iati-identifier>", "<iati-identifier>US-EIN-000000000</iati-identifier>", "1.1.3"},
		{"unknown status", `<activity-status code="2">`, `<activity-status code="9">`, "codelist"},
		{"role 7", `role="4"`, `role="7"`, "codelist"},
		{"withdrawn sector", `code="41010"`, `code="41050"`, "codelist"},
		{"sectors sum to 90", `code="41010" percentage="60"`, `code="41010" percentage="50"`, "2.1.2"},
		{"end before start", `<activity-date type="3" iso-date="2015-12-31">`, `<activity-date type="3" iso-date="2012-12-31">`, "11.1.2"},
		{"actual start in future", `<activity-date type="2" iso-date="2013-07-01">`, `<activity-date type="2" iso-date="2030-07-01">`, "11.1.4"},
		{"period ends before start", `<period-end iso-date="2014-03-31">`, `<period-end iso-date="2013-03-31">`, "8.6.1"},
		{"target without value", `<target value="40">`, `<target>`, "8.9.1"},
		{"empty title", `<narrative xml:lang="en">Durban – Southeast Florida climate change partnership</narrative>`, `<narrative xml:lang="en"> </narrative>`, "4.3.1"},
		{"no language", `<iati-activity last-updated-datetime="2015-11-20T09:00:00Z" xml:lang="en" default-currency="USD" hierarchy="2">
    <iati-identifier>US-EIN-000000000-CL11-DUR-FTL</iati-identifier>
    <reporting-org ref="US-EIN-000000000" type="21">
      <narrative xml:lang="en">`, `<iati-activity last-updated-datetime="2015-11-20T09:00:00Z" default-currency="USD" hierarchy="2">
    <iati-identifier>US-EIN-000000000-CL11-DUR-FTL</iati-identifier>
    <reporting-org ref="US-EIN-000000000" type="21">
      <narrative>`, "4.1.1"},
		{"bad document category", `<category code="A12">`, `<category code="A99">`, "codelist"},
		{"document link not a URL", `url="https://stage.icma.org/`, `url="stage.icma.org/`, "document-link"},
		{"bad related-activity type", `<related-activity ref="US-GOV-1-AID-OAA-L-11-00008" type="1">`, `<related-activity ref="US-GOV-1-AID-OAA-L-11-00008" type="7">`, "codelist"},
		{"related to itself", `<related-activity ref="US-GOV-1-AID-OAA-L-11-00008"`, `<related-activity ref="US-EIN-000000000-CL11-DUR-FTL"`, "related-activity"},
		{"latitude out of range", `<pos>-29.8579 31.0292</pos>`, `<pos>-129.8579 31.0292</pos>`, "location"},
		{"one coordinate", `<pos>-29.8579 31.0292</pos>`, `<pos>-29.8579</pos>`, "location"},
		{"bad country", `<recipient-country code="ZA">`, `<recipient-country code="XX">`, "codelist"},
		{"marker without significance", `<policy-marker vocabulary="1" code="7" significance="2">`, `<policy-marker vocabulary="1" code="7">`, "6.14.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := string(good)
			require.Contains(t, doc, tc.from)
			doc = strings.Replace(doc, tc.from, tc.to, 1)
			problems, err := render.CheckIATI(strings.NewReader(doc), reporttest.Now)
			require.NoError(t, err)
			var rules []string
			for _, p := range problems {
				if p.Severity == render.SeverityError {
					rules = append(rules, p.Rule)
				}
			}
			assert.Contains(t, rules, tc.rule, "problems: %v", problems)
		})
	}
}

func TestIATIRendererRefusesBadData(t *testing.T) {
	r := fixtureReport(t)
	r.Activities[0].Sectors[0].Code = "41050" // withdrawn 2017
	var buf bytes.Buffer
	err := fixtureIATI.Render(&buf, r)
	var ie *render.IATIError
	require.ErrorAs(t, err, &ie)
	require.ErrorIs(t, err, citylinks.ErrInvalid)
	assert.Zero(t, buf.Len(), "nothing is written when a check fails")
}

// iatiActuals returns the actuals doc publishes (reporttest.IATIActuals).
func iatiActuals(t *testing.T, doc []byte) map[string][]string {
	t.Helper()
	got, err := reporttest.IATIActuals(doc)
	require.NoError(t, err)
	return got
}

// TestIATIPublishesApprovedActualsOnly: by default the donor sees only the
// actuals of approved periods (a year approved covers its quarters and its
// breakdowns); a period with a target keeps the target; IncludeUnapproved
// publishes the rest, marked; both documents are schema-valid.
func TestIATIPublishesApprovedActualsOnly(t *testing.T) {
	r := fixtureReport(t)
	id := func(p string) string { return fixtureIATI.ReportingOrg.Ref + "-" + p }
	var buf bytes.Buffer
	require.NoError(t, fixtureIATI.Render(&buf, r))
	def := buf.Bytes()
	got := iatiActuals(t, def)

	// Durban: 2014 (year, quarters, breakdowns) and 2015-Q1 are approved;
	// 2015-Q2 is a draft.
	dur := strings.Join(got[id(reporttest.Durban)], "\n")
	for _, want := range []string{"|2014-01-01|2014-03-31|8||", "|2014-10-01|2014-12-31|7||two trainings moved to 2015",
		"|2014-01-01|2014-12-31|19|sex=female|", "|2015-01-01|2015-03-31|14||"} {
		assert.Contains(t, dur, want)
	}
	assert.NotContains(t, dur, "|2015-04-01|2015-06-30|", "Durban's draft 2015-Q2 is not published")
	// Legazpi: 2015-Q1 submitted, 2015-Q2 a draft, 2015-Q3 returned.
	assert.Empty(t, got[id(reporttest.Legazpi)], "none of Legazpi's actuals is approved")
	assert.Contains(t, string(def), `<target value="25"></target>`, "Legazpi's 2015 target stays")
	assert.Contains(t, string(def), `<target value="1"></target>`)
	// Telavi: 2015 approved.
	assert.Contains(t, strings.Join(got[id(reporttest.Telavi)], "\n"), "|2015-01-01|2015-12-31|47.5||")
	f := filepath.Join(t.TempDir(), "approved.xml")
	require.NoError(t, os.WriteFile(f, def, 0o644))
	xmllint(t, f)

	all := fixtureIATI
	all.IncludeUnapproved = true
	buf.Reset()
	require.NoError(t, all.Render(&buf, r))
	got = iatiActuals(t, buf.Bytes())
	leg := strings.Join(got[id(reporttest.Legazpi)], "\n")
	for _, want := range []string{
		"|2015-07-01|2015-09-30|1||Not approved (returned). Adopted by the city council",
		"|2015-01-01|2015-03-31|10||Not approved (submitted).",
		"|2015-04-01|2015-06-30|6||Not approved (draft).",
	} {
		assert.Contains(t, leg, want)
	}
	assert.Contains(t, strings.Join(got[id(reporttest.Durban)], "\n"), "|2014-01-01|2014-03-31|8||", "approved actuals carry no note")
	f = filepath.Join(t.TempDir(), "all.xml")
	require.NoError(t, os.WriteFile(f, buf.Bytes(), 0o644))
	xmllint(t, f)
}

// TestIATIGoesByApprovals: the renderers take an actual's approval state
// from Report.Approvals, not from what a hand-filled Point says.
func TestIATIGoesByApprovals(t *testing.T) {
	r := fixtureReport(t)
	for i := range r.Series {
		for j := range r.Series[i].Periods {
			if a := r.Series[i].Periods[j].Actual; a != nil {
				a.State = report.StateApproved
			}
		}
	}
	var buf bytes.Buffer
	require.NoError(t, fixtureIATI.Render(&buf, r))
	assert.Empty(t, iatiActuals(t, buf.Bytes())[fixtureIATI.ReportingOrg.Ref+"-"+reporttest.Legazpi])
	r.Approvals = nil
	buf.Reset()
	require.NoError(t, fixtureIATI.Render(&buf, r))
	assert.Empty(t, iatiActuals(t, buf.Bytes()), "no approvals: no actual is published")
}

// TestRenderersMarkUnapprovedActuals: every other renderer shows the
// actuals that are not approved, marked with their state.
func TestRenderersMarkUnapprovedActuals(t *testing.T) {
	r := fixtureReport(t)

	var buf bytes.Buffer
	require.NoError(t, render.JSON{}.Render(&buf, r))
	var doc struct {
		Series []struct {
			Partnership, Indicator string
			Periods                []struct {
				Period    string
				Actual    map[string]any
				Target    map[string]any
				Breakdown []map[string]any
			}
		}
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	states := map[string]any{}
	for _, s := range doc.Series {
		for _, p := range s.Periods {
			if p.Actual != nil {
				states[s.Partnership+" "+s.Indicator+" "+p.Period] = p.Actual["state"]
			}
			if p.Target != nil {
				assert.NotContains(t, p.Target, "state", "a target is a plan value: no approval state")
			}
			for _, b := range p.Breakdown {
				if b["actual"] != nil {
					states[s.Partnership+" "+s.Indicator+" "+p.Period+" "+fmt.Sprint(b["disaggregation"])] = b["state"]
				}
			}
		}
	}
	for k, want := range map[string]string{
		"CL11-LEG-FTL CL-CLIM-03 2015-Q3":                          "returned",
		"CL11-LEG-FTL CL-CLIM-02 2015-Q1":                          "submitted",
		"CL11-LEG-FTL CL-CLIM-02 2015-Q2":                          "draft",
		"CL11-DUR-FTL CL-CLIM-02 2014-Q1":                          "approved",
		"CL11-DUR-FTL CL-CLIM-02 2014 map[sex:female]":             "approved",
		"CL11-TEL-CAT CL-MGMT-01 2015 map[sex:male]":               "approved",
		"CL11-DUR-FTL CL-CLIM-02 2015-Q2":                          "draft",
		"CL11-DUR-FTL CL-CLIM-04 2014 map[age-group:35+ sex:male]": "approved",
	} {
		assert.Equal(t, want, states[k], k)
	}

	buf.Reset()
	require.NoError(t, render.Markdown{}.Render(&buf, r))
	md := buf.String()
	assert.Contains(t, md, "| 2015-Q3 | – | 1 | returned, not approved | Adopted by the city council |")
	assert.Contains(t, md, "| 2015-Q1 | – | 10 | submitted, not approved |")
	assert.Contains(t, md, "| 2014 · Female | 20 | 19 | approved |  |", "breakdowns in words")

	buf.Reset()
	require.NoError(t, render.HTML{}.Render(&buf, r))
	page := buf.String()
	assert.Contains(t, page, `data-approval="returned"`)
	assert.Contains(t, page, `data-approval="submitted"`)
	assert.Contains(t, page, "actual 2015-Q3: 1 (returned, not approved)")
}

// TestRenderersRefuseNonFinite: a number that is not finite anywhere in a
// report is a clear error naming its place from every renderer, and
// nothing is written.
func TestRenderersRefuseNonFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name, field string
		set         func(r *report.Report)
	}{
		{"roll-up actual", "rollup.rows[1].actual", func(r *report.Report) { r.Rollup.Rows[1].Actual = &inf }},
		{"roll-up progress", "rollup.rows[2].progress", func(r *report.Report) { r.Rollup.Rows[2].Progress = &nan }},
		{"roll-up unapproved", "rollup.rows[0].unapproved", func(r *report.Report) { r.Rollup.Rows[0].Unapproved = &inf }},
		{"band", "rollup.band", func(r *report.Report) { r.Rollup.Band = nan }},
		{"hours", "rollup.contributions[0].hours", func(r *report.Report) { r.Rollup.Contributions[0].Hours = inf }},
		{"series actual", "series[0].periods[0].actual.value", func(r *report.Report) {
			p := &r.Series[0].Periods[0]
			if p.Actual == nil {
				p.Actual = &report.Point{Period: p.Period}
			}
			v := -inf
			p.Actual.Value = &v
		}},
		{"baseline", "series[2].baselines[0].value", func(r *report.Report) { r.Series[2].Baselines[0].Value = &nan }},
		{"breakdown", "breakdown[0].target", func(r *report.Report) {
			for i := range r.Series {
				for j := range r.Series[i].Periods {
					if b := r.Series[i].Periods[j].Breakdown; len(b) > 0 {
						b[0].Target = &inf
						return
					}
				}
			}
		}},
		{"sector", "activities[0].sectors[0].percentage", func(r *report.Report) { r.Activities[0].Sectors[0].Percentage = nan }},
	}
	renderers := map[string]render.Renderer{"csv": render.CSV{}, "json": render.JSON{}, "md": render.Markdown{}, "html": render.HTML{}, "iati": fixtureIATI}
	for _, tc := range cases {
		for name, rend := range renderers {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				r := fixtureReport(t)
				tc.set(r)
				var buf bytes.Buffer
				err := rend.Render(&buf, r)
				var ve *citylinks.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Contains(t, ve.Field, tc.field)
				assert.Contains(t, err.Error(), "not a finite number")
				assert.Zero(t, buf.Len(), "nothing is written")
			})
		}
	}
	for name, rend := range renderers {
		var buf bytes.Buffer
		assert.ErrorIs(t, rend.Render(&buf, nil), citylinks.ErrInvalid, "%s: a nil report", name)
	}
}

// TestIATIPublishesExactlyTheApprovedActuals: whatever the approvals, IATI
// publishes exactly the actuals (totals and breakdowns) whose period lies
// within an approved period of their partnership, and IncludeUnapproved
// publishes them all.
func TestIATIPublishesExactlyTheApprovedActuals(t *testing.T) {
	base := fixtureReport(t)
	var candidates []report.Period
	for y := 2013; y <= 2015; y++ {
		candidates = append(candidates, report.Year(y))
		for q := 1; q <= 4; q++ {
			candidates = append(candidates, report.Quarter(y, q))
		}
	}
	h2, err := report.Range(citylinks.Date{Year: 2014, Month: 7, Day: 1}, citylinks.Date{Year: 2015, Month: 6, Day: 30})
	require.NoError(t, err)
	candidates = append(candidates, h2)
	rapid.Check(t, func(rt *rapid.T) {
		r := *base
		r.Approvals = nil
		for _, a := range r.Activities {
			for _, p := range candidates {
				if rapid.Bool().Draw(rt, a.ID+" "+p.String()) {
					st := rapid.SampledFrom(report.ApprovalStates()).Draw(rt, "state")
					r.Approvals = append(r.Approvals, report.Approval{Partnership: a.ID, Period: p, State: st})
				}
			}
		}
		var want, every []string
		for _, s := range r.Series {
			in, _ := r.Indicator(s.Indicator)
			ok := func(pp report.PeriodPoint) bool {
				return r.ActualState(s.Partnership, pp.Period) == report.StateApproved
			}
			line := func(pp report.PeriodPoint, v *float64, dis report.Disaggregation) string {
				val := ""
				if v != nil && in.Measure != report.MeasureQualitative {
					val = strconv.FormatFloat(*v, 'f', -1, 64)
				}
				return strings.Join([]string{s.Partnership, pp.Period.Start.String(), pp.Period.End.String(), val, dis.String()}, "|")
			}
			for _, pp := range s.Periods {
				var lines []string
				if pp.Actual != nil {
					lines = append(lines, line(pp, pp.Actual.Value, nil))
				}
				for _, b := range pp.Breakdown {
					if b.Actual != nil && in.Measure != report.MeasureQualitative {
						lines = append(lines, line(pp, b.Actual, b.Disaggregation))
					}
				}
				every = append(every, lines...)
				if ok(pp) {
					want = append(want, lines...)
				}
			}
		}
		published := func(x render.IATI) []string {
			var buf bytes.Buffer
			if err := x.Render(&buf, &r); err != nil {
				rt.Fatal(err)
			}
			got, err := reporttest.IATIActuals(buf.Bytes())
			if err != nil {
				rt.Fatal(err)
			}
			var out []string
			for id, lines := range got {
				for _, l := range lines {
					f := strings.Split(l, "|")
					out = append(out, strings.Join([]string{strings.TrimPrefix(id, x.ReportingOrg.Ref+"-"), f[1], f[2], f[3], f[4]}, "|"))
				}
			}
			return out
		}
		if got := published(fixtureIATI); !assert.ElementsMatch(rt, want, got) {
			rt.Fatalf("approvals %v", r.Approvals)
		}
		all := fixtureIATI
		all.IncludeUnapproved = true
		assert.ElementsMatch(rt, every, published(all))
	})
}

// TestRenderLifecycleState: HTML and Markdown name where a partnership
// stands in the library's lifecycle words (Completed, Declined — not
// IATI's closed, cancelled), as the command-line programs do, and fall
// back to the IATI status's words when the activity carries no state.
func TestRenderLifecycleState(t *testing.T) {
	acts := reporttest.Activities()
	acts[0].Status, acts[0].State = report.StatusClosed, "completed"
	acts[1].Status, acts[1].State = report.StatusCancelled, "declined"
	acts[2].Status, acts[2].State = report.StatusImplementation, ""
	r := &report.Report{Title: "states", Generated: reporttest.Now, Activities: acts, Rollup: &report.Rollup{}}
	for _, tc := range []struct {
		name string
		r    render.Renderer
		cell func(string) string
	}{
		{"html", render.HTML{}, func(s string) string { return "<td>" + s + "</td>" }},
		{"markdown", render.Markdown{}, func(s string) string { return "· " + s + "\n" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tc.r.Render(&b, r))
			out := b.String()
			for _, want := range []string{"Completed", "Declined", "Under way"} {
				assert.Contains(t, out, tc.cell(want))
			}
			for _, not := range []string{"closed", "cancelled"} {
				assert.NotContains(t, out, tc.cell(not), "the IATI status shows only when the state is unknown")
			}
		})
	}
}
