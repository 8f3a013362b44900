package report_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
	"github.com/citylinks/citylinks/store/memory"
)

func newService(t *testing.T) *report.Service {
	t.Helper()
	svc := report.NewService(memory.New(), &report.Options{Now: func() time.Time { return reporttest.Now }})
	require.NoError(t, reporttest.Load(t.Context(), svc))
	return svc
}

func rowOf(t *testing.T, r *report.Rollup, ind string, group ...string) report.Row {
	t.Helper()
	for _, row := range r.Rows {
		if row.Indicator == ind && assert.ObjectsAreEqual(row.Group, group) {
			return row
		}
	}
	t.Fatalf("no row %s %v in %+v", ind, group, r.Rows)
	return report.Row{}
}

func val(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRollupByPartnership(t *testing.T) {
	svc := newService(t)
	r, err := svc.Rollup(t.Context(), reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}})
	require.NoError(t, err)
	cases := []struct {
		part, ind            string
		base, target, actual any
		progress             float64
		status               report.ProgressStatus
	}{
		{reporttest.Durban, "CL-CLIM-02", 0.0, 70.0, 61.0, 61.0 / 70, report.ProgressOnTrack},
		{reporttest.Durban, "CL-CLIM-04", nil, 40.0, 46.0, 46.0 / 40, report.ProgressOnTrack},
		{reporttest.Durban, "CL-CLIM-01", nil, nil, nil, 0, report.ProgressQualitative},
		{reporttest.Legazpi, "CL-CLIM-03", 0.0, 1.0, 1.0, 1, report.ProgressOnTrack},
		{reporttest.Legazpi, "CL-CLIM-02", nil, 25.0, 16.0, 16.0 / 25, report.ProgressBehind},
		{reporttest.Telavi, "CL-BASIC-01", 35.0, 55.0, 47.5, 12.5 / 20, report.ProgressBehind},
		{reporttest.Telavi, "CL-MGMT-01", nil, 20.0, 24.0, 1.2, report.ProgressAhead},
	}
	for _, tc := range cases {
		t.Run(tc.part+"/"+tc.ind, func(t *testing.T) {
			row := rowOf(t, r, tc.ind, tc.part)
			assert.Equal(t, tc.base, val(row.Baseline), "baseline")
			assert.Equal(t, tc.target, val(row.Target), "target")
			assert.Equal(t, tc.actual, val(row.Actual), "actual")
			assert.Equal(t, tc.status, row.Status)
			if tc.status != report.ProgressQualitative {
				require.NotNil(t, row.Progress)
				assert.InDelta(t, tc.progress, *row.Progress, 1e-12)
			}
		})
	}
	// Contributions by partnership: hours and USD in-kind.
	require.Len(t, r.Contributions, 3)
	assert.Equal(t, []string{reporttest.Durban}, r.Contributions[0].Group)
	assert.InDelta(t, 405.5, r.Contributions[0].Hours, 1e-9)
	assert.Equal(t, []citylinks.Money{{Amount: 4_800_000, Currency: "USD"}}, r.Contributions[0].InKind)
}

func TestRollupByYearAndSex(t *testing.T) {
	svc := newService(t)
	r, err := svc.Rollup(t.Context(), reporttest.Viewer, report.RollupQuery{
		GroupBy:    []report.Dim{report.DimYear, report.ByDisaggregation("sex")},
		Indicators: []string{"CL-CLIM-02", "CL-MGMT-01"},
	})
	require.NoError(t, err)
	f := rowOf(t, r, "CL-CLIM-02", "2014", "female")
	assert.Equal(t, 20.0, val(f.Target))
	assert.Equal(t, 19.0, val(f.Actual))
	assert.Equal(t, report.ProgressOnTrack, f.Status)
	m := rowOf(t, r, "CL-MGMT-01", "2015", "male")
	assert.Nil(t, m.Target, "no target broken down by sex")
	assert.Equal(t, report.ProgressNoTarget, m.Status)
	for _, row := range r.Rows {
		assert.NotEqual(t, "", row.Group[1], "totals must not appear in a roll-up by sex")
	}
}

