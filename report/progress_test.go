package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// num returns a pointer to v.
func num(v float64) *float64 { return &v }

func targetAt(p report.Period, v float64) report.PeriodPoint {
	return report.PeriodPoint{Period: p, Target: &report.Point{Period: p, Value: num(v)}}
}

func actualAt(p report.Period, v float64, st report.ApprovalState) report.PeriodPoint {
	return report.PeriodPoint{Period: p, Actual: &report.Point{Period: p, Value: num(v), State: st}}
}

// point is what a test expects of one TrackPoint; nil figures are absent.
type point struct {
	period           string
	actual, target   *float64
	actuals, pending int
	status           report.ProgressStatus
}

func pointsOf(t *testing.T, tr report.Track) []point {
	t.Helper()
	var out []point
	for _, p := range tr.Points {
		out = append(out, point{p.Period.String(), p.Actual, p.Target, p.Actuals, p.Pending, p.Status})
	}
	return out
}

func TestNewTrack(t *testing.T) {
	d := func(y int, m time.Month, day int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: day} }
	lop, err := report.Range(d(2015, 3, 1), d(2016, 12, 31))
	require.NoError(t, err)
	ok := report.StateApproved
	q := report.Quarter
	trained := report.Indicator{Code: "T", Name: "Staff trained", Measure: report.MeasureUnit, Direction: report.Increase,
		Aggregation: report.Sum, FocusArea: "climate", TargetFrequency: report.TargetAnnual}
	withFreq := func(in report.Indicator, f report.TargetFrequency) report.Indicator {
		in.TargetFrequency = f
		return in
	}
	share := report.Indicator{Code: "S", Name: "Households with sanitation", Measure: report.MeasurePercentage, Direction: report.Increase,
		Aggregation: report.Mean, FocusArea: "water", TargetFrequency: report.TargetMilestones}
	annual := []report.PeriodPoint{
		actualAt(q(2015, 2), 7, ok), actualAt(q(2015, 3), 8, ok), actualAt(q(2015, 4), 9, report.StateSubmitted),
		targetAt(report.Year(2015), 42), actualAt(q(2016, 1), 10, report.StateReturned),
	}
	cases := []struct {
		name string
		in   report.Indicator
		s    report.Series
		view report.View
		want []point
	}{
		{"annual target, quarterly actuals: the year's quarters against the year's target, per period",
			trained, report.Series{Periods: annual}, "", []point{
				{"2015", num(24), num(42), 3, 1, report.ProgressBehind},
				{"2016", num(10), nil, 1, 1, report.ProgressNoTarget},
			}},
		{"annual target, cumulative view: no target once an actual has none",
			trained, report.Series{Periods: annual}, report.ViewCumulative, []point{
				{"2015", num(24), num(42), 3, 1, report.ProgressBehind},
				{"2016", num(34), nil, 4, 2, report.ProgressNoTarget},
			}},
		{"annual targets run up in the cumulative view",
			trained, report.Series{Periods: []report.PeriodPoint{
				targetAt(report.Year(2015), 20), actualAt(q(2015, 4), 18, ok), targetAt(report.Year(2016), 30), actualAt(q(2016, 1), 12, ok),
			}}, report.ViewCumulative, []point{
				{"2015", num(18), num(20), 1, 0, report.ProgressOnTrack},
				{"2016", num(30), num(50), 2, 0, report.ProgressBehind},
			}},
		{"life-of-project target: cumulative actuals against it, nothing after the last report",
			withFreq(trained, report.TargetLifeOfProject), report.Series{Periods: []report.PeriodPoint{
				targetAt(lop, 100), actualAt(q(2015, 2), 20, ok), actualAt(q(2015, 3), 30, ok),
			}}, "", []point{
				{"2015-Q2", num(20), num(100), 1, 0, report.ProgressBehind},
				{"2015-Q3", num(50), num(100), 2, 0, report.ProgressBehind},
				{lop.String(), nil, num(100), 0, 0, report.ProgressNoActual},
			}},
		{"life-of-project target per period: no target applies to one quarter",
			withFreq(trained, report.TargetLifeOfProject), report.Series{Periods: []report.PeriodPoint{
				targetAt(lop, 100), actualAt(q(2015, 2), 20, ok), actualAt(q(2015, 3), 30, ok),
			}}, report.ViewPerPeriod, []point{
				{"2015-Q2", num(20), nil, 1, 0, report.ProgressNoTarget},
				{"2015-Q3", num(30), nil, 1, 0, report.ProgressNoTarget},
			}},
		{"milestones: the latest value against the next milestone, from the baseline",
			share, report.Series{
				Baselines: []report.Point{{Period: report.Year(2014), Value: num(30)}},
				Periods: []report.PeriodPoint{
					actualAt(report.Year(2015), 38, ok), targetAt(report.Year(2015), 40), actualAt(q(2016, 2), 54, ok), targetAt(report.Year(2016), 55),
				}}, "", []point{
				{"2015", num(38), num(40), 1, 0, report.ProgressBehind},
				{"2016-Q2", num(54), num(55), 2, 0, report.ProgressOnTrack},
				{"2016", nil, num(55), 0, 0, report.ProgressNoActual},
			}},
		{"unspecified frequency: an actual counts toward the shortest target period that holds it",
			withFreq(trained, ""), report.Series{Periods: []report.PeriodPoint{
				targetAt(report.Year(2015), 100), targetAt(q(2015, 1), 20),
				actualAt(report.Month(2015, time.January), 5, ok), actualAt(report.Month(2015, time.April), 7, ok),
				actualAt(report.Month(2016, time.May), 1, ok),
			}}, "", []point{
				{"2015-Q1", num(5), num(20), 1, 0, report.ProgressBehind},
				{"2015", num(7), num(100), 1, 0, report.ProgressBehind},
				{"2016-05", num(1), nil, 1, 0, report.ProgressNoTarget},
			}},
		{"a target with no actual yet",
			trained, report.Series{Periods: []report.PeriodPoint{targetAt(report.Year(2016), 10)}}, "", []point{
				{"2016", nil, num(10), 0, 0, report.ProgressNoActual},
			}},
		{"qualitative: no figures",
			report.Indicator{Code: "Q", Measure: report.MeasureQualitative, Aggregation: report.Latest, Direction: report.Increase},
			report.Series{Periods: []report.PeriodPoint{{Period: report.Year(2015), Actual: &report.Point{Comment: "adopted"}}}}, "", nil},
	}
	for _, tc := range cases {
		tr := report.NewTrack(tc.in, tc.s, tc.view, report.DefaultBand)
		assert.Equal(t, tc.want, pointsOf(t, tr), tc.name)
		want := tc.view
		if want == "" {
			want = tc.in.TargetFrequency.View()
		}
		assert.Equal(t, want, tr.View, tc.name)
	}
}

