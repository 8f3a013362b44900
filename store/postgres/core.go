package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/internal/storeerr"
)

// entity describes how one kind of record maps to its table.
type entity[T any] struct {
	kind, table string
	cols        []string
	args        func(T) []any
	scan        func(row pgx.Row) (T, error)
	id          func(T) string
	validate    func(T) error
}

var cityEntity = entity[citylinks.City]{
	kind: "city", table: "cities", cols: sqlrow.CityColumns, args: sqlrow.CityArgs,
	scan: func(row pgx.Row) (citylinks.City, error) {
		var r sqlrow.CityRow
		if err := row.Scan(r.Dest()...); err != nil {
			return citylinks.City{}, err
		}
		return r.City()
	},
	id: func(c citylinks.City) string { return c.ID }, validate: citylinks.City.Validate,
}

var orgEntity = entity[citylinks.Organization]{
	kind: "organization", table: "organizations", cols: sqlrow.OrgColumns, args: sqlrow.OrgArgs,
	scan: func(row pgx.Row) (citylinks.Organization, error) {
		var r sqlrow.OrgRow
		if err := row.Scan(r.Dest()...); err != nil {
			return citylinks.Organization{}, err
		}
		return r.Organization()
	},
	id: func(o citylinks.Organization) string { return o.ID }, validate: citylinks.Organization.Validate,
}

var programEntity = entity[citylinks.Program]{
	kind: "program", table: "programs", cols: sqlrow.ProgramColumns, args: sqlrow.ProgramArgs,
	scan: func(row pgx.Row) (citylinks.Program, error) {
		var r sqlrow.ProgramRow
		if err := row.Scan(r.Dest()...); err != nil {
			return citylinks.Program{}, err
		}
		return r.Program()
	},
	id: func(p citylinks.Program) string { return p.ID }, validate: citylinks.Program.Validate,
}

func (e entity[T]) insertSQL(replace bool) string {
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", e.table, strings.Join(e.cols, ", "), sqlrow.Placeholders(len(e.cols), 1, true))
	if replace {
		q += " ON CONFLICT (id) DO UPDATE SET " + sqlrow.UpdateSet(e.cols)
	}
	return q
}

func write[T any](ctx context.Context, s *Store, e entity[T], v T, replace bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := e.validate(v); err != nil {
		return err
	}
	err := s.inTx(ctx, fmt.Sprintf("put %s %q", e.kind, e.id(v)), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, e.insertSQL(replace), e.args(v)...)
		return err
	})
	if !replace && errors.Is(err, citylinks.ErrConflict) {
		return storeerr.Exists(e.kind, e.id(v), err)
	}
	return err
}

func get[T any](ctx context.Context, s *Store, e entity[T], id string) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	row := s.pool.QueryRow(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE id = $1", strings.Join(e.cols, ", "), e.table), id)
	v, err := e.scan(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, storeerr.NotFound(e.kind, id)
	}
	if err != nil {
		return zero, s.interpret(ctx, fmt.Sprintf("get %s %q", e.kind, id), err)
	}
	return v, nil
}

func del[T any](ctx context.Context, s *Store, e entity[T], id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op := fmt.Sprintf("delete %s %q", e.kind, id)
	return s.inTx(ctx, op, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE id = $1", e.table), id)
		if err == nil && tag.RowsAffected() == 0 {
			return storeerr.NotFound(e.kind, id)
		}
		return err
	})
}

