package report_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

func Example() {
	ctx := context.Background()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
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
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
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
	fmt.Println(errors.Is(err, report.ErrLocked))
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

func ExampleReport_ActualState() {
	r := &report.Report{Approvals: []report.Approval{
		{Partnership: "CL11-DUR-FTL", Period: report.Year(2014), State: report.StateApproved},
		{Partnership: "CL11-DUR-FTL", Period: report.Quarter(2015, 1), State: report.StateReturned},
	}}
	for _, p := range []report.Period{report.Quarter(2014, 3), report.Quarter(2015, 1), report.Quarter(2015, 2)} {
		fmt.Println(p, r.ActualState("CL11-DUR-FTL", p))
	}
	// Output:
	// 2014-Q3 approved
	// 2015-Q1 returned
	// 2015-Q2 draft
}

// Durban's staff-training indicator has annual targets and quarterly
// reports: per period, each year's quarters are set against that year's
// target; cumulatively, the running total against the running targets.
func ExampleReport_Track() {
	ctx := context.Background()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	if err := reporttest.Load(ctx, svc); err != nil {
		fmt.Println(err)
		return
	}
	r, err := svc.BuildReport(ctx, reporttest.Viewer, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range report.Views() {
		tr, _ := r.Track(reporttest.Durban, "CL-CLIM-02", v)
		for _, p := range tr.Points {
			fmt.Printf("%s %s: %v of %v from %d reports (%s)\n", v, p.Period, *p.Actual, *p.Target, p.Actuals, p.Status)
		}
	}
	// Output:
	// per-period 2014: 36 of 40 from 4 reports (on-track)
	// per-period 2015: 25 of 30 from 2 reports (behind)
	// cumulative 2014: 36 of 40 from 4 reports (on-track)
	// cumulative 2015: 61 of 70 from 6 reports (on-track)
}

// The starter framework on the USAID template: each indicator sits at a
// level, and a level's tier is its depth.
func ExampleStarterFramework() {
	f := report.StarterFramework()
	for _, ir := range f.Children("so") {
		tier, _ := f.Tier(ir.ID)
		fmt.Printf("%s %s: %s %v\n", tier, ir.ID, ir.Title, f.IndicatorsAt(ir.ID))
	}
	// Output:
	// Intermediate Result ir1: Climate-related governance and systems improved in targeted urban areas [CL-CLIM-01 CL-CLIM-03]
	// Intermediate Result ir2: Resilience of vulnerable communities increased in cities of Feed the Future focus countries [CL-FOOD-02]
	// Intermediate Result ir3: Water supply and sanitation access improved in Global Health Initiative countries [CL-WASH-01 CL-WASH-02 CL-WASH-04]
	// Intermediate Result ir4: Municipal management and basic services strengthened [CL-BASIC-01 CL-BASIC-02 CL-MGMT-03]
}
