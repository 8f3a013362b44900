package partnership_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
)

var approve = partnership.ResultsCheckerFunc(func(context.Context, string) (bool, error) { return true, nil })

func newService(t *testing.T, results partnership.ResultsChecker) (*partnership.Service, *memory.Store) {
	t.Helper()
	s := memory.New()
	return partnership.NewService(s, &partnership.Options{Now: (&pt.Clock{}).Now, Results: results}), s
}

func doneTrip(id string) partnership.Exchange {
	return partnership.Exchange{ID: id, From: pt.Boulder, To: pt.Shimla, Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 5),
		Purpose: "technical visit", Status: partnership.ExchangeDone}
}

// fixtures build a partnership "p" in each state, with every precondition
// of the next step met.
var fixtures = map[string][]partnership.Command{
	"proposed": {pt.Proposal("p"), partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)}},
	"agreed": {pt.Proposal("p"), partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council", On: pt.D(2015, 4, 7)},
		partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)}},
}

func init() {
	fixtures["active"] = append(fixtures["agreed"][:3:3], partnership.AgreeWorkPlan{Plan: pt.Plan(), On: pt.D(2015, 5, 15)}, partnership.RecordExchange{Exchange: doneTrip("x1")})
	fixtures["closing"] = append(fixtures["active"][:5:5], partnership.StartClosing{On: pt.D(2016, 3, 15)})
	fixtures["completed"] = append(fixtures["closing"][:6:6], partnership.Complete{On: pt.D(2016, 4, 30)})
	fixtures["suspended"] = append(fixtures["active"][:5:5], partnership.Suspend{Reason: "elections"})
	fixtures["declined"] = []partnership.Command{pt.Proposal("p"), partnership.Decline{Reason: "not selected"}}
	fixtures["terminated"] = append(fixtures["active"][:5:5], partnership.Terminate{Reason: "funding ended"})
}

func build(t *testing.T, svc *partnership.Service, cmds []partnership.Command) partnership.Partnership {
	t.Helper()
	var p partnership.Partnership
	for _, c := range cmds {
		var err error
		p, err = svc.Execute(t.Context(), pt.Facilitator, "p", c)
		require.NoError(t, err, "fixture step %s", c.Action())
	}
	return p
}

// TestTransitions runs every command in every state: the table says the
// state it leads to, or that a guard refuses it.
func TestTransitions(t *testing.T) {
	const (
		P = partnership.StateProposed
		A = partnership.StateAgreed
		X = partnership.StateActive
		C = partnership.StateClosing
		D = partnership.StateCompleted
		S = partnership.StateSuspended
		N = partnership.StateDeclined
		T = partnership.StateTerminated
		G = partnership.State("guard")    // refused by a *GuardError
		K = partnership.State("conflict") // citylinks.ErrConflict
	)
	commands := []partnership.Command{
		pt.Proposal("p"),
		partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council"},
		partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 9, 30)},
		partnership.DraftWorkPlan{Plan: pt.Plan()},
		partnership.AgreeWorkPlan{Plan: pt.Plan()},
		partnership.RecordExchange{Exchange: doneTrip("x2")},
		partnership.RecordContribution{Contribution: partnership.Contribution{ID: "c1", Party: pt.Boulder, Person: "J", Date: pt.D(2015, 6, 2), Minutes: 90}},
		partnership.StartClosing{},
		partnership.Complete{},
		partnership.Suspend{Reason: "r"},
		partnership.Resume{},
		partnership.Extend{End: pt.D(2016, 12, 31)},
		partnership.Decline{Reason: "r"},
		partnership.Terminate{Reason: "r"},
	}
	table := map[string][]partnership.State{
		//           propose ratify sign draft agree exch contrib closing complete suspend resume extend decline terminate
		"proposed":   {K, G, A, P, G, G, G, G, G, S, G, G, N, T},
		"agreed":     {K, G, G, A, X, A, A, G, G, S, G, A, G, T},
		"active":     {K, G, G, X, X, X, X, C, G, S, G, X, G, T},
		"closing":    {K, G, G, C, C, C, C, G, D, S, G, C, G, T},
		"completed":  {K, G, G, G, G, G, G, G, G, G, G, G, G, G},
		"suspended":  {K, G, G, G, G, G, G, G, G, G, X, S, G, T},
		"declined":   {K, G, G, G, G, G, G, G, G, G, G, G, G, G},
		"terminated": {K, G, G, G, G, G, G, G, G, G, G, G, G, G},
	}
	for from, row := range table {
		require.Len(t, row, len(commands))
		for i, cmd := range commands {
			t.Run(from+"/"+string(cmd.Action()), func(t *testing.T) {
				svc, store := newService(t, approve)
				build(t, svc, fixtures[from])
				before, err := store.LoadPartnership(t.Context(), "p")
				require.NoError(t, err)
				p, err := svc.Execute(t.Context(), pt.Facilitator, "p", cmd)
				switch want := row[i]; want {
				case G:
					var ge *partnership.GuardError
					require.ErrorAs(t, err, &ge)
					assert.ErrorIs(t, err, partnership.ErrPrecondition)
					assert.Equal(t, cmd.Action(), ge.Action)
					assert.NotEmpty(t, ge.Missing)
				case K:
					assert.ErrorIs(t, err, citylinks.ErrConflict)
				default:
					require.NoError(t, err)
					assert.Equal(t, want, p.State)
					after, err := store.LoadPartnership(t.Context(), "p")
					require.NoError(t, err)
					folded, err := partnership.Fold(after)
					require.NoError(t, err)
					assert.Empty(t, cmp.Diff(p, folded), "returned state differs from the fold of the stored events")
					return
				}
				after, err := store.LoadPartnership(t.Context(), "p")
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(before, after), "a refused command left a trace")
			})
		}
	}
}

