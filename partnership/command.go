package partnership

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Command is something an actor asks of a partnership: Propose, Ratify,
// SignAgreement, DraftWorkPlan, AgreeWorkPlan, RecordExchange,
// RecordContribution, StartClosing, Complete, Suspend, Resume, Extend,
// Decline or Terminate. Service.Execute runs any of them.
//
// Every command has an On date: the calendar date the act happened. It
// defaults to today (by the Service's clock, in UTC), may not be in the
// future and, for lifecycle commands, may not be before the partnership's
// previous lifecycle step, so that the state as of a date is well defined.
type Command interface {
	// Action returns the action the Policy is asked about.
	Action() Action
	decide(p *Partnership, env *env) ([]pending, error)
}

// pending is an event a command decided on, before it has a version.
type pending struct {
	on   citylinks.Date
	data Data
}

// env is what deciding may consult besides the state.
type env struct {
	ctx     context.Context
	today   citylinks.Date
	results ResultsChecker
	actor   citylinks.Actor
	records RecordPolicy // decides on records; nil means DefaultPolicy
}

// ResultsChecker reports whether a partnership's final results are approved.
type ResultsChecker interface {
	FinalResultsApproved(ctx context.Context, partnershipID string) (bool, error)
}

// ResultsCheckerFunc adapts a function to a ResultsChecker.
type ResultsCheckerFunc func(ctx context.Context, partnershipID string) (bool, error)

// FinalResultsApproved calls f(ctx, partnershipID).
func (f ResultsCheckerFunc) FinalResultsApproved(ctx context.Context, partnershipID string) (bool, error) {
	return f(ctx, partnershipID)
}

// Propose opens a new partnership. ID may be empty: the Service then uses
// citylinks.NewID().
type Propose struct {
	ID        string
	Title     string
	Program   string // e.g. citylinks.ProgramCityLinks2011
	FocusArea string // e.g. citylinks.FocusClimate
	Parties   []Party
	Start     citylinks.Date // planned start, optional
	End       citylinks.Date // planned end, optional
	Notes     string
	On        citylinks.Date
}

// Ratify records that a resource party's governing body approved its
// participation. Party may be empty when there is one resource party.
type Ratify struct {
	Party string // organization id of the resource party (or a member of it)
	Body  string // e.g. "Boulder City Council"
	On    citylinks.Date
}

// SignAgreement records the signed three-way agreement or MOU and moves the
// partnership to agreed. Every resource party must have ratified.
type SignAgreement struct {
	Agreement   AgreementKind // defaults to AgreementThreeWay
	Signatories []Signatory
	Start       citylinks.Date // agreed start, optional
	End         citylinks.Date // planned end, required
	On          citylinks.Date // signing date
}

// DraftWorkPlan records a draft work plan; it changes no state.
type DraftWorkPlan struct {
	Plan WorkPlan
	On   citylinks.Date
}

// AgreeWorkPlan records the agreed work plan. From agreed it makes the
// partnership active; when active or closing it revises the plan. A Plan
// with no objectives agrees the latest draft.
type AgreeWorkPlan struct {
	Plan WorkPlan
	On   citylinks.Date
}

// RecordExchange records an exchange visit, or revises (or cancels) the
// one with the same ID. The Service fills an empty ID and an empty
// Direction (from the roles of the parties); On defaults to the exchange's
// end when it is done. Who may revise which exchange is the RecordPolicy's
// decision: by default only the organization that first recorded it, or a
// facilitator (DefaultPolicy.AuthorizeRecord).
type RecordExchange struct {
	Exchange Exchange
	On       citylinks.Date
}

// RecordContribution records volunteer time or in-kind value, or corrects
// the one with the same ID. The Service fills an empty ID; On defaults to the
// contribution's Date. Who may credit which party and correct which
// contribution is the RecordPolicy's decision: by default a coordinator
// credits only its own organization and corrects only what its organization
// first recorded; a facilitator does both for anyone
// (DefaultPolicy.AuthorizeRecord).
type RecordContribution struct {
	Contribution Contribution
	On           citylinks.Date
}

// StartClosing moves an active partnership whose final exchange is done to
// closing. At least one exchange must be done.
type StartClosing struct {
	On citylinks.Date
}

// Complete moves a closing partnership to completed once the Service's
// ResultsChecker says its final results are approved.
type Complete struct {
	On citylinks.Date
}

// Suspend suspends an open partnership.
type Suspend struct {
	Reason string
	On     citylinks.Date
}

// Resume returns a suspended partnership to the state it was suspended from.
type Resume struct {
	On citylinks.Date
}

// Extend moves the planned end of an agreed partnership to a later date.
type Extend struct {
	End    citylinks.Date
	Reason string
	On     citylinks.Date
}

// Decline declines a proposal.
type Decline struct {
	Reason string
	On     citylinks.Date
}

