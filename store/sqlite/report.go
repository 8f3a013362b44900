package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/reportstore"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/internal/storeerr"
	"github.com/citylinks/citylinks/report"
)

var _ report.Store = (*Store)(nil)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// txReader reads inside a write transaction (report.ObservationTx).
type txReader struct {
	s *Store
	q querier
}

func (r *txReader) GetActivity(ctx context.Context, id string) (report.Activity, error) {
	return sqlrow.Report{Conn: conn{s: r.s, db: r.q}}.GetActivity(ctx, id)
}

func (r *txReader) ListObservations(ctx context.Context, f report.ObservationFilter) (citylinks.Page[report.Observation], error) {
	return sqlrow.Report{Conn: conn{s: r.s, db: r.q}}.ListObservations(ctx, f)
}

func (r *txReader) ListFrozenPeriods(ctx context.Context, partnerships []string) (map[string][]report.Approval, error) {
	return r.s.listFrozenPeriods(ctx, r.q, partnerships)
}

// obsChunk is how many observations go in one multi-row INSERT (15
// parameters each, well under SQLite's limit of 32766).
const obsChunk = 256

// RecordObservations implements report.Store: one IMMEDIATE
// transaction, so the checks and the write are atomic with respect to
// approvals and other writers, with multi-row INSERT … ON CONFLICT DO
// UPDATE statements.
func (s *Store) RecordObservations(ctx context.Context, write report.ObservationWrite) error {
	return s.inTx(ctx, "record observations", func(tx *sql.Tx) error {
		w := sqlrow.NewWriter(sqlrow.SQLite, txQuery(ctx, tx))
		stmts := map[int]*sql.Stmt{}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		args := make([]any, 0, obsChunk*len(sqlrow.ObservationColumns))
		put := func(obs []report.Observation) error {
			for i, o := range obs {
				if err := o.Validate(); err != nil {
					return fmt.Errorf("observation %d: %w", i, err)
				}
			}
			if err := checkRefs(ctx, tx, obs); err != nil {
				return err
			}
			if _, err := w.Check(obs); err != nil {
				return err
			}
			for start := 0; start < len(obs); start += obsChunk {
				chunk := obs[start:min(start+obsChunk, len(obs))]
				st, ok := stmts[len(chunk)]
				if !ok {
					var b strings.Builder
					fmt.Fprintf(&b, "INSERT INTO report_observations (%s) VALUES ", sqlrow.ObservationColumnList)
					one := "(" + sqlrow.Placeholders(len(sqlrow.ObservationColumns), 1, false) + ")"
					for i := range chunk {
						if i > 0 {
							b.WriteString(", ")
						}
						b.WriteString(one)
					}
					b.WriteString(" ON CONFLICT (id) DO UPDATE SET " + sqlrow.UpdateSet(sqlrow.ObservationColumns))
					var err error
					if st, err = tx.PrepareContext(ctx, b.String()); err != nil {
						return err
					}
					stmts[len(chunk)] = st
				}
				args = args[:0]
				for _, o := range chunk {
					args = sqlrow.AppendObservationArgs(args, o)
				}
				if _, err := st.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
			return nil
		}
		return write(ctx, &txReader{s: s, q: tx}, put)
	})
}

// txQuery runs sqlrow's queries on tx: a transaction, or the database itself.
func txQuery(ctx context.Context, tx querier) sqlrow.Query {
	return func(q string, args []any, each func(scan func(...any) error) error) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows.Scan); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// distinct returns the distinct values of f over xs.
func distinct[T any](xs []T, f func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if v := f(x); !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// missing returns the values of want that are not in column col of table.
func missing(ctx context.Context, tx *sql.Tx, table, col string, want []string) ([]string, error) {
	found := map[string]bool{}
	for start := 0; start < len(want); start += 500 {
		chunk := want[start:min(start+500, len(want))]
		c, a := inList(col, chunk)
		rows, err := tx.QueryContext(ctx, "SELECT "+col+" FROM "+table+" WHERE "+c, a...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			found[v] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	var out []string
	for _, v := range want {
		if !found[v] {
			out = append(out, v)
		}
	}
	return out, nil
}

func checkRefs(ctx context.Context, tx *sql.Tx, obs []report.Observation) error {
	parts := distinct(obs, func(o report.Observation) string { return o.Partnership })
	m, err := missing(ctx, tx, "report_activities", "id", parts)
	if err != nil {
		return err
	}
	if len(m) > 0 {
		return storeerr.NotFound("partnership", m[0])
	}
	inds := distinct(obs, func(o report.Observation) string { return o.Indicator })
	if m, err = missing(ctx, tx, "report_indicators", "code", inds); err != nil {
		return err
	}
	if len(m) > 0 {
		return storeerr.NotFound("indicator", m[0])
	}
	return nil
}

func approvedPeriods(ctx context.Context, tx *sql.Tx) (map[string][]report.Period, error) {
	rows, err := tx.QueryContext(ctx, `SELECT partnership, period FROM report_approvals WHERE state = 'approved'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]report.Period{}
	for rows.Next() {
		var part, key string
		if err := rows.Scan(&part, &key); err != nil {
			return nil, err
		}
		p, err := report.ParsePeriod(key)
		if err != nil {
			return nil, err
		}
		out[part] = append(out[part], p)
	}
	return out, rows.Err()
}

// RollupObservations implements report.Store with one GROUP BY
// query (and, for Latest indicators, a second one for the values at each
// cell's latest period end).
func (s *Store) RollupObservations(ctx context.Context, q report.RollupQuery) ([]report.Cell, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	cells, err := sqlrow.SQLite.Rollup(q, txQuery(ctx, s.db))
	if err != nil {
		return nil, s.interpret(ctx, "rollup", err)
	}
	return cells, nil
}

// GetApproval implements report.Store.
func (s *Store) GetApproval(ctx context.Context, partnership string, p report.Period) (report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return report.Approval{}, err
	}
	if err := p.Validate(); err != nil {
		return report.Approval{}, err
	}
	ap, err := scanApproval(s.db.QueryRowContext(ctx, approvalSelect+` WHERE partnership = ? AND period = ?`, partnership, p.String()))
	if err == sql.ErrNoRows {
		return report.Approval{Partnership: partnership, Period: p, State: report.StateDraft}, nil
	}
	return ap, s.interpret(ctx, "get approval", err)
}

const approvalSelect = `SELECT partnership, period, state, version, updated_at, updated_by, comment FROM report_approvals`

func scanApproval(row interface{ Scan(...any) error }) (report.Approval, error) {
	var a report.Approval
	var key, at string
	if err := row.Scan(&a.Partnership, &key, &a.State, &a.Version, &at, &a.UpdatedBy, &a.Comment); err != nil {
		return a, err
	}
	var err error
	if a.Period, err = report.ParsePeriod(key); err != nil {
		return a, err
	}
	a.UpdatedAt, err = time.Parse(time.RFC3339Nano, at)
	return a, err
}

// ListApprovals implements report.Store.
func (s *Store) ListApprovals(ctx context.Context, partnership string) ([]report.Approval, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.queryApprovals(ctx, s.db, "list approvals", approvalSelect+` WHERE partnership = ? ORDER BY period_start, period`, partnership)
}

func (s *Store) queryApprovals(ctx context.Context, db querier, op, q string, args ...any) ([]report.Approval, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.interpret(ctx, op, err)
	}
	defer rows.Close()
	var out []report.Approval
	for rows.Next() {
		a, err := scanApproval(rows)
		if err != nil {
			return nil, s.interpret(ctx, op, err)
		}
		out = append(out, a)
	}
	return out, s.interpret(ctx, op, rows.Err())
}

// ListApprovedPeriods implements report.Store.
func (s *Store) ListApprovedPeriods(ctx context.Context) (map[string][]report.Period, error) {
	var out map[string][]report.Period
	err := s.inTx(ctx, "list approved periods", func(tx *sql.Tx) error {
		var err error
		out, err = approvedPeriods(ctx, tx)
		return err
	})
	return out, err
}

// ListFrozenPeriods implements report.Store.
func (s *Store) ListFrozenPeriods(ctx context.Context, partnerships []string) (map[string][]report.Approval, error) {
	return s.listFrozenPeriods(ctx, s.db, partnerships)
}

func (s *Store) listFrozenPeriods(ctx context.Context, db querier, partnerships []string) (map[string][]report.Approval, error) {
	out := map[string][]report.Approval{}
	for start := 0; start < len(partnerships); start += 500 {
		c, a := inList("partnership", partnerships[start:min(start+500, len(partnerships))])
		list, err := s.queryApprovals(ctx, db, "list frozen periods", approvalSelect+" WHERE state IN ('submitted', 'approved') AND "+c+" ORDER BY partnership, period", a...)
		if err != nil {
			return nil, err
		}
		for _, ap := range list {
			out[ap.Partnership] = append(out[ap.Partnership], ap)
		}
	}
	return out, nil
}

// TransitionApproval implements report.Store.
func (s *Store) TransitionApproval(ctx context.Context, ev report.ApprovalEvent) (report.Approval, error) {
	if err := ev.Validate(); err != nil {
		return report.Approval{}, err
	}
	var next report.Approval
	err := s.inTx(ctx, "transition approval", func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM report_activities WHERE id = ?`, ev.Partnership).Scan(&one); err != nil {
			if err == sql.ErrNoRows {
				return storeerr.NotFound("partnership", ev.Partnership)
			}
			return err
		}
		cur, err := scanApproval(tx.QueryRowContext(ctx, approvalSelect+` WHERE partnership = ? AND period = ?`, ev.Partnership, ev.Period.String()))
		switch {
		case err == sql.ErrNoRows:
			cur = report.Approval{State: report.StateDraft}
		case err != nil:
			return err
		}
		if cur.Version != ev.Seq-1 || cur.State != ev.From {
			return fmt.Errorf("approval %s %s is %s at version %d, not %s at %d: %w",
				ev.Partnership, ev.Period, cur.State, cur.Version, ev.From, ev.Seq-1, citylinks.ErrConflict)
		}
		next = cur.Apply(ev)
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_approvals (partnership, period, period_start, state, version, updated_at, updated_by, comment, period_end)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partnership, period) DO UPDATE SET state = excluded.state, version = excluded.version,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by, comment = excluded.comment`,
			next.Partnership, next.Period.String(), next.Period.Start.String(), string(next.State), next.Version,
			next.UpdatedAt.UTC().Format(time.RFC3339Nano), next.UpdatedBy, next.Comment, next.Period.End.String()); err != nil {
			return err
		}
		doc, _ := json.Marshal(ev)
		_, err = tx.ExecContext(ctx, `INSERT INTO report_approval_events (partnership, period, seq, doc) VALUES (?, ?, ?, ?)`,
			ev.Partnership, ev.Period.String(), ev.Seq, string(doc))
		return err
	})
	return next, err
}

// ApprovalHistory implements report.Store.
func (s *Store) ApprovalHistory(ctx context.Context, partnership string, p report.Period) ([]report.ApprovalEvent, error) {
	return sqlrow.ListDocs[report.ApprovalEvent](ctx, s.conn(), "approval history",
		`SELECT doc FROM report_approval_events WHERE partnership = ? AND period = ? ORDER BY seq`, partnership, p.String())
}

// RecordContributions implements report.Store.
func (s *Store) RecordContributions(ctx context.Context, cs []report.Contribution) error {
	for i, c := range cs {
		if err := c.Validate(); err != nil {
			return fmt.Errorf("contribution %d: %w", i, err)
		}
	}
	return s.inTx(ctx, "record contributions", func(tx *sql.Tx) error {
		parts := distinct(cs, func(c report.Contribution) string { return c.Partnership })
		m, err := missing(ctx, tx, "report_activities", "id", parts)
		if err != nil {
			return err
		}
		if len(m) > 0 {
			return storeerr.NotFound("partnership", m[0])
		}
		old := map[string]report.Contribution{}
		ids := distinct(cs, func(c report.Contribution) string { return c.ID })
		for start := 0; start < len(ids); start += 500 {
			q, a := sqlrow.SQLite.ContributionOwners(ids[start:min(start+500, len(ids))])
			if err := txQuery(ctx, tx)(q, a, func(scan func(...any) error) error {
				var doc string
				var c report.Contribution
				if err := scan(&doc); err != nil {
					return err
				}
				if err := json.Unmarshal([]byte(doc), &c); err != nil {
					return err
				}
				old[c.ID] = c
				return nil
			}); err != nil {
				return err
			}
		}
		if err := reportstore.CheckContributions(cs, old); err != nil {
			return err
		}
		for _, c := range cs {
			doc, _ := json.Marshal(c)
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_contributions (id, partnership, doc) VALUES (?, ?, ?)
				ON CONFLICT (id) DO UPDATE SET partnership = excluded.partnership, doc = excluded.doc`, c.ID, c.Partnership, string(doc)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListContributions implements report.Store.
func (s *Store) ListContributions(ctx context.Context, partnership string) ([]report.Contribution, error) {
	if partnership == "" {
		return sqlrow.ListDocs[report.Contribution](ctx, s.conn(), "list contributions", `SELECT doc FROM report_contributions ORDER BY id`)
	}
	return sqlrow.ListDocs[report.Contribution](ctx, s.conn(), "list contributions", `SELECT doc FROM report_contributions WHERE partnership = ? ORDER BY id`, partnership)
}
