package postgres_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
	"github.com/citylinks/citylinks/store/storetest"
)

// The crash and load tests run clients in child processes of this test
// binary (TestDurabilityChild), each with a pool of its own, in one schema.

const (
	envSchema  = "CITYLINKS_PG_DURABILITY_SCHEMA"
	envApp     = "CITYLINKS_PG_DURABILITY_APP"
	envPause   = "CITYLINKS_PG_DURABILITY_PAUSE"
	envMaxConn = "CITYLINKS_PG_DURABILITY_CONNS"
)

// TestDurabilityChild is the client process of TestCrashSafety and
// TestLoadPools; it does nothing in a normal run. Its sessions are named
// (application_name) so that the parent can find them in pg_stat_activity,
// and wait at most 10 s for a lock, so that a lock a dead client left
// behind would fail the run instead of hanging it. A crash client pauses
// before every statement, BEGIN and COMMIT (envPause), so that a kill at a
// random moment often lands between two statements of one transaction.
func TestDurabilityChild(t *testing.T) {
	storetest.Child(t, func(ctx context.Context) (storetest.Store, error) {
		cfg, err := pgxpool.ParseConfig(postgrestest.URL(t))
		if err != nil {
			return nil, err
		}
		rp := cfg.ConnConfig.RuntimeParams
		rp["search_path"] = os.Getenv(envSchema)
		rp["application_name"] = os.Getenv(envApp)
		rp["lock_timeout"] = "10s"
		if n, _ := strconv.Atoi(os.Getenv(envMaxConn)); n > 0 {
			cfg.MaxConns = int32(n)
		}
		if os.Getenv(envPause) != "" {
			cfg.ConnConfig.Tracer = pausingTracer{}
		}
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, err
		}
		s := postgres.New(pool)
		return s, s.Migrate(ctx)
	})
}

// pausingTracer sleeps up to a millisecond before every statement (BEGIN
// and COMMIT included), batch and COPY.
type pausingTracer struct{}

func pause() { time.Sleep(time.Duration(rand.IntN(1000)) * time.Microsecond) }

func (pausingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	pause()
	return ctx
}

func (pausingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (pausingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	pause()
	return ctx
}

func (pausingTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (pausingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (pausingTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	pause()
	return ctx
}

func (pausingTracer) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// durabilitySchema makes a schema for a crash or load run and returns a
// pool over it (for the parent's own queries), the schema, and a function
// that opens a migrated store over it with a pool of its own.
func durabilitySchema(t *testing.T) (*pgxpool.Pool, string, func(t *testing.T) storetest.Store) {
	t.Helper()
	admin := postgrestest.NewPool(t, 2)
	schema := admin.Config().ConnConfig.RuntimeParams["search_path"]
	open := func(t *testing.T) storetest.Store {
		pool, err := pgxpool.NewWithConfig(t.Context(), admin.Config())
		require.NoError(t, err)
		s := postgres.New(pool)
		require.NoError(t, s.Migrate(t.Context()))
		return s
	}
	return admin, schema, open
}

// TestCrashSafety kills a client that issues partnership commands,
// observation batches and city batches with SIGKILL, trial after trial,
// half of the times while its session holds a write transaction open, and
// checks after each kill that the server dropped the session and its locks,
// that everything the client reported as committed is there, and that
// nothing is there in part (storetest.Crash). The next trial's client, a
// new process with a new pool, writes to the same partnerships: a lock left
// behind would stop it.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash trials are not short")
	}
	admin, schema, open := durabilitySchema(t)
	app := func(trial int) string { return schema + "-crash-" + strconv.Itoa(trial) }
	var gone []time.Duration
	storetest.Crash(t, storetest.CrashOptions{
		Child: "TestDurabilityChild",
		Env: func(trial int) []string {
			return []string{envSchema + "=" + schema, envApp + "=" + app(trial), envPause + "=1", envMaxConn + "=2"}
		},
		Open: open,
		// backend_xid is set once a transaction has written.
		InWriteTx: func(ctx context.Context, trial int) (bool, error) {
			var in bool
			err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND backend_xid IS NOT NULL)`,
				app(trial)).Scan(&in)
			return in, err
		},
		AfterKill: func(t *testing.T, trial int) {
			ctx := t.Context()
			start := time.Now()
			for {
				var n int
				require.NoError(t, admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app(trial)).Scan(&n))
				if n == 0 {
					break
				}
				require.Less(t, time.Since(start), 30*time.Second, "trial %d: the dead client's %d sessions are still there", trial, n)
				time.Sleep(5 * time.Millisecond)
			}
			gone = append(gone, time.Since(start))
			var locks int
			require.NoError(t, admin.QueryRow(ctx, `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
				JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND l.pid <> pg_backend_pid()`, schema).Scan(&locks))
			require.Zero(t, locks, "trial %d: locks on the schema's tables are held after the client died", trial)
		},
	})
	slowest := time.Duration(0)
	for _, d := range gone {
		slowest = max(slowest, d)
	}
	t.Logf("the server dropped each dead client's sessions within %v of the kill", slowest.Round(time.Millisecond))
}

// TestLoadPools runs four processes, each with a pool of its own, of
// mixed reads and writes in one schema (storetest.Load).
func TestLoadPools(t *testing.T) {
	if testing.Short() {
		t.Skip("load runs are not short")
	}
	_, schema, open := durabilitySchema(t)
	storetest.Load(t, storetest.LoadOptions{
		Child: "TestDurabilityChild",
		Env: func(i int) []string {
			return []string{envSchema + "=" + schema, envApp + "=" + schema + "-load-" + strconv.Itoa(i), envMaxConn + "=3"}
		},
		Open: open,
	})
}
