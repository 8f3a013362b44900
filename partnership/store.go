package partnership

import (
	"context"
	"fmt"
	"slices"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/errtext"
)

// Store keeps partnerships' event streams and a projection of their
// summaries for List. The backends under store/ implement it; storetest
// checks them. A canceled context gives an error wrapping context.Canceled.
//
// The design: events are the record, appended with an expected version,
// and a unique (partnership, version) index makes a second writer with the
// same expectation fail, on every backend, whatever the isolation level.
// The projection (state, program, focus area, host country, party
// organizations) is folded with Summary.Apply and written in the same
// transaction as the events, so it always equals the fold of the stream.
type Store interface {
	// LoadPartnership returns the events of partnership id in version
	// order; the partnership's version is the last event's. It returns an
	// error wrapping citylinks.ErrNotFound if there are none.
	LoadPartnership(ctx context.Context, id string) ([]Event, error)
	// AppendPartnership appends events to partnership id, whose current
	// version must be expected (0 for a new partnership): events[i] must
	// have version expected+1+i. A mismatch, or another writer appending
	// first, returns an error wrapping citylinks.ErrConflict and stores
	// nothing. Invalid events (see CheckAppend) return a
	// *citylinks.ValidationError and store nothing.
	AppendPartnership(ctx context.Context, id string, expected int64, events []Event) error
	// ListPartnerships returns one page of summaries that match f, ordered
	// by id (keyset paging, as citylinks.Page describes).
	ListPartnerships(ctx context.Context, f Filter) (citylinks.Page[Summary], error)
}

// CheckAppend checks the arguments of Store.AppendPartnership: a valid id,
// expected ≥ 0, at least one event, each valid, of partnership id, with
// versions expected+1, expected+2, …. Backends call it first.
func CheckAppend(id string, expected int64, events []Event) error {
	if err := validID("id", id); err != nil {
		return err
	}
	if expected < 0 {
		return invalid("expected", "%d is negative", expected)
	}
	if len(events) == 0 {
		return invalid("events", "nothing to append")
	}
	for i, e := range events {
		f := fmt.Sprintf("events[%d]", i)
		if err := e.Validate(); err != nil {
			return prefix(f, err)
		}
		if e.Partnership != id {
			return invalid(f+".partnership", "%q is not %q", errtext.Clip(e.Partnership), errtext.Clip(id))
		}
		if e.Version != expected+1+int64(i) {
			return invalid(f+".version", "is %d; want %d", e.Version, expected+1+int64(i))
		}
	}
	return nil
}

// Filter selects partnerships for List. Fields combine with AND; within a
// field, any listed value matches; empty fields do not filter.
type Filter struct {
	States        []State
	Programs      []string // program ids
	FocusAreas    []string // focus-area ids
	HostCountries []string // ISO alpha-2 codes of the first host party
	// Organizations keeps partnerships in which any of these organizations
	// is a party, or a member of a composite party.
	Organizations []string
	After         string // return partnerships whose id sorts after this cursor
	Limit         int    // page size; 0 means citylinks.DefaultPageSize, capped at citylinks.MaxPageSize
}

// Validate checks f's values.
func (f Filter) Validate() error {
	for i, s := range f.States {
		if !s.Valid() {
			return invalid(fmt.Sprintf("states[%d]", i), "%q is not a state", errtext.Clip(string(s)))
		}
	}
	_, err := citylinks.PageSize(f.Limit)
	return err
}

// Match reports whether s passes f, cursor included. Backends that filter
// in Go use it.
func (f Filter) Match(s Summary) bool {
	switch {
	case s.ID <= f.After:
		return false
	case len(f.States) > 0 && !slices.Contains(f.States, s.State):
		return false
	case len(f.Programs) > 0 && !slices.Contains(f.Programs, s.Program):
		return false
	case len(f.FocusAreas) > 0 && !slices.Contains(f.FocusAreas, s.FocusArea):
		return false
	case len(f.HostCountries) > 0 && !slices.Contains(f.HostCountries, s.HostCountry()):
		return false
	case len(f.Organizations) > 0 && !slices.ContainsFunc(f.Organizations, s.Includes):
		return false
	}
	return true
}
