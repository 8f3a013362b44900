package handoff_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/handoff"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
	"github.com/citylinks/citylinks/store/memory"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
	"github.com/citylinks/citylinks/store/sqlite"
)

// backend is a store that holds both partnerships and reports.
type backend interface {
	partnership.Store
	report.Store
}

// backends opens an empty store of each kind; PostgreSQL only when
// CITYLINKS_TEST_POSTGRES_URL is set.
var backends = []struct {
	name string
	open func(t *testing.T) backend
}{
	{"memory", func(*testing.T) backend { return memory.New() }},
	{"sqlite", func(t *testing.T) backend {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "handoff.db"))
		require.NoError(t, err)
		s := sqlite.New(db)
		t.Cleanup(func() { s.Close() })
		require.NoError(t, s.Migrate(t.Context()))
		return s
	}},
	{"postgres", func(t *testing.T) backend { return postgrestest.NewStore(t) }},
}

func eachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { f(t, b.open(t)) })
	}
}

// faulty is a report store whose activity and contribution writes can be
// made to fail, or to run a function first.
type faulty struct {
	report.Store
	mu                sync.Mutex
	failActivity      bool
	failContributions bool
	beforePut         func() // run once, before the next PutActivity
}

var errDown = errors.New("report store is down")

func (f *faulty) set(activity, contributions bool) {
	f.mu.Lock()
	f.failActivity, f.failContributions = activity, contributions
	f.mu.Unlock()
}

func (f *faulty) PutActivity(ctx context.Context, a report.Activity) error {
	f.mu.Lock()
	fail, before := f.failActivity, f.beforePut
	f.beforePut = nil
	f.mu.Unlock()
	if before != nil {
		before()
	}
	if fail {
		return errDown
	}
	return f.Store.PutActivity(ctx, a)
}

func (f *faulty) RecordContributions(ctx context.Context, cs []report.Contribution) error {
	f.mu.Lock()
	fail := f.failContributions
	f.mu.Unlock()
	if fail {
		return errDown
	}
	return f.Store.RecordContributions(ctx, cs)
}

// world is a partnership service handing off to a report service, as a
// program wires them.
type world struct {
	store  backend
	report *faulty
	rep    *report.Service
	sync   *handoff.Syncer
	svc    *partnership.Service
	plain  *partnership.Service // the same store, with no hand-off
	opts   *handoff.Options
}

func newWorld(t *testing.T, store backend) *world {
	t.Helper()
	clock := &pt.Clock{}
	w := &world{store: store, report: &faulty{Store: store}}
	w.rep = report.NewService(w.report, &report.Options{Now: clock.Now})
	require.NoError(t, w.rep.DefineStarterCatalogue(t.Context(), pt.Facilitator))
	w.opts = &handoff.Options{Actor: pt.Facilitator, IATI: map[string]render.IATIOrg{pt.USAIDIndia: {Ref: "US-GOV-1"}}}
	var err error
	w.sync, err = handoff.NewSyncer(store, w.rep, w.opts)
	require.NoError(t, err)
	w.svc = partnership.NewService(store, &partnership.Options{Now: clock.Now, Results: w.rep, AfterAppend: w.sync.Appended})
	w.plain = partnership.NewService(store, &partnership.Options{Now: clock.Now, Results: w.rep})
	return w
}

// inStep checks that package report holds exactly what partnership id
// maps to, and returns the activity.
func (w *world) inStep(t *testing.T, id string) report.Activity {
	t.Helper()
	ctx := t.Context()
	p, err := w.svc.Get(ctx, pt.Facilitator, id)
	require.NoError(t, err)
	a, err := w.store.GetActivity(ctx, id)
	require.NoError(t, err)
	require.Empty(t, cmp.Diff(handoff.Activity(p, w.opts), a, cmpopts.EquateEmpty()), "activity of %s at version %d", id, p.Version)
	want := handoff.Contributions(p)
	got, err := w.store.ListContributions(ctx, id)
	require.NoError(t, err)
	for i := range got {
		assert.Equal(t, pt.ICMA, got[i].Owner, "contributions are the syncer's")
		got[i].Owner = ""
	}
	require.Empty(t, cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b report.Contribution) bool { return a.ID < b.ID })),
		"contributions of %s at version %d", id, p.Version)
	return a
}

var (
	boulderCoordinator = pt.Actor(pt.Boulder, citylinks.RoleCoordinator)
	monitor            = pt.Actor("usaid-me", citylinks.RoleMonitor)
)

