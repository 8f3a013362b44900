package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// report.Service is the check package partnership asks before it completes
// a partnership.
var _ partnership.ResultsChecker = (*report.Service)(nil)

// loadedReport returns a fresh store holding the report fixture, and its
// service with the fixture's clock.
func loadedReport(t *testing.T, newStore Factory) (Store, *report.Service) {
	t.Helper()
	s := newStore(t)
	svc := report.New(s, &report.Options{Now: func() time.Time { return reporttest.Now }})
	require.NoError(t, reporttest.Load(t.Context(), svc))
	return s, svc
}

func testReport(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) { testReportRoundTrip(t, newStore) })
	t.Run("Frameworks", func(t *testing.T) { testFrameworks(t, newStore) })
	t.Run("NotFound", func(t *testing.T) { testReportNotFound(t, newStore) })
	t.Run("Locks", func(t *testing.T) { testReportLocks(t, newStore) })
	t.Run("ApprovalConflict", func(t *testing.T) { testApprovalConflict(t, newStore) })
	t.Run("RollupAgrees", func(t *testing.T) { testRollupAgrees(t, newStore) })
	t.Run("Canceled", func(t *testing.T) { testReportCanceled(t, newStore) })
	t.Run("ConcurrentApproveAndRecord", func(t *testing.T) { testApproveRecordRace(t, newStore) })
}

func testReportRoundTrip(t *testing.T, newStore Factory) {
	s, _ := loadedReport(t, newStore)
	ctx := t.Context()
	inds, err := s.ListIndicators(ctx)
	require.NoError(t, err)
	assert.Equal(t, report.StarterCatalogue()[0].Code, "CL-WASH-01")
	assert.Len(t, inds, len(report.StarterCatalogue()))
	in, err := s.GetIndicator(ctx, "CL-WASH-01")
	require.NoError(t, err)
	assert.Equal(t, report.StarterCatalogue()[0], in)
	starter := report.StarterCatalogue()
	slices.SortFunc(starter, func(a, b report.Indicator) int { return strings.Compare(a.Code, b.Code) })
	assert.Empty(t, cmp.Diff(starter, inds), "every starter indicator, type and target frequency included")
	// Every result type and target frequency survives the store, and an
	// indicator with neither (as stored before they existed) reads back
	// with neither.
	for i, f := range append(report.TargetFrequencies(), "") {
		want := report.StarterCatalogue()[0]
		want.Code = fmt.Sprintf("RT-%02d", i)
		want.TargetFrequency = f
		want.Type = append(report.ResultTypes(), "")[i%(len(report.ResultTypes())+1)]
		require.NoError(t, s.PutIndicator(ctx, want))
		got, err := s.GetIndicator(ctx, want.Code)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}

	for _, want := range reporttest.Activities() {
		got, err := s.GetActivity(ctx, want.ID)
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(want, got))
	}
	page, err := s.ListActivities(ctx, report.ActivityFilter{Limit: 2})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	assert.Equal(t, reporttest.Durban, page.Items[0].ID)
	page, err = s.ListActivities(ctx, report.ActivityFilter{After: page.Next})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, reporttest.Telavi, page.Items[0].ID)
	page, err = s.ListActivities(ctx, report.ActivityFilter{Country: "PH"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)

	// Observations come back as recorded, with the recording time.
	want := map[string]report.Observation{}
	for _, o := range reporttest.Observations() {
		o.RecordedAt, o.Owner = reporttest.Now, reporttest.Facilitator.Organization
		want[o.ID] = o
	}
	var got []report.Observation
	f := report.ObservationFilter{Limit: 7}
	for {
		p, err := s.ListObservations(ctx, f)
		require.NoError(t, err)
		got = append(got, p.Items...)
		if p.Next == "" {
			break
		}
		f.After = p.Next
	}
	require.Len(t, got, len(want))
	for i, o := range got {
		if i > 0 {
			assert.Less(t, got[i-1].ID, o.ID, "ordered by id")
		}
		assert.Empty(t, cmp.Diff(want[o.ID], o, cmpopts.EquateEmpty()), "observation %s", o.ID)
	}
	// Replacing by id.
	o := want["tel-b01-a"]
	o.Value, o.Comment = 49.25, "revised"
	require.NoError(t, s.RecordObservations(ctx, report.WriteAll(o)))
	p, err := s.ListObservations(ctx, report.ObservationFilter{Partnership: reporttest.Telavi, Indicator: "CL-BASIC-01"})
	require.NoError(t, err)
	require.Len(t, p.Items, 3)
	for _, x := range p.Items {
		if x.ID == o.ID {
			assert.Equal(t, 49.25, x.Value)
			assert.Equal(t, "revised", x.Comment)
		}
	}
	cs, err := s.ListContributions(ctx, "")
	require.NoError(t, err)
	wantCs := reporttest.Contributions()
	for i := range wantCs {
		wantCs[i].Owner = reporttest.Facilitator.Organization
	}
	assert.Equal(t, wantCs, cs)
	cs, err = s.ListContributions(ctx, reporttest.Durban)
	require.NoError(t, err)
	assert.Len(t, cs, 2)
}

