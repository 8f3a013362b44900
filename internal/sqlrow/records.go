package sqlrow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/storeerr"
)

// Scanner is a row to scan: *sql.Row, *sql.Rows, pgx.Row and pgx.Rows
// all have it.
type Scanner interface {
	Scan(dest ...any) error
}

// Conn is what the record code both SQL backends share needs of one: a
// backend implements it over its connection pool, or over a transaction.
// Every error it returns has passed through the backend's own
// interpretation (a taken key is citylinks.ErrConflict, a canceled
// context wraps context.Canceled), with op naming what was being done.
type Conn interface {
	// Dialect says how the backend writes placeholders and expressions.
	Dialect() Dialect
	// Exec runs a statement that writes, in a transaction of its own if
	// the backend needs one, and returns the number of rows it affected.
	Exec(ctx context.Context, op, q string, args ...any) (int64, error)
	// QueryRow runs q and passes its one row to scan; found is false, and
	// scan is not called, when q selects no row.
	QueryRow(ctx context.Context, op, q string, args []any, scan func(Scanner) error) (found bool, err error)
	// Query runs q and passes each row to row, stopping at the first
	// error row returns.
	Query(ctx context.Context, op, q string, args []any, row func(Scanner) error) error
}

// Entity describes how one kind of record maps to its table, whose key
// column, first in Cols, is id.
type Entity[T any] struct {
	Kind, Table string
	Cols        []string
	Args        func(T) []any
	Scan        func(Scanner) (T, error)
	ID          func(T) string
	Validate    func(T) error
}

// InsertSQL is the INSERT of rows records, replacing those with a taken
// id when replace is set.
func (e Entity[T]) InsertSQL(d Dialect, rows int, replace bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", e.Table, strings.Join(e.Cols, ", "))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + Placeholders(len(e.Cols), 1+i*len(e.Cols), d.Dollar) + ")")
	}
	if replace {
		fmt.Fprintf(&b, " ON CONFLICT (id) DO UPDATE SET %s", UpdateSet(e.Cols))
	}
	return b.String()
}

// Write validates v and stores it: a new record, or with replace any
// record with its id replaced.
func Write[T any](ctx context.Context, c Conn, e Entity[T], v T, replace bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := e.Validate(v); err != nil {
		return err
	}
	_, err := c.Exec(ctx, fmt.Sprintf("put %s %q", e.Kind, e.ID(v)), e.InsertSQL(c.Dialect(), 1, replace), e.Args(v)...)
	if !replace && errors.Is(err, citylinks.ErrConflict) {
		return storeerr.Exists(e.Kind, e.ID(v), err)
	}
	return err
}

