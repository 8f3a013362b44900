package report_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// reportTarget is one partnership of the own-or-other matrix, with a
// period, an indicator linked to it and a category of that indicator.
type reportTarget struct {
	id        string
	period    report.Period
	indicator string
	csvPeriod string
}

var (
	// durbanTarget is Fort Lauderdale's own partnership (it takes part).
	durbanTarget = reportTarget{reporttest.Durban, report.Quarter(2015, 4), "CL-CLIM-02", "2015-Q4"}
	// telaviTarget is Telavi's own, not Fort Lauderdale's.
	telaviTarget = reportTarget{reporttest.Telavi, report.Year(2015), "CL-MGMT-01", "2015"}
)

// reportState is everything a report store holds, for "writes nothing".
func reportState(t *testing.T, svc *report.Service) map[string]any {
	t.Helper()
	ctx := t.Context()
	s := svc.Store()
	inds, err := s.ListIndicators(ctx)
	require.NoError(t, err)
	acts, err := s.ListActivities(ctx, report.ActivityFilter{Limit: citylinks.MaxPageSize})
	require.NoError(t, err)
	cs, err := s.ListContributions(ctx, "")
	require.NoError(t, err)
	out := map[string]any{"indicators": inds, "activities": acts.Items, "contributions": cs, "observations": allObservations(t, svc)}
	for _, a := range acts.Items {
		aps, err := s.ListApprovals(ctx, a.ID)
		require.NoError(t, err)
		out["approvals/"+a.ID] = aps
		for _, ap := range aps {
			h, err := s.ApprovalHistory(ctx, a.ID, ap.Period)
			require.NoError(t, err)
			out["history/"+a.ID+"/"+ap.Period.String()] = h
		}
	}
	return out
}

// reportRoles are the actors of the matrix: one per role, and coordinators
// of an organization that takes part in exactly one of the two targets.
var reportRoles = []struct {
	name  string
	actor citylinks.Actor
	own   string // the coordinator's own partnership
}{
	{"facilitator", reporttest.Facilitator, ""},
	{"funder", reporttest.Funder, ""},
	{"coordinator-fort-lauderdale", reporttest.Coordinator, reporttest.Durban},
	{"coordinator-telavi", citylinks.Actor{ID: "coord@telavi.example", Organization: "telavi", Roles: []citylinks.Role{citylinks.RoleCoordinator}}, reporttest.Telavi},
	{"monitor", reporttest.Monitor, ""},
	{"viewer", reporttest.Viewer, ""},
}

