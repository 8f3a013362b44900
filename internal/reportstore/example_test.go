package reportstore_test

import (
	"fmt"

	"github.com/citylinks/citylinks/internal/reportstore"
	"github.com/citylinks/citylinks/report"
)

// A year approved covers its quarters; a quarter approved does not cover
// the year.
func ExampleIsApproved() {
	approved := []report.Period{report.Year(2015)}
	fmt.Println(reportstore.IsApproved(report.Quarter(2015, 2), approved))
	fmt.Println(reportstore.IsApproved(report.Year(2015), []report.Period{report.Quarter(2015, 2)}))
	// Output:
	// true
	// false
}

func ExampleAggregateCells() {
	acts := map[string]report.Activity{"CL11-DUR-FTL": {ID: "CL11-DUR-FTL", Program: "citylinks-2011"}}
	obs := []report.Observation{
		{Partnership: "CL11-DUR-FTL", Indicator: "CL-CLIM-02", Kind: report.KindTarget, Period: report.Year(2015), Value: 4},
		{Partnership: "CL11-DUR-FTL", Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2015, 1), Value: 1},
		{Partnership: "CL11-DUR-FTL", Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2015, 2), Value: 2},
	}
	q := report.RollupQuery{GroupBy: []report.Dim{report.DimProgram}}
	for _, c := range reportstore.AggregateCells(acts, obs, nil, q) {
		fmt.Println(c.Group, c.Indicator, c.Kind, c.Count, c.Sum)
	}
	// Output:
	// [citylinks-2011] CL-CLIM-02 actual 2 3
	// [citylinks-2011] CL-CLIM-02 target 1 4
}
