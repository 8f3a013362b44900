package partnership

import (
	"fmt"
	"slices"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Record is the exchange or contribution that a RecordExchange or
// RecordContribution command would create or revise: what a RecordPolicy
// decides on.
type Record struct {
	ID string // the exchange's or contribution's id
	// Party is the organization a contribution is credited to
	// (Contribution.Party); "" for an exchange.
	Party string
	// New is true when the partnership has no record with this ID yet: the
	// command creates it rather than revising (or cancelling) it.
	New bool
	// Owner is, for a revision, the organization that owns the record: the
	// organization of the actor who first recorded it. It is "" for a new
	// record, and for one first recorded by an actor of no organization.
	Owner string
}

// RecordPolicy is a Policy that also decides who may create or revise which
// exchange or contribution. The Service calls AuthorizeRecord for every
// RecordExchange and RecordContribution command that Authorize allowed,
// with the partnership's state as the command is decided (so again, on
// fresh state, when the Service retries after a conflicting writer). A
// denial is an error wrapping citylinks.ErrForbidden (a *ForbiddenError,
// preferably). A Policy that does not implement RecordPolicy gets
// DefaultPolicy's AuthorizeRecord.
type RecordPolicy interface {
	Policy
	AuthorizeRecord(actor citylinks.Actor, a Action, p Summary, r Record) error
}

// AuthorizeRecord implements RecordPolicy. A record (an exchange or a
// contribution) is owned by the organization of the actor who first
// recorded it, and keeps that owner through every revision:
//
//   - a facilitator creates, revises and cancels any record, for any party;
//   - any other actor, a coordinator say, creates exchanges between any
//     parties, but revises or cancels only the records its own
//     organization owns, and credits a contribution (Contribution.Party)
//     only to its own organization, since each party reports its own
//     volunteer time and in-kind value;
//   - the coordinator of a composite party's own organization (Fort
//     Lauderdale + Broward County) acts for the whole party: it also
//     revises its members' records and credits contributions to its
//     members; the coordinator of a member (Broward County) acts for that
//     member alone;
//   - a record whose first recorder acted for no organization (an import,
//     say) is revised only by a facilitator.
//
// The denial names the owner: "exchange x1 was recorded by icma; a
// coordinator of boulder may revise only its own organization's records".
func (DefaultPolicy) AuthorizeRecord(actor citylinks.Actor, a Action, p Summary, r Record) error {
	if actor.Has(citylinks.RoleFacilitator) {
		return nil
	}
	deny := func(format string, args ...any) error {
		return &ForbiddenError{Actor: actor.ID, Action: a, Partnership: p.ID, Reason: fmt.Sprintf(format, args...)}
	}
	kind := "exchange"
	if a == ActionRecordContribution {
		kind = "contribution"
	}
	switch {
	case r.New:
	case r.Owner == "":
		return deny("%s %s was recorded by no organization; only a facilitator may revise it", kind, errtext.Clip(r.ID))
	case !p.ActsFor(actor.Organization, r.Owner):
		return deny("%s %s was recorded by %s; %s may revise only its own organization's records", kind, errtext.Clip(r.ID), errtext.Clip(r.Owner), actingAs(actor))
	}
	// An empty party is left to validation, which refuses it.
	if a == ActionRecordContribution && r.Party != "" && !p.ActsFor(actor.Organization, r.Party) {
		return deny("contribution %s is credited to %s; %s may record contributions only for its own organization (each party reports its own volunteer time)",
			errtext.Clip(r.ID), errtext.Clip(r.Party), actingAs(actor))
	}
	return nil
}

// actingAs describes an actor that is not a facilitator for a denial: "a
// coordinator of boulder".
func actingAs(a citylinks.Actor) string {
	role := "an actor with no role"
	switch {
	case a.Has(citylinks.RoleCoordinator):
		role = "a " + string(citylinks.RoleCoordinator)
	case len(a.Roles) > 0:
		role = "a " + errtext.Clip(string(a.Roles[0]))
	}
	if a.Organization == "" {
		return role + " of no organization"
	}
	return role + " of " + errtext.Clip(a.Organization)
}

// ActsFor reports whether an actor of organization actorOrg acts for
// organization org in the partnership: when they are the same organization,
// or when actorOrg is a composite party's own organization and org one of
// its members. A member does not act for its composite party, nor for the
// other members. An empty actorOrg acts for no one.
func (s Summary) ActsFor(actorOrg, org string) bool {
	if actorOrg == "" {
		return false
	}
	if actorOrg == org {
		return true
	}
	return slices.ContainsFunc(s.Parties, func(q Party) bool { return q.Organization == actorOrg && q.Includes(org) })
}

// ExchangeOwner returns the organization that owns exchange id (the
// organization of the actor who first recorded it, "" if none), and
// whether p has that exchange.
func (p *Partnership) ExchangeOwner(id string) (string, bool) {
	i := slices.IndexFunc(p.Exchanges, func(x Exchange) bool { return x.ID == id })
	return owner(p.ExchangeOwners, i)
}

// ContributionOwner returns the organization that owns contribution id
// (the organization of the actor who first recorded it, "" if none), and
// whether p has that contribution.
func (p *Partnership) ContributionOwner(id string) (string, bool) {
	i := slices.IndexFunc(p.Contributions, func(c Contribution) bool { return c.ID == id })
	return owner(p.ContributionOwners, i)
}

// owner returns owners[i]; a record past the end of owners (a Partnership
// built by hand) has no owner.
func owner(owners []string, i int) (string, bool) {
	switch {
	case i < 0:
		return "", false
	case i < len(owners):
		return owners[i], true
	}
	return "", true
}

// authorizeRecord asks env's record policy whether its actor may record r
// on p.
func (env *env) authorizeRecord(p *Partnership, a Action, r Record) error {
	var rp RecordPolicy = DefaultPolicy{}
	if env.records != nil {
		rp = env.records
	}
	return rp.AuthorizeRecord(env.actor, a, p.Summary(), r)
}
