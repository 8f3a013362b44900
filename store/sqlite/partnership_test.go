package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/store/sqlite"
	"github.com/citylinks/citylinks/store/storetest"
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
	storetest.OtherWriters(t, open(), open())
}
