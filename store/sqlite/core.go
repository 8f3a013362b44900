package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
	"github.com/citylinks/citylinks/internal/storeerr"
)

// entity describes how one kind of record maps to its table.
type entity[T any] struct {
	kind, table string
	cols        []string
	args        func(T) []any
	scan        func(sc interface{ Scan(...any) error }) (T, error)
	id          func(T) string
	validate    func(T) error
}

var cityEntity = entity[citylinks.City]{
	kind: "city", table: "cities", cols: sqlrow.CityColumns, args: sqlrow.CityArgs,
	scan: func(sc interface{ Scan(...any) error }) (citylinks.City, error) {
		var r sqlrow.CityRow
		if err := sc.Scan(r.Dest()...); err != nil {
			return citylinks.City{}, err
		}
		return r.City()
	},
	id: func(c citylinks.City) string { return c.ID }, validate: citylinks.City.Validate,
}

var orgEntity = entity[citylinks.Organization]{
	kind: "organization", table: "organizations", cols: sqlrow.OrgColumns, args: sqlrow.OrgArgs,
	scan: func(sc interface{ Scan(...any) error }) (citylinks.Organization, error) {
		var r sqlrow.OrgRow
		if err := sc.Scan(r.Dest()...); err != nil {
			return citylinks.Organization{}, err
		}
		return r.Organization()
	},
	id: func(o citylinks.Organization) string { return o.ID }, validate: citylinks.Organization.Validate,
}

var programEntity = entity[citylinks.Program]{
	kind: "program", table: "programs", cols: sqlrow.ProgramColumns, args: sqlrow.ProgramArgs,
	scan: func(sc interface{ Scan(...any) error }) (citylinks.Program, error) {
		var r sqlrow.ProgramRow
		if err := sc.Scan(r.Dest()...); err != nil {
			return citylinks.Program{}, err
		}
		return r.Program()
	},
	id: func(p citylinks.Program) string { return p.ID }, validate: citylinks.Program.Validate,
}

func (e entity[T]) insertSQL(rows int, replace bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", e.table, strings.Join(e.cols, ", "))
	one := "(" + sqlrow.Placeholders(len(e.cols), 1, false) + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	if replace {
		fmt.Fprintf(&b, " ON CONFLICT (id) DO UPDATE SET %s", sqlrow.UpdateSet(e.cols))
	}
	return b.String()
}