// TestServiceScopeMatrix runs every report.Service write — define an
// indicator, register an activity, record, import CSV, record
// contributions, submit, approve, return, unlock — as every role on the
// actor's own partnership and on another, each with the period in the
// state the action needs. Allowed calls succeed (the table of
// report.Authorize, restated); a denied one returns an error wrapping citylinks.ErrForbidden and
// leaves indicators, activities, observations, contributions, approvals
// and their histories exactly as they were. Coordinators are the roles
// scoped to partnerships; for the others own and other are alike.
//
// The Service's reads (Approval, History, BuildReport, Rollup, Due,
// FinalResultsApproved) take no actor: package report does not scope
// reading, and its callers decide who sees which report.
func TestServiceScopeMatrix(t *testing.T) {
	type action struct {
		name    string
		act     report.Action
		state   report.ApprovalState // the period's state the action needs
		call    func(svc *report.Service, a citylinks.Actor, tg reportTarget) error
		perPart bool // about one partnership (else run once per role)
	}
	actions := []action{
		{"define-indicator", report.ActionDefineIndicator, report.StateDraft, func(svc *report.Service, a citylinks.Actor, _ reportTarget) error {
			in := report.StarterCatalogue()[0]
			in.Name = "renamed"
			return svc.DefineIndicator(t.Context(), a, in)
		}, false},
		{"register-activity", report.ActionRegisterActivity, report.StateDraft, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			act, err := svc.Store().GetActivity(t.Context(), tg.id)
			require.NoError(t, err)
			act.Title = "renamed"
			return svc.RegisterActivity(t.Context(), a, act)
		}, true},
		{"record", report.ActionRecord, report.StateDraft, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			return svc.Record(t.Context(), a, report.Observation{Partnership: tg.id, Indicator: tg.indicator, Kind: report.KindActual, Period: tg.period, Value: 3})
		}, true},
		{"import-csv", report.ActionRecord, report.StateDraft, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			_, err := svc.ImportCSV(t.Context(), a, strings.NewReader(csvHeader+tg.id+","+tg.indicator+",actual,"+tg.csvPeriod+",3,,,\n"))
			return err
		}, true},
		{"record-contributions", report.ActionRecord, report.StateDraft, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			org := a.Organization // a coordinator records its own organization's time
			if org == "" {
				org = "x"
			}
			return svc.RecordContributions(t.Context(), a, report.Contribution{Partnership: tg.id, Organization: org, Date: citylinks.Date{Year: 2015, Month: 10, Day: 2}, Hours: 1})
		}, true},
		{"submit", report.ActionSubmit, report.StateDraft, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			_, err := svc.Submit(t.Context(), a, tg.id, tg.period)
			return err
		}, true},
		{"approve", report.ActionApprove, report.StateSubmitted, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			_, err := svc.Approve(t.Context(), a, tg.id, tg.period)
			return err
		}, true},
		{"return", report.ActionReturn, report.StateSubmitted, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			_, err := svc.Return(t.Context(), a, tg.id, tg.period, "revise")
			return err
		}, true},
		{"unlock", report.ActionUnlock, report.StateApproved, func(svc *report.Service, a citylinks.Actor, tg reportTarget) error {
			_, err := svc.Unlock(t.Context(), a, tg.id, tg.period, "correction")
			return err
		}, true},
	}
	// Every action but read (TestReadsAreScoped's), and import and
	// contributions beside record.
	require.Len(t, actions, len(report.Actions())-1+2, "every write action")
	for _, ac := range actions {
		for _, r := range reportRoles {
			targets := []reportTarget{durbanTarget, telaviTarget}
			if !ac.perPart {
				targets = targets[:1]
			}
			for _, tg := range targets {
				name := ac.name + "/" + r.name + "/" + tg.id
				own := r.own == "" || r.own == tg.id
				if r.own != "" && ac.perPart {
					name += map[bool]string{true: "-own", false: "-other"}[own]
				}
				t.Run(name, func(t *testing.T) {
					svc := newService(t)
					ctx := t.Context()
					for _, p := range []reportTarget{durbanTarget, telaviTarget} {
						if ac.state != report.StateDraft {
							_, err := svc.Submit(ctx, reporttest.Facilitator, p.id, p.period)
							require.NoError(t, err)
						}
						if ac.state == report.StateApproved {
							_, err := svc.Approve(ctx, reporttest.Monitor, p.id, p.period)
							require.NoError(t, err)
						}
					}
					allowed := false
					switch role := r.actor.Roles[0]; ac.act {
					case report.ActionDefineIndicator:
						allowed = role == citylinks.RoleFacilitator || role == citylinks.RoleMonitor
					case report.ActionRegisterActivity:
						allowed = role == citylinks.RoleFacilitator
					case report.ActionRecord, report.ActionSubmit:
						allowed = role == citylinks.RoleFacilitator || role == citylinks.RoleCoordinator && own
					case report.ActionApprove, report.ActionReturn, report.ActionUnlock:
						allowed = role == citylinks.RoleMonitor
					}
					before := reportState(t, svc)
					err := ac.call(svc, r.actor, tg)
					if allowed {
						assert.NoError(t, err)
						return
					}
					require.Error(t, err)
					assert.ErrorIs(t, err, citylinks.ErrForbidden)
					assert.Empty(t, cmp.Diff(before, reportState(t, svc), cmpopts.EquateEmpty(),
						cmp.Comparer(func(a, b report.Period) bool { return a == b })), "a forbidden call left a trace")
				})
			}
		}
	}
}

// TestMixedBatchIsRefusedWhole: a coordinator's batch that holds one row
// on its own partnership and one on another is refused with ErrForbidden,
// and the row on its own partnership is not stored either.
func TestMixedBatchIsRefusedWhole(t *testing.T) {
	svc := newService(t)
	ctx := t.Context()
	coord := reporttest.Coordinator
	before := reportState(t, svc)
	obs := func(tg reportTarget) report.Observation {
		return report.Observation{Partnership: tg.id, Indicator: tg.indicator, Kind: report.KindActual, Period: tg.period, Value: 3}
	}
	assert.ErrorIs(t, svc.Record(ctx, coord, obs(durbanTarget), obs(telaviTarget)), citylinks.ErrForbidden)
	_, err := svc.ImportCSV(ctx, coord, strings.NewReader(csvHeader+
		durbanTarget.id+","+durbanTarget.indicator+",actual,"+durbanTarget.csvPeriod+",3,,,\n"+
		telaviTarget.id+","+telaviTarget.indicator+",actual,"+telaviTarget.csvPeriod+",3,,,\n"))
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	contribution := func(tg reportTarget) report.Contribution {
		return report.Contribution{Partnership: tg.id, Organization: coord.Organization, Date: citylinks.Date{Year: 2015, Month: 10, Day: 2}, Hours: 1}
	}
	assert.ErrorIs(t, svc.RecordContributions(ctx, coord, contribution(durbanTarget), contribution(telaviTarget)), citylinks.ErrForbidden)
	assert.Empty(t, cmp.Diff(before, reportState(t, svc), cmpopts.EquateEmpty(),
		cmp.Comparer(func(a, b report.Period) bool { return a == b })), "part of a refused batch was stored")
	// Each half alone: the own one is stored, the other refused.
	require.NoError(t, svc.Record(ctx, coord, obs(durbanTarget)))
	assert.ErrorIs(t, svc.Record(ctx, coord, obs(telaviTarget)), citylinks.ErrForbidden)
}

