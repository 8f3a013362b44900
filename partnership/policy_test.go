package partnership_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
)

// TestDefaultPolicyMatrix checks every action against every role.
func TestDefaultPolicyMatrix(t *testing.T) {
	sum := partnership.Summary{ID: "dur", Parties: pt.DurbanSouthFlorida(), State: partnership.StateActive}
	party := []partnership.Action{partnership.ActionDraftWorkPlan, partnership.ActionRecordExchange, partnership.ActionRecordContribution, partnership.ActionRead}
	actors := []struct {
		name    string
		actor   citylinks.Actor
		allowed []partnership.Action
	}{
		{"facilitator", pt.Actor(pt.ICMA, citylinks.RoleFacilitator), partnership.Actions()},
		{"funder", pt.Actor("usaid-south-africa", citylinks.RoleFunder), []partnership.Action{partnership.ActionSignAgreement, partnership.ActionTerminate, partnership.ActionRead}},
		{"coordinator of a party", pt.Actor(pt.Durban, citylinks.RoleCoordinator), party},
		{"coordinator of a composite party", pt.Actor(pt.SouthFlorida, citylinks.RoleCoordinator), party},
		{"coordinator of a member", pt.Actor(pt.Broward, citylinks.RoleCoordinator), party},
		{"coordinator of another organization", pt.Actor(pt.Boulder, citylinks.RoleCoordinator), nil},
		{"coordinator of no organization", citylinks.Actor{ID: "x", Roles: []citylinks.Role{citylinks.RoleCoordinator}}, nil},
		{"monitor", pt.Actor("me-unit", citylinks.RoleMonitor), []partnership.Action{partnership.ActionRead}},
		{"viewer", pt.Actor("public", citylinks.RoleViewer), []partnership.Action{partnership.ActionRead}},
		{"no role", citylinks.Actor{ID: "nobody", Organization: pt.Durban}, nil},
		{"no id", citylinks.Actor{Organization: pt.ICMA, Roles: []citylinks.Role{citylinks.RoleFacilitator}}, nil},
		{"viewer and coordinator", citylinks.Actor{ID: "v", Organization: pt.Durban, Roles: []citylinks.Role{citylinks.RoleViewer, citylinks.RoleCoordinator}}, party},
	}
	for _, a := range actors {
		for _, act := range partnership.Actions() {
			err := partnership.DefaultPolicy{}.Authorize(a.actor, act, sum)
			if slices.Contains(a.allowed, act) {
				assert.NoError(t, err, "%s: %s", a.name, act)
				continue
			}
			var fe *partnership.ForbiddenError
			if assert.ErrorAs(t, err, &fe, "%s: %s", a.name, act) {
				assert.ErrorIs(t, err, citylinks.ErrForbidden)
				assert.NotEmpty(t, fe.Reason)
				assert.Equal(t, act, fe.Action)
			}
		}
	}
}

// TestDenialReasons: a denial says why.
func TestDenialReasons(t *testing.T) {
	sum := partnership.Summary{ID: "dur", Parties: pt.DurbanSouthFlorida()}
	err := partnership.DefaultPolicy{}.Authorize(pt.Actor(pt.Boulder, citylinks.RoleCoordinator), partnership.ActionRecordExchange, sum)
	assert.ErrorContains(t, err, "acts only on partnerships boulder is a party to")
	err = partnership.DefaultPolicy{}.Authorize(pt.Actor(pt.Durban, citylinks.RoleCoordinator), partnership.ActionSuspend, sum)
	assert.ErrorContains(t, err, "a coordinator may not suspend")
}

// TestReadsAreScoped: a coordinator scoped to one partnership cannot read
// another through any Service method.
func TestReadsAreScoped(t *testing.T) {
	svc, _ := newService(t, nil)
	ctx := t.Context()
	build(t, svc, fixtures["active"]) // "p": Shimla–Boulder
	_, err := svc.Propose(ctx, pt.Facilitator, partnership.Propose{ID: "q", Title: "Durban–Southeast Florida", Program: citylinks.ProgramCityLinks2011,
		FocusArea: citylinks.FocusClimate, Parties: pt.DurbanSouthFlorida(), On: pt.D(2013, 7, 1)})
	require.NoError(t, err)
	boulder := pt.Actor(pt.Boulder, citylinks.RoleCoordinator)

	_, err = svc.Get(ctx, boulder, "p")
	require.NoError(t, err)
	_, err = svc.Get(ctx, boulder, "q")
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.History(ctx, boulder, "q")
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.AsOf(ctx, boulder, "q", pt.D(2016, 1, 1))
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.Recorded(ctx, boulder, "q", pt.D(2030, 1, 1).Time())
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.RecordExchange(ctx, boulder, "q", doneTrip("x"))
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	for _, f := range []partnership.Filter{{}, {Organizations: []string{pt.Durban}}, {HostCountries: []string{"ZA"}}, {Limit: 1}} {
		page, err := svc.List(ctx, boulder, f)
		require.NoError(t, err)
		for _, s := range page.Items {
			assert.Equal(t, "p", s.ID, "List(%+v) shows a partnership boulder is not party to", f)
		}
	}
	rows, err := svc.RollUp(ctx, boulder, partnership.RollupQuery{GroupBy: []partnership.Dimension{partnership.ByPartnership}})
	require.NoError(t, err)
	for _, r := range rows {
		assert.Equal(t, "p", r.Partnership)
	}
	page, err := svc.List(ctx, pt.Actor("public", citylinks.RoleViewer), partnership.Filter{})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2, "a viewer reads every partnership")
}

