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