func plan() partnership.WorkPlan {
	return partnership.WorkPlan{
		Objectives: []partnership.Objective{
			{Code: "O1", Text: "Assess Shimla's water-supply vulnerability", Indicators: []string{"CL-CLIM-02", "CL-CLIM-04"}},
			{Code: "O2", Text: "An adaptation plan adopted by the council"},
		},
		Indicators: []string{"CL-CLIM-01"},
	}
}

func hours(id string, minutes int64) partnership.Contribution {
	return partnership.Contribution{ID: id, Party: pt.Boulder, Person: "Sustainability manager", Date: pt.D(2015, 6, 1), Minutes: minutes, Description: "pro bono staff time"}
}

// TestLifecycle walks a partnership through its lifecycle through the
// partnership.Service alone, and checks after every command that package
// report holds its activity and contributions; then a report write fails
// after a command is stored, and a sync repairs it.
func TestLifecycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, store backend) {
		ctx := t.Context()
		w := newWorld(t, store)
		const id = "CL11-SHI-BOU"
		type step struct {
			name  string
			actor citylinks.Actor
			cmd   partnership.Command
			check func(t *testing.T, a report.Activity)
		}
		status := func(s report.ActivityStatus) func(*testing.T, report.Activity) {
			return func(t *testing.T, a report.Activity) { assert.Equal(t, s, a.Status) }
		}
		steps := []step{
			{"propose", pt.Facilitator, pt.Proposal(id), func(t *testing.T, a report.Activity) {
				assert.Equal(t, report.StatusPipeline, a.Status)
				assert.Equal(t, pt.D(2015, 3, 23), a.PlannedStart)
				assert.Len(t, a.Participants, 4)
				assert.Equal(t, "US-GOV-1", a.Participants[3].Ref)
				assert.Equal(t, report.RoleFunding, a.Participants[3].Role)
				assert.Empty(t, a.Objectives)
			}},
			{"ratify", pt.Facilitator, partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)}, status(report.StatusPipeline)},
			{"sign", pt.Facilitator, partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "ICMA"}}, End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)},
				func(t *testing.T, a report.Activity) {
					assert.Equal(t, report.StatusPipeline, a.Status)
					assert.Equal(t, pt.D(2015, 4, 20), a.ActualStart)
					assert.Equal(t, pt.D(2016, 3, 31), a.PlannedEnd)
				}},
			{"agree work plan", pt.Facilitator, partnership.AgreeWorkPlan{Plan: plan(), On: pt.D(2015, 5, 15)}, func(t *testing.T, a report.Activity) {
				assert.Equal(t, report.StatusImplementation, a.Status)
				assert.Equal(t, []report.Objective{
					{Code: "O1", Text: "Assess Shimla's water-supply vulnerability", Indicators: []string{"CL-CLIM-02", "CL-CLIM-04"}},
					{Code: "O2", Text: "An adaptation plan adopted by the council", Indicators: []string{"CL-CLIM-01"}},
				}, a.Objectives)
			}},
			{"exchange", boulderCoordinator, partnership.RecordExchange{Exchange: partnership.Exchange{ID: "x1", From: pt.Boulder, To: pt.Shimla,
				Start: pt.D(2015, 5, 11), End: pt.D(2015, 5, 15), Purpose: "first trip", Status: partnership.ExchangeDone}}, status(report.StatusImplementation)},
			{"hours", boulderCoordinator, partnership.RecordContribution{Contribution: hours("c1", 90)}, nil},
			{"in kind", boulderCoordinator, partnership.RecordContribution{Contribution: partnership.Contribution{ID: "c2", Party: pt.Boulder,
				Date: pt.D(2015, 6, 2), InKind: citylinks.Money{Amount: 250000, Currency: "USD"}, Description: "GIS licences"}}, nil},
			{"correct hours", boulderCoordinator, partnership.RecordContribution{Contribution: hours("c1", 120)}, nil},
			{"suspend", pt.Facilitator, partnership.Suspend{Reason: "elections", On: pt.D(2015, 7, 1)}, status(report.StatusSuspended)},
			{"resume", pt.Facilitator, partnership.Resume{On: pt.D(2015, 8, 1)}, status(report.StatusImplementation)},
			{"extend", pt.Facilitator, partnership.Extend{End: pt.D(2016, 6, 30), Reason: "a late trip", On: pt.D(2015, 9, 1)}, func(t *testing.T, a report.Activity) {
				assert.Equal(t, pt.D(2016, 6, 30), a.PlannedEnd)
			}},
			{"start closing", pt.Facilitator, partnership.StartClosing{On: pt.D(2016, 1, 22)}, status(report.StatusFinalisation)},
		}
		for _, s := range steps {
			_, err := w.svc.Execute(ctx, s.actor, id, s.cmd)
			require.NoError(t, err, s.name)
			a := w.inStep(t, id)
			if s.check != nil {
				s.check(t, a)
			}
		}
		cs, err := store.ListContributions(ctx, id)
		require.NoError(t, err)
		require.Len(t, cs, 2, "a correction replaces its row")
		assert.Equal(t, id+"/c1", cs[0].ID)
		assert.Equal(t, 2.0, cs[0].Hours)
		assert.Equal(t, pt.Boulder, cs[0].Organization)

		// The report store fails after a contribution is stored: the
		// command is, the report lags behind.
		w.report.set(false, true)
		p, err := w.svc.RecordContribution(ctx, boulderCoordinator, id, hours("c3", 60))
		var fe *partnership.FollowUpError
		require.ErrorAs(t, err, &fe)
		assert.ErrorIs(t, err, errDown)
		assert.Contains(t, err.Error(), "sync the partnership again")
		assert.Len(t, p.Contributions, 3)
		cs, err = store.ListContributions(ctx, id)
		require.NoError(t, err)
		assert.Len(t, cs, 2, "the report does not have c3 yet")

		// The final results are approved; the partnership completes, but
		// its activity cannot be written.
		final := report.Quarter(2016, 2)
		_, err = w.rep.Submit(ctx, pt.Facilitator, id, final)
		require.NoError(t, err)
		_, err = w.rep.Approve(ctx, monitor, id, final)
		require.NoError(t, err)
		w.report.set(true, true)
		p, err = w.svc.Complete(ctx, pt.Facilitator, id, pt.D(2016, 6, 30))
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, partnership.StateCompleted, p.State)
		a, err := store.GetActivity(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, report.StatusFinalisation, a.Status, "the activity lags behind")

		// Repair: once the store is back, one sync brings it in step.
		w.report.set(false, false)
		n, err := w.sync.Sync(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, handoff.Synced{Partnerships: 1, Activities: 1, Contributions: 1}, n)
		a = w.inStep(t, id)
		assert.Equal(t, report.StatusClosed, a.Status)
		assert.Equal(t, pt.D(2016, 6, 30), a.ActualEnd)
		// Again: nothing to do.
		n, err = w.sync.Sync(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, handoff.Synced{Partnerships: 1}, n)

		_, err = w.sync.Sync(ctx, "no-such-partnership")
		assert.ErrorIs(t, err, citylinks.ErrNotFound)
	})
}

