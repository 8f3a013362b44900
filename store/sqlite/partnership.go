package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/partnership"
)

var _ partnership.Store = (*Store)(nil)

// LoadPartnership implements partnership.Store.
func (s *Store) LoadPartnership(ctx context.Context, id string) ([]partnership.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	op := fmt.Sprintf("load partnership %q", id)
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM partnership_events WHERE partnership_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, s.interpret(ctx, op, err)
	}
	defer rows.Close()
	var out []partnership.Event
	var dec partnership.Decoder
	var data []byte
	for rows.Next() {
		if err := rows.Scan(&data); err != nil {
			return nil, s.interpret(ctx, op, err)
		}
		e, err := dec.Decode(data)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s version %d: %w", op, len(out)+1, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.interpret(ctx, op, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sqlite: %s: %w", op, citylinks.ErrNotFound)
	}
	return out, nil
}

// AppendPartnership implements partnership.Store. The events, the summary
// row and the organization rows are written in one transaction; the primary
// key (partnership_id, version) turns a lost race into ErrConflict.
func (s *Store) AppendPartnership(ctx context.Context, id string, expected int64, events []partnership.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := partnership.CheckAppend(id, expected, events); err != nil {
		return err
	}
	var eventArgs []any
	for _, e := range events {
		a, err := sqlrow.EventArgs(e)
		if err != nil {
			return err
		}
		eventArgs = append(eventArgs, a...)
	}
	op := fmt.Sprintf("append to partnership %q", id)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		var sum partnership.Summary
		if expected > 0 {
			var r sqlrow.SummaryRow
			err := tx.QueryRowContext(ctx, `SELECT `+sqlrow.SummaryColumnList+` FROM partnerships WHERE id = ?`, id).Scan(r.Dest()...)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("sqlite: %s: expected version %d, have 0: %w", op, expected, citylinks.ErrConflict)
			}
			if err != nil {
				return err
			}
			if sum, err = r.Summary(); err != nil {
				return err
			}
			if sum.Version != expected {
				return fmt.Errorf("sqlite: %s: expected version %d, have %d: %w", op, expected, sum.Version, citylinks.ErrConflict)
			}
		}
		for _, e := range events {
			if err := sum.Apply(e); err != nil {
				return err
			}
		}
		args := sqlrow.SummaryArgs(sum)
		if expected == 0 {
			q := fmt.Sprintf(`INSERT INTO partnerships (%s) VALUES (%s)`, sqlrow.SummaryColumnList, sqlrow.Placeholders(len(args), 1, false))
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
			for _, org := range sqlrow.SummaryOrgs(sum) {
				if _, err := tx.ExecContext(ctx, `INSERT INTO partnership_orgs (org_id, partnership_id) VALUES (?, ?)`, org, id); err != nil {
					return err
				}
			}
		} else {
			q := fmt.Sprintf(`UPDATE partnerships SET %s WHERE id = ? AND version = ?`, setList(sqlrow.SummaryColumns[1:]))
			res, err := tx.ExecContext(ctx, q, append(args[1:], id, expected)...)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return fmt.Errorf("sqlite: %s: another writer appended first: %w", op, citylinks.ErrConflict)
			}
		}
		row := "(" + sqlrow.Placeholders(len(sqlrow.EventColumns), 1, false) + ")"
		q := fmt.Sprintf(`INSERT INTO partnership_events (%s) VALUES %s`, strings.Join(sqlrow.EventColumns, ", "),
			strings.TrimSuffix(strings.Repeat(row+", ", len(events)), ", "))
		_, err := tx.ExecContext(ctx, q, eventArgs...)
		return err
	})
}

// setList returns "c1 = ?, c2 = ?, …".
func setList(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " = ?"
	}
	return strings.Join(parts, ", ")
}

// ListPartnerships implements partnership.Store.
func (s *Store) ListPartnerships(ctx context.Context, f partnership.Filter) (citylinks.Page[partnership.Summary], error) {
	var p citylinks.Page[partnership.Summary]
	if err := ctx.Err(); err != nil {
		return p, err
	}
	if err := f.Validate(); err != nil {
		return p, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	where, args := sqlrow.PartnershipWhere(f, false)
	cols := "p." + strings.Join(sqlrow.SummaryColumns, ", p.")
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM partnerships p WHERE %s ORDER BY p.id LIMIT ?`, cols, where), append(args, limit+1)...)
	if err != nil {
		return p, s.interpret(ctx, "list partnerships", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r sqlrow.SummaryRow
		if err := rows.Scan(r.Dest()...); err != nil {
			return p, s.interpret(ctx, "list partnerships", err)
		}
		if len(p.Items) == limit {
			p.Next = p.Items[len(p.Items)-1].ID
			break
		}
		sum, err := r.Summary()
		if err != nil {
			return citylinks.Page[partnership.Summary]{}, err
		}
		p.Items = append(p.Items, sum)
	}
	if err := rows.Err(); err != nil {
		return citylinks.Page[partnership.Summary]{}, s.interpret(ctx, "list partnerships", err)
	}
	return p, nil
}
