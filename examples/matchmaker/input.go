package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/csvin"
	"github.com/citylinks/citylinks/matching"
)

// The columns of the input files. Required columns must be in the header;
// optional ones may be. Order is free.
var (
	hostColumns    = []string{"id", "name", "country", "population", "latitude", "longitude", "elevation_m", "needs"}
	partnerColumns = []string{"id", "name", "country", "population", "latitude", "longitude", "elevation_m", "offers", "capacity"}
	optionalColumn = []string{"languages", "commitment", "timezone", "coastal", "kind"}
)

// maxBadRows is how many bad rows an input error lists; it counts the rest.
const maxBadRows = 20

// inputError lists the bad rows of one input file.
type inputError struct {
	File string
	Rows []*citylinks.RowError // Line 1 is the header
	More int                   // bad rows after those in Rows
}

func (e *inputError) Error() string {
	var b strings.Builder
	for i, r := range e.Rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s:%d: %s", e.File, r.Line, reason(r.Err))
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n%s: and %d more bad rows", e.File, e.More)
	}
	return b.String()
}

func (e *inputError) Unwrap() error { return citylinks.ErrInvalid }

// reason writes a problem without the package prefix, naming a city field
// by its column: "population: "abc" is not a whole number".
func reason(err error) string {
	var ve *citylinks.ValidationError
	if errors.As(err, &ve) {
		if ve.Field == "" {
			return ve.Problem
		}
		field := ve.Field
		if col, ok := columnOf[field]; ok {
			field = col
		}
		return field + ": " + ve.Problem
	}
	return err.Error()
}

// columnOf maps the fields citylinks.City.Validate names to the columns of
// the input files.
var columnOf = map[string]string{
	"location.lat": "latitude",
	"location.lon": "longitude",
	"elevation":    "elevation_m",
	"time_zone":    "timezone",
}

func rowErr(line int, field, format string, args ...any) *citylinks.RowError {
	return &citylinks.RowError{Line: line, Err: &citylinks.ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}}
}

// readParties reads hosts (side host) or partners (side resource) from a
// CSV file with a header row (lines ending in LF, CRLF or CR; rows of at
// most citylinks.MaxCSVRowBytes). It reads every row and returns an
// *inputError listing the bad ones (the first maxBadRows, and how many
// more), so that a user can fix them in one go.
func readParties(r io.Reader, file string, side matching.Side) ([]matching.Party, error) {
	required := hostColumns
	if side == matching.SideResource {
		required = partnerColumns
	}
	cr := csvin.NewReader(r, citylinks.MaxCSVRowBytes)
	header, err := cr.Header()
	if err != nil {
		if err == io.EOF {
			return nil, &inputError{File: file, Rows: []*citylinks.RowError{rowErr(1, "header", "the file is empty; the first line must name the columns: %s", strings.Join(required, ","))}}
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &inputError{File: file, Rows: []*citylinks.RowError{csvRowError(pe)}}
		}
		return nil, &inputError{File: file, Rows: []*citylinks.RowError{rowErr(1, "header", "%v", err)}}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(required, h) && !slices.Contains(optionalColumn, h) {
			return nil, &inputError{File: file, Rows: []*citylinks.RowError{rowErr(1, "header", "unknown column %q (columns: %s; optional: %s)", truncate(h), strings.Join(required, ","), strings.Join(optionalColumn, ","))}}
		}
		if j, dup := col[h]; dup {
			return nil, &inputError{File: file, Rows: []*citylinks.RowError{rowErr(1, "header", "column %q appears twice (columns %d and %d)", h, j+1, i+1)}}
		}
		col[h] = i
	}
	for _, need := range required {
		if _, ok := col[need]; !ok {
			return nil, &inputError{File: file, Rows: []*citylinks.RowError{rowErr(1, "header", "missing column %q (columns: %s)", need, strings.Join(required, ","))}}
		}
	}
	var (
		out  []matching.Party
		bad  = citylinks.RowErrors{Max: maxBadRows}
		seen = map[string]int{}
	)
rows:
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var (
				pe *csv.ParseError
				le *csvin.LongRowError
			)
			switch {
			case errors.As(err, &le):
				bad.Add(rowErr(le.Line, "row", "%s", le.Problem()))
				if le.Stopped {
					break rows
				}
			case errors.As(err, &pe):
				bad.Add(csvRowError(pe))
			default:
				return nil, fmt.Errorf("%s:%d: %w", file, cr.Line(), err)
			}
			continue
		}
		line := cr.Line()
		if len(rec) != len(header) {
			bad.Add(rowErr(line, "row", "has %d fields; the header has %d", len(rec), len(header)))
		} else if p, err := partyFromRow(func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}, side); err != nil {
			bad.Add(&citylinks.RowError{Line: line, Err: err})
		} else if first, dup := seen[p.City.ID]; dup {
			bad.Add(rowErr(line, "id", "%q is already used on line %d", truncate(p.City.ID), first))
		} else {
			seen[p.City.ID] = line
			out = append(out, p)
		}
	}
	if bad.Len() > 0 {
		return nil, &inputError{File: file, Rows: bad.Rows(), More: bad.More()}
	}
	return out, nil
}

