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
	"github.com/citylinks/citylinks/internal/reportstore"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// testIntegrity checks that what a donor reads cannot be corrupted through
// the store or the service: an id stays with its partnership and owner, a
// cell holds one baseline and one target, a submitted or approved period
// freezes every period that overlaps it, a re-import stores nothing twice,
// and none of it depends on the interleaving of concurrent writers.
func testIntegrity(t *testing.T, newStore Factory) {
	t.Run("IDStaysWithPartnership", func(t *testing.T) { testIDStaysWithPartnership(t, newStore) })
	t.Run("CoordinatorRevisesOwnOnly", func(t *testing.T) { testCoordinatorRevisesOwnOnly(t, newStore) })
	t.Run("OneTargetPerCell", func(t *testing.T) { testOneTargetPerCell(t, newStore) })
	t.Run("OverlappingPeriodsFrozen", func(t *testing.T) { testOverlappingPeriodsFrozen(t, newStore) })
	t.Run("ReimportIsNoOp", func(t *testing.T) { testReimportIsNoOp(t, newStore) })
	t.Run("RollupByApproval", func(t *testing.T) { testRollupByApproval(t, newStore) })
	t.Run("ApprovedPeriodHolds", func(t *testing.T) { testApprovedPeriodHolds(t, newStore) })
	t.Run("ConcurrentTargets", func(t *testing.T) { testConcurrentTargets(t, newStore) })
	t.Run("ConcurrentIDs", func(t *testing.T) { testConcurrentIDs(t, newStore) })
	t.Run("ErrorMeansNotStored", func(t *testing.T) { testErrorMeansNotStored(t, newStore) })
}

// observationsOf returns every stored observation, by id.
func observationsOf(t *testing.T, s Store) map[string]report.Observation {
	t.Helper()
	out := map[string]report.Observation{}
	f := report.ObservationFilter{Limit: citylinks.MaxPageSize}
	for {
		p, err := s.ListObservations(t.Context(), f)
		require.NoError(t, err)
		for _, o := range p.Items {
			out[o.ID] = o
		}
		if p.Next == "" {
			return out
		}
		f.After = p.Next
	}
}

var periodEqual = cmp.Comparer(func(a, b report.Period) bool { return a == b })

func requireUnchanged(t *testing.T, s Store, before map[string]report.Observation, msg string) {
	t.Helper()
	assert.Empty(t, cmp.Diff(before, observationsOf(t, s), cmpopts.EquateEmpty(), periodEqual), msg)
}

// testIDStaysWithPartnership: a row whose id belongs to another
// partnership's observation or contribution is refused, through the store
// and through the service, by every actor, and the other partnership's row
// is left as it was.
func testIDStaysWithPartnership(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	before := observationsOf(t, s)
	// dur-02-a15q1 is Durban's; Fort Lauderdale's coordinator is a party
	// to Legazpi and Durban, so permissions alone would let it write to
	// either.
	hijack := report.Observation{ID: "dur-02-a15q1", Partnership: reporttest.Legazpi, Indicator: "CL-CLIM-02",
		Kind: report.KindActual, Period: report.Quarter(2015, 1), Value: 999, Owner: reporttest.Facilitator.Organization}
	var ce *report.ConflictError
	require.ErrorAs(t, s.RecordObservations(ctx, report.WriteAll(hijack)), &ce, "through the store")
	assert.Equal(t, "dur-02-a15q1", ce.ID)
	assert.ErrorIs(t, ce, citylinks.ErrConflict)
	for _, actor := range []citylinks.Actor{reporttest.Facilitator, reporttest.Coordinator} {
		hijack.Owner = ""
		err := svc.Record(ctx, actor, hijack)
		require.ErrorIs(t, err, citylinks.ErrConflict, "%s through the service", actor.ID)
		_, err = svc.ImportCSV(ctx, actor, csvOf(t, hijack))
		require.ErrorIs(t, err, citylinks.ErrConflict, "%s through an import", actor.ID)
	}
	requireUnchanged(t, s, before, "another partnership's observation was overwritten")

	// Contributions: c-dur-1 is Durban's.
	c := reporttest.Contributions()[0]
	c.Partnership, c.Hours, c.Owner = reporttest.Legazpi, 1, reporttest.Facilitator.Organization
	require.ErrorAs(t, s.RecordContributions(ctx, []report.Contribution{c}), &ce, "through the store")
	c.Owner = ""
	require.ErrorIs(t, svc.RecordContributions(ctx, reporttest.Coordinator, c), citylinks.ErrConflict, "through the service")
	cs, err := s.ListContributions(ctx, reporttest.Durban)
	require.NoError(t, err)
	require.Len(t, cs, 2)
	assert.Equal(t, 320.0, cs[0].Hours, "another partnership's contribution was overwritten")
}

