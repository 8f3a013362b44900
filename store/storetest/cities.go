package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func ptr[T any](v T) *T { return &v }

// fullCity has every field set.
func fullCity(id string) citylinks.City {
	return citylinks.City{
		ID: id, Name: "Dar es Salaam", Country: "TZ", AdminCode: "23", AdminName: "Dar es Salaam Region",
		Population: 4_364_541, PopulationYear: 2022,
		Location:  &citylinks.LatLon{Lat: -6.82349, Lon: 39.26951},
		Elevation: ptr(31), Coastal: ptr(true), TimeZone: "Africa/Dar_es_Salaam",
		Languages: []string{"sw", "en"},
		Needs:     []citylinks.TopicLevel{{Topic: "coastal-management", Level: 3}, {Topic: "stormwater", Level: 1}},
		Offers:    []citylinks.TopicLevel{{Topic: "solid-waste", Level: 2}},
		Capacity:  2,
	}
}

// Cities whose every field is at an edge of what is allowed.
func edgeCities() []citylinks.City {
	return []citylinks.City{
		fullCity("full"),
		{ID: "minimal", Name: "X", Country: "US"},
		{ID: "pop-zero", Name: "Zero", Country: "AQ", Population: 0},
		{ID: "pop-max", Name: "Max", Country: "CN", Population: citylinks.MaxPopulation},
		{ID: "north-east", Name: "Pole", Country: "NO", Location: &citylinks.LatLon{Lat: 90, Lon: 180}},
		{ID: "south-west", Name: "Antipole", Country: "AQ", Location: &citylinks.LatLon{Lat: -90, Lon: -180}},
		{ID: "origin", Name: "Null Island", Country: "GH", Location: &citylinks.LatLon{Lat: 0, Lon: 0}, Elevation: ptr(0), Coastal: ptr(false)},
		{ID: "unicode-名字", Name: "Şanlıurfa — 東京 — تلعفر — Ελλάδα 🏙️", Country: "TR", AdminName: "Şanlıurfa"},
		{ID: "combining", Name: "Zu\u0308rich e\u0301 \u202eRTL\u202c", Country: "CH"},
		{ID: "quotes", Name: `O'Brien "City"; DROP TABLE cities; --`, Country: "IE"},
		{ID: "controls", Name: "tab\tnew\nline\rbell\x07", Country: "IE"},
		{ID: "deep", Name: "Low", Country: "JO", Elevation: ptr(-430)},
		{ID: "kosovo", Name: "Prishtinë", Country: "XK"},
		{ID: "long-name", Name: strings.Repeat("ä", 1<<19), Country: "DE"}, // 1 MiB
		{ID: "capacity", Name: "Big", Country: "US", Capacity: citylinks.MaxCapacity, Offers: []citylinks.TopicLevel{{Topic: "my-own-topic-7", Level: 3}}},
	}
}

