package partnership

import (
	"fmt"
	"slices"
	"time"

	"github.com/citylinks/citylinks"
)

// Ratification is a resource party's governing-body approval.
type Ratification struct {
	Party string         // the resource party's organization id
	Body  string         // e.g. "Boulder City Council"
	On    citylinks.Date // the date of the approval
}

// Agreement is a partnership's signed agreement.
type Agreement struct {
	Kind        AgreementKind
	On          citylinks.Date // signing date
	Signatories []Signatory
}

// Extension is one extension of the planned end.
type Extension struct {
	On       citylinks.Date
	From, To citylinks.Date // the planned end before and after
	Reason   string
}

// Partnership is the state of a partnership: the fold of its events. Get it
// from Fold, or from the Service; it is a value, and changing it changes
// nothing stored.
type Partnership struct {
	ID        string
	Title     string
	Program   string // program id
	FocusArea string // focus-area id
	Parties   []Party
	Notes     string

	State State
	// SuspendedFrom is the state a suspended partnership resumes to; empty
	// unless State is StateSuspended.
	SuspendedFrom State
	// Reason is why the partnership was last suspended, declined or
	// terminated.
	Reason string

	ProposedOn    citylinks.Date
	Start, End    citylinks.Date // planned period; End moves with extensions
	Ratifications []Ratification
	Agreement     *Agreement
	Draft         *WorkPlan // the latest draft work plan, if any
	WorkPlan      *WorkPlan // the agreed work plan, if any
	Exchanges     []Exchange
	Contributions []Contribution
	// ExchangeOwners[i] is the organization that owns Exchanges[i], and
	// ContributionOwners[i] the one that owns Contributions[i]: the
	// organization of the actor who first recorded it, kept through every
	// revision; "" if that actor acted for no organization. See
	// DefaultPolicy.AuthorizeRecord for who may revise what.
	ExchangeOwners     []string
	ContributionOwners []string
	Extensions         []Extension
	// LastOn is the date of the latest lifecycle event (everything but
	// drafts, exchanges and contributions). A lifecycle command may not be
	// dated before it.
	LastOn citylinks.Date
	// ClosedOn is the date the partnership was completed, declined or
	// terminated.
	ClosedOn citylinks.Date

	Version   int64     // the version of the latest event folded in
	CreatedAt time.Time // when the first event was recorded
	UpdatedAt time.Time // when the latest event was recorded
}

// Party returns the party whose organization (or one of whose members) is
// org, and whether there is one.
func (p *Partnership) Party(org string) (Party, bool) {
	for _, q := range p.Parties {
		if q.Includes(org) {
			return q, true
		}
	}
	return Party{}, false
}

// HostCountry returns the country of the first host party ("" if none).
func (p *Partnership) HostCountry() string { return hostCountry(p.Parties) }

func hostCountry(ps []Party) string {
	for _, q := range ps {
		if q.Role == PartyHost {
			return q.Country
		}
	}
	return ""
}

// Ratified reports whether the resource party org has ratified.
func (p *Partnership) Ratified(org string) bool {
	return slices.ContainsFunc(p.Ratifications, func(r Ratification) bool { return r.Party == org })
}

// Exchange returns the exchange with the given id.
func (p *Partnership) Exchange(id string) (Exchange, bool) {
	i := slices.IndexFunc(p.Exchanges, func(x Exchange) bool { return x.ID == id })
	if i < 0 {
		return Exchange{}, false
	}
	return p.Exchanges[i], true
}

// Contribution returns the contribution with the given id.
func (p *Partnership) Contribution(id string) (Contribution, bool) {
	i := slices.IndexFunc(p.Contributions, func(c Contribution) bool { return c.ID == id })
	if i < 0 {
		return Contribution{}, false
	}
	return p.Contributions[i], true
}

