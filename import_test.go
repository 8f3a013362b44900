package citylinks_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func rowErr(line int) *citylinks.RowError {
	return &citylinks.RowError{Line: line, Err: &citylinks.ValidationError{Field: "name", Problem: "is required"}}
}

func TestRowErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		max, added int
		kept, more int
		msg        string
	}{
		{"None", 0, 0, 0, 0, ""},
		{"One", 0, 1, 1, 0, "citylinks: import stored nothing: 1 bad row(s); line 2: citylinks: invalid name: is required"},
		{"Four", 0, 4, 4, 0, "4 bad row(s); line 2: citylinks: invalid name: is required; line 3: citylinks: invalid name: is required; line 4: citylinks: invalid name: is required; and 1 more"},
		{"DefaultMax", 0, 250, citylinks.MaxRowErrors, 250 - citylinks.MaxRowErrors, "250 bad row(s); line 2:"},
		{"OwnMax", 2, 5, 2, 3, "5 bad row(s); line 2: citylinks: invalid name: is required; line 3: citylinks: invalid name: is required; and 3 more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := citylinks.RowErrors{Max: tc.max}
			for i := range tc.added {
				c.Add(rowErr(i + 2))
			}
			assert.Equal(t, tc.added, c.Len())
			assert.Len(t, c.Rows(), tc.kept)
			assert.Equal(t, tc.more, c.More())
			err := c.Err()
			if tc.added == 0 {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, citylinks.ErrInvalid)
			assert.Contains(t, err.Error(), tc.msg)
			for i, r := range c.Rows() {
				assert.Equal(t, i+2, r.Line, "rows are kept in the order added, the first ones")
			}
		})
	}
}

// TestRunCityImportKeepsFirstBadRows: an import of many bad rows holds the
// first MaxRowErrors and a count, in both modes; before, it held every one
// (2M bad rows, 2M errors).
func TestRunCityImportKeepsFirstBadRows(t *testing.T) {
	const n = 200_000
	src := func(yield func(citylinks.City, error) bool) {
		for i := range n {
			if !yield(citylinks.City{}, &citylinks.RowError{Line: i + 2, Err: fmt.Errorf("row %d: %w", i, citylinks.ErrInvalid)}) {
				return
			}
		}
	}
	w := citylinks.CityBatchWriterFunc(func(context.Context, []citylinks.City, bool) ([]bool, error) {
		t.Fatal("nothing to write")
		return nil, nil
	})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := citylinks.RunCityImport(t.Context(), src, nil, w)
	runtime.GC()
	runtime.ReadMemStats(&after)
	var ie *citylinks.ImportError
	require.ErrorAs(t, err, &ie)
	assert.Len(t, ie.Rows, citylinks.MaxRowErrors)
	assert.Equal(t, n-citylinks.MaxRowErrors, ie.More)
	assert.Equal(t, 2, ie.Rows[0].Line)
	assert.Contains(t, err.Error(), fmt.Sprintf("%d bad row(s)", n))
	assert.Contains(t, err.Error(), fmt.Sprintf("; and %d more", n-3))
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d bad rows: %d bytes held by the error", n, held)
	assert.Less(t, held, int64(1<<20), "the error holds more than the first rows")
	runtime.KeepAlive(err)

	res, err := citylinks.RunCityImport(t.Context(), src, &citylinks.ImportOptions{SkipInvalid: true}, w)
	require.NoError(t, err)
	assert.Len(t, res.Skipped, citylinks.MaxRowErrors)
	assert.Equal(t, n-citylinks.MaxRowErrors, res.MoreSkipped)
}