func TestRollupTimedBaselines(t *testing.T) {
	svc := newService(t)
	r, err := svc.Rollup(t.Context(), reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimCountry, report.DimYear}})
	require.NoError(t, err)
	// Telavi's 2014 baseline applies to its 2015 row.
	row := rowOf(t, r, "CL-BASIC-01", "GE", "2015")
	assert.Equal(t, 35.0, val(row.Baseline))
	assert.InDelta(t, 0.625, *row.Progress, 1e-12)
	for _, row := range r.Rows {
		assert.False(t, row.Status != report.ProgressQualitative && row.Target == nil && row.Actual == nil, "a baseline-only year row: %+v", row)
	}
}

func TestApprovalFlowAndLocks(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	q1 := report.Quarter(2015, 1)
	ap, err := svc.Submit(ctx, reporttest.Coordinator, reporttest.Durban, q1)
	require.NoError(t, err)
	assert.Equal(t, report.StateSubmitted, ap.State)
	_, err = svc.Return(ctx, reporttest.Monitor, reporttest.Durban, q1, " ")
	require.ErrorIs(t, err, citylinks.ErrInvalid, "returning needs a comment")
	ap, err = svc.Return(ctx, reporttest.Monitor, reporttest.Durban, q1, "Q1 numbers lack a source")
	require.NoError(t, err)
	assert.Equal(t, report.StateReturned, ap.State)
	_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Durban, q1)
	var te *report.TransitionError
	require.ErrorAs(t, err, &te, "a returned report cannot be approved before it is submitted again")
	require.ErrorIs(t, err, citylinks.ErrConflict)
	_, err = svc.Submit(ctx, reporttest.Coordinator, reporttest.Durban, q1)
	require.NoError(t, err)
	ap, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Durban, q1)
	require.NoError(t, err)
	assert.Equal(t, report.StateApproved, ap.State)
	assert.Equal(t, 4, ap.Version)

	// The period is locked: a new value in it and a correction of an
	// existing one are both refused.
	err = svc.Record(ctx, reporttest.Coordinator, report.Observation{Partnership: reporttest.Durban, Indicator: "CL-CLIM-02",
		Kind: report.KindActual, Period: report.Month(2015, 2), Value: 3})
	var le *report.LockedError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, q1, le.Locked)
	require.ErrorIs(t, err, citylinks.ErrConflict)
	require.True(t, errors.Is(err, report.ErrLocked))
	err = svc.Record(ctx, reporttest.Facilitator, report.Observation{ID: "dur-02-a15q1", Partnership: reporttest.Durban,
		Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2015, 2), Value: 1})
	require.ErrorIs(t, err, report.ErrLocked, "moving an observation out of a locked period is a write to it")
	// Writes outside the period still work.
	require.NoError(t, svc.Record(ctx, reporttest.Coordinator, report.Observation{Partnership: reporttest.Durban,
		Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2015, 3), Value: 5}))

	// Unlocking needs a monitor and a reason, and leaves a trace.
	_, err = svc.Unlock(ctx, reporttest.Facilitator, reporttest.Durban, q1, "typo")
	require.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.Unlock(ctx, reporttest.Monitor, reporttest.Durban, q1, "")
	require.ErrorIs(t, err, citylinks.ErrInvalid)
	ap, err = svc.Unlock(ctx, reporttest.Monitor, reporttest.Durban, q1, "February count was double-entered")
	require.NoError(t, err)
	assert.Equal(t, report.StateDraft, ap.State)
	require.NoError(t, svc.Record(ctx, reporttest.Facilitator, report.Observation{ID: "dur-02-a15q1", Partnership: reporttest.Durban,
		Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: q1, Value: 13}))
	hist, err := svc.History(ctx, reporttest.Viewer, reporttest.Durban, q1)
	require.NoError(t, err)
	var actions []report.Action
	for _, e := range hist {
		actions = append(actions, e.Action)
	}
	assert.Equal(t, []report.Action{report.ActionSubmit, report.ActionReturn, report.ActionSubmit, report.ActionApprove, report.ActionUnlock}, actions)
	assert.Equal(t, "February count was double-entered", hist[4].Comment)
	assert.Equal(t, reporttest.Monitor.ID, hist[4].Actor)
	assert.Equal(t, reporttest.Now, hist[4].At)
}

