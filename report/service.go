package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Options configure a Service. The zero value (or nil) gives the defaults.
type Options struct {
	// Now returns the current time. Defaults to time.Now. Due lists and
	// recorded times use it, so tests can fix the clock.
	Now func() time.Time
	// Band is the on-track band around progress 1 (the target): progress
	// within 1 ± Band is on track. Defaults to DefaultBand (0.15).
	Band float64
	// Grace is how many days after a period ends its report is due.
	// Defaults to 30.
	Grace int
	// Soon is how many days before the due date a report counts as due
	// soon. Defaults to 14.
	Soon int
}

// DefaultBand is the default on-track band: ±15 %, the "on scope" margin
// the TolaData indicator tracker uses (ONSCOPE_MARGIN in its indicator
// model, TolaActivity indicators/models.py).
const DefaultBand = 0.15

// Service is the outcome-reporting API: define indicators, register the
// partnerships reported on, record observations and contributions, move
// period reports through approval, list due reports, roll up and build
// reports for the renderers. It is safe for concurrent use.
type Service struct {
	store Store
	opts  Options
}

// NewService returns a Service over s. A nil opts means the defaults.
func NewService(s Store, opts *Options) *Service {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Band <= 0 {
		o.Band = DefaultBand
	}
	if o.Grace <= 0 {
		o.Grace = 30
	}
	if o.Soon <= 0 {
		o.Soon = 14
	}
	return &Service{store: s, opts: o}
}

// Store returns the service's store.
func (s *Service) Store() Store { return s.store }

func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// DefineIndicator stores (or replaces) an indicator. Facilitators and
// monitors may define indicators.
func (s *Service) DefineIndicator(ctx context.Context, actor citylinks.Actor, in Indicator) error {
	if err := Authorize(actor, ActionDefineIndicator, nil); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.store.PutIndicator(ctx, in)
}

// DefineFramework stores (or replaces) a results framework. Those who may
// define indicators (ActionDefineIndicator: facilitators and monitors) may
// define frameworks. Every indicator placed must be defined, and a
// partnership's framework needs its partnership registered.
func (s *Service) DefineFramework(ctx context.Context, actor citylinks.Actor, f Framework) error {
	if err := Authorize(actor, ActionDefineIndicator, nil); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	for i, p := range f.Placed {
		if _, err := s.store.GetIndicator(ctx, p.Indicator); err != nil {
			if errors.Is(err, citylinks.ErrNotFound) {
				return invalid(fmt.Sprintf("placed[%d].indicator", i), "indicator %q is not defined", p.Indicator)
			}
			return err
		}
	}
	if f.Partnership != "" {
		if _, err := s.store.GetActivity(ctx, f.Partnership); err != nil {
			if errors.Is(err, citylinks.ErrNotFound) {
				return invalid("partnership", "partnership %q is not registered", errtext.Clip(f.Partnership))
			}
			return err
		}
	}
	return s.store.PutFramework(ctx, f)
}

// RegisterActivity stores (or replaces) the activity for a partnership.
// Every indicator linked to an objective must already be defined. Only
// facilitators may register activities.
func (s *Service) RegisterActivity(ctx context.Context, actor citylinks.Actor, a Activity) error {
	if err := Authorize(actor, ActionRegisterActivity, &a); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	for i, o := range a.Objectives {
		for j, code := range o.Indicators {
			if _, err := s.store.GetIndicator(ctx, code); err != nil {
				if errors.Is(err, citylinks.ErrNotFound) {
					return invalid(fmt.Sprintf("objectives[%d].indicators[%d]", i, j), "indicator %q is not defined", code)
				}
				return err
			}
		}
	}
	return s.store.PutActivity(ctx, a)
}

// Submit moves a partnership's report for period p from draft (or
// returned) to submitted. Facilitators and the partnership's coordinators
// may submit.
func (s *Service) Submit(ctx context.Context, actor citylinks.Actor, partnership string, p Period) (Approval, error) {
	return s.transition(ctx, actor, ActionSubmit, partnership, p, "")
}

// Approve moves a submitted report to approved, which locks the period.
// Only monitors may approve.
func (s *Service) Approve(ctx context.Context, actor citylinks.Actor, partnership string, p Period) (Approval, error) {
	return s.transition(ctx, actor, ActionApprove, partnership, p, "")
}

// Return sends a submitted report back for revision with a comment (which
// is required); the period becomes returned, which is editable like a draft.
// Only monitors may return.
func (s *Service) Return(ctx context.Context, actor citylinks.Actor, partnership string, p Period, comment string) (Approval, error) {
	return s.transition(ctx, actor, ActionReturn, partnership, p, comment)
}

// Unlock moves an approved period back to draft so it can be corrected. The
// reason is required and kept in the history. Only monitors may unlock.
func (s *Service) Unlock(ctx context.Context, actor citylinks.Actor, partnership string, p Period, reason string) (Approval, error) {
	return s.transition(ctx, actor, ActionUnlock, partnership, p, reason)
}

func (s *Service) transition(ctx context.Context, actor citylinks.Actor, action Action, partnership string, p Period, comment string) (Approval, error) {
	if err := p.Validate(); err != nil {
		return Approval{}, err
	}
	a, err := s.activity(ctx, partnership)
	if err != nil {
		return Approval{}, err
	}
	if err := Authorize(actor, action, &a); err != nil {
		return Approval{}, err
	}
	cur, err := s.store.GetApproval(ctx, partnership, p)
	if err != nil {
		return Approval{}, err
	}
	to, err := next(cur.State, action, comment)
	if err != nil {
		return Approval{}, fmt.Errorf("report: partnership %q period %s: %w", partnership, p, err)
	}
	return s.store.TransitionApproval(ctx, ApprovalEvent{
		Partnership: partnership, Period: p, Seq: cur.Version + 1, Action: action,
		From: cur.State, To: to, Actor: actor.ID, At: s.now(), Comment: comment,
	})
}

