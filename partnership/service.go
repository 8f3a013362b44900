package partnership

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/citylinks/citylinks"
)

// Options configure a Service. The zero value (or nil) gives the defaults.
type Options struct {
	// Policy decides who may do what. Defaults to DefaultPolicy. A Policy
	// that is also a RecordPolicy decides who may create and revise which
	// exchange and contribution; any other gets DefaultPolicy's rule for
	// those (DefaultPolicy.AuthorizeRecord).
	Policy Policy
	// Results says whether a partnership's final results are approved, for
	// Complete. Package report's store satisfies it. Defaults to nil, with
	// which Complete is refused with ErrNoResultsChecker.
	Results ResultsChecker
	// Now is the clock. Defaults to time.Now. Recorded instants are its
	// value in UTC; "today" is its UTC calendar date.
	Now func() time.Time
	// MaxRetries is how many times a command is decided again on fresh
	// state after another writer appended first. Defaults to 16.
	MaxRetries int
	// NewID makes ids for partnerships, exchanges and contributions that
	// come without one. Defaults to citylinks.NewID.
	NewID func() string
	// AfterAppend, if set, is called after each command whose events were
	// stored, with the partnership's new state and those events: it keeps
	// what depends on partnerships (package handoff's Sync keeps outcome
	// reporting in step) up to date. It is not called for a refused
	// command, nor for one that stored nothing. Its error does not undo the
	// command, which is stored: Execute then returns the new state and a
	// *FollowUpError wrapping the error.
	AfterAppend func(ctx context.Context, p Partnership, events []Event) error
	// CacheEvents bounds the states the Service keeps between commands,
	// in events folded: about 200 bytes each for a stream of
	// contributions. Defaults to DefaultCacheEvents. The state of the
	// partnership in use is kept whatever its size, so commands on one long
	// stream stay as fast as on a short one; commands on many long streams
	// in turn fold each again when it has been forgotten.
	CacheEvents int
}

// Service runs commands on partnerships over a Store: it loads the events,
// folds them, asks the Policy, decides (asking the RecordPolicy about the
// exchange or contribution a command records), and appends with the
// version it read. When another writer appended first, it decides again on
// the fresh state (where the command may now fail its guard, or revise a
// record another organization recorded in the meantime) up to MaxRetries
// times.
// It keeps the latest state of the partnerships it works on (see
// Options.CacheEvents and TailStore), so a command reads and folds only the
// events appended since; the states it returns are copies, which callers
// may change freely.
// Make one with NewService; it is safe for concurrent use.
type Service struct {
	store   Store
	policy  Policy
	records RecordPolicy
	results ResultsChecker
	now     func() time.Time
	retries int
	newID   func() string
	after   func(ctx context.Context, p Partnership, events []Event) error
	states  states
}

// NewService returns a Service over store. opts may be nil.
func NewService(store Store, opts *Options) *Service {
	if opts == nil {
		opts = &Options{}
	}
	s := &Service{store: store, policy: opts.Policy, results: opts.Results, now: opts.Now, retries: opts.MaxRetries, newID: opts.NewID, after: opts.AfterAppend}
	if s.policy == nil {
		s.policy = DefaultPolicy{}
	}
	s.records, _ = s.policy.(RecordPolicy)
	if s.now == nil {
		s.now = time.Now
	}
	if s.retries <= 0 {
		s.retries = 16
	}
	if s.newID == nil {
		s.newID = citylinks.NewID
	}
	s.states.max = int64(opts.CacheEvents)
	if s.states.max <= 0 {
		s.states.max = DefaultCacheEvents
	}
	return s
}

