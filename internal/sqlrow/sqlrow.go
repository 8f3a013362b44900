package sqlrow

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
)

// CityColumns are the columns of the cities table, in the order of CityArgs.
var CityColumns = []string{
	"id", "name", "country", "admin_code", "admin_name", "population", "population_year",
	"lat", "lon", "elevation", "coastal", "time_zone", "languages", "needs", "offers", "capacity",
}

// CityColumnList is CityColumns joined with commas.
var CityColumnList = strings.Join(CityColumns, ", ")

// CityArgs returns c's column values in the order of CityColumns.
func CityArgs(c citylinks.City) []any {
	return AppendCityArgs(make([]any, 0, len(CityColumns)), c)
}

// AppendCityArgs appends c's column values, in the order of CityColumns, to
// dst.
func AppendCityArgs(dst []any, c citylinks.City) []any {
	var lat, lon *float64
	if c.Location != nil {
		lat, lon = &c.Location.Lat, &c.Location.Lon
	}
	var elev *int64
	if c.Elevation != nil {
		e := int64(*c.Elevation)
		elev = &e
	}
	return append(dst,
		c.ID, c.Name, c.Country, c.AdminCode, c.AdminName, c.Population, int64(c.PopulationYear),
		lat, lon, elev, c.Coastal, c.TimeZone, jsonList(c.Languages), jsonList(c.Needs), jsonList(c.Offers), int64(c.Capacity),
	)
}

// jsonList encodes a list as JSON, or "" when it is empty.
func jsonList[T any](v []T) string {
	if len(v) == 0 {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // lists of strings and structs of strings always encode
	}
	return string(b)
}

func decodeList[T any](s, what string) ([]T, error) {
	if s == "" {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("sqlrow: decode %s: %w", what, err)
	}
	return v, nil
}

// CityRow receives one row of CityColumns.
type CityRow struct {
	c                    citylinks.City
	popYear, capacity    int64
	lat, lon             *float64
	elev                 *int64
	langs, needs, offers string
	coastal              *bool
}

// Dest returns the scan destinations, in the order of CityColumns.
func (r *CityRow) Dest() []any {
	return []any{
		&r.c.ID, &r.c.Name, &r.c.Country, &r.c.AdminCode, &r.c.AdminName, &r.c.Population, &r.popYear,
		&r.lat, &r.lon, &r.elev, &r.coastal, &r.c.TimeZone, &r.langs, &r.needs, &r.offers, &r.capacity,
	}
}

// City returns the scanned city.
func (r *CityRow) City() (citylinks.City, error) {
	c := r.c
	c.PopulationYear, c.Capacity = int(r.popYear), int(r.capacity)
	if r.lat != nil && r.lon != nil {
		c.Location = &citylinks.LatLon{Lat: *r.lat, Lon: *r.lon}
	}
	if r.elev != nil {
		e := int(*r.elev)
		c.Elevation = &e
	}
	c.Coastal = r.coastal
	var err error
	if c.Languages, err = decodeList[string](r.langs, "languages"); err != nil {
		return c, err
	}
	if c.Needs, err = decodeList[citylinks.TopicLevel](r.needs, "needs"); err != nil {
		return c, err
	}
	if c.Offers, err = decodeList[citylinks.TopicLevel](r.offers, "offers"); err != nil {
		return c, err
	}
	return c, nil
}

// OrgColumns are the columns of the organizations table, in the order of
// OrgArgs.
var OrgColumns = []string{"id", "name", "kind", "country", "city_id", "members"}

// OrgColumnList is OrgColumns joined with commas.
var OrgColumnList = strings.Join(OrgColumns, ", ")

// OrgArgs returns o's column values in the order of OrgColumns.
func OrgArgs(o citylinks.Organization) []any {
	return []any{o.ID, o.Name, string(o.Kind), o.Country, o.CityID, jsonList(o.Members)}
}

// OrgRow receives one row of OrgColumns.
type OrgRow struct {
	o             citylinks.Organization
	kind, members string
}

// Dest returns the scan destinations, in the order of OrgColumns.
func (r *OrgRow) Dest() []any {
	return []any{&r.o.ID, &r.o.Name, &r.kind, &r.o.Country, &r.o.CityID, &r.members}
}

// Organization returns the scanned organization.
func (r *OrgRow) Organization() (citylinks.Organization, error) {
	o := r.o
	o.Kind = citylinks.OrgKind(r.kind)
	var err error
	o.Members, err = decodeList[citylinks.Member](r.members, "members")
	return o, err
}

// ProgramColumns are the columns of the programs table, in the order of
// ProgramArgs.
var ProgramColumns = []string{"id", "name", "funder", "start_date", "end_date", "description", "focus_areas", "challenges", "sources", "notes", "eligibility"}

// ProgramColumnList is ProgramColumns joined with commas.
var ProgramColumnList = strings.Join(ProgramColumns, ", ")

// ProgramArgs returns p's column values in the order of ProgramColumns.
func ProgramArgs(p citylinks.Program) []any {
	return []any{p.ID, p.Name, p.Funder, p.Start.String(), p.End.String(), p.Description,
		jsonList(p.FocusAreas), jsonList(p.Challenges), jsonList(p.Sources), p.Notes, string(p.Eligibility)}
}

// ProgramRow receives one row of ProgramColumns.
type ProgramRow struct {
	p                                citylinks.Program
	start, end                       string
	focus, challenges, sources, elig string
}

// Dest returns the scan destinations, in the order of ProgramColumns.
func (r *ProgramRow) Dest() []any {
	return []any{&r.p.ID, &r.p.Name, &r.p.Funder, &r.start, &r.end, &r.p.Description,
		&r.focus, &r.challenges, &r.sources, &r.p.Notes, &r.elig}
}

// Program returns the scanned program.
func (r *ProgramRow) Program() (citylinks.Program, error) {
	p := r.p
	var err error
	if err = p.Start.UnmarshalText([]byte(r.start)); err != nil {
		return p, err
	}
	if err = p.End.UnmarshalText([]byte(r.end)); err != nil {
		return p, err
	}
	if p.FocusAreas, err = decodeList[string](r.focus, "focus_areas"); err != nil {
		return p, err
	}
	if p.Challenges, err = decodeList[citylinks.Challenge](r.challenges, "challenges"); err != nil {
		return p, err
	}
	if p.Sources, err = decodeList[string](r.sources, "sources"); err != nil {
		return p, err
	}
	if r.elig != "" {
		p.Eligibility = json.RawMessage(r.elig)
	}
	return p, nil
}

// Placeholders returns n placeholders for one row: "?, ?, ?" when dollar is
// false, "$k, $k+1, …" starting at k=start when it is true.
func Placeholders(n, start int, dollar bool) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if dollar {
			fmt.Fprintf(&b, "$%d", start+i)
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// UpdateSet returns "c1 = excluded.c1, …" for every column but the first
// (the id), for INSERT … ON CONFLICT (id) DO UPDATE.
func UpdateSet(cols []string) string {
	parts := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		parts = append(parts, c+" = excluded."+c)
	}
	return strings.Join(parts, ", ")
}

// Rows is what Each reads: *sql.Rows and pgx.Rows both have it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Each passes each of rows to row, stopping at the first error, and
// returns that error or the error of reading rows. The caller closes rows.
func Each(rows Rows, row func(Scanner) error) error {
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