// TestResumeReturnsToPriorState suspends from every open state and resumes.
func TestResumeReturnsToPriorState(t *testing.T) {
	for _, from := range []string{"proposed", "agreed", "active", "closing"} {
		t.Run(from, func(t *testing.T) {
			svc, _ := newService(t, approve)
			want := build(t, svc, fixtures[from]).State
			p, err := svc.Suspend(t.Context(), pt.Facilitator, "p", citylinks.Date{}, "council elections")
			require.NoError(t, err)
			assert.Equal(t, partnership.StateSuspended, p.State)
			assert.Equal(t, want, p.SuspendedFrom)
			assert.Equal(t, "council elections", p.Reason)
			p, err = svc.Resume(t.Context(), pt.Facilitator, "p", citylinks.Date{})
			require.NoError(t, err)
			assert.Equal(t, want, p.State)
			assert.Empty(t, p.SuspendedFrom)
		})
	}
}

// TestGuards covers each precondition and the error that names it.
func TestGuards(t *testing.T) {
	sign := partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 3, 31)}
	cases := []struct {
		name    string
		fixture []partnership.Command
		results partnership.ResultsChecker
		cmd     partnership.Command
		want    error  // a sentinel the error must wrap
		text    string // the message must contain it
	}{
		{"sign before ratification", []partnership.Command{pt.Proposal("p")}, nil, sign, partnership.ErrPrecondition, "cannot sign agreement: resource party boulder has not ratified"},
		{"composite party ratified by a member", nil, nil, nil, nil, ""}, // see TestCompositeParty
		{"ratify twice", fixtures["proposed"], nil, partnership.Ratify{Party: pt.Boulder, Body: "again"}, partnership.ErrPrecondition, "boulder has already ratified"},
		{"ratify a host", []partnership.Command{pt.Proposal("p")}, nil, partnership.Ratify{Party: pt.Shimla, Body: "x"}, citylinks.ErrInvalid, "not a resource party"},
		{"ratify after agreement", fixtures["agreed"], nil, partnership.Ratify{Party: pt.Boulder, Body: "x"}, partnership.ErrPrecondition, "ratification comes before"},
		{"activate without agreement", []partnership.Command{pt.Proposal("p")}, nil, partnership.AgreeWorkPlan{Plan: pt.Plan()}, partnership.ErrPrecondition, "cannot agree work plan: no agreement signed"},
		{"close without work plan", fixtures["agreed"], nil, partnership.StartClosing{}, partnership.ErrPrecondition, "cannot start closing: no work plan agreed"},
		{"close without a done exchange", fixtures["active"][:4], nil, partnership.StartClosing{}, partnership.ErrPrecondition, "cannot start closing: no exchange is done"},
		{"complete before closing", fixtures["active"], approve, partnership.Complete{}, partnership.ErrPrecondition, "closing has not started"},
		{"complete without results checker", fixtures["closing"], nil, partnership.Complete{}, partnership.ErrNoResultsChecker, "no results checker is configured"},
		{"complete before results are approved", fixtures["closing"],
			partnership.ResultsCheckerFunc(func(context.Context, string) (bool, error) { return false, nil }),
			partnership.Complete{}, partnership.ErrPrecondition, "the final results are not approved"},
		{"results checker fails", fixtures["closing"],
			partnership.ResultsCheckerFunc(func(context.Context, string) (bool, error) { return false, citylinks.ErrNotFound }),
			partnership.Complete{}, citylinks.ErrNotFound, "checking final results"},
		{"extend to an earlier end", fixtures["active"], nil, partnership.Extend{End: pt.D(2016, 1, 1)}, partnership.ErrPrecondition, "not after the current end 2016-03-31"},
		{"extend a proposal", fixtures["proposed"], nil, partnership.Extend{End: pt.D(2016, 1, 1)}, partnership.ErrPrecondition, "no agreement signed"},
		{"decline an agreed partnership", fixtures["agreed"], nil, partnership.Decline{}, partnership.ErrPrecondition, "only a proposal can be declined"},
		{"terminate without reason", fixtures["active"], nil, partnership.Terminate{}, citylinks.ErrInvalid, "reason: must not be empty"},
		{"terminate a completed partnership", fixtures["completed"], approve, partnership.Terminate{Reason: "r"}, partnership.ErrPrecondition, "the partnership is completed"},
		{"suspend twice", fixtures["suspended"], nil, partnership.Suspend{}, partnership.ErrPrecondition, "already suspended"},
		{"resume when not suspended", fixtures["active"], nil, partnership.Resume{}, partnership.ErrPrecondition, "not suspended"},
		{"exchange while suspended", fixtures["suspended"], nil, partnership.RecordExchange{Exchange: doneTrip("x9")}, partnership.ErrPrecondition, "suspended (resume it first)"},
		{"done exchange back to planned", fixtures["active"], nil,
			partnership.RecordExchange{Exchange: func() partnership.Exchange { x := doneTrip("x1"); x.Status = partnership.ExchangePlanned; return x }()},
			partnership.ErrPrecondition, "exchange x1 is done"},
		{"exchange to a stranger", fixtures["active"], nil,
			partnership.RecordExchange{Exchange: func() partnership.Exchange { x := doneTrip("x2"); x.To = "paris"; return x }()},
			citylinks.ErrInvalid, "exchange.to"},
		{"exchange with the wrong direction", fixtures["active"], nil,
			partnership.RecordExchange{Exchange: func() partnership.Exchange { x := doneTrip("x2"); x.Direction = partnership.ToResource; return x }()},
			citylinks.ErrInvalid, "goes to-host"},
		{"done exchange in the future", fixtures["active"], nil,
			partnership.RecordExchange{Exchange: func() partnership.Exchange { x := doneTrip("x2"); x.End = pt.D(2017, 1, 1); return x }()},
			citylinks.ErrInvalid, "cannot end in the future"},
		{"contribution by a stranger", fixtures["active"], nil,
			partnership.RecordContribution{Contribution: partnership.Contribution{Party: "paris", Person: "x", Date: pt.D(2015, 6, 1), Minutes: 1}},
			citylinks.ErrInvalid, "contribution.party"},
		{"contribution without person", fixtures["active"], nil,
			partnership.RecordContribution{Contribution: partnership.Contribution{Party: pt.Boulder, Date: pt.D(2015, 6, 1), Minutes: 60}},
			citylinks.ErrInvalid, "needs the person"},
		{"contribution with a bad currency", fixtures["active"], nil,
			partnership.RecordContribution{Contribution: partnership.Contribution{Party: pt.Boulder, Date: pt.D(2015, 6, 1), InKind: citylinks.Money{Amount: 5, Currency: "usd"}}},
			citylinks.ErrInvalid, "in_kind.currency"},
		{"empty contribution", fixtures["active"], nil,
			partnership.RecordContribution{Contribution: partnership.Contribution{Party: pt.Boulder, Date: pt.D(2015, 6, 1)}},
			citylinks.ErrInvalid, "needs volunteer minutes or an in-kind value"},
		{"a date in the future", fixtures["active"], nil, partnership.Suspend{On: pt.D(2016, 7, 1)}, citylinks.ErrInvalid, "in the future"},
		{"a step before the previous one", fixtures["active"], nil, partnership.Suspend{On: pt.D(2015, 1, 1)}, citylinks.ErrInvalid, "before the partnership's previous step"},
		{"agreement ending before it is signed", fixtures["proposed"], nil,
			partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2015, 1, 1), On: pt.D(2015, 4, 10)},
			citylinks.ErrInvalid, "not after the signing date"},
		{"signatory of no party", fixtures["proposed"], nil,
			partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: "paris", Name: "S"}}, End: pt.D(2016, 1, 1)},
			citylinks.ErrInvalid, "signatories[0].party"},
		{"work plan exchange with a stranger", fixtures["agreed"], nil,
			partnership.AgreeWorkPlan{Plan: partnership.WorkPlan{Objectives: []partnership.Objective{{Text: "o"}}, Exchanges: []partnership.PlannedExchange{{From: pt.Boulder, To: "paris", Purpose: "p"}}}},
			citylinks.ErrInvalid, "plan.exchanges[0].to"},
		{"work plan with no objective and no draft", fixtures["agreed"], nil, partnership.AgreeWorkPlan{}, citylinks.ErrInvalid, "plan.objectives"},
		{"unknown partnership", nil, nil, partnership.Suspend{}, citylinks.ErrNotFound, "not found"},
	}
	for _, c := range cases {
		if c.cmd == nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			svc, store := newService(t, c.results)
			build(t, svc, c.fixture)
			before, _ := store.LoadPartnership(t.Context(), "p")
			_, err := svc.Execute(t.Context(), pt.Facilitator, "p", c.cmd)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.want)
			assert.Contains(t, err.Error(), c.text)
			after, _ := store.LoadPartnership(t.Context(), "p")
			assert.Empty(t, cmp.Diff(before, after), "a refused command left a trace")
		})
	}
}

