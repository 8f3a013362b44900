package partnership_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
)

// pair is one of the two partnerships of the own-or-other matrix, with
// what its commands need: its resource and host parties.
type pair struct {
	id             string
	propose        partnership.Propose
	resource, host string
}

var (
	// shimla is Shimla–Boulder: Boulder's own partnership.
	shimla = pair{"p", pt.Proposal("p"), pt.Boulder, pt.Shimla}
	// durban is Durban–Southeast Florida: Broward County's own (as a member
	// of the composite Fort Lauderdale + Broward party), not Boulder's.
	durban = pair{"q", partnership.Propose{ID: "q", Title: "Durban–Southeast Florida", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Parties: pt.DurbanSouthFlorida(), On: pt.D(2015, 3, 23)}, pt.SouthFlorida, pt.Durban}
)

func (p pair) plan() partnership.WorkPlan {
	return partnership.WorkPlan{Objectives: []partnership.Objective{{Code: "O1", Text: "adapt"}},
		Exchanges: []partnership.PlannedExchange{{From: p.resource, To: p.host, Purpose: "first visit"}}}
}

func (p pair) trip(id string) partnership.Exchange {
	return partnership.Exchange{ID: id, From: p.resource, To: p.host, Start: pt.D(2015, 6, 1), End: pt.D(2015, 6, 5),
		Purpose: "technical visit", Status: partnership.ExchangeDone}
}

// proposalOnly is the fixture state of a proposal no party has ratified.
const proposalOnly partnership.State = "proposal-only"

// steps returns the commands that bring p to state (proposed means
// proposed and ratified).
func (p pair) steps(state partnership.State) []partnership.Command {
	ratify := partnership.Ratify{Party: p.resource, Body: "council", On: pt.D(2015, 4, 7)}
	sign := partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 3, 31), On: pt.D(2015, 4, 20)}
	active := []partnership.Command{p.propose, ratify, sign, partnership.AgreeWorkPlan{Plan: p.plan(), On: pt.D(2015, 5, 15)}, partnership.RecordExchange{Exchange: p.trip("x1")}}
	switch state {
	case "":
		return nil
	case proposalOnly:
		return active[:1]
	case partnership.StateProposed:
		return active[:2]
	case partnership.StateAgreed:
		return active[:3]
	case partnership.StateActive:
		return active
	case partnership.StateClosing:
		return append(active, partnership.StartClosing{On: pt.D(2016, 3, 15)})
	case partnership.StateSuspended:
		return append(active, partnership.Suspend{Reason: "elections", On: pt.D(2015, 8, 1)})
	}
	panic("no fixture for " + state)
}

// command returns the command of action a on p, and the state it needs.
func (p pair) command(a partnership.Action) (partnership.State, partnership.Command) {
	switch a {
	case partnership.ActionPropose:
		return "", p.propose
	case partnership.ActionRatify:
		return proposalOnly, partnership.Ratify{Party: p.resource, Body: "council"}
	case partnership.ActionSignAgreement:
		return partnership.StateProposed, partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 9, 30)}
	case partnership.ActionDraftWorkPlan:
		return partnership.StateAgreed, partnership.DraftWorkPlan{Plan: p.plan()}
	case partnership.ActionAgreeWorkPlan:
		return partnership.StateAgreed, partnership.AgreeWorkPlan{Plan: p.plan()}
	case partnership.ActionRecordExchange:
		return partnership.StateActive, partnership.RecordExchange{Exchange: p.trip("x2")}
	case partnership.ActionRecordContribution:
		return partnership.StateActive, partnership.RecordContribution{Contribution: partnership.Contribution{Party: p.resource, Person: "J", Date: pt.D(2015, 6, 2), Minutes: 90}}
	case partnership.ActionStartClosing:
		return partnership.StateActive, partnership.StartClosing{}
	case partnership.ActionComplete:
		return partnership.StateClosing, partnership.Complete{}
	case partnership.ActionSuspend:
		return partnership.StateActive, partnership.Suspend{}
	case partnership.ActionResume:
		return partnership.StateSuspended, partnership.Resume{}
	case partnership.ActionExtend:
		return partnership.StateActive, partnership.Extend{End: pt.D(2016, 12, 31)}
	case partnership.ActionDecline:
		return partnership.StateProposed, partnership.Decline{}
	case partnership.ActionTerminate:
		return partnership.StateActive, partnership.Terminate{Reason: "r"}
	}
	panic("no command for " + a)
}