// Execute runs cmd on partnership id as actor and returns the new state.
// For Propose, id may be empty (then cmd's ID, or a new id, is used).
//
// Errors: a *ForbiddenError (citylinks.ErrForbidden) when the policy
// denies; a *GuardError (ErrPrecondition) when the partnership's state does
// not allow the command; a *citylinks.ValidationError for bad input;
// citylinks.ErrNotFound for an unknown partnership; citylinks.ErrConflict
// when proposing an existing id, or when MaxRetries conflicting writers got
// in first. A refused command stores nothing. A command that would change
// nothing (recording the same exchange twice) stores nothing and succeeds.
// When the command is stored but Options.AfterAppend then fails, Execute
// returns the new state together with a *FollowUpError.
func (s *Service) Execute(ctx context.Context, actor citylinks.Actor, id string, cmd Command) (Partnership, error) {
	return s.execute(ctx, actor, id, AnyVersion, cmd)
}

// AnyVersion is the expected version that ExecuteAt accepts whatever the
// partnership's version is: it makes ExecuteAt the same as Execute.
const AnyVersion int64 = -1

// ExecuteAt runs cmd as Execute does, but only on version expected of
// partnership id: the version a client read (an HTTP ETag) before deciding
// to give the command. When the stored version differs, or another writer
// appends first, it stores nothing and returns a *StaleError (which wraps
// citylinks.ErrConflict) instead of deciding again on the fresh state: the
// client must read the partnership again and decide for itself. An expected
// version of 0 proposes a partnership that does not exist yet; AnyVersion
// accepts any version.
//
// The policy is asked before the version is compared, so an actor who may
// not act on the partnership learns nothing of its version.
func (s *Service) ExecuteAt(ctx context.Context, actor citylinks.Actor, id string, expected int64, cmd Command) (Partnership, error) {
	if expected < AnyVersion {
		return Partnership{}, invalid("version", "%d is negative", expected)
	}
	return s.execute(ctx, actor, id, expected, cmd)
}

// StaleError says that a command given at one version of a partnership
// found another: someone else changed the partnership since the client
// read it. It wraps citylinks.ErrConflict.
type StaleError struct {
	Partnership string
	Action      Action
	Expected    int64 // the version the command was given at
	Actual      int64 // the version stored when it was refused
}

// Error implements error.
func (e *StaleError) Error() string {
	return fmt.Sprintf("partnership: %s on %q at version %d: the partnership is at version %d", e.Action, e.Partnership, e.Expected, e.Actual)
}

// Unwrap returns citylinks.ErrConflict.
func (e *StaleError) Unwrap() error { return citylinks.ErrConflict }

func (s *Service) execute(ctx context.Context, actor citylinks.Actor, id string, expected int64, cmd Command) (Partnership, error) {
	if err := ctx.Err(); err != nil {
		return Partnership{}, err
	}
	if cmd == nil {
		return Partnership{}, invalid("command", "is required")
	}
	cmd = s.fill(cmd, &id)
	if err := validID("id", id); err != nil {
		return Partnership{}, err
	}
	var last error
	for attempt := 0; attempt <= s.retries; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return Partnership{}, err
			}
		}
		p, appended, err := s.execOnce(ctx, actor, id, expected, cmd)
		if err == nil && len(appended) > 0 && s.after != nil {
			if ferr := s.after(ctx, p, appended); ferr != nil {
				return p, &FollowUpError{Partnership: id, Action: cmd.Action(), Version: p.Version, Err: ferr}
			}
		}
		if err == nil || !errors.Is(err, errRetry) {
			return p, err
		}
		last = err
	}
	return Partnership{}, fmt.Errorf("partnership: %s on %q: gave up after %d conflicting writers: %w", cmd.Action(), id, s.retries, last)
}

// errRetry marks an append that lost a race.
var errRetry = errors.New("partnership: lost a race to another writer")