// list runs a keyset-paged query; conds are extra WHERE conditions using
// placeholders from $2 on, with their args.
func list[T any](ctx context.Context, s *Store, e entity[T], after string, limit int, conds []string, args []any) (citylinks.Page[T], error) {
	var p citylinks.Page[T]
	if err := ctx.Err(); err != nil {
		return p, err
	}
	where := append([]string{"id > $1"}, conds...)
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY id LIMIT $%d", strings.Join(e.cols, ", "), e.table, strings.Join(where, " AND "), len(args)+2)
	rows, err := s.pool.Query(ctx, q, append(append([]any{after}, args...), limit+1)...)
	if err != nil {
		return p, s.interpret(ctx, "list "+e.table, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := e.scan(rows)
		if err != nil {
			return p, s.interpret(ctx, "list "+e.table, err)
		}
		if len(p.Items) == limit {
			p.Next = e.id(p.Items[len(p.Items)-1])
			break
		}
		p.Items = append(p.Items, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return citylinks.Page[T]{}, s.interpret(ctx, "list "+e.table, err)
	}
	return p, nil
}

// conds collects WHERE conditions with numbered placeholders starting at $2
// ($1 is the paging cursor).
type conds struct {
	where []string
	args  []any
}

func (c *conds) add(format string, arg any) {
	c.args = append(c.args, arg)
	c.where = append(c.where, fmt.Sprintf(format, fmt.Sprintf("$%d", len(c.args)+1)))
}

// region adds the region's country condition; it returns false when the
// region matches nothing.
func (c *conds) region(r citylinks.Region) (bool, error) {
	codes, restricted, err := r.CountrySet()
	if err != nil || !restricted {
		return true, err
	}
	if len(codes) == 0 {
		return false, nil
	}
	c.add("country = ANY(%s)", codes)
	return true, nil
}

// CreateCity implements citylinks.Store.
func (s *Store) CreateCity(ctx context.Context, c citylinks.City) error {
	return write(ctx, s, cityEntity, c, false)
}

// PutCity implements citylinks.Store.
func (s *Store) PutCity(ctx context.Context, c citylinks.City) error {
	return write(ctx, s, cityEntity, c, true)
}

// GetCity implements citylinks.Store.
func (s *Store) GetCity(ctx context.Context, id string) (citylinks.City, error) {
	return get(ctx, s, cityEntity, id)
}

// DeleteCity implements citylinks.Store.
func (s *Store) DeleteCity(ctx context.Context, id string) error {
	return del(ctx, s, cityEntity, id)
}

// ListCities implements citylinks.Store.
func (s *Store) ListCities(ctx context.Context, f citylinks.CityFilter) (citylinks.Page[citylinks.City], error) {
	if err := f.Validate(); err != nil {
		return citylinks.Page[citylinks.City]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	var c conds
	if ok, err := c.region(f.Region); err != nil || !ok {
		return citylinks.Page[citylinks.City]{}, err
	}
	if f.MinPopulation != nil {
		c.add("population >= %s", *f.MinPopulation)
	}
	if f.MaxPopulation != nil {
		c.add("population <= %s", *f.MaxPopulation)
	}
	return list(ctx, s, cityEntity, f.After, limit, c.where, c.args)
}

// cityUnnest inserts a batch of cities from one array per column.
var cityUnnest = `INSERT INTO cities (` + sqlrow.CityColumnList + `)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::int[],
	$8::float8[], $9::float8[], $10::int[], $11::bool[], $12::text[], $13::text[], $14::text[], $15::text[], $16::int[])`

// ImportCities implements citylinks.Store: the whole import is one
// transaction. Each batch goes in with COPY; a batch with a taken id is
// written again with INSERT … ON CONFLICT, which says which rows it stored.
func (s *Store) ImportCities(ctx context.Context, src iter.Seq2[citylinks.City, error], opts *citylinks.ImportOptions) (citylinks.ImportResult, error) {
	var res citylinks.ImportResult
	if err := ctx.Err(); err != nil {
		return res, err
	}
	// The source can be read only once, so an import is not retried.
	err := s.runTx(ctx, func(tx pgx.Tx) error {
		w := citylinks.CityBatchWriterFunc(func(ctx context.Context, cs []citylinks.City, replace bool) ([]bool, error) {
			if !replace {
				stored, err := copyCities(ctx, tx, cs)
				if err == nil || !isCode(err, "23505") {
					return stored, err
				}
				// Some id is taken: the savepoint undid the COPY; write the batch
				// again in a way that says which rows were stored.
			}
			return insertCities(ctx, tx, cs, replace)
		})
		var err error
		res, err = citylinks.RunCityImport(ctx, src, opts, w)
		return err
	})
	if err != nil {
		return citylinks.ImportResult{}, s.interpret(ctx, "import cities", err)
	}
	return res, nil
}

// copyCities writes a batch with COPY, the fastest path, inside a savepoint
// so that a duplicate id undoes only this batch.
func copyCities(ctx context.Context, tx pgx.Tx, cs []citylinks.City) ([]bool, error) {
	if _, err := tx.Exec(ctx, "SAVEPOINT import_batch"); err != nil {
		return nil, err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"cities"}, sqlrow.CityColumns, pgx.CopyFromSlice(len(cs), func(i int) ([]any, error) {
		return sqlrow.CityArgs(cs[i]), nil
	}))
	if err != nil {
		if _, rerr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT import_batch"); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT import_batch"); err != nil {
		return nil, err
	}
	stored := make([]bool, len(cs))
	for i := range stored {
		stored[i] = true
	}
	return stored, nil
}

// insertCities writes a batch with one INSERT … SELECT FROM unnest of column
// arrays and reports which rows were stored: with replace false, a row whose
// id is taken (or repeats an earlier row's) is not.
func insertCities(ctx context.Context, tx pgx.Tx, cs []citylinks.City, replace bool) ([]bool, error) {
	stored := make([]bool, len(cs))
	batch := cs
	if replace {
		// One statement may not update a row twice: keep the last copy of
		// each id; the earlier ones count as stored and replaced.
		last := make(map[string]int, len(cs))
		for i, c := range cs {
			last[c.ID] = i
		}
		batch = batch[:0:0]
		for i, c := range cs {
			if last[c.ID] == i {
				batch = append(batch, c)
			}
			stored[i] = true
		}
	}
	cols := make([][]any, len(sqlrow.CityColumns))
	for _, c := range batch {
		for j, v := range sqlrow.CityArgs(c) {
			cols[j] = append(cols[j], v)
		}
	}
	q := cityUnnest
	if replace {
		q += " ON CONFLICT (id) DO UPDATE SET " + sqlrow.UpdateSet(sqlrow.CityColumns)
	} else {
		q += " ON CONFLICT (id) DO NOTHING"
	}
	rows, err := tx.Query(ctx, q+" RETURNING id", columnArrays(cols)...)
	if err != nil {
		return nil, err
	}
	inserted := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		inserted[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !replace {
		for i, c := range cs {
			if inserted[c.ID] {
				stored[i] = true
				delete(inserted, c.ID) // a repeated id is stored once
			}
		}
	}
	return stored, nil
}

// columnArrays turns per-column []any into typed slices pgx encodes as
// arrays, following the Go types sqlrow.CityArgs uses.
func columnArrays(cols [][]any) []any {
	out := make([]any, len(cols))
	for j, col := range cols {
		out[j] = typed(col)
	}
	return out
}

func typed(col []any) any {
	if len(col) == 0 {
		return []string{}
	}
	switch col[0].(type) {
	case string:
		return convert[string](col)
	case int64:
		return convert[int64](col)
	case *float64:
		return convert[*float64](col)
	case *int64:
		return convert[*int64](col)
	case *bool:
		return convert[*bool](col)
	}
	panic(fmt.Sprintf("postgres: no array type for %T", col[0]))
}

func convert[T any](col []any) []T {
	out := make([]T, len(col))
	for i, v := range col {
		out[i] = v.(T)
	}
	return out
}

// CreateOrganization implements citylinks.Store.
func (s *Store) CreateOrganization(ctx context.Context, o citylinks.Organization) error {
	return write(ctx, s, orgEntity, o, false)
}

// PutOrganization implements citylinks.Store.
func (s *Store) PutOrganization(ctx context.Context, o citylinks.Organization) error {
	return write(ctx, s, orgEntity, o, true)
}

// GetOrganization implements citylinks.Store.
func (s *Store) GetOrganization(ctx context.Context, id string) (citylinks.Organization, error) {
	return get(ctx, s, orgEntity, id)
}

// DeleteOrganization implements citylinks.Store.
func (s *Store) DeleteOrganization(ctx context.Context, id string) error {
	return del(ctx, s, orgEntity, id)
}

// ListOrganizations implements citylinks.Store.
func (s *Store) ListOrganizations(ctx context.Context, f citylinks.OrganizationFilter) (citylinks.Page[citylinks.Organization], error) {
	if err := f.Validate(); err != nil {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	var c conds
	if ok, err := c.region(f.Region); err != nil || !ok {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		c.add("kind = ANY(%s)", kinds)
	}
	return list(ctx, s, orgEntity, f.After, limit, c.where, c.args)
}

// CreateProgram implements citylinks.Store.
func (s *Store) CreateProgram(ctx context.Context, p citylinks.Program) error {
	return write(ctx, s, programEntity, p, false)
}

// PutProgram implements citylinks.Store.
func (s *Store) PutProgram(ctx context.Context, p citylinks.Program) error {
	return write(ctx, s, programEntity, p, true)
}

// GetProgram implements citylinks.Store.
func (s *Store) GetProgram(ctx context.Context, id string) (citylinks.Program, error) {
	return get(ctx, s, programEntity, id)
}

// DeleteProgram implements citylinks.Store.
func (s *Store) DeleteProgram(ctx context.Context, id string) error {
	return del(ctx, s, programEntity, id)
}

// ListPrograms implements citylinks.Store.
func (s *Store) ListPrograms(ctx context.Context, f citylinks.ProgramFilter) (citylinks.Page[citylinks.Program], error) {
	limit, err := citylinks.PageSize(f.Limit)
	if err != nil {
		return citylinks.Page[citylinks.Program]{}, err
	}
	return list(ctx, s, programEntity, f.After, limit, nil, nil)
}
