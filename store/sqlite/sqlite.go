package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/citylinks/citylinks"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store stores citylinks values in a SQLite database. It is safe for
// concurrent use.
type Store struct {
	db *sql.DB
	// Now returns the current time; tests may replace it. Defaults to
	// time.Now.
	Now func() time.Time
}

var _ citylinks.Store = (*Store)(nil)

// New returns a Store over db, which the caller owns and closes (Close does
// it too). db should come from Open, or carry the same settings.
func New(db *sql.DB) *Store { return &Store{db: db, Now: time.Now} }

// DB returns the underlying database.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DSN returns the data source name Open uses for path: WAL journaling,
// foreign keys on, a 10 s busy timeout, synchronous=FULL (every commit is
// on disk before it returns, so a committed write survives a power cut as
// well as a crash), and transactions that take the write lock when they
// begin (BEGIN IMMEDIATE), so that two writers never deadlock upgrading a
// read lock.
func DSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(FULL)", "temp_store(MEMORY)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the SQLite database at path with the
// settings of DSN. The pragmas are part of the DSN, so every connection the
// pool opens gets them.
func Open(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Migrate applies the embedded migrations that have not been applied yet, in
// order, each in its own transaction, and records them in
// schema_migrations. It is safe to call on every start.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return s.interpret(ctx, "migrate", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		if err := s.migrateOne(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) migrateOne(ctx context.Context, name string) error {
	version := strings.TrimSuffix(strings.TrimPrefix(name, "migrations/"), ".sql")
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "migrate "+version, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, s.Now().UTC().Format(time.RFC3339Nano))
		return err
	})
}

// inTx runs f in a transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, op string, f func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.interpret(ctx, op, err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return s.interpret(ctx, op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.interpret(ctx, op, err)
	}
	return nil
}

// interpret turns driver errors into the citylinks sentinels, keeping the
// driver error in the chain: no rows → ErrNotFound, a unique or primary-key
// violation → ErrConflict, and any error after ctx is done → ctx.Err().
func (s *Store) interpret(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("sqlite: %s: %w: %w", op, ctxErr, err)
	}
	var se *sqlite.Error
	switch {
	case errors.Is(err, citylinks.ErrInvalid), errors.Is(err, citylinks.ErrNotFound),
		errors.Is(err, citylinks.ErrConflict), errors.Is(err, citylinks.ErrForbidden):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlite: %s: %w", op, citylinks.ErrNotFound)
	case errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE):
		return fmt.Errorf("sqlite: %s: %w: %w", op, citylinks.ErrConflict, err)
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}
