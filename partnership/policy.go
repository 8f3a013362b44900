package partnership

import (
	"fmt"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
)

// Action is what an actor asks to do with a partnership: a command, or
// reading it. The Policy decides on actions.
type Action string

// The actions: one per command, and read.
const (
	ActionPropose            Action = "propose"
	ActionRatify             Action = "ratify"
	ActionSignAgreement      Action = "sign-agreement"
	ActionDraftWorkPlan      Action = "draft-work-plan"
	ActionAgreeWorkPlan      Action = "agree-work-plan"
	ActionRecordExchange     Action = "record-exchange"
	ActionRecordContribution Action = "record-contribution"
	ActionStartClosing       Action = "start-closing"
	ActionComplete           Action = "complete"
	ActionSuspend            Action = "suspend"
	ActionResume             Action = "resume"
	ActionExtend             Action = "extend"
	ActionDecline            Action = "decline"
	ActionTerminate          Action = "terminate"
	ActionRead               Action = "read"
)

// Actions returns every Action, the commands first and read last.
func Actions() []Action {
	return []Action{ActionPropose, ActionRatify, ActionSignAgreement, ActionDraftWorkPlan, ActionAgreeWorkPlan,
		ActionRecordExchange, ActionRecordContribution, ActionStartClosing, ActionComplete, ActionSuspend,
		ActionResume, ActionExtend, ActionDecline, ActionTerminate, ActionRead}
}

// Valid reports whether a is one of the Actions.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// Policy decides whether an actor may take an action on a partnership. For
// ActionPropose, p is the summary the proposal would create. A denial is an
// error wrapping citylinks.ErrForbidden (a *ForbiddenError, preferably) that
// says why.
type Policy interface {
	Authorize(actor citylinks.Actor, a Action, p Summary) error
}

// PolicyFunc adapts a function to a Policy.
type PolicyFunc func(actor citylinks.Actor, a Action, p Summary) error

// Authorize calls f(actor, a, p).
func (f PolicyFunc) Authorize(actor citylinks.Actor, a Action, p Summary) error {
	return f(actor, a, p)
}

// DefaultPolicy is the policy of a CityLinks-style program:
//
//   - a facilitator (ICMA) runs the lifecycle: every action on every
//     partnership;
//   - a funder (a USAID mission) may sign (approve) agreements and
//     terminate, and reads every partnership;
//   - a coordinator acts only on partnerships where its organization is a
//     party (or a member of a composite party), and only on party-level
//     commands: drafting work plans, recording exchanges and contributions;
//     it reads only those partnerships;
//   - a monitor and a viewer only read, every partnership.
//
// Records have owners (AuthorizeRecord): an exchange or contribution
// belongs to the organization of the actor who first recorded it. A
// coordinator creates exchanges, but revises or cancels only its own
// organization's records, and credits contributions only to its own
// organization; a facilitator revises any record and credits any party.
// The coordinator of a composite party's organization acts for its members
// too; a member's coordinator acts for that member alone.
//
// An actor with several roles may do what any of them allows. Its zero
// value is ready to use.
type DefaultPolicy struct{}

// roleActions lists what each role may do, beside reading. Coordinators
// are further limited to their own partnerships.
var roleActions = map[citylinks.Role][]Action{
	citylinks.RoleFacilitator: Actions(),
	citylinks.RoleFunder:      {ActionSignAgreement, ActionTerminate, ActionRead},
	citylinks.RoleCoordinator: {ActionDraftWorkPlan, ActionRecordExchange, ActionRecordContribution, ActionRead},
	citylinks.RoleMonitor:     {ActionRead},
	citylinks.RoleViewer:      {ActionRead},
}

// Authorize implements Policy.
func (DefaultPolicy) Authorize(actor citylinks.Actor, a Action, p Summary) error {
	deny := func(format string, args ...any) error {
		return &ForbiddenError{Actor: actor.ID, Action: a, Partnership: p.ID, Reason: fmt.Sprintf(format, args...)}
	}
	if actor.ID == "" {
		return deny("the actor has no id")
	}
	if len(actor.Roles) == 0 {
		return deny("the actor has no role")
	}
	var reasons []string
	for _, r := range actor.Roles {
		if !slices.Contains(roleActions[r], a) {
			reasons = append(reasons, fmt.Sprintf("a %s may not %s", r, a))
			continue
		}
		if r == citylinks.RoleCoordinator {
			if actor.Organization == "" {
				reasons = append(reasons, "a coordinator must act for an organization")
				continue
			}
			if !p.Includes(actor.Organization) {
				reasons = append(reasons, fmt.Sprintf("a coordinator of %s acts only on partnerships %s is a party to", actor.Organization, actor.Organization))
				continue
			}
		}
		return nil
	}
	return deny("%s", strings.Join(reasons, "; "))
}