// TestTrackLaws: for a sum indicator with non-negative actuals, whatever
// the targets, the cumulative view never goes down and ends at the total,
// and the per-period view counts every actual exactly once.
func TestTrackLaws(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		freq := rapid.SampledFrom(append(report.TargetFrequencies(), "")).Draw(t, "frequency")
		in := report.Indicator{Code: "T", Name: "n", Measure: report.MeasureUnit, Direction: report.Increase, Aggregation: report.Sum,
			FocusArea: "climate", TargetFrequency: freq}
		var s report.Series
		total, n := 0.0, 0
		for i := range rapid.IntRange(0, 16).Draw(t, "periods") {
			p := report.Quarter(2014+i/4, 1+i%4)
			if rapid.Bool().Draw(t, "actual") {
				v := float64(rapid.IntRange(0, 1000).Draw(t, "value"))
				st := rapid.SampledFrom([]report.ApprovalState{report.StateApproved, report.StateDraft}).Draw(t, "state")
				s.Periods = append(s.Periods, actualAt(p, v, st))
				total += v
				n++
			}
			if i%4 == 3 && rapid.Bool().Draw(t, "target") {
				s.Periods = append(s.Periods, targetAt(report.Year(2014+i/4), float64(rapid.IntRange(1, 4000).Draw(t, "target value"))))
			}
		}
		cum := report.NewTrack(in, s, report.ViewCumulative, report.DefaultBand)
		last, seen := -1.0, 0
		for _, p := range cum.Points {
			if p.Actual == nil {
				continue
			}
			if *p.Actual < last {
				t.Fatalf("cumulative view goes down at %s: %v after %v", p.Period, *p.Actual, last)
			}
			last, seen = *p.Actual, p.Actuals
		}
		if n > 0 && (last != total || seen != n) {
			t.Fatalf("cumulative view ends at %v over %d actuals; the total is %v over %d", last, seen, total, n)
		}
		per := report.NewTrack(in, s, report.ViewPerPeriod, report.DefaultBand)
		sum, count := 0.0, 0
		for _, p := range per.Points {
			if p.Actual != nil {
				sum += *p.Actual
			}
			count += p.Actuals
		}
		if sum != total || count != n {
			t.Fatalf("per-period view counts %v over %d actuals; the total is %v over %d", sum, count, total, n)
		}
	})
}