func testCities(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		for _, c := range edgeCities() {
			require.NoError(t, s.CreateCity(ctx, c), "CreateCity(%s)", c.ID)
		}
		for _, want := range edgeCities() {
			got, err := s.GetCity(ctx, want.ID)
			require.NoError(t, err, "GetCity(%s)", want.ID)
			if diff := cmp.Diff(want, got, cmpCity); diff != "" {
				t.Errorf("GetCity(%s) mismatch (-want +got):\n%s", want.ID, truncDiff(diff))
			}
		}
	})

	t.Run("ReturnedValuesAreCopies", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		c := fullCity("copy")
		require.NoError(t, s.CreateCity(ctx, c))
		c.Needs[0].Level = 1
		c.Location.Lat = 1
		got, err := s.GetCity(ctx, "copy")
		require.NoError(t, err)
		assert.Equal(t, citylinks.Level(3), got.Needs[0].Level, "store shares the caller's slice")
		assert.InDelta(t, -6.82349, got.Location.Lat, 1e-12, "store shares the caller's pointer")
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		for _, tc := range invalidCities() {
			t.Run(tc.name, func(t *testing.T) {
				err := s.CreateCity(ctx, tc.city)
				requireInvalid(t, err, tc.field)
				err = s.PutCity(ctx, tc.city)
				requireInvalid(t, err, tc.field)
				if tc.city.ID != "" {
					_, err = s.GetCity(ctx, tc.city.ID)
					require.ErrorIs(t, err, citylinks.ErrNotFound, "an invalid city was stored")
				}
			})
		}
	})

	t.Run("ConflictAndReplace", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		c := fullCity("dup")
		require.NoError(t, s.CreateCity(ctx, c))
		c2 := c.Clone()
		c2.Name = "Changed"
		err := s.CreateCity(ctx, c2)
		require.ErrorIs(t, err, citylinks.ErrConflict, "CreateCity of a taken id")
		assert.EqualError(t, err, `city "dup" already exists`, "every backend words a taken id the same, without its own name")
		got, err := s.GetCity(ctx, "dup")
		require.NoError(t, err)
		assert.Equal(t, "Dar es Salaam", got.Name, "a conflicting create changed the stored city")

		c2.Location, c2.Elevation, c2.Coastal, c2.Needs, c2.Languages = nil, nil, nil, nil, nil
		require.NoError(t, s.PutCity(ctx, c2))
		got, err = s.GetCity(ctx, "dup")
		require.NoError(t, err)
		if diff := cmp.Diff(c2, got, cmpCity); diff != "" {
			t.Errorf("after PutCity (-want +got):\n%s", diff)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		_, err := s.GetCity(ctx, "nope")
		require.ErrorIs(t, err, citylinks.ErrNotFound)
		assert.EqualError(t, err, `city "nope" not found`, "every backend words a missing record the same, without its own name")
		require.ErrorIs(t, s.DeleteCity(ctx, "nope"), citylinks.ErrNotFound)
		assert.EqualError(t, s.DeleteCity(ctx, "nope"), `city "nope" not found`)
		require.NoError(t, s.CreateCity(ctx, fullCity("gone")))
		require.NoError(t, s.DeleteCity(ctx, "gone"))
		_, err = s.GetCity(ctx, "gone")
		require.ErrorIs(t, err, citylinks.ErrNotFound)
		require.ErrorIs(t, s.DeleteCity(ctx, "gone"), citylinks.ErrNotFound)
	})

	t.Run("Canceled", func(t *testing.T) {
		s := newStore(t)
		require.NoError(t, s.CreateCity(t.Context(), fullCity("c1")))
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		calls := map[string]error{
			"CreateCity": s.CreateCity(ctx, fullCity("c2")),
			"PutCity":    s.PutCity(ctx, fullCity("c3")),
			"DeleteCity": s.DeleteCity(ctx, "c1"),
		}
		_, calls["GetCity"] = s.GetCity(ctx, "c1")
		_, calls["ListCities"] = s.ListCities(ctx, citylinks.CityFilter{})
		_, calls["ImportCities"] = s.ImportCities(ctx, seqOf(fullCity("c4")), nil)
		for name, err := range calls {
			assert.ErrorIs(t, err, context.Canceled, "%s with a canceled context", name)
		}
		for _, id := range []string{"c2", "c3", "c4"} {
			_, err := s.GetCity(t.Context(), id)
			assert.ErrorIs(t, err, citylinks.ErrNotFound, "%s was stored under a canceled context", id)
		}
		_, err := s.GetCity(t.Context(), "c1")
		assert.NoError(t, err, "c1 was deleted under a canceled context")
	})

	t.Run("ListFilters", func(t *testing.T) { testListFilters(t, newStore) })
	t.Run("Paging", func(t *testing.T) { testPaging(t, newStore) })
}

type invalidCity struct {
	name  string
	city  citylinks.City
	field string
}

func invalidCities() []invalidCity {
	mod := func(f func(c *citylinks.City)) citylinks.City {
		c := fullCity("bad")
		f(&c)
		return c
	}
	return []invalidCity{
		{"EmptyID", mod(func(c *citylinks.City) { c.ID = "" }), "id"},
		{"EmptyName", mod(func(c *citylinks.City) { c.Name = "" }), "name"},
		{"BlankName", mod(func(c *citylinks.City) { c.Name = "  \t" }), "name"},
		{"NegativePopulation", mod(func(c *citylinks.City) { c.Population = -1 }), "population"},
		{"PopulationTooLarge", mod(func(c *citylinks.City) { c.Population = citylinks.MaxPopulation + 1 }), "population"},
		{"Latitude91", mod(func(c *citylinks.City) { c.Location.Lat = 91 }), "location.lat"},
		{"LongitudeMinus181", mod(func(c *citylinks.City) { c.Location.Lon = -180.0001 }), "location.lon"},
		{"CountryXX", mod(func(c *citylinks.City) { c.Country = "XX" }), "country"},
		{"CountryLowerCase", mod(func(c *citylinks.City) { c.Country = "tz" }), "country"},
		{"NonUTF8Name", mod(func(c *citylinks.City) { c.Name = "Bad\xffName" }), "name"},
		{"NULInName", mod(func(c *citylinks.City) { c.Name = "a\x00b" }), "name"},
		{"BadTopic", mod(func(c *citylinks.City) { c.Needs[0].Topic = "Not Kebab" }), "needs[0].topic"},
		{"BadLevel", mod(func(c *citylinks.City) { c.Offers[0].Level = 4 }), "offers[0].level"},
		{"DuplicateTopic", mod(func(c *citylinks.City) { c.Needs[1].Topic = c.Needs[0].Topic }), "needs[1].topic"},
		{"NegativeCapacity", mod(func(c *citylinks.City) { c.Capacity = -1 }), "capacity"},
		{"BadTimeZone", mod(func(c *citylinks.City) { c.TimeZone = "not a zone" }), "time_zone"},
		{"BadLanguage", mod(func(c *citylinks.City) { c.Languages = []string{"english"} }), "languages[0]"},
		{"ElevationTooHigh", mod(func(c *citylinks.City) { c.Elevation = ptr(10000) }), "elevation"},
	}
}