func TestFinalResultsApproved(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	var checker interface {
		FinalResultsApproved(ctx context.Context, partnershipID string) (bool, error)
	} = svc
	ok, err := checker.FinalResultsApproved(ctx, reporttest.Legazpi)
	require.NoError(t, err)
	assert.False(t, ok)
	// Approving an earlier period is not enough.
	for _, p := range []report.Period{report.Quarter(2015, 2), report.Quarter(2015, 3)} {
		_, err = svc.Submit(ctx, reporttest.Facilitator, reporttest.Legazpi, p)
		require.NoError(t, err)
		_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Legazpi, p)
		require.NoError(t, err)
		ok, err = svc.FinalResultsApproved(ctx, reporttest.Legazpi)
		require.NoError(t, err)
		assert.Equal(t, p == report.Quarter(2015, 3), ok, "after approving %s", p)
	}
	_, err = svc.Unlock(ctx, reporttest.Monitor, reporttest.Legazpi, report.Quarter(2015, 3), "correction")
	require.NoError(t, err)
	ok, err = svc.FinalResultsApproved(ctx, reporttest.Legazpi)
	require.NoError(t, err)
	assert.False(t, ok, "an unlocked final period is no longer approved")
	_, err = svc.FinalResultsApproved(ctx, "no-such-partnership")
	require.ErrorIs(t, err, citylinks.ErrNotFound)
}

func TestDue(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	due, err := svc.Due(ctx, reporttest.Viewer, nil)
	require.NoError(t, err)
	require.Len(t, due, 9+6, "Durban Q3 2013–Q3 2015 and Legazpi Q2 2014–Q3 2015 are overdue")
	for _, d := range due {
		assert.Equal(t, report.DueOverdue, d.Status)
	}
	assert.Equal(t, report.Quarter(2013, 3), due[0].Period, "longest overdue first")
	assert.Equal(t, 751, due[0].DaysLate)

	// Submitted reports are no longer due; a returned one is again.
	q := report.Quarter(2015, 3)
	_, err = svc.Submit(ctx, reporttest.Coordinator, reporttest.Legazpi, q)
	require.NoError(t, err)
	due, err = svc.Due(ctx, reporttest.Viewer, &report.DueOptions{Filter: report.ActivityFilter{Country: "PH"}})
	require.NoError(t, err)
	assert.Len(t, due, 5)
	_, err = svc.Return(ctx, reporttest.Monitor, reporttest.Legazpi, q, "add sources")
	require.NoError(t, err)
	due, err = svc.Due(ctx, reporttest.Viewer, &report.DueOptions{Filter: report.ActivityFilter{Country: "PH"}})
	require.NoError(t, err)
	require.Len(t, due, 6)
	assert.Equal(t, report.StateReturned, due[len(due)-1].State)

	// Ten days before Q3 2015's due date it is due soon.
	due, err = svc.Due(ctx, reporttest.Viewer, &report.DueOptions{AsOf: citylinks.Date{Year: 2015, Month: 10, Day: 20}, Filter: report.ActivityFilter{Country: "ZA"}})
	require.NoError(t, err)
	last := due[len(due)-1]
	assert.Equal(t, report.DueSoon, last.Status)
	assert.Equal(t, -10, last.DaysLate)
	assert.Equal(t, citylinks.Date{Year: 2015, Month: 10, Day: 30}, last.DueDate)
}

func TestRecordRejects(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	good := report.Observation{Partnership: reporttest.Telavi, Indicator: "CL-BASIC-01", Kind: report.KindActual, Period: report.Year(2015), Value: 50}
	cases := []struct {
		name  string
		actor citylinks.Actor
		edit  func(*report.Observation)
		want  error
	}{
		{"other coordinator", reporttest.Coordinator, func(*report.Observation) {}, citylinks.ErrForbidden},
		{"monitor", reporttest.Monitor, func(*report.Observation) {}, citylinks.ErrForbidden},
		{"unknown partnership", reporttest.Facilitator, func(o *report.Observation) { o.Partnership = "nope" }, citylinks.ErrNotFound},
		{"unknown indicator", reporttest.Facilitator, func(o *report.Observation) { o.Indicator = "CL-NOPE" }, citylinks.ErrNotFound},
		{"not in framework", reporttest.Facilitator, func(o *report.Observation) { o.Indicator = "CL-WASH-01" }, citylinks.ErrInvalid},
		{"percentage over 100", reporttest.Facilitator, func(o *report.Observation) { o.Value = 101 }, citylinks.ErrInvalid},
		{"unknown dimension", reporttest.Facilitator, func(o *report.Observation) { o.Disaggregation = report.Disaggregation{"sex": "female"} }, citylinks.ErrInvalid},
		{"bad kind", reporttest.Facilitator, func(o *report.Observation) { o.Kind = "forecast" }, citylinks.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := good
			tc.edit(&o)
			err := svc.Record(ctx, tc.actor, good, o)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v does not wrap %v", err, tc.want)
			p, err := svc.Store().ListObservations(ctx, report.ObservationFilter{Partnership: reporttest.Telavi, Indicator: "CL-BASIC-01"})
			require.NoError(t, err)
			assert.Len(t, p.Items, 3, "a rejected batch stored something")
		})
	}
}