// scopedRoles are the actors of the matrix: one per role, coordinators of
// an organization that is a party to exactly one of the two partnerships,
// and what each may do beside reading.
var scopedRoles = []struct {
	name    string
	actor   citylinks.Actor
	own     string // the id of the actor's own partnership, for coordinators
	allowed []partnership.Action
}{
	{"facilitator", pt.Facilitator, "", partnership.Actions()},
	{"funder", pt.Actor(pt.USAIDIndia, citylinks.RoleFunder), "", []partnership.Action{partnership.ActionSignAgreement, partnership.ActionTerminate}},
	{"coordinator-boulder", pt.Actor(pt.Boulder, citylinks.RoleCoordinator), "p", coordinatorActions},
	{"coordinator-shimla", pt.Actor(pt.Shimla, citylinks.RoleCoordinator), "p", coordinatorActions},
	{"coordinator-broward", pt.Actor(pt.Broward, citylinks.RoleCoordinator), "q", coordinatorActions},
	{"monitor", pt.Actor("me-unit", citylinks.RoleMonitor), "", nil},
	{"viewer", pt.Actor("public", citylinks.RoleViewer), "", nil},
}

var coordinatorActions = []partnership.Action{partnership.ActionDraftWorkPlan, partnership.ActionRecordExchange, partnership.ActionRecordContribution}

// snapshot is everything a store holds about partnerships: every stream
// and every listed summary.
func snapshot(t *testing.T, s *memory.Store) map[string]any {
	t.Helper()
	out := map[string]any{}
	page, err := s.ListPartnerships(t.Context(), partnership.Filter{Limit: citylinks.MaxPageSize})
	require.NoError(t, err)
	for _, sum := range page.Items {
		events, err := s.LoadPartnership(t.Context(), sum.ID)
		require.NoError(t, err)
		out[sum.ID] = sum
		out[sum.ID+"/events"] = events
	}
	return out
}

// TestScopedCommandMatrix gives every command × every role × the actor's
// own or another partnership, through the Service, with both partnerships
// stored in the state the command needs: an allowed command succeeds; a
// denied one returns a *ForbiddenError wrapping citylinks.ErrForbidden and
// changes no stream and no listed summary. A coordinator acts only on the
// partnership its organization (or a member of it) is a party to; the
// other roles are not scoped to partnerships, so own and other are alike.
func TestScopedCommandMatrix(t *testing.T) {
	for _, action := range partnership.Actions() {
		if action == partnership.ActionRead {
			continue
		}
		for _, r := range scopedRoles {
			for _, target := range []pair{shimla, durban} {
				own := r.own == "" || r.own == target.id
				name := string(action) + "/" + r.name + "/" + target.id
				switch r.own {
				case "":
				case target.id:
					name += "-own"
				default:
					name += "-other"
				}
				t.Run(name, func(t *testing.T) {
					svc, store := newService(t, approve)
					state, cmd := target.command(action)
					if c, ok := cmd.(partnership.RecordContribution); ok && r.own != "" {
						// A coordinator credits its own organization
						// (TestContributionCreditedToOwnParty).
						c.Contribution.Party = r.actor.Organization
						cmd = c
					}
					for _, p := range []pair{shimla, durban} {
						for _, c := range p.steps(state) {
							_, err := svc.Execute(t.Context(), pt.Facilitator, p.id, c)
							require.NoError(t, err, "fixture %s: %s", p.id, c.Action())
						}
					}
					id := target.id
					if action == partnership.ActionPropose {
						id = ""
					}
					before := snapshot(t, store)
					_, err := svc.Execute(t.Context(), r.actor, id, cmd)
					if own && slices.Contains(r.allowed, action) {
						assert.NoError(t, err)
						return
					}
					var fe *partnership.ForbiddenError
					require.ErrorAs(t, err, &fe)
					assert.ErrorIs(t, err, citylinks.ErrForbidden)
					assert.Equal(t, action, fe.Action)
					assert.NotEmpty(t, fe.Reason)
					assert.Empty(t, cmp.Diff(before, snapshot(t, store)), "a forbidden command left a trace")
				})
			}
		}
	}
}

