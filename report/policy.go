package report

import (
	"fmt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Authorize decides whether actor may take action on the activity (nil for
// actions that are not about one activity). It returns nil, or an error
// wrapping citylinks.ErrForbidden that names the actor and the action.
//
// The policy, role by role (an actor with several roles may do what any of
// them allows):
//
//	action             facilitator  funder  coordinator        monitor  viewer
//	define-indicator   yes          no      no                 yes      no
//	register-activity  yes          no      no                 no       no
//	record             yes          no      own partnerships   no       no
//	submit             yes          no      own partnerships   no       no
//	approve            no           no      no                 yes      no
//	return             no           no      no                 yes      no
//	unlock             no           no      no                 yes      no
//	read               yes          yes     own partnerships   yes      yes
//
// A coordinator's own partnerships are those in which the actor's
// Organization is a Participant. Monitors review but do not enter or submit
// data, so nobody approves their own numbers; only a monitor may unlock an
// approved period, and the unlock is kept in the period's history with the
// monitor's reason. Reading is checked like a write: a coordinator reads
// only the results of its own partnerships, and the Service's reads of many
// partnerships (BuildReport, Rollup, Due) leave the others out for it.
func Authorize(actor citylinks.Actor, action Action, a *Activity) error {
	if err := actor.Validate(); err != nil {
		return fmt.Errorf("report: %w: %w", citylinks.ErrForbidden, err)
	}
	if !action.Valid() {
		return invalid("action", "%q is not an action", errtext.Clip(string(action)))
	}
	allowed := false
	switch action {
	case ActionDefineIndicator:
		allowed = actor.Has(citylinks.RoleFacilitator) || actor.Has(citylinks.RoleMonitor)
	case ActionRegisterActivity:
		allowed = actor.Has(citylinks.RoleFacilitator)
	case ActionRecord, ActionSubmit:
		allowed = actor.Has(citylinks.RoleFacilitator) ||
			actor.Has(citylinks.RoleCoordinator) && a != nil && a.Participates(actor.Organization)
	case ActionApprove, ActionReturn, ActionUnlock:
		allowed = actor.Has(citylinks.RoleMonitor)
	case ActionRead:
		allowed = readsAll(actor) ||
			actor.Has(citylinks.RoleCoordinator) && a != nil && a.Participates(actor.Organization)
	}
	if allowed {
		return nil
	}
	on := ""
	if a != nil {
		on = fmt.Sprintf(" on partnership %q", a.ID)
	}
	return fmt.Errorf("report: actor %q (roles %v, organization %q) may not %s%s: %w",
		actor.ID, actor.Roles, actor.Organization, action, on, citylinks.ErrForbidden)
}

// readsAll reports whether actor may read every partnership's results:
// every role but the coordinator's does.
func readsAll(actor citylinks.Actor) bool {
	for _, r := range []citylinks.Role{citylinks.RoleFacilitator, citylinks.RoleFunder, citylinks.RoleMonitor, citylinks.RoleViewer} {
		if actor.Has(r) {
			return true
		}
	}
	return false
}
