// Package postgres is the PostgreSQL storage backend for citylinks, on a
// pgx/v5 pool that the caller owns: the path for users who outgrow one
// machine. Its SQL sticks to what Postgres-wire distributed engines such as
// CockroachDB also run, and it retries transactions that fail with a
// serialization failure or deadlock.
//
//	pool, err := pgxpool.New(ctx, "postgres://postgres@127.0.0.1:5432/test")
//	…
//	s := postgres.New(pool)
//	if err := s.Migrate(ctx); err != nil { … }
//
// Transactions run at the server's default isolation level (READ COMMITTED
// on PostgreSQL); every invariant the stores keep is enforced by a unique
// index or a conditional write inside one transaction, not by isolation.
package postgres
