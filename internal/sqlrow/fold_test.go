package sqlrow

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// TestFold: an append folds onto the stored state only at the version the
// writer expected; a missing row or another version is a conflict, and a
// new partnership folds from nothing.
func TestFold(t *testing.T) {
	events := pt.Stream("p", 4, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
	stored, err := Fold("append", "p", 0, nil, false, events[:2])
	require.NoError(t, err)
	require.EqualValues(t, 2, stored.Version)
	row := &StateRow{state: string(stored.State), version: stored.Version, updated: stored.UpdatedAt.Format(time.RFC3339Nano)}
	for _, tc := range []struct {
		name     string
		expected int64
		found    bool
		want     int64 // the version after, or 0 for a conflict
	}{
		{"at the expected version", 2, true, 4},
		{"another writer got in first", 1, true, 0},
		{"the writer expects a version not stored yet", 3, true, 0},
		{"no stored row", 2, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum, err := Fold("append", "p", tc.expected, row, tc.found, events[tc.expected:])
			if tc.want == 0 {
				assert.True(t, errors.Is(err, citylinks.ErrConflict), "got %v", err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, sum.Version)
		})
	}
}
