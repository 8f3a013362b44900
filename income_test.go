package citylinks_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func TestShippedIncomeYears(t *testing.T) {
	shipped := citylinks.ShippedIncome()
	var want []citylinks.FiscalYear
	for fy := citylinks.FiscalYear(1989); fy <= 2026; fy++ {
		want = append(want, fy)
	}
	assert.Equal(t, want, shipped.FiscalYears())
	assert.Equal(t, want, citylinks.IncomeFiscalYears())
	for _, fy := range []citylinks.FiscalYear{1988, 2027, 0} {
		assert.False(t, shipped.Holds(fy), "%s", fy)
	}
	assert.True(t, shipped.Holds(2026))
	assert.True(t, shipped.ReadOnly())

	// Any key of a country, and the World Bank's own codes.
	for _, key := range []string{"TZA", "TZ", "tz", "Tanzania", "834"} {
		assert.Equal(t, citylinks.IncomeLowerMiddle, shipped.Group(key, 2026), key)
	}
	assert.Equal(t, citylinks.IncomeHigh, shipped.Group("CHI", 2026), "Channel Islands")
	assert.Equal(t, citylinks.IncomeUpperMiddle, shipped.Group("SUN", 1992), "USSR (former)")
	assert.Equal(t, citylinks.IncomeNotClassified, shipped.Group("SUN", 1993))
	assert.Equal(t, citylinks.IncomeNoData, shipped.Group("ZZZ", 2026))
}

// TestShippedIncomeAgreesWithCountriesTable checks the income table against
// the FY12–FY17 and FY23 columns of dataset/countries.csv, which it
// replaces: every group is the same. What differs is what an empty cell
// meant: countries.csv had one kind of empty cell, read as "not classified"
// for an economy the World Bank covers, where the World Bank's own table
// tells "no data" (the economy did not exist yet, or was not covered that
// year) from "not classified". Where they differ, the official table wins.
func TestShippedIncomeAgreesWithCountriesTable(t *testing.T) {
	f, err := os.Open("dataset/countries.csv")
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	years := []citylinks.FiscalYear{2012, 2013, 2014, 2015, 2016, 2017, 2023}
	old := map[string]citylinks.IncomeGroup{"L": citylinks.IncomeLow, "LM": citylinks.IncomeLowerMiddle, "UM": citylinks.IncomeUpperMiddle, "H": citylinks.IncomeHigh}
	var changed []string
	for _, rec := range recs[1:] {
		alpha3 := rec[col["iso_alpha3"]]
		covered := rec[col["wb_region_fy23"]] != ""
		for _, fy := range years {
			covered = covered || rec[col[fmt.Sprintf("wb_income_fy%02d", int(fy)%100)]] != ""
		}
		for _, fy := range years {
			want, ok := old[rec[col[fmt.Sprintf("wb_income_fy%02d", int(fy)%100)]]]
			switch {
			case ok:
			case covered:
				want = citylinks.IncomeNotClassified
			default:
				want = citylinks.IncomeNoData
			}
			if got := citylinks.ShippedIncome().Group(alpha3, fy); got != want {
				changed = append(changed, fmt.Sprintf("%s %s %s→%s", alpha3, fy, want, got))
			}
		}
	}
	var notClassifiedToNoData []string
	for _, c := range []struct {
		alpha3   string
		from, to citylinks.FiscalYear
	}{{"GIB", 2013, 2016}, {"NRU", 2012, 2016}, {"SSD", 2012, 2012}, {"VGB", 2012, 2016}} {
		for fy := c.from; fy <= c.to; fy++ {
			notClassifiedToNoData = append(notClassifiedToNoData, fmt.Sprintf("%s %s not-classified→no-data", c.alpha3, fy))
		}
	}
	assert.ElementsMatch(t, notClassifiedToNoData, changed)
}

func TestIncomeTableSet(t *testing.T) {
	var tbl citylinks.IncomeTable // the zero value is ready to use
	require.NoError(t, tbl.Set("KE", 2027, citylinks.IncomeLowerMiddle))
	require.NoError(t, tbl.Set("chi", 2027, citylinks.IncomeHigh), "a World Bank code")
	assert.Equal(t, citylinks.IncomeHigh, tbl.Group("CHI", 2027))
	assert.Equal(t, citylinks.IncomeLowerMiddle, tbl.Group("KEN", 2027))
	assert.True(t, tbl.Holds(2027))
	assert.False(t, tbl.Holds(2026))
	require.NoError(t, tbl.Set("KE", 2027, citylinks.IncomeNoData), "no data removes the group")
	assert.Equal(t, citylinks.IncomeNoData, tbl.Group("KE", 2027))
	assert.True(t, tbl.Holds(2027), "the year stays held")

	for _, tc := range []struct {
		name    string
		economy string
		fy      citylinks.FiscalYear
		g       citylinks.IncomeGroup
		field   string
	}{
		{"UnknownEconomy", "ZZZ", 2027, citylinks.IncomeLow, "economy"},
		{"EmptyEconomy", "", 2027, citylinks.IncomeLow, "economy"},
		{"WorldBankName", "Channel Islands", 2027, citylinks.IncomeLow, "economy"}, // its code is CHI
		{"BeforeFY1989", "KE", 1988, citylinks.IncomeLow, "fiscal_year"},
		{"TwoDigitYear", "KE", 27, citylinks.IncomeLow, "fiscal_year"},
		{"PastYear9999", "KE", 10000, citylinks.IncomeLow, "fiscal_year"},
		{"BadGroup", "KE", 2027, "LM", "group"},
		{"EmptyGroup", "KE", 2027, "", "group"},
	} {
		before := tbl.FiscalYears()
		assertInvalid(t, tbl.Set(tc.economy, tc.fy, tc.g), tc.field, tc.name)
		assert.Equal(t, before, tbl.FiscalYears(), "%s: nothing changed", tc.name)
	}

	err := citylinks.ShippedIncome().Set("KE", 2027, citylinks.IncomeLowerMiddle)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "read-only")
	assert.False(t, citylinks.ShippedIncome().Holds(2027))
}

