package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/internal/streamcache"
	"github.com/citylinks/citylinks/partnership"
)

var _ partnership.TailStore = (*Store)(nil)

// partnershipStmts are the prepared statements of the partnership methods.
// Preparing is a sixth of a command's CPU time on modernc SQLite, so each
// Store prepares them once, on first use, and keeps them until the Store is
// garbage collected (or its database closed, which closes them too).
type partnershipStmts struct {
	load, summary, insertSummary, update, insertOrg, insertEvent *sql.Stmt
}

var (
	stmtMu    sync.Mutex
	stmtCache = map[weak.Pointer[Store]]*partnershipStmts{}
)

// stmts returns s's prepared partnership statements.
func (s *Store) stmts(ctx context.Context) (*partnershipStmts, error) {
	key := weak.Make(s)
	stmtMu.Lock()
	defer stmtMu.Unlock()
	if st := stmtCache[key]; st != nil {
		return st, nil
	}
	st := &partnershipStmts{}
	set := make([]string, len(sqlrow.StateColumns))
	for i, c := range sqlrow.StateColumns {
		set[i] = c + " = ?"
	}
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&st.load, `SELECT data FROM partnership_events WHERE partnership_id = ? AND version > ? ORDER BY version`},
		{&st.summary, `SELECT ` + sqlrow.StateColumnList + ` FROM partnerships WHERE id = ?`},
		{&st.insertSummary, fmt.Sprintf(`INSERT INTO partnerships (%s) VALUES (%s)`, sqlrow.SummaryColumnList, sqlrow.Placeholders(len(sqlrow.SummaryColumns), 1, false))},
		{&st.update, fmt.Sprintf(`UPDATE partnerships SET %s WHERE id = ? AND version = ?`, strings.Join(set, ", "))},
		{&st.insertOrg, `INSERT INTO partnership_orgs (org_id, partnership_id) VALUES (?, ?)`},
		{&st.insertEvent, fmt.Sprintf(`INSERT INTO partnership_events (%s) VALUES (%s)`, strings.Join(sqlrow.EventColumns, ", "), sqlrow.Placeholders(len(sqlrow.EventColumns), 1, false))},
	} {
		var err error
		if *p.dst, err = s.db.PrepareContext(ctx, p.q); err != nil {
			st.close()
			return nil, s.interpret(ctx, "prepare partnership statements", err)
		}
	}
	stmtCache[key] = st
	runtime.AddCleanup(s, func(key weak.Pointer[Store]) {
		stmtMu.Lock()
		st := stmtCache[key]
		delete(stmtCache, key)
		stmtMu.Unlock()
		st.close()
	}, key)
	return st, nil
}

func (st *partnershipStmts) close() {
	if st == nil {
		return
	}
	for _, s := range []*sql.Stmt{st.load, st.summary, st.insertSummary, st.update, st.insertOrg, st.insertEvent} {
		if s != nil {
			s.Close()
		}
	}
}

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
	st, err := s.stmts(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := st.load.QueryContext(ctx, id, after)
	if err != nil {
		return nil, s.interpret(ctx, l.Op(), err)
	}
	defer rows.Close()
	var data sql.RawBytes // reused: Add copies what it keeps
	for rows.Next() {
		if err := rows.Scan(&data); err != nil {
			return nil, s.interpret(ctx, l.Op(), err)
		}
		if err := l.Add(data); err != nil {
			return nil, err
		}
	}
	return l.Done(s.interpret(ctx, l.Op(), rows.Err()))
}

// AppendPartnership implements partnership.Store. The events, the summary
// row and the organization rows are written in one transaction; the primary
// key (partnership_id, version) turns a lost race into ErrConflict.
func (s *Store) AppendPartnership(ctx context.Context, id string, expected int64, events []partnership.Event) error {
	eventArgs, err := sqlrow.AppendRows(ctx, id, expected, events)
	if err != nil {
		return err
	}
	st, err := s.stmts(ctx)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("append to partnership %q", id)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		var r sqlrow.StateRow
		found := false
		if expected > 0 {
			err := tx.StmtContext(ctx, st.summary).QueryRowContext(ctx, id).Scan(r.Dest()...)
			if found = !errors.Is(err, sql.ErrNoRows); err != nil && found {
				return err
			}
		}
		sum, err := sqlrow.Fold(op, id, expected, &r, found, events)
		if err != nil {
			return err
		}
		if expected == 0 {
			if _, err := tx.StmtContext(ctx, st.insertSummary).ExecContext(ctx, sqlrow.SummaryArgs(sum)...); err != nil {
				return err
			}
			for _, org := range sqlrow.SummaryOrgs(sum) {
				if _, err := tx.StmtContext(ctx, st.insertOrg).ExecContext(ctx, org, id); err != nil {
					return err
				}
			}
		} else {
			res, err := tx.StmtContext(ctx, st.update).ExecContext(ctx, append(sqlrow.StateArgs(sum), id, expected)...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("%s: another writer appended first: %w", op, citylinks.ErrConflict)
			}
		}
		ins := tx.StmtContext(ctx, st.insertEvent)
		for _, a := range eventArgs {
			if _, err := ins.ExecContext(ctx, a...); err != nil {
				return err
			}
		}
		return nil
	})
}