// requireInvalid checks that err is a *citylinks.ValidationError for field.
func requireInvalid(t *testing.T, err error, field string) {
	t.Helper()
	require.ErrorIs(t, err, citylinks.ErrInvalid)
	var ve *citylinks.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field, "ValidationError.Field (error %q)", err)
	assert.NotEmpty(t, ve.Problem)
}

// cmpCity compares cities treating nil and empty slices alike.
var cmpCity = cmp.Options{
	cmp.Transformer("nilSlices", func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return s
	}),
	cmp.Transformer("nilProfile", func(s []citylinks.TopicLevel) []citylinks.TopicLevel {
		if len(s) == 0 {
			return nil
		}
		return s
	}),
}

func truncDiff(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

func seqOf(cs ...citylinks.City) func(func(citylinks.City, error) bool) {
	return func(yield func(citylinks.City, error) bool) {
		for _, c := range cs {
			if !yield(c, nil) {
				return
			}
		}
	}
}

// listAll pages through every city matching f.
func listAll(t *testing.T, s Store, f citylinks.CityFilter) []citylinks.City {
	t.Helper()
	var out []citylinks.City
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100000, "paging does not end")
		p, err := s.ListCities(t.Context(), f)
		require.NoError(t, err)
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		f.After = p.Next
	}
}

