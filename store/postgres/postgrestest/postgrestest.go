package postgrestest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/citylinks/citylinks/store/postgres"
)

// EnvURL is the environment variable that holds the test server's URL.
const EnvURL = "CITYLINKS_TEST_POSTGRES_URL"

// URL returns the test server URL, or skips tb when it is unset.
func URL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		tb.Skipf("skipping PostgreSQL test: set %s, e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable", EnvURL, EnvURL)
	}
	return u
}

// NewPool returns a pool whose connections use a new, empty schema, dropped
// when tb ends. maxConns of 0 keeps pgxpool's default.
func NewPool(tb testing.TB, maxConns int32) *pgxpool.Pool {
	tb.Helper()
	url := URL(tb)
	ctx := context.Background()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "citylinks_test_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect to %s: %v", EnvURL, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			tb.Logf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Logf("drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		tb.Fatalf("parse %s: %v", EnvURL, err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		tb.Fatalf("open pool: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// NewStore returns a migrated store in a new schema.
func NewStore(tb testing.TB) *postgres.Store {
	tb.Helper()
	s := postgres.New(NewPool(tb, 0))
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}
