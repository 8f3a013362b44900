package render_test

import (
	"io"
	"testing"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

// syntheticReport builds the report of partnerships partnerships with
// obsPer observations each, outside the timer.
func syntheticReport(b *testing.B, partnerships, obsPer int) *report.Report {
	b.Helper()
	acts, obs := reporttest.Synthetic(partnerships, obsPer)
	svc := report.NewService(memory.New(), nil)
	if err := reporttest.LoadSynthetic(b.Context(), svc, acts, obs); err != nil {
		b.Fatal(err)
	}
	r, err := svc.BuildReport(b.Context(), reporttest.Viewer, nil)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkIATI1000 renders the IATI file of 1,000 partnerships with 40
// observations each.
func BenchmarkIATI1000(b *testing.B) {
	r := syntheticReport(b, 1000, 40)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := fixtureIATI.Render(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(r.Activities)*b.N)/b.Elapsed().Seconds(), "activities/s")
}

// BenchmarkHTML1000 renders the HTML page of the same 1,000 partnerships:
// the map, a chart per series, the tables.
func BenchmarkHTML1000(b *testing.B) {
	r := syntheticReport(b, 1000, 40)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for range b.N {
		w := &countWriter{}
		if err := (render.HTML{}).Render(w, r); err != nil {
			b.Fatal(err)
		}
		n = w.n
	}
	b.ReportMetric(float64(n), "bytes/page")
}

type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