// TestScopedReadMatrix reads both partnerships through every read method
// as every role: a coordinator reads its own and gets ErrForbidden for the
// other from Get, History, AsOf and Recorded, and List and Rollup leave
// the other out; every other role reads both.
func TestScopedReadMatrix(t *testing.T) {
	svc, store := newService(t, approve)
	ctx := t.Context()
	for _, p := range []pair{shimla, durban} {
		for _, c := range append(p.steps(partnership.StateActive), partnership.RecordContribution{Contribution: partnership.Contribution{
			Party: p.resource, Person: "J", Date: pt.D(2015, 6, 2), Minutes: 90}}) {
			_, err := svc.Execute(ctx, pt.Facilitator, p.id, c)
			require.NoError(t, err)
		}
	}
	before := snapshot(t, store)
	reads := map[string]func(a citylinks.Actor, id string) error{
		"Get":     func(a citylinks.Actor, id string) error { _, err := svc.Get(ctx, a, id); return err },
		"History": func(a citylinks.Actor, id string) error { _, err := svc.History(ctx, a, id); return err },
		"AsOf":    func(a citylinks.Actor, id string) error { _, err := svc.AsOf(ctx, a, id, pt.D(2016, 1, 1)); return err },
		"Recorded": func(a citylinks.Actor, id string) error {
			_, err := svc.Recorded(ctx, a, id, pt.D(2030, 1, 1).Time())
			return err
		},
	}
	for _, r := range scopedRoles {
		for _, target := range []pair{shimla, durban} {
			own := r.own == "" || r.own == target.id
			for name, read := range reads {
				err := read(r.actor, target.id)
				if own {
					assert.NoError(t, err, "%s %s %s", name, r.name, target.id)
				} else {
					assert.ErrorIs(t, err, citylinks.ErrForbidden, "%s %s %s", name, r.name, target.id)
				}
			}
		}
		var listed, rolled []string
		for _, f := range []partnership.Filter{{}, {Organizations: []string{pt.Durban, pt.Shimla}}, {HostCountries: []string{"ZA", "IN"}}, {Limit: 1}} {
			for f.After = ""; ; {
				page, err := svc.List(ctx, r.actor, f)
				require.NoError(t, err)
				for _, s := range page.Items {
					listed = append(listed, s.ID)
				}
				if page.Next == "" {
					break
				}
				f.After = page.Next
			}
		}
		rows, err := svc.Rollup(ctx, r.actor, partnership.RollupQuery{GroupBy: []partnership.Dim{partnership.DimPartnership}})
		require.NoError(t, err)
		for _, row := range rows {
			rolled = append(rolled, row.Partnership)
		}
		slices.Sort(listed)
		want := []string{"p", "p", "p", "p", "q", "q", "q", "q"}
		if r.own != "" {
			want = []string{r.own, r.own, r.own, r.own}
		}
		assert.Equal(t, want, listed, "List as %s", r.name)
		if r.own != "" {
			assert.Equal(t, []string{r.own}, rolled, "Rollup as %s", r.name)
		} else {
			assert.Equal(t, []string{"p", "q"}, rolled, "Rollup as %s", r.name)
		}
	}
	assert.Empty(t, cmp.Diff(before, snapshot(t, store)), "reading wrote something")
}

// recorders are who records the records of TestScopedRevisionMatrix on a
// pair: the facilitator, the resource party's coordinator and the host
// party's.
func (p pair) recorders() map[string]citylinks.Actor {
	return map[string]citylinks.Actor{
		pt.ICMA:    pt.Facilitator,
		p.resource: pt.Actor(p.resource, citylinks.RoleCoordinator),
		p.host:     pt.Actor(p.host, citylinks.RoleCoordinator),
	}
}

