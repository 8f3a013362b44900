// Package partnership is the partnership aggregate of citylinks: parties,
// lifecycle, work plan, exchange visits, volunteer contributions and
// permissions, event-sourced over a Store.
//
// # Lifecycle
//
// A partnership is proposed, then agreed once every resource party's
// governing body has ratified (Ratify) and the three-way agreement or MOU is
// signed (SignAgreement), active once a work plan is agreed
// (AgreeWorkPlan), closing once an exchange is done (StartClosing), and
// completed once its final results are approved (Complete, which asks a
// ResultsChecker; package report provides one). Beside that line an open
// partnership can be suspended and resumed to where it was, extended to a
// later end, terminated for a reason; a proposal can be declined. Each
// refusal is a *GuardError naming the missing precondition ("cannot start
// closing: no exchange is done"), and nothing is stored.
//
// # Events
//
// The record is the list of events (Event, with a Data payload such as
// *AgreementSigned); the state (Partnership) is their Fold. Every event
// says who recorded it, when (a UTC instant from the Service's clock), and
// on which calendar date the fact happened, so History, AsOf (state on a
// date) and Recorded (state as recorded at an instant) come from the same
// list. Events serialize to JSON with a schema version (EncodeEvent,
// DecodeEvent); testdata/events_v1.jsonl keeps events of version 1 that
// every later version must read.
//
// # Service, policy and storage
//
// A Service runs commands for an actor (citylinks.Actor): it loads the
// stream, folds it, asks the Policy, decides, and appends with the version
// it read. Store.AppendPartnership refuses a stale version with
// citylinks.ErrConflict, and the Service then decides again on fresh state.
// DefaultPolicy lets a facilitator run everything, a funder sign agreements
// and terminate, a party's coordinator record exchanges, contributions and
// draft work plans on its own partnerships, and everyone read — except that
// a coordinator reads only its own partnerships. Every read goes through
// the policy too.
//
// # Who may revise what
//
// Recording an exchange or contribution with an ID the partnership already
// has revises it (cancelling an exchange is a revision). Each record is
// owned by the organization of the actor who first recorded it, read from
// that event's Actor.Organization and kept through every revision
// (Partnership.ExchangeOwners, ContributionOwners). Under DefaultPolicy a
// coordinator revises only its own organization's records and credits a
// contribution only to its own organization (each party reports its own
// volunteer time); a facilitator revises anyone's and credits any party. A
// composite party's own organization (Fort Lauderdale + Broward County)
// acts for its members, but a member (Broward County) only for itself
// (Summary.ActsFor). A record whose first event has an actor of no
// organization is revised only by a facilitator. A denial is a
// *ForbiddenError naming the owner ("exchange x1 was recorded by icma; a
// coordinator of boulder may revise only its own organization's records"),
// and nothing is stored. The Service asks the RecordPolicy (DefaultPolicy's
// rule, unless Options.Policy implements RecordPolicy) each time it
// decides, so a retry after a conflicting writer applies the rule to the
// fresh state.
//
// Roll-ups (Rollup, Service.Rollup) sum volunteer time and in-kind value
// by partnership, party, program, period or person; amounts in different
// currencies are kept apart.
package partnership
