package citylinks_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/citylinks/citylinks"
)

// checkRows asserts the loader contract on any input: valid cities, row
// errors with a line ≥ 2 that wrap ErrInvalid, and at most one fatal error,
// last.
func checkRows(t *testing.T, seq func(func(citylinks.City, error) bool)) {
	fatal := false
	for c, err := range seq {
		if fatal {
			t.Fatalf("a value after a fatal error")
		}
		if err == nil {
			if verr := c.Validate(); verr != nil {
				t.Fatalf("loader yielded an invalid city: %v", verr)
			}
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
			continue
		}
		fatal = true
		if !strings.Contains(err.Error(), "line") {
			t.Fatalf("fatal error without a line: %v", err)
		}
	}
}

func FuzzReadGeoNames(f *testing.F) {
	const header = "geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date\n"
	f.Add([]byte(header + "1,Ok,Ok,KE,01,X,,PPL,100,1,2,,-9999,Africa/Nairobi,2020-01-01\n"))
	f.Add([]byte(header + "2,\"Multi\nLine\",M,XK,01,X,,PPL,100,90,-180,12,5,Europe/Belgrade,2020-01-01\n4,Short\n"))
	f.Add([]byte(header + "3,\"Bro\"ken,B,KE,01,X,,PPL,1,1,2,,5,Africa/Nairobi,2020-01-01\n"))
	f.Add([]byte("geonameid,name\n1,x\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRows(t, citylinks.ReadGeoNames(bytes.NewReader(data), nil))
	})
}

func FuzzReadCensusPlaces(f *testing.F) {
	const header = "geoid,state_fips,place_fips,state_usps,state_name,name,funcstat,census2010_pop,estimates_base2010,popest2010,popest2011,popest2012,popest2013,popest2014,popest2015,popest2016,popest2017,popest2018,popest2019\n"
	f.Add([]byte(header + "0100124,01,00124,AL,Alabama,Abbeville city,A,2688,2705,2699,2694,2643,2628,2608,2600,2584,2575,2571,2560\n"))
	f.Add([]byte(header + "0100124,01,00124,AL,Alabama,\"Espa\xf1ola\",A,A,2705,1,1,1,1,1,1,1,1,1,-5\n"))
	f.Add([]byte(header + "12345,01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRows(t, citylinks.ReadCensusPlaces(bytes.NewReader(data), nil))
	})
}

func FuzzLoadProgramJSON(f *testing.F) {
	f.Add([]byte(cappJSON))
	f.Add([]byte(`{"id": "x", "name": "x", "start": "2015-01-01", "focus_areas": ["climate", 3]}`))
	f.Add([]byte(`{"id": "x", "id": "y"}`))
	f.Add([]byte(`{"id":"a","name":"b","start":"2001-02-03","focus_areas":["c"],"eligibility":[1,{"x":null}]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := citylinks.LoadProgramJSON(bytes.NewReader(data))
		if err != nil {
			var ve *citylinks.ValidationError
			if !errors.As(err, &ve) || !strings.HasPrefix(ve.Field, "$") {
				t.Fatalf("error without a JSON path: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("loaded program does not validate: %v", err)
		}
		// Round trip: what MarshalJSON writes loads back to the same value.
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := citylinks.LoadProgramJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-load of %s: %v", b, err)
		}
		b2, _ := json.Marshal(q)
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the program:\n%s\n%s", b, b2)
		}
	})
}
