package citylinks

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks/internal/csvin"
	"github.com/citylinks/citylinks/internal/errtext"
)

// MaxCSVRowBytes is the longest row, in bytes with its line breaks, that the
// CSV readers of this module accept (ReadGeoNames, ReadCensusPlaces,
// report.ReadObservationsCSV and report.ObservationReader, the matchmaker's
// input): 8 MiB, room for a name and an admin name as long as MaxTextLen
// allows. Memory stays of the order of it whatever the input holds: of a
// longer row no more than the limit is held, in one buffer, and the row is
// reported with its line. A one-line row is then a bad row and reading goes
// on; a longer row spanning several lines (or with a quote never closed)
// ends the input with an error, since where it ends cannot be known without
// holding it.
const MaxCSVRowBytes = 8 << 20

// GeoNamesOptions control ReadGeoNames. The zero value (or nil) reads ids as
// the GeoNames ids themselves.
type GeoNamesOptions struct {
	// IDPrefix is put before each GeoNames id to make the city id. Defaults
	// to "" (the city id is the GeoNames id).
	IDPrefix string
}

// geoNamesColumns are the columns ReadGeoNames needs, in the layout of
// dataset/cities15000.csv (other columns are ignored, order is free).
var geoNamesColumns = []string{"geonameid", "name", "country_code", "admin1_code", "admin1_name", "population", "latitude", "longitude", "elevation_m", "dem_m", "timezone"}

// ReadGeoNames streams cities from a CSV table in the layout of
// dataset/cities15000.csv (GeoNames cities with a header row). It reads one
// row at a time, so memory stays bounded whatever the size of r; a row may
// be at most MaxCSVRowBytes long. Lines may end in LF, CRLF or a lone CR
// (old Mac files): the first line break of the file decides.
//
// Each bad row is yielded as a *RowError with its line number and reason,
// and reading goes on. A missing column or an unreadable header, a row too
// long to find the end of, or an I/O error, is yielded as a fatal error
// (not a *RowError) and reading stops.
//
// Elevation is GeoNames' surveyed elevation where given, else its
// digital-elevation-model value (dem), unless that is the no-data value
// -9999. GeoNames populations come from mixed years, so PopulationYear is 0.
func ReadGeoNames(r io.Reader, opts *GeoNamesOptions) iter.Seq2[City, error] {
	var o GeoNamesOptions
	if opts != nil {
		o = *opts
	}
	return readTable(r, geoNamesColumns, func(get func(string) string) (City, error) {
		id := get("geonameid")
		if n, err := strconv.ParseUint(id, 10, 63); err != nil || n == 0 {
			return City{}, invalid("geonameid", "%q is not a positive integer", errtext.Clip(id))
		}
		c := City{
			ID: o.IDPrefix + id, Name: get("name"), Country: get("country_code"),
			AdminCode: get("admin1_code"), AdminName: get("admin1_name"), TimeZone: get("timezone"),
		}
		var err error
		if c.Population, err = parseInt("population", get("population")); err != nil {
			return City{}, err
		}
		var p LatLon
		if p.Lat, err = parseFloat("latitude", get("latitude")); err != nil {
			return City{}, err
		}
		if p.Lon, err = parseFloat("longitude", get("longitude")); err != nil {
			return City{}, err
		}
		c.Location = &p
		if s := get("elevation_m"); s != "" {
			e, err := parseInt("elevation_m", s)
			if err != nil {
				return City{}, err
			}
			c.Elevation = ptr(int(e))
		} else if s := get("dem_m"); s != "" && s != "-9999" {
			e, err := parseInt("dem_m", s)
			if err != nil {
				return City{}, err
			}
			c.Elevation = ptr(int(e))
		}
		return c, c.Validate()
	})
}

// CensusOptions control ReadCensusPlaces.
type CensusOptions struct {
	// Year picks the population column: 2010–2019 read the Census Bureau's
	// July 1 estimate (popestYYYY). Defaults to 2019.
	Year int
	// IDPrefix is put before the 7-digit GEOID to make the city id. Defaults
	// to "census:", so that Census ids never collide with GeoNames ids.
	IDPrefix *string
}

