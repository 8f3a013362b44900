package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/browsertest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixtureIATI is the reporting organization of the IATI golden file: the
// format placeholder of shared/iati/example-partnership.xml, not a real EIN.
var fixtureIATI = report.IATI{ReportingOrg: report.IATIOrg{Ref: "US-EIN-000000000", Type: "21", Name: "Example Municipal Partnerships Program"}}

func fixtureReport(t *testing.T) *report.Report {
	t.Helper()
	svc := newService(t)
	ctx := t.Context()
	// One approved and one returned period, so approvals show.
	_, err := svc.Submit(ctx, reporttest.Coordinator, reporttest.Durban, report.Quarter(2015, 1))
	require.NoError(t, err)
	_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Durban, report.Quarter(2015, 1))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, reporttest.Coordinator, reporttest.Legazpi, report.Quarter(2015, 3))
	require.NoError(t, err)
	_, err = svc.Return(ctx, reporttest.Monitor, reporttest.Legazpi, report.Quarter(2015, 3), `Add the council resolution <number> & date`)
	require.NoError(t, err)
	r, err := svc.BuildReport(ctx, reporttest.Viewer, &report.ReportOptions{Title: "CityLinks results <fixture>"})
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
	require.NoError(t, err, "run go test ./report -run TestGolden -update to create it")
	assert.Equal(t, string(want), string(got), "%s differs from the golden file; if the change is intended, run with -update", name)
}

func TestGolden(t *testing.T) {
	r := fixtureReport(t)
	for _, tc := range []struct {
		file string
		r    report.Renderer
	}{
		{"report.csv", report.CSV{}},
		{"report.json", report.JSON{Indent: true}},
		{"report.md", report.Markdown{}},
		{"report.html", report.HTML{}},
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
	require.NoError(t, report.CSV{}.Render(&buf, r))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, `'=HYPERLINK("http://evil.example")`, recs[1][0])
	assert.Equal(t, "-2.5", recs[1][6], "a negative number stays numeric")
	for _, s := range []string{"=1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "'x"} {
		assert.Equal(t, "'"+s, report.Neutralise(s))
	}
	assert.Equal(t, "plain", report.Neutralise("plain"))
}

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	r := fixtureReport(t)
	r.Activities[0].Title = `<script>alert("x")</script>`
	var buf bytes.Buffer
	require.NoError(t, report.HTML{}.Render(&buf, r))
	page := buf.String()
	assert.NotContains(t, page, "<script")
	assert.Contains(t, page, "&lt;script&gt;")
	for _, ext := range []string{"src=", "href=", "@import", "url("} {
		assert.NotContains(t, page, ext, "the page must not load anything")
	}
	assert.Equal(t, strings.Count(page, "<svg"), strings.Count(page, `width="640"`), "every chart has an explicit width")
	assert.NotContains(t, page, `height="0"`)
	assert.GreaterOrEqual(t, strings.Count(page, "<svg"), 3, "progress, time series and breakdown charts")
}

func TestJSONRendererRoundTrips(t *testing.T) {
	r := fixtureReport(t)
	var buf bytes.Buffer
	require.NoError(t, report.JSON{}.Render(&buf, r))
	var back struct {
		Schema string `json:"schema"`
		report.Report
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, report.JSONSchemaVersion, back.Schema)
	assert.Equal(t, r.Activities, back.Activities)
	assert.Equal(t, r.Series, back.Series)
	assert.Equal(t, len(r.Rollup.Rows), len(back.Rollup.Rows))
}

// moduleRoot finds the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "no go.mod above the test")
		dir = parent
	}
}

// xmllint validates file against the IATI 2.03 schema in
// ../shared/iati/2.03 (beside the module root), or skips.
func xmllint(t *testing.T, file string) {
	t.Helper()
	schema := filepath.Join(moduleRoot(t), "..", "shared", "iati", "2.03", "iati-activities-schema.xsd")
	if _, err := os.Stat(schema); err != nil {
		t.Skipf("skipping XSD validation: IATI schema not found at %s", schema)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("skipping XSD validation: xmllint not installed (apt-get install libxml2-utils)")
	}
	out, err := exec.Command("xmllint", "--nonet", "--noout", "--schema", schema, file).CombinedOutput()
	require.NoError(t, err, "xmllint: %s", out)
}

func TestIATIValidatesAgainstSchema(t *testing.T) {
	xmllint(t, filepath.Join("testdata", "iati.xml"))
	// A synthetic file with many partnerships too.
	acts, obs := reporttest.Synthetic(20, 30)
	svc := report.New(newMemory(), nil)
	loadSynthetic(t, svc, acts, obs)
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
	problems, err := report.CheckIATI(bytes.NewReader(good), reporttest.Now)
	require.NoError(t, err)
	assert.Empty(t, problems, "the golden file passes every check")

	example := filepath.Join(moduleRoot(t), "..", "shared", "iati", "example-partnership.xml")
	if b, err := os.ReadFile(example); err == nil {
		problems, err := report.CheckIATI(bytes.NewReader(b), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		for _, p := range problems {
			assert.Equal(t, report.SeverityWarning, p.Severity, "the shared example has only warnings: %s", p)
		}
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
		{"empty title", "<narrative>Durban – Southeast Florida climate change partnership</narrative>", "<narrative> </narrative>", "4.3.1"},
		{"bad country", `<recipient-country code="ZA">`, `<recipient-country code="XX">`, "codelist"},
		{"marker without significance", `<policy-marker vocabulary="1" code="7" significance="2">`, `<policy-marker vocabulary="1" code="7">`, "6.14.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := string(good)
			require.Contains(t, doc, tc.from)
			doc = strings.Replace(doc, tc.from, tc.to, 1)
			problems, err := report.CheckIATI(strings.NewReader(doc), reporttest.Now)
			require.NoError(t, err)
			var rules []string
			for _, p := range problems {
				if p.Severity == report.SeverityError {
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
	var ie *report.IATIError
	require.ErrorAs(t, err, &ie)
	require.ErrorIs(t, err, citylinks.ErrInvalid)
	assert.Zero(t, buf.Len(), "nothing is written when a check fails")
}

// TestHTMLInBrowser opens the golden HTML page in headless Chromium: it
// makes no request, logs no error, runs no script, and every chart has a
// non-zero rendered size.
func TestHTMLInBrowser(t *testing.T) {
	if _, ok := browsertest.Find(); !ok {
		t.Skip("skipping browser test: chromium not installed (apt-get install chromium)")
	}
	dir := t.TempDir()
	p, err := browsertest.Open(t.Context(), filepath.Join("testdata", "report.html"), filepath.Join(dir, "profile"),
		&browsertest.Options{Selectors: []string{"script", "svg", "svg rect", "svg line"}})
	require.NoError(t, err)
	assert.Empty(t, p.ConsoleErrors)
	assert.Empty(t, p.Requests, "the page must be self-contained")
	assert.Zero(t, p.Elements["script"])
	assert.Equal(t, "3", p.Marked["partnerships"])
	require.GreaterOrEqual(t, len(p.SVGs), 3)
	for i, s := range p.SVGs {
		assert.Positive(t, s.Width, "svg %d", i)
		assert.Positive(t, s.Height, "svg %d", i)
	}
	assert.Positive(t, p.Elements["svg line"], "time-series segments")
	if os.Getenv("CITYLINKS_SCREENSHOT") != "" {
		require.NoError(t, os.WriteFile(os.Getenv("CITYLINKS_SCREENSHOT"), p.Screenshot, 0o644))
	}
}