// TestSyncAll: partnerships stored before the hand-off was wired are caught
// up by SyncAll; one that cannot be reported (its work plan names an
// indicator package report does not know) fails alone, and is repaired
// once the indicator is defined.
func TestSyncAll(t *testing.T) {
	eachBackend(t, func(t *testing.T, store backend) {
		ctx := t.Context()
		w := newWorld(t, store)
		for _, id := range []string{"a", "b", "c"} {
			_, err := pt.ToActive(ctx, w.plain, id) // its work plan names "capp-1"
			require.NoError(t, err)
			_, err = w.plain.RecordContribution(ctx, pt.Facilitator, id, hours("c1", 60))
			require.NoError(t, err)
		}
		plan := plan()
		_, err := w.plain.AgreeWorkPlan(ctx, pt.Facilitator, "a", partnership.AgreeWorkPlan{Plan: plan, On: pt.D(2015, 6, 1)})
		require.NoError(t, err)
		_, err = w.plain.AgreeWorkPlan(ctx, pt.Facilitator, "c", partnership.AgreeWorkPlan{Plan: plan, On: pt.D(2015, 6, 1)})
		require.NoError(t, err)

		n, err := w.sync.SyncAll(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `partnership "b"`)
		assert.Contains(t, err.Error(), `indicator "capp-1" is not defined`)
		assert.Equal(t, handoff.Synced{Partnerships: 3, Activities: 2, Contributions: 2, Failed: 1}, n)
		w.inStep(t, "a")
		w.inStep(t, "c")

		require.NoError(t, w.rep.DefineIndicator(ctx, pt.Facilitator, report.Indicator{Code: "capp-1", Name: "CAPP indicator 1",
			Unit: "people", Measure: report.MeasureUnit, Direction: report.Increase, Aggregation: report.Sum, FocusArea: citylinks.FocusClimate}))
		n, err = w.sync.SyncAll(ctx)
		require.NoError(t, err)
		assert.Equal(t, handoff.Synced{Partnerships: 3, Activities: 1, Contributions: 1}, n)
		for _, id := range []string{"a", "b", "c"} {
			w.inStep(t, id)
		}
		n, err = w.sync.SyncAll(ctx)
		require.NoError(t, err)
		assert.Equal(t, handoff.Synced{Partnerships: 3}, n, "a second catch-up writes nothing")
	})
}

