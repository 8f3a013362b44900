package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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

// obsChunk is how many observations go in one multi-row INSERT (15
// parameters each, well under SQLite's limit of 32766).
const obsChunk = 256

// RecordObservations implements report.Store: one IMMEDIATE
// transaction, so the checks and the write are atomic with respect to
// approvals and other writers, with multi-row INSERT … ON CONFLICT DO
// UPDATE statements.
func (s *Store) RecordObservations(ctx context.Context, write report.ObservationWrite) error {
	return s.inTx(ctx, "record observations", func(tx *sql.Tx) error {
		w := sqlrow.NewWriter(sqlrow.SQLite, sqlrow.QueryOf(ctx, conn{s: s, db: tx}, "record observations"))
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
		return write(ctx, sqlrow.Report{Conn: conn{s: s, db: tx}}, put)
	})
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

// TransitionApproval implements report.Store.
func (s *Store) TransitionApproval(ctx context.Context, ev report.ApprovalEvent) (report.Approval, error) {
	var next report.Approval
	err := s.inTx(ctx, "transition approval", func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM report_activities WHERE id = ?`, ev.Partnership).Scan(&one); err != nil {
			if err == sql.ErrNoRows {
				return storeerr.NotFound("partnership", ev.Partnership)
			}
			return err
		}
		var err error
		next, err = sqlrow.Report{Conn: conn{s: s, db: tx}}.Transition(ctx, ev)
		return err
	})
	return next, err
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
		return sqlrow.Report{Conn: conn{s: s, db: tx}}.WriteContributions(ctx, cs)
	})
}
