package memory

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
)

var _ partnership.TailStore = (*Store)(nil)

// partnerships holds partnership event streams and each stream's summary.
// Events are stored as they come back from their JSON encoding (what the SQL
// backends store), decoded once on append, and deep-copied out, so callers
// never share memory with the store. Its zero value is ready to use.
type partnerships struct {
	mu      sync.RWMutex
	streams map[string]*stream
	ids     []string // sorted, for keyset paging
}

type stream struct {
	events  []partnership.Event
	summary partnership.Summary
}

// LoadPartnership implements partnership.Store.
func (s *Store) LoadPartnership(ctx context.Context, id string) ([]partnership.Event, error) {
	return s.LoadPartnershipAfter(ctx, id, 0)
}

// LoadPartnershipAfter implements partnership.TailStore.
func (s *Store) LoadPartnershipAfter(ctx context.Context, id string, after int64) ([]partnership.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.parts.mu.RLock()
	st := s.parts.streams[id]
	var stored []partnership.Event
	if st != nil {
		// Stored events are never changed, only appended to: the slice
		// can be copied from outside the lock.
		stored = st.events[:len(st.events):len(st.events)]
	}
	s.parts.mu.RUnlock()
	if st == nil && after == 0 {
		return nil, notFound("partnership", id)
	}
	if after < 0 || after > int64(len(stored)) {
		return nil, nil
	}
	out := make([]partnership.Event, 0, len(stored)-int(after))
	for _, e := range stored[after:] {
		out = append(out, e.Clone())
	}
	return out, nil
}

// AppendPartnership implements partnership.Store.
func (s *Store) AppendPartnership(ctx context.Context, id string, expected int64, events []partnership.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := partnership.CheckAppend(id, expected, events); err != nil {
		return err
	}
	// Store each event as the SQL backends give it back: encoded and
	// decoded (UTC instants, empty lists as nil).
	in := make([]partnership.Event, len(events))
	var dec partnership.Decoder
	for i, e := range events {
		b, err := partnership.EncodeEvent(e)
		if err == nil {
			in[i], err = dec.Decode(b)
		}
		if err != nil {
			return err
		}
	}
	s.parts.mu.Lock()
	defer s.parts.mu.Unlock()
	st := s.parts.streams[id]
	var sum partnership.Summary
	var have int64
	if st != nil {
		sum, have = st.summary.Clone(), int64(len(st.events))
	}
	if have != expected {
		return fmt.Errorf("append to partnership %q: expected version %d, have %d: %w", id, expected, have, citylinks.ErrConflict)
	}
	for _, e := range events {
		if err := sum.Apply(e); err != nil {
			return err
		}
	}
	if st == nil {
		if s.parts.streams == nil {
			s.parts.streams = map[string]*stream{}
		}
		st = &stream{}
		s.parts.streams[id] = st
		i, _ := slices.BinarySearch(s.parts.ids, id)
		s.parts.ids = slices.Insert(s.parts.ids, i, id)
	}
	st.events = append(st.events, in...)
	st.summary = sum
	return nil
}

// ListPartnerships implements partnership.Store.
func (s *Store) ListPartnerships(ctx context.Context, f partnership.Filter) (citylinks.Page[partnership.Summary], error) {
	var p citylinks.Page[partnership.Summary]
	if err := ctx.Err(); err != nil {
		return p, err
	}
	if err := f.Validate(); err != nil {
		return p, err
	}
	limit, _ := citylinks.PageSize(f.Limit)
	s.parts.mu.RLock()
	defer s.parts.mu.RUnlock()
	i, _ := slices.BinarySearch(s.parts.ids, f.After)
	for ; i < len(s.parts.ids); i++ {
		sum := s.parts.streams[s.parts.ids[i]].summary
		if !f.Match(sum) {
			continue
		}
		if len(p.Items) == limit {
			p.Next = p.Items[len(p.Items)-1].ID
			return p, nil
		}
		p.Items = append(p.Items, sum.Clone())
	}
	return p, nil
}
