package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// at sets the clock that gives -as-of its default for one test.
func at(t *testing.T, day string) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	require.NoError(t, err)
	now = func() time.Time { return d.Add(12 * time.Hour) }
	t.Cleanup(func() { now = time.Now })
}

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

const fixFY27 = "To fix it, run the round as of 2026-06-30 or earlier (-as-of 2026-06-30), or supply the World Bank's income groups for FY27 with -income FILE: " +
	"a CSV with an iso_alpha3 column and a column fy2027 of L, LM, UM, H or NC (the shape of dataset/wb_income_history.csv).\n"

// TestIncomeData runs the round on dates inside the shipped income data
// (FY1989–FY2026) and after it, by default (today) and with -as-of, with
// and without the later years supplied by -income.
func TestIncomeData(t *testing.T) {
	files := []string{"-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv", "-focus", "climate"}
	fy27 := writeFile(t, "fy27.csv", "iso_alpha3,economy,fy2027\n"+
		"IND,India,LM\nJAM,Jamaica,UM\nHND,Honduras,LM\nIDN,Indonesia,UM\nTHA,Thailand,UM\nTZA,Tanzania,LM\nAUS,Australia,H\nAFG,Afghanistan,L\nUSA,United States,H\nZAF,South Africa,UM\n")
	for _, tc := range []struct {
		name   string
		today  string
		args   []string
		code   int
		stderr string // exact
		pairs  bool
	}{
		{"DefaultInFY26", "2025-12-01", nil, 0, "", true},
		{"DefaultLastDayOfFY26", "2026-06-30", nil, 0, "", true},
		{"DefaultInFY27", "2026-12-03", nil, 1,
			"matchmaker: no pair is possible: the eligibility rules could not judge 8 cities for lack of data (missing-data):\n" +
				"  no World Bank income classification for FY27 (the income table ends at FY26), the fiscal year of today, 2026-12-03 (-as-of's default)\n" + fixFY27, false},
		{"AsOfInFY27", "2030-01-01", []string{"-as-of", "2026-07-01"}, 1,
			"matchmaker: no pair is possible: the eligibility rules could not judge 8 cities for lack of data (missing-data):\n" +
				"  no World Bank income classification for FY27 (the income table ends at FY26), the fiscal year of -as-of 2026-07-01\n" + fixFY27, false},
		{"AsOfInFY26", "2030-01-01", []string{"-as-of", "2026-06-30"}, 0, "", true},
		{"AsOfFY27WithIncome", "2030-01-01", []string{"-as-of", "2026-12-03", "-income", fy27}, 0, "", true},
		{"DefaultFY27WithIncome", "2026-12-03", []string{"-income", fy27}, 0, "", true},
		{"FY28WithIncomeToFY27", "2027-07-01", []string{"-income", fy27}, 1,
			"matchmaker: no pair is possible: the eligibility rules could not judge 8 cities for lack of data (missing-data):\n" +
				"  no World Bank income classification for FY28 (the income table ends at FY27), the fiscal year of today, 2027-07-01 (-as-of's default)\n" +
				"To fix it, run the round as of 2027-06-30 or earlier (-as-of 2027-06-30), or supply the World Bank's income groups for FY28 in the -income file " + fy27 + ", which lacks them: " +
				"a CSV with an iso_alpha3 column and a column fy2028 of L, LM, UM, H or NC (the shape of dataset/wb_income_history.csv).\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at(t, tc.today)
			code, out, errOut := runCmd(t, false, append(append(append([]string{}, files...), tc.args...), "-format", "json")...)
			assert.Equal(t, tc.code, code, errOut)
			assert.Equal(t, tc.stderr, errOut)
			var res jsonOut
			require.NoError(t, json.Unmarshal([]byte(out), &res), "the result is written either way")
			assert.Equal(t, tc.pairs, len(res.Pairs) > 0, "%d pairs", len(res.Pairs))
			if tc.code == 0 {
				return
			}
			n := 0
			for _, u := range res.Unmatched {
				if u.Why == "missing-data" {
					n++
					assert.Equal(t, "host", u.Side)
				}
			}
			assert.Equal(t, 8, n, "every host is undecided")
		})
	}

	// The table says so too.
	at(t, "2026-12-03")
	code, out, _ := runCmd(t, false, files...)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "host     Shimla [1256237]                            missing-data  the income group of India is not known: no World Bank income classification for FY27 (the income table ends at FY26); supply FY27")
	assert.Contains(t, out, "\n0 pairs, total score 0.000")
}

// TestIncomeDataWarning: when some cities cannot be judged but pairs are
// still possible, the pairs are proposed, the status is 0, and stderr warns.
func TestIncomeDataWarning(t *testing.T) {
	at(t, "2026-12-03")
	program := writeFile(t, "ftf-or-income.json", `{"id": "p", "name": "P", "start": "2015-01-01", "focus_areas": ["climate"],
	  "eligibility": {"every_focus_area": {"host": {"any": [{"designation": "ftf-focus-2010"}, {"income_group": {"in": ["low", "lower-middle"]}}]}}}}`)
	code, out, errOut := runCmd(t, false, "-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv", "-program", program)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Dar es Salaam [160263]", "Tanzania and Honduras are Feed the Future focus countries")
	assert.True(t, strings.HasPrefix(errOut, "matchmaker: warning: the eligibility rules could not judge 6 cities for lack of data (missing-data):\n"), errOut)
}

func TestIncomeFileErrors(t *testing.T) {
	args := []string{"-hosts", "testdata/hosts.csv", "-partners", "testdata/partners.csv", "-focus", "climate", "-as-of", "2026-12-03", "-income"}
	bad := writeFile(t, "bad.csv", "iso_alpha3,fy2027\nKEN,L\nZZZ,L\nTZA,low\n")
	header := writeFile(t, "header.csv", "iso_alpha3,fy27\nKEN,L\n")
	for _, tc := range []struct {
		name, file, want string
	}{
		{"BadRows", bad, bad + ":3: iso_alpha3: \"ZZZ\" is not an ISO 3166-1 alpha-3 code or a World Bank economy code such as CHI\n" +
			bad + ":4: fy2027: \"low\" is not an income code (L, LM, UM, H, NC, or empty for no data)\n"},
		{"BadHeader", header, header + ":1: header: column \"fy27\": write the fiscal year with four digits, e.g. fy2027\n"},
		{"NoFile", "nope.csv", "matchmaker: open nope.csv: no such file or directory\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, false, append(args, tc.file)...)
			assert.Equal(t, 1, code)
			assert.Empty(t, out)
			assert.Equal(t, tc.want, errOut)
		})
	}
}
