package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/iatixsd"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/sqlite"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestOutcomes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	code, out, errs := runCLI(t, "-db", db, "-init", "-import", filepath.Join("testdata", "observations.csv"), "-due", "-as-of", "2016-02-01")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "registered 10 documented partnerships")
	assert.Contains(t, out, "13 rows, 13 new, 0 changed, 0 unchanged")
	assert.Contains(t, out, "overdue   CL11-TEL-CAT   2015-Q4")

	for _, f := range []string{"csv", "json", "md", "html", "iati"} {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join(dir, "out."+f)
			code, out, errs := runCLI(t, "-db", db, "-format", f, "-out", path, "-iati-org-ref", "US-EIN-000000000")
			require.Equal(t, 0, code, errs)
			assert.Contains(t, out, "Wrote "+path)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Contains(t, string(b), "CL11-TEL-CAT")
			if f == "iati" {
				xmllintFile(t, path)
			}
		})
	}
	// -init is idempotent.
	code, _, errs = runCLI(t, "-db", db, "-init")
	require.Equal(t, 0, code, errs)
}

// TestDueFollowsPartnershipDates: as of 2 December 2026 every documented
// partnership has ended (the table's end years, or the end of CityLinks
// 2011–2016), so none owes a report. Issue 10 saw 264 overdue reports here,
// among them RC-SAM-TIG's 2002-Q1 report 8,982 days overdue, for a
// partnership that ended in 2005.
func TestDueFollowsPartnershipDates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	code, out, errs := runCLI(t, "-db", db, "-init", "-due", "-as-of", "2026-12-02")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "0 report(s) overdue or due soon.")
	assert.NotContains(t, out, "RC-SAM-TIG")

	// As of 2016-02-01 the CityLinks 2011–2016 partnerships were under way
	// and Samarinda–Tigard had ended: only the former owe reports, from
	// their own start years.
	db = filepath.Join(t.TempDir(), "o.db")
	code, out, errs = runCLI(t, "-db", db, "-init", "-due", "-as-of", "2016-02-01")
	require.Equal(t, 0, code, errs)
	assert.NotContains(t, out, "RC-SAM-TIG")
	assert.Contains(t, out, "overdue   CL11-DUR-FTL   2013-Q1  due 2013-04-30 (1007 days)")
	assert.NotContains(t, out, "CL11-DUR-FTL   2012", "nothing before the partnership's start")
	assert.Contains(t, out, "overdue   CL11-TEL-CAT   2015-Q4  due 2016-01-30 (2 days)")
	assert.NotContains(t, out, "2016-Q1", "nothing is due for the quarter under way")
}

// TestImportTwice: importing the same file again stores it once — the
// second import finds every row unchanged and the store is as it was, so no
// value (target or actual) is doubled in a report.
func TestImportTwice(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	in := filepath.Join("testdata", "observations.csv")
	code, _, errs := runCLI(t, "-db", db, "-init", "-import", in)
	require.Equal(t, 0, code, errs)
	once := storedObservations(t, db)
	_, csvOnce, _ := runCLI(t, "-db", db, "-format", "csv")
	code, out, errs := runCLI(t, "-db", db, "-import", in)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "13 rows, 0 new, 0 changed, 13 unchanged")
	assert.Equal(t, once, storedObservations(t, db), "a second import changed the store")
	_, csvTwice, _ := runCLI(t, "-db", db, "-format", "csv")
	assert.Equal(t, csvOnce, csvTwice, "a second import changed the report")

	// A corrected value replaces the one imported; it is not added to it.
	b, err := os.ReadFile(in)
	require.NoError(t, err)
	fixed := filepath.Join(dir, "fixed.csv")
	require.NoError(t, os.WriteFile(fixed, []byte(strings.Replace(string(b), "CL11-LEG-FTL,CL-CLIM-02,target,2015,30,", "CL11-LEG-FTL,CL-CLIM-02,target,2015,35,", 1)), 0o644))
	code, out, errs = runCLI(t, "-db", db, "-import", fixed)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "13 rows, 0 new, 1 changed, 12 unchanged")
	after := storedObservations(t, db)
	assert.Len(t, after, len(once))

	// A second target for the same cell under another id is refused.
	other := filepath.Join(dir, "other.csv")
	require.NoError(t, os.WriteFile(other, []byte("id,partnership,indicator,kind,period,value\nmine,CL11-LEG-FTL,CL-CLIM-02,target,2015,40\n"), 0o644))
	code, _, errs = runCLI(t, "-db", db, "-import", other)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "already has a target of CL-CLIM-02 for 2015")
	assert.Equal(t, after, storedObservations(t, db))
}

func TestOutcomesBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "o.db")
	code, _, errs := runCLI(t, "-db", db, "-init", "-import", filepath.Join("testdata", "bad.csv"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "line 3")
	assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
	// Nothing was stored: the good line 2 is not there.
	code, out, _ := runCLI(t, "-db", db, "-format", "csv")
	require.Equal(t, 0, code)
	assert.NotContains(t, out, "CL-BASIC-01")

	for _, args := range [][]string{
		{"-db", db, "-format", "pdf"},
		{"-db", db, "-format", "iati"},
		{"-db", db, "-out", filepath.Join(dir, "x")},
		{"-db", db, "-import", filepath.Join(dir, "missing.csv")},
		{"-db", db, "-due", "-as-of", "2016-13-01"},
		{"-db", db, "-format", "html", "-lang", "de"},
	} {
		code, _, errs := runCLI(t, args...)
		assert.Equal(t, 1, code, "%v", args)
		assert.True(t, strings.HasPrefix(errs, "outcomes: "), errs)
		assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
	}
	code, _, _ = runCLI(t, "-nope")
	assert.Equal(t, 2, code)
	code, _, errs = runCLI(t, "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "Usage: outcomes")
	assert.Contains(t, errs, "-import file")
}

// TestOutcomesLang: -lang writes the HTML, Markdown and CSV header in
// another language; JSON is the same in every language.
func TestOutcomesLang(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	code, _, errs := runCLI(t, "-db", db, "-init", "-import", filepath.Join("testdata", "observations.csv"))
	require.Equal(t, 0, code, errs)
	for lang, want := range map[string][]string{
		"fr": {`<html lang="fr">`, "Progression vers la cible", "En bref"},
		"es": {`<html lang="es">`, "Avance hacia la meta"},
		"pt": {`<html lang="pt">`, "Progresso em direção à meta"},
		"en": {`<html lang="en">`, "Progress to target", "At a glance"},
	} {
		code, out, errs := runCLI(t, "-db", db, "-format", "html", "-lang", lang)
		require.Equal(t, 0, code, errs)
		for _, w := range want {
			assert.Contains(t, out, w, lang)
		}
	}
	_, md, _ := runCLI(t, "-db", db, "-format", "md", "-lang", "es")
	assert.Contains(t, md, "## Avance hacia la meta")
	_, csv, _ := runCLI(t, "-db", db, "-format", "csv", "-lang", "fr")
	assert.True(t, strings.HasPrefix(csv, "Partenariat,Code de l'indicateur,"), csv[:min(80, len(csv))])
	_, csv, _ = runCLI(t, "-db", db, "-format", "csv", "-lang", "en")
	assert.True(t, strings.HasPrefix(csv, "partnership,indicator,"), "English keeps the column identifiers")
}

func xmllintFile(t *testing.T, file string) { t.Helper(); iatixsd.Validate(t, file) }

// TestSeedActivities: -init describes the documented partnerships as
// package handoff describes every partnership: IATI status from the state
// as of -as-of, USAID with its IATI identifier, the focus area's sector,
// the climate marker, and a solid-waste partnership's more precise sector.
func TestSeedActivities(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	code, _, errs := runCLI(t, "-db", db, "-init", "-as-of", "2015-06-01")
	require.Equal(t, 0, code, errs)
	conn, err := sqlite.Open(db)
	require.NoError(t, err)
	s := sqlite.New(conn)
	defer s.Close()
	for _, tc := range []struct {
		id, sector, status string
		climate            bool
	}{
		{"CL11-DUR-FTL", "41010", "2", true}, // 2013 to the program's end: implementation
		{"CL11-SHI-BOU", "41010", "2", true}, // 2015–2016: implementation
		{"CL11-TEL-CAT", "14050", "2", false},
		{"RC-SAM-TIG", "15112", "4", false}, // 2002–2005: closed
	} {
		a, err := s.GetActivity(t.Context(), tc.id)
		require.NoError(t, err, tc.id)
		assert.Equal(t, []report.Sector{{Code: tc.sector, Percentage: 100}}, a.Sectors, tc.id)
		assert.Equal(t, tc.status, a.Status.IATICode(), tc.id)
		assert.Equal(t, tc.climate, len(a.PolicyMarkers) == 1, tc.id)
		require.Len(t, a.Participants, 4, tc.id)
		assert.Equal(t, report.ParticipatingOrg{Organization: "usaid", Ref: "US-GOV-1", Name: "U.S. Agency for International Development", Role: report.RoleFunding, Type: "10", PartyRole: "funder"}, a.Participants[0])
		assert.Equal(t, report.RoleImplementing, a.Participants[3].Role)
		assert.Equal(t, "11", a.Participants[3].Type)
		assert.NotEmpty(t, a.Indicators(), tc.id)
	}
}

// TestRefusesBadPublisher: a publisher identifier IATI cannot take is
// refused before anything is opened or written.
func TestRefusesBadPublisher(t *testing.T) {
	for _, ref := range []string{"ICMA CityLinks", "US-EIN/123", "A&B", "A|B", "what?"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.xml")
		code, _, errs := runCLI(t, "-db", filepath.Join(dir, "o.db"), "-format", "iati", "-out", path, "-iati-org-ref", ref)
		assert.Equal(t, 1, code, ref)
		assert.Contains(t, errs, "-iati-org-ref", ref)
		_, err := os.Stat(path)
		assert.True(t, os.IsNotExist(err), "%q: nothing written", ref)
		_, err = os.Stat(filepath.Join(dir, "o.db"))
		assert.True(t, os.IsNotExist(err), "%q: no database opened", ref)
	}
}
