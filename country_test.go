package citylinks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func TestCountriesTable(t *testing.T) {
	all := citylinks.Countries()
	require.Len(t, all, 250, "249 ISO 3166-1 rows plus Kosovo")
	seen := map[string]bool{}
	for _, c := range all {
		require.Len(t, c.Alpha2, 2)
		require.False(t, seen[c.Alpha2], "duplicate %s", c.Alpha2)
		seen[c.Alpha2] = true
	}
	noData := 0
	for _, c := range all {
		if c.IncomeGroup(2023) == citylinks.IncomeNoData {
			noData++
		}
	}
	assert.Equal(t, 32, noData, "32 territories without World Bank data (Kosovo is XKX)")
}

func TestLookupCountry(t *testing.T) {
	for _, key := range []string{"TZ", "tz", "TZA", "tza", "834", "Tanzania", "TANZANIA", "United Republic of Tanzania", " tz "} {
		c, err := citylinks.LookupCountry(key)
		require.NoError(t, err, "LookupCountry(%q)", key)
		assert.Equal(t, "TZ", c.Alpha2, "LookupCountry(%q)", key)
	}
	for _, key := range []string{"XX", "", "Atlantis", "999"} {
		_, err := citylinks.LookupCountry(key)
		assert.ErrorIs(t, err, citylinks.ErrNotFound, "LookupCountry(%q)", key)
	}
	xk, err := citylinks.LookupCountry("XK")
	require.NoError(t, err)
	assert.Equal(t, "Kosovo", xk.Name)
	assert.Equal(t, citylinks.M49Area{}, xk.Region, "UN M49 gives Kosovo no area")
}

func TestCountryRegions(t *testing.T) {
	tz, _ := citylinks.LookupCountry("TZ")
	assert.Equal(t, citylinks.M49Area{Code: "002", Name: "Africa"}, tz.Region)
	assert.Equal(t, citylinks.M49Area{Code: "202", Name: "Sub-Saharan Africa"}, tz.SubRegion)
	assert.Equal(t, citylinks.M49Area{Code: "014", Name: "Eastern Africa"}, tz.IntermediateRegion)
	assert.True(t, tz.LDC)

	ca, err := citylinks.CountriesInRegion("013")
	require.NoError(t, err)
	assert.Equal(t, []string{"BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV"}, ca, "Central America")
	af, err := citylinks.CountriesInRegion("africa")
	require.NoError(t, err)
	assert.Len(t, af, 60)
	_, err = citylinks.CountriesInRegion("Atlantis")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
}

func TestIncomeGroups(t *testing.T) {
	cases := []struct {
		country string
		fy      citylinks.FiscalYear
		want    citylinks.IncomeGroup
	}{
		// Spot checks of known changes: Ghana and Zambia L→LM in FY12,
		// Bangladesh and Kenya LM from FY16, Tanzania LM from FY21.
		{"GH", 2012, citylinks.IncomeLowerMiddle},
		{"ZM", 2012, citylinks.IncomeLowerMiddle},
		{"BD", 2015, citylinks.IncomeLow},
		{"BD", 2016, citylinks.IncomeLowerMiddle},
		{"KE", 2016, citylinks.IncomeLowerMiddle},
		{"TZ", 2017, citylinks.IncomeLow},
		{"TZ", 2020, citylinks.IncomeLow},
		{"TZ", 2021, citylinks.IncomeLowerMiddle},
		{"US", 2012, citylinks.IncomeHigh},
		{"PE", 2014, citylinks.IncomeUpperMiddle},
		// Every year of the World Bank's table, FY1989–FY2026.
		{"KE", 1989, citylinks.IncomeLow},
		{"KE", 2019, citylinks.IncomeLowerMiddle},
		{"CN", 1989, citylinks.IncomeLow},
		{"CN", 1999, citylinks.IncomeLowerMiddle},
		{"CN", 2000, citylinks.IncomeLow}, // as OGHIST has it
		{"CN", 2001, citylinks.IncomeLowerMiddle},
		{"CN", 2012, citylinks.IncomeUpperMiddle},
		{"CN", 2026, citylinks.IncomeUpperMiddle},
		{"CR", 2025, citylinks.IncomeUpperMiddle},
		{"CR", 2026, citylinks.IncomeHigh}, // FY26: Costa Rica UM → H
		{"XK", 2015, citylinks.IncomeLowerMiddle},
		{"XK", 2026, citylinks.IncomeUpperMiddle},
		// Covered by the World Bank, but not classified that year.
		{"VE", 2023, citylinks.IncomeNotClassified},
		{"ET", 2025, citylinks.IncomeLow},
		{"ET", 2026, citylinks.IncomeNotClassified},
		// Not covered at all; a year before the economy existed; a year
		// outside the table.
		{"AI", 2012, citylinks.IncomeNoData},
		{"SS", 2012, citylinks.IncomeNoData},
		{"SS", 2013, citylinks.IncomeLowerMiddle},
		{"AL", 1991, citylinks.IncomeNoData},
		{"KE", 1988, citylinks.IncomeNoData},
		{"KE", 2027, citylinks.IncomeNoData},
	}
	for _, tc := range cases {
		c, err := citylinks.LookupCountry(tc.country)
		require.NoError(t, err)
		assert.Equal(t, tc.want, c.IncomeGroup(tc.fy), "%s %s", tc.country, tc.fy)
	}
}