// TestRollupCumulativeTargets: a roll-up never adds a midline to an
// endline target, nor sets the average of a project's years against its
// endline; a partnership's latest target and value count, combined over
// the group's partnerships.
func TestRollupCumulativeTargets(t *testing.T) {
	svc := newService(t)
	ctx := t.Context()
	fac := reporttest.Facilitator
	// CL-WASH-04 (households with sanitation, %, mean) and CL-MGMT-02
	// (plans adopted, summed) with baseline/midline/endline targets.
	plans := report.StarterCatalogue()[0]
	for _, in := range report.StarterCatalogue() {
		if in.Code == "CL-MGMT-02" {
			plans = in
		}
	}
	plans.TargetFrequency = report.TargetMilestones
	require.NoError(t, svc.DefineIndicator(ctx, fac, plans))
	for _, a := range reporttest.Activities()[:2] {
		a.Objectives = append(a.Objectives, report.Objective{Code: "obj-w", Text: "Sanitation", Indicators: []string{"CL-WASH-04", "CL-MGMT-02"}})
		require.NoError(t, svc.RegisterActivity(ctx, fac, a))
	}
	o := func(id, part, ind string, k report.Kind, p report.Period, v float64) report.Observation {
		return report.Observation{ID: id, Partnership: part, Indicator: ind, Kind: k, Period: p, Value: v, Source: "test"}
	}
	require.NoError(t, svc.Record(ctx, fac,
		o("d-w-mid", reporttest.Durban, "CL-WASH-04", report.KindTarget, report.Year(2014), 40),
		o("d-w-end", reporttest.Durban, "CL-WASH-04", report.KindTarget, report.Year(2015), 60),
		o("d-w-14", reporttest.Durban, "CL-WASH-04", report.KindActual, report.Year(2014), 35),
		o("d-w-15", reporttest.Durban, "CL-WASH-04", report.KindActual, report.Quarter(2015, 2), 57),
		o("l-w-end", reporttest.Legazpi, "CL-WASH-04", report.KindTarget, report.Quarter(2015, 3), 50),
		o("l-w-15", reporttest.Legazpi, "CL-WASH-04", report.KindActual, report.Quarter(2015, 1), 45),
		o("d-p-mid", reporttest.Durban, "CL-MGMT-02", report.KindTarget, report.Year(2014), 2),
		o("d-p-end", reporttest.Durban, "CL-MGMT-02", report.KindTarget, report.Year(2015), 5),
		o("d-p-14", reporttest.Durban, "CL-MGMT-02", report.KindActual, report.Year(2014), 2),
		o("d-p-15", reporttest.Durban, "CL-MGMT-02", report.KindActual, report.Quarter(2015, 1), 2),
		o("l-p-end", reporttest.Legazpi, "CL-MGMT-02", report.KindTarget, report.Year(2015), 3),
		o("l-p-15", reporttest.Legazpi, "CL-MGMT-02", report.KindActual, report.Quarter(2015, 1), 1),
	))
	cases := []struct {
		group          []report.Dim
		ind            string
		at             []string
		target, actual float64
	}{
		{[]report.Dim{report.DimPartnership}, "CL-WASH-04", []string{reporttest.Durban}, 60, 57},
		{[]report.Dim{report.DimPartnership}, "CL-MGMT-02", []string{reporttest.Durban}, 5, 4},
		{[]report.Dim{report.DimProgram}, "CL-WASH-04", []string{citylinks.ProgramCityLinks2011}, (60 + 50) / 2.0, (57 + 45) / 2.0},
		{[]report.Dim{report.DimProgram}, "CL-MGMT-02", []string{citylinks.ProgramCityLinks2011}, 5 + 3, 2 + 2 + 1},
	}
	for _, tc := range cases {
		r, err := svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: tc.group, Indicators: []string{tc.ind}})
		require.NoError(t, err)
		row := rowOf(t, r, tc.ind, tc.at...)
		assert.Equal(t, tc.target, val(row.Target), "%s by %v: target", tc.ind, tc.group)
		assert.Equal(t, tc.actual, val(row.Actual), "%s by %v: actual", tc.ind, tc.group)
	}
}