func write[T any](ctx context.Context, s *Store, e entity[T], v T, replace bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := e.validate(v); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, e.insertSQL(1, replace), e.args(v)...)
	err = s.interpret(ctx, fmt.Sprintf("put %s %q", e.kind, e.id(v)), err)
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
	row := s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE id = ?", strings.Join(e.cols, ", "), e.table), id)
	v, err := e.scan(row)
	if errors.Is(err, sql.ErrNoRows) {
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
	res, err := s.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE id = ?", e.table), id)
	if err != nil {
		return s.interpret(ctx, fmt.Sprintf("delete %s %q", e.kind, id), err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.interpret(ctx, "delete", err)
	} else if n == 0 {
		return storeerr.NotFound(e.kind, id)
	}
	return nil
}

// list runs a keyset-paged query: conds are extra WHERE conditions with
// their args.
func list[T any](ctx context.Context, s *Store, e entity[T], after string, limit int, conds []string, args []any) (citylinks.Page[T], error) {
	var p citylinks.Page[T]
	if err := ctx.Err(); err != nil {
		return p, err
	}
	where := append([]string{"id > ?"}, conds...)
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY id LIMIT ?", strings.Join(e.cols, ", "), e.table, strings.Join(where, " AND "))
	rows, err := s.db.QueryContext(ctx, q, append(append([]any{after}, args...), limit+1)...)
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
	if err := rows.Err(); err != nil {
		return citylinks.Page[T]{}, s.interpret(ctx, "list "+e.table, err)
	}
	return p, nil
}

// inList returns "col IN (?, ?, …)" and its args.
func inList(col string, vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return fmt.Sprintf("%s IN (%s)", col, sqlrow.Placeholders(len(vals), 1, false)), args
}

// regionConds turns a Region into WHERE conditions. ok is false when the
// region matches nothing.
func regionConds(r citylinks.Region) (conds []string, args []any, ok bool, err error) {
	codes, restricted, err := r.CountrySet()
	if err != nil || !restricted {
		return nil, nil, true, err
	}
	if len(codes) == 0 {
		return nil, nil, false, nil
	}
	c, a := inList("country", codes)
	return []string{c}, a, true, nil
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
	conds, args, ok, err := regionConds(f.Region)
	if err != nil || !ok {
		return citylinks.Page[citylinks.City]{}, err
	}
	if f.MinPopulation != nil {
		conds, args = append(conds, "population >= ?"), append(args, *f.MinPopulation)
	}
	if f.MaxPopulation != nil {
		conds, args = append(conds, "population <= ?"), append(args, *f.MaxPopulation)
	}
	return list(ctx, s, cityEntity, f.After, limit, conds, args)
}

// importChunk is how many rows go in one multi-row INSERT.
const importChunk = 128

// ImportCities implements citylinks.Store: the whole import is one
// transaction, written with multi-row INSERT statements. Each chunk is
// first inserted plainly inside a savepoint; only a chunk with a taken id is
// undone and written again with ON CONFLICT DO NOTHING RETURNING id, which
// says which rows were stored.
func (s *Store) ImportCities(ctx context.Context, src iter.Seq2[citylinks.City, error], opts *citylinks.ImportOptions) (citylinks.ImportResult, error) {
	var res citylinks.ImportResult
	err := s.inTx(ctx, "import cities", func(tx *sql.Tx) error {
		stmts := map[string]*sql.Stmt{}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		prepare := func(rows int, mode string) (*sql.Stmt, error) {
			key := fmt.Sprint(rows, mode)
			if st, ok := stmts[key]; ok {
				return st, nil
			}
			q := cityEntity.insertSQL(rows, mode == "replace")
			if mode == "returning" {
				q += " ON CONFLICT (id) DO NOTHING RETURNING id"
			}
			st, err := tx.PrepareContext(ctx, q)
			stmts[key] = st
			return st, err
		}
		var args []any
		w := citylinks.CityBatchWriterFunc(func(ctx context.Context, cs []citylinks.City, replace bool) ([]bool, error) {
			stored := make([]bool, len(cs))
			for start := 0; start < len(cs); start += importChunk {
				chunk := cs[start:min(start+importChunk, len(cs))]
				args = args[:0]
				for _, c := range chunk {
					args = sqlrow.AppendCityArgs(args, c)
				}
				ok, err := s.insertChunk(ctx, tx, prepare, len(chunk), replace, args)
				if err != nil {
					return nil, err
				}
				if ok {
					for i := range chunk {
						stored[start+i] = true
					}
					continue
				}
				st, err := prepare(len(chunk), "returning")
				if err != nil {
					return nil, err
				}
				inserted, err := queryIDs(ctx, st, args)
				if err != nil {
					return nil, err
				}
				for i, c := range chunk {
					// A repeated id in one chunk is inserted once: the first
					// occurrence is the stored one.
					if inserted[c.ID] {
						stored[start+i] = true
						delete(inserted, c.ID)
					}
				}
			}
			return stored, nil
		})
		var err error
		res, err = citylinks.RunCityImport(ctx, src, opts, w)
		return err
	})
	if err != nil {
		return citylinks.ImportResult{}, err
	}
	return res, nil
}

// insertChunk inserts one chunk inside a savepoint. It reports false, with
// the savepoint undone, when an id in the chunk is already taken.
func (s *Store) insertChunk(ctx context.Context, tx *sql.Tx, prepare func(int, string) (*sql.Stmt, error), rows int, replace bool, args []any) (bool, error) {
	mode := "plain"
	if replace {
		mode = "replace"
	}
	st, err := prepare(rows, mode)
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, "SAVEPOINT import_chunk"); err != nil {
		return false, err
	}
	_, err = st.ExecContext(ctx, args...)
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO import_chunk"); rerr != nil {
			return false, rerr
		}
	}
	if _, rerr := tx.ExecContext(ctx, "RELEASE import_chunk"); rerr != nil {
		return false, rerr
	}
	if err != nil {
		if errors.Is(s.interpret(ctx, "import cities", err), citylinks.ErrConflict) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// queryIDs runs a statement that returns ids and collects them.
func queryIDs(ctx context.Context, st *sql.Stmt, args []any) (map[string]bool, error) {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = true
	}
	return ids, rows.Err()
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
	conds, args, ok, err := regionConds(f.Region)
	if err != nil || !ok {
		return citylinks.Page[citylinks.Organization]{}, err
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		c, a := inList("kind", kinds)
		conds, args = append(conds, c), append(args, a...)
	}
	return list(ctx, s, orgEntity, f.After, limit, conds, args)
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
