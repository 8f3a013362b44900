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
	"github.com/citylinks/citylinks/internal/sqlrow"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store stores citylinks values in a SQLite database. It is safe for
// concurrent use. It implements citylinks.Store, partnership.TailStore and
// report.Store; the methods go doc does not list here (GetCity,
// ListPartnerships, ListObservations and the like) are those both SQL
// backends share, and behave as those interfaces say.
type Store struct {
	// Now returns the current time; tests may replace it. Defaults to
	// time.Now.
	Now func() time.Time

	db      *sql.DB
	records // what the SQL backends share
}

var _ citylinks.Store = (*Store)(nil)

// New returns a Store over db, which the caller owns and closes (Close does
// it too). db should come from Open, or carry the same settings.
func New(db *sql.DB) *Store {
	s := &Store{db: db, Now: time.Now}
	s.records = sqlrow.NewRecords(s.conn())
	return s
}

type records = sqlrow.Records

// conn is the sqlrow.Conn of the database, or of a transaction on it.
type conn struct {
	s  *Store
	db querier
}

func (s *Store) conn() conn { return conn{s: s, db: s.db} }

func (c conn) Dialect() sqlrow.Dialect { return sqlrow.SQLite }

func (c conn) Exec(ctx context.Context, op, q string, args ...any) (int64, error) {
	res, err := c.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, c.s.interpret(ctx, op, err)
	}
	n, err := res.RowsAffected()
	return n, c.s.interpret(ctx, op, err)
}

func (c conn) QueryRow(ctx context.Context, op, q string, args []any, scan func(sqlrow.Scanner) error) (bool, error) {
	err := scan(c.db.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, c.s.interpret(ctx, op, err)
}

func (c conn) Query(ctx context.Context, op, q string, args []any, row func(sqlrow.Scanner) error) error {
	rows, err := c.db.QueryContext(ctx, q, args...)
	if err != nil {
		return c.s.interpret(ctx, op, err)
	}
	defer rows.Close()
	return c.s.interpret(ctx, op, sqlrow.Each(rows, row))
}

// DB returns the underlying database.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Synchronous is SQLite's synchronous setting: how often a commit waits for
// the disk.
type Synchronous string

// The synchronous settings an Options may choose.
const (
	// SyncFull makes every commit wait until the write-ahead log is on disk,
	// so a committed write survives a power cut or an operating-system
	// crash as well as a crash of the program. It is the default: records
	// of partnerships and donor-facing results are kept for years.
	SyncFull Synchronous = "FULL"
	// SyncNormal syncs the log only at checkpoints. A committed write still
	// survives a crash of the program (the test suite kills writers with
	// SIGKILL to check), and the database is never corrupted, but the last
	// commits before a power cut or an operating-system crash may be rolled
	// back. It roughly doubles single-writer command throughput.
	SyncNormal Synchronous = "NORMAL"
)

// Options control Open. The zero value (or nil) gives the defaults.
type Options struct {
	// Synchronous defaults to SyncFull.
	Synchronous Synchronous
	// BusyTimeout is how long a writer waits for another's lock before
	// failing. Defaults to 10 seconds.
	BusyTimeout time.Duration
}

// DSN returns the data source name Open uses for path with the default
// Options: WAL journaling, foreign keys on, a 10 s busy timeout,
// synchronous=FULL, temporary data in memory, a 32 MiB page cache, and
// transactions that take the write lock when they begin (BEGIN IMMEDIATE),
// so that two writers never deadlock upgrading a read lock.
func DSN(path string) string {
	dsn, _ := DSNWith(path, nil)
	return dsn
}

// withDefaults returns o (which may be nil) with its defaults filled in.
func (o *Options) withDefaults() (Options, error) {
	var opts Options
	if o != nil {
		opts = *o
	}
	if opts.Synchronous == "" {
		opts.Synchronous = SyncFull
	}
	if opts.Synchronous != SyncFull && opts.Synchronous != SyncNormal {
		return opts, fmt.Errorf("sqlite: synchronous %q is not FULL or NORMAL: %w", opts.Synchronous, citylinks.ErrInvalid)
	}
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	return opts, nil
}

// DSNWith is DSN with the given options.
//
// A connection opened with the DSN switches the file to WAL if it is not
// yet. SQLite does that under a write lock that it takes without waiting
// for another writer (the busy timeout does not apply), so the first
// connection to a file that another connection or process is writing to in
// rollback-journal mode, or is switching to WAL itself, can fail with
// SQLITE_BUSY; Open and OpenWith wait and try again.
func DSNWith(path string, o *Options) (string, error) {
	opts, err := o.withDefaults()
	if err != nil {
		return "", err
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)",
		fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()),
		fmt.Sprintf("synchronous(%s)", opts.Synchronous), "temp_store(MEMORY)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// Open opens (creating if needed) the SQLite database at path with the
// default Options. The pragmas are part of the DSN, so every connection the
// pool opens gets them.
//
// While another connection or process holds the write lock of a file
// that is not yet in WAL mode (several processes starting at once on a new
// file, say), Open waits for it up to the busy timeout, trying again,
// rather than fail with SQLITE_BUSY (see DSNWith).
func Open(path string) (*sql.DB, error) { return OpenWith(path, nil) }

// OpenWith is Open with the given options.
func OpenWith(path string, o *Options) (*sql.DB, error) {
	opts, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	dsn, err := DSNWith(path, &opts)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Once the first connection is open, the file is in WAL mode and the
	// pool's further connections need no write lock to open.
	deadline := time.Now().Add(opts.BusyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err = db.Ping()
		if err == nil {
			return db, nil
		}
		if !isBusy(err) || time.Now().Add(wait).After(deadline) {
			db.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		time.Sleep(wait)
	}
}

// isBusy reports whether err is SQLITE_BUSY (or one of its extended codes).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Migrate applies the embedded migrations that have not been applied yet, in
// order, each in its own transaction, and records them in
// schema_migrations. It is safe to call on every start, and it is how a
// database is opened: it refuses (with citylinks.ErrNewerSchema) a
// database that a newer version of citylinks has migrated further.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return s.interpret(ctx, "migrate", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	if err := s.checkApplied(ctx, names); err != nil {
		return err
	}
	for _, name := range names {
		if err := s.migrateOne(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// checkApplied refuses a database with a migration this build does not
// know (see sqlrow.CheckApplied).
func (s *Store) checkApplied(ctx context.Context, names []string) error {
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return s.interpret(ctx, "migrate", err)
	}
	defer rows.Close()
	var applied []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return s.interpret(ctx, "migrate", err)
		}
		applied = append(applied, v)
	}
	if err := rows.Err(); err != nil {
		return s.interpret(ctx, "migrate", err)
	}
	return sqlrow.CheckApplied("sqlite", sqlrow.MigrationVersions(names), applied)
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
		return fmt.Errorf("%s: %w: %w", op, ctxErr, err)
	}
	var se *sqlite.Error
	switch {
	case errors.Is(err, citylinks.ErrInvalid), errors.Is(err, citylinks.ErrNotFound),
		errors.Is(err, citylinks.ErrConflict), errors.Is(err, citylinks.ErrForbidden):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s: %w", op, citylinks.ErrNotFound)
	case errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE):
		return fmt.Errorf("%s: %w: %w", op, citylinks.ErrConflict, err)
	}
	return fmt.Errorf("sqlite: %s: %w", op, err)
}
