package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

var t0 = time.Date(2016, 6, 30, 12, 0, 0, 0, time.UTC)

// checkProjection asserts that the summary the store lists for id equals
// the fold of the events it loads.
func checkProjection(t *testing.T, s Store, id string) partnership.Partnership {
	t.Helper()
	events, err := s.LoadPartnership(t.Context(), id)
	require.NoError(t, err)
	for i, e := range events {
		require.Equal(t, int64(i+1), e.Version, "versions run without gaps")
	}
	p, err := partnership.Fold(events)
	require.NoError(t, err)
	var listed []partnership.Summary
	f := partnership.Filter{Limit: citylinks.MaxPageSize}
	for {
		page, err := s.ListPartnerships(t.Context(), f)
		require.NoError(t, err)
		for _, sum := range page.Items {
			if sum.ID == id {
				listed = append(listed, sum)
			}
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	require.Len(t, listed, 1, "List returns %s once", id)
	assert.Empty(t, cmp.Diff(p.Summary(), listed[0]), "projection of %s differs from the fold of its events", id)
	return p
}

func testPartnerships(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		events := pt.Stream("p-1", 12, t0)
		// Append in three batches, including a multi-event one.
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 0, events[:1]))
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 1, events[1:5]))
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 5, events[5:]))
		got, err := s.LoadPartnership(ctx, "p-1")
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(events, got), "loaded events differ from appended ones")
		p := checkProjection(t, s, "p-1")
		assert.Equal(t, partnership.StateActive, p.State)
		assert.Equal(t, int64(12), p.Version)
	})

	t.Run("NotFound", func(t *testing.T) {
		s := newStore(t)
		_, err := s.LoadPartnership(t.Context(), "nobody")
		assert.ErrorIs(t, err, citylinks.ErrNotFound)
	})

	t.Run("Tail", func(t *testing.T) {
		s := newStore(t)
		ts, ok := s.(partnership.TailStore)
		if !ok {
			t.Skip("the store does not implement partnership.TailStore")
		}
		ctx := t.Context()
		_, err := ts.LoadPartnershipAfter(ctx, "nobody", 0)
		assert.ErrorIs(t, err, citylinks.ErrNotFound)
		events := pt.Stream("p-1", 12, t0)
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 0, events[:5]))
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 5, events[5:]))
		for _, after := range []int{0, 1, 5, 11, 12, 20} {
			got, err := ts.LoadPartnershipAfter(ctx, "p-1", int64(after))
			require.NoError(t, err, "after %d", after)
			want := events[min(after, len(events)):]
			assert.Empty(t, cmp.Diff(want, got, cmpopts.EquateEmpty()), "events after version %d", after)
		}
	})

	t.Run("Conflict", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		events := pt.Stream("p-1", 6, t0)
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 0, events[:3]))
		other := pt.Stream("p-1", 6, t0.Add(time.Hour))
		// A second creator, a stale writer, a writer from the future.
		assert.ErrorIs(t, s.AppendPartnership(ctx, "p-1", 0, other[:1]), citylinks.ErrConflict)
		assert.ErrorIs(t, s.AppendPartnership(ctx, "p-1", 2, other[2:4]), citylinks.ErrConflict)
		assert.ErrorIs(t, s.AppendPartnership(ctx, "p-1", 5, other[5:6]), citylinks.ErrConflict)
		assert.ErrorIs(t, s.AppendPartnership(ctx, "p-2", 1, pt.Stream("p-2", 2, t0)[1:]), citylinks.ErrConflict)
		got, err := s.LoadPartnership(ctx, "p-1")
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(events[:3], got), "a conflicting append left a trace")
		checkProjection(t, s, "p-1")
		_, err = s.LoadPartnership(ctx, "p-2")
		assert.ErrorIs(t, err, citylinks.ErrNotFound)
		assert.EqualError(t, err, `partnership "p-2" not found`)
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		ctx := t.Context()
		events := pt.Stream("p-1", 6, t0)
		require.NoError(t, s.AppendPartnership(ctx, "p-1", 0, events[:2]))
		bad := func(f func(e []partnership.Event) []partnership.Event) []partnership.Event {
			es := make([]partnership.Event, len(events))
			for i, e := range events {
				es[i] = e.Clone()
			}
			return f(es)
		}
		cases := map[string]struct {
			expected int64
			events   []partnership.Event
		}{
			"empty":    {2, nil},
			"gap":      {2, bad(func(e []partnership.Event) []partnership.Event { return e[3:4] })},
			"other id": {2, bad(func(e []partnership.Event) []partnership.Event { e[2].Partnership = "p-9"; return e[2:3] })},
			"no data":  {2, bad(func(e []partnership.Event) []partnership.Event { e[2].Data = nil; return e[2:3] })},
			"no date":  {2, bad(func(e []partnership.Event) []partnership.Event { e[2].On = citylinks.Date{}; return e[2:3] })},
			"bad payload": {2, bad(func(e []partnership.Event) []partnership.Event {
				e[2].Data.(*partnership.AgreementSigned).Signatories = nil
				return e[2:3]
			})},
			"negative":       {-1, events[:1]},
			"second propose": {2, bad(func(e []partnership.Event) []partnership.Event { e[0].Version = 3; return e[0:1] })},
			"closing early": {2, []partnership.Event{{Partnership: "p-1", Version: 3, On: events[2].On, At: t0, Actor: pt.Facilitator,
				Data: &partnership.ClosingStarted{}}}},
		}
		for name, c := range cases {
			err := s.AppendPartnership(ctx, "p-1", c.expected, c.events)
			assert.ErrorIs(t, err, citylinks.ErrInvalid, name)
		}
		got, err := s.LoadPartnership(ctx, "p-1")
		require.NoError(t, err)
		assert.Len(t, got, 2, "an invalid append left a trace")
		checkProjection(t, s, "p-1")
	})

	t.Run("Canceled", func(t *testing.T) {
		s := newStore(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := s.LoadPartnership(ctx, "p-1")
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, s.AppendPartnership(ctx, "p-1", 0, pt.Stream("p-1", 1, t0)), context.Canceled)
		_, err = s.ListPartnerships(ctx, partnership.Filter{})
		assert.ErrorIs(t, err, context.Canceled)
		_, err = s.LoadPartnership(t.Context(), "p-1")
		assert.ErrorIs(t, err, citylinks.ErrNotFound, "a canceled append stored something")
	})

	t.Run("List", func(t *testing.T) { testPartnershipList(t, newStore(t)) })
	t.Run("Service", func(t *testing.T) { testPartnershipService(t, newStore(t)) })
	t.Run("Ownership", func(t *testing.T) { testPartnershipOwnership(t, newStore(t)) })
	t.Run("Concurrent", func(t *testing.T) { testPartnershipConcurrency(t, newStore(t)) })
}

