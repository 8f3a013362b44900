package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/sqlite"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkRecordObservations(b *testing.B) {
	storetest.BenchmarkRecordObservations(b, func(b *testing.B) storetest.Store { return openTestStore(b) })
}

// rollupStore is the benchmark's SQLite database, filled once per process.
var rollupStore struct {
	once sync.Once
	s    *sqlite.Store
	n    int
}

// seedSQL fills report_observations with n synthetic rows in one statement
// (a recursive CTE), spread over the benchmark's partnerships, two starter
// indicators each, target and actual, quarters of 2011–2016.
func seedSQL(acts []report.Activity, n int) string {
	return fmt.Sprintf(`WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < %d),
r AS (SELECT n, n %% %d AS p, 2011 + (n / 7) %% 6 AS y, 1 + n %% 4 AS q FROM seq)
INSERT INTO report_observations (id, partnership, indicator, kind, period, period_start, period_end, year, value, disagg, disagg_keys, reporter)
SELECT printf('o%%09d', r.n), a.id,
	CASE (r.n / %d) %% 2 WHEN 0 THEN json_extract(a.doc, '$.objectives[0].indicators[0]') ELSE json_extract(a.doc, '$.objectives[0].indicators[1]') END,
	CASE r.n %% 2 WHEN 0 THEN 'target' ELSE 'actual' END,
	printf('%%d-Q%%d', r.y, r.q), printf('%%d-%%02d-01', r.y, 3 * r.q - 2),
	printf('%%d-%%s', r.y, CASE r.q WHEN 1 THEN '03-31' WHEN 2 THEN '06-30' WHEN 3 THEN '09-30' ELSE '12-31' END),
	r.y, r.n %% 100, '{}', '', 'bench'
FROM r JOIN report_activities a ON a.id = printf('P%%06d', r.p)`, n-1, len(acts), len(acts))
}

// BenchmarkRollup rolls up storetest.BenchRows observations
// (CITYLINKS_BENCH_ROWS=10000000 for the 10-million figure), against the
// hand-written GROUP BY through the same database/sql driver.
func BenchmarkRollup(b *testing.B) {
	rollupStore.once.Do(func() {
		db, err := sqlite.Open(filepath.Join(b.TempDir(), "rollup.db"))
		if err != nil {
			b.Fatal(err)
		}
		s := sqlite.New(db)
		if err := s.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		acts := storetest.SeedReportDefinitions(b, s)
		n := storetest.BenchRows(b)
		if _, err := db.Exec(seedSQL(acts, n)); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec("ANALYZE"); err != nil {
			b.Fatal(err)
		}
		rollupStore.s, rollupStore.n = s, n
	})
	s := rollupStore.s
	storetest.BenchmarkRollup(b, s, rollupStore.n, func(ctx context.Context) (int, error) {
		rows, err := s.DB().QueryContext(ctx, storetest.HandwrittenRollupSQL)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var focus, country, ind, kind, end string
			var year, count int64
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
	storetest.BenchmarkImportCSV(b, func(b *testing.B) storetest.Store { return openTestStore(b) })
}