// csvOf writes observations as an import file.
func csvOf(t *testing.T, obs ...report.Observation) *strings.Reader {
	t.Helper()
	var b strings.Builder
	require.NoError(t, report.WriteObservationsCSV(&b, obs))
	return strings.NewReader(b.String())
}

func day(y int, m time.Month, d int) citylinks.Date { return citylinks.Date{Year: y, Month: m, Day: d} }

// testCoordinatorRevisesOwnOnly: a coordinator revises only what its own
// organization recorded; the facilitator revises anything and the record
// keeps its owner.
func testCoordinatorRevisesOwnOnly(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	coord := reporttest.Coordinator // Fort Lauderdale, a party to Durban
	other := citylinks.Actor{ID: "coord@ethekwini.example", Organization: "ethekwini", Roles: []citylinks.Role{citylinks.RoleCoordinator}}
	mine := report.Observation{ID: "ftl-own", Partnership: reporttest.Durban, Indicator: "CL-CLIM-02", Kind: report.KindActual,
		Period: report.Quarter(2015, 3), Value: 4}
	require.NoError(t, svc.Record(ctx, coord, mine))
	before := observationsOf(t, s)
	assert.Equal(t, "fort-lauderdale", before["ftl-own"].Owner)

	// eThekwini, a party too, may not revise Fort Lauderdale's row, nor
	// the facilitator's.
	revised := mine
	revised.Value = 40
	require.ErrorIs(t, svc.Record(ctx, other, revised), citylinks.ErrForbidden)
	fac := before["dur-02-a15q2"]
	fac.Value = 1
	require.ErrorIs(t, svc.Record(ctx, coord, fac), citylinks.ErrForbidden)
	requireUnchanged(t, s, before, "a coordinator revised another organization's observation")

	// Fort Lauderdale may; so may the facilitator, and the owner stays.
	require.NoError(t, svc.Record(ctx, coord, revised))
	revised.Value = 41
	require.NoError(t, svc.Record(ctx, reporttest.Facilitator, revised))
	got := observationsOf(t, s)["ftl-own"]
	assert.Equal(t, 41.0, got.Value)
	assert.Equal(t, "fort-lauderdale", got.Owner)

	// Through the store, a write that changes the owner is refused.
	got.Owner = "ethekwini"
	require.ErrorIs(t, s.RecordObservations(ctx, report.WriteAll(got)), citylinks.ErrConflict)

	// Contributions: a coordinator records its own organization's time and
	// revises only what its organization recorded.
	ownTime := report.Contribution{ID: "ftl-time", Partnership: reporttest.Durban, Organization: "fort-lauderdale", Date: day(2015, 8, 1), Hours: 12}
	require.NoError(t, svc.RecordContributions(ctx, coord, ownTime))
	theirs := report.Contribution{ID: "eth-time", Partnership: reporttest.Durban, Organization: "fort-lauderdale", Date: day(2015, 8, 1), Hours: 3}
	require.ErrorIs(t, svc.RecordContributions(ctx, other, theirs), citylinks.ErrForbidden, "another organization's time")
	ownTime.Hours = 1
	require.ErrorIs(t, svc.RecordContributions(ctx, other, ownTime), citylinks.ErrForbidden, "another organization's record")
	c := reporttest.Contributions()[0] // the facilitator's record of Fort Lauderdale's time
	c.Hours = 1
	require.ErrorIs(t, svc.RecordContributions(ctx, coord, c), citylinks.ErrForbidden, "the facilitator's record")
	cs, err := s.ListContributions(ctx, reporttest.Durban)
	require.NoError(t, err)
	hours := map[string]float64{}
	for _, c := range cs {
		hours[c.ID] = c.Hours
	}
	assert.Equal(t, map[string]float64{"c-dur-1": 320, "c-dur-2": 85.5, "ftl-time": 12}, hours)
}