// Get returns the record with the id, or an error wrapping
// citylinks.ErrNotFound.
func Get[T any](ctx context.Context, c Conn, e Entity[T], id string) (T, error) {
	var v T
	if err := ctx.Err(); err != nil {
		return v, err
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE id = %s", strings.Join(e.Cols, ", "), e.Table, c.Dialect().Placeholder(1))
	found, err := c.QueryRow(ctx, fmt.Sprintf("get %s %q", e.Kind, id), q, []any{id}, func(sc Scanner) (err error) {
		v, err = e.Scan(sc)
		return err
	})
	if err == nil && !found {
		err = storeerr.NotFound(e.Kind, id)
	}
	return v, err
}

// Delete removes the record with the id, or returns an error wrapping
// citylinks.ErrNotFound.
func Delete[T any](ctx context.Context, c Conn, e Entity[T], id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n, err := c.Exec(ctx, fmt.Sprintf("delete %s %q", e.Kind, id), fmt.Sprintf("DELETE FROM %s WHERE id = %s", e.Table, c.Dialect().Placeholder(1)), id)
	if err == nil && n == 0 {
		err = storeerr.NotFound(e.Kind, id)
	}
	return err
}

// Where builds the conditions of a keyset-paged query: its first
// placeholder is the paging cursor, and each condition adds its own.
type Where struct {
	args
	conds []string
}

// NewWhere returns the conditions of a page after the cursor after.
func NewWhere(d Dialect, after string) *Where {
	w := &Where{args: args{d: d}}
	w.conds = []string{"id > " + w.add(after)}
	return w
}

// Add adds a condition: format holds one %s, which becomes the
// placeholder of arg.
func (w *Where) Add(format string, arg any) {
	w.conds = append(w.conds, fmt.Sprintf(format, w.add(arg)))
}

// In adds the condition that col is one of vals: on PostgreSQL one array
// argument, on SQLite one placeholder a value.
func (w *Where) In(col string, vals []string) {
	if w.d.Dollar {
		w.Add(col+" = ANY(%s)", vals)
		return
	}
	w.conds = append(w.conds, w.in(col, vals))
}

// Region adds the condition that the country column is in r. It returns
// false when r matches no country, and so no record.
func (w *Where) Region(r citylinks.Region) (bool, error) {
	codes, restricted, err := r.CountrySet()
	if err != nil || !restricted {
		return true, err
	}
	if len(codes) == 0 {
		return false, nil
	}
	w.In("country", codes)
	return true, nil
}

// page returns the query for one page of at most limit rows (it asks for
// one more, to know whether another page follows) and its args.
func (w *Where) page(cols, table string, limit int) (string, []any) {
	args := append(w.vals[:len(w.vals):len(w.vals)], limit+1)
	return fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY id LIMIT %s", cols, table, strings.Join(w.conds, " AND "), w.d.Placeholder(len(args))), args
}

// List returns one page of at most limit records that pass w, in id
// order.
func List[T any](ctx context.Context, c Conn, e Entity[T], w *Where, limit int) (citylinks.Page[T], error) {
	if err := ctx.Err(); err != nil {
		return citylinks.Page[T]{}, err
	}
	q, args := w.page(strings.Join(e.Cols, ", "), e.Table, limit)
	var items []T
	err := c.Query(ctx, "list "+e.Table, q, args, func(sc Scanner) error {
		v, err := e.Scan(sc)
		items = append(items, v)
		return err
	})
	if err != nil {
		return citylinks.Page[T]{}, err
	}
	return pageOf(items, limit, e.ID), nil
}

// pageOf cuts items, fetched one past limit, to a page.
func pageOf[T any](items []T, limit int, id func(T) string) citylinks.Page[T] {
	p := citylinks.Page[T]{Items: items}
	if len(items) > limit {
		p.Items = items[:limit]
		p.Next = id(p.Items[limit-1])
	}
	return p
}

// scanWith adapts a row type of this package (Dest, then a conversion) to
// Entity.Scan.
func scanWith[R any, T any](dest func(*R) []any, conv func(*R) (T, error)) func(Scanner) (T, error) {
	return func(sc Scanner) (T, error) {
		var r R
		if err := sc.Scan(dest(&r)...); err != nil {
			var zero T
			return zero, err
		}
		return conv(&r)
	}
}

// The core records.
var (
	Cities = Entity[citylinks.City]{
		Kind: "city", Table: "cities", Cols: CityColumns, Args: CityArgs,
		Scan: scanWith((*CityRow).Dest, (*CityRow).City),
		ID:   func(c citylinks.City) string { return c.ID }, Validate: citylinks.City.Validate,
	}
	Orgs = Entity[citylinks.Organization]{
		Kind: "organization", Table: "organizations", Cols: OrgColumns, Args: OrgArgs,
		Scan: scanWith((*OrgRow).Dest, (*OrgRow).Organization),
		ID:   func(o citylinks.Organization) string { return o.ID }, Validate: citylinks.Organization.Validate,
	}
	Programs = Entity[citylinks.Program]{
		Kind: "program", Table: "programs", Cols: ProgramColumns, Args: ProgramArgs,
		Scan: scanWith((*ProgramRow).Dest, (*ProgramRow).Program),
		ID:   func(p citylinks.Program) string { return p.ID }, Validate: citylinks.Program.Validate,
	}
)

// Core implements citylinks.Store over a Conn, all but ImportCities,
// which each backend writes its own fastest way. A backend embeds it.
type Core struct{ Conn Conn }

// CreateCity implements citylinks.Store.
func (s Core) CreateCity(ctx context.Context, c citylinks.City) error {
	return Write(ctx, s.Conn, Cities, c, false)
}

// PutCity implements citylinks.Store.
func (s Core) PutCity(ctx context.Context, c citylinks.City) error {
	return Write(ctx, s.Conn, Cities, c, true)
}

// GetCity implements citylinks.Store.
func (s Core) GetCity(ctx context.Context, id string) (citylinks.City, error) {
	return Get(ctx, s.Conn, Cities, id)
}

// DeleteCity implements citylinks.Store.
func (s Core) DeleteCity(ctx context.Context, id string) error {
	return Delete(ctx, s.Conn, Cities, id)
}

// ListCities implements citylinks.Store.
func (s Core) ListCities(ctx context.Context, f citylinks.CityFilter) (citylinks.Page[citylinks.City], error) {
	if err := f.Validate(); err != nil {
		return citylinks.Page[citylinks.City]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	w := NewWhere(s.Conn.Dialect(), f.After)
	if ok, err := w.Region(f.Region); err != nil || !ok {
		return citylinks.Page[citylinks.City]{}, err
	}
	if f.MinPopulation != nil {
		w.Add("population >= %s", *f.MinPopulation)
	}
	if f.MaxPopulation != nil {
		w.Add("population <= %s", *f.MaxPopulation)
	}
	return List(ctx, s.Conn, Cities, w, limit)
}

// CreateOrganization implements citylinks.Store.
func (s Core) CreateOrganization(ctx context.Context, o citylinks.Organization) error {
	return Write(ctx, s.Conn, Orgs, o, false)
}

// PutOrganization implements citylinks.Store.
func (s Core) PutOrganization(ctx context.Context, o citylinks.Organization) error {
	return Write(ctx, s.Conn, Orgs, o, true)
}

// GetOrganization implements citylinks.Store.
func (s Core) GetOrganization(ctx context.Context, id string) (citylinks.Organization, error) {
	return Get(ctx, s.Conn, Orgs, id)
}

// DeleteOrganization implements citylinks.Store.
func (s Core) DeleteOrganization(ctx context.Context, id string) error {
	return Delete(ctx, s.Conn, Orgs, id)
}

// ListOrganizations implements citylinks.Store.
func (s Core) ListOrganizations(ctx context.Context, f citylinks.OrganizationFilter) (citylinks.Page[citylinks.Organization], error) {
	if err := f.Validate(); err != nil {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	w := NewWhere(s.Conn.Dialect(), f.After)
	if ok, err := w.Region(f.Region); err != nil || !ok {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		w.In("kind", kinds)
	}
	return List(ctx, s.Conn, Orgs, w, limit)
}

// CreateProgram implements citylinks.Store.
func (s Core) CreateProgram(ctx context.Context, p citylinks.Program) error {
	return Write(ctx, s.Conn, Programs, p, false)
}

// PutProgram implements citylinks.Store.
func (s Core) PutProgram(ctx context.Context, p citylinks.Program) error {
	return Write(ctx, s.Conn, Programs, p, true)
}

// GetProgram implements citylinks.Store.
func (s Core) GetProgram(ctx context.Context, id string) (citylinks.Program, error) {
	return Get(ctx, s.Conn, Programs, id)
}

// DeleteProgram implements citylinks.Store.
func (s Core) DeleteProgram(ctx context.Context, id string) error {
	return Delete(ctx, s.Conn, Programs, id)
}

// ListPrograms implements citylinks.Store.
func (s Core) ListPrograms(ctx context.Context, f citylinks.ProgramFilter) (citylinks.Page[citylinks.Program], error) {
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return citylinks.Page[citylinks.Program]{}, err
	}
	return List(ctx, s.Conn, Programs, NewWhere(s.Conn.Dialect(), f.After), limit)
}

// Records is what both SQL backends store the same way, over one Conn:
// Core, Report and Partnerships. A backend embeds it in its Store.
type Records struct {
	Core
	Report
	Partnerships
}

// NewRecords returns the Records over c.
func NewRecords(c Conn) Records {
	return Records{Core{Conn: c}, Report{Conn: c}, Partnerships{Conn: c}}
}

// String shows the conditions and their args, for a reader of a test.
func (w *Where) String() string {
	return fmt.Sprintf("%s %v", strings.Join(w.conds, " AND "), w.vals)
}
