package handoff

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/report"
	"github.com/citylinks/citylinks/report/render"
)

// Options configure a Syncer, and how [Activity] describes a partnership.
// The zero value (or nil) gives the defaults, but a Syncer needs Actor.
type Options struct {
	// Actor is who registers activities and records contributions in
	// package report: it must be allowed to register activities (a
	// facilitator, under report's default policy). Report contributions it
	// creates are owned by its organization. The partnership command that
	// led to a sync was authorized by package partnership's policy, whoever
	// issued it.
	Actor citylinks.Actor
	// IATI gives the IATI identity of participating organizations, by
	// citylinks organization id: Ref (an IATI organisation identifier such
	// as "US-GOV-1"), and Type and Name where set, which replace the
	// defaults ([OrgType], the party's name). Defaults to none.
	IATI map[string]render.IATIOrg
	// Amend, if set, adjusts each activity after [Activity] builds it and
	// before it is registered: a program's reporting schedule, a more
	// precise sector. It must be a function of the partnership alone, so
	// that a sync that finds nothing changed writes nothing.
	Amend func(p partnership.Partnership, a *report.Activity)
	// MaxAttempts is how many times one partnership is written again when
	// it changed while it was being written. Defaults to 16.
	MaxAttempts int
}

// Syncer keeps package report in step with partnerships: for each
// partnership it registers the [Activity] that describes it and records its
// [Contributions]. Sync and SyncAll repair (or catch up with) any
// partnership, and are idempotent: when nothing changed they write nothing.
// Appended, set as partnership.Options.AfterAppend, syncs each partnership
// after each command the partnership.Service stores. Make one with
// NewSyncer; it is safe for concurrent use.
//
// A sync writes the activity, then the contributions, each in its own
// transaction, after the partnership's events are committed. When a write
// fails (the report store is down, an indicator the work plan names is not
// defined, a text package report refuses), the partnership stays as it is
// stored and its report lags behind: the command returns a
// *partnership.FollowUpError, and Sync of the partnership (or SyncAll) once
// the cause is fixed brings the report up to date. Nothing needs undoing:
// every write replaces what it writes with the state of the partnership.
type Syncer struct {
	parts partnership.Store
	rep   *report.Service
	opts  Options
}

// NewSyncer returns a Syncer that reads partnerships from parts and writes
// to rep as opts.Actor. It returns an error wrapping citylinks.ErrForbidden
// when the actor may not register activities.
func NewSyncer(parts partnership.Store, rep *report.Service, opts *Options) (*Syncer, error) {
	s := &Syncer{parts: parts, rep: rep}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.MaxAttempts <= 0 {
		s.opts.MaxAttempts = 16
	}
	if err := report.Authorize(s.opts.Actor, report.ActionRegisterActivity, nil); err != nil {
		return nil, fmt.Errorf("handoff: the syncer's actor must be allowed to register activities (a facilitator): %w", err)
	}
	return s, nil
}

// Synced counts what a sync did.
type Synced struct {
	Partnerships  int // partnerships synced
	Activities    int // activities registered or updated
	Contributions int // report contributions recorded or corrected
	Failed        int // partnerships whose sync failed (SyncAll)
}

func (s *Synced) add(o Synced) {
	s.Partnerships += o.Partnerships
	s.Activities += o.Activities
	s.Contributions += o.Contributions
	s.Failed += o.Failed
}

// Appended syncs partnership p after the service stored events; its
// signature is that of partnership.Options.AfterAppend.
func (s *Syncer) Appended(ctx context.Context, p partnership.Partnership, _ []partnership.Event) error {
	_, err := s.sync(ctx, p)
	return err
}

// Sync brings the report of partnership id up to date with its stored
// state. It returns an error wrapping citylinks.ErrNotFound for an unknown
// partnership.
func (s *Syncer) Sync(ctx context.Context, id string) (Synced, error) {
	p, err := s.load(ctx, id)
	if err != nil {
		return Synced{}, err
	}
	return s.sync(ctx, p)
}