// TestProposalValidation checks that a bad proposal names the field.
func TestProposalValidation(t *testing.T) {
	with := func(f func(*partnership.Propose)) partnership.Propose {
		p := pt.Proposal("p")
		f(&p)
		return p
	}
	cases := map[string]struct {
		cmd   partnership.Propose
		field string
	}{
		"no title":    {with(func(p *partnership.Propose) { p.Title = " " }), "title"},
		"bad program": {with(func(p *partnership.Propose) { p.Program = "CityLinks 2011" }), "program"},
		"no host":     {with(func(p *partnership.Propose) { p.Parties = p.Parties[1:] }), "parties"},
		"no resource": {with(func(p *partnership.Propose) { p.Parties = slicesDelete(p.Parties, 1) }), "parties"},
		"bad role":    {with(func(p *partnership.Propose) { p.Parties[2].Role = "sponsor" }), "parties[2].role"},
		"bad country": {with(func(p *partnership.Propose) { p.Parties[0].Country = "XX" }), "parties[0].country"},
		"no org id":   {with(func(p *partnership.Propose) { p.Parties[1].Organization = "" }), "parties[1].organization"},
		"twice":       {with(func(p *partnership.Propose) { p.Parties[3].Organization = pt.Shimla }), "parties[3].organization"},
		"end before":  {with(func(p *partnership.Propose) { p.Start, p.End = pt.D(2016, 1, 1), pt.D(2015, 1, 1) }), "end"},
		"bad date":    {with(func(p *partnership.Propose) { p.On = citylinks.Date{Year: 2015, Month: 2, Day: 30} }), "on"},
		"future date": {with(func(p *partnership.Propose) { p.On = pt.D(2020, 1, 1) }), "on"},
		"one member": {with(func(p *partnership.Propose) {
			p.Parties[1].Members = []citylinks.Member{{ID: "m", Name: "M", Kind: citylinks.KindCity}}
		}), "parties[1].members"},
		"NUL in notes": {with(func(p *partnership.Propose) { p.Notes = "a\x00b" }), "notes"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			svc, store := newService(t, nil)
			_, err := svc.Propose(t.Context(), pt.Facilitator, c.cmd)
			var ve *citylinks.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, c.field, ve.Field)
			_, err = store.LoadPartnership(t.Context(), "p")
			assert.ErrorIs(t, err, citylinks.ErrNotFound, "an invalid proposal was stored")
		})
	}
}

