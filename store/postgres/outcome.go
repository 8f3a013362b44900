package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/citylinks/citylinks"
)

// A write can fail on the client after the server has stored it: the
// context ends (or the network fails) while the COMMIT, or the single
// statement of an append, is on its way back. The store does not pass such
// an error on. It ends the server process that ran the write, waits until
// it has gone (so that the write's outcome is final), and asks: a
// transaction by its id (pg_xact_status), an append by reading back the
// events it wrote. A stored write then returns nil; one that was not
// returns the error. Only if the database cannot be asked does the error
// wrap citylinks.ErrOutcomeUnknown.

// settleTimeout bounds how long finding out a write's outcome may take,
// on top of the caller's deadline.
const settleTimeout = 15 * time.Second

// uncertain reports whether err, from the step of a write that commits it,
// leaves open whether it was stored: the server did not answer. An answer
// from the server (a *pgconn.PgError) is certain, and so is an error that
// pgx raised before sending anything.
func uncertain(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return false
	}
	return !pgconn.SafeToRetry(err)
}

// settle finds out whether a write whose commit failed with the uncertain
// error err is stored. pid is the server process of the write's
// connection; stored asks, on another connection, once that process has
// gone. It returns nil when the write is stored, err when it is not, and
// err wrapped with citylinks.ErrOutcomeUnknown when it cannot tell.
func (s *Store) settle(ctx context.Context, c *pgxpool.Conn, err error, stored func(ctx context.Context) (bool, error)) error {
	pid := c.Conn().PgConn().PID()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	// Our side of the connection is finished with; the pool must not hand
	// it out again.
	c.Conn().Close(ctx)
	gone, serr := s.endBackend(ctx, pid)
	if serr == nil && !gone {
		serr = fmt.Errorf("server process %d did not end within %v", pid, settleTimeout)
	}
	var ok bool
	if serr == nil {
		ok, serr = stored(ctx)
	}
	switch {
	case serr != nil:
		return fmt.Errorf("%w (%w; finding out: %w)", citylinks.ErrOutcomeUnknown, err, serr)
	case ok:
		return nil
	}
	return err
}

// endBackend terminates server process pid, if it is still there, and
// reports whether it has gone.
func (s *Store) endBackend(ctx context.Context, pid uint32) (bool, error) {
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var alive bool
		err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)`, int32(pid)).Scan(&alive)
		if err != nil {
			return false, err
		}
		if !alive {
			return true, nil
		}
		// A process whose client has gone may still be running the write
		// (or waiting for a lock): ending it aborts what is not yet
		// committed and leaves what is.
		if _, err := s.pool.Exec(ctx, `SELECT pg_terminate_backend($1, 1000)`, int32(pid)); err != nil {
			return false, err
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// runTx runs f in a transaction on one connection and commits it; an
// uncertain commit is settled by the transaction's id.
func (s *Store) runTx(ctx context.Context, f func(tx pgx.Tx) error) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback(ctx)
		return err
	}
	// The id is assigned now if no statement has needed one yet.
	var xid string
	if err := tx.QueryRow(ctx, `SELECT pg_current_xact_id()::text`).Scan(&xid); err != nil {
		tx.Rollback(ctx)
		return err
	}
	err = tx.Commit(ctx)
	if !uncertain(err) {
		return err
	}
	return s.settle(ctx, c, err, func(ctx context.Context) (bool, error) {
		for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
			var status *string
			if err := s.pool.QueryRow(ctx, `SELECT pg_xact_status($1::xid8)`, xid).Scan(&status); err != nil {
				return false, err
			}
			switch {
			case status == nil:
				return false, fmt.Errorf("transaction %s is too old to look up", xid)
			case *status != "in progress":
				return *status == "committed", nil
			}
			// A process can leave the list of processes a moment before
			// its transaction is marked ended.
			select {
			case <-ctx.Done():
				return false, fmt.Errorf("transaction %s: %w", xid, ctx.Err())
			case <-time.After(wait):
			}
		}
	})
}
