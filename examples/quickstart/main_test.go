package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/dataset"
)

func TestRunTwice(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db", "citylinks.db")
	var first, second bytes.Buffer
	require.NoError(t, run(t.Context(), &first, db, dir))
	require.NoError(t, run(t.Context(), &second, db, dir))
	assert.Contains(t, first.String(), "Loaded 32847 GeoNames cities")
	assert.Contains(t, second.String(), "Loaded 32847 GeoNames cities", "a second run reloads in place")

	f, err := os.Open(filepath.Join(dir, "cities_summary.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	total := 0
	byName := map[string]int{}
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(r[2])
		require.NoError(t, err)
		byName[r[1]] = n
		if r[0] == "M49 region" {
			total += n
		}
	}
	assert.Equal(t, dataset.CityRows-21, total, "every city but Kosovo's 21 is in one M49 region")
	assert.Positive(t, byName["Global Health Initiative second-round countries (2011)"])
	assert.Positive(t, byName["Feed the Future focus countries (2010)"])
}
