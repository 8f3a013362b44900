package storetest

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/citylinks/citylinks"
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

// ImportRows returns how many rows BenchmarkImportCSV imports:
// $CITYLINKS_IMPORT_ROWS, or 100,000 by default.
func ImportRows(tb testing.TB) int {
	if s := os.Getenv("CITYLINKS_IMPORT_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			tb.Fatalf("CITYLINKS_IMPORT_ROWS=%q is not a positive number", s)
		}
		return n
	}
	return 100_000
}

// importFile is an observations CSV of n rows over the synthetic
// partnerships, written as it is read, so the benchmark's own input takes
// no memory.
type importFile struct {
	acts []report.Activity
	n, i int
	buf  []byte
}

func (f *importFile) Read(p []byte) (int, error) {
	for len(f.buf) < len(p) && f.i <= f.n {
		if f.i == 0 {
			f.buf = append(f.buf, "id,partnership,indicator,kind,period,value\n"...)
		} else {
			a := f.acts[f.i%len(f.acts)]
			q := 1 + f.i%4
			f.buf = fmt.Appendf(f.buf, "row-%08d,%s,%s,actual,2015-Q%d,%d\n", f.i, a.ID, a.Objectives[0].Indicators[0], q, f.i%90)
		}
		f.i++
	}
	if len(f.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.buf)
	f.buf = f.buf[n:]
	return n, nil
}

// BenchmarkImportCSV imports ImportRows rows through report.Service.ImportCSV
// into a fresh store, then imports them again (which must store nothing),
// and reports rows/s of the first import and the peak heap in use during
// both, sampled every 10 ms: the figure that stays flat as the file grows
// when the import streams.
func BenchmarkImportCSV(b *testing.B, newStore BenchFactory) {
	rows := ImportRows(b)
	var peak atomic.Uint64
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		acts := SeedReportDefinitions(b, s)
		svc := report.NewService(s, &report.Options{Now: func() time.Time { return time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC) }})
		actor := citylinks.Actor{ID: "bench", Organization: "bench", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
		runtime.GC()
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			var m runtime.MemStats
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		})
		b.StartTimer()
		sum, err := svc.ImportCSV(b.Context(), actor, &importFile{acts: acts, n: rows})
		b.StopTimer()
		if err != nil || sum.Added != rows {
			b.Fatalf("import: %+v, %v", sum, err)
		}
		again, err := svc.ImportCSV(b.Context(), actor, &importFile{acts: acts, n: rows})
		close(done)
		wg.Wait()
		if err != nil || again.Unchanged != rows {
			b.Fatalf("second import: %+v, %v", again, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}