// Terminate ends an open partnership early; Reason is required.
type Terminate struct {
	Reason string
	On     citylinks.Date
}

// Action implements Command.
func (Propose) Action() Action { return ActionPropose }

// Action implements Command.
func (Ratify) Action() Action { return ActionRatify }

// Action implements Command.
func (SignAgreement) Action() Action { return ActionSignAgreement }

// Action implements Command.
func (DraftWorkPlan) Action() Action { return ActionDraftWorkPlan }

// Action implements Command.
func (AgreeWorkPlan) Action() Action { return ActionAgreeWorkPlan }

// Action implements Command.
func (RecordExchange) Action() Action { return ActionRecordExchange }

// Action implements Command.
func (RecordContribution) Action() Action { return ActionRecordContribution }

// Action implements Command.
func (StartClosing) Action() Action { return ActionStartClosing }

// Action implements Command.
func (Complete) Action() Action { return ActionComplete }

// Action implements Command.
func (Suspend) Action() Action { return ActionSuspend }

// Action implements Command.
func (Resume) Action() Action { return ActionResume }

// Action implements Command.
func (Extend) Action() Action { return ActionExtend }

// Action implements Command.
func (Decline) Action() Action { return ActionDecline }

// Action implements Command.
func (Terminate) Action() Action { return ActionTerminate }

// date resolves a command's On date: def when zero, then checked to be a
// real date that is not in the future and, for lifecycle commands, not
// before the previous lifecycle step.
func (env *env) date(p *Partnership, on, def citylinks.Date, lifecycle bool) (citylinks.Date, error) {
	if on.IsZero() {
		on = def
	}
	if on.IsZero() {
		on = env.today
	}
	if err := validDate("on", on, true); err != nil {
		return on, err
	}
	if on.After(env.today) {
		return on, invalid("on", "%s is in the future (today is %s)", on, env.today)
	}
	if lifecycle && !p.LastOn.IsZero() && on.Before(p.LastOn) {
		return on, invalid("on", "%s is before the partnership's previous step on %s", on, p.LastOn)
	}
	return on, nil
}

func one(on citylinks.Date, d Data, err error) ([]pending, error) {
	if err != nil {
		return nil, err
	}
	return []pending{{on, d}}, nil
}

// stateGuard returns a *GuardError unless p is in one of the allowed
// states, saying what is missing in the terms of the lifecycle.
func stateGuard(a Action, s State, allowed ...State) error {
	if slices.Contains(allowed, s) {
		return nil
	}
	var missing string
	switch {
	case s == StateSuspended:
		missing = "the partnership is suspended (resume it first)"
	case !s.Open():
		missing = fmt.Sprintf("the partnership is %s", s)
	case slices.Contains(allowed, StateAgreed) && s == StateProposed:
		missing = "no agreement signed"
	case slices.Contains(allowed, StateActive) && s == StateAgreed:
		missing = "no work plan agreed"
	case slices.Contains(allowed, StateClosing) && s == StateActive:
		missing = "closing has not started"
	default:
		names := make([]string, len(allowed))
		for i, st := range allowed {
			names[i] = string(st)
		}
		missing = fmt.Sprintf("the partnership is %s, not %s", s, strings.Join(names, " or "))
	}
	return guard(a, s, "%s", missing)
}

func (c Propose) decide(p *Partnership, env *env) ([]pending, error) {
	if p.Version > 0 {
		return nil, fmt.Errorf("partnership: cannot propose %q: it already exists: %w", p.ID, citylinks.ErrConflict)
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	d := &Proposed{Title: c.Title, Program: c.Program, FocusArea: c.FocusArea, Parties: c.Parties, Start: c.Start, End: c.End, Notes: c.Notes}
	if err == nil {
		err = d.validate()
	}
	return one(on, d.clone(), err)
}

func (c Ratify) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionRatify, p.State, StateProposed); err != nil {
		if p.State == StateAgreed || p.State == StateActive || p.State == StateClosing {
			return nil, guard(ActionRatify, p.State, "the agreement is already signed; ratification comes before it")
		}
		return nil, err
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	if err != nil {
		return nil, err
	}
	party := c.Party
	if party == "" {
		var rs []string
		for _, q := range p.Parties {
			if q.Role == PartyResource {
				rs = append(rs, q.Organization)
			}
		}
		if len(rs) != 1 {
			return nil, invalid("party", "is required: the partnership has %d resource parties", len(rs))
		}
		party = rs[0]
	}
	if q, ok := p.Party(party); !ok || q.Role != PartyResource {
		return nil, invalid("party", "%q is not a resource party of the partnership", errtext.Clip(party))
	}
	if p.Ratified(party) {
		return nil, guard(ActionRatify, p.State, "%s has already ratified", party)
	}
	d := &Ratified{Party: party, Body: c.Body}
	return one(on, d, validateData(d))
}

