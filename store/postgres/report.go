package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/internal/storeerr"
	"github.com/citylinks/citylinks/report"
)

var _ report.Store = (*Store)(nil)

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

// lockActivities takes a share (or update) lock on the activities' rows and
// returns the first id that is not stored, if any. Approvals take the update
// lock, observation writes the share lock, so a write and an approval of the
// same partnership never interleave.
func lockActivities(ctx context.Context, tx pgx.Tx, ids []string, mode string) (string, error) {
	rows, err := tx.Query(ctx, "SELECT id FROM report_activities WHERE id = ANY($1) ORDER BY id FOR "+mode, ids)
	if err != nil {
		return "", err
	}
	found := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return "", err
		}
		found[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	for _, id := range ids {
		if !found[id] {
			return id, nil
		}
	}
	return "", nil
}

// RecordObservations implements report.Store: one transaction
// that locks each batch's partnerships (FOR UPDATE, in id order, so that
// writers and approval transitions of a partnership take turns), checks the
// batch, and writes it with COPY (inside a savepoint), falling back to
// INSERT … ON CONFLICT DO UPDATE when an id is already stored.
//
// A batch's partnerships are locked in a stable order, so two single-batch
// writes never deadlock; two multi-batch writes (imports) that touch the
// same partnerships in another order can, and PostgreSQL then aborts one of
// them, which stores nothing and returns the error.
func (s *Store) RecordObservations(ctx context.Context, write report.ObservationWrite) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, "record observations", func(tx pgx.Tx) error {
		w := sqlrow.NewWriter(sqlrow.Postgres, sqlrow.QueryOf(ctx, conn{s: s, q: tx}, "record observations"))
		locked := map[string]bool{}
		put := func(obs []report.Observation) error {
			for i, o := range obs {
				if err := o.Validate(); err != nil {
					return fmt.Errorf("observation %d: %w", i, err)
				}
			}
			var parts []string
			for _, p := range distinct(obs, func(o report.Observation) string { return o.Partnership }) {
				if !locked[p] {
					parts = append(parts, p)
				}
			}
			slices.Sort(parts)
			if id, err := lockActivities(ctx, tx, parts, "UPDATE"); err != nil {
				return err
			} else if id != "" {
				return fmt.Errorf("partnership %q: %w", id, citylinks.ErrNotFound)
			}
			for _, p := range parts {
				locked[p] = true
			}
			inds := distinct(obs, func(o report.Observation) string { return o.Indicator })
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM report_indicators WHERE code = ANY($1)`, inds).Scan(&n); err != nil {
				return err
			}
			if n != len(inds) {
				return fmt.Errorf("an indicator of the batch is not stored: %w", citylinks.ErrNotFound)
			}
			replacing, err := w.Check(obs)
			if err != nil {
				return err
			}
			if !replacing {
				err := copyObservations(ctx, tx, obs)
				if err == nil || !isCode(err, "23505") {
					return err
				}
			}
			return upsertObservations(ctx, tx, obs)
		}
		return write(ctx, sqlrow.Report{Conn: conn{s: s, q: tx}}, put)
	})
}

// querier is what a pool and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func copyObservations(ctx context.Context, tx pgx.Tx, obs []report.Observation) error {
	if _, err := tx.Exec(ctx, "SAVEPOINT record_obs"); err != nil {
		return err
	}
	args := make([]any, 0, len(sqlrow.ObservationColumns))
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"report_observations"}, sqlrow.ObservationColumns, pgx.CopyFromSlice(len(obs), func(i int) ([]any, error) {
		args = sqlrow.AppendObservationArgs(args[:0], obs[i])
		return args, nil
	}))
	if err != nil {
		if _, rerr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT record_obs"); rerr != nil {
			return rerr
		}
		return err
	}
	_, err = tx.Exec(ctx, "RELEASE SAVEPOINT record_obs")
	return err
}

// upsertObservations writes with INSERT … SELECT FROM unnest … ON CONFLICT,
// in chunks; a repeated id within the batch keeps its last version. A
// stored row is replaced only when it has the same partnership and owner:
// the check before the write holds the batch's partnerships locked, but an
// id another partnership created at the same moment is caught here.
func upsertObservations(ctx context.Context, tx pgx.Tx, obs []report.Observation) error {
	last := map[string]int{}
	for i, o := range obs {
		last[o.ID] = i
	}
	q := `INSERT INTO report_observations (` + sqlrow.ObservationColumnList + `)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
	$9::float8[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
ON CONFLICT (id) DO UPDATE SET ` + sqlrow.UpdateSet(sqlrow.ObservationColumns) + `
WHERE report_observations.partnership = excluded.partnership AND report_observations.owner = excluded.owner
RETURNING id`
	const chunk = 5000
	for start := 0; start < len(obs); start += chunk {
		cols := make([][]any, len(sqlrow.ObservationColumns))
		var row []any
		for i := start; i < min(start+chunk, len(obs)); i++ {
			if last[obs[i].ID] != i {
				continue
			}
			row = sqlrow.AppendObservationArgs(row[:0], obs[i])
			for j, v := range row {
				cols[j] = append(cols[j], v)
			}
		}
		if len(cols[0]) == 0 {
			continue
		}
		rows, err := tx.Query(ctx, q, observationArrays(cols)...)
		if err != nil {
			return err
		}
		written := map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			written[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, v := range cols[0] {
			if id := v.(string); !written[id] {
				return &report.ConflictError{ID: id, Reason: "another partnership or organization stored an observation with this id at the same time; choose another id"}
			}
		}
	}
	return nil
}

// TransitionApproval implements report.Store. It takes the update
// lock on the partnership's activity row, so it serialises with observation
// writes to the same partnership.
func (s *Store) TransitionApproval(ctx context.Context, ev report.ApprovalEvent) (report.Approval, error) {
	var next report.Approval
	err := s.inTx(ctx, "transition approval", func(tx pgx.Tx) error {
		if id, err := lockActivities(ctx, tx, []string{ev.Partnership}, "UPDATE"); err != nil {
			return err
		} else if id != "" {
			return storeerr.NotFound("partnership", id)
		}
		var err error
		next, err = sqlrow.Report{Conn: conn{s: s, q: tx}}.Transition(ctx, ev)
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
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, "record contributions", func(tx pgx.Tx) error {
		parts := distinct(cs, func(c report.Contribution) string { return c.Partnership })
		slices.Sort(parts)
		if id, err := lockActivities(ctx, tx, parts, "UPDATE"); err != nil {
			return err
		} else if id != "" {
			return storeerr.NotFound("partnership", id)
		}
		return sqlrow.Report{Conn: conn{s: s, q: tx}}.WriteContributions(ctx, cs)
	})
}

// observationArrays turns per-column values into the typed slices pgx
// encodes as the arrays upsertObservations unnests.
func observationArrays(cols [][]any) []any {
	out := make([]any, len(cols))
	for j, col := range cols {
		switch col[0].(type) {
		case int64:
			out[j] = convert[int64](col)
		case float64:
			out[j] = convert[float64](col)
		default:
			out[j] = convert[string](col)
		}
	}
	return out
}
