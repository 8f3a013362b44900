package sqlrow

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/storeerr"
	"github.com/citylinks/citylinks/report"
)

// Both SQL backends store indicators, frameworks and activities as JSON
// documents, with the columns they are looked up by beside them.

// putDoc stores v's document with its key columns, replacing any row with
// the same key.
func putDoc(ctx context.Context, c Conn, op, table string, cols []string, key string, v any, vals ...any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	doc, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	cols = append(cols[:len(cols):len(cols)], "doc")
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s", table, strings.Join(cols, ", "),
		Placeholders(len(cols), 1, c.Dialect().Dollar), key, UpdateSet(cols))
	_, err = c.Exec(ctx, op, q, append(vals, string(doc))...)
	return err
}

// getDoc decodes into v the document of the row of table whose key is
// id, or returns an error wrapping citylinks.ErrNotFound.
func getDoc(ctx context.Context, c Conn, kind, table, key, id string, v any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op := fmt.Sprintf("get %s %q", kind, id)
	var doc string
	found, err := c.QueryRow(ctx, op, fmt.Sprintf("SELECT doc FROM %s WHERE %s = %s", table, key, c.Dialect().Placeholder(1)), []any{id},
		func(sc Scanner) error { return sc.Scan(&doc) })
	if err != nil {
		return err
	}
	if !found {
		return storeerr.NotFound(kind, id)
	}
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return fmt.Errorf("%s: the stored document does not decode: %w", op, err)
	}
	return nil
}

// ListDocs decodes the JSON document, the one column, of each row q selects.
func ListDocs[T any](ctx context.Context, c Conn, op, q string, args ...any) ([]T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []T
	err := c.Query(ctx, op, q, args, func(sc Scanner) error {
		var doc string
		if err := sc.Scan(&doc); err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return fmt.Errorf("a stored document does not decode: %w", err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// Report implements, over a Conn, the part of report.Store both SQL
// backends store alike: indicators, frameworks and activities (JSON
// documents), the listing and roll-up of observations, approvals and their
// history, and contributions. Transition and WriteContributions do the
// checked writes inside a transaction in which the backend has taken its
// locks.
type Report struct{ Conn Conn }

// PutIndicator implements report.Store.
func (s Report) PutIndicator(ctx context.Context, in report.Indicator) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return putDoc(ctx, s.Conn, fmt.Sprintf("put indicator %q", in.Code), "report_indicators", []string{"code", "aggregation"}, "code", in,
		in.Code, string(in.Aggregation))
}

// GetIndicator implements report.Store.
func (s Report) GetIndicator(ctx context.Context, code string) (report.Indicator, error) {
	var in report.Indicator
	err := getDoc(ctx, s.Conn, "indicator", "report_indicators", "code", code, &in)
	return in, err
}

// ListIndicators implements report.Store.
func (s Report) ListIndicators(ctx context.Context) ([]report.Indicator, error) {
	return ListDocs[report.Indicator](ctx, s.Conn, "list indicators", `SELECT doc FROM report_indicators ORDER BY code`)
}

// PutFramework implements report.Store.
func (s Report) PutFramework(ctx context.Context, f report.Framework) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return putDoc(ctx, s.Conn, fmt.Sprintf("put framework %q", f.ID), "report_frameworks", []string{"id"}, "id", f, f.ID)
}

// GetFramework implements report.Store.
func (s Report) GetFramework(ctx context.Context, id string) (report.Framework, error) {
	var f report.Framework
	err := getDoc(ctx, s.Conn, "framework", "report_frameworks", "id", id, &f)
	return f, err
}

// ListFrameworks implements report.Store.
func (s Report) ListFrameworks(ctx context.Context) ([]report.Framework, error) {
	return ListDocs[report.Framework](ctx, s.Conn, "list frameworks", `SELECT doc FROM report_frameworks ORDER BY id`)
}

// PutActivity implements report.Store.
func (s Report) PutActivity(ctx context.Context, a report.Activity) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return putDoc(ctx, s.Conn, fmt.Sprintf("put activity %q", a.ID), "report_activities", []string{"id", "program", "focus_area", "country"}, "id", a,
		a.ID, a.Program, a.FocusArea, a.Country)
}

// GetActivity implements report.Store.
func (s Report) GetActivity(ctx context.Context, id string) (report.Activity, error) {
	var a report.Activity
	err := getDoc(ctx, s.Conn, "activity", "report_activities", "id", id, &a)
	return a, err
}

// ListActivities implements report.Store.
func (s Report) ListActivities(ctx context.Context, f report.ActivityFilter) (citylinks.Page[report.Activity], error) {
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return citylinks.Page[report.Activity]{}, err
	}
	w := NewWhere(s.Conn.Dialect(), f.After)
	for _, x := range []struct{ col, v string }{{"program", f.Program}, {"focus_area", f.FocusArea}, {"country", f.Country}} {
		if x.v != "" {
			w.Add(x.col+" = %s", x.v)
		}
	}
	q, args := w.page("doc", "report_activities", limit)
	items, err := ListDocs[report.Activity](ctx, s.Conn, "list activities", q, args...)
	if err != nil {
		return citylinks.Page[report.Activity]{}, err
	}
	return pageOf(items, limit, func(a report.Activity) string { return a.ID }), nil
}

// ListObservations implements report.Store.
func (s Report) ListObservations(ctx context.Context, f report.ObservationFilter) (citylinks.Page[report.Observation], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[report.Observation]{}, err
	}
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return citylinks.Page[report.Observation]{}, err
	}
	if err := f.Validate(); err != nil {
		return citylinks.Page[report.Observation]{}, err
	}
	w := NewWhere(s.Conn.Dialect(), f.After)
	if f.Partnership != "" {
		w.Add("partnership = %s", f.Partnership)
	}
	if f.Indicator != "" {
		w.Add("indicator = %s", f.Indicator)
	}
	if len(f.IDs) > 0 {
		w.In("id", f.IDs)
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		w.In("kind", kinds)
	}
	q, args := w.page(ObservationColumnList, "report_observations", limit)
	var items []report.Observation
	err = s.Conn.Query(ctx, "list observations", q, args, func(sc Scanner) error {
		var r ObservationRow
		if err := sc.Scan(r.Dest()...); err != nil {
			return err
		}
		o, err := r.Observation()
		items = append(items, o)
		return err
	})
	if err != nil {
		return citylinks.Page[report.Observation]{}, err
	}
	return pageOf(items, limit, func(o report.Observation) string { return o.ID }), nil
}

// QueryOf runs the queries of a Writer or Dialect.Rollup on c; op names
// them in an error.
func QueryOf(ctx context.Context, c Conn, op string) Query {
	return func(q string, args []any, each func(scan func(...any) error) error) error {
		return c.Query(ctx, op, q, args, func(sc Scanner) error { return each(sc.Scan) })
	}
}

// RollupObservations implements report.Store with one GROUP BY query and,
// for Latest indicators, a second one for the values at each cell's
// latest period end.
func (s Report) RollupObservations(ctx context.Context, q report.RollupQuery) ([]report.Cell, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return s.Conn.Dialect().Rollup(q, QueryOf(ctx, s.Conn, "rollup"))
}
