package sqlite_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/store/sqlite"
)

// TestMigrateRefusesNewerSchema: a database that a newer version migrated
// further (a migration this build does not know) is refused by Migrate,
// which is how a database is opened, and names what it found.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "citylinks.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	s := sqlite.New(db)
	require.NoError(t, s.Migrate(ctx))
	require.NoError(t, s.Migrate(ctx), "Migrate again on a database it migrated")
	_, err = db.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ('9001_from_the_future', '2031-01-01T00:00:00Z')`)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	db, err = sqlite.Open(path)
	require.NoError(t, err)
	s = sqlite.New(db)
	defer s.Close()
	err = s.Migrate(ctx)
	if !errors.Is(err, citylinks.ErrNewerSchema) {
		t.Fatalf("Migrate on a newer database: %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "9001_from_the_future") {
		t.Errorf("the error does not name the unknown migration: %v", err)
	}
}