// testOneTargetPerCell: a second target (or baseline) for a partnership,
// indicator, period and disaggregation is refused, not added to the first;
// re-recording it under its own id replaces it.
func testOneTargetPerCell(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	before := observationsOf(t, s)
	second := report.Observation{ID: "dur-02-t15-again", Partnership: reporttest.Durban, Indicator: "CL-CLIM-02",
		Kind: report.KindTarget, Period: report.Year(2015), Value: 30, Owner: reporttest.Facilitator.Organization}
	var ce *report.ConflictError
	require.ErrorAs(t, s.RecordObservations(ctx, report.WriteAll(second)), &ce, "through the store")
	assert.Equal(t, "dur-02-t15", ce.Existing)
	second.Owner = ""
	require.ErrorIs(t, svc.Record(ctx, reporttest.Facilitator, second), citylinks.ErrConflict)
	noID := second
	noID.ID = ""
	require.ErrorIs(t, svc.Record(ctx, reporttest.Facilitator, noID), citylinks.ErrConflict, "an id-less target of a cell that has one")
	// Two in one batch, and two in two batches of one write.
	a := report.Observation{ID: "t-a", Partnership: reporttest.Durban, Indicator: "CL-CLIM-04", Kind: report.KindTarget,
		Period: report.Year(2015), Value: 10, Owner: reporttest.Facilitator.Organization}
	b := a
	b.ID = "t-b"
	require.ErrorIs(t, s.RecordObservations(ctx, report.WriteAll(a, b)), citylinks.ErrConflict, "one batch")
	require.ErrorIs(t, s.RecordObservations(ctx, func(ctx context.Context, _ report.ObservationTx, put func([]report.Observation) error) error {
		if err := put([]report.Observation{a}); err != nil {
			return err
		}
		return put([]report.Observation{b})
	}), citylinks.ErrConflict, "two batches")
	requireUnchanged(t, s, before, "a conflicting target was stored")

	// Moving the target to another year frees its cell.
	moved := before["dur-02-t15"]
	moved.Period = report.Year(2016)
	moved.Kind = report.KindTarget
	require.NoError(t, s.RecordObservations(ctx, report.WriteAll(moved)))
	require.NoError(t, s.RecordObservations(ctx, report.WriteAll(func() report.Observation {
		o := second
		o.Owner = reporttest.Facilitator.Organization
		return o
	}())))
	// A disaggregated target is a cell of its own.
	female := a
	female.ID, female.Disaggregation = "t-f", report.Disaggregation{"sex": "female"}
	require.NoError(t, s.RecordObservations(ctx, report.WriteAll(a, female)))
}

// testOverlappingPeriodsFrozen: with 2015-Q1 approved, every period that
// overlaps it — a range across its end, the year 2015, one of its months —
// is locked; a submitted period is frozen until it is returned.
func testOverlappingPeriodsFrozen(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	q1 := report.Quarter(2015, 1)
	_, err := svc.Submit(ctx, reporttest.Facilitator, reporttest.Durban, q1)
	require.NoError(t, err)
	rng, err := report.Range(day(2015, 3, 1), day(2015, 4, 30))
	require.NoError(t, err)
	write := func(p report.Period) error {
		return s.RecordObservations(ctx, report.WriteAll(report.Observation{ID: "ov-" + p.String(), Partnership: reporttest.Durban,
			Indicator: "CL-CLIM-04", Kind: report.KindActual, Period: p, Value: 1, Owner: reporttest.Facilitator.Organization}))
	}
	before := observationsOf(t, s)
	var le *report.LockedError
	require.ErrorAs(t, write(rng), &le, "submitted: frozen")
	assert.Equal(t, report.StateSubmitted, le.State)
	assert.Contains(t, le.Error(), "frozen until a monitor returns it")
	// An edit of a reviewed value, through the service, is refused too.
	edit := before["dur-02-a15q1"]
	edit.Value++
	require.ErrorIs(t, svc.Record(ctx, reporttest.Facilitator, edit), report.ErrLocked)

	_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Durban, q1)
	require.NoError(t, err)
	for _, p := range []report.Period{rng, report.Year(2015), report.Month(2015, 3), q1} {
		err := write(p)
		require.ErrorAs(t, err, &le, "%s overlaps approved 2015-Q1", p)
		assert.Equal(t, q1, le.Locked)
		assert.Equal(t, report.StateApproved, le.State)
	}
	requireUnchanged(t, s, before, "a write to a frozen period was stored")
	require.NoError(t, write(report.Quarter(2015, 2)), "a period that does not overlap")

	// Returned: editable again.
	q3 := report.Quarter(2015, 3)
	_, err = svc.Submit(ctx, reporttest.Facilitator, reporttest.Durban, q3)
	require.NoError(t, err)
	require.ErrorIs(t, write(q3), report.ErrLocked)
	_, err = svc.Return(ctx, reporttest.Monitor, reporttest.Durban, q3, "add the sources")
	require.NoError(t, err)
	require.NoError(t, write(q3))
}

