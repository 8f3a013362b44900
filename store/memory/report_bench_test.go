package memory_test

import (
	"fmt"
	"testing"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/storetest"
)

func BenchmarkRecordObservations(b *testing.B) {
	storetest.BenchmarkRecordObservations(b, func(b *testing.B) storetest.Store { return memory.New() })
}

// BenchmarkRollup rolls up storetest.BenchRows observations (set
// CITYLINKS_BENCH_ROWS=10000000 for the 10-million figure).
func BenchmarkRollup(b *testing.B) {
	n := storetest.BenchRows(b)
	s := memory.New()
	acts := storetest.SeedReportDefinitions(b, s)
	const chunk = 100_000
	batch := make([]report.Observation, 0, chunk)
	for i := range n {
		a := acts[i%len(acts)]
		ind := a.Objectives[0].Indicators[i/len(acts)%2]
		kind := report.KindTarget
		if i%2 == 1 {
			kind = report.KindActual
		}
		batch = append(batch, report.Observation{ID: fmt.Sprintf("o%09d", i), Partnership: a.ID, Indicator: ind, Kind: kind,
			Period: report.Quarter(2011+i/7%6, 1+i%4), Value: float64(i % 100)})
		if len(batch) == chunk || i == n-1 {
			if err := s.RecordObservations(b.Context(), report.WriteAll(batch...)); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	b.ResetTimer()
	storetest.BenchmarkRollup(b, s, n, nil)
}

func BenchmarkImportCSV(b *testing.B) {
	storetest.BenchmarkImportCSV(b, func(b *testing.B) storetest.Store { return memory.New() })
}