func testPartnershipList(t *testing.T, s Store) {
	ctx := t.Context()
	clock := &pt.Clock{}
	svc := partnership.NewService(s, &partnership.Options{Now: clock.Now})
	fac := pt.Facilitator
	// a: Shimla–Boulder, active. b: Durban–South Florida, proposed.
	// c: Shimla–Boulder in another program, declined. d: suspended from active.
	_, err := pt.ToActive(ctx, svc, "a")
	require.NoError(t, err)
	_, err = svc.Propose(ctx, fac, partnership.Propose{ID: "b", Title: "Durban–Southeast Florida", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Parties: pt.DurbanSouthFlorida()})
	require.NoError(t, err)
	c := pt.Proposal("c")
	c.Program, c.FocusArea = citylinks.ProgramResourceCities, citylinks.FocusMunicipalManagement
	_, err = svc.Propose(ctx, fac, c)
	require.NoError(t, err)
	_, err = svc.Decline(ctx, fac, "c", citylinks.Date{}, "not selected")
	require.NoError(t, err)
	_, err = pt.ToActive(ctx, svc, "d")
	require.NoError(t, err)
	_, err = svc.Suspend(ctx, fac, "d", citylinks.Date{}, "monsoon")
	require.NoError(t, err)
	for _, id := range []string{"a", "b", "c", "d"} {
		checkProjection(t, s, id)
	}

	ids := func(f partnership.Filter) []string {
		t.Helper()
		var out []string
		for {
			page, err := s.ListPartnerships(ctx, f)
			require.NoError(t, err)
			for _, p := range page.Items {
				out = append(out, p.ID)
			}
			if page.Next == "" {
				return out
			}
			f.After = page.Next
		}
	}
	cases := []struct {
		name string
		f    partnership.Filter
		want []string
	}{
		{"all", partnership.Filter{}, []string{"a", "b", "c", "d"}},
		{"paged by one", partnership.Filter{Limit: 1}, []string{"a", "b", "c", "d"}},
		{"after", partnership.Filter{After: "b"}, []string{"c", "d"}},
		{"state", partnership.Filter{States: []partnership.State{partnership.StateActive}}, []string{"a"}},
		{"states", partnership.Filter{States: []partnership.State{partnership.StateSuspended, partnership.StateDeclined}}, []string{"c", "d"}},
		{"program", partnership.Filter{Programs: []string{citylinks.ProgramResourceCities}}, []string{"c"}},
		{"focus area", partnership.Filter{FocusAreas: []string{citylinks.FocusClimate}}, []string{"a", "b", "d"}},
		{"host country", partnership.Filter{HostCountries: []string{"ZA"}}, []string{"b"}},
		{"host country not resource", partnership.Filter{HostCountries: []string{"US"}}, nil},
		{"organization", partnership.Filter{Organizations: []string{pt.Boulder}}, []string{"a", "c", "d"}},
		{"composite party", partnership.Filter{Organizations: []string{pt.SouthFlorida}}, []string{"b"}},
		{"composite member", partnership.Filter{Organizations: []string{pt.Broward}}, []string{"b"}},
		{"organizations", partnership.Filter{Organizations: []string{pt.Broward, pt.Shimla}, Limit: 2}, []string{"a", "b", "c", "d"}},
		{"and", partnership.Filter{Organizations: []string{pt.ICMA}, HostCountries: []string{"IN"}, States: []partnership.State{partnership.StateSuspended}}, []string{"d"}},
		{"nothing", partnership.Filter{Programs: []string{"no-such-program"}}, nil},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, ids(c.f), c.name)
	}
	_, err = s.ListPartnerships(ctx, partnership.Filter{States: []partnership.State{"bogus"}})
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
	_, err = s.ListPartnerships(ctx, partnership.Filter{Limit: -1})
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
}