// testReimportIsNoOp: importing a file again leaves the store exactly as
// it was (recording times and reporters too), even after a period it
// covers was approved in between.
func testReimportIsNoOp(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	var b strings.Builder
	b.WriteString("partnership,indicator,kind,period,value,disaggregation\n")
	b.WriteString("CL11-LEG-FTL,CL-CLIM-02,actual,2015-Q3,7,\n")
	b.WriteString("CL11-LEG-FTL,CL-CLIM-02,target,2014,20,\n")
	b.WriteString("CL11-LEG-FTL,CL-CLIM-02,actual,2015-Q3,4,sex=female\n")
	file := b.String()
	sum, err := svc.ImportCSV(ctx, reporttest.Coordinator, strings.NewReader(file))
	require.NoError(t, err)
	assert.Equal(t, report.ImportSummary{Rows: 3, Added: 3}, sum)
	once := observationsOf(t, s)
	_, err = svc.Submit(ctx, reporttest.Coordinator, reporttest.Legazpi, report.Quarter(2015, 3))
	require.NoError(t, err)
	_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Legazpi, report.Quarter(2015, 3))
	require.NoError(t, err)
	sum, err = svc.ImportCSV(ctx, reporttest.Coordinator, strings.NewReader(file))
	require.NoError(t, err)
	assert.Equal(t, report.ImportSummary{Rows: 3, Unchanged: 3}, sum)
	requireUnchanged(t, s, once, "a second import changed the store")
	r, err := svc.Rollup(ctx, reporttest.Viewer, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership},
		Partnerships: []string{reporttest.Legazpi}, Indicators: []string{"CL-CLIM-02"}})
	require.NoError(t, err)
	require.Len(t, r.Rows, 1)
	require.NotNil(t, r.Rows[0].Actual)
	assert.Equal(t, 10.0+6+7, *r.Rows[0].Actual, "the fixture's actuals and the imported one, once")
}

// testRollupByApproval: on every backend, a roll-up that keeps approved
// (or unapproved) actuals agrees with reportstore.AggregateCells, and
// baselines and targets pass whatever the filter says.
func testRollupByApproval(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	approve := func(part string, p report.Period) {
		_, err := svc.Submit(ctx, reporttest.Facilitator, part, p)
		require.NoError(t, err)
		_, err = svc.Approve(ctx, reporttest.Monitor, part, p)
		require.NoError(t, err)
	}
	approve(reporttest.Durban, report.Year(2014))
	approve(reporttest.Durban, report.Quarter(2015, 1))
	approve(reporttest.Legazpi, report.Quarter(2015, 2))
	// A returned period is not approved.
	_, err := svc.Submit(ctx, reporttest.Facilitator, reporttest.Telavi, report.Year(2015))
	require.NoError(t, err)
	_, err = svc.Return(ctx, reporttest.Monitor, reporttest.Telavi, report.Year(2015), "sources?")
	require.NoError(t, err)

	approved, err := s.ListApprovedPeriods(ctx)
	require.NoError(t, err)
	acts := map[string]report.Activity{}
	for _, a := range reporttest.Activities() {
		acts[a.ID] = a
	}
	obs := slices.Collect(func(yield func(report.Observation) bool) {
		for _, o := range observationsOf(t, s) {
			if !yield(o) {
				return
			}
		}
	})
	for _, f := range []report.ApprovalFilter{report.Approved, report.Unapproved, report.AnyApproval} {
		for _, q := range rollupQueries {
			q.Approval = f
			want := reportstore.AggregateCells(acts, obs, approved, q)
			got, err := s.RollupObservations(ctx, q)
			require.NoError(t, err)
			sortCells(got)
			assert.Empty(t, cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()), "%s: query %+v", f, q)
		}
	}
	// Spot check: Durban's approved staff trained are 2014's quarters and
	// 2015-Q1; 2015-Q2 is not approved.
	cells, err := s.RollupObservations(ctx, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}, Partnerships: []string{reporttest.Durban},
		Indicators: []string{"CL-CLIM-02"}, Kinds: []report.Kind{report.KindActual}, Approval: report.Approved})
	require.NoError(t, err)
	require.Len(t, cells, 1)
	assert.Equal(t, 8.0+12+9+7+14, cells[0].Sum)
	cells, err = s.RollupObservations(ctx, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}, Partnerships: []string{reporttest.Durban},
		Indicators: []string{"CL-CLIM-02"}, Kinds: []report.Kind{report.KindActual}, Approval: report.Unapproved})
	require.NoError(t, err)
	require.Len(t, cells, 1)
	assert.Equal(t, 11.0, cells[0].Sum)
}