// credit returns the party a contribution recorded by org is credited to:
// org itself, or the resource party when the facilitator records it.
func (p pair) credit(org string) string {
	if org == pt.ICMA {
		return p.resource
	}
	return org
}

// TestScopedRevisionMatrix revises (cancels an exchange, corrects a
// contribution) records that the facilitator, the resource party's
// coordinator and the host party's coordinator each recorded first, as
// every role on both partnerships: a facilitator revises any record; a
// coordinator revises only records its own organization recorded on its
// own partnership; a denial is a *ForbiddenError naming the owner and
// leaves every stream and summary as it was.
func TestScopedRevisionMatrix(t *testing.T) {
	svc, store := newService(t, approve)
	ctx := t.Context()
	for _, p := range []pair{shimla, durban} {
		for _, c := range p.steps(partnership.StateActive) {
			_, err := svc.Execute(ctx, pt.Facilitator, p.id, c)
			require.NoError(t, err, "fixture %s: %s", p.id, c.Action())
		}
		for org, a := range p.recorders() {
			_, err := svc.RecordExchange(ctx, a, p.id, p.trip("x-"+org))
			require.NoError(t, err, "%s records an exchange", org)
			_, err = svc.RecordContribution(ctx, a, p.id, partnership.Contribution{ID: "c-" + org, Party: p.credit(org), Person: "J",
				Date: pt.D(2015, 6, 2), Minutes: 90})
			require.NoError(t, err, "%s records a contribution", org)
		}
	}
	for _, r := range scopedRoles {
		for _, target := range []pair{shimla, durban} {
			for owner := range target.recorders() {
				revisions := map[string]partnership.Command{
					"cancel-exchange": partnership.RecordExchange{Exchange: func() partnership.Exchange {
						x := target.trip("x-" + owner)
						x.Status = partnership.ExchangeCancelled
						return x
					}()},
					"correct-contribution": partnership.RecordContribution{Contribution: partnership.Contribution{ID: "c-" + owner,
						Party: target.credit(owner), Person: "J", Date: pt.D(2015, 6, 2), Minutes: 120}},
				}
				for name, cmd := range revisions {
					allowed := r.actor.Has(citylinks.RoleFacilitator) ||
						r.actor.Has(citylinks.RoleCoordinator) && r.own == target.id && r.actor.Organization == owner
					t.Run(fmt.Sprintf("%s/%s/%s-by-%s", r.name, target.id, name, owner), func(t *testing.T) {
						before := snapshot(t, store)
						_, err := svc.Execute(ctx, r.actor, target.id, cmd)
						if allowed {
							require.NoError(t, err)
							// Put the record back as it was for the next case,
							// as its owner.
							restore := partnership.RecordExchange{Exchange: target.trip("x-" + owner)}
							var undo partnership.Command = restore
							if _, ok := cmd.(partnership.RecordContribution); ok {
								undo = partnership.RecordContribution{Contribution: partnership.Contribution{ID: "c-" + owner,
									Party: target.credit(owner), Person: "J", Date: pt.D(2015, 6, 2), Minutes: 90}}
							}
							_, err = svc.Execute(ctx, target.recorders()[owner], target.id, undo)
							require.NoError(t, err, "the owner puts it back")
							return
						}
						var fe *partnership.ForbiddenError
						require.ErrorAs(t, err, &fe)
						assert.ErrorIs(t, err, citylinks.ErrForbidden)
						if r.actor.Has(citylinks.RoleCoordinator) && r.own == target.id {
							assert.Contains(t, fe.Reason, "was recorded by "+owner+"; a coordinator of "+r.actor.Organization+
								" may revise only its own organization's records")
						}
						assert.Empty(t, cmp.Diff(before, snapshot(t, store)), "a forbidden revision left a trace")
					})
				}
			}
		}
	}
}

