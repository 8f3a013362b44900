package sqlite_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/citylinks/citylinks/store/sqlite"
	"github.com/citylinks/citylinks/store/storetest"
)

// The crash and load tests run writers in child processes of this test
// binary (TestDurabilityChild), over one database file.

const (
	envPath  = "CITYLINKS_SQLITE_DURABILITY_PATH"
	envSync  = "CITYLINKS_SQLITE_DURABILITY_SYNC"
	envPause = "CITYLINKS_SQLITE_DURABILITY_PAUSE"
)

// TestDurabilityChild is the writer process of TestCrashSafety and
// TestLoadProcesses; it does nothing in a normal run. A crash writer
// pauses before every statement, BEGIN and COMMIT (envPause), so that a
// kill at a random moment often lands between two statements of one
// transaction, or between two transactions of one operation.
func TestDurabilityChild(t *testing.T) {
	storetest.Child(t, func(ctx context.Context) (storetest.Store, error) {
		dsn, err := sqlite.DSNWith(os.Getenv(envPath), &sqlite.Options{Synchronous: sqlite.Synchronous(os.Getenv(envSync))})
		if err != nil {
			return nil, err
		}
		name := "sqlite"
		if os.Getenv(envPause) != "" {
			name = "sqlite-paused"
			sql.Register(name, pausingDriver{&msqlite.Driver{}})
		}
		db, err := sql.Open(name, dsn)
		if err != nil {
			return nil, err
		}
		s := sqlite.New(db)
		return s, s.Migrate(ctx)
	})
}

// pause sleeps up to a millisecond.
func pause() { time.Sleep(time.Duration(rand.IntN(1000)) * time.Microsecond) }

// pausingDriver is the SQLite driver with a pause before every statement,
// BEGIN and COMMIT.
type pausingDriver struct{ d driver.Driver }

// sqliteConn is what the SQLite driver's connections implement and the
// store uses.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
}

func (d pausingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	return pausingConn{c.(sqliteConn)}, nil
}

type pausingConn struct{ sqliteConn }

func (c pausingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	pause()
	tx, err := c.sqliteConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return pausingTx{tx}, nil
}

func (c pausingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return pausingStmt{st.(sqliteStmt)}, nil
}

func (c pausingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	pause()
	return c.sqliteConn.ExecContext(ctx, query, args)
}

func (c pausingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	pause()
	return c.sqliteConn.QueryContext(ctx, query, args)
}

type pausingTx struct{ driver.Tx }

func (tx pausingTx) Commit() error {
	pause()
	return tx.Tx.Commit()
}

type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type pausingStmt struct{ sqliteStmt }

func (st pausingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	pause()
	return st.sqliteStmt.ExecContext(ctx, args)
}

func (st pausingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	pause()
	return st.sqliteStmt.QueryContext(ctx, args)
}

// openMigrated opens the file at path as the parent does, after a crash.
func openMigrated(t *testing.T, path string) storetest.Store {
	t.Helper()
	db, err := sqlite.Open(path)
	require.NoError(t, err, "open %s", path)
	s := sqlite.New(db)
	require.NoError(t, s.Migrate(t.Context()), "migrate %s", path)
	return s
}

// syncFor alternates the writers' synchronous setting: NORMAL must survive
// the death of the process as FULL does.
func syncFor(trial int) sqlite.Synchronous {
	if trial%4 >= 2 {
		return sqlite.SyncNormal
	}
	return sqlite.SyncFull
}

// TestCrashSafety kills a writer of partnership commands, observation
// batches and city batches with SIGKILL, trial after trial, half of the
// times while it holds the write lock, and checks after each kill that the
// file is sound, that everything it reported as committed is there, and
// that nothing is there in part (storetest.Crash).
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash trials are not short")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	var probe *sql.DB
	storetest.Crash(t, storetest.CrashOptions{
		Child: "TestDurabilityChild",
		Env: func(trial int) []string {
			return []string{envPath + "=" + path, envSync + "=" + string(syncFor(trial)), envPause + "=1"}
		},
		Open: func(t *testing.T) storetest.Store { return openMigrated(t, path) },
		// The writer holds the write lock from BEGIN IMMEDIATE to COMMIT:
		// a BEGIN IMMEDIATE that finds it busy finds the writer inside
		// a transaction.
		InWriteTx: func(ctx context.Context, trial int) (bool, error) {
			if probe == nil {
				var err error
				if probe, err = sqlite.OpenWith(path, &sqlite.Options{BusyTimeout: time.Millisecond}); err != nil {
					return false, err
				}
			}
			tx, err := probe.BeginTx(ctx, nil)
			var se *msqlite.Error
			if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY {
				return true, nil
			}
			if err != nil {
				return false, err
			}
			err = tx.Rollback()
			time.Sleep(time.Millisecond) // let the writer take the lock
			return false, err
		},
		AfterKill: func(t *testing.T, trial int) {
			if probe != nil {
				require.NoError(t, probe.Close())
				probe = nil
			}
			db, err := sqlite.Open(path)
			require.NoError(t, err, "trial %d: reopen", trial)
			defer db.Close()
			var integrity string
			require.NoError(t, db.QueryRow("PRAGMA integrity_check").Scan(&integrity))
			require.Equal(t, "ok", integrity, "trial %d: integrity_check", trial)
			rows, err := db.Query("PRAGMA foreign_key_check")
			require.NoError(t, err)
			defer rows.Close()
			require.False(t, rows.Next(), "trial %d: foreign_key_check finds a dangling reference", trial)
		},
	})
}

// TestLoadProcesses runs four processes of mixed reads and writes over one
// file (storetest.Load). A busy error fails it.
func TestLoadProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("load runs are not short")
	}
	path := filepath.Join(t.TempDir(), "load.db")
	storetest.Load(t, storetest.LoadOptions{
		Child: "TestDurabilityChild",
		Env:   func(int) []string { return []string{envPath + "=" + path, envSync + "=" + string(sqlite.SyncFull)} },
		Open:  func(t *testing.T) storetest.Store { return openMigrated(t, path) },
	})
}