// TestRecordChecksValues: values are checked against their indicator's
// measure and the partnership's dates, as of the service clock
// (reporttest.Now, 2015-11-20); a refused value stores nothing.
func TestRecordChecksValues(t *testing.T) {
	ctx := t.Context()
	people := report.Observation{Partnership: reporttest.Telavi, Indicator: "CL-MGMT-01", Kind: report.KindActual, Period: report.Quarter(2015, 3), Value: 12}
	cases := []struct {
		name  string
		edit  func(*report.Observation)
		field string // "" when the row is accepted
	}{
		{"a whole number of people", func(*report.Observation) {}, ""},
		{"-5 people", func(o *report.Observation) { o.Value = -5 }, "value"},
		{"2.5 people", func(o *report.Observation) { o.Value = 2.5 }, "value"},
		{"1e308", func(o *report.Observation) { o.Value = 1e308 }, "value"},
		{"just under the bound", func(o *report.Observation) { o.Value = report.MaxValue }, ""},
		{"just over the bound", func(o *report.Observation) { o.Value = report.MaxValue + 1 }, "value"},
		{"an actual for the current quarter", func(o *report.Observation) { o.Period = report.Quarter(2015, 4) }, ""},
		{"an actual for a quarter not begun", func(o *report.Observation) { o.Period = report.Quarter(2016, 1) }, "period"},
		{"an actual for next year", func(o *report.Observation) { o.Period = report.Year(2016) }, "period"},
		{"a target for next year", func(o *report.Observation) { o.Kind, o.Period = report.KindTarget, report.Year(2016) }, ""},
		{"an actual before the partnership started", func(o *report.Observation) { o.Period = report.Year(2014) }, "period"},
		{"a target before the partnership started", func(o *report.Observation) { o.Kind, o.Period = report.KindTarget, report.Year(2014) }, "period"},
		{"a baseline before the partnership started", func(o *report.Observation) { o.Kind, o.Period = report.KindBaseline, report.Year(2013) }, ""},
		{"a target after the partnership ends", func(o *report.Observation) { o.Kind, o.Period = report.KindTarget, report.Year(2017) }, "period"},
		{"an actual overlapping the start", func(o *report.Observation) { o.Period = report.Year(2015) }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := newService(t)
			before := allObservations(t, svc)
			o := people
			tc.edit(&o)
			err := svc.Record(ctx, reporttest.Facilitator, o)
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			var ve *citylinks.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, "%v", err)
			assert.Empty(t, cmp.Diff(before, allObservations(t, svc)), "a refused value was stored")
		})
	}
}

func loadSynthetic(t testing.TB, svc *report.Service, acts []report.Activity, obs []report.Observation) {
	t.Helper()
	require.NoError(t, reporttest.LoadSynthetic(context.Background(), svc, acts, obs))
}

// TestErrorText pins the wording of representative errors a user sees: no
// storage backend's name, no doubled spaces, and a way forward.
func TestErrorText(t *testing.T) {
	ctx := t.Context()
	svc := newService(t)
	_, err := svc.Submit(ctx, reporttest.Facilitator, "CL-NOPE", report.Quarter(2015, 1))
	require.ErrorIs(t, err, citylinks.ErrNotFound)
	assert.EqualError(t, err, `report: activity "CL-NOPE" not found: register the partnership for reporting first, with Service.RegisterActivity (handoff.Sync registers every partnership)`)

	err = svc.Record(ctx, reporttest.Facilitator, report.Observation{Partnership: reporttest.Telavi, Indicator: "CL-BASIC-01", Value: 50})
	require.ErrorIs(t, err, citylinks.ErrInvalid)
	assert.NotContains(t, err.Error(), "  ", "an observation with empty fields is described without doubled spaces")
	assert.Contains(t, err.Error(), "("+reporttest.Telavi+" CL-BASIC-01)")
}