func (c SignAgreement) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionSignAgreement, p.State, StateProposed); err != nil {
		return nil, err
	}
	for _, q := range p.Parties {
		if q.Role != PartyResource {
			continue
		}
		if !slices.ContainsFunc(p.Ratifications, func(r Ratification) bool { return q.Includes(r.Party) }) {
			return nil, guard(ActionSignAgreement, p.State, "resource party %s has not ratified (its governing body must approve participation first)", q.Organization)
		}
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	if err != nil {
		return nil, err
	}
	kind := c.Agreement
	if kind == "" {
		kind = AgreementThreeWay
	}
	d := &AgreementSigned{Agreement: kind, Signatories: slices.Clone(c.Signatories), Start: c.Start, End: c.End}
	if err := d.validate(); err != nil {
		return nil, err
	}
	for i, s := range d.Signatories {
		if _, ok := p.Party(s.Party); !ok {
			return nil, invalid(fmt.Sprintf("signatories[%d].party", i), "%q is not a party of the partnership", errtext.Clip(s.Party))
		}
	}
	if !d.End.After(on) {
		return nil, invalid("end", "%s is not after the signing date %s", d.End, on)
	}
	return one(on, d, nil)
}

// checkPlan checks that a work plan's exchanges are between parties.
func (p *Partnership) checkPlan(w WorkPlan) error {
	if err := w.validate(); err != nil {
		return prefix("plan", err)
	}
	for i, x := range w.Exchanges {
		for _, end := range []struct{ f, id string }{{"from", x.From}, {"to", x.To}} {
			if _, ok := p.Party(end.id); !ok {
				return invalid(fmt.Sprintf("plan.exchanges[%d].%s", i, end.f), "%q is not a party of the partnership", errtext.Clip(end.id))
			}
		}
	}
	return nil
}

func (c DraftWorkPlan) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionDraftWorkPlan, p.State, StateProposed, StateAgreed, StateActive, StateClosing); err != nil {
		return nil, err
	}
	on, err := env.date(p, c.On, citylinks.Date{}, false)
	if err == nil {
		err = p.checkPlan(c.Plan)
	}
	return one(on, &WorkPlanDrafted{Plan: c.Plan.clone()}, err)
}

func (c AgreeWorkPlan) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionAgreeWorkPlan, p.State, StateAgreed, StateActive, StateClosing); err != nil {
		return nil, err
	}
	plan := c.Plan
	if len(plan.Objectives) == 0 && len(plan.Exchanges) == 0 && len(plan.Indicators) == 0 && p.Draft != nil {
		plan = *p.Draft
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	if err == nil {
		err = p.checkPlan(plan)
	}
	return one(on, &WorkPlanAgreed{Plan: plan.clone()}, err)
}

// direction returns the direction of an exchange from party from to party
// to.
func (p *Partnership) direction(to string) Direction {
	q, _ := p.Party(to)
	switch q.Role {
	case PartyHost:
		return ToHost
	case PartyResource:
		return ToResource
	}
	return ToOther
}

func (c RecordExchange) decide(p *Partnership, env *env) ([]pending, error) {
	owner, ok := p.ExchangeOwner(c.Exchange.ID)
	if err := env.authorizeRecord(p, ActionRecordExchange, Record{ID: c.Exchange.ID, New: !ok, Owner: owner}); err != nil {
		return nil, err
	}
	if err := stateGuard(ActionRecordExchange, p.State, StateAgreed, StateActive, StateClosing); err != nil {
		return nil, err
	}
	x := c.Exchange.clone()
	for _, end := range []struct{ f, id string }{{"exchange.from", x.From}, {"exchange.to", x.To}} {
		if _, ok := p.Party(end.id); !ok && end.id != "" {
			return nil, invalid(end.f, "%q is not a party of the partnership", errtext.Clip(end.id))
		}
	}
	want := p.direction(x.To)
	if x.Direction == "" {
		x.Direction = want
	}
	if err := prefix("exchange", x.validate()); err != nil {
		return nil, err
	}
	if x.Direction != want {
		return nil, invalid("exchange.direction", "is %s, but an exchange to %s goes %s", x.Direction, x.To, want)
	}
	for i, pt := range x.Participants {
		if _, ok := p.Party(pt.Party); !ok {
			return nil, invalid(fmt.Sprintf("exchange.participants[%d].party", i), "%q is not a party of the partnership", errtext.Clip(pt.Party))
		}
	}
	if x.Status == ExchangeDone && x.End.After(env.today) {
		return nil, invalid("exchange.end", "a done exchange cannot end in the future (%s; today is %s)", x.End, env.today)
	}
	if old, ok := p.Exchange(x.ID); ok {
		if reflect.DeepEqual(old, x) {
			return nil, nil // already recorded: nothing to do
		}
		if old.Status == ExchangeDone && x.Status == ExchangePlanned {
			return nil, guard(ActionRecordExchange, p.State, "exchange %s is done; it cannot go back to planned", x.ID)
		}
	}
	def := citylinks.Date{}
	if x.Status == ExchangeDone {
		def = x.End
	}
	on, err := env.date(p, c.On, def, false)
	return one(on, &ExchangeRecorded{Exchange: x}, err)
}

