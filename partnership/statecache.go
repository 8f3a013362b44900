package partnership

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/citylinks/citylinks"
)

// TailStore is a Store that can return just the end of a stream. A Service
// over one keeps the latest state of the partnerships it works on and, for
// each command, reads and folds only the events appended since (by any
// writer, in any process: a stream only grows), so a command costs the same
// whether the stream holds a hundred events or a million. Every backend
// under store/ implements it; over a Store that does not, a Service loads
// the whole stream each time and folds only its new end.
type TailStore interface {
	Store
	// LoadPartnershipAfter returns the events of partnership id whose
	// version is above after, in version order: none (and no error) when
	// the stream has nothing newer. With after 0 and no events, it
	// returns an error wrapping citylinks.ErrNotFound, as LoadPartnership
	// does.
	LoadPartnershipAfter(ctx context.Context, id string, after int64) ([]Event, error)
}

// DefaultCacheEvents is Options.CacheEvents when it is 0.
const DefaultCacheEvents = 1_000_000

// states keeps the folded state of recently used partnerships, up to about
// max events' worth in all, forgetting the least recently used first; the
// state a command is using is kept whatever its size, so no stream is too
// long to be kept.
type states struct {
	mu    sync.Mutex
	max   int64
	m     map[string]*cached
	total int64 // sum of size over m
	clock uint64
}

// cached is one partnership's state: the fold of its stream up to
// p.Version, with the indexes that keep folding it linear. mu is held by
// the command that is using it; p is changed only by events that are
// stored, and handed out only as a Clone.
type cached struct {
	mu   sync.Mutex
	p    Partnership
	idx  *indexes
	size int64 // events folded in, as of the last resize
	used uint64
}

// get returns the cache entry of id, locked, making an empty one if there
// is none. The caller must call put when done with it.
func (c *states) get(id string) *cached {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*cached{}
	}
	e := c.m[id]
	if e == nil {
		e = &cached{idx: &indexes{x: map[string]int{}, c: map[string]int{}}}
		c.m[id] = e
	}
	c.clock++
	e.used = c.clock
	c.mu.Unlock()
	e.mu.Lock()
	return e
}

// put unlocks e, after accounting for its new size and forgetting other
// states while the cache is over its bound. An entry of a partnership that
// does not exist (or not yet) is not kept.
//
// An entry is always the fold of a prefix of its stream (events are folded
// into it only once stored, and a failed Apply changes nothing), so there
// is no state in which it must be thrown away.
func (c *states) put(id string, e *cached) {
	size := e.p.Version
	e.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[id] != e {
		return // forgotten meanwhile; another entry may hold id now
	}
	if size == 0 {
		c.total -= e.size
		delete(c.m, id)
		return
	}
	c.total += size - e.size
	e.size = size
	for c.total > c.max && len(c.m) > 1 {
		var victim string
		var oldest uint64
		for k, v := range c.m {
			if k != id && (victim == "" || v.used < oldest) {
				victim, oldest = k, v.used
			}
		}
		c.total -= c.m[victim].size
		delete(c.m, victim)
	}
}

// catchUp folds into e the events of partnership id stored after e's
// version. found is false when the partnership does not exist.
func (s *Service) catchUp(ctx context.Context, id string, e *cached) (found bool, err error) {
	var tail []Event
	if ts, ok := s.store.(TailStore); ok {
		tail, err = ts.LoadPartnershipAfter(ctx, id, e.p.Version)
	} else {
		var all []Event
		all, err = s.store.LoadPartnership(ctx, id)
		if err == nil && int64(len(all)) >= e.p.Version {
			tail = all[e.p.Version:]
		} else if err == nil {
			err = fmt.Errorf("partnership: %q has %d events, fewer than the %d already read: %w", id, len(all), e.p.Version, citylinks.ErrInvalid)
		}
	}
	if errors.Is(err, citylinks.ErrNotFound) && e.p.Version == 0 {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if len(tail) > 0 && e.p.Version == 0 {
		grow(&e.p, tail)
	}
	for _, ev := range tail {
		if err := e.p.apply(ev, e.idx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// grow sizes p's lists for the records in events, once, so that folding a
// long stream does not copy them over and over, and returns how many
// exchange and contribution events there are.
func grow(p *Partnership, events []Event) (nx, nc int) {
	for _, e := range events {
		switch e.Data.(type) {
		case *ExchangeRecorded:
			nx++
		case *ContributionRecorded:
			nc++
		}
	}
	p.Exchanges, p.ExchangeOwners = slices.Grow(p.Exchanges, nx), slices.Grow(p.ExchangeOwners, nx)
	p.Contributions, p.ContributionOwners = slices.Grow(p.Contributions, nc), slices.Grow(p.ContributionOwners, nc)
	return nx, nc
}

// checkSequence checks that events can follow p's stream (ids, versions and
// state transitions), without changing p.
func checkSequence(p *Partnership, events []Event) error {
	id, version, state, from := p.ID, p.Version, p.State, p.SuspendedFrom
	for _, e := range events {
		if err := checkNext(id, version, e); err != nil {
			return err
		}
		st, err := transition(state, from, e.Data)
		if err != nil {
			return fmt.Errorf("partnership: %s version %d: %w", e.Partnership, e.Version, err)
		}
		if version == 0 {
			id = e.Partnership
		}
		version, state, from = e.Version, st.state, st.from
	}
	return nil
}

// Clone returns a deep copy of p, which shares nothing that either copy may
// change.
func (p Partnership) Clone() Partnership {
	p.Parties = cloneEach(p.Parties, Party.clone)
	p.Ratifications = slices.Clone(p.Ratifications)
	if p.Agreement != nil {
		a := *p.Agreement
		a.Signatories = slices.Clone(a.Signatories)
		p.Agreement = &a
	}
	p.Draft = clonePlan(p.Draft)
	p.WorkPlan = clonePlan(p.WorkPlan)
	p.Exchanges = cloneEach(p.Exchanges, Exchange.clone)
	p.Contributions = slices.Clone(p.Contributions)
	p.ExchangeOwners = slices.Clone(p.ExchangeOwners)
	p.ContributionOwners = slices.Clone(p.ContributionOwners)
	p.Extensions = slices.Clone(p.Extensions)
	return p
}

func clonePlan(w *WorkPlan) *WorkPlan {
	if w == nil {
		return nil
	}
	c := w.clone()
	return &c
}

// cloneEach returns a new slice of clone of each element of s (nil for nil).
func cloneEach[T any](s []T, clone func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = clone(v)
	}
	return out
}