func TestIncomeTableClone(t *testing.T) {
	c := citylinks.ShippedIncome().Clone()
	assert.False(t, c.ReadOnly())
	require.NoError(t, c.Set("KE", 2027, citylinks.IncomeUpperMiddle))
	require.NoError(t, c.Set("KE", 2026, citylinks.IncomeHigh))
	assert.Equal(t, citylinks.IncomeUpperMiddle, c.Group("KE", 2027))
	assert.False(t, citylinks.ShippedIncome().Holds(2027), "the shipped table is unchanged")
	assert.Equal(t, citylinks.IncomeLowerMiddle, citylinks.ShippedIncome().Group("KE", 2026))
	assert.Equal(t, citylinks.IncomeHigh, c.Group("KE", 2026))
}

func TestIncomeTableReadCSV(t *testing.T) {
	tbl := citylinks.ShippedIncome().Clone()
	in := "economy,iso_alpha3,fy2026,fy2027,note\n" +
		"Kenya,KEN,LM,UM,anything\n" +
		"Channel Islands,chi,H,..,\n" +
		"Ethiopia, ETH ,NC, L ,\n" +
		"Tanzania,TZA,,LM,\n"
	require.NoError(t, tbl.ReadCSV(strings.NewReader(in)))
	assert.Equal(t, []citylinks.FiscalYear{2026, 2027}, tbl.FiscalYears()[len(tbl.FiscalYears())-2:])
	for _, tc := range []struct {
		economy string
		fy      citylinks.FiscalYear
		want    citylinks.IncomeGroup
	}{
		{"KE", 2027, citylinks.IncomeUpperMiddle},
		{"CHI", 2027, citylinks.IncomeNoData},
		{"ET", 2027, citylinks.IncomeLow},
		{"ET", 2026, citylinks.IncomeNotClassified},
		{"TZ", 2026, citylinks.IncomeNoData}, // an empty cell removes the shipped group
		{"TZ", 2027, citylinks.IncomeLowerMiddle},
		{"IN", 2026, citylinks.IncomeLowerMiddle}, // not in the file: kept
		{"IN", 2027, citylinks.IncomeNoData},      // FY27 is held, India has no group in it
		{"KE", 2025, citylinks.IncomeLowerMiddle},
	} {
		assert.Equal(t, tc.want, tbl.Group(tc.economy, tc.fy), "%s %s", tc.economy, tc.fy)
	}

	// A file with only empty cells still makes the year held.
	require.NoError(t, tbl.ReadCSV(strings.NewReader("iso_alpha3,fy2028\nKEN,\n")))
	assert.True(t, tbl.Holds(2028))
	require.Error(t, citylinks.ShippedIncome().ReadCSV(strings.NewReader("iso_alpha3,fy2027\nKEN,L\n")), "read-only")
}

// TestIncomeTableReadCSVLineEndings: LF, CRLF and old Mac CR-only files
// read the same; a row longer than citylinks.MaxCSVRowBytes is a bad row
// with its line, read without holding it whole.
func TestIncomeTableReadCSVLineEndings(t *testing.T) {
	in := "iso_alpha3,fy2027\nKEN,UM\nETH,L\n"
	for name, text := range map[string]string{"LF": in, "CRLF": strings.ReplaceAll(in, "\n", "\r\n"), "CR": strings.ReplaceAll(in, "\n", "\r")} {
		tbl := citylinks.ShippedIncome().Clone()
		require.NoError(t, tbl.ReadCSV(strings.NewReader(text)), name)
		assert.Equal(t, citylinks.IncomeUpperMiddle, tbl.Group("KE", 2027), name)
		assert.Equal(t, citylinks.IncomeLow, tbl.Group("ET", 2027), name)
	}
	tbl := citylinks.ShippedIncome().Clone()
	long := io.MultiReader(strings.NewReader("iso_alpha3,fy2027\nKEN,UM\nETH,"), strings.NewReader(strings.Repeat("x", citylinks.MaxCSVRowBytes+10)), strings.NewReader("\n"))
	err := tbl.ReadCSV(long)
	var ie *citylinks.ImportError
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Rows, 1)
	assert.Equal(t, 3, ie.Rows[0].Line)
	assert.False(t, tbl.Holds(2027), "a bad file adds nothing")
}