// testFrameworks: results frameworks round-trip, replace by id, list by
// id, and an invalid one is refused and not stored.
func testFrameworks(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	want := reporttest.Frameworks()
	for _, f := range slices.Backward(want) {
		require.NoError(t, svc.DefineFramework(ctx, reporttest.Facilitator, f))
	}
	got, err := s.ListFrameworks(ctx)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want, got))
	one, err := s.GetFramework(ctx, want[1].ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want[1], one))
	changed := want[0].Clone()
	changed.Levels[1].Title = "Cities plan for climate risk, and budget for it"
	changed.Placed = changed.Placed[:1]
	require.NoError(t, s.PutFramework(ctx, changed))
	one, err = s.GetFramework(ctx, changed.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(changed, one))
	bad := want[1].Clone()
	bad.ID = "bad"
	bad.Levels[0].Parent = "o" // a cycle
	require.ErrorIs(t, s.PutFramework(ctx, bad), citylinks.ErrInvalid)
	_, err = s.GetFramework(ctx, "bad")
	require.ErrorIs(t, err, citylinks.ErrNotFound)
}

func testReportNotFound(t *testing.T, newStore Factory) {
	s, _ := loadedReport(t, newStore)
	ctx := t.Context()
	_, err := s.GetIndicator(ctx, "CL-NONE")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
	_, err = s.GetActivity(ctx, "none")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
	base := reporttest.Observations()[0]
	for name, edit := range map[string]func(*report.Observation){
		"partnership": func(o *report.Observation) { o.Partnership = "none" },
		"indicator":   func(o *report.Observation) { o.Indicator = "CL-NONE" },
	} {
		o := base
		o.ID = "new-" + name
		edit(&o)
		ok := base
		ok.ID = "new-ok-" + name
		err := s.RecordObservations(ctx, report.WriteAll(ok, o))
		assert.ErrorIs(t, err, citylinks.ErrNotFound, name)
		p, err := s.ListObservations(ctx, report.ObservationFilter{After: "new-", Limit: 1000})
		require.NoError(t, err)
		for _, x := range p.Items {
			assert.NotContains(t, x.ID, "new-", "a failed batch stored something")
		}
	}
	err = s.RecordContributions(ctx, []report.Contribution{{ID: "c", Partnership: "none", Organization: "x", Date: citylinks.Date{Year: 2015, Month: 1, Day: 1}, Hours: 1}})
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
	_, err = s.TransitionApproval(ctx, report.ApprovalEvent{Partnership: "none", Period: report.Year(2015), Seq: 1,
		Action: report.ActionSubmit, From: report.StateDraft, To: report.StateSubmitted, Actor: "a", At: reporttest.Now})
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
	ap, err := s.GetApproval(ctx, reporttest.Telavi, report.Year(2015))
	require.NoError(t, err, "a period never acted on is a draft")
	assert.Equal(t, report.StateDraft, ap.State)
	assert.Zero(t, ap.Version)
}

