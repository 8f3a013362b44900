package postgres_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
)

// TestMigrateRefusesNewerSchema: a database that a newer version migrated
// further (a migration this build does not know) is refused by Migrate,
// and the error names what it found.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	pool := postgrestest.NewPool(t, 0)
	s := postgres.New(pool)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate again on a database it migrated: %v", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ('9001_from_the_future', now())`); err != nil {
		t.Fatal(err)
	}
	err := postgres.New(pool).Migrate(ctx)
	if !errors.Is(err, citylinks.ErrNewerSchema) {
		t.Fatalf("Migrate on a newer database: %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "9001_from_the_future") {
		t.Errorf("the error does not name the unknown migration: %v", err)
	}
}