// testApprovedPeriodHolds races writers against a monitor that approves and
// unlocks one period again and again. Writers add observations in the
// period and move one observation in and out of it. Whatever the
// interleaving, what an approval covers does not change until the period
// is unlocked: every value in it after Approve returns is still there,
// unchanged, and nothing else is, when the monitor unlocks it.
func testApprovedPeriodHolds(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	q := report.Quarter(2015, 3)
	in := func(o report.Observation) bool { return q.Overlaps(o.Period) && o.Partnership == reporttest.Durban }
	snapshot := func() map[string]report.Observation {
		out := map[string]report.Observation{}
		for id, o := range observationsOf(t, s) {
			if in(o) {
				out[id] = o
			}
		}
		return out
	}
	var stop sync.WaitGroup
	done := make(chan struct{})
	for w := range 3 {
		stop.Add(1)
		go func() {
			defer stop.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				p := q
				if i%2 == 1 {
					p = report.Quarter(2015, 2)
				}
				obs := []report.Observation{
					{ID: fmt.Sprintf("race-%d-%d", w, i), Partnership: reporttest.Durban, Indicator: "CL-CLIM-04", Kind: report.KindActual, Period: q, Value: 1},
					{ID: fmt.Sprintf("mover-%d", w), Partnership: reporttest.Durban, Indicator: "CL-CLIM-04", Kind: report.KindActual, Period: p, Value: float64(i)},
				}
				err := svc.Record(ctx, reporttest.Facilitator, obs...)
				if err != nil && !errors.Is(err, report.ErrLocked) {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		}()
	}
	for range 15 {
		_, err := svc.Submit(ctx, reporttest.Facilitator, reporttest.Durban, q)
		require.NoError(t, err)
		_, err = svc.Approve(ctx, reporttest.Monitor, reporttest.Durban, q)
		require.NoError(t, err)
		at := snapshot()
		for range 3 {
			assert.Empty(t, cmp.Diff(at, snapshot(), cmpopts.EquateEmpty(), periodEqual), "an approved period changed")
		}
		_, err = svc.Unlock(ctx, reporttest.Monitor, reporttest.Durban, q, "next round")
		require.NoError(t, err)
	}
	close(done)
	stop.Wait()
}

// testConcurrentTargets: many writers record a target for one cell, each
// under its own id, at once: exactly one is stored.
func testConcurrentTargets(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = svc.Record(ctx, reporttest.Facilitator, report.Observation{ID: fmt.Sprintf("ct-%d", i), Partnership: reporttest.Durban,
				Indicator: "CL-CLIM-04", Kind: report.KindTarget, Period: report.Year(2015), Value: float64(10 + i)})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			require.ErrorIs(t, err, citylinks.ErrConflict)
		}
	}
	assert.Equal(t, 1, ok, "one target per cell")
	targets := 0
	for _, o := range observationsOf(t, s) {
		if o.Partnership == reporttest.Durban && o.Indicator == "CL-CLIM-04" && o.Kind == report.KindTarget && o.Period == report.Year(2015) {
			targets++
		}
	}
	assert.Equal(t, 1, targets)
}

// testConcurrentIDs: writers of two partnerships create an observation with
// the same new id at once: one partnership gets it, the other a conflict.
func testConcurrentIDs(t *testing.T, newStore Factory) {
	s, svc := loadedReport(t, newStore)
	ctx := t.Context()
	for round := range 10 {
		id := fmt.Sprintf("shared-id-%d", round)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, part := range []string{reporttest.Durban, reporttest.Legazpi} {
			wg.Go(func() {
				errs[i] = svc.Record(ctx, reporttest.Facilitator, report.Observation{ID: id, Partnership: part,
					Indicator: "CL-CLIM-02", Kind: report.KindActual, Period: report.Quarter(2015, 2), Value: float64(i + 1)})
			})
		}
		wg.Wait()
		o, ok := observationsOf(t, s)[id]
		require.True(t, ok)
		winner := slices.Index([]string{reporttest.Durban, reporttest.Legazpi}, o.Partnership)
		require.NoError(t, errs[winner])
		require.ErrorIs(t, errs[1-winner], citylinks.ErrConflict, "round %d", round)
		assert.Equal(t, float64(winner+1), o.Value)
	}
}