// testPartnershipService walks a partnership through its lifecycle over the
// store and checks that refused commands leave no trace.
func testPartnershipService(t *testing.T, s Store) {
	ctx := t.Context()
	clock := &pt.Clock{}
	approved := false
	svc := partnership.NewService(s, &partnership.Options{Now: clock.Now,
		Results: partnership.ResultsCheckerFunc(func(context.Context, string) (bool, error) { return approved, nil })})
	fac := pt.Facilitator
	_, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	before, err := s.LoadPartnership(ctx, "p")
	require.NoError(t, err)

	refused := []struct {
		actor citylinks.Actor
		cmd   partnership.Command
		want  error
	}{
		{fac, partnership.StartClosing{}, partnership.ErrPrecondition},                       // no exchange done
		{fac, partnership.Decline{}, partnership.ErrPrecondition},                            // not a proposal
		{fac, partnership.Ratify{Party: pt.Boulder, Body: "x"}, partnership.ErrPrecondition}, // too late
		{fac, partnership.Terminate{}, citylinks.ErrInvalid},                                 // no reason
		{fac, partnership.Extend{End: pt.D(2015, 1, 1)}, partnership.ErrPrecondition},        // not later
		{pt.Actor(pt.Shimla, citylinks.RoleViewer), partnership.Suspend{}, citylinks.ErrForbidden},
		{pt.Actor(pt.Durban, citylinks.RoleCoordinator), partnership.RecordContribution{Contribution: partnership.Contribution{
			Party: pt.Durban, Person: "x", Date: pt.D(2015, 6, 1), Minutes: 60}}, citylinks.ErrForbidden},
		{fac, partnership.RecordExchange{Exchange: partnership.Exchange{From: pt.Boulder, To: "nowhere", Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 2),
			Purpose: "x", Status: partnership.ExchangeDone}}, citylinks.ErrInvalid},
		{fac, partnership.Propose{ID: "p", Title: "again", Program: "p", FocusArea: "f", Parties: pt.ShimlaBoulder()}, citylinks.ErrConflict},
	}
	for _, r := range refused {
		_, err := svc.Execute(ctx, r.actor, "p", r.cmd)
		assert.ErrorIs(t, err, r.want, "%s by %s", r.cmd.Action(), r.actor.ID)
	}
	after, err := s.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(before, after), "a refused command left a trace")

	x := partnership.Exchange{ID: "trip-1", From: pt.Boulder, To: pt.Shimla, Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 5), Purpose: "first trip", Status: partnership.ExchangeDone}
	_, err = svc.RecordExchange(ctx, fac, "p", x)
	require.NoError(t, err)
	p, err := svc.RecordExchange(ctx, fac, "p", x) // the same again: no event
	require.NoError(t, err)
	assert.Equal(t, int64(5), p.Version)
	_, err = svc.StartClosing(ctx, fac, "p", citylinks.Date{})
	require.NoError(t, err)
	_, err = svc.Complete(ctx, fac, "p", citylinks.Date{})
	assert.ErrorIs(t, err, partnership.ErrPrecondition, "complete before results are approved")
	approved = true
	p, err = svc.Complete(ctx, fac, "p", citylinks.Date{})
	require.NoError(t, err)
	assert.Equal(t, partnership.StateCompleted, p.State)
	got := checkProjection(t, s, "p")
	assert.Empty(t, cmp.Diff(p, got), "the Service's state differs from the fold of the stored events")
}