func slicesDelete(ps []partnership.Party, i int) []partnership.Party {
	out := append([]partnership.Party(nil), ps[:i]...)
	return append(out, ps[i+1:]...)
}

// TestCompositeParty: a composite resource party ratifies through either
// its own id or a member's; member ids count as the party everywhere.
func TestCompositeParty(t *testing.T) {
	svc, _ := newService(t, nil)
	ctx := t.Context()
	_, err := svc.Propose(ctx, pt.Facilitator, partnership.Propose{ID: "p", Title: "Durban–Southeast Florida", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Parties: pt.DurbanSouthFlorida(), On: pt.D(2013, 7, 1)})
	require.NoError(t, err)
	_, err = svc.Ratify(ctx, pt.Facilitator, "p", partnership.Ratify{Party: pt.Broward, Body: "Broward County Board of County Commissioners"})
	require.NoError(t, err)
	p, err := svc.SignAgreement(ctx, pt.Facilitator, "p", partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.FortLauderdale, Name: "S"}}, End: pt.D(2016, 9, 30)})
	require.NoError(t, err)
	assert.Equal(t, partnership.StateAgreed, p.State)
	broward := pt.Actor(pt.Broward, citylinks.RoleCoordinator)
	p, err = svc.RecordContribution(ctx, broward, "p", partnership.Contribution{Party: pt.Broward, Person: "Planner", Date: pt.D(2013, 7, 20), Minutes: 600})
	require.NoError(t, err)
	assert.Len(t, p.Contributions, 1)
	q, ok := p.Party(pt.Broward)
	require.True(t, ok)
	assert.Equal(t, pt.SouthFlorida, q.Organization)
	assert.Equal(t, "ZA", p.HostCountry())
}

