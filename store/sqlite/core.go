package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/sqlrow"
)

// inList returns "col IN (?, ?, …)" and its args.
func inList(col string, vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return fmt.Sprintf("%s IN (%s)", col, sqlrow.Placeholders(len(vals), 1, false)), args
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
			q := sqlrow.Cities.InsertSQL(sqlrow.SQLite, rows, mode == "replace")
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
