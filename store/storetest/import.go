package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

const geoHeader = "geonameid,name,asciiname,country_code,admin1_code,admin1_name,admin2_code,feature_code,population,latitude,longitude,elevation_m,dem_m,timezone,modification_date\n"

func geoRow(id int, name string) string {
	return fmt.Sprintf("%d,%s,%s,TZ,23,Dar es Salaam,,PPL,1000,-6.8,39.2,,12,Africa/Dar_es_Salaam,2024-01-01\n", id, name, name)
}

func testCityImport(t *testing.T, newStore Factory) {
	good := geoRow(1, "Alpha") + geoRow(2, "Beta") + geoRow(3, "Gamma")

	t.Run("AllRows", func(t *testing.T) {
		s := newStore(t)
		var progress []int
		res, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader(geoHeader+good), nil),
			&citylinks.ImportOptions{BatchSize: 2, Progress: func(n int) { progress = append(progress, n) }})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Imported)
		assert.Empty(t, res.Skipped)
		assert.Equal(t, []int{2, 3}, progress, "progress after each batch")
		c, err := s.GetCity(t.Context(), "2")
		require.NoError(t, err)
		assert.Equal(t, "Beta", c.Name)
		require.NotNil(t, c.Elevation)
		assert.Equal(t, 12, *c.Elevation, "elevation falls back to the DEM value")
	})

	bad := []struct {
		name  string
		row   string
		field string
	}{
		{"EmptyName", geoRow(10, ""), "name"},
		{"NegativePopulation", strings.Replace(geoRow(11, "Neg"), ",1000,", ",-1,", 1), "population"},
		{"Latitude91", strings.Replace(geoRow(12, "Lat"), ",-6.8,", ",91,", 1), "location.lat"},
		{"CountryXX", strings.Replace(geoRow(13, "Cty"), ",TZ,", ",XX,", 1), "country"},
		{"Truncated", "14,Trunc,Trunc,TZ,23\n", "row"},
		{"NonUTF8", geoRow(15, "Bad\xffName"), "name"},
	}
	for _, tc := range bad {
		t.Run("AllOrNothing/"+tc.name, func(t *testing.T) {
			s := newStore(t)
			// The bad row is line 3: header, one good row, then it.
			input := geoHeader + geoRow(1, "Alpha") + tc.row + geoRow(2, "Beta")
			_, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader(input), nil), nil)
			require.ErrorIs(t, err, citylinks.ErrInvalid)
			var ie *citylinks.ImportError
			require.ErrorAs(t, err, &ie)
			require.Len(t, ie.Rows, 1)
			assert.Equal(t, 3, ie.Rows[0].Line)
			var ve *citylinks.ValidationError
			require.ErrorAs(t, ie.Rows[0], &ve)
			assert.Equal(t, tc.field, ve.Field)
			assert.Contains(t, err.Error(), "line 3")
			p, err := s.ListCities(t.Context(), citylinks.CityFilter{})
			require.NoError(t, err)
			assert.Empty(t, p.Items, "an all-or-nothing import with a bad row stored something")
		})
		t.Run("Skip/"+tc.name, func(t *testing.T) {
			s := newStore(t)
			input := geoHeader + geoRow(1, "Alpha") + tc.row + geoRow(2, "Beta")
			res, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader(input), nil), &citylinks.ImportOptions{SkipInvalid: true})
			require.NoError(t, err)
			assert.Equal(t, 2, res.Imported)
			require.Len(t, res.Skipped, 1)
			assert.Equal(t, 3, res.Skipped[0].Line)
			p, err := s.ListCities(t.Context(), citylinks.CityFilter{})
			require.NoError(t, err)
			assert.Equal(t, []string{"1", "2"}, ids(p.Items))
		})
	}

	t.Run("ReportsEveryBadRow", func(t *testing.T) {
		s := newStore(t)
		input := geoHeader + geoRow(1, "") + geoRow(2, "Ok") + geoRow(3, "") + geoRow(4, "")
		_, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader(input), nil), &citylinks.ImportOptions{BatchSize: 1})
		var ie *citylinks.ImportError
		require.ErrorAs(t, err, &ie)
		var lines []int
		for _, r := range ie.Rows {
			lines = append(lines, r.Line)
		}
		assert.Equal(t, []int{2, 4, 5}, lines)
	})

	t.Run("KeepsFirstBadRows", func(t *testing.T) {
		// 250 bad rows and one good: the first MaxRowErrors are kept whole,
		// the rest counted, in both modes.
		var b strings.Builder
		b.WriteString(geoHeader)
		for i := range 250 {
			b.WriteString(geoRow(10+i, ""))
		}
		b.WriteString(geoRow(1, "Alpha"))
		s := newStore(t)
		_, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader(b.String()), nil), nil)
		var ie *citylinks.ImportError
		require.ErrorAs(t, err, &ie)
		require.Len(t, ie.Rows, citylinks.MaxRowErrors)
		assert.Equal(t, 2, ie.Rows[0].Line)
		assert.Equal(t, citylinks.MaxRowErrors+1, ie.Rows[citylinks.MaxRowErrors-1].Line)
		assert.Equal(t, 250-citylinks.MaxRowErrors, ie.More)
		assert.Contains(t, err.Error(), "250 bad row(s)")
		assert.Contains(t, err.Error(), "; and 247 more")

		res, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader(b.String()), nil), &citylinks.ImportOptions{SkipInvalid: true})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Imported)
		assert.Len(t, res.Skipped, citylinks.MaxRowErrors)
		assert.Equal(t, 250-citylinks.MaxRowErrors, res.MoreSkipped)
	})

	t.Run("DuplicateIDs", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		require.NoError(t, s.CreateCity(ctx, citylinks.City{ID: "2", Name: "Existing", Country: "KE"}))
		_, err := s.ImportCities(ctx, citylinks.ReadGeoNames(strings.NewReader(geoHeader+good), nil), nil)
		require.ErrorIs(t, err, citylinks.ErrConflict)
		_, err = s.GetCity(ctx, "1")
		require.ErrorIs(t, err, citylinks.ErrNotFound, "a conflicting all-or-nothing import stored a row")

		// Duplicates inside one input conflict too.
		_, err = s.ImportCities(ctx, citylinks.ReadGeoNames(strings.NewReader(geoHeader+geoRow(7, "A")+geoRow(7, "B")), nil), nil)
		require.ErrorIs(t, err, citylinks.ErrConflict)
		_, err = s.GetCity(ctx, "7")
		require.ErrorIs(t, err, citylinks.ErrNotFound)

		res, err := s.ImportCities(ctx, citylinks.ReadGeoNames(strings.NewReader(geoHeader+good), nil), &citylinks.ImportOptions{SkipInvalid: true})
		require.NoError(t, err)
		assert.Equal(t, 2, res.Imported)
		require.Len(t, res.Skipped, 1)
		assert.ErrorIs(t, res.Skipped[0], citylinks.ErrConflict)
		c, err := s.GetCity(ctx, "2")
		require.NoError(t, err)
		assert.Equal(t, "Existing", c.Name, "skip mode overwrote an existing city")

		res, err = s.ImportCities(ctx, citylinks.ReadGeoNames(strings.NewReader(geoHeader+good), nil), &citylinks.ImportOptions{Replace: true})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Imported)
		c, err = s.GetCity(ctx, "2")
		require.NoError(t, err)
		assert.Equal(t, "Beta", c.Name, "Replace did not overwrite")
	})

	t.Run("BadHeaderIsFatal", func(t *testing.T) {
		s := newStore(t)
		_, err := s.ImportCities(t.Context(), citylinks.ReadGeoNames(strings.NewReader("id,name\n1,x\n"), nil), &citylinks.ImportOptions{SkipInvalid: true})
		require.ErrorIs(t, err, citylinks.ErrInvalid)
		var re *citylinks.RowError
		assert.False(t, errors.As(err, &re), "a bad header is not a skippable row")
		assert.Contains(t, err.Error(), "line 1")
	})
}
