package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkRecordObservations(b *testing.B) {
	storetest.BenchmarkRecordObservations(b, func(b *testing.B) storetest.Store { return postgrestest.NewStore(b) })
}

// rollupStore is the benchmark's schema, filled once per process.
var rollupStore struct {
	once sync.Once
	s    *postgres.Store
	n    int
}

// seedSQL fills report_observations with n synthetic rows with one
// INSERT … SELECT FROM generate_series: the same shape as the SQLite
// benchmark's data.
func seedSQL(partnerships, n int) string {
	return fmt.Sprintf(`INSERT INTO report_observations (id, partnership, indicator, kind, period, period_start, period_end, year, value, disagg, disagg_keys, reporter)
SELECT format('o%%s', lpad(r.n::text, 9, '0')), a.id,
	CASE (r.n / %[1]d) %% 2 WHEN 0 THEN (a.doc::jsonb #>> '{objectives,0,indicators,0}') ELSE (a.doc::jsonb #>> '{objectives,0,indicators,1}') END,
	CASE r.n %% 2 WHEN 0 THEN 'target' ELSE 'actual' END,
	format('%%s-Q%%s', r.y, r.q), format('%%s-%%s-01', r.y, lpad((3 * r.q - 2)::text, 2, '0')),
	format('%%s-%%s', r.y, CASE r.q WHEN 1 THEN '03-31' WHEN 2 THEN '06-30' WHEN 3 THEN '09-30' ELSE '12-31' END),
	r.y, r.n %% 100, '{}', '', 'bench'
FROM (SELECT n, n %% %[1]d AS p, 2011 + (n / 7) %% 6 AS y, 1 + n %% 4 AS q FROM generate_series(0, %[2]d) AS n) r
JOIN report_activities a ON a.id = format('P%%s', lpad(r.p::text, 6, '0'))`, partnerships, n-1)
}

// BenchmarkRollup rolls up storetest.BenchRows observations
// (CITYLINKS_BENCH_ROWS=10000000 for the 10-million figure), against the
// hand-written GROUP BY through the same pgx pool.
func BenchmarkRollup(b *testing.B) {
	rollupStore.once.Do(func() {
		s := postgrestest.NewStore(b)
		storetest.SeedReportDefinitions(b, s)
		n := storetest.BenchRows(b)
		ctx := context.Background()
		if _, err := s.Pool().Exec(ctx, seedSQL(storetest.BenchPartnerships, n)); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Pool().Exec(ctx, "ANALYZE report_observations; ANALYZE report_activities"); err != nil {
			b.Fatal(err)
		}
		rollupStore.s, rollupStore.n = s, n
	})
	s := rollupStore.s
	storetest.BenchmarkRollup(b, s, rollupStore.n, func(ctx context.Context) (int, error) {
		rows, err := s.Pool().Query(ctx, storetest.HandwrittenRollupSQL)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var focus, country, ind, kind, end string
			var year int32
			var count int64
			var sum float64
			if err := rows.Scan(&focus, &country, &year, &ind, &kind, &count, &sum, &end); err != nil {
				return 0, err
			}
			n++
		}
		return n, rows.Err()
	})
}

func BenchmarkImportCSV(b *testing.B) {
	storetest.BenchmarkImportCSV(b, func(b *testing.B) storetest.Store { return postgrestest.NewStore(b) })
}
