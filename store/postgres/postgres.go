package postgres

import (
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store stores citylinks values in PostgreSQL. It is safe for concurrent
// use. It implements citylinks.Store, partnership.TailStore and
// report.Store; the methods go doc does not list here (GetCity,
// ListPartnerships, ListObservations and the like) are those both SQL
// backends share, and behave as those interfaces say.
type Store struct {
	// MaxRetries is how many times a transaction is retried after a
	// serialization failure or deadlock. Defaults to 10 (when 0).
	MaxRetries int
	// Now returns the current time; tests may replace it. Defaults to
	// time.Now.
	Now func() time.Time

	pool    *pgxpool.Pool
	records // what the SQL backends share
}

var _ citylinks.Store = (*Store)(nil)

// New returns a Store over pool, which the caller owns.
func New(pool *pgxpool.Pool) *Store {
	s := &Store{pool: pool, Now: time.Now}
	s.records = sqlrow.NewRecords(s.conn())
	return s
}

type records = sqlrow.Records

// conn is the sqlrow.Conn of the pool (pool set: each write is a
// transaction of its own, retried as inTx retries) or of a transaction.
type conn struct {
	s    *Store
	q    querier
	pool bool
}

func (s *Store) conn() conn { return conn{s: s, q: s.pool, pool: true} }

func (c conn) Dialect() sqlrow.Dialect { return sqlrow.Postgres }

func (c conn) Exec(ctx context.Context, op, q string, args ...any) (int64, error) {
	if !c.pool {
		tag, err := c.q.Exec(ctx, q, args...)
		return tag.RowsAffected(), c.s.interpret(ctx, op, err)
	}
	var n int64
	err := c.s.inTx(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, args...)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

func (c conn) QueryRow(ctx context.Context, op, q string, args []any, scan func(sqlrow.Scanner) error) (bool, error) {
	err := scan(c.q.QueryRow(ctx, q, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, c.s.interpret(ctx, op, err)
}

func (c conn) Query(ctx context.Context, op, q string, args []any, row func(sqlrow.Scanner) error) error {
	rows, err := c.q.Query(ctx, q, args...)
	if err != nil {
		return c.s.interpret(ctx, op, err)
	}
	defer rows.Close()
	err = sqlrow.Each(rows, row)
	rows.Close() // pgx reports some errors only on Close
	return c.s.interpret(ctx, op, cmp.Or(err, rows.Err()))
}

// Pool returns the underlying pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Migrate applies the embedded migrations that have not been applied yet, in
// order, each in its own transaction, and records them in
// schema_migrations. Concurrent callers are safe: the version row is written
// first, so a second migrator waits on it and then skips the migration. It
// refuses (with citylinks.ErrNewerSchema) a database that a newer version
// of citylinks has migrated further.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		// Two first migrators can race on creating the table itself.
		if !isCode(err, "23505") && !isCode(err, "42P07") {
			return s.interpret(ctx, "migrate", err)
		}
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	applied, err := s.pool.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return s.interpret(ctx, "migrate", err)
	}
	versions, err := pgx.CollectRows(applied, pgx.RowTo[string])
	if err != nil {
		return s.interpret(ctx, "migrate", err)
	}
	if err := sqlrow.CheckApplied("postgres", sqlrow.MigrationVersions(names), versions); err != nil {
		return err
	}
	for _, name := range names {
		version := strings.TrimSuffix(strings.TrimPrefix(name, "migrations/"), ".sql")
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.inTx(ctx, "migrate "+version, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING`, version, s.Now().UTC())
			if err != nil || tag.RowsAffected() == 0 {
				return err
			}
			_, err = tx.Exec(ctx, string(body))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}

// retryable reports whether a transaction failed in a way that running it
// again can fix: a serialization failure (40001) or a deadlock (40P01).
func retryable(err error) bool { return isCode(err, "40001") || isCode(err, "40P01") }

// inTx runs f in a transaction and commits, retrying the whole transaction
// after a serialization failure or deadlock. It returns an error only when
// nothing was committed, or one that wraps citylinks.ErrOutcomeUnknown (see
// runTx).
func (s *Store) inTx(ctx context.Context, op string, f func(tx pgx.Tx) error) error {
	max := s.MaxRetries
	if max == 0 {
		max = 10
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := s.runTx(ctx, f)
		if err == nil {
			return nil
		}
		if !retryable(err) || attempt >= max {
			return s.interpret(ctx, op, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1<<min(attempt, 6)) * time.Millisecond):
		}
	}
}

// interpret turns driver errors into the citylinks sentinels, keeping the
// driver error in the chain: no rows → ErrNotFound, a unique violation
// (23505) → ErrConflict, and any error after ctx is done → ctx.Err().
func (s *Store) interpret(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%s: %w: %w", op, ctxErr, err)
	}
	switch {
	case errors.Is(err, citylinks.ErrInvalid), errors.Is(err, citylinks.ErrNotFound),
		errors.Is(err, citylinks.ErrConflict), errors.Is(err, citylinks.ErrForbidden):
		return err
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%s: %w", op, citylinks.ErrNotFound)
	case isCode(err, "23505"):
		return fmt.Errorf("%s: %w: %w", op, citylinks.ErrConflict, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}