// Approval returns the approval of a partnership's report for period p.
// It returns an error wrapping citylinks.ErrForbidden when actor may not
// read the partnership's results.
func (s *Service) Approval(ctx context.Context, actor citylinks.Actor, partnership string, p Period) (Approval, error) {
	if err := s.authorizeRead(ctx, actor, partnership); err != nil {
		return Approval{}, err
	}
	return s.store.GetApproval(ctx, partnership, p)
}

// History returns the approval events of a partnership and period, oldest
// first: every submit, approve, return and unlock, with who and why. It
// returns an error wrapping citylinks.ErrForbidden when actor may not read
// the partnership's results.
func (s *Service) History(ctx context.Context, actor citylinks.Actor, partnership string, p Period) ([]ApprovalEvent, error) {
	if err := s.authorizeRead(ctx, actor, partnership); err != nil {
		return nil, err
	}
	return s.store.ApprovalHistory(ctx, partnership, p)
}

// authorizeRead checks that actor may read one partnership's results. An
// actor who reads everything needs no lookup; a coordinator's partnership
// must be registered and have its organization as a participant.
func (s *Service) authorizeRead(ctx context.Context, actor citylinks.Actor, partnership string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if readsAll(actor) {
		return Authorize(actor, ActionRead, nil)
	}
	a, err := s.store.GetActivity(ctx, partnership)
	if errors.Is(err, citylinks.ErrNotFound) {
		// Whether another organization's partnership exists is not the
		// coordinator's to learn.
		return Authorize(actor, ActionRead, nil)
	}
	if err != nil {
		return err
	}
	return Authorize(actor, ActionRead, &a)
}

// activity returns the registered activity of a partnership. A
// partnership that was never registered is an error wrapping
// citylinks.ErrNotFound that says how to register it.
func (s *Service) activity(ctx context.Context, partnership string) (Activity, error) {
	a, err := s.store.GetActivity(ctx, partnership)
	if errors.Is(err, citylinks.ErrNotFound) {
		return a, fmt.Errorf("report: %w: register the partnership for reporting first, with Service.RegisterActivity (handoff.Sync registers every partnership)", err)
	}
	return a, err
}

// readableActivities returns the activities that match f and that actor
// may read: all of them for most roles, a coordinator's own for a
// coordinator. An actor who may read nothing gets an error wrapping
// citylinks.ErrForbidden.
func (s *Service) readableActivities(ctx context.Context, actor citylinks.Actor, f ActivityFilter) ([]Activity, error) {
	if err := actor.Validate(); err != nil {
		return nil, fmt.Errorf("report: %w: %w", citylinks.ErrForbidden, err)
	}
	if !readsAll(actor) && !actor.Has(citylinks.RoleCoordinator) {
		return nil, Authorize(actor, ActionRead, nil)
	}
	acts, err := s.allActivities(ctx, f)
	if err != nil || readsAll(actor) {
		return acts, err
	}
	return slices.DeleteFunc(acts, func(a Activity) bool { return Authorize(actor, ActionRead, &a) != nil }), nil
}

// FinalResultsApproved reports whether the partnership's final reporting
// period — the period of its schedule that contains its end date (actual,
// else planned) — is approved. It is false when the activity has no end
// date, and an error wrapping citylinks.ErrNotFound when the partnership is
// not registered. It satisfies partnership.ResultsChecker.
func (s *Service) FinalResultsApproved(ctx context.Context, partnershipID string) (bool, error) {
	a, err := s.activity(ctx, partnershipID)
	if err != nil {
		return false, err
	}
	final, ok := a.FinalPeriod()
	if !ok {
		return false, nil
	}
	ap, err := s.store.GetApproval(ctx, partnershipID, final)
	if err != nil {
		return false, err
	}
	return ap.State == StateApproved, nil
}

// allActivities pages through the activities that match f.
func (s *Service) allActivities(ctx context.Context, f ActivityFilter) ([]Activity, error) {
	f.Limit = citylinks.MaxPageSize
	return collect(func(after string) (citylinks.Page[Activity], error) {
		f.After = after
		return s.store.ListActivities(ctx, f)
	})
}

// allObservations pages through the observations that match f.
func (s *Service) allObservations(ctx context.Context, f ObservationFilter) ([]Observation, error) {
	f.Limit = citylinks.MaxPageSize
	return collect(func(after string) (citylinks.Page[Observation], error) {
		f.After = after
		return s.store.ListObservations(ctx, f)
	})
}

// collect gathers every page list returns, from the first (after "").
func collect[T any](list func(after string) (citylinks.Page[T], error)) ([]T, error) {
	var out []T
	for after := ""; ; {
		p, err := list(after)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out, nil
		}
		after = p.Next
	}
}

// DefineStarterCatalogue defines every indicator of StarterCatalogue.
func (s *Service) DefineStarterCatalogue(ctx context.Context, actor citylinks.Actor) error {
	for _, in := range StarterCatalogue() {
		if err := s.DefineIndicator(ctx, actor, in); err != nil {
			return err
		}
	}
	return nil
}