// TestReportProgressCountsApprovedActualsOnly: the report's roll-up counts
// approved actuals in actual and progress, and shows the rest beside them;
// a group with only unapproved actuals keeps its row, with no progress.
func TestReportProgressCountsApprovedActualsOnly(t *testing.T) {
	r := reviewedReport(t)
	require.Equal(t, report.Approved, r.Rollup.Approval)
	num := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		partnership, indicator  string
		actual, unapproved      *float64
		progress                *float64
		status                  report.ProgressStatus
		observations, pendingOb int64
	}{
		// 2014-Q1..Q4 and 2015-Q1 approved (8+12+9+7+14); 2015-Q2 a draft (11).
		{reporttest.Durban, "CL-CLIM-02", num(50), num(11), num(50.0 / 70), report.ProgressBehind, 7, 1},
		// 2015-Q1 submitted (10), 2015-Q2 a draft (6): nothing approved.
		{reporttest.Legazpi, "CL-CLIM-02", nil, num(16), nil, report.ProgressNoActual, 1, 2},
		// 2015-Q1 submitted (0), 2015-Q3 returned (1): latest of the unapproved.
		{reporttest.Legazpi, "CL-CLIM-03", nil, num(1), nil, report.ProgressNoActual, 1, 2},
		{reporttest.Telavi, "CL-BASIC-01", num(47.5), nil, num(0.625), report.ProgressBehind, 2, 0},
	} {
		row := rowOf(t, r.Rollup, tc.indicator, tc.partnership)
		assert.Equal(t, tc.actual, row.Actual, "%s %s actual", tc.partnership, tc.indicator)
		assert.Equal(t, tc.unapproved, row.Unapproved, "%s %s unapproved", tc.partnership, tc.indicator)
		if tc.progress == nil {
			assert.Nil(t, row.Progress)
		} else if assert.NotNil(t, row.Progress) {
			assert.InDelta(t, *tc.progress, *row.Progress, 1e-12)
		}
		assert.Equal(t, tc.status, row.Status, "%s %s", tc.partnership, tc.indicator)
		assert.Equal(t, tc.observations, row.Observations, "%s %s observations", tc.partnership, tc.indicator)
		assert.Equal(t, tc.pendingOb, row.UnapprovedObservations, "%s %s unapproved observations", tc.partnership, tc.indicator)
	}

	// By year, a year with only unapproved actuals keeps its row.
	svc := newService(t)
	_, err := svc.Submit(t.Context(), reporttest.Coordinator, reporttest.Durban, report.Year(2014))
	require.NoError(t, err)
	_, err = svc.Approve(t.Context(), reporttest.Monitor, reporttest.Durban, report.Year(2014))
	require.NoError(t, err)
	ru, err := svc.Rollup(t.Context(), reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership, report.DimYear},
		Indicators: []string{"CL-CLIM-02"}, Partnerships: []string{reporttest.Durban}, Approval: report.Approved})
	require.NoError(t, err)
	y14, y15 := rowOf(t, ru, "CL-CLIM-02", reporttest.Durban, "2014"), rowOf(t, ru, "CL-CLIM-02", reporttest.Durban, "2015")
	assert.Equal(t, num(36), y14.Actual, "2014's quarters, approved with the year")
	assert.Nil(t, y14.Unapproved)
	assert.Nil(t, y15.Actual)
	assert.Equal(t, num(25), y15.Unapproved, "2015-Q1 and Q2, not approved")
	assert.Equal(t, num(30), y15.Target)
	assert.Equal(t, report.ProgressNoActual, y15.Status)

	// Every actual, as before, when the query does not filter.
	ru, err = svc.Rollup(t.Context(), reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}, Indicators: []string{"CL-CLIM-02"}})
	require.NoError(t, err)
	assert.Equal(t, report.AnyApproval, ru.Approval)
	all := rowOf(t, ru, "CL-CLIM-02", reporttest.Durban)
	assert.Equal(t, num(61), all.Actual)
	assert.Nil(t, all.Unapproved)
}

// reviewedReport builds the report of the fixture after reporttest.Review.
func reviewedReport(t *testing.T) *report.Report {
	t.Helper()
	svc := newService(t)
	require.NoError(t, reporttest.Review(t.Context(), svc))
	r, err := svc.BuildReport(t.Context(), reporttest.Viewer, nil)
	require.NoError(t, err)
	return r
}