// ReadCensusPlaces streams U.S. incorporated places from a CSV table in the
// layout of dataset/us_places_census_popest.csv (Census Bureau SUB-EST2019
// with a header row), with the same row and fatal errors as ReadGeoNames.
// The Census table has no coordinates, so Location is nil.
func ReadCensusPlaces(r io.Reader, opts *CensusOptions) iter.Seq2[City, error] {
	o := CensusOptions{Year: 2019}
	if opts != nil && opts.Year != 0 {
		o.Year = opts.Year
	}
	prefix := "census:"
	if opts != nil && opts.IDPrefix != nil {
		prefix = *opts.IDPrefix
	}
	if o.Year < 2010 || o.Year > 2019 {
		return func(yield func(City, error) bool) {
			yield(City{}, invalid("year", "%d is outside the estimates in the table (2010–2019)", o.Year))
		}
	}
	popCol := fmt.Sprintf("popest%d", o.Year)
	cols := []string{"geoid", "state_usps", "state_name", "name", popCol}
	return readTable(r, cols, func(get func(string) string) (City, error) {
		geoid := get("geoid")
		if len(geoid) != 7 || strings.Trim(geoid, "0123456789") != "" {
			return City{}, invalid("geoid", "%q is not a 7-digit GEOID", errtext.Clip(geoid))
		}
		c := City{
			ID: prefix + geoid, Name: get("name"), Country: "US",
			AdminCode: get("state_usps"), AdminName: get("state_name"), PopulationYear: o.Year,
		}
		var err error
		if c.Population, err = parseInt(popCol, get(popCol)); err != nil {
			return City{}, err
		}
		return c, c.Validate()
	})
}

func ptr[T any](v T) *T { return &v }

func parseInt(field, s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, invalid(field, "%q is not an integer", errtext.Clip(s))
	}
	return n, nil
}

func parseFloat(field, s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, invalid(field, "%q is not a number", errtext.Clip(s))
	}
	return f, nil
}

// readTable reads a CSV table with a header row and yields one value per row
// through conv. Row problems become *RowError values; header and I/O
// problems are fatal.
func readTable(r io.Reader, need []string, conv func(get func(string) string) (City, error)) iter.Seq2[City, error] {
	return func(yield func(City, error) bool) {
		cr := csvin.NewReader(r, MaxCSVRowBytes)
		header, err := cr.Header()
		if err != nil {
			if err == io.EOF {
				err = errors.New("empty input")
			}
			yield(City{}, fmt.Errorf("line 1: %w", &ValidationError{Field: "header", Problem: err.Error()}))
			return
		}
		col := make(map[string]int, len(header))
		for i, h := range header {
			col[h] = i
		}
		for _, n := range need {
			if _, ok := col[n]; !ok {
				yield(City{}, fmt.Errorf("line 1: %w", &ValidationError{Field: "header", Problem: fmt.Sprintf("missing column %q", n)}))
				return
			}
		}
		width := len(header)
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var (
					pe *csv.ParseError
					le *csvin.LongRowError
				)
				switch {
				case errors.As(err, &le) && le.Stopped:
					yield(City{}, fmt.Errorf("line %d: %w", le.Line, invalid("row", "%s", le.Problem())))
					return
				case errors.As(err, &le):
					err = &RowError{Line: le.Line, Err: invalid("row", "%s", le.Problem())}
				case errors.As(err, &pe):
					err = &RowError{Line: pe.StartLine, Err: invalid("row", "%s", pe.Err.Error())}
				default:
					yield(City{}, fmt.Errorf("line %d: %w", cr.Line(), err))
					return
				}
				if !yield(City{}, err) {
					return
				}
				continue
			}
			line := cr.Line()
			if len(rec) != width {
				if !yield(City{}, &RowError{Line: line, Err: invalid("row", "has %d fields; the header has %d (truncated or mis-quoted line?)", len(rec), width)}) {
					return
				}
				continue
			}
			c, err := conv(func(name string) string { return rec[col[name]] })
			if err != nil {
				if !yield(City{}, &RowError{Line: line, Err: err}) {
					return
				}
				continue
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}
