package citylinks

import (
	"context"
	"iter"
	"slices"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Paging defaults for the List methods.
const (
	// DefaultPageSize is the page size when a filter's Limit is 0.
	DefaultPageSize = 100
	// MaxPageSize is the largest page a List method returns.
	MaxPageSize = 1000
)

// Store is the storage the core package needs: cities, organizations and
// programs. The backends under store/ implement it, and storetest checks
// them. Every method validates what it writes and returns a
// *ValidationError (wrapping ErrInvalid) for invalid input, storing
// nothing. A canceled context gives an error wrapping context.Canceled.
type Store interface {
	// Cities.

	// CreateCity stores a new city. It returns ErrConflict if the id is taken.
	CreateCity(ctx context.Context, c City) error
	// PutCity stores c, replacing any city with the same id.
	PutCity(ctx context.Context, c City) error
	// GetCity returns the city with the given id, or ErrNotFound.
	GetCity(ctx context.Context, id string) (City, error)
	// DeleteCity removes the city with the given id, or returns ErrNotFound.
	DeleteCity(ctx context.Context, id string) error
	// ListCities returns one page of the cities that match f, ordered by id.
	ListCities(ctx context.Context, f CityFilter) (Page[City], error)
	// ImportCities stores many cities in one transaction; see ImportOptions
	// for what happens to bad rows and existing ids.
	ImportCities(ctx context.Context, src iter.Seq2[City, error], opts *ImportOptions) (ImportResult, error)

	// Organizations.

	// CreateOrganization stores a new organization, or returns ErrConflict.
	CreateOrganization(ctx context.Context, o Organization) error
	// PutOrganization stores o, replacing any with the same id.
	PutOrganization(ctx context.Context, o Organization) error
	// GetOrganization returns the organization with the given id, or
	// ErrNotFound.
	GetOrganization(ctx context.Context, id string) (Organization, error)
	// DeleteOrganization removes an organization, or returns ErrNotFound.
	DeleteOrganization(ctx context.Context, id string) error
	// ListOrganizations returns one page of the organizations that match f,
	// ordered by id.
	ListOrganizations(ctx context.Context, f OrganizationFilter) (Page[Organization], error)

	// Programs.

	// CreateProgram stores a new program, or returns ErrConflict.
	CreateProgram(ctx context.Context, p Program) error
	// PutProgram stores p, replacing any program with the same id.
	PutProgram(ctx context.Context, p Program) error
	// GetProgram returns the program with the given id, or ErrNotFound.
	GetProgram(ctx context.Context, id string) (Program, error)
	// DeleteProgram removes a program, or returns ErrNotFound.
	DeleteProgram(ctx context.Context, id string) error
	// ListPrograms returns one page of programs, ordered by id.
	ListPrograms(ctx context.Context, f ProgramFilter) (Page[Program], error)
}

// Page is one page of a List result. Next is the cursor to pass as the
// filter's After to get the following page; it is empty on the last page.
//
// Paging is keyset paging on id: a page holds the first Limit matching
// records whose id sorts after After (byte-wise), so records written or
// deleted while a caller pages never make a page skip or repeat another
// record.
type Page[T any] struct {
	Items []T
	Next  string
}

// Region is a filter on where a record is: countries, a designation, a UN
// M49 area. Set fields combine with AND; zero fields do not filter.
type Region struct {
	// Countries keeps records in any of these ISO alpha-2 codes.
	Countries []string
	// Designation keeps records in countries on this list as of AsOf.
	Designation *Designation
	// AsOf is the date at which Designation is read. The zero value means
	// the designation's Effective date.
	AsOf Date
	// M49 keeps records in countries of this UN M49 region, sub-region or
	// intermediate region, given by code ("002") or name ("Africa").
	M49 string
}

// CountrySet returns the set of alpha-2 codes the region allows, sorted. If
// restricted is false, the region does not filter on country at all; if it
// is true and codes is empty, nothing matches.
func (r Region) CountrySet() (codes []string, restricted bool, err error) {
	var sets [][]string
	if len(r.Countries) > 0 {
		cs := slices.Clone(r.Countries)
		slices.Sort(cs)
		sets = append(sets, slices.Compact(cs))
	}
	if r.Designation != nil {
		asOf := r.AsOf
		if asOf.IsZero() {
			asOf = r.Designation.Effective
		}
		cs := r.Designation.CountriesAsOf(asOf)
		slices.Sort(cs)
		sets = append(sets, cs)
	}
	if r.M49 != "" {
		cs, err := CountriesInRegion(r.M49)
		if err != nil {
			return nil, false, &ValidationError{Field: "m49", Problem: err.Error()}
		}
		sets = append(sets, cs)
	}
	if len(sets) == 0 {
		return nil, false, nil
	}
	out := sets[0]
	for _, s := range sets[1:] {
		out = slices.DeleteFunc(slices.Clone(out), func(c string) bool {
			_, ok := slices.BinarySearch(s, c)
			return !ok
		})
	}
	if out == nil {
		out = []string{}
	}
	return out, true, nil
}

// CityFilter selects cities for ListCities.
type CityFilter struct {
	Region
	MinPopulation *int64 // keep cities with at least this population
	MaxPopulation *int64 // keep cities with at most this population
	After         string // return cities whose id sorts after this cursor
	Limit         int    // page size; 0 means DefaultPageSize, capped at MaxPageSize
}

// Match reports whether c passes the filter, given the country set computed
// by CountrySet. Backends that filter in Go use it.
func (f CityFilter) Match(c City, codes []string, restricted bool) bool {
	if restricted {
		if _, ok := slices.BinarySearch(codes, c.Country); !ok {
			return false
		}
	}
	if f.MinPopulation != nil && c.Population < *f.MinPopulation {
		return false
	}
	if f.MaxPopulation != nil && c.Population > *f.MaxPopulation {
		return false
	}
	return c.ID > f.After
}

// OrganizationFilter selects organizations for ListOrganizations.
type OrganizationFilter struct {
	Region
	Kinds []OrgKind // keep organizations of any of these kinds
	After string
	Limit int
}

// Match reports whether o passes the filter, given the country set computed
// by CountrySet.
func (f OrganizationFilter) Match(o Organization, codes []string, restricted bool) bool {
	if restricted {
		if _, ok := slices.BinarySearch(codes, o.Country); !ok {
			return false
		}
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, o.Kind) {
		return false
	}
	return o.ID > f.After
}

// ProgramFilter selects programs for ListPrograms.
type ProgramFilter struct {
	After string
	Limit int
}

// PageSize returns the effective page size for a filter's Limit, or a
// *ValidationError if it is negative.
func PageSize(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, invalid("limit", "%d is negative", limit)
	case limit == 0:
		return DefaultPageSize, nil
	case limit > MaxPageSize:
		return MaxPageSize, nil
	}
	return limit, nil
}

// Validate checks a city filter's values.
func (f CityFilter) Validate() error {
	if f.MinPopulation != nil && f.MaxPopulation != nil && *f.MinPopulation > *f.MaxPopulation {
		return invalid("min_population", "%d is above max_population %d", *f.MinPopulation, *f.MaxPopulation)
	}
	_, err := PageSize(f.Limit)
	return err
}

// Validate checks an organization filter's values.
func (f OrganizationFilter) Validate() error {
	for i, k := range f.Kinds {
		if !k.Valid() {
			return invalid("kinds", "kinds[%d] %q is not an organization kind", i, errtext.Clip(string(k)))
		}
	}
	_, err := PageSize(f.Limit)
	return err
}
