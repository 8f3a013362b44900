package citylinks_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/membound"
)

// The fuzz targets of this package's parsers of outside input: the GeoNames
// and Census loaders and program JSON. Their seed corpora are under
// testdata/fuzz/<FuzzName>/ (hostile names, broken quoting, bad UTF-8, NUL
// bytes, byte-order marks); CI runs each for a few seconds (.ci/run).

// readAll collects a loader's output, asserting the loader contract on any
// input: valid cities, row errors with a line ≥ 2 that wrap ErrInvalid, and
// at most one fatal error, last, that names a line.
func readAll(t *testing.T, seq func(func(citylinks.City, error) bool)) []citylinks.City {
	var cities []citylinks.City
	fatal := false
	for c, err := range seq {
		if fatal {
			t.Fatalf("a value after a fatal error")
		}
		if err == nil {
			if verr := c.Validate(); verr != nil {
				t.Fatalf("loader yielded an invalid city: %v", verr)
			}
			cities = append(cities, c)
			continue
		}
		var re *citylinks.RowError
		if errors.As(err, &re) {
			if re.Line < 2 {
				t.Fatalf("row error with line %d: %v", re.Line, err)
			}
			if !errors.Is(err, citylinks.ErrInvalid) {
				t.Fatalf("row error does not wrap ErrInvalid: %v", err)
			}
			var ve *citylinks.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" {
				t.Fatalf("row error does not name a field: %v", err)
			}
			continue
		}
		fatal = true
		if !strings.Contains(err.Error(), "line") {
			t.Fatalf("fatal error without a line: %v", err)
		}
	}
	return cities
}

// writeTable writes rows under header as CSV, as a user's tool would.
func writeTable(t *testing.T, header []string, rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// FuzzReadGeoNames: on any input the loader keeps its contract (readAll),
// and the cities it accepts, written back in the GeoNames layout, read
// back to the same cities.
func FuzzReadGeoNames(f *testing.F) {
	const header = "geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date\n"
	f.Add([]byte(header + "1,Ok,Ok,KE,01,X,,PPL,100,1,2,,-9999,Africa/Nairobi,2020-01-01\n"))
	f.Add([]byte(header + "2,\"Multi\nLine\",M,XK,01,X,,PPL,100,90,-180,12,5,Europe/Belgrade,2020-01-01\n4,Short\n"))
	f.Add([]byte(header + "3,\"Bro\"ken,B,KE,01,X,,PPL,1,1,2,,5,Africa/Nairobi,2020-01-01\n"))
	f.Add([]byte("geonameid,name\n1,x\n"))
	f.Add([]byte(""))
	f.Add([]byte(strings.ReplaceAll(header+"1,Ok,Ok,KE,01,X,,PPL,100,1,2,,-9999,Africa/Nairobi,2020-01-01\n2,\"Multi\nLine\",M,XK,01,X,,PPL,100,90,-180,12,5,Europe/Belgrade,2020-01-01\n", "\n", "\r")))
	f.Fuzz(func(t *testing.T, data []byte) {
		cities := readAll(t, citylinks.ReadGeoNames(bytes.NewReader(data), nil))
		if len(cities) == 0 {
			return
		}
		rows := make([][]string, len(cities))
		for i, c := range cities {
			elev := ""
			if c.Elevation != nil {
				elev = strconv.Itoa(*c.Elevation)
			}
			rows[i] = []string{c.ID, c.Name, c.Country, c.AdminCode, c.AdminName, strconv.FormatInt(c.Population, 10),
				fmtFloat(c.Location.Lat), fmtFloat(c.Location.Lon), elev, "", c.TimeZone}
		}
		out := writeTable(t, []string{"geonameid", "name", "country_code", "admin1_code", "admin1_name", "population", "latitude", "longitude", "elevation_m", "dem_m", "timezone"}, rows)
		back := readAll(t, citylinks.ReadGeoNames(bytes.NewReader(out), nil))
		if d := cmp.Diff(cities, back); d != "" {
			t.Fatalf("cities written back and read again differ (-read +reread):\n%s\n%s", d, out)
		}
	})
}

// FuzzReadCensusPlaces: as FuzzReadGeoNames, for the Census layout.
func FuzzReadCensusPlaces(f *testing.F) {
	const header = "geoid,state_fips,place_fips,state_usps,state_name,name,funcstat,census2010_pop,estimates_base2010,popest2010,popest2011,popest2012,popest2013,popest2014,popest2015,popest2016,popest2017,popest2018,popest2019\n"
	f.Add([]byte(header + "0100124,01,00124,AL,Alabama,Abbeville city,A,2688,2705,2699,2694,2643,2628,2608,2600,2584,2575,2571,2560\n"))
	f.Add([]byte(header + "0100124,01,00124,AL,Alabama,\"Espa\xf1ola\",A,A,2705,1,1,1,1,1,1,1,1,1,-5\n"))
	f.Add([]byte(header + "12345,01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cities := readAll(t, citylinks.ReadCensusPlaces(bytes.NewReader(data), nil))
		if len(cities) == 0 {
			return
		}
		rows := make([][]string, len(cities))
		for i, c := range cities {
			rows[i] = []string{strings.TrimPrefix(c.ID, "census:"), c.AdminCode, c.AdminName, c.Name, strconv.FormatInt(c.Population, 10)}
		}
		out := writeTable(t, []string{"geoid", "state_usps", "state_name", "name", "popest2019"}, rows)
		back := readAll(t, citylinks.ReadCensusPlaces(bytes.NewReader(out), nil))
		if d := cmp.Diff(cities, back); d != "" {
			t.Fatalf("places written back and read again differ (-read +reread):\n%s\n%s", d, out)
		}
	})
}

// FuzzLoadProgramJSON: loading allocates memory proportional to the input
// (membound); a rejection is a *ValidationError whose field is a JSON path;
// an accepted program validates, and what MarshalJSON writes loads back to
// the same program and the same bytes.
func FuzzLoadProgramJSON(f *testing.F) {
	f.Add([]byte(cappJSON))
	f.Add([]byte(`{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate", 3]}`))
	f.Add([]byte(`{"id": "x", "id": "y"}`))
	f.Add([]byte(`{"id":"a","name":"b","start":"2001-02-03","focus_areas":["c"],"eligibility":[1,{"x":null}]}`))
	f.Add([]byte(`[`))
	f.Add([]byte(`{"id":"a","name":"b","start":"2001-02-03","focus_areas":["c"],"eligibility":` + strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000) + `}`))
	// The first load reads the built-in tables: not a cost of any input.
	if _, err := citylinks.LoadProgramJSON(strings.NewReader(cappJSON)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			p   citylinks.Program
			err error
		)
		membound.Check(t, "LoadProgramJSON", len(data), func() { p, err = citylinks.LoadProgramJSON(bytes.NewReader(data)) })
		if err != nil {
			var ve *citylinks.ValidationError
			if !errors.As(err, &ve) || !strings.HasPrefix(ve.Field, "$") || !errors.Is(err, citylinks.ErrInvalid) {
				t.Fatalf("error without a JSON path: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("loaded program does not validate: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := citylinks.LoadProgramJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-load of %s: %v", b, err)
		}
		if d := cmp.Diff(p, q); d != "" {
			t.Fatalf("round trip changed the program (-first +second):\n%s", d)
		}
		b2, _ := json.Marshal(q)
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the program's JSON:\n%s\n%s", b, b2)
		}
	})
}