func TestIncomeTableReadCSVBad(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		lines []int  // the bad rows' lines; nil for a header error
		want  string // in the error text
	}{
		{"Empty", "", nil, "empty input"},
		{"NoCode", "economy,fy2027\nKenya,L\n", nil, `missing column "iso_alpha3"`},
		{"NoYear", "iso_alpha3,economy\nKEN,Kenya\n", nil, "no fiscal-year column"},
		{"TwoDigitYear", "iso_alpha3,fy27\nKEN,L\n", nil, "four digits, e.g. fy2027"},
		{"YearBefore1989", "iso_alpha3,fy1988\nKEN,L\n", nil, "begins with FY1989"},
		{"YearTwice", "iso_alpha3,fy2027,FY2027\nKEN,L,L\n", nil, "appears twice"},
		{"CodeTwice", "iso_alpha3,iso_alpha3,fy2027\nKEN,KEN,L\n", nil, "iso_alpha3 appears twice"},
		{"BadCode", "iso_alpha3,fy2027\nKEN,L\nZZZ,L\nKenya,L\n", []int{3, 4}, `"ZZZ" is not an ISO 3166-1 alpha-3 code`},
		{"BadGroup", "iso_alpha3,fy2026,fy2027\nKEN,L,low\nTZA,LM*,L\n", []int{2, 3}, `fy2027: "low" is not an income code`},
		{"Duplicate", "iso_alpha3,fy2027\nKEN,L\nTZA,L\nken,LM\n", []int{4}, "KEN appears again (first on line 2)"},
		{"ShortRow", "iso_alpha3,fy2027\nKEN\n", []int{2}, "has 1 fields; the header has 2"},
		{"BadQuote", "iso_alpha3,fy2027\nKEN,\"L\nTZA,L\n", []int{2}, "row"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tbl := citylinks.ShippedIncome().Clone()
			var before bytes.Buffer
			require.NoError(t, tbl.WriteCSV(&before))
			err := tbl.ReadCSV(strings.NewReader(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, citylinks.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			var ie *citylinks.ImportError
			if tc.lines == nil {
				var re *citylinks.RowError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, 1, re.Line)
				assert.False(t, errors.As(err, &ie))
			} else {
				require.ErrorAs(t, err, &ie)
				var lines []int
				for _, r := range ie.Rows {
					lines = append(lines, r.Line)
				}
				assert.Equal(t, tc.lines, lines)
			}
			var after bytes.Buffer
			require.NoError(t, tbl.WriteCSV(&after))
			assert.Equal(t, before.String(), after.String(), "a bad file changes nothing")
			assert.False(t, tbl.Holds(2027))
		})
	}
}

func TestIncomeTableWriteCSVRoundTrip(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, citylinks.ShippedIncome().WriteCSV(&out))
	var back citylinks.IncomeTable
	require.NoError(t, back.ReadCSV(bytes.NewReader(out.Bytes())))
	assert.Equal(t, citylinks.ShippedIncome().FiscalYears(), back.FiscalYears())
	var again bytes.Buffer
	require.NoError(t, back.WriteCSV(&again))
	assert.Equal(t, out.String(), again.String())

	// The same cells as the shipped file.
	shipped, err := os.ReadFile("dataset/wb_income_history.csv")
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(shipped)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, recs, 224, "223 economies")
	for _, rec := range recs[1:] {
		for i, h := range recs[0] {
			if !strings.HasPrefix(h, "fy") {
				continue
			}
			var fy citylinks.FiscalYear
			_, err := fmt.Sscanf(h, "fy%d", &fy)
			require.NoError(t, err)
			assert.Equal(t, rec[i], back.Group(rec[0], fy).Code(), "%s %s", rec[0], h)
		}
	}
	assert.True(t, strings.HasPrefix(out.String(), "iso_alpha3,economy,fy1989,"), out.String()[:40])
	assert.Contains(t, out.String(), "\nKEN,Kenya,L,")
}

func TestIncomeTableConcurrent(t *testing.T) {
	tbl := citylinks.ShippedIncome().Clone()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for fy := citylinks.FiscalYear(2027); fy < 2040; fy++ {
				if i%2 == 0 {
					assert.NoError(t, tbl.Set("KE", fy, citylinks.IncomeLowerMiddle))
				} else {
					_ = tbl.Group("KE", fy)
					_ = tbl.Holds(fy)
					_ = slices.Clone(tbl.FiscalYears())
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, citylinks.IncomeLowerMiddle, tbl.Group("KE", 2039))
}
