package citylinks_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func ptr[T any](v T) *T { return &v }

func TestCityValidate(t *testing.T) {
	base := func() citylinks.City {
		return citylinks.City{
			ID: "shimla", Name: "Shimla", Country: "IN", Population: 169578,
			Location: &citylinks.LatLon{Lat: 31.10442, Lon: 77.16662}, Elevation: ptr(2202),
			TimeZone: "Asia/Kolkata", Languages: []string{"hi", "en-IN"},
			Needs: []citylinks.TopicLevel{{Topic: "water-supply", Level: 3}},
		}
	}
	require.NoError(t, base().Validate())
	cases := []struct {
		name  string
		mod   func(c *citylinks.City)
		field string
	}{
		{"EmptyID", func(c *citylinks.City) { c.ID = "" }, "id"},
		{"IDWithSpaceAround", func(c *citylinks.City) { c.ID = " x" }, "id"},
		{"IDControl", func(c *citylinks.City) { c.ID = "a\nb" }, "id"},
		{"IDTooLong", func(c *citylinks.City) { c.ID = strings.Repeat("x", citylinks.MaxIDLen+1) }, "id"},
		{"EmptyName", func(c *citylinks.City) { c.Name = "" }, "name"},
		{"NonUTF8Name", func(c *citylinks.City) { c.Name = "\xc3\x28" }, "name"},
		{"NameTooLong", func(c *citylinks.City) { c.Name = strings.Repeat("x", citylinks.MaxTextLen+1) }, "name"},
		{"CountryXX", func(c *citylinks.City) { c.Country = "XX" }, "country"},
		{"CountryAlpha3", func(c *citylinks.City) { c.Country = "IND" }, "country"},
		{"NegativePopulation", func(c *citylinks.City) { c.Population = -1 }, "population"},
		{"PopulationYear", func(c *citylinks.City) { c.PopulationYear = 20 }, "population_year"},
		{"Latitude91", func(c *citylinks.City) { c.Location.Lat = 91 }, "location.lat"},
		{"LatitudeNaN", func(c *citylinks.City) { c.Location.Lat = math.NaN() }, "location.lat"},
		{"Longitude181", func(c *citylinks.City) { c.Location.Lon = 181 }, "location.lon"},
		{"ElevationLow", func(c *citylinks.City) { c.Elevation = ptr(-1001) }, "elevation"},
		{"TimeZone", func(c *citylinks.City) { c.TimeZone = "Asia/Kol kata" }, "time_zone"},
		{"Language", func(c *citylinks.City) { c.Languages = []string{"en", "EN"} }, "languages[1]"},
		{"NeedTopic", func(c *citylinks.City) { c.Needs[0].Topic = "water_supply" }, "needs[0].topic"},
		{"NeedLevel0", func(c *citylinks.City) { c.Needs[0].Level = 0 }, "needs[0].level"},
		{"OfferTopicEmpty", func(c *citylinks.City) { c.Offers = []citylinks.TopicLevel{{Level: 1}} }, "offers[0].topic"},
		{"Capacity", func(c *citylinks.City) { c.Capacity = citylinks.MaxCapacity + 1 }, "capacity"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.mod(&c)
			assertInvalid(t, c.Validate(), tc.field)
		})
	}
}

func TestParseProfile(t *testing.T) {
	got, err := citylinks.ParseProfile(" climate-adaptation:3; stormwater ;solid-waste:basic;")
	require.NoError(t, err)
	assert.Equal(t, []citylinks.TopicLevel{
		{Topic: "climate-adaptation", Level: 3}, {Topic: "stormwater", Level: 2}, {Topic: "solid-waste", Level: 1},
	}, got)
	assert.Equal(t, "climate-adaptation:3;stormwater:2;solid-waste:1", citylinks.FormatProfile(got))
	empty, err := citylinks.ParseProfile("")
	require.NoError(t, err)
	assert.Empty(t, empty)
	for _, bad := range []string{"Climate", "a:4", "a:x", "a;a", "a:"} {
		_, err := citylinks.ParseProfile(bad)
		assert.ErrorIs(t, err, citylinks.ErrInvalid, "ParseProfile(%q)", bad)
	}
}

func TestOrganizationLocalGovernment(t *testing.T) {
	cases := []struct {
		o    citylinks.Organization
		want bool
	}{
		{citylinks.Organization{Kind: citylinks.KindCity}, true},
		{citylinks.Organization{Kind: citylinks.KindSpecialDistrict}, true},
		{citylinks.Organization{Kind: citylinks.KindNGO}, false},
		{citylinks.Organization{Kind: citylinks.KindConsortium, Members: []citylinks.Member{{Kind: citylinks.KindCity}, {Kind: citylinks.KindCounty}}}, true},
		{citylinks.Organization{Kind: citylinks.KindConsortium, Members: []citylinks.Member{{Kind: citylinks.KindCity}, {Kind: citylinks.KindUniversity}}}, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, tc.o.LocalGovernment(), "%+v", tc.o)
	}
}

func TestDate(t *testing.T) {
	d, err := citylinks.ParseDate("2016-03-15")
	require.NoError(t, err)
	assert.Equal(t, citylinks.Date{Year: 2016, Month: 3, Day: 15}, d)
	assert.Equal(t, "2016-03-15", d.String())
	for _, bad := range []string{"2016-02-30", "2016-3-15", "15/03/2016", "", "2016-03-15T00:00:00Z"} {
		_, err := citylinks.ParseDate(bad)
		assert.ErrorIs(t, err, citylinks.ErrInvalid, "ParseDate(%q)", bad)
	}
	_, err = citylinks.NewDate(2015, 2, 29)
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
	assert.True(t, d.Before(d.AddDays(1)))
	assert.Equal(t, citylinks.Date{Year: 2016, Month: 3, Day: 1}, citylinks.Date{Year: 2016, Month: 2, Day: 29}.AddDays(1))
	var z citylinks.Date
	assert.True(t, z.IsZero())
	assert.Equal(t, "", z.String())
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for range 1000 {
		id := citylinks.NewID()
		assert.False(t, seen[id])
		assert.Greater(t, id, prev, "ids sort by creation")
		seen[id], prev = true, id
	}
}

func TestTimeZoneAndLanguageShapes(t *testing.T) {
	c := citylinks.City{ID: "x", Name: "x", Country: "KE"}
	for _, tz := range []string{"UTC", "Africa/Nairobi", "America/Argentina/Buenos_Aires", "Etc/GMT+3", "America/Port-au-Prince"} {
		c.TimeZone = tz
		assert.NoError(t, c.Validate(), tz)
	}
	for _, tz := range []string{"/Africa", "Africa/", "Africa//Nairobi", "9Zone", "Africa/Nai robi", "Ünï/Code", strings.Repeat("a", 65)} {
		c.TimeZone = tz
		assert.ErrorIs(t, c.Validate(), citylinks.ErrInvalid, tz)
	}
	c.TimeZone = ""
	for _, l := range []string{"en", "swa", "pt-BR", "zh-Hant-TW", "es-419"} {
		c.Languages = []string{l}
		assert.NoError(t, c.Validate(), l)
	}
	for _, l := range []string{"e", "engl", "EN", "en-", "en-B", "en-toolongsub", "en_US", "-en"} {
		c.Languages = []string{l}
		assert.ErrorIs(t, c.Validate(), citylinks.ErrInvalid, l)
	}
}