func TestFiscalYearOf(t *testing.T) {
	for _, tc := range []struct {
		date string
		want citylinks.FiscalYear
	}{
		{"2015-06-30", 2015},
		{"2015-07-01", 2016},
		{"2016-01-01", 2016},
		{"2025-06-30", 2025},
		{"2025-07-01", 2026}, // the FY26 classification is released on 1 July 2025
		{"2026-06-30", 2026},
		{"2026-07-01", 2027},
		{"1988-07-01", 1989},
	} {
		d, err := citylinks.ParseDate(tc.date)
		require.NoError(t, err)
		assert.Equal(t, tc.want, citylinks.FiscalYearOf(d), tc.date)
	}
	assert.Equal(t, "FY16", citylinks.FiscalYear(2016).String())
	assert.Equal(t, "FY89", citylinks.FiscalYear(1989).String())
}

func TestDesignations(t *testing.T) {
	want := map[string]int{
		citylinks.DesignationFeedTheFuture2010: 20,
		citylinks.DesignationGHIPlus2010:       8,
		citylinks.DesignationGHIRound2:         21,
	}
	ds := citylinks.Designations()
	require.Len(t, ds, 3)
	for _, d := range ds {
		assert.Len(t, d.Countries, want[d.ID], d.ID)
		assert.NotEmpty(t, d.Sources, d.ID)
	}
	ftf, err := citylinks.LookupDesignation(citylinks.DesignationFeedTheFuture2010)
	require.NoError(t, err)
	assert.True(t, ftf.Includes("HN", citylinks.Date{Year: 2015, Month: 1, Day: 1}))
	assert.False(t, ftf.Includes("PE", citylinks.Date{Year: 2015, Month: 1, Day: 1}), "Peru is not a focus country")
	assert.False(t, ftf.Includes("HN", citylinks.Date{Year: 2010, Month: 4, Day: 23}), "the day before the announcement")
	assert.True(t, ftf.Includes("HN", citylinks.Date{Year: 2010, Month: 4, Day: 24}), "the day of the announcement")
	_, err = citylinks.LookupDesignation("nope")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
}

func TestNewDesignation(t *testing.T) {
	d, err := citylinks.NewDesignation(citylinks.Designation{
		ID: "asean-2013", Name: "ASEAN pilot", Countries: []string{"th", "PH", "ID"},
		Effective: citylinks.Date{Year: 2013, Month: 8, Day: 13},
		Until:     citylinks.Date{Year: 2014, Month: 12, Day: 31},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"ID", "PH", "TH"}, d.Countries)
	assert.True(t, d.Includes("TH", citylinks.Date{Year: 2014, Month: 12, Day: 31}))
	assert.False(t, d.Includes("TH", citylinks.Date{Year: 2015, Month: 1, Day: 1}), "after Until")

	bad := []struct {
		name  string
		d     citylinks.Designation
		field string
	}{
		{"BadID", citylinks.Designation{ID: "Not Kebab", Name: "x", Effective: citylinks.Date{Year: 2010, Month: 1, Day: 1}}, "id"},
		{"NoName", citylinks.Designation{ID: "x", Effective: citylinks.Date{Year: 2010, Month: 1, Day: 1}}, "name"},
		{"NoDate", citylinks.Designation{ID: "x", Name: "x"}, "effective"},
		{"UnknownCountry", citylinks.Designation{ID: "x", Name: "x", Effective: citylinks.Date{Year: 2010, Month: 1, Day: 1}, Countries: []string{"KE", "XX"}}, "countries[1]"},
		{"Twice", citylinks.Designation{ID: "x", Name: "x", Effective: citylinks.Date{Year: 2010, Month: 1, Day: 1}, Countries: []string{"KE", "ke"}}, "countries"},
		{"UntilBeforeEffective", citylinks.Designation{ID: "x", Name: "x", Effective: citylinks.Date{Year: 2010, Month: 1, Day: 1}, Until: citylinks.Date{Year: 2009, Month: 1, Day: 1}}, "until"},
	}
	for _, tc := range bad {
		_, err := citylinks.NewDesignation(tc.d)
		assertInvalid(t, err, tc.field, tc.name)
	}
}

func assertInvalid(t *testing.T, err error, field string, msgAndArgs ...any) {
	t.Helper()
	var ve *citylinks.ValidationError
	if assert.ErrorAs(t, err, &ve, msgAndArgs...) {
		assert.ErrorIs(t, err, citylinks.ErrInvalid, msgAndArgs...)
		assert.Equal(t, field, ve.Field, msgAndArgs...)
	}
}