func testReportLocks(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	y := report.Year(2015)
	for _, step := range []func() (report.Approval, error){
		func() (report.Approval, error) { return svc.Submit(ctx, reporttest.Facilitator, reporttest.Telavi, y) },
		func() (report.Approval, error) { return svc.Approve(ctx, reporttest.Monitor, reporttest.Telavi, y) },
	} {
		_, err := step()
		require.NoError(t, err)
	}
	approved, err := s.ListApprovedPeriods(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string][]report.Period{reporttest.Telavi: {y}}, approved)
	// Directly through the store: new values inside the period, and a move
	// of an existing value out of it, are refused; nothing is written.
	in := report.Observation{ID: "lock-1", Partnership: reporttest.Telavi, Indicator: "CL-MGMT-01", Kind: report.KindActual, Period: report.Quarter(2015, 2), Value: 3}
	err = s.RecordObservations(ctx, report.WriteAll(in))
	var le *report.LockedError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, y, le.Locked)
	assert.ErrorIs(t, err, citylinks.ErrConflict)
	moved := reporttest.Observations()[len(reporttest.Observations())-1]
	moved.Period, moved.Owner = report.Year(2016), reporttest.Facilitator.Organization
	outside := report.Observation{ID: "ok-1", Partnership: reporttest.Telavi, Indicator: "CL-MGMT-01", Kind: report.KindActual, Period: report.Year(2016), Value: 3}
	err = s.RecordObservations(ctx, report.WriteAll(outside, moved))
	require.ErrorIs(t, err, report.ErrLocked)
	p, err := s.ListObservations(ctx, report.ObservationFilter{After: "ok-", Limit: 1})
	require.NoError(t, err)
	if len(p.Items) > 0 {
		assert.NotEqual(t, "ok-1", p.Items[0].ID, "a refused batch stored something")
	}
	require.NoError(t, s.RecordObservations(ctx, report.WriteAll(outside)))
	hist, err := s.ApprovalHistory(ctx, reporttest.Telavi, y)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, report.ActionApprove, hist[1].Action)
	assert.Equal(t, reporttest.Monitor.ID, hist[1].Actor)
	aps, err := s.ListApprovals(ctx, reporttest.Telavi)
	require.NoError(t, err)
	require.Len(t, aps, 1)
	assert.Equal(t, report.StateApproved, aps[0].State)
	assert.Equal(t, reporttest.Now, aps[0].UpdatedAt)
	// Unlock, then the write goes through.
	_, err = svc.Unlock(ctx, reporttest.Monitor, reporttest.Telavi, y, "late survey")
	require.NoError(t, err)
	require.NoError(t, s.RecordObservations(ctx, report.WriteAll(in)))
	ok, err := svc.FinalResultsApproved(ctx, reporttest.Telavi)
	require.NoError(t, err)
	assert.False(t, ok)
}

func testApprovalConflict(t *testing.T, newStore Factory) {
	s, _ := loadedReport(t, newStore)
	ctx := t.Context()
	ev := report.ApprovalEvent{Partnership: reporttest.Durban, Period: report.Quarter(2014, 1), Seq: 1,
		Action: report.ActionSubmit, From: report.StateDraft, To: report.StateSubmitted, Actor: "a", At: reporttest.Now}
	_, err := s.TransitionApproval(ctx, ev)
	require.NoError(t, err)
	_, err = s.TransitionApproval(ctx, ev)
	require.ErrorIs(t, err, citylinks.ErrConflict, "a stale version")
	bad := ev
	bad.Seq, bad.Action, bad.From, bad.To = 2, report.ActionApprove, report.StateDraft, report.StateApproved
	_, err = s.TransitionApproval(ctx, bad)
	require.ErrorIs(t, err, citylinks.ErrConflict, "the state is submitted, not draft")
	hist, err := s.ApprovalHistory(ctx, reporttest.Durban, report.Quarter(2014, 1))
	require.NoError(t, err)
	assert.Len(t, hist, 1)
}

// rollupQueries are the groupings the suite checks on every backend.
var rollupQueries = []report.RollupQuery{
	{},
	{GroupBy: []report.Dim{report.DimPartnership}},
	{GroupBy: []report.Dim{report.DimProgram, report.DimFocusArea, report.DimCountry}},
	{GroupBy: []report.Dim{report.DimFocusArea, report.DimCountry, report.DimYear}},
	{GroupBy: []report.Dim{report.DimPartnership, report.DimPeriod}},
	{GroupBy: []report.Dim{report.DimYear, report.ByDisaggregation("sex")}},
	{GroupBy: []report.Dim{report.ByDisaggregation("age-group"), report.ByDisaggregation("sex")}},
	{GroupBy: []report.Dim{report.DimCountry}, Kinds: []report.Kind{report.KindActual}, Indicators: []string{"CL-CLIM-02", "CL-CLIM-03"}},
	{GroupBy: []report.Dim{report.DimPartnership}, From: citylinks.Date{Year: 2015, Month: 1, Day: 1}, To: citylinks.Date{Year: 2015, Month: 6, Day: 30}},
	{GroupBy: []report.Dim{report.DimFocusArea}, Countries: []string{"ZA", "GE"}, Programs: []string{"citylinks-2011"}, FocusAreas: []string{"climate"}},
}

