package report_test

import (
	"testing"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

// BenchmarkBuildReport1000 measures collecting the report of 1,000
// partnerships with 40 observations each from the in-memory store (the
// renderers' benchmarks, in package render, draw that same report).
func BenchmarkBuildReport1000(b *testing.B) {
	acts, obs := reporttest.Synthetic(1000, 40)
	svc := report.NewService(memory.New(), nil)
	loadSynthetic(b, svc, acts, obs)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := svc.BuildReport(b.Context(), reporttest.Viewer, nil); err != nil {
			b.Fatal(err)
		}
	}
}