// Summary returns the summary of p that List returns.
func (p *Partnership) Summary() Summary {
	s := Summary{
		ID: p.ID, Title: p.Title, Program: p.Program, FocusArea: p.FocusArea,
		State: p.State, SuspendedFrom: p.SuspendedFrom, Start: p.Start, End: p.End,
		Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	for _, q := range p.Parties {
		s.Parties = append(s.Parties, q.clone())
	}
	return s
}

// Fold returns the state that events lead to. The events must be one
// partnership's, in version order from 1 without gaps, starting with
// proposed; otherwise Fold returns an error. Fold does not check commands'
// guards (events are facts already decided), so it accepts any such stream.
func Fold(events []Event) (Partnership, error) {
	var p Partnership
	// Size the lists and their indexes once: long streams are mostly
	// exchanges and contributions.
	nx, nc := grow(&p, events)
	idx := &indexes{x: make(map[string]int, nx), c: make(map[string]int, nc)}
	for _, e := range events {
		if err := p.apply(e, idx); err != nil {
			return Partnership{}, err
		}
	}
	return p, nil
}

// indexes map exchange and contribution ids to their positions, so that a
// long stream folds in linear time.
type indexes struct{ x, c map[string]int }

// position returns the index of id in a list of n records, using m when
// there is one and find otherwise, and records a new id at n.
func position(m map[string]int, id string, n int, find func() int) int {
	if m == nil {
		return find()
	}
	if i, ok := m[id]; ok {
		return i
	}
	m[id] = n
	return -1
}

// Apply folds one more event into p. It checks that e is the next event of
// p's stream; on error p is unchanged.
func (p *Partnership) Apply(e Event) error { return p.apply(e, &indexes{}) }

func (p *Partnership) apply(e Event, idx *indexes) error {
	if err := checkNext(p.ID, p.Version, e); err != nil {
		return err
	}
	st, err := transition(p.State, p.SuspendedFrom, e.Data)
	if err != nil {
		return fmt.Errorf("partnership: %s version %d: %w", e.Partnership, e.Version, err)
	}
	p.State, p.SuspendedFrom = st.state, st.from
	switch d := e.Data.(type) {
	case *Proposed:
		p.ID, p.Title, p.Program, p.FocusArea, p.Notes = e.Partnership, d.Title, d.Program, d.FocusArea, d.Notes
		p.Parties = make([]Party, len(d.Parties))
		for i, q := range d.Parties {
			p.Parties[i] = q.clone()
		}
		p.Start, p.End, p.ProposedOn = d.Start, d.End, e.On
		p.CreatedAt = e.At
	case *Ratified:
		p.Ratifications = append(p.Ratifications, Ratification{Party: d.Party, Body: d.Body, On: e.On})
	case *AgreementSigned:
		p.Agreement = &Agreement{Kind: d.Agreement, On: e.On, Signatories: slices.Clone(d.Signatories)}
		if !d.Start.IsZero() {
			p.Start = d.Start
		}
		p.End = d.End
	case *WorkPlanDrafted:
		w := d.Plan.clone()
		p.Draft = &w
	case *WorkPlanAgreed:
		w := d.Plan.clone()
		p.WorkPlan = &w
	case *ExchangeRecorded:
		x := d.Exchange.clone()
		if i := position(idx.x, x.ID, len(p.Exchanges), func() int {
			return slices.IndexFunc(p.Exchanges, func(y Exchange) bool { return y.ID == x.ID })
		}); i >= 0 {
			p.Exchanges[i] = x
		} else {
			p.Exchanges = append(p.Exchanges, x)
			p.ExchangeOwners = append(p.ExchangeOwners, e.Actor.Organization)
		}
	case *ContributionRecorded:
		c := d.Contribution
		if i := position(idx.c, c.ID, len(p.Contributions), func() int {
			return slices.IndexFunc(p.Contributions, func(y Contribution) bool { return y.ID == c.ID })
		}); i >= 0 {
			p.Contributions[i] = c
		} else {
			p.Contributions = append(p.Contributions, c)
			p.ContributionOwners = append(p.ContributionOwners, e.Actor.Organization)
		}
	case *Extended:
		p.Extensions = append(p.Extensions, Extension{On: e.On, From: p.End, To: d.End, Reason: d.Reason})
		p.End = d.End
	case *Suspended:
		p.Reason = d.Reason
	case *Declined:
		p.Reason = d.Reason
	case *Terminated:
		p.Reason = d.Reason
	}
	if lifecycle(e.Kind()) {
		p.LastOn = e.On
	}
	if !p.State.Open() && p.ClosedOn.IsZero() {
		p.ClosedOn = e.On
	}
	p.Version = e.Version
	p.UpdatedAt = e.At
	return nil
}

// lifecycle reports whether events of kind k move the partnership along its
// lifecycle, as opposed to records (drafts, exchanges, contributions) that
// may be dated any time within it.
func lifecycle(k EventKind) bool {
	switch k {
	case EventWorkPlanDrafted, EventExchangeRecorded, EventContributionRecorded:
		return false
	}
	return true
}

func checkNext(id string, version int64, e Event) error {
	switch {
	case e.Data == nil:
		return fmt.Errorf("partnership: %s version %d has no data: %w", e.Partnership, e.Version, citylinks.ErrInvalid)
	case version == 0 && e.Kind() != EventProposed:
		return fmt.Errorf("partnership: %s: the first event is %s, not proposed: %w", e.Partnership, e.Kind(), citylinks.ErrInvalid)
	case version > 0 && e.Partnership != id:
		return fmt.Errorf("partnership: event of %q in the stream of %q: %w", e.Partnership, id, citylinks.ErrInvalid)
	case e.Version != version+1:
		return fmt.Errorf("partnership: %s: event version %d follows version %d: %w", e.Partnership, e.Version, version, citylinks.ErrInvalid)
	}
	return nil
}

type stateChange struct{ state, from State }

// transition returns the state (and, for a suspension, the state suspended
// from) after an event with payload d. It is the one place the state
// machine lives: Partnership.Apply and Summary.Apply both use it. An event
// that cannot happen in the current state is an error (a corrupt stream).
func transition(s, from State, d Data) (stateChange, error) {
	same := stateChange{s, from}
	bad := func() (stateChange, error) {
		return same, fmt.Errorf("%s cannot happen in state %q: %w", d.Kind(), s, citylinks.ErrInvalid)
	}
	switch d.(type) {
	case *Proposed:
		if s != "" {
			return bad()
		}
		return stateChange{StateProposed, ""}, nil
	case *AgreementSigned:
		if s != StateProposed {
			return bad()
		}
		return stateChange{StateAgreed, ""}, nil
	case *WorkPlanAgreed:
		switch s {
		case StateAgreed:
			return stateChange{StateActive, ""}, nil
		case StateActive, StateClosing:
			return same, nil
		}
		return bad()
	case *ClosingStarted:
		if s != StateActive {
			return bad()
		}
		return stateChange{StateClosing, ""}, nil
	case *Completed:
		if s != StateClosing {
			return bad()
		}
		return stateChange{StateCompleted, ""}, nil
	case *Suspended:
		if !s.Open() || s == StateSuspended {
			return bad()
		}
		return stateChange{StateSuspended, s}, nil
	case *Resumed:
		if s != StateSuspended {
			return bad()
		}
		return stateChange{from, ""}, nil
	case *Declined:
		if s != StateProposed {
			return bad()
		}
		return stateChange{StateDeclined, ""}, nil
	case *Terminated:
		if !s.Open() {
			return bad()
		}
		return stateChange{StateTerminated, ""}, nil
	}
	if s == "" {
		return bad()
	}
	return same, nil
}

// Summary is what List returns for a partnership: the projection that the
// SQL backends keep in a table, updated in the same transaction as the
// events. It equals Fold(events).Summary().
type Summary struct {
	ID            string
	Title         string
	Program       string
	FocusArea     string
	Parties       []Party
	State         State
	SuspendedFrom State
	Start, End    citylinks.Date
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// HostCountry returns the country of the first host party.
func (s Summary) HostCountry() string { return hostCountry(s.Parties) }

// Includes reports whether org is a party, or a member of a composite
// party, of the partnership.
func (s Summary) Includes(org string) bool {
	return slices.ContainsFunc(s.Parties, func(p Party) bool { return p.Includes(org) })
}

// Apply folds one more event into the summary, as Partnership.Apply does
// into the full state: backends call it to keep their projection without
// reading the whole stream. On error s is unchanged.
func (s *Summary) Apply(e Event) error {
	if err := checkNext(s.ID, s.Version, e); err != nil {
		return err
	}
	st, err := transition(s.State, s.SuspendedFrom, e.Data)
	if err != nil {
		return fmt.Errorf("partnership: %s version %d: %w", e.Partnership, e.Version, err)
	}
	s.State, s.SuspendedFrom = st.state, st.from
	switch d := e.Data.(type) {
	case *Proposed:
		s.ID, s.Title, s.Program, s.FocusArea = e.Partnership, d.Title, d.Program, d.FocusArea
		s.Parties = make([]Party, len(d.Parties))
		for i, q := range d.Parties {
			s.Parties[i] = q.clone()
		}
		s.Start, s.End = d.Start, d.End
		s.CreatedAt = e.At
	case *AgreementSigned:
		if !d.Start.IsZero() {
			s.Start = d.Start
		}
		s.End = d.End
	case *Extended:
		s.End = d.End
	}
	s.Version = e.Version
	s.UpdatedAt = e.At
	return nil
}

// Clone returns a deep copy of s.
func (s Summary) Clone() Summary {
	ps := make([]Party, len(s.Parties))
	for i, p := range s.Parties {
		ps[i] = p.clone()
	}
	s.Parties = ps
	return s
}