// TestRollupCumulativeByYear: by year, a summed indicator with a
// life-of-project target counts its actuals from the start against that
// one target on every row; one with milestones counts them up to each
// milestone against it.
func TestRollupCumulativeByYear(t *testing.T) {
	svc := newService(t)
	ctx := t.Context()
	fac := reporttest.Facilitator
	var lop, plans report.Indicator
	for _, in := range report.StarterCatalogue() {
		switch in.Code {
		case "CL-MGMT-01":
			lop = in
		case "CL-MGMT-02":
			plans = in
		}
	}
	lop.TargetFrequency, plans.TargetFrequency = report.TargetLifeOfProject, report.TargetMilestones
	require.NoError(t, svc.DefineIndicator(ctx, fac, lop))
	require.NoError(t, svc.DefineIndicator(ctx, fac, plans))
	a := reporttest.Activities()[0] // Durban, 2013-07-01 to 2015-12-31
	a.Objectives = append(a.Objectives, report.Objective{Code: "obj-m", Text: "Management", Indicators: []string{"CL-MGMT-01", "CL-MGMT-02"}})
	require.NoError(t, svc.RegisterActivity(ctx, fac, a))
	life, err := report.Range(a.ActualStart, a.PlannedEnd)
	require.NoError(t, err)
	o := func(id, ind string, k report.Kind, p report.Period, v float64) report.Observation {
		return report.Observation{ID: id, Partnership: reporttest.Durban, Indicator: ind, Kind: k, Period: p, Value: v, Source: "test"}
	}
	require.NoError(t, svc.Record(ctx, fac,
		o("l-t", "CL-MGMT-01", report.KindTarget, life, 100),
		o("l-13", "CL-MGMT-01", report.KindActual, report.Year(2013), 20),
		o("l-14", "CL-MGMT-01", report.KindActual, report.Year(2014), 30),
		o("l-15", "CL-MGMT-01", report.KindActual, report.Quarter(2015, 1), 10),
		o("p-mid", "CL-MGMT-02", report.KindTarget, report.Year(2014), 2),
		o("p-end", "CL-MGMT-02", report.KindTarget, report.Year(2015), 5),
		o("p-14", "CL-MGMT-02", report.KindActual, report.Year(2014), 2),
		o("p-15", "CL-MGMT-02", report.KindActual, report.Quarter(2015, 1), 2),
	))
	r, err := svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership, report.DimYear},
		Indicators: []string{"CL-MGMT-01", "CL-MGMT-02"}})
	require.NoError(t, err)
	cases := []struct {
		ind, year                  string
		actual, cumulative, target any
		status                     report.ProgressStatus
	}{
		{"CL-MGMT-01", "2013", 20.0, 20.0, 100.0, report.ProgressBehind},
		{"CL-MGMT-01", "2014", 30.0, 50.0, 100.0, report.ProgressBehind},
		{"CL-MGMT-01", "2015", 10.0, 60.0, 100.0, report.ProgressBehind},
		{"CL-MGMT-02", "2014", 2.0, 2.0, 2.0, report.ProgressOnTrack},
		{"CL-MGMT-02", "2015", 2.0, 4.0, 5.0, report.ProgressBehind},
	}
	for _, tc := range cases {
		row := rowOf(t, r, tc.ind, reporttest.Durban, tc.year)
		assert.Equal(t, tc.actual, val(row.Actual), "%s %s actual", tc.ind, tc.year)
		assert.Equal(t, tc.cumulative, val(row.Cumulative), "%s %s cumulative", tc.ind, tc.year)
		assert.Equal(t, tc.target, val(row.Target), "%s %s target", tc.ind, tc.year)
		assert.Equal(t, tc.status, row.Status, "%s %s", tc.ind, tc.year)
		require.NotNil(t, row.Progress)
		assert.InDelta(t, *row.Cumulative / *row.Target, *row.Progress, 1e-12, "%s %s", tc.ind, tc.year)
	}
	// Per-period indicators are untouched: no cumulative figure.
	r, err = svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership, report.DimYear}, Indicators: []string{"CL-CLIM-02"}})
	require.NoError(t, err)
	assert.Nil(t, rowOf(t, r, "CL-CLIM-02", reporttest.Durban, "2014").Cumulative)
}