func testRollupAgrees(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	acts := map[string]report.Activity{}
	for _, a := range reporttest.Activities() {
		acts[a.ID] = a
	}
	latest := []string{}
	for _, in := range report.StarterCatalogue() {
		if in.Aggregation == report.Latest {
			latest = append(latest, in.Code)
		}
	}
	for _, q := range rollupQueries {
		q.Latest = latest
		want := report.AggregateCells(acts, reporttest.Observations(), nil, q)
		got, err := s.RollupObservations(ctx, q)
		require.NoError(t, err)
		sortCells(got)
		assert.Empty(t, cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()), "query %+v", q)
	}
	// And through the service, the same rows as the in-Go reference.
	r, err := svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimCountry, report.DimYear}})
	require.NoError(t, err)
	assert.NotEmpty(t, r.Rows)
	for _, row := range r.Rows {
		if row.Indicator == "CL-BASIC-01" && row.Group[1] == "2015" {
			require.NotNil(t, row.Progress)
			assert.InDelta(t, 0.625, *row.Progress, 1e-12)
		}
	}
}

func sortCells(c []report.Cell) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && report.CompareCells(c[j-1], c[j]) > 0; j-- {
			c[j-1], c[j] = c[j], c[j-1]
		}
	}
}

func testReportCanceled(t *testing.T, newStore Factory) {
	s, _ := loadedReport(t, newStore)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	o := reporttest.Observations()[0]
	o.ID = "canceled"
	calls := map[string]error{
		"PutIndicator":       s.PutIndicator(ctx, report.StarterCatalogue()[0]),
		"PutFramework":       s.PutFramework(ctx, reporttest.Frameworks()[0]),
		"RecordObservations": s.RecordObservations(ctx, report.WriteAll(o)),
	}
	_, calls["GetActivity"] = s.GetActivity(ctx, reporttest.Durban)
	_, calls["ListObservations"] = s.ListObservations(ctx, report.ObservationFilter{})
	_, calls["RollupObservations"] = s.RollupObservations(ctx, report.RollupQuery{})
	_, calls["GetApproval"] = s.GetApproval(ctx, reporttest.Durban, report.Year(2015))
	_, calls["GetFramework"] = s.GetFramework(ctx, "cl11-climate")
	_, calls["ListFrameworks"] = s.ListFrameworks(ctx)
	for name, err := range calls {
		assert.True(t, errors.Is(err, context.Canceled), "%s: %v", name, err)
	}
	_, err := s.GetIndicator(t.Context(), "CL-WASH-01")
	require.NoError(t, err)
	p, err := s.ListObservations(t.Context(), report.ObservationFilter{After: "canceled", Limit: 1})
	require.NoError(t, err)
	if len(p.Items) > 0 {
		assert.NotEqual(t, "canceled", p.Items[0].ID)
	}
}

// testApproveRecordRace runs a submission and writes to the same period at
// once: whatever the interleaving, no observation may land in the period
// after it was submitted, so an approved period's values are the ones that
// were there when it was submitted.
func testApproveRecordRace(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	y := report.Year(2016)
	var wg sync.WaitGroup
	results := make([]error, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.RecordObservations(ctx, report.WriteAll(report.Observation{ID: "race-" + string(rune('a'+i)), Partnership: reporttest.Telavi,
				Indicator: "CL-MGMT-01", Kind: report.KindActual, Period: y, Value: float64(i)}))
		}()
	}
	var approveErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, approveErr = svc.Submit(ctx, reporttest.Facilitator, reporttest.Telavi, y); approveErr == nil {
			_, approveErr = svc.Approve(ctx, reporttest.Monitor, reporttest.Telavi, y)
		}
	}()
	wg.Wait()
	require.NoError(t, approveErr)
	stored := 0
	for _, err := range results {
		if err == nil {
			stored++
		} else {
			require.ErrorIs(t, err, report.ErrLocked)
		}
	}
	p, err := s.ListObservations(ctx, report.ObservationFilter{After: "race-", Limit: 100})
	require.NoError(t, err)
	n := 0
	for _, o := range p.Items {
		if len(o.ID) > 5 && o.ID[:5] == "race-" {
			n++
		}
	}
	assert.Equal(t, stored, n, "every accepted write is stored and no refused one is")
	err = s.RecordObservations(ctx, report.WriteAll(report.Observation{ID: "race-late", Partnership: reporttest.Telavi,
		Indicator: "CL-MGMT-01", Kind: report.KindActual, Period: y, Value: 1}))
	require.ErrorIs(t, err, report.ErrLocked)
}