// TestContributionCreditedToOwnParty: a coordinator records contributions
// only for its own organization (each party reports its own volunteer
// time); the facilitator records them for any party.
func TestContributionCreditedToOwnParty(t *testing.T) {
	svc, store := newService(t, approve)
	ctx := t.Context()
	for _, c := range shimla.steps(partnership.StateActive) {
		_, err := svc.Execute(ctx, pt.Facilitator, shimla.id, c)
		require.NoError(t, err)
	}
	cases := []struct {
		actor  citylinks.Actor
		party  string
		reason string // "" when allowed
	}{
		{pt.Actor(pt.Boulder, citylinks.RoleCoordinator), pt.Boulder, ""},
		{pt.Actor(pt.Shimla, citylinks.RoleCoordinator), pt.Shimla, ""},
		{pt.Actor(pt.Shimla, citylinks.RoleCoordinator), pt.Boulder, "is credited to boulder; a coordinator of shimla may record contributions only for its own organization"},
		{pt.Actor(pt.Boulder, citylinks.RoleCoordinator), pt.ICMA, "is credited to icma; a coordinator of boulder may record contributions only for its own organization"},
		{pt.Facilitator, pt.Boulder, ""},
		{pt.Facilitator, pt.Shimla, ""},
	}
	for _, c := range cases {
		before := snapshot(t, store)
		_, err := svc.RecordContribution(ctx, c.actor, shimla.id, partnership.Contribution{Party: c.party, Person: "J", Date: pt.D(2015, 6, 2), Minutes: 60})
		if c.reason == "" {
			assert.NoError(t, err, "%s credits %s", c.actor.ID, c.party)
			continue
		}
		var fe *partnership.ForbiddenError
		if assert.ErrorAs(t, err, &fe, "%s credits %s", c.actor.ID, c.party) {
			assert.ErrorIs(t, err, citylinks.ErrForbidden)
			assert.Contains(t, fe.Reason, c.reason)
		}
		assert.Empty(t, cmp.Diff(before, snapshot(t, store)), "a forbidden contribution left a trace")
	}
}

// racingStore lets another writer append first, once, just before the
// Service's next append: the Service must decide again on fresh state.
type racingStore struct {
	*memory.Store
	once sync.Once
	race func()
}

func (s *racingStore) AppendPartnership(ctx context.Context, id string, expected int64, events []partnership.Event) error {
	s.once.Do(s.race)
	return s.Store.AppendPartnership(ctx, id, expected, events)
}

// TestRetryRedecidesOwnership: a coordinator records a new exchange while
// the facilitator records one with the same id first. The coordinator's
// append conflicts, the Service decides again on fresh state, where the
// exchange is the facilitator's: the retry is refused, and only the
// facilitator's exchange is stored.
func TestRetryRedecidesOwnership(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	clock := &pt.Clock{}
	fac := partnership.NewService(inner, &partnership.Options{Now: clock.Now})
	_, err := pt.ToActive(ctx, fac, "p")
	require.NoError(t, err)
	theirs := doneTrip("x9")
	theirs.Purpose, theirs.Direction = "ICMA's record of the visit", partnership.ToHost
	store := &racingStore{Store: inner, race: func() {
		_, err := fac.RecordExchange(ctx, pt.Facilitator, "p", theirs)
		require.NoError(t, err, "the racing facilitator")
	}}
	svc := partnership.NewService(store, &partnership.Options{Now: clock.Now})
	_, err = svc.RecordExchange(ctx, pt.Actor(pt.Boulder, citylinks.RoleCoordinator), "p", doneTrip("x9"))
	var fe *partnership.ForbiddenError
	require.ErrorAs(t, err, &fe, "the retry sees the facilitator's exchange")
	assert.Contains(t, fe.Reason, "exchange x9 was recorded by icma")
	p, err := fac.Get(ctx, pt.Facilitator, "p")
	require.NoError(t, err)
	require.Len(t, p.Exchanges, 1)
	assert.Equal(t, theirs, p.Exchanges[0], "only the facilitator's exchange is stored")
}
