package sqlite_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/citylinks/citylinks"
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

func TestOpenOptions(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		opts *sqlite.Options
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{
		{nil, 2},
		{&sqlite.Options{Synchronous: sqlite.SyncFull}, 2},
		{&sqlite.Options{Synchronous: sqlite.SyncNormal}, 1},
	} {
		db, err := sqlite.OpenWith(filepath.Join(dir, "o.db"), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		// Every pooled connection has the setting: hold two at once.
		c1, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		c2, err := db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []*sql.Conn{c1, c2} {
			var got, fk int
			if err := c.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("PRAGMA synchronous = %d, want %d", got, tc.want)
			}
			if err := c.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
				t.Errorf("PRAGMA foreign_keys = %d, %v; want 1", fk, err)
			}
		}
		c1.Close()
		c2.Close()
		db.Close()
	}
	if _, err := sqlite.OpenWith(filepath.Join(dir, "x.db"), &sqlite.Options{Synchronous: "OFF"}); !errors.Is(err, citylinks.ErrInvalid) {
		t.Errorf("OpenWith(OFF) = %v, want ErrInvalid", err)
	}
}
