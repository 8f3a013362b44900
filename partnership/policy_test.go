package partnership_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	pt "github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/memory"
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

// TestDefaultPolicyAuthorizeRecord walks the record rule: who may create,
// revise and credit which exchange or contribution, on Durban–Southeast
// Florida, whose resource party is composite.
func TestDefaultPolicyAuthorizeRecord(t *testing.T) {
	sum := partnership.Summary{ID: "dur", Parties: pt.DurbanSouthFlorida(), State: partnership.StateActive}
	x, c := partnership.ActionRecordExchange, partnership.ActionRecordContribution
	coord := func(org string) citylinks.Actor { return pt.Actor(org, citylinks.RoleCoordinator) }
	revise := func(owner string) partnership.Record { return partnership.Record{ID: "r1", Owner: owner} }
	credit := func(party string, owner ...string) partnership.Record {
		r := partnership.Record{ID: "r1", Party: party, New: len(owner) == 0}
		if len(owner) > 0 {
			r.Owner = owner[0]
		}
		return r
	}
	cases := []struct {
		name   string
		actor  citylinks.Actor
		action partnership.Action
		record partnership.Record
		reason string // "" when allowed
	}{
		{"coordinator creates an exchange", coord(pt.Durban), x, partnership.Record{ID: "r1", New: true}, ""},
		{"coordinator revises its own exchange", coord(pt.Durban), x, revise(pt.Durban), ""},
		{"coordinator revises another party's exchange", coord(pt.Durban), x, revise(pt.SouthFlorida),
			"exchange r1 was recorded by ftl-broward; a coordinator of durban may revise only its own organization's records"},
		{"coordinator revises the facilitator's exchange", coord(pt.Durban), x, revise(pt.ICMA),
			"exchange r1 was recorded by icma; a coordinator of durban may revise only its own organization's records"},
		{"coordinator revises an exchange of no organization", coord(pt.Durban), x, revise(""),
			"exchange r1 was recorded by no organization; only a facilitator may revise it"},
		{"composite party revises its member's exchange", coord(pt.SouthFlorida), x, revise(pt.Broward), ""},
		{"member revises its composite party's exchange", coord(pt.Broward), x, revise(pt.SouthFlorida),
			"exchange r1 was recorded by ftl-broward; a coordinator of broward-county may revise only its own organization's records"},
		{"member revises another member's exchange", coord(pt.Broward), x, revise(pt.FortLauderdale),
			"exchange r1 was recorded by fort-lauderdale; a coordinator of broward-county"},
		{"facilitator revises anyone's exchange", pt.Facilitator, x, revise(pt.Durban), ""},
		{"facilitator revises an exchange of no organization", pt.Facilitator, x, revise(""), ""},
		{"facilitator of no organization", citylinks.Actor{ID: "f", Roles: []citylinks.Role{citylinks.RoleFacilitator}}, x, revise(pt.Durban), ""},
		{"coordinator credits itself", coord(pt.Durban), c, credit(pt.Durban), ""},
		{"coordinator credits another party", coord(pt.Durban), c, credit(pt.Broward),
			"contribution r1 is credited to broward-county; a coordinator of durban may record contributions only for its own organization"},
		{"composite party credits a member", coord(pt.SouthFlorida), c, credit(pt.FortLauderdale), ""},
		{"member credits its composite party", coord(pt.Broward), c, credit(pt.SouthFlorida),
			"contribution r1 is credited to ftl-broward; a coordinator of broward-county may record contributions only for its own organization"},
		{"owner moves the credit to another party", coord(pt.Durban), c, credit(pt.Broward, pt.Durban),
			"contribution r1 is credited to broward-county"},
		{"coordinator corrects the facilitator's contribution", coord(pt.Durban), c, credit(pt.Durban, pt.ICMA),
			"contribution r1 was recorded by icma; a coordinator of durban may revise only its own organization's records"},
		{"facilitator credits anyone", pt.Facilitator, c, credit(pt.Broward), ""},
		{"facilitator corrects anyone's", pt.Facilitator, c, credit(pt.Durban, pt.Durban), ""},
		{"an empty party is validation's", coord(pt.Durban), c, credit(""), ""},
		{"a monitor, allowed to record by another policy", pt.Actor("me-unit", citylinks.RoleMonitor), x, revise(pt.Durban),
			"exchange r1 was recorded by durban; a monitor of me-unit may revise only its own organization's records"},
		{"an actor of no organization", citylinks.Actor{ID: "v", Roles: []citylinks.Role{citylinks.RoleViewer}}, c, credit(pt.Durban),
			"a viewer of no organization may record contributions only for its own organization"},
	}
	for _, tc := range cases {
		err := partnership.DefaultPolicy{}.AuthorizeRecord(tc.actor, tc.action, sum, tc.record)
		if tc.reason == "" {
			assert.NoError(t, err, tc.name)
			continue
		}
		var fe *partnership.ForbiddenError
		if assert.ErrorAs(t, err, &fe, tc.name) {
			assert.ErrorIs(t, err, citylinks.ErrForbidden, tc.name)
			assert.Contains(t, fe.Reason, tc.reason, tc.name)
			assert.Equal(t, tc.action, fe.Action, tc.name)
			assert.Equal(t, "dur", fe.Partnership, tc.name)
		}
	}
}

