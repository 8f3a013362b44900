package report_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/reporttest"
)

// TestAuthorize walks every action × role, and a coordinator on and off
// their own partnership.
func TestAuthorize(t *testing.T) {
	act := reporttest.Activities()[0] // Fort Lauderdale takes part
	other := reporttest.Activities()[2]
	actor := func(r citylinks.Role) citylinks.Actor {
		return citylinks.Actor{ID: "someone", Organization: "fort-lauderdale", Roles: []citylinks.Role{r}}
	}
	// want[action] lists who may: role names, "coordinator" meaning on an
	// own partnership only.
	want := map[report.Action][]citylinks.Role{
		report.ActionDefineIndicator:  {citylinks.RoleFacilitator, citylinks.RoleMonitor},
		report.ActionRegisterActivity: {citylinks.RoleFacilitator},
		report.ActionRecord:           {citylinks.RoleFacilitator, citylinks.RoleCoordinator},
		report.ActionSubmit:           {citylinks.RoleFacilitator, citylinks.RoleCoordinator},
		report.ActionApprove:          {citylinks.RoleMonitor},
		report.ActionReturn:           {citylinks.RoleMonitor},
		report.ActionUnlock:           {citylinks.RoleMonitor},
		report.ActionRead:             {citylinks.RoleFacilitator, citylinks.RoleFunder, citylinks.RoleCoordinator, citylinks.RoleMonitor, citylinks.RoleViewer},
	}
	for _, action := range report.Actions() {
		for _, role := range citylinks.Roles() {
			for _, a := range []report.Activity{act, other} {
				own := a.ID == act.ID
				t.Run(string(action)+"/"+string(role)+"/"+a.ID, func(t *testing.T) {
					err := report.Authorize(actor(role), action, &a)
					ok := false
					for _, r := range want[action] {
						if r == role && (r != citylinks.RoleCoordinator || own) {
							ok = true
						}
					}
					if ok {
						assert.NoError(t, err)
					} else {
						assert.True(t, errors.Is(err, citylinks.ErrForbidden), "got %v", err)
					}
				})
			}
		}
	}
	// No roles, an invalid actor, a coordinator with no organization.
	assert.ErrorIs(t, report.Authorize(citylinks.Actor{ID: "x"}, report.ActionRecord, &act), citylinks.ErrForbidden)
	assert.ErrorIs(t, report.Authorize(citylinks.Actor{}, report.ActionApprove, &act), citylinks.ErrForbidden)
	assert.ErrorIs(t, report.Authorize(citylinks.Actor{ID: "c", Roles: []citylinks.Role{citylinks.RoleCoordinator}}, report.ActionRecord, &act), citylinks.ErrForbidden)
	// Several roles combine.
	both := citylinks.Actor{ID: "b", Roles: []citylinks.Role{citylinks.RoleViewer, citylinks.RoleMonitor}}
	assert.NoError(t, report.Authorize(both, report.ActionUnlock, &act))
}
