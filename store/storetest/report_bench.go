package storetest

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// BenchRows returns the number of observations the roll-up benchmarks use:
// $CITYLINKS_BENCH_ROWS, or 100,000 by default (10,000,000 gives the
// figures the report package is measured by).
func BenchRows(tb testing.TB) int {
	if s := os.Getenv("CITYLINKS_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			tb.Fatalf("CITYLINKS_BENCH_ROWS=%q is not a positive number", s)
		}
		return n
	}
	return 100_000
}

// BenchPartnerships is how many partnerships the synthetic data spreads
// over.
const BenchPartnerships = 1000

// SeedReportDefinitions stores the starter catalogue and the synthetic
// activities of reporttest.Synthetic, without observations.
func SeedReportDefinitions(tb testing.TB, s Store) []report.Activity {
	tb.Helper()
	ctx := context.Background()
	for _, in := range report.StarterCatalogue() {
		if err := s.PutIndicator(ctx, in); err != nil {
			tb.Fatal(err)
		}
	}
	acts, _ := reporttest.Synthetic(BenchPartnerships, 0)
	for _, a := range acts {
		if err := s.PutActivity(ctx, a); err != nil {
			tb.Fatal(err)
		}
	}
	return acts
}

// BenchmarkRecordObservations stores 100,000 synthetic observations over
// 1,000 partnerships in one RecordObservations call per iteration (one
// transaction; COPY in PostgreSQL), into a fresh store, and reports rows/s.
func BenchmarkRecordObservations(b *testing.B, newStore BenchFactory) {
	_, obs := reporttest.Synthetic(BenchPartnerships, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		SeedReportDefinitions(b, s)
		b.StartTimer()
		if err := s.RecordObservations(b.Context(), report.WriteAll(obs...)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(obs)*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// RollupBenchQuery is the benchmarked roll-up: focus area × country × year.
var RollupBenchQuery = report.RollupQuery{GroupBy: []report.Dim{report.DimFocusArea, report.DimCountry, report.DimYear}}

// BenchmarkRollup measures RollupObservations of RollupBenchQuery over a
// store that already holds rows observations, and reports observations/s.
// When handwritten is not nil, a sub-benchmark runs it too — the
// equivalent GROUP BY written by hand against the same driver — so the two
// can be compared in one run.
func BenchmarkRollup(b *testing.B, s Store, rows int, handwritten func(ctx context.Context) (cells int, err error)) {
	b.Run("rollup", func(b *testing.B) {
		var cells int
		for range b.N {
			c, err := s.RollupObservations(b.Context(), RollupBenchQuery)
			if err != nil {
				b.Fatal(err)
			}
			cells = len(c)
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
		b.ReportMetric(float64(cells), "cells")
	})
	if handwritten == nil {
		return
	}
	b.Run("handwritten", func(b *testing.B) {
		var cells int
		for range b.N {
			c, err := handwritten(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			cells = c
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "obs/s")
		b.ReportMetric(float64(cells), "cells")
	})
}

// HandwrittenRollupSQL is the GROUP BY that RollupBenchQuery amounts to,
// written by hand: the same join, filter and aggregates.
const HandwrittenRollupSQL = `SELECT a.focus_area, a.country, o.year, o.indicator, o.kind, COUNT(*), SUM(o.value), MAX(o.period_end)
FROM report_observations o JOIN report_activities a ON a.id = o.partnership
WHERE o.disagg_keys = ''
GROUP BY a.focus_area, a.country, o.year, o.indicator, o.kind`
