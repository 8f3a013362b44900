package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/internal/streamcache"
	"github.com/citylinks/citylinks/partnership"
)

var _ partnership.TailStore = (*Store)(nil)

// LoadPartnership implements partnership.Store.
func (s *Store) LoadPartnership(ctx context.Context, id string) ([]partnership.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Events already read are cached (they never change); read the rest.
	return streamcache.For(s).Load(id, func(have int64) ([]partnership.Event, error) { return s.loadAfter(ctx, id, have) })
}

// LoadPartnershipAfter implements partnership.TailStore.
func (s *Store) LoadPartnershipAfter(ctx context.Context, id string, after int64) ([]partnership.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.loadAfter(ctx, id, after)
}

// loadAfter reads and decodes the events of partnership id above version
// after; none at all is ErrNotFound.
func (s *Store) loadAfter(ctx context.Context, id string, after int64) ([]partnership.Event, error) {
	l := sqlrow.NewEventLoad(id, after)
	rows, err := s.pool.Query(ctx, `SELECT data FROM partnership_events WHERE partnership_id = $1 AND version > $2 ORDER BY version`, id, after)
	if err != nil {
		return nil, s.interpret(ctx, l.Op(), err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := l.Add(rows.RawValues()[0]); err != nil {
			return nil, err
		}
	}
	return l.Done(s.interpret(ctx, l.Op(), rows.Err()))
}

// AppendPartnership implements partnership.Store.
//
// A new partnership's summary row, organization rows and events are
// inserted in one transaction. An append to an existing partnership takes
// two round trips and no explicit transaction: it reads the partnership's
// state, folds the events into it, then writes both in one statement — an
// UPDATE of the summary conditional on the expected version, and, in a
// data-modifying WITH, the INSERT of the events only if that UPDATE matched.
// A writer that got in first makes the UPDATE match nothing (or the
// primary key (partnership_id, version) refuse the events), so a lost race
// stores nothing and returns ErrConflict under any isolation level.
func (s *Store) AppendPartnership(ctx context.Context, id string, expected int64, events []partnership.Event) error {
	rows, err := sqlrow.AppendRows(ctx, id, expected, events)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("append to partnership %q", id)
	if expected == 0 {
		return s.inTx(ctx, op, func(tx pgx.Tx) error {
			sum, err := sqlrow.Fold(op, id, 0, nil, false, events)
			if err != nil {
				return err
			}
			var b pgx.Batch
			args := sqlrow.SummaryArgs(sum)
			b.Queue(fmt.Sprintf(`INSERT INTO partnerships (%s) VALUES (%s)`, sqlrow.SummaryColumnList, sqlrow.Placeholders(len(args), 1, true)), args...)
			for _, org := range sqlrow.SummaryOrgs(sum) {
				b.Queue(`INSERT INTO partnership_orgs (org_id, partnership_id) VALUES ($1, $2)`, org, id)
			}
			cols := strings.Join(sqlrow.EventColumns, ", ")
			for _, r := range rows {
				b.Queue(fmt.Sprintf(`INSERT INTO partnership_events (%s) VALUES (%s)`, cols, sqlrow.Placeholders(len(r), 1, true)), r...)
			}
			return tx.SendBatch(ctx, &b).Close()
		})
	}

	var r sqlrow.StateRow
	err = s.pool.QueryRow(ctx, `SELECT `+sqlrow.StateColumnList+` FROM partnerships WHERE id = $1`, id).Scan(r.Dest()...)
	found := !errors.Is(err, pgx.ErrNoRows)
	if err != nil && found {
		return s.interpret(ctx, op, err)
	}
	sum, err := sqlrow.Fold(op, id, expected, &r, found, events)
	if err != nil {
		return err
	}
	q, args := appendSQL(id, expected, sum, rows)
	for attempt := 0; ; attempt++ {
		tag, err := s.execAppend(ctx, id, expected, rows, q, args)
		switch {
		case err == nil && tag.RowsAffected() == int64(len(rows)):
			return nil
		case err == nil:
			return fmt.Errorf("%s: another writer appended first: %w", op, citylinks.ErrConflict)
		case retryable(err) && attempt < 10:
			// A serialization failure (CockroachDB) applied nothing: the
			// statement is atomic. Run it again; its version condition
			// still guards it.
			continue
		}
		return s.interpret(ctx, op, err)
	}
}

// execAppend runs the statement of an append, a transaction of its own. If
// its answer is lost (see settle), the events at the versions it wrote say
// whether it was stored: they are exactly ours, or it was not.
func (s *Store) execAppend(ctx context.Context, id string, expected int64, rows [][]any, q string, args []any) (pgconn.CommandTag, error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	defer c.Release()
	tag, err := c.Exec(ctx, q, args...)
	if !uncertain(err) {
		return tag, err
	}
	data := len(sqlrow.EventColumns) - 1 // the event's JSON, last of EventColumns
	err = s.settle(ctx, c, err, func(ctx context.Context) (bool, error) {
		got, err := s.pool.Query(ctx, `SELECT data FROM partnership_events WHERE partnership_id = $1 AND version > $2 AND version <= $3 ORDER BY version`,
			id, expected, expected+int64(len(rows)))
		if err != nil {
			return false, err
		}
		stored, err := pgx.CollectRows(got, pgx.RowTo[string])
		if err != nil || len(stored) != len(rows) {
			return false, err
		}
		for i, r := range rows {
			if stored[i] != r[data].(string) {
				return false, nil // another writer's events
			}
		}
		return true, nil
	})
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	return pgconn.NewCommandTag(fmt.Sprintf("INSERT 0 %d", len(rows))), nil
}

// appendSQL returns the one statement that moves partnership id's summary
// from version expected to sum and inserts the event rows, only if the
// summary was still at version expected.
func appendSQL(id string, expected int64, sum partnership.Summary, rows [][]any) (string, []any) {
	args := append(sqlrow.StateArgs(sum), id, expected)
	set := make([]string, len(sqlrow.StateColumns))
	for i, c := range sqlrow.StateColumns {
		set[i] = fmt.Sprintf("%s = $%d", c, i+1)
	}
	casts := []string{"text", "bigint", "text", "text", "text", "text", "text"} // as sqlrow.EventColumns
	values := make([]string, len(rows))
	for i, r := range rows {
		ph := make([]string, len(r))
		for j, v := range r {
			args = append(args, v)
			ph[j] = fmt.Sprintf("$%d::%s", len(args), casts[j])
		}
		values[i] = "(" + strings.Join(ph, ", ") + ")"
	}
	cols := strings.Join(sqlrow.EventColumns, ", ")
	q := fmt.Sprintf(`WITH moved AS (UPDATE partnerships SET %s WHERE id = $%d AND version = $%d RETURNING 1)
INSERT INTO partnership_events (%s) SELECT * FROM (VALUES %s) AS v (%s) WHERE EXISTS (SELECT 1 FROM moved)`,
		strings.Join(set, ", "), len(set)+1, len(set)+2, cols, strings.Join(values, ", "), cols)
	return q, args
}
