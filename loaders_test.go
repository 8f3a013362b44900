package citylinks_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
	"github.com/citylinks/citylinks/internal/hostile"
)

func TestReadGeoNamesShippedTable(t *testing.T) {
	n, byCountry := 0, map[string]int{}
	var shimla citylinks.City
	for c, err := range citylinks.ReadGeoNames(dataset.Cities(), nil) {
		require.NoError(t, err)
		n++
		byCountry[c.Country]++
		if c.ID == "1256237" {
			shimla = c
		}
	}
	assert.Equal(t, dataset.CityRows, n)
	assert.Equal(t, 21, byCountry["XK"], "Kosovo rows load")
	assert.Equal(t, "Shimla", shimla.Name)
	assert.Equal(t, "IN", shimla.Country)
	require.NotNil(t, shimla.Location)
	assert.InDelta(t, 31.1, shimla.Location.Lat, 0.1)
	require.NotNil(t, shimla.Elevation)
}

func TestReadCensusPlacesShippedTable(t *testing.T) {
	n := 0
	var boulder citylinks.City
	for c, err := range citylinks.ReadCensusPlaces(dataset.USPlaces(), &citylinks.CensusOptions{Year: 2015}) {
		require.NoError(t, err)
		n++
		if c.Name == "Boulder city" && c.AdminCode == "CO" {
			boulder = c
		}
	}
	assert.Equal(t, dataset.USPlaceRows, n)
	assert.Equal(t, "census:0807850", boulder.ID)
	assert.Equal(t, 2015, boulder.PopulationYear)
	assert.Greater(t, boulder.Population, int64(100_000))
	assert.Nil(t, boulder.Location)

	for range citylinks.ReadCensusPlaces(strings.NewReader(""), &citylinks.CensusOptions{Year: 2030}) {
	}
	var errs []error
	for _, err := range citylinks.ReadCensusPlaces(strings.NewReader("x"), &citylinks.CensusOptions{Year: 2030}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], citylinks.ErrInvalid)
}

func TestReadGeoNamesBadRows(t *testing.T) {
	const header = "geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date\n"
	input := header +
		"1,Ok,Ok,KE,01,X,,PPL,100,1,2,,-9999,Africa/Nairobi,2020-01-01\n" + // line 2: DEM no-data
		"2,\"Multi\nLine\",M,KE,01,X,,PPL,100,1,2,,5,Africa/Nairobi,2020-01-01\n" + // lines 3-4: quoted newline is fine
		"3,Bad,Bad,KE,01,X,,PPL,abc,1,2,,5,Africa/Nairobi,2020-01-01\n" + // line 5
		"4,Short,Short\n" + // line 6
		"5,\"Broken\"quote,B,KE,01,X,,PPL,1,1,2,,5,Africa/Nairobi,2020-01-01\n" + // line 7
		"6,Lat,Lat,KE,01,X,,PPL,1,-91,2,,5,Africa/Nairobi,2020-01-01\n" + // line 8
		"0,Zero,Z,KE,01,X,,PPL,1,1,2,,5,Africa/Nairobi,2020-01-01\n" // line 9
	var good []citylinks.City
	type bad struct {
		line  int
		field string
	}
	var bads []bad
	for c, err := range citylinks.ReadGeoNames(strings.NewReader(input), &citylinks.GeoNamesOptions{IDPrefix: "gn:"}) {
		if err != nil {
			var re *citylinks.RowError
			require.True(t, errors.As(err, &re), "row error type: %v", err)
			var ve *citylinks.ValidationError
			require.ErrorAs(t, err, &ve)
			bads = append(bads, bad{re.Line, ve.Field})
			continue
		}
		good = append(good, c)
	}
	require.Len(t, good, 2)
	assert.Equal(t, "gn:1", good[0].ID)
	assert.Nil(t, good[0].Elevation, "-9999 is GeoNames' no-data value")
	assert.Equal(t, "Multi\nLine", good[1].Name)
	assert.Equal(t, []bad{{5, "population"}, {6, "row"}, {7, "row"}, {8, "location.lat"}, {9, "geonameid"}}, bads)
}

func TestReadGeoNamesHeader(t *testing.T) {
	for _, input := range []string{"", "geonameid,name\n1,x\n", "\"unterminated\n"} {
		var errs []error
		for _, err := range citylinks.ReadGeoNames(strings.NewReader(input), nil) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1, "input %q", input)
		assert.ErrorIs(t, errs[0], citylinks.ErrInvalid)
		assert.Contains(t, errs[0].Error(), "line 1")
	}
}

