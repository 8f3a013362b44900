package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/citylinks/citylinks/store/sqlite"
	"github.com/citylinks/citylinks/store/storetest"
)

// openTestStore opens a migrated store on a new file in t's temp dir.
func openTestStore(t testing.TB) *sqlite.Store {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := sqlite.New(db)
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Store { return openTestStore(t) })
}
