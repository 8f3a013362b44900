package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/browsertest"
	"github.com/citylinks/citylinks/internal/hostile"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/sqlite"
)

// writeCSV writes rows under the observations header.
func writeCSV(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	w := csv.NewWriter(f)
	require.NoError(t, w.Write([]string{"id", "partnership", "indicator", "kind", "period", "value", "disaggregation", "comment", "source", "reporter"}))
	require.NoError(t, w.WriteAll(rows))
	require.NoError(t, f.Close())
}

// storedObservations reads every observation of the database by id.
func storedObservations(t *testing.T, db string) map[string]report.Observation {
	t.Helper()
	conn, err := sqlite.Open(db)
	require.NoError(t, err)
	s := sqlite.New(conn)
	defer s.Close()
	out := map[string]report.Observation{}
	f := report.ObservationFilter{Limit: 1000}
	for {
		p, err := s.ListObservations(t.Context(), f)
		require.NoError(t, err)
		for _, o := range p.Items {
			out[o.ID] = o
		}
		if p.Next == "" {
			return out
		}
		f.After = p.Next
	}
}

// TestOutcomesHostile imports observations whose comments, sources,
// categories and reporters are the hostile values, as a spreadsheet would
// export them (text cells that look like formulas marked with an
// apostrophe; one formula left bare), finds them stored unchanged, and
// renders every format: IATI stays schema-valid and no injected element
// reaches the DOM of the HTML page. A file with a NUL byte, a 1 MB comment
// or a control character in a reporter stores nothing, and the one-line
// error names the lines and fields without printing the characters.
func TestOutcomesHostile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	code, _, errs := runCLI(t, "-db", db, "-init")
	require.Equal(t, 0, code, errs)

	var rows [][]string
	want := map[string][3]string{} // id → comment, source, category
	for i, v := range hostile.ShortValues() {
		id, category, reporter := fmt.Sprintf("h-%02d", i), "", ""
		if v.Category {
			category = "sex=" + v.Text
		}
		if v.ID {
			reporter = v.Text
		}
		rows = append(rows, []string{id, "CL11-LEG-FTL", "CL-CLIM-02", "actual", fmt.Sprintf("2014-%02d", i%12+1), fmt.Sprint(i),
			category, markFormula(v.Text), markFormula(v.Text), markFormula(reporter)})
		want[id] = [3]string{v.Text, v.Text, strings.TrimPrefix(category, "sex=")}
	}
	rows = append(rows, []string{"bare", "CL11-LEG-FTL", "CL-CLIM-02", "target", "2015", "30", "", `=HYPERLINK("http://x","y")`, "@SUM(A1)", ""})
	want["bare"] = [3]string{`=HYPERLINK("http://x","y")`, "@SUM(A1)", ""}
	in := filepath.Join(dir, "hostile.csv")
	writeCSV(t, in, rows)
	code, out, errs := runCLI(t, "-db", db, "-import", in)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, fmt.Sprintf("%d rows, %d new", len(rows), len(rows)))

	stored := storedObservations(t, db)
	for id, w := range want {
		o, ok := stored[id]
		require.True(t, ok, "observation %s stored", id)
		assert.True(t, o.Comment == w[0], "%s: comment %q, want %q", id, o.Comment, w[0])
		assert.True(t, o.Source == w[1], "%s: source %q, want %q", id, o.Source, w[1])
		assert.True(t, o.Disaggregation["sex"] == w[2], "%s: category %q, want %q", id, o.Disaggregation["sex"], w[2])
	}

	for _, f := range []string{"csv", "json", "md", "html", "iati"} {
		path := filepath.Join(dir, "out."+f)
		code, _, errs := runCLI(t, "-db", db, "-format", f, "-out", path, "-iati-org-ref", "US-EIN-000000000")
		require.Equal(t, 0, code, "%s: %s", f, errs)
		switch f {
		case "iati":
			xmllintFile(t, path)
		case "csv":
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
			require.NoError(t, err)
			for _, rec := range recs {
				for _, cell := range rec[:3] {
					assert.False(t, cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])), "%q would run as a formula", cell)
				}
			}
		case "html":
			if _, ok := browsertest.Find(); !ok {
				continue
			}
			sels := []string{"script", "img", "iframe", "[onerror]", "[onload]", "[srcdoc]"}
			p, err := browsertest.Open(t.Context(), path, filepath.Join(dir, "profile"), &browsertest.Options{Selectors: sels, NoScreenshot: true})
			require.NoError(t, err)
			assert.Empty(t, p.ConsoleErrors)
			assert.Empty(t, p.Requests)
			for _, s := range sels {
				assert.Zero(t, p.Elements[s], "injected %s reached the DOM", s)
			}
		}
	}

	bad := filepath.Join(dir, "bad.csv")
	writeCSV(t, bad, [][]string{
		{"b-1", "CL11-LEG-FTL", "CL-CLIM-02", "actual", "2015-01", "1", "", "fine", "", ""},
		{"b-2", "CL11-LEG-FTL", "CL-CLIM-02", "actual", "2015-02", "1", "", "a\x00b", "", ""},
		{"b-3", "CL11-LEG-FTL", "CL-CLIM-02", "actual", "2015-03", "1", "", hostile.Long(), "", ""},
		{"b-4", "CL11-LEG-FTL", "CL-CLIM-02", "actual", "2015-04", "1", "", "", "", "x\x1b[2J"},
		{"b-5", "CL11-LEG-FTL", "CL-CLIM-02", "actual", "2015-05", "1", "sex='; DROP TABLE cities; --", "", "", ""},
	})
	code, _, errs = runCLI(t, "-db", db, "-import", bad)
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
	for _, want := range []string{"4 bad row(s)", "line 3: citylinks: invalid comment: contains a NUL byte", "line 4: citylinks: invalid comment: is 1048576 bytes long",
		`line 5: citylinks: invalid reporter: "x\x1b[2J" contains a control character`} {
		assert.Contains(t, errs, want)
	}
	assert.NotContains(t, errs, "\x1b", "the error shows the escape, not the character")
	assert.Len(t, storedObservations(t, db), len(stored), "a refused import stores nothing")
}

// markFormula writes s as report's CSV writer does: a cell a spreadsheet
// would run as a formula (or one starting with the mark itself) gets a
// leading apostrophe, which the importer removes.
func markFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r'", rune(s[0])) {
		return "'" + s
	}
	return s
}