// collect reads a loader's whole output: cities, and the errors by line
// ("fatal" for one that is not a *RowError).
func collect(t *testing.T, seq func(func(citylinks.City, error) bool)) ([]citylinks.City, map[int]string) {
	t.Helper()
	var cities []citylinks.City
	errs := map[int]string{}
	for c, err := range seq {
		var re *citylinks.RowError
		switch {
		case err == nil:
			cities = append(cities, c)
		case errors.As(err, &re):
			errs[re.Line] = err.Error()
		default:
			errs[-1] = err.Error()
		}
	}
	return cities, errs
}

// TestLoadersLineEndings: the shipped tables read the same with LF, CRLF
// and CR-only (old Mac) line endings. A CR-only file used to read as one
// long header line: no rows and no error.
func TestLoadersLineEndings(t *testing.T) {
	for name, read := range map[string]func(io.Reader) iter.Seq2[citylinks.City, error]{
		"GeoNames": func(r io.Reader) iter.Seq2[citylinks.City, error] { return citylinks.ReadGeoNames(r, nil) },
		"Census":   func(r io.Reader) iter.Seq2[citylinks.City, error] { return citylinks.ReadCensusPlaces(r, nil) },
	} {
		table := map[string]io.Reader{"GeoNames": dataset.Cities(), "Census": dataset.USPlaces()}[name]
		lf, err := io.ReadAll(table)
		require.NoError(t, err)
		want, errs := collect(t, read(bytes.NewReader(lf)))
		require.Empty(t, errs)
		require.NotEmpty(t, want)
		for ending, data := range map[string][]byte{
			"CRLF": bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")),
			"CR":   bytes.ReplaceAll(lf, []byte("\n"), []byte("\r")),
		} {
			t.Run(name+"/"+ending, func(t *testing.T) {
				got, errs := collect(t, read(bytes.NewReader(data)))
				assert.Empty(t, errs)
				assert.Len(t, got, len(want))
				assert.True(t, slices.EqualFunc(want, got, func(a, b citylinks.City) bool { return cmp.Equal(a, b) }), "cities differ from the LF read")
			})
		}
	}
}

// TestReadGeoNamesLongRow: a row over MaxCSVRowBytes is a bad row naming
// its line, and the rows after it read; one spanning lines ends the input.
func TestReadGeoNamesLongRow(t *testing.T) {
	const header = "geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date\n"
	row := func(id, name string) string {
		return id + "," + name + ",x,KE,01,X,,PPL,100,1,2,,5,Africa/Nairobi,2020-01-01\n"
	}
	long := strings.Repeat("x", citylinks.MaxCSVRowBytes)
	input := header + row("1", "Ok") + row("2", long) + row("3", "Ok") + row("4", `"a`+"\n"+long+`"`) + row("5", "Ok")
	cities, errs := collect(t, citylinks.ReadGeoNames(strings.NewReader(input), nil))
	assert.Equal(t, []string{"1", "3"}, []string{cities[0].ID, cities[1].ID})
	assert.Equal(t, map[int]string{
		3:  fmt.Sprintf("line 3: citylinks: invalid row: is longer than %d bytes, the most one row may have: split the text, or look for a missing line break", citylinks.MaxCSVRowBytes),
		-1: fmt.Sprintf("line 5: citylinks: invalid row: is longer than %d bytes, the most one row may have; it spans several lines or has a quote that is never closed, so the rows after it cannot be read: close the quote, or split the text", citylinks.MaxCSVRowBytes),
	}, errs)

	// A name as long as a name may be still reads.
	cities, errs = collect(t, citylinks.ReadGeoNames(strings.NewReader(header+row("1", long[:citylinks.MaxTextLen])), nil))
	assert.Empty(t, errs)
	assert.Len(t, cities, 1)
}

// TestReadGeoNamesLongLineMemory: a 300 MB line (made up as it is read)
// costs allocations of MaxCSVRowBytes, not of the line (2.5 GB before).
func TestReadGeoNamesLongLineMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 300 MB")
	}
	const header = "geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date\n"
	src := io.MultiReader(strings.NewReader(header+"1,"), hostile.LongLine(300<<20), strings.NewReader("\n2,Ok,x,KE,01,X,,PPL,100,1,2,,5,Africa/Nairobi,2020-01-01\n"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cities, errs := collect(t, citylinks.ReadGeoNames(src, nil))
	runtime.ReadMemStats(&after)
	require.Len(t, cities, 1)
	assert.Contains(t, errs[2], "line 2: citylinks: invalid row: is longer than")
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("300 MB line: %d bytes allocated (MaxCSVRowBytes %d)", alloc, citylinks.MaxCSVRowBytes)
	assert.Less(t, alloc, uint64(citylinks.MaxCSVRowBytes+1<<20))
}