// TestHistoryAndAsOf: history lists who did what when; the state as of a
// date folds what had happened by then.
func TestHistoryAndAsOf(t *testing.T) {
	svc, _ := newService(t, approve)
	ctx := t.Context()
	_, err := pt.ToActive(ctx, svc, "p")
	require.NoError(t, err)
	_, err = svc.Suspend(ctx, pt.Facilitator, "p", pt.D(2015, 8, 1), "monsoon")
	require.NoError(t, err)
	_, err = svc.Resume(ctx, pt.Facilitator, "p", pt.D(2015, 9, 1))
	require.NoError(t, err)
	h, err := svc.History(ctx, pt.Facilitator, "p")
	require.NoError(t, err)
	var kinds []partnership.EventKind
	for i, e := range h {
		kinds = append(kinds, e.Kind())
		assert.Equal(t, pt.Facilitator.ID, e.Actor.ID)
		assert.Equal(t, int64(i+1), e.Version)
		if i > 0 {
			assert.True(t, e.At.After(h[i-1].At), "instants increase")
		}
	}
	assert.Equal(t, []partnership.EventKind{partnership.EventProposed, partnership.EventRatified, partnership.EventAgreementSigned,
		partnership.EventWorkPlanAgreed, partnership.EventSuspended, partnership.EventResumed}, kinds)
	for _, c := range []struct {
		on   citylinks.Date
		want partnership.State
	}{
		{pt.D(2015, 3, 23), partnership.StateProposed},
		{pt.D(2015, 4, 19), partnership.StateProposed},
		{pt.D(2015, 4, 20), partnership.StateAgreed},
		{pt.D(2015, 6, 1), partnership.StateActive},
		{pt.D(2015, 8, 15), partnership.StateSuspended},
		{pt.D(2016, 1, 1), partnership.StateActive},
	} {
		p, err := svc.AsOf(ctx, pt.Facilitator, "p", c.on)
		require.NoError(t, err, "as of %s", c.on)
		assert.Equal(t, c.want, p.State, "as of %s", c.on)
	}
	_, err = svc.AsOf(ctx, pt.Facilitator, "p", pt.D(2015, 3, 22))
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
	p, err := svc.Recorded(ctx, pt.Facilitator, "p", h[2].At)
	require.NoError(t, err)
	assert.Equal(t, partnership.StateAgreed, p.State)
	assert.Equal(t, int64(3), p.Version)
}

// TestIdempotentRecords: recording the same exchange or contribution twice
// stores one event; a changed one replaces it.
func TestIdempotentRecords(t *testing.T) {
	svc, store := newService(t, nil)
	ctx := t.Context()
	build(t, svc, fixtures["active"])
	c := partnership.Contribution{ID: "c", Party: pt.Boulder, Person: "J", Date: pt.D(2015, 6, 2), Minutes: 90}
	_, err := svc.RecordContribution(ctx, pt.Facilitator, "p", c)
	require.NoError(t, err)
	p, err := svc.RecordContribution(ctx, pt.Facilitator, "p", c)
	require.NoError(t, err)
	assert.Equal(t, int64(6), p.Version, "the same contribution again is no event")
	c.Minutes = 120
	p, err = svc.RecordContribution(ctx, pt.Facilitator, "p", c)
	require.NoError(t, err)
	assert.Equal(t, int64(7), p.Version)
	require.Len(t, p.Contributions, 1)
	assert.Equal(t, int64(120), p.Contributions[0].Minutes)
	events, err := store.LoadPartnership(ctx, "p")
	require.NoError(t, err)
	assert.Len(t, events, 7)
}

// TestCanceled: a canceled context stops a command before it stores.
func TestCanceled(t *testing.T) {
	svc, store := newService(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := svc.Propose(ctx, pt.Facilitator, pt.Proposal("p"))
	assert.True(t, errors.Is(err, context.Canceled))
	_, err = store.LoadPartnership(t.Context(), "p")
	assert.ErrorIs(t, err, citylinks.ErrNotFound)
}