// TestCommandDuringSync: a command stored while the sync of an earlier one
// is writing does not leave the earlier state written last: the sync sees
// the partnership moved on, and writes again.
func TestCommandDuringSync(t *testing.T) {
	eachBackend(t, func(t *testing.T, store backend) {
		ctx := t.Context()
		w := newWorld(t, store)
		const id = "p"
		_, err := w.svc.Propose(ctx, pt.Facilitator, pt.Proposal(id))
		require.NoError(t, err)
		_, err = w.svc.Ratify(ctx, pt.Facilitator, id, partnership.Ratify{Party: pt.Boulder, Body: "Council", On: pt.D(2015, 4, 7)})
		require.NoError(t, err)
		// While the sync after signing writes the agreed state, another
		// writer (whose own sync has not run) terminates the partnership.
		w.report.mu.Lock()
		w.report.beforePut = func() {
			_, err := w.plain.Terminate(ctx, pt.Facilitator, id, pt.D(2015, 4, 21), "the council withdrew")
			assert.NoError(t, err)
		}
		w.report.mu.Unlock()
		_, err = w.svc.SignAgreement(ctx, pt.Facilitator, id, partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}},
			End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)})
		require.NoError(t, err)
		a := w.inStep(t, id)
		assert.Equal(t, report.StatusCancelled, a.Status, "the terminated state is written last")
		assert.Equal(t, pt.D(2015, 4, 21), a.ActualEnd)
	})
}

// TestConcurrentCommands: many writers on one partnership, each command
// handed off as it is stored; when they are done, the report holds the
// final state.
func TestConcurrentCommands(t *testing.T) {
	eachBackend(t, func(t *testing.T, store backend) {
		ctx := t.Context()
		w := newWorld(t, store)
		_, err := pt.ToActive(ctx, w.plain, "p")
		require.NoError(t, err)
		_, err = w.plain.AgreeWorkPlan(ctx, pt.Facilitator, "p", partnership.AgreeWorkPlan{Plan: plan(), On: pt.D(2015, 6, 1)})
		require.NoError(t, err)
		const writers, each = 4, 5
		var wg sync.WaitGroup
		for g := range writers {
			wg.Go(func() {
				for i := range each {
					c := hours(string(rune('a'+g))+string(rune('0'+i)), int64(30+i))
					if _, err := w.svc.RecordContribution(ctx, boulderCoordinator, "p", c); err != nil {
						t.Errorf("writer %d: %v", g, err)
					}
				}
			})
		}
		wg.Wait()
		w.inStep(t, "p")
		cs, err := store.ListContributions(ctx, "p")
		require.NoError(t, err)
		assert.Len(t, cs, writers*each)
	})
}

func TestNewSyncer(t *testing.T) {
	store := memory.New()
	rep := report.NewService(store, nil)
	for _, a := range []citylinks.Actor{{}, boulderCoordinator, monitor, pt.Actor("usaid", citylinks.RoleFunder)} {
		_, err := handoff.NewSyncer(store, rep, &handoff.Options{Actor: a})
		assert.ErrorIs(t, err, citylinks.ErrForbidden, "%+v", a)
	}
	_, err := handoff.NewSyncer(store, rep, nil)
	assert.ErrorIs(t, err, citylinks.ErrForbidden, "no actor")
	s, err := handoff.NewSyncer(store, rep, &handoff.Options{Actor: pt.Facilitator})
	require.NoError(t, err)
	n, err := s.SyncAll(t.Context())
	require.NoError(t, err)
	assert.Equal(t, handoff.Synced{}, n, "nothing to sync")
}