func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(rand.Int64N(int64(time.Millisecond) << min(attempt, 5)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fill gives a command the ids it lacks, once, so that a retry decides on
// the same ids.
func (s *Service) fill(cmd Command, id *string) Command {
	switch c := cmd.(type) {
	case Propose:
		if *id == "" {
			*id = c.ID
		}
		if *id == "" {
			*id = s.newID()
		}
		c.ID = *id
		return c
	case RecordExchange:
		if c.Exchange.ID == "" {
			c.Exchange.ID = s.newID()
		}
		return c
	case RecordContribution:
		if c.Contribution.ID == "" {
			c.Contribution.ID = s.newID()
		}
		return c
	}
	return cmd
}

// execOnce decides cmd on the stored state and appends its events,
// returning the new state and the events it stored (none for a command
// that changes nothing).
func (s *Service) execOnce(ctx context.Context, actor citylinks.Actor, id string, expected int64, cmd Command) (Partnership, []Event, error) {
	e := s.states.get(id)
	defer s.states.put(id, e)
	found, err := s.catchUp(ctx, id, e)
	if err != nil {
		return Partnership{}, nil, err
	}
	if !found {
		if _, ok := cmd.(Propose); !ok {
			return Partnership{}, nil, fmt.Errorf("partnership: %s: %q: %w", cmd.Action(), id, citylinks.ErrNotFound)
		}
	}
	// p is the cached state: decide reads it and changes nothing; it takes
	// the new events only once they are stored.
	p := &e.p
	now := s.now().UTC().Round(0)
	sum := p.Summary()
	if c, ok := cmd.(Propose); ok && p.Version == 0 {
		sum = Summary{ID: id, Title: c.Title, Program: c.Program, FocusArea: c.FocusArea, Parties: c.Parties, Start: c.Start, End: c.End}
	}
	if err := s.policy.Authorize(actor, cmd.Action(), sum); err != nil {
		return Partnership{}, nil, err
	}
	if err := actor.Validate(); err != nil {
		return Partnership{}, nil, err
	}
	if expected != AnyVersion && p.Version != expected {
		return Partnership{}, nil, &StaleError{Partnership: id, Action: cmd.Action(), Expected: expected, Actual: p.Version}
	}
	pend, err := cmd.decide(p, &env{ctx: ctx, today: citylinks.DateOf(now), results: s.results, actor: actor, records: s.records})
	if err != nil {
		return Partnership{}, nil, err
	}
	if len(pend) == 0 {
		return p.Clone(), nil, nil
	}
	actor.Roles = append([]citylinks.Role(nil), actor.Roles...)
	out := make([]Event, len(pend))
	for i, pe := range pend {
		out[i] = Event{Partnership: id, Version: p.Version + 1 + int64(i), On: pe.on, At: now, Actor: actor, Data: pe.data}
	}
	if err := checkSequence(p, out); err != nil {
		return Partnership{}, nil, err
	}
	if err := s.store.AppendPartnership(ctx, id, p.Version, out); err != nil {
		if errors.Is(err, citylinks.ErrConflict) {
			return Partnership{}, nil, fmt.Errorf("%w: %w", errRetry, err)
		}
		return Partnership{}, nil, err
	}
	if p.Version == 0 {
		grow(p, out)
	}
	for _, ev := range out {
		if err := p.apply(ev, e.idx); err != nil {
			// Checked above. Should it happen, the events are stored and
			// the next command folds them from the store.
			return Partnership{}, nil, err
		}
	}
	return p.Clone(), out, nil
}

// state returns the current state of partnership id, through the cache.
func (s *Service) state(ctx context.Context, id string) (Partnership, error) {
	e := s.states.get(id)
	found, err := s.catchUp(ctx, id, e)
	var p Partnership
	if err == nil && found {
		p = e.p.Clone()
	}
	s.states.put(id, e)
	switch {
	case err != nil:
		return Partnership{}, err
	case !found:
		return Partnership{}, fmt.Errorf("partnership: %q: %w", id, citylinks.ErrNotFound)
	}
	return p, nil
}

// load returns partnership id's events after checking that actor may read
// it.
func (s *Service) load(ctx context.Context, actor citylinks.Actor, id string) ([]Event, Partnership, error) {
	if err := ctx.Err(); err != nil {
		return nil, Partnership{}, err
	}
	events, err := s.store.LoadPartnership(ctx, id)
	if err != nil {
		return nil, Partnership{}, err
	}
	p, err := Fold(events)
	if err != nil {
		return nil, Partnership{}, err
	}
	if err := s.policy.Authorize(actor, ActionRead, p.Summary()); err != nil {
		return nil, Partnership{}, err
	}
	return events, p, nil
}

// Get returns the current state of partnership id.
func (s *Service) Get(ctx context.Context, actor citylinks.Actor, id string) (Partnership, error) {
	if err := ctx.Err(); err != nil {
		return Partnership{}, err
	}
	p, err := s.state(ctx, id)
	if err != nil {
		return Partnership{}, err
	}
	if err := s.policy.Authorize(actor, ActionRead, p.Summary()); err != nil {
		return Partnership{}, err
	}
	return p, nil
}

// History returns partnership id's events, oldest first: who did what,
// on which date, recorded when.
func (s *Service) History(ctx context.Context, actor citylinks.Actor, id string) ([]Event, error) {
	events, _, err := s.load(ctx, actor, id)
	return events, err
}

// AsOf returns the state of partnership id as of the end of calendar date
// d: the fold of the events whose On date is on or before d. It returns
// citylinks.ErrNotFound if the partnership was not yet proposed then.
func (s *Service) AsOf(ctx context.Context, actor citylinks.Actor, id string, d citylinks.Date) (Partnership, error) {
	events, _, err := s.load(ctx, actor, id)
	if err != nil {
		return Partnership{}, err
	}
	return AsOf(events, d)
}

// Recorded returns the state of partnership id as recorded at instant t:
// the fold of the events recorded at or before t.
func (s *Service) Recorded(ctx context.Context, actor citylinks.Actor, id string, t time.Time) (Partnership, error) {
	events, _, err := s.load(ctx, actor, id)
	if err != nil {
		return Partnership{}, err
	}
	n := 0
	for n < len(events) && !events[n].At.After(t) {
		n++
	}
	if n == 0 {
		return Partnership{}, fmt.Errorf("partnership: %q was not recorded by %v: %w", id, t, citylinks.ErrNotFound)
	}
	return Fold(events[:n])
}

// AsOf folds the events whose On date is on or before d. Events keep their
// stream order; their versions are renumbered, so Version of the result
// counts the events folded. It returns citylinks.ErrNotFound if the
// partnership was not yet proposed on d.
func AsOf(events []Event, d citylinks.Date) (Partnership, error) {
	var kept []Event
	for _, e := range events {
		if !e.On.After(d) {
			e.Version = int64(len(kept) + 1)
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 || kept[0].Kind() != EventProposed {
		id := ""
		if len(events) > 0 {
			id = events[0].Partnership
		}
		return Partnership{}, fmt.Errorf("partnership: %q was not proposed by %s: %w", id, d, citylinks.ErrNotFound)
	}
	return Fold(kept)
}

// List returns one page of the partnerships that match f and that actor
// may read. Partnerships the policy hides are skipped, not reported; a
// coordinator with no other role sees only its organization's.
func (s *Service) List(ctx context.Context, actor citylinks.Actor, f Filter) (citylinks.Page[Summary], error) {
	if err := f.Validate(); err != nil {
		return citylinks.Page[Summary]{}, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	if onlyCoordinator(actor) && len(f.Organizations) == 0 && actor.Organization != "" {
		f.Organizations = []string{actor.Organization}
	}
	var out citylinks.Page[Summary]
	for {
		page, err := s.store.ListPartnerships(ctx, f)
		if err != nil {
			return citylinks.Page[Summary]{}, err
		}
		for _, sum := range page.Items {
			if s.policy.Authorize(actor, ActionRead, sum) != nil {
				continue
			}
			if len(out.Items) == limit {
				out.Next = out.Items[len(out.Items)-1].ID
				return out, nil
			}
			out.Items = append(out.Items, sum)
		}
		if page.Next == "" {
			return out, nil
		}
		if len(out.Items) == limit {
			out.Next = out.Items[len(out.Items)-1].ID
			return out, nil
		}
		f.After = page.Next
	}
}

func onlyCoordinator(a citylinks.Actor) bool {
	for _, r := range a.Roles {
		if r != citylinks.RoleCoordinator {
			return false
		}
	}
	return len(a.Roles) > 0
}

// Propose opens a new partnership; see Propose.
func (s *Service) Propose(ctx context.Context, actor citylinks.Actor, c Propose) (Partnership, error) {
	return s.Execute(ctx, actor, c.ID, c)
}

// Ratify records a resource party's governing-body approval.
func (s *Service) Ratify(ctx context.Context, actor citylinks.Actor, id string, c Ratify) (Partnership, error) {
	return s.Execute(ctx, actor, id, c)
}

// SignAgreement records the signed agreement: the partnership is agreed.
func (s *Service) SignAgreement(ctx context.Context, actor citylinks.Actor, id string, c SignAgreement) (Partnership, error) {
	return s.Execute(ctx, actor, id, c)
}

// DraftWorkPlan records a draft work plan.
func (s *Service) DraftWorkPlan(ctx context.Context, actor citylinks.Actor, id string, c DraftWorkPlan) (Partnership, error) {
	return s.Execute(ctx, actor, id, c)
}

// AgreeWorkPlan records the agreed work plan: an agreed partnership becomes
// active.
func (s *Service) AgreeWorkPlan(ctx context.Context, actor citylinks.Actor, id string, c AgreeWorkPlan) (Partnership, error) {
	return s.Execute(ctx, actor, id, c)
}

// RecordExchange records or revises an exchange visit.
func (s *Service) RecordExchange(ctx context.Context, actor citylinks.Actor, id string, x Exchange) (Partnership, error) {
	return s.Execute(ctx, actor, id, RecordExchange{Exchange: x})
}

// RecordContribution records or corrects volunteer time or in-kind value.
func (s *Service) RecordContribution(ctx context.Context, actor citylinks.Actor, id string, c Contribution) (Partnership, error) {
	return s.Execute(ctx, actor, id, RecordContribution{Contribution: c})
}

// StartClosing moves an active partnership with a done exchange to closing.
func (s *Service) StartClosing(ctx context.Context, actor citylinks.Actor, id string, on citylinks.Date) (Partnership, error) {
	return s.Execute(ctx, actor, id, StartClosing{On: on})
}

// Complete completes a closing partnership whose final results are
// approved.
func (s *Service) Complete(ctx context.Context, actor citylinks.Actor, id string, on citylinks.Date) (Partnership, error) {
	return s.Execute(ctx, actor, id, Complete{On: on})
}

// Suspend suspends an open partnership.
func (s *Service) Suspend(ctx context.Context, actor citylinks.Actor, id string, on citylinks.Date, reason string) (Partnership, error) {
	return s.Execute(ctx, actor, id, Suspend{On: on, Reason: reason})
}

// Resume resumes a suspended partnership to the state it came from.
func (s *Service) Resume(ctx context.Context, actor citylinks.Actor, id string, on citylinks.Date) (Partnership, error) {
	return s.Execute(ctx, actor, id, Resume{On: on})
}

// Extend moves the planned end to a later date.
func (s *Service) Extend(ctx context.Context, actor citylinks.Actor, id string, on, end citylinks.Date, reason string) (Partnership, error) {
	return s.Execute(ctx, actor, id, Extend{On: on, End: end, Reason: reason})
}

// Decline declines a proposal.
func (s *Service) Decline(ctx context.Context, actor citylinks.Actor, id string, on citylinks.Date, reason string) (Partnership, error) {
	return s.Execute(ctx, actor, id, Decline{On: on, Reason: reason})
}

// Terminate ends an open partnership early, for a reason.
func (s *Service) Terminate(ctx context.Context, actor citylinks.Actor, id string, on citylinks.Date, reason string) (Partnership, error) {
	return s.Execute(ctx, actor, id, Terminate{On: on, Reason: reason})
}
