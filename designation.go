package citylinks

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed dataset/usg_initiative_countries_2010_2011.csv
var initiativesCSV string

// Designation is a named, dated list of countries, such as the Feed the
// Future focus countries. A country is on the list from Effective until Until
// (inclusive; a zero Until means the list has no known end).
type Designation struct {
	ID        string   // stable kebab-case id, e.g. "ftf-focus-2010"
	Name      string   // e.g. "Feed the Future focus countries (2010)"
	Countries []string // ISO alpha-2 codes, sorted
	Effective Date     // the date the list was announced or took effect
	Until     Date     // the last date the list applied; zero if open
	Sources   []string // where the list comes from (URLs or citations)
	Note      string
}

// The ids of the built-in designations.
const (
	DesignationFeedTheFuture2010 = "ftf-focus-2010"
	DesignationGHIPlus2010       = "ghi-plus-2010"
	DesignationGHIRound2         = "ghi-round2-2011"
)

// NewDesignation validates d and returns it with its countries upper-cased
// and sorted. Every country must be known to LookupCountry by alpha-2 code.
func NewDesignation(d Designation) (Designation, error) {
	if err := validateSlug("id", d.ID); err != nil {
		return Designation{}, err
	}
	if strings.TrimSpace(d.Name) == "" {
		return Designation{}, invalid("name", "must not be empty")
	}
	if d.Effective.IsZero() || !d.Effective.Valid() {
		return Designation{}, invalid("effective", "must be a calendar date")
	}
	if !d.Until.IsZero() && (!d.Until.Valid() || d.Until.Before(d.Effective)) {
		return Designation{}, invalid("until", "must be a date on or after effective (%s)", d.Effective)
	}
	cs := make([]string, 0, len(d.Countries))
	for i, c := range d.Countries {
		up := strings.ToUpper(strings.TrimSpace(c))
		if _, ok := countryByAlpha2(up); !ok {
			return Designation{}, invalid(fmt.Sprintf("countries[%d]", i), "%q is not a known ISO 3166-1 alpha-2 code", c)
		}
		cs = append(cs, up)
	}
	slices.Sort(cs)
	for i := 1; i < len(cs); i++ {
		if cs[i] == cs[i-1] {
			return Designation{}, invalid("countries", "%s is listed twice", cs[i])
		}
	}
	d.Countries = cs
	d.Sources = slices.Clone(d.Sources)
	return d, nil
}

// Includes reports whether the country with the given alpha-2 code is on the
// list as of the given date.
func (d Designation) Includes(alpha2 string, asOf Date) bool {
	if asOf.Before(d.Effective) || (!d.Until.IsZero() && asOf.After(d.Until)) {
		return false
	}
	_, ok := slices.BinarySearch(d.Countries, alpha2)
	return ok
}

// CountriesAsOf returns the countries on the list as of the given date
// (none if the list was not in effect).
func (d Designation) CountriesAsOf(asOf Date) []string {
	if asOf.Before(d.Effective) || (!d.Until.IsZero() && asOf.After(d.Until)) {
		return nil
	}
	return slices.Clone(d.Countries)
}

// String returns the designation's name.
func (d Designation) String() string { return d.Name }

var loadDesignations = sync.OnceValues(func() ([]Designation, error) {
	return parseInitiatives(strings.NewReader(initiativesCSV))
})

func parseInitiatives(r io.Reader) ([]Designation, error) {
	defs := []struct {
		col string
		d   Designation
	}{
		{"ftf_focus_2010", Designation{
			ID: DesignationFeedTheFuture2010, Name: "Feed the Future focus countries (2010)",
			Effective: Date{2010, time.April, 24},
			Sources: []string{
				"USAID, \"Administrator Shah Announces 20 Feed the Future Initiative Focus Countries\" (24 Apr 2010), https://geneva.usmission.gov/2010/04/25/feed-the-future-countries/",
				"Briefing Papers No. 13 (Dec 2011), p. 12, https://viewer.joomag.com/briefing-papers-number-13-december-2011/0491442001393000639/p12",
			},
			Note: "The 20 focus countries announced by USAID on 24 April 2010. Later revisions are not included.",
		}},
		{"ghi_plus_2010", Designation{
			ID: DesignationGHIPlus2010, Name: "Global Health Initiative Plus countries (2010)",
			Effective: Date{2010, time.June, 18},
			Sources: []string{
				"State/USAID/HHS joint statement (18 Jun 2010), https://news-medical.net/news/20100619/US-releases-statement-on-Global-Health-Initiative.aspx",
				"KFF, \"Obama Administration Names Eight 'GHI Plus' Countries\", https://www.kff.org/news-summary/obama-administration-names-eight-ghi-plus-countries/",
			},
			Note: "The eight GHI Plus countries named on 18 June 2010.",
		}},
		{"ghi_round2_2011", Designation{
			ID: DesignationGHIRound2, Name: "Global Health Initiative second-round countries (2011)",
			Effective: Date{2011, time.November, 5},
			Sources: []string{
				"PRI/GlobalPost, \"GHI expands focus countries to 29\" (5 Nov 2011), https://www.pri.org/stories/2011-11-05/ghi-expands-focus-countries-29",
				"KFF, \"GlobalPost Reports On Second Round GHI Country Selections\", https://www.kff.org/news-summary/globalpost-reports-on-second-round-ghi-country-selections/",
			},
			Note: "The 21 countries added in the second round, as reported in November 2011. GHI spent money in more than 80 countries; absence from this list does not mean a country was outside GHI.",
		}},
	}
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("citylinks: initiatives table: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, def := range defs {
		if _, ok := col[def.col]; !ok {
			return nil, fmt.Errorf("citylinks: initiatives table: missing column %q", def.col)
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("citylinks: initiatives table: %w", err)
		}
		for i := range defs {
			if rec[col[defs[i].col]] == "true" {
				defs[i].d.Countries = append(defs[i].d.Countries, rec[col["iso_alpha2"]])
			}
		}
	}
	out := make([]Designation, len(defs))
	for i, def := range defs {
		d, err := NewDesignation(def.d)
		if err != nil {
			return nil, fmt.Errorf("citylinks: built-in designation %s: %w", def.d.ID, err)
		}
		out[i] = d
	}
	return out, nil
}

// Designations returns the built-in designations: Feed the Future focus
// countries (2010), GHI Plus (2010) and GHI second round (2011).
func Designations() []Designation {
	ds, err := loadDesignations()
	if err != nil {
		panic(err) // embedded data, checked by tests
	}
	out := make([]Designation, len(ds))
	for i, d := range ds {
		d.Countries = slices.Clone(d.Countries)
		d.Sources = slices.Clone(d.Sources)
		out[i] = d
	}
	return out
}

// LookupDesignation returns the built-in designation with the given id, or an
// error wrapping ErrNotFound.
func LookupDesignation(id string) (Designation, error) {
	for _, d := range Designations() {
		if d.ID == id {
			return d, nil
		}
	}
	return Designation{}, fmt.Errorf("citylinks: designation %q: %w", id, ErrNotFound)
}