func csvRowError(pe *csv.ParseError) *citylinks.RowError {
	return rowErr(pe.StartLine, "row", "%v (a quote that is not closed?)", pe.Err)
}

// partyFromRow builds and validates a party from one row; get returns a
// trimmed cell, or "" for a column the file does not have.
func partyFromRow(get func(string) string, side matching.Side) (matching.Party, error) {
	c := citylinks.City{ID: get("id"), Name: get("name"), TimeZone: get("timezone")}
	if cc := get("country"); cc != "" {
		country, err := citylinks.LookupCountry(cc)
		if err != nil {
			return matching.Party{}, &citylinks.ValidationError{Field: "country", Problem: fmt.Sprintf("%q is not a country code or name that citylinks knows", truncate(cc))}
		}
		c.Country = country.Alpha2
	}
	var err error
	if s := get("population"); s != "" {
		if c.Population, err = strconv.ParseInt(s, 10, 64); err != nil {
			return matching.Party{}, &citylinks.ValidationError{Field: "population", Problem: fmt.Sprintf("%q is not a whole number", truncate(s))}
		}
	}
	lat, lon := get("latitude"), get("longitude")
	switch {
	case lat != "" && lon != "":
		var p citylinks.LatLon
		if p.Lat, err = strconv.ParseFloat(lat, 64); err != nil {
			return matching.Party{}, &citylinks.ValidationError{Field: "latitude", Problem: fmt.Sprintf("%q is not a number", truncate(lat))}
		}
		if p.Lon, err = strconv.ParseFloat(lon, 64); err != nil {
			return matching.Party{}, &citylinks.ValidationError{Field: "longitude", Problem: fmt.Sprintf("%q is not a number", truncate(lon))}
		}
		c.Location = &p
	case lat != "" || lon != "":
		return matching.Party{}, &citylinks.ValidationError{Field: "latitude", Problem: "give both latitude and longitude, or neither"}
	}
	if s := get("elevation_m"); s != "" {
		e, err := strconv.Atoi(s)
		if err != nil {
			return matching.Party{}, &citylinks.ValidationError{Field: "elevation_m", Problem: fmt.Sprintf("%q is not a whole number of metres", truncate(s))}
		}
		c.Elevation = &e
	}
	if s := get("coastal"); s != "" {
		var b bool
		switch strings.ToLower(s) {
		case "true", "yes", "1":
			b = true
		case "false", "no", "0":
		default:
			return matching.Party{}, &citylinks.ValidationError{Field: "coastal", Problem: fmt.Sprintf("%q is not yes or no", truncate(s))}
		}
		c.Coastal = &b
	}
	if s := get("languages"); s != "" {
		for _, l := range strings.Split(s, ";") {
			if l = strings.TrimSpace(l); l != "" {
				c.Languages = append(c.Languages, l)
			}
		}
	}
	profile, field := get("needs"), "needs"
	if side == matching.SideResource {
		profile, field = get("offers"), "offers"
	}
	tl, err := citylinks.ParseProfile(profile)
	if err != nil {
		var ve *citylinks.ValidationError
		if errors.As(err, &ve) {
			return matching.Party{}, &citylinks.ValidationError{Field: field + ve.Field, Problem: ve.Problem}
		}
		return matching.Party{}, err
	}
	if side == matching.SideHost {
		c.Needs = tl
	} else {
		c.Offers = tl
		if s := get("capacity"); s != "" {
			if c.Capacity, err = strconv.Atoi(s); err != nil || c.Capacity < 1 {
				return matching.Party{}, &citylinks.ValidationError{Field: "capacity", Problem: fmt.Sprintf("%q is not a whole number of at least 1 (leave the partner out to give it none)", truncate(s))}
			}
		}
	}
	if err := c.Validate(); err != nil {
		return matching.Party{}, err
	}
	p := matching.Party{City: c}
	if s := get("kind"); s != "" {
		k := citylinks.OrgKind(strings.ToLower(s))
		if !k.Valid() {
			var kinds []string
			for _, k := range citylinks.OrgKinds() {
				kinds = append(kinds, string(k))
			}
			return matching.Party{}, &citylinks.ValidationError{Field: "kind", Problem: fmt.Sprintf("%q is not one of %s", truncate(s), strings.Join(kinds, ", "))}
		}
		p.Organization = &citylinks.Organization{ID: c.ID, Name: c.Name, Kind: k, Country: c.Country, CityID: c.ID}
	}
	if s := get("commitment"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return matching.Party{}, &citylinks.ValidationError{Field: "commitment", Problem: fmt.Sprintf("%q is not a number from 0 to 1", truncate(s))}
		}
		p.Commitment = &v
	}
	return p, nil
}

// truncate shortens s for a message.
func truncate(s string) string { return cut(s, 40) }

// cut returns s cut to max characters, with "…" if it was longer.
func cut(s string, max int) string {
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
