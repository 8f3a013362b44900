package citylinks

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed dataset/countries.csv
var countriesCSV string

// M49Area is a UN M49 geographic area: a region ("002" Africa), a
// sub-region ("202" Sub-Saharan Africa) or an intermediate region. The zero
// value means the country has none at that level.
type M49Area struct {
	Code string // three-digit UN M49 code, e.g. "002"
	Name string // e.g. "Africa"
}

// Country is one ISO 3166-1 entry with its UN M49 areas and World Bank
// income history. Values come from the embedded dataset/countries.csv, and
// income groups from dataset/wb_income_history.csv (ShippedIncome); see
// NOTICE for sources and licences.
type Country struct {
	Alpha2       string // ISO 3166-1 alpha-2, e.g. "TZ"
	Alpha3       string // ISO 3166-1 alpha-3, e.g. "TZA"
	Numeric      string // ISO 3166-1 numeric, three digits, e.g. "834"
	Name         string // short English name (GeoNames), e.g. "Tanzania"
	OfficialName string // official English name, e.g. "United Republic of Tanzania"

	Region             M49Area // UN M49 region
	SubRegion          M49Area // UN M49 sub-region
	IntermediateRegion M49Area // UN M49 intermediate region, often empty

	LDC  bool // UN least developed country
	LLDC bool // UN landlocked developing country
	SIDS bool // UN small island developing state

	Status     string // "Yes" for independent states, else e.g. "Territory of GB"
	Continent  string // GeoNames continent code, e.g. "AF"
	Capital    string
	GeoNameID  int
	Population int64 // GeoNames country population

	WorldBankRegion  string // World Bank region (FY23 classification), "" when not covered
	WorldBankLending string // IDA, IBRD or Blend (FY23), "" when none
}

// IncomeGroup returns the World Bank income group of the country in fiscal
// year fy from the shipped table, ShippedIncome, which holds FY1989–FY2026.
// It returns IncomeNotClassified when the World Bank covered the country but
// gave it no group that year, and IncomeNoData when the table has no group
// for it: the World Bank did not cover the country, it did not exist yet, or
// fy is outside the shipped years (ShippedIncome().Holds(fy) tells these
// apart). For later years, use an IncomeTable with the years supplied.
func (c Country) IncomeGroup(fy FiscalYear) IncomeGroup {
	return ShippedIncome().Group(c.Alpha3, fy)
}

// String returns the country's name.
func (c Country) String() string { return c.Name }

type countryTable struct {
	list  []Country
	index map[string]int // lower-cased codes and names → position in list
}

var loadCountries = sync.OnceValues(func() (*countryTable, error) {
	return parseCountries(strings.NewReader(countriesCSV))
})

// kosovo is not in ISO 3166-1 but GeoNames (and so the shipped city table)
// uses the user-assigned code XK for it. Only the facts GeoNames' countryInfo
// gives are filled in; UN M49 assigns Kosovo no area of its own, and the World
// Bank tables shipped here do not include it, so its income is IncomeNoData.
var kosovo = Country{
	Alpha2: "XK", Alpha3: "XKX", Name: "Kosovo", OfficialName: "Kosovo",
	Status: "User-assigned code (GeoNames)", Continent: "EU", Capital: "Pristina", GeoNameID: 831053,
}

func parseCountries(r io.Reader) (*countryTable, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("citylinks: countries table: %w", err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"iso_alpha2", "iso_alpha3", "iso_numeric", "name", "wb_region_fy23"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("citylinks: countries table: missing column %q", need)
		}
	}
	t := &countryTable{index: make(map[string]int)}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("citylinks: countries table: %w", err)
		}
		get := func(name string) string { return rec[col[name]] }
		c := Country{
			Alpha2: get("iso_alpha2"), Alpha3: get("iso_alpha3"), Numeric: get("iso_numeric"),
			Name: get("name"), OfficialName: get("official_name_en"),
			Region:             M49Area{get("m49_region_code"), get("m49_region")},
			SubRegion:          M49Area{get("m49_subregion_code"), get("m49_subregion")},
			IntermediateRegion: M49Area{get("m49_intermediate_region_code"), get("m49_intermediate_region")},
			LDC:                get("un_ldc") == "true", LLDC: get("un_lldc") == "true", SIDS: get("un_sids") == "true",
			Status: get("is_independent"), Continent: get("continent"), Capital: get("capital"),
			WorldBankRegion: get("wb_region_fy23"), WorldBankLending: get("wb_lending_fy23"),
		}
		c.GeoNameID, _ = strconv.Atoi(get("geonameid"))
		c.Population, _ = strconv.ParseInt(get("population_geonames"), 10, 64)
		t.add(c)
	}
	t.add(kosovo)
	return t, nil
}

func (t *countryTable) add(c Country) {
	t.list = append(t.list, c)
	for _, k := range []string{c.Alpha2, c.Alpha3, c.Numeric, c.Name, c.OfficialName} {
		if k == "" {
			continue
		}
		if _, dup := t.index[strings.ToLower(k)]; !dup {
			t.index[strings.ToLower(k)] = len(t.list) - 1
		}
	}
}

func countries() *countryTable {
	t, err := loadCountries()
	if err != nil {
		// The table is embedded and checked by the tests; failing to parse it
		// is a broken build, not bad input.
		panic(err)
	}
	return t
}

// Countries returns every known country in the order of the embedded table
// (by alpha-2 code): the 249 ISO 3166-1 entries, then Kosovo (XK). The slice
// is a copy; changing it does not affect lookups.
func Countries() []Country { return slices.Clone(countries().list) }

// LookupCountry finds a country by ISO alpha-2, alpha-3 or numeric code, or by
// its short or official English name, ignoring case. It returns an error
// wrapping ErrNotFound when nothing matches.
func LookupCountry(key string) (Country, error) {
	t := countries()
	if i, ok := t.index[strings.ToLower(strings.TrimSpace(key))]; ok {
		return t.list[i], nil
	}
	return Country{}, fmt.Errorf("citylinks: country %q: %w", key, ErrNotFound)
}

// countryByAlpha2 looks up an exact, upper-case alpha-2 code.
func countryByAlpha2(code string) (Country, bool) {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return Country{}, false
	}
	c, err := LookupCountry(code)
	return c, err == nil
}

// countryByAlpha3 looks up an exact, upper-case alpha-3 code.
func countryByAlpha3(code string) (Country, bool) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return Country{}, false
	}
	c, err := LookupCountry(code)
	return c, err == nil && c.Alpha3 == code
}

// CountriesInRegion returns the alpha-2 codes of every country whose UN M49
// region, sub-region or intermediate region has the given code or name
// (case-insensitive), sorted. It returns an error wrapping ErrNotFound for an
// unknown area.
func CountriesInRegion(area string) ([]string, error) {
	key := strings.ToLower(strings.TrimSpace(area))
	var out []string
	for _, c := range countries().list {
		for _, a := range []M49Area{c.Region, c.SubRegion, c.IntermediateRegion} {
			if a.Code != "" && (a.Code == key || strings.ToLower(a.Name) == key) {
				out = append(out, c.Alpha2)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("citylinks: M49 area %q: %w", area, ErrNotFound)
	}
	slices.Sort(out)
	return out, nil
}
