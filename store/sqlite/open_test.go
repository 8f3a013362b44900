package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/store/sqlite"
)

// rollbackWriter makes a file in rollback-journal mode, as another tool,
// or the first moment of a new file, leaves it, and holds a write
// transaction open on it until release is called.
func rollbackWriter(t *testing.T) (path string, release func()) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "rollback.db")
	other, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	t.Cleanup(func() { other.Close() })
	_, err = other.Exec(`CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)`)
	require.NoError(t, err)
	tx, err := other.Begin()
	require.NoError(t, err)
	_, err = tx.Exec(`INSERT INTO t VALUES (2)`)
	require.NoError(t, err)
	return path, func() { tx.Rollback() }
}

// TestOpenWaitsForWALSwitch: switching a file to WAL takes a write lock
// from inside a read transaction, where SQLite returns SQLITE_BUSY at once
// instead of calling the busy handler. Open must wait, up to the busy
// timeout, while another connection or process writes to the file, rather
// than fail with "database is locked". Processes that start at once on a
// new file meet this: one of them is switching the file to WAL while the
// others open it.
func TestOpenWaitsForWALSwitch(t *testing.T) {
	path, release := rollbackWriter(t)
	const hold = 300 * time.Millisecond
	time.AfterFunc(hold, release)
	start := time.Now()
	db, err := sqlite.Open(path)
	require.NoError(t, err, "Open while another connection writes to the file")
	defer db.Close()
	assert.GreaterOrEqual(t, time.Since(start), hold/2, "Open returned before the writer let go")
	var mode string
	require.NoError(t, db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM t`).Scan(&n))
	assert.Equal(t, 1, n, "the writer's rolled back row")

	// With a busy timeout shorter than the writer's hold, Open gives up
	// with the busy error.
	path, release = rollbackWriter(t)
	defer release()
	_, err = sqlite.OpenWith(path, &sqlite.Options{BusyTimeout: 50 * time.Millisecond})
	assert.ErrorContains(t, err, "SQLITE_BUSY")
}