func ids(cs []citylinks.City) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func testListFilters(t *testing.T, newStore Factory) {
	s := newStore(t)
	ctx := t.Context()
	countries := []string{"TZ", "KE", "US", "PE", "IN", "ZA", "HN", "GE"}
	var all []citylinks.City
	for i := range 200 {
		c := citylinks.City{
			ID:         fmt.Sprintf("c%03d", i),
			Name:       fmt.Sprintf("City %d", i),
			Country:    countries[i%len(countries)],
			Population: int64(i * 10_000),
		}
		all = append(all, c)
	}
	res, err := s.ImportCities(ctx, seqOf(all...), nil)
	require.NoError(t, err)
	require.Equal(t, len(all), res.Imported)

	ftf, err := citylinks.LookupDesignation(citylinks.DesignationFeedTheFuture2010)
	require.NoError(t, err)
	cases := []struct {
		name string
		f    citylinks.CityFilter
		keep func(c citylinks.City) bool
	}{
		{"All", citylinks.CityFilter{}, func(citylinks.City) bool { return true }},
		{"Country", citylinks.CityFilter{Region: citylinks.Region{Countries: []string{"TZ", "PE"}}},
			func(c citylinks.City) bool { return c.Country == "TZ" || c.Country == "PE" }},
		{"Designation", citylinks.CityFilter{Region: citylinks.Region{Designation: &ftf}},
			func(c citylinks.City) bool { return ftf.Includes(c.Country, ftf.Effective) }},
		{"DesignationBeforeEffective", citylinks.CityFilter{Region: citylinks.Region{Designation: &ftf, AsOf: citylinks.Date{Year: 2009, Month: 1, Day: 1}}},
			func(citylinks.City) bool { return false }},
		{"M49Africa", citylinks.CityFilter{Region: citylinks.Region{M49: "Africa"}},
			func(c citylinks.City) bool { return slices.Contains([]string{"TZ", "KE", "ZA"}, c.Country) }},
		{"M49CentralAmericaByCode", citylinks.CityFilter{Region: citylinks.Region{M49: "013"}},
			func(c citylinks.City) bool { return c.Country == "HN" }},
		{"PopulationRange", citylinks.CityFilter{MinPopulation: ptr[int64](500_000), MaxPopulation: ptr[int64](1_000_000)},
			func(c citylinks.City) bool { return c.Population >= 500_000 && c.Population <= 1_000_000 }},
		{"Combined", citylinks.CityFilter{Region: citylinks.Region{Designation: &ftf, M49: "Africa"}, MinPopulation: ptr[int64](1_000_000)},
			func(c citylinks.City) bool {
				return (c.Country == "TZ" || c.Country == "KE") && c.Population >= 1_000_000
			}},
	}
	for _, tc := range cases {
		for _, limit := range []int{0, 1, 7, 1000} {
			t.Run(fmt.Sprintf("%s/limit=%d", tc.name, limit), func(t *testing.T) {
				f := tc.f
				f.Limit = limit
				got := listAll(t, s, f)
				var want []string
				for _, c := range all {
					if tc.keep(c) {
						want = append(want, c.ID)
					}
				}
				if diff := cmp.Diff(want, ids(got), cmpCity); diff != "" {
					t.Errorf("ListCities(%s) ids (-want +got):\n%s", tc.name, diff)
				}
			})
		}
	}

	t.Run("PageShape", func(t *testing.T) {
		p, err := s.ListCities(ctx, citylinks.CityFilter{Limit: 10})
		require.NoError(t, err)
		require.Len(t, p.Items, 10)
		assert.Equal(t, "c009", p.Next)
		p, err = s.ListCities(ctx, citylinks.CityFilter{After: "c195", Limit: 10})
		require.NoError(t, err)
		assert.Equal(t, []string{"c196", "c197", "c198", "c199"}, ids(p.Items))
		assert.Empty(t, p.Next, "the last page has no cursor")
		p, err = s.ListCities(ctx, citylinks.CityFilter{Limit: 5000})
		require.NoError(t, err)
		assert.Len(t, p.Items, 200, "a limit above MaxPageSize is capped, not refused")
	})

	t.Run("BadFilter", func(t *testing.T) {
		_, err := s.ListCities(ctx, citylinks.CityFilter{Limit: -1})
		require.ErrorIs(t, err, citylinks.ErrInvalid)
		_, err = s.ListCities(ctx, citylinks.CityFilter{Region: citylinks.Region{M49: "Atlantis"}})
		require.ErrorIs(t, err, citylinks.ErrInvalid)
		_, err = s.ListCities(ctx, citylinks.CityFilter{MinPopulation: ptr[int64](10), MaxPopulation: ptr[int64](5)})
		require.ErrorIs(t, err, citylinks.ErrInvalid)
	})
}

func testPaging(t *testing.T, newStore Factory) {
	// Stable rows (even ids) must each be seen exactly once while writers
	// add and remove other rows (odd ids) between page reads.
	s := newStore(t)
	ctx := t.Context()
	var stable []citylinks.City
	for i := 0; i < 400; i += 2 {
		stable = append(stable, citylinks.City{ID: fmt.Sprintf("p%05d", i), Name: "stable", Country: "KE"})
	}
	_, err := s.ImportCities(ctx, seqOf(stable...), nil)
	require.NoError(t, err)

	stop := make(chan struct{})
	errc := make(chan error, 4)
	for w := range 4 {
		go func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					errc <- nil
					return
				default:
				}
				id := fmt.Sprintf("p%05d", (n*4+w)%400|1)
				var err error
				if n%2 == 0 {
					err = s.PutCity(ctx, citylinks.City{ID: id, Name: "churn", Country: "KE"})
				} else if err = s.DeleteCity(ctx, id); errors.Is(err, citylinks.ErrNotFound) {
					err = nil
				}
				if err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	seen := map[string]int{}
	var prev string
	f := citylinks.CityFilter{Limit: 13}
	for {
		p, err := s.ListCities(ctx, f)
		require.NoError(t, err)
		for _, c := range p.Items {
			require.Greater(t, c.ID, prev, "ids out of order across pages")
			prev = c.ID
			if c.Name == "stable" {
				seen[c.ID]++
			}
		}
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	close(stop)
	for range 4 {
		require.NoError(t, <-errc)
	}
	for _, c := range stable {
		assert.Equal(t, 1, seen[c.ID], "stable row %s seen %d times", c.ID, seen[c.ID])
	}
}