// TestListSkipsHiddenAcrossPages: with a policy that hides most
// partnerships, List still fills pages and its cursor still walks them all.
func TestListSkipsHiddenAcrossPages(t *testing.T) {
	svc, store := newService(t, nil)
	ctx := t.Context()
	for _, id := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7"} {
		_, err := svc.Propose(ctx, pt.Facilitator, pt.Proposal(id))
		require.NoError(t, err)
	}
	odd := partnership.PolicyFunc(func(a citylinks.Actor, act partnership.Action, s partnership.Summary) error {
		if (s.ID[1]-'0')%2 == 1 {
			return nil
		}
		return &partnership.ForbiddenError{Actor: a.ID, Action: act, Partnership: s.ID, Reason: "even"}
	})
	hidden := partnership.NewService(store, &partnership.Options{Policy: odd})
	var got []string
	f := partnership.Filter{Limit: 2}
	for {
		page, err := hidden.List(ctx, pt.Facilitator, f)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(page.Items), 2)
		for _, s := range page.Items {
			got = append(got, s.ID)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	assert.Equal(t, []string{"a1", "a3", "a5", "a7"}, got)
}

// TestServicePermissionMatrix gives every command, in a state where it is
// valid, as every role through the Service: allowed ones succeed, the rest
// are refused with ErrForbidden and store nothing.
func TestServicePermissionMatrix(t *testing.T) {
	proposal := []partnership.Command{pt.Proposal("p")}
	cases := []struct {
		fixture []partnership.Command
		cmd     partnership.Command
	}{
		{nil, pt.Proposal("p")},
		{proposal, partnership.Ratify{Party: pt.Boulder, Body: "Boulder City Council"}},
		{fixtures["proposed"], partnership.SignAgreement{Signatories: []partnership.Signatory{{Party: pt.ICMA, Name: "S"}}, End: pt.D(2016, 9, 30)}},
		{fixtures["agreed"], partnership.DraftWorkPlan{Plan: pt.Plan()}},
		{fixtures["agreed"], partnership.AgreeWorkPlan{Plan: pt.Plan()}},
		{fixtures["active"], partnership.RecordExchange{Exchange: doneTrip("x2")}},
		{fixtures["active"], partnership.RecordContribution{Contribution: partnership.Contribution{Party: pt.Boulder, Person: "J", Date: pt.D(2015, 6, 2), Minutes: 90}}},
		{fixtures["active"], partnership.StartClosing{}},
		{fixtures["closing"], partnership.Complete{}},
		{fixtures["active"], partnership.Suspend{}},
		{fixtures["suspended"], partnership.Resume{}},
		{fixtures["active"], partnership.Extend{End: pt.D(2016, 12, 31)}},
		{proposal, partnership.Decline{}},
		{fixtures["active"], partnership.Terminate{Reason: "r"}},
	}
	party := []partnership.Action{partnership.ActionDraftWorkPlan, partnership.ActionRecordExchange, partnership.ActionRecordContribution}
	roles := []struct {
		actor   citylinks.Actor
		allowed []partnership.Action
	}{
		{pt.Facilitator, partnership.Actions()},
		{pt.Actor(pt.USAIDIndia, citylinks.RoleFunder), []partnership.Action{partnership.ActionSignAgreement, partnership.ActionTerminate}},
		{pt.Actor(pt.Boulder, citylinks.RoleCoordinator), party},
		{pt.Actor(pt.Shimla, citylinks.RoleCoordinator), party},
		{pt.Actor(pt.Durban, citylinks.RoleCoordinator), nil},
		{pt.Actor("me-unit", citylinks.RoleMonitor), nil},
		{pt.Actor("public", citylinks.RoleViewer), nil},
	}
	require.Len(t, cases, len(partnership.Actions())-1, "one case per command")
	for _, c := range cases {
		for _, r := range roles {
			t.Run(string(c.cmd.Action())+"/"+r.actor.ID, func(t *testing.T) {
				svc, store := newService(t, approve)
				build(t, svc, c.fixture)
				before, _ := store.LoadPartnership(t.Context(), "p")
				_, err := svc.Execute(t.Context(), r.actor, "p", c.cmd)
				if slices.Contains(r.allowed, c.cmd.Action()) {
					assert.NoError(t, err)
					return
				}
				assert.ErrorIs(t, err, citylinks.ErrForbidden)
				after, _ := store.LoadPartnership(t.Context(), "p")
				assert.Equal(t, len(before), len(after), "a forbidden command left a trace")
			})
		}
	}
}
