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
//
// An error from a write means that nothing of it was stored, even when the
// context ends or the connection fails while the COMMIT is in flight (the
// moment at which a client cannot tell whether the server committed). The
// store then ends the server process of that connection, waits until it has
// gone, and asks whether the write is stored: a transaction by its id
// (pg_xact_status, PostgreSQL 13 or later), an append by reading back its
// events. A stored write returns nil. Only when the database cannot be
// reached to ask does the error wrap citylinks.ErrOutcomeUnknown: read
// before writing again. A lost COMMIT costs this check, nothing else; a
// write that commits normally costs one more round trip for its
// transaction id.
package postgres