// SyncAll syncs every stored partnership, in id order. It goes on past a
// partnership whose sync fails and returns the errors joined (the first
// ten, and how many more), with Synced.Failed counting them; it stops at
// once when ctx ends or the partnerships cannot be listed.
func (s *Syncer) SyncAll(ctx context.Context) (Synced, error) {
	var out Synced
	var errs []error
	f := partnership.Filter{Limit: citylinks.MaxPageSize}
	for {
		page, err := s.parts.ListPartnerships(ctx, f)
		if err != nil {
			return out, fmt.Errorf("handoff: list partnerships: %w", err)
		}
		for _, sum := range page.Items {
			n, err := s.Sync(ctx, sum.ID)
			out.add(n)
			if err != nil {
				if ctx.Err() != nil {
					return out, err
				}
				out.Failed++
				if len(errs) < 10 {
					errs = append(errs, err)
				}
			}
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	if out.Failed > len(errs) {
		errs = append(errs, fmt.Errorf("handoff: and %d more partnerships failed to sync", out.Failed-len(errs)))
	}
	return out, errors.Join(errs...)
}

func (s *Syncer) load(ctx context.Context, id string) (partnership.Partnership, error) {
	events, err := s.parts.LoadPartnership(ctx, id)
	if err != nil {
		return partnership.Partnership{}, fmt.Errorf("handoff: partnership %q: %w", id, err)
	}
	p, err := partnership.Fold(events)
	if err != nil {
		return partnership.Partnership{}, fmt.Errorf("handoff: partnership %q: %w", id, err)
	}
	return p, nil
}

// sync writes p's report, then checks that p is still the stored state:
// when a command was stored meanwhile (whose own sync may have written
// before this one), it writes again from the new state, so that the last
// write is never an older state's.
func (s *Syncer) sync(ctx context.Context, p partnership.Partnership) (Synced, error) {
	out := Synced{Partnerships: 1}
	for attempt := 1; ; attempt++ {
		n, err := s.write(ctx, p)
		out.add(n)
		if err != nil {
			return out, fmt.Errorf("handoff: the report of partnership %q is behind it: %w; fix the cause and sync the partnership again", p.ID, err)
		}
		cur, err := s.load(ctx, p.ID)
		if err != nil {
			return out, err
		}
		if cur.Version == p.Version {
			return out, nil
		}
		if attempt == s.opts.MaxAttempts {
			return out, fmt.Errorf("handoff: partnership %q changed %d times while its report was written: sync it again", p.ID, attempt)
		}
		p = cur
	}
}

// write registers p's activity and records its contributions, each only if
// it differs from what report holds.
func (s *Syncer) write(ctx context.Context, p partnership.Partnership) (Synced, error) {
	var out Synced
	a := Activity(p, &s.opts)
	stored, err := s.rep.Store().GetActivity(ctx, p.ID)
	found := err == nil
	if err != nil && !errors.Is(err, citylinks.ErrNotFound) {
		return out, err
	}
	if !found || !sameActivity(a, stored) {
		if err := s.rep.RegisterActivity(ctx, s.opts.Actor, a); err != nil {
			return out, fmt.Errorf("register activity: %w", err)
		}
		out.Activities++
	}
	cs := Contributions(p)
	if len(cs) == 0 {
		return out, nil
	}
	have, err := s.rep.Store().ListContributions(ctx, p.ID)
	if err != nil {
		return out, err
	}
	old := make(map[string]report.Contribution, len(have))
	for _, c := range have {
		c.Owner = ""
		old[c.ID] = c
	}
	var changed []report.Contribution
	for _, c := range cs {
		if prev, ok := old[c.ID]; !ok || prev != c {
			changed = append(changed, c)
		}
	}
	if len(changed) == 0 {
		return out, nil
	}
	if err := s.rep.RecordContributions(ctx, s.opts.Actor, changed...); err != nil {
		return out, fmt.Errorf("record contributions: %w", err)
	}
	out.Contributions += len(changed)
	return out, nil
}

// sameActivity reports whether a and b are equal, an empty list equal to
// none.
func sameActivity(a, b report.Activity) bool {
	return reflect.DeepEqual(normal(a), normal(b))
}

func normal(a report.Activity) report.Activity {
	a = a.Clone()
	if len(a.Participants) == 0 {
		a.Participants = nil
	}
	if len(a.Sectors) == 0 {
		a.Sectors = nil
	}
	if len(a.PolicyMarkers) == 0 {
		a.PolicyMarkers = nil
	}
	if len(a.Objectives) == 0 {
		a.Objectives = nil
	}
	if len(a.Locations) == 0 {
		a.Locations = nil
	}
	if len(a.Documents) == 0 {
		a.Documents = nil
	}
	for i := range a.Objectives {
		if len(a.Objectives[i].Indicators) == 0 {
			a.Objectives[i].Indicators = nil
		}
	}
	return a
}
