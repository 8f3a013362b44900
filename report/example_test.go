package report_test

import (
	"context"
	"fmt"
	"time"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

func Example() {
	ctx := context.Background()
	svc := report.New(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	if err := reporttest.Load(ctx, svc); err != nil {
		fmt.Println(err)
		return
	}
	r, err := svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}, Indicators: []string{"CL-CLIM-02"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range r.Rows {
		fmt.Printf("%s %s: target %v, actual %v, progress %.0f%% (%s)\n", row.Group[0], row.Indicator, *row.Target, *row.Actual, *row.Progress*100, row.Status)
	}
	// Output:
	// CL11-DUR-FTL CL-CLIM-02: target 70, actual 61, progress 87% (on-track)
	// CL11-LEG-FTL CL-CLIM-02: target 25, actual 16, progress 64% (behind)
}

func ExampleService_Approve() {
	ctx := context.Background()
	svc := report.New(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	if err := reporttest.Load(ctx, svc); err != nil {
		fmt.Println(err)
		return
	}
	q := report.Quarter(2015, 2)
	svc.Submit(ctx, reporttest.Coordinator, reporttest.Legazpi, q)
	ap, _ := svc.Approve(ctx, reporttest.Monitor, reporttest.Legazpi, q)
	fmt.Println(ap.State, ap.Version)
	err := svc.Record(ctx, reporttest.Coordinator, report.Observation{Partnership: reporttest.Legazpi,
		Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Month(2015, 5), Value: 2})
	fmt.Println(report.IsLocked(err))
	// Output:
	// approved 2
	// true
}

func ExampleParsePeriod() {
	for _, s := range []string{"2015", "2015-Q3", "2015-09", "2014-07-01/2015-06-30"} {
		p, _ := report.ParsePeriod(s)
		fmt.Println(p.Kind, p.Start, p.End)
	}
	// Output:
	// year 2015-01-01 2015-12-31
	// quarter 2015-07-01 2015-09-30
	// month 2015-09-01 2015-09-30
	// range 2014-07-01 2015-06-30
}