// TestReadsAreScoped: a coordinator reads the results of its own
// partnerships only, through every read of the Service; the other roles
// read everything; an actor with no role reads nothing.
func TestReadsAreScoped(t *testing.T) {
	svc := newService(t)
	ctx := t.Context()
	q := report.Quarter(2015, 4)
	ids := func(acts []report.Activity) []string {
		var out []string
		for _, a := range acts {
			out = append(out, a.ID)
		}
		return out
	}
	all, err := svc.BuildReport(ctx, reporttest.Viewer, nil)
	require.NoError(t, err)
	allIDs := ids(all.Activities)
	require.Contains(t, allIDs, reporttest.Telavi)

	coord := reporttest.Coordinator // a party to Durban and Legazpi, not Telavi
	own, err := svc.BuildReport(ctx, coord, nil)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{reporttest.Durban, reporttest.Legazpi}, ids(own.Activities))
	for _, row := range own.Rollup.Rows {
		assert.NotContains(t, row.Group, reporttest.Telavi, "roll-up row of another partnership")
	}
	for _, c := range own.Rollup.Contributions {
		assert.NotContains(t, c.Group, reporttest.Telavi)
	}
	for _, d := range own.Due {
		assert.NotEqual(t, reporttest.Telavi, d.Partnership)
	}
	for _, a := range own.Approvals {
		assert.NotEqual(t, reporttest.Telavi, a.Partnership)
	}

	r, err := svc.Rollup(ctx, coord, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}})
	require.NoError(t, err)
	require.NotEmpty(t, r.Rows)
	for _, row := range r.Rows {
		assert.NotEqual(t, reporttest.Telavi, row.Group[0])
	}
	r, err = svc.Rollup(ctx, coord, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}, Partnerships: []string{reporttest.Telavi}})
	require.NoError(t, err)
	assert.Empty(t, r.Rows, "asking for another partnership by name gives nothing")
	assert.Empty(t, r.Contributions)

	due, err := svc.Due(ctx, coord, nil)
	require.NoError(t, err)
	for _, d := range due {
		assert.NotEqual(t, reporttest.Telavi, d.Partnership)
	}

	_, err = svc.Approval(ctx, coord, reporttest.Durban, q)
	assert.NoError(t, err)
	_, err = svc.History(ctx, coord, reporttest.Durban, q)
	assert.NoError(t, err)
	_, err = svc.Approval(ctx, coord, reporttest.Telavi, q)
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.History(ctx, coord, reporttest.Telavi, q)
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.History(ctx, coord, "no-such-partnership", q)
	assert.ErrorIs(t, err, citylinks.ErrForbidden, "a coordinator does not learn which partnerships exist")

	for _, a := range []citylinks.Actor{reporttest.Facilitator, reporttest.Monitor, reporttest.Viewer,
		{ID: "f", Roles: []citylinks.Role{citylinks.RoleFunder}}} {
		r, err := svc.BuildReport(ctx, a, nil)
		require.NoError(t, err, a.ID)
		assert.Equal(t, allIDs, ids(r.Activities), "%s reads every partnership", a.ID)
		_, err = svc.History(ctx, a, reporttest.Telavi, q)
		assert.NoError(t, err, a.ID)
	}
	nobody := citylinks.Actor{ID: "nobody", Organization: "fort-lauderdale"}
	_, err = svc.BuildReport(ctx, nobody, nil)
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.Rollup(ctx, nobody, report.RollupQuery{GroupBy: []report.Dim{report.DimPartnership}})
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.Due(ctx, nobody, nil)
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
	_, err = svc.Approval(ctx, nobody, reporttest.Durban, q)
	assert.ErrorIs(t, err, citylinks.ErrForbidden)
}
