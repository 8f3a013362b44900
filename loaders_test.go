package citylinks_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/dataset"
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