// TestActsFor: an organization acts for itself; a composite party's own
// organization acts for its members; a member acts only for itself.
func TestActsFor(t *testing.T) {
	sum := partnership.Summary{Parties: pt.DurbanSouthFlorida()}
	cases := []struct {
		actor, org string
		want       bool
	}{
		{pt.Durban, pt.Durban, true},
		{pt.Durban, pt.SouthFlorida, false},
		{pt.SouthFlorida, pt.SouthFlorida, true},
		{pt.SouthFlorida, pt.Broward, true},
		{pt.SouthFlorida, pt.FortLauderdale, true},
		{pt.SouthFlorida, pt.Durban, false},
		{pt.Broward, pt.Broward, true},
		{pt.Broward, pt.SouthFlorida, false},
		{pt.Broward, pt.FortLauderdale, false},
		{pt.Boulder, pt.Boulder, true}, // the same organization, party or not
		{"", "", false},
		{"", pt.Durban, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, sum.ActsFor(tc.actor, tc.org), "ActsFor(%q, %q)", tc.actor, tc.org)
	}
}

// TestCustomPolicyRecords: a Policy that is not a RecordPolicy gets the
// default record rule; one that is decides records itself.
func TestCustomPolicyRecords(t *testing.T) {
	ctx := t.Context()
	allow := partnership.PolicyFunc(func(citylinks.Actor, partnership.Action, partnership.Summary) error { return nil })
	for _, tc := range []struct {
		name   string
		policy partnership.Policy
		want   error
	}{
		{"a plain Policy", allow, citylinks.ErrForbidden},
		{"a RecordPolicy", recordsToo{allow}, nil},
	} {
		store := memory.New()
		svc := partnership.NewService(store, &partnership.Options{Policy: tc.policy, Now: (&pt.Clock{}).Now})
		_, err := pt.ToActive(ctx, svc, "p")
		require.NoError(t, err)
		_, err = svc.RecordExchange(ctx, pt.Facilitator, "p", doneTrip("x1"))
		require.NoError(t, err)
		x := doneTrip("x1")
		x.Status = partnership.ExchangeCancelled
		_, err = svc.RecordExchange(ctx, pt.Actor(pt.Shimla, citylinks.RoleCoordinator), "p", x)
		if tc.want == nil {
			assert.NoError(t, err, tc.name)
		} else {
			assert.ErrorIs(t, err, tc.want, tc.name)
		}
	}
}

// recordsToo is a RecordPolicy that allows every record.
type recordsToo struct{ partnership.Policy }

func (recordsToo) AuthorizeRecord(citylinks.Actor, partnership.Action, partnership.Summary, partnership.Record) error {
	return nil
}