func (c RecordContribution) decide(p *Partnership, env *env) ([]pending, error) {
	owner, ok := p.ContributionOwner(c.Contribution.ID)
	r := Record{ID: c.Contribution.ID, Party: c.Contribution.Party, New: !ok, Owner: owner}
	if err := env.authorizeRecord(p, ActionRecordContribution, r); err != nil {
		return nil, err
	}
	if err := stateGuard(ActionRecordContribution, p.State, StateAgreed, StateActive, StateClosing); err != nil {
		return nil, err
	}
	k := c.Contribution
	if err := prefix("contribution", k.validate()); err != nil {
		return nil, err
	}
	if _, ok := p.Party(k.Party); !ok {
		return nil, invalid("contribution.party", "%q is not a party (or member of a party) of the partnership", errtext.Clip(k.Party))
	}
	if k.Date.After(env.today) {
		return nil, invalid("contribution.date", "%s is in the future (today is %s)", k.Date, env.today)
	}
	if old, ok := p.Contribution(k.ID); ok && old == k {
		return nil, nil // already recorded: nothing to do
	}
	on, err := env.date(p, c.On, k.Date, false)
	return one(on, &ContributionRecorded{Contribution: k}, err)
}

func (c StartClosing) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionStartClosing, p.State, StateActive); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(p.Exchanges, func(x Exchange) bool { return x.Status == ExchangeDone }) {
		return nil, guard(ActionStartClosing, p.State, "no exchange is done")
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	return one(on, &ClosingStarted{}, err)
}

func (c Complete) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionComplete, p.State, StateClosing); err != nil {
		return nil, err
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	if err != nil {
		return nil, err
	}
	if env.results == nil {
		return nil, ErrNoResultsChecker
	}
	ok, err := env.results.FinalResultsApproved(env.ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("partnership: cannot complete %q: checking final results: %w", p.ID, err)
	}
	if !ok {
		return nil, guard(ActionComplete, p.State, "the final results are not approved")
	}
	return one(on, &Completed{}, nil)
}

func (c Suspend) decide(p *Partnership, env *env) ([]pending, error) {
	if p.State == StateSuspended {
		return nil, guard(ActionSuspend, p.State, "the partnership is already suspended")
	}
	if err := stateGuard(ActionSuspend, p.State, StateProposed, StateAgreed, StateActive, StateClosing); err != nil {
		return nil, err
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	d := &Suspended{Reason: c.Reason}
	if err == nil {
		err = validateData(d)
	}
	return one(on, d, err)
}

func (c Resume) decide(p *Partnership, env *env) ([]pending, error) {
	if p.State != StateSuspended {
		return nil, guard(ActionResume, p.State, "the partnership is %s, not suspended", p.State)
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	return one(on, &Resumed{}, err)
}

func (c Extend) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionExtend, p.State, StateAgreed, StateActive, StateClosing, StateSuspended); err != nil {
		return nil, err
	}
	if p.End.IsZero() {
		return nil, guard(ActionExtend, p.State, "the partnership has no planned end to extend")
	}
	d := &Extended{End: c.End, Reason: c.Reason}
	if err := validateData(d); err != nil {
		return nil, err
	}
	if !c.End.After(p.End) {
		return nil, guard(ActionExtend, p.State, "the new end %s is not after the current end %s", c.End, p.End)
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	return one(on, d, err)
}

func (c Decline) decide(p *Partnership, env *env) ([]pending, error) {
	if err := stateGuard(ActionDecline, p.State, StateProposed); err != nil {
		if p.State.Open() && p.State != StateSuspended {
			return nil, guard(ActionDecline, p.State, "only a proposal can be declined; the partnership is %s (terminate it instead)", p.State)
		}
		return nil, err
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	d := &Declined{Reason: c.Reason}
	if err == nil {
		err = validateData(d)
	}
	return one(on, d, err)
}

func (c Terminate) decide(p *Partnership, env *env) ([]pending, error) {
	if !p.State.Open() {
		return nil, guard(ActionTerminate, p.State, "the partnership is %s", p.State)
	}
	d := &Terminated{Reason: c.Reason}
	if err := validateData(d); err != nil {
		return nil, err
	}
	on, err := env.date(p, c.On, citylinks.Date{}, true)
	return one(on, d, err)
}
