package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/sqlite"
)

// TestPartnershipLoadSeesOtherWriters: a store caches the events it has
// read; events another store (another process) appends to the same file
// still show up in its next load.
func TestPartnershipLoadSeesOtherWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *sqlite.Store {
		db, err := sqlite.Open(path)
		require.NoError(t, err)
		s := sqlite.New(db)
		t.Cleanup(func() { s.Close() })
		require.NoError(t, s.Migrate(t.Context()))
		return s
	}
	a, b := open(), open()
	ctx := t.Context()
	events := pt.Stream("p", 9, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, a.AppendPartnership(ctx, "p", 0, events[:3]))
	for _, n := range []int{3, 6, 9} {
		if n > 3 {
			require.NoError(t, a.AppendPartnership(ctx, "p", int64(n-3), events[n-3:n]))
		}
		got, err := b.LoadPartnership(ctx, "p")
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(events[:n], got), "b after a appended up to version %d", n)
		got[0].Actor.Roles[0] = "changed" // a caller's change must not reach the cache
	}
	got, err := b.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(events, got))
}