// testPartnershipConcurrency runs 64 goroutines issuing commands on one
// partnership: every accepted command's event is stored exactly once,
// versions have no gaps, refused commands leave nothing, and the projection
// equals the fold.
func testPartnershipConcurrency(t *testing.T, s Store) {
	ctx := t.Context()
	clock := &pt.Clock{}
	svc := partnership.NewService(s, &partnership.Options{Now: clock.Now, MaxRetries: 10_000})
	_, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	const workers = 64
	per := scale(2)
	coordinator := pt.Actor(pt.Boulder, citylinks.RoleCoordinator)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted = map[string]int{} // contribution or exchange id → times accepted
		refused  = map[string]bool{}
		fails    []error
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				id := fmt.Sprintf("w%02d-%d", w, i)
				var cmd partnership.Command
				actor := coordinator
				switch {
				case w%8 == 7:
					// Refused by the policy: a coordinator, even of a
					// party, may not suspend.
					actor, cmd = pt.Actor(pt.Shimla, citylinks.RoleCoordinator), partnership.Suspend{Reason: id}
				case w%8 == 6:
					// Refused by the guard: a contribution from the future.
					cmd = partnership.RecordContribution{Contribution: partnership.Contribution{ID: id, Party: pt.Boulder, Person: "p", Date: pt.D(2030, 1, 1), Minutes: 1}}
				case w%8 == 4:
					// Refused by the guard: no exchange is done (they are
					// all planned).
					actor, cmd = pt.Facilitator, partnership.StartClosing{}
				case w%8 == 5:
					cmd = partnership.RecordExchange{Exchange: partnership.Exchange{ID: id, From: pt.Shimla, To: pt.Boulder,
						Start: pt.D(2015, 7, 1), End: pt.D(2015, 7, 8), Purpose: "study visit", Status: partnership.ExchangePlanned}}
				default:
					cmd = partnership.RecordContribution{Contribution: partnership.Contribution{ID: id, Party: pt.Boulder, Person: fmt.Sprintf("v%d", w),
						Date: pt.D(2015, 7, 1), Minutes: int64(60 + w), InKind: citylinks.Money{Amount: int64(100 * i), Currency: "USD"}}}
				}
				_, err := svc.Execute(ctx, actor, "p", cmd)
				mu.Lock()
				switch {
				case err == nil:
					accepted[id]++
				case errors.Is(err, citylinks.ErrForbidden), errors.Is(err, citylinks.ErrInvalid), errors.Is(err, partnership.ErrPrecondition):
					refused[id] = true
				default:
					fails = append(fails, fmt.Errorf("%s: %w", id, err))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Empty(t, fails)
	p := checkProjection(t, s, "p")
	stored := map[string]int{}
	events, err := s.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	for _, e := range events[4:] {
		switch d := e.Data.(type) {
		case *partnership.ContributionRecorded:
			stored[d.Contribution.ID]++
		case *partnership.ExchangeRecorded:
			stored[d.Exchange.ID]++
		default:
			t.Errorf("unexpected event %s at version %d", e.Kind(), e.Version)
		}
	}
	assert.Equal(t, accepted, stored, "every accepted command's event is stored exactly once")
	for id := range refused {
		assert.Zero(t, stored[id], "refused command %s left a trace", id)
	}
	assert.Equal(t, workers*per*5/8, len(accepted))
	assert.Equal(t, workers*per*3/8, len(refused))
	assert.Equal(t, int64(4+len(accepted)), p.Version)
	assert.Equal(t, partnership.StateActive, p.State)
	assert.True(t, slices.IsSortedFunc(events, func(a, b partnership.Event) int { return int(a.Version - b.Version) }))
}

// testPartnershipOwnership revises, through the Service over the store,
// every exchange and contribution of a partnership with a composite party
// as every party's coordinator and the facilitator. Each record is owned
// by the organization of the actor who first recorded it: the
// facilitator revises any; a coordinator revises its own organization's,
// and the coordinator of the composite party's organization its members'
// too; a record stored without an owner (an actor of no organization) only
// the facilitator revises. A denial is a *partnership.ForbiddenError naming
// the owner and stores nothing. Ownership survives the store: the stream
// loaded back folds to the same owners.
func testPartnershipOwnership(t *testing.T, s Store) {
	ctx := t.Context()
	clock := &pt.Clock{}
	svc := partnership.NewService(s, &partnership.Options{Now: clock.Now})
	fac := pt.Facilitator
	const id = "q"
	for _, c := range []partnership.Command{
		partnership.Propose{ID: id, Title: "Durban–Southeast Florida", Program: citylinks.ProgramCityLinks2011, FocusArea: citylinks.FocusClimate,
			Parties: pt.DurbanSouthFlorida(), On: pt.D(2013, 7, 1)},
		partnership.Ratify{Party: pt.SouthFlorida, Body: "Fort Lauderdale City Commission", On: pt.D(2013, 7, 8)},
		partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 9, 30), On: pt.D(2013, 7, 10)},
		partnership.AgreeWorkPlan{Plan: partnership.WorkPlan{Objectives: []partnership.Objective{{Text: "a regional climate compact"}}}, On: pt.D(2013, 7, 15)},
	} {
		_, err := svc.Execute(ctx, fac, id, c)
		require.NoError(t, err, "fixture: %s", c.Action())
	}
	trip := func(x string, st partnership.ExchangeStatus) partnership.Exchange {
		return partnership.Exchange{ID: x, From: pt.SouthFlorida, To: pt.Durban, Start: pt.D(2013, 7, 20), End: pt.D(2013, 7, 26),
			Purpose: "US staff travel to Durban", Status: st}
	}
	hours := func(c, party string, minutes int64) partnership.Contribution {
		return partnership.Contribution{ID: c, Party: party, Person: "planner", Date: pt.D(2013, 7, 22), Minutes: minutes}
	}
	// A record stored by an actor of no organization: the form of events
	// written before ownership counted, or by an import.
	events, err := s.LoadPartnership(ctx, id)
	require.NoError(t, err)
	importer := citylinks.Actor{ID: "importer", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	v := int64(len(events))
	require.NoError(t, s.AppendPartnership(ctx, id, v, []partnership.Event{
		{Partnership: id, Version: v + 1, On: pt.D(2013, 7, 26), At: clock.Now(), Actor: importer, Data: &partnership.ExchangeRecorded{Exchange: func() partnership.Exchange {
			x := trip("x-", partnership.ExchangeDone)
			x.Direction = partnership.ToHost
			return x
		}()}},
		{Partnership: id, Version: v + 2, On: pt.D(2013, 7, 22), At: clock.Now(), Actor: importer, Data: &partnership.ContributionRecorded{Contribution: hours("c-", pt.Broward, 60)}},
	}))
	coordinator := func(org string) citylinks.Actor { return pt.Actor(org, citylinks.RoleCoordinator) }
	owners := []string{pt.ICMA, pt.Durban, pt.SouthFlorida, pt.Broward}
	for _, org := range owners {
		a, credit := coordinator(org), org
		if org == pt.ICMA {
			a, credit = fac, pt.Durban
		}
		_, err := svc.RecordExchange(ctx, a, id, trip("x-"+org, partnership.ExchangeDone))
		require.NoError(t, err, "%s records an exchange", org)
		_, err = svc.RecordContribution(ctx, a, id, hours("c-"+org, credit, 60))
		require.NoError(t, err, "%s records a contribution", org)
	}
	revisers := []citylinks.Actor{fac, coordinator(pt.Durban), coordinator(pt.SouthFlorida), coordinator(pt.Broward), coordinator(pt.FortLauderdale)}
	for _, r := range revisers {
		for _, owner := range append(owners, "") {
			allowed := r.Has(citylinks.RoleFacilitator) || owner != "" && (r.Organization == owner ||
				r.Organization == pt.SouthFlorida && (owner == pt.Broward || owner == pt.FortLauderdale))
			p, err := svc.Get(ctx, fac, id)
			require.NoError(t, err)
			c, ok := p.Contribution("c-" + owner)
			require.True(t, ok)
			c.Minutes += 30
			x := trip("x-"+owner, partnership.ExchangeCancelled)
			for _, cmd := range []partnership.Command{partnership.RecordExchange{Exchange: x}, partnership.RecordContribution{Contribution: c}} {
				before, err := s.LoadPartnership(ctx, id)
				require.NoError(t, err)
				_, err = svc.Execute(ctx, r, id, cmd)
				what := fmt.Sprintf("%s by %s of the record of %q", cmd.Action(), r.ID, owner)
				if allowed {
					require.NoError(t, err, what)
					continue
				}
				var fe *partnership.ForbiddenError
				require.ErrorAs(t, err, &fe, what)
				assert.ErrorIs(t, err, citylinks.ErrForbidden, what)
				if owner == "" {
					assert.Contains(t, fe.Reason, "was recorded by no organization; only a facilitator may revise it", what)
				} else {
					assert.Contains(t, fe.Reason, "was recorded by "+owner+"; a coordinator of "+r.Organization+" may revise only its own organization's records", what)
				}
				after, err := s.LoadPartnership(ctx, id)
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(before, after), "%s left a trace", what)
			}
		}
	}
	// Each coordinator credits contributions to its own organization only;
	// the composite party's coordinator also to its members.
	credits := []struct {
		actor citylinks.Actor
		party string
		ok    bool
	}{
		{coordinator(pt.Broward), pt.Broward, true},
		{coordinator(pt.Broward), pt.SouthFlorida, false},
		{coordinator(pt.Broward), pt.FortLauderdale, false},
		{coordinator(pt.SouthFlorida), pt.FortLauderdale, true},
		{coordinator(pt.Durban), pt.Broward, false},
		{fac, pt.FortLauderdale, true},
	}
	for _, k := range credits {
		_, err := svc.RecordContribution(ctx, k.actor, id, hours("", k.party, 45))
		if k.ok {
			assert.NoError(t, err, "%s credits %s", k.actor.ID, k.party)
		} else {
			assert.ErrorIs(t, err, citylinks.ErrForbidden, "%s credits %s", k.actor.ID, k.party)
		}
	}
	p := checkProjection(t, s, id)
	for _, owner := range append(owners, "") {
		got, ok := p.ExchangeOwner("x-" + owner)
		assert.True(t, ok)
		assert.Equal(t, owner, got, "the owner of exchange x-%s, loaded back", owner)
		got, ok = p.ContributionOwner("c-" + owner)
		assert.True(t, ok)
		assert.Equal(t, owner, got, "the owner of contribution c-%s, loaded back", owner)
	}
}

// OtherWriters checks that a store which caches the events it has read
// still sees, in its next load, the events another store over the same
// database (another process) appended: a and b are two such stores.
func OtherWriters(t *testing.T, a, b partnership.Store) {
	t.Helper()
	ctx := t.Context()
	events := pt.Stream("p", 9, time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, a.AppendPartnership(ctx, "p", 0, events[:3]))
	for _, n := range []int{3, 6, 9} {
		if n > 3 {
			require.NoError(t, a.AppendPartnership(ctx, "p", int64(n-3), events[n-3:n]))
		}
		got, err := b.LoadPartnership(ctx, "p")
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(events[:n], got), "b after a appended up to version %d", n)
		got[0].Actor.Roles[0] = "changed" // a caller's change must not reach the cache
	}
	got, err := b.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(events, got))
}
