package postgres

import (
	"context"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
)

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
